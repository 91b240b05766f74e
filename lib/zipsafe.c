/* SPDX-License-Identifier: MIT */
/* Reading a package (ZIP or folder) without trusting it: names, links, sizes, bombs. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <libdeflate.h>

#include "verify_int.h"

#define RATIO_SLACK                                                                      \
	(1024 * 1024) /* an entry may give this much before the ratio counts */
#define MAX_DEPTH 64
#define MAX_NAME 4096

void tthc_pkg_report(struct tthc_pkg *p, const char *id, const char *name,
                     const char *fmt, ...)
{
	char *file = NULL;
	va_list ap;

	if (name && asprintf(&file, "%s!%s", p->display, name) < 0)
		file = NULL;
	va_start(ap, fmt);
	{
		char *msg = NULL;

		if (vasprintf(&msg, fmt, ap) >= 0) {
			tthc_report_add_id(p->report, id, TTHC_SEV_ERROR,
			                   file ? file : p->display, 0, NULL, "%s", msg);
			free(msg);
		}
	}
	va_end(ap);
	free(file);
	p->unsafe = 1;
}

/* ---- names ---- */

/*
 * Returns NULL when name is a safe relative path, else why not (a msgid).  Rejected:
 * absolute paths, drive letters, backslashes, "." and ".." and empty components,
 * control characters, invalid UTF-8, overlong names.
 */
static const char *name_problem(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t len = strlen(name);

	if (len == 0)
		return N_("the name is empty");
	if (len > MAX_NAME)
		return N_("the name is too long");
	if (s[0] == '/')
		return N_("the name is an absolute path");
	if (len >= 2 && s[1] == ':')
		return N_("the name starts with a drive letter");
	if (strchr(name, '\\'))
		return N_("the name holds a backslash");
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n =
		    utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);

		if (n <= 0)
			return N_("the name is not valid UTF-8");
		if (cp < 0x20 || cp == 0x7f)
			return N_("the name holds a control character");
		i += (size_t)n;
	}
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return N_("the name holds an empty, '.' or '..' component");
		if (n > 255)
			return N_("a component of the name is too long");
		p += n;
		if (*p == '/')
			p++;
	}
	return NULL;
}

/* ---- the entry list ---- */

static int add_entry(struct tthc_pkg *p, const char *name, int is_dir, uint64_t size,
                     uint64_t csize, zip_uint64_t index)
{
	struct tthc_pkg_entry *e;

	if (p->n == p->alloc) {
		size_t n = p->alloc ? 2 * p->alloc : 64;
		struct tthc_pkg_entry *ne = realloc(p->e, n * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		p->e = ne;
		p->alloc = n;
	}
	e = &p->e[p->n];
	memset(e, 0, sizeof(*e));
	if (!(e->name = strdup(name)))
		return -ENOMEM;
	e->is_dir = is_dir;
	e->size = size;
	e->csize = csize;
	e->index = index;
	e->header = TTHC_NO_HEADER;
	e->first_ref = -1;
	p->n++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tthc_pkg_entry *)a)->name,
	              ((const struct tthc_pkg_entry *)b)->name);
}

/* The length of the folders name shares with prev: "a/b/" for "a/b/c" and "a/b/d". */
static size_t shared_folders(const char *prev, const char *name)
{
	size_t len = 0;

	for (size_t i = 0; prev[i] && prev[i] == name[i]; i++)
		if (name[i] == '/')
			len = i + 1;
	return len;
}

/*
 * Adds the folders that are only implied by the names in them (ZIPs rarely store them).
 * A name that is a file and also the folder of other names is reported.
 */
