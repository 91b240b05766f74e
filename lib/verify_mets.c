/* SPDX-License-Identifier: MIT */
/* The CSIP and SIP requirements on a METS document and the folders it describes, each
 * finding named by its id. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verify_int.h"

#define METS_NS "http://www.loc.gov/METS/"
#define XLINK_NS "http://www.w3.org/1999/xlink"
#define CSIP_NS "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
#define SIP_PROFILE_PREFIX "https://earksip.dilcis.eu/profile/E-ARK-SIP"

#define E TTHC_SEV_ERROR
#define W TTHC_SEV_WARNING
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static unsigned long line_of(xmlNodePtr node)
{
	long line = node ? xmlGetLineNo(node) : 0;

	return line > 0 ? (unsigned long)line : 0;
}

/* Reports requirement id about node of m's document. */
#define REQ(m, node, id, sev, ...)                                                       \
	tthc_verify_report((m)->v, id, sev, (m)->file, line_of(node), __VA_ARGS__)

static int is_mets(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns &&
	       strcmp((const char *)n->ns->href, METS_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (is_mets(c, name))
			return c;
	return NULL;
}

static xmlNodePtr next_named(xmlNodePtr n, const char *name)
{
	for (n = n->next; n; n = n->next)
		if (is_mets(n, name))
			return n;
	return NULL;
}

#define FOR_CHILDREN(var, parent, name)                                                  \
	for (xmlNodePtr var = child(parent, name); var; var = next_named(var, name))

/* An attribute's value as a pointer into the tree; NULL when absent. */
static const char *attr_ns(xmlNodePtr n, const char *name, const char *ns)
{
	xmlAttrPtr a =
	    n ? xmlHasNsProp(n, (const xmlChar *)name, (const xmlChar *)ns) : NULL;

	if (!a)
		return NULL;
	if (!a->children)
		return "";
	return a->children->content ? (const char *)a->children->content : "";
}

static const char *attr(xmlNodePtr n, const char *name)
{
	return attr_ns(n, name, NULL);
}

static const char *csip_attr(xmlNodePtr n, const char *name)
{
	return attr_ns(n, name, CSIP_NS);
}

static int starts_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Requires a non-empty attribute; returns its value or NULL. */
static const char *need(struct tthc_mets *m, xmlNodePtr n, const char *name,
                        const char *ns, const char *id)
{
	const char *val = attr_ns(n, name, ns);

	if (!val || !*val) {
		REQ(m, n, id, E, _("%s lacks the %s%s attribute"), (const char *)n->name,
		    ns ? (strcmp(ns, XLINK_NS) == 0 ? "xlink:" : "csip:") : "", name);
		return NULL;
	}
	return val;
}

/* Requires an attribute with a fixed value. */
static void need_value(struct tthc_mets *m, xmlNodePtr n, const char *name,
                       const char *ns, const char *want, const char *id)
{
	const char *val = need(m, n, name, ns, id);

	if (val && strcmp(val, want) != 0)
		REQ(m, n, id, E, _("%s has %s=\"%s\" where \"%s\" is required"),
		    (const char *)n->name, name, val, want);
}

/* ---- vocabularies: the values the DILCIS Board's CSIP 2.2 and SIP 2.2 lists allow ----
 */

/* mets/@TYPE (CSIP2).  Compared without case: CSIP2 spells "OTHER", the list "Other". */
static const char *const content_categories[] = {
	"Textual works \u2013 Print",
	"Textual works \u2013 Digital",
	"Textual works \u2013 Electronic Serials",
	"Digital Musical Composition (score-based representations)",
	"Musical Scores - Print",
	"Musical Scores - Digital",
	"Photographs \u2013 Print",
	"Photographs \u2013 Digital",
	"Other Graphic Images \u2013 Print",
	"Other Graphic Images \u2013 Digital",
	"Microforms",
	"Audio \u2013 On Tangible Medium (digital or analog)",
	"Audio \u2013 Media-independent (digital)",
	"Motion Pictures \u2013 Digital and Physical Media",
	"Video \u2013 File-based and Physical Media",
	"Software",
	"Software and Video Games",
	"Email",
	"Datasets",
	"Geospatial Data",
	"Geographic Information System (GIS) - Vector Data",
	"GIS Raster and Georeferenced Images",
	"GIS Vector and Raster Combined",
	"Non-GIS Cartographic",
	"2D and 3D Computer Aided Design",
	"Design (schematics, architectural drawings) - Print",
	"Scanned 3D Objects (output from photogrammetry scanning)",
	"Databases",
	"Websites",
	"Web Archives",
	"Collection",
	"Event",
	"Image",
	"Interactive resource",
	"Moving image",
	"Sound",
	"Still image",
	"Text",
	"Physical object",
	"Service",
	"Mixed",
	"Other",
};

/* @csip:CONTENTINFORMATIONTYPE (CSIP4, CSIP62): the vocabulary's terms, then three that
 * only the CSIP extension schema spells so. */
static const char *const content_info_types[] = {
	"ERMS",
	"SIARD1",
	"SIARD2",
	"SIARDDK",
	"GeoData",
	"citscarchival_v1_0",
	"cscarchival_v1_0",
	"citserms_v2_1",
	"citserms_v3_0",
	"citspremis_v1_0",
	"cspremis_v1_0",
	"citsehpj_v1_0",
	"citsehpj_v2_0",
	"citsehcr_v1_0",
	"citssiard_v1_0",
	"citsgeospatial_v3_0",
	"cits3dpm_v1_0",
	"MIXED",
	"OTHER",
	"citcarchival_v1_0",
	"citsarchival_v1_0",
	"csarchival_v1_0",
};

static const char *const package_types[] = { "SIP", "AIP", "DIP", "AIU", "AIC" };
static const char *const md_statuses[] = { "CURRENT", "SUPERSEDED" };
static const char *const record_statuses[] = { "NEW",  "SUPPLEMENT", "REPLACEMENT",
	                                       "TEST", "VERSION",    "DELETE",
	                                       "OTHER" };

static int one_of(const char *s, const char *const *list, size_t n, int nocase)
{
	for (size_t i = 0; i < n; i++)
		if ((nocase ? strcasecmp(s, list[i]) : strcmp(s, list[i])) == 0)
			return 1;
	return 0;
}

#define IN(s, list, nocase) one_of(s, list, COUNT(list), nocase)

static int two_digits(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return 0;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 1;
}

/* The lexical form of xs:dateTime: [-]YYYY-MM-DDThh:mm:ss[.s+][Z|(+|-)hh:mm]. */
static int is_datetime(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int mo, d, h, mi, sec, zh, zm;
	size_t ny;

	if (*s == '-')
		s++;
	ny = strspn(s, "0123456789");
	if (ny < 4 || (ny > 4 && *s == '0'))
		return 0;
	s += ny;
	if (s[0] != '-' || !two_digits(s + 1, &mo) || s[3] != '-' ||
	    !two_digits(s + 4, &d) || s[6] != 'T' || !two_digits(s + 7, &h) ||
	    s[9] != ':' || !two_digits(s + 10, &mi) || s[12] != ':' ||
	    !two_digits(s + 13, &sec))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] || mi > 59 || sec > 59 ||
	    h > 24 || (h == 24 && (mi || sec)))
		return 0;
	s += 15;
	if (*s == '.') {
		size_t nf = strspn(s + 1, "0123456789");

		if (!nf || (h == 24 && strspn(s + 1, "0") != nf))
			return 0;
		s += 1 + nf;
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return two_digits(s + 1, &zh) && s[3] == ':' && two_digits(s + 4, &zm) &&
		       s[6] == '\0' && zm <= 59 && (zh < 14 || (zh == 14 && zm == 0));
	return *s == '\0';
}

/* The length of an RFC 6838 restricted name at s (letters, digits, !#$&-^_.+). */
static size_t mime_token(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	       (s[n] >= '0' && s[n] <= '9') || (s[n] && strchr("!#$&-^_.+", s[n])))
		n++;
	return n;
}

