/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, the one the converters and normalisers all append to. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int tthc_buf_add(struct tthc_buf *b, const char *s, size_t n)
{
	/* One byte more than the content, so the buffer can always end with a NUL. */
	if (n >= (size_t)-1 - b->n - 1)
		return -ENOMEM;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}
