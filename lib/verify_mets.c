/* SPDX-License-Identifier: MIT */
/* The CSIP and SIP requirements on a METS document, each finding named by its id. */
#include "config.h"

#include <errno.h>
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

static unsigned long line_of(xmlNodePtr node)
{
	long line = node ? xmlGetLineNo(node) : 0;

	return line > 0 ? (unsigned long)line : 0;
}

/* Reports requirement id about node of m's document; fmt is an English msgid. */
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

/*
 * Checks a reference element's attributes and records the file it names, with the
 * size and checksum it must have (loc_node holds LOCTYPE and the xlink attributes,
 * file_node the size and checksum: they differ for a file and its FLocat).
 */
static void check_ref(struct tthc_mets *m, xmlNodePtr loc_node, xmlNodePtr file_node,
                      const struct ref_ids *ids)
{
	struct tthc_ref ref = { .size = -1, .next = -1, .listing = 1, .mets = m->file };
	const char *href;
	char *rel;

	need_value(m, loc_node, "LOCTYPE", NULL, "URL", ids->loctype);
	need_value(m, loc_node, "type", XLINK_NS, "simple", ids->xtype);
	href = need(m, loc_node, "href", XLINK_NS, ids->href);
	if (file_node) {
		const char *size;

		need(m, file_node, "MIMETYPE", NULL, ids->mimetype);
		need(m, file_node, "CREATED", NULL, ids->created);
		size = need(m, file_node, "SIZE", NULL, ids->size);
		if (size && parse_size(size, &ref.size) < 0)
			REQ(m, file_node, ids->size, E, _("SIZE \"%s\" is not a number"),
			    size);
		add_checksum(m, file_node, &ref, ids);
	}
	if (!href)
		return;
	rel = tthc_verify_resolve(m->base, href);
	if (!rel) {
		REQ(m, loc_node, ids->href, E,
		    _("xlink:href \"%s\" is not a relative path inside the package"),
		    href);
		return;
	}
	ref.rel = rel;
	ref.line = line_of(loc_node);
	ref.id_missing = ids->href;
	ref.id_size = ids->size;
	ref.id_sum = ids->sum;
	if (tthc_verify_add_ref(m->v, &ref) < 0)
		free(rel);
}

static const struct ref_ids dmd_ids = { "CSIP22", "CSIP23", "CSIP24", "CSIP26",
	                                "CSIP27", "CSIP28", "CSIP29", "CSIP30" };
static const struct ref_ids digiprov_ids = { "CSIP36", "CSIP37", "CSIP38", "CSIP40",
	                                     "CSIP41", "CSIP42", "CSIP43", "CSIP44" };
static const struct ref_ids rights_ids = { "CSIP49", "CSIP50", "CSIP51", "CSIP53",
	                                   "CSIP54", "CSIP55", "CSIP56", "CSIP57" };
static const struct ref_ids file_ids = { "CSIP77", "CSIP78", "CSIP79", "CSIP68",
	                                 "CSIP69", "CSIP70", "CSIP71", "CSIP72" };

static void check_mdref(struct tthc_mets *m, xmlNodePtr sec, const struct ref_ids *ids,
                        const char *mdtype_id)
{
	FOR_CHILDREN(ref, sec, "mdRef")
	{
		need(m, ref, "MDTYPE", NULL, mdtype_id);
		check_ref(m, ref, ref, ids);
	}
}

/* ---- the root element and the header ---- */

static void check_root(struct tthc_mets *m)
{
	xmlNodePtr r = m->root;
	const char *objid = need(m, r, "OBJID", NULL, "CSIP1");
	const char *type = need(m, r, "TYPE", NULL, "CSIP2");
	const char *profile = need(m, r, "PROFILE", NULL, "CSIP6");

	if (objid && !m->is_rep && strcmp(objid, m->folder) != 0)
		REQ(m, r, "CSIPSTR2", E,
		    _("OBJID \"%s\" is not the name of the package's root folder \"%s\""),
		    objid, m->folder);
	if (type && strcasecmp(type, "OTHER") == 0 && !csip_attr(r, "OTHERTYPE"))
		REQ(m, r, "CSIP3", W, "%s",
		    _("TYPE is OTHER but csip:OTHERTYPE does not say what"));
	if (m->is_rep && !csip_attr(r, "CONTENTINFORMATIONTYPE"))
		REQ(m, r, "CSIP4", W, "%s",
		    _("a representation METS lacks csip:CONTENTINFORMATIONTYPE"));
	if (profile && !m->is_rep && m->v->used >= TTHC_PROFILE_SIP &&
	    strncmp(profile, SIP_PROFILE_PREFIX, strlen(SIP_PROFILE_PREFIX)) != 0)
		REQ(m, r, "SIP2", E, _("PROFILE \"%s\" is not the E-ARK SIP profile"),
		    profile);
}