/* type/subtype, parameters allowed after ';'. */
static int is_mime(const char *s)
{
	size_t n = mime_token(s);

	if (!n || s[n] != '/')
		return 0;
	s += n + 1;
	n = mime_token(s);
	if (!n)
		return 0;
	for (s += n; *s == ' '; s++)
		;
	return *s == '\0' || *s == ';';
}

/* An optional date attribute must be an xs:dateTime. */
static void check_date(struct tthc_mets *m, xmlNodePtr n, const char *name,
                       const char *id, enum tthc_severity sev)
{
	const char *val = attr(n, name);

	if (val && *val && !is_datetime(val))
		REQ(m, n, id, sev, "%s has %s=\"%s\", which is not an xs:dateTime",
		    (const char *)n->name, name, val);
}

/* ---- sorted lists of paths, to tell which files something lists ---- */

struct paths {
	char **v;
	size_t n, alloc;
};

static int paths_add(struct paths *ps, const char *s)
{
	char *copy;

	if (ps->n == ps->alloc) {
		size_t na = ps->alloc ? 2 * ps->alloc : 16;
		char **nv = realloc(ps->v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		ps->v = nv;
		ps->alloc = na;
	}
	if (!(copy = strdup(s)))
		return -ENOMEM;
	ps->v[ps->n++] = copy;
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void paths_sort(struct paths *ps)
{
	if (ps->n)
		qsort(ps->v, ps->n, sizeof(*ps->v), by_string);
}

static int paths_has(const struct paths *ps, const char *s)
{
	return ps->n && bsearch(&s, ps->v, ps->n, sizeof(*ps->v), by_string) != NULL;
}

static void paths_free(struct paths *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

/*
 * The tokens of an IDREFS attribute, one after the other, cut from a copy of its value:
 * a value may be megabytes of tokens, so none are kept.
 */
#define SPACE " \t\r\n"
#define FOR_TOKENS(tok, copy, save)                                                      \
	for (char *save = NULL, *tok = (copy) ? strtok_r(copy, SPACE, &save) : NULL;     \
	     tok; tok = strtok_r(NULL, SPACE, &save))

/* Sections by ID, each marked when an IDREFS names it. */
struct named {
	const char *id;
	xmlNodePtr node;
	int hit;
};

struct named_set {
	struct named *v;
	size_t n, alloc;
};

static int by_named_id(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->id, ((const struct named *)b)->id);
}

static int named_add(struct named_set *set, xmlNodePtr node)
{
	const char *id = attr(node, "ID");

	if (!id)
		return 0;
	if (set->n == set->alloc) {
		size_t na = set->alloc ? 2 * set->alloc : 16;
		struct named *nv = realloc(set->v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		set->v = nv;
		set->alloc = na;
	}
	set->v[set->n++] = (struct named){ .id = id, .node = node };
	return 0;
}

static struct named *named_find(const struct named_set *set, const char *id)
{
	struct named key = { .id = id };

	return id && set->n ? bsearch(&key, set->v, set->n, sizeof(key), by_named_id)
	                    : NULL;
}

/* Marks the sections value's tokens name; returns 0 or -ENOMEM. */
static int named_hit(struct named_set *set, const char *value)
{
	char *copy = value ? strdup(value) : NULL;
	struct named *hit;

	if (value && !copy)
		return -ENOMEM;
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), by_named_id);
	FOR_TOKENS(tok, copy, save)
	{
		if ((hit = named_find(set, tok)))
			hit->hit = 1;
	}
	free(copy);
	return 0;
}

/* ---- references to files: mdRef, FLocat, mptr ---- */

struct ref_ids {
	const char *loctype, *xtype, *href, *mimetype, *size, *created, *sum, *sumtype;
};

static int parse_size(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno)
		return -1;
	*out = v;
	return 0;
}

static void add_checksum(struct tthc_mets *m, xmlNodePtr n, struct tthc_ref *ref,
                         const struct ref_ids *ids)
{
	const char *sum = need(m, n, "CHECKSUM", NULL, ids->sum);
	const char *type = need(m, n, "CHECKSUMTYPE", NULL, ids->sumtype);
	size_t len;

	if (!sum || !type)
		return;
	ref->alg = tthc_digest_alg_from_name(type);
	if (ref->alg == TTHC_DIG_NONE) {
		REQ(m, n, "TTHC-PKG-002", W,
		    _("checksum type \"%s\" cannot be checked (SHA-256, SHA-512, "
		      "SHA-384, "
		      "SHA-1 and MD5 can)"),
		    type);
		return;
	}
	len = strlen(sum);
	if (len >= sizeof(ref->checksum) ||
	    strspn(sum, "0123456789abcdefABCDEF") != len) {
		REQ(m, n, ids->sum, E, _("CHECKSUM \"%s\" is not a hexadecimal digest"),
		    sum);
		ref->alg = TTHC_DIG_NONE;
		return;
	}
	for (size_t i = 0; i <= len; i++)
		ref->checksum[i] =
		    (char)(sum[i] >= 'A' && sum[i] <= 'F' ? sum[i] + 32 : sum[i]);
}

/* MIMETYPE, CREATED and SIZE of a file or mdRef. */
static void check_file_attrs(struct tthc_mets *m, xmlNodePtr n, struct tthc_ref *ref,
                             const struct ref_ids *ids)
{
	const char *mime = need(m, n, "MIMETYPE", NULL, ids->mimetype);
	const char *size;

	/* The IANA list is a strong recommendation, so a value of another form warns. */
	if (mime && !is_mime(mime))
		REQ(m, n, ids->mimetype, W,
		    "MIMETYPE \"%s\" is not a media type (type/subtype)", mime);
	if (need(m, n, "CREATED", NULL, ids->created))
		check_date(m, n, "CREATED", ids->created, E);
	size = need(m, n, "SIZE", NULL, ids->size);
	if (size && parse_size(size, &ref->size) < 0)
		REQ(m, n, ids->size, E, _("SIZE \"%s\" is not a number"), size);
	add_checksum(m, n, ref, ids);
}

/*
 * Checks a reference element's attributes and records the file it names, with the
 * size and checksum it must have (loc_node holds LOCTYPE and the xlink attributes,
 * file_node the size and checksum: they differ for a file and its FLocat).  Returns
 * the file's path in the package (kept with the reference), or NULL.
 */
static const char *check_ref(struct tthc_mets *m, xmlNodePtr loc_node,
                             xmlNodePtr file_node, const struct ref_ids *ids)
{
	struct tthc_ref ref = { .size = -1, .next = -1, .listing = 1, .mets = m->file };
	const char *href;
	char *rel;

	need_value(m, loc_node, "LOCTYPE", NULL, "URL", ids->loctype);
	need_value(m, loc_node, "type", XLINK_NS, "simple", ids->xtype);
	href = need(m, loc_node, "href", XLINK_NS, ids->href);
	if (file_node)
		check_file_attrs(m, file_node, &ref, ids);
	if (!href)
		return NULL;
	rel = tthc_verify_resolve(m->base, href);
	if (!rel) {
		REQ(m, loc_node, ids->href, E,
		    _("xlink:href \"%s\" is not a relative path inside the package"),
		    href);
		return NULL;
	}
	ref.rel = rel;
	ref.line = line_of(loc_node);
	ref.id_missing = ids->href;
	ref.id_size = ids->size;
	ref.id_sum = ids->sum;
	if (tthc_verify_add_ref(m->v, &ref) < 0) {
		free(rel);
		return NULL;
	}
	return rel;
}

static const struct ref_ids dmd_ids = { "CSIP22", "CSIP23", "CSIP24", "CSIP26",
	                                "CSIP27", "CSIP28", "CSIP29", "CSIP30" };
static const struct ref_ids digiprov_ids = { "CSIP36", "CSIP37", "CSIP38", "CSIP40",
	                                     "CSIP41", "CSIP42", "CSIP43", "CSIP44" };
