/* SPDX-License-Identifier: MIT */
/* The dossier normaliser: a dossier in any encoding in, its canonical bytes and the
 * changes out. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "internal.h"
#include "vnenc_int.h"

/* A growing byte buffer. */
struct buf {
	char *p;
	size_t len, cap;
	int nomem;
};

/* A change while the document is read: string offsets into the result's arena. */
struct pending {
	unsigned long line;
	size_t path, old_value, new_value; /* new_value NO_VALUE: not normalised */
	const char *rule;
};
#define NO_VALUE ((size_t)-1)

struct tthc_normalizer {
	struct tthc_ctx *ctx;
	struct tthc_norm_options opts;
	struct tthc_stmap *map;
	struct tthc_xmlsafe xml;
	struct buf out;    /* the canonical bytes, reused */
	struct buf value;  /* a value made of several text nodes */
	xmlAttrPtr *attrs; /* sorting room for one element's attributes */
	size_t attrs_cap;
	int viqr;                  /* values are VIQR: decode each before normalising */
	int failed;                /* out of memory while normalising */
	struct tthc_normalized *r; /* the result being built */
	char error[512];
};

struct tthc_normalized {
	char *data;
	size_t len;
	struct tthc_change *changes;
	struct pending *pending;
	size_t n, cap, failures;
	struct buf strings;
};

static int fail(struct tthc_normalizer *n, int err, const char *fmt, ...)
    TTHC_PRINTF(3, 4);
static int fail(struct tthc_normalizer *n, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->error, sizeof(n->error), fmt, ap);
	va_end(ap);
	return err;
}

/* ---- buffers ---- */

static int buf_grow(struct buf *b, size_t more)
{
	size_t cap;
	char *np;

	if (b->nomem)
		return -ENOMEM;
	if (b->len + more < b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap <= b->len + more)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np) {
		b->nomem = 1;
		return -ENOMEM;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

static void buf_add(struct buf *b, const char *s, size_t len)
{
	if (buf_grow(b, len) < 0)
		return;
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_indent(struct buf *b, int depth)
{
	if (buf_grow(b, 2 * (size_t)depth) < 0)
		return;
	memset(b->p + b->len, ' ', 2 * (size_t)depth);
	b->len += 2 * (size_t)depth;
	b->p[b->len] = '\0';
}

/*
 * Escapes for text (& < > and CR, which a parser would otherwise fold) or, with attr, for
 * an attribute value in double quotes (also " and the blanks a parser would turn into
 * spaces).
 */
static void buf_escape(struct buf *b, const char *s, int attr)
{
	const char *run = s;

	for (;; s++) {
		const char *rep;

		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '\r':
			rep = "&#13;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\0':
			rep = "";
			break;
		default:
			rep = NULL;
			break;
		}
		if (!rep)
			continue;
		buf_add(b, run, (size_t)(s - run));
		if (!*s)
			return;
		buf_str(b, rep);
		run = s + 1;
	}
}

/* ---- the normaliser ---- */

TTHC_EXPORT int tthc_normalizer_new(struct tthc_ctx *ctx, struct tthc_normalizer **out)
{
	struct tthc_normalizer *n;
	char err[512];
	int ret;

	if (!ctx || !out)
		return -EINVAL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->ctx = ctx;
	tthc_xml_init();
	ret = tthc_stmap_load(ctx->schema_dir, &n->map, err, sizeof(err));
	if (ret < 0) {
		free(n);
		return tthc_ctx_fail(ctx, ret, _("cannot read the schemas: %s"), err);
	}
	*out = n;
	return 0;
}

TTHC_EXPORT void tthc_normalizer_free(struct tthc_normalizer *n)
{
	if (!n)
		return;
	tthc_stmap_free(n->map);
	tthc_xmlsafe_release(&n->xml);
	free(n->out.p);
	free(n->value.p);
	free(n->attrs);
	free(n);
}

TTHC_EXPORT void tthc_normalizer_set_options(struct tthc_normalizer *n,
                                             const struct tthc_norm_options *opts)
{
	if (n && opts)
		n->opts = *opts;
}

TTHC_EXPORT const char *tthc_normalizer_error(const struct tthc_normalizer *n)
{
	return n->error;
}

/* ---- changes ---- */

static size_t keep_string(struct tthc_normalized *r, const char *s)
{
	size_t at = r->strings.len;

	buf_add(&r->strings, s, strlen(s) + 1);
	return at;
}

/* A new change without its path (the caller sets it), or NULL when out of memory. */
static struct pending *add_change(struct tthc_normalizer *n, unsigned long line,
                                  const char *rule, const char *old_value,
                                  const char *new_value)
{
	struct tthc_normalized *r = n->r;
	struct pending *p;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct pending *nv = realloc(r->pending, cap * sizeof(*nv));

		if (!nv) {
			n->failed = 1;
			return NULL;
		}
		r->pending = nv;
		r->cap = cap;
	}
	p = &r->pending[r->n++];
	p->line = line;
	p->rule = rule;
	p->old_value = keep_string(r, old_value);
	p->new_value = new_value ? keep_string(r, new_value) : NO_VALUE;
	if (!new_value)
		r->failures++;
	return p;
}

