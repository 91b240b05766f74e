/* SPDX-License-Identifier: MIT */
/* The bundle verifier: archive safety, the METS files, every listed file's size and
 * digest. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "verify_int.h"

#define DEFAULT_MAX_ENTRIES 10000
#define DEFAULT_MAX_TOTAL (64ULL << 30)
#define DEFAULT_MAX_RATIO 200
#define MAX_METS (64u << 20) /* a METS file larger than this is not read */
#define MALLOC_COST 16       /* what malloc adds to a block, at most */

static const char *const alg_names[TTHC_DIG_COUNT] = { NULL,      "MD5",     "SHA-1",
	                                               "SHA-256", "SHA-384", "SHA-512" };
static const char *const alg_fetch[TTHC_DIG_COUNT] = { NULL,     "MD5",    "SHA1",
	                                               "SHA256", "SHA384", "SHA512" };

enum tthc_digest_alg tthc_digest_alg_from_name(const char *name)
{
	for (int i = 1; i < TTHC_DIG_COUNT; i++)
		if (strcmp(name, alg_names[i]) == 0)
			return (enum tthc_digest_alg)i;
	return TTHC_DIG_NONE;
}

TTHC_EXPORT const char *tthc_verify_profile_name(enum tthc_verify_profile profile)
{
	static const char *const names[] = { "auto", "csip", "sip", "tthc" };

	return (unsigned)profile < 4 ? names[profile] : NULL;
}

/* ---- the verifier ---- */

