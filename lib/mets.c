/* SPDX-License-Identifier: MIT */
/* The generated files of a bundle: both METS documents, PREMIS and the portal JSON. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_int.h"

#define SIP_PROFILE "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"
#define CSIP_PROFILE "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
/*
 * mets/@TYPE: no content category fits a dossier, so the vocabulary's "Other" (CSIP2's
 * text spells it OTHER, but the vocabulary holds the legal values, and validators that
 * follow it compare exactly), with csip:OTHERTYPE; csip:OTHERCONTENTINFORMATIONTYPE
 * likewise names what the content information type vocabulary does not.
 */
#define CONTENT_CATEGORY "Other"
#define CONTENT_TYPE "TTHC"
#define CONTENT_INFO_TYPE "TTHC-HOSO"

const char *const tthc_bundle_part_path[TTHC_PART_COUNT] = {
	[TTHC_PART_HOSO] = "metadata/descriptive/hoso.xml",
	[TTHC_PART_PORTAL] = "metadata/other/portal.json",
	[TTHC_PART_REPMETS] = "representations/rep1/METS.xml",
	[TTHC_PART_PREMIS] = "metadata/preservation/premis.xml",
	[TTHC_PART_METS] = "METS.xml",
};

/* A text being written: the first failure sticks and is returned at the end. */
struct out {
	struct tthc_buf *buf;
	int err;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (!o->err)
		o->err = tthc_buf_add(o->buf, s, n);
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void printf_(struct out *o, const char *fmt, ...) TTHC_PRINTF(2, 3);
static void printf_(struct out *o, const char *fmt, ...)
{
	char *tmp;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (!o->err)
			o->err = -ENOMEM;
		return;
	}
	put(o, tmp, (size_t)n);
	free(tmp);
}

/* Text or attribute value: markup and control characters escaped (a tab, a newline
 * in an attribute would be normalised away by a reader). */
static void xml(struct out *o, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&':
			puts_(o, "&amp;");
			break;
		case '<':
			puts_(o, "&lt;");
			break;
		case '>':
			puts_(o, "&gt;");
			break;
		case '"':
			puts_(o, "&quot;");
			break;
		default:
			if (c < 0x20)
				printf_(o, "&#%u;", c);
			else
				put(o, s, 1);
		}
	}
}

static void json(struct out *o, const char *s)
{
	puts_(o, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			put(o, "\\", 1);
			put(o, s, 1);
		} else if (c < 0x20) {
			printf_(o, "\\u%04x", c);
		} else {
			put(o, s, 1);
		}
	}
	puts_(o, "\"");
}

/* An href: our names are plain ASCII, but anything else is percent-encoded all the
 * same, so that the reference stays a URL whatever the dossier held. */
static void href(struct out *o, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~/", c))
			put(o, s, 1);
		else
			printf_(o, "%%%02X", c);
	}
}

static void upper_hex(char *dst, const char *hex)
{
	size_t i;

	for (i = 0; hex[i]; i++)
		dst[i] = (char)toupper((unsigned char)hex[i]);
	dst[i] = '\0';
}

/* SIZE, CREATED, CHECKSUM and CHECKSUMTYPE, shared by file and mdRef. */
static void file_attrs(struct out *o, const struct tthc_bundle *b, const char *mime,
                       unsigned long long size, const char *sha256)
{
	char up[65];

	upper_hex(up, sha256);
	puts_(o, " MIMETYPE=\"");
	xml(o, mime);
	printf_(
	    o, "\" SIZE=\"%llu\" CREATED=\"%s\" CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\"",
	    size, b->created, up);
}

