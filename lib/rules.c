/* SPDX-License-Identifier: MIT */
/* The table of rules the validator applies: ids, severities and summaries. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Sorted by id, so tthc_rule_find() can search it. */
static const struct tthc_rule rules[] = {
	{ "TTHC-AGE-001", TTHC_SEV_ERROR,
	  N_("Groom (BenNam) under 20 completed years on NgayTiepNhan") },
	{ "TTHC-AGE-002", TTHC_SEV_ERROR,
	  N_("Bride (BenNu) under 18 completed years on NgayTiepNhan") },
	{ "TTHC-AGE-003", TTHC_SEV_ERROR,
	  N_("Liên thông khai sinh: child not under 6 on NgayTiepNhan") },
	{ "TTHC-CODE-001", TTHC_SEV_ERROR,
	  N_("MaHoSo not <agency id>-<yymmdd or yyyymmdd>-<1 to 6 digit sequence>") },
	{ "TTHC-CODE-002", TTHC_SEV_ERROR,
	  N_("MaHoSo agency part differs from CoQuanTiepNhan/MaDinhDanh") },
	{ "TTHC-CODE-003", TTHC_SEV_ERROR,
	  N_("MaHoSo date part differs from NgayTiepNhan") },
	{ "TTHC-CODE-004", TTHC_SEV_ERROR,
	  N_("Agency identifier malformed (LLL.LL.LL.Xdd; H01..H63)") },
	{ "TTHC-CODE-005", TTHC_SEV_WARNING,
	  N_("Agency identifier level-1 letter other than G, H, K") },
	{ "TTHC-DATE-001", TTHC_SEV_ERROR,
	  N_("A date after NgayTiepNhan (KetQua excluded)") },
	{ "TTHC-DATE-002", TTHC_SEV_ERROR, N_("Death before birth") },
	{ "TTHC-DATE-003", TTHC_SEV_ERROR, N_("Parent not born before the child") },
	{ "TTHC-DATE-004", TTHC_SEV_WARNING,
	  N_("Birth registered more than 60 days after it (late registration)") },
	{ "TTHC-FILE-001", TTHC_SEV_ERROR,
	  N_("Attachment path absolute, empty, or with a .. component") },
	{ "TTHC-FILE-002", TTHC_SEV_ERROR, N_("Attachment missing or unreadable") },
	{ "TTHC-FILE-003", TTHC_SEV_ERROR, N_("Attachment empty") },
	{ "TTHC-FILE-004", TTHC_SEV_ERROR, N_("Attachment size differs from KichThuoc") },
	{ "TTHC-FILE-005", TTHC_SEV_ERROR, N_("Attachment SHA-256 differs") },
	{ "TTHC-FILE-006", TTHC_SEV_ERROR,
	  N_("Attachment content (magic bytes) does not match its extension") },
	{ "TTHC-ID-001", TTHC_SEV_ERROR, N_("SoDinhDanh not exactly 12 digits") },
	{ "TTHC-ID-002", TTHC_SEV_ERROR,
	  N_("SoDinhDanh province prefix not one of the 63 codes") },
	{ "TTHC-ID-003", TTHC_SEV_ERROR,
	  N_("Century/sex digit disagrees with GioiTinh") },
	{ "TTHC-ID-004", TTHC_SEV_ERROR,
	  N_("Century digit disagrees with the birth year's century") },
	{ "TTHC-ID-005", TTHC_SEV_ERROR, N_("Year digits disagree with the birth year") },
	{ "TTHC-ID-006", TTHC_SEV_WARNING,
	  N_("Legacy 9-digit CMND (GiayTo LoaiGiayTo=1)") },
	{ "TTHC-ID-007", TTHC_SEV_ERROR,
	  N_("Identity document number malformed for its type") },
	{ "TTHC-LLTP-001", TTHC_SEV_ERROR,
	  N_("Phiếu số 2 requested through a proxy (NguoiDuocUyQuyen)") },
	{ "TTHC-MAR-001", TTHC_SEV_ERROR,
	  N_("A party of kết hôn is currently married (TinhTrangHonNhan 1)") },
	{ "TTHC-PROC-001", TTHC_SEV_ERROR,
	  N_("MaTTHC missing or not a known procedure") },
	{ "TTHC-PROC-002", TTHC_SEV_WARNING,
	  N_("MaTTHC superseded; names the current code") },
	{ "TTHC-TEXT-001", TTHC_SEV_WARNING, N_("Text not in Unicode NFC") },
	{ "TTHC-TEXT-002", TTHC_SEV_WARNING, N_("Control characters in text") },
	{ "TTHC-TEXT-003", TTHC_SEV_WARNING,
	  N_("Leading or trailing blanks in a value") },
	{ "TTHC-XML-001", TTHC_SEV_ERROR,
	  N_("Not well-formed XML (includes truncated, binary, wrong encoding)") },
	{ "TTHC-XML-002", TTHC_SEV_ERROR,
	  N_("DOCTYPE/DTD/entity declarations are not allowed") },
	{ "TTHC-XML-003", TTHC_SEV_ERROR, N_("Document larger than the size limit") },
	{ "TTHC-XML-004", TTHC_SEV_ERROR, N_("Root is not HoSo in urn:tthc:hoso:1") },
	{ "TTHC-XML-005", TTHC_SEV_ERROR, N_("Document not encoded in UTF-8") },
	{ "TTHC-XSD-001", TTHC_SEV_ERROR, N_("Schema validation failed") },
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

TTHC_EXPORT size_t tthc_rule_count(void)
{
	return N_RULES;
}

TTHC_EXPORT const struct tthc_rule *tthc_rule_get(size_t i)
{
	return i < N_RULES ? &rules[i] : NULL;
}

static int by_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tthc_rule *)elem)->id);
}

TTHC_EXPORT const struct tthc_rule *tthc_rule_find(const char *id)
{
	return id ? bsearch(id, rules, N_RULES, sizeof(rules[0]), by_id) : NULL;
}
