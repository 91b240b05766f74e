/* SPDX-License-Identifier: MIT */
/* Streaming decoders from the legacy Vietnamese encodings to UTF-8 in NFC. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "internal.h"
#include "vnenc_int.h"

/*
 * Output collects in a buffer of OUT_CAP bytes handed to the caller when full.  The
 * table decoders keep the tail that a later byte may still change (a TCVN3 word whose
 * case is not known yet, a VNI or VIQR letter that a mark may follow) and hand over only
 * what lies before it; these tails are bounded, so memory stays flat.
 */
#define OUT_CAP (64 * 1024)
#define OUT_SLACK 16
#define TMP_CAP (16 * 1024)
#define WORD_MAX 96     /* output bytes a TCVN3 word is followed for */
#define PENDING_MAX 512 /* output bytes a doubtful TCVN3 word waits for the next */
#define NFC_HOLD_MAX (64 * 1024) /* past this, text without a safe cut is cut anyway */
#define NONE ((size_t)-1)

struct tthc_vnconv {
	enum tthc_enc enc;
	unsigned flags;
	tthc_vnconv_write_fn write;
	void *arg;
	int err;
	uint64_t in_off; /* input bytes before the chunk being fed */
	uint64_t err_off;
	char errmsg[128];

	char *out;
	size_t olen;

	/* TCVN3 case restoration */
	int in_word, n_up, n_lo, n_cl;
	size_t wstart;
	int pending, prev_strong;
	size_t pstart, pend;

	/* VNI and VIQR: where the last letter a mark may change starts, or NONE */
	size_t last;
	int esc; /* VIQR: a backslash is waiting for the next byte */

	/* UTF-8: the start of a sequence split by the chunk boundary */
	unsigned char carry[4];
	int ncarry;

	/* UTF-16 */
	int bom_seen, big_endian, have_byte;
	unsigned char byte;
	uint32_t high; /* a high surrogate waiting for its pair, or 0 */

	iconv_t cd;
	char *tmp;

	/* NFC: text from the last safe cut on, which a following mark may still change */
	char *hold;
	size_t nhold, caphold;
};

/* ---- names ---- */

static const struct {
	const char *name;
	enum tthc_enc enc;
} enc_names[] = {
	{ "auto", TTHC_ENC_AUTO },
	{ "utf-8", TTHC_ENC_UTF8 },
	{ "utf-16", TTHC_ENC_UTF16 },
	{ "tcvn3", TTHC_ENC_TCVN3 },
	{ "vni", TTHC_ENC_VNI },
	{ "viscii", TTHC_ENC_VISCII },
	{ "vps", TTHC_ENC_VPS },
	{ "cp1258", TTHC_ENC_CP1258 },
	{ "viqr", TTHC_ENC_VIQR },
	{ "tcvn5712", TTHC_ENC_TCVN5712 },
	/* aliases after the canonical names, which tthc_enc_name() finds first */
	{ "utf8", TTHC_ENC_UTF8 },
	{ "utf16", TTHC_ENC_UTF16 },
	{ "abc", TTHC_ENC_TCVN3 },
	{ "vni-windows", TTHC_ENC_VNI },
	{ "windows-1258", TTHC_ENC_CP1258 },
	{ "tcvn5712-1", TTHC_ENC_TCVN5712 },
};

TTHC_EXPORT int tthc_enc_from_name(const char *name)
{
	if (!name)
		return -TTHC_E_UNKNOWN;
	for (size_t i = 0; i < sizeof(enc_names) / sizeof(enc_names[0]); i++)
		if (strcasecmp(name, enc_names[i].name) == 0)
			return (int)enc_names[i].enc;
	return -TTHC_E_UNKNOWN;
}

TTHC_EXPORT const char *tthc_enc_name(enum tthc_enc enc)
{
	for (size_t i = 0; i < sizeof(enc_names) / sizeof(enc_names[0]); i++)
		if (enc_names[i].enc == enc)
			return enc_names[i].name;
	return NULL;
}

/* The charset glibc's iconv knows an encoding by, or NULL for our own tables. */
static const char *iconv_name(enum tthc_enc enc)
{
	switch (enc) {
	case TTHC_ENC_VISCII:
		return "VISCII";
	case TTHC_ENC_CP1258:
		return "CP1258";
	case TTHC_ENC_TCVN5712:
		return "TCVN5712-1";
	default:
		return NULL;
	}
}

