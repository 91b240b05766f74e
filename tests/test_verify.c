/* SPDX-License-Identifier: MIT */
/* Unit tests of the bundle verifier: a hand-made E-ARK SIP, then hostile variants of it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <zip.h>
#include <zlib.h>

#include "verify_int.h"

#define OBJID "sip-0001"
#define DATA "Dữ liệu thử: một tệp nhỏ.\n"

static char tmp[256];
static struct tthc_ctx *ctx;

/* ---- writing the package ---- */

static void hexdigest(const char *alg, const char *s, size_t n, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	assert_int_equal(EVP_Digest(s, n, md, &len, EVP_get_digestbyname(alg), NULL), 1);
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02X", md[i]);
}

static void write_file(const char *path, const char *text)
{
	char *dir = strdup(path), *slash;
	FILE *f;

	/* Make the folders on the way. */
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0777);
		*slash = '/';
	}
	free(dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char xml_decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
static const char mets_head[] =
    "<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    "xmlns:csip=\"https://DILCIS.eu/XML/METS/CSIPExtensionMETS\" "
    "OBJID=\"%s\" TYPE=\"Other\" csip:OTHERTYPE=\"Test\" "
    "csip:CONTENTINFORMATIONTYPE=\"OTHER\" PROFILE=\"%s\">\n"
    " <mets:metsHdr CREATEDATE=\"2024-01-02T03:04:05Z\" csip:OAISPACKAGETYPE=\"SIP\">\n"
    "  <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\">"
    "<mets:name>test_verify</mets:name>"
    "<mets:note csip:NOTETYPE=\"SOFTWARE VERSION\">1</mets:note></mets:agent>\n"
    "  <mets:agent ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\"><mets:name>UBND</mets:name>"
    "</mets:agent>\n"
    " </mets:metsHdr>\n";

static const char grp_el[] = "  <mets:fileGrp ID=\"%s\" USE=\"%s\">\n";
static const char file_el[] =
    "   <mets:file ID=\"%s\" MIMETYPE=\"text/plain\" SIZE=\"%zu\" "
    "CREATED=\"2024-01-02T03:04:05Z\" CHECKSUM=\"%s\" CHECKSUMTYPE=\"%s\">\n"
    "    <mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"%s\"/>\n"
    "   </mets:file>\n";

/* How the hand-made package differs from a valid one. */
struct variant {
	const char *alg;      /* CHECKSUMTYPE of the data file: "SHA-256" (NULL), ... */
	const char *objid;    /* root METS OBJID (NULL: the folder's name) */
	int wrong_checksum;   /* the data file's checksum is off */
	int missing_file;     /* the data file is not there */
	int extra_file;       /* an unlisted file */
	int no_mets;          /* no root METS */
	const char *checksum; /* the data file's CHECKSUM as written (NULL: its digest) */
	const char *rep_prolog; /* between the representation METS's XML declaration and
	                           its root element */
	const char *rep_extra;  /* in the representation METS, after its header */
	int more_files;         /* the representation METS lists this many more files, */
	int more_there;         /* which are in the package (else listed only) */
	int stored;             /* the ZIP stores its entries, uncompressed */
};

/* Lists var->more_files more files ("data/m000001.txt" holding "1\n"), writing them
 * under root when they are there. */
static void more_files(FILE *f, const char *root, const struct variant *var)
{
	for (int i = 0; i < var->more_files; i++) {
		char id[32], rel[64], path[1024], body[16], sum[2 * EVP_MAX_MD_SIZE + 1];

		snprintf(id, sizeof(id), "m%06d", i);
		snprintf(rel, sizeof(rel), "data/m%06d.txt", i);
		snprintf(body, sizeof(body), "%d\n", i);
		hexdigest("SHA256", body, strlen(body), sum);
		fprintf(f, file_el, id, strlen(body), sum, "SHA-256", rel);
		if (var->more_there) {
			snprintf(path, sizeof(path), "%s/representations/rep1/%s", root,
			         rel);
			write_file(path, body);
		}
	}
}

static void make_tree(const char *root, const struct variant *var)
{
	const char *alg = var->alg ? var->alg : "SHA-256";
	const char *evp = strcmp(alg, "SHA-512") == 0 ? "SHA512"
	                  : strcmp(alg, "MD5") == 0   ? "MD5"
	                                              : "SHA256";
	char path[1024], sum[2 * EVP_MAX_MD_SIZE + 1], *rep, *text;
	size_t replen;
	FILE *f;

	snprintf(path, sizeof(path), "%s/representations/rep1/data/tệp.txt", root);
	write_file(path, DATA);
	hexdigest(evp, DATA, strlen(DATA), sum);
	if (var->wrong_checksum)
		sum[0] = sum[0] == '0' ? '1' : '0';
	f = open_memstream(&rep, &replen);
	fputs(xml_decl, f);
	if (var->rep_prolog)
		fputs(var->rep_prolog, f);
	fprintf(f, mets_head, "rep1",
	        "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml");
	if (var->rep_extra)
		fputs(var->rep_extra, f);
	fputs(" <mets:fileSec ID=\"fs\">\n", f);
	fprintf(f, grp_el, "g-data", "Data");
	fprintf(f, file_el, "f-data", strlen(DATA), var->checksum ? var->checksum : sum,
	        alg, "data/t%E1%BB%87p.txt");
	more_files(f, root, var);
	fputs("  </mets:fileGrp>\n"
	      " </mets:fileSec>\n"
	      " <mets:structMap ID=\"sm\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">"
	      "<mets:div ID=\"d\" LABEL=\"rep1\"><mets:div ID=\"dd\" LABEL=\"Data\">"
	      "<mets:fptr FILEID=\"g-data\"/></mets:div></mets:div></mets:structMap>\n"
	      "</mets:mets>\n",
	      f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/representations/rep1/METS.xml", root);
	write_file(path, rep);
	hexdigest("SHA256", rep, replen, sum);
	f = open_memstream(&text, &replen);
	fputs(xml_decl, f);
	fprintf(f, mets_head, var->objid ? var->objid : OBJID,
	        "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml");
	fputs(" <mets:fileSec ID=\"fs\">\n", f);
	fprintf(f, grp_el, "g-rep1", "Representations/rep1");
	fprintf(f, file_el, "f-rep1", strlen(rep), sum, "SHA-256",
	        "representations/rep1/METS.xml");
	fputs("  </mets:fileGrp>\n"
	      " </mets:fileSec>\n"
	      " <mets:structMap ID=\"sm\" TYPE=\"PHYSICAL\" LABEL=\"CSIP\">"
	      "<mets:div ID=\"d\" LABEL=\"" OBJID "\">"
	      "<mets:div ID=\"dr\" LABEL=\"Representations/rep1\">"
	      "<mets:mptr LOCTYPE=\"URL\" xlink:type=\"simple\" "
	      "xlink:href=\"representations/rep1/METS.xml\" xlink:title=\"g-rep1\"/>"
	      "</mets:div></mets:div></mets:structMap>\n"
	      "</mets:mets>\n",
	      f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/METS.xml", root);
	if (!var->no_mets)
		write_file(path, text);
	free(rep);
	free(text);
	if (var->missing_file) {
		snprintf(path, sizeof(path), "%s/representations/rep1/data/tệp.txt",
		         root);
		unlink(path);
	}
	if (var->extra_file) {
		snprintf(path, sizeof(path), "%s/representations/rep1/data/extra.txt",
		         root);
		write_file(path, "not listed\n");
	}
}

static const char *const tree_files[] = { "METS.xml", "representations/rep1/METS.xml",
	                                  "representations/rep1/data/tệp.txt",
	                                  "representations/rep1/data/extra.txt" };

/* Adds the file at tmp/OBJID/rel, when there, as OBJID/rel. */
static void zip_file(zip_t *z, const char *rel, int stored)
{
	char src[512], name[512];
	zip_source_t *s;
	zip_int64_t i;

	snprintf(src, sizeof(src), "%s/%s/%s", tmp, OBJID, rel);
	snprintf(name, sizeof(name), "%s/%s", OBJID, rel);
	if (access(src, F_OK) < 0)
		return;
	s = zip_source_file(z, src, 0, -1);
	assert_non_null(s);
	i = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8);
	assert_true(i >= 0);
	if (stored)
		assert_int_equal(
		    zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
}

/* Zips the tree at tmp/OBJID as OBJID/...; returns the archive (still open for more). */
static zip_t *zip_tree(const char *zpath, const struct variant *var)
{
	zip_t *z;
	int err;

	unlink(zpath);
	z = zip_open(zpath, ZIP_CREATE | ZIP_EXCL, &err);
	assert_non_null(z);
	for (size_t i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++)
		zip_file(z, tree_files[i], var->stored);
	for (int i = 0; var->more_there && i < var->more_files; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "representations/rep1/data/m%06d.txt", i);
		zip_file(z, rel, var->stored);
	}
	return z;
}

static void add_text(zip_t *z, const char *name, const char *text)
{
	zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);

	assert_non_null(s);
	assert_true(zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) >= 0);
}