static const struct ref_ids rights_ids = { "CSIP49", "CSIP50", "CSIP51", "CSIP53",
	                                   "CSIP54", "CSIP55", "CSIP56", "CSIP57" };
static const struct ref_ids file_ids = { "CSIP77", "CSIP78", "CSIP79", "CSIP68",
	                                 "CSIP69", "CSIP70", "CSIP71", "CSIP72" };

/* ---- the root element and the header ---- */

/* The last component of a folder path such as "representations/rep1/". */
static size_t last_component(const char *base, const char **start)
{
	size_t len = strlen(base);

	while (len && base[len - 1] == '/')
		len--;
	*start = base + len;
	while (*start > base && (*start)[-1] != '/')
		(*start)--;
	return (size_t)(base + len - *start);
}

static void check_objid(struct tthc_mets *m, const char *objid)
{
	const char *folder;
	size_t len;

	if (!m->is_rep) {
		if (strcmp(objid, m->folder) != 0)
			REQ(m, m->root, "CSIPSTR2", E,
			    _("OBJID \"%s\" is not the name of the package's root folder "
			      "\"%s\""),
			    objid, m->folder);
		return;
	}
	/* CSIP1: a representation's OBJID is the name of its folder (a SHOULD there). */
	len = last_component(m->base, &folder);
	if (len && (strlen(objid) != len || strncmp(objid, folder, len) != 0))
		REQ(m, m->root, "CSIP1", W,
		    "OBJID \"%s\" of a representation METS is not the name of its folder "
		    "\"%.*s\"",
		    objid, (int)len, folder);
}

/* CSIP2-5: the content category and the content information type. */
static void check_content_type(struct tthc_mets *m, const char *type)
{
	xmlNodePtr r = m->root;
	const char *other = csip_attr(r, "OTHERTYPE");
	const char *cit = csip_attr(r, "CONTENTINFORMATIONTYPE");

	if (type && !IN(type, content_categories, 1))
		REQ(m, r, "CSIP2", E,
		    "TYPE \"%s\" is not in the CSIP content category vocabulary (a "
		    "category outside it is TYPE=\"OTHER\" with csip:OTHERTYPE)",
		    type);
	if (type && strcasecmp(type, "OTHER") == 0) {
		if (!other)
			REQ(m, r, "CSIP3", W, "%s",
			    _("TYPE is OTHER but csip:OTHERTYPE does not say what"));
		else if (strcasecmp(other, "OTHER") != 0 &&
		         IN(other, content_categories, 1))
			REQ(m, r, "CSIP3", W,
			    "csip:OTHERTYPE \"%s\" is a category of the vocabulary: it "
			    "belongs in TYPE",
			    other);
	}
	if (!cit) {
		if (m->is_rep)
			REQ(m, r, "CSIP4", W, "%s",
			    _("a representation METS lacks csip:CONTENTINFORMATIONTYPE"));
		return;
	}
	if (!IN(cit, content_info_types, 0))
		REQ(m, r, "CSIP4", W,
		    "csip:CONTENTINFORMATIONTYPE \"%s\" is not in the CSIP content "
		    "information type vocabulary",
		    cit);
	else if (strcmp(cit, "OTHER") == 0 &&
	         !csip_attr(r, "OTHERCONTENTINFORMATIONTYPE"))
		REQ(m, r, "CSIP5", W, "%s",
		    "csip:CONTENTINFORMATIONTYPE is OTHER but "
		    "csip:OTHERCONTENTINFORMATIONTYPE does not say what");
}

static void check_root(struct tthc_mets *m)
{
	xmlNodePtr r = m->root;
	const char *objid = need(m, r, "OBJID", NULL, "CSIP1");
	const char *type = need(m, r, "TYPE", NULL, "CSIP2");
	const char *profile = need(m, r, "PROFILE", NULL, "CSIP6");

	if (objid)
		check_objid(m, objid);
	check_content_type(m, type);
	if (profile && !m->is_rep && m->v->used >= TTHC_PROFILE_SIP &&
	    strncmp(profile, SIP_PROFILE_PREFIX, strlen(SIP_PROFILE_PREFIX)) != 0)
		REQ(m, r, "SIP2", E, _("PROFILE \"%s\" is not the E-ARK SIP profile"),
		    profile);
}

/* An agent's note, when it has one, must carry csip:NOTETYPE = want. */
static void check_note(struct tthc_mets *m, xmlNodePtr agent, const char *want,
                       const char *id)
{
	FOR_CHILDREN(note, agent, "note")
	need_value(m, note, "NOTETYPE", CSIP_NS, want, id);
}

static void need_name(struct tthc_mets *m, xmlNodePtr agent, const char *id)
{
	xmlNodePtr name = child(agent, "name");
	xmlChar *text = name ? xmlNodeGetContent(name) : NULL;

	if (!text || !*text)
		REQ(m, agent, id, E, "%s", _("the agent has no name"));
	xmlFree(text);
}

static int attr_is(xmlNodePtr n, const char *name, const char *want)
{
	const char *v = attr(n, name);

	return v && strcmp(v, want) == 0;
}

/*
 * CSIP10-16: the software that made the package, the agent with OTHERTYPE="SOFTWARE"
 * or else the one with ROLE="CREATOR" and TYPE="OTHER".  Returns it, or NULL.
 */
static xmlNodePtr check_software_agent(struct tthc_mets *m, xmlNodePtr hdr)
{
	xmlNodePtr sw = NULL, note, typed = NULL;

	FOR_CHILDREN(a, hdr, "agent")
	{
		if (attr_is(a, "OTHERTYPE", "SOFTWARE")) {
			sw = a;
			break;
		}
		if (!sw && attr_is(a, "ROLE", "CREATOR") && attr_is(a, "TYPE", "OTHER"))
			sw = a;
	}
	if (!sw) {
		REQ(m, hdr, "CSIP10", E, "%s",
		    _("metsHdr has no agent with OTHERTYPE=\"SOFTWARE\" naming the "
		      "software "
		      "that made the package"));
		return NULL;
	}
	need_value(m, sw, "ROLE", NULL, "CREATOR", "CSIP11");
	need_value(m, sw, "TYPE", NULL, "OTHER", "CSIP12");
	need_value(m, sw, "OTHERTYPE", NULL, "SOFTWARE", "CSIP13");
	need_name(m, sw, "CSIP14");
	FOR_CHILDREN(n, sw, "note")
	{
		const char *type = attr_ns(n, "NOTETYPE", CSIP_NS);

		if (!typed && type && strcmp(type, "SOFTWARE VERSION") == 0)
			typed = n;
	}
	note = child(sw, "note");
	if (!note)
		REQ(m, sw, "CSIP15", E, "%s",
		    _("the software agent has no note with its version"));
	else if (!typed)
		need_value(m, note, "NOTETYPE", CSIP_NS, "SOFTWARE VERSION", "CSIP16");
	return sw;
}

