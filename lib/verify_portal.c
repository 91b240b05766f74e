/* SPDX-License-Identifier: MIT */
/* The tthc profile: the dossier in a bundle passes the validator, the portal JSON agrees.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "verify_int.h"

#define DOSSIER "metadata/descriptive/hoso.xml"
#define PORTAL "metadata/other/portal.json"
/*
 * The message lists a few fields and one object per file: 1 MiB and 4,096 objects and
 * arrays are far beyond any dossier, and keep jansson's tree (some 230 bytes an
 * object) to a few MiB whatever the bundle holds.
 */
#define MAX_PORTAL (1u << 20)
#define MAX_CONTAINERS 4096

/* ---- the portal message, read by jansson ---- */

/* The string value of key in obj; NULL when absent, not a string, or holding a NUL. */
static const char *jstr(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int tthc_verify_has_dossier(struct tthc_verifier *v)
{
	struct tthc_pkg_entry *e = tthc_pkg_find(&v->pkg, DOSSIER);
	struct tthc_xml_error xe;
	xmlNodePtr root;

	if (!e || e->is_dir || v->hoso_buf)
		return v->hoso != NULL;
	if (tthc_pkg_read(&v->pkg, e, v->ctx->max_size, &v->hoso_buf, &v->hoso_len) < 0)
		return 0; /* too large or unreadable: the checks of the files say why */
	v->hoso_name = tthc_verify_name(v, e->name);
	v->hoso =
	    tthc_xmlsafe_parse(&v->xml, v->hoso_buf, v->hoso_len, v->hoso_name, &xe);
	/* Too large a tree to check is still a dossier: its finding must not be lost. */
	if (!v->hoso && xe.too_big)
		return 1;
	root = v->hoso ? xmlDocGetRootElement(v->hoso) : NULL;
	return root && root->ns && strcmp((const char *)root->ns->href, TTHC_NS) == 0;
}

/* The dossier through the validator; its attachment checks are done on the bundle. */
static int validate_dossier(struct tthc_verifier *v)
{
	struct tthc_report *r;
	int ret;

	if (!v->validator && (ret = tthc_validator_new(v->ctx, &v->validator)) < 0) {
		snprintf(v->error, sizeof(v->error), "%s", tthc_ctx_error(v->ctx));
		return ret;
	}
	/* No such folder: each attachment is "missing" there, and those findings are
	 * dropped. */
	ret = tthc_validator_memory(v->validator, v->hoso_buf, v->hoso_len, v->hoso_name,
	                            "/dev/null/-", &r);
	if (ret < 0) {
		snprintf(v->error, sizeof(v->error), "%s",
		         tthc_validator_error(v->validator));
		return ret;
	}
	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);

		if (strncmp(d->rule, "TTHC-FILE-", 10) == 0 &&
		    strcmp(d->rule, "TTHC-FILE-001"))
			continue;
		tthc_report_add_id(v->report, d->rule, d->severity, d->file, d->line,
		                   d->path, "%s", d->message);
	}
	if (tthc_report_procedure(r))
		tthc_report_set_procedure(v->report, tthc_report_procedure(r));
	tthc_report_free(r);
	return 0;
}

static unsigned long line_of(xmlNodePtr node)
{
	long line = node ? xmlGetLineNo(node) : 0;

	return line > 0 ? (unsigned long)line : 0;
}

static const char *text_of(xmlNodePtr parent, const char *name, char *buf, size_t size)
{
	return tthc_trim(tthc_child_text(parent, name), buf, size);
}

/* NgayTiepNhan "2022-05-18T10:49:23+07:00" as the portal writes it: "20220518104923". */
static int portal_time(const char *s, char out[15])
{
	static const int at[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18 };

	if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	for (int i = 0; i < 14; i++) {
		if (s[at[i]] < '0' || s[at[i]] > '9')
			return -1;
		out[i] = s[at[i]];
	}
	out[14] = '\0';
	return 0;
}

#define PORTAL_REPORT(v, id, file, ...)                                                  \
	tthc_verify_report(v, id, TTHC_SEV_ERROR, file, 0, __VA_ARGS__)

