/* SPDX-License-Identifier: MIT */
/* Reading untrusted XML safely: no network, no DTD, no entities, bounded memory. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlschemastypes.h>

#include "internal.h"

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

void tthc_xml_ignore_error(void *data, xmlErrorPtr err)
{
	(void)data;
	(void)err;
}

void tthc_xml_chomp_copy(char *dst, size_t size, const char *src)
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

void tthc_xml_on_error(void *data, xmlErrorPtr err)
{
	struct tthc_xml_error *st = data;
	int internal = err->code == XML_ERR_INTERNAL_ERROR;

	/* Keep the first error, unless it says less than a later one (truncated input).
	 */
	if (err->level < XML_ERR_ERROR ||
	    (st->have_error && (!st->error_internal || internal)))
		return;
	st->have_error = 1;
	st->error_internal = internal;
	st->error_line = err->line > 0 ? (unsigned long)err->line : 0;
	tthc_xml_chomp_copy(st->error, sizeof(st->error), err->message);
}

/* ---- parsing within a memory budget ---- */

#define MALLOC_COST 16 /* what malloc adds to a block, at most */
#define NODE_COST (sizeof(xmlNode) + MALLOC_COST)
#define DICT_ENTRY_COST 64 /* a name's entry in the dictionary, without the name */

/*
 * Counts bytes of tree about to be built, and the names new to the dictionary since the
 * last count (names is what the names of this node take, were they all new); passing is
 * what libxml2 holds meanwhile and frees after.  Past the limit, stops the parser instead
 * and returns 0.
 */
static int grow(void *ctx, size_t bytes, size_t names, size_t passing)
{
	xmlParserCtxtPtr pc = ctx;
	struct tthc_xml_budget *b = pc->_private;
	size_t dict = (size_t)xmlDictSize(pc->dict);

	if (dict > b->dict) {
		bytes += names + (dict - b->dict) * DICT_ENTRY_COST;
		b->dict = dict;
	}
	b->tree += bytes;
	if (b->tree + passing <= b->limit)
		return 1;
	b->err->too_big = 1;
	xmlStopParser(pc);
	return 0;
}

static size_t name_cost(const xmlChar *s)
{
	return s ? (size_t)xmlStrlen(s) + 1 : 0;
}

/* A copy of len bytes and a NUL, in a block of its own. */
static size_t copy_cost(size_t len)
{
	return len + 1 + MALLOC_COST < 32 ? 32 : len + 1 + MALLOC_COST;
}

/* A text node's content: kept in the node itself when short (XML_PARSE_COMPACT). */
static size_t value_cost(size_t len)
{
	return len < 2 * sizeof(void *) ? 0 : copy_cost(len);
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	size_t bytes = NODE_COST, names = name_cost(localname) + name_cost(prefix);

	for (int i = 0; i < nb_namespaces; i++)
		bytes +=
		    sizeof(xmlNs) + MALLOC_COST +
		    (namespaces[2 * i] ? copy_cost(name_cost(namespaces[2 * i])) : 0) +
		    copy_cost(name_cost(namespaces[2 * i + 1]));
	/* An attribute is a node, with a text node holding its value. */
	for (int i = 0; i < nb_attributes; i++) {
		const xmlChar **a = attributes + 5 * i;

		bytes += sizeof(xmlAttr) + MALLOC_COST + NODE_COST +
		         value_cost((size_t)(a[4] - a[3]));
		names += name_cost(a[0]) + name_cost(a[1]);
	}
	if (grow(ctx, bytes, names, 0))
		xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
		                      namespaces, nb_attributes, nb_defaulted,
		                      attributes);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr pc = ctx;
	xmlNodePtr last = pc->node ? pc->node->last : NULL;
	/* Text after text grows the last node, whose room libxml2 doubles. */
	size_t bytes = 2 * (size_t)len + MALLOC_COST +
	               (last && last->type == XML_TEXT_NODE ? 0 : NODE_COST);

	if (grow(ctx, bytes, 0, 0))
		xmlSAX2Characters(ctx, ch, len);
}

/*
 * A comment, CDATA section or processing instruction is gathered whole in a buffer that
 * doubles as it grows, then copied into the tree.
 */
static void on_cdata(void *ctx, const xmlChar *ch, int len)
{
	if (grow(ctx, NODE_COST + copy_cost((size_t)len), 0, 2 * (size_t)len))
		xmlSAX2CDataBlock(ctx, ch, len);
}

