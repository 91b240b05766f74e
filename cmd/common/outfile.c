/* SPDX-License-Identifier: MIT */
/* Files written whole or not at all (temporary file, fsync, rename), and whole reads. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t process_umask;

static void read_umask(void)
{
	process_umask = umask(022);
	umask(process_umask);
}

/* ---- named temporary files, removed on SIGINT, SIGTERM and SIGHUP ---------------- */

/*
 * The signal handler may only call what is async-signal-safe (unlink, fstat, fstatat):
 * the names live in static buffers, one slot per file being written (a worker writes one
 * file at a time, and -j is at most 1024).  A name longer than a slot, or a file beyond
 * the slots, is not cleaned up.
 *
 * A name made by mkostemp() is ours: the handler removes it.  A name being given to an
 * unnamed file is registered before the link, with the file's descriptor: the handler
 * removes it only when it is that file, never a file of that name that someone else
 * made (the link then fails with EEXIST), and a signal just after the link still finds
 * it.
 */
#define TMP_SLOTS 1040
#define TMP_NAME_MAX 4096
static char tmp_names[TMP_SLOTS][TMP_NAME_MAX];
static atomic_int tmp_taken[TMP_SLOTS]; /* the slot belongs to a file */
static atomic_int tmp_live[TMP_SLOTS]; /* its name is complete: the handler looks at it */
static atomic_int tmp_fds[TMP_SLOTS];  /* >= 0: removed only while it names this file */
static pthread_once_t signals_once = PTHREAD_ONCE_INIT;

