/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/report.c: adding findings, severities, counts, sorting. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

static void test_add(void **state)
{
	struct tthc_report *r = tthc_report_new("a.xml");
	const struct tthc_diag *d;

	(void)state;
	assert_non_null(r);
	assert_string_equal(tthc_report_file(r), "a.xml");
	assert_null(tthc_report_procedure(r));
	assert_int_equal(tthc_report_count(r), 0);
	assert_int_equal(tthc_report_add(r, "TTHC-ID-003", 12,
	                                 "/HoSo/NguoiNop/SoDinhDanh", "%s '%s'",
	                                 "SoDinhDanh", "079190001234"),
	                 0);
	assert_int_equal(tthc_report_add(r, "TTHC-TEXT-003", 3, NULL, "blank"), 0);
	assert_int_equal(tthc_report_set_procedure(r, "1.001193"), 0);
	assert_string_equal(tthc_report_procedure(r), "1.001193");
	assert_int_equal(tthc_report_count(r), 2);
	assert_int_equal(tthc_report_errors(r), 1);
	assert_int_equal(tthc_report_warnings(r), 1);
	d = tthc_report_get(r, 0);
	assert_string_equal(d->rule, "TTHC-ID-003");
	assert_int_equal(d->severity, TTHC_SEV_ERROR);
	assert_int_equal(d->line, 12);
	assert_string_equal(d->file, "a.xml");
	assert_string_equal(d->path, "/HoSo/NguoiNop/SoDinhDanh");
	assert_string_equal(d->message, "SoDinhDanh '079190001234'");
	d = tthc_report_get(r, 1);
	assert_int_equal(d->severity, TTHC_SEV_WARNING);
	assert_string_equal(d->path, "");
	assert_null(tthc_report_get(r, 2));
	tthc_report_free(r);
}

/* An id the table does not know is kept visible as an internal error, not dropped. */
static void test_unknown_rule(void **state)
{
	struct tthc_report *r = tthc_report_new(NULL);

	(void)state;
	assert_string_equal(tthc_report_file(r), "-");
	assert_int_equal(tthc_report_add(r, "TTHC-NOPE-001", 1, "", "x"), 0);
	assert_string_equal(tthc_report_get(r, 0)->rule, "TTHC-INTERNAL");
	assert_int_equal(tthc_report_get(r, 0)->severity, TTHC_SEV_ERROR);
	tthc_report_free(r);
}

static void test_sort_stable(void **state)
{
	static const struct {
		unsigned long line;
		const char *tag;
	} in[] = {
		{ 9, "a" }, { 3, "b" }, { 9, "c" }, { 0, "d" }, { 3, "e" }, { 1, "f" }
	};
	static const char *const want = "dfbeac";
	struct tthc_report *r = tthc_report_new("s.xml");
	char got[8] = "";

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(
		    tthc_report_add(r, "TTHC-XSD-001", in[i].line, "", "%s", in[i].tag),
		    0);
	tthc_report_sort(r);
	for (size_t i = 0; i < tthc_report_count(r); i++)
		strcat(got, tthc_report_get(r, i)->message);
	assert_string_equal(got, want);
	tthc_report_free(r);
}

/* Past the limit findings are counted but not kept. */
static void test_limit(void **state)
{
	struct tthc_report *r = tthc_report_new("big.xml");

	(void)state;
	for (int i = 0; i < TTHC_MAX_FINDINGS + 10; i++)
		assert_int_equal(tthc_report_add(r,
		                                 i % 2 ? "TTHC-TEXT-001" : "TTHC-ID-001",
		                                 (unsigned long)i, "", "%d", i),
		                 0);
	assert_int_equal(tthc_report_count(r), TTHC_MAX_FINDINGS);
	assert_int_equal(tthc_report_errors(r) + tthc_report_warnings(r),
	                 TTHC_MAX_FINDINGS + 10);
	assert_int_equal(tthc_report_errors(r), (TTHC_MAX_FINDINGS + 10) / 2);
	assert_string_equal(tthc_report_get(r, TTHC_MAX_FINDINGS - 1)->message, "499");
	tthc_report_free(r);
}

static void test_severity_names(void **state)
{
	(void)state;
	assert_string_equal(tthc_severity_name(TTHC_SEV_ERROR), "error");
	assert_string_equal(tthc_severity_name(TTHC_SEV_WARNING), "warning");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_unknown_rule),
		cmocka_unit_test(test_sort_stable),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_severity_names),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
