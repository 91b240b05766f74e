/* SPDX-License-Identifier: MIT */
/* Whether a word is a well-formed Vietnamese syllable: what encoding detection counts. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "vnenc_int.h"

/*
 * The rhymes (vần) of the written language without their tone, as the orthography
 * spells them after an initial consonant.  Rare loan rhymes (oong, ooc, uych) are in:
 * the detector scores decodings against each other, and a slightly generous list costs
 * nothing there, while a missing common rhyme would.
 */
static const char *rhymes[] = {
	"a",
	"ac",
	"ach",
	"ai",
	"am",
	"an",
	"ang",
	"anh",
	"ao",
	"ap",
	"at",
	"au",
	"ay",
	"ăc",
	"ăm",
	"ăn",
	"ăng",
	"ăp",
	"ăt",
	"âc",
	"âm",
	"ân",
	"âng",
	"âp",
	"ât",
	"âu",
	"ây",
	"e",
	"ec",
	"em",
	"en",
	"eng",
	"eo",
	"ep",
	"et",
	"ê",
	"êch",
	"êm",
	"ên",
	"ênh",
	"êp",
	"êt",
	"êu",
	"i",
	"ia",
	"ich",
	"im",
	"in",
	"inh",
	"ip",
	"it",
	"iu",
	"iêc",
	"iêm",
	"iên",
	"iêng",
	"iêp",
	"iêt",
	"iêu",
	"o",
	"oa",
	"oac",
	"oach",
	"oai",
	"oam",
	"oan",
	"oang",
	"oanh",
	"oao",
	"oap",
	"oat",
	"oay",
	"oăc",
	"oăm",
	"oăn",
	"oăng",
	"oăt",
	"oc",
	"oe",
	"oen",
	"oeo",
	"oet",
	"oi",
	"om",
	"on",
	"ong",
	"ooc",
	"oong",
	"op",
	"ot",
	"ô",
	"ôc",
	"ôi",
	"ôm",
	"ôn",
	"ông",
	"ôp",
	"ôt",
	"ơ",
	"ơi",
	"ơm",
	"ơn",
	"ơp",
	"ơt",
	"u",
	"ua",
	"uân",
	"uâng",
	"uât",
	"uây",
	"uc",
	"uê",
	"uêch",
	"uênh",
	"ui",
	"um",
	"un",
	"ung",
	"uôc",
	"uôi",
	"uôm",
	"uôn",
	"uông",
	"uôt",
	"up",
	"ut",
	"uy",
	"uya",
	"uych",
	"uyên",
	"uyêt",
	"uyn",
	"uynh",
	"uyp",
	"uyt",
	"uyu",
	"uơ",
	"ư",
	"ưa",
	"ưc",
	"ưi",
	"ưm",
	"ưn",
	"ưng",
	"ưt",
	"ưu",
	"ươc",
	"ươi",
	"ươm",
	"ươn",
	"ương",
	"ươp",
	"ươt",
	"ươu",
	"y",
	"yêm",
	"yên",
	"yêng",
	"yêt",
	"yêu",
	/* only after qu, where the u is the onset's: quýt, quỳnh, quých */
	"ych",
	"ynh",
	"yp",
	"yt",
};
#define NRHYMES (sizeof(rhymes) / sizeof(rhymes[0]))

static const char *onsets[] = {
	"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
	"đ",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x", "",
};

static const char *sorted[NRHYMES];
static pthread_once_t sort_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_rhymes(void)
{
	memcpy(sorted, rhymes, sizeof(rhymes));
	qsort(sorted, NRHYMES, sizeof(sorted[0]), cmp_str);
}

static int is_rhyme(const char *s)
{
	return bsearch(&s, sorted, NRHYMES, sizeof(sorted[0]), cmp_str) != NULL;
}

/* Whether the rhyme starts with a front vowel: c g ng are then spelled k gh ngh. */
static int front(const char *r)
{
	return r[0] == 'e' || r[0] == 'i' || r[0] == 'y' || strncmp(r, "ê", 2) == 0;
}

static int onset_fits(const char *on, const char *r)
{
	if (!strcmp(on, "c") || !strcmp(on, "g") || !strcmp(on, "ng"))
		return !front(r);
	if (!strcmp(on, "k") || !strcmp(on, "gh") || !strcmp(on, "ngh"))
		return front(r) && (r[0] != 'y' || on[0] == 'k');
	if (!strcmp(on, "qu"))
		return r[0] && r[0] != 'u';
	return 1;
}

/* Finals c ch p t stop the voice: only sắc and nặng fit them. */
static int tone_fits(const char *r, int tone)
{
	size_t n = strlen(r);
	char last = r[n - 1];

	if (last == 'c' || last == 'p' || last == 't' ||
	    (n >= 2 && !strcmp(r + n - 2, "ch")))
		return tone == VN_ACUTE || tone == VN_DOT;
	return 1;
}

static int rhyme_ok(const char *on, const char *r, int tone)
{
	return is_rhyme(r) && onset_fits(on, r) && tone_fits(r, tone);
}

/* Lower-cases a word and takes its tone off: "Người" -> "ngươi", tone huyền. */
static int strip_tone(const char *s, size_t len, char *out, size_t size, int *tone)
{
	size_t o = 0;

	*tone = VN_LEVEL;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, len - i, &cp);
		struct vn_letter l;

		if (!k || o + 4 >= size)
			return -1;
		i += (size_t)k;
		cp = vn_tolower(cp);
		if (vn_letter_info(cp, &l)) {
			if (l.tone != VN_LEVEL) {
				if (*tone != VN_LEVEL)
					return -1;
				*tone = l.tone;
			}
			if (l.vowel >= 0)
				cp = vn_letter_cp(l.vowel, VN_LEVEL, 0);
		} else if (cp >= 0x80 || !strchr("bcdghklmnpqrstvx", (int)cp) || !cp) {
			return -1;
		}
		o += (size_t)vn_put_utf8(out + o, cp);
	}
	out[o] = '\0';
	return 0;
}

TTHC_EXPORT int tthc_vnsyllable_valid(const char *s, size_t len)
{
	char w[48];
	int tone;

	if (!s || len == 0 || len > 30 || strip_tone(s, len, w, sizeof(w), &tone))
		return 0;
	pthread_once(&sort_once, sort_rhymes);
	for (size_t i = 0; i < sizeof(onsets) / sizeof(onsets[0]); i++) {
		const char *on = onsets[i];
		size_t n = strlen(on);
		const char *r = w + n;

		if (strncmp(w, on, n) != 0)
			continue;
		if (!strcmp(on, "gi")) {
			char ir[48];

			/* gi before i drops one i (gì, gìn, giếng); the i may be the
			 * vowel. */
			if (!*r)
				return tone_fits("i", tone);
			snprintf(ir, sizeof(ir), "i%s", r);
			if (rhyme_ok(on, r, tone) || rhyme_ok(on, ir, tone))
				return 1;
			continue;
		}
		if (*r && rhyme_ok(on, r, tone))
			return 1;
	}
	return 0;
}
