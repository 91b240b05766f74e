/* SPDX-License-Identifier: MIT */
/* The validator: reads a dossier safely, checks it against its schema, runs the rules. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "internal.h"

/* XSD findings kept per document: past the first few, libxml2's follow-on errors add
 * noise. */
#define MAX_XSD_FINDINGS 50

struct schema_slot {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vctxt;
};

struct tthc_validator {
	struct tthc_ctx *ctx;
	struct schema_slot *slots; /* one per procedure, compiled on first use */
	struct tthc_patterns *patterns;
	struct tthc_xmlsafe xml; /* parser context and read buffer, reused */
	struct tthc_scratch scratch;
	struct tthc_report *current; /* the report libxml2's error callbacks write to */
	unsigned xsd_findings;
	char error[512];
};

/* Removes libxml2's "{namespace}" prefixes from a schema message. */
static void strip_namespace(char *msg)
{
	static const char ns[] = "{" TTHC_NS "}";
	char *p;

	while ((p = strstr(msg, ns)))
		memmove(p, p + sizeof(ns) - 1, strlen(p + sizeof(ns) - 1) + 1);
}

static void on_schema_error(void *data, xmlErrorPtr err)
{
	struct tthc_validator *v = data;
	char msg[512], path[512] = "";

	if (!v->current || err->level < XML_ERR_ERROR)
		return;
	if (v->xsd_findings++ >= MAX_XSD_FINDINGS)
		return;
	tthc_xml_chomp_copy(msg, sizeof(msg), err->message);
	strip_namespace(msg);
	if (err->node)
		tthc_node_path(err->node, path, sizeof(path));
	tthc_report_add(v->current, "TTHC-XSD-001",
	                err->line > 0 ? (unsigned long)err->line : 0, path, "%s", msg);
}

TTHC_EXPORT int tthc_validator_new(struct tthc_ctx *ctx, struct tthc_validator **out)
{
	struct tthc_validator *v = calloc(1, sizeof(*v));
	int ret;

	if (!v)
		return -ENOMEM;
	v->ctx = ctx;
	v->slots = calloc(tthc_procedure_count(), sizeof(*v->slots));
	if (!v->slots) {
		free(v);
		return -ENOMEM;
	}
	v->scratch.buf = malloc(TTHC_SCRATCH_SIZE);
	v->scratch.md_ctx = EVP_MD_CTX_new();
	v->scratch.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!v->scratch.buf || !v->scratch.md_ctx || !v->scratch.sha256) {
		tthc_validator_free(v);
		return tthc_ctx_fail(ctx, -ENOMEM, "%s", _("cannot set up SHA-256"));
	}
	ret = tthc_patterns_new(&v->patterns);
	if (ret < 0) {
		tthc_validator_free(v);
		return tthc_ctx_fail(ctx, ret, "%s",
		                     _("cannot compile the code patterns"));
	}
	*out = v;
	return 0;
}

TTHC_EXPORT void tthc_validator_free(struct tthc_validator *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->slots && i < tthc_procedure_count(); i++) {
		if (v->slots[i].vctxt)
			xmlSchemaFreeValidCtxt(v->slots[i].vctxt);
		if (v->slots[i].schema)
			xmlSchemaFree(v->slots[i].schema);
	}
	free(v->slots);
	tthc_xmlsafe_release(&v->xml);
	free(v->scratch.buf);
	EVP_MD_CTX_free(v->scratch.md_ctx);
	EVP_MD_free(v->scratch.sha256);
	tthc_patterns_free(v->patterns);
	free(v);
}

TTHC_EXPORT void tthc_validator_set_digests(struct tthc_validator *v, int on)
{
	v->scratch.no_digest = !on;
}

TTHC_EXPORT const char *tthc_validator_error(const struct tthc_validator *v)
{
	return v->error;
}

struct tthc_patterns *tthc_validator_patterns(struct tthc_validator *v)
{
	return v->patterns;
}

struct tthc_scratch *tthc_validator_scratch(struct tthc_validator *v)
{
	return &v->scratch;
}

static int fail(struct tthc_validator *v, int err, const char *fmt, ...)
    TTHC_PRINTF(3, 4);
static int fail(struct tthc_validator *v, int err, const char *fmt, ...)
{
	va_list ap;

	/* Only the validator's own buffer: the context is shared by threads, read-only.
	 */
	va_start(ap, fmt);
	vsnprintf(v->error, sizeof(v->error), fmt, ap);
	va_end(ap);
	return err;
}

