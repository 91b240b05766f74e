/* SPDX-License-Identifier: MIT */
/* The tthc profile: the dossier in a bundle passes the validator, the portal JSON agrees.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_int.h"

#define DOSSIER "metadata/descriptive/hoso.xml"
#define PORTAL "metadata/other/portal.json"
#define MAX_PORTAL (8u << 20)
#define MAX_DEPTH 32

/* ---- a small JSON reader: the portal message is all we read ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	char *str;          /* J_STR: decoded UTF-8; J_NUM: as written */
	char **keys;        /* J_OBJ */
	struct jval *items; /* J_ARR, J_OBJ */
	size_t n;
};

struct jparse {
	const char *p, *end;
	const char *error;
};

static void jfree(struct jval *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

static void skip_ws(struct jparse *j)
{
	while (j->p < j->end &&
	       (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int jfail(struct jparse *j, const char *why)
{
	if (!j->error)
		j->error = why;
	return -1;
}

static int hex4(const char *p, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d = c >= '0' && c <= '9'   ? c - '0'
		                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
		                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                                         : -1;

		if (d < 0)
			return -1;
		*out = *out * 16 + (unsigned)d;
	}
	return 0;
}

static void put_utf8(struct tthc_buf *b, unsigned cp, int *err)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (tthc_buf_add(b, u, n) < 0)
		*err = 1;
}

static int jstring(struct jparse *j, char **out)
{
	struct tthc_buf b = { 0 };
	int err = 0;

	j->p++; /* the opening quote */
	while (j->p < j->end && *j->p != '"' && !err) {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20) {
			free(b.p);
			return jfail(j, N_("a control character in a string"));
		}
		if (c != '\\') {
			err = tthc_buf_add(&b, j->p++, 1) < 0;
			continue;
		}
		if (j->end - j->p < 2)
			break;
		c = (unsigned char)j->p[1];
		j->p += 2;
		if (c == 'u') {
			unsigned cp, lo;

			if (j->end - j->p < 4 || hex4(j->p, &cp) < 0) {
				free(b.p);
				return jfail(j, N_("a bad \\u escape"));
			}
			j->p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && j->end - j->p >= 6 &&
			    j->p[0] == '\\' && j->p[1] == 'u' &&
			    hex4(j->p + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				j->p += 6;
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD;
			}
			put_utf8(&b, cp, &err);
		} else {
			const char *esc = strchr("\"\\/bfnrt", (char)c);
			static const char rep[] = "\"\\/\b\f\n\r\t";

			if (!esc || !c) {
				free(b.p);
				return jfail(j, N_("a bad escape in a string"));
			}
			err = tthc_buf_add(&b, &rep[esc - "\"\\/bfnrt"], 1) < 0;
		}
	}
	if (err || j->p >= j->end) {
		free(b.p);
		return jfail(j, err ? N_("out of memory") : N_("an unterminated string"));
	}
	j->p++;
	if (!b.p && tthc_buf_add(&b, "", 0) < 0)
		return jfail(j, N_("out of memory"));
	*out = b.p;
	return 0;
}

static int jvalue(struct jparse *j, struct jval *v, int depth);

static int jappend(struct jparse *j, struct jval *v, char *key)
{
	struct jval *ni = realloc(v->items, (v->n + 1) * sizeof(*ni));
	char **nk = NULL;

	if (ni)
		v->items = ni;
	if (ni && v->type == J_OBJ && (nk = realloc(v->keys, (v->n + 1) * sizeof(*nk))))
		v->keys = nk;
	if (!ni || (v->type == J_OBJ && !nk)) {
		free(key);
		return jfail(j, N_("out of memory"));
	}
	memset(&v->items[v->n], 0, sizeof(*ni));
	if (v->type == J_OBJ)
		v->keys[v->n] = key;
	v->n++;
	return 0;
}

static int jcontainer(struct jparse *j, struct jval *v, int depth)
{
	char close = *j->p == '{' ? '}' : ']';

	v->type = close == '}' ? J_OBJ : J_ARR;
	if (depth > MAX_DEPTH)
		return jfail(j, N_("nested too deep"));
	j->p++;
	skip_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(j);
		if (v->type == J_OBJ) {
			if (j->p >= j->end || *j->p != '"' || jstring(j, &key) < 0)
				return jfail(j, N_("an object key is not a string"));
			skip_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				free(key);
				return jfail(j, N_("':' expected after a key"));
			}
			j->p++;
		}
		if (jappend(j, v, key) < 0 ||
		    jvalue(j, &v->items[v->n - 1], depth + 1) < 0)
			return -1;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		return jfail(j, N_("',' or the end of the object or array expected"));
	}
}

