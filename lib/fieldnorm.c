/* SPDX-License-Identifier: MIT */
/* Field normalisers for dates, times, personal numbers, sex, names and free text. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

/* Hands s to the caller; changed says whether it differs from what was given. */
static int finish(const char *in, char *s, char **out, int *changed)
{
	if (!s)
		return -ENOMEM;
	*changed = strcmp(in, s) != 0;
	*out = s;
	return 0;
}

static int map_err(utf8proc_ssize_t n)
{
	return n == UTF8PROC_ERROR_NOMEM ? -ENOMEM : -EINVAL;
}

int tthc_fold(const char *s, char **out)
{
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t n;
	char *r, *w;

	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &f,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                     UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
	if (n < 0)
		return map_err(n);
	/* đ is a letter of its own, not d with a mark: stripping marks leaves it. */
	for (r = w = (char *)f; *r; r++) {
		if ((unsigned char)r[0] == 0xc4 && (unsigned char)r[1] == 0x91) {
			*w++ = 'd';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	*out = (char *)f;
	return 0;
}

/* ---- free text ---- */

static int is_blank_cp(utf8proc_int32_t c)
{
	utf8proc_category_t cat;

	if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85)
		return 1;
	cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP;
}

/*
 * Folds blanks and drops controls into buf (never longer than in).  A blank is only
 * written once something follows it, which trims both ends.
 */
static int squeeze(const char *in, char *buf)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
	utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(in), k;
	utf8proc_int32_t c;
	char *w = buf;
	int pending = 0;

	while (left > 0) {
		k = utf8proc_iterate(p, left, &c);
		if (k < 0)
			return -EINVAL;
		p += k;
		left -= k;
		if (is_blank_cp(c)) {
			pending = w != buf;
		} else if (utf8proc_category(c) != UTF8PROC_CATEGORY_CC) {
			if (pending)
				*w++ = ' ';
			pending = 0;
			w += utf8proc_encode_char(c, (utf8proc_uint8_t *)w);
		}
	}
	*w = '\0';
	return 0;
}

/* NFC, trimmed, blanks folded, controls gone: where every normaliser starts. */
static int clean_text(const char *in, char **out)
{
	char *buf, *nfc;
	int r;

	buf = malloc(strlen(in) + 1);
	if (!buf)
		return -ENOMEM;
	r = squeeze(in, buf);
	if (r) {
		free(buf);
		return r;
	}
	nfc = tthc_nfc_dup(buf);
	free(buf);
	if (!nfc)
		return -ENOMEM;
	*out = nfc;
	return 0;
}

TTHC_EXPORT int tthc_norm_text(const char *in, char **out, int *changed)
{
	char *s;
	int r;

	if (!in || !out || !changed)
		return -EINVAL;
	r = clean_text(in, &s);
	if (r)
		return r;
	return finish(in, s, out, changed);
}

/* ---- names ---- */

static int is_word_cp(utf8proc_int32_t c)
{
	const char *cat = utf8proc_category_string(c);

	return cat[0] == 'L' || cat[0] == 'M';
}

/*
 * Title case starts a capital after anything that is not a letter, so that names of the
 * Central Highlands ("H'Hen Niê", "Y-Moan") keep their inner capital.
 */
static utf8proc_int32_t recase_cp(utf8proc_int32_t c, enum tthc_name_case nc, int in_word)
{
	if (nc == TTHC_NAME_UPPER)
		return utf8proc_toupper(c);
	return in_word ? utf8proc_tolower(c) : utf8proc_totitle(c);
}

static int recase(const char *s, enum tthc_name_case nc, char **out)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s), k;
	utf8proc_int32_t c;
	char *buf, *w;
	int in_word = 0;

	/* A case pair may differ in length: four bytes a code point is always enough. */
	buf = w = malloc(4 * (size_t)left + 1);
	if (!buf)
		return -ENOMEM;
	for (; left > 0; p += k, left -= k) {
		k = utf8proc_iterate(p, left, &c);
		if (k < 0) {
			free(buf);
			return -EINVAL;
		}
		w += utf8proc_encode_char(recase_cp(c, nc, in_word),
		                          (utf8proc_uint8_t *)w);
		in_word = is_word_cp(c);
	}
	*w = '\0';
	*out = tthc_nfc_dup(buf);
	free(buf);
	return *out ? 0 : -ENOMEM;
}