/* A change of node's value, or of its attribute attr (NULL: its text). */
static void record(struct tthc_normalizer *n, xmlNodePtr node, xmlAttrPtr attr,
                   const char *rule, const char *old_value, const char *new_value)
{
	struct buf *strings = &n->r->strings;
	long line = node ? xmlGetLineNo(node) : 1;
	struct pending *p =
	    add_change(n, line > 0 ? (unsigned long)line : 0, rule, old_value, new_value);
	char path[512];

	if (!p)
		return;
	path[0] = '\0';
	if (node)
		tthc_node_path(node, path, sizeof(path));
	p->path = strings->len;
	buf_str(strings, path);
	if (attr) {
		/* an attribute's name can be of any length: no fixed buffer */
		buf_str(strings, "/@");
		if (attr->ns && attr->ns->prefix) {
			buf_str(strings, (const char *)attr->ns->prefix);
			buf_add(strings, ":", 1);
		}
		buf_str(strings, (const char *)attr->name);
	}
	buf_add(strings, "", 1);
}

/*
 * The one change of a file whose bytes change although no value did (indentation,
 * attribute order, the declaration, the empty-element form, CDATA, comments in NFC):
 * --format=json then has something to show whenever --check lists the file.
 */
static void record_layout(struct tthc_normalizer *n)
{
	struct pending *p =
	    add_change(n, 0, "layout", "input layout", "canonical layout");

	if (p)
		p->path = keep_string(n->r, "/");
}

/* ---- values ---- */

static const char *const kind_rule[] = {
	[TTHC_NK_ELEMENTS] = "text",     [TTHC_NK_TEXT] = "text",
	[TTHC_NK_TOKEN] = "text",        [TTHC_NK_KEEP] = "text",
	[TTHC_NK_NAME] = "name",         [TTHC_NK_PLACE] = "place",
	[TTHC_NK_DATE] = "date",         [TTHC_NK_FULLDATE] = "date",
	[TTHC_NK_DATETIME] = "datetime", [TTHC_NK_IDNUM] = "idnum",
	[TTHC_NK_DOCNUM] = "idnum",      [TTHC_NK_SEX] = "sex",
	[TTHC_NK_PHONE] = "phone",
};

/*
 * Text tthc_norm_text (NORMALIZE.md §1) would hand back unchanged: single spaces inside,
 * none at the ends, and only letters that are NFC as they stand and cannot combine with
 * a neighbour: printable ASCII, Latin-1, Latin Extended-A and -B, and Latin Extended
 * Additional, where Vietnamese letters live.  Most values of a dossier are like this;
 * skipping the call saves two copies and a normalisation.  Anything else is left to
 * the normaliser.
 */
static int plain_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == ' ')
		return 0;
	while (*p) {
		unsigned c = *p;

		if (c == ' ') {
			if (p[1] == ' ' || p[1] == '\0')
				return 0;
			p++;
		} else if (c > 0x20 && c < 0x7f) {
			p++;
		} else if (c >= 0xc2 && c <= 0xc9 && (p[1] & 0xc0) == 0x80) {
			/* U+0080..U+024F: not the C1 controls nor the no-break space */
			if (c == 0xc2 && p[1] <= 0xa0)
				return 0;
			p += 2;
		} else if (c == 0xe1 &&
		           (p[1] == 0xb8 || p[1] == 0xb9 || p[1] == 0xba ||
		            p[1] == 0xbb) &&
		           (p[2] & 0xc0) == 0x80) {
			p += 3; /* U+1E00..U+1EFF */
		} else {
			return 0;
		}
	}
	return 1;
}

/*
 * An identity document number is a personal number for a CMND or CCCD (LoaiGiayTo 1 or
 * 4); the schemas cannot say that one value decides another's type, so it lives here.
 */
static enum tthc_nkind docnum_kind(xmlNodePtr node)
{
	char buf[16];
	const char *type = NULL;

	if (node->parent)
		for (xmlNodePtr c = node->parent->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && node->ns == c->ns &&
			    strcmp((const char *)c->name, "LoaiGiayTo") == 0)
				type = tthc_trim(tthc_text(c), buf, sizeof(buf));
	if (type && (strcmp(type, "1") == 0 || strcmp(type, "4") == 0))
		return TTHC_NK_IDNUM;
	return TTHC_NK_TOKEN;
}

/*
 * A date where the schema takes no month or year alone (NgayType): "4/2022" is refused,
 * never written as "2022-04", which the element's type would reject.
 */
