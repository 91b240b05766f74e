/* SPDX-License-Identifier: MIT */
/* Reading untrusted XML safely: no network, no DTD, no entities, bounded size. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
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

/* A dossier never needs a DTD: stop at the DOCTYPE, before any entity is declared. */
static void on_doctype(void *data, const xmlChar *name, const xmlChar *public_id,
                       const xmlChar *system_id)
{
	xmlParserCtxtPtr pctxt = data;
	struct tthc_xml_error *st = pctxt->_private;

	(void)name;
	(void)public_id;
	(void)system_id;
	st->doctype = 1;
	st->doctype_line = pctxt->input ? (unsigned long)pctxt->input->line : 0;
	xmlStopParser(pctxt);
}

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
		x->pctxt->sax->internalSubset = on_doctype;
	}
	return x->pctxt;
}

/*
 * libxml2 2.9 checks each attribute of an element against all the earlier ones, so one
 * element with a million attributes keeps a worker busy for hours.  No dossier element
 * has more than a few: a linear scan refuses more than this many before parsing.
 */
#define MAX_ATTRIBUTES 64

static const char *skip_past(const char *p, const char *end, const char *marker,
                             unsigned long *line)
{
	size_t m = strlen(marker);

	for (; p + m <= end; p++) {
		if (*p == '\n')
			(*line)++;
		if (memcmp(p, marker, m) == 0)
			return p + m;
	}
	return end;
}

/* Returns 0, or the line of the first element with too many attributes. */
static unsigned long too_many_attributes(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	unsigned long line = 1;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		unsigned count = 0;

		if (!lt)
			break;
		for (; p < lt; p++)
			line += *p == '\n';
		p = lt + 1;
		if (p < end && (*p == '!' || *p == '?' || *p == '/')) {
			const char *marker = *p == '?' ? "?>" : ">";

			if (end - p >= 3 && memcmp(p, "!--", 3) == 0)
				marker = "-->";
			else if (end - p >= 8 && memcmp(p, "![CDATA[", 8) == 0)
				marker = "]]>";
			p = skip_past(p, end, marker, &line);
			continue;
		}
		for (; p < end && *p != '>'; p++) {
			if (*p == '"' || *p == '\'') {
				const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));

				for (const char *c = p; c < (q ? q : end); c++)
					line += *c == '\n';
				p = q ? q : end - 1;
			} else if (*p == '=' && ++count > MAX_ATTRIBUTES) {
				return line;
			} else if (*p == '\n') {
				line++;
			}
		}
		p++;
	}
	return 0;
}

xmlDocPtr tthc_xmlsafe_parse(struct tthc_xmlsafe *x, const char *buf, size_t len,
                             const char *name, struct tthc_xml_error *err)
{
	unsigned long crowded = too_many_attributes(buf, len);
	xmlParserCtxtPtr pctxt = parser_for(x);
	xmlDocPtr doc;
	int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT |
	              XML_PARSE_NOWARNING;

	memset(err, 0, sizeof(*err));
	if (crowded) {
		err->have_error = 1;
		err->error_line = crowded;
		snprintf(err->error, sizeof(err->error),
		         "an element has more than %d attributes", MAX_ATTRIBUTES);
		return NULL;
	}
	if (!pctxt) {
		err->nomem = 1;
		return NULL;
	}
	pctxt->_private = err;
	/*
	 * Not sax->serror: libxml2 hands that the parser context as its data.  The
	 * thread-local structured handler gets ours.
	 */
	xmlSetStructuredErrorFunc(err, tthc_xml_on_error);
	doc = xmlCtxtReadMemory(pctxt, buf, (int)len, name, NULL, options);
	xmlSetStructuredErrorFunc(NULL, tthc_xml_ignore_error);
	pctxt->_private = NULL;
	if (!err->doctype && doc && pctxt->wellFormed && !err->have_error)
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
