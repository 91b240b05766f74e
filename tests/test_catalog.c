/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/catalog.c and lib/rules.c: procedure codes and the rule table. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tthc.h"

static void test_find(void **state)
{
	static const struct {
		const char *code, *slug;
		int superseded;
	} rows[] = {
		{ "1.001193", "khai-sinh", 0 },
		{ "1.000656", "khai-tu", 0 },
		{ "1.000894", "ket-hon", 0 },
		{ "3.000722", "lien-thong-khai-sinh", 0 },
		{ "2.002913", "lien-thong-khai-tu", 0 },
		{ "3.000333", "ly-lich-tu-phap", 0 },
		{ "2.000986", "lien-thong-khai-sinh", 1 },
		{ "2.001023", "lien-thong-khai-sinh", 1 },
		{ "2.002621", "lien-thong-khai-sinh", 1 },
		{ "2.002622", "lien-thong-khai-tu", 1 },
		{ "1.001193.000.00.00.H29", "khai-sinh", 0 }, /* local instance */
		{ "2.002622.000.00.31.H29", "lien-thong-khai-tu", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct tthc_procedure *p = NULL;
		int sup = -1;

		print_message("%s\n", rows[i].code);
		assert_int_equal(tthc_procedure_find(rows[i].code, &p, &sup), 0);
		assert_string_equal(p->slug, rows[i].slug);
		assert_int_equal(sup, rows[i].superseded);
	}
}

static void test_unknown(void **state)
{
	static const char *const rows[] = {
		"",
		"1.00119",
		"1.0011934",
		"1.001194", /* well formed, not in the catalogue */
		"2.000528", /* a related procedure we do not validate */
		"1-001193",
		"1.001193.",
		"1.001193.000.00.00.h29",
		"1.001193.000.00.00.H2",
		"1.001193.000.00.00.H290",
		"1.001193 ",
		"x",
	};
	const struct tthc_procedure *p = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		print_message("'%s'\n", rows[i]);
		assert_int_equal(tthc_procedure_find(rows[i], &p, NULL), -TTHC_E_UNKNOWN);
	}
	assert_int_equal(tthc_procedure_find(NULL, &p, NULL), -TTHC_E_UNKNOWN);
}

static void test_procedures(void **state)
{
	(void)state;
	assert_int_equal(tthc_procedure_count(), 6);
	for (size_t i = 0; i < tthc_procedure_count(); i++) {
		const struct tthc_procedure *p = tthc_procedure_get(i), *q = NULL;

		assert_non_null(p);
		assert_int_equal(tthc_procedure_find(p->code, &q, NULL), 0);
		assert_ptr_equal(p, q);
		assert_true(strncmp(p->form, "ToKhai", 6) == 0);
	}
	assert_null(tthc_procedure_get(6));
}

/*
 * doc/FORMAT.md's table is the contract: every rule it lists exists with its severity,
 * and the library has no rule the table lacks.  Returns how many it lists.
 */
static size_t rules_in_format_doc(void)
{
	const char *samples = getenv("TTHC_SAMPLES");
	char path[4096], line[1024];
	size_t count = 0;
	FILE *f;

	assert_non_null(samples);
	snprintf(path, sizeof(path), "%s/../doc/FORMAT.md", samples);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char id[32], sev[16];
		const struct tthc_rule *r;

		if (sscanf(line, "| %31s | %15s |", id, sev) != 2 ||
		    strncmp(id, "TTHC-", 5))
			continue;
		r = tthc_rule_find(id);
		if (!r)
			fail_msg("%s is in FORMAT.md but not in the library", id);
		assert_string_equal(tthc_severity_name(r->severity), sev);
		count++;
	}
	fclose(f);
	return count;
}

static void test_rule_table(void **state)
{
	static const char *const warnings[] = { "TTHC-PROC-002", "TTHC-ID-006",
		                                "TTHC-DATE-004", "TTHC-CODE-005",
		                                "TTHC-TEXT-001", "TTHC-TEXT-002",
		                                "TTHC-TEXT-003" };
	size_t n = tthc_rule_count(), nwarn = 0;

	(void)state;
	assert_int_equal(n, rules_in_format_doc());
	for (size_t i = 0; i < n; i++) {
		const struct tthc_rule *r = tthc_rule_get(i);

		if (i > 0)
			assert_true(strcmp(tthc_rule_get(i - 1)->id, r->id) < 0);
		assert_ptr_equal(tthc_rule_find(r->id), r);
		assert_true(strncmp(r->id, "TTHC-", 5) == 0);
		assert_true(r->summary[0] != '\0');
		if (r->severity == TTHC_SEV_WARNING)
			nwarn++;
	}
	assert_int_equal(nwarn, sizeof(warnings) / sizeof(warnings[0]));
	for (size_t i = 0; i < nwarn; i++)
		assert_int_equal(tthc_rule_find(warnings[i])->severity, TTHC_SEV_WARNING);
	assert_null(tthc_rule_get(n));
	assert_null(tthc_rule_find("TTHC-ID-008"));
	assert_null(tthc_rule_find(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_procedures),
		cmocka_unit_test(test_rule_table),
	};

	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
