/* SPDX-License-Identifier: MIT */
/* Files written whole or not at all (temporary, fsync, rename), and whole reads. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t process_umask;

static void read_umask(void)
{
	process_umask = umask(022);
	umask(process_umask);
}

static char *dir_part(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

int outfile_open(struct outfile *of, const char *target, const struct stat *like)
{
	const char *base = strrchr(target, '/');
	char *dir = dir_part(target);
	struct stat st;
	int e;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	pthread_once(&umask_once, read_umask);
	of->uid = (uid_t)-1;
	of->gid = (gid_t)-1;
	if (like) {
		of->mode = like->st_mode & 07777;
		of->uid = like->st_uid;
		of->gid = like->st_gid;
	} else if (stat(target, &st) == 0 && S_ISREG(st.st_mode))
		of->mode = st.st_mode & 07777;
	else
		of->mode = 0666 & ~process_umask;
	/* Hidden, so that a directory listing or a glob does not pick a half-written
	 * file. */
	of->tmp = xasprintf("%s/.%s.tthc-XXXXXX", dir, base ? base + 1 : target);
	free(dir);
	of->fd = mkostemp(of->tmp, O_CLOEXEC);
	if (of->fd < 0 || !(of->f = fdopen(of->fd, "w"))) {
		e = errno;
		if (of->fd >= 0) {
			close(of->fd);
			unlink(of->tmp);
		}
		free(of->tmp);
		of->tmp = NULL;
		return -e;
	}
	of->target = xstrdup(target);
	return 0;
}

/* Keeps the current target as target+suffix: a second name for it, else a rename. */
static int keep_backup(const char *target, const char *suffix)
{
	char *bak;
	int r = 0;

	if (access(target, F_OK) < 0)
		return 0; /* a new file: nothing to keep */
	bak = xasprintf("%s%s", target, suffix);
	unlink(bak); /* an older backup gives way */
	if (link(target, bak) < 0 && rename(target, bak) < 0)
		r = -errno;
	free(bak);
	return r;
}

int outfile_commit(struct outfile *of, const char *backup_suffix)
{
	int r = 0;

	if (fflush(of->f) != 0 || ferror(of->f))
		r = -(errno ? errno : EIO);
	/*
	 * The owner too where we may (root replacing another's file), else the group;
	 * failing both, the file is ours, as any file we create.
	 */
	if (!r && of->uid != (uid_t)-1 && fchown(of->fd, of->uid, of->gid) < 0 &&
	    fchown(of->fd, (uid_t)-1, of->gid) < 0)
		errno = 0;
	if (!r && (fchmod(of->fd, of->mode) < 0 || fsync(of->fd) < 0))
		r = -errno;
	if (fclose(of->f) != 0 && !r)
		r = -errno;
	of->f = NULL;
	of->fd = -1;
	if (!r && backup_suffix)
		r = keep_backup(of->target, backup_suffix);
	if (!r && rename(of->tmp, of->target) < 0)
		r = -errno;
	if (r)
		unlink(of->tmp);
	free(of->tmp);
	free(of->target);
	of->tmp = of->target = NULL;
	return r;
}

void outfile_abort(struct outfile *of)
{
	if (of->f)
		fclose(of->f);
	if (of->tmp)
		unlink(of->tmp);
	free(of->tmp);
	free(of->target);
	memset(of, 0, sizeof(*of));
	of->fd = -1;
}

int read_all(int fd, size_t max, char **buf, size_t *len)
{
	size_t n = 0, cap = 64 * 1024;
	char *p = xmalloc(cap);

	while (n <= max) {
		ssize_t got;

		if (n == cap)
			p = xrealloc(p, cap *= 2);
		got = read(fd, p + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(p);
			return -e;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*buf = p;
	*len = n;
	return n > max ? -EFBIG : 0;
}
