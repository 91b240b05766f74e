/* SPDX-License-Identifier: MIT */
/* A unified line diff of two texts (Myers, linear space), as diff -u prints it. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One side of the comparison: its lines, each as a number shared by equal lines. */
struct side {
	const char **line;
	size_t *len;
	long *id;
	char *changed; /* deleted (old side) or inserted (new side) */
	long n;
};

struct lineset { /* open addressing: line text -> id */
	struct {
		const char *s;
		size_t len;
		uint64_t hash;
		long id;
	} * slot;
	size_t cap;
	long next_id;
};

static uint64_t hash_line(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static long lineset_id(struct lineset *set, const char *s, size_t n)
{
	uint64_t h = hash_line(s, n);
	size_t i = (size_t)h & (set->cap - 1);

	while (set->slot[i].s) {
		if (set->slot[i].hash == h && set->slot[i].len == n &&
		    memcmp(set->slot[i].s, s, n) == 0)
			return set->slot[i].id;
		i = (i + 1) & (set->cap - 1);
	}
	set->slot[i].s = s;
	set->slot[i].len = n;
	set->slot[i].hash = h;
	set->slot[i].id = set->next_id++;
	return set->slot[i].id;
}

static long count_lines(const char *s, size_t n)
{
	long lines = 0;
	const char *p = s, *end = s + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		lines++;
		p = nl ? nl + 1 : end;
	}
	return lines;
}

static int side_init(struct side *sd, const char *s, size_t n, struct lineset *set)
{
	const char *p = s, *end = s + n;
	long i = 0;

	sd->n = count_lines(s, n);
	sd->line = calloc((size_t)sd->n + 1, sizeof(*sd->line));
	sd->len = calloc((size_t)sd->n + 1, sizeof(*sd->len));
	sd->id = calloc((size_t)sd->n + 1, sizeof(*sd->id));
	sd->changed = calloc((size_t)sd->n + 1, 1);
	if (!sd->line || !sd->len || !sd->id || !sd->changed)
		return -ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;

		sd->line[i] = p;
		sd->len[i] = (size_t)(next - p);
		sd->id[i] = lineset_id(set, p, sd->len[i]);
		i++;
		p = next;
	}
	return 0;
}

static void side_free(struct side *sd)
{
	free(sd->line);
	free(sd->len);
	free(sd->id);
	free(sd->changed);
}

/* ---- Myers: find the middle snake, split there, recurse (after GNU diff's diffseq) ----
 */

struct myers {
	const long *a, *b;
	char *da, *db;
	long *fd, *bd; /* furthest reaching x per diagonal, forward and backward */
	long too_expensive;
};

struct split {
	long x, y;
};

/*
 * Past too_expensive edit steps the search stops and splits at the diagonal that got
 * furthest: the diff stays correct, only perhaps not minimal, and time stays bounded on
 * texts that have nothing in common.
 */
static void give_up(const struct myers *m, long xoff, long xlim, long yoff, long ylim,
                    long fmin, long fmax, long bmin, long bmax, struct split *sp)
{
	long fxybest = -1, fxbest = 0, bxybest = LONG_MAX, bxbest = 0;

	for (long d = fmax; d >= fmin; d -= 2) {
		long x = m->fd[d] < xlim ? m->fd[d] : xlim, y = x - d;

		if (ylim < y) {
			x = ylim + d;
			y = ylim;
		}
		if (fxybest < x + y) {
			fxybest = x + y;
			fxbest = x;
		}
	}
	for (long d = bmax; d >= bmin; d -= 2) {
		long x = m->bd[d] > xoff ? m->bd[d] : xoff, y = x - d;

		if (y < yoff) {
			x = yoff + d;
			y = yoff;
		}
		if (x + y < bxybest) {
			bxybest = x + y;
			bxbest = x;
		}
	}
	if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
		sp->x = fxbest;
		sp->y = fxybest - fxbest;
	} else {
		sp->x = bxbest;
		sp->y = bxybest - bxbest;
	}
}