static void rm_tree(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

/* Makes tmp/OBJID (the folder) and tmp/OBJID.zip for var; returns the zip path. */
static const char *make_bundle(const struct variant *var, zip_t **keep_open)
{
	static char zpath[512];
	char root[512];
	zip_t *z;

	snprintf(root, sizeof(root), "%s/%s", tmp, OBJID);
	rm_tree(root);
	make_tree(root, var);
	snprintf(zpath, sizeof(zpath), "%s/%s.zip", tmp, OBJID);
	z = zip_tree(zpath, var);
	if (keep_open)
		*keep_open = z;
	else
		assert_int_equal(zip_close(z), 0);
	return zpath;
}

/* ---- checking ---- */

/* Verifies path with profile and, when lim is not NULL, those limits. */
static struct tthc_report *verify_full(const char *path, enum tthc_verify_profile profile,
                                       const struct tthc_verify_limits *lim,
                                       struct tthc_verifier **keep)
{
	struct tthc_verifier *v;
	struct tthc_report *r = NULL;

	assert_int_equal(tthc_verify_new(ctx, &v), 0);
	assert_int_equal(tthc_verify_set_profile(v, profile), 0);
	if (lim)
		assert_int_equal(tthc_verify_set_limits(v, lim), 0);
	assert_int_equal(tthc_verify_bundle(v, path, NULL, &r), 0);
	if (keep)
		*keep = v;
	else
		tthc_verify_free(v);
	return r;
}

static struct tthc_report *verify(const char *path, enum tthc_verify_profile profile,
                                  struct tthc_verifier **keep)
{
	return verify_full(path, profile, NULL, keep);
}

static int has(const struct tthc_report *r, const char *id)
{
	for (size_t i = 0; i < tthc_report_count(r); i++)
		if (strcmp(tthc_report_get(r, i)->rule, id) == 0)
			return 1;
	return 0;
}

/* The first finding with id, or NULL. */
static const struct tthc_diag *finding(const struct tthc_report *r, const char *id)
{
	for (size_t i = 0; i < tthc_report_count(r); i++)
		if (strcmp(tthc_report_get(r, i)->rule, id) == 0)
			return tthc_report_get(r, i);
	return NULL;
}

static void show(const struct tthc_report *r)
{
	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);

		print_message("  %s:%lu: %s %s\n", d->file, d->line, d->rule, d->message);
	}
}

