/* SPDX-License-Identifier: MIT */
/* Reports: the list of findings about one document, as data for the caller to format. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct tthc_report {
	char *file;
	char *procedure;
	struct tthc_diag *diags;
	size_t count, alloc;
	size_t errors, warnings;
	size_t dropped;
};

struct tthc_report *tthc_report_new(const char *file)
{
	struct tthc_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->file = strdup(file ? file : "-");
	if (!r->file) {
		free(r);
		return NULL;
	}
	return r;
}

TTHC_EXPORT void tthc_report_free(struct tthc_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		free((char *)r->diags[i].path);
		free((char *)r->diags[i].message);
		if (r->diags[i].file != r->file)
			free((char *)r->diags[i].file);
	}
	free(r->diags);
	free(r->procedure);
	free(r->file);
	free(r);
}

static int count_severity(struct tthc_report *r, enum tthc_severity sev)
{
	if (sev == TTHC_SEV_ERROR)
		r->errors++;
	else
		r->warnings++;
	return 0;
}

/* Appends one finding; file NULL means the report's own name. */
static int add_diag(struct tthc_report *r, enum tthc_severity sev, const char *rule,
                    const char *file, unsigned long line, const char *path,
                    const char *fmt, va_list ap)
{
	struct tthc_diag *d;
	char *msg, *fcopy = NULL;

	if (r->count >= TTHC_MAX_FINDINGS) {
		r->dropped++;
		return count_severity(r, sev);
	}
	if (r->count == r->alloc) {
		size_t n = r->alloc ? 2 * r->alloc : 8;
		struct tthc_diag *nd = realloc(r->diags, n * sizeof(*nd));

		if (!nd)
			return -ENOMEM;
		r->diags = nd;
		r->alloc = n;
	}
	if (file && strcmp(file, r->file) != 0 && !(fcopy = strdup(file)))
		return -ENOMEM;
	if (vasprintf(&msg, fmt, ap) < 0) {
		free(fcopy);
		return -ENOMEM;
	}
	d = &r->diags[r->count];
	d->path = strdup(path ? path : "");
	if (!d->path) {
		free(msg);
		free(fcopy);
		return -ENOMEM;
	}
	d->severity = sev;
	d->rule = rule;
	d->file = fcopy ? fcopy : r->file;
	d->line = line;
	d->message = msg;
	r->count++;
	return count_severity(r, sev);
}

int tthc_report_vadd(struct tthc_report *r, const char *rule, unsigned long line,
                     const char *path, const char *fmt, va_list ap)
{
	const struct tthc_rule *info = tthc_rule_find(rule);

	return add_diag(r, info ? info->severity : TTHC_SEV_ERROR,
	                info ? info->id : "TTHC-INTERNAL", NULL, line, path, fmt, ap);
}

int tthc_report_add_id(struct tthc_report *r, const char *id, enum tthc_severity sev,
                       const char *file, unsigned long line, const char *path,
                       const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = add_diag(r, sev, id, file, line, path, fmt, ap);
	va_end(ap);
	return ret;
}

int tthc_report_add(struct tthc_report *r, const char *rule, unsigned long line,
                    const char *path, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = tthc_report_vadd(r, rule, line, path, fmt, ap);
	va_end(ap);
	return ret;
}

int tthc_report_set_procedure(struct tthc_report *r, const char *code)
{
	char *copy = strdup(code);

	if (!copy)
		return -ENOMEM;
	free(r->procedure);
	r->procedure = copy;
	return 0;
}

/* Insertion sort: reports are short and mostly in order already, and it is stable. */
void tthc_report_sort(struct tthc_report *r)
{
	for (size_t i = 1; i < r->count; i++) {
		struct tthc_diag tmp = r->diags[i];
		size_t j = i;

		while (j > 0 && r->diags[j - 1].line > tmp.line) {
			r->diags[j] = r->diags[j - 1];
			j--;
		}
		r->diags[j] = tmp;
	}
}

TTHC_EXPORT size_t tthc_report_count(const struct tthc_report *r)
{
	return r->count;
}

TTHC_EXPORT const struct tthc_diag *tthc_report_get(const struct tthc_report *r, size_t i)
{
	return i < r->count ? &r->diags[i] : NULL;
}

TTHC_EXPORT size_t tthc_report_errors(const struct tthc_report *r)
{
	return r->errors;
}

TTHC_EXPORT size_t tthc_report_warnings(const struct tthc_report *r)
{
	return r->warnings;
}

TTHC_EXPORT const char *tthc_report_procedure(const struct tthc_report *r)
{
	return r->procedure;
}

TTHC_EXPORT const char *tthc_report_file(const struct tthc_report *r)
{
	return r->file;
}
