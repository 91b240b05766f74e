/* SPDX-License-Identifier: MIT */
/* Text mode of tthc-normalize: a file, or each CSV column, detected and decoded. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "vnenc_int.h"

/*
 * How it streams.  Until the encoding is known the input is kept in a sample buffer:
 * the first TTHC_TEXTNORM_SAMPLE bytes of plain text (what tthc_vnenc_detect() reads),
 * the first TTHC_TEXTNORM_CSV_SAMPLE bytes of a CSV file.  Then the sample and all that
 * follows go through one decoder, or, when the CSV columns disagree, field by field
 * through the decoder of the field's column.  A field is held whole up to FIELD_MAX
 * bytes to see whether it is UTF-8; a longer field is judged by its first FIELD_MAX
 * bytes.  Memory is bounded by these constants, not by the input.
 */
#define FIELD_MAX (64 * 1024)
#define COLUMN_SAMPLE (64 * 1024) /* per column: what tthc_vnenc_detect() reads */
#define TONE_CHUNK (64 * 1024)
#define NENC (TTHC_ENC_TCVN5712 + 1)

enum phase { SAMPLING, WHOLE, COLUMNS };
enum csv_state { ST_START, ST_PLAIN, ST_QUOTED, ST_QUOTE };
enum field_kind { FIELD_ASCII, FIELD_UTF8, FIELD_LEGACY };

struct column {
	enum tthc_enc enc; /* TTHC_ENC_AUTO: nothing beyond ASCII seen */
	double conf;
};

struct tthc_textnorm {
	struct tthc_textnorm_options o;
	tthc_vnconv_write_fn write;
	void *arg;
	int err, last_err, fresh; /* fresh: no byte of the current input seen yet */
	char errmsg[256];

	/* the verdict */
	enum phase phase;
	enum tthc_enc enc; /* WHOLE: the file's; COLUMNS: TTHC_ENC_AUTO */
	double conf;
	struct column *col;
	size_t ncol;
	enum tthc_enc fallback; /* a non-UTF-8 field of a column with no legacy verdict */
	char delim;

	struct tthc_buf sample;
	struct tthc_vnconv *conv[NENC];
	uint64_t off; /* input bytes taken by the decoders so far */

	/* COLUMNS: where the parser stands */
	enum csv_state state;
	size_t colno;
	struct tthc_buf field;
	uint64_t field_off;
	struct tthc_vnconv *field_conv; /* a field longer than FIELD_MAX, streamed */
	enum tthc_enc field_conv_enc;

	struct tthc_buf tone; /* decoded text not yet cut at a word boundary */
};

static int set_err(struct tthc_textnorm *t, int err)
{
	return t->err = t->last_err = err;
}

/* The first call for a new input forgets the failure of the one before. */
static void begin(struct tthc_textnorm *t)
{
	if (!t->fresh)
		return;
	t->fresh = 0;
	t->errmsg[0] = '\0';
	t->last_err = 0;
}

static int discard(void *arg, const char *buf, size_t len)
{
	(void)arg, (void)buf, (void)len;
	return 0;
}

static int all_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

static size_t whole_utf8(const char *s, size_t n);

/* Valid UTF-8 to the end; cut: the end may fall inside a sequence. */
static int valid_utf8(const char *s, size_t n, int cut)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		int k;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = vn_get_utf8(s + i, n - i, &cp);
		if (!k)
			return cut && (unsigned char)s[i] >= 0xc2 &&
			       whole_utf8(s + i, n - i) == 0;
		i += (size_t)k;
	}
	return 1;
}

/* The length of s without a UTF-8 sequence its end cut (at most 3 bytes). */
static size_t whole_utf8(const char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)s[n - k];

		if ((c & 0xc0) == 0x80)
			continue;
		if (c >= 0xc0 && (k < 2 || (c >= 0xe0 && k < 3) || (c >= 0xf0 && k < 4)))
			return n - k;
		break;
	}
	return n;
}

static enum field_kind field_kind(const char *s, size_t n, int cut)
{
	if (all_ascii(s, n))
		return FIELD_ASCII;
	return valid_utf8(s, n, cut) ? FIELD_UTF8 : FIELD_LEGACY;
}