/* The variant is invalid with a finding id, as a ZIP and as a folder. */
static void expect(const struct variant *var, const char *id, int folder_too)
{
	const char *zpath = make_bundle(var, NULL);
	char dir[512];
	struct tthc_report *r = verify(zpath, TTHC_PROFILE_AUTO, NULL);

	if (!has(r, id))
		show(r);
	assert_true(has(r, id));
	assert_true(tthc_report_errors(r) > 0);
	tthc_report_free(r);
	if (!folder_too)
		return;
	snprintf(dir, sizeof(dir), "%s/%s", tmp, OBJID);
	r = verify(dir, TTHC_PROFILE_AUTO, NULL);
	if (!has(r, id))
		show(r);
	assert_true(has(r, id));
	tthc_report_free(r);
}

static void test_valid(void **state)
{
	const struct variant var = { 0 };
	const char *zpath = make_bundle(&var, NULL);
	struct tthc_verifier *v;
	struct tthc_report *r = verify(zpath, TTHC_PROFILE_AUTO, &v);
	char dir[512];

	(void)state;
	show(r);
	assert_int_equal(tthc_report_errors(r), 0);
	assert_int_equal(tthc_verify_profile_used(v), TTHC_PROFILE_SIP);
	assert_string_equal(tthc_report_file(r), zpath);
	tthc_report_free(r);
	tthc_verify_free(v);
	snprintf(dir, sizeof(dir), "%s/%s", tmp, OBJID);
	r = verify(dir, TTHC_PROFILE_CSIP, NULL);
	show(r);
	assert_int_equal(tthc_report_errors(r), 0);
	tthc_report_free(r);
}

static void test_other_checksums(void **state)
{
	static const char *const algs[] = { "SHA-512", "MD5" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct variant var = { .alg = algs[i] };
		struct tthc_report *r =
		    verify(make_bundle(&var, NULL), TTHC_PROFILE_SIP, NULL);

		show(r);
		assert_int_equal(tthc_report_errors(r), 0);
		tthc_report_free(r);
	}
}

