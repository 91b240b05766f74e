/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/bundle*.c and lib/mets.c: layout, digests, METS, reproducibility, the
 * CSIP and SIP requirements. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "bundle_int.h"

#define OBJID "000.02.01.H26-220518-0171"

static struct tthc_ctx *ctx;
static char tmpdir[] = "/tmp/test_bundle.XXXXXX";
static char *sample; /* samples/khai-sinh/valid/ks-01.xml */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static char *dir_of(const char *path)
{
	char *copy = strdup(path), *d = strdup(dirname(copy));

	free(copy);
	return d;
}

/* Packs the dossier at path into out; returns what tthc_bundle_write returned. */
static int pack(const char *path, const struct tthc_bundle_options *opts, const char *out)
{
	struct tthc_bundle *b = NULL;
	size_t len;
	char *buf = slurp(path, &len), *dir = dir_of(path);
	int r = tthc_bundle_open(ctx, buf, len, path, dir, opts, &b), fd;

	assert_int_equal(r, 0);
	assert_string_equal(tthc_bundle_objid(b), opts && opts->id ? opts->id : OBJID);
	fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	r = tthc_bundle_write(b, fd);
	close(fd);
	tthc_bundle_free(b);
	free(buf);
	free(dir);
	return r;
}

static char *tmp_path(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", tmpdir, name) > 0);
	return p;
}

/* The content of entry name (NUL-terminated), or NULL when the ZIP has no such entry. */
static char *entry(zip_t *za, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;

	if (zip_stat(za, name, 0, &st) < 0)
		return NULL;
	buf = malloc(st.size + 1);
	zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	buf[st.size] = '\0';
	*len = st.size;
	return buf;
}

static const char *const layout[] = {
	OBJID "/metadata/descriptive/hoso.xml",
	OBJID "/metadata/other/portal.json",
	OBJID "/representations/rep1/data/" OBJID ".01.pdf",
	OBJID "/representations/rep1/data/" OBJID ".02.pdf",
	OBJID "/representations/rep1/data/" OBJID ".03.pdf",
	OBJID "/representations/rep1/METS.xml",
	OBJID "/metadata/preservation/premis.xml",
	OBJID "/METS.xml",
};

static void test_layout(void **state)
{
	char *out = tmp_path("layout.zip");
	size_t n = sizeof(layout) / sizeof(layout[0]);
	zip_t *za;
	int e;

	(void)state;
	assert_int_equal(pack(sample, NULL, out), 0);
	za = zip_open(out, ZIP_RDONLY | ZIP_CHECKCONS, &e);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), (zip_int64_t)n);
	for (size_t i = 0; i < n; i++) {
		zip_stat_t st;

		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		assert_string_equal(st.name, layout[i]);
		/* Scans are stored; what we write is deflated. */
		assert_int_equal(st.comp_method,
		                 strstr(st.name, ".pdf") ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
	}
	zip_discard(za);
	free(out);
}

static unsigned get16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static unsigned long get32(const unsigned char *p)
{
	return get16(p) | (unsigned long)get16(p + 2) << 16;
}

/* Every central and local header has bit 11 (UTF-8) set, and no extra field. */
static void test_utf8_flag(void **state)
{
	char *out = tmp_path("flags.zip");
	size_t len, seen = 0;
	unsigned char *z;

	(void)state;
	assert_int_equal(pack(sample, NULL, out), 0);
	z = (unsigned char *)slurp(out, &len);
	for (size_t i = 0; i + 46 <= len; i++) {
		unsigned char *c = z + i, *l;

		if (get32(c) != 0x02014b50ul)
			continue;
		assert_true(get16(c + 8) & 0x800);
		assert_int_equal(get16(c + 30), 0);
		l = z + get32(c + 42);
		assert_int_equal(get32(l), 0x04034b50ul);
		assert_true(get16(l + 6) & 0x800);
		assert_int_equal(get16(l + 28), 0);
		seen++;
		i += 45;
	}
	assert_int_equal(seen, sizeof(layout) / sizeof(layout[0]));
	free(z);
	free(out);
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'f')
			*s = (char)(*s - 'a' + 'A');
}