TTHC_EXPORT int tthc_verify_new(struct tthc_ctx *ctx, struct tthc_verifier **out)
{
	struct tthc_verifier *v = calloc(1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	tthc_xml_init();
	v->ctx = ctx;
	v->pkg.rootfd = -1;
	v->pkg.zipfd = -1;
	tthc_verify_set_limits(v, NULL);
	*out = v;
	return 0;
}

static void clear_bundle(struct tthc_verifier *v)
{
	for (size_t i = 0; i < v->nrefs; i++)
		free(v->refs[i].rel);
	v->nrefs = 0;
	v->refs_cost = 0;
	v->refs_full = 0;
	v->reps_counted = 0;
	for (size_t i = 0; i < v->nreps; i++)
		free(v->reps[i]);
	free(v->reps);
	v->reps = NULL;
	v->nreps = 0;
	for (size_t i = 0; i < v->nnames; i++)
		free(v->names[i]);
	free(v->names);
	v->names = NULL;
	v->nnames = 0;
	if (v->hoso)
		xmlFreeDoc(v->hoso);
	v->hoso = NULL;
	free(v->hoso_buf);
	v->hoso_buf = NULL;
	v->hoso_name = NULL;
	tthc_pkg_close(&v->pkg);
	free(v->display);
	v->display = NULL;
	v->valid = 0;
	v->no_listing = 0;
}

TTHC_EXPORT void tthc_verify_free(struct tthc_verifier *v)
{
	if (!v)
		return;
	clear_bundle(v);
	free(v->refs);
	if (v->mets_schema)
		xmlSchemaFree(v->mets_schema);
	free(v->mets_schema_path);
	tthc_validator_free(v->validator);
	tthc_xmlsafe_release(&v->xml);
	free(v);
}

TTHC_EXPORT int tthc_verify_set_profile(struct tthc_verifier *v,
                                        enum tthc_verify_profile profile)
{
	if ((unsigned)profile > TTHC_PROFILE_TTHC)
		return -EINVAL;
	v->profile = profile;
	return 0;
}

TTHC_EXPORT int tthc_verify_set_limits(struct tthc_verifier *v,
                                       const struct tthc_verify_limits *lim)
{
	struct tthc_verify_limits l = lim ? *lim : (struct tthc_verify_limits){ 0 };

	v->lim.max_entries = l.max_entries ? l.max_entries : DEFAULT_MAX_ENTRIES;
	v->lim.max_total = l.max_total ? l.max_total : DEFAULT_MAX_TOTAL;
	v->lim.max_ratio = l.max_ratio ? l.max_ratio : DEFAULT_MAX_RATIO;
	return 0;
}

static void schema_error(void *data, xmlErrorPtr err)
{
	struct tthc_verifier *v = data;

	if (err->level >= XML_ERR_ERROR && !*v->error)
		tthc_xml_chomp_copy(v->error, sizeof(v->error), err->message);
}

/*
 * mets.xsd imports xlink.xsd by its web address, and nothing is fetched from the network:
 * an import whose file lies beside the schema (same base name) is pointed at that file.
 */
static void localise_imports(xmlDocPtr doc, const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 1;
	const char *dir = slash ? path : ".";
	xmlNodePtr root = xmlDocGetRootElement(doc);

	for (xmlNodePtr n = root; n; n = tthc_next_element(n, root, 1)) {
		xmlChar *loc;
		const char *base;
		char *local;

		if (strcmp((const char *)n->name, "import") != 0 &&
		    strcmp((const char *)n->name, "include") != 0)
			continue;
		loc = xmlGetNoNsProp(n, (const xmlChar *)"schemaLocation");
		base = loc ? strrchr((const char *)loc, '/') : NULL;
		if (base && strstr((const char *)loc, "://") &&
		    asprintf(&local, "%.*s/%s", dirlen, dir, base + 1) >= 0) {
			if (access(local, R_OK) == 0)
				xmlSetProp(n, (const xmlChar *)"schemaLocation",
				           (const xmlChar *)local);
			free(local);
		}
		xmlFree(loc);
	}
}

TTHC_EXPORT int tthc_verify_set_mets_schema(struct tthc_verifier *v, const char *path)
{
	xmlDocPtr doc = xmlReadFile(
	    path, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema = NULL;

	*v->error = '\0';
	if (doc) {
		localise_imports(doc, path);
		pc = xmlSchemaNewDocParserCtxt(doc);
		if (pc) {
			xmlSchemaSetParserStructuredErrors(pc, schema_error, v);
			schema = xmlSchemaParse(pc);
			xmlSchemaFreeParserCtxt(pc);
		}
		xmlFreeDoc(doc);
	}
	if (!schema) {
		char why[sizeof(v->error)];

		snprintf(why, sizeof(why), "%s", v->error);
		snprintf(v->error, sizeof(v->error),
		         _("%.200s: cannot compile the schema: %s"), path,
		         *why ? why : tthc_strerror(-TTHC_E_SCHEMA));
		return -TTHC_E_SCHEMA;
	}
	if (v->mets_schema)
		xmlSchemaFree(v->mets_schema);
	v->mets_schema = schema;
	return 0;
}

TTHC_EXPORT const char *tthc_verify_error(const struct tthc_verifier *v)
{
	return v->error;
}

TTHC_EXPORT enum tthc_verify_profile
tthc_verify_profile_used(const struct tthc_verifier *v)
{
	return v->used;
}

/* ---- helpers for the other verify files ---- */

const char *tthc_verify_name(struct tthc_verifier *v, const char *entry)
{
	char **nn = realloc(v->names, (v->nnames + 1) * sizeof(*nn)), *s;

	if (!nn)
		return v->pkg.display;
	v->names = nn;
	if (asprintf(&s, "%s!%s", v->pkg.display, entry) < 0)
		return v->pkg.display;
	v->names[v->nnames++] = s;
	return s;
}

/* A finding quotes the document: past this many bytes a message is cut short. */
#define MAX_MESSAGE 1024

/* Cuts msg to MAX_MESSAGE bytes, between two UTF-8 characters, with an ellipsis. */
static void cut_message(char *msg)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	size_t n = strlen(msg);

	if (n <= MAX_MESSAGE)
		return;
	n = MAX_MESSAGE - (sizeof(ellipsis) - 1);
	while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
		n--;
	memcpy(msg + n, ellipsis, sizeof(ellipsis));
}

void tthc_verify_report(struct tthc_verifier *v, const char *id, enum tthc_severity sev,
                        const char *file, unsigned long line, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) >= 0) {
		cut_message(msg);
		tthc_report_add_id(v->report, id, sev, file, line, NULL, "%s", msg);
		free(msg);
	}
	va_end(ap);
}

/*
 * The references of every METS document are kept until the files are read: they may take
 * REF_BYTES for each entry the package may hold (lim.max_entries), twice what a package
 * that large needs, so that hostile METS documents cannot take more.
 */
#define REF_BYTES 512

static size_t path_cost(const char *path)
{
	return strlen(path) + 1 + MALLOC_COST;
}