static int full_date(const char *in, char **out, int *changed)
{
	struct tthc_date d;
	int ret = tthc_norm_date(in, out, changed);

	if (ret == 0 && (tthc_date_parse(*out, &d) < 0 || !d.day)) {
		free(*out);
		*out = NULL;
		return -EINVAL;
	}
	return ret;
}

/* Runs the kind's normaliser.  Returns as the tthc_norm_* functions. */
static int apply_kind(struct tthc_normalizer *n, enum tthc_nkind kind, const char *in,
                      char **out, int *changed)
{
	switch (kind) {
	case TTHC_NK_NAME:
		return tthc_norm_name(in, n->opts.name_case, out, changed);
	case TTHC_NK_PLACE:
		return tthc_norm_place(in, n->opts.admin2025, out, changed);
	case TTHC_NK_DATE:
		return tthc_norm_date(in, out, changed);
	case TTHC_NK_FULLDATE:
		return full_date(in, out, changed);
	case TTHC_NK_DATETIME:
		return tthc_norm_datetime(in, out, changed);
	case TTHC_NK_IDNUM:
		return tthc_norm_idnum(in, out, changed);
	case TTHC_NK_SEX:
		return tthc_norm_sex(in, out, changed);
	case TTHC_NK_PHONE:
		return tthc_norm_phone(in, out, changed);
	default:
		return tthc_norm_text(in, out, changed);
	}
}

static int is_prose(enum tthc_nkind kind)
{
	return kind == TTHC_NK_TEXT || kind == TTHC_NK_NAME || kind == TTHC_NK_PLACE;
}

/*
 * Normalises one value and writes it escaped to the output.  A value the normaliser
 * refuses is written exactly as it was and reported.
 */
static void put_value(struct tthc_normalizer *n, xmlNodePtr node, xmlAttrPtr attr,
                      enum tthc_nkind kind, const char *value)
{
	char *viqr = NULL, *norm = NULL, *toned = NULL;
	const char *old = value, *now, *rule;
	int changed = 0, ret = 0;
	size_t len;

	if (kind == TTHC_NK_DOCNUM)
		kind = docnum_kind(node);
	rule = kind_rule[kind];
	if (kind == TTHC_NK_KEEP || !*value ||
	    (kind == TTHC_NK_TOKEN && plain_text(value)) ||
	    (kind == TTHC_NK_TEXT && !n->viqr && n->opts.tone == TTHC_TONE_KEEP &&
	     plain_text(value))) {
		buf_escape(&n->out, value, attr != NULL);
		return;
	}
	/* VIQR marks are ASCII punctuation: codes and e-mail addresses stay as they are
	 */
	if (n->viqr && kind != TTHC_NK_TOKEN) {
		ret = tthc_vnenc_decode(TTHC_ENC_VIQR, value, strlen(value), &viqr, &len);
		if (ret == 0)
			old = viqr;
		else if (ret == -ENOMEM)
			goto nomem;
	}
	ret = apply_kind(n, kind, old, &norm, &changed);
	if (ret == -EINVAL) {
		record(n, node, attr, rule, old, NULL);
		buf_escape(&n->out, old, attr != NULL);
		goto out;
	}
	if (ret < 0)
		goto nomem;
	now = norm;
	if (n->opts.tone != TTHC_TONE_KEEP && is_prose(kind)) {
		int toned_changed = 0;

		ret = tthc_tone_restyle(norm, n->opts.tone, &toned, &toned_changed);
		if (ret == -ENOMEM)
			goto nomem;
		if (ret == 0) {
			now = toned;
			if (toned_changed && !changed)
				rule = "tone";
			changed |= toned_changed;
		}
	}
	if (changed && strcmp(old, now) != 0)
		record(n, node, attr, rule, old, now);
	buf_escape(&n->out, now, attr != NULL);
	goto out;
nomem:
	n->failed = 1;
out:
	free(viqr);
	free(norm);
	free(toned);
}

/* ---- the serialiser ---- */

static void put_qname(struct buf *b, xmlNodePtr node)
{
	if (node->ns && node->ns->prefix) {
		buf_str(b, (const char *)node->ns->prefix);
		buf_add(b, ":", 1);
	}
	buf_str(b, (const char *)node->name);
}

static void put_nsdefs(struct tthc_normalizer *n, xmlNodePtr node)
{
	struct buf *b = &n->out;
	const char *last = NULL;

	/* The default namespace first, then the prefixes in byte order. */
	for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next)
		if (!ns->prefix) {
			buf_str(b, " xmlns=\"");
			buf_escape(b, (const char *)ns->href, 1);
			buf_add(b, "\"", 1);
		}
	for (;;) {
		xmlNsPtr next = NULL;

		for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next)
			if (ns->prefix &&
			    (!last || strcmp((const char *)ns->prefix, last) > 0) &&
			    (!next || strcmp((const char *)ns->prefix,
			                     (const char *)next->prefix) < 0))
				next = ns;
		if (!next)
			break;
		buf_str(b, " xmlns:");
		buf_str(b, (const char *)next->prefix);
		buf_str(b, "=\"");
		buf_escape(b, (const char *)next->href, 1);
		buf_add(b, "\"", 1);
		last = (const char *)next->prefix;
	}
}