static void on_comment(void *ctx, const xmlChar *value)
{
	size_t len = name_cost(value);

	if (grow(ctx, NODE_COST + copy_cost(len), 0, 2 * len))
		xmlSAX2Comment(ctx, value);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	size_t len = name_cost(data);

	if (grow(ctx, NODE_COST + copy_cost(len), name_cost(target), 2 * len))
		xmlSAX2ProcessingInstruction(ctx, target, data);
}

static void on_reference(void *ctx, const xmlChar *name)
{
	if (grow(ctx, NODE_COST + copy_cost(name_cost(name)), 0, 0))
		xmlSAX2Reference(ctx, name);
}

/* Our documents never need a DTD: stop at the DOCTYPE, before any entity is declared. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *public_id,
                       const xmlChar *system_id)
{
	xmlParserCtxtPtr pc = ctx;
	struct tthc_xml_budget *b = pc->_private;

	(void)name;
	(void)public_id;
	(void)system_id;
	b->err->doctype = 1;
	b->err->doctype_line = pc->input ? (unsigned long)pc->input->line : 0;
	xmlStopParser(pc);
}

void tthc_xml_budget_handlers(xmlParserCtxtPtr pc)
{
	xmlSAXHandlerPtr sax = pc->sax;

	sax->internalSubset = on_doctype;
	sax->startElementNs = on_start;
	/* libxml2 sets blanks apart only when the two handlers differ: keep them one. */
	if (sax->ignorableWhitespace == sax->characters)
		sax->ignorableWhitespace = on_text;
	sax->characters = on_text;
	sax->cdataBlock = on_cdata;
	sax->comment = on_comment;
	sax->processingInstruction = on_pi;
	sax->reference = on_reference;
}

void tthc_xml_budget_start(struct tthc_xml_budget *b, xmlParserCtxtPtr pc, size_t limit,
                           struct tthc_xml_error *err)
{
	b->err = err;
	b->limit = limit;
	b->tree = 0;
	/* A reused context's dictionary holds the names of earlier documents. */
	b->dict = (size_t)xmlDictSize(pc->dict);
	pc->_private = b;
}

int tthc_xml_budget_input(xmlParserCtxtPtr pc, size_t more)
{
	struct tthc_xml_budget *b = pc->_private;
	/*
	 * What the input buffer holds: a few kilobytes, but a token is kept whole (an
	 * attribute value), and so are the blanks before the root element.  It doubles as
	 * it grows, and counts with the tree.
	 */
	size_t held = pc->input && pc->input->end > pc->input->base
	                  ? (size_t)(pc->input->end - pc->input->base)
	                  : 0;

	if (b->tree + 2 * (held + more) <= b->limit)
		return 0;
	b->err->too_big = 1;
	return -1;
}

/* ---- the scan for crowded elements ---- */

/*
 * No dossier or METS element has more than a few attributes: past this many ('=' in a
 * tag, outside quotes; comments, CDATA sections and processing instructions skipped),
 * the document is refused before parsing.
 */
#define MAX_ATTRIBUTES 64

enum scan_state {
	SCAN_TEXT,
	SCAN_LT,
	SCAN_BANG,
	SCAN_DASH,
	SCAN_TAG,
	SCAN_QUOTE,
	SCAN_SKIP
};

void tthc_xml_scan_start(struct tthc_xml_scan *s)
{
	memset(s, 0, sizeof(*s));
	s->state = SCAN_TEXT;
	s->line = 1;
}

/* One character inside a tag; returns 1 at the attribute too many. */
static int scan_tag(struct tthc_xml_scan *s, unsigned char c)
{
	s->state = SCAN_TAG;
	if (c == '"' || c == '\'') {
		s->quote = c;
		s->state = SCAN_QUOTE;
	} else if (c == '>') {
		s->state = SCAN_TEXT;
	} else if (c == '=' && ++s->attrs > MAX_ATTRIBUTES) {
		return 1;
	}
	return 0;
}

static void scan_skip(struct tthc_xml_scan *s, const char *until)
{
	s->state = SCAN_SKIP;
	s->skip = until;
	s->matched = 0;
}