/* ---- output ---- */

static int fail(struct tthc_vnconv *c, int err, uint64_t off, const char *what)
{
	c->err = err;
	c->err_off = off;
	snprintf(c->errmsg, sizeof(c->errmsg), "%s at byte %llu", what,
	         (unsigned long long)off);
	return err;
}

/* Where the output that a later byte may still change starts. */
static size_t hold_from(const struct tthc_vnconv *c)
{
	size_t h = c->olen;

	if (c->in_word && c->wstart < h)
		h = c->wstart;
	if (c->pending && c->pstart < h)
		h = c->pstart;
	if (c->last != NONE && c->last < h)
		h = c->last;
	return h;
}

/* Hands the settled output to the caller and moves the rest to the front. */
static int flush(struct tthc_vnconv *c, int all)
{
	size_t keep = all ? c->olen : hold_from(c);
	int r;

	if (keep == 0)
		return 0;
	r = c->write(c->arg, c->out, keep);
	if (r)
		return c->err = r < 0 ? r : -EIO;
	memmove(c->out, c->out + keep, c->olen - keep);
	c->olen -= keep;
	if (c->in_word)
		c->wstart -= keep;
	if (c->pending) {
		c->pstart -= keep;
		c->pend -= keep;
	}
	if (c->last != NONE)
		c->last -= keep;
	return 0;
}

static int emit(struct tthc_vnconv *c, const char *s, size_t n)
{
	int r;

	if (c->olen + n > OUT_CAP && (r = flush(c, 0)))
		return r;
	if (n > OUT_CAP - c->olen) {
		/* Only the NFC path writes this much at once; it holds nothing back. */
		r = c->write(c->arg, s, n);
		return r ? (c->err = r < 0 ? r : -EIO) : 0;
	}
	memcpy(c->out + c->olen, s, n);
	c->olen += n;
	return 0;
}

static int emit_cp(struct tthc_vnconv *c, uint32_t cp)
{
	char b[4];

	return emit(c, b, (size_t)vn_put_utf8(b, cp));
}

/* The start of the last code point in out[from, olen). */
static size_t last_cp_start(const struct tthc_vnconv *c, size_t from)
{
	size_t i = c->olen;

	while (i > from && ((unsigned char)c->out[i - 1] & 0xc0) == 0x80)
		i--;
	return i > from ? i - 1 : from;
}

/* Replaces the code point at out[at] (the last one) by cp. */
static void replace_last(struct tthc_vnconv *c, size_t at, uint32_t cp)
{
	c->olen = at + (size_t)vn_put_utf8(c->out + at, cp);
}

/* Composes a and b as NFC would, or returns 0 when they stay two. */
static uint32_t compose_pair(uint32_t a, uint32_t b)
{
	utf8proc_int32_t buf[2] = { (utf8proc_int32_t)a, (utf8proc_int32_t)b };

	if (utf8proc_normalize_utf32(buf, 2, UTF8PROC_COMPOSE | UTF8PROC_STABLE) != 1)
		return 0;
	return (uint32_t)buf[0];
}

/*
 * Puts a mark after the letter at out[at] (NONE: there is none): as the precomposed
 * letter when Vietnamese or Unicode has one, else as combining characters.
 */
static int add_mark(struct tthc_vnconv *c, size_t at, int mod, int tone)
{
	uint32_t cp = 0, n = 0;

	if (at != NONE && vn_get_utf8(c->out + at, c->olen - at, &cp)) {
		n = vn_apply(cp, mod, tone);
		if (!n && !mod)
			n = compose_pair(cp, vn_tone_mark(tone));
	}
	if (n) {
		replace_last(c, at, n);
		return 0;
	}
	c->last = NONE;
	if (mod && emit_cp(c, vn_mod_mark(mod)))
		return c->err;
	return tone ? emit_cp(c, vn_tone_mark(tone)) : 0;
}

/*
 * How many input bytes fit before the output buffer needs handing over, when each may
 * write up to per bytes: 0 only when the write callback failed.
 */
static size_t room(struct tthc_vnconv *c, size_t len, size_t per)
{
	size_t n = (OUT_CAP - c->olen) / per;

	if (n == 0 && !flush(c, 0))
		n = (OUT_CAP - c->olen) / per;
	return n < len ? n : len;
}

