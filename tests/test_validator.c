/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/validator.c: hostile documents, size limits, the samples. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <cmocka.h>

#include "tthc.h"

static struct tthc_ctx *ctx;
static struct tthc_validator *validator;

static const char small_valid[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                  "<HoSo xmlns=\"urn:tthc:hoso:1\">\n"
                                  "<MaHoSo>000.00.31.H29-230405-0001</MaHoSo>\n"
                                  "<MaTTHC>1.001193</MaTTHC>\n"
                                  "</HoSo>\n";

/* Validates buf; checks that exactly one finding was made, with this rule id. */
static struct tthc_report *only(const char *buf, size_t len, const char *rule)
{
	struct tthc_report *r = NULL;

	assert_int_equal(tthc_validator_memory(validator, buf, len, "t.xml", NULL, &r),
	                 0);
	for (size_t i = 0; i < tthc_report_count(r); i++)
		print_message("  %s: %s\n", tthc_report_get(r, i)->rule,
		              tthc_report_get(r, i)->message);
	assert_int_equal(tthc_report_count(r), 1);
	assert_string_equal(tthc_report_get(r, 0)->rule, rule);
	assert_int_equal(tthc_report_errors(r), 1);
	return r;
}

static void expect_only(const char *buf, size_t len, const char *rule)
{
	tthc_report_free(only(buf, len, rule));
}

static void test_billion_laughs(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE HoSo [\n"
	    " <!ENTITY a \"ha\">\n"
	    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	    " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	    " <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	    " <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	    " <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	    " <!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
	    "]>\n"
	    "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>&i;</MaTTHC></HoSo>\n";

	(void)state;
	expect_only(doc, sizeof(doc) - 1, "TTHC-XML-002");
}

static void test_external_entity(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE HoSo [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>&x;</MaTTHC></HoSo>\n";
	struct tthc_report *r;
	const struct tthc_diag *d;

	(void)state;
	r = only(doc, sizeof(doc) - 1, "TTHC-XML-002");
	d = tthc_report_get(r, 0);
	assert_null(strstr(d->message, "root:"));
	assert_null(strstr(d->path, "root:"));
	assert_string_equal(tthc_report_procedure(r) ? tthc_report_procedure(r) : "", "");
	tthc_report_free(r);
}

static void test_not_well_formed(void **state)
{
	static const char garbage[] = "\x00\x01\xfe\xff\x89PNG\r\n\x1a\n\xde\xad\xbe\xef";
	static const char latin1[] =
	    "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaHoSo>Tr\xe2n V\xe3n"
	    "</MaHoSo></HoSo>";
	static const char *const texts[] = {
		"<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>1.001193</MaTTHC>", /* unclosed
		                                                              */
		"<HoSo xmlns=\"urn:tthc:hoso:1\"><a></b></HoSo>",
		"just text",
		"<HoSo xmlns=\"urn:tthc:hoso:1\">&undefined;</HoSo>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
	};

	(void)state;
	expect_only(small_valid, sizeof(small_valid) / 2, "TTHC-XML-001"); /* truncated */
	expect_only(garbage, sizeof(garbage) - 1, "TTHC-XML-001");
	expect_only("", 0, "TTHC-XML-001");
	expect_only(latin1, sizeof(latin1) - 1, "TTHC-XML-001");
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect_only(texts[i], strlen(texts[i]), "TTHC-XML-001");
}

static void test_size_limit(void **state)
{
	char *big = malloc(4096);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', 4096);
	memcpy(big, small_valid, sizeof(small_valid) - 1);
	assert_int_equal(tthc_ctx_set_max_size(ctx, 2048), 0);
	expect_only(big, 4096, "TTHC-XML-003");
	assert_int_equal(tthc_ctx_set_max_size(ctx, 1023), -EINVAL);
	assert_int_equal(tthc_ctx_set_max_size(ctx, 32u << 20), 0);
	free(big);
}

static char *nested(int depth)
{
	static const char head[] =
	    "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>1.001193</MaTTHC>";
	size_t len = sizeof(head) + (size_t)depth * 7 + 16;
	char *doc = malloc(len), *p;

	assert_non_null(doc);
	p = doc + sprintf(doc, "%s", head);
	for (int i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	for (int i = 0; i < depth; i++)
		p += sprintf(p, "</a>");
	sprintf(p, "</HoSo>");
	return doc;
}

/* Deep nesting must neither exhaust the stack nor take long. */
static void test_deep_nesting(void **state)
{
	char *deep = nested(100000), *shallow = nested(200);

	(void)state;
	expect_only(deep, strlen(deep), "TTHC-XML-001");
	/* Within the parser's depth limit: the schema rejects it, the rules walk it. */
	expect_only(shallow, strlen(shallow), "TTHC-XSD-001");
	free(deep);
	free(shallow);
}

static void test_wrong_root(void **state)
{
	static const char *const docs[] = {
		"<Foo xmlns=\"urn:tthc:hoso:1\"/>",
		"<HoSo><MaTTHC>1.001193</MaTTHC></HoSo>",
		"<HoSo xmlns=\"urn:tthc:hoso:2\"/>",
		"<x:HoSo xmlns:x=\"urn:other\"/>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		expect_only(docs[i], strlen(docs[i]), "TTHC-XML-004");
}

static void test_unknown_procedure(void **state)
{
	static const char missing[] = "<HoSo xmlns=\"urn:tthc:hoso:1\"/>";
	static const char unknown[] =
	    "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>9.999999</MaTTHC>"
	    "</HoSo>";

	(void)state;
	expect_only(missing, sizeof(missing) - 1, "TTHC-PROC-001");
	expect_only(unknown, sizeof(unknown) - 1, "TTHC-PROC-001");
}

static void test_missing_file(void **state)
{
	struct tthc_report *r = NULL;

	(void)state;
	assert_true(tthc_validator_file(validator, "/nonexistent/dossier.xml", NULL, &r) <
	            0);
	assert_null(r);
	assert_true(strstr(tthc_validator_error(validator), "/nonexistent/dossier.xml") !=
	            NULL);
}

/* "tthc-id-003-sex.xml" names rule TTHC-ID-003; returns 0 for other names. */
static int rule_of(const char *path, char *rule, size_t size)
{
	const char *base = strrchr(path, '/');
	int dashes = 0;
	size_t n;

	base = base ? base + 1 : path;
	for (n = 0; base[n] && n + 1 < size; n++) {
		if (base[n] == '-' && ++dashes == 3)
			break;
		rule[n] = (char)toupper((unsigned char)base[n]);
	}
	rule[n] = '\0';
	return dashes == 3 && strncmp(rule, "TTHC-", 5) == 0;
}

static int has_error(const struct tthc_report *r, const char *rule)
{
	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);

		if (d->severity == TTHC_SEV_ERROR && strcmp(d->rule, rule) == 0)
			return 1;
	}
	return 0;
}

static void check_sample(const char *path, int valid)
{
	struct tthc_report *r = NULL;
	char rule[32];
	int ret = tthc_validator_file(validator, path, NULL, &r);

	print_message("%s\n", path);
	if (ret < 0)
		fail_msg("%s: %s", path, tthc_validator_error(validator));
	for (size_t i = 0; i < tthc_report_count(r); i++)
		print_message("  %lu %s: %s\n", tthc_report_get(r, i)->line,
		              tthc_report_get(r, i)->rule,
		              tthc_report_get(r, i)->message);
	if (valid) {
		assert_int_equal(tthc_report_errors(r), 0);
	} else {
		if (!rule_of(path, rule, sizeof(rule)))
			fail_msg("%s: name does not start with tthc-xxx-nnn-", path);
		if (!has_error(r, rule))
			fail_msg("%s: no error %s reported", path, rule);
	}
	tthc_report_free(r);
}

/* Samples in valid/ have no errors; each in invalid/ has the error its name gives. */
static void test_samples(void **state)
{
	const char *dir = getenv("TTHC_SAMPLES");
	char pattern[4096];
	glob_t valid = { 0 }, invalid = { 0 };

	(void)state;
	if (!dir)
		skip();
	snprintf(pattern, sizeof(pattern), "%s/*/valid/*.xml", dir);
	glob(pattern, 0, NULL, &valid);
	snprintf(pattern, sizeof(pattern), "%s/*/invalid/*.xml", dir);
	glob(pattern, 0, NULL, &invalid);
	if (valid.gl_pathc + invalid.gl_pathc == 0) {
		globfree(&valid);
		globfree(&invalid);
		skip();
	}
	for (size_t i = 0; i < valid.gl_pathc; i++)
		check_sample(valid.gl_pathv[i], 1);
	for (size_t i = 0; i < invalid.gl_pathc; i++)
		check_sample(invalid.gl_pathv[i], 0);
	globfree(&valid);
	globfree(&invalid);
}

/* An element with a million attributes is refused before libxml2's quadratic check. */
static void test_attribute_flood(void **state)
{
	size_t n = 1000000, len = 0;
	char *doc = malloc(n * 12 + 64);
	struct tthc_report *r;

	(void)state;
	assert_non_null(doc);
	len += (size_t)sprintf(doc, "<HoSo xmlns=\"urn:tthc:hoso:1\"");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(doc + len, " a%zu='1'", i);
	len += (size_t)sprintf(doc + len, "/>");
	r = only(doc, len, "TTHC-XML-001");
	assert_non_null(strstr(tthc_report_get(r, 0)->message, "attributes"));
	tthc_report_free(r);
	/*
	 * The same in UTF-16, a quote's byte inside a wide character first: the scan goes
	 * unit by unit, and the guard holds.
	 */
	{
		size_t m = 100000, k = 0;
		char *wide = malloc(m * 24 + 256);
		const char *head = "<HoSo xmlns='urn:tthc:hoso:1' z=\"";

		assert_non_null(wide);
		wide[k++] = (char)0xFF;
		wide[k++] = (char)0xFE;
		for (const char *c = head; *c; c++) {
			wide[k++] = *c;
			wide[k++] = 0;
		}
		wide[k++] = 0x00; /* U+2200: its high byte is '"' */
		wide[k++] = 0x22;
		wide[k++] = '"';
		wide[k++] = 0;
		for (size_t i = 0; i < m; i++) {
			char one[24];
			int w = snprintf(one, sizeof(one), " a%zu='1'", i);

			for (int j = 0; j < w; j++) {
				wide[k++] = one[j];
				wide[k++] = 0;
			}
		}
		wide[k++] = '/';
		wide[k++] = 0;
		wide[k++] = '>';
		wide[k++] = 0;
		r = only(wide, k, "TTHC-XML-001");
		assert_non_null(strstr(tthc_report_get(r, 0)->message, "attributes"));
		tthc_report_free(r);
		free(wide);
	}
	/* A few attributes, quotes holding '=' and '>', comments: all fine. */
	expect_only(
	    "<HoSo xmlns='urn:tthc:hoso:2' a='x=>y' b=\"=\"><!-- a=b c=d --></HoSo>",
	    strlen("<HoSo xmlns='urn:tthc:hoso:2' a='x=>y' b=\"=\">"
	           "<!-- a=b c=d --></HoSo>"),
	    "TTHC-XML-004");
	free(doc);
}

/* An oversized input is read only to the limit plus one byte. */
static void test_read_bound(void **state)
{
	char path[] = "/tmp/tthc-test-bound-XXXXXX";
	int fd = mkstemp(path);
	struct tthc_report *r = NULL;
	static char block[65536];

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	for (int i = 0; i < 64; i++) /* 4 MiB */
		assert_int_equal(write(fd, block, sizeof(block)), (ssize_t)sizeof(block));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(tthc_ctx_set_max_size(ctx, 1 << 20), 0);
	assert_int_equal(tthc_validator_fd(validator, fd, "big.xml", NULL, &r), 0);
	assert_string_equal(tthc_report_get(r, 0)->rule, "TTHC-XML-003");
	assert_int_equal(lseek(fd, 0, SEEK_CUR), (1 << 20) + 1);
	assert_int_equal(tthc_ctx_set_max_size(ctx, 32u << 20), 0);
	tthc_report_free(r);
	close(fd);
}

/* A dossier in another encoding is read, and reported: the format is UTF-8. */
static void test_encoding(void **state)
{
	static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	                             "<HoSo xmlns=\"urn:tthc:hoso:1\"/>";
	static const char ascii[] = "<HoSo xmlns=\"urn:tthc:hoso:1\"/>";
	char utf16[2 + 2 * sizeof(ascii)];
	size_t n16 = 2;
	int seen = 0;
	static const char bom8[] = "\xef\xbb\xbf<HoSo xmlns=\"urn:tthc:hoso:9\"/>";
	struct tthc_report *r = NULL;

	(void)state;
	assert_int_equal(tthc_validator_memory(validator, latin1, sizeof(latin1) - 1,
	                                       "l.xml", NULL, &r),
	                 0);
	assert_string_equal(tthc_report_get(r, 0)->rule, "TTHC-XML-005");
	tthc_report_free(r);
	/* UTF-16LE with a byte-order mark and no declaration. */
	utf16[0] = '\xff';
	utf16[1] = '\xfe';
	for (size_t i = 0; ascii[i]; i++) {
		utf16[n16++] = ascii[i];
		utf16[n16++] = '\0';
	}
	assert_int_equal(tthc_validator_memory(validator, utf16, n16, "u.xml", NULL, &r),
	                 0);
	for (size_t i = 0; i < tthc_report_count(r); i++)
		seen |= strcmp(tthc_report_get(r, i)->rule, "TTHC-XML-005") == 0;
	assert_true(seen);
	tthc_report_free(r);
	/* UTF-8 with a byte-order mark is UTF-8: only the wrong root is reported. */
	expect_only(bom8, sizeof(bom8) - 1, "TTHC-XML-004");
}

/* The rule ids and lines of a report, as one string to compare reports by. */
static void signature(const struct tthc_report *r, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < tthc_report_count(r) && len < size; i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);
		int n = snprintf(buf + len, size - len, "%s@%lu;", d->rule, d->line);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/*
 * A validator reuses its parser and buffers from file to file: a document must get the
 * same findings after a hostile one as from a fresh validator.
 */
/*
 * Digests off (the packer hashes while copying): no TTHC-FILE-005, but a file that does
 * not start as its extension says is still found; on again, the digest is checked again.
 */
static void test_no_digests(void **state)
{
	const char *dir = getenv("TTHC_SAMPLES");
	char hash[1024], magic[1024];
	struct tthc_report *r = NULL;

	(void)state;
	assert_non_null(dir);
	snprintf(hash, sizeof(hash),
	         "%s/lien-thong-khai-sinh/invalid/tthc-file-005-hash.xml", dir);
	snprintf(magic, sizeof(magic),
	         "%s/lien-thong-khai-sinh/invalid/tthc-file-006-png.xml", dir);
	tthc_validator_set_digests(validator, 0);
	assert_int_equal(tthc_validator_file(validator, hash, NULL, &r), 0);
	assert_false(has_error(r, "TTHC-FILE-005"));
	assert_int_equal(tthc_report_errors(r), 0);
	tthc_report_free(r);
	assert_int_equal(tthc_validator_file(validator, magic, NULL, &r), 0);
	assert_true(has_error(r, "TTHC-FILE-006"));
	tthc_report_free(r);
	tthc_validator_set_digests(validator, 1);
	assert_int_equal(tthc_validator_file(validator, hash, NULL, &r), 0);
	assert_true(has_error(r, "TTHC-FILE-005"));
	tthc_report_free(r);
}

static void test_reuse_after_hostile(void **state)
{
	static const char *const hostile[] = {
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><HoSo/>",
		"<HoSo xmlns=\"urn:tthc:hoso:1\"><MaHoSo>x</Ma",
		"\x89PNG\r\n\x1a\n\x00\x00garbage",
	};
	const char *dir = getenv("TTHC_SAMPLES");
	const char *names[] = { "khai-sinh/valid/ks-01.xml",
		                "khai-sinh/invalid/tthc-id-003-sex-digit.xml" };
	char path[4096], fresh_sig[2048], reused_sig[2048];

	(void)state;
	if (!dir)
		skip();
	for (size_t round = 0; round < 3; round++) {
		for (size_t k = 0; k < 2; k++) {
			struct tthc_validator *fresh;
			struct tthc_report *a = NULL, *b = NULL;

			snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
			expect_only(hostile[round], strlen(hostile[round]),
			            round == 0 ? "TTHC-XML-002" : "TTHC-XML-001");
			assert_int_equal(tthc_validator_file(validator, path, NULL, &a),
			                 0);
			assert_int_equal(tthc_validator_new(ctx, &fresh), 0);
			assert_int_equal(tthc_validator_file(fresh, path, NULL, &b), 0);
			signature(a, reused_sig, sizeof(reused_sig));
			signature(b, fresh_sig, sizeof(fresh_sig));
			assert_string_equal(reused_sig, fresh_sig);
			/* The invalid sample must have findings, or the comparison proves
			 * little. */
			assert_int_equal(tthc_report_errors(a) > 0, k == 1);
			tthc_report_free(a);
			tthc_report_free(b);
			tthc_validator_free(fresh);
		}
	}
}

/* A dossier of n empty elements after MaTTHC; its length in *len. */
static char *empty_elements(size_t n, size_t *len)
{
	static const char head[] =
	    "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>1.001193</MaTTHC>";
	char *doc = malloc(sizeof(head) + n * 4 + 16);

	assert_non_null(doc);
	memcpy(doc, head, sizeof(head) - 1);
	*len = sizeof(head) - 1;
	for (size_t i = 0; i < n; i++, *len += 4)
		memcpy(doc + *len, "<a/>", 4);
	*len += (size_t)sprintf(doc + *len, "</HoSo>");
	return doc;
}

/*
 * A dossier under the size limit whose tree would take more than its memory budget (a
 * million empty elements): refused as too large once the budget is spent, quickly; the
 * validator then reads the next dossier as a fresh one would.
 */
static void test_tree_budget(void **state)
{
	const char *dir = getenv("TTHC_SAMPLES");
	size_t len;
	char *doc = empty_elements(1000000, &len);
	struct tthc_report *r;

	(void)state;
	r = only(doc, len, "TTHC-XML-003");
	assert_non_null(strstr(tthc_report_get(r, 0)->message, "MiB of memory"));
	tthc_report_free(r);
	if (dir) {
		char path[4096], fresh_sig[2048], reused_sig[2048];
		struct tthc_validator *fresh;
		struct tthc_report *a = NULL, *b = NULL;

		snprintf(path, sizeof(path),
		         "%s/khai-sinh/invalid/tthc-id-003-sex-digit.xml", dir);
		assert_int_equal(tthc_validator_file(validator, path, NULL, &a), 0);
		assert_int_equal(tthc_validator_new(ctx, &fresh), 0);
		assert_int_equal(tthc_validator_file(fresh, path, NULL, &b), 0);
		signature(a, reused_sig, sizeof(reused_sig));
		signature(b, fresh_sig, sizeof(fresh_sig));
		assert_string_equal(reused_sig, fresh_sig);
		assert_true(tthc_report_errors(a) > 0);
		tthc_report_free(a);
		tthc_report_free(b);
		tthc_validator_free(fresh);
	}
	free(doc);
	/* 20,000 of them fit: the parse completes and the schema refuses them. */
	doc = empty_elements(20000, &len);
	expect_only(doc, len, "TTHC-XSD-001");
	free(doc);
}

static int setup(void **state)
{
	const char *schemas = getenv("TTHC_SCHEMA_DIR");

	(void)state;
	if (!schemas || tthc_ctx_new(&ctx) < 0 ||
	    tthc_ctx_set_schema_dir(ctx, schemas) < 0)
		return -1;
	return tthc_validator_new(ctx, &validator) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	tthc_validator_free(validator);
	tthc_ctx_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_external_entity),
		cmocka_unit_test(test_not_well_formed),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_unknown_procedure),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_reuse_after_hostile),
		cmocka_unit_test(test_attribute_flood),
		cmocka_unit_test(test_tree_budget),
		cmocka_unit_test(test_read_bound),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_no_digests),
	};

	return cmocka_run_group_tests_name("validator", tests, setup, teardown);
}