static int add_parents(struct tthc_pkg *p)
{
	size_t n = p->n;

	qsort(p->e, p->n, sizeof(*p->e), by_name);
	for (size_t i = 0; i < n; i++) {
		char *prefix = strdup(p->e[i].name), *slash;
		size_t done;

		if (!prefix)
			return -ENOMEM;
		/* Names in a folder sort together: the previous one had the folders it
		 * shares with this one looked up already. */
		done = i ? shared_folders(p->e[i - 1].name, prefix) : 0;
		/* The prefix is a copy: the entry's own name stays whole for bsearch. */
		for (slash = strchr(prefix + done, '/'); slash;
		     slash = strchr(slash + 1, '/')) {
			struct tthc_pkg_entry key, *found;
			int ret = 0;

			*slash = '\0';
			key.name = prefix;
			found = bsearch(&key, p->e, n, sizeof(key), by_name);
			if (!found)
				ret = add_entry(p, prefix, 1, 0, 0, 0);
			else if (!found->is_dir)
				tthc_pkg_report(p, "TTHC-ZIP-004", prefix,
				                _("'%s' is both a file and a folder"),
				                prefix);
			*slash = '/';
			if (ret < 0) {
				free(prefix);
				return ret;
			}
		}
		free(prefix);
	}
	qsort(p->e, p->n, sizeof(*p->e), by_name);
	/* A folder both stored and implied, or implied twice: keep one, in one pass. */
	size_t kept = p->n ? 1 : 0;

	for (size_t i = 1; i < p->n; i++) {
		struct tthc_pkg_entry *last = &p->e[kept - 1];

		if (p->e[i].is_dir && last->is_dir &&
		    strcmp(p->e[i].name, last->name) == 0)
			free(p->e[i].name);
		else
			p->e[kept++] = p->e[i];
	}
	p->n = kept;
	return 0;
}

struct folded {
	char *key;
	size_t i;
};

static int by_key(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * Two names equal once composed (NFC) and case-folded would be one file on many systems:
 * extracting both would overwrite one with the other.  A name that is a file and also a
 * folder of other names is the same trouble.
 */
static int check_duplicates(struct tthc_pkg *p)
{
	struct folded *f = calloc(p->n ? p->n : 1, sizeof(*f));
	int ret = 0;

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < p->n; i++) {
		f[i].i = i;
		utf8proc_uint8_t *key = NULL;

		if (utf8proc_map((const utf8proc_uint8_t *)p->e[i].name, 0, &key,
		                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
		                     UTF8PROC_CASEFOLD) < 0) {
			ret = -ENOMEM; /* the names are valid UTF-8 by now */
			goto out;
		}
		f[i].key = (char *)key;
	}
	qsort(f, p->n, sizeof(*f), by_key);
	for (size_t i = 1; i < p->n; i++) {
		const struct tthc_pkg_entry *a = &p->e[f[i - 1].i], *b = &p->e[f[i].i];

		if (strcmp(f[i].key, f[i - 1].key) != 0)
			continue;
		if (strcmp(a->name, b->name) == 0)
			tthc_pkg_report(p, "TTHC-ZIP-004", b->name,
			                _("'%s' is both a file and a folder"), b->name);
		else
			tthc_pkg_report(p, "TTHC-ZIP-004", b->name,
			                _("'%s' and '%s' differ only by case or Unicode "
			                  "normalisation"),
			                a->name, b->name);
	}
out:
	for (size_t i = 0; i < p->n; i++)
		free(f[i].key);
	free(f);
	return ret;
}

/* CSIPSTR1: one root folder holds everything; CSIPSTR4 is checked by the caller. */
static void check_root(struct tthc_pkg *p)
{
	const char *first = NULL;
	size_t rootlen = 0;

	for (size_t i = 0; i < p->n; i++) {
		const char *name = p->e[i].name, *slash = strchr(name, '/');
		size_t len = slash ? (size_t)(slash - name) : strlen(name);

		if (!slash && !p->e[i].is_dir) {
			tthc_pkg_report(p, "CSIPSTR1", name,
			                _("'%s' lies outside the package's root folder"),
			                name);
			return;
		}
		if (!first) {
			first = name;
			rootlen = len;
		} else if (len != rootlen || strncmp(name, first, len) != 0) {
			tthc_pkg_report(p, "CSIPSTR1", name,
			                _("more than one root folder: '%.*s' and '%.*s'"),
			                (int)rootlen, first, (int)len, name);
			return;
		}
	}
	if (!first) {
		tthc_pkg_report(p, "CSIPSTR1", NULL, "%s", _("the package is empty"));
		return;
	}
	p->root = strndup(first, rootlen);
	for (size_t i = 0; i < p->n; i++) {
		const char *name = p->e[i].name;

		p->e[i].rel = name[rootlen] ? name + rootlen + 1 : name + rootlen;
	}
}

struct tthc_pkg_entry *tthc_pkg_find(struct tthc_pkg *p, const char *rel)
{
	struct tthc_pkg_entry key, *e;
	char *name;

	if (!p->root || asprintf(&name, "%s/%s", p->root, rel) < 0)
		return NULL;
	key.name = name;
	e = bsearch(&key, p->e, p->n, sizeof(key), by_name);
	free(name);
	return e;
}

/* ---- ZIP ---- */