static int fail(struct tthc_textnorm *t, int err, const char *fmt, ...) TTHC_PRINTF(3, 4);
static int fail(struct tthc_textnorm *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->errmsg, sizeof(t->errmsg), fmt, ap);
	va_end(ap);
	return t->err = t->last_err = err;
}

/* A decoder failed: say where in the whole input, and in which encoding. */
static int conv_fail(struct tthc_textnorm *t, struct tthc_vnconv *c, enum tthc_enc enc,
                     uint64_t base, int err)
{
	if (err != -EILSEQ)
		return t->err = t->last_err = err;
	return fail(t, err, _("not valid %s at byte %llu"), tthc_enc_name(enc),
	            (unsigned long long)(base + tthc_vnconv_error_offset(c)));
}

/* ---- output, through the tone restyler when one is asked for ---- */

static int restyle_write(struct tthc_textnorm *t, char *s, size_t n)
{
	char *end = s + n, save;
	int r = 0;

	/* The text is NUL-terminated for the restyler, piece by piece between NULs. */
	save = *end;
	*end = '\0';
	while (s < end && !r) {
		size_t len = strlen(s);
		char *styled = NULL;
		int changed = 0, e = tthc_tone_restyle(s, t->o.tone, &styled, &changed);

		if (e == -ENOMEM) {
			r = e;
			break;
		}
		if (e == 0 && changed)
			r = t->write(t->arg, styled, strlen(styled));
		else
			r = t->write(t->arg, s, len);
		free(styled);
		s += len;
		if (!r && s < end) {
			r = t->write(t->arg, "", 1);
			s++;
		}
	}
	*end = save;
	return r;
}

/* Where the held text may be cut: after its last ASCII byte that is not a letter. */
static size_t tone_cut(const struct tthc_buf *b)
{
	for (size_t i = b->n; i > 0; i--) {
		unsigned char c = (unsigned char)b->p[i - 1];

		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return i;
	}
	/* No boundary in a whole chunk: cut before a code point all the same. */
	for (size_t i = b->n; i > 0; i--)
		if (((unsigned char)b->p[i - 1] & 0xc0) != 0x80)
			return i - 1;
	return b->n;
}

static int tone_flush(struct tthc_textnorm *t, int all)
{
	size_t cut = all ? t->tone.n : tone_cut(&t->tone);
	int r;

	if (cut == 0)
		return 0;
	r = restyle_write(t, t->tone.p, cut);
	memmove(t->tone.p, t->tone.p + cut, t->tone.n - cut);
	t->tone.n -= cut;
	return r;
}

static int out_write(void *arg, const char *s, size_t n)
{
	struct tthc_textnorm *t = arg;
	int r;

	if (t->o.tone == TTHC_TONE_KEEP)
		return t->write(t->arg, s, n);
	if ((r = tthc_buf_add(&t->tone, s, n)))
		return r;
	return t->tone.n >= TONE_CHUNK ? tone_flush(t, 0) : 0;
}

/* ---- decoders, one per encoding, opened when first needed ---- */

static int get_conv(struct tthc_textnorm *t, enum tthc_enc enc, struct tthc_vnconv **out)
{
	int r;

	if (!t->conv[enc] && (r = tthc_vnenc_open(enc, &t->conv[enc])) < 0)
		return fail(t, r, _("cannot decode %s: %s"), tthc_enc_name(enc),
		            tthc_strerror(r));
	*out = t->conv[enc];
	return 0;
}

/* ---- detection ---- */

struct colstat {
	size_t ascii, utf8, legacy;
	struct tthc_buf ascii_text, legacy_text;
};

/* The delimiter the first record uses most: comma, semicolon, tab or bar. */
static char sniff_delim(const char *s, size_t n)
{
	static const char cand[] = ",;\t|";
	size_t count[4] = { 0 }, best = 0;
	int quoted = 0;

	for (size_t i = 0; i < n && (quoted || s[i] != '\n'); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			for (size_t k = 0; k < 4; k++)
				count[k] += s[i] == cand[k];
	}
	for (size_t k = 1; k < 4; k++)
		if (count[k] > count[best])
			best = k;
	return cand[best];
}