/* Every file and mdRef of a METS: its CHECKSUM and SIZE are the entry's. */
static size_t check_refs(zip_t *za, const char *mets_name, const char *base)
{
	size_t len, count = 0;
	char *text = entry(za, mets_name, &len);
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
	xmlXPathObjectPtr res;

	assert_non_null(text);
	doc = xmlReadMemory(text, (int)len, mets_name, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, BAD_CAST "m", BAD_CAST "http://www.loc.gov/METS/");
	xmlXPathRegisterNs(xp, BAD_CAST "x", BAD_CAST "http://www.w3.org/1999/xlink");
	res = xmlXPathEvalExpression(BAD_CAST "//m:file|//m:mdRef", xp);
	assert_non_null(res);
	for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlNodePtr node = res->nodesetval->nodeTab[i], loc = node;
		xmlChar *sum = xmlGetProp(node, BAD_CAST "CHECKSUM");
		xmlChar *size = xmlGetProp(node, BAD_CAST "SIZE");
		xmlChar *type = xmlGetProp(node, BAD_CAST "CHECKSUMTYPE");
		xmlChar *href;
		char *name, *data, hex[65];
		size_t dlen;

		if (xmlStrEqual(node->name, BAD_CAST "file"))
			for (loc = node->children; loc && loc->type != XML_ELEMENT_NODE;)
				loc = loc->next;
		href = xmlGetNsProp(loc, BAD_CAST "href",
		                    BAD_CAST "http://www.w3.org/1999/xlink");
		assert_non_null(href);
		assert_true(asprintf(&name, "%s%s", base, (char *)href) > 0);
		data = entry(za, name, &dlen);
		assert_non_null(data);
		assert_int_equal(tthc_sha256_hex(data, dlen, hex), 0);
		upper(hex);
		assert_string_equal((char *)sum, hex);
		assert_string_equal((char *)type, "SHA-256");
		assert_int_equal(strtoull((char *)size, NULL, 10), dlen);
		count++;
		free(data);
		free(name);
		xmlFree(href);
		xmlFree(sum);
		xmlFree(size);
		xmlFree(type);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	free(text);
	return count;
}

static void test_checksums(void **state)
{
	char *out = tmp_path("sums.zip");
	zip_t *za;
	int e;

	(void)state;
	assert_int_equal(pack(sample, NULL, out), 0);
	za = zip_open(out, ZIP_RDONLY, &e);
	assert_non_null(za);
	/* hoso.xml, portal.json, premis.xml, rep1/METS.xml; then the three scans */
	assert_int_equal(check_refs(za, OBJID "/METS.xml", OBJID "/"), 4);
	assert_int_equal(check_refs(za, OBJID "/representations/rep1/METS.xml",
	                            OBJID "/representations/rep1/"),
	                 3);
	zip_discard(za);
	free(out);
}

/* mets.xsd from ../shared/specs/eark beside the clone, its xlink import made local. */
static char *mets_schema(void)
{
	const char *samples = getenv("TTHC_SAMPLES");
	char *dir, *xsd, *xlink, *text, *local, *at;
	size_t len;
	FILE *f;
	static const char remote[] = "http://www.loc.gov/standards/xlink/xlink.xsd";

	if (!samples)
		return NULL;
	assert_true(asprintf(&dir, "%s/../../shared/specs/eark", samples) > 0);
	assert_true(asprintf(&xsd, "%s/mets.xsd", dir) > 0);
	assert_true(asprintf(&xlink, "%s/xlink.xsd", dir) > 0);
	free(dir);
	if (access(xsd, R_OK) < 0 || access(xlink, R_OK) < 0) {
		free(xsd);
		free(xlink);
		return NULL;
	}
	text = slurp(xsd, &len);
	at = strstr(text, remote);
	assert_non_null(at);
	local = tmp_path("mets.xsd");
	f = fopen(local, "w");
	assert_non_null(f);
	fprintf(f, "%.*s%s%s", (int)(at - text), text, xlink, at + strlen(remote));
	fclose(f);
	free(text);
	free(xsd);
	free(xlink);
	return local;
}

