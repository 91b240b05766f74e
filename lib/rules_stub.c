/* SPDX-License-Identifier: MIT */
/* TEMPORARY: placeholders until the rule passes land. */
#include "config.h"
#include <errno.h>
#include <stdlib.h>
#include "internal.h"
void tthc_rules_codes(struct tthc_vdoc *d) { (void)d; }
void tthc_rules_idnum(struct tthc_vdoc *d) { (void)d; }
void tthc_rules_dates(struct tthc_vdoc *d) { (void)d; }
void tthc_rules_files(struct tthc_vdoc *d) { (void)d; }
void tthc_rules_text(struct tthc_vdoc *d) { (void)d; }
struct tthc_patterns { int x; };
int tthc_patterns_new(struct tthc_patterns **out) { *out = calloc(1, sizeof(**out)); return *out ? 0 : -ENOMEM; }
void tthc_patterns_free(struct tthc_patterns *p) { free(p); }
int tthc_date_parse(const char *s, struct tthc_date *out) { (void)s; (void)out; return -EINVAL; }