static void test_broken_packages(void **state)
{
	static const struct {
		struct variant var;
		const char *id;
	} cases[] = {
		{ { .wrong_checksum = 1 }, "CSIP71" },
		{ { .alg = "SHA-512", .wrong_checksum = 1 }, "CSIP71" },
		{ { .missing_file = 1 }, "CSIP79" },
		{ { .extra_file = 1 }, "TTHC-PKG-001" },
		{ { .no_mets = 1 }, "CSIPSTR4" },
		{ { .objid = "another" }, "CSIPSTR2" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect(&cases[i].var, cases[i].id, 1);
}

/* A folder holding a symbolic link is refused, and the link is not followed. */
static void test_folder_symlink(void **state)
{
	const struct variant var = { 0 };
	char dir[512], link[600];
	struct tthc_report *r;

	(void)state;
	make_bundle(&var, NULL);
	snprintf(dir, sizeof(dir), "%s/%s", tmp, OBJID);
	snprintf(link, sizeof(link), "%s/representations/rep1/data/passwd", dir);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	r = verify(dir, TTHC_PROFILE_AUTO, NULL);
	show(r);
	assert_true(has(r, "TTHC-ZIP-003"));
	tthc_report_free(r);
}

/* Findings with ids outside the rule table keep their id, severity and own file name. */
static void test_report_add_id(void **state)
{
	struct tthc_report *r = tthc_report_new("b.zip");
	const struct tthc_diag *d;

	(void)state;
	assert_int_equal(tthc_report_add_id(r, "CSIP69", TTHC_SEV_ERROR,
	                                    "b.zip!b/METS.xml", 7, NULL, "size %d", 3),
	                 0);
	assert_int_equal(
	    tthc_report_add_id(r, "CSIP3", TTHC_SEV_WARNING, NULL, 0, "/x", "%s", "w"),
	    0);
	assert_int_equal(tthc_report_errors(r), 1);
	assert_int_equal(tthc_report_warnings(r), 1);
	d = tthc_report_get(r, 0);
	assert_string_equal(d->rule, "CSIP69");
	assert_string_equal(d->file, "b.zip!b/METS.xml");
	assert_int_equal(d->line, 7);
	assert_string_equal(d->message, "size 3");
	d = tthc_report_get(r, 1);
	assert_string_equal(d->file, "b.zip");
	assert_int_equal(d->severity, TTHC_SEV_WARNING);
	assert_string_equal(d->path, "/x");
	tthc_report_free(r);
}

/* ---- hostile archives ---- */

static void expect_zip(zip_t *z, const char *id)
{
	char zpath[512];
	struct tthc_report *r;

	snprintf(zpath, sizeof(zpath), "%s/%s.zip", tmp, OBJID);
	assert_int_equal(zip_close(z), 0);
	r = verify(zpath, TTHC_PROFILE_AUTO, NULL);
	if (!has(r, id))
		show(r);
	assert_true(has(r, id));
	tthc_report_free(r);
}

static void test_hostile_names(void **state)
{
	static const struct {
		const char *name, *id;
	} cases[] = {
		{ OBJID "/../evil", "TTHC-ZIP-002" },
		{ "/tmp/evil", "TTHC-ZIP-002" },
		{ OBJID "\\..\\evil", "TTHC-ZIP-002" },
		{ "C:/evil", "TTHC-ZIP-002" },
		{ OBJID "//evil", "TTHC-ZIP-002" },
		{ "evil", "CSIPSTR1" },
		{ "other/evil", "CSIPSTR1" },
		{ OBJID "/mets.xml", "TTHC-ZIP-004" }, /* METS.xml by case */
		/* tệp.txt in NFD: e, combining circumflex, combining dot below */
		{ OBJID "/representations/rep1/data/te\xcc\x82\xcc\xa3p.txt",
		  "TTHC-ZIP-004" },
		{ OBJID "/METS.xml/x", "TTHC-ZIP-004" }, /* a file that is a folder too */
	};
	const struct variant var = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zip_t *z;

		make_bundle(&var, &z);
		add_text(z, cases[i].name, "evil\n");
		expect_zip(z, cases[i].id);
	}
}

static void test_symlink(void **state)
{
	const struct variant var = { 0 };
	zip_t *z;
	zip_int64_t i;

	(void)state;
	make_bundle(&var, &z);
	i = zip_file_add(z, OBJID "/link", zip_source_buffer(z, "/etc/passwd", 11, 0), 0);
	assert_true(i >= 0);
	assert_int_equal(
	    zip_file_set_external_attributes(z, (zip_uint64_t)i, 0, ZIP_OPSYS_UNIX,
	                                     (zip_uint32_t)(S_IFLNK | 0777) << 16),
	    0);
	expect_zip(z, "TTHC-ZIP-003");
}

/* The whole file at path, its length in *len. */
static unsigned char *load(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	buf = malloc(*len ? (size_t)*len : 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)*len, f), (size_t)*len);
	fclose(f);
	return buf;
}

/* Writes len bytes of buf back over the file at path, and frees buf. */
static void store(const char *path, unsigned char *buf, long len)
{
	FILE *f = fopen(path, "r+b");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, (size_t)len, f), (size_t)len);
	free(buf);
	fclose(f);
}

/* Replaces every occurrence of from by to (same length) in the file at path. */
static void patch_file(const char *path, const void *from, const void *to, size_t n)
{
	long size;
	unsigned char *buf = load(path, &size);
	int found = 0;

	for (long i = 0; i + (long)n <= size; i++)
		if (memcmp(buf + i, from, n) == 0) {
			memcpy(buf + i, to, n);
			found++;
		}
	assert_true(found > 0);
	store(path, buf, size);
}

/* Sets the uncompressed size of entry name in its local and central headers. */
static void patch_entry_size(const char *path, const char *name, uint32_t size)
{
	size_t nlen = strlen(name);
	long len;
	unsigned char *buf = load(path, &len);
	int found = 0;

	for (long i = 0; i + 46 + (long)nlen <= len; i++) {
		long at = -1;

		if (memcmp(buf + i, "PK\3\4", 4) == 0 &&
		    memcmp(buf + i + 30, name, nlen) == 0)
			at = i + 22;
		else if (memcmp(buf + i, "PK\1\2", 4) == 0 &&
		         memcmp(buf + i + 46, name, nlen) == 0)
			at = i + 24;
		if (at < 0)
			continue;
		for (int k = 0; k < 4; k++)
			buf[at + k] = (unsigned char)(size >> (8 * k));
		found++;
	}
	assert_int_equal(found, 2);
	store(path, buf, len);
}

static void test_duplicate(void **state)
{
	const struct variant var = { 0 };
	char zpath[512];
	struct tthc_report *r;
	zip_t *z;

	(void)state;
	make_bundle(&var, &z);
	add_text(z, OBJID "/dupA", "one\n");
	add_text(z, OBJID "/dupB", "two\n");
	assert_int_equal(zip_close(z), 0);
	snprintf(zpath, sizeof(zpath), "%s/%s.zip", tmp, OBJID);
	patch_file(zpath, OBJID "/dupB", OBJID "/dupA", strlen(OBJID "/dupA"));
	r = verify(zpath, TTHC_PROFILE_AUTO, NULL);
	show(r);
	assert_true(has(r, "TTHC-ZIP-004"));
	tthc_report_free(r);
}