/* ---- TCVN3: a byte table, and case restored word by word ---- */

enum {
	CL_LETTER = 1,
	CL_UPPER = 2,
	CL_LOWER = 4,
	CL_CASELESS = 8, /* a toned letter: the byte stands for both cases */
	CL_MARK = 16,
	CL_NEWLINE = 32,
};

/* UTF-8 bytes in the low 24 bits, length in bits 24-25, class from bit 26. */
static uint32_t tcvn3_tab[256], vps_tab[256], vni_tab[256];
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;

static uint32_t pack(uint32_t cp, unsigned cls)
{
	char b[4];
	int n = vn_put_utf8(b, cp);
	uint32_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint32_t)(unsigned char)b[i] << (8 * i);
	return v | (uint32_t)n << 24 | (uint32_t)cls << 26;
}

static unsigned letter_class(uint32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);

	if (p->category == UTF8PROC_CATEGORY_LU)
		return CL_LETTER | CL_UPPER;
	if (p->category == UTF8PROC_CATEGORY_LL)
		return CL_LETTER | CL_LOWER;
	if (p->category >= UTF8PROC_CATEGORY_LT && p->category <= UTF8PROC_CATEGORY_LO)
		return CL_LETTER;
	return 0;
}

static void tabs_init(void)
{
	vn_tables_init();
	for (int b = 0; b < 256; b++) {
		uint32_t cp = vn_tcvn3_cp[b];
		unsigned cls = letter_class(cp);
		struct vn_letter l;

		if (b >= 0xb0 && b <= 0xb4)
			cls = CL_LETTER | CL_MARK;
		else if (b >= 0xb5 && vn_letter_info(cp, &l) && !l.upper && l.tone)
			cls = CL_LETTER | CL_CASELESS;
		else if (b == '\n')
			cls = CL_NEWLINE;
		tcvn3_tab[b] = pack(cp, cls);
		vps_tab[b] = pack(vn_vps_cp[b], 0);
		vni_tab[b] = pack(vn_vni_cp[b], letter_class(vn_vni_cp[b]));
	}
}

static void upcase(struct tthc_vnconv *c, size_t from, size_t to, int first_only)
{
	while (from < to) {
		uint32_t cp, up;
		int n = vn_get_utf8(c->out + from, to - from, &cp);

		if (!n)
			return;
		up = vn_toupper(cp);
		if (up != cp) {
			char b[4];

			/* Vietnamese letters keep their UTF-8 length across case. */
			if (vn_put_utf8(b, up) == n)
				memcpy(c->out + from, b, (size_t)n);
		}
		if (first_only)
			return;
		from += (size_t)n;
	}
}

/*
 * A word whose other letters are all capitals, two at least, is in capitals ("NGUYỄN").
 * With a single other letter, a capital ("Hà" or "HÀ"), it is only when a word next to
 * it on the line is certain by itself and has a toned letter too: "HÀ NỘI", "CỘNG HÒA
 * XÃ HỘI", but "UBND Hà Nội", "TP Hồ Chí Minh", where the capitals are an abbreviation's.
 */
static void word_end(struct tthc_vnconv *c)
{
	int caps = c->n_lo == 0 && c->n_up >= 2;
	int strong = caps && c->n_cl > 0;
	int doubt = c->n_lo == 0 && c->n_up == 1 && c->n_cl > 0;

	c->in_word = 0;
	if (c->pending) {
		if (strong)
			upcase(c, c->pstart, c->pend, 0);
		c->pending = 0;
	}
	if (strong || (doubt && c->prev_strong)) {
		upcase(c, c->wstart, c->olen, 0);
	} else if (doubt) {
		/* "TÔ" is "TỔ" before "QUỐC", "Tổ" before "quốc": ask the next word. */
		c->pending = 1;
		c->pstart = c->wstart;
		c->pend = c->olen;
	}
	if (c->flags & TTHC_VNCONV_NAME)
		upcase(c, c->wstart, c->olen, 1);
	c->prev_strong = strong;
}

static void word_start(struct tthc_vnconv *c)
{
	c->in_word = 1;
	c->wstart = c->olen;
	c->n_up = c->n_lo = c->n_cl = 0;
}