static void zip_error_text(struct tthc_pkg *p, int code, char *buf, size_t size)
{
	zip_error_t err;

	(void)p;
	zip_error_init_with_code(&err, code);
	snprintf(buf, size, "%s", zip_error_strerror(&err));
	zip_error_fini(&err);
}

/* The entry's mode from a Unix "version made by", or 0 when it carries none. */
static unsigned unix_mode(zip_t *za, zip_uint64_t i)
{
	zip_uint8_t os;
	zip_uint32_t attr;

	if (zip_file_get_external_attributes(za, i, 0, &os, &attr) < 0 ||
	    os != ZIP_OPSYS_UNIX)
		return 0;
	return attr >> 16;
}

/*
 * Every folder a name implies becomes an entry of its own: a name's cost is its length
 * times its depth.  Bounding the depth and the total keeps a small hostile archive of
 * deep names from needing gigabytes (a real package costs a few hundred kilobytes).
 */
#define MAX_NAME_COST (64u << 20)

static int zip_name_too_costly(struct tthc_pkg *p, const char *name)
{
	size_t depth = 1;

	for (const char *s = name; *s; s++)
		depth += *s == '/';
	p->name_cost += (uint64_t)strlen(name) * depth;
	return depth > MAX_DEPTH || p->name_cost > MAX_NAME_COST;
}

/* ---- the central directory ---- */

static unsigned le16(const unsigned char *b)
{
	return (unsigned)b[0] | (unsigned)b[1] << 8;
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)le16(b) | (uint32_t)le16(b + 2) << 16;
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

/* What the checks need of one central directory record. */
struct cd_record {
	uint64_t start;       /* the local header's offset */
	uint64_t csize, size; /* bytes of data, compressed and not */
	uint32_t crc;
	unsigned method, name_len;
};

struct cdir {
	struct cd_record *r; /* in the directory's order, which is libzip's index order */
	size_t n;
	uint64_t offset; /* where the directory starts: every entry's data end before */
};

/*
 * Reads the central directory itself, as libzip does not tell where an entry's data lie.
 * Leaves cd->n at 0 when the archive is ZIP64 or unusual enough that libzip's own checks
 * and the byte counts are what guard it.  Returns 0 or -ENOMEM.
 */
static int read_cdir(int fd, uint64_t size, struct cdir *cd)
{
	unsigned char tail[22 + 65535], rec[46];
	size_t tail_len = size < sizeof(tail) ? (size_t)size : sizeof(tail), count;
	uint64_t cd_size, pos = 0;
	long eocd = -1;

	memset(cd, 0, sizeof(*cd));
	if (tail_len < 22 || read_at(fd, tail, tail_len, size - tail_len) < 0)
		return 0;
	for (long i = (long)tail_len - 22; i >= 0 && eocd < 0; i--)
		if (le32(tail + i) == 0x06054b50)
			eocd = i;
	if (eocd < 0)
		return 0;
	count = le16(tail + eocd + 10);
	cd_size = le32(tail + eocd + 12);
	cd->offset = le32(tail + eocd + 16);
	if (cd->offset == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu ||
	    cd->offset + cd_size > size || count == 0)
		return 0;
	if (!(cd->r = calloc(count, sizeof(*cd->r))))
		return -ENOMEM;
	/* Record by record: the names, which libzip holds already, are not read. */
	for (; cd->n < count && pos + 46 <= cd_size; cd->n++) {
		struct cd_record *r = &cd->r[cd->n];

		if (read_at(fd, rec, sizeof(rec), cd->offset + pos) < 0 ||
		    le32(rec) != 0x02014b50)
			break;
		r->method = le16(rec + 10);
		r->crc = le32(rec + 16);
		r->csize = le32(rec + 20);
		r->size = le32(rec + 24);
		r->name_len = le16(rec + 28);
		r->start = le32(rec + 42);
		pos += 46 + r->name_len + le16(rec + 30) + le16(rec + 32);
	}
	return 0;
}

/*
 * A stored entry is read straight from the archive when the central directory record
 * libzip read is the one we read: same name length, sizes and CRC, and no ZIP64 sizes.
 */
static uint64_t stored_header(const struct cdir *cd, zip_uint64_t i, const zip_stat_t *st,
                              size_t raw_name_len)
{
	const struct cd_record *r = i < cd->n ? &cd->r[i] : NULL;

	if (!r || st->comp_method != ZIP_CM_STORE || r->method != ZIP_CM_STORE ||
	    r->name_len != raw_name_len || r->csize != st->comp_size ||
	    r->size != st->size || r->csize != r->size || r->crc != st->crc ||
	    r->size == 0xFFFFFFFFu || r->start == 0xFFFFFFFFu ||
	    !(st->valid & ZIP_STAT_CRC))
		return TTHC_NO_HEADER;
	return r->start;
}