static void test_mets_schema(void **state)
{
	char *out = tmp_path("schema.zip"), *xsd = mets_schema();
	const char *names[] = { OBJID "/METS.xml",
		                OBJID "/representations/rep1/METS.xml" };
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	zip_t *za;
	int e;

	(void)state;
	if (!xsd) {
		free(out);
		skip();
	}
	assert_int_equal(pack(sample, NULL, out), 0);
	pc = xmlSchemaNewParserCtxt(xsd);
	schema = xmlSchemaParse(pc);
	assert_non_null(schema);
	za = zip_open(out, ZIP_RDONLY, &e);
	for (size_t i = 0; i < 2; i++) {
		xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
		size_t len;
		char *text = entry(za, names[i], &len);
		xmlDocPtr doc =
		    xmlReadMemory(text, (int)len, names[i], NULL, XML_PARSE_NONET);

		assert_non_null(doc);
		assert_int_equal(xmlSchemaValidateDoc(vc, doc), 0);
		xmlFreeDoc(doc);
		xmlSchemaFreeValidCtxt(vc);
		free(text);
	}
	zip_discard(za);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	free(xsd);
	free(out);
}

static void test_portal(void **state)
{
	static const char want[] =
	    "{\n"
	    "  \"MaHoSo\": \"000.02.01.H26-220518-0171\",\n"
	    "  \"MaTTHC\": \"1.001193.000.00.00.H26\",\n"
	    "  \"TenTTHC\": \"Đăng ký khai sinh\",\n"
	    "  \"NgayTiepNhan\": \"20220518104923\",\n"
	    "  \"ChuHoSo\": \"Nguyễn Thị Vy\",\n"
	    "  \"TaiLieuNop\": [\n"
	    "    {\n"
	    "      \"MaThanhPhanHoSo\": \"GCS\",\n"
	    "      \"TenTepDinhKem\": \"Giấy chứng sinh\",\n"
	    "      \"DuongDanTaiTepTin\": \"representations/rep1/data/" OBJID
	    ".01.pdf\"\n"
	    "    },\n"
	    "    {\n"
	    "      \"MaThanhPhanHoSo\": \"TKKS\",\n"
	    "      \"TenTepDinhKem\": \"Tờ khai đăng ký khai sinh\",\n"
	    "      \"DuongDanTaiTepTin\": \"representations/rep1/data/" OBJID
	    ".02.pdf\"\n"
	    "    },\n"
	    "    {\n"
	    "      \"MaThanhPhanHoSo\": \"GTTT\",\n"
	    "      \"TenTepDinhKem\": \"Giấy tờ tùy thân của người đi đăng ký\",\n"
	    "      \"DuongDanTaiTepTin\": \"representations/rep1/data/" OBJID
	    ".03.pdf\"\n"
	    "    }\n"
	    "  ]\n"
	    "}\n";
	char *out = tmp_path("portal.zip"), *json;
	size_t len;
	zip_t *za;
	int e;

	(void)state;
	assert_int_equal(pack(sample, NULL, out), 0);
	za = zip_open(out, ZIP_RDONLY, &e);
	json = entry(za, OBJID "/metadata/other/portal.json", &len);
	assert_non_null(json);
	assert_string_equal(json, want);
	free(json);
	zip_discard(za);
	free(out);
}

static void test_reproducible(void **state)
{
	char *a = tmp_path("a.zip"), *b = tmp_path("b.zip"), *x, *y;
	size_t xl, yl;

	(void)state;
	assert_int_equal(pack(sample, NULL, a), 0);
	assert_int_equal(pack(sample, NULL, b), 0);
	x = slurp(a, &xl);
	y = slurp(b, &yl);
	assert_int_equal(xl, yl);
	assert_memory_equal(x, y, xl);
	free(x);
	free(y);
	free(a);
	free(b);
}

/* s with every occurrence of from replaced by to (from non-empty). */
static char *replace(const char *s, const char *from, const char *to)
{
	size_t n = 0, fl = strlen(from), tl = strlen(to);
	char *out = malloc(strlen(s) * (tl > fl ? tl / fl + 2 : 1) + 1), *p = out;

	for (const char *q = s; *q;) {
		if (strncmp(q, from, fl) == 0) {
			memcpy(p, to, tl);
			p += tl;
			q += fl;
			n++;
		} else {
			*p++ = *q++;
		}
	}
	*p = '\0';
	return out;
}

