/* SPDX-License-Identifier: MIT */
/* Guessing the encoding of Vietnamese text by how many of its words are syllables. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"
#include "vnenc_int.h"

#define SAMPLE (64 * 1024)
/* How much better a legacy reading of valid UTF-8 must be to win over UTF-8. */
#define UTF8_MARGIN 0.25
/* Words with VIQR marks a text needs before VIQR is considered at all. */
#define VIQR_EVIDENCE 2

static const enum tthc_enc legacy[] = {
	TTHC_ENC_TCVN3, TTHC_ENC_VNI,    TTHC_ENC_VISCII,
	TTHC_ENC_VPS,   TTHC_ENC_CP1258, TTHC_ENC_TCVN5712,
};
#define NLEGACY (sizeof(legacy) / sizeof(legacy[0]))

/* Letters and the marks that sit on them make words; nothing else does. */
static int word_char(uint32_t cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	p = utf8proc_get_property((utf8proc_int32_t)cp);
	return (p->category >= UTF8PROC_CATEGORY_LU &&
	        p->category <= UTF8PROC_CATEGORY_ME);
}

/* What a wrong decoding leaves behind: symbols, controls, replacement characters. */
static int junk_char(uint32_t cp)
{
	if (cp < 0x80)
		return cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f';
	if (cp == 0xa0 || (cp >= 0x2010 && cp <= 0x2026) || cp == 0x20ac)
		return 0;
	return 1;
}

static void score_word(struct vn_score *sc, const char *w, size_t n, int nonascii)
{
	sc->words++;
	sc->nonascii += (size_t)nonascii;
	if (tthc_vnsyllable_valid(w, n)) {
		sc->valid++;
		sc->marked += (size_t)nonascii;
	}
}

void vn_score_text(const char *s, size_t n, struct vn_score *sc)
{
	size_t i = 0, start = 0;
	int in_word = 0, nonascii = 0;

	memset(sc, 0, sizeof(*sc));
	while (i < n) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, n - i, &cp);

		if (!k) {
			k = 1;
			cp = 0xfffd;
		}
		/*
		 * A lossy conversion leaves "?" for the letters it could not write:
		 * "Đ?nh" is one broken word in every reading, not "Đ" and "nh".
		 */
		if (cp == '?' && in_word && i + 1 < n &&
		    word_char((unsigned char)s[i + 1]))
			cp = 'x';
		if (word_char(cp)) {
			if (!in_word) {
				in_word = 1;
				start = i;
				nonascii = 0;
			}
			nonascii |= cp >= 0x80;
		} else {
			if (in_word)
				score_word(sc, s + start, i - start, nonascii);
			in_word = 0;
			sc->junk += (size_t)junk_char(cp);
		}
		i += (size_t)k;
	}
	if (in_word)
		score_word(sc, s + start, n - start, nonascii);
	/*
	 * Valid words with Vietnamese letters count twice: plain ASCII words read the
	 * same in every candidate and decide nothing.  Invalid words and junk count
	 * against.
	 */
	if (sc->words + sc->junk)
		sc->value = ((double)sc->valid + (double)sc->marked -
		             (double)(sc->words - sc->valid) - 2.0 * (double)sc->junk) /
		            (double)(sc->words + sc->junk);
}

/*
 * Words of plain ASCII read the same in every encoding and say nothing about it: when
 * there are others, only they count.
 */
double vn_score_share(const struct vn_score *sc)
{
	if (sc->nonascii + sc->junk)
		return (double)sc->marked / (double)(sc->nonascii + sc->junk);
	return sc->words ? (double)sc->valid / (double)sc->words : 0;
}

/* Decodes s from enc and scores the result; -EILSEQ when enc cannot read s. */
static int score_as(enum tthc_enc enc, const char *s, size_t n, struct vn_score *sc,
                    char **text, size_t *tlen)
{
	char *t;
	size_t len;
	int r = tthc_vnenc_decode(enc, s, n, &t, &len);

	if (r)
		return r;
	vn_score_text(t, len, sc);
	if (text) {
		*text = t;
		*tlen = len;
	} else {
		free(t);
	}
	return 0;
}