static void middle_snake(struct myers *m, long xoff, long xlim, long yoff, long ylim,
                         struct split *sp)
{
	long *fd = m->fd, *bd = m->bd;
	const long dmin = xoff - ylim, dmax = xlim - yoff;
	const long fmid = xoff - yoff, bmid = xlim - ylim;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	const int odd = (fmid - bmid) & 1;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (long c = 1;; c++) {
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			fmin++;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			fmax--;
		for (long d = fmax; d >= fmin; d -= 2) {
			long lo = fd[d - 1], hi = fd[d + 1];
			long x = lo < hi ? hi : lo + 1, y = x - d;

			while (x < xlim && y < ylim && m->a[x] == m->b[y])
				x++, y++;
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				sp->x = x;
				sp->y = y;
				return;
			}
		}
		if (bmin > dmin)
			bd[--bmin - 1] = LONG_MAX;
		else
			bmin++;
		if (bmax < dmax)
			bd[++bmax + 1] = LONG_MAX;
		else
			bmax--;
		for (long d = bmax; d >= bmin; d -= 2) {
			long lo = bd[d - 1], hi = bd[d + 1];
			long x = lo < hi ? lo : hi - 1, y = x - d;

			while (xoff < x && yoff < y && m->a[x - 1] == m->b[y - 1])
				x--, y--;
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				sp->x = x;
				sp->y = y;
				return;
			}
		}
		if (c >= m->too_expensive) {
			give_up(m, xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax, sp);
			return;
		}
	}
}

static void compare(struct myers *m, long xoff, long xlim, long yoff, long ylim)
{
	struct split sp;

	while (xoff < xlim && yoff < ylim && m->a[xoff] == m->b[yoff])
		xoff++, yoff++;
	while (xlim > xoff && ylim > yoff && m->a[xlim - 1] == m->b[ylim - 1])
		xlim--, ylim--;
	if (xoff == xlim) {
		memset(m->db + yoff, 1, (size_t)(ylim - yoff));
		return;
	}
	if (yoff == ylim) {
		memset(m->da + xoff, 1, (size_t)(xlim - xoff));
		return;
	}
	middle_snake(m, xoff, xlim, yoff, ylim, &sp);
	compare(m, xoff, sp.x, yoff, sp.y);
	compare(m, sp.x, xlim, sp.y, ylim);
}

static int mark_changes(struct side *a, struct side *b)
{
	long diags = a->n + b->n + 3;
	long *buf = malloc(2 * (size_t)diags * sizeof(*buf));
	struct myers m = { a->id, b->id, a->changed, b->changed, NULL, NULL, 1 };

	if (!buf)
		return -ENOMEM;
	/* Diagonals run from -(b->n + 1) to a->n + 1. */
	m.fd = buf + b->n + 1;
	m.bd = buf + diags + b->n + 1;
	for (long d = diags; d; d >>= 2)
		m.too_expensive <<= 1;
	if (m.too_expensive < 4096)
		m.too_expensive = 4096;
	compare(&m, 0, a->n, 0, b->n);
	free(buf);
	return 0;
}

/* ---- output ---- */