/* Returns 1 when name is the file open as fd (both calls are async-signal-safe). */
static int names_fd(const char *name, int fd)
{
	struct stat a, b;

	return fstatat(AT_FDCWD, name, &a, AT_SYMLINK_NOFOLLOW) == 0 &&
	       fstat(fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void on_fatal_signal(int sig)
{
	int saved = errno;

	for (size_t i = 0; i < TMP_SLOTS; i++) {
		int fd;

		if (!atomic_load(&tmp_live[i]))
			continue;
		fd = atomic_load(&tmp_fds[i]);
		if (fd < 0 || names_fd(tmp_names[i], fd))
			unlink(tmp_names[i]);
	}
	errno = saved;
	/* SA_RESETHAND restored the default action: the signal kills once we return. */
	raise(sig);
}

static void install_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old, sa;

		/* A signal the caller ignores (nohup) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) < 0 || old.sa_handler != SIG_DFL)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sa.sa_flags = SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

/*
 * Returns the slot now holding name, or -1 when it cannot be kept.  fd: -1 for a name
 * that is ours, else the file that name is to be (see above).
 */
static int tmp_register(const char *name, int fd)
{
	size_t len = strlen(name);

	if (len >= TMP_NAME_MAX)
		return -1;
	for (int i = 0; i < TMP_SLOTS; i++) {
		int free_slot = 0;

		if (!atomic_compare_exchange_strong(&tmp_taken[i], &free_slot, 1))
			continue;
		memcpy(tmp_names[i], name, len + 1);
		atomic_store(&tmp_fds[i], fd);
		atomic_store(&tmp_live[i], 1);
		return i;
	}
	return -1;
}

static void tmp_unregister(int slot)
{
	if (slot < 0)
		return;
	atomic_store(&tmp_live[slot], 0);
	atomic_store(&tmp_fds[slot], -1);
	atomic_store(&tmp_taken[slot], 0);
}

/* ---- backups made by this run ------------------------------------------------------ */

/* Never replaced in one run: converted text would take the original's place. */
struct file_id {
	dev_t dev;
	ino_t ino;
};
static pthread_mutex_t backups_lock = PTHREAD_MUTEX_INITIALIZER;
static struct file_id *backups;
static size_t nbackups, backups_cap;

static int made_backup(const struct stat *st)
{
	int found = 0;

	pthread_mutex_lock(&backups_lock);
	for (size_t i = 0; i < nbackups && !found; i++)
		found = backups[i].dev == st->st_dev && backups[i].ino == st->st_ino;
	pthread_mutex_unlock(&backups_lock);
	return found;
}

static void remember_backup(const char *bak)
{
	struct stat st;

	if (lstat(bak, &st) < 0)
		return;
	pthread_mutex_lock(&backups_lock);
	if (nbackups == backups_cap) {
		backups_cap = backups_cap ? 2 * backups_cap : 16;
		backups = xrealloc(backups, backups_cap * sizeof(*backups));
	}
	backups[nbackups++] = (struct file_id){ st.st_dev, st.st_ino };
	pthread_mutex_unlock(&backups_lock);
}

/* ---- output files ------------------------------------------------------------------ */

static char *dir_part(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/*
 * An unnamed file in dir (O_TMPFILE): nothing to clean up whatever kills us while it is
 * written.  It needs /proc to be given a name at the end.  Returns the descriptor or -1.
 */
static int open_unnamed(const char *dir)
{
#ifdef O_TMPFILE
	char proc[64];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (access(proc, F_OK) == 0)
		return fd;
	close(fd);
#else
	(void)dir;
#endif
	return -1;
}

/*
 * The temporary name: hidden, so that a listing or a glob does not pick a half-written
 * file, and short whatever the target's name (which may be NAME_MAX long already).
 */
static char *temp_name(const char *dir)
{
	return xasprintf("%s/.tthc-XXXXXX", dir);
}

/*
 * A device or a FIFO (-o /dev/null, a pipe) is written as it is: renaming a file over it
 * would replace the device node.  It cannot be replaced in place (-i) either.
 */
static int open_special(struct outfile *of, const char *target, const struct stat *like)
{
	if (like)
		return -EINVAL;
	of->fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (of->fd < 0 || !(of->f = fdopen(of->fd, "w"))) {
		int e = errno;

		if (of->fd >= 0)
			close(of->fd);
		of->fd = -1;
		return -e;
	}
	of->direct = 1;
	of->target = xstrdup(target);
	return 0;
}

static int open_resolved(struct outfile *of, const char *target, const struct stat *like);

/*
 * A symbolic link stays one: what it points to is replaced (-o /dev/stdout, when that is
 * a file, replaces the file, not /dev/stdout).  A dangling link is replaced itself.
 */
int outfile_open(struct outfile *of, const char *target, const struct stat *like)
{
	struct stat st;
	char *real = NULL;
	int r;

	if (lstat(target, &st) == 0 && S_ISLNK(st.st_mode))
		real = realpath(target, NULL);
	r = open_resolved(of, real ? real : target, like);
	free(real);
	return r;
}

static int open_resolved(struct outfile *of, const char *target, const struct stat *like)
{
	struct stat st;
	int e;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->slot = -1;
	pthread_once(&umask_once, read_umask);
	pthread_once(&signals_once, install_handlers);
	of->uid = (uid_t)-1;
	of->gid = (gid_t)-1;
	if (stat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return open_special(of, target, like);
	if (like) {
		of->mode = like->st_mode & 07777;
		of->uid = like->st_uid;
		of->gid = like->st_gid;
	} else if (stat(target, &st) == 0 && S_ISREG(st.st_mode))
		of->mode = st.st_mode & 07777;
	else
		of->mode = 0666 & ~process_umask;
	of->dir = dir_part(target);
	of->fd = open_unnamed(of->dir);
	if (of->fd < 0) {
		of->tmp = temp_name(of->dir);
		of->fd = mkostemp(of->tmp, O_CLOEXEC);
		if (of->fd >= 0)
			of->slot = tmp_register(of->tmp, -1);
	}
	if (of->fd < 0 || !(of->f = fdopen(of->fd, "w"))) {
		e = errno;
		if (of->fd >= 0)
			close(of->fd);
		if (of->tmp && of->fd >= 0)
			unlink(of->tmp);
		tmp_unregister(of->slot);
		free(of->tmp);
		free(of->dir);
		memset(of, 0, sizeof(*of));
		of->fd = -1;
		return -e;
	}
	of->target = xstrdup(target);
	return 0;
}

/* A fresh temporary name beside the target: ".tthc-" and six random letters or digits. */
static char *random_temp_name(const char *dir)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[6];
	char *name = temp_name(dir);
	char *x = name + strlen(name) - sizeof(rnd);

	if (getentropy(rnd, sizeof(rnd)) < 0) {
		/* Never expected (Linux >= 3.17); a clock and counter mix does as well
		 * here. */
		static atomic_uint counter;
		unsigned long long v = (unsigned long long)getpid() * 1000003u ^
		                       (unsigned long long)time(NULL) ^
		                       atomic_fetch_add(&counter, 1u) * 2654435761u;

		for (size_t i = 0; i < sizeof(rnd); i++, v >>= 6)
			rnd[i] = (unsigned char)v;
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		x[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
	return name;
}

/*
 * Gives the unnamed file a temporary name beside its target, linking it straight to a
 * random name (EEXIST: another try).  No placeholder file is created and removed: on
 * ext4 each removed inode slows every later allocation in its group for a while, which
 * cost a packing run of thousands of bundles most of its time.  Returns 0 or -errno.
 */
static int name_unnamed(struct outfile *of)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", of->fd);
	for (int tries = 0; tries < 100; tries++) {
		int e;

		of->tmp = random_temp_name(of->dir);
		/*
		 * Registered before the link, so that no moment is left when the name
		 * exists and the handler does not know it; with the file, so that the
		 * handler never removes a file of that name made by someone else.  The
		 * file stays open (and registered) until it is renamed.
		 */
		of->slot = tmp_register(of->tmp, of->fd);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, of->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		e = errno;
		tmp_unregister(of->slot);
		of->slot = -1;
		free(of->tmp);
		of->tmp = NULL;
		if (e != EEXIST)
			return -e;
	}
	return -EEXIST;
}

/*
 * Keeps the current target as target+suffix: a second name for it, else a rename.  A
 * backup this run made is never replaced, neither by the next backup (the target named
 * twice) nor as a target (the backup named as an operand): -EEXIST.
 */
static int keep_backup(const char *target, const char *suffix)
{
	struct stat st;
	char *bak;
	int r = 0;

	if (stat(target, &st) < 0)
		return 0; /* a new file: nothing to keep */
	if (made_backup(&st))
		return -EEXIST; /* the target is one: named as an operand too */
	bak = xasprintf("%s%s", target, suffix);
	if (lstat(bak, &st) == 0 && made_backup(&st)) {
		free(bak);
		return -EEXIST;
	}
	unlink(bak); /* an older backup gives way */
	if (link(target, bak) < 0 && rename(target, bak) < 0)
		r = -errno;
	else
		remember_backup(bak);
	free(bak);
	return r;
}

/* Forgets the temporary file (already renamed or removed) and frees the names. */
static void release(struct outfile *of)
{
	tmp_unregister(of->slot);
	free(of->tmp);
	free(of->target);
	free(of->dir);
	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->slot = -1;
}

int outfile_commit(struct outfile *of, const char *backup_suffix)
{
	int r = 0, unnamed = !of->tmp;

	if (of->direct) {
		if (fclose(of->f) != 0)
			r = -errno;
		free(of->target);
		memset(of, 0, sizeof(*of));
		of->fd = -1;
		of->slot = -1;
		return r;
	}

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
	/* An unnamed file gets its name only now, for the instant before the rename. */
	if (!r && unnamed)
		r = name_unnamed(of);
	/*
	 * A file named now stays open until its name is gone: the signal handler removes
	 * that name only while it is this file.  It is synced, so its close can lose
	 * nothing.  Any other is closed first, and a close error keeps the target.
	 */
	if (!unnamed || r) {
		if (fclose(of->f) != 0 && !r)
			r = -errno;
		of->f = NULL;
		of->fd = -1;
	}
	if (!r && backup_suffix)
		r = keep_backup(of->target, backup_suffix);
	if (!r && rename(of->tmp, of->target) < 0)
		r = -errno;
	if (r && of->tmp)
		unlink(of->tmp);
	tmp_unregister(of->slot);
	of->slot = -1;
	if (of->f)
		fclose(of->f);
	release(of);
	return r;
}

void outfile_abort(struct outfile *of)
{
	if (of->f)
		fclose(of->f);
	if (of->tmp)
		unlink(of->tmp);
	release(of);
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