static void compare_field(struct tthc_verifier *v, const char *file, const json_t *pj,
                          const char *key, const char *want)
{
	const char *got = jstr(pj, key);

	if (!want)
		return;
	if (!got)
		PORTAL_REPORT(v, "TTHC-PORTAL-001", file,
		              _("%s: missing or not a string"), key);
	else if (strcmp(got, want) != 0)
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file,
		              _("%s is \"%s\" but the dossier says \"%s\""), key, got,
		              want);
}

/*
 * The keys of a TaiLieuNop item, or of a DanhSachGiayToKetQua item, and the dossier's
 * element its code comes from.
 */
struct item_keys {
	const char *list, *code, *code_elem, *title, *path;
};
static const struct item_keys attachment_keys = { "TaiLieuNop", "MaThanhPhanHoSo",
	                                          "MaThanhPhanHoSo", "TenTepDinhKem",
	                                          "DuongDanTaiTepTin" };
static const struct item_keys result_keys = { "DanhSachGiayToKetQua", "GiayToId",
	                                      "SoGiayTo", NULL, "DuongDanTepTinKetQua" };

/*
 * One item: its code (and title) agree with the dossier's element tep (TepDinhKem), or
 * with code_of (KetQua, for its TepKetQua), and the data file it names is the file.
 */
static void check_item(struct tthc_verifier *v, const char *file, xmlNodePtr tep,
                       xmlNodePtr code_of, const json_t *item, size_t i,
                       const struct item_keys *k)
{
	char ma[256], ten[1024], size[32], sha[80], label[64];
	const char *path = jstr(item, k->path);
	struct tthc_ref ref = { .size = -1, .next = -1, .mets = v->hoso_name };
	char *end;

	snprintf(label, sizeof(label), "%s[%zu]", k->list, i + 1);
	if (!json_is_object(item) || !path) {
		PORTAL_REPORT(v, "TTHC-PORTAL-001", file, _("%s: not an object with %s"),
		              label, k->path);
		return;
	}
	if (text_of(code_of, k->code_elem, ma, sizeof(ma)) &&
	    (!jstr(item, k->code) || strcmp(jstr(item, k->code), ma)))
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file,
		              _("%s: %s differs from the dossier's \"%s\""), label,
		              k->code, ma);
	if (k->title && text_of(tep, k->title, ten, sizeof(ten)) &&
	    (!jstr(item, k->title) || strcmp(jstr(item, k->title), ten)))
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file,
		              _("%s: %s differs from the dossier's \"%s\""), label,
		              k->title, ten);
	ref.rel = tthc_verify_resolve("", path);
	if (!ref.rel || !tthc_pkg_find(&v->pkg, ref.rel)) {
		PORTAL_REPORT(v, "TTHC-PORTAL-003", file,
		              _("%s: '%s' is not a file of the bundle"), label, path);
		free(ref.rel);
		return;
	}
	/* The file's size and SHA-256 are checked on the data file it became. */
	ref.line = line_of(tep);
	ref.id_missing = "TTHC-FILE-002";
	ref.id_size = "TTHC-FILE-004";
	ref.id_sum = "TTHC-FILE-005";
	if (text_of(tep, "KichThuoc", size, sizeof(size))) {
		ref.size = strtoll(size, &end, 10);
		if (*end)
			ref.size = -1;
	}
	if (text_of(tep, "SHA256", sha, sizeof(sha)) && strlen(sha) == 64 &&
	    strspn(sha, "0123456789abcdefABCDEF") == 64) {
		ref.alg = TTHC_DIG_SHA256;
		for (int n = 0; n <= 64; n++)
			ref.checksum[n] =
			    (char)(sha[n] >= 'A' && sha[n] <= 'F' ? sha[n] + 32 : sha[n]);
	}
	if (tthc_verify_add_ref(v, &ref) < 0)
		free(ref.rel);
}

/* The result file: listed once in DanhSachGiayToKetQua when the dossier has one. */
static void check_result(struct tthc_verifier *v, const char *file, xmlNodePtr hoso,
                         const json_t *pj)
{
	xmlNodePtr ketqua = tthc_child(hoso, "KetQua");
	xmlNodePtr tkq = ketqua ? tthc_child(ketqua, "TepKetQua") : NULL;
	const json_t *list = json_object_get(pj, result_keys.list);
	size_t n = json_is_array(list) ? json_array_size(list) : 0;

	if (list && !json_is_array(list)) {
		PORTAL_REPORT(v, "TTHC-PORTAL-001", file, _("%s: not an array"),
		              result_keys.list);
		return;
	}
	if (tkq && n == 1)
		check_item(v, file, tkq, ketqua, json_array_get(list, 0), 0,
		           &result_keys);
	else if (tkq || n)
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file,
		              _("%s has %zu entries; the dossier has %d result file"),
		              result_keys.list, n, tkq ? 1 : 0);
}

