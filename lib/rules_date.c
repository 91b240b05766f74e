/* SPDX-License-Identifier: MIT */
/* Rules on dates and ages (TTHC-DATE-*, TTHC-AGE-*) and the bars MAR and LLTP. */
#include "config.h"

#include <string.h>

#include "internal.h"

/*
 * A partial date (year, or year and month) stands for an interval of days.  A rule
 * reports only when every day of the interval breaks it, so each check takes the bound of
 * the interval that is most favourable to the dossier.
 */
struct span {
	xmlNodePtr node;
	char text[40];
	struct tthc_date first, last;
};

/* Reads a date element; returns 0 when absent, empty or not a date (the XSD says). */
static int get_span(xmlNodePtr node, struct span *s)
{
	struct tthc_date d;

	if (!tthc_trim(tthc_text(node), s->text, sizeof(s->text)) ||
	    tthc_date_parse(s->text, &d) < 0)
		return 0;
	s->node = node;
	tthc_date_first(&d, &s->first);
	tthc_date_last(&d, &s->last);
	return 1;
}

static int child_span(xmlNodePtr parent, const char *name, struct span *s)
{
	return get_span(tthc_child(parent, name), s);
}

static int is_proc(struct tthc_vdoc *d, const char *slug)
{
	return d->proc && strcmp(d->proc->slug, slug) == 0;
}

/* The elements the schemas type as dates: Ngay* (not the words of NgaySinhBangChu). */
static int is_date_element(xmlNodePtr n)
{
	const char *name = (const char *)n->name;

	if (strncmp(name, "Ngay", 4) == 0)
		return strcmp(name, "NgaySinhBangChu") != 0 &&
		       strcmp(name, "NgayTiepNhan") != 0;
	return strcmp(name, "TuNgay") == 0 || strcmp(name, "DenNgay") == 0;
}

/* TTHC-DATE-001; KetQua is excluded: a result is signed after the receipt by nature. */
static void check_future(struct tthc_vdoc *d)
{
	struct span s;

	for (xmlNodePtr n = tthc_next_element(d->root, d->root, 1); n;) {
		if (tthc_is(n, "KetQua")) {
			n = tthc_next_element(n, d->root, 0);
			continue;
		}
		if (is_date_element(n) && get_span(n, &s) &&
		    tthc_date_cmp(&s.first, &d->receipt) > 0)
			tthc_vdoc_report(
			    d, n, "TTHC-DATE-001",
			    N_("%s %s is after the receipt date NgayTiepNhan "
			       "%04d-%02d-%02d"),
			    (const char *)n->name, s.text, d->receipt.year,
			    d->receipt.month, d->receipt.day);
		n = tthc_next_element(n, d->root, 1);
	}
}

/* TTHC-DATE-002: certain only when the latest death is before the earliest birth. */
static void check_death(struct tthc_vdoc *d)
{
	struct span birth, death;

	if (!child_span(tthc_child(d->form, "NguoiChet"), "NgaySinh", &birth) ||
	    !child_span(d->form, "NgayChet", &death))
		return;
	if (tthc_date_cmp(&death.last, &birth.first) < 0)
		tthc_vdoc_report(d, death.node, "TTHC-DATE-002",
		                 N_("NgayChet %s is before NguoiChet/NgaySinh %s"),
		                 death.text, birth.text);
}

/* TTHC-DATE-003: a parent certainly not born before the child. */
static void check_parent(struct tthc_vdoc *d, const struct span *child, const char *who)
{
	struct span parent;

	if (!child_span(tthc_child(d->form, who), "NgaySinh", &parent))
		return;
	if (tthc_date_cmp(&parent.first, &child->last) >= 0)
		tthc_vdoc_report(
		    d, parent.node, "TTHC-DATE-003",
		    N_("%s/NgaySinh %s is not before the child's NgaySinh %s"), who,
		    parent.text, child->text);
}

/* Law on Civil Status 2014 art. 15: a birth is registered within 60 days. */
static void check_late_birth(struct tthc_vdoc *d, const struct span *child)
{
	long days = tthc_date_days(&child->last, &d->receipt);

	if (days > 60)
		tthc_vdoc_report(
		    d, child->node, "TTHC-DATE-004",
		    N_("NguoiDuocKhaiSinh/NgaySinh %s is %ld days before NgayTiepNhan: "
		       "registered after the 60-day legal deadline"),
		    child->text, days);
}