static void put_packed(struct tthc_vnconv *c, uint32_t e)
{
	char *o = c->out + c->olen;

	o[0] = (char)(e & 0xff);
	o[1] = (char)((e >> 8) & 0xff);
	o[2] = (char)((e >> 16) & 0xff);
	c->olen += (e >> 24) & 3;
}

/* A combining mark byte (0xB0-0xB4) joins the letter before it in the word. */
static int tcvn3_mark(struct tthc_vnconv *c, unsigned char b)
{
	static const int tones[5] = { VN_GRAVE, VN_HOOK, VN_TILDE, VN_ACUTE, VN_DOT };
	size_t at = c->olen > c->wstart ? last_cp_start(c, c->wstart) : NONE;

	return add_mark(c, at, VN_MOD_NONE, tones[b - 0xb0]);
}

static int dec_tcvn3(struct tthc_vnconv *c, const unsigned char *in, size_t len)
{
	while (len) {
		size_t n = room(c, len, 3);

		if (n == 0)
			return c->err ? c->err : (c->err = -ENOBUFS);
		for (size_t i = 0; i < n; i++) {
			uint32_t e = tcvn3_tab[in[i]];
			unsigned cls = e >> 26;

			if (!(cls & CL_LETTER)) {
				if (c->in_word)
					word_end(c);
				if (c->pending && ((cls & CL_NEWLINE) ||
				                   c->olen - c->pstart > PENDING_MAX))
					c->pending = 0;
				if (cls & CL_NEWLINE)
					c->prev_strong = 0;
				put_packed(c, e);
				continue;
			}
			if (!c->in_word)
				word_start(c);
			else if (c->olen - c->wstart > WORD_MAX) {
				word_end(c);
				word_start(c);
			}
			if (cls & CL_MARK) {
				if (tcvn3_mark(c, in[i]))
					return c->err;
				continue;
			}
			c->n_up += !!(cls & CL_UPPER);
			c->n_lo += !!(cls & CL_LOWER);
			c->n_cl += !!(cls & CL_CASELESS);
			put_packed(c, e);
		}
		in += n;
		len -= n;
	}
	return 0;
}

/* ---- VPS: a plain byte table ---- */

static int dec_vps(struct tthc_vnconv *c, const unsigned char *in, size_t len)
{
	while (len) {
		size_t n = room(c, len, 3);

		if (n == 0)
			return c->err ? c->err : (c->err = -ENOBUFS);
		for (size_t i = 0; i < n; i++)
			put_packed(c, vps_tab[in[i]]);
		in += n;
		len -= n;
	}
	return 0;
}

/* ---- VNI-Windows: a letter, then maybe a mark byte that changes it ---- */

static int dec_vni(struct tthc_vnconv *c, const unsigned char *in, size_t len)
{
	while (len) {
		size_t n = room(c, len, 8);

		if (n == 0)
			return c->err ? c->err : (c->err = -ENOBUFS);
		for (size_t i = 0; i < n; i++) {
			uint8_t m = vn_vni_mark[in[i]];
			uint32_t e;

			if (m) {
				if (add_mark(c, c->last, (m >> 4) & 3, m & 7))
					return c->err;
				continue;
			}
			e = vni_tab[in[i]];
			c->last = (e >> 26) & CL_LETTER ? c->olen : NONE;
			put_packed(c, e);
		}
		in += n;
		len -= n;
	}
	return 0;
}

/* ---- VIQR: ASCII letters followed by ASCII marks ---- */

static int viqr_mark(int ch, int *mod, int *tone)
{
	*mod = VN_MOD_NONE;
	*tone = VN_LEVEL;
	switch (ch) {
	case '(':
		*mod = VN_MOD_BREVE;
		return 1;
	case '^':
		*mod = VN_MOD_CIRC;
		return 1;
	case '+':
		*mod = VN_MOD_HORN;
		return 1;
	case '\'':
		*tone = VN_ACUTE;
		return 1;
	case '`':
		*tone = VN_GRAVE;
		return 1;
	case '?':
		*tone = VN_HOOK;
		return 1;
	case '~':
		*tone = VN_TILDE;
		return 1;
	case '.':
		*tone = VN_DOT;
		return 1;
	default:
		return 0;
	}
}

/* The letters a VIQR mark or a second d may follow. */
static int viqr_base(int ch)
{
	switch (ch | 0x20) {
	case 'a':
	case 'e':
	case 'i':
	case 'o':
	case 'u':
	case 'y':
	case 'd':
		return 1;
	default:
		return 0;
	}
}

