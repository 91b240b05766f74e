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
	e->first_ref = -1;
	p->n++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tthc_pkg_entry *)a)->name,
	              ((const struct tthc_pkg_entry *)b)->name);
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

		if (!prefix)
			return -ENOMEM;
		/* The prefix is a copy: the entry's own name stays whole for bsearch. */
		for (slash = strchr(prefix, '/'); slash; slash = strchr(slash + 1, '/')) {
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

static int list_zip_entry(struct tthc_pkg *p, zip_uint64_t i, uint64_t *declared,
                          uint64_t *compressed)
{
	const char *name = zip_get_name(p->za, i, ZIP_FL_ENC_GUESS), *why;
	unsigned mode = unix_mode(p->za, i);
	zip_stat_t st;
	char *copy;
	size_t len;
	int is_dir, ret;

	if (!name || zip_stat_index(p->za, i, 0, &st) < 0) {
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
	if (ret == 0)
		p->e[p->n - 1].stored = st.comp_method == ZIP_CM_STORE;
	free(copy);
	return ret;
}

/* ---- overlapping entries ---- */

static unsigned le16(const unsigned char *b)
{
	return (unsigned)b[0] | (unsigned)b[1] << 8;
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)le16(b) | (uint32_t)le16(b + 2) << 16;
}

struct span {
	uint64_t start, data; /* local header offset; bytes of data (compressed) */
};

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

/*
 * Reads the central directory (libzip does not tell where an entry's data lie) and
 * returns 1 when one entry's header or data lie inside another's, a way to make a few
 * stored bytes count twice.  Returns 0 when they do not, or when the archive is ZIP64 or
 * unusual enough that libzip's own checks and the byte counts are what guard it.
 */
static int entries_overlap(int fd, uint64_t size)
{
	unsigned char tail[22 + 65535], *cd = NULL;
	size_t tail_len = size < sizeof(tail) ? (size_t)size : sizeof(tail);
	struct span *s = NULL;
	uint64_t cd_off, cd_size;
	size_t n = 0, count, pos = 0;
	long eocd = -1;
	int overlap = 0;

	if (tail_len < 22 || read_at(fd, tail, tail_len, size - tail_len) < 0)
		return 0;
	for (long i = (long)tail_len - 22; i >= 0 && eocd < 0; i--)
		if (le32(tail + i) == 0x06054b50)
			eocd = i;
	if (eocd < 0)
		return 0;
	count = le16(tail + eocd + 10);
	cd_size = le32(tail + eocd + 12);
	cd_off = le32(tail + eocd + 16);
	if (cd_off == 0xFFFFFFFFu || cd_size == 0xFFFFFFFFu || cd_off + cd_size > size ||
	    cd_size > (64u << 20) || count == 0)
		return 0;
	cd = malloc(cd_size ? cd_size : 1);
	s = calloc(count, sizeof(*s));
	if (!cd || !s || read_at(fd, cd, cd_size, cd_off) < 0)
		goto out;
	for (; n < count && pos + 46 <= cd_size && le32(cd + pos) == 0x02014b50; n++) {
		s[n].data = le32(cd + pos + 20);
		s[n].start = le32(cd + pos + 42);
		pos +=
		    46 + le16(cd + pos + 28) + le16(cd + pos + 30) + le16(cd + pos + 32);
	}
	qsort(s, n, sizeof(*s), by_start);
	for (size_t i = 0; i < n && !overlap; i++) {
		unsigned char lh[30];
		uint64_t end, next = i + 1 < n ? s[i + 1].start : cd_off;

		if (s[i].start == 0xFFFFFFFFu || s[i].data == 0xFFFFFFFFu ||
		    read_at(fd, lh, sizeof(lh), s[i].start) < 0 || le32(lh) != 0x04034b50)
			break; /* ZIP64 or damaged: libzip reports the latter */
		end = s[i].start + 30 + le16(lh + 26) + le16(lh + 28) + s[i].data;
		overlap = end > next;
	}
out:
	free(cd);
	free(s);
	return overlap;
}

static int open_zip(struct tthc_pkg *p, const char *path, int fd)
{
	uint64_t declared = 0, compressed = 0;
	zip_int64_t count;
	struct stat st;
	int code = 0, ret;

	if (fstat(fd, &st) < 0)
		return -errno;
	p->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (!p->za) {
		char msg[256];

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
	count = zip_get_num_entries(p->za, 0);
	if (count < 0 || (uint64_t)count > p->lim->max_entries) {
		tthc_pkg_report(p, "TTHC-ZIP-005", NULL,
		                _("%lld entries: more than the limit of %llu"),
		                (long long)count,
		                (unsigned long long)p->lim->max_entries);
		return 0;
	}
	for (zip_int64_t i = 0; i < count; i++)
		if ((ret = list_zip_entry(p, (zip_uint64_t)i, &declared, &compressed)) <
		    0)
			return ret;
	if (declared > p->lim->max_total)
		tthc_pkg_report(
		    p, "TTHC-ZIP-005", NULL,
		    _("the entries declare %llu bytes: more than the limit of %llu"),
		    (unsigned long long)declared, (unsigned long long)p->lim->max_total);
	/* Entries whose data overlap let a few compressed bytes count many times over. */
	if (compressed > (uint64_t)st.st_size ||
	    entries_overlap(fd, (uint64_t)st.st_size))
		tthc_pkg_report(p, "TTHC-ZIP-005", NULL, "%s",
		                _("the entries' data overlap (more data than the archive "
		                  "holds)"));
	return 0;
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
		ret = open_zip(p, path, fd);
		close(fd);
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
	free(p->root);
	free(p->buf);
	memset(p, 0, sizeof(*p));
	p->rootfd = -1;
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

static int stream_zip(struct tthc_pkg *p, struct tthc_pkg_entry *e, tthc_pkg_sink sink,
                      void *arg)
{
	/*
	 * A stored entry whose digest is checked is read raw: the digest is the stronger
	 * check, and zlib's CRC-32 would double the time spent on a large attachment.
	 */
	zip_flags_t flags = e->stored && e->digested ? ZIP_FL_COMPRESSED : 0;
	zip_file_t *zf = zip_fopen_index(p->za, e->index, flags);
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
