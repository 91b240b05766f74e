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

struct score {
	size_t words, valid, marked, junk;
	double value;
};

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

static void score_word(struct score *sc, const char *w, size_t n, int nonascii)
{
	sc->words++;
	if (tthc_vnsyllable_valid(w, n)) {
		sc->valid++;
		sc->marked += (size_t)nonascii;
	}
}

static void score_text(const char *s, size_t n, struct score *sc)
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

static double share(const struct score *sc)
{
	return sc->words + sc->junk ? (double)sc->valid / (double)(sc->words + sc->junk)
	                            : 0;
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

/* Valid UTF-8 up to the end, or up to a sequence the sample's end cut. */
static int utf8_ok(const char *s, size_t n, int cut, size_t *multibyte)
{
	size_t i = 0;

	*multibyte = 0;
	while (i < n) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, n - i, &cp);

		if (!k)
			return cut && n - i < 4 && (unsigned char)s[i] >= 0xc2;
		*multibyte += k > 1;
		i += (size_t)k;
	}
	return 1;
}

static int nul_heavy(const char *s, size_t n)
{
	size_t z = 0;

	for (size_t i = 0; i < n; i++)
		z += s[i] == '\0';
	return n >= 4 && z * 4 >= n;
}

/* Decodes the sample with each candidate and keeps the best; ties go to the earlier. */
static int pick(const char *s, size_t n, const enum tthc_enc *cand, size_t ncand,
                enum tthc_enc *out, double *conf)
{
	char *best_text = NULL;
	size_t best_len = 0;
	double best = -1e9, second = -1e9;
	struct score best_sc = { 0 };
	int found = 0;

	for (size_t i = 0; i < ncand; i++) {
		char *text;
		size_t len;
		struct score sc;
		int r = tthc_vnenc_decode(cand[i], s, n, &text, &len);

		if (r == -ENOMEM) {
			free(best_text);
			return r;
		}
		if (r)
			continue;
		score_text(text, len, &sc);
		/* A candidate reading exactly as the best one says nothing against it. */
		if (found && len == best_len && memcmp(text, best_text, len) == 0) {
			free(text);
			continue;
		}
		if (!found || sc.value > best) {
			second = found ? best : second;
			best = sc.value;
			best_sc = sc;
			*out = cand[i];
			free(best_text);
			best_text = text;
			best_len = len;
			found = 1;
		} else {
			if (sc.value > second)
				second = sc.value;
			free(text);
		}
	}
	free(best_text);
	if (!found)
		return -EILSEQ;
	*conf = share(&best_sc);
	if (second > -1e9 && best - second < 0.1)
		*conf *= 0.5 + 5.0 * (best - second);
	return 0;
}

TTHC_EXPORT int tthc_vnenc_detect(const char *buf, size_t len, enum tthc_enc *out,
                                  double *confidence)
{
	static const enum tthc_enc legacy[] = {
		TTHC_ENC_TCVN3, TTHC_ENC_VNI,    TTHC_ENC_VISCII,
		TTHC_ENC_VPS,   TTHC_ENC_CP1258, TTHC_ENC_TCVN5712,
	};
	static const enum tthc_enc ascii[] = { TTHC_ENC_UTF8, TTHC_ENC_VIQR };
	size_t n = sample_len(buf, len), multibyte;
	double conf = 0;
	int r;

	if (!buf || len == 0)
		return -EINVAL;
	if (len >= 2 && ((buf[0] == '\xff' && buf[1] == '\xfe') ||
	                 (buf[0] == '\xfe' && buf[1] == '\xff'))) {
		*out = TTHC_ENC_UTF16;
		conf = 1;
	} else if (nul_heavy(buf, n) &&
	           pick(buf, n & ~(size_t)1, (const enum tthc_enc[]){ TTHC_ENC_UTF16 }, 1,
	                out, &conf) == 0) {
		conf = conf > 0.5 ? conf : 0.5;
	} else if (all_ascii((const unsigned char *)buf, n)) {
		/* VIQR wins only when its reading makes more words Vietnamese. */
		if ((r = pick(buf, n, ascii, 2, out, &conf)))
			return r;
		if (*out == TTHC_ENC_UTF8)
			conf = conf < 0.9 ? 0.9 : conf;
	} else if (utf8_ok(buf, n, n < len, &multibyte)) {
		*out = TTHC_ENC_UTF8;
		conf = multibyte >= 3 ? 0.99 : 0.9;
	} else if ((r = pick(buf, n, legacy, sizeof(legacy) / sizeof(legacy[0]), out,
	                     &conf))) {
		return r;
	}
	if (confidence)
		*confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
	return 0;
}
