/* SPDX-License-Identifier: MIT */
/* The validator: reads a dossier safely, checks it against its schema, runs the rules. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlschemastypes.h>

#include "internal.h"

/* XSD findings kept per document: past the first few, libxml2's follow-on errors add noise. */
#define MAX_XSD_FINDINGS 50

struct schema_slot {
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vctxt;
};

struct tthc_validator {
	struct tthc_ctx *ctx;
	struct schema_slot *slots; /* one per procedure, compiled on first use */
	struct tthc_patterns *patterns;
	xmlParserCtxtPtr pctxt;	     /* reused from document to document */
	struct tthc_scratch scratch;
	char *readbuf;		     /* the document's bytes, reused */
	size_t readbuf_size;
	struct tthc_report *current; /* the report libxml2's error callbacks write to */
	unsigned xsd_findings;
	char error[512];
};

/* What the parser callbacks learn about one document. */
struct parse_state {
	int doctype;
	unsigned long doctype_line;
	int have_error;
	int error_internal; /* the kept error is libxml2's vague "internal error" */
	unsigned long error_line;
	char error[256];
};

static xmlExternalEntityLoader default_loader;

/*
 * Only our own schema files are ever loaded through libxml2's loader: the dossier parser
 * stops at a DOCTYPE before anything external is named.  Refuse any network scheme.
 */
static xmlParserInputPtr local_only_loader(const char *url, const char *id,
					   xmlParserCtxtPtr pctxt)
{
	if (url && strstr(url, "://") && strncmp(url, "file://", 7) != 0)
		return NULL;
	return default_loader(url, id, pctxt);
}

static void xml_init_once(void)
{
	xmlInitParser();
	/* libxml2 2.9 builds its schema type tables lazily and not thread-safely: now. */
	xmlSchemaInitTypes();
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(local_only_loader);
}

void tthc_xml_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, xml_init_once);
}

/* Swallows anything libxml2 would print on its own: we report through findings. */
static void ignore_error(void *data, xmlErrorPtr err)
{
	(void)data;
	(void)err;
}

