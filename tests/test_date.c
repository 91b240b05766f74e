/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/date.c: parsing partial dates, bounds, comparisons, ages, days. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tthc.h"

static void test_parse_valid(void **state)
{
	static const struct {
		const char *s;
		int y, m, d;
	} rows[] = {
		{ "2023-04-05", 2023, 4, 5 },
		{ "2023-04", 2023, 4, 0 },
		{ "2023", 2023, 0, 0 },
		{ "1000-01-01", 1000, 1, 1 },
		{ "9999-12-31", 9999, 12, 31 },
		{ "2024-02-29", 2024, 2, 29 },               /* leap year */
		{ "2000-02-29", 2000, 2, 29 },               /* divisible by 400 */
		{ "2023-04-05T08:30:00+07:00", 2023, 4, 5 }, /* date as written */
		{ "2023-04-05T23:59:59.123Z", 2023, 4, 5 },
		{ "2023-04-05T24:00:00", 2023, 4, 5 },
		{ "2023-04-05Z", 2023, 4, 5 }, /* xs:date with a zone */
		{ "2023-04-05-05:00", 2023, 4, 5 },
		{ "1990-05:00", 1990, 0, 0 }, /* xs:gYear with a zone */
		{ "1990-05+14:00", 1990, 5, 0 },
		{ "1990-05-05:00", 1990, 5, 0 }, /* xs:gYearMonth with a zone */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tthc_date d = { -1, -1, -1 };

		print_message("%s\n", rows[i].s);
		assert_int_equal(tthc_date_parse(rows[i].s, &d), 0);
		assert_int_equal(d.year, rows[i].y);
		assert_int_equal(d.month, rows[i].m);
		assert_int_equal(d.day, rows[i].d);
	}
}

static void test_parse_invalid(void **state)
{
	static const char *const rows[] = {
		"",
		"2023-",
		"2023-4-05",
		"2023-04-5",
		"23-04-05",
		"0999-01-01",
		"12345",
		"2023-00-01",
		"2023-13-01",
		"2023-04-00",
		"2023-04-31",
		"2023-02-29",
		"1900-02-29", /* not leap: divisible by 100 */
		"2100-02-29",
		"2023-04-05T",
		"2023-04T08:00:00",
		"2023T08:00:00",
		"2023-04-05T25:00:00",
		"2023-04-05T24:00:01",
		"2023-04-05T08:60:00",
		"2023-04-05T08:30",
		"2023-04-05 08:30:00",
		" 2023-04-05",
		"2023-04-05 ",
		"2023-04-05+7:00",
		"2023-04-05+15:00",
		"2023-04-05Zx",
		"2023/04/05",
		"０２３-04-05",
		"2023-04-05T08:30:00.Z",
		"abcd",
	};
	struct tthc_date d;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		print_message("'%s'\n", rows[i]);
		assert_int_equal(tthc_date_parse(rows[i], &d), -EINVAL);
	}
	assert_int_equal(tthc_date_parse(NULL, &d), -EINVAL);
}

static void test_bounds(void **state)
{
	static const struct {
		struct tthc_date in, first, last;
	} rows[] = {
		{ { 2023, 0, 0 }, { 2023, 1, 1 }, { 2023, 12, 31 } },
		{ { 2023, 2, 0 }, { 2023, 2, 1 }, { 2023, 2, 28 } },
		{ { 2024, 2, 0 }, { 2024, 2, 1 }, { 2024, 2, 29 } },
		{ { 2023, 4, 0 }, { 2023, 4, 1 }, { 2023, 4, 30 } },
		{ { 2023, 4, 5 }, { 2023, 4, 5 }, { 2023, 4, 5 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tthc_date f, l;

		tthc_date_first(&rows[i].in, &f);
		tthc_date_last(&rows[i].in, &l);
		assert_int_equal(tthc_date_cmp(&f, &rows[i].first), 0);
		assert_int_equal(tthc_date_cmp(&l, &rows[i].last), 0);
	}
}

static void test_cmp(void **state)
{
	static const struct {
		struct tthc_date a, b;
		int sign;
	} rows[] = {
		{ { 2023, 4, 5 }, { 2023, 4, 5 }, 0 },
		{ { 2023, 4, 5 }, { 2023, 4, 6 }, -1 },
		{ { 2023, 5, 1 }, { 2023, 4, 30 }, 1 },
		{ { 2022, 12, 31 }, { 2023, 1, 1 }, -1 },
		{ { 2024, 1, 1 }, { 2023, 12, 31 }, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int c = tthc_date_cmp(&rows[i].a, &rows[i].b);

		assert_int_equal(c > 0 ? 1 : c < 0 ? -1 : 0, rows[i].sign);
	}
}

static void test_age(void **state)
{
	static const struct {
		struct tthc_date birth, on;
		int age;
	} rows[] = {
		{ { 2003, 4, 5 }, { 2023, 4, 5 }, 20 }, /* birthday: completed */
		{ { 2003, 4, 6 }, { 2023, 4, 5 }, 19 }, /* the day before */
		{ { 2003, 5, 1 }, { 2023, 4, 30 }, 19 },
		{ { 2003, 3, 31 }, { 2023, 4, 1 }, 20 },
		{ { 2004, 2, 29 }, { 2023, 2, 28 }, 18 }, /* leap-day birthday, common
		                                             year */
		{ { 2004, 2, 29 }, { 2023, 3, 1 }, 19 },
		{ { 2004, 2, 29 }, { 2024, 2, 29 }, 20 },
		{ { 2023, 4, 5 }, { 2023, 4, 5 }, 0 },
		{ { 2023, 4, 6 }, { 2023, 4, 5 }, -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(tthc_date_age(&rows[i].birth, &rows[i].on), rows[i].age);
}

static void test_days(void **state)
{
	static const struct {
		struct tthc_date a, b;
		long days;
	} rows[] = {
		{ { 2023, 2, 3 }, { 2023, 4, 5 }, 61 },
		{ { 2023, 2, 4 }, { 2023, 4, 5 }, 60 },
		{ { 2024, 2, 3 }, { 2024, 4, 5 }, 62 }, /* leap February */
		{ { 2023, 4, 5 }, { 2023, 4, 5 }, 0 },
		{ { 2023, 4, 5 }, { 2023, 4, 4 }, -1 },
		{ { 1970, 1, 1 }, { 2000, 1, 1 }, 10957 },
		{ { 1900, 1, 1 }, { 2000, 1, 1 }, 36524 },
		{ { 2000, 1, 1 }, { 2100, 1, 1 }, 36525 },
		{ { 1000, 1, 1 }, { 9999, 12, 31 }, 3287181 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(tthc_date_days(&rows[i].a, &rows[i].b), rows[i].days);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid), cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_bounds),      cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_age),         cmocka_unit_test(test_days),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
