/* SPDX-License-Identifier: MIT */
/* Rules TTHC-FILE-*: each attachment exists, is whole, and is what it says. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "internal.h"

#define CHUNK TTHC_SCRATCH_SIZE
#define HEAD TTHC_MAGIC_HEAD /* bytes kept for the magic check */

/* One file reference (TepDinhKem, TepKetQua) as the checks see it. */
struct attachment {
	xmlNodePtr ref, path_node;
	const char *label; /* the reference's element name */
	const char *path;  /* DuongDan as written */
	int fd;
	off_t size;
	dev_t dev;
	ino_t ino;
	unsigned char head[HEAD];
	size_t head_len;
	char sha256[65];
};

/* An attachment path must stay in the dossier's folder: relative, no "..", not empty. */
static int path_ok(const char *path)
{
	const char *p = path;

	if (!*path || *path == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* Opens the attachment; reports FILE-002 and returns -1 when it is no readable file. */
static int open_attachment(struct tthc_vdoc *d, int dirfd, struct attachment *a)
{
	struct stat st;
	int err;

	a->fd = dirfd < 0 ? -1 : tthc_open_beneath(dirfd, a->path);
	err = dirfd < 0 ? -dirfd : errno;
	if (a->fd < 0 && err == EXDEV)
		tthc_vdoc_report(d, a->path_node, "TTHC-FILE-002",
		                 N_("%s '%s' leads outside the dossier's directory"),
		                 a->label, a->path);
	else if (a->fd < 0 && err == ELOOP)
		tthc_vdoc_report(d, a->path_node, "TTHC-FILE-002",
		                 N_("%s '%s' is a symbolic link"), a->label, a->path);
	else if (a->fd < 0)
		tthc_vdoc_report(d, a->path_node, "TTHC-FILE-002",
		                 N_("%s '%s' cannot be opened: %s"), a->label, a->path,
		                 strerror(err));
	if (a->fd < 0)
		return -1;
	if (fstat(a->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		tthc_vdoc_report(d, a->path_node, "TTHC-FILE-002",
		                 N_("%s '%s' is not a regular file"), a->label, a->path);
		close(a->fd);
		return -1;
	}
	a->size = st.st_size;
	a->dev = st.st_dev;
	a->ino = st.st_ino;
	return 0;
}

static void keep_head(struct attachment *a, const unsigned char *buf, size_t n)
{
	size_t room = HEAD - a->head_len;

	if (n > room)
		n = room;
	memcpy(a->head + a->head_len, buf, n);
	a->head_len += n;
}

/*
 * Reads the file once, hashing it and keeping its first bytes for the magic check.  Reads
 * no more than the size fstat gave, so a growing file or a device cannot keep us reading.
 * Returns 0 or a negative code.
 */
static int digest(struct tthc_scratch *scratch, struct attachment *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char *buf = scratch->buf, md[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx = scratch->md_ctx;
	off_t left = a->size;
	int ret = -TTHC_E_INTERNAL;

	a->sha256[0] = '\0';
	if (scratch->no_digest) {
		/* Only what check_magic() looks at; the caller hashes the file itself. */
		ssize_t n;

		do
			n = pread(a->fd, buf, HEAD, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		keep_head(a, buf, (size_t)n);
		return 0;
	}
	if (!EVP_DigestInit_ex2(ctx, scratch->sha256, NULL))
		goto out;
	while (left > 0) {
		ssize_t n = read(a->fd, buf, left < CHUNK ? (size_t)left : CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		keep_head(a, buf, (size_t)n);
		if (!EVP_DigestUpdate(ctx, buf, (size_t)n))
			goto out;
		left -= n;
	}
	if (!EVP_DigestFinal_ex(ctx, md, NULL))
		goto out;
	for (int i = 0; i < 32; i++) {
		a->sha256[2 * i] = hex[md[i] >> 4];
		a->sha256[2 * i + 1] = hex[md[i] & 15];
	}
	a->sha256[64] = '\0';
	ret = 0;
out:
	return ret;
}

static void check_size(struct tthc_vdoc *d, struct attachment *a)
{
	xmlNodePtr node = tthc_child(a->ref, "KichThuoc");
	char buf[32], *end;
	const char *text = tthc_trim(tthc_text(node), buf, sizeof(buf));
	unsigned long long want;

	/* xs:nonNegativeInteger allows a leading '+'. */
	if (text && *text == '+')
		text++;
	if (!text || *text < '0' || *text > '9')
		return;
	errno = 0;
	want = strtoull(text, &end, 10);
	if (*end)
		return;
	/* A size past 64 bits is a number all the same, and certainly not this file's. */
	if (errno == ERANGE || want != (unsigned long long)a->size)
		tthc_vdoc_report(d, node, "TTHC-FILE-004",
		                 N_("%s '%s' has %lld bytes but KichThuoc says %s"),
		                 a->label, a->path, (long long)a->size, text);
}

static void check_hash(struct tthc_vdoc *d, struct attachment *a)
{
	xmlNodePtr node = tthc_child(a->ref, "SHA256");
	char buf[80];
	const char *text = tthc_trim(tthc_text(node), buf, sizeof(buf));

	if (!a->sha256[0] || !text || strlen(text) != 64 ||
	    strspn(text, "0123456789abcdefABCDEF") != 64)
		return;
	if (strcasecmp(text, a->sha256) != 0)
		tthc_vdoc_report(d, node, "TTHC-FILE-005",
		                 N_("%s '%s' has SHA-256 %s but SHA256 says %s"),
		                 a->label, a->path, a->sha256, text);
}

static int starts(const unsigned char *head, size_t len, const char *magic, size_t n)
{
	return magic && len >= n && memcmp(head, magic, n) == 0;
}

/* XML may open with a byte-order mark and blanks before its first '<'. */
static int looks_xml(const unsigned char *head, size_t len)
{
	size_t i = starts(head, len, "\xEF\xBB\xBF", 3) ? 3 : 0;

	while (i < len &&
	       (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	return i < len && head[i] == '<';
}

/* What files of each extension start with; an extension not listed is not checked. */
static const struct magic {
	const char *ext, *desc, *m1, *m2; /* m1 NULL: an XML file */
	size_t len;
} magics[] = {
	{ "pdf", "%PDF-", "%PDF-", NULL, 5 },
	{ "jpg", "FF D8 FF", "\xFF\xD8\xFF", NULL, 3 },
	{ "jpeg", "FF D8 FF", "\xFF\xD8\xFF", NULL, 3 },
	{ "png", "89 50 4E 47 0D 0A 1A 0A", "\x89PNG\r\n\x1A\n", NULL, 8 },
	{ "tif", "II*\\0 or MM\\0*", "II*\0", "MM\0*", 4 },
	{ "tiff", "II*\\0 or MM\\0*", "II*\0", "MM\0*", 4 },
	{ "zip", "PK\\3\\4", "PK\3\4", NULL, 4 },
	{ "xml", "'<' after an optional byte-order mark and blanks", NULL, NULL, 0 },
};

const char *tthc_magic_mismatch(const char *path, const unsigned char *head, size_t len,
                                const char **ext_out)
{
	const char *base = strrchr(path, '/'), *ext;

	base = base ? base + 1 : path;
	ext = strrchr(base, '.');
	if (!ext || ext == base)
		return NULL;
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];

		if (strcasecmp(ext + 1, m->ext) != 0)
			continue;
		if (m->m1 ? starts(head, len, m->m1, m->len) ||
		                starts(head, len, m->m2, m->len)
		          : looks_xml(head, len))
			return NULL;
		if (ext_out)
			*ext_out = ext;
		return m->desc;
	}
	return NULL;
}

static void check_magic(struct tthc_vdoc *d, struct attachment *a)
{
	const char *ext = NULL;
	const char *desc = tthc_magic_mismatch(a->path, a->head, a->head_len, &ext);

	if (desc)
		tthc_vdoc_report(
		    d, a->path_node, "TTHC-FILE-006",
		    N_("%s '%s': the content does not start as a %s file does (%s)"),
		    a->label, a->path, ext, desc);
}

/*
 * What reading a file found, kept per dossier: a dossier that lists the same large file
 * a thousand times must not make us read it a thousand times.
 */
struct seen {
	dev_t dev;
	ino_t ino;
	off_t size;
	int ret;
	char sha256[65];
	unsigned char head[HEAD];
	size_t head_len;
};

struct seen_files {
	struct seen *v;
	size_t n, alloc;
};

static int digest_once(struct tthc_vdoc *d, struct seen_files *seen, struct attachment *a)
{
	struct seen *s;
	int ret;

	for (size_t i = 0; i < seen->n; i++) {
		s = &seen->v[i];
		if (s->dev == a->dev && s->ino == a->ino && s->size == a->size) {
			memcpy(a->sha256, s->sha256, sizeof(a->sha256));
			memcpy(a->head, s->head, s->head_len);
			a->head_len = s->head_len;
			return s->ret;
		}
	}
	ret = digest(tthc_validator_scratch(d->v), a);
	if (seen->n == seen->alloc) {
		size_t n = seen->alloc ? 2 * seen->alloc : 8;
		struct seen *nv = realloc(seen->v, n * sizeof(*nv));

		if (!nv)
			return ret; /* only the saving is lost */
		seen->v = nv;
		seen->alloc = n;
	}
	s = &seen->v[seen->n++];
	*s = (struct seen){ .dev = a->dev, .ino = a->ino, .size = a->size, .ret = ret };
	memcpy(s->sha256, a->sha256, sizeof(s->sha256));
	memcpy(s->head, a->head, a->head_len);
	s->head_len = a->head_len;
	return ret;
}

static void check_content(struct tthc_vdoc *d, struct seen_files *seen,
                          struct attachment *a)
{
	int ret;

	if (a->size == 0) {
		tthc_vdoc_report(d, a->path_node, "TTHC-FILE-003",
		                 N_("%s '%s' is empty (0 bytes)"), a->label, a->path);
		return;
	}
	check_size(d, a);
	ret = digest_once(d, seen, a);
	if (ret == -TTHC_E_INTERNAL)
		return;
	if (ret < 0) {
		tthc_vdoc_report(d, a->path_node, "TTHC-FILE-002",
		                 N_("%s '%s' cannot be read: %s"), a->label, a->path,
		                 strerror(-ret));
		return;
	}
	check_hash(d, a);
	check_magic(d, a);
}

static void check_attachment(struct tthc_vdoc *d, struct seen_files *seen, int dirfd,
                             xmlNodePtr ref)
{
	struct attachment a = { .ref = ref, .label = (const char *)ref->name };

	a.path_node = tthc_child(ref, "DuongDan");
	a.path = tthc_text(a.path_node);
	if (!a.path)
		return;
	if (!path_ok(a.path)) {
		tthc_vdoc_report(
		    d, a.path_node, "TTHC-FILE-001",
		    N_("%s '%s': the path must be relative to the dossier, not empty, "
		       "and without '..'"),
		    a.label, a.path);
		return;
	}
	if (open_attachment(d, dirfd, &a) < 0)
		return;
	check_content(d, seen, &a);
	close(a.fd);
}

/* A file reference is any element with a DuongDan child: TepDinhKem, TepKetQua. */
void tthc_rules_files(struct tthc_vdoc *d)
{
	int dirfd = open(d->basedir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct seen_files seen = { 0 };

	/* Without the directory each attachment is reported unreadable, with why. */
	if (dirfd < 0)
		dirfd = -errno;
	for (xmlNodePtr n = d->root; n; n = tthc_next_element(n, d->root, 1))
		if (tthc_child(n, "DuongDan"))
			check_attachment(d, &seen, dirfd, n);
	if (dirfd >= 0)
		close(dirfd);
	free(seen.v);
}