/* A source of n zero bytes, so a large entry needs no memory. */
struct zeros {
	zip_uint64_t size, pos;
};

static zip_int64_t zeros_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct zeros *z = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > z->size - z->pos)
			len = z->size - z->pos;
		memset(data, 0, len);
		z->pos += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_MTIME;
		st->size = z->size;
		st->mtime = 0;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return 2 * (zip_int64_t)sizeof(int);
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(
		    ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

static void add_zeros(zip_t *z, const char *name, struct zeros *zs)
{
	zip_source_t *s = zip_source_function(z, zeros_cb, zs);
	zip_int64_t i;

	assert_non_null(s);
	i = zip_file_add(z, name, s, 0);
	assert_true(i >= 0);
	assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, 9),
	                 0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 1 GiB of zeros deflated to about 1 MiB: stopped by the ratio, long before the end. */
static void test_bomb(void **state)
{
	struct zeros zs = { .size = 1ULL << 30 };
	const struct variant var = { 0 };
	struct tthc_report *r;
	char zpath[512];
	double t;
	zip_t *z;

	(void)state;
	make_bundle(&var, &z);
	add_zeros(z, OBJID "/zeros.bin", &zs);
	assert_int_equal(zip_close(z), 0);
	snprintf(zpath, sizeof(zpath), "%s/%s.zip", tmp, OBJID);
	t = now();
	r = verify(zpath, TTHC_PROFILE_AUTO, NULL);
	t = now() - t;
	show(r);
	assert_true(has(r, "TTHC-ZIP-005"));
	print_message("  bomb rejected in %.2f s\n", t);
	tthc_report_free(r);
}

/* The headers say 1000 bytes; the entry holds 64 MiB: read no further than declared. */
static void test_lying_size(void **state)
{
	struct zeros zs = { .size = 64u << 20 };
	const struct variant var = { 0 };
	struct tthc_verify_limits lim = { .max_ratio = 1u << 20 };
	struct tthc_verifier *v;
	struct tthc_report *r;
	char zpath[512];
	zip_t *z;

	(void)state;
	make_bundle(&var, &z);
	add_zeros(z, OBJID "/zeros.bin", &zs);
	assert_int_equal(zip_close(z), 0);
	snprintf(zpath, sizeof(zpath), "%s/%s.zip", tmp, OBJID);
	patch_entry_size(zpath, OBJID "/zeros.bin", 1000);
	assert_int_equal(tthc_verify_new(ctx, &v), 0);
	tthc_verify_set_limits(v, &lim);
	assert_int_equal(tthc_verify_bundle(v, zpath, NULL, &r), 0);
	show(r);
	assert_true(has(r, "TTHC-ZIP-001"));
	tthc_report_free(r);
	tthc_verify_free(v);
}

static void test_total_limit(void **state)
{
	struct zeros zs = { .size = 8u << 20 };
	const struct variant var = { 0 };
	struct tthc_verify_limits lim = { .max_total = 4u << 20, .max_entries = 3 };
	struct tthc_verifier *v;
	struct tthc_report *r;
	char zpath[512];
	zip_t *z;

	(void)state;
	make_bundle(&var, &z);
	add_zeros(z, OBJID "/zeros.bin", &zs);
	assert_int_equal(zip_close(z), 0);
	snprintf(zpath, sizeof(zpath), "%s/%s.zip", tmp, OBJID);
	assert_int_equal(tthc_verify_new(ctx, &v), 0);
	tthc_verify_set_limits(v, &lim);
	assert_int_equal(tthc_verify_bundle(v, zpath, NULL, &r), 0);
	show(r);
	assert_true(has(r, "TTHC-ZIP-005"));
	tthc_report_free(r);
	tthc_verify_free(v);
}

static void test_not_zip(void **state)
{
	char path[512];
	struct tthc_verifier *v;
	struct tthc_report *r;

	(void)state;
	snprintf(path, sizeof(path), "%s/not.zip", tmp);
	write_file(path, "this is no zip\n");
	r = verify(path, TTHC_PROFILE_AUTO, NULL);
	assert_true(has(r, "TTHC-ZIP-001"));
	tthc_report_free(r);
	snprintf(path, sizeof(path), "%s/no-such.zip", tmp);
	assert_int_equal(tthc_verify_new(ctx, &v), 0);
	assert_int_equal(tthc_verify_bundle(v, path, NULL, &r), -ENOENT);
	assert_true(strlen(tthc_verify_error(v)) > 0);
	tthc_verify_free(v);
}

/* ---- stored entries, read straight from the archive ---- */

static void test_crc32(void **state)
{
	/* Every length to 200 (each tail after the 64-byte folds), then a few large. */
	static const size_t large[] = { 4109, 65536, 65537, (1u << 20) + 7 };
	static const size_t offs[] = { 0, 1, 7, 13 };
	unsigned char *buf = malloc((1u << 20) + 64);
	unsigned seed = 1;

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < (1u << 20) + 64; i++)
		buf[i] = (unsigned char)rand_r(&seed);
	for (size_t l = 0; l < 200 + sizeof(large) / sizeof(large[0]); l++) {
		size_t len = l < 200 ? l : large[l - 200], split = len / 3;

		for (size_t o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
			const unsigned char *p = buf + offs[o];
			uint32_t want = (uint32_t)crc32_z(0, p, len);
			uint32_t first = tthc_crc32(0, p, split);

			assert_int_equal(tthc_crc32(0, p, len), want);
			assert_int_equal(tthc_crc32(first, p + split, len - split), want);
		}
	}
	free(buf);
}