/* An attribute's qualified name as its pieces: prefix, ":", local name. */
static void attr_qname(xmlAttrPtr a, const unsigned char *part[3])
{
	int prefixed = a->ns && a->ns->prefix;

	part[0] = prefixed ? a->ns->prefix : BAD_CAST "";
	part[1] = BAD_CAST(prefixed ? ":" : "");
	part[2] = a->name;
}

/* Compares the qualified names byte by byte, names of any length, without a copy. */
static int attr_cmp(const void *x, const void *y)
{
	const unsigned char *a[3], *b[3], *p, *q;
	int i = 0, j = 0;

	attr_qname(*(xmlAttrPtr const *)x, a);
	attr_qname(*(xmlAttrPtr const *)y, b);
	p = a[0];
	q = b[0];
	for (;; p++, q++) {
		while (!*p && i < 2)
			p = a[++i];
		while (!*q && j < 2)
			q = b[++j];
		if (*p != *q || !*p)
			return (int)*p - (int)*q;
	}
}

static void put_attrs(struct tthc_normalizer *n, xmlNodePtr node)
{
	size_t count = 0;

	for (xmlAttrPtr a = node->properties; a; a = a->next)
		count++;
	if (!count)
		return;
	if (count > n->attrs_cap) {
		xmlAttrPtr *nv = realloc(n->attrs, count * sizeof(*nv));

		if (!nv) {
			n->failed = 1;
			return;
		}
		n->attrs = nv;
		n->attrs_cap = count;
	}
	count = 0;
	for (xmlAttrPtr a = node->properties; a; a = a->next)
		n->attrs[count++] = a;
	if (count > 1)
		qsort(n->attrs, count, sizeof(*n->attrs), attr_cmp);
	for (size_t i = 0; i < count; i++) {
		xmlAttrPtr a = n->attrs[i];
		xmlChar *value = xmlNodeListGetString(node->doc, a->children, 1);
		const unsigned char *qname[3];

		attr_qname(a, qname);
		buf_add(&n->out, " ", 1);
		for (int k = 0; k < 3; k++)
			buf_str(&n->out, (const char *)qname[k]);
		buf_str(&n->out, "=\"");
		/* The schemas type no attribute we normalise beyond text. */
		put_value(n, node, a, TTHC_NK_TEXT, value ? (const char *)value : "");
		buf_add(&n->out, "\"", 1);
		xmlFree(value);
	}
}

/* Writes a comment's text in NFC (comments are not values: nothing is recorded). */
static void put_comment(struct tthc_normalizer *n, xmlNodePtr c)
{
	const char *text = c->content ? (const char *)c->content : "";
	char *nfc = NULL;

	buf_str(&n->out, "<!--");
	if (!tthc_nfc_quick(text))
		nfc = tthc_nfc_dup(text);
	buf_str(&n->out, nfc ? nfc : text);
	free(nfc);
	buf_str(&n->out, "-->");
}

static void put_pi(struct tthc_normalizer *n, xmlNodePtr c)
{
	buf_str(&n->out, "<?");
	buf_str(&n->out, (const char *)c->name);
	if (c->content && *c->content) {
		buf_add(&n->out, " ", 1);
		buf_str(&n->out, (const char *)c->content);
	}
	buf_str(&n->out, "?>");
}

static int is_text(xmlNodePtr c)
{
	return c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE;
}

static int is_blank_text(xmlNodePtr c)
{
	for (const char *p = (const char *)c->content; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	return 1;
}

/* A leaf's text: the text and CDATA children joined (one child: no copy). */
static const char *leaf_value(struct tthc_normalizer *n, xmlNodePtr node)
{
	xmlNodePtr first = node->children;

	if (!first)
		return "";
	if (!first->next)
		return first->content ? (const char *)first->content : "";
	n->value.len = 0;
	buf_add(&n->value, "", 0);
	for (xmlNodePtr c = first; c; c = c->next)
		if (is_text(c) && c->content) /* not a comment's or a PI's text */
			buf_str(&n->value, (const char *)c->content);
	if (n->value.nomem) {
		n->failed = 1;
		return "";
	}
	return n->value.p;
}

/*
 * Text among elements without the blanks around it: those are layout (the text gets a
 * line of its own), so a second run finds nothing to change.
 */
static const char *stray_text(struct tthc_normalizer *n, xmlNodePtr c)
{
	const char *s = (const char *)c->content, *e;

	s += strspn(s, " \t\r\n");
	for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]);)
		e--;
	n->value.len = 0;
	buf_add(&n->value, s, (size_t)(e - s));
	if (n->value.nomem) {
		n->failed = 1;
		return "";
	}
	return n->value.p;
}