static int jvalue(struct jparse *j, struct jval *v, int depth)
{
	static const struct {
		const char *word;
		enum jtype type;
	} words[] = { { "null", J_NULL }, { "true", J_BOOL }, { "false", J_BOOL } };

	skip_ws(j);
	if (j->p >= j->end)
		return jfail(j, N_("unexpected end of the text"));
	if (*j->p == '{' || *j->p == '[')
		return jcontainer(j, v, depth);
	if (*j->p == '"') {
		v->type = J_STR;
		return jstring(j, &v->str);
	}
	if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
		size_t n = strspn(j->p, "-+.eE0123456789");

		if ((size_t)(j->end - j->p) < n)
			n = (size_t)(j->end - j->p);
		v->type = J_NUM;
		if (!(v->str = strndup(j->p, n)))
			return jfail(j, N_("out of memory"));
		j->p += n;
		return 0;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);

		if ((size_t)(j->end - j->p) >= n && memcmp(j->p, words[i].word, n) == 0) {
			v->type = words[i].type;
			j->p += n;
			return 0;
		}
	}
	return jfail(j, N_("not a JSON value"));
}

static const struct jval *jget(const struct jval *obj, const char *key)
{
	if (obj->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

static const char *jstr(const struct jval *obj, const char *key)
{
	const struct jval *v = jget(obj, key);

	return v && v->type == J_STR ? v->str : NULL;
}

/* ---- the dossier ---- */

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

static void compare_field(struct tthc_verifier *v, const char *file,
                          const struct jval *pj, const char *key, const char *want)
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

/* One TaiLieuNop entry: the names agree, and the data file is the attachment. */
static void check_attachment(struct tthc_verifier *v, const char *file, xmlNodePtr tep,
                             const struct jval *item, size_t i)
{
	char ma[256], ten[1024], size[32], sha[80], label[48];
	const char *path = jstr(item, "DuongDanTaiTepTin");
	struct tthc_ref ref = { .size = -1, .next = -1, .mets = v->hoso_name };
	char *end;

	snprintf(label, sizeof(label), "TaiLieuNop[%zu]", i + 1);
	if (item->type != J_OBJ || !path) {
		PORTAL_REPORT(v, "TTHC-PORTAL-001", file,
		              _("%s: not an object with DuongDanTaiTepTin"), label);
		return;
	}
	if (text_of(tep, "MaThanhPhanHoSo", ma, sizeof(ma)) &&
	    (!jstr(item, "MaThanhPhanHoSo") || strcmp(jstr(item, "MaThanhPhanHoSo"), ma)))
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file,
		              _("%s: MaThanhPhanHoSo differs from the dossier's \"%s\""),
		              label, ma);
	if (text_of(tep, "TenTepDinhKem", ten, sizeof(ten)) &&
	    (!jstr(item, "TenTepDinhKem") || strcmp(jstr(item, "TenTepDinhKem"), ten)))
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file,
		              _("%s: TenTepDinhKem differs from the dossier's \"%s\""),
		              label, ten);
	ref.rel = tthc_verify_resolve("", path);
	if (!ref.rel || !tthc_pkg_find(&v->pkg, ref.rel)) {
		PORTAL_REPORT(v, "TTHC-PORTAL-003", file,
		              _("%s: '%s' is not a file of the bundle"), label, path);
		free(ref.rel);
		return;
	}
	/* The attachment's size and SHA-256 are checked on the data file it became. */
	ref.line = line_of(tep);
	ref.id_missing = "TTHC-FILE-002";
	ref.id_size = "TTHC-FILE-004";
	ref.id_sum = "TTHC-FILE-005";
	if (text_of(tep, "KichThuoc", size, sizeof(size)))
		ref.size = strtoll(size, &end, 10), ref.size = *end ? -1 : ref.size;
	if (text_of(tep, "SHA256", sha, sizeof(sha)) && strlen(sha) == 64 &&
	    strspn(sha, "0123456789abcdefABCDEF") == 64) {
		ref.alg = TTHC_DIG_SHA256;
		for (int k = 0; k <= 64; k++)
			ref.checksum[k] =
			    (char)(sha[k] >= 'A' && sha[k] <= 'F' ? sha[k] + 32 : sha[k]);
	}
	if (tthc_verify_add_ref(v, &ref) < 0)
		free(ref.rel);
}