static void md_ref(struct out *o, const struct tthc_bundle *b, enum tthc_bundle_part part,
                   const char *mdtype, const char *mime, const char *indent)
{
	const struct tthc_bundle_text *t = &b->parts[part];

	puts_(o, indent);
	puts_(o, "<mets:mdRef LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"");
	href(o, tthc_bundle_part_path[part]);
	printf_(o, "\" %s", mdtype);
	file_attrs(o, b, mime, t->buf.n, t->sha256);
	puts_(o, "/>\n");
}

/* The root element and metsHdr, with the software agent every CSIP METS names. */
static void mets_head(struct out *o, const struct tthc_bundle *b, const char *objid,
                      const char *profile, int root)
{
	puts_(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	         "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\""
	         " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
	         " xmlns:csip=\"https://DILCIS.eu/XML/METS/CSIPExtensionMETS\""
	         " xmlns:sip=\"https://DILCIS.eu/XML/METS/SIPExtensionMETS\"\n"
	         "    OBJID=\"");
	xml(o, objid);
	puts_(o, "\" LABEL=\"");
	xml(o, b->meta.mahoso);
	if (b->meta.tentthc && *b->meta.tentthc) {
		puts_(o, ": ");
		xml(o, b->meta.tentthc);
	}
	printf_(
	    o,
	    "\" TYPE=\"" CONTENT_CATEGORY "\" csip:OTHERTYPE=\"" CONTENT_TYPE "\""
	    " csip:CONTENTINFORMATIONTYPE=\"OTHER\""
	    " csip:OTHERCONTENTINFORMATIONTYPE=\"" CONTENT_INFO_TYPE "\"\n"
	    "    PROFILE=\"%s\">\n"
	    "  <mets:metsHdr CREATEDATE=\"%s\" LASTMODDATE=\"%s\" RECORDSTATUS=\"NEW\""
	    " csip:OAISPACKAGETYPE=\"SIP\">\n"
	    "    <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\">\n"
	    "      <mets:name>tthc</mets:name>\n"
	    "      <mets:note csip:NOTETYPE=\"SOFTWARE VERSION\">%s</mets:note>\n"
	    "    </mets:agent>\n",
	    profile, b->created, b->created, tthc_version());
	/* The receiving agency made the records (SIP9) and submits them (SIP15). */
	for (int i = 0; root && i < 2; i++) {
		printf_(o,
		        "    <mets:agent ROLE=\"%s\" TYPE=\"ORGANIZATION\">\n"
		        "      <mets:name>",
		        i == 0 ? "ARCHIVIST" : "CREATOR");
		xml(o, b->meta.agency_name);
		puts_(o, "</mets:name>\n"
		         "      <mets:note csip:NOTETYPE=\"IDENTIFICATIONCODE\">");
		xml(o, b->meta.agency_code);
		puts_(o, "</mets:note>\n    </mets:agent>\n");
	}
	puts_(o, "  </mets:metsHdr>\n");
}

static void build_mets(struct out *o, const struct tthc_bundle *b)
{
	const struct tthc_bundle_text *rep = &b->parts[TTHC_PART_REPMETS];

	mets_head(o, b, b->objid, SIP_PROFILE, 1);
	printf_(o, "  <mets:dmdSec ID=\"dmd-hoso\" CREATED=\"%s\" STATUS=\"CURRENT\">\n",
	        b->created);
	md_ref(o, b, TTHC_PART_HOSO, "MDTYPE=\"OTHER\" OTHERMDTYPE=\"TTHC-HOSO\"",
	       "application/xml", "    ");
	printf_(o,
	        "  </mets:dmdSec>\n"
	        "  <mets:dmdSec ID=\"dmd-portal\" CREATED=\"%s\" STATUS=\"CURRENT\">\n",
	        b->created);
	md_ref(o, b, TTHC_PART_PORTAL,
	       "MDTYPE=\"OTHER\" OTHERMDTYPE=\"TTHC-PORTAL-SYNC\"", "application/json",
	       "    ");
	printf_(o,
	        "  </mets:dmdSec>\n"
	        "  <mets:amdSec ID=\"amd\">\n"
	        "    <mets:digiprovMD ID=\"digiprov-premis\" CREATED=\"%s\""
	        " STATUS=\"CURRENT\">\n",
	        b->created);
	md_ref(o, b, TTHC_PART_PREMIS, "MDTYPE=\"PREMIS\" MDTYPEVERSION=\"3.0\"",
	       "application/xml", "      ");
	puts_(o, "    </mets:digiprovMD>\n"
	         "  </mets:amdSec>\n"
	         "  <mets:fileSec ID=\"filesec\">\n"
	         "    <mets:fileGrp ID=\"grp-rep1\" USE=\"Representations/rep1\""
	         " csip:CONTENTINFORMATIONTYPE=\"OTHER\""
	         " csip:OTHERCONTENTINFORMATIONTYPE=\"" CONTENT_INFO_TYPE "\">\n"
	         "      <mets:file ID=\"file-rep1-mets\"");
	file_attrs(o, b, "application/xml", rep->buf.n, rep->sha256);
	puts_(o, ">\n        <mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" "
	         "xlink:href=\"");
	href(o, tthc_bundle_part_path[TTHC_PART_REPMETS]);
	puts_(
	    o,
	    "\"/>\n"
	    "      </mets:file>\n"
	    "    </mets:fileGrp>\n"
	    "  </mets:fileSec>\n"
	    "  <mets:structMap ID=\"structmap-csip\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">\n"
	    "    <mets:div ID=\"div-package\" LABEL=\"");
	xml(o, b->objid);
	puts_(o,
	      "\">\n"
	      "      <mets:div ID=\"div-metadata\" LABEL=\"Metadata\""
	      " ADMID=\"digiprov-premis\" DMDID=\"dmd-hoso dmd-portal\"/>\n"
	      "      <mets:div ID=\"div-rep1\" LABEL=\"Representations/rep1\">\n"
	      "        <mets:mptr LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"");
	href(o, tthc_bundle_part_path[TTHC_PART_REPMETS]);
	puts_(o, "\" xlink:title=\"grp-rep1\"/>\n"
	         "      </mets:div>\n"
	         "    </mets:div>\n"
	         "  </mets:structMap>\n"
	         "</mets:mets>\n");
}

static void build_rep_mets(struct out *o, const struct tthc_bundle *b)
{
	mets_head(o, b, "rep1", CSIP_PROFILE, 0);
	puts_(o, "  <mets:fileSec ID=\"filesec-rep1\">\n"
	         "    <mets:fileGrp ID=\"grp-data\" USE=\"Data\">\n");
	for (size_t i = 0; i < b->nfiles; i++) {
		const struct tthc_bundle_file *f = &b->files[i];

		printf_(o, "      <mets:file ID=\"file-%02zu\"", i + 1);
		file_attrs(o, b, f->mime, (unsigned long long)f->size, f->sha256);
		puts_(o, ">\n        <mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\""
		         " xlink:href=\"data/");
		href(o, f->name);
		puts_(o, "\"/>\n      </mets:file>\n");
	}
	puts_(
	    o,
	    "    </mets:fileGrp>\n"
	    "  </mets:fileSec>\n"
	    "  <mets:structMap ID=\"structmap-rep1\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">\n"
	    "    <mets:div ID=\"div-rep1\" LABEL=\"rep1\">\n"
	    "      <mets:div ID=\"div-rep1-metadata\" LABEL=\"Metadata\"/>\n"
	    "      <mets:div ID=\"div-rep1-data\" LABEL=\"Data\">\n"
	    "        <mets:fptr FILEID=\"grp-data\"/>\n"
	    "      </mets:div>\n"
	    "    </mets:div>\n"
	    "  </mets:structMap>\n"
	    "</mets:mets>\n");
}

static void premis_id(struct out *o, const char *what, const char *value)
{
	printf_(o,
	        "    <premis:%sIdentifier>\n"
	        "      <premis:%sIdentifierType>local</premis:%sIdentifierType>\n"
	        "      <premis:%sIdentifierValue>",
	        what, what, what, what);
	xml(o, value);
	printf_(o, "</premis:%sIdentifierValue>\n    </premis:%sIdentifier>\n", what,
	        what);
}

static void premis_event(struct out *o, const struct tthc_bundle *b, const char *id,
                         const char *type, const char *outcome, const char *detail)
{
	char agent[64];

	snprintf(agent, sizeof(agent), "tthc-%s", tthc_version());
	puts_(o, "  <premis:event>\n");
	premis_id(o, "event", id);
	printf_(o,
	        "    <premis:eventType>%s</premis:eventType>\n"
	        "    <premis:eventDateTime>%s</premis:eventDateTime>\n"
	        "    <premis:eventOutcomeInformation>\n"
	        "      <premis:eventOutcome>%s</premis:eventOutcome>\n"
	        "      <premis:eventOutcomeDetail>\n"
	        "        <premis:eventOutcomeDetailNote>",
	        type, b->created, outcome);
	xml(o, detail);
	puts_(o, "</premis:eventOutcomeDetailNote>\n"
	         "      </premis:eventOutcomeDetail>\n"
	         "    </premis:eventOutcomeInformation>\n");
	premis_id(o, "linkingAgent", agent);
	puts_(o, "  </premis:event>\n");
}

static void premis_object(struct out *o, const struct tthc_bundle_file *f)
{
	char path[512];

	snprintf(path, sizeof(path), "representations/rep1/data/%s", f->name);
	puts_(o, "  <premis:object xsi:type=\"premis:file\">\n");
	premis_id(o, "object", path);
	printf_(o,
	        "    <premis:objectCharacteristics>\n"
	        "      <premis:compositionLevel>0</premis:compositionLevel>\n"
	        "      <premis:fixity>\n"
	        "        "
	        "<premis:messageDigestAlgorithm>SHA-256</premis:messageDigestAlgorithm>\n"
	        "        <premis:messageDigest>%s</premis:messageDigest>\n"
	        "      </premis:fixity>\n"
	        "      <premis:size>%lld</premis:size>\n"
	        "      <premis:format>\n"
	        "        <premis:formatDesignation>\n"
	        "          <premis:formatName>%s</premis:formatName>\n"
	        "        </premis:formatDesignation>\n"
	        "      </premis:format>\n"
	        "    </premis:objectCharacteristics>\n"
	        "    <premis:originalName>",
	        f->sha256, (long long)f->size, f->mime);
	xml(o, f->src);
	puts_(o, "</premis:originalName>\n  </premis:object>\n");
}

static void build_premis(struct out *o, const struct tthc_bundle *b)
{
	const struct tthc_bundle_events *ev = &b->events;
	char detail[256];

	puts_(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	         "<premis:premis xmlns:premis=\"http://www.loc.gov/premis/v3\""
	         " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	         "version=\"3.0\">\n");
	for (size_t i = 0; i < b->nfiles; i++)
		premis_object(o, &b->files[i]);
	snprintf(detail, sizeof(detail), "tthc-validate: %zu errors, %zu warnings",
	         ev->errors, ev->warnings);
	premis_event(o, b, "event-validation", "validation",
	             ev->errors ? "failure" : "success", detail);
	if (ev->normalized)
		snprintf(detail, sizeof(detail), "tthc-normalize: %zu values changed",
		         ev->changes);
	else
		snprintf(detail, sizeof(detail), "tthc-normalize: not performed");
	premis_event(o, b, "event-normalization", "normalization",
	             ev->normalized ? "success" : "not performed", detail);
	snprintf(detail, sizeof(detail),
	         "tthc-pack: %zu data files, SHA-256 computed while copied", b->nfiles);
	premis_event(o, b, "event-packing", "ingestion", "success", detail);
	printf_(o, "  <premis:agent>\n");
	snprintf(detail, sizeof(detail), "tthc-%s", tthc_version());
	premis_id(o, "agent", detail);
	printf_(o,
	        "    <premis:agentName>tthc</premis:agentName>\n"
	        "    <premis:agentType>software</premis:agentType>\n"
	        "    <premis:agentVersion>%s</premis:agentVersion>\n"
	        "  </premis:agent>\n"
	        "</premis:premis>\n",
	        tthc_version());
}

/* NgayTiepNhan as yyyyMMddHHmmss: the digits of its date and time, as written. */
static void portal_time(char out[15], const char *received)
{
	size_t n = 0;

	for (const char *p = received; *p && n < 14; p++) {
		if (*p == '.' || *p == 'Z' || *p == '+' || (*p == '-' && n >= 8))
			break;
		if (isdigit((unsigned char)*p))
			out[n++] = *p;
	}
	while (n < 14)
		out[n++] = '0';
	out[14] = '\0';
}

/* The TaiLieuNop (result 0) or DanhSachGiayToKetQua (result 1) items, and "]". */
static void portal_files(struct out *o, const struct tthc_bundle *b, int result)
{
	static const char *const keys[2][3] = {
		{ "MaThanhPhanHoSo", "TenTepDinhKem", "DuongDanTaiTepTin" },
		{ "GiayToId", "TenGiayTo", "DuongDanTepTinKetQua" },
	};
	size_t n = 0;

	for (size_t i = 0; i < b->nfiles; i++) {
		char path[512];

		if (b->files[i].result != result)
			continue;
		snprintf(path, sizeof(path), "representations/rep1/data/%s",
		         b->files[i].name);
		puts_(o, n++ ? ",\n    {\n      \"" : "\n    {\n      \"");
		puts_(o, keys[result][0]);
		puts_(o, "\": ");
		json(o, b->files[i].code);
		puts_(o, ",\n      \"");
		puts_(o, keys[result][1]);
		puts_(o, "\": ");
		json(o, b->files[i].title);
		puts_(o, ",\n      \"");
		puts_(o, keys[result][2]);
		puts_(o, "\": ");
		json(o, path);
		puts_(o, "\n    }");
	}
	puts_(o, n ? "\n  ]" : "]");
}

static void build_portal(struct out *o, const struct tthc_bundle *b)
{
	char when[15];

	portal_time(when, b->meta.received);
	puts_(o, "{\n  \"MaHoSo\": ");
	json(o, b->meta.mahoso);
	puts_(o, ",\n  \"MaTTHC\": ");
	json(o, b->meta.matthc);
	puts_(o, ",\n  \"TenTTHC\": ");
	json(o, b->meta.tentthc);
	puts_(o, ",\n  \"NgayTiepNhan\": ");
	json(o, when);
	puts_(o, ",\n  \"ChuHoSo\": ");
	json(o, b->meta.owner);
	puts_(o, ",\n  \"TaiLieuNop\": [");
	portal_files(o, b, 0);
	/* The result file, when the dossier has one, as the portal lists results. */
	if (b->nfiles && b->files[b->nfiles - 1].result) {
		puts_(o, ",\n  \"DanhSachGiayToKetQua\": [");
		portal_files(o, b, 1);
	}
	puts_(o, "\n}\n");
}

int tthc_bundle_build(struct tthc_bundle *b, enum tthc_bundle_part part)
{
	struct tthc_bundle_text *t = &b->parts[part];
	struct out o = { .buf = &t->buf };
	int r;

	if (t->built)
		return 0;
	if (part == TTHC_PART_REPMETS || part == TTHC_PART_PREMIS ||
	    part == TTHC_PART_METS) {
		for (size_t i = 0; i < b->nfiles; i++)
			if (!b->files[i].done)
				return tthc_bundle_fail(b, -TTHC_E_INTERNAL,
				                        "%s is needed before %s was read",
				                        tthc_bundle_part_path[part],
				                        b->files[i].name);
	}
	if (part == TTHC_PART_METS) {
		for (int p = 0; p < TTHC_PART_METS; p++)
			if ((r = tthc_bundle_build(b, (enum tthc_bundle_part)p)) < 0)
				return r;
	}
	switch (part) {
	case TTHC_PART_HOSO:
		put(&o, b->doc, b->doc_len);
		break;
	case TTHC_PART_PORTAL:
		build_portal(&o, b);
		break;
	case TTHC_PART_REPMETS:
		build_rep_mets(&o, b);
		break;
	case TTHC_PART_PREMIS:
		build_premis(&o, b);
		break;
	case TTHC_PART_METS:
		build_mets(&o, b);
		break;
	default:
		return -TTHC_E_INVALID;
	}
	if (!o.err && !t->buf.p)
		o.err = tthc_buf_add(&t->buf, "", 0);
	if (o.err || (o.err = tthc_sha256_hex(t->buf.p, t->buf.n, t->sha256)) < 0) {
		free(t->buf.p);
		memset(t, 0, sizeof(*t));
		return tthc_bundle_fail(b, o.err, "%s: %s", tthc_bundle_part_path[part],
		                        tthc_strerror(o.err));
	}
	t->built = 1;
	return 0;
}
