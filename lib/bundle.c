/* SPDX-License-Identifier: MIT */
/* tthc_bundle_*: a dossier and its attachments packed as an E-ARK SIP in one ZIP. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "bundle_int.h"

#define OBJID_MAX 200
/* A time without a zone is Vietnam's (UTC+7, no daylight saving). */
#define DEFAULT_ZONE "+07:00"
#define DEFAULT_OFFSET (7 * 3600)

int tthc_bundle_fail(struct tthc_bundle *b, int err, const char *fmt, ...)
{
	va_list ap;

	/* The first failure is the cause; what libzip reports after it is a consequence.
	 */
	if (b->error[0])
		return err;
	b->error_code = err;
	va_start(ap, fmt);
	vsnprintf(b->error, sizeof(b->error), _(fmt), ap);
	va_end(ap);
	return err;
}

int tthc_sha256_hex(const void *p, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32];

	if (!EVP_Digest(p, len, md, NULL, EVP_sha256(), NULL))
		return -TTHC_E_INTERNAL;
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

static void digest_hex(const unsigned char *md, char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

/* ---- reading the dossier ------------------------------------------------------ */

/* A copy of s without XML blanks around it, as the schema reads a token. */
static char *dup_trim(const char *s)
{
	size_t n;

	if (!s)
		return strdup("");
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
	             s[n - 1] == '\n'))
		n--;
	return strndup(s, n);
}

static int objid_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-';
}

/* --id as given: the OBJID alphabet, not hidden, not a directory name. */
static int id_ok(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= OBJID_MAX && id[0] != '.' &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                  "abcdefghijklmnopqrstuvwxyz"
	                  "0123456789._-") == n;
}

/* MaHoSo with every byte outside the alphabet made '_' (a leading '.' too). */
static int objid_from(const char *mahoso, char *out, size_t size)
{
	size_t n = strlen(mahoso);

	if (n == 0 || n > OBJID_MAX || n >= size)
		return -TTHC_E_INVALID;
	for (size_t i = 0; i < n; i++)
		out[i] = objid_char((unsigned char)mahoso[i]) ? mahoso[i] : '_';
	out[n] = '\0';
	if (out[0] == '.')
		out[0] = '_';
	return 0;
}

static void free_meta(struct tthc_bundle_meta *m)
{
	free(m->mahoso);
	free(m->matthc);
	free(m->tentthc);
	free(m->agency_code);
	free(m->agency_name);
	free(m->received);
	free(m->owner);
	memset(m, 0, sizeof(*m));
}

static void free_files(struct tthc_bundle *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		struct tthc_bundle_file *f = &b->files[i];

		free(f->code);
		free(f->title);
		free(f->src);
		free(f->declared);
		free(f->name);
		if (f->fd >= 0)
			close(f->fd);
	}
	free(b->files);
	b->files = NULL;
	b->nfiles = 0;
}

static const struct {
	const char *ext, *mime;
	int deflate;
} formats[] = {
	{ "pdf", "application/pdf", 0 },   { "jpg", "image/jpeg", 0 },
	{ "jpeg", "image/jpeg", 0 },       { "png", "image/png", 0 },
	{ "zip", "application/zip", 0 },   { "tif", "image/tiff", 0 },
	{ "tiff", "image/tiff", 0 },       { "xml", "application/xml", 1 },
	{ "json", "application/json", 1 }, { "txt", "text/plain", 1 },
	{ "csv", "text/csv", 1 },
};

/* The data file's extension (lower case, [a-z0-9], else "bin"), MIME type and method. */
static void classify(struct tthc_bundle_file *f, char *ext, size_t size)
{
	const char *base = strrchr(f->src, '/'), *dot;
	size_t n = 0;

	base = base ? base + 1 : f->src;
	dot = strrchr(base, '.');
	if (dot && dot != base) {
		for (dot++; *dot && n + 1 < size; dot++, n++) {
			if (!isalnum((unsigned char)*dot)) {
				n = 0;
				break;
			}
			ext[n] = (char)tolower((unsigned char)*dot);
		}
		if (*dot)
			n = 0;
	}
	if (n == 0)
		snprintf(ext, size, "bin");
	else
		ext[n] = '\0';
	f->mime = "application/octet-stream";
	f->deflate = 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(ext, formats[i].ext) == 0) {
			f->mime = formats[i].mime;
			f->deflate = formats[i].deflate;
		}
	}
}