/* TTHC-AGE-003: the joint procedure is for children under 6 at receipt. */
static void check_child_age(struct tthc_vdoc *d, const struct span *child)
{
	int age = tthc_date_age(&child->last, &d->receipt);

	if (age >= 6)
		tthc_vdoc_report(
		    d, child->node, "TTHC-AGE-003",
		    N_("NguoiDuocKhaiSinh/NgaySinh %s: the child is at least %d years "
		       "old on "
		       "NgayTiepNhan; liên thông khai sinh is for children under 6"),
		    child->text, age);
}

static void check_birth(struct tthc_vdoc *d)
{
	int joint = is_proc(d, "lien-thong-khai-sinh");
	struct span child;

	if (!child_span(tthc_child(d->form, "NguoiDuocKhaiSinh"), "NgaySinh", &child))
		return;
	check_parent(d, &child, "Me");
	check_parent(d, &child, "Cha");
	/* A birth after the receipt is DATE-001's finding; ages would only echo it. */
	if (!d->have_receipt || tthc_date_cmp(&child.first, &d->receipt) > 0)
		return;
	if (joint || is_proc(d, "khai-sinh"))
		check_late_birth(d, &child);
	if (joint)
		check_child_age(d, &child);
}

/*
 * TTHC-AGE-001/002 (Law on Marriage and Family 2014 art. 8): certain when even the
 * earliest day the birth can be gives fewer completed years than the minimum.
 */
static void check_party_age(struct tthc_vdoc *d, const char *party, const char *rule,
                            int minimum)
{
	struct span birth;
	int age;

	if (!child_span(tthc_child(d->form, party), "NgaySinh", &birth) ||
	    tthc_date_cmp(&birth.first, &d->receipt) > 0)
		return;
	age = tthc_date_age(&birth.first, &d->receipt);
	if (age < minimum)
		tthc_vdoc_report(
		    d, birth.node, rule,
		    N_("%s/NgaySinh %s: %d completed years on NgayTiepNhan, under "
		       "the legal minimum of %d"),
		    party, birth.text, age, minimum);
}

/* TTHC-MAR-001 (Law on Marriage and Family 2014 art. 5: no marriage while married). */
static void check_married(struct tthc_vdoc *d, const char *party)
{
	xmlNodePtr node = tthc_child(tthc_child(d->form, party), "TinhTrangHonNhan");
	char buf[8];
	const char *v = tthc_trim(tthc_text(node), buf, sizeof(buf));

	if (v && strcmp(v, "1") == 0)
		tthc_vdoc_report(
		    d, node, "TTHC-MAR-001",
		    N_("%s/TinhTrangHonNhan is 1: the party is currently married"),
		    party);
}

static void check_marriage(struct tthc_vdoc *d)
{
	if (d->have_receipt) {
		check_party_age(d, "BenNu", "TTHC-AGE-002", 18);
		check_party_age(d, "BenNam", "TTHC-AGE-001", 20);
	}
	check_married(d, "BenNu");
	check_married(d, "BenNam");
}

/* TTHC-LLTP-001 (Circular 06/2024/TT-BTP): Phiếu số 2 is given to the person only. */
static void check_lltp(struct tthc_vdoc *d)
{
	xmlNodePtr proxy = tthc_child(d->form, "NguoiDuocUyQuyen");
	char buf[8];
	const char *kind =
	    tthc_trim(tthc_child_text(d->form, "LoaiPhieu"), buf, sizeof(buf));

	if (proxy && kind && strcmp(kind, "2") == 0)
		tthc_vdoc_report(
		    d, proxy, "TTHC-LLTP-001",
		    N_("LoaiPhieu is 2 but NguoiDuocUyQuyen is given: Phiếu số 2 "
		       "cannot be requested through a proxy"));
}

void tthc_rules_dates(struct tthc_vdoc *d)
{
	if (d->have_receipt)
		check_future(d);
	if (!d->form)
		return;
	check_death(d);
	check_birth(d);
	if (is_proc(d, "ket-hon"))
		check_marriage(d);
	if (is_proc(d, "ly-lich-tu-phap"))
		check_lltp(d);
}
