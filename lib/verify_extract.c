/* SPDX-License-Identifier: MIT */
/* Unpacking a verified bundle: nothing outside the target, nothing half-written. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "verify_int.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* What was created, to take it back on failure (folders before what they hold). */
struct undo {
	char **names; /* relative to the target folder */
	int *dirs;
	size_t n;
};

static int undo_add(struct undo *u, const char *name, int dir)
{
	char **nn = realloc(u->names, (u->n + 1) * sizeof(*nn));
	int *nd;

	if (!nn)
		return -ENOMEM;
	u->names = nn;
	if (!(nd = realloc(u->dirs, (u->n + 1) * sizeof(*nd))))
		return -ENOMEM;
	u->dirs = nd;
	if (!(u->names[u->n] = strdup(name)))
		return -ENOMEM;
	u->dirs[u->n++] = dir;
	return 0;
}

static void undo_all(struct undo *u, int dirfd, int apply)
{
	for (size_t i = u->n; i-- > 0;) {
		if (apply)
			unlinkat(dirfd, u->names[i], u->dirs[i] ? AT_REMOVEDIR : 0);
		free(u->names[i]);
	}
	free(u->names);
	free(u->dirs);
	memset(u, 0, sizeof(*u));
}

/* Opens the folder holding name (relative to dirfd), following no link. */
static int open_parent(int dirfd, const char *name, const char **base)
{
	const char *slash = strrchr(name, '/');
	char part[256];
	int fd = dup(dirfd);

	*base = slash ? slash + 1 : name;
	for (const char *p = name; fd >= 0 && slash && p < slash;) {
		size_t n = strcspn(p, "/");
		int next;

		if (n >= sizeof(part)) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p += n + 1;
	}
	return fd;
}

struct writing {
	int fd;
	EVP_MD_CTX *md;
};

static int write_sink(void *arg, const unsigned char *buf, size_t len)
{
	struct writing *w = arg;

	if (w->md && !EVP_DigestUpdate(w->md, buf, len))
		return -TTHC_E_INTERNAL;
	while (len > 0) {
		ssize_t n = write(w->fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static const char *const fetch_names[TTHC_DIG_COUNT] = { NULL,     "MD5",    "SHA1",
	                                                 "SHA256", "SHA384", "SHA512" };

/* The digest the file was verified with, to check the copy against. */
static const struct tthc_ref *verified_ref(const struct tthc_verifier *v,
                                           const struct tthc_pkg_entry *e)
{
	for (int r = e->first_ref; r >= 0; r = v->refs[r].next)
		if (v->refs[r].alg != TTHC_DIG_NONE)
			return &v->refs[r];
	return NULL;
}

static int copy_checked(struct tthc_verifier *v, struct tthc_pkg_entry *e, int fd)
{
	const struct tthc_ref *ref = verified_ref(v, e);
	struct writing w = { .fd = fd };
	EVP_MD *md = NULL;
	unsigned char out[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned n = 0;
	int ret;

	if (ref) {
		md = EVP_MD_fetch(NULL, fetch_names[ref->alg], NULL);
		w.md = EVP_MD_CTX_new();
		if (!md || !w.md || !EVP_DigestInit_ex2(w.md, md, NULL)) {
			ret = -TTHC_E_INTERNAL;
			goto out;
		}
	}
	ret = tthc_pkg_stream(&v->pkg, e, write_sink, &w);
	if (ret == 0 && ref) {
		if (!EVP_DigestFinal_ex(w.md, out, &n)) {
			ret = -TTHC_E_INTERNAL;
			goto out;
		}
		for (unsigned i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", out[i]);
		if (strcmp(hex, ref->checksum) != 0) {
			snprintf(v->error, sizeof(v->error),
			         _("%s: changed since it was verified"), e->name);
			ret = -EIO;
		}
	}
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
out:
	EVP_MD_CTX_free(w.md);
	EVP_MD_free(md);
	return ret;
}

/* Writes e under a temporary name beside it, then gives it its name (never replacing). */
static int extract_file(struct tthc_verifier *v, int dirfd, struct tthc_pkg_entry *e,
                        struct undo *u)
{
	const char *base;
	char tmp[300];
	unsigned char rnd[6];
	int pfd = open_parent(dirfd, e->name, &base), fd, ret;

	if (pfd < 0)
		return -errno;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		memset(rnd, 0, sizeof(rnd));
	snprintf(tmp, sizeof(tmp), ".tthc-%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1],
	         rnd[2], rnd[3], rnd[4], rnd[5]);
	fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0) {
		ret = -errno;
		close(pfd);
		return ret;
	}
	ret = copy_checked(v, e, fd);
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	if (ret == 0 && renameat2(pfd, tmp, pfd, base, RENAME_NOREPLACE) < 0) {
		/* Without renameat2 (some file systems): a new link cannot replace
		 * either. */
		if (errno != EINVAL && errno != ENOSYS)
			ret = -errno;
		else if (linkat(pfd, tmp, pfd, base, 0) < 0)
			ret = -errno;
	}
	unlinkat(pfd, tmp,
	         0); /* gone after a rename; the leftover after a link or failure */
	close(pfd);
	if (ret == 0)
		ret = undo_add(u, e->name, 0);
	return ret;
}

static int extract_dir(int dirfd, const struct tthc_pkg_entry *e, struct undo *u)
{
	const char *base;
	int pfd = open_parent(dirfd, e->name, &base), ret = 0;

	if (pfd < 0)
		return -errno;
	if (mkdirat(pfd, base, 0777) < 0)
		ret = -errno;
	close(pfd);
	return ret ? ret : undo_add(u, e->name, 1);
}

TTHC_EXPORT int tthc_verify_extract(struct tthc_verifier *v, const char *dir)
{
	struct tthc_report *scratch;
	struct undo u = { 0 };
	int dirfd, ret = 0;

	*v->error = '\0';
	if (!v->valid || !v->pkg.root) {
		snprintf(v->error, sizeof(v->error), "%s",
		         _("only a bundle verified valid can be extracted"));
		return -EINVAL;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		ret = -errno;
		snprintf(v->error, sizeof(v->error), "%s: %s", dir, strerror(-ret));
		return ret;
	}
	/* The verification's report belongs to the caller now: findings go nowhere. */
	scratch = tthc_report_new(v->pkg.display);
	if (!scratch) {
		close(dirfd);
		return -ENOMEM;
	}
	v->pkg.report = scratch;
	v->pkg.total = 0;
	/* Sorted by name: a folder comes before everything in it. */
	for (size_t i = 0; ret == 0 && i < v->pkg.n; i++) {
		struct tthc_pkg_entry *e = &v->pkg.e[i];

		ret =
		    e->is_dir ? extract_dir(dirfd, e, &u) : extract_file(v, dirfd, e, &u);
		if (ret < 0 && !*v->error)
			snprintf(v->error, sizeof(v->error), "%.150s/%.150s: %.200s", dir,
			         e->name,
			         tthc_report_count(scratch)
			             ? tthc_report_get(scratch, 0)->message
			         : *v->pkg.error ? v->pkg.error
			                         : tthc_strerror(ret));
	}
	undo_all(&u, dirfd, ret < 0);
	tthc_report_free(scratch);
	v->pkg.report = NULL;
	close(dirfd);
	return ret;
}
