/* SPDX-License-Identifier: MIT */
/* Helpers shared by the tthc tools: messages, memory, report output, ordered runner. */
#ifndef TTHC_CMD_COMMON_H
#define TTHC_CMD_COMMON_H

#include <stdio.h>
#include <stddef.h>

#include "tthc.h"

#define _(s) tthc_gettext(s)
#define N_(s) (s)

#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))

/* Exit statuses shared by the tools. */
enum {
	EXIT_VALID = 0,   /* every input is valid */
	EXIT_INVALID = 1, /* at least one input broke a rule */
	EXIT_TROUBLE = 2, /* usage error, or an input could not be read */
};

/* The program name messages start with: argv[0] without its directory. */
extern const char *progname;

/*
 * Call first in main(): sets the locale and progname and, when the tool runs from the
 * build tree, points libtthc at the catalogues built there (unless TTHC_LOCALEDIR is
 * set).
 */
void tool_init(const char *argv0);

/* Returns 1 when the running executable is the one in the build tree's cmd directory. */
int running_from_build_tree(void);

/* Returns the directory of the running executable (malloc'd), or NULL. */
char *self_dir(void);

/* Prints "progname: message" on stderr. */
/* A bad command line: prints "PROG: message", then the synopsis; exits 2. */
__attribute__((noreturn)) void usage_fail(void (*usage)(FILE *), const char *fmt, ...)
    PRINTF_LIKE(2, 3);
/* getopt_long returned ':' or '?' (with opterr 0): says which option, exits 2. */
__attribute__((noreturn)) void bad_option(void (*usage)(FILE *), int c, char **argv);
/* An option's number between min and max, or a usage error naming the option. */
unsigned long option_number(void (*usage)(FILE *), const char *s, const char *what,
                            unsigned long min, unsigned long max);
void warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Prints "progname: message" on stderr and exits with status. */
__attribute__((noreturn)) void die(int status, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Allocation that cannot fail: on exhaustion they die with EXIT_TROUBLE. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Prints the --version text: the tool, libtthc and the libraries it was built with. */
void print_version(FILE *f);

/*
 * Applies the schema directory: option (--schema-dir) if given, else $TTHC_SCHEMA_DIR
 * (which tthc_ctx_new() already read), else the source tree's schemas when running from
 * the build tree, else the library default.  Returns 0 or a negative code.
 */
int schema_dir_apply(struct tthc_ctx *ctx, const char *option);

/* ---- output ---------------------------------------------------------------------- */

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
};

/* Writes s as a JSON string with its quotes; invalid UTF-8 becomes U+FFFD. */
void json_string(FILE *f, const char *s);
/* Writes s for a text line: control characters become '?', so a line stays one line. */
void text_string(FILE *f, const char *s);

struct report_options {
	enum output_format format;
	int quiet;   /* no output at all */
	int verbose; /* text: also "FILE: ok (...)" for valid files */
	int strict;  /* warnings make a document invalid */
};

/* Returns 1 when the report makes its document valid under opts. */
int report_valid(const struct tthc_report *r, const struct report_options *opts);

/*
 * Writes the findings of one report and, in JSON, its summary line.  Text:
 * "FILE:LINE: SEVERITY RULE: message"; JSON Lines: {"type":"finding",...} per finding,
 * then {"type":"file",...}.
 */
void report_write(FILE *f, const struct tthc_report *r,
                  const struct report_options *opts);

/* Writes what stands for a file that could not be read at all (JSON only; text: none). */
void report_write_failure(FILE *f, const char *file, const char *error,
                          const struct report_options *opts);

/* ---- files written whole or not at all ------------------------------------------ */

#include <sys/types.h>
struct stat;

/*
 * An output file is written to a temporary file in its target's directory and renamed
 * over the target only when complete and synced, so that a failure never leaves a
 * partial file: the target keeps its old content and no temporary remains.  Where the
 * file system allows, the temporary has no name (O_TMPFILE) until the instant before the
 * rename; else it is a hidden .tthc-XXXXXX.  Named temporaries are removed when SIGINT,
 * SIGTERM or SIGHUP kills the process (outfile_open() installs the handlers for the
 * signals whose action is the default).
 */
struct outfile {
	FILE *f; /* write here */
	int fd;
	mode_t mode;
	uid_t uid; /* (uid_t)-1: the creator's */
	gid_t gid;
	char *target, *tmp; /* tmp: NULL while the file has no name */
	char *dir;
	int slot;   /* where the signal handler finds tmp; -1: none */
	int direct; /* a device or FIFO, written as it is (no temporary, no rename) */
};

/*
 * Creates the temporary file for target.  Its mode will be like's (NULL: the existing
 * target's, else 0666 less the umask).  A target that is a device or a FIFO is opened
 * and written directly, without like (with like: -EINVAL).  Returns 0 or -errno.
 */
int outfile_open(struct outfile *of, const char *target, const struct stat *like);
/*
 * Flushes, syncs and renames the file to its target; with backup_suffix, the old target
 * is first kept as target+suffix (a hard link, or a rename where links fail).  An older
 * file of that name is replaced.  A backup made earlier in this run is never replaced,
 * as the backup or as the target: -EEXIST.
 * Returns 0 or -errno; on failure the temporary is removed and the target left as it was.
 */
int outfile_commit(struct outfile *of, const char *backup_suffix);
/* Removes the temporary file: the target stays as it was. */
void outfile_abort(struct outfile *of);

/*
 * Reads fd to its end into a malloc'd buffer, at most max + 1 bytes.  Returns 0; -EFBIG
 * when there was more than max (*buf then holds the first bytes; free it); or -errno.
 */
int read_all(int fd, size_t max, char **buf, size_t *len);

/* ---- ordered parallel runner ---------------------------------------------------- */

/*
 * Runs work() on a stream of items with several threads and hands the items back to
 * emit() strictly in the order next() produced them.  At most depth items are alive at
 * a time, so memory does not grow with the number of items.  With threads, next() runs in
 * a reader thread of its own and emit() in the calling thread: they may run at the same
 * time, so they must not share state without a lock.
 */
struct ordered_ops {
	/* Reader: stores the next item in *item and returns 1; 0 at the end. */
	int (*next)(void *arg, void **item);
	/* Calling thread, before the workers start: state for one worker; NULL on
	 * failure. */
	void *(*worker_new)(void *arg);
	void (*worker_free)(void *worker);
	/* Worker thread: does the work; the item keeps its own result. */
	void (*work)(void *worker, void *item);
	/* Calling thread, in input order: writes the result and frees the item. */
	void (*emit)(void *arg, void *item);
};

/*
 * Runs the items with jobs worker threads (jobs <= 1: all in the calling thread, no
 * threads) and a ring of depth slots (0: 16 * jobs).  Returns 0, or -ENOMEM when no
 * worker state could be created (then no item was taken).
 */
int run_ordered(unsigned jobs, unsigned depth, const struct ordered_ops *ops, void *arg);

/* Returns the number of online processors, at least 1. */
unsigned online_cpus(void);

#endif