/* Opens zpath as the verifier does; returns the entry named rel (under OBJID/). */
static const struct tthc_pkg_entry *open_pkg(struct tthc_pkg *p, const char *zpath,
                                             const char *rel, struct tthc_report **r)
{
	static const struct tthc_verify_limits lim = { 10000, 1u << 30, 200 };

	*r = tthc_report_new(zpath);
	assert_int_equal(tthc_pkg_open(p, zpath, zpath, &lim, *r), 0);
	assert_int_equal(tthc_report_count(*r), 0);
	return tthc_pkg_find(p, rel);
}

static void test_stored(void **state)
{
	const struct variant stored = { .stored = 1 }, deflated = { 0 };
	const struct tthc_pkg_entry *e;
	struct tthc_report *r;
	struct tthc_pkg p;
	const char *zpath;

	(void)state;
	/* Stored: found in the central directory, read at its offset. */
	zpath = make_bundle(&stored, NULL);
	e = open_pkg(&p, zpath, "representations/rep1/data/tệp.txt", &r);
	assert_non_null(e);
	assert_true(e->stored);
	assert_true(e->header != TTHC_NO_HEADER);
	tthc_pkg_close(&p);
	tthc_report_free(r);
	r = verify(zpath, TTHC_PROFILE_AUTO, NULL);
	show(r);
	assert_int_equal(tthc_report_errors(r), 0);
	tthc_report_free(r);
	/* Deflated: read through libzip (libzip stores what deflate would not shrink). */
	zpath = make_bundle(&deflated, NULL);
	e = open_pkg(&p, zpath, "METS.xml", &r);
	assert_non_null(e);
	assert_false(e->stored);
	assert_int_equal(e->header, TTHC_NO_HEADER);
	tthc_pkg_close(&p);
	tthc_report_free(r);
	/* A byte changed in stored data: the CRC-32 tells. */
	zpath = make_bundle(&stored, NULL);
	patch_file(zpath, "Dữ", "dữ", strlen("Dữ"));
	r = verify(zpath, TTHC_PROFILE_AUTO, NULL);
	show(r);
	assert_true(has(r, "TTHC-ZIP-001"));
	assert_non_null(strstr(finding(r, "TTHC-ZIP-001")->message, "CRC"));
	tthc_report_free(r);
}

/* Sets a 16-bit field of entry name's local header (offset in the header). */
static void patch_local(const char *path, const char *name, int at, unsigned value)
{
	size_t nlen = strlen(name);
	long len;
	unsigned char *buf = load(path, &len);
	int found = 0;

	for (long i = 0; i + 30 + (long)nlen <= len; i++)
		if (memcmp(buf + i, "PK\3\4", 4) == 0 &&
		    memcmp(buf + i + 30, name, nlen) == 0) {
			buf[i + at] = (unsigned char)value;
			buf[i + at + 1] = (unsigned char)(value >> 8);
			found++;
		}
	assert_int_equal(found, 1);
	store(path, buf, len);
}

/* A local header that disagrees with the central directory is not trusted. */
static void test_stored_local_header(void **state)
{
	static const struct {
		int at;
		unsigned value;
	} cases[] = {
		{ 8, 8 },  /* the method: deflated */
		{ 6, 1 },  /* the flags: encrypted */
		{ 28, 4 }, /* the extra field's length: the data would start later */
		{ 26, 5 }, /* the name's length */
	};
	const struct variant var = { .stored = 1 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *zpath = make_bundle(&var, NULL);
		struct tthc_report *r;

		patch_local(zpath, OBJID "/representations/rep1/data/tệp.txt",
		            cases[i].at, cases[i].value);
		r = verify(zpath, TTHC_PROFILE_AUTO, NULL);
		if (!has(r, "TTHC-ZIP-001") && !has(r, "TTHC-ZIP-005"))
			show(r);
		assert_true(has(r, "TTHC-ZIP-001") || has(r, "TTHC-ZIP-005"));
		tthc_report_free(r);
	}
}

/* ---- memory: METS documents listing many files ---- */

static struct tthc_report *verify_with(const char *path,
                                       const struct tthc_verify_limits *lim,
                                       struct tthc_verifier **keep)
{
	return verify_full(path, TTHC_PROFILE_AUTO, lim, keep);
}

