/* SPDX-License-Identifier: MIT */
/* Opening a file named by untrusted input, never outside the folder it is relative to. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "internal.h"

/* Returns 1 for an absolute path or one with a ".." component. */
static int escapes(const char *path)
{
	if (*path == '/')
		return 1;
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

/*
 * Without openat2, walks the path a component at a time and refuses every symbolic
 * link on the way (ELOOP), since a linked folder could lead anywhere.
 */
int tthc_open_walk(int dirfd, const char *path, int flags)
{
	char part[4096];
	const char *p = path;
	int fd = dirfd, next;

	for (;;) {
		size_t n = strcspn(p, "/");

		if (n >= sizeof(part)) {
			errno = ENAMETOOLONG;
			next = -1;
		} else if (p[n] == '\0') {
			next = openat(fd, p, flags | O_NOFOLLOW);
		} else {
			memcpy(part, p, n);
			part[n] = '\0';
			next = n ? openat(fd, part,
			                  O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			         : dup(fd);
		}
		if (fd != dirfd) {
			int e = errno;

			close(fd);
			errno = e;
		}
		if (next < 0 || p[n] == '\0')
			return next;
		fd = next;
		p += n + 1;
	}
}

/*
 * Symbolic links are followed only while they stay beneath the dossier's directory
 * (openat2 RESOLVE_BENEATH), so a dossier cannot make us read, hash and report on files
 * elsewhere.  On kernels (or sandboxes) without openat2, no link is followed at all.
 */
int tthc_open_beneath(int dirfd, const char *path)
{
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	/* The walk below would follow "..": refuse it, and absolute paths, up front. */
	if (escapes(path)) {
		errno = EXDEV;
		return -1;
	}
#ifdef SYS_openat2
	struct open_how how = { .flags = (unsigned)flags,
		                .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (fd >= 0 || (errno != ENOSYS && errno != EPERM && errno != E2BIG))
		return (int)fd;
#endif
	return tthc_open_walk(dirfd, path, flags);
}