static void put_element(struct tthc_normalizer *n, xmlNodePtr node, int depth,
                        enum tthc_nkind kind, int model);

/* Children that are elements (and comments, PIs, stray text): one per line. */
static void put_children(struct tthc_normalizer *n, xmlNodePtr node, int depth, int model)
{
	for (xmlNodePtr c = node->children; c; c = c->next) {
		enum tthc_nkind kind;
		int child_model = -1;

		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (c->ns && xmlStrEqual(c->ns->href, BAD_CAST TTHC_NS))
				kind = tthc_stmap_child(
				    n->map, model, (const char *)c->name, &child_model);
			else
				kind = TTHC_NK_TEXT;
			put_element(n, c, depth + 1, kind, child_model);
			break;
		case XML_COMMENT_NODE:
			buf_indent(&n->out, depth + 1);
			put_comment(n, c);
			buf_add(&n->out, "\n", 1);
			break;
		case XML_PI_NODE:
			buf_indent(&n->out, depth + 1);
			put_pi(n, c);
			buf_add(&n->out, "\n", 1);
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			/* Text among elements (an invalid dossier): kept, on a line of
			 * its own. */
			if (is_blank_text(c))
				break;
			buf_indent(&n->out, depth + 1);
			put_value(n, node, NULL, TTHC_NK_TEXT, stray_text(n, c));
			buf_add(&n->out, "\n", 1);
			break;
		default:
			break;
		}
	}
}

static void put_element(struct tthc_normalizer *n, xmlNodePtr node, int depth,
                        enum tthc_nkind kind, int model)
{
	int elements = 0, others = 0, texts = 0;

	for (xmlNodePtr c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			elements = 1;
		else if (is_text(c))
			texts = 1;
		else if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			others = 1;
	}
	buf_indent(&n->out, depth);
	buf_add(&n->out, "<", 1);
	put_qname(&n->out, node);
	put_nsdefs(n, node);
	put_attrs(n, node);
	if (!elements && !others && !texts) {
		buf_str(&n->out, "/>\n");
		return;
	}
	buf_add(&n->out, ">", 1);
	if (elements) {
		buf_add(&n->out, "\n", 1);
		put_children(n, node, depth, model);
		buf_indent(&n->out, depth);
	} else if (others) {
		/* A comment inside a value: keep everything as it stands, in place. */
		for (xmlNodePtr c = node->children; c; c = c->next) {
			if (is_text(c))
				buf_escape(&n->out, (const char *)c->content, 0);
			else if (c->type == XML_COMMENT_NODE)
				put_comment(n, c);
			else if (c->type == XML_PI_NODE)
				put_pi(n, c);
		}
	} else {
		size_t start = n->out.len;

		put_value(n, node, NULL, kind == TTHC_NK_ELEMENTS ? TTHC_NK_TEXT : kind,
		          leaf_value(n, node));
		/* The form follows the value written, not the input: blanks or an empty
		 * CDATA section come out as the next run reads them, <X/>. */
		if (n->out.len == start && !n->out.nomem) {
			n->out.len = start - 1;
			buf_str(&n->out, "/>\n");
			return;
		}
	}
	buf_str(&n->out, "</");
	put_qname(&n->out, node);
	buf_str(&n->out, ">\n");
}