/* A copy of s without the values of CHECKSUM and SIZE attributes. */
static char *mask(const char *s)
{
	char *out = strdup(s), *p = out;

	while ((p = strstr(p, "=\""))) {
		char *q;

		p += 2;
		if ((p - out >= 10 && strncmp(p - 10, "CHECKSUM=\"", 10) == 0) ||
		    (p - out >= 6 && strncmp(p - 6, "SIZE=\"", 6) == 0)) {
			q = strchr(p, '"');
			memmove(p, q, strlen(q) + 1);
		}
	}
	return out;
}

/* SOURCE_DATE_EPOCH changes the timestamps, and nothing but them. */
static void test_epoch(void **state)
{
	struct tthc_bundle_options opts = { .have_epoch = 1, .epoch = 1700000001 };
	char *a = tmp_path("dossier-time.zip"), *b = tmp_path("epoch.zip");
	zip_t *za, *zb;
	int e;

	(void)state;
	assert_int_equal(pack(sample, NULL, a), 0);
	assert_int_equal(pack(sample, &opts, b), 0);
	za = zip_open(a, ZIP_RDONLY, &e);
	zb = zip_open(b, ZIP_RDONLY, &e);
	assert_int_equal(zip_get_num_entries(za, 0), zip_get_num_entries(zb, 0));
	for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
		zip_stat_t sa, sb;
		size_t la, lb;
		char *x, *y, *x2, *y2, *x3, *y3;

		zip_stat_index(za, (zip_uint64_t)i, 0, &sa);
		zip_stat_index(zb, (zip_uint64_t)i, 0, &sb);
		assert_string_equal(sa.name, sb.name);
		/* DOS time: two-second steps, UTC (TZ is UTC here) */
		assert_int_equal(sb.mtime, 1700000000);
		assert_int_equal(sa.mtime, 1652845762); /* 2022-05-18T03:49:22Z */
		x = entry(za, sa.name, &la);
		y = entry(zb, sb.name, &lb);
		x2 = replace(x, "2022-05-18T10:49:23+07:00", "T");
		y2 = replace(y, "2023-11-14T22:13:21Z", "T");
		x3 = mask(x2);
		y3 = mask(y2);
		/* The dossier, the portal message and the data: not a byte changes. */
		if (!strstr(sa.name, "METS.xml") && !strstr(sa.name, "premis.xml"))
			assert_memory_equal(x, y, la);
		else if (strstr(sa.name, "premis.xml"))
			assert_string_equal(x2, y2);
		else /* the digests and sizes of what holds dates */
			assert_string_equal(x3, y3);
		free(x);
		free(y);
		free(x2);
		free(y2);
		free(x3);
		free(y3);
	}
	zip_discard(za);
	zip_discard(zb);
	free(a);
	free(b);
}

/* An attachment changed after the dossier was read: no bundle comes out of it. */
static void test_changed_attachment(void **state)
{
	char *dossier = tmp_path("ks-01.xml"), *out = tmp_path("changed.zip"), *dir;
	const char *pdfs[] = { "ks-01.giay-chung-sinh.pdf", "ks-01.to-khai.pdf",
		               "ks-01.cccd-nguoi-nop.pdf" };
	struct tthc_bundle *b = NULL;
	size_t len;
	char *buf;
	int fd;

	(void)state;
	dir = dir_of(sample);
	for (size_t i = 0; i < 3; i++) {
		char *src, *dst, *data;
		size_t n;
		FILE *f;

		assert_true(asprintf(&src, "%s/%s", dir, pdfs[i]) > 0);
		dst = tmp_path(pdfs[i]);
		data = slurp(src, &n);
		f = fopen(dst, "wb");
		fwrite(data, 1, n, f);
		fclose(f);
		free(data);
		free(src);
		free(dst);
	}
	buf = slurp(sample, &len);
	assert_int_equal(tthc_bundle_open(ctx, buf, len, "ks-01.xml", tmpdir, NULL, &b),
	                 0);
	{
		char *pdf = tmp_path(pdfs[1]);
		FILE *f = fopen(pdf, "r+b");

		fseek(f, 100, SEEK_SET);
		fputc('#', f); /* same size, other bytes */
		fclose(f);
		free(pdf);
	}
	fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(tthc_bundle_write(b, fd), -TTHC_E_INVALID);
	assert_non_null(strstr(tthc_bundle_error(b), "ks-01.to-khai.pdf"));
	close(fd);
	tthc_bundle_free(b);
	free(buf);
	free(dir);
	free(dossier);
	free(out);
}