/* SIP9-31: archival creator, submitter, contact person, preservation agency. */
static void check_sip_agents(struct tthc_mets *m, xmlNodePtr hdr, xmlNodePtr sw)
{
	xmlNodePtr mistyped = NULL;
	int orgs = 0, people = 0;

	FOR_CHILDREN(a, hdr, "agent")
	{
		const char *role = attr(a, "ROLE"), *type = attr(a, "TYPE");
		int org = type && strcmp(type, "ORGANIZATION") == 0;
		int person = type && strcmp(type, "INDIVIDUAL") == 0;

		if (a == sw || !role)
			continue;
		if (strcmp(role, "ARCHIVIST") == 0) {
			if (!org && !person)
				REQ(m, a, "SIP11", E, "%s",
				    _("the archival creator agent's TYPE must be "
				      "ORGANIZATION or INDIVIDUAL"));
			need_name(m, a, "SIP12");
			check_note(m, a, "IDENTIFICATIONCODE", "SIP14");
		} else if (strcmp(role, "CREATOR") == 0 && org) {
			/* Contact persons are individuals: organisations submit. */
			if (++orgs == 2)
				REQ(m, a, "SIP15", E, "%s",
				    "metsHdr has more than one submitting agent "
				    "(ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\")");
			need_name(m, a, "SIP18");
			check_note(m, a, "IDENTIFICATIONCODE", "SIP20");
		} else if (strcmp(role, "CREATOR") == 0 && person) {
			people++;
			need_name(m, a, "SIP24");
		} else if (strcmp(role, "CREATOR") == 0 &&
		           !attr_is(a, "OTHERTYPE", "SOFTWARE")) {
			mistyped = mistyped ? mistyped : a;
		} else if (strcmp(role, "PRESERVATION") == 0) {
			need_value(m, a, "TYPE", NULL, "ORGANIZATION", "SIP28");
			need_name(m, a, "SIP29");
			check_note(m, a, "IDENTIFICATIONCODE", "SIP31");
		}
	}
	if (orgs + people > 0)
		return;
	if (mistyped)
		REQ(m, mistyped, "SIP17", E,
		    "the submitting agent has TYPE=\"%s\", not ORGANIZATION or "
		    "INDIVIDUAL",
		    attr(mistyped, "TYPE") ? attr(mistyped, "TYPE") : "");
	else
		REQ(m, hdr, "SIP15", E, "%s",
		    _("metsHdr has no submitting agent (ROLE=\"CREATOR\", TYPE "
		      "ORGANIZATION or INDIVIDUAL)"));
}

/* SIP3, SIP5, SIP7: the package status and the identifiers there may be one of. */
static void check_sip_header(struct tthc_mets *m, xmlNodePtr hdr)
{
	const char *status = attr(hdr, "RECORDSTATUS");
	int agreements = 0, codes = 0;

	if (status && !IN(status, record_statuses, 0))
		REQ(m, hdr, "SIP3", W,
		    "RECORDSTATUS \"%s\" is not in the SIP record status vocabulary",
		    status);
	FOR_CHILDREN(alt, hdr, "altRecordID")
	{
		if (attr_is(alt, "TYPE", "SUBMISSIONAGREEMENT") && ++agreements == 2)
			REQ(m, alt, "SIP5", W, "%s",
			    "more than one altRecordID TYPE=\"SUBMISSIONAGREEMENT\"");
		if (attr_is(alt, "TYPE", "REFERENCECODE") && ++codes == 2)
			REQ(m, alt, "SIP7", W, "%s",
			    "more than one altRecordID TYPE=\"REFERENCECODE\"");
	}
}

static void check_header(struct tthc_mets *m)
{
	xmlNodePtr hdr = child(m->root, "metsHdr"), sw;
	const char *pt;

	if (!hdr) {
		REQ(m, m->root, "CSIP117", E, "%s",
		    _("the METS document has no metsHdr"));
		return;
	}
	if (need(m, hdr, "CREATEDATE", NULL, "CSIP7"))
		check_date(m, hdr, "CREATEDATE", "CSIP7", E);
	check_date(m, hdr, "LASTMODDATE", "CSIP8", W);
	pt = need(m, hdr, "OAISPACKAGETYPE", CSIP_NS, "CSIP9");
	if (pt && !IN(pt, package_types, 0))
		REQ(m, hdr, "CSIP9", E,
		    "csip:OAISPACKAGETYPE \"%s\" is not one of SIP, AIP, DIP, AIU, AIC",
		    pt);
	else if (pt && !m->is_rep && m->v->used >= TTHC_PROFILE_SIP &&
	         strcmp(pt, "SIP") != 0)
		REQ(m, hdr, "SIP4", E, _("csip:OAISPACKAGETYPE is \"%s\", not \"SIP\""),
		    pt);
	sw = check_software_agent(m, hdr);
	if (!m->is_rep && m->v->used >= TTHC_PROFILE_SIP) {
		check_sip_agents(m, hdr, sw);
		check_sip_header(m, hdr);
	}
}

/* ---- metadata sections ---- */

/* How a metadata section is checked: its requirement ids (NULL: none). */
struct md_kind {
	const char *name, *id, *status, *mdref, *mdtype;
	const struct ref_ids *ids;
};

static const struct md_kind dmd_kind = { "dmdSec", "CSIP18", "CSIP20",
	                                 "CSIP21", "CSIP25", &dmd_ids };
static const struct md_kind digiprov_kind = { "digiprovMD", "CSIP33", "CSIP34",
	                                      "CSIP35",     "CSIP39", &digiprov_ids };
static const struct md_kind rights_kind = { "rightsMD", "CSIP46", "CSIP47",
	                                    "CSIP48",   "CSIP52", &rights_ids };
/* techMD and sourceMD have no CSIP requirements, but their files are listed. */
static const struct md_kind tech_kind = { "techMD", NULL,     NULL,
	                                  NULL,     "CSIP39", &digiprov_ids };
static const struct md_kind source_kind = { "sourceMD", NULL,     NULL,
	                                    NULL,       "CSIP39", &digiprov_ids };

/* Preservation metadata lie in metadata/preservation/ of the package or its METS. */
static int in_preservation(const struct tthc_mets *m, const char *rel)
{
	static const char dir[] = "metadata/preservation/";
	size_t bl = strlen(m->base);

	return strncmp(rel, dir, sizeof(dir) - 1) == 0 ||
	       (strncmp(rel, m->base, bl) == 0 &&
	        strncmp(rel + bl, dir, sizeof(dir) - 1) == 0);
}

static void check_md_section(struct tthc_mets *m, xmlNodePtr sec, const struct md_kind *k)
{
	const char *status = attr(sec, "STATUS");
	int refs = 0;

	if (k->id)
		need(m, sec, "ID", NULL, k->id);
	if (k->status && !status)
		REQ(m, sec, k->status, W, "%s has no STATUS (CURRENT or SUPERSEDED)",
		    k->name);
	else if (k->status && !IN(status, md_statuses, 0))
		REQ(m, sec, k->status, W,
		    "%s has STATUS=\"%s\", not CURRENT or SUPERSEDED", k->name, status);
	FOR_CHILDREN(ref, sec, "mdRef")
	{
		const char *rel;

		refs++;
		need(m, ref, "MDTYPE", NULL, k->mdtype);
		rel = check_ref(m, ref, ref, k->ids);
		if (rel && k == &digiprov_kind && !in_preservation(m, rel))
			REQ(m, ref, "CSIPSTR6", W,
			    "preservation metadata '%s' lie outside "
			    "metadata/preservation/",
			    rel);
	}
	if (k->mdref && refs != 1)
		REQ(m, sec, k->mdref, W, "%s has %s mdRef, where one is expected",
		    k->name, refs ? "more than one" : "no");
}

static void check_metadata(struct tthc_mets *m)
{
	int amds = 0;

	FOR_CHILDREN(dmd, m->root, "dmdSec")
	{
		if (need(m, dmd, "CREATED", NULL, "CSIP19"))
			check_date(m, dmd, "CREATED", "CSIP19", E);
		check_md_section(m, dmd, &dmd_kind);
	}
	FOR_CHILDREN(amd, m->root, "amdSec")
	{
		if (++amds == 2)
			REQ(m, amd, "CSIP31", W, "%s",
			    "more than one amdSec (all administrative metadata "
			    "belong in one)");
		FOR_CHILDREN(dp, amd, "digiprovMD")
		{
			check_md_section(m, dp, &digiprov_kind);
		}
		FOR_CHILDREN(rm, amd, "rightsMD")
		{
			check_md_section(m, rm, &rights_kind);
		}
		FOR_CHILDREN(tm, amd, "techMD")
		{
			check_md_section(m, tm, &tech_kind);
		}
		FOR_CHILDREN(sm, amd, "sourceMD")
		{
			check_md_section(m, sm, &source_kind);
		}
	}
}

/* ---- the file section ---- */

enum grp_kind { GRP_DOCUMENTATION, GRP_SCHEMAS, GRP_REPRESENTATIONS, GRP_OTHER };