static void put_document(struct tthc_normalizer *n, xmlDocPtr doc)
{
	n->out.len = 0;
	n->out.nomem = 0;
	buf_str(&n->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	for (xmlNodePtr c = doc->children; c; c = c->next) {
		enum tthc_nkind kind;
		int model = -1;

		switch (c->type) {
		case XML_ELEMENT_NODE:
			if (c->ns && xmlStrEqual(c->ns->href, BAD_CAST TTHC_NS))
				kind = tthc_stmap_root(n->map, (const char *)c->name,
				                       &model);
			else
				kind = TTHC_NK_TEXT;
			put_element(n, c, 0, kind, model);
			break;
		case XML_COMMENT_NODE:
			put_comment(n, c);
			buf_add(&n->out, "\n", 1);
			break;
		case XML_PI_NODE:
			put_pi(n, c);
			buf_add(&n->out, "\n", 1);
			break;
		default:
			break;
		}
	}
	if (n->out.nomem)
		n->failed = 1;
}

/* ---- encodings ---- */

/* The encoding named in an XML declaration at the start of buf: its offset and length. */
static int declared_encoding(const char *buf, size_t len, size_t *at, size_t *vlen)
{
	const char *end, *p;
	size_t limit = len < 512 ? len : 512;
	char quote;

	if (limit < 6 || memcmp(buf, "<?xml", 5) != 0)
		return 0;
	end = memchr(buf, '>', limit);
	if (!end)
		return 0;
	for (p = buf + 5; p + 8 < end; p++)
		if (memcmp(p, "encoding", 8) == 0)
			break;
	if (p + 8 >= end)
		return 0;
	p += 8;
	while (p < end &&
	       (*p == ' ' || *p == '=' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return 0;
	quote = *p++;
	*at = (size_t)(p - buf);
	while (p < end && *p != quote)
		p++;
	if (p >= end)
		return 0;
	*vlen = (size_t)(p - buf) - *at;
	return *vlen > 0;
}

/*
 * Blanks out encoding="..." in a declaration (the parser then reads UTF-8), in place, so
 * every line stays where it was.
 */
static void drop_declared_encoding(char *buf, size_t len)
{
	size_t at, vlen;
	char *p;

	if (!declared_encoding(buf, len, &at, &vlen))
		return;
	for (p = buf + at - 1; p > buf && memcmp(p, "encoding", 8) != 0; p--)
		;
	memset(p, ' ', (size_t)(buf + at + vlen + 1 - p));
}

static int valid_utf8(const char *s, size_t len)
{
	utf8proc_int32_t cp;

	while (len > 0) {
		utf8proc_ssize_t k;

		if ((unsigned char)*s < 0x80) {
			s++;
			len--;
			continue;
		}
		k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
		                     &cp);
		if (k < 0)
			return 0;
		s += k;
		len -= (size_t)k;
	}
	return 1;
}

/* The input as the parser will read it, and what encoding it came in. */
struct input {
	const char *buf;
	size_t len;
	char *decoded;     /* owned: a legacy encoding decoded to UTF-8 */
	char encoding[64]; /* "" when it was UTF-8 already */
};

static int is_utf16(const unsigned char *b, size_t len)
{
	return len >= 2 &&
	       ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff) ||
	        (len >= 4 && ((b[0] == '<' && b[1] == 0 && b[2] == '?' && b[3] == 0) ||
	                      (b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] == '?'))));
}

static int decode_legacy(struct tthc_normalizer *n, struct input *in, enum tthc_enc enc,
                         const char *name)
{
	size_t outlen;
	int ret = tthc_vnenc_decode(enc, in->buf, in->len, &in->decoded, &outlen);

	if (ret == -EILSEQ) {
		unsigned long line = 1;

		for (size_t i = 0; i < outlen && i < in->len; i++)
			line += in->buf[i] == '\n';
		return fail(n, -TTHC_E_XML, _("%s:%lu: not valid %s text"), name, line,
		            tthc_enc_name(enc));
	}
	if (ret < 0)
		return fail(n, ret, "%s: %s", name, tthc_strerror(ret));
	drop_declared_encoding(in->decoded, outlen);
	in->buf = in->decoded;
	in->len = outlen;
	return 0;
}

/* The bytes as they are, the declaration blanked out so that the parser reads UTF-8. */
static int undeclare(struct tthc_normalizer *n, struct input *in)
{
	if (!(in->decoded = malloc(in->len + 1)))
		return fail(n, -ENOMEM, "%s", strerror(ENOMEM));
	memcpy(in->decoded, in->buf, in->len);
	in->decoded[in->len] = '\0';
	drop_declared_encoding(in->decoded, in->len);
	in->buf = in->decoded;
	return 0;
}

/*
 * The text of a dossier without its markup (what detection should weigh: element names
 * are no Vietnamese words), at most 64 KiB; the whole input when it has no text.
 */
static char *dossier_text(const char *buf, size_t len, size_t *outlen)
{
	size_t cap = len < 64 * 1024 ? len : 64 * 1024, o = 0;
	char *t = malloc(cap + 1);
	int tag = 0;

	if (!t)
		return NULL;
	for (size_t i = 0; i < len && o < cap; i++) {
		if (buf[i] == '<')
			tag = 1;
		else if (buf[i] == '>' && tag)
			tag = 0, t[o++] = '\n';
		else if (!tag)
			t[o++] = buf[i];
	}
	for (size_t i = 0; i < o; i++)
		if ((unsigned char)t[i] >= 0x80)
			goto done;
	memcpy(t, buf, cap);
	o = cap;
done:
	*outlen = o;
	return t;
}