static int add_sample(struct tthc_buf *b, const char *s, size_t n)
{
	if (b->n >= COLUMN_SAMPLE)
		return 0;
	if (b->n && tthc_buf_add(b, "\n", 1))
		return -ENOMEM;
	return tthc_buf_add(b, s, n);
}

static int stat_field(struct colstat **st, size_t *nst, size_t col, const char *s,
                      size_t n)
{
	struct colstat *c;

	if (col >= *nst) {
		struct colstat *p = realloc(*st, (col + 1) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		memset(p + *nst, 0, (col + 1 - *nst) * sizeof(*p));
		*st = p;
		*nst = col + 1;
	}
	c = &(*st)[col];
	/* The quotes around a field are no part of its text. */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	if (n == 0)
		return 0;
	switch (field_kind(s, n, 0)) {
	case FIELD_ASCII:
		c->ascii++;
		return add_sample(&c->ascii_text, s, n);
	case FIELD_UTF8:
		c->utf8++;
		return 0;
	default:
		c->legacy++;
		return add_sample(&c->legacy_text, s, n);
	}
}

/* Splits the sample into records and fields; the last field counts only at the end. */
static int scan_columns(const char *s, size_t n, char delim, int at_end,
                        struct colstat **st, size_t *nst)
{
	size_t start = 0, col = 0;
	int quoted = 0, r;

	for (size_t i = 0; i < n; i++) {
		if (quoted) {
			if (s[i] == '"' && i + 1 < n && s[i + 1] == '"')
				i++; /* a quote inside a quoted field */
			else if (s[i] == '"')
				quoted = 0;
		} else if (s[i] == '"' && i == start) {
			quoted = 1;
		} else if (s[i] == delim || s[i] == '\n') {
			size_t len = i - start;

			if (s[i] == '\n' && len && s[i - 1] == '\r')
				len--;
			if ((r = stat_field(st, nst, col, s + start, len)))
				return r;
			col = s[i] == '\n' ? 0 : col + 1;
			start = i + 1;
		}
	}
	if (at_end && start < n)
		return stat_field(st, nst, col, s + start, n - start);
	return 0;
}

static int is_legacy(enum tthc_enc e)
{
	return e != TTHC_ENC_AUTO && e != TTHC_ENC_UTF8 && e != TTHC_ENC_UTF16 &&
	       e != TTHC_ENC_VIQR;
}

static void column_verdict(const struct colstat *c, struct column *v)
{
	/*
	 * Fields are decoded one by one, so only byte encodings apply: a field "\xff\xfe"
	 * is no UTF-16 byte-order mark.  The fields that are not UTF-8 are read by the
	 * legacy encodings only: they are the ones that decide the column's.  A stray
	 * field no legacy encoding reads well leaves a UTF-8 column UTF-8 (the field
	 * takes the file's legacy encoding, if it has one).
	 */
	if (c->legacy &&
	    vn_detect_legacy(c->legacy_text.p, c->legacy_text.n, &v->enc, &v->conf) ==
	        0 &&
	    (v->conf >= VN_CONFIDENT || !c->utf8))
		return;
	v->enc = TTHC_ENC_AUTO;
	v->conf = 0;
	if (c->utf8) {
		v->enc = TTHC_ENC_UTF8;
		v->conf = 0.99;
	} else if (c->ascii && !c->legacy) {
		if (tthc_vnenc_detect(c->ascii_text.p, c->ascii_text.n, &v->enc,
		                      &v->conf) ||
		    v->enc != TTHC_ENC_VIQR || v->conf < 0.5) {
			/* ASCII reads the same in every encoding but VIQR: no verdict. */
			v->enc = TTHC_ENC_AUTO;
			v->conf = 0;
		}
	}
}

/* Decides from the CSV sample whether the columns disagree. */
static int decide_columns(struct tthc_textnorm *t, const char *s, size_t n, int at_end)
{
	struct colstat *st = NULL;
	size_t nst = 0, votes[NENC] = { 0 };
	enum tthc_enc only = TTHC_ENC_AUTO;
	int r, seen[NENC] = { 0 }, kinds = 0, mixed = 0;

	t->delim = sniff_delim(s, n);
	if ((r = scan_columns(s, n, t->delim, at_end, &st, &nst)))
		goto out;
	free(t->col);
	t->ncol = 0;
	if (!(t->col = calloc(nst ? nst : 1, sizeof(*t->col)))) {
		r = -ENOMEM;
		goto out;
	}
	t->ncol = nst;
	for (size_t i = 0; i < nst; i++) {
		enum tthc_enc e;

		column_verdict(&st[i], &t->col[i]);
		/* UTF-8 fields beside legacy ones: the column is read field by field. */
		mixed |= st[i].utf8 && is_legacy(t->col[i].enc);
		if ((e = t->col[i].enc) == TTHC_ENC_AUTO)
			continue;
		kinds += !seen[e]++;
		only = e;
		if (is_legacy(e))
			votes[e] += st[i].legacy;
	}
	if (kinds >= 2 || mixed) {
		t->phase = COLUMNS;
		t->enc = TTHC_ENC_AUTO;
		t->conf = 1;
		t->fallback = TTHC_ENC_AUTO;
		for (size_t i = 0; i < nst; i++)
			if (t->col[i].enc != TTHC_ENC_AUTO && t->col[i].conf < t->conf)
				t->conf = t->col[i].conf;
		for (int e = 0; e < NENC; e++)
			if (votes[e] && (t->fallback == TTHC_ENC_AUTO ||
			                 votes[e] > votes[t->fallback]))
				t->fallback = (enum tthc_enc)e;
	} else if (only != TTHC_ENC_AUTO && only != t->enc) {
		/* One encoding in the columns: it overrides a whole-file guess. */
		t->enc = only;
		for (size_t i = 0; i < nst; i++)
			if (t->col[i].enc == only)
				t->conf = t->col[i].conf;
	}
out:
	for (size_t i = 0; i < nst; i++) {
		free(st[i].ascii_text.p);
		free(st[i].legacy_text.p);
	}
	free(st);
	return r ? set_err(t, r) : 0;
}

static int decide(struct tthc_textnorm *t, const char *s, size_t n, int at_end)
{
	t->phase = WHOLE;
	t->ncol = 0;
	if (t->o.from != TTHC_ENC_AUTO) {
		t->enc = t->o.from;
		t->conf = 1;
		return 0;
	}
	if (n == 0 || tthc_vnenc_detect(s, n, &t->enc, &t->conf) < 0) {
		t->enc = TTHC_ENC_UTF8;
		t->conf = 1;
	}
	if (t->o.csv && t->enc != TTHC_ENC_UTF16)
		return decide_columns(t, s, n, at_end);
	return 0;
}

/* A confidence as "0.87", whatever the locale's decimal point. */
static void put_conf(char *buf, size_t size, double c)
{
	int n = (int)(c * 100 + 0.5);

	snprintf(buf, size, "%d.%02d", n / 100, n % 100);
}

/*
 * A guess is not converted on: a legacy verdict below VN_CONFIDENT, or a UTF-8 one for
 * a sample that is not all valid UTF-8 (UTF-8 with a line from a legacy program), fails
 * before a byte is written.  ASCII and valid UTF-8 pass whatever their confidence: they
 * are written as they are.
 */
static int check_verdict(struct tthc_textnorm *t, const char *s, size_t n, int at_end)
{
	char c[16];

	if (t->o.from != TTHC_ENC_AUTO)
		return 0;
	if (t->phase == COLUMNS) {
		for (size_t i = 0; i < t->ncol; i++) {
			if (!is_legacy(t->col[i].enc) || t->col[i].conf >= VN_CONFIDENT)
				continue;
			put_conf(c, sizeof(c), t->col[i].conf);
			return fail(
			    t, -EILSEQ,
			    _("cannot tell the encoding of column %zu: best guess "
			      "%s (confidence %s); use --from"),
			    i + 1, tthc_enc_name(t->col[i].enc), c);
		}
		return 0;
	}
	put_conf(c, sizeof(c), t->conf);
	if (is_legacy(t->enc) && t->conf < VN_CONFIDENT)
		return fail(t, -EILSEQ,
		            _("cannot tell the encoding: best guess %s (confidence %s); "
		              "use --from"),
		            tthc_enc_name(t->enc), c);
	if (t->enc == TTHC_ENC_UTF8 && !valid_utf8(s, n, !at_end)) {
		size_t bad = 0;
		uint32_t cp;
		int k;

		while (bad < n && (k = vn_get_utf8(s + bad, n - bad, &cp)) > 0)
			bad += (size_t)k;
		return fail(
		    t, -EILSEQ,
		    _("cannot tell the encoding: mostly utf-8 (confidence %s), but "
		      "byte %zu is not; use --from"),
		    c, bad);
	}
	return 0;
}

/* ---- CSV, column by column ---- */

static struct column *column_of(struct tthc_textnorm *t, size_t col)
{
	static struct column none = { TTHC_ENC_AUTO, 0 };

	return col < t->ncol ? &t->col[col] : &none;
}

/*
 * Which decoder a field (s, n bytes, of the given kind) needs; TTHC_ENC_AUTO: its bytes
 * stay as they are.  A field that is valid UTF-8 in a legacy column is UTF-8 only when
 * it reads better so: a VISCII "Đặng" is valid UTF-8 too ("Уng").
 */
static int field_enc(struct tthc_textnorm *t, enum field_kind kind, const char *s,
                     size_t n, enum tthc_enc *out)
{
	enum tthc_enc enc = column_of(t, t->colno)->enc;
	int r;

	switch (kind) {
	case FIELD_ASCII:
		*out = enc == TTHC_ENC_VIQR ? enc : TTHC_ENC_AUTO;
		return 0;
	case FIELD_UTF8:
		*out = TTHC_ENC_UTF8;
		if (!is_legacy(enc))
			return 0;
		if ((r = vn_reads_better(s, n, TTHC_ENC_UTF8, enc)) < 0)
			return set_err(t, r);
		*out = r ? TTHC_ENC_UTF8 : enc;
		return 0;
	default:
		if (!is_legacy(enc))
			enc = t->fallback;
		*out = enc == TTHC_ENC_AUTO ? TTHC_ENC_UTF8 : enc;
		return 0;
	}
}

/*
 * A field too long to hold: choose its decoder from what is held and stream the rest.
 * ASCII so far takes the column's encoding (UTF-8 in a column without one).
 */
static int field_start_stream(struct tthc_textnorm *t)
{
	size_t n = whole_utf8(t->field.p, t->field.n);
	enum field_kind kind = field_kind(t->field.p, t->field.n, 1);
	enum tthc_enc enc;
	int r;

	if ((r = field_enc(t, kind, t->field.p, n, &enc)))
		return r;
	if (kind == FIELD_ASCII) {
		enc = column_of(t, t->colno)->enc;
		if (enc == TTHC_ENC_AUTO)
			enc = t->fallback;
		if (enc == TTHC_ENC_AUTO)
			enc = TTHC_ENC_UTF8;
	}
	if ((r = get_conv(t, enc, &t->field_conv)))
		return r;
	t->field_conv_enc = enc;
	if ((r = tthc_vnconv_feed(t->field_conv, t->field.p, t->field.n, out_write, t)))
		return conv_fail(t, t->field_conv, enc, t->field_off, r);
	t->field.n = 0;
	return 0;
}

static int field_add(struct tthc_textnorm *t, const char *s, size_t n)
{
	int r;

	if (n == 0)
		return 0;
	if (t->field_conv) {
		if ((r = tthc_vnconv_feed(t->field_conv, s, n, out_write, t)))
			return conv_fail(t, t->field_conv, t->field_conv_enc,
			                 t->field_off, r);
		return 0;
	}
	if ((r = tthc_buf_add(&t->field, s, n)))
		return set_err(t, r);
	return t->field.n > FIELD_MAX ? field_start_stream(t) : 0;
}

static int field_end(struct tthc_textnorm *t)
{
	struct tthc_vnconv *c = t->field_conv;
	enum tthc_enc enc = t->field_conv_enc;
	int r;

	if (!c && t->field.n) {
		if ((r = field_enc(t, field_kind(t->field.p, t->field.n, 0), t->field.p,
		                   t->field.n, &enc)))
			return r;
		if (enc == TTHC_ENC_AUTO) {
			r = out_write(t, t->field.p, t->field.n);
			t->field.n = 0;
			return r ? set_err(t, r) : 0;
		}
		if ((r = get_conv(t, enc, &c)))
			return r;
		if ((r = tthc_vnconv_feed(c, t->field.p, t->field.n, out_write, t)))
			return conv_fail(t, c, enc, t->field_off, r);
	}
	t->field.n = 0;
	t->field_conv = NULL;
	if (c && (r = tthc_vnconv_finish(c, out_write, t)))
		return conv_fail(t, c, enc, t->field_off, r);
	return 0;
}

/* Ends the field at a delimiter or a line end and writes that byte. */
static int field_sep(struct tthc_textnorm *t, char sep, uint64_t next_off)
{
	int r;

	if ((r = field_end(t)) || (r = out_write(t, &sep, 1)))
		return set_err(t, r);
	t->colno = sep == '\n' ? 0 : t->colno + 1;
	t->state = ST_START;
	t->field_off = next_off;
	return 0;
}

static int feed_columns(struct tthc_textnorm *t, const char *in, size_t len)
{
	size_t run = 0;
	int r;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int sep = c == t->delim || c == '\n';

		switch (t->state) {
		case ST_START:
			t->state = c == '"' ? ST_QUOTED : sep ? ST_START : ST_PLAIN;
			break;
		case ST_PLAIN:
			break;
		case ST_QUOTED:
			if (c == '"')
				t->state = ST_QUOTE;
			continue;
		case ST_QUOTE:
			t->state = c == '"' ? ST_QUOTED : ST_PLAIN;
			break;
		}
		if (!sep || t->state == ST_QUOTED)
			continue;
		/* A line end's CR stays with the field: every decoder passes it. */
		if ((r = field_add(t, in + run, i - run)) ||
		    (r = field_sep(t, c, t->off + i + 1)))
			return r;
		run = i + 1;
	}
	return field_add(t, in + run, len - run);
}

