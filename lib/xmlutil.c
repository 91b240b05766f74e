/* SPDX-License-Identifier: MIT */
/* Small helpers the rule passes use to walk a dossier tree and report about its nodes. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

int tthc_is(xmlNodePtr node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && node->ns &&
	       strcmp((const char *)node->name, name) == 0 &&
	       strcmp((const char *)node->ns->href, TTHC_NS) == 0;
}

xmlNodePtr tthc_child(xmlNodePtr parent, const char *name)
{
	if (!parent)
		return NULL;
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (tthc_is(c, name))
			return c;
	return NULL;
}

xmlNodePtr tthc_next_same(xmlNodePtr node)
{
	for (xmlNodePtr c = node->next; c; c = c->next)
		if (tthc_is(c, (const char *)node->name))
			return c;
	return NULL;
}

const char *tthc_text(xmlNodePtr node)
{
	const char *text = "";

	if (!node)
		return NULL;
	for (xmlNodePtr c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return NULL;
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    c->content) {
			/* Several text nodes only arise around comments; take the first.
			 */
			if (!*text)
				text = (const char *)c->content;
		}
	}
	return text;
}

const char *tthc_child_text(xmlNodePtr parent, const char *name)
{
	return tthc_text(tthc_child(parent, name));
}

xmlNodePtr tthc_next_element(xmlNodePtr node, xmlNodePtr top, int descend)
{
	xmlNodePtr n = descend ? node->children : NULL;

	for (;;) {
		for (; n; n = n->next)
			if (n->type == XML_ELEMENT_NODE)
				return n;
		if (node == top || !node->parent)
			return NULL;
		n = node->next;
		node = node->parent;
	}
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *tthc_trim(const char *s, char *buf, size_t size)
{
	size_t n;

	if (!s)
		return NULL;
	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (n >= size)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static size_t same_name_index(xmlNodePtr node, int *several)
{
	size_t index = 1;

	*several = 0;
	for (xmlNodePtr c = node->prev; c; c = c->prev)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, node->name))
			index++;
	if (index > 1) {
		*several = 1;
		return index;
	}
	for (xmlNodePtr c = node->next; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, node->name)) {
			*several = 1;
			break;
		}
	return index;
}

void tthc_node_path(xmlNodePtr node, char *buf, size_t size)
{
	xmlNodePtr chain[256]; /* libxml2 refuses deeper documents */
	size_t n = 0, len = 0;

	buf[0] = '\0';
	for (; node && node->type == XML_ELEMENT_NODE && n < 256; node = node->parent)
		chain[n++] = node;
	while (n-- > 0 && len < size) {
		int several;
		size_t index = same_name_index(chain[n], &several);
		int w = several ? snprintf(buf + len, size - len, "/%s[%zu]",
		                           (const char *)chain[n]->name, index)
		                : snprintf(buf + len, size - len, "/%s",
		                           (const char *)chain[n]->name);

		if (w < 0)
			break;
		len += (size_t)w;
	}
}

void tthc_vdoc_report(struct tthc_vdoc *d, xmlNodePtr node, const char *rule,
                      const char *fmt, ...)
{
	char path[512] = "";
	unsigned long line = 0;
	va_list ap;

	if (node) {
		tthc_node_path(node, path, sizeof(path));
		line = (unsigned long)xmlGetLineNo(node);
		if ((long)line < 0)
			line = 0;
	}
	va_start(ap, fmt);
	tthc_report_vadd(d->report, rule, line, path, _(fmt), ap);
	va_end(ap);
}

/* Returns 1 when node has no element children but more than one child. */
static int split_value(xmlNodePtr node)
{
	if (!node->children || !node->children->next)
		return 0;
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return 0;
	return 1;
}

/* Replaces an element's text, CDATA, comment and PI children by one text node. */
static int join_value(xmlNodePtr node)
{
	xmlChar *joined = NULL;
	xmlNodePtr c, next, text;

	for (c = node->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    c->content) {
			joined = xmlStrcat(joined, c->content);
			if (!joined)
				return -1;
		}
	text = xmlNewDocText(node->doc, joined ? joined : BAD_CAST "");
	xmlFree(joined);
	if (!text)
		return -1;
	for (c = node->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlAddChild(node, text);
	return 0;
}

int tthc_join_values(xmlNodePtr root)
{
	for (xmlNodePtr n = root; n; n = tthc_next_element(n, root, 1))
		if (split_value(n) && join_value(n) < 0)
			return -1;
	return 0;
}
