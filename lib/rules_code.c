/* SPDX-License-Identifier: MIT */
/* Rules TTHC-CODE-*: the dossier code (MaHoSo) and the receiving agency's identifier. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "internal.h"

/*
 * Decree 61/2018 art. 26: agency identifier, date of receipt, ordinal of the day.  The
 * separators and widths are the common written form (DOMAIN.md §3.2, [unsure]), so the
 * date may have 6 or 8 digits and the ordinal 1 to 6.
 */
static const char mahoso_re[] =
    "\\A(\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2})-(\\d{6}|\\d{8})-(\\d{1,6})\\z";
/* Decision 20/2020/QĐ-TTg: LLL.LL.LL.Xdd, the level-1 letter and number captured. */
static const char agency_re[] = "\\A\\d{3}\\.\\d{2}\\.\\d{2}\\.([A-Z])(\\d{2})\\z";

struct tthc_patterns {
	pcre2_code *mahoso;
	pcre2_code *agency;
	pcre2_match_data *md; /* sized for the pattern with the most groups */
};

static pcre2_code *compile(const char *re)
{
	pcre2_code *code;
	PCRE2_SIZE off;
	int err;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	/* JIT only speeds up: without it (not built, no executable memory) we go on. */
	if (code)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

int tthc_patterns_new(struct tthc_patterns **out)
{
	struct tthc_patterns *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->mahoso = compile(mahoso_re);
	p->agency = compile(agency_re);
	if (p->mahoso)
		p->md = pcre2_match_data_create_from_pattern(p->mahoso, NULL);
	if (!p->mahoso || !p->agency || !p->md) {
		tthc_patterns_free(p);
		return -TTHC_E_INTERNAL;
	}
	*out = p;
	return 0;
}

void tthc_patterns_free(struct tthc_patterns *p)
{
	if (!p)
		return;
	pcre2_match_data_free(p->md);
	pcre2_code_free(p->mahoso);
	pcre2_code_free(p->agency);
	free(p);
}

/* Returns 1 when s matches code; the groups are then in p->md. */
static int match(struct tthc_patterns *p, pcre2_code *code, const char *s)
{
	return pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, 0, p->md, NULL) > 0;
}

/* Copies group i of the last match into buf (which is large enough: groups are short). */
static void group(struct tthc_patterns *p, const char *s, unsigned i, char *buf,
                  size_t size)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	size_t n = ov[2 * i + 1] - ov[2 * i];

	if (n >= size)
		n = size - 1;
	memcpy(buf, s + ov[2 * i], n);
	buf[n] = '\0';
}

/* Checks MaDinhDanh; returns 1 when it is well formed (warnings allowed), else 0. */
static int check_agency(struct tthc_vdoc *d, struct tthc_patterns *p, xmlNodePtr node,
                        const char *id)
{
	char letter[2], num[3];
	int n;

	if (!match(p, p->agency, id)) {
		tthc_vdoc_report(
		    d, node, "TTHC-CODE-004",
		    N_("MaDinhDanh '%s' is not an agency identifier LLL.LL.LL.Xdd "
		       "(e.g. 000.00.31.H29)"),
		    id);
		return 0;
	}
	group(p, id, 1, letter, sizeof(letter));
	group(p, id, 2, num, sizeof(num));
	n = atoi(num);
	if (letter[0] == 'H' && (n < 1 || n > 63)) {
		tthc_vdoc_report(
		    d, node, "TTHC-CODE-004",
		    N_("MaDinhDanh '%s': provincial People's Committees are H01 to "
		       "H63, not H%s"),
		    id, num);
		return 0;
	}
	if (letter[0] != 'G' && letter[0] != 'H' && letter[0] != 'K')
		tthc_vdoc_report(
		    d, node, "TTHC-CODE-005",
		    N_("MaDinhDanh '%s': level-1 letter %s is none of G (ministries), "
		       "H (People's Committees), K (People's Councils)"),
		    id, letter);
	return 1;
}

/* Compares the date part (yymmdd or yyyymmdd, a real day) with the receipt date. */
static int same_day(const char *part, const struct tthc_date *r)
{
	char want[9];

	if (strlen(part) == 6)
		snprintf(want, sizeof(want), "%02d%02d%02d", r->year % 100, r->month,
		         r->day);
	else
		snprintf(want, sizeof(want), "%04d%02d%02d", r->year, r->month, r->day);
	return strcmp(part, want) == 0;
}

/* A date part must be a real day, or the code does not say when it was received. */
static int real_day(const char *part)
{
	char iso[11];
	struct tthc_date dt;

	if (strlen(part) == 6)
		snprintf(iso, sizeof(iso), "20%.2s-%.2s-%.2s", part, part + 2, part + 4);
	else
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", part, part + 4, part + 6);
	return tthc_date_parse(iso, &dt) == 0;
}

static void check_mahoso(struct tthc_vdoc *d, struct tthc_patterns *p, xmlNodePtr node,
                         const char *code, const char *agency)
{
	char part_agency[16], part_date[9];

	if (!match(p, p->mahoso, code)) {
		tthc_vdoc_report(
		    d, node, "TTHC-CODE-001",
		    N_("MaHoSo '%s' is not <agency id>-<yymmdd or yyyymmdd>-<1 to 6 "
		       "digit sequence> (e.g. 000.00.31.H29-230405-0001)"),
		    code);
		return;
	}
	group(p, code, 1, part_agency, sizeof(part_agency));
	group(p, code, 2, part_date, sizeof(part_date));
	if (!real_day(part_date)) {
		tthc_vdoc_report(d, node, "TTHC-CODE-001",
		                 N_("MaHoSo '%s': date part %s is not a calendar day"),
		                 code, part_date);
		return;
	}
	if (agency && strcmp(part_agency, agency) != 0)
		tthc_vdoc_report(d, node, "TTHC-CODE-002",
		                 N_("MaHoSo '%s': agency part %s differs from "
		                    "CoQuanTiepNhan/MaDinhDanh %s"),
		                 code, part_agency, agency);
	if (d->have_receipt && !same_day(part_date, &d->receipt))
		tthc_vdoc_report(d, node, "TTHC-CODE-003",
		                 N_("MaHoSo '%s': date part %s differs from NgayTiepNhan "
		                    "%04d-%02d-%02d"),
		                 code, part_date, d->receipt.year, d->receipt.month,
		                 d->receipt.day);
}

void tthc_rules_codes(struct tthc_vdoc *d)
{
	struct tthc_patterns *p = tthc_validator_patterns(d->v);
	xmlNodePtr agency_node =
	    tthc_child(tthc_child(d->root, "CoQuanTiepNhan"), "MaDinhDanh");
	xmlNodePtr code_node = tthc_child(d->root, "MaHoSo");
	char agency[128], code[128];
	const char *a = tthc_trim(tthc_text(agency_node), agency, sizeof(agency));
	const char *c = tthc_trim(tthc_text(code_node), code, sizeof(code));

	/* Empty or overlong values already failed the schema: nothing sensible to add. */
	if (a && (!*a || !check_agency(d, p, agency_node, a)))
		a = NULL;
	if (c && *c)
		check_mahoso(d, p, code_node, c, a);
}