/* ---- the stream ---- */

static int convert(struct tthc_textnorm *t, const char *in, size_t len)
{
	struct tthc_vnconv *c;
	int r;

	if (len == 0)
		return 0;
	if (t->phase == COLUMNS) {
		r = feed_columns(t, in, len);
	} else {
		if ((r = get_conv(t, t->enc, &c)))
			return r;
		if ((r = tthc_vnconv_feed(c, in, len, out_write, t)))
			r = conv_fail(t, c, t->enc, 0, r);
	}
	t->off += len;
	return r;
}

static size_t sample_size(const struct tthc_textnorm *t)
{
	return t->o.csv ? TTHC_TEXTNORM_CSV_SAMPLE : TTHC_TEXTNORM_SAMPLE;
}

static void reset(struct tthc_textnorm *t)
{
	t->fresh = 1;
	t->phase = SAMPLING;
	t->off = 0;
	t->sample.n = 0;
	t->state = ST_START;
	t->colno = 0;
	t->field.n = 0;
	t->field_conv = NULL;
	t->field_off = 0;
	t->tone.n = 0;
	t->err = 0;
}

TTHC_EXPORT int tthc_textnorm_new(const struct tthc_textnorm_options *opts,
                                  struct tthc_textnorm **out)
{
	struct tthc_textnorm *t;