static void upper_name(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/*
 * Bytes that are not UTF-8 (undeclared, or declared UTF-8 wrongly): decoded from the
 * legacy encoding detection finds, when it is confident; else the parser says where the
 * bytes went wrong.
 */
static int detect_legacy(struct tthc_normalizer *n, struct input *in, const char *name,
                         const char *declared)
{
	size_t tlen;
	char *text = dossier_text(in->buf, in->len, &tlen), ename[16];
	enum tthc_enc enc;
	double conf = 0;
	int r;

	if (!text)
		return fail(n, -ENOMEM, "%s", strerror(ENOMEM));
	r = tlen ? tthc_vnenc_detect(text, tlen, &enc, &conf) : -EINVAL;
	free(text);
	if (r == -ENOMEM)
		return fail(n, r, "%s", strerror(ENOMEM));
	if (r < 0 || enc == TTHC_ENC_UTF8 || enc == TTHC_ENC_UTF16 ||
	    enc == TTHC_ENC_VIQR || enc == TTHC_ENC_AUTO)
		return 0; /* the parser will say what is wrong */
	snprintf(ename, sizeof(ename), "%s", tthc_enc_name(enc));
	upper_name(ename);
	if (conf < VN_CONFIDENT) {
		int c = (int)(conf * 100 + 0.5);

		return fail(
		    n, -TTHC_E_XML,
		    _("%s: not UTF-8, and cannot tell the encoding: best guess %s "
		      "(confidence %d.%02d); declare it in the XML declaration"),
		    name, ename, c / 100, c % 100);
	}
	if (declared)
		snprintf(in->encoding, sizeof(in->encoding), "%s (declared %.32s)", ename,
		         declared);
	else
		snprintf(in->encoding, sizeof(in->encoding), "%s", ename);
	return decode_legacy(n, in, enc, name);
}

/*
 * A declared legacy encoding over bytes that are valid UTF-8 with multi-byte
 * characters, which read no worse as UTF-8: a file converted by iconv that kept its
 * declaration.  Returns 1 for those, 0, or -ENOMEM.
 */
static int utf8_after_all(const struct input *in, enum tthc_enc declared)
{
	size_t tlen, i;
	char *text;
	int r;

	for (i = 0; i < in->len && (unsigned char)in->buf[i] < 0x80; i++)
		;
	if (i == in->len || !valid_utf8(in->buf, in->len))
		return 0;
	if (!(text = dossier_text(in->buf, in->len, &tlen)))
		return -ENOMEM;
	r = vn_reads_better(text, tlen, declared, TTHC_ENC_UTF8);
	free(text);
	return r < 0 ? r : !r;
}

/*
 * Decides the encoding: UTF-16 and the charsets libxml2 knows are its business; the
 * Vietnamese legacy ones (declared, or detected in bytes that are not UTF-8) are decoded
 * here first.  A declaration is not believed against the bytes: valid UTF-8 under a
 * legacy name is read as UTF-8, and bytes that are not UTF-8 under the name UTF-8 are
 * detected.  VIQR is ASCII, markup included, so its values are decoded one by one
 * instead: "file.pdf" must not become "filẹpdf".
 */
static int prepare_input(struct tthc_normalizer *n, struct input *in, const char *name)
{
	const unsigned char *b = (const unsigned char *)in->buf;
	size_t at, vlen;
	char declared[48];
	int e, r;

	if (is_utf16(b, in->len)) {
		snprintf(in->encoding, sizeof(in->encoding), "UTF-16");
		return 0;
	}
	if (in->len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		return 0;
	if (!declared_encoding(in->buf, in->len, &at, &vlen))
		return valid_utf8(in->buf, in->len) ? 0
		                                    : detect_legacy(n, in, name, NULL);
	snprintf(declared, sizeof(declared), "%.*s", (int)vlen, in->buf + at);
	e = tthc_enc_from_name(declared);
	if (e == TTHC_ENC_UTF8)
		return valid_utf8(in->buf, in->len)
		           ? 0
		           : detect_legacy(n, in, name, declared);
	snprintf(in->encoding, sizeof(in->encoding), "%s", declared);
	if (e < 0 || e == TTHC_ENC_UTF16)
		return 0; /* libxml2 (and iconv) read it */
	if (e == TTHC_ENC_VIQR) {
		n->viqr = 1;
		return undeclare(n, in);
	}
	if ((r = utf8_after_all(in, (enum tthc_enc)e)) < 0)
		return fail(n, r, "%s", strerror(-r));
	if (r) {
		snprintf(in->encoding, sizeof(in->encoding),
		         "%.24s (declared, but the bytes are UTF-8)", declared);
		return undeclare(n, in);
	}
	return decode_legacy(n, in, (enum tthc_enc)e, name);
}

/* ---- results ---- */

static struct tthc_normalized *finish(struct tthc_normalizer *n)
{
	struct tthc_normalized *r = n->r;
	const char *s;

	if (r->strings.nomem)
		return NULL;
	r->data = malloc(n->out.len + 1);
	r->changes = calloc(r->n ? r->n : 1, sizeof(*r->changes));
	if (!r->data || !r->changes)
		return NULL;
	memcpy(r->data, n->out.p, n->out.len);
	r->data[n->out.len] = '\0';
	r->len = n->out.len;
	s = r->strings.p;
	/* The file name is the first string kept. */
	for (size_t i = 0; i < r->n; i++) {
		struct pending *p = &r->pending[i];
		struct tthc_change *c = &r->changes[i];

		c->file = s;
		c->line = p->line;
		c->path = s + p->path;
		c->old_value = s + p->old_value;
		c->new_value = p->new_value == NO_VALUE ? NULL : s + p->new_value;
		c->rule = p->rule;
	}
	free(r->pending);
	r->pending = NULL;
	return r;
}

static int parse_error(struct tthc_normalizer *n, const struct tthc_xml_error *xe,
                       const char *name)
{
	if (xe->nomem)
		return fail(n, -ENOMEM, "%s", strerror(ENOMEM));
	if (xe->doctype)
		return fail(n, -TTHC_E_XML, "%s:%lu: %s", name, xe->doctype_line,
		            _("a DOCTYPE is not allowed in a dossier (no DTD, no entity "
		              "declarations)"));
	return fail(n, -TTHC_E_XML, "%s:%lu: %s", name, xe->error_line,
	            xe->have_error ? xe->error : _("empty document"));
}

TTHC_EXPORT int tthc_normalizer_memory(struct tthc_normalizer *n, const char *buf,
                                       size_t len, const char *name,
                                       struct tthc_normalized **out)
{
	struct input in = { .buf = buf, .len = len };
	struct tthc_xml_error xe;
	xmlDocPtr doc;
	int ret;

	if (!n || !buf || !out)
		return -EINVAL;
	name = name ? name : "-";
	n->error[0] = '\0';
	n->viqr = 0;
	n->failed = 0;
	if (len > n->ctx->max_size) {
		char why[256];

		snprintf(why, sizeof(why),
		         _("the document is larger than the limit of %zu bytes"),
		         n->ctx->max_size);
		return fail(n, -TTHC_E_TOOBIG, "%s: %s", name, why);
	}
	ret = prepare_input(n, &in, name);
	if (ret < 0)
		goto out;
	doc = tthc_xmlsafe_parse(&n->xml, in.buf, in.len, name, &xe);
	if (!doc) {
		ret = parse_error(n, &xe, name);
		goto out;
	}
	n->r = calloc(1, sizeof(*n->r));
	if (!n->r) {
		xmlFreeDoc(doc);
		ret = fail(n, -ENOMEM, "%s", strerror(ENOMEM));
		goto out;
	}
	keep_string(n->r, name);
	if (in.encoding[0])
		record(n, NULL, NULL, "encoding", in.encoding, "UTF-8");
	put_document(n, doc);
	xmlFreeDoc(doc);
	if (!n->failed && n->r->n == n->r->failures &&
	    (n->out.len != len || memcmp(n->out.p, buf, len) != 0))
		record_layout(n);
	*out = n->failed ? NULL : finish(n);
	if (!*out) {
		tthc_normalized_free(n->r);
		ret = fail(n, -ENOMEM, "%s", strerror(ENOMEM));
	}
	n->r = NULL;
out:
	free(in.decoded);
	return ret;
}

TTHC_EXPORT int tthc_normalizer_file(struct tthc_normalizer *n, const char *path,
                                     const char *name, struct tthc_normalized **out)
{
	struct stat st;
	ssize_t len;
	int fd, ret;

	if (!n || !path || !out)
		return -EINVAL;
	name = name ? name : path;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail(n, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(n, -EISDIR, "%s: %s", path, strerror(EISDIR));
	}
	len = tthc_xmlsafe_read(&n->xml, fd, n->ctx->max_size);
	close(fd);
	if (len < 0)
		return fail(n, (int)len, "%s: %s", path, strerror((int)-len));
	ret = tthc_normalizer_memory(n, n->xml.readbuf, (size_t)len, name, out);
	tthc_xmlsafe_shrink(&n->xml);
	return ret;
}

TTHC_EXPORT const char *tthc_normalized_data(const struct tthc_normalized *r, size_t *len)
{
	if (len)
		*len = r->len;
	return r->data;
}

TTHC_EXPORT size_t tthc_normalized_count(const struct tthc_normalized *r)
{
	return r->n;
}

TTHC_EXPORT const struct tthc_change *tthc_normalized_get(const struct tthc_normalized *r,
                                                          size_t i)
{
	return i < r->n ? &r->changes[i] : NULL;
}

TTHC_EXPORT size_t tthc_normalized_failures(const struct tthc_normalized *r)
{
	return r->failures;
}

TTHC_EXPORT void tthc_normalized_free(struct tthc_normalized *r)
{
	if (!r)
		return;
	free(r->data);
	free(r->changes);
	free(r->pending);
	free(r->strings.p);
	free(r);
}