static int by_start(const void *a, const void *b)
{
	const struct cd_record *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * Returns 1 when one entry's header or data lie inside another's, a way to make a few
 * stored bytes count twice, else 0.  Sorts cd->r by offset.
 */
static int entries_overlap(int fd, struct cdir *cd)
{
	int overlap = 0;

	qsort(cd->r, cd->n, sizeof(*cd->r), by_start);
	for (size_t i = 0; i < cd->n && !overlap; i++) {
		const struct cd_record *r = &cd->r[i];
		unsigned char lh[30];
		uint64_t end, next = i + 1 < cd->n ? cd->r[i + 1].start : cd->offset;

		if (r->start == 0xFFFFFFFFu || r->csize == 0xFFFFFFFFu ||
		    read_at(fd, lh, sizeof(lh), r->start) < 0 || le32(lh) != 0x04034b50)
			break; /* ZIP64 or damaged: libzip reports the latter */
		end = r->start + 30 + le16(lh + 26) + le16(lh + 28) + r->csize;
		overlap = end > next;
	}
	return overlap;
}

/* ---- listing a ZIP ---- */

static int list_zip_entry(struct tthc_pkg *p, zip_uint64_t i, const struct cdir *cd,
                          uint64_t *declared, uint64_t *compressed)
{
	const char *name = zip_get_name(p->za, i, ZIP_FL_ENC_GUESS), *why;
	const char *raw = zip_get_name(p->za, i, ZIP_FL_ENC_RAW);
	unsigned mode = unix_mode(p->za, i);
	struct tthc_pkg_entry *e;
	zip_stat_t st;
	char *copy;
	size_t len;
	int is_dir, ret;

	if (!name || !raw || zip_stat_index(p->za, i, 0, &st) < 0) {
		tthc_pkg_report(p, "TTHC-ZIP-001", NULL,
		                _("entry %llu cannot be read: %s"), (unsigned long long)i,
		                zip_strerror(p->za));
		return 0;
	}
	len = strlen(name);
	is_dir = len > 0 && name[len - 1] == '/';
	copy = strndup(name, is_dir ? len - 1 : len);
	if (!copy)
		return -ENOMEM;
	if ((why = name_problem(copy))) {
		tthc_pkg_report(p, "TTHC-ZIP-002", NULL, _("unsafe entry name '%s': %s"),
		                name, _(why));
	} else if (mode & S_IFMT && !S_ISREG(mode) && !S_ISDIR(mode)) {
		tthc_pkg_report(p, "TTHC-ZIP-003", copy, "%s",
		                S_ISLNK(mode) ? _("the entry is a symbolic link")
		                              : _("the entry is not a file or a folder"));
	} else if (st.encryption_method != ZIP_EM_NONE) {
		tthc_pkg_report(p, "TTHC-ZIP-001", copy, "%s",
		                _("the entry is encrypted"));
	} else if (is_dir && st.size > 0) {
		tthc_pkg_report(p, "TTHC-ZIP-001", copy, "%s",
		                _("a folder entry holds data"));
	}
	if (!p->unsafe && zip_name_too_costly(p, copy))
		tthc_pkg_report(p, "TTHC-ZIP-005", NULL, "%s",
		                _("entry names nested too deep or too long in all"));
	*declared += st.size;
	/* The local header (30 bytes and the name) precedes every entry's data. */
	*compressed += st.comp_size + 30 + len;
	ret = add_entry(p, copy, is_dir, st.size, st.comp_size, i);
	free(copy);
	if (ret < 0)
		return ret;
	e = &p->e[p->n - 1];
	e->stored = st.comp_method == ZIP_CM_STORE;
	e->crc = st.crc;
	e->header = stored_header(cd, i, &st, strlen(raw));
	return 0;
}

static int list_zip(struct tthc_pkg *p, uint64_t archive_size)
{
	uint64_t declared = 0, compressed = 0;
	zip_int64_t count = zip_get_num_entries(p->za, 0);
	struct cdir cd;
	int ret;

	if (count < 0 || (uint64_t)count > p->lim->max_entries) {
		tthc_pkg_report(p, "TTHC-ZIP-005", NULL,
		                _("%lld entries: more than the limit of %llu"),
		                (long long)count,
		                (unsigned long long)p->lim->max_entries);
		return 0;
	}
	if ((ret = read_cdir(p->zipfd, archive_size, &cd)) < 0)
		return ret;
	p->data_end = cd.n ? cd.offset : 0;
	for (zip_int64_t i = 0; ret == 0 && i < count; i++)
		ret = list_zip_entry(p, (zip_uint64_t)i, &cd, &declared, &compressed);
	if (ret == 0 && declared > p->lim->max_total)
		tthc_pkg_report(
		    p, "TTHC-ZIP-005", NULL,
		    _("the entries declare %llu bytes: more than the limit of %llu"),
		    (unsigned long long)declared, (unsigned long long)p->lim->max_total);
	/* Entries whose data overlap let a few compressed bytes count many times over. */
	if (ret == 0 && (compressed > archive_size || entries_overlap(p->zipfd, &cd)))
		tthc_pkg_report(p, "TTHC-ZIP-005", NULL, "%s",
		                _("the entries' data overlap (more data than the archive "
		                  "holds)"));
	free(cd.r);
	return ret;
}

/*
 * Takes fd.  libzip reads the archive through a duplicate of it, so that both read the
 * same file, and stored entries are read from fd directly.
 */
static int open_zip(struct tthc_pkg *p, int fd)
{
	struct stat st;
	int code = 0, zfd;

	p->zipfd = fd;
	if (fstat(fd, &st) < 0 || (zfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	p->za = zip_fdopen(zfd, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (!p->za) {
		char msg[256];

		close(zfd);
		if (code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_MEMORY) {
			zip_error_text(p, code, p->error, sizeof(p->error));
			return code == ZIP_ER_MEMORY ? -ENOMEM : -EIO;
		}
		zip_error_text(p, code, msg, sizeof(msg));
		if (code == ZIP_ER_EXISTS)
			tthc_pkg_report(p, "TTHC-ZIP-004", NULL, "%s",
			                _("two entries have the same name"));
		else
			tthc_pkg_report(p, "TTHC-ZIP-001", NULL,
			                _("not a readable ZIP archive: %s"), msg);
		return 0;
	}
	return list_zip(p, (uint64_t)st.st_size);
}

/* ---- folder ---- */

static int walk(struct tthc_pkg *p, int dfd, char *path, size_t len, int depth)
{
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (depth > MAX_DEPTH) {
		tthc_pkg_report(p, "TTHC-ZIP-005", path, "%s",
		                _("folders nested too deep"));
		close(dfd);
		return 0;
	}
	if (!(d = fdopendir(dfd))) {
		ret = -errno;
		close(dfd);
		snprintf(p->error, sizeof(p->error), "%s: %s", path, strerror(-ret));
		return ret;
	}
	while (ret == 0 && (errno = 0, de = readdir(d))) {
		size_t nlen = strlen(de->d_name);
		struct stat st;
		const char *why;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (len + 1 + nlen >= MAX_NAME) {
			tthc_pkg_report(p, "TTHC-ZIP-002", path, "%s",
			                _("the name is too long"));
			continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, nlen + 1);
		if (p->n >= p->lim->max_entries) {
			tthc_pkg_report(p, "TTHC-ZIP-005", NULL,
			                _("more entries than the limit of %llu"),
			                (unsigned long long)p->lim->max_entries);
			break;
		}
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = -errno;
			snprintf(p->error, sizeof(p->error), "%s: %s", path,
			         strerror(-ret));
		} else if ((why = name_problem(path))) {
			tthc_pkg_report(p, "TTHC-ZIP-002", path, "%s", _(why));
		} else if (S_ISDIR(st.st_mode)) {
			int fd = openat(dfd, de->d_name,
			                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			ret = fd < 0 ? -errno : add_entry(p, path, 1, 0, 0, 0);
			if (ret == 0)
				ret = walk(p, fd, path, len + 1 + nlen, depth + 1);
			else if (fd >= 0)
				close(fd);
		} else if (S_ISREG(st.st_mode)) {
			ret = add_entry(p, path, 0, (uint64_t)st.st_size, 0, 0);
		} else {
			tthc_pkg_report(p, "TTHC-ZIP-003", path, "%s",
			                S_ISLNK(st.st_mode)
			                    ? _("the entry is a symbolic link")
			                    : _("the entry is not a file or a folder"));
		}
		path[len] = '\0';
	}
	if (ret == 0 && errno) {
		ret = -errno;
		snprintf(p->error, sizeof(p->error), "%s: %s", path, strerror(-ret));
	}
	closedir(d);
	return ret;
}

static int open_folder(struct tthc_pkg *p, const char *path, int fd)
{
	char *copy = strdup(path), *base, *name;
	size_t n;
	int ret;

	if (!copy)
		return -ENOMEM;
	n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	base = strrchr(copy, '/');
	base = base ? base + 1 : copy;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || !*base) {
		char *real = realpath(path, NULL);

		free(copy);
		if (!real)
			return -errno;
		copy = real;
		base = strrchr(copy, '/');
		base = base ? base + 1 : copy;
	}
	name = malloc(MAX_NAME + 1);
	if (!name) {
		free(copy);
		return -ENOMEM;
	}
	snprintf(name, MAX_NAME + 1, "%s", base);
	free(copy);
	p->rootfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (p->rootfd < 0) {
		free(name);
		return -errno;
	}
	ret = add_entry(p, name, 1, 0, 0, 0);
	if (ret == 0)
		ret = walk(p, fd, name, strlen(name), 0);
	else
		close(fd);
	free(name);
	return ret;
}

int tthc_pkg_open(struct tthc_pkg *p, const char *path, const char *display,
                  const struct tthc_verify_limits *lim, struct tthc_report *report)
{
	struct stat st;
	int fd, ret;

	memset(p, 0, sizeof(*p));
	p->rootfd = -1;
	p->zipfd = -1;
	p->display = display;
	p->report = report;
	p->lim = lim;
	p->buf = malloc(TTHC_PKG_CHUNK);
	if (!p->buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = -errno;
		snprintf(p->error, sizeof(p->error), "%s", strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = open_folder(p, path, fd); /* takes fd */
	} else if (S_ISREG(st.st_mode)) {
		ret = open_zip(p, fd); /* takes fd */
	} else {
		close(fd);
		snprintf(p->error, sizeof(p->error), "%s",
		         _("not a regular file or a folder"));
		return -EINVAL;
	}
	if (ret < 0 && !*p->error)
		snprintf(p->error, sizeof(p->error), "%s", strerror(-ret));
	if (ret < 0 || p->unsafe)
		return ret;
	if ((ret = add_parents(p)) < 0 || (ret = check_duplicates(p)) < 0)
		return ret;
	if (!p->unsafe)
		check_root(p);
	return 0;
}

void tthc_pkg_close(struct tthc_pkg *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->e[i].name);
	free(p->e);
	if (p->za)
		zip_discard(p->za);
	if (p->rootfd >= 0)
		close(p->rootfd);
	if (p->zipfd >= 0)
		close(p->zipfd);
	free(p->root);
	free(p->buf);
	memset(p, 0, sizeof(*p));
	p->rootfd = -1;
	p->zipfd = -1;
}

/* ---- reading ---- */

/* Opens rel under the root folder, refusing a symbolic link at every step. */
static int open_rel(int dirfd, const char *rel)
{
	char part[256];
	int fd = dirfd, next;

	for (;;) {
		size_t n = strcspn(rel, "/");

		if (n >= sizeof(part)) {
			next = -1;
			errno = ENAMETOOLONG;
		} else {
			memcpy(part, rel, n);
			part[n] = '\0';
			next = openat(
			    fd, part,
			    (rel[n] ? O_PATH | O_DIRECTORY : O_RDONLY | O_NONBLOCK) |
			        O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd != dirfd) {
			int e = errno;

			close(fd);
			errno = e;
		}
		if (next < 0 || !rel[n])
			return next;
		fd = next;
		rel += n + 1;
	}
}

/* Counts n more bytes of e against the limits; reports and returns < 0 past one. */
static int count_bytes(struct tthc_pkg *p, struct tthc_pkg_entry *e, uint64_t got,
                       size_t n)
{
	const struct tthc_verify_limits *lim = p->lim;

	p->total += n;
	if (got > e->size) {
		tthc_pkg_report(p, "TTHC-ZIP-001", e->name,
		                _("the entry holds more than the %llu bytes it declares"),
		                (unsigned long long)e->size);
		return -TTHC_E_XML;
	}
	if (p->total > lim->max_total) {
		tthc_pkg_report(p, "TTHC-ZIP-005", e->name,
		                _("more than %llu bytes once decompressed"),
		                (unsigned long long)lim->max_total);
		return -TTHC_E_TOOBIG;
	}
	if (p->za && got > RATIO_SLACK &&
	    got / lim->max_ratio > (e->csize ? e->csize : 1)) {
		tthc_pkg_report(p, "TTHC-ZIP-005", e->name,
		                _("compressed more than %llu to 1 (a zip bomb?)"),
		                (unsigned long long)lim->max_ratio);
		return -TTHC_E_TOOBIG;
	}
	return 0;
}

/* ---- CRC-32 ---- */

/*
 * zlib's crc32_z() takes as long as SHA-256 with the SHA extensions: a stored attachment
 * would be read at 1.3 times the cost of hashing it alone.  libdeflate's crc32 folds
 * with carry-less multiplication where the CPU has it, several times faster.
 */
uint32_t tthc_crc32(uint32_t crc, const void *buf, size_t len)
{
	return libdeflate_crc32(crc, buf, len);
}

/* Reports entry e as unreadable, for the reason libzip gives to code. */
static int unreadable(struct tthc_pkg *p, const struct tthc_pkg_entry *e, int code)
{
	char why[128];

	zip_error_text(p, code, why, sizeof(why));
	tthc_pkg_report(p, "TTHC-ZIP-001", e->name, _("cannot be read: %s"), why);
	return -TTHC_E_XML;
}

/* A local header field agrees when it equals the central directory's, or when a data
 * descriptor after the data gives it instead (then it is 0). */
static int lh_agrees(uint32_t field, uint64_t central, unsigned flags)
{
	return field == central || (flags & 8 && field == 0);
}

/*
 * Finds where a stored entry's data start, from its local header: the signature, the
 * method, the name and the sizes must agree with the central directory, and the data
 * must end before it.  Returns 0, -TTHC_E_XML (reported) or -errno.
 */
static int stored_data_offset(struct tthc_pkg *p, const struct tthc_pkg_entry *e,
                              uint64_t *off)
{
	const char *raw = zip_get_name(p->za, e->index, ZIP_FL_ENC_RAW);
	unsigned char *lh = p->buf;
	unsigned flags, nlen;

	errno = 0;
	if (read_at(p->zipfd, lh, 30, e->header) < 0)
		goto io;
	flags = le16(lh + 6);
	nlen = le16(lh + 26);
	*off = e->header + 30 + nlen + le16(lh + 28);
	if (le32(lh) != 0x04034b50 || le16(lh + 8) != ZIP_CM_STORE || flags & 1 ||
	    !lh_agrees(le32(lh + 14), e->crc, flags) ||
	    !lh_agrees(le32(lh + 18), e->csize, flags) ||
	    !lh_agrees(le32(lh + 22), e->size, flags) || !raw || nlen != strlen(raw) ||
	    *off + e->size > p->data_end)
		return unreadable(p, e, ZIP_ER_INCONS);
	if (read_at(p->zipfd, lh, nlen, e->header + 30) < 0)
		goto io;
	if (memcmp(lh, raw, nlen) != 0)
		return unreadable(p, e, ZIP_ER_INCONS);
	return 0;
io: /* the header was there when the archive was listed */
	if (errno)
		snprintf(p->error, sizeof(p->error), "%s: %s", e->name, strerror(errno));
	else
		snprintf(p->error, sizeof(p->error), _("%s: changed while it was read"),
		         e->name);
	return errno ? -errno : -EIO;
}

/*
 * A stored entry is read straight from the archive, in large reads, its CRC-32 checked
 * in the same pass: libzip would pass every byte through its layers in small pieces.
 */
static int stream_stored(struct tthc_pkg *p, struct tthc_pkg_entry *e, tthc_pkg_sink sink,
                         void *arg)
{
	uint64_t off = 0, got = 0;
	uint32_t crc = 0;
	int ret = stored_data_offset(p, e, &off);

	if (ret < 0)
		return ret;
	(void)posix_fadvise(p->zipfd, (off_t)off, (off_t)e->size, POSIX_FADV_SEQUENTIAL);
	while (got < e->size) {
		size_t want = e->size - got < TTHC_PKG_CHUNK ? (size_t)(e->size - got)
		                                             : TTHC_PKG_CHUNK;
		ssize_t n = pread(p->zipfd, p->buf, want, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			if (n < 0)
				snprintf(p->error, sizeof(p->error), "%s: %s", e->name,
				         strerror(errno));
			else /* the archive shrank since it was listed */
				snprintf(p->error, sizeof(p->error),
				         _("%s: changed while it was read"), e->name);
			return ret;
		}
		got += (uint64_t)n;
		crc = tthc_crc32(crc, p->buf, (size_t)n);
		if ((ret = count_bytes(p, e, got, (size_t)n)) < 0 ||
		    (ret = sink(arg, p->buf, (size_t)n)) < 0)
			return ret;
	}
	return crc == e->crc ? 0 : unreadable(p, e, ZIP_ER_CRC);
}

static int stream_zip(struct tthc_pkg *p, struct tthc_pkg_entry *e, tthc_pkg_sink sink,
                      void *arg)
{
	if (e->header != TTHC_NO_HEADER)
		return stream_stored(p, e, sink, arg);
	zip_file_t *zf = zip_fopen_index(p->za, e->index, 0);
	uint64_t got = 0;
	int ret = 0;

	if (!zf) {
		tthc_pkg_report(p, "TTHC-ZIP-001", e->name, _("cannot be read: %s"),
		                zip_strerror(p->za));
		return -TTHC_E_XML;
	}
	for (;;) {
		zip_int64_t n = zip_fread(zf, p->buf, TTHC_PKG_CHUNK);
		zip_error_t *err;

		if (n == 0)
			break;
		if (n < 0) {
			err = zip_file_get_error(zf);
			if (zip_error_code_zip(err) == ZIP_ER_READ) {
				snprintf(p->error, sizeof(p->error), "%s",
				         zip_error_strerror(err));
				ret = -EIO;
			} else {
				tthc_pkg_report(p, "TTHC-ZIP-001", e->name,
				                _("cannot be read: %s"),
				                zip_error_strerror(err));
				ret = -TTHC_E_XML;
			}
			break;
		}
		got += (uint64_t)n;
		if ((ret = count_bytes(p, e, got, (size_t)n)) < 0 ||
		    (ret = sink(arg, p->buf, (size_t)n)) < 0)
			break;
	}
	zip_fclose(zf);
	if (ret == 0 && got != e->size) {
		tthc_pkg_report(p, "TTHC-ZIP-001", e->name,
		                _("holds %llu bytes but declares %llu"),
		                (unsigned long long)got, (unsigned long long)e->size);
		ret = -TTHC_E_XML;
	}
	return ret;
}

static int stream_file(struct tthc_pkg *p, struct tthc_pkg_entry *e, tthc_pkg_sink sink,
                       void *arg)
{
	int fd = open_rel(p->rootfd, e->rel), ret = 0;
	uint64_t got = 0;

	if (fd < 0) {
		ret = -errno;
		snprintf(p->error, sizeof(p->error), "%s: %s", e->name, strerror(-ret));
		return ret;
	}
	for (;;) {
		ssize_t n = read(fd, p->buf, TTHC_PKG_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(p->error, sizeof(p->error), "%s: %s", e->name,
			         strerror(-ret));
			break;
		}
		if (n == 0)
			break;
		got += (uint64_t)n;
		/* A file that grows while we read it is read no further than it was. */
		if (got > e->size) {
			n -= (ssize_t)(got - e->size);
			got = e->size;
		}
		if ((ret = count_bytes(p, e, got, (size_t)n)) < 0 ||
		    (ret = sink(arg, p->buf, (size_t)n)) < 0 || got == e->size)
			break;
	}
	close(fd);
	if (ret == 0 && got != e->size) {
		snprintf(p->error, sizeof(p->error), _("%s: changed while it was read"),
		         e->name);
		ret = -EIO;
	}
	return ret;
}

int tthc_pkg_stream(struct tthc_pkg *p, struct tthc_pkg_entry *e, tthc_pkg_sink sink,
                    void *arg)
{
	return p->za ? stream_zip(p, e, sink, arg) : stream_file(p, e, sink, arg);
}

struct grow {
	struct tthc_buf b;
	size_t max;
};

static int grow_sink(void *arg, const unsigned char *buf, size_t len)
{
	struct grow *g = arg;

	if (g->b.n + len > g->max)
		return -EFBIG;
	return tthc_buf_add(&g->b, (const char *)buf, len);
}

int tthc_pkg_read(struct tthc_pkg *p, struct tthc_pkg_entry *e, size_t max, char **buf,
                  size_t *len)
{
	struct grow g = { .max = max };
	int ret;

	if (e->size > max)
		return -EFBIG;
	ret = tthc_pkg_stream(p, e, grow_sink, &g);
	if (ret == 0 && !g.b.p)
		ret = tthc_buf_add(&g.b, "", 0);
	if (ret < 0) {
		free(g.b.p);
		return ret;
	}
	*buf = g.b.p;
	*len = g.b.n;
	return 0;
}