static int load_schema(struct tthc_validator *v, const struct tthc_procedure *proc,
                       struct schema_slot **out)
{
	size_t i = (size_t)(proc - tthc_procedure_get(0));
	struct schema_slot *slot = &v->slots[i];
	xmlSchemaParserCtxtPtr pctxt;
	struct tthc_xml_error st = { 0 };
	char path[4096];

	if (slot->vctxt) {
		*out = slot;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s.xsd", v->ctx->schema_dir, proc->slug);
	if (access(path, R_OK) != 0)
		return fail(v, -errno, _("%s: cannot read schema: %s"), path,
		            strerror(errno));
	pctxt = xmlSchemaNewParserCtxt(path);
	if (!pctxt)
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	xmlSchemaSetParserStructuredErrors(pctxt, tthc_xml_on_error, &st);
	xmlSetStructuredErrorFunc(&st, tthc_xml_on_error);
	slot->schema = xmlSchemaParse(pctxt);
	xmlSetStructuredErrorFunc(NULL, tthc_xml_ignore_error);
	xmlSchemaFreeParserCtxt(pctxt);
	if (!slot->schema)
		return fail(v, -TTHC_E_SCHEMA, _("%s:%lu: cannot compile schema: %s"),
		            path, st.error_line, st.error);
	slot->vctxt = xmlSchemaNewValidCtxt(slot->schema);
	if (!slot->vctxt)
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	xmlSchemaSetValidStructuredErrors(slot->vctxt, on_schema_error, v);
	*out = slot;
	return 0;
}

/* Parses with no network, no DTD, no entities; reports what went wrong as a finding. */
static xmlDocPtr parse(struct tthc_validator *v, const char *buf, size_t len,
                       const char *name, struct tthc_report *r)
{
	struct tthc_xml_error st;
	xmlDocPtr doc = tthc_xmlsafe_parse(&v->xml, buf, len, name, &st);

	if (doc || st.nomem)
		return doc;
	if (st.too_big)
		tthc_report_add(
		    r, "TTHC-XML-003", 0, "",
		    _("needs more than %u MiB of memory to be checked: not read"),
		    TTHC_DOSSIER_TREE >> 20);
	else if (st.doctype)
		tthc_report_add(
		    r, "TTHC-XML-002", st.doctype_line, "", "%s",
		    _("a DOCTYPE is not allowed in a dossier (no DTD, no entity "
		      "declarations)"));
	else
		tthc_report_add(r, "TTHC-XML-001", st.error_line, "",
		                _("not well-formed XML: %s"),
		                st.have_error ? st.error : _("empty document"));
	return NULL;
}

static void check_receipt(struct tthc_vdoc *d)
{
	xmlNodePtr node = tthc_child(d->root, "NgayTiepNhan");
	char buf[64];
	const char *text = tthc_trim(tthc_text(node), buf, sizeof(buf));

	d->have_receipt =
	    text && tthc_date_parse(text, &d->receipt) == 0 && d->receipt.day != 0;
}

/* TTHC-XML-005: the format is UTF-8; tthc-normalize converts anything else. */
static void check_encoding(struct tthc_vdoc *d, const unsigned char *b, size_t len)
{
	const char *enc = (const char *)d->doc->encoding;

	/* UTF-16 may come with a byte-order mark, or none, and no declaration at all. */
	if (!enc && len >= 2 &&
	    (b[0] == 0 || b[1] == 0 || (b[0] == 0xFF && b[1] == 0xFE) ||
	     (b[0] == 0xFE && b[1] == 0xFF)))
		enc = "UTF-16";

	if (enc && strcasecmp(enc, "UTF-8") != 0 && strcasecmp(enc, "UTF8") != 0)
		tthc_vdoc_report(d, d->root, "TTHC-XML-005",
		                 N_("the document is encoded in %s, not UTF-8"), enc);
}

/* Finds the procedure; returns 0 to go on, 1 when nothing more can be checked. */
static int check_procedure(struct tthc_vdoc *d)
{
	xmlNodePtr node = tthc_child(d->root, "MaTTHC");
	const char *raw = tthc_text(node);
	char buf[64];
	/* A token: the schema compares it without its blanks, and so do we. */
	const char *code = tthc_trim(raw, buf, sizeof(buf));
	int superseded = 0;

	if (raw && !code)
		code = "…"; /* longer than any code: certainly not one */
	if (!code) {
		tthc_vdoc_report(d, d->root, "TTHC-PROC-001",
		                 N_("MaTTHC is missing: the procedure is not known"));
		return 1;
	}
	tthc_report_set_procedure(d->report, code);
	if (tthc_procedure_find(code, &d->proc, &superseded) < 0) {
		tthc_vdoc_report(d, node, "TTHC-PROC-001",
		                 N_("MaTTHC '%s' is not a procedure of the catalogue"),
		                 code);
		return 1;
	}
	if (superseded)
		tthc_vdoc_report(
		    d, node, "TTHC-PROC-002",
		    N_("MaTTHC '%s' is superseded: the current code is %s (%s)"), code,
		    d->proc->code, d->proc->name);
	d->form = tthc_child(d->root, d->proc->form);
	return 0;
}

static int validate_doc(struct tthc_validator *v, xmlDocPtr doc, const char *buf,
                        size_t len, const char *basedir, struct tthc_report *r)
{
	struct tthc_vdoc d = { .v = v, .doc = doc, .basedir = basedir, .report = r };
	struct schema_slot *slot;
	int ret;

	d.root = xmlDocGetRootElement(doc);
	if (!tthc_is(d.root, "HoSo")) {
		tthc_vdoc_report(&d, d.root, "TTHC-XML-004",
		                 N_("the root element is not HoSo in namespace %s"),
		                 TTHC_NS);
		return 0;
	}
	if (tthc_join_values(d.root) < 0)
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	check_encoding(&d, (const unsigned char *)buf, len);
	if (check_procedure(&d))
		return 0;
	ret = load_schema(v, d.proc, &slot);
	if (ret < 0)
		return ret;
	v->current = r;
	v->xsd_findings = 0;
	xmlSchemaValidateDoc(slot->vctxt, doc);
	v->current = NULL;
	check_receipt(&d);
	tthc_rules_codes(&d);
	tthc_rules_idnum(&d);
	tthc_rules_dates(&d);
	tthc_rules_files(&d);
	tthc_rules_text(&d);
	return 0;
}

TTHC_EXPORT int tthc_validator_memory(struct tthc_validator *v, const char *buf,
                                      size_t len, const char *name, const char *basedir,
                                      struct tthc_report **out)
{
	struct tthc_report *r = tthc_report_new(name);
	xmlDocPtr doc;
	int ret = 0;