static void test_ids(void **state)
{
	struct tthc_bundle_options opts = { .id = "x/../y" };
	struct tthc_bundle *b = NULL;
	char *out = tmp_path("id.zip"), *dir = dir_of(sample), *buf;
	size_t len;

	(void)state;
	buf = slurp(sample, &len);
	assert_int_equal(tthc_bundle_open(ctx, buf, len, sample, dir, &opts, &b),
	                 -TTHC_E_INVALID);
	tthc_bundle_free(b);
	opts.id = ".hidden";
	assert_int_equal(tthc_bundle_open(ctx, buf, len, sample, dir, &opts, &b),
	                 -TTHC_E_INVALID);
	tthc_bundle_free(b);
	opts.id = "my-package_1";
	assert_int_equal(pack(sample, &opts, out), 0);
	/* Not XML at all. */
	assert_int_equal(tthc_bundle_open(ctx, "<HoSo", 5, "x.xml", dir, NULL, &b),
	                 -TTHC_E_XML);
	assert_true(*tthc_bundle_error(b));
	tthc_bundle_free(b);
	free(buf);
	free(dir);
	free(out);
}

/* The stamp says what the bundle was made from; the ZIP comment holds it. */
static void test_stamp(void **state)
{
	char *out = tmp_path("stamp.zip"), *dir = dir_of(sample), *buf;
	struct tthc_bundle *b = NULL, *c = NULL;
	struct tthc_bundle_options opts = { .settings = "no-normalize" };
	size_t len;

	(void)state;
	assert_int_equal(pack(sample, NULL, out), 0);
	buf = slurp(sample, &len);
	assert_int_equal(tthc_bundle_open(ctx, buf, len, sample, dir, NULL, &b), 0);
	assert_int_equal(tthc_bundle_open(ctx, buf, len, sample, dir, &opts, &c), 0);
	assert_string_not_equal(tthc_bundle_stamp(b), tthc_bundle_stamp(c));
	assert_int_equal(tthc_bundle_current(b, out, 0), 1);
	assert_int_equal(tthc_bundle_current(c, out, 0), 0);
	/* An input newer than the bundle makes it stale. */
	assert_int_equal(tthc_bundle_current(b, out, 4102444800LL * 1000000000LL), 0);
	assert_int_equal(tthc_bundle_current(b, "/nonexistent/x.zip", 0), 0);
	tthc_bundle_free(b);
	tthc_bundle_free(c);
	free(buf);
	free(dir);
	free(out);
}

/* ---- the CSIP and SIP requirements ---- */