/* Returns the offset in p of the attribute too many, or n. */
static size_t scan_piece(struct tthc_xml_scan *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *q;

		switch (s->state) {
		case SCAN_TEXT:
			q = memchr(p + i, '<', n - i);
			if (!q)
				return n;
			i = (size_t)(q - p);
			s->state = SCAN_LT;
			break;
		case SCAN_LT:
			s->attrs = 0;
			if (c == '!')
				s->state = SCAN_BANG;
			else if (c == '?')
				scan_skip(s, "?>");
			else if (scan_tag(s, c))
				return i;
			break;
		case SCAN_BANG:
			if (c == '-')
				s->state = SCAN_DASH;
			else if (c == '[')
				scan_skip(s, "]]>");
			else if (scan_tag(s, c))
				return i;
			break;
		case SCAN_DASH:
			if (c == '-')
				scan_skip(s, "-->");
			else if (scan_tag(s, c))
				return i;
			break;
		case SCAN_SKIP:
			if (s->matched == 0) {
				q = memchr(p + i, s->skip[0], n - i);
				if (!q)
					return n;
				i = (size_t)(q - p);
				c = (unsigned char)*q;
			}
			/* Only the markers' first character repeats: "--->" ends. */
			if (c == (unsigned char)s->skip[s->matched]) {
				if (!s->skip[++s->matched])
					s->state = SCAN_TEXT;
			} else if (c != (unsigned char)s->skip[0]) {
				s->matched = 0;
			}
			break;
		case SCAN_QUOTE:
			q = memchr(p + i, s->quote, n - i);
			if (!q)
				return n;
			i = (size_t)(q - p);
			s->state = SCAN_TAG;
			break;
		case SCAN_TAG:
			if (scan_tag(s, c))
				return i;
			break;
		}
	}
	return n;
}

static unsigned long newlines(const char *p, size_t n)
{
	const char *end = p + n;
	unsigned long count = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		count++;
		p++;
	}
	return count;
}

/* The unit width from a document's first bytes (XML 1.0, appendix F). */
static void scan_width(struct tthc_xml_scan *s, const unsigned char *b, size_t n)
{
	static const struct {
		unsigned char lead[4];
		size_t len;
		int width, big;
	} marks[] = {
		{ { 0xFF, 0xFE, 0, 0 }, 4, 4, 0 }, { { 0, 0, 0xFE, 0xFF }, 4, 4, 1 },
		{ { '<', 0, 0, 0 }, 4, 4, 0 },     { { 0, 0, 0, '<' }, 4, 4, 1 },
		{ { 0xFF, 0xFE }, 2, 2, 0 },       { { 0xFE, 0xFF }, 2, 2, 1 },
		{ { '<', 0 }, 2, 2, 0 },           { { 0, '<' }, 2, 2, 1 },
	};

	s->width = 1;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (n >= marks[i].len && memcmp(b, marks[i].lead, marks[i].len) == 0) {
			s->width = marks[i].width;
			s->big = marks[i].big;
			return;
		}
	}
}

/*
 * A wide document, unit by unit: an ASCII character goes through the byte scanner as
 * itself, any other as a byte that means nothing to it.  Returns as scan_piece().
 */
static size_t scan_wide(struct tthc_xml_scan *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned long v = 0;
		char c;

		s->part[s->nparts++] = (unsigned char)p[i];
		if (s->nparts < (size_t)s->width)
			continue;
		for (int k = 0; k < s->width; k++)
			v |= (unsigned long)s->part[s->big ? s->width - 1 - k : k]
			     << (8 * k);
		s->nparts = 0;
		c = v < 0x80 ? (char)v : (char)0x80;
		if (c == '\n')
			s->line++;
		if (scan_piece(s, &c, 1) == 0)
			return i;
	}
	return n;
}

int tthc_xml_scan(struct tthc_xml_scan *s, const char *p, size_t n,
                  struct tthc_xml_error *err)
{
	size_t at;

	if (!s->width)
		scan_width(s, (const unsigned char *)p, n);
	if (s->width == 1) {
		at = scan_piece(s, p, n);
		s->line += newlines(p, at);
	} else {
		at = scan_wide(s, p, n);
	}
	if (at == n)
		return 0;
	err->have_error = 1;
	err->error_line = s->line;
	snprintf(err->error, sizeof(err->error), "an element has more than %d attributes",
	         MAX_ATTRIBUTES);
	return 1;
}

/* ---- the dossier parse ---- */

