/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/diff.c: exact unified diffs, and patches that rebuild the text. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tthc.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *diff(const char *a, const char *b, unsigned ctx)
{
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(
	    tthc_diff_unified(a, strlen(a), b, strlen(b), "a/x", "b/x", ctx, &out, &len),
	    0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

/* Lines "1\n" .. "n\n", with line k replaced by repl (NULL: dropped) when k > 0. */
static char *numbered(int n, int k, const char *repl)
{
	char *s = calloc(1, (size_t)n * 16 + 64);

	for (int i = 1; i <= n; i++) {
		if (i == k) {
			if (repl)
				strcat(s, repl);
			continue;
		}
		sprintf(s + strlen(s), "%d\n", i);
	}
	return s;
}

static const struct {
	const char *name, *old, *new_text, *want;
} cases[] = {
	{ "identical", "a\nb\nc\n", "a\nb\nc\n", "" },
	{ "both empty", "", "", "" },
	{ "change in the middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
	  "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
	  "--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n" },
	{ "insert after the first line", "1\n2\n3\n4\n5\n", "1\nnew\n2\n3\n4\n5\n",
	  "--- a/x\n+++ b/x\n@@ -1,4 +1,5 @@\n 1\n+new\n 2\n 3\n 4\n" },
	{ "delete the last line", "1\n2\n3\n4\n5\n", "1\n2\n3\n4\n",
	  "--- a/x\n+++ b/x\n@@ -2,4 +2,3 @@\n 2\n 3\n 4\n-5\n" },
	{ "from nothing", "", "a\nb\n", "--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n" },
	{ "to nothing", "a\n", "", "--- a/x\n+++ b/x\n@@ -1 +0,0 @@\n-a\n" },
	{ "one line changed", "a\n", "b\n", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n" },
	{ "no newline at the end", "a\nb", "a\nc",
	  "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
	  "\\ No newline at end of file\n" },
	{ "newline added at the end", "a\nb", "a\nb\n",
	  "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of "
	  "file\n+b\n" },
	{ "deletions before insertions", "x\na\nb\ny\n", "x\nc\nd\ny\n",
	  "--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n x\n-a\n-b\n+c\n+d\n y\n" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		char *got = diff(cases[i].old, cases[i].new_text, 3);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got\n%s\nwant\n%s", cases[i].name, got,
			         cases[i].want);
		free(got);
	}
}

static void test_hunks_split_and_join(void **state)
{
	char *a = numbered(30, 0, NULL), *b, *got;

	(void)state;
	/* Changes 10 lines apart: two hunks of three lines of context. */
	b = numbered(30, 0, NULL);
	memcpy(strstr(b, "\n5\n") + 1, "X", 1);
	memcpy(strstr(b, "\n15\n") + 1, "Y5", 2);
	got = diff(a, b, 3);
	assert_string_equal(
	    got, "--- a/x\n+++ b/x\n"
	         "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"
	         "@@ -12,7 +12,7 @@\n 12\n 13\n 14\n-15\n+Y5\n 16\n 17\n 18\n");
	free(got);
	free(b);
	/* Six equal lines between two changes: still one hunk (2 * context). */
	b = numbered(30, 0, NULL);
	memcpy(strstr(b, "\n5\n") + 1, "X", 1);
	memcpy(strstr(b, "\n12\n") + 1, "Y2", 2);
	got = diff(a, b, 3);
	assert_string_equal(got, "--- a/x\n+++ b/x\n"
	                         "@@ -2,14 +2,14 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n 9\n"
	                         " 10\n 11\n-12\n+Y2\n 13\n 14\n 15\n");
	free(got);
	free(b);
	/* Context 0. */
	b = numbered(30, 7, "seven\n");
	got = diff(a, b, 0);
	assert_string_equal(got, "--- a/x\n+++ b/x\n@@ -7 +7 @@\n-7\n+seven\n");
	free(got);
	free(b);
	b = numbered(30, 7, NULL);
	got = diff(a, b, 0);
	assert_string_equal(got, "--- a/x\n+++ b/x\n@@ -7 +6,0 @@\n-7\n");
	free(got);
	free(b);
	free(a);
}

/* ---- every diff, applied to the old text, gives the new one ---- */

struct lines {
	char **v;
	size_t n;
};

static void split(const char *s, struct lines *l)
{
	l->v = calloc(strlen(s) + 1, sizeof(*l->v));
	l->n = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s + 1) : strlen(s);

		l->v[l->n++] = strndup(s, len);
		s += len;
	}
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Applies a unified diff (as this library writes it) and returns the text. */
static char *patch(const char *old, const char *d, size_t *changed)
{
	struct lines a, p;
	char *out = calloc(1, strlen(old) + strlen(d) + 1), *end = out;
	size_t ai = 0, pi = 2;

	split(old, &a);
	split(d, &p);
	*changed = 0;
	while (pi < p.n) {
		long start, count = 1;

		assert_int_equal(strncmp(p.v[pi], "@@ -", 4), 0);
		sscanf(p.v[pi] + 4, "%ld,%ld", &start, &count);
		if (!strchr(p.v[pi] + 4, ',') ||
		    strchr(p.v[pi] + 4, ',') > strchr(p.v[pi] + 4, ' '))
			count = 1;
		if (count == 0)
			start++; /* "-N,0": after line N */
		while (ai + 1 < (size_t)start)
			end = stpcpy(end, a.v[ai++]);
		for (pi++; pi < p.n && p.v[pi][0] != '@'; pi++) {
			char *line = p.v[pi] + 1;
			int nonl = pi + 1 < p.n && p.v[pi + 1][0] == '\\';

			if (p.v[pi][0] == '\\')
				continue;
			if (nonl)
				line[strlen(line) - 1] = '\0';
			if (p.v[pi][0] == ' ') {
				assert_string_equal(a.v[ai], line);
				end = stpcpy(end, a.v[ai++]);
			} else if (p.v[pi][0] == '-') {
				assert_string_equal(a.v[ai], line);
				ai++;
				(*changed)++;
			} else {
				assert_int_equal(p.v[pi][0], '+');
				end = stpcpy(end, line);
				(*changed)++;
			}
		}
	}
	while (ai < a.n)
		end = stpcpy(end, a.v[ai++]);
	lines_free(&a);
	lines_free(&p);
	return out;
}

/* The length of the longest common subsequence of lines: a minimal diff changes the rest.
 */
static size_t lcs(const struct lines *a, const struct lines *b)
{
	size_t *row = calloc((b->n + 1) * (a->n + 1), sizeof(*row)), r;

	for (size_t i = 1; i <= a->n; i++)
		for (size_t j = 1; j <= b->n; j++) {
			size_t *c = &row[i * (b->n + 1) + j];

			if (strcmp(a->v[i - 1], b->v[j - 1]) == 0)
				*c = row[(i - 1) * (b->n + 1) + j - 1] + 1;
			else
				*c = row[(i - 1) * (b->n + 1) + j] >
				             row[i * (b->n + 1) + j - 1]
				         ? row[(i - 1) * (b->n + 1) + j]
				         : row[i * (b->n + 1) + j - 1];
		}
	r = row[a->n * (b->n + 1) + b->n];
	free(row);
	return r;
}

static char *random_text(unsigned *seed, int lines)
{
	char *s = calloc(1, (size_t)lines * 4 + 2);

	for (int i = 0; i < lines; i++) {
		char line[4] = { (char)('a' + rand_r(seed) % 4), '\n', 0 };

		strcat(s, line);
	}
	if (lines && rand_r(seed) % 5 == 0)
		s[strlen(s) - 1] = '\0'; /* sometimes no newline at the end */
	return s;
}

static void test_random_patches(void **state)
{
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		char *a = random_text(&seed, (int)(rand_r(&seed) % 30));
		char *b = random_text(&seed, (int)(rand_r(&seed) % 30));
		char *d = diff(a, b, (unsigned)(rand_r(&seed) % 4)), *back;
		struct lines la, lb;
		size_t changed;

		split(a, &la);
		split(b, &lb);
		if (strcmp(a, b) == 0) {
			assert_string_equal(d, "");
		} else {
			back = patch(a, d, &changed);
			if (strcmp(back, b) != 0)
				fail_msg("round %d: patch gave\n%s\nwant\n%s\ndiff\n%s",
				         round, back, b, d);
			/* Minimal: every line not in a longest common subsequence. */
			assert_int_equal(changed, la.n + lb.n - 2 * lcs(&la, &lb));
			free(back);
		}
		lines_free(&la);
		lines_free(&lb);
		free(a);
		free(b);
		free(d);
	}
}

/* Texts with nothing in common: the search gives up early and the diff stays right. */
static void test_large_disjoint(void **state)
{
	size_t n = 20000, len = n * 8;
	char *a = malloc(len + 1), *b = malloc(len + 1), *d, *back;
	size_t dlen, changed;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		snprintf(a + i * 8, 9, "a%06zu\n", i);
		snprintf(b + i * 8, 9, "%s\n", i % 3 ? "b000000" : "a000000");
	}
	assert_int_equal(tthc_diff_unified(a, len, b, len, "a", "b", 3, &d, &dlen), 0);
	back = patch(a, d, &changed);
	assert_string_equal(back, b);
	free(back);
	free(d);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_hunks_split_and_join),
		cmocka_unit_test(test_random_patches),
		cmocka_unit_test(test_large_disjoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