/* 10,000 files, each listed and there, still verify (with room for the entries). */
static void test_many_files(void **state)
{
	const struct variant var = { .more_files = 10000, .more_there = 1, .stored = 1 };
	const struct tthc_verify_limits lim = { .max_entries = 20000 };
	struct tthc_report *r;

	(void)state;
	r = verify_with(make_bundle(&var, NULL), &lim, NULL);
	show(r);
	assert_int_equal(tthc_report_errors(r), 0);
	tthc_report_free(r);
}

/* 30,000 files listed: the tree would be too large, and is not built. */
static void test_mets_tree_limit(void **state)
{
	const struct variant var = { .more_files = 30000 };
	const struct tthc_diag *d;
	struct tthc_report *r;

	(void)state;
	r = verify(make_bundle(&var, NULL), TTHC_PROFILE_AUTO, NULL);
	d = finding(r, "TTHC-ZIP-005");
	if (!d)
		show(r);
	assert_non_null(d);
	assert_non_null(strstr(d->file, "representations/rep1/METS.xml"));
	assert_non_null(strstr(d->message, "36 MiB"));
	/* Nothing of what it lists is looked for, nor reported unlisted. */
	assert_false(has(r, "CSIP79"));
	assert_false(has(r, "TTHC-PKG-001"));
	tthc_report_free(r);
}

/* References past what the entry limit allows for are refused, once, and not kept. */
static void test_refs_limit(void **state)
{
	const struct variant var = { .more_files = 1000 };
	const struct tthc_verify_limits lim = { .max_entries = 50 };
	const struct tthc_diag *d;
	struct tthc_verifier *v;
	struct tthc_report *r;
	size_t n = 0;

	(void)state;
	r = verify_with(make_bundle(&var, NULL), &lim, &v);
	d = finding(r, "TTHC-ZIP-005");
	if (!d)
		show(r);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "50 entries"));
	for (size_t i = 0; i < tthc_report_count(r); i++)
		n += strcmp(tthc_report_get(r, i)->rule, "TTHC-ZIP-005") == 0;
	assert_int_equal(n, 1);
	assert_true(v->nrefs * sizeof(*v->refs) <= 50 * 512);
	assert_true(v->refs_alloc * sizeof(*v->refs) <= 50 * 512 + sizeof(*v->refs));
	assert_false(has(r, "TTHC-PKG-001"));
	tthc_report_free(r);
	tthc_verify_free(v);
}

/* Builds, in a static buffer, a comment of about pad bytes holding a quote, then an
 * element with n attributes. */
static const char *crowded_element(size_t pad, int n)
{
	static char buf[80 * 1024];
	size_t len;

	assert_true(pad + 64 + 16 * (size_t)n < sizeof(buf));
	len = (size_t)snprintf(buf, sizeof(buf), " <!-- it's %*s -->\n <mets:x", (int)pad,
	                       "");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " a%d=\"=>\"", i);
	snprintf(buf + len, sizeof(buf) - len, "/>\n");
	return buf;
}

/*
 * An element with too many attributes is refused before libxml2 parses it, wherever the
 * parser's pieces (64 KiB) cut it, whatever quotes a comment before it holds.
 */
static void test_crowded_element(void **state)
{
	int head = (int)strlen(xml_decl) +
	           snprintf(NULL, 0, mets_head, "rep1",
	                    "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml");

	(void)state;
	for (int n = 64; n <= 65; n++) {
		/* The element starts some 200 bytes before the first piece ends. */
		struct variant var = { .rep_extra = crowded_element(
			                   (size_t)(64 * 1024 - head - 200), n) };
		struct tthc_report *r =
		    verify(make_bundle(&var, NULL), TTHC_PROFILE_AUTO, NULL);
		const struct tthc_diag *d = finding(r, "CSIPSTR12");

		if (n == 65 && !d)
			show(r);
		if (n == 64)
			assert_true(!d || !strstr(d->message, "attributes"));
		else
			assert_true(d && strstr(d->message, "more than 64 attributes"));
		tthc_report_free(r);
	}
}

/* A DOCTYPE stops the parse before any entity is declared, let alone expanded. */
static void test_mets_doctype(void **state)
{
	const struct variant var = {
		.rep_prolog = "<!DOCTYPE mets:mets [<!ENTITY a \"aaaaaaaaaa\">"
		              "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
	};
	struct tthc_report *r = verify(make_bundle(&var, NULL), TTHC_PROFILE_AUTO, NULL);
	const struct tthc_diag *d = finding(r, "CSIPSTR12");

	(void)state;
	if (!d)
		show(r);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "DOCTYPE"));
	assert_int_equal(d->line, 2);
	tthc_report_free(r);
}

/* A finding quoting a huge attribute is cut short, between two UTF-8 characters. */
static void test_long_message(void **state)
{
	char *sum = malloc(100 * 1024);
	struct variant var = { .checksum = sum };
	struct tthc_report *r;
	int long_one = 0;

	(void)state;
	assert_non_null(sum);
	strcpy(sum, "z");
	for (int i = 0; i < 10000; i++)
		strcat(sum, "ữ"); /* three bytes: the cut must not split one */
	r = verify(make_bundle(&var, NULL), TTHC_PROFILE_AUTO, NULL);
	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const char *msg = tthc_report_get(r, i)->message;
		size_t len = strlen(msg);

		assert_true(len <= 1024);
		if (len > 900) {
			long_one = 1;
			assert_string_equal(msg + len - 3, "…");
			assert_string_equal(msg + len - 6, "ữ…");
		}
	}
	assert_true(long_one);
	tthc_report_free(r);
	free(sum);
}

