/* SPDX-License-Identifier: MIT */
/* Which normaliser applies to which element: read from the schemas' types, not from C. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define XSD_NS "http://www.w3.org/2001/XMLSchema"
/* Type chains and content models are a few levels deep; more is a loop. */
#define MAX_DEPTH 32

/*
 * The one place that says which normaliser a type gets.  A simple type not listed here
 * takes the kind of its base (restriction) or of its union members; xs:string ends as
 * text, xs:token and the other built-ins as tokens.
 */
static const struct {
	const char *type; /* our named type, or "xs:" + a built-in */
	enum tthc_nkind kind;
} type_kinds[] = {
	/* a partial date only where the type allows one (NgayType is a full date) */
	{ "NgayKhongDayDuType", TTHC_NK_DATE },
	{ "xs:date", TTHC_NK_FULLDATE },
	{ "xs:gYearMonth", TTHC_NK_DATE },
	{ "xs:gYear", TTHC_NK_DATE },
	{ "xs:dateTime", TTHC_NK_DATETIME },
	{ "SoDinhDanhType", TTHC_NK_IDNUM },
	{ "SoGiayToType", TTHC_NK_DOCNUM },
	{ "GioiTinhType", TTHC_NK_SEX },
	{ "HoTenType", TTHC_NK_NAME },
	{ "DiaChiType", TTHC_NK_PLACE },
	{ "SoDienThoaiType", TTHC_NK_PHONE },
	/* a path names a file on disk byte for byte: even NFC could lose it */
	{ "DuongDanType", TTHC_NK_KEEP },
	{ "xs:string", TTHC_NK_TEXT },
	{ "xs:normalizedString", TTHC_NK_TEXT },
};

struct child {
	char *name;
	enum tthc_nkind kind;
	int model; /* for TTHC_NK_ELEMENTS: the child's content model, or -1 */
};

struct model {
	char *type; /* the complex type's name; NULL when anonymous */
	struct child *children;
	size_t n, cap;
};

/* A named declaration in one of the schema documents. */
struct decl {
	const char *name;
	xmlNodePtr node;
};

struct decls {
	struct decl *v;
	size_t n, cap;
};

struct tthc_stmap {
	struct model *models;
	size_t nmodels, capmodels;
	struct child *byname; /* every child of every model, one per name, sorted */
	size_t nbyname;
	struct child *roots; /* global elements (merged across the procedure schemas) */
	size_t nroots;
};

/* What is read while building: the documents and their declarations. */
struct builder {
	struct tthc_stmap *m;
	xmlDocPtr docs[64];
	size_t ndocs;
	struct decls simple, complex, groups, elements;
	int nomem;
};

static int add_decl(struct decls *d, const char *name, xmlNodePtr node)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 32;
		struct decl *nv = realloc(d->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		d->v = nv;
		d->cap = cap;
	}
	d->v[d->n].name = name;
	d->v[d->n].node = node;
	d->n++;
	return 0;
}

static xmlNodePtr find_decl(const struct decls *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0)
			return d->v[i].node;
	return NULL;
}

static int is_xs(xmlNodePtr node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && node->ns &&
	       xmlStrEqual(node->ns->href, BAD_CAST XSD_NS) &&
	       (!name || strcmp((const char *)node->name, name) == 0);
}

