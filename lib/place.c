/* SPDX-License-Identifier: MIT */
/* Places written as free text: the province to its canonical name, the 2025 merger. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Canonical names (decided for tthc-normalize): the five centrally run cities are written
 * "Thành phố X", every other province "Tỉnh X", X as tthc_province_name() gives it.  The
 * full administrative title is what a dossier's address line carries, and it keeps
 * "Thành phố Hồ Chí Minh" (the province) apart from "Thành phố Thanh Hóa" (a city inside
 * a province).
 */
static int is_central(int code)
{
	return code == 1 || code == 31 || code == 48 || code == 79 || code == 92;
}

/* Spellings beyond the name itself (folded, letters and digits only). */
enum { ANY = 0, CITY_ONLY = 1 };

static const struct {
	const char *key;
	int code;
	int need; /* CITY_ONLY: only after "TP": "ĐN" alone is Đồng Nai just as often */
} aliases[] = {
	{ "hn", 1, ANY },        { "tphn", 1, ANY },      { "hcm", 79, ANY },
	{ "hcmc", 79, ANY },     { "tphcm", 79, ANY },    { "hochiminhcity", 79, ANY },
	{ "saigon", 79, ANY },   { "sg", 79, ANY },       { "hp", 31, ANY },
	{ "tphp", 31, ANY },     { "dn", 48, CITY_ONLY }, { "tpdn", 48, ANY },
	{ "ct", 92, CITY_ONLY }, { "tpct", 92, ANY },     { "brvt", 77, ANY },
	{ "tthue", 46, ANY },    { "hue", 46, ANY },      { "daclac", 66, ANY },
	{ "daklac", 66, ANY },   { "daclak", 66, ANY },   { "dacnong", 67, ANY },
	{ "baccan", 6, ANY },
};

/*
 * Resolution 202/2025/QH15 (shared/DOMAIN.md §3.5): the province each pre-2025 province
 * was merged into on 01/07/2025.  Provinces not listed took others in or were unchanged.
 */
static const struct {
	int from, into;
} merged_2025[] = {
	{ 2, 8 },   { 15, 10 }, { 6, 19 },  { 24, 27 }, { 26, 25 }, { 17, 25 },
	{ 30, 31 }, { 34, 33 }, { 35, 37 }, { 36, 37 }, { 44, 45 }, { 49, 48 },
	{ 62, 51 }, { 52, 64 }, { 58, 56 }, { 54, 66 }, { 67, 68 }, { 60, 68 },
	{ 70, 75 }, { 74, 79 }, { 77, 79 }, { 80, 72 }, { 82, 87 }, { 83, 86 },
	{ 84, 86 }, { 91, 89 }, { 94, 92 }, { 93, 92 }, { 95, 96 },
};

#define ADMIN_2025 " (từ 01/07/2025: "
#define MAX_PARTS 32

/* The name without a title: idnum.c writes Hồ Chí Minh as "TP Hồ Chí Minh". */
static const char *bare_name(int code)
{
	const char *n = tthc_province_name(code);

	return n && !strncmp(n, "TP ", 3) ? n + 3 : n;
}

static char *canonical_name(int code)
{
	const char *title = is_central(code) ? "Thành phố " : "Tỉnh ";
	const char *bare = bare_name(code);
	char *s = malloc(strlen(title) + strlen(bare) + 1);

	if (s)
		strcat(strcpy(s, title), bare);
	return s;
}

/* Keeps letters and digits only: "ba ria vung tau" and "br-vt" compare as written. */
static void compact(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			buf[n++] = *s;
	buf[n] = '\0';
}

enum title { T_NONE, T_CITY, T_PROVINCE };

static int starts_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	return !strncmp(s, w, n) && (s[n] == ' ' || s[n] == '.' || s[n] == '-');
}

/* Reads a leading "Thành phố", "TP", "T.P", "Tỉnh", "T." off the folded part. */
static const char *title_of(const char *f, enum title *t)
{
	static const struct {
		const char *w;
		enum title t;
	} titles[] = { { "thanh pho", T_CITY },
		       { "tp", T_CITY },
		       { "t.p", T_CITY },
		       { "tinh", T_PROVINCE },
		       { "t", T_PROVINCE } };

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		if (starts_word(f, titles[i].w)) {
			*t = titles[i].t;
			return f + strlen(titles[i].w);
		}
	}
	*t = T_NONE;
	return f;
}

/* The 63 names folded once ("Đắk Lắk" -> "daklak"): tthc_province_name() stays the
 * source. */
static char folded_names[100][48];
static pthread_once_t folded_once = PTHREAD_ONCE_INIT;

static void fold_names(void)
{
	char *f;

	for (int code = 1; code < 100; code++) {
		if (tthc_province_name(code) && !tthc_fold(bare_name(code), &f)) {
			compact(f, folded_names[code], sizeof(folded_names[code]));
			free(f);
		}
	}
}

static int lookup(const char *key, enum title t)
{
	pthread_once(&folded_once, fold_names);
	for (int code = 1; code < 100; code++)
		if (folded_names[code][0] && !strcmp(folded_names[code], key))
			return code;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].key, key) &&
		    (aliases[i].need == ANY || t == T_CITY))
			return aliases[i].code;
	return 0;
}

