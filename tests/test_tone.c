/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/tone.c: tone-mark placement in oa, oe, uy, both ways. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tthc.h"
#include "check_norm.h"

static int to_old(const char *in, char **out, int *changed)
{
	return tthc_tone_restyle(in, TTHC_TONE_OLD, out, changed);
}

static int to_new(const char *in, char **out, int *changed)
{
	return tthc_tone_restyle(in, TTHC_TONE_NEW, out, changed);
}

static int keep(const char *in, char **out, int *changed)
{
	return tthc_tone_restyle(in, TTHC_TONE_KEEP, out, changed);
}

/* Pairs written both ways: {new style, old style}.  Each converts to the other and stays.
 */
static const struct row pairs[] = {
	{ "hoà", "hòa" },
	{ "hoá", "hóa" },
	{ "hoả", "hỏa" },
	{ "hoã", "hõa" },
	{ "hoạ", "họa" },
	{ "khoẻ", "khỏe" },
	{ "xoè", "xòe" },
	{ "hoè", "hòe" },
	{ "thuỷ", "thủy" },
	{ "tuỳ", "tùy" },
	{ "luỹ", "lũy" },
	{ "huỷ", "hủy" },
	{ "uỷ ban", "ủy ban" },
	{ "nguỵ", "ngụy" },
	{ "oà", "òa" },
	{ "HOÀ", "HÒA" },
	{ "Hoà", "Hòa" },
	{ "THUỶ", "THỦY" },
	{ "Thuỷ", "Thủy" },
	{ "KHOẺ", "KHỎE" },
	{ "Uỷ", "Ủy" },
	{ "Đoà", "Đòa" },
	{ "đoạ", "đọa" },
	{ "choà", "chòa" },
	{ "Khánh Hoà", "Khánh Hòa" },
	{ "Nguyễn Thị Thuỷ, Thanh Hoá", "Nguyễn Thị Thủy, Thanh Hóa" },
	{ "(hoà)", "(hòa)" },
	{ "hoà-bình", "hòa-bình" },
};

static void test_to_old(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct row from_new = { pairs[i].in, pairs[i].want };
		struct row same = { pairs[i].want, pairs[i].want };

		check_row(to_old, &from_new);
		check_row(to_old, &same);
	}
}

static void test_to_new(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct row from_old = { pairs[i].want, pairs[i].in };
		struct row same = { pairs[i].in, pairs[i].in };

		check_row(to_new, &from_old);
		check_row(to_new, &same);
	}
}

/* Words whose tone has only one place: both styles leave them alone. */
static void test_fixed(void **state)
{
	static const struct row rows[] = {
		{ "quý", "quý" },
		{ "quả", "quả" },
		{ "Quý", "Quý" },
		{ "QUẢ", "QUẢ" },
		{ "quỳ", "quỳ" },
		{ "hoàng", "hoàng" },
		{ "khuyết", "khuyết" },
		{ "toán", "toán" },
		{ "hoài", "hoài" },
		{ "ngoài", "ngoài" },
		{ "khuya", "khuya" },
		{ "khuỷu", "khuỷu" },
		{ "xoáy", "xoáy" },
		{ "thuế", "thuế" },
		{ "của", "của" },
		{ "mùa", "mùa" },
		{ "hoa", "hoa" },
		{ "thuy", "thuy" },
		{ "khoe", "khoe" },
		{ "hòan", "hòan" },
		{ "Việt Nam", "Việt Nam" },
		{ "café", "café" },
		{ "123", "123" },
		{ "", "" },
		{ "aaaaaaaaaaaaaaaòa", "aaaaaaaaaaaaaaaòa" },
	};

	(void)state;
	CHECK_ROWS(to_old, rows);
	CHECK_ROWS(to_new, rows);
}

static void test_keep(void **state)
{
	static const struct row rows[] = {
		{ "hoà hòa thuỷ thủy", "hoà hòa thuỷ thủy" },
		{ "ho\u0300a", "ho\u0300a" },
	};

	(void)state;
	CHECK_ROWS(keep, rows);
}

/* The result is NFC whatever came in: a decomposed word is composed and restyled. */
static void test_decomposed(void **state)
{
	static const struct row to_old_rows[] = {
		{ "hoa\u0300", "hòa" },
		{ "thuy\u0309", "thủy" },
		{ "ho\u0300a", "hòa" },
	};
	static const struct row to_new_rows[] = {
		{ "ho\u0300a", "hoà" },
		{ "hoa\u0300", "hoà" },
	};

	(void)state;
	CHECK_ROWS(to_new, to_new_rows);
	CHECK_ROWS(to_old, to_old_rows);
}

static void test_bad_input(void **state)
{
	char *out = NULL;
	int changed;

	(void)state;
	assert_int_equal(tthc_tone_restyle("ho\xff", TTHC_TONE_NEW, &out, &changed),
	                 -EINVAL);
	assert_int_equal(tthc_tone_restyle(NULL, TTHC_TONE_NEW, &out, &changed), -EINVAL);
	assert_int_equal(
	    tthc_tone_restyle("hoà", (enum tthc_tone_style)9, &out, &changed), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_old),     cmocka_unit_test(test_to_new),
		cmocka_unit_test(test_fixed),      cmocka_unit_test(test_keep),
		cmocka_unit_test(test_decomposed), cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