struct out {
	char *p;
	size_t n, cap;
	int err;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->err)
		return;
	if (o->n + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		char *p;

		while (cap < o->n + n + 1)
			cap *= 2;
		if (!(p = realloc(o->p, cap))) {
			o->err = -ENOMEM;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void putf(struct out *o, const char *fmt, ...) TTHC_PRINTF(2, 3);
static void putf(struct out *o, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void put_line(struct out *o, char mark, const struct side *sd, long i)
{
	put(o, &mark, 1);
	put(o, sd->line[i], sd->len[i]);
	if (sd->len[i] == 0 || sd->line[i][sd->len[i] - 1] != '\n')
		put(o, "\n\\ No newline at end of file\n", 29);
}

/* "start,count" as diff -u writes it: a single line has no count; none starts before. */
static void put_range(struct out *o, long start, long count)
{
	if (count == 1)
		putf(o, "%ld", start + 1);
	else
		putf(o, "%ld,%ld", count ? start + 1 : start, count);
}

/* From i, j (lines that match) on: the next change, or 0 when there is none. */
static int next_change(const struct side *a, const struct side *b, long *i, long *j)
{
	while (*i < a->n || *j < b->n) {
		if (*i < a->n && a->changed[*i])
			return 1;
		if (*j < b->n && b->changed[*j])
			return 1;
		(*i)++, (*j)++;
	}
	return 0;
}

static void change_end(const struct side *a, const struct side *b, long *i, long *j)
{
	while (*i < a->n && a->changed[*i])
		(*i)++;
	while (*j < b->n && b->changed[*j])
		(*j)++;
}

/* Writes the hunk that starts with the change at i, j; leaves i, j after it. */
static void put_hunk(struct out *o, const struct side *a, const struct side *b, long *i,
                     long *j, long ctx)
{
	long a0 = *i > ctx ? *i - ctx : 0, b0 = *j - (*i - a0);
	long ai = *i, bj = *j, aend, bend;

	/* The hunk goes on while the next change is at most 2 * ctx lines away. */
	for (;;) {
		long ni, nj;

		change_end(a, b, &ai, &bj);
		ni = ai, nj = bj;
		if (!next_change(a, b, &ni, &nj) || ni - ai > 2 * ctx)
			break;
		ai = ni, bj = nj;
	}
	aend = ai + ctx < a->n ? ai + ctx : a->n;
	bend = bj + (aend - ai);
	put(o, "@@ -", 4);
	put_range(o, a0, aend - a0);
	put(o, " +", 2);
	put_range(o, b0, bend - b0);
	put(o, " @@\n", 4);
	for (long x = a0, y = b0; x < aend || y < bend;) {
		if ((x < aend && a->changed[x]) || (y < bend && b->changed[y])) {
			while (x < aend && a->changed[x])
				put_line(o, '-', a, x++);
			while (y < bend && b->changed[y])
				put_line(o, '+', b, y++);
		} else {
			put_line(o, ' ', a, x++);
			y++;
		}
	}
	*i = ai;
	*j = bj;
}

TTHC_EXPORT int tthc_diff_unified(const char *old, size_t oldlen, const char *new_text,
                                  size_t newlen, const char *old_label,
                                  const char *new_label, unsigned context, char **out,
                                  size_t *outlen)
{
	struct lineset set = { NULL, 0, 0 };
	struct side a = { 0 }, b = { 0 };
	struct out o = { NULL, 0, 0, 0 };
	long i = 0, j = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	set.cap = 16;
	while (set.cap <
	       2 * (size_t)(count_lines(old, oldlen) + count_lines(new_text, newlen)))
		set.cap *= 2;
	set.slot = calloc(set.cap, sizeof(*set.slot));
	if (!set.slot)
		return -ENOMEM;
	if ((r = side_init(&a, old, oldlen, &set)) ||
	    (r = side_init(&b, new_text, newlen, &set)) || (r = mark_changes(&a, &b)))
		goto out;
	put(&o, "", 0);
	if (next_change(&a, &b, &i, &j)) {
		put(&o, "--- ", 4);
		put(&o, old_label, strlen(old_label));
		put(&o, "\n+++ ", 5);
		put(&o, new_label, strlen(new_label));
		put(&o, "\n", 1);
		do
			put_hunk(&o, &a, &b, &i, &j, (long)context);
		while (next_change(&a, &b, &i, &j));
	}
	r = o.err;
out:
	side_free(&a);
	side_free(&b);
	free(set.slot);
	if (r) {
		free(o.p);
		return r;
	}
	*out = o.p;
	*outlen = o.n;
	return 0;
}