int vn_reads_better(const char *s, size_t n, enum tthc_enc a, enum tthc_enc b)
{
	struct vn_score sa, sb;
	int r;

	if ((r = score_as(a, s, n, &sa, NULL, NULL)) == -ENOMEM)
		return r;
	if (r)
		return 0;
	if ((r = score_as(b, s, n, &sb, NULL, NULL)) == -ENOMEM)
		return r;
	return r || sa.value > sb.value;
}

/* The sample ends at a line end when one is near, so no letter is cut from its mark. */
static size_t sample_len(const char *buf, size_t len)
{
	size_t n = len;

	if (n <= SAMPLE)
		return n;
	n = SAMPLE;
	for (size_t i = n; i > SAMPLE / 2; i--)
		if (buf[i - 1] == '\n')
			return i;
	return n;
}

static int all_ascii(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * Valid UTF-8 up to the end, or up to a sequence the sample's end cut: *valid is then
 * where that sequence starts.
 */
static int utf8_ok(const char *s, size_t n, int cut, size_t *multibyte, size_t *valid)
{
	size_t i = 0;

	*multibyte = 0;
	while (i < n) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, n - i, &cp);

		if (!k) {
			size_t j = i + 1;

			/* a lead byte and continuation bytes only: the sample's end cut
			 * it */
			while (j < n && ((unsigned char)s[j] & 0xc0) == 0x80)
				j++;
			*valid = i;
			return cut && j == n && n - i < 4 && (unsigned char)s[i] >= 0xc2;
		}
		*multibyte += k > 1;
		i += (size_t)k;
	}
	*valid = n;
	return 1;
}

static int nul_heavy(const char *s, size_t n)
{
	size_t z = 0;

	for (size_t i = 0; i < n; i++)
		z += s[i] == '\0';
	return n >= 4 && z * 4 >= n;
}

/* Moves *i to the start of the next word of s; returns where that word ends. */
static size_t next_word(const char *s, size_t n, size_t *i)
{
	size_t e;
	uint32_t cp;
	int k;

	while (*i < n) {
		k = vn_get_utf8(s + *i, n - *i, &cp);
		if (k && word_char(cp))
			break;
		*i += k ? (size_t)k : 1;
	}
	for (e = *i; e < n && (k = vn_get_utf8(s + e, n - e, &cp)) && word_char(cp);)
		e += (size_t)k;
	return e;
}

static int same_fold(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	while (i < na && j < nb) {
		uint32_t ca, cb;
		int ka = vn_get_utf8(a + i, na - i, &ca),
		    kb = vn_get_utf8(b + j, nb - j, &cb);

		if (!ka || !kb || vn_tolower(ca) != vn_tolower(cb))
			return 0;
		i += (size_t)ka;
		j += (size_t)kb;
	}
	return i == na && j == nb;
}

/* The share of the words of a that b has at the same place, case aside. */
static double same_words(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0, words = 0, same = 0;

	for (;;) {
		size_t ea = next_word(a, na, &i), eb = next_word(b, nb, &j);

		if (i >= na)
			break;
		words++;
		same += (size_t)same_fold(a + i, ea - i, b + j, eb - j);
		i = ea;
		j = eb;
	}
	return words ? (double)same / (double)words : 1;
}

/*
 * Decodes the sample with each candidate and keeps the best; ties go to the earlier.
 * The confidence is the share of the best reading's words that are syllables, lowered
 * when another reading scores almost as well and reads differently (case aside: TCVN3
 * and TCVN 5712 differ in nothing else in lower-case text).
 */
static int pick(const char *s, size_t n, const enum tthc_enc *cand, size_t ncand,
                enum tthc_enc *out, double *conf, struct vn_score *out_sc)
{
	char *best_text = NULL, *second_text = NULL;
	size_t best_len = 0, second_len = 0;
	double best = -1e9, second = -1e9;
	struct vn_score best_sc = { 0 };
	int found = 0, r = 0;

