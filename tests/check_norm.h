/* SPDX-License-Identifier: MIT */
/* Table checks for the field normaliser tests: result, changed flag, idempotency. */
#ifndef TTHC_TEST_CHECK_NORM_H
#define TTHC_TEST_CHECK_NORM_H

/* One row: what a normaliser must make of in (NULL: refuse it). */
typedef int (*norm_fn)(const char *in, char **out, int *changed);

struct row {
	const char *in;
	const char *want; /* NULL: refused with -EINVAL */
};

static void check_row(norm_fn fn, const struct row *r)
{
	char *out = NULL, *again = NULL;
	int changed = -1, ret;

	ret = fn(r->in, &out, &changed);
	if (!r->want) {
		if (ret != -EINVAL)
			fail_msg("\"%s\": want -EINVAL, got %d (\"%s\")", r->in, ret,
			         ret ? "" : out);
		return;
	}
	if (ret != 0)
		fail_msg("\"%s\": want \"%s\", got %d", r->in, r->want, ret);
	if (strcmp(out, r->want))
		fail_msg("\"%s\": want \"%s\", got \"%s\"", r->in, r->want, out);
	if (changed != (strcmp(r->in, r->want) != 0))
		fail_msg("\"%s\": changed is %d", r->in, changed);
	/* Idempotent: the result is already canonical. */
	ret = fn(out, &again, &changed);
	if (ret != 0 || strcmp(again, out) || changed != 0)
		fail_msg("\"%s\": second pass gave %d \"%s\"", out, ret,
		         ret ? "" : again);
	free(out);
	free(again);
}

#define CHECK_ROWS(fn, rows)                                                             \
	for (size_t i_ = 0; i_ < sizeof(rows) / sizeof(rows[0]); i_++)                   \
	check_row(fn, &rows[i_])

#endif