TTHC_EXPORT int tthc_norm_name(const char *in, enum tthc_name_case nc, char **out,
                               int *changed)
{
	char *s, *t;
	int r;

	if (!in || !out || !changed || nc < TTHC_NAME_TITLE || nc > TTHC_NAME_KEEP)
		return -EINVAL;
	r = clean_text(in, &s);
	if (r)
		return r;
	if (nc != TTHC_NAME_KEEP) {
		r = recase(s, nc, &t);
		free(s);
		if (r)
			return r;
		s = t;
	}
	return finish(in, s, out, changed);
}

/* ---- personal numbers ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_id_sep(char c)
{
	return c == ' ' || c == '.' || c == '-';
}

TTHC_EXPORT int tthc_norm_idnum(const char *in, char **out, int *changed)
{
	char *s, *w;
	const char *p;
	int r;

	if (!in || !out || !changed)
		return -EINVAL;
	r = clean_text(in, &s);
	if (r)
		return r;
	/* Separators count only between digits: "079.090" is typing, ".079" is not. */
	for (p = s, w = s; *p; p++) {
		if (is_digit(*p))
			*w++ = *p;
		else if (!is_id_sep(*p) || p == s)
			break;
	}
	if (*p || p == s || !is_digit(p[-1]) || (w - s != 9 && w - s != 12)) {
		free(s);
		return -EINVAL;
	}
	*w = '\0';
	return finish(in, s, out, changed);
}

/* ---- sex ---- */

/*
 * Lower-cased words, with and without diacritics as people type them.  Matched with the
 * diacritics they carry: folding them away would read "năm" (year) as "nam" (male).
 */
static const struct {
	const char *word;
	const char *code;
} sex_words[] = {
	{ "1", "1" },
	{ "2", "2" },
	{ "3", "3" },
	{ "nam", "1" },
	{ "nữ", "2" },
	{ "nu", "2" },
	{ "m", "1" },
	{ "f", "2" },
	{ "male", "1" },
	{ "female", "2" },
	{ "nam giới", "1" },
	{ "nữ giới", "2" },
	{ "nam gioi", "1" },
	{ "nu gioi", "2" },
	{ "chưa xác định", "3" },
	{ "chua xac dinh", "3" },
};

static int lower(const char *s, char **out)
{
	utf8proc_uint8_t *l = NULL;
	utf8proc_ssize_t n;

	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &l,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                     UTF8PROC_CASEFOLD);
	if (n < 0)
		return map_err(n);
	*out = (char *)l;
	return 0;
}

TTHC_EXPORT int tthc_norm_sex(const char *in, char **out, int *changed)
{
	char *s, *l;
	int r;

	if (!in || !out || !changed)
		return -EINVAL;
	r = clean_text(in, &s);
	if (r)
		return r;
	r = lower(s, &l);
	free(s);
	if (r)
		return r;
	r = -EINVAL;
	for (size_t i = 0; i < sizeof(sex_words) / sizeof(sex_words[0]); i++) {
		if (!strcmp(l, sex_words[i].word)) {
			r = finish(in, strdup(sex_words[i].code), out, changed);
			break;
		}
	}
	free(l);
	return r;
}

/* ---- dates and times ---- */

enum tok_kind { TK_NUM, TK_WORD, TK_COLON };

struct tok {
	enum tok_kind kind;
	int val;
	int len; /* digits written, leading zeros included */
	char word[8];
};

#define MAX_TOKS 24

struct toks {
	struct tok t[MAX_TOKS];
	int n;
};

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Reads one number or word at *p into t; returns -EINVAL when it is too long. */
static int read_tok(const char **p, struct tok *t)
{
	const char *s = *p;
	int n = 0;

	if (is_digit(*s)) {
		t->kind = TK_NUM;
		for (t->val = 0; is_digit(s[n]) && n < 9; n++)
			t->val = t->val * 10 + (s[n] - '0');
		t->len = n;
	} else {
		t->kind = TK_WORD;
		for (; is_lower(s[n]) && n < (int)sizeof(t->word) - 1; n++)
			t->word[n] = s[n];
		t->word[n] = '\0';
	}
	*p = s + n;
	/* Longer than any field can be: not a date. */
	if (t->kind == TK_NUM ? is_digit(s[n]) : is_lower(s[n]))
		return -EINVAL;
	return 0;
}

/*
 * Splits a folded date ("ngay 5 thang 3 nam 1990", "05/03/1990 08:30") into numbers,
 * words and colons; "/", "-", ".", "," and blanks only separate.
 */