static int viqr_special(int ch)
{
	int mod, tone;

	return viqr_mark(ch, &mod, &tone) || ch == 'd' || ch == 'D' || ch == '\\';
}

static void viqr_byte(struct tthc_vnconv *c, int ch)
{
	int mod, tone;
	uint32_t cp;

	if (c->last != NONE && vn_get_utf8(c->out + c->last, c->olen - c->last, &cp)) {
		uint32_t n = 0;

		if ((ch == 'd' || ch == 'D') && (cp == 'd' || cp == 'D')) {
			/* "dd" is đ; a third d starts afresh. */
			replace_last(c, c->last, cp == 'd' ? 0x111 : 0x110);
			c->last = NONE;
			return;
		}
		if (viqr_mark(ch, &mod, &tone) && (n = vn_apply(cp, mod, tone))) {
			replace_last(c, c->last, n);
			return;
		}
	}
	c->last = viqr_base(ch) ? c->olen : NONE;
	c->out[c->olen++] = (char)ch;
}

static int dec_viqr(struct tthc_vnconv *c, const unsigned char *in, size_t len)
{
	while (len) {
		size_t n = room(c, len, 8);

		if (n == 0)
			return c->err ? c->err : (c->err = -ENOBUFS);
		for (size_t i = 0; i < n; i++) {
			int ch = in[i];

			if (c->esc) {
				c->esc = 0;
				c->last = NONE;
				if (viqr_special(ch)) {
					c->out[c->olen++] = (char)ch;
					continue;
				}
				c->out[c->olen++] = '\\';
			}
			if (ch == '\\')
				c->esc = 1;
			else if (ch >= 0x80)
				/* VIQR is ASCII; a stray byte is kept as the Latin-1
				 * letter. */
				c->olen +=
				    (size_t)vn_put_utf8(c->out + c->olen, (uint32_t)ch);
			else
				viqr_byte(c, ch);
		}
		in += n;
		len -= n;
	}
	return 0;
}

/* ---- NFC for text that arrives as Unicode (UTF-8, UTF-16, iconv) ---- */

/*
 * A code point that nothing before it composes with or reorders around: the text may be
 * cut before it and each piece normalised alone.
 */
static int nfc_cut(uint32_t cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x300)
		return 1;
	p = utf8proc_get_property((utf8proc_int32_t)cp);
	return p->combining_class == 0 && p->category != UTF8PROC_CATEGORY_MN &&
	       p->category != UTF8PROC_CATEGORY_MC &&
	       p->category != UTF8PROC_CATEGORY_ME && !(cp >= 0x1161 && cp <= 0x11c2);
}

/* Code points that are NFC as they stand and join nothing: most scripts' letters. */
static int nfc_safe(uint32_t cp)
{
	return cp < 0x300 || (cp >= 0x1e00 && cp < 0x1f00) ||
	       (cp >= 0x2002 && cp < 0x2070) || (cp >= 0x20a0 && cp < 0x20d0) ||
	       (cp >= 0x4e00 && cp < 0xa000) || (cp >= 0xac00 && cp < 0xd7a4);
}

static int nfc_quick(const char *s, size_t n)
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
		if (!k || !nfc_safe(cp))
			return 0;
		i += (size_t)k;
	}
	return 1;
}

static int nfc_emit(struct tthc_vnconv *c, const char *s, size_t n)
{
	utf8proc_uint8_t *d = NULL;
	utf8proc_ssize_t r;
	int ret;

	if (n == 0)
		return 0;
	if (nfc_quick(s, n))
		return emit(c, s, n);
	r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &d,
	                 UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (r < 0)
		return c->err = r == UTF8PROC_ERROR_NOMEM ? -ENOMEM : -TTHC_E_INTERNAL;
	ret = emit(c, (const char *)d, (size_t)r);
	free(d);
	return ret;
}

static int hold_add(struct tthc_vnconv *c, const char *s, size_t n)
{
	if (n == 0)
		return 0; /* s may be NULL then, and memcpy must not see it */
	if (c->nhold + n > c->caphold) {
		size_t cap = c->caphold ? c->caphold : 256;
		char *p;

		while (cap < c->nhold + n)
			cap *= 2;
		if (!(p = realloc(c->hold, cap)))
			return c->err = -ENOMEM;
		c->hold = p;
		c->caphold = cap;
	}
	memcpy(c->hold + c->nhold, s, n);
	c->nhold += n;
	return 0;
}