/*
 * One parser context serves a reader's documents, so the names dictionary is built once
 * rather than per file.  Past this many names (hostile documents can invent any number)
 * it is dropped and made anew, so memory stays bounded.
 */
#define MAX_DICT_NAMES 20000

static xmlParserCtxtPtr parser_for(struct tthc_xmlsafe *x)
{
	if (x->pctxt && xmlDictSize(x->pctxt->dict) > MAX_DICT_NAMES) {
		xmlFreeParserCtxt(x->pctxt);
		x->pctxt = NULL;
	}
	if (!x->pctxt) {
		x->pctxt = xmlNewParserCtxt();
		if (!x->pctxt)
			return NULL;
		tthc_xml_budget_handlers(x->pctxt);
	}
	return x->pctxt;
}

/* The document as libxml2 reads it: a piece at a time, never copied whole. */
struct memory_input {
	struct tthc_xml_budget budget;
	xmlParserCtxtPtr pc;
	const char *p;
	size_t left;
};

static int read_memory(void *ctx, char *buf, int len)
{
	struct memory_input *in = ctx;
	size_t n = in->left < (size_t)len ? in->left : (size_t)len;

	if (n > 0 && tthc_xml_budget_input(in->pc, n) < 0)
		return -1;
	memcpy(buf, in->p, n);
	in->p += n;
	in->left -= n;
	return (int)n;
}

xmlDocPtr tthc_xmlsafe_parse(struct tthc_xmlsafe *x, const char *buf, size_t len,
                             const char *name, struct tthc_xml_error *err)
{
	struct memory_input in = { .p = buf, .left = len };
	struct tthc_xml_scan scan;
	xmlDocPtr doc;
	int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT |
	              XML_PARSE_NOWARNING;

	memset(err, 0, sizeof(*err));
	tthc_xml_scan_start(&scan);
	if (tthc_xml_scan(&scan, buf, len, err))
		return NULL;
	in.pc = parser_for(x);
	if (!in.pc) {
		err->nomem = 1;
		return NULL;
	}
	tthc_xml_budget_start(&in.budget, in.pc, TTHC_DOSSIER_TREE, err);
	/*
	 * Not sax->serror: libxml2 hands that the parser context as its data.  The
	 * thread-local structured handler gets ours.
	 */
	xmlSetStructuredErrorFunc(err, tthc_xml_on_error);
	doc = xmlCtxtReadIO(in.pc, read_memory, NULL, &in, name, NULL, options);
	xmlSetStructuredErrorFunc(NULL, tthc_xml_ignore_error);
	in.pc->_private = NULL;
	if (err->too_big) {
		/* For the callers that tell only have_error: the message says why. */
		err->have_error = 1;
		err->error_internal = 0;
		err->error_line = 0;
		snprintf(err->error, sizeof(err->error),
		         "the document needs more than %u MiB of memory to be read",
		         TTHC_DOSSIER_TREE >> 20);
	} else if (!err->doctype && doc && in.pc->wellFormed && !err->have_error)
		return doc;
	xmlFreeDoc(doc);
	return NULL;
}

/* A read buffer past this size is given back after the document, not kept. */
#define KEEP_READBUF (4u << 20)

ssize_t tthc_xmlsafe_read(struct tthc_xmlsafe *x, int fd, size_t max)
{
	size_t len = 0;

	for (;;) {
		ssize_t n;

		if (len == x->readbuf_size) {
			size_t size = x->readbuf_size ? 2 * x->readbuf_size : 64 * 1024;
			char *nb;

			if (len > max)
				break;
			/* max + 1 bytes tell an oversized input; never read past them. */
			if (size > max + 1)
				size = max + 1;
			nb = realloc(x->readbuf, size);
			if (!nb)
				return -ENOMEM;
			x->readbuf = nb;
			x->readbuf_size = size;
		}
		n = read(fd, x->readbuf + len, x->readbuf_size - len);
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

void tthc_xmlsafe_shrink(struct tthc_xmlsafe *x)
{
	if (x->readbuf_size > KEEP_READBUF) {
		free(x->readbuf);
		x->readbuf = NULL;
		x->readbuf_size = 0;
	}
}

void tthc_xmlsafe_release(struct tthc_xmlsafe *x)
{
	if (x->pctxt)
		xmlFreeParserCtxt(x->pctxt);
	free(x->readbuf);
	memset(x, 0, sizeof(*x));
}