/* Copies a libxml2 message as one line: findings are one line each. */
static void chomp_copy(char *dst, size_t size, const char *src)
{
	size_t n;

	snprintf(dst, size, "%s", src ? src : "");
	n = strlen(dst);
	while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
		dst[--n] = '\0';
	for (char *p = dst; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

static void on_parse_error(void *data, xmlErrorPtr err)
{
	struct parse_state *st = data;

	int internal = err->code == XML_ERR_INTERNAL_ERROR;

	/* Keep the first error, unless it says less than a later one (truncated input). */
	if (err->level < XML_ERR_ERROR || (st->have_error && (!st->error_internal || internal)))
		return;
	st->have_error = 1;
	st->error_internal = internal;
	st->error_line = err->line > 0 ? (unsigned long)err->line : 0;
	chomp_copy(st->error, sizeof(st->error), err->message);
}

/* A dossier never needs a DTD: stop at the DOCTYPE, before any entity is declared. */
static void on_doctype(void *data, const xmlChar *name, const xmlChar *public_id,
		       const xmlChar *system_id)
{
	xmlParserCtxtPtr pctxt = data;
	struct parse_state *st = pctxt->_private;

	(void)name;
	(void)public_id;
	(void)system_id;
	st->doctype = 1;
	st->doctype_line = pctxt->input ? (unsigned long)pctxt->input->line : 0;
	xmlStopParser(pctxt);
}

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
	chomp_copy(msg, sizeof(msg), err->message);
	strip_namespace(msg);
	if (err->node)
		tthc_node_path(err->node, path, sizeof(path));
	tthc_report_add(v->current, "TTHC-XSD-001", err->line > 0 ? (unsigned long)err->line : 0,
			path, "%s", msg);
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
		return tthc_ctx_fail(ctx, ret, "%s", _("cannot compile the code patterns"));
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
	if (v->pctxt)
		xmlFreeParserCtxt(v->pctxt);
	free(v->scratch.buf);
	EVP_MD_CTX_free(v->scratch.md_ctx);
	EVP_MD_free(v->scratch.sha256);
	free(v->readbuf);
	tthc_patterns_free(v->patterns);
	free(v);
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

static int fail(struct tthc_validator *v, int err, const char *fmt, ...) TTHC_PRINTF(3, 4);
static int fail(struct tthc_validator *v, int err, const char *fmt, ...)
{
	va_list ap;

	/* Only the validator's own buffer: the context is shared by threads, read-only. */
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
	struct parse_state st = { 0 };
	char path[4096];

	if (slot->vctxt) {
		*out = slot;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s.xsd", v->ctx->schema_dir, proc->slug);
	if (access(path, R_OK) != 0)
		return fail(v, -errno, _("%s: cannot read schema: %s"), path, strerror(errno));
	pctxt = xmlSchemaNewParserCtxt(path);
	if (!pctxt)
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	xmlSchemaSetParserStructuredErrors(pctxt, on_parse_error, &st);
	xmlSetStructuredErrorFunc(&st, on_parse_error);
	slot->schema = xmlSchemaParse(pctxt);
	xmlSetStructuredErrorFunc(NULL, ignore_error);
	xmlSchemaFreeParserCtxt(pctxt);
	if (!slot->schema)
		return fail(v, -TTHC_E_SCHEMA, _("%s:%lu: cannot compile schema: %s"), path,
			    st.error_line, st.error);
	slot->vctxt = xmlSchemaNewValidCtxt(slot->schema);
	if (!slot->vctxt)
		return fail(v, -ENOMEM, "%s", strerror(ENOMEM));
	xmlSchemaSetValidStructuredErrors(slot->vctxt, on_schema_error, v);
	*out = slot;
	return 0;
}

/*
 * One parser context serves a validator's documents, so the names dictionary is built
 * once rather than per file.  Past this many names (hostile documents can invent any
 * number) it is dropped and made anew, so memory stays bounded.
 */
#define MAX_DICT_NAMES 20000

static xmlParserCtxtPtr parser_for(struct tthc_validator *v)
{
	if (v->pctxt && xmlDictSize(v->pctxt->dict) > MAX_DICT_NAMES) {
		xmlFreeParserCtxt(v->pctxt);
		v->pctxt = NULL;
	}
	if (!v->pctxt) {
		v->pctxt = xmlNewParserCtxt();
		if (!v->pctxt)
			return NULL;
		v->pctxt->sax->internalSubset = on_doctype;
	}
	return v->pctxt;
}

/* Parses with no network, no DTD, no entities; reports what went wrong as a finding. */
static xmlDocPtr parse(struct tthc_validator *v, const char *buf, size_t len,
		       const char *name, struct tthc_report *r)
{
	struct parse_state st = { 0 };
	xmlParserCtxtPtr pctxt = parser_for(v);
	xmlDocPtr doc;
	int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT |
		      XML_PARSE_NOWARNING;

	if (!pctxt)
		return NULL;
	pctxt->_private = &st;
	/*
	 * Not sax->serror: libxml2 hands that the parser context as its data.  The
	 * thread-local structured handler gets ours.
	 */
	xmlSetStructuredErrorFunc(&st, on_parse_error);
	doc = xmlCtxtReadMemory(pctxt, buf, (int)len, name, NULL, options);
	xmlSetStructuredErrorFunc(NULL, ignore_error);
	pctxt->_private = NULL;
	if (st.doctype) {
		tthc_report_add(r, "TTHC-XML-002", st.doctype_line, "", "%s",
				_("a DOCTYPE is not allowed in a dossier (no DTD, no entity "
				  "declarations)"));
	} else if (!doc || !pctxt->wellFormed || st.have_error) {
		tthc_report_add(r, "TTHC-XML-001", st.error_line, "",
				_("not well-formed XML: %s"),
				st.have_error ? st.error : _("empty document"));
	} else {
		return doc;
	}
	xmlFreeDoc(doc);
	return NULL;
}

static void check_receipt(struct tthc_vdoc *d)
{
	xmlNodePtr node = tthc_child(d->root, "NgayTiepNhan");
	const char *text = tthc_text(node);

	d->have_receipt = text && tthc_date_parse(text, &d->receipt) == 0 &&
			  d->receipt.day != 0;
}

/* Finds the procedure; returns 0 to go on, 1 when nothing more can be checked. */
static int check_procedure(struct tthc_vdoc *d)
{
	xmlNodePtr node = tthc_child(d->root, "MaTTHC");
	const char *code = tthc_text(node);
	int superseded = 0;

	if (!code) {
		tthc_vdoc_report(d, d->root, "TTHC-PROC-001",
				 N_("MaTTHC is missing: the procedure is not known"));
		return 1;
	}
	tthc_report_set_procedure(d->report, code);
	if (tthc_procedure_find(code, &d->proc, &superseded) < 0) {
		tthc_vdoc_report(d, node, "TTHC-PROC-001",
				 N_("MaTTHC '%s' is not a procedure of the catalogue"), code);
		return 1;
	}
	if (superseded)
		tthc_vdoc_report(d, node, "TTHC-PROC-002",
				 N_("MaTTHC '%s' is superseded: the current code is %s (%s)"),
				 code, d->proc->code, d->proc->name);
	d->form = tthc_child(d->root, d->proc->form);
	return 0;
}

static int validate_doc(struct tthc_validator *v, xmlDocPtr doc, const char *basedir,
			struct tthc_report *r)
{
	struct tthc_vdoc d = { .v = v, .doc = doc, .basedir = basedir, .report = r };
	struct schema_slot *slot;
	int ret;

	d.root = xmlDocGetRootElement(doc);
	if (!tthc_is(d.root, "HoSo")) {
		tthc_vdoc_report(&d, d.root, "TTHC-XML-004",
				 N_("the root element is not HoSo in namespace %s"), TTHC_NS);
		return 0;
	}
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

TTHC_EXPORT int tthc_validator_memory(struct tthc_validator *v, const char *buf, size_t len,
				      const char *name, const char *basedir,
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
			ret = validate_doc(v, doc, basedir ? basedir : ".", r);
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

/* A read buffer past this size is given back after the document, not kept. */
#define KEEP_READBUF (4u << 20)

/*
 * Reads at most max + 1 bytes into the validator's buffer, so an oversized input is known
 * without reading it all.  Returns the number of bytes read or -errno.
 */
static ssize_t read_bounded(struct tthc_validator *v, int fd, size_t max)
{
	size_t len = 0;

	for (;;) {
		ssize_t n;

		if (len == v->readbuf_size) {
			size_t size = v->readbuf_size ? 2 * v->readbuf_size : 64 * 1024;
			char *nb;

			if (len > max)
				break;
			nb = realloc(v->readbuf, size);
			if (!nb)
				return -ENOMEM;
			v->readbuf = nb;
			v->readbuf_size = size;
		}
		n = read(fd, v->readbuf + len, v->readbuf_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

TTHC_EXPORT int tthc_validator_fd(struct tthc_validator *v, int fd, const char *name,
				  const char *basedir, struct tthc_report **out)
{
	ssize_t len = read_bounded(v, fd, v->ctx->max_size);
	int ret;

	if (len < 0)
		return fail(v, (int)len, "%s: %s", name ? name : "-", strerror((int)-len));
	ret = tthc_validator_memory(v, v->readbuf, (size_t)len, name, basedir, out);
	if (v->readbuf_size > KEEP_READBUF) {
		free(v->readbuf);
		v->readbuf = NULL;
		v->readbuf_size = 0;
	}
	return ret;
}

TTHC_EXPORT int tthc_validator_file(struct tthc_validator *v, const char *path,
				    const char *name, struct tthc_report **out)
{
	struct stat st;
	char *copy, *dir;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail(v, -errno, "%s: %s", path, strerror(errno));
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