static int agent_is(xmlNodePtr a, const char *role, const char *type)
{
	const char *r = attr(a, "ROLE"), *t = attr(a, "TYPE");

	return r && strcmp(r, role) == 0 && (!type || (t && strcmp(t, type) == 0));
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

/* CSIP10-16: the software that made the package. */
static void check_software_agent(struct tthc_mets *m, xmlNodePtr hdr)
{
	xmlNodePtr sw = NULL, note;

	FOR_CHILDREN(a, hdr, "agent")
	{
		const char *ot = attr(a, "OTHERTYPE");

		if (ot && strcmp(ot, "SOFTWARE") == 0) {
			sw = a;
			break;
		}
	}
	if (!sw) {
		REQ(m, hdr, "CSIP10", E, "%s",
		    _("metsHdr has no agent with OTHERTYPE=\"SOFTWARE\" naming the "
		      "software "
		      "that made the package"));
		return;
	}
	need_value(m, sw, "ROLE", NULL, "CREATOR", "CSIP11");
	need_value(m, sw, "TYPE", NULL, "OTHER", "CSIP12");
	need_name(m, sw, "CSIP14");
	note = child(sw, "note");
	if (!note)
		REQ(m, sw, "CSIP15", E, "%s",
		    _("the software agent has no note with its version"));
	else
		need_value(m, note, "NOTETYPE", CSIP_NS, "SOFTWARE VERSION", "CSIP16");
}

/* SIP9-31: archival creator, submitter, contact person, preservation agency. */
static void check_sip_agents(struct tthc_mets *m, xmlNodePtr hdr)
{
	int submitter = 0;

	FOR_CHILDREN(a, hdr, "agent")
	{
		const char *type = attr(a, "TYPE");
		int person_or_org = type && (strcmp(type, "ORGANIZATION") == 0 ||
		                             strcmp(type, "INDIVIDUAL") == 0);

		if (agent_is(a, "ARCHIVIST", NULL)) {
			if (!person_or_org)
				REQ(m, a, "SIP11", E, "%s",
				    _("the archival creator agent's TYPE must be "
				      "ORGANIZATION or INDIVIDUAL"));
			need_name(m, a, "SIP12");
			check_note(m, a, "IDENTIFICATIONCODE", "SIP14");
		} else if (agent_is(a, "CREATOR", "ORGANIZATION") ||
		           agent_is(a, "CREATOR", "INDIVIDUAL")) {
			submitter = 1;
			need_name(m, a,
			          strcmp(type, "INDIVIDUAL") == 0 ? "SIP24" : "SIP18");
			if (strcmp(type, "ORGANIZATION") == 0)
				check_note(m, a, "IDENTIFICATIONCODE", "SIP20");
		} else if (agent_is(a, "PRESERVATION", NULL)) {
			need_value(m, a, "TYPE", NULL, "ORGANIZATION", "SIP28");
			need_name(m, a, "SIP29");
			check_note(m, a, "IDENTIFICATIONCODE", "SIP31");
		}
	}
	if (!submitter)
		REQ(m, hdr, "SIP15", E, "%s",
		    _("metsHdr has no submitting agent (ROLE=\"CREATOR\", TYPE "
		      "ORGANIZATION or INDIVIDUAL)"));
}

static void check_header(struct tthc_mets *m)
{
	xmlNodePtr hdr = child(m->root, "metsHdr");
	const char *pt;

	if (!hdr) {
		REQ(m, m->root, "CSIP117", E, "%s",
		    _("the METS document has no metsHdr"));
		return;
	}
	need(m, hdr, "CREATEDATE", NULL, "CSIP7");
	pt = need(m, hdr, "OAISPACKAGETYPE", CSIP_NS, "CSIP9");
	if (pt && !m->is_rep && m->v->used >= TTHC_PROFILE_SIP && strcmp(pt, "SIP") != 0)
		REQ(m, hdr, "SIP4", E, _("csip:OAISPACKAGETYPE is \"%s\", not \"SIP\""),
		    pt);
	check_software_agent(m, hdr);
	if (!m->is_rep && m->v->used >= TTHC_PROFILE_SIP)
		check_sip_agents(m, hdr);
}

/* ---- metadata sections ---- */

static void check_metadata(struct tthc_mets *m)
{
	FOR_CHILDREN(dmd, m->root, "dmdSec")
	{
		need(m, dmd, "ID", NULL, "CSIP18");
		need(m, dmd, "CREATED", NULL, "CSIP19");
		check_mdref(m, dmd, &dmd_ids, "CSIP25");
	}
	FOR_CHILDREN(amd, m->root, "amdSec")
	{
		FOR_CHILDREN(dp, amd, "digiprovMD")
		{
			need(m, dp, "ID", NULL, "CSIP33");
			check_mdref(m, dp, &digiprov_ids, "CSIP39");
		}
		FOR_CHILDREN(rm, amd, "rightsMD")
		{
			need(m, rm, "ID", NULL, "CSIP46");
			check_mdref(m, rm, &rights_ids, "CSIP52");
		}
		/* techMD and sourceMD have no CSIP requirements, but their files are
		 * listed. */
		FOR_CHILDREN(tm, amd, "techMD")
		check_mdref(m, tm, &digiprov_ids, "CSIP39");
		FOR_CHILDREN(sm, amd, "sourceMD")
		check_mdref(m, sm, &digiprov_ids, "CSIP39");
	}
}

/* ---- the file section ---- */

static void check_file(struct tthc_mets *m, xmlNodePtr file)
{
	xmlNodePtr loc = child(file, "FLocat");

	need(m, file, "ID", NULL, "CSIP67");
	if (!loc) {
		REQ(m, file, "CSIP76", E, "%s", _("file has no FLocat"));
		return;
	}
	if (next_named(loc, "FLocat"))
		REQ(m, file, "CSIP76", E, "%s", _("file has more than one FLocat"));
	check_ref(m, loc, file, &file_ids);
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
		const char *use = need(m, grp, "USE", NULL, "CSIP64");

		need(m, grp, "ID", NULL, "CSIP65");
		if (use && strncmp(use, "Representations", 15) == 0)
			reps++;
		if (!child(grp, "file"))
			REQ(m, grp, "CSIP66", E, "%s", _("fileGrp lists no file"));
		FOR_CHILDREN(file, grp, "file")
		check_file(m, file);
	}
	if (!m->is_rep && reps == 0)
		REQ(m, sec, "CSIP114", E, "%s",
		    _("no fileGrp with a USE starting \"Representations\""));
}