static const char *attr(xmlNodePtr node, const char *name)
{
	for (xmlAttrPtr a = node->properties; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

/*
 * Writes a QName as the type table spells it: "xs:" + local for the XML Schema namespace,
 * the local name for ours.
 */
static void qname_key(xmlNodePtr ctx, const char *qname, char *buf, size_t size)
{
	const char *colon = strchr(qname, ':');
	xmlNsPtr ns;
	char prefix[64];

	if (!colon) {
		ns = xmlSearchNs(ctx->doc, ctx, NULL);
		snprintf(buf, size, "%s%s",
		         ns && xmlStrEqual(ns->href, BAD_CAST XSD_NS) ? "xs:" : "",
		         qname);
		return;
	}
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(colon - qname), qname);
	ns = xmlSearchNs(ctx->doc, ctx, BAD_CAST prefix);
	snprintf(buf, size, "%s%s",
	         ns && xmlStrEqual(ns->href, BAD_CAST XSD_NS) ? "xs:" : "", colon + 1);
}

static enum tthc_nkind simple_kind_node(struct builder *b, xmlNodePtr st, int depth);

static enum tthc_nkind simple_kind(struct builder *b, xmlNodePtr ctx, const char *qname,
                                   int depth)
{
	char key[256];
	xmlNodePtr def;

	qname_key(ctx, qname, key, sizeof(key));
	for (size_t i = 0; i < sizeof(type_kinds) / sizeof(type_kinds[0]); i++)
		if (strcmp(type_kinds[i].type, key) == 0)
			return type_kinds[i].kind;
	if (strncmp(key, "xs:", 3) == 0 || depth > MAX_DEPTH)
		return TTHC_NK_TOKEN;
	def = find_decl(&b->simple, key);
	return def ? simple_kind_node(b, def, depth + 1) : TTHC_NK_TEXT;
}

/* Two members of a union: a full date with a partial one takes dates of either kind. */
static enum tthc_nkind join_kinds(enum tthc_nkind a, enum tthc_nkind b)
{
	if (a == TTHC_NK_ELEMENTS || a == b)
		return b;
	if ((a == TTHC_NK_DATE && b == TTHC_NK_FULLDATE) ||
	    (a == TTHC_NK_FULLDATE && b == TTHC_NK_DATE))
		return TTHC_NK_DATE;
	return TTHC_NK_TEXT;
}

/* A union's members must agree (all dates, say); otherwise it is plain text. */
static enum tthc_nkind union_kind(struct builder *b, xmlNodePtr u, int depth)
{
	const char *members = attr(u, "memberTypes");
	enum tthc_nkind kind = TTHC_NK_ELEMENTS;
	char name[256];

	while (members && *members) {
		size_t len = strcspn(members, " \t\r\n");

		if (len > 0 && len < sizeof(name)) {
			memcpy(name, members, len);
			name[len] = '\0';
			kind = join_kinds(kind, simple_kind(b, u, name, depth + 1));
			if (kind == TTHC_NK_TEXT)
				return kind;
		}
		members += len;
		members += strspn(members, " \t\r\n");
	}
	for (xmlNodePtr c = u->children; c; c = c->next)
		if (is_xs(c, "simpleType")) {
			kind = join_kinds(kind, simple_kind_node(b, c, depth + 1));
			if (kind == TTHC_NK_TEXT)
				return kind;
		}
	return kind == TTHC_NK_ELEMENTS ? TTHC_NK_TEXT : kind;
}

/* The kind of an xs:simpleType element (named or anonymous). */
static enum tthc_nkind simple_kind_node(struct builder *b, xmlNodePtr st, int depth)
{
	for (xmlNodePtr c = st->children; c; c = c->next) {
		const char *base;

		if (is_xs(c, "restriction")) {
			base = attr(c, "base");
			if (base)
				return simple_kind(b, c, base, depth + 1);
			for (xmlNodePtr s = c->children; s; s = s->next)
				if (is_xs(s, "simpleType"))
					return simple_kind_node(b, s, depth + 1);
		} else if (is_xs(c, "union")) {
			return union_kind(b, c, depth + 1);
		} else if (is_xs(c, "list")) {
			return TTHC_NK_TOKEN;
		}
	}
	return TTHC_NK_TEXT;
}

static int new_model(struct builder *b, const char *type)
{
	struct tthc_stmap *m = b->m;
	struct model *mo;

	if (m->nmodels == m->capmodels) {
		size_t cap = m->capmodels ? 2 * m->capmodels : 32;
		struct model *nv = realloc(m->models, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		m->models = nv;
		m->capmodels = cap;
	}
	mo = &m->models[m->nmodels];
	memset(mo, 0, sizeof(*mo));
	if (type && !(mo->type = strdup(type)))
		return -ENOMEM;
	return (int)m->nmodels++;
}

/* Adds a child to a model unless one of that name is there (a choice names it twice). */
static int add_child(struct builder *b, int model, const char *name, enum tthc_nkind kind,
                     int child_model)
{
	struct model *mo = &b->m->models[model];

	for (size_t i = 0; i < mo->n; i++)
		if (strcmp(mo->children[i].name, name) == 0)
			return 0;
	if (mo->n == mo->cap) {
		size_t cap = mo->cap ? 2 * mo->cap : 8;
		struct child *nv = realloc(mo->children, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		mo->children = nv;
		mo->cap = cap;
	}
	mo->children[mo->n].name = strdup(name);
	if (!mo->children[mo->n].name)
		return -ENOMEM;
	mo->children[mo->n].kind = kind;
	mo->children[mo->n].model = child_model;
	mo->n++;
	return 0;
}

static int complex_model(struct builder *b, const char *qname, xmlNodePtr ctx, int depth);
static int anon_model(struct builder *b, xmlNodePtr ct, int depth);
static int collect(struct builder *b, int model, xmlNodePtr node, int depth);

/* The kind and model of an xs:element declaration. */
static int element_type(struct builder *b, xmlNodePtr el, enum tthc_nkind *kind,
                        int *child_model, int depth)
{
	const char *type = attr(el, "type");
	char key[256];

	*kind = TTHC_NK_TEXT;
	*child_model = -1;
	if (type) {
		qname_key(el, type, key, sizeof(key));
		if (find_decl(&b->complex, key)) {
			*kind = TTHC_NK_ELEMENTS;
			*child_model = complex_model(b, type, el, depth + 1);
			return *child_model < 0 ? *child_model : 0;
		}
		*kind = simple_kind(b, el, type, depth + 1);
		return 0;
	}
	for (xmlNodePtr c = el->children; c; c = c->next) {
		if (is_xs(c, "simpleType")) {
			*kind = simple_kind_node(b, c, depth + 1);
			return 0;
		}
		if (is_xs(c, "complexType")) {
			*kind = TTHC_NK_ELEMENTS;
			*child_model = anon_model(b, c, depth + 1);
			return *child_model < 0 ? *child_model : 0;
		}
	}
	return 0;
}

static int collect_element(struct builder *b, int model, xmlNodePtr el, int depth)
{
	const char *name = attr(el, "name");
	const char *ref = attr(el, "ref");
	enum tthc_nkind kind;
	int child_model, ret;

	if (!name && ref) {
		char key[256];

		qname_key(el, ref, key, sizeof(key));
		el = find_decl(&b->elements, key);
		if (!el)
			return 0;
		name = attr(el, "name");
	}
	if (!name)
		return 0;
	ret = element_type(b, el, &kind, &child_model, depth);
	if (ret < 0)
		return ret;
	return add_child(b, model, name, kind, child_model);
}

/* Adds the elements a particle, group, extension or type body declares to model. */
static int collect(struct builder *b, int model, xmlNodePtr node, int depth)
{
	if (depth > MAX_DEPTH)
		return 0;
	for (xmlNodePtr c = node->children; c; c = c->next) {
		int ret = 0;

		if (!is_xs(c, NULL))
			continue;
		if (is_xs(c, "element")) {
			ret = collect_element(b, model, c, depth);
		} else if (is_xs(c, "group")) {
			const char *ref = attr(c, "ref");
			char key[256];
			xmlNodePtr g;

			if (ref) {
				qname_key(c, ref, key, sizeof(key));
				g = find_decl(&b->groups, key);
				if (g)
					ret = collect(b, model, g, depth + 1);
			}
		} else if (is_xs(c, "extension")) {
			const char *base = attr(c, "base");
			char key[256];

			if (base) {
				qname_key(c, base, key, sizeof(key));
				xmlNodePtr def = find_decl(&b->complex, key);

				if (def)
					ret = collect(b, model, def, depth + 1);
			}
			if (ret == 0)
				ret = collect(b, model, c, depth + 1);
		} else if (is_xs(c, "sequence") || is_xs(c, "choice") ||
		           is_xs(c, "all") || is_xs(c, "complexContent") ||
		           is_xs(c, "restriction")) {
			ret = collect(b, model, c, depth + 1);
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The model of a named complex type, built once. */
static int complex_model(struct builder *b, const char *qname, xmlNodePtr ctx, int depth)
{
	char key[256];
	xmlNodePtr def;
	int model, ret;

	qname_key(ctx, qname, key, sizeof(key));
	for (size_t i = 0; i < b->m->nmodels; i++)
		if (b->m->models[i].type && strcmp(b->m->models[i].type, key) == 0)
			return (int)i;
	def = find_decl(&b->complex, key);
	if (!def || depth > MAX_DEPTH)
		return -1;
	/* Registered before its children, so a type that contains itself ends. */
	model = new_model(b, key);
	if (model < 0)
		return model;
	ret = collect(b, model, def, depth + 1);
	return ret < 0 ? ret : model;
}

static int anon_model(struct builder *b, xmlNodePtr ct, int depth)
{
	int model = new_model(b, NULL), ret;

	if (model < 0)
		return model;
	ret = collect(b, model, ct, depth + 1);
	return ret < 0 ? ret : model;
}

static int add_root(struct builder *b, xmlNodePtr el)
{
	struct tthc_stmap *m = b->m;
	const char *name = attr(el, "name");
	enum tthc_nkind kind;
	int child_model, ret;
	struct child *root = NULL;

	ret = element_type(b, el, &kind, &child_model, 0);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < m->nroots; i++)
		if (strcmp(m->roots[i].name, name) == 0)
			root = &m->roots[i];
	if (!root) {
		struct child *nv = realloc(m->roots, (m->nroots + 1) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		m->roots = nv;
		root = &m->roots[m->nroots];
		root->name = strdup(name);
		if (!root->name)
			return -ENOMEM;
		root->kind = kind;
		root->model = child_model;
		m->nroots++;
		return 0;
	}
	/* HoSo of each procedure: one model that holds every procedure's form. */
	if (root->model >= 0 && child_model >= 0 && root->model != child_model) {
		struct model *from = &m->models[child_model];

		for (size_t i = 0; i < from->n; i++) {
			ret = add_child(b, root->model, from->children[i].name,
			                from->children[i].kind, from->children[i].model);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct child *)a)->name, ((const struct child *)b)->name);
}

/*
 * For elements met where the schemas do not put them (invalid dossiers): one entry per
 * name, whose kind is the one every declaration of that name agrees on, else text.
 */
static int build_byname(struct tthc_stmap *m)
{
	size_t total = 0, n = 0;

	for (size_t i = 0; i < m->nmodels; i++)
		total += m->models[i].n;
	m->byname = calloc(total ? total : 1, sizeof(*m->byname));
	if (!m->byname)
		return -ENOMEM;
	for (size_t i = 0; i < m->nmodels; i++)
		for (size_t j = 0; j < m->models[i].n; j++)
			m->byname[n++] = m->models[i].children[j]; /* names borrowed */
	qsort(m->byname, n, sizeof(*m->byname), by_name);
	m->nbyname = 0;
	for (size_t i = 0; i < n; i++) {
		struct child *last = m->nbyname ? &m->byname[m->nbyname - 1] : NULL;

		if (last && strcmp(last->name, m->byname[i].name) == 0) {
			if (last->kind != m->byname[i].kind)
				last->kind = TTHC_NK_TEXT;
			if (last->model != m->byname[i].model)
				last->model = -1;
			continue;
		}
		m->byname[m->nbyname++] = m->byname[i];
	}
	return 0;
}

static int gather(struct builder *b, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	if (!is_xs(root, "schema"))
		return 0;
	for (xmlNodePtr c = root->children; c; c = c->next) {
		const char *name = is_xs(c, NULL) ? attr(c, "name") : NULL;
		int ret = 0;

		if (!name)
			continue;
		if (is_xs(c, "simpleType"))
			ret = add_decl(&b->simple, name, c);
		else if (is_xs(c, "complexType"))
			ret = add_decl(&b->complex, name, c);
		else if (is_xs(c, "group"))
			ret = add_decl(&b->groups, name, c);
		else if (is_xs(c, "element"))
			ret = add_decl(&b->elements, name, c);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int is_xsd_name(const struct dirent *e)
{
	size_t len = strlen(e->d_name);

	return len > 4 && strcmp(e->d_name + len - 4, ".xsd") == 0;
}

/* Reads every *.xsd of dir, in name order, as plain XML. */
static int read_schemas(struct builder *b, const char *dir, char *err, size_t errsize)
{
	struct tthc_xmlsafe x = { 0 };
	struct dirent **names;
	int count = scandir(dir, &names, is_xsd_name, alphasort), ret = 0;

	if (count < 0) {
		snprintf(err, errsize, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < count; i++) {
		char path[4096];
		struct tthc_xml_error xe;
		ssize_t len;
		xmlDocPtr doc;
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (ret < 0 || b->ndocs == sizeof(b->docs) / sizeof(b->docs[0]))
			goto next;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			ret = -errno;
			snprintf(err, errsize, "%s: %s", path, strerror(errno));
			goto next;
		}
		len = tthc_xmlsafe_read(&x, fd, 16u << 20);
		close(fd);
		if (len < 0) {
			ret = (int)len;
			snprintf(err, errsize, "%s: %s", path, strerror((int)-len));
			goto next;
		}
		doc = tthc_xmlsafe_parse(&x, x.readbuf, (size_t)len, path, &xe);
		if (!doc) {
			ret = xe.nomem ? -ENOMEM : -TTHC_E_SCHEMA;
			snprintf(err, errsize, "%s:%lu: %s", path, xe.error_line,
			         xe.error);
			goto next;
		}
		b->docs[b->ndocs++] = doc;
		ret = gather(b, doc);
	next:
		free(names[i]);
	}
	free(names);
	tthc_xmlsafe_release(&x);
	return ret;
}

int tthc_stmap_load(const char *dir, struct tthc_stmap **out, char *err, size_t errsize)
{
	struct builder b = { 0 };
	int ret;

	err[0] = '\0';
	b.m = calloc(1, sizeof(*b.m));
	if (!b.m)
		return -ENOMEM;
	ret = read_schemas(&b, dir, err, errsize);
	for (size_t i = 0; ret >= 0 && i < b.elements.n; i++)
		ret = add_root(&b, b.elements.v[i].node);
	if (ret >= 0)
		ret = build_byname(b.m);
	if (ret >= 0 && b.m->nroots == 0) {
		ret = -TTHC_E_SCHEMA;
		snprintf(err, errsize, "%s: no schema declares a root element", dir);
	}
	for (size_t i = 0; i < b.ndocs; i++)
		xmlFreeDoc(b.docs[i]);
	free(b.simple.v);
	free(b.complex.v);
	free(b.groups.v);
	free(b.elements.v);
	if (ret < 0) {
		if (ret == -ENOMEM && !err[0])
			snprintf(err, errsize, "%s", strerror(ENOMEM));
		tthc_stmap_free(b.m);
		return ret;
	}
	*out = b.m;
	return 0;
}

void tthc_stmap_free(struct tthc_stmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nmodels; i++) {
		for (size_t j = 0; j < m->models[i].n; j++)
			free(m->models[i].children[j].name);
		free(m->models[i].children);
		free(m->models[i].type);
	}
	free(m->models);
	for (size_t i = 0; i < m->nroots; i++)
		free(m->roots[i].name);
	free(m->roots);
	free(m->byname);
	free(m);
}

enum tthc_nkind tthc_stmap_root(const struct tthc_stmap *m, const char *name, int *model)
{
	for (size_t i = 0; i < m->nroots; i++)
		if (strcmp(m->roots[i].name, name) == 0) {
			*model = m->roots[i].model;
			return m->roots[i].kind;
		}
	*model = -1;
	return TTHC_NK_ELEMENTS;
}

enum tthc_nkind tthc_stmap_child(const struct tthc_stmap *m, int parent, const char *name,
                                 int *model)
{
	size_t lo = 0, hi = m->nbyname;

	if (parent >= 0 && (size_t)parent < m->nmodels) {
		const struct model *mo = &m->models[parent];

		for (size_t i = 0; i < mo->n; i++)
			if (strcmp(mo->children[i].name, name) == 0) {
				*model = mo->children[i].model;
				return mo->children[i].kind;
			}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, m->byname[mid].name);

		if (c == 0) {
			*model = m->byname[mid].model;
			return m->byname[mid].kind;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*model = -1;
	return TTHC_NK_TEXT;
}
