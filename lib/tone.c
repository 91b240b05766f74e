/* SPDX-License-Identifier: MIT */
/* Tone-mark placement in the open rhymes oa, oe, uy: "hoà, thuỷ" or "hòa, thủy". */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

/*
 * Both placements are correct Vietnamese and both are in use (shared/DOMAIN.md §6); they
 * differ only where the rhyme is oa, oe or uy with no final consonant.  With a final
 * consonant (hoàng, khuyết) or a third vowel (hoài, khuya) the place is fixed, and in
 * "quý", "quả" the u belongs to the initial qu.  The styles are named as Vietnamese
 * typists name them (Unikey's "dấu kiểu mới" puts the mark on the main vowel):
 * TTHC_TONE_OLD writes "hòa", "thủy"; TTHC_TONE_NEW writes "hoà", "thuỷ".
 *
 * The work is done on the canonical decomposition, where a toned plain vowel is the
 * letter followed by its one tone mark: moving the tone is swapping two code points.
 */

#define MAX_LETTERS 12 /* the longest syllable, "nghiêng", has 7 */

static int is_tone_mark(utf8proc_int32_t c)
{
	return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

static int is_letter(utf8proc_int32_t c)
{
	return utf8proc_category_string(c)[0] == 'L';
}

static int is_mark(utf8proc_int32_t c)
{
	return utf8proc_category_string(c)[0] == 'M';
}

static int is_onset_letter(utf8proc_int32_t c)
{
	c = utf8proc_tolower(c);
	return c == 0x111 || (c > 0 && c < 0x80 && strchr("bcdghklmnpqrstvx", (int)c));
}

static int is_open_pair(utf8proc_int32_t a, utf8proc_int32_t b)
{
	a = utf8proc_tolower(a);
	b = utf8proc_tolower(b);
	return (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y');
}

/* A syllable of the run [start, end): where its letters begin. */
struct syl {
	utf8proc_int32_t *cp;
	size_t at[MAX_LETTERS + 1]; /* at[n] = end */
	size_t n;
};

/* Number of marks after letter i, or -1 when one of them is not a tone mark. */
static int tone_marks(const struct syl *s, size_t i)
{
	size_t k = s->at[i + 1] - s->at[i] - 1;

	if (k > 1 || (k == 1 && !is_tone_mark(s->cp[s->at[i] + 1])))
		return -1;
	return (int)k;
}

/*
 * Returns 1 when the tone may move here: the letters end in oa / oe / uy, the rest is an
 * initial consonant (not ending in q), and exactly one of the two vowels has a tone.
 * *first says which.
 */
static int movable(const struct syl *s, int *first)
{
	size_t v = s->n - 2;
	int m1, m2;

	if (s->n < 2 || !is_open_pair(s->cp[s->at[v]], s->cp[s->at[v + 1]]))
		return 0;
	for (size_t i = 0; i < v; i++)
		if (!is_onset_letter(s->cp[s->at[i]]) || tone_marks(s, i) != 0)
			return 0;
	if (v > 0 && utf8proc_tolower(s->cp[s->at[v - 1]]) == 'q')
		return 0;
	m1 = tone_marks(s, v);
	m2 = tone_marks(s, v + 1);
	if (m1 < 0 || m2 < 0 || m1 + m2 != 1)
		return 0;
	*first = m1;
	return 1;
}

static void restyle_syllable(struct syl *s, enum tthc_tone_style st)
{
	size_t v = s->n - 2, i;
	utf8proc_int32_t t;
	int first;

	if (!movable(s, &first))
		return;
	if (st == TTHC_TONE_NEW && first)
		i = s->at[v] + 1; /* o ` a -> o a ` */
	else if (st == TTHC_TONE_OLD && !first)
		i = s->at[v + 1]; /* o a ` -> o ` a */
	else
		return;
	t = s->cp[i];
	s->cp[i] = s->cp[i + 1];
	s->cp[i + 1] = t;
}

/* Finds the run of letters and marks at *pos, restyles it, moves *pos past it. */
static void restyle_run(utf8proc_int32_t *cp, size_t len, size_t *pos,
                        enum tthc_tone_style st)
{
	struct syl s = { .cp = cp, .n = 0 };
	int too_long = 0;
	size_t i;

	for (i = *pos; i < len && (is_letter(cp[i]) || is_mark(cp[i])); i++) {
		if (!is_letter(cp[i]))
			continue;
		if (s.n == MAX_LETTERS)
			too_long = 1; /* not a syllable: leave it */
		else
			s.at[s.n++] = i;
	}
	*pos = i;
	if (too_long || s.n < 2)
		return;
	s.at[s.n] = i;
	restyle_syllable(&s, st);
}

static int decompose(const char *in, utf8proc_int32_t **out, size_t *len)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)in;
	utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE;
	utf8proc_ssize_t n;

	n = utf8proc_decompose(s, 0, NULL, 0, opt);
	if (n < 0)
		return -EINVAL;
	/* One more for the terminator utf8proc_reencode() writes. */
	*out = malloc(((size_t)n + 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	n = utf8proc_decompose(s, 0, *out, n, opt);
	if (n < 0) {
		free(*out);
		return -EINVAL;
	}
	*len = (size_t)n;
	return 0;
}

TTHC_EXPORT int tthc_tone_restyle(const char *in, enum tthc_tone_style st, char **out,
                                  int *changed)
{
	utf8proc_int32_t *cp;
	utf8proc_ssize_t n;
	size_t len, pos = 0;
	int r;

	if (!in || !out || !changed || st < TTHC_TONE_KEEP || st > TTHC_TONE_NEW)
		return -EINVAL;
	if (st == TTHC_TONE_KEEP) {
		*out = strdup(in);
		*changed = 0;
		return *out ? 0 : -ENOMEM;
	}
	r = decompose(in, &cp, &len);
	if (r)
		return r;
	while (pos < len) {
		if (is_letter(cp[pos]))
			restyle_run(cp, len, &pos, st);
		else
			pos++;
	}
	/* Composes back in place: the result is NFC whatever the input was. */
	n = utf8proc_reencode(cp, (utf8proc_ssize_t)len,
	                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		free(cp);
		return -EINVAL;
	}
	*out = (char *)cp;
	*changed = strcmp(in, *out) != 0;
	return 0;
}