/* ---- extraction ---- */

static void test_extract(void **state)
{
	const struct variant var = { 0 };
	const char *zpath = make_bundle(&var, NULL);
	struct tthc_verifier *v;
	struct tthc_report *r;
	char out[512], path[600], *text;
	struct stat st;

	(void)state;
	snprintf(out, sizeof(out), "%s/out", tmp);
	rm_tree(out);
	assert_int_equal(mkdir(out, 0777), 0);
	r = verify(zpath, TTHC_PROFILE_AUTO, &v);
	assert_int_equal(tthc_report_errors(r), 0);
	tthc_report_free(r);
	if (tthc_verify_extract(v, out) != 0)
		fail_msg("extract: %s", tthc_verify_error(v));
	snprintf(path, sizeof(path), "%s/%s/representations/rep1/data/tệp.txt", out,
	         OBJID);
	text = slurp(path);
	assert_string_equal(text, DATA);
	free(text);
	/* Never into an existing folder. */
	assert_int_equal(tthc_verify_extract(v, out), -EEXIST);
	assert_int_equal(lstat(path, &st), 0);
	tthc_verify_free(v);

	/* An invalid bundle is not extracted. */
	{
		const struct variant bad = { .extra_file = 1 };

		rm_tree(out);
		assert_int_equal(mkdir(out, 0777), 0);
		r = verify(make_bundle(&bad, NULL), TTHC_PROFILE_AUTO, &v);
		assert_true(tthc_report_errors(r) > 0);
		tthc_report_free(r);
		assert_int_equal(tthc_verify_extract(v, out), -EINVAL);
		tthc_verify_free(v);
	}
}

/* A symbolic link planted where the root folder would go is not followed. */
static void test_extract_symlink(void **state)
{
	const struct variant var = { 0 };
	const char *zpath = make_bundle(&var, NULL);
	struct tthc_verifier *v;
	struct tthc_report *r;
	char out[512], outside[512], link[600], probe[700];

	(void)state;
	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(outside, sizeof(outside), "%s/outside", tmp);
	rm_tree(out);
	rm_tree(outside);
	assert_int_equal(mkdir(out, 0777), 0);
	assert_int_equal(mkdir(outside, 0777), 0);
	snprintf(link, sizeof(link), "%s/%s", out, OBJID);
	assert_int_equal(symlink(outside, link), 0);
	r = verify(zpath, TTHC_PROFILE_AUTO, &v);
	tthc_report_free(r);
	assert_true(tthc_verify_extract(v, out) < 0);
	snprintf(probe, sizeof(probe), "%s/METS.xml", outside);
	assert_int_equal(access(probe, F_OK), -1);
	snprintf(probe, sizeof(probe), "%s/representations", outside);
	assert_int_equal(access(probe, F_OK), -1);
	tthc_verify_free(v);
}

/* ---- the tthc profile on a sample packed by hand (as tests/cli does with Python) ----
 */

static void test_resolve(void **state)
{
	static const struct {
		const char *base, *href, *want;
	} cases[] = {
		{ "", "METS.xml", "METS.xml" },
		{ "", "file:METS.xml", "METS.xml" },
		{ "representations/rep1/", "data/a%20b.pdf",
		  "representations/rep1/data/a b.pdf" },
		{ "representations/rep1/", "../../metadata/x.xml", "metadata/x.xml" },
		{ "representations/rep1/", "./data//a.pdf",
		  "representations/rep1/data/a.pdf" },
		{ "", "../x", NULL },
		{ "", "/etc/passwd", NULL },
		{ "", "file:///etc/passwd", NULL },
		{ "", "http://example.com/x", NULL },
		{ "", "a%00b", NULL },
		{ "", "a%2", NULL },
		{ "", "dir/", NULL },
		{ "", "", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = tthc_verify_resolve(cases[i].base, cases[i].href);

		if (cases[i].want) {
			assert_non_null(got);
			assert_string_equal(got, cases[i].want);
		} else {
			assert_null(got);
		}
		free(got);
	}
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/test_verify.XXXXXX", base);
	assert_non_null(mkdtemp(tmp));
	return tthc_ctx_new(&ctx);
}

static int teardown(void **state)
{
	(void)state;
	rm_tree(tmp);
	tthc_ctx_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_other_checksums),
		cmocka_unit_test(test_broken_packages),
		cmocka_unit_test(test_report_add_id),
		cmocka_unit_test(test_folder_symlink),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_symlink),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_not_zip),
		cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_lying_size),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_stored),
		cmocka_unit_test(test_stored_local_header),
		cmocka_unit_test(test_many_files),
		cmocka_unit_test(test_mets_tree_limit),
		cmocka_unit_test(test_refs_limit),
		cmocka_unit_test(test_crowded_element),
		cmocka_unit_test(test_mets_doctype),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_extract_symlink),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