static int tokenize(const char *f, struct toks *ts)
{
	ts->n = 0;
	while (*f) {
		if (strchr(" /-.,", *f)) {
			f++;
			continue;
		}
		if (ts->n == MAX_TOKS)
			return -EINVAL;
		if (*f == ':') {
			ts->t[ts->n++].kind = TK_COLON;
			f++;
		} else if (!is_digit(*f) && !is_lower(*f)) {
			return -EINVAL;
		} else if (read_tok(&f, &ts->t[ts->n++])) {
			return -EINVAL;
		}
	}
	return 0;
}

enum role { R_DAY, R_MONTH, R_YEAR };

static int word_role(const char *w)
{
	if (!strcmp(w, "ngay"))
		return R_DAY;
	if (!strcmp(w, "thang"))
		return R_MONTH;
	if (!strcmp(w, "nam"))
		return R_YEAR;
	return -1;
}

/* Day first (Vietnamese order), unless the first number is a four-digit year (ISO). */
static int role_of(int i, int count, int year_first)
{
	static const int dmy[3][3] = { { R_YEAR },
		                       { R_MONTH, R_YEAR },
		                       { R_DAY, R_MONTH, R_YEAR } };

	return year_first ? R_YEAR - i : dmy[count - 1][i];
}

static int set_part(struct tthc_date *d, int role, const struct tok *t)
{
	if (role == R_YEAR && t->len != 4)
		return -EINVAL; /* "90" could be 1990 or 2090: refuse to guess */
	if (role != R_YEAR && (t->len > 2 || t->val < 1))
		return -EINVAL; /* a day or month of 0 would pass for "not known" */
	if (role == R_YEAR)
		d->year = t->val;
	else if (role == R_MONTH)
		d->month = t->val;
	else
		d->day = t->val;
	return 0;
}

static int first_num_len(const struct toks *ts)
{
	for (int i = 0; i < ts->n; i++)
		if (ts->t[i].kind == TK_NUM)
			return ts->t[i].len;
	return 0;
}

/*
 * Reads the date in ts.  Words ("ngay", "thang", "nam") must label the number after them
 * as the position gives it: they confirm the order, they never reorder.
 */
static int date_from_toks(const struct toks *ts, struct tthc_date *d)
{
	int count = 0, idx = 0, year_first, want = -1;

	for (int i = 0; i < ts->n; i++)
		count += ts->t[i].kind == TK_NUM;
	if (count < 1 || count > 3)
		return -EINVAL;
	year_first = count > 1 && first_num_len(ts) == 4;
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < ts->n; i++) {
		const struct tok *t = &ts->t[i];
		int role;

		if (t->kind == TK_COLON || (t->kind == TK_WORD && want >= 0))
			return -EINVAL;
		if (t->kind == TK_WORD) {
			if ((want = word_role(t->word)) < 0)
				return -EINVAL;
			continue;
		}
		role = role_of(idx++, count, year_first);
		if ((want >= 0 && want != role) || set_part(d, role, t))
			return -EINVAL;
		want = -1;
	}
	return want >= 0 ? -EINVAL : 0;
}

static void format_date(const struct tthc_date *d, char *buf, size_t size)
{
	if (d->day)
		snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->day);
	else if (d->month)
		snprintf(buf, size, "%04d-%02d", d->year, d->month);
	else
		snprintf(buf, size, "%04d", d->year);
}

/* Cleans and folds in: "Ngày 05 tháng 03 năm 1990" -> "ngay 05 thang 03 nam 1990". */
static int clean_fold(const char *in, char **clean, char **folded)
{
	int r = clean_text(in, clean);

	if (r)
		return r;
	r = tthc_fold(*clean, folded);
	if (r)
		free(*clean);
	return r;
}

/* Ends the date normalisers: checks the calendar and hands the result back. */
static int finish_date(const char *in, const char *canon, char **out, int *changed)
{
	struct tthc_date d;

	if (tthc_date_parse(canon, &d))
		return -EINVAL;
	return finish(in, strdup(canon), out, changed);
}

TTHC_EXPORT int tthc_norm_date(const char *in, char **out, int *changed)
{
	struct toks ts;
	struct tthc_date d;
	char *s, *f, buf[32];
	int r;

	if (!in || !out || !changed)
		return -EINVAL;
	r = clean_fold(in, &s, &f);
	if (r)
		return r;
	/* Already a schema date (perhaps with a zone): keep it as written. */
	if (!strchr(s, 'T') && !tthc_date_parse(s, &d)) {
		free(f);
		return finish(in, s, out, changed);
	}
	r = tokenize(f, &ts);
	if (!r)
		r = date_from_toks(&ts, &d);
	free(s);
	free(f);
	if (r)
		return r;
	format_date(&d, buf, sizeof(buf));
	return finish_date(in, buf, out, changed);
}