/* The CSIP vocabulary's file group names, and the requirement each belongs to. */
static const struct {
	const char *use, *id;
} grp_names[] = {
	[GRP_DOCUMENTATION] = { "Documentation", "CSIP60" },
	[GRP_SCHEMAS] = { "Schemas", "CSIP113" },
	[GRP_REPRESENTATIONS] = { "Representations", "CSIP114" },
};

/* What a USE names, whatever its case (a wrong case is reported by check_use). */
static enum grp_kind grp_kind(const char *use)
{
	size_t n = strlen(grp_names[GRP_REPRESENTATIONS].use);

	if (!use)
		return GRP_OTHER;
	if (strcasecmp(use, grp_names[GRP_DOCUMENTATION].use) == 0)
		return GRP_DOCUMENTATION;
	if (strcasecmp(use, grp_names[GRP_SCHEMAS].use) == 0)
		return GRP_SCHEMAS;
	if (strncasecmp(use, grp_names[GRP_REPRESENTATIONS].use, n) == 0 &&
	    (use[n] == '\0' || use[n] == '/'))
		return GRP_REPRESENTATIONS;
	return GRP_OTHER;
}

/* CSIP60, CSIP113, CSIP114: the vocabulary's names as it spells them. */
static void check_use(struct tthc_mets *m, xmlNodePtr grp, const char *use)
{
	enum grp_kind k = grp_kind(use);
	const char *want;

	if (k == GRP_OTHER)
		return;
	want = grp_names[k].use;
	if (strncmp(use, want, strlen(want)) != 0)
		REQ(m, grp, grp_names[k].id, E,
		    "fileGrp USE=\"%s\": the CSIP vocabulary spells it \"%s\"", use,
		    want);
}

/* CSIP62, CSIP63: the content information type of a file group. */
static void check_grp_cit(struct tthc_mets *m, xmlNodePtr grp, int representation)
{
	const char *cit = csip_attr(grp, "CONTENTINFORMATIONTYPE");

	if (!cit) {
		if (representation)
			REQ(m, grp, "CSIP62", W, "%s",
			    "the file group of a representation lacks "
			    "csip:CONTENTINFORMATIONTYPE");
	} else if (!IN(cit, content_info_types, 0)) {
		REQ(m, grp, "CSIP62", W,
		    "csip:CONTENTINFORMATIONTYPE \"%s\" is not in the CSIP content "
		    "information type vocabulary",
		    cit);
	} else if (strcmp(cit, "OTHER") == 0 &&
	           !csip_attr(grp, "OTHERCONTENTINFORMATIONTYPE")) {
		REQ(m, grp, "CSIP63", W, "%s",
		    "csip:CONTENTINFORMATIONTYPE is OTHER but "
		    "csip:OTHERCONTENTINFORMATIONTYPE does not say what");
	}
}

/* CSIP64: USE names the folder of the group's files, from the METS or the package. */
static int under_use(const struct tthc_mets *m, const char *use, const char *rel)
{
	size_t bl = strlen(m->base), ul = strlen(use);

	while (ul && use[ul - 1] == '/')
		ul--;
	if (!ul)
		return 0;
	if (strncmp(rel, m->base, bl) == 0 && strncasecmp(rel + bl, use, ul) == 0 &&
	    rel[bl + ul] == '/')
		return 1;
	return strncasecmp(rel, use, ul) == 0 && rel[ul] == '/';
}

/* Returns the path of the file it lists, or NULL. */
static const char *check_file(struct tthc_mets *m, xmlNodePtr file)
{
	xmlNodePtr loc = child(file, "FLocat");

	need(m, file, "ID", NULL, "CSIP67");
	if (!loc) {
		REQ(m, file, "CSIP76", E, "%s", _("file has no FLocat"));
		return NULL;
	}
	if (next_named(loc, "FLocat"))
		REQ(m, file, "CSIP76", E, "%s", _("file has more than one FLocat"));
	return check_ref(m, loc, file, &file_ids);
}

static void check_filegrp(struct tthc_mets *m, xmlNodePtr grp)
{
	const char *use = need(m, grp, "USE", NULL, "CSIP64");
	int outside = 0;

	need(m, grp, "ID", NULL, "CSIP65");
	if (use)
		check_use(m, grp, use);
	check_grp_cit(m, grp, grp_kind(use) == GRP_REPRESENTATIONS);
	if (!child(grp, "file"))
		REQ(m, grp, "CSIP66", E, "%s", _("fileGrp lists no file"));
	FOR_CHILDREN(file, grp, "file")
	{
		const char *rel = check_file(m, file);

		if (rel && use && *use && !outside && !under_use(m, use, rel)) {
			outside = 1;
			REQ(m, file, "CSIP64", E,
			    "'%s' is not in the folder the group's USE=\"%s\" names", rel,
			    use);
		}
	}
}

static void check_filesec(struct tthc_mets *m)
{
	xmlNodePtr sec = child(m->root, "fileSec");
	int reps = 0;

	if (!sec)
		return;
	if (next_named(sec, "fileSec"))
		REQ(m, sec, "CSIP58", W, "%s", _("more than one fileSec"));
	need(m, sec, "ID", NULL, "CSIP59");
	FOR_CHILDREN(grp, sec, "fileGrp")
	{
		reps += grp_kind(attr(grp, "USE")) == GRP_REPRESENTATIONS;
		check_filegrp(m, grp);
	}
	if (!m->is_rep && reps == 0)
		REQ(m, sec, "CSIP114", E, "%s",
		    _("no fileGrp with a USE starting \"Representations\""));
}

/* ---- identifiers and the references between sections ---- */

/* Every ID of the document, sorted, to check uniqueness and references. */
struct ids {
	xmlAttrPtr *v;
	size_t n;
};

static int by_value(const void *a, const void *b)
{
	const xmlAttrPtr *x = a, *y = b;

	return strcmp((const char *)(*x)->children->content,
	              (const char *)(*y)->children->content);
}