/* Past the budget the rest are not checked, and "unlisted" would mean little. */
static int refs_full(struct tthc_verifier *v, const struct tthc_ref *ref)
{
	if (!v->refs_full)
		tthc_verify_report(v, "TTHC-ZIP-005", TTHC_SEV_ERROR, ref->mets,
		                   ref->line,
		                   _("the METS documents list more files than a limit of "
		                     "%llu entries allows: the rest are not checked"),
		                   (unsigned long long)v->lim.max_entries);
	v->refs_full = 1;
	v->no_listing = 1;
	return -E2BIG;
}

int tthc_verify_add_ref(struct tthc_verifier *v, const struct tthc_ref *ref)
{
	size_t budget = v->lim.max_entries < SIZE_MAX / REF_BYTES
	                    ? (size_t)v->lim.max_entries * REF_BYTES
	                    : SIZE_MAX;
	size_t cost = sizeof(*ref) + path_cost(ref->rel), reps = v->reps_counted;

	/* A representation METS's path is kept (v->reps) just before its reference. */
	for (; v->reps_counted < v->nreps; v->reps_counted++)
		cost += sizeof(char *) + path_cost(v->reps[v->reps_counted]);
	if (v->refs_full || cost > budget - v->refs_cost) {
		while (v->nreps > reps)
			free(v->reps[--v->nreps]);
		v->reps_counted = v->nreps;
		return refs_full(v, ref);
	}
	if (v->nrefs == v->refs_alloc) {
		size_t most = budget / sizeof(*ref) + 1;
		size_t n = v->refs_alloc ? 2 * v->refs_alloc : 32;
		struct tthc_ref *nr;

		/* Still above nrefs: each reference's cost counts its record. */
		n = n < most ? n : most;
		nr = realloc(v->refs, n * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		v->refs = nr;
		v->refs_alloc = n;
	}
	v->refs_cost += cost;
	v->refs[v->nrefs++] = *ref;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * CSIP76: references are relative URLs ("file:" allowed).  Percent-escapes are decoded,
 * "." dropped, ".." taken back within the package; leaving it, or any scheme or
 * absolute path, is refused.
 */
char *tthc_verify_resolve(const char *base, const char *href)
{
	size_t blen = strlen(base), hlen, n = 0;
	char *out, *p;

	if (strncmp(href, "file:", 5) == 0)
		href += 5;
	hlen = strlen(href);
	if (!hlen || *href == '/' || href[hlen - 1] == '/' || strchr(href, ':') ||
	    strchr(href, '\\'))
		return NULL;
	out = malloc(blen + hlen + 1);
	if (!out)
		return NULL;
	memcpy(out, base, blen);
	p = out + blen;
	for (size_t i = 0; i < hlen; i++) {
		if (href[i] == '%') {
			int hi = i + 2 < hlen ? hexval(href[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(href[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				return NULL;
			}
			p[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			p[n++] = href[i];
		}
	}
	p[n] = '\0';
	/* Normalise: "." and empty components dropped, ".." taken back. */
	{
		char *res = malloc(strlen(out) + 2), *dst = res;
		const char *src = out;

		if (!res) {
			free(out);
			return NULL;
		}
		while (*src) {
			size_t len = strcspn(src, "/");

			if (len == 2 && src[0] == '.' && src[1] == '.') {
				if (dst == res) {
					free(res);
					free(out);
					return NULL;
				}
				dst--; /* the '/' after the last component kept */
				while (dst > res && dst[-1] != '/')
					dst--;
			} else if (len > 0 && !(len == 1 && src[0] == '.')) {
				memcpy(dst, src, len);
				dst += len;
				*dst++ = '/';
			}
			src += len;
			if (*src == '/')
				src++;
		}
		free(out);
		if (dst == res) {
			free(res);
			return NULL;
		}
		dst[-1] = '\0';
		out = res;
	}
	return out;
}

/* ---- reading a METS document: streamed, into a tree of bounded size ---- */

/*
 * The requirement checks walk a METS document as a tree, which libxml2 builds at ten
 * times the document's size, and at thirty or more for one of little but elements and
 * attributes.  The document is parsed as it streams out of the package, never held
 * whole, and the parse stops once the tree and the parser's input would take more than
 * MAX_TREE (lib/xmlsafe.c counts them): a METS listing some 12,000 files fits.
 */
#define MAX_TREE (36u << 20)
#define PIECE (64 * 1024) /* what the parser is given at a time */

struct mets_parse {
	xmlParserCtxtPtr pc;
	xmlDocPtr doc; /* the result, NULL when xe says why not */
	struct tthc_xml_error xe;
	struct tthc_xml_budget budget;
	struct tthc_xml_scan scan; /* for crowded elements, from piece to piece */
};

/* The stream's sink: the parser gets the bytes a piece at a time. */
static int feed(void *arg, const unsigned char *buf, size_t len)
{
	struct mets_parse *mp = arg;

	while (len > 0) {
		size_t n = len < PIECE ? len : PIECE;

		if (tthc_xml_scan(&mp->scan, (const char *)buf, n, &mp->xe))
			return -ECANCELED;
		xmlParseChunk(mp->pc, (const char *)buf, (int)n, 0);
		tthc_xml_budget_input(mp->pc, PIECE);
		if (mp->xe.too_big || mp->xe.doctype || !mp->pc->wellFormed)
			return -ECANCELED;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Parses the METS entry e as it is read: no network, no DTD, no entities, blank text
 * between elements dropped.  Leaves mp->doc, or NULL with mp->xe saying why (too_big:
 * past MAX_TREE).  Returns 0, or a negative code of tthc_pkg_stream().
 */
static int parse_mets(struct tthc_verifier *v, struct tthc_pkg_entry *e, const char *name,
                      struct mets_parse *mp)
{
	int ret;

	memset(mp, 0, sizeof(*mp));
	tthc_xml_scan_start(&mp->scan);
	mp->pc = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, name);
	if (!mp->pc) {
		mp->xe.nomem = 1;
		return 0;
	}
	xmlCtxtUseOptions(mp->pc, XML_PARSE_NONET | XML_PARSE_BIG_LINES |
	                              XML_PARSE_COMPACT | XML_PARSE_NOWARNING |
	                              XML_PARSE_NOBLANKS);
	tthc_xml_budget_handlers(mp->pc);
	tthc_xml_budget_start(&mp->budget, mp->pc, MAX_TREE, &mp->xe);
	/* The thread's structured handler gets libxml2's messages, as in xmlsafe.c. */
	xmlSetStructuredErrorFunc(&mp->xe, tthc_xml_on_error);
	ret = tthc_pkg_stream(&v->pkg, e, feed, mp);
	if (ret == 0)
		xmlParseChunk(mp->pc, NULL, 0, 1);
	xmlSetStructuredErrorFunc(NULL, tthc_xml_ignore_error);
	mp->doc = mp->pc->myDoc;
	mp->pc->myDoc = NULL;
	if (ret < 0 || mp->xe.too_big || mp->xe.doctype || mp->xe.have_error ||
	    !mp->pc->wellFormed) {
		xmlFreeDoc(mp->doc);
		mp->doc = NULL;
	}
	xmlFreeParserCtxt(mp->pc);
	mp->pc = NULL;
	return ret == -ECANCELED ? 0 : ret;
}

/* ---- the METS documents ---- */

static void schema_finding(void *data, xmlErrorPtr err)
{
	struct tthc_mets *m = data;
	char msg[512];

	if (err->level < XML_ERR_ERROR)
		return;
	tthc_xml_chomp_copy(msg, sizeof(msg), err->message);
	tthc_verify_report(m->v, "TTHC-PKG-003", TTHC_SEV_ERROR, m->file,
	                   err->line > 0 ? (unsigned long)err->line : 0,
	                   _("not valid against the METS schema: %s"), msg);
}

static void validate_schema(struct tthc_mets *m)
{
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(m->v->mets_schema);

	if (!vc)
		return;
	xmlSchemaSetValidStructuredErrors(vc, schema_finding, m);
	xmlSchemaValidateDoc(vc, m->doc);
	xmlSchemaFreeValidCtxt(vc);
}

/*
 * Reads, parses and checks the METS file at rel.  base is its folder ("" or
 * "representations/rep1/").  Returns 0 or a negative code (I/O, memory).
 */
static int check_mets(struct tthc_verifier *v, const char *rel, const char *base,
                      const char *folder, int is_rep, const char *missing_id)
{
	struct tthc_pkg_entry *e = tthc_pkg_find(&v->pkg, rel);
	struct tthc_mets m = { .v = v, .base = base, .folder = folder, .is_rep = is_rep };
	struct mets_parse mp;
	int ret;

	m.file = tthc_verify_name(v, e ? e->name : rel);
	/* Without the root METS nothing is listed: "unlisted" would say nothing new. */
	v->no_listing |= !is_rep;
	if (!e || e->is_dir) {
		tthc_verify_report(v, missing_id, TTHC_SEV_ERROR, v->pkg.display, 0,
		                   _("the package has no %s/%s"), v->pkg.root, rel);
		return 0;
	}
	if (e->size > MAX_METS) {
		tthc_verify_report(v, missing_id, TTHC_SEV_ERROR, m.file, 0,
		                   _("larger than %u MiB: not read"), MAX_METS >> 20);
		v->no_listing = 1; /* some files are listed, but not which */
		return 0;
	}
	ret = parse_mets(v, e, m.file, &mp);
	if (ret == -TTHC_E_XML || ret == -TTHC_E_TOOBIG)
		return 0; /* reported */
	if (ret < 0)
		return ret;
	m.doc = mp.doc;
	if (mp.xe.nomem) {
		return -ENOMEM;
	} else if (mp.xe.too_big) {
		tthc_verify_report(v, "TTHC-ZIP-005", TTHC_SEV_ERROR, m.file, 0,
		                   _("needs more than %u MiB of memory to be checked: "
		                     "not read"),
		                   MAX_TREE >> 20);
		v->no_listing = 1;
	} else if (!m.doc) {
		tthc_verify_report(v, missing_id, TTHC_SEV_ERROR, m.file,
		                   mp.xe.doctype ? mp.xe.doctype_line : mp.xe.error_line,
		                   _("not well-formed XML: %s"),
		                   mp.xe.doctype      ? _("a DOCTYPE is not allowed")
		                   : mp.xe.have_error ? mp.xe.error
		                                      : _("the document is empty"));
	} else {
		v->no_listing &= is_rep;
		tthc_mets_check(&m);
		if (v->mets_schema)
			validate_schema(&m);
		xmlFreeDoc(m.doc);
	}
	return 0;
}

static int check_all_mets(struct tthc_verifier *v)
{
	int ret = check_mets(v, "METS.xml", "", v->pkg.root, 0, "CSIPSTR4");

	for (size_t i = 0; ret == 0 && i < v->nreps && !v->pkg.unsafe; i++) {
		const char *rel = v->reps[i], *slash = strrchr(rel, '/');
		char *base = strndup(rel, slash ? (size_t)(slash - rel + 1) : 0);

		if (!base)
			return -ENOMEM;
		/* The representation's folder name is the last component of base. */
		ret = check_mets(v, rel, base, "", 1, "CSIPSTR12");
		free(base);
	}
	return ret;
}

/* ---- every file: sizes and digests, read once ---- */

struct hashing {
	EVP_MD_CTX *ctx[TTHC_DIG_COUNT];
	EVP_MD *md[TTHC_DIG_COUNT];
	int on[TTHC_DIG_COUNT];
	uint64_t bytes;
	unsigned char head[TTHC_MAGIC_HEAD]; /* the first bytes, for the magic check */
	size_t head_len;
};

static int hash_sink(void *arg, const unsigned char *buf, size_t len)
{
	struct hashing *h = arg;

	if (h->head_len < sizeof(h->head)) {
		size_t n = sizeof(h->head) - h->head_len < len
		               ? sizeof(h->head) - h->head_len
		               : len;

		memcpy(h->head + h->head_len, buf, n);
		h->head_len += n;
	}
	h->bytes += len;
	for (int a = 1; a < TTHC_DIG_COUNT; a++)
		if (h->on[a] && !EVP_DigestUpdate(h->ctx[a], buf, len))
			return -TTHC_E_INTERNAL;
	return 0;
}

static void hex(const unsigned char *md, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Hashes e with every algorithm its references ask for; digests[a] get the hex. */
static int hash_entry(struct tthc_verifier *v, struct hashing *h,
                      struct tthc_pkg_entry *e, char digests[][EVP_MAX_MD_SIZE * 2 + 1])
{
	int ret;

	memset(h->on, 0, sizeof(h->on));
	h->bytes = 0;
	h->head_len = 0;
	for (int r = e->first_ref; r >= 0; r = v->refs[r].next)
		h->on[v->refs[r].alg] = 1;
	for (int a = 1; a < TTHC_DIG_COUNT; a++) {
		if (!h->on[a])
			continue;
		if (!h->md[a] && !(h->md[a] = EVP_MD_fetch(NULL, alg_fetch[a], NULL)))
			return -TTHC_E_INTERNAL;
		if (!h->ctx[a] && !(h->ctx[a] = EVP_MD_CTX_new()))
			return -ENOMEM;
		if (!EVP_DigestInit_ex2(h->ctx[a], h->md[a], NULL))
			return -TTHC_E_INTERNAL;
	}
	ret = tthc_pkg_stream(&v->pkg, e, hash_sink, h);
	if (ret < 0)
		return ret;
	for (int a = 1; a < TTHC_DIG_COUNT; a++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned n = 0;

		if (!h->on[a])
			continue;
		if (!EVP_DigestFinal_ex(h->ctx[a], md, &n))
			return -TTHC_E_INTERNAL;
		hex(md, n, digests[a]);
	}
	return 0;
}

/*
 * A dossier's attachment (a reference the dossier makes, TTHC-FILE-*) must start as its
 * extension says (TTHC-FILE-006), as tthc-validate checks before packing.
 */
static void check_magic(struct tthc_verifier *v, const struct tthc_pkg_entry *e,
                        const struct hashing *h)
{
	for (int r = e->first_ref; r >= 0; r = v->refs[r].next) {
		const struct tthc_ref *ref = &v->refs[r];
		const char *ext = NULL, *desc;

		if (!ref->id_sum || strcmp(ref->id_sum, "TTHC-FILE-005") != 0)
			continue;
		desc = tthc_magic_mismatch(ref->rel, h->head, h->head_len, &ext);
		if (desc)
			tthc_verify_report(
			    v, "TTHC-FILE-006", TTHC_SEV_ERROR, ref->mets, ref->line,
			    _("'%s': the content does not start as a %s file "
			      "does (%s)"),
			    ref->rel, ext, desc);
		return;
	}
}

static void compare_refs(struct tthc_verifier *v, struct tthc_pkg_entry *e,
                         uint64_t bytes, char digests[][EVP_MAX_MD_SIZE * 2 + 1])
{
	for (int r = e->first_ref; r >= 0; r = v->refs[r].next) {
		const struct tthc_ref *ref = &v->refs[r];

		if (ref->size >= 0 && (uint64_t)ref->size != bytes)
			tthc_verify_report(
			    v, ref->id_size, TTHC_SEV_ERROR, ref->mets, ref->line,
			    _("'%s' has %llu bytes, not the %lld it is listed "
			      "with"),
			    ref->rel, (unsigned long long)bytes, (long long)ref->size);
		if (ref->alg != TTHC_DIG_NONE &&
		    strcmp(ref->checksum, digests[ref->alg]) != 0)
			tthc_verify_report(
			    v, ref->id_sum, TTHC_SEV_ERROR, ref->mets, ref->line,
			    _("'%s' has %s %s, not the %s it is listed with"), ref->rel,
			    alg_names[ref->alg], digests[ref->alg], ref->checksum);
	}
}

/* Links each reference to its entry; reports those that name nothing in the package. */
static void link_refs(struct tthc_verifier *v)
{
	for (size_t i = 0; i < v->pkg.n; i++)
		v->pkg.e[i].first_ref = -1;
	for (size_t r = v->nrefs; r-- > 0;) {
		struct tthc_ref *ref = &v->refs[r];
		struct tthc_pkg_entry *e = tthc_pkg_find(&v->pkg, ref->rel);

		if (!e || e->is_dir) {
			tthc_verify_report(v, ref->id_missing, TTHC_SEV_ERROR, ref->mets,
			                   ref->line,
			                   e ? _("'%s' is a folder, not a file")
			                     : _("'%s' is listed but not in the package"),
			                   ref->rel);
			continue;
		}
		ref->next = e->first_ref;
		e->first_ref = (int)r;
	}
}

static int is_listed(const struct tthc_verifier *v, const struct tthc_pkg_entry *e)
{
	for (int r = e->first_ref; r >= 0; r = v->refs[r].next)
		if (v->refs[r].listing)
			return 1;
	return 0;
}

static int by_index(const void *a, const void *b)
{
	const struct tthc_pkg_entry *x = *(const struct tthc_pkg_entry *const *)a;
	const struct tthc_pkg_entry *y = *(const struct tthc_pkg_entry *const *)b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Reads every file once, in archive order, checking it against what lists it. */
static int check_files(struct tthc_verifier *v)
{
	struct tthc_pkg_entry **order = malloc((v->pkg.n + 1) * sizeof(*order));
	struct hashing h = { 0 };
	char(*digests)[EVP_MAX_MD_SIZE * 2 + 1] =
	    calloc(TTHC_DIG_COUNT, sizeof(*digests));
	size_t n = 0;
	int ret = 0;

	if (!order || !digests) {
		free(order);
		free(digests);
		return -ENOMEM;
	}
	link_refs(v);
	for (size_t i = 0; i < v->pkg.n; i++)
		if (!v->pkg.e[i].is_dir)
			order[n++] = &v->pkg.e[i];
	qsort(order, n, sizeof(*order), by_index);
	for (size_t i = 0; i < n && !v->pkg.unsafe; i++) {
		struct tthc_pkg_entry *e = order[i];

		if (!v->no_listing && !is_listed(v, e) && strcmp(e->rel, "METS.xml") != 0)
			tthc_verify_report(
			    v, "TTHC-PKG-001", TTHC_SEV_ERROR,
			    tthc_verify_name(v, e->name), 0, "%s",
			    _("the file is in the package but no METS lists "
			      "it"));
		ret = hash_entry(v, &h, e, digests);
		if (ret == -TTHC_E_XML || ret == -TTHC_E_TOOBIG) {
			ret = 0; /* reported; the archive is not read further */
			break;
		}
		if (ret < 0)
			break;
		compare_refs(v, e, h.bytes, digests);
		check_magic(v, e, &h);
	}
	for (int a = 1; a < TTHC_DIG_COUNT; a++) {
		EVP_MD_CTX_free(h.ctx[a]);
		EVP_MD_free(h.md[a]);
	}
	free(digests);
	free(order);
	return ret;
}

/* ---- one bundle ---- */

static int run(struct tthc_verifier *v, const char *path)
{
	int ret = tthc_pkg_open(&v->pkg, path, v->pkg.display, &v->lim, v->report);

	if (ret < 0) {
		snprintf(v->error, sizeof(v->error), "%.200s: %s", v->pkg.display,
		         v->pkg.error);
		return ret;
	}
	if (v->pkg.unsafe)
		return 0;
	v->used = v->profile;
	if (v->used == TTHC_PROFILE_AUTO)
		v->used =
		    tthc_verify_has_dossier(v) ? TTHC_PROFILE_TTHC : TTHC_PROFILE_SIP;
	if ((ret = check_all_mets(v)) < 0 || v->pkg.unsafe)
		goto io;
	if (v->used == TTHC_PROFILE_TTHC && (ret = tthc_verify_content(v)) < 0)
		goto io;
	ret = check_files(v);
io:
	if (ret < 0 && !*v->error)
		snprintf(v->error, sizeof(v->error), "%.200s: %s", v->pkg.display,
		         *v->pkg.error ? v->pkg.error : tthc_strerror(ret));
	return ret;
}

TTHC_EXPORT int tthc_verify_bundle(struct tthc_verifier *v, const char *path,
                                   const char *name, struct tthc_report **out)
{
	int ret;

	clear_bundle(v);
	*v->error = '\0';
	v->used = v->profile;
	v->report = tthc_report_new(name ? name : path);
	v->display = strdup(name ? name : path);
	if (!v->report || !v->display) {
		tthc_report_free(v->report);
		v->report = NULL;
		return -ENOMEM;
	}
	v->pkg.display = v->display;
	ret = run(v, path);
	if (ret < 0) {
		tthc_report_free(v->report);
		v->report = NULL;
		clear_bundle(v);
		return ret;
	}
	v->valid = tthc_report_errors(v->report) == 0;
	*out = v->report;
	v->report = NULL;
	return 0;
}