static int hold_emit(struct tthc_vnconv *c)
{
	int r = nfc_emit(c, c->hold, c->nhold);

	c->nhold = 0;
	return r;
}

/* Takes n bytes of valid UTF-8 made of whole code points. */
static int nfc_push(struct tthc_vnconv *c, const char *s, size_t n)
{
	size_t first = NONE, lastcut = NONE, i;

	for (i = 0; i < n;) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, n - i, &cp);

		if (nfc_cut(cp)) {
			first = i;
			break;
		}
		i += (size_t)(k ? k : 1);
	}
	if (first == NONE) {
		if (hold_add(c, s, n))
			return c->err;
		return c->nhold > NFC_HOLD_MAX ? hold_emit(c) : 0;
	}
	for (i = n; i > first;) {
		uint32_t cp;

		do
			i--;
		while (i > first && ((unsigned char)s[i] & 0xc0) == 0x80);
		if (vn_get_utf8(s + i, n - i, &cp) && nfc_cut(cp)) {
			lastcut = i;
			break;
		}
	}
	if (lastcut == NONE)
		lastcut = first;
	/* What was held joins the text before the first cut. */
	if (hold_add(c, s, first) || hold_emit(c) ||
	    nfc_emit(c, s + first, lastcut - first))
		return c->err;
	return hold_add(c, s + lastcut, n - lastcut);
}

/* ---- UTF-8 ---- */

/* Whether s[0..n) can begin a valid sequence that the next bytes complete. */
static int utf8_prefix_ok(const unsigned char *s, size_t n)
{
	unsigned char b = s[0];
	size_t need = b >= 0xc2 && b < 0xe0   ? 2
	              : b >= 0xe0 && b < 0xf0 ? 3
	              : b >= 0xf0 && b < 0xf5 ? 4
	                                      : 0;

	if (!need || n >= need)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n >= 2 && ((b == 0xe0 && s[1] < 0xa0) || (b == 0xed && s[1] > 0x9f) ||
	               (b == 0xf0 && s[1] < 0x90) || (b == 0xf4 && s[1] > 0x8f)))
		return 0;
	return 1;
}

/*
 * Returns the length of the longest prefix of whole valid sequences; *bad is set when
 * what follows is invalid rather than cut short.
 */
static size_t utf8_valid(const unsigned char *s, size_t n, int *bad)
{
	size_t i = 0;

	*bad = 0;
	while (i < n) {
		uint32_t cp;
		int k;

		while (i + 8 <= n) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = vn_get_utf8((const char *)s + i, n - i, &cp);
		if (!k) {
			*bad = !utf8_prefix_ok(s + i, n - i);
			return i;
		}
		i += (size_t)k;
	}
	return i;
}

static int dec_utf8(struct tthc_vnconv *c, const unsigned char *in, size_t len)
{
	size_t i = 0, ok;
	int bad;

	while (c->ncarry && i < len) {
		uint32_t cp;

		c->carry[c->ncarry++] = in[i++];
		if (vn_get_utf8((const char *)c->carry, (size_t)c->ncarry, &cp)) {
			if (nfc_push(c, (const char *)c->carry, (size_t)c->ncarry))
				return c->err;
			c->ncarry = 0;
		} else if (!utf8_prefix_ok(c->carry, (size_t)c->ncarry)) {
			return fail(c, -EILSEQ, c->in_off + i - (size_t)c->ncarry,
			            "invalid UTF-8");
		}
	}
	if (c->ncarry)
		return 0; /* the chunk went into a sequence that is still not complete */
	ok = utf8_valid(in + i, len - i, &bad);
	if (bad)
		return fail(c, -EILSEQ, c->in_off + i + ok, "invalid UTF-8");
	if (nfc_push(c, (const char *)in + i, ok))
		return c->err;
	memcpy(c->carry, in + i + ok, len - i - ok);
	c->ncarry = (int)(len - i - ok);
	return 0;
}

/* ---- UTF-16 ---- */

static int tmp_flush(struct tthc_vnconv *c, size_t *n)
{
	int r = nfc_push(c, c->tmp, *n);

	*n = 0;
	return r;
}

