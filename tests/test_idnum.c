/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/idnum.c: personal numbers, century digits, the province table. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tthc.h"

static void test_century_digits(void **state)
{
	static const struct {
		const char *s;
		int male, base, year;
	} rows[] = {
		{ "079090000001", 1, 1900, 1990 }, { "079190000001", 0, 1900, 1990 },
		{ "079205000001", 1, 2000, 2005 }, { "079305000001", 0, 2000, 2005 },
		{ "079400000001", 1, 2100, 2100 }, { "079599000001", 0, 2100, 2199 },
		{ "079612000001", 1, 2200, 2212 }, { "079712000001", 0, 2200, 2212 },
		{ "079834000001", 1, 2300, 2334 }, { "079934000001", 0, 2300, 2334 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tthc_idnum id;

		assert_int_equal(tthc_idnum_parse(rows[i].s, &id), 0);
		assert_int_equal(id.province, 79);
		assert_int_equal(id.male, rows[i].male);
		assert_int_equal(id.century_base, rows[i].base);
		assert_int_equal(id.year, rows[i].year);
	}
}

static void test_malformed(void **state)
{
	static const char *const rows[] = {
		"",
		"07909000000",
		"0790900000011",
		"07909000000A",
		" 079090000001",
		"079090000001 ",
		"079-090-00001",
		"０79090000001",
	};
	struct tthc_idnum id;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(tthc_idnum_parse(rows[i], &id), -EINVAL);
	assert_int_equal(tthc_idnum_parse(NULL, &id), -EINVAL);
}

static void test_prefixes(void **state)
{
	static const struct {
		const char *s;
		int province, ret;
	} rows[] = {
		{ "001090000001", 1, 0 },
		{ "096090000001", 96, 0 },
		{ "046090000001", 46, 0 },
		{ "000090000001", 0, -TTHC_E_UNKNOWN },
		{ "003090000001", 3, -TTHC_E_UNKNOWN },
		{ "097090000001", 97, -TTHC_E_UNKNOWN },
		{ "100090000001", 100, -TTHC_E_UNKNOWN },
		{ "999090000001", 999, -TTHC_E_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tthc_idnum id = { 0 };

		assert_int_equal(tthc_idnum_parse(rows[i].s, &id), rows[i].ret);
		/* Filled all the same, so a caller can go on with the other checks. */
		assert_int_equal(id.province, rows[i].province);
		assert_int_equal(id.year, 1990);
	}
}

static void test_province_table(void **state)
{
	/* DOMAIN.md §3.4: 63 codes between 1 and 96. */
	static const int codes[] = { 1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20,
		                     22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
		                     40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60,
		                     62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82,
		                     83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96 };
	int count = 0;

	(void)state;
	assert_int_equal(sizeof(codes) / sizeof(codes[0]), 63);
	for (int c = -5; c < 1005; c++)
		if (tthc_province_name(c))
			count++;
	assert_int_equal(count, 63);
	for (size_t i = 0; i < 63; i++)
		assert_non_null(tthc_province_name(codes[i]));
	assert_string_equal(tthc_province_name(1), "Hà Nội");
	assert_string_equal(tthc_province_name(79), "TP Hồ Chí Minh");
	assert_string_equal(tthc_province_name(46), "Thừa Thiên Huế");
	assert_string_equal(tthc_province_name(66), "Đắk Lắk");
	assert_string_equal(tthc_province_name(77), "Bà Rịa - Vũng Tàu");
	assert_null(tthc_province_name(3));
	assert_null(tthc_province_name(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_century_digits),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_province_table),
	};

	return cmocka_run_group_tests_name("idnum", tests, NULL, NULL);
}