static const char *id_req(xmlNodePtr n)
{
	static const char *const map[][2] = {
		{ "dmdSec", "CSIP18" },    { "digiprovMD", "CSIP33" },
		{ "rightsMD", "CSIP46" },  { "fileSec", "CSIP59" },
		{ "fileGrp", "CSIP65" },   { "file", "CSIP67" },
		{ "structMap", "CSIP83" }, { "div", "CSIP85" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp((const char *)n->name, map[i][0]) == 0)
			return map[i][1];
	return "CSIP67";
}

static int collect_ids(struct tthc_mets *m, struct ids *ids)
{
	size_t alloc = 0;

	for (xmlNodePtr n = m->root; n; n = tthc_next_element(n, m->root, 1)) {
		xmlAttrPtr a = xmlHasNsProp(n, (const xmlChar *)"ID", NULL);

		if (!a || !a->children || !a->children->content)
			continue;
		if (ids->n == alloc) {
			size_t na = alloc ? 2 * alloc : 64;
			xmlAttrPtr *nv = realloc(ids->v, na * sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			ids->v = nv;
			alloc = na;
		}
		ids->v[ids->n++] = a;
	}
	if (ids->n)
		qsort(ids->v, ids->n, sizeof(*ids->v), by_value);
	for (size_t i = 1; i < ids->n; i++)
		if (by_value(&ids->v[i - 1], &ids->v[i]) == 0)
			REQ(m, ids->v[i]->parent, id_req(ids->v[i]->parent), E,
			    _("ID \"%s\" is used more than once"),
			    (const char *)ids->v[i]->children->content);
	return 0;
}

static xmlNodePtr find_id(const struct ids *ids, const char *id)
{
	size_t lo = 0, hi = ids->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(id, (const char *)ids->v[mid]->children->content);

		if (c == 0)
			return ids->v[mid]->parent;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int is_amd(xmlNodePtr n)
{
	return is_mets(n, "amdSec") || is_mets(n, "digiprovMD") ||
	       is_mets(n, "rightsMD") || is_mets(n, "techMD") || is_mets(n, "sourceMD");
}

/* Every ID an ADMID (dmd = 0) or DMDID (dmd = 1) attribute names must be a section. */
static void check_idrefs(struct tthc_mets *m, const struct ids *ids, xmlNodePtr n,
                         int dmd, const char *id)
{
	const char *value = attr(n, dmd ? "DMDID" : "ADMID");
	char *copy = value ? strdup(value) : NULL;

	FOR_TOKENS(tok, copy, save)
	{
		xmlNodePtr target = find_id(ids, tok);

		if (!target || !(dmd ? is_mets(target, "dmdSec") : is_amd(target)))
			REQ(m, n, id, E, "%s \"%s\" names no %s of this METS",
			    dmd ? "DMDID" : "ADMID", tok,
			    dmd ? "dmdSec" : "administrative metadata section");
	}
	free(copy);
}

/* CSIP61, CSIP74, CSIP75: the sections file groups and files refer to. */
static void check_file_idrefs(struct tthc_mets *m, const struct ids *ids)
{
	FOR_CHILDREN(sec, m->root, "fileSec")
	FOR_CHILDREN(grp, sec, "fileGrp")
	{
		check_idrefs(m, ids, grp, 0, "CSIP61");
		FOR_CHILDREN(file, grp, "file")
		{
			check_idrefs(m, ids, file, 0, "CSIP74");
			check_idrefs(m, ids, file, 1, "CSIP75");
		}
	}
}

/* ---- the structural map ---- */

enum div_kind {
	DIV_METADATA,
	DIV_DOCUMENTATION,
	DIV_SCHEMAS,
	DIV_REPS,
	DIV_REP,
	DIV_OTHER
};

/* The divisions of the CSIP vocabulary: label, and the ids of the label, the division's
 * ID and its fptr (NULL: none). */
static const struct {
	const char *label, *spelling, *id, *fptr;
	enum grp_kind grp;
} div_names[] = {
	[DIV_METADATA] = { "Metadata", "CSIP90", "CSIP89", NULL, GRP_OTHER },
	[DIV_DOCUMENTATION] = { "Documentation", "CSIP95", "CSIP94", "CSIP116",
	                        GRP_DOCUMENTATION },
	[DIV_SCHEMAS] = { "Schemas", "CSIP99", "CSIP98", "CSIP118", GRP_SCHEMAS },
	[DIV_REPS] = { "Representations", "CSIP103", "CSIP102", "CSIP119",
	               GRP_REPRESENTATIONS },
	[DIV_REP] = { "Representations/", "CSIP107", "CSIP106", NULL,
	              GRP_REPRESENTATIONS },
};

static enum div_kind div_kind(const char *label)
{
	for (int k = DIV_METADATA; k < DIV_REP; k++)
		if (strcasecmp(label, div_names[k].label) == 0)
			return (enum div_kind)k;
	return starts_nocase(label, div_names[DIV_REP].label) ? DIV_REP : DIV_OTHER;
}

/* What the divisions of the CSIP structMap hold. */
struct divs {
	int count[DIV_OTHER + 1];
	xmlNodePtr metadata; /* the first Metadata division */
	xmlNodePtr *grps;    /* file groups a division points to */
	size_t ngrps, alloc;
};

static void divs_add_grp(struct divs *d, xmlNodePtr grp)
{
	if (d->ngrps == d->alloc) {
		size_t na = d->alloc ? 2 * d->alloc : 16;
		xmlNodePtr *nv = realloc(d->grps, na * sizeof(*nv));

		/* Without memory, a group is at worst said to be pointed to by none. */
		if (!nv)
			return;
		d->grps = nv;
		d->alloc = na;
	}
	d->grps[d->ngrps++] = grp;
}

static int by_pointer(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(const xmlNodePtr *)a);
	uintptr_t y = (uintptr_t)(*(const xmlNodePtr *)b);

	return (x > y) - (x < y);
}

/* CSIP116, CSIP118, CSIP119: a division's fptr names a file group of its kind. */
static void check_fptrs(struct tthc_mets *m, const struct ids *ids, struct divs *d,
                        xmlNodePtr div, enum div_kind k)
{
	const char *id = div_names[k].fptr;

	FOR_CHILDREN(fptr, div, "fptr")
	{
		const char *fid = need(m, fptr, "FILEID", NULL, id);
		xmlNodePtr target = fid ? find_id(ids, fid) : NULL;

		if (!fid)
			continue;
		if (!target)
			REQ(m, fptr, id, E,
			    _("FILEID \"%s\" names no element of this METS"), fid);
		else if (!is_mets(target, "fileGrp") ||
		         grp_kind(attr(target, "USE")) != div_names[k].grp)
			REQ(m, fptr, id, E,
			    "FILEID \"%s\" names no fileGrp with USE \"%s%s\"", fid,
			    grp_names[div_names[k].grp].use, k == DIV_REPS ? "..." : "");
		else
			divs_add_grp(d, target);
	}
}

/* Adds a representation METS its division points to, for verify.c to read. */
static void add_rep(struct tthc_mets *m, xmlNodePtr mptr, char *rel)
{
	char **nr = realloc(m->v->reps, (m->v->nreps + 1) * sizeof(*nr));
	struct tthc_ref ref = { .rel = rel,
		                .mets = m->file,
		                .line = line_of(mptr),
		                .size = -1,
		                .id_missing = "CSIP110",
		                .listing = 1,
		                .next = -1 };

	if (!nr || !(nr[m->v->nreps] = strdup(rel))) {
		if (nr)
			m->v->reps = nr;
		free(rel);
		return;
	}
	m->v->reps = nr;
	m->v->nreps++;
	if (tthc_verify_add_ref(m->v, &ref) < 0)
		free(rel);
}

/* CSIP107, CSIP108: the file group an mptr names is the division's. */
static void check_mptr_title(struct tthc_mets *m, const struct ids *ids, struct divs *d,
                             xmlNodePtr mptr, const char *label)
{
	const char *title = need(m, mptr, "title", XLINK_NS, "CSIP108");
	xmlNodePtr grp = title ? find_id(ids, title) : NULL;
	const char *use;

	if (!title)
		return;
	if (!grp) {
		REQ(m, mptr, "CSIP108", E, _("xlink:title \"%s\" names no fileGrp"),
		    title);
		return;
	}
	if (!is_mets(grp, "fileGrp")) {
		REQ(m, mptr, "CSIP108", E, "xlink:title \"%s\" names a %s, not a fileGrp",
		    title, (const char *)grp->name);
		return;
	}
	divs_add_grp(d, grp);
	use = attr(grp, "USE");
	if (use && strcmp(use, label) != 0)
		REQ(m, mptr, "CSIP107", E,
		    "division LABEL \"%s\" differs from the USE \"%s\" of the "
		    "fileGrp its mptr names",
		    label, use);
}

/* CSIP105-112: a representation's division and its METS pointer. */
static void check_rep_div(struct tthc_mets *m, const struct ids *ids, struct divs *d,
                          xmlNodePtr div, const char *label)
{
	xmlNodePtr mptr = child(div, "mptr");
	const char *href, *slash;
	char *rel;

	if (!mptr) {
		REQ(m, div, "CSIP109", E, "%s",
		    _("the representation's division has no mptr to its METS"));
		return;
	}
	if (next_named(mptr, "mptr"))
		REQ(m, div, "CSIP109", E, "%s",
		    "the representation's division has more than one mptr");
	need_value(m, mptr, "LOCTYPE", NULL, "URL", "CSIP112");
	need_value(m, mptr, "type", XLINK_NS, "simple", "CSIP111");
	check_mptr_title(m, ids, d, mptr, label);
	href = need(m, mptr, "href", XLINK_NS, "CSIP110");
	if (!href)
		return;
	rel = tthc_verify_resolve(m->base, href);
	if (!rel) {
		REQ(m, mptr, "CSIP110", E,
		    _("xlink:href \"%s\" is not a relative path inside the package"),
		    href);
		return;
	}
	/* The label is "Representations/" and the folder of the representation METS. */
	slash = strrchr(rel, '/');
	if (!slash || strlen(label) != (size_t)(slash - rel) ||
	    strncasecmp(label, rel, (size_t)(slash - rel)) != 0)
		REQ(m, div, "CSIP107", E,
		    "division LABEL \"%s\" does not name the folder of the METS its mptr "
		    "points to, '%s'",
		    label, rel);
	add_rep(m, mptr, rel);
}

static void check_division(struct tthc_mets *m, const struct ids *ids, struct divs *d,
                           xmlNodePtr div)
{
	const char *label = attr(div, "LABEL");
	enum div_kind k;

	if (!label) {
		REQ(m, div, "CSIP107", E, "%s", _("division without LABEL"));
		return;
	}
	k = div_kind(label);
	d->count[k]++;
	if (k != DIV_OTHER) {
		const char *want = div_names[k].label;

		if (strncmp(label, want, strlen(want)) != 0)
			REQ(m, div, div_names[k].spelling, E,
			    "division LABEL \"%s\": the CSIP vocabulary spells it \"%s\"",
			    label, want);
	}
	need(m, div, "ID", NULL, k == DIV_OTHER ? "CSIP106" : div_names[k].id);
	if (k == DIV_METADATA && !d->metadata)
		d->metadata = div;
	else if (k != DIV_OTHER && div_names[k].fptr)
		check_fptrs(m, ids, d, div, k);
	else if (k == DIV_REP && !m->is_rep)
		check_rep_div(m, ids, d, div, label);
	else if (k == DIV_OTHER && !m->is_rep)
		REQ(m, div, "CSIP107", E,
		    _("division LABEL \"%s\" is not \"Representations/\" and the "
		      "representation's folder"),
		    label);
}

/* CSIP91, CSIP92: the Metadata division names every current metadata section. */
static void check_metadata_div(struct tthc_mets *m, const struct ids *ids, xmlNodePtr div)
{
	struct named_set dmd = { 0 }, amd = { 0 };
	int r = 0;

	check_idrefs(m, ids, div, 0, "CSIP91");
	check_idrefs(m, ids, div, 1, "CSIP92");
	FOR_CHILDREN(sec, m->root, "dmdSec")
	{
		r |= named_add(&dmd, sec);
	}
	/* An amdSec named stands for the sections in it. */
	FOR_CHILDREN(a, m->root, "amdSec")
	{
		r |= named_add(&amd, a);
		for (xmlNodePtr sec = a->children; sec; sec = sec->next)
			if (is_amd(sec))
				r |= named_add(&amd, sec);
	}
	if (r || named_hit(&dmd, attr(div, "DMDID")) < 0 ||
	    named_hit(&amd, attr(div, "ADMID")) < 0)
		goto out;
	for (size_t i = 0; i < dmd.n; i++)
		if (!dmd.v[i].hit && attr_is(dmd.v[i].node, "STATUS", "CURRENT"))
			REQ(m, div, "CSIP92", W,
			    "the Metadata division's DMDID does not name the current "
			    "dmdSec \"%s\"",
			    dmd.v[i].id);
	for (size_t i = 0; i < amd.n; i++) {
		const struct named *parent;
		xmlNodePtr sec = amd.v[i].node;

		if (amd.v[i].hit || !attr_is(sec, "STATUS", "CURRENT"))
			continue;
		parent = named_find(&amd, attr(sec->parent, "ID"));
		if (!parent || !parent->hit)
			REQ(m, div, "CSIP91", W,
			    "the Metadata division's ADMID does not name the current %s "
			    "\"%s\"",
			    (const char *)sec->name, amd.v[i].id);
	}
out:
	free(dmd.v);
	free(amd.v);
}

/* CSIP93, CSIP96, CSIP97, CSIP100, CSIP104, CSIP105: the file groups the divisions
 * should point to. */
static void check_grps_pointed(struct tthc_mets *m, struct divs *d)
{
	static const struct {
		enum div_kind div;
		const char *none, *unref;
	} want[] = {
		[GRP_DOCUMENTATION] = { DIV_DOCUMENTATION, "CSIP93", "CSIP96" },
		[GRP_SCHEMAS] = { DIV_SCHEMAS, "CSIP97", "CSIP100" },
		[GRP_REPRESENTATIONS] = { DIV_REPS, "CSIP105", "CSIP104" },
	};

	if (d->ngrps)
		qsort(d->grps, d->ngrps, sizeof(*d->grps), by_pointer);
	FOR_CHILDREN(sec, m->root, "fileSec")
	FOR_CHILDREN(grp, sec, "fileGrp")
	{
		enum grp_kind g = grp_kind(attr(grp, "USE"));
		const char *id;

		if (g == GRP_OTHER || (d->ngrps && bsearch(&grp, d->grps, d->ngrps,
		                                           sizeof(*d->grps), by_pointer)))
			continue;
		id = d->count[want[g].div] ? want[g].unref : want[g].none;
		REQ(m, grp, id, W,
		    "no division of the CSIP structMap points to the fileGrp \"%s\" (USE "
		    "\"%s\")",
		    attr(grp, "ID") ? attr(grp, "ID") : "", attr(grp, "USE"));
	}
}

static void check_divisions(struct tthc_mets *m, const struct ids *ids, xmlNodePtr top)
{
	struct divs d;

	memset(&d, 0, sizeof(d));
	FOR_CHILDREN(div, top, "div")
	{
		check_division(m, ids, &d, div);
	}
	if (!d.metadata && (child(m->root, "dmdSec") || child(m->root, "amdSec")))
		REQ(m, top, "CSIP88", E, "%s",
		    _("the CSIP structMap has no division LABEL=\"Metadata\""));
	/* At most one division of each kind: a MUST for Metadata, SHOULDs for the rest.
	 */
	static const struct {
		enum div_kind kind;
		const char *id;
		enum tthc_severity sev;
	} once[] = { { DIV_METADATA, "CSIP88", E },
		     { DIV_DOCUMENTATION, "CSIP93", W },
		     { DIV_SCHEMAS, "CSIP97", W },
		     { DIV_REPS, "CSIP101", W } };
	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (d.count[once[i].kind] > 1)
			REQ(m, top, once[i].id, once[i].sev,
			    "the CSIP structMap has more than one %s division",
			    div_names[once[i].kind].label);
	if (d.metadata)
		check_metadata_div(m, ids, d.metadata);
	check_grps_pointed(m, &d);
	free(d.grps);
}

static void check_structmap(struct tthc_mets *m, const struct ids *ids)
{
	xmlNodePtr csip = NULL, top;

	if (!child(m->root, "structMap")) {
		REQ(m, m->root, "CSIP80", E, "%s",
		    _("the METS document has no structMap"));
		return;
	}
	FOR_CHILDREN(sm, m->root, "structMap")
	{
		if (!attr_is(sm, "LABEL", "CSIP"))
			continue;
		if (csip) {
			REQ(m, sm, "CSIP82", E, "%s",
			    "more than one structMap has LABEL=\"CSIP\"");
			break;
		}
		csip = sm;
	}
	if (!csip) {
		REQ(m, m->root, "CSIP82", E, "%s", _("no structMap has LABEL=\"CSIP\""));
		return;
	}
	need_value(m, csip, "TYPE", NULL, "PHYSICAL", "CSIP81");
	need(m, csip, "ID", NULL, "CSIP83");
	top = child(csip, "div");
	if (!top || next_named(top, "div")) {
		REQ(m, csip, "CSIP84", E, "%s",
		    _("the CSIP structMap must hold exactly one division"));
		if (!top)
			return;
	}
	need(m, top, "ID", NULL, "CSIP85");
	check_divisions(m, ids, top);
}

/* ---- the folders: what they hold and what lists it ---- */

/* The range [lo, hi) of package entries under folder (a path ending in '/'). */
static void entries_under(struct tthc_pkg *p, const char *folder, size_t *lo, size_t *hi)
{
	size_t a = 0, b = p->n, len;
	char *key;

	*lo = *hi = 0;
	if (!p->root || asprintf(&key, "%s/%s", p->root, folder) < 0)
		return;
	len = strlen(key);
	while (a < b) {
		size_t mid = (a + b) / 2;

		if (strcmp(p->e[mid].name, key) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < p->n && strncmp(p->e[a].name, key, len) == 0)
		a++;
	*hi = a;
	free(key);
}

static int is_dir(struct tthc_pkg *p, const char *rel)
{
	struct tthc_pkg_entry *e = tthc_pkg_find(p, rel);

	return e && e->is_dir;
}

/* Reports each file under the METS's folder/ that listed does not hold. */
static void need_listed(struct tthc_mets *m, const char *folder,
                        const struct paths *listed, const char *id,
                        enum tthc_severity sev, const char *what)
{
	struct tthc_pkg *p = &m->v->pkg;
	size_t lo, hi;
	char *prefix;

	if (asprintf(&prefix, "%s%s/", m->base, folder) < 0)
		return;
	entries_under(p, prefix, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		if (!p->e[i].is_dir && !paths_has(listed, p->e[i].rel))
			REQ(m, m->root, id, sev, "'%s' lies in %s but %s", p->e[i].rel,
			    prefix, what);
	free(prefix);
}

/* The files the file groups of one kind list. */
static int grp_paths(struct tthc_mets *m, enum grp_kind kind, struct paths *out)
{
	FOR_CHILDREN(sec, m->root, "fileSec")
	FOR_CHILDREN(grp, sec, "fileGrp")
	{
		if (grp_kind(attr(grp, "USE")) != kind)
			continue;
		FOR_CHILDREN(file, grp, "file")
		{
			const char *href =
			    attr_ns(child(file, "FLocat"), "href", XLINK_NS);
			char *rel = href ? tthc_verify_resolve(m->base, href) : NULL;
			int r = rel ? paths_add(out, rel) : 0;

			free(rel);
			if (r < 0)
				return r;
		}
	}
	paths_sort(out);
	return 0;
}

/* The files the mdRefs of one kind in this METS (its references from first on) list. */
static int ref_paths(struct tthc_mets *m, size_t first, const struct ref_ids *kind,
                     struct paths *out)
{
	for (size_t i = first; i < m->v->nrefs; i++)
		if (m->v->refs[i].id_missing == kind->href &&
		    paths_add(out, m->v->refs[i].rel) < 0)
			return -ENOMEM;
	paths_sort(out);
	return 0;
}

/*
 * CSIP17, CSIP32, CSIP60, CSIP113: the files in the folders beside a METS are listed by
 * that METS (the package's metadata by the package METS, a representation's by its own),
 * each by the kind of section or group its folder is for.
 */
static void check_listings(struct tthc_mets *m, size_t first_ref)
{
	struct paths doc = { 0 }, xsd = { 0 }, dmd = { 0 }, prov = { 0 };

	if (grp_paths(m, GRP_DOCUMENTATION, &doc) == 0)
		need_listed(m, "documentation", &doc, "CSIP60", E,
		            "no fileGrp USE=\"Documentation\" lists it");
	if (grp_paths(m, GRP_SCHEMAS, &xsd) == 0)
		need_listed(m, "schemas", &xsd, "CSIP113", E,
		            "no fileGrp USE=\"Schemas\" lists it");
	if (ref_paths(m, first_ref, &dmd_ids, &dmd) == 0)
		need_listed(m, "metadata/descriptive", &dmd, "CSIP17", W,
		            "no dmdSec refers to it");
	if (ref_paths(m, first_ref, &digiprov_ids, &prov) == 0)
		need_listed(m, "metadata/preservation", &prov, "CSIP32", W,
		            "no digiprovMD refers to it");
	paths_free(&doc);
	paths_free(&xsd);
	paths_free(&dmd);
	paths_free(&prov);
}

/* CSIPSTR10-12, CSIP105: one folder of representations/. */
static void check_rep_folder(struct tthc_mets *m, const char *rel,
                             const struct paths *reps)
{
	struct tthc_verifier *v = m->v;
	struct tthc_pkg_entry *mets;
	char *data, *path;

	if (asprintf(&data, "%s/data", rel) < 0)
		return;
	if (asprintf(&path, "%s/METS.xml", rel) < 0) {
		free(data);
		return;
	}
	if (!is_dir(&v->pkg, data))
		tthc_verify_report(v, "CSIPSTR11", W, v->pkg.display, 0,
		                   "the representation folder %s/%s has no data folder",
		                   v->pkg.root, rel);
	mets = tthc_pkg_find(&v->pkg, path);
	/* A METS a division points to but that is missing is reported as an error. */
	if ((!mets || mets->is_dir) && !paths_has(reps, path))
		tthc_verify_report(v, "CSIPSTR12", W, v->pkg.display, 0,
		                   "the representation folder %s/%s has no METS.xml",
		                   v->pkg.root, rel);
	else if (mets && !mets->is_dir && !paths_has(reps, path))
		REQ(m, m->root, "CSIP105", W,
		    "no division of the CSIP structMap points to the representation METS "
		    "'%s'",
		    path);
	free(data);
	free(path);
}

/* CSIPSTR5, CSIPSTR9-12: the folders of the package (the root METS's turn). */
static void check_folders(struct tthc_mets *m)
{
	static const char reps_dir[] = "representations/";
	struct tthc_verifier *v = m->v;
	struct tthc_pkg *p = &v->pkg;
	struct paths reps = { 0 };
	size_t lo, hi, folders = 0;

	if (!is_dir(p, "metadata"))
		tthc_verify_report(v, "CSIPSTR5", W, p->display, 0,
		                   "the package %s has no metadata folder", p->root);
	if (!is_dir(p, "representations")) {
		tthc_verify_report(v, "CSIPSTR9", W, p->display, 0,
		                   "the package %s has no representations folder",
		                   p->root);
		return;
	}
	for (size_t i = 0; i < v->nreps; i++)
		if (paths_add(&reps, v->reps[i]) < 0)
			goto out;
	paths_sort(&reps);
	entries_under(p, reps_dir, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		struct tthc_pkg_entry *e = &p->e[i];

		if (strchr(e->rel + sizeof(reps_dir) - 1, '/'))
			continue;
		if (!e->is_dir) {
			tthc_verify_report(v, "CSIPSTR10", W,
			                   tthc_verify_name(v, e->name), 0, "%s",
			                   "a file in representations/, outside any "
			                   "representation's folder");
			continue;
		}
		folders++;
		check_rep_folder(m, e->rel, &reps);
	}
	if (!folders)
		tthc_verify_report(v, "CSIPSTR10", W, p->display, 0,
		                   "%s/representations holds no representation folder",
		                   p->root);
out:
	paths_free(&reps);
}

void tthc_mets_check(struct tthc_mets *m)
{
	struct ids ids = { 0 };
	size_t first_ref = m->v->nrefs;

	m->root = xmlDocGetRootElement(m->doc);
	if (!is_mets(m->root, "mets")) {
		REQ(m, m->root, m->is_rep ? "CSIPSTR12" : "CSIPSTR4", E, "%s",
		    _("the root element is not mets in the METS namespace"));
		return;
	}
	check_root(m);
	check_header(m);
	check_metadata(m);
	check_filesec(m);
	if (collect_ids(m, &ids) == 0) {
		check_file_idrefs(m, &ids);
		check_structmap(m, &ids);
	}
	free(ids.v);
	if (!child(m->root, "fileSec") && !m->is_rep) {
		size_t lo, hi;

		/* Without a fileSec only metadata may travel (CSIP58). */
		entries_under(&m->v->pkg, "representations/", &lo, &hi);
		for (size_t i = lo; i < hi; i++)
			if (!m->v->pkg.e[i].is_dir) {
				REQ(m, m->root, "CSIP114", E,
				    "the METS has no fileSec but the package has "
				    "representations: '%s'",
				    m->v->pkg.e[i].rel);
				break;
			}
	}
	check_listings(m, first_ref);
	if (!m->is_rep)
		check_folders(m);
}