static int dec_utf16(struct tthc_vnconv *c, const unsigned char *in, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint32_t u;

		if (!c->have_byte) {
			c->have_byte = 1;
			c->byte = in[i];
			continue;
		}
		c->have_byte = 0;
		u = c->big_endian ? (uint32_t)c->byte << 8 | in[i]
		                  : (uint32_t)in[i] << 8 | c->byte;
		if (!c->bom_seen) {
			c->bom_seen = 1;
			if (u == 0xfeff)
				continue;
			if (u == 0xfffe) {
				c->big_endian = 1;
				continue;
			}
		}
		if (c->high) {
			if (u < 0xdc00 || u > 0xdfff)
				return fail(c, -EILSEQ, c->in_off + i - 3,
				            "unpaired UTF-16 surrogate");
			u = 0x10000 + ((c->high - 0xd800) << 10) + (u - 0xdc00);
			c->high = 0;
		} else if (u >= 0xd800 && u <= 0xdbff) {
			c->high = u;
			continue;
		} else if (u >= 0xdc00 && u <= 0xdfff) {
			return fail(c, -EILSEQ, c->in_off + i - 1,
			            "unpaired UTF-16 surrogate");
		}
		n += (size_t)vn_put_utf8(c->tmp + n, u);
		if (n > TMP_CAP - 4 && tmp_flush(c, &n))
			return c->err;
	}
	return n ? tmp_flush(c, &n) : 0;
}

/* ---- iconv ---- */

static int dec_iconv(struct tthc_vnconv *c, const unsigned char *in, size_t len, int end)
{
	char *ip = (char *)in;
	size_t il = len;

	for (;;) {
		char *op = c->tmp;
		size_t ol = TMP_CAP;
		size_t r = end ? iconv(c->cd, NULL, NULL, &op, &ol)
		               : iconv(c->cd, &ip, &il, &op, &ol);
		int e = errno;

		if (op > c->tmp && nfc_push(c, c->tmp, (size_t)(op - c->tmp)))
			return c->err;
		if (r != (size_t)-1)
			return 0;
		if (e == E2BIG)
			continue;
		/* Single-byte charsets: EINVAL (a cut sequence) cannot happen; both are
		 * errors. */
		return fail(c, -EILSEQ, c->in_off + (uint64_t)(ip - (char *)in),
		            e == EILSEQ ? "byte not defined in the encoding"
		                        : "conversion failed");
	}
}

/* ---- the converter ---- */

static void reset(struct tthc_vnconv *c)
{
	c->in_off = 0;
	c->olen = 0;
	c->in_word = c->pending = c->prev_strong = 0;
	c->last = NONE;
	c->esc = 0;
	c->ncarry = 0;
	c->bom_seen = c->big_endian = c->have_byte = 0;
	c->high = 0;
	c->nhold = 0;
	if (c->cd != (iconv_t)-1)
		iconv(c->cd, NULL, NULL, NULL, NULL);
}

TTHC_EXPORT int tthc_vnenc_open(enum tthc_enc from, struct tthc_vnconv **out)
{
	struct tthc_vnconv *c;
	const char *ic = iconv_name(from);

	if (from <= TTHC_ENC_AUTO || from > TTHC_ENC_TCVN5712)
		return -EINVAL;
	pthread_once(&tab_once, tabs_init);
	if (!(c = calloc(1, sizeof(*c))))
		return -ENOMEM;
	c->enc = from;
	c->cd = (iconv_t)-1;
	c->out = malloc(OUT_CAP + OUT_SLACK);
	c->tmp = malloc(TMP_CAP);
	if (!c->out || !c->tmp) {
		tthc_vnconv_free(c);
		return -ENOMEM;
	}
	if (ic && (c->cd = iconv_open("UTF-8", ic)) == (iconv_t)-1) {
		tthc_vnconv_free(c);
		return -TTHC_E_INTERNAL;
	}
	reset(c);
	*out = c;
	return 0;
}

TTHC_EXPORT int tthc_vnconv_set_flags(struct tthc_vnconv *conv, unsigned flags)
{
	if (flags & ~TTHC_VNCONV_NAME)
		return -EINVAL;
	conv->flags = flags;
	return 0;
}