static char *text_of(xmlNodePtr parent, const char *name)
{
	return dup_trim(parent ? tthc_child_text(parent, name) : NULL);
}

/* The envelope fields the metadata repeat; the form itself is not read. */
static int read_meta(xmlNodePtr root, struct tthc_bundle_meta *m)
{
	xmlNodePtr agency = tthc_child(root, "CoQuanTiepNhan");
	const struct tthc_procedure *proc;

	m->mahoso = text_of(root, "MaHoSo");
	m->matthc = text_of(root, "MaTTHC");
	m->agency_code = text_of(agency, "MaDinhDanh");
	m->agency_name = text_of(agency, "TenCoQuan");
	m->received = text_of(root, "NgayTiepNhan");
	m->owner = text_of(tthc_child(root, "NguoiNop"), "HoTen");
	m->tentthc =
	    strdup(tthc_procedure_find(m->matthc, &proc, NULL) == 0 ? proc->name : "");
	if (!m->mahoso || !m->matthc || !m->agency_code || !m->agency_name ||
	    !m->received || !m->owner || !m->tentthc)
		return -ENOMEM;
	return 0;
}

/*
 * The labels of a data file: MaThanhPhanHoSo and TenTepDinhKem of a TepDinhKem, or
 * KetQua/SoGiayTo and "Kết quả: <TenTTHC>" for the result file.  Replaces what file
 * held (the normalised dossier relabels).  0 or -ENOMEM.
 */
static int label_file(struct tthc_bundle_file *file, xmlNodePtr f, xmlNodePtr ketqua,
                      const char *tentthc)
{
	free(file->code);
	free(file->title);
	if (file->result) {
		file->code = text_of(ketqua, "SoGiayTo");
		if (asprintf(&file->title, "Kết quả: %s", tentthc ? tentthc : "") < 0)
			file->title = NULL;
	} else {
		file->code = text_of(f, "MaThanhPhanHoSo");
		file->title = text_of(f, "TenTepDinhKem");
	}
	return file->code && file->title ? 0 : -ENOMEM;
}

