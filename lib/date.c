/* SPDX-License-Identifier: MIT */
/* Calendar dates that may be known only to the month or year: parsing, arithmetic. */
#include "config.h"

#include <errno.h>

#include "internal.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly n digits; returns the value or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* A zone as XML Schema writes it: "Z" or "+hh:mm" / "-hh:mm" (at most 14:00). */
static int zone_ok(const char *s)
{
	int h, m;

	if (s[0] == 'Z')
		return s[1] == '\0';
	if (s[0] != '+' && s[0] != '-')
		return 0;
	/* Read a field only once the one before matched: never past the end. */
	if ((h = digits(s + 1, 2)) < 0 || s[3] != ':' || (m = digits(s + 4, 2)) < 0)
		return 0;
	return m < 60 && (h < 14 || (h == 14 && m == 0)) && s[6] == '\0';
}

/*
 * The time after 'T': "hh:mm:ss" with an optional fraction and zone.  It is ignored, but
 * a value that is not a time at all must not pass for a date.
 */
static int time_ok(const char *s)
{
	int h, m, sec;

	if ((h = digits(s, 2)) < 0 || s[2] != ':' || (m = digits(s + 3, 2)) < 0 ||
	    s[5] != ':' || (sec = digits(s + 6, 2)) < 0)
		return 0;
	if (h > 24 || m > 59 || sec > 59 || (h == 24 && (m || sec)))
		return 0;
	s += 8;
	if (*s == '.') {
		if (!is_digit(*++s))
			return 0;
		while (is_digit(*s))
			s++;
	}
	return *s == '\0' || zone_ok(s);
}

static int tail_ok(const char *s, int full)
{
	if (*s == '\0')
		return 1;
	if (*s == 'T')
		return full && time_ok(s + 1);
	return zone_ok(s);
}

TTHC_EXPORT int tthc_date_parse(const char *s, struct tthc_date *out)
{
	struct tthc_date d = { 0 };

	if (!s || (d.year = digits(s, 4)) < 1000)
		return -EINVAL;
	s += 4;
	/* "1990-05:00" is a year with a zone, not a month. */
	if (*s == '-' && is_digit(s[1]) && !zone_ok(s)) {
		d.month = digits(s + 1, 2);
		if (d.month < 1 || d.month > 12)
			return -EINVAL;
		s += 3;
		if (*s == '-' && is_digit(s[1]) && !zone_ok(s)) {
			d.day = digits(s + 1, 2);
			if (d.day < 1 || d.day > month_days(d.year, d.month))
				return -EINVAL;
			s += 3;
		}
	}
	if (!tail_ok(s, d.day != 0))
		return -EINVAL;
	*out = d;
	return 0;
}

TTHC_EXPORT void tthc_date_first(const struct tthc_date *d, struct tthc_date *out)
{
	out->year = d->year;
	out->month = d->month ? d->month : 1;
	out->day = d->month && d->day ? d->day : 1;
}

TTHC_EXPORT void tthc_date_last(const struct tthc_date *d, struct tthc_date *out)
{
	out->year = d->year;
	out->month = d->month ? d->month : 12;
	out->day = d->month && d->day ? d->day : month_days(out->year, out->month);
}

TTHC_EXPORT int tthc_date_cmp(const struct tthc_date *a, const struct tthc_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

/*
 * Completed years: the birthday must have come.  Someone born on 29 February completes a
 * year on 1 March in common years, as the day/month comparison gives.
 */
TTHC_EXPORT int tthc_date_age(const struct tthc_date *birth, const struct tthc_date *on)
{
	int age = on->year - birth->year;

	if (on->month < birth->month ||
	    (on->month == birth->month && on->day < birth->day))
		age--;
	return age;
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

TTHC_EXPORT long tthc_date_days(const struct tthc_date *a, const struct tthc_date *b)
{
	return days_from_civil(b->year, b->month, b->day) -
	       days_from_civil(a->year, a->month, a->day);
}