TTHC_EXPORT void tthc_vnconv_free(struct tthc_vnconv *conv)
{
	if (!conv)
		return;
	if (conv->cd != (iconv_t)-1)
		iconv_close(conv->cd);
	free(conv->out);
	free(conv->tmp);
	free(conv->hold);
	free(conv);
}

TTHC_EXPORT const char *tthc_vnconv_error(const struct tthc_vnconv *conv)
{
	return conv ? conv->errmsg : "";
}

TTHC_EXPORT uint64_t tthc_vnconv_error_offset(const struct tthc_vnconv *conv)
{
	return conv ? conv->err_off : 0;
}

TTHC_EXPORT int tthc_vnconv_feed(struct tthc_vnconv *conv, const char *in, size_t len,
                                 tthc_vnconv_write_fn write, void *arg)
{
	const unsigned char *u = (const unsigned char *)in;
	int r;

	if (conv->err)
		return conv->err;
	conv->write = write;
	conv->arg = arg;
	switch (conv->enc) {
	case TTHC_ENC_UTF8:
		r = dec_utf8(conv, u, len);
		break;
	case TTHC_ENC_UTF16:
		r = dec_utf16(conv, u, len);
		break;
	case TTHC_ENC_TCVN3:
		r = dec_tcvn3(conv, u, len);
		break;
	case TTHC_ENC_VNI:
		r = dec_vni(conv, u, len);
		break;
	case TTHC_ENC_VPS:
		r = dec_vps(conv, u, len);
		break;
	case TTHC_ENC_VIQR:
		r = dec_viqr(conv, u, len);
		break;
	default:
		r = dec_iconv(conv, u, len, 0);
		break;
	}
	conv->in_off += len;
	return r ? r : conv->err;
}

static int finish_input(struct tthc_vnconv *c)
{
	switch (c->enc) {
	case TTHC_ENC_TCVN3:
		if (c->in_word)
			word_end(c);
		c->pending = 0;
		return 0;
	case TTHC_ENC_VIQR:
		c->last = NONE;
		if (c->esc) {
			c->esc = 0;
			return emit(c, "\\", 1);
		}
		return 0;
	case TTHC_ENC_UTF8:
		if (c->ncarry)
			return fail(c, -EILSEQ, c->in_off - (uint64_t)c->ncarry,
			            "truncated UTF-8");
		return hold_emit(c);
	case TTHC_ENC_UTF16:
		if (c->have_byte || c->high)
			return fail(c, -EILSEQ,
			            c->in_off - (c->have_byte ? 1 : 2) -
			                (c->high ? 2 : 0),
			            "truncated UTF-16");
		return hold_emit(c);
	case TTHC_ENC_VISCII:
	case TTHC_ENC_CP1258:
	case TTHC_ENC_TCVN5712:
		if (dec_iconv(c, NULL, 0, 1))
			return c->err;
		return hold_emit(c);
	default:
		c->last = NONE;
		return 0;
	}
}

TTHC_EXPORT int tthc_vnconv_finish(struct tthc_vnconv *conv, tthc_vnconv_write_fn write,
                                   void *arg)
{
	int r = conv->err;

	conv->write = write;
	conv->arg = arg;
	if (!r && !(r = finish_input(conv)))
		r = flush(conv, 1);
	/* Ready for the next input whatever happened to this one. */
	reset(conv);
	conv->err = 0;
	return r;
}

/* ---- whole buffers ---- */

static int grow_write(void *arg, const char *buf, size_t len)
{
	return tthc_buf_add(arg, buf, len);
}

TTHC_EXPORT int tthc_vnenc_decode(enum tthc_enc from, const char *in, size_t len,
                                  char **out, size_t *outlen)
{
	struct tthc_vnconv *c;
	struct tthc_buf g = { NULL, 0, 0 };
	int r = tthc_vnenc_open(from, &c);

	if (r)
		return r;
	r = tthc_vnconv_feed(c, in, len, grow_write, &g);
	if (!r)
		r = tthc_vnconv_finish(c, grow_write, &g);
	if (!r && !g.p)
		r = grow_write(&g, "", 0);
	if (r) {
		if (r == -EILSEQ)
			*outlen = (size_t)c->err_off;
		free(g.p);
		*out = NULL;
	} else {
		g.p[g.n] = '\0';
		*out = g.p;
		*outlen = g.n;
	}
	tthc_vnconv_free(c);
	return r;
}
