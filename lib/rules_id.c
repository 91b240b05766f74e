/* SPDX-License-Identifier: MIT */
/* Rules TTHC-ID-*: personal numbers and identity documents of every person. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "internal.h"

/* Values longer than this are not numbers: the schema has already said so. */
#define MAX_NUMBER 80

static int is_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* GioiTinh 1 or 2; 3 (undetermined), absent or garbage gives -1: nothing to compare. */
static int person_male(xmlNodePtr person)
{
	char buf[8];
	const char *sex =
	    tthc_trim(tthc_child_text(person, "GioiTinh"), buf, sizeof(buf));

	if (sex && strcmp(sex, "1") == 0)
		return 1;
	if (sex && strcmp(sex, "2") == 0)
		return 0;
	return -1;
}

static void check_sex(struct tthc_vdoc *d, xmlNodePtr person, xmlNodePtr node,
                      const char *label, const char *num, const struct tthc_idnum *id)
{
	int male = person_male(person);

	if (male < 0 || male == id->male)
		return;
	if (id->male)
		tthc_vdoc_report(
		    d, node, "TTHC-ID-003",
		    N_("%s '%s': digit 4 (century/sex) says male but GioiTinh is 2 "
		       "(Nữ)"),
		    label, num);
	else
		tthc_vdoc_report(
		    d, node, "TTHC-ID-003",
		    N_("%s '%s': digit 4 (century/sex) says female but GioiTinh is 1 "
		       "(Nam)"),
		    label, num);
}

/* A partial NgaySinh still gives the year, which is all these two checks need. */
static void check_year(struct tthc_vdoc *d, xmlNodePtr person, xmlNodePtr node,
                       const char *label, const char *num, const struct tthc_idnum *id)
{
	char buf[64];
	const char *text =
	    tthc_trim(tthc_child_text(person, "NgaySinh"), buf, sizeof(buf));
	struct tthc_date birth;

	if (!text || tthc_date_parse(text, &birth) < 0)
		return;
	if (birth.year / 100 * 100 != id->century_base)
		tthc_vdoc_report(
		    d, node, "TTHC-ID-004",
		    N_("%s '%s': digit 4 (century/sex) says born %d-%d but NgaySinh "
		       "is %s"),
		    label, num, id->century_base, id->century_base + 99, text);
	if (birth.year % 100 != id->year % 100)
		tthc_vdoc_report(
		    d, node, "TTHC-ID-005",
		    N_("%s '%s': digits 5-6 (birth year) say %02d but NgaySinh is %s"),
		    label, num, id->year % 100, text);
}

/* The checks of a 12-digit number, shared by SoDinhDanh and a CCCD's SoGiayTo. */
static void check_number(struct tthc_vdoc *d, xmlNodePtr person, xmlNodePtr node,
                         const char *label, const char *num)
{
	struct tthc_idnum id;
	int ret = tthc_idnum_parse(num, &id);

	if (ret == -EINVAL)
		return;
	if (ret == -TTHC_E_UNKNOWN)
		tthc_vdoc_report(
		    d, node, "TTHC-ID-002",
		    N_("%s '%s': prefix %.3s is not the code of one of the 63 "
		       "provinces"),
		    label, num, num);
	check_sex(d, person, node, label, num, &id);
	check_year(d, person, node, label, num, &id);
}

static void check_sodinhdanh(struct tthc_vdoc *d, xmlNodePtr person)
{
	xmlNodePtr node = tthc_child(person, "SoDinhDanh");
	char buf[MAX_NUMBER];
	const char *num = tthc_trim(tthc_text(node), buf, sizeof(buf));

	if (!num || !*num)
		return;
	if (!is_digits(num, 12)) {
		tthc_vdoc_report(
		    d, node, "TTHC-ID-001",
		    N_("SoDinhDanh '%s' is not a personal number of exactly 12 digits"),
		    num);
		return;
	}
	check_number(d, person, node, "SoDinhDanh", num);
}

static void check_giayto(struct tthc_vdoc *d, xmlNodePtr person)
{
	xmlNodePtr doc = tthc_child(person, "GiayTo");
	xmlNodePtr node = tthc_child(doc, "SoGiayTo");
	char tbuf[8], nbuf[MAX_NUMBER];
	const char *type =
	    tthc_trim(tthc_child_text(doc, "LoaiGiayTo"), tbuf, sizeof(tbuf));
	const char *num = tthc_trim(tthc_text(node), nbuf, sizeof(nbuf));

	if (!type || !num || !*num)
		return;
	if (strcmp(type, "4") == 0) {
		if (is_digits(num, 12))
			check_number(d, person, node, "GiayTo/SoGiayTo", num);
		else
			tthc_vdoc_report(
			    d, node, "TTHC-ID-007",
			    N_("GiayTo/SoGiayTo '%s': LoaiGiayTo 4 (CCCD) takes the "
			       "12-digit personal number"),
			    num);
	} else if (strcmp(type, "1") == 0) {
		/* Some CMND had 12 digits, not built like a personal number. */
		if (is_digits(num, 9))
			tthc_vdoc_report(
			    d, node, "TTHC-ID-006",
			    N_("GiayTo/SoGiayTo '%s' is a legacy 9-digit CMND; the "
			       "personal number has replaced it"),
			    num);
		else if (!is_digits(num, 12))
			tthc_vdoc_report(
			    d, node, "TTHC-ID-007",
			    N_("GiayTo/SoGiayTo '%s': LoaiGiayTo 1 (CMND) takes 9 or "
			       "12 digits"),
			    num);
	}
}

/* A person is any element with a HoTen child, wherever the form puts it. */
void tthc_rules_idnum(struct tthc_vdoc *d)
{
	for (xmlNodePtr n = d->root; n; n = tthc_next_element(n, d->root, 1)) {
		if (!tthc_child(n, "HoTen"))
			continue;
		check_sodinhdanh(d, n);
		check_giayto(d, n);
	}
}