/*
 * Returns the province code a part names, or 0.  A title must fit the province: "TP
 * Huế", "TP Thanh Hóa" are cities inside a province (or, for Huế, the city of 2025):
 * ambiguous, so they are left as written.
 */
static int province_of(const char *part)
{
	char *f, key[64];
	enum title t;
	int code;

	if (tthc_fold(part, &f))
		return 0;
	compact(title_of(f, &t), key, sizeof(key));
	code = key[0] ? lookup(key, t) : 0;
	/* "T.T.Huế": the "T." was the start of an abbreviation, not "Tỉnh" */
	if (!code && t != T_NONE) {
		compact(f, key, sizeof(key));
		t = T_NONE;
		code = key[0] ? lookup(key, t) : 0;
	}
	free(f);
	if (code &&
	    ((t == T_CITY && !is_central(code)) || (t == T_PROVINCE && is_central(code))))
		return 0;
	return code;
}

/* The name of the province that took code in on 01/07/2025, or NULL when it is the same.
 */
static char *name_2025(int code)
{
	/*
	 * Only mergers are noted: a province that kept its land keeps its name here too,
	 * Thừa Thiên Huế included (DOMAIN §3.5 lists it "unchanged", now TP Huế).
	 */
	for (size_t i = 0; i < sizeof(merged_2025) / sizeof(merged_2025[0]); i++)
		if (merged_2025[i].from == code)
			return canonical_name(merged_2025[i].into);
	return NULL;
}

static int is_country(const char *part)
{
	char *f;
	int yes;

	if (tthc_fold(part, &f))
		return 0;
	yes = !strcmp(f, "viet nam") || !strcmp(f, "vietnam") || !strcmp(f, "vn");
	free(f);
	return yes;
}

struct place {
	char *parts[MAX_PARTS];
	int n;
	int prov;     /* index of the province part */
	char *head;   /* the province part as it will be written */
	char *suffix; /* " (từ 01/07/2025: ...)" already there or to add, or NULL */
};

/* Cuts s (cleaned text) at its commas, dropping empty parts. */
static int split(char *s, struct place *pl)
{
	char *p, *save = NULL;

	pl->n = 0;
	for (p = strtok_r(s, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		for (char *e = p + strlen(p); e > p && e[-1] == ' ';)
			*--e = '\0';
		if (!*p)
			continue;
		if (pl->n == MAX_PARTS)
			return -EINVAL;
		pl->parts[pl->n++] = p;
	}
	return 0;
}

/*
 * Sets head and suffix for the province part.  A note of an earlier run is kept as it
 * is and never added twice; it is also never taken away, even without admin2025.
 */
static int rewrite_province(struct place *pl, int admin2025)
{
	char *part = pl->parts[pl->prov], *note = strstr(part, ADMIN_2025);
	int code;

	if (note) {
		pl->suffix = strdup(note);
		*note = '\0';
		if (!pl->suffix)
			return -ENOMEM;
	}
	code = province_of(part);
	pl->head = code ? canonical_name(code) : strdup(part);
	if (!pl->head)
		return -ENOMEM;
	if (!note && admin2025 && code) {
		char *name = name_2025(code);

		if (!name)
			return 0;
		pl->suffix = malloc(strlen(ADMIN_2025) + strlen(name) + 2);
		if (pl->suffix)
			sprintf(pl->suffix, "%s%s)", ADMIN_2025, name);
		free(name);
		return pl->suffix ? 0 : -ENOMEM;
	}
	return 0;
}

static char *join(const struct place *pl)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < pl->n; i++)
		len += strlen(i == pl->prov ? pl->head : pl->parts[i]) + 2;
	len += pl->suffix ? strlen(pl->suffix) : 0;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < pl->n; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, i == pl->prov ? pl->head : pl->parts[i]);
		if (i == pl->prov && pl->suffix)
			strcat(s, pl->suffix);
	}
	return s;
}

/*
 * The province is the last part, or the one before "Việt Nam".  Everything else is only
 * cleaned: ", " between parts, single blanks, NFC.
 */
static int normalize_place(char *clean, int admin2025, char **out)
{
	struct place pl = { .head = NULL, .suffix = NULL };
	int r;

	r = split(clean, &pl);
	if (r)
		return r;
	if (pl.n == 0) {
		*out = strdup("");
		return *out ? 0 : -ENOMEM;
	}
	pl.prov = pl.n - 1;
	if (pl.n > 1 && is_country(pl.parts[pl.prov]))
		pl.prov--;
	r = rewrite_province(&pl, admin2025);
	if (!r) {
		*out = join(&pl);
		r = *out ? 0 : -ENOMEM;
	}
	free(pl.head);
	free(pl.suffix);
	return r;
}

TTHC_EXPORT int tthc_norm_place(const char *in, int admin2025, char **out, int *changed)
{
	char *clean, *s;
	int r, ch;

	if (!in || !out || !changed)
		return -EINVAL;
	r = tthc_norm_text(in, &clean, &ch);
	if (r)
		return r;
	r = normalize_place(clean, admin2025, &s);
	free(clean);
	if (r)
		return r;
	*changed = strcmp(in, s) != 0;
	*out = s;
	return 0;
}