/* Fills file from a TepDinhKem or TepKetQua element; number is its NN.  0 or -ENOMEM. */
static int read_file(struct tthc_bundle_file *file, xmlNodePtr f, const char *mahoso,
                     size_t number)
{
	char ext[16];

	file->src = text_of(f, "DuongDan");
	file->declared = text_of(f, "SHA256");
	if (!file->src || !file->declared)
		return -ENOMEM;
	classify(file, ext, sizeof(ext));
	if (asprintf(&file->name, "%s.%02zu.%s", mahoso, number, ext) < 0) {
		file->name = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * The attachments in the order of TaiLieuNop, then the result file (KetQua/TepKetQua)
 * when the dossier has one: nothing the dossier points to is left out of the bundle.
 * With relabel, the files are those already read: only their labels are read again
 * (from the normalised dossier); a different number of files is -TTHC_E_INVALID.
 */
static int read_files(struct tthc_bundle *b, xmlNodePtr root, const char *mahoso,
                      const char *tentthc, int relabel)
{
	xmlNodePtr list = tthc_child(root, "TaiLieuNop"), f;
	xmlNodePtr ketqua = tthc_child(root, "KetQua");
	xmlNodePtr result = ketqua ? tthc_child(ketqua, "TepKetQua") : NULL;
	size_t n = result ? 1 : 0, i = 0;
	int r;

	for (f = list ? tthc_child(list, "TepDinhKem") : NULL; f; f = tthc_next_same(f))
		n++;
	if (relabel &&
	    (n != b->nfiles || (n && b->files[n - 1].result != (result != NULL))))
		return tthc_bundle_fail(
		    b, -TTHC_E_INVALID,
		    N_("%s: the normalised dossier lists other files"), b->name);
	if (!relabel && !(b->files = calloc(n ? n : 1, sizeof(*b->files))))
		return -ENOMEM;
	for (f = list ? tthc_child(list, "TepDinhKem") : NULL; f; f = tthc_next_same(f)) {
		struct tthc_bundle_file *file = &b->files[i++];

		if (!relabel) {
			b->nfiles = i;
			file->fd = -1;
			if ((r = read_file(file, f, mahoso, i)) < 0)
				return r;
		}
		if ((r = label_file(file, f, ketqua, tentthc)) < 0)
			return r;
	}
	if (result) {
		struct tthc_bundle_file *file = &b->files[i++];

		if (!relabel) {
			b->nfiles = i;
			file->fd = -1;
			file->result = 1;
			if ((r = read_file(file, result, mahoso, i)) < 0)
				return r;
		}
		if ((r = label_file(file, result, ketqua, tentthc)) < 0)
			return r;
	}
	return 0;
}

/*
 * Parses buf and fills meta; files 1: and the file list; files 2: and the labels of
 * the files already listed (the normalised dossier).
 */
static int read_dossier(struct tthc_bundle *b, const char *buf, size_t len,
                        struct tthc_bundle_meta *meta, int files)
{
	struct tthc_xmlsafe x = { 0 };
	struct tthc_xml_error xe;
	xmlDocPtr doc;
	xmlNodePtr root;
	char mahoso[OBJID_MAX + 1];
	int r;

	if (len > b->ctx->max_size)
		return tthc_bundle_fail(b, -TTHC_E_TOOBIG, "%s: %s", b->name,
		                        tthc_strerror(-TTHC_E_TOOBIG));
	doc = tthc_xmlsafe_parse(&x, buf, len, b->name, &xe);
	tthc_xmlsafe_release(&x);
	if (!doc)
		return tthc_bundle_fail(b, xe.nomem ? -ENOMEM : -TTHC_E_XML,
		                        N_("%s: not a well-formed dossier"), b->name);
	root = xmlDocGetRootElement(doc);
	if (!root || !tthc_is(root, "HoSo")) {
		xmlFreeDoc(doc);
		return tthc_bundle_fail(b, -TTHC_E_XML,
		                        N_("%s: the root element is not HoSo"), b->name);
	}
	if (tthc_join_values(root) < 0 || (r = read_meta(root, meta)) < 0) {
		xmlFreeDoc(doc);
		return -ENOMEM;
	}
	r = objid_from(meta->mahoso, mahoso, sizeof(mahoso));
	if (r < 0)
		tthc_bundle_fail(b, r, N_("%s: MaHoSo '%s' gives no package id"), b->name,
		                 meta->mahoso);
	else if (files)
		r = read_files(b, root, mahoso, meta->tentthc, files == 2);
	xmlFreeDoc(doc);
	return r;
}

/* ---- the package time ------------------------------------------------------------ */

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * NgayTiepNhan (xs:dateTime) gives the instant: written as is into METS (with the
 * Vietnam zone added when it has none), in UTC for the ZIP.
 */
static int set_time_from(struct tthc_bundle *b, const char *s)
{
	struct tm tm = { 0 };
	const char *zone = s + 19;
	int y, mo, d, h, mi, sec, zh = 0, zm = 0;
	long offset = DEFAULT_OFFSET;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (*zone == '.')
		zone += 1 + strspn(zone + 1, "0123456789");
	if (*zone == 'Z') {
		offset = 0;
	} else if ((*zone == '+' || *zone == '-') && strlen(zone) == 6 &&
	           !digits(zone + 1, 2, &zh) && zone[3] == ':' &&
	           !digits(zone + 4, 2, &zm)) {
		offset = (*zone == '-' ? -1 : 1) * (zh * 3600L + zm * 60L);
	} else if (*zone) {
		return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	b->zip_time = timegm(&tm) - offset;
	snprintf(b->created, sizeof(b->created), "%s%s", s, *zone ? "" : DEFAULT_ZONE);
	return 0;
}

static int set_time(struct tthc_bundle *b, const struct tthc_bundle_options *opts)
{
	struct tm tm;
	time_t t;

	if (!opts || !opts->have_epoch) {
		if (strlen(b->meta.received) < sizeof(b->created) - 8 &&
		    set_time_from(b, b->meta.received) == 0)
			return 0;
		return tthc_bundle_fail(
		    b, -TTHC_E_INVALID,
		    N_("%s: NgayTiepNhan '%s' is not a date and time"), b->name,
		    b->meta.received);
	}
	t = (time_t)opts->epoch;
	if (opts->epoch < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
		return tthc_bundle_fail(b, -TTHC_E_INVALID,
		                        N_("SOURCE_DATE_EPOCH %lld is out of range"),
		                        opts->epoch);
	b->zip_time = t;
	strftime(b->created, sizeof(b->created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

/* ---- attachments --------------------------------------------------------------- */

static int open_files(struct tthc_bundle *b, const char *basedir)
{
	int dirfd = open(basedir ? basedir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dirfd < 0)
		return tthc_bundle_fail(b, -errno, "%s: %s", basedir ? basedir : ".",
		                        strerror(errno));
	for (size_t i = 0; i < b->nfiles; i++) {
		struct tthc_bundle_file *f = &b->files[i];
		struct stat st;
		int e;

		f->fd = *f->src ? tthc_open_beneath(dirfd, f->src) : -1;
		e = *f->src ? errno : ENOENT;
		if (f->fd >= 0 && fstat(f->fd, &st) < 0)
			e = errno;
		else if (f->fd >= 0 && !S_ISREG(st.st_mode))
			e = EINVAL;
		else if (f->fd >= 0)
			e = 0;
		if (e) {
			close(dirfd);
			return tthc_bundle_fail(
			    b, -e, N_("%s: attachment '%s': %s"), b->name, f->src,
			    e == EINVAL ? _("not a regular file") : strerror(e));
		}
		/* Reads block from here on: the data are read in large chunks. */
		fcntl(f->fd, F_SETFL, fcntl(f->fd, F_GETFL) & ~O_NONBLOCK);
		f->size = st.st_size;
		f->mtime = st.st_mtim;
	}
	close(dirfd);
	return 0;
}

/* ---- the stamp ----------------------------------------------------------------- */

static void md_str(EVP_MD_CTX *md, const char *label, const char *s)
{
	EVP_DigestUpdate(md, label, strlen(label) + 1);
	EVP_DigestUpdate(md, s ? s : "", strlen(s ? s : "") + 1);
}

/*
 * What the bundle's bytes are a function of, and nothing else (no mtimes, no paths
 * outside the dossier): so the stamp can live in the ZIP without spoiling
 * reproducibility.  An attachment's content is covered by the SHA256 the dossier
 * declares (and the validator checks) and by its size.
 */
/*
 * The revision of the bytes tthc-pack writes: raised with every change to what the same
 * inputs give (entry order, metadata, compression), so that bundles of an earlier
 * revision are not taken for up to date.  2: parts deflated at level 6 by one stream,
 * TYPE="Other", the result file.
 */
#define BUNDLE_LAYOUT "2"

static int make_stamp(struct tthc_bundle *b, const char *buf, size_t len,
                      const struct tthc_bundle_options *opts)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char out[32];
	char hex[65], tmp[64];
	int ok;

	if (!md)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	md_str(md, "tthc", tthc_version());
	/* What else makes the bytes: our layout, and the libraries that write them. */
	md_str(md, "layout", BUNDLE_LAYOUT);
	md_str(md, "zlib", zlibVersion());
	md_str(md, "libzip", zip_libzip_version());
	md_str(md, "id", opts ? opts->id : NULL);
	snprintf(tmp, sizeof(tmp), "%lld", opts && opts->have_epoch ? opts->epoch : -1LL);
	md_str(md, "epoch", tmp);
	md_str(md, "settings", opts ? opts->settings : NULL);
	snprintf(tmp, sizeof(tmp), "%zu", len);
	md_str(md, "dossier", tmp);
	EVP_DigestUpdate(md, buf, len);
	for (size_t i = 0; i < b->nfiles; i++) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)b->files[i].size);
		md_str(md, b->files[i].src, tmp);
	}
	ok = ok && EVP_DigestFinal_ex(md, out, NULL);
	EVP_MD_CTX_free(md);
	if (!ok)
		return -TTHC_E_INTERNAL;
	digest_hex(out, hex);
	snprintf(b->stamp, sizeof(b->stamp), TTHC_BUNDLE_STAMP_PREFIX "%s", hex);
	return 0;
}

/* ---- public: open, query, free -------------------------------------------------- */

TTHC_EXPORT int tthc_bundle_open(struct tthc_ctx *ctx, const char *buf, size_t len,
                                 const char *name, const char *basedir,
                                 const struct tthc_bundle_options *opts,
                                 struct tthc_bundle **out)
{
	struct tthc_bundle *b = calloc(1, sizeof(*b));
	int r;

	if (out)
		*out = b;
	if (!b)
		return -ENOMEM;
	b->ctx = ctx;
	b->name = strdup(name ? name : "-");
	if (!b->name)
		return -ENOMEM;
	tthc_xml_init();
	if ((r = read_dossier(b, buf, len, &b->meta, 1)) < 0)
		return r;
	if (opts && opts->id && !id_ok(opts->id))
		return tthc_bundle_fail(
		    b, -TTHC_E_INVALID,
		    N_("invalid package id '%s': letters, digits, '.', '_' and "
		       "'-' only, not starting with '.'"),
		    opts->id);
	if (opts && opts->id)
		snprintf(b->objid, sizeof(b->objid), "%s", opts->id);
	else
		objid_from(b->meta.mahoso, b->objid, sizeof(b->objid));
	if ((r = set_time(b, opts)) < 0 || (r = open_files(b, basedir)) < 0)
		return r;
	b->doc = malloc(len ? len : 1);
	if (!b->doc)
		return -ENOMEM;
	memcpy(b->doc, buf, len);
	b->doc_len = len;
	return make_stamp(b, buf, len, opts);
}

TTHC_EXPORT const char *tthc_bundle_objid(const struct tthc_bundle *b)
{
	return b->objid;
}

TTHC_EXPORT const char *tthc_bundle_stamp(const struct tthc_bundle *b)
{
	return b->stamp;
}

TTHC_EXPORT const char *tthc_bundle_error(const struct tthc_bundle *b)
{
	return b ? b->error : "";
}

TTHC_EXPORT void tthc_bundle_set_events(struct tthc_bundle *b,
                                        const struct tthc_bundle_events *ev)
{
	b->events = *ev;
}

TTHC_EXPORT int tthc_bundle_set_dossier(struct tthc_bundle *b, const char *buf,
                                        size_t len)
{
	struct tthc_bundle_meta meta = { 0 };
	char objid[256];
	char *copy;
	int r = read_dossier(b, buf, len, &meta, 2);

	if (r < 0) {
		free_meta(&meta);
		return r;
	}
	objid_from(meta.mahoso, objid, sizeof(objid));
	if (strcmp(meta.mahoso, b->meta.mahoso) != 0) {
		r = tthc_bundle_fail(b, -TTHC_E_INVALID,
		                     N_("%s: MaHoSo changed from '%s' to '%s'"), b->name,
		                     b->meta.mahoso, meta.mahoso);
		free_meta(&meta);
		return r;
	}
	copy = malloc(len ? len : 1);
	if (!copy) {
		free_meta(&meta);
		return -ENOMEM;
	}
	memcpy(copy, buf, len);
	free(b->doc);
	b->doc = copy;
	b->doc_len = len;
	free_meta(&b->meta);
	b->meta = meta;
	return 0;
}

TTHC_EXPORT void tthc_bundle_free(struct tthc_bundle *b)
{
	if (!b)
		return;
	free_files(b);
	free_meta(&b->meta);
	for (int i = 0; i < TTHC_PART_COUNT; i++)
		free(b->parts[i].buf.p);
	free(b->doc);
	free(b->name);
	free(b);
}

TTHC_EXPORT int tthc_bundle_current(const struct tthc_bundle *b, const char *path,
                                    long long newest_input_ns)
{
	struct stat st;
	const char *comment;
	long long zip_ns;
	zip_t *za;
	int e, len = 0, same;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	zip_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	if (zip_ns < newest_input_ns)
		return 0;
	for (size_t i = 0; i < b->nfiles; i++)
		if (zip_ns <
		    b->files[i].mtime.tv_sec * 1000000000LL + b->files[i].mtime.tv_nsec)
			return 0;
	za = zip_open(path, ZIP_RDONLY, &e);
	if (!za)
		return 0;
	comment = zip_get_archive_comment(za, &len, ZIP_FL_ENC_RAW);
	same = comment && (size_t)len == strlen(b->stamp) &&
	       memcmp(comment, b->stamp, (size_t)len) == 0;
	zip_discard(za);
	return same;
}