	for (size_t i = 0; i < ncand; i++) {
		char *text = NULL;
		size_t len = 0;
		struct vn_score sc;

		if ((r = score_as(cand[i], s, n, &sc, &text, &len)) == -ENOMEM)
			goto out;
		r = 0;
		if (!text)
			continue;
		if (!found || sc.value > best) {
			free(second_text);
			second = best;
			second_text = best_text;
			second_len = best_len;
			best = sc.value;
			best_sc = sc;
			*out = cand[i];
			best_text = text;
			best_len = len;
			found = 1;
		} else if (sc.value > second) {
			free(second_text);
			second = sc.value;
			second_text = text;
			second_len = len;
		} else {
			free(text);
		}
	}
	if (!found) {
		r = -EILSEQ;
		goto out;
	}
	*conf = vn_score_share(&best_sc);
	if (out_sc)
		*out_sc = best_sc;
	if (second_text && best - second < 0.1) {
		double differ =
		    1 - same_words(best_text, best_len, second_text, second_len);

		*conf *= 1 - differ * (0.5 - 5.0 * (best - second));
	}
out:
	free(best_text);
	free(second_text);
	return r;
}

/* ---- ASCII: UTF-8 as it is, or VIQR when the text carries VIQR marks ---- */

static int ascii_letter(char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int viqr_mark_char(char c)
{
	return c && strchr("'`?~.^(+", c) != NULL;
}

/*
 * Whether the token w (letters and VIQR marks) is a word written in VIQR: a mark inside
 * it, or a mark at its end that is no sentence punctuation (` ~ ^ ( +; a final ' ? or .
 * ends a sentence or a quotation as often), or a leading dd, and the token reads as one
 * syllable once decoded.  "Ha Noi." has no such word.
 */
static int viqr_word(const char *w, size_t n)
{
	int mark = 0, r;
	char *text;
	size_t len;

	while (n > 1 && (w[n - 1] == '.' || w[n - 1] == '?' || w[n - 1] == '\''))
		n--;
	for (size_t i = 1; i < n; i++)
		mark |= viqr_mark_char(w[i]);
	mark |= n >= 3 && (w[0] | 0x20) == 'd' && (w[1] | 0x20) == 'd';
	if (!mark)
		return 0;
	if ((r = tthc_vnenc_decode(TTHC_ENC_VIQR, w, n, &text, &len)))
		return r == -ENOMEM ? r : 0;
	r = (len != n || memcmp(text, w, n) != 0) && tthc_vnsyllable_valid(text, len);
	free(text);
	return r;
}

/* Counts the words written in VIQR, up to what decides. */
static int viqr_evidence(const char *s, size_t n)
{
	size_t i = 0;
	int count = 0;

	while (i < n && count < VIQR_EVIDENCE) {
		size_t start = i;
		int r;

		if (!ascii_letter(s[i])) {
			i++;
			continue;
		}
		while (i < n && (ascii_letter(s[i]) || viqr_mark_char(s[i])))
			i++;
		if ((r = viqr_word(s + start, i - start)) < 0)
			return r;
		count += r;
	}
	return count;
}

/* ASCII is UTF-8, whose confidence is the share of words that read as Vietnamese. */
static int detect_ascii(const char *s, size_t n, enum tthc_enc *out, double *conf)
{
	struct vn_score sa, sv;
	int r;

	vn_score_text(s, n, &sa);
	*out = TTHC_ENC_UTF8;
	*conf = vn_score_share(&sa);
	if ((r = viqr_evidence(s, n)) < 0)
		return r;
	if (r < VIQR_EVIDENCE)
		return 0;
	if ((r = score_as(TTHC_ENC_VIQR, s, n, &sv, NULL, NULL)) == -ENOMEM)
		return r;
	if (r == 0 && sv.value > sa.value && vn_score_share(&sv) >= VN_CONFIDENT) {
		*out = TTHC_ENC_VIQR;
		*conf = vn_score_share(&sv);
	}
	return 0;
}

/*
 * Valid UTF-8 is UTF-8 unless a legacy reading is clearly better: a VISCII "Đặng" is
 * also the valid UTF-8 "Уng".  The confidence is 0.99 for three multi-byte characters
 * or more, else the share of Vietnamese words.
 */
static int detect_utf8(const char *s, size_t n, size_t multibyte, enum tthc_enc *out,
                       double *conf)
{
	struct vn_score su, sl;
	enum tthc_enc enc;
	double c, su_share;
	int r;

	if ((r = score_as(TTHC_ENC_UTF8, s, n, &su, NULL, NULL)) == -ENOMEM)
		return r;
	su_share = r ? 0 : vn_score_share(&su);
	*out = TTHC_ENC_UTF8;
	*conf = multibyte >= 3 ? 0.99 : su_share < 0.99 ? su_share : 0.99;
	if (su_share + UTF8_MARGIN > 1)
		return 0;
	r = pick(s, n, legacy, NLEGACY, &enc, &c, &sl);
	if (r == -ENOMEM)
		return r;
	if (r == 0 && c >= VN_CONFIDENT &&
	    vn_score_share(&sl) >= su_share + UTF8_MARGIN && sl.value > su.value) {
		*out = enc;
		*conf = c;
	}
	return 0;
}

int vn_detect_legacy(const char *buf, size_t len, enum tthc_enc *out, double *conf)
{
	size_t n = sample_len(buf, len);
	int r;

	if (!buf || len == 0)
		return -EINVAL;
	if ((r = pick(buf, n, legacy, NLEGACY, out, conf, NULL)))
		return r;
	*conf = *conf < 0 ? 0 : *conf > 1 ? 1 : *conf;
	return 0;
}

/*
 * Neither ASCII nor valid UTF-8: the best legacy reading, unless the bytes read better
 * as UTF-8 with the odd invalid byte (mostly UTF-8 with a line pasted from elsewhere):
 * then UTF-8, which cannot decode them, so that nothing is converted wrong.
 */
static int detect_other(const char *s, size_t n, enum tthc_enc *out, double *conf)
{
	struct vn_score sl, su;
	int r = pick(s, n, legacy, NLEGACY, out, conf, &sl);

	if (r == -ENOMEM)
		return r;
	vn_score_text(s, n, &su);
	if (r || su.value > sl.value) {
		*out = TTHC_ENC_UTF8;
		*conf = vn_score_share(&su);
	}
	return 0;
}

TTHC_EXPORT int tthc_vnenc_detect(const char *buf, size_t len, enum tthc_enc *out,
                                  double *confidence)
{
	size_t n, multibyte, valid;
	enum tthc_enc enc;
	double conf = 0;
	int r = 0;

	if (!buf || len == 0)
		return -EINVAL;
	n = sample_len(buf, len);
	if (len >= 2 && ((buf[0] == '\xff' && buf[1] == '\xfe') ||
	                 (buf[0] == '\xfe' && buf[1] == '\xff'))) {
		enc = TTHC_ENC_UTF16;
		conf = 1;
	} else if (nul_heavy(buf, n) &&
	           pick(buf, n & ~(size_t)1, (const enum tthc_enc[]){ TTHC_ENC_UTF16 }, 1,
	                &enc, &conf, NULL) == 0) {
		conf = conf > 0.5 ? conf : 0.5;
	} else if (all_ascii((const unsigned char *)buf, n)) {
		r = detect_ascii(buf, n, &enc, &conf);
	} else if (utf8_ok(buf, n, n < len, &multibyte, &valid)) {
		r = detect_utf8(buf, valid, multibyte, &enc, &conf);
	} else {
		r = detect_other(buf, n, &enc, &conf);
	}
	if (r)
		return r;
	*out = enc;
	if (confidence)
		*confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
	return 0;
}