	if (!opts || opts->from < TTHC_ENC_AUTO || opts->from > TTHC_ENC_TCVN5712 ||
	    opts->tone < TTHC_TONE_KEEP || opts->tone > TTHC_TONE_NEW)
		return -EINVAL;
	if (!(t = calloc(1, sizeof(*t))))
		return -ENOMEM;
	t->o = *opts;
	t->delim = ',';
	reset(t);
	*out = t;
	return 0;
}

TTHC_EXPORT void tthc_textnorm_free(struct tthc_textnorm *t)
{
	if (!t)
		return;
	for (int e = 0; e < NENC; e++)
		tthc_vnconv_free(t->conv[e]);
	free(t->col);
	free(t->sample.p);
	free(t->field.p);
	free(t->tone.p);
	free(t);
}

TTHC_EXPORT int tthc_textnorm_feed(struct tthc_textnorm *t, const char *in, size_t len,
                                   tthc_vnconv_write_fn write, void *arg)
{
	size_t take;
	int r;

	begin(t);
	if (t->err)
		return t->err;
	t->write = write;
	t->arg = arg;
	if (t->phase != SAMPLING)
		return convert(t, in, len);
	if (t->o.from != TTHC_ENC_AUTO) {
		decide(t, NULL, 0, 0);
		return convert(t, in, len);
	}
	take = sample_size(t) - t->sample.n;
	take = take < len ? take : len;
	if ((r = tthc_buf_add(&t->sample, in, take)))
		return set_err(t, r);
	if (t->sample.n < sample_size(t))
		return 0;
	if ((r = decide(t, t->sample.p, t->sample.n, 0)) ||
	    (r = check_verdict(t, t->sample.p, t->sample.n, 0)) ||
	    (r = convert(t, t->sample.p, t->sample.n)))
		return r;
	t->sample.n = 0;
	return take < len ? convert(t, in + take, len - take) : 0;
}