static void check_portal(struct tthc_verifier *v, xmlNodePtr hoso)
{
	struct tthc_pkg_entry *e = tthc_pkg_find(&v->pkg, PORTAL);
	struct jparse j = { 0 };
	struct jval pj = { 0 };
	const struct jval *list;
	const char *file;
	char buf[1024], when[15];
	xmlNodePtr tl, tep;
	size_t len, i;
	char *text;

	if (!e || e->is_dir) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, v->pkg.display,
		                   0, _("the bundle has no %s"), PORTAL);
		return;
	}
	file = tthc_verify_name(v, e->name);
	if (tthc_pkg_read(&v->pkg, e, MAX_PORTAL, &text, &len) < 0) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, file, 0, "%s",
		                   _("cannot be read, or larger than 8 MiB"));
		return;
	}
	j.p = text;
	j.end = text + len;
	if (jvalue(&j, &pj, 0) == 0 && (skip_ws(&j), j.p != j.end))
		jfail(&j, N_("text after the JSON value"));
	if (j.error || pj.type != J_OBJ) {
		tthc_verify_report(v, "TTHC-PORTAL-001", TTHC_SEV_ERROR, file, 0,
		                   _("not a JSON object: %s"),
		                   j.error ? _(j.error) : _("another JSON value"));
		goto out;
	}
	compare_field(v, file, &pj, "MaHoSo", text_of(hoso, "MaHoSo", buf, sizeof(buf)));
	compare_field(v, file, &pj, "MaTTHC", text_of(hoso, "MaTTHC", buf, sizeof(buf)));
	if (portal_time(text_of(hoso, "NgayTiepNhan", buf, sizeof(buf)), when) == 0)
		compare_field(v, file, &pj, "NgayTiepNhan", when);
	compare_field(v, file, &pj, "ChuHoSo",
	              text_of(tthc_child(hoso, "NguoiNop"), "HoTen", buf, sizeof(buf)));
	list = jget(&pj, "TaiLieuNop");
	if (!list || list->type != J_ARR) {
		PORTAL_REPORT(v, "TTHC-PORTAL-001", file,
		              _("%s: missing or not an array"), "TaiLieuNop");
		goto out;
	}
	tl = tthc_child(hoso, "TaiLieuNop");
	tep = tl ? tthc_child(tl, "TepDinhKem") : NULL;
	for (i = 0; tep && i < list->n; i++, tep = tthc_next_same(tep))
		check_attachment(v, file, tep, &list->items[i], i);
	if (tep || i < list->n) {
		PORTAL_REPORT(v, "TTHC-PORTAL-002", file, "%s",
		              tep ? _("TaiLieuNop has fewer entries than the dossier")
		                  : _("TaiLieuNop has more entries than the dossier"));
	}
out:
	jfree(&pj);
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