struct hms {
	int h, m, s;
};

static int is_word(const struct toks *ts, int i, const char *w)
{
	return i < ts->n && ts->t[i].kind == TK_WORD && !strcmp(ts->t[i].word, w);
}

static int is_num(const struct toks *ts, int i, int minlen, int maxlen)
{
	return i < ts->n && ts->t[i].kind == TK_NUM && ts->t[i].len >= minlen &&
	       ts->t[i].len <= maxlen;
}

/* "08:30", "08:30:15": returns the index after the time, or -1. */
static int time_colon(const struct toks *ts, int i, struct hms *t)
{
	if (!is_num(ts, i + 2, 2, 2))
		return -1;
	t->m = ts->t[i + 2].val;
	i += 3;
	if (i < ts->n && ts->t[i].kind == TK_COLON) {
		if (!is_num(ts, i + 1, 2, 2))
			return -1;
		t->s = ts->t[i + 1].val;
		i += 2;
	}
	return i;
}

/* "8h30", "8h", "8g30", "8 giờ 30 phút": returns the index after the time, or -1. */
static int time_words(const struct toks *ts, int i, struct hms *t)
{
	i += 2;
	if (is_num(ts, i, 1, 2)) {
		t->m = ts->t[i++].val;
		if (is_word(ts, i, "phut"))
			i++;
	}
	return i;
}

/*
 * Finds the time in ts, takes it out (with "luc" / ISO "t" just before it) and fills t.
 * Returns 0, or -EINVAL when there is no time or it is not one.
 */
static int take_time(struct toks *ts, struct hms *t)
{
	int i, start, end = -1;

	for (i = 0; i + 1 < ts->n; i++) {
		if (!is_num(ts, i, 1, 2))
			continue;
		memset(t, 0, sizeof(*t));
		t->h = ts->t[i].val;
		if (ts->t[i + 1].kind == TK_COLON)
			end = time_colon(ts, i, t);
		else if (is_word(ts, i + 1, "h") || is_word(ts, i + 1, "g") ||
		         is_word(ts, i + 1, "gio"))
			end = time_words(ts, i, t);
		if (end >= 0)
			break;
	}
	if (end < 0 || t->h > 23 || t->m > 59 || t->s > 59)
		return -EINVAL;
	start =
	    i > 0 && (is_word(ts, i - 1, "luc") || is_word(ts, i - 1, "t")) ? i - 1 : i;
	memmove(&ts->t[start], &ts->t[end], (size_t)(ts->n - end) * sizeof(ts->t[0]));
	ts->n -= end - start;
	return 0;
}

/* An ISO date and time already: returns 1 when it carries a zone of its own. */
static int iso_has_zone(const char *s)
{
	const char *p = strchr(s, 'T') + 9;

	if (*p == '.')
		for (p++; is_digit(*p); p++)
			;
	return *p != '\0';
}

static int iso_datetime(const char *in, char *s, char **out, int *changed)
{
	struct tthc_date d;
	char *z;

	if (tthc_date_parse(s, &d) || !d.day)
		return -EINVAL;
	if (iso_has_zone(s))
		return finish(in, s, out, changed);
	/* Dossiers are filed in Vietnam: a time without a zone is Vietnamese time. */
	z = realloc(s, strlen(s) + sizeof("+07:00"));
	if (!z) {
		free(s);
		return -ENOMEM;
	}
	strcat(z, "+07:00");
	return finish(in, z, out, changed);
}

static int datetime_toks(const char *f, struct tthc_date *d, struct hms *t)
{
	struct toks ts;

	if (tokenize(f, &ts) || take_time(&ts, t) || date_from_toks(&ts, d) || !d->day)
		return -EINVAL;
	return 0;
}

TTHC_EXPORT int tthc_norm_datetime(const char *in, char **out, int *changed)
{
	struct tthc_date d;
	struct hms t;
	char *s, *f, buf[96];
	int r;

	if (!in || !out || !changed)
		return -EINVAL;
	r = clean_fold(in, &s, &f);
	if (r)
		return r;
	if (strchr(s, 'T') && !tthc_date_parse(s, &d) && d.day) {
		free(f);
		return iso_datetime(in, s, out, changed);
	}
	r = datetime_toks(f, &d, &t);
	free(s);
	free(f);
	if (r)
		return r;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d+07:00", d.year, d.month,
	         d.day, t.h, t.m, t.s);
	return finish_date(in, buf, out, changed);
}