/* ---- the structural map ---- */

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

static void check_fptrs(struct tthc_mets *m, const struct ids *ids, xmlNodePtr div,
                        const char *id)
{
	FOR_CHILDREN(fptr, div, "fptr")
	{
		const char *fid = need(m, fptr, "FILEID", NULL, id);

		if (fid && !find_id(ids, fid))
			REQ(m, fptr, id, E,
			    _("FILEID \"%s\" names no element of this METS"), fid);
	}
}

/* CSIP105-112: a representation's division and its METS pointer. */
static void check_rep_div(struct tthc_mets *m, const struct ids *ids, xmlNodePtr div,
                          const char *label)
{
	xmlNodePtr mptr = child(div, "mptr");
	const char *title, *href;
	char *rel;

	if (strncmp(label, "Representations/", 16) != 0) {
		REQ(m, div, "CSIP107", E,
		    _("division LABEL \"%s\" is not \"Representations/\" and the "
		      "representation's folder"),
		    label);
		return;
	}
	if (!mptr) {
		REQ(m, div, "CSIP109", E, "%s",
		    _("the representation's division has no mptr to its METS"));
		return;
	}
	need_value(m, mptr, "LOCTYPE", NULL, "URL", "CSIP112");
	need_value(m, mptr, "type", XLINK_NS, "simple", "CSIP111");
	title = need(m, mptr, "title", XLINK_NS, "CSIP108");
	if (title && !find_id(ids, title))
		REQ(m, mptr, "CSIP108", E, _("xlink:title \"%s\" names no fileGrp"),
		    title);
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
}

static void check_divisions(struct tthc_mets *m, const struct ids *ids, xmlNodePtr top)
{
	int metadata = 0;

	FOR_CHILDREN(div, top, "div")
	{
		const char *label = attr(div, "LABEL");

		if (!label) {
			REQ(m, div, "CSIP107", E, "%s", _("division without LABEL"));
			continue;
		}
		if (strcmp(label, "Metadata") == 0) {
			metadata = 1;
			need(m, div, "ID", NULL, "CSIP89");
		} else if (strcmp(label, "Documentation") == 0) {
			need(m, div, "ID", NULL, "CSIP94");
			check_fptrs(m, ids, div, "CSIP116");
		} else if (strcmp(label, "Schemas") == 0) {
			need(m, div, "ID", NULL, "CSIP98");
			check_fptrs(m, ids, div, "CSIP118");
		} else if (strcmp(label, "Representations") == 0) {
			need(m, div, "ID", NULL, "CSIP102");
			check_fptrs(m, ids, div, "CSIP119");
		} else {
			need(m, div, "ID", NULL, "CSIP106");
			if (!m->is_rep)
				check_rep_div(m, ids, div, label);
		}
	}
	if (!metadata && (child(m->root, "dmdSec") || child(m->root, "amdSec")))
		REQ(m, top, "CSIP88", E, "%s",
		    _("the CSIP structMap has no division LABEL=\"Metadata\""));
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
		const char *label = attr(sm, "LABEL");

		if (label && strcmp(label, "CSIP") == 0) {
			csip = sm;
			break;
		}
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

void tthc_mets_check(struct tthc_mets *m)
{
	struct ids ids = { 0 };

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
	if (collect_ids(m, &ids) == 0)
		check_structmap(m, &ids);
	free(ids.v);
}