	if (!r)
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	if (len > v->ctx->max_size) {
		tthc_report_add(r, "TTHC-XML-003", 0, "",
		                _("the document is larger than the limit of %zu bytes"),
		                v->ctx->max_size);
	} else {
		doc = parse(v, buf, len, name ? name : "-", r);
		if (doc) {
			ret = validate_doc(v, doc, buf, len, basedir ? basedir : ".", r);
			xmlFreeDoc(doc);
		}
	}
	if (ret < 0) {
		tthc_report_free(r);
		return ret;
	}
	tthc_report_sort(r);
	*out = r;
	return 0;
}

TTHC_EXPORT int tthc_validator_fd(struct tthc_validator *v, int fd, const char *name,
                                  const char *basedir, struct tthc_report **out)
{
	ssize_t len = tthc_xmlsafe_read(&v->xml, fd, v->ctx->max_size);
	int ret;

	if (len < 0)
		return fail(v, (int)len, "%s: %s", name ? name : "-",
		            strerror((int)-len));
	ret = tthc_validator_memory(v, v->xml.readbuf, (size_t)len, name, basedir, out);
	tthc_xmlsafe_shrink(&v->xml);
	return ret;
}

TTHC_EXPORT int tthc_validator_file(struct tthc_validator *v, const char *path,
                                    const char *name, struct tthc_report **out)
{
	struct stat st;
	char *copy, *dir;
	int fd, ret;

	/*
	 * Non-blocking, so a FIFO with no writer cannot hang us in open(); reads block
	 * again after, so process substitution (<(…)) still works.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fail(v, -errno, "%s: %s", path, strerror(errno));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(v, -EISDIR, "%s: %s", path, strerror(EISDIR));
	}
	copy = strdup(path);
	if (!copy) {
		close(fd);
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	}
	dir = dirname(copy);
	ret = tthc_validator_fd(v, fd, name ? name : path, dir, out);
	free(copy);
	close(fd);
	return ret;
}