/* The terms of a vocabulary of ../shared/specs/eark (NULL when it is not there). */
static char **vocabulary(const char *name, size_t *n)
{
	const char *samples = getenv("TTHC_SAMPLES");
	char *path, **terms = NULL;
	xmlDocPtr doc;

	*n = 0;
	if (!samples ||
	    asprintf(&path, "%s/../../shared/specs/eark/%s.xml", samples, name) < 0)
		return NULL;
	doc = access(path, R_OK) == 0 ? xmlReadFile(path, NULL, XML_PARSE_NONET) : NULL;
	free(path);
	if (!doc)
		return NULL;
	for (xmlNodePtr e = xmlDocGetRootElement(doc); e;
	     e = tthc_next_element(e, xmlDocGetRootElement(doc), 1)) {
		xmlChar *text;
		char *start, *end;

		if (!xmlStrEqual(e->name, BAD_CAST "Term"))
			continue;
		text = xmlNodeGetContent(e);
		for (start = (char *)text;
		     *start == ' ' || *start == '\n' || *start == '\t'; start++)
			;
		end = start + strlen(start);
		while (end > start &&
		       (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t'))
			end--;
		terms = realloc(terms, (*n + 1) * sizeof(*terms));
		terms[(*n)++] = strndup(start, (size_t)(end - start));
		xmlFree(text);
	}
	xmlFreeDoc(doc);
	return terms;
}

static void free_terms(char **terms, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(terms[i]);
	free(terms);
}

/* Every value xpath selects in doc (its part before '/' when first_part) is a term of
 * the vocabulary; returns how many values there were. */
static int in_vocabulary(xmlDocPtr doc, const char *xpath, const char *vocab,
                         int first_part)
{
	size_t n;
	char **terms = vocabulary(vocab, &n);
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res;
	int count = 0;

	assert_non_null(terms);
	xmlXPathRegisterNs(xp, BAD_CAST "m", BAD_CAST "http://www.loc.gov/METS/");
	xmlXPathRegisterNs(xp, BAD_CAST "csip",
	                   BAD_CAST "https://DILCIS.eu/XML/METS/CSIPExtensionMETS");
	res = xmlXPathEvalExpression(BAD_CAST xpath, xp);
	assert_non_null(res);
	for (int i = 0; res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlChar *value = xmlNodeGetContent(res->nodesetval->nodeTab[i]);
		char *v = (char *)value, *slash = first_part ? strchr(v, '/') : NULL;
		size_t k;

		if (slash)
			*slash = '\0';
		for (k = 0; k < n && strcmp(terms[k], v) != 0; k++)
			;
		if (k == n)
			fail_msg("%s: \"%s\" is not a term of %s", xpath, v, vocab);
		count++;
		xmlFree(value);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(xp);
	free_terms(terms, n);
	return count;
}

/* The values the packer writes where a CSIP or SIP vocabulary applies are its terms. */
static void test_vocabularies(void **state)
{
	const char *names[] = { OBJID "/METS.xml",
		                OBJID "/representations/rep1/METS.xml" };
	char *out = tmp_path("vocab.zip");
	size_t n;
	char **probe = vocabulary("CSIPVocabularyContentCategory", &n);
	int have = probe != NULL, e;
	zip_t *za;

	(void)state;
	free_terms(probe, n);
	if (!have) {
		free(out);
		skip();
	}
	assert_int_equal(pack(sample, NULL, out), 0);
	za = zip_open(out, ZIP_RDONLY, &e);
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *text = entry(za, names[i], &len);
		xmlDocPtr doc =
		    xmlReadMemory(text, (int)len, names[i], NULL, XML_PARSE_NONET);
		const char *csm = "/m:mets/m:structMap[@LABEL='CSIP']";
		char xpath[256];

		assert_non_null(doc);
		assert_int_equal(in_vocabulary(doc, "/m:mets/@TYPE",
		                               "CSIPVocabularyContentCategory", 0),
		                 1);
		assert_int_equal(in_vocabulary(doc, "//@csip:CONTENTINFORMATIONTYPE",
		                               "CSIPVocabularyContentInformationType", 0),
		                 i == 0 ? 2 : 1);
		assert_int_equal(in_vocabulary(doc, "//m:metsHdr/@csip:OAISPACKAGETYPE",
		                               "CSIPVocabularyOAISPackageType", 0),
		                 1);
		assert_int_equal(in_vocabulary(doc, "//m:metsHdr/@RECORDSTATUS",
		                               "SIPVocabularyRecordStatus", 0),
		                 1);
		assert_int_equal(in_vocabulary(doc, "//m:agent/@OTHERTYPE",
		                               "CSIPVocabularyAgentOtherType", 0),
		                 1);
		assert_int_equal(in_vocabulary(doc, "//m:note/@csip:NOTETYPE",
		                               "CSIPVocabularyNoteType", 0),
		                 i == 0 ? 3 : 1);
		assert_int_equal(
		    in_vocabulary(doc, "//@STATUS", "CSIPVocabularyStatus", 0),
		    i == 0 ? 3 : 0);
		assert_int_equal(in_vocabulary(doc, "//m:structMap/@LABEL",
		                               "CSIPVocabularyStructMapLabel", 0),
		                 1);
		assert_int_equal(in_vocabulary(doc, "//m:structMap/@TYPE",
		                               "CSIPVocabularyStructMapType", 0),
		                 1);
		if (i == 0) {
			/* The package METS: its groups and divisions are the
			 * vocabulary's. */
			assert_int_equal(
			    in_vocabulary(
			        doc, "//m:fileGrp/@USE",
			        "CSIPVocabularyFileGrpAndStructMapDivisionLabel", 1),
			    1);
			snprintf(xpath, sizeof(xpath), "%s/m:div/m:div/@LABEL", csm);
			assert_int_equal(
			    in_vocabulary(
			        doc, xpath,
			        "CSIPVocabularyFileGrpAndStructMapDivisionLabel", 1),
			    2);
		}
		xmlFreeDoc(doc);
		free(text);
	}
	zip_discard(za);
	free(out);
}

/* Checks the bundle at path with the SIP profile; returns its findings (shown). */
static size_t findings(const char *path)
{
	struct tthc_verifier *v;
	struct tthc_report *r = NULL;
	size_t n;

	assert_int_equal(tthc_verify_new(ctx, &v), 0);
	assert_int_equal(tthc_verify_set_profile(v, TTHC_PROFILE_SIP), 0);
	assert_int_equal(tthc_verify_bundle(v, path, NULL, &r), 0);
	n = tthc_report_count(r);
	for (size_t i = 0; i < n; i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);

		print_message("  %s:%lu: %s %s\n", d->file, d->line, d->rule, d->message);
	}
	tthc_report_free(r);
	tthc_verify_free(v);
	return n;
}

/* Packs the dossier at path into out, whatever its OBJID. */
static void pack_as(const char *path, const struct tthc_bundle_options *opts,
                    const char *out)
{
	struct tthc_bundle *b = NULL;
	size_t len;
	char *buf = slurp(path, &len), *dir = dir_of(path);
	int fd;

	assert_int_equal(tthc_bundle_open(ctx, buf, len, path, dir, opts, &b), 0);
	fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(tthc_bundle_write(b, fd), 0);
	close(fd);
	tthc_bundle_free(b);
	free(buf);
	free(dir);
}

/* The bundle of every sample, and with each packing option, meets every CSIP and SIP
 * requirement tthc-verify checks, SHOULDs included: not one finding. */
static void test_requirements_met(void **state)
{
	const struct tthc_bundle_options variants[] = {
		{ 0 },
		{ .id = "my-package_1" },
		{ .have_epoch = 1, .epoch = 1700000001 },
		{ .settings = "no-normalize" },
	};
	char *pattern, *out = tmp_path("req.zip");
	glob_t g;

	(void)state;
	assert_true(asprintf(&pattern, "%s/*/valid/*.xml", getenv("TTHC_SAMPLES")) > 0);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc > 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		pack_as(g.gl_pathv[i], NULL, out);
		if (findings(out))
			fail_msg("%s: the bundle has findings", g.gl_pathv[i]);
	}
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		pack_as(sample, &variants[i], out);
		assert_int_equal(findings(out), 0);
	}
	globfree(&g);
	free(pattern);
	free(out);
}

static int setup(void **state)
{
	const char *samples = getenv("TTHC_SAMPLES");

	(void)state;
	setenv("TZ", "UTC", 1); /* libzip reads ZIP times as local time */
	tzset();
	if (!samples || !mkdtemp(tmpdir) || tthc_ctx_new(&ctx) < 0)
		return -1;
	if (asprintf(&sample, "%s/khai-sinh/valid/ks-01.xml", samples) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char *cmd;

	(void)state;
	if (asprintf(&cmd, "rm -rf '%s'", tmpdir) > 0) {
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmpdir);
		free(cmd);
	}
	tthc_ctx_free(ctx);
	free(sample);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_utf8_flag),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_mets_schema),
		cmocka_unit_test(test_portal),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_changed_attachment),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_stamp),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_requirements_met),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