static void check_portal(struct tthc_verifier *v, xmlNodePtr hoso)
{
	struct tthc_pkg_entry *e = tthc_pkg_find(&v->pkg, PORTAL);
	const json_t *list;
	json_error_t jerr;
	json_t *pj = NULL;
	const char *file;
	char buf[1024], when[15];
	xmlNodePtr tl, tep;
	size_t len, i, n;
	char *text;

	if (!e || e->is_dir) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, v->pkg.display,
		                   0, _("the bundle has no %s"), PORTAL);
		return;
	}
	file = tthc_verify_name(v, e->name);
	if (tthc_pkg_read(&v->pkg, e, MAX_PORTAL, &text, &len) < 0) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, file, 0, "%s",
		                   _("cannot be read, or larger than 1 MiB"));
		return;
	}
	/*
	 * Strict: UTF-8 only, no NUL in strings, a key at most once, one value and
	 * nothing after it.  jansson bounds the nesting depth itself.
	 */
	for (i = n = 0; i < len; i++)
		n += text[i] == '{' || text[i] == '[';
	if (n > MAX_CONTAINERS) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, file, 1,
		                   _("more than %d objects and arrays: not read"),
		                   MAX_CONTAINERS);
		goto out;
	}
	pj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!pj) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, file,
		                   (unsigned long)(jerr.line > 0 ? jerr.line : 0),
		                   _("not valid JSON: %s"), jerr.text);
		goto out;
	}
	if (!json_is_object(pj)) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, file, 1, "%s",
		                   _("not a JSON object"));
		goto out;
	}
	compare_field(v, file, pj, "MaHoSo", text_of(hoso, "MaHoSo", buf, sizeof(buf)));
	compare_field(v, file, pj, "MaTTHC", text_of(hoso, "MaTTHC", buf, sizeof(buf)));
	if (portal_time(text_of(hoso, "NgayTiepNhan", buf, sizeof(buf)), when) == 0)
		compare_field(v, file, pj, "NgayTiepNhan", when);
	compare_field(v, file, pj, "ChuHoSo",
	              text_of(tthc_child(hoso, "NguoiNop"), "HoTen", buf, sizeof(buf)));
	list = json_object_get(pj, "TaiLieuNop");
	if (!json_is_array(list)) {
		PORTAL_REPORT(v, "TTHC-PORTAL-001", file,
		              _("%s: missing or not an array"), "TaiLieuNop");
		check_result(v, file, hoso, pj);
		goto out;
	}
	n = json_array_size(list);
	tl = tthc_child(hoso, "TaiLieuNop");
	tep = tl ? tthc_child(tl, "TepDinhKem") : NULL;
	for (i = 0; tep && i < n; i++, tep = tthc_next_same(tep))
		check_item(v, file, tep, tep, json_array_get(list, i), i,
		           &attachment_keys);
	if (tep || i < n) {
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file, "%s",
		              tep ? _("TaiLieuNop has fewer entries than the dossier")
		                  : _("TaiLieuNop has more entries than the dossier"));
	}
	check_result(v, file, hoso, pj);
out:
	json_decref(pj);
	free(text);
}

int tthc_verify_content(struct tthc_verifier *v)
{
	xmlNodePtr root;
	int ret;

	if (!tthc_verify_has_dossier(v) && !v->hoso_buf) {
		tthc_verify_report(v, "TTHC-PKG-004", TTHC_SEV_ERROR, v->pkg.display, 0,
		                   _("the tthc profile needs a dossier at %s"), DOSSIER);
		return 0;
	}
	if ((ret = validate_dossier(v)) < 0)
		return ret;
	root = v->hoso ? xmlDocGetRootElement(v->hoso) : NULL;
	if (root && tthc_is(root, "HoSo"))
		check_portal(v, root);
	return 0;
}