TTHC_EXPORT int tthc_textnorm_finish(struct tthc_textnorm *t, tthc_vnconv_write_fn write,
                                     void *arg)
{
	int r;

	begin(t);
	r = t->err;
	t->write = write;
	t->arg = arg;
	if (!r && t->phase == SAMPLING) {
		if (!(r = decide(t, t->sample.p, t->sample.n, 1)) &&
		    !(r = check_verdict(t, t->sample.p, t->sample.n, 1)))
			r = convert(t, t->sample.p, t->sample.n);
	}
	if (!r && t->phase == COLUMNS) {
		r = field_end(t);
	} else if (!r && t->conv[t->enc]) {
		r = tthc_vnconv_finish(t->conv[t->enc], out_write, t);
		if (r)
			r = conv_fail(t, t->conv[t->enc], t->enc, 0, r);
	}
	if (!r && t->tone.n)
		r = tone_flush(t, 1);
	if (r) {
		/* Decoders left half-way start afresh on the next input. */
		for (int e = 0; e < NENC; e++)
			if (t->conv[e])
				tthc_vnconv_finish(t->conv[e], discard, NULL);
	}
	reset(t);
	return r;
}

TTHC_EXPORT int tthc_textnorm_detect(struct tthc_textnorm *t, const char *buf, size_t len,
                                     int at_end)
{
	int r;

	reset(t);
	begin(t);
	r = decide(t, buf, len, at_end);
	t->phase = SAMPLING; /* what was decided here binds no later input */
	return r;
}

TTHC_EXPORT enum tthc_enc tthc_textnorm_encoding(const struct tthc_textnorm *t,
                                                 double *confidence)
{
	if (confidence)
		*confidence = t->conf;
	return t->enc;
}

TTHC_EXPORT size_t tthc_textnorm_columns(const struct tthc_textnorm *t)
{
	return t->ncol;
}

TTHC_EXPORT enum tthc_enc tthc_textnorm_column(const struct tthc_textnorm *t, size_t i,
                                               double *confidence)
{
	const struct column *c = i < t->ncol ? &t->col[i] : NULL;

	if (confidence)
		*confidence = c ? c->conf : 0;
	return c ? c->enc : TTHC_ENC_AUTO;
}

TTHC_EXPORT const char *tthc_textnorm_error(const struct tthc_textnorm *t)
{
	return t->errmsg[0] ? t->errmsg : t->last_err ? tthc_strerror(t->last_err) : "";
}
