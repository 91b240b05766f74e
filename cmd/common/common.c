/* SPDX-License-Identifier: MIT */
/* Helpers shared by the tthc tools: messages, memory, report output, ordered runner. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

const char *progname = "tthc";

char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(dirname(buf));
}

int running_from_build_tree(void)
{
	static int known = -1;
	char *dir, *build;

	if (known >= 0)
		return known;
	dir = self_dir();
	build = realpath(BUILD_CMD_DIR, NULL);
	known = dir && build && strcmp(dir, build) == 0;
	free(build);
	free(dir);
	return known;
}

void tool_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	setlocale(LC_ALL, "");
	if (argv0 && *argv0)
		progname = slash ? slash + 1 : argv0;
	/* Before the first message is translated: the library binds its domain once. */
	if (running_from_build_tree())
		setenv("TTHC_LOCALEDIR", BUILD_LOCALE_DIR, 0);
}

static void vwarn(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
static void vwarn(const char *fmt, va_list ap)
{
	char *msg = NULL;

	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	if (vasprintf(&msg, fmt, ap) >= 0)
		text_string(stderr, msg); /* file names in messages: one line, always */
	free(msg);
	fputc('\n', stderr);
}

void usage_fail(void (*usage)(FILE *), const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	usage(stderr);
	exit(EXIT_TROUBLE);
}

unsigned long option_number(void (*usage)(FILE *), const char *s, const char *what,
                            unsigned long min, unsigned long max)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (!*s || *end || *s == '-' || errno || n < min || n > max)
		usage_fail(usage, _("invalid %s '%s': expected a number from %lu to %lu"),
		           what, s, min, max);
	return n;
}

void bad_option(void (*usage)(FILE *), int c, char **argv)
{
	if (c == ':')
		usage_fail(usage, _("option '%s' needs an argument"), argv[optind - 1]);
	if (optopt)
		usage_fail(usage, _("unknown option '-%c'"), optopt);
	usage_fail(usage, _("unknown option '%s'"), argv[optind - 1]);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

static void *check_alloc(void *p)
{
	if (!p)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check_alloc(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t size)
{
	return check_alloc(realloc(p, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return check_alloc(n < 0 ? NULL : s);
}

void print_version(FILE *f)
{
	fprintf(f, "%s %s\nlibtthc %s\n%s", progname, PROJECT_VERSION, tthc_version(),
	        tthc_dependency_versions());
}

int schema_dir_apply(struct tthc_ctx *ctx, const char *option)
{
	const char *env = getenv("TTHC_SCHEMA_DIR");

	if (option)
		return tthc_ctx_set_schema_dir(ctx, option);
	if (env && *env)
		return 0;
	if (running_from_build_tree())
		return tthc_ctx_set_schema_dir(ctx, SOURCE_SCHEMA_DIR);
	return 0;
}

/* ---- output ---------------------------------------------------------------------- */

/* Returns the length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fwrite(p, 1, n, f);
		}
		p += n;
	}
	fputc('"', f);
}

/*
 * Writes s with every character that could end or upset a line shown as '?': C0 and C1
 * controls, DEL, and U+2028 / U+2029 (line and paragraph separators), so that one
 * finding or message is always one line, whatever a file name holds.
 */
void text_string(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			fputc('?', f);
		} else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			fputc('?', f);
			p++;
		} else if (p[0] == 0xE2 && p[1] == 0x80 &&
		           (p[2] == 0xA8 || p[2] == 0xA9)) {
			fputc('?', f);
			p += 2;
		} else {
			fputc(*p, f);
		}
	}
}

int report_valid(const struct tthc_report *r, const struct report_options *opts)
{
	return tthc_report_errors(r) == 0 &&
	       !(opts->strict && tthc_report_warnings(r) > 0);
}

static void write_text(FILE *f, const struct tthc_report *r,
                       const struct report_options *opts)
{
	size_t warnings = tthc_report_warnings(r);
	const char *proc = tthc_report_procedure(r);

	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);

		text_string(f, d->file);
		fprintf(f, ":%lu: %s %s: ", d->line, tthc_severity_name(d->severity),
		        d->rule);
		text_string(f, d->message);
		fputc('\n', f);
	}
	if (opts->verbose && report_valid(r, opts)) {
		text_string(f, tthc_report_file(r));
		fputs(": ", f);
		/* TRANSLATORS: after "FILE: ", a valid file's MaTTHC and warning count.
		 */
		fprintf(f,
		        tthc_ngettext("ok (%s, %zu warning)", "ok (%s, %zu warnings)",
		                      warnings),
		        proc ? proc : "-", warnings);
		fputc('\n', f);
	}
}

static void write_json(FILE *f, const struct tthc_report *r,
                       const struct report_options *opts)
{
	const char *proc = tthc_report_procedure(r);

	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const struct tthc_diag *d = tthc_report_get(r, i);

		fputs("{\"type\":\"finding\",\"file\":", f);
		json_string(f, d->file);
		fprintf(f, ",\"line\":%lu,\"severity\":\"%s\",\"rule\":", d->line,
		        tthc_severity_name(d->severity));
		json_string(f, d->rule);
		fputs(",\"path\":", f);
		json_string(f, d->path);
		fputs(",\"message\":", f);
		json_string(f, d->message);
		fputs("}\n", f);
	}
	fputs("{\"type\":\"file\",\"file\":", f);
	json_string(f, tthc_report_file(r));
	fputs(",\"procedure\":", f);
	if (proc)
		json_string(f, proc);
	else
		fputs("null", f);
	fprintf(f, ",\"valid\":%s,\"errors\":%zu,\"warnings\":%zu}\n",
	        report_valid(r, opts) ? "true" : "false", tthc_report_errors(r),
	        tthc_report_warnings(r));
}

void report_write(FILE *f, const struct tthc_report *r, const struct report_options *opts)
{
	if (opts->quiet)
		return;
	if (opts->format == FORMAT_JSON)
		write_json(f, r, opts);
	else
		write_text(f, r, opts);
}

void report_write_failure(FILE *f, const char *file, const char *error,
                          const struct report_options *opts)
{
	if (opts->quiet || opts->format != FORMAT_JSON)
		return;
	fputs("{\"type\":\"file\",\"file\":", f);
	json_string(f, file);
	fputs(",\"valid\":false,\"error\":", f);
	json_string(f, error);
	fputs("}\n", f);
}

/* ---- ordered parallel runner ---------------------------------------------------- */

/*
 * A ring of slots between a reader thread (next), the workers (work) and the calling
 * thread (emit).  Sequence numbers only grow: [tail, head) are alive, slot s lives at
 * s % depth, workers take [taken, head).  The names are read in a thread of their own so
 * that a result is written as soon as it is ready, even while the next name is not yet
 * there (a slow pipe).
 */
struct ring {
	const struct ordered_ops *ops;
	void *arg;
	pthread_mutex_t lock;
	pthread_cond_t work_cond;  /* an item was added, or the input ended */
	pthread_cond_t done_cond;  /* an item was finished, or the input ended */
	pthread_cond_t space_cond; /* a slot was freed */
	void **items;
	unsigned char *done;
	size_t depth;
	unsigned long long head, tail, taken;
	int end;
	/*
	 * Who sleeps: a signal goes only to a thread that waits, and the reader is woken
	 * only once half the ring is free, so threads switch per batch, not per file.
	 */
	unsigned idle_workers;
	int reader_waiting, emitter_waiting;
};

struct worker {
	struct ring *ring;
	void *state;
	pthread_t thread;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ring *ring = w->ring;

	pthread_mutex_lock(&ring->lock);
	for (;;) {
		unsigned long long seq;

		while (ring->taken == ring->head && !ring->end) {
			ring->idle_workers++;
			pthread_cond_wait(&ring->work_cond, &ring->lock);
			ring->idle_workers--;
		}
		if (ring->taken == ring->head)
			break;
		seq = ring->taken++;
		pthread_mutex_unlock(&ring->lock);
		ring->ops->work(w->state, ring->items[seq % ring->depth]);
		pthread_mutex_lock(&ring->lock);
		ring->done[seq % ring->depth] = 1;
		if (seq == ring->tail && ring->emitter_waiting)
			pthread_cond_signal(&ring->done_cond);
	}
	pthread_mutex_unlock(&ring->lock);
	return NULL;
}

static void *reader_main(void *arg)
{
	struct ring *ring = arg;
	void *item;

	while (ring->ops->next(ring->arg, &item) > 0) {
		pthread_mutex_lock(&ring->lock);
		while (ring->head - ring->tail == ring->depth) {
			ring->reader_waiting = 1;
			pthread_cond_wait(&ring->space_cond, &ring->lock);
		}
		ring->reader_waiting = 0;
		ring->items[ring->head % ring->depth] = item;
		ring->head++;
		if (ring->idle_workers)
			pthread_cond_signal(&ring->work_cond);
		pthread_mutex_unlock(&ring->lock);
	}
	pthread_mutex_lock(&ring->lock);
	ring->end = 1;
	pthread_cond_broadcast(&ring->work_cond);
	pthread_cond_signal(&ring->done_cond);
	pthread_mutex_unlock(&ring->lock);
	return NULL;
}

/* Emits the finished items in order until the input has ended and every item is out. */
static void emit_in_order(struct ring *ring)
{
	pthread_mutex_lock(&ring->lock);
	for (;;) {
		size_t slot = ring->tail % ring->depth;
		void *item;

		if (ring->tail < ring->head && ring->done[slot]) {
			item = ring->items[slot];
			ring->done[slot] = 0;
			ring->tail++;
			if (ring->reader_waiting &&
			    ring->head - ring->tail <= ring->depth / 2)
				pthread_cond_signal(&ring->space_cond);
			pthread_mutex_unlock(&ring->lock);
			ring->ops->emit(ring->arg, item);
			pthread_mutex_lock(&ring->lock);
		} else if (ring->end && ring->tail == ring->head) {
			break;
		} else {
			ring->emitter_waiting = 1;
			pthread_cond_wait(&ring->done_cond, &ring->lock);
			ring->emitter_waiting = 0;
		}
	}
	pthread_mutex_unlock(&ring->lock);
}

static int run_inline(const struct ordered_ops *ops, void *arg)
{
	void *state = ops->worker_new(arg);
	void *item;

	if (!state)
		return -ENOMEM;
	while (ops->next(arg, &item) > 0) {
		ops->work(state, item);
		ops->emit(arg, item);
	}
	ops->worker_free(state);
	return 0;
}

/* Starts up to jobs workers; returns how many run, or -ENOMEM when none could be set up.
 */
static int start_workers(struct ring *ring, struct worker *workers, unsigned jobs)
{
	unsigned started = 0;

	for (unsigned i = 0; i < jobs; i++) {
		workers[i].ring = ring;
		workers[i].state = ring->ops->worker_new(ring->arg);
		if (!workers[i].state)
			return started ? (int)started : -ENOMEM;
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i])) {
			ring->ops->worker_free(workers[i].state);
			break;
		}
		started++;
	}
	return (int)started;
}

static void stop_workers(struct ring *ring, struct worker *workers, int started)
{
	pthread_mutex_lock(&ring->lock);
	ring->end = 1;
	pthread_cond_broadcast(&ring->work_cond);
	pthread_mutex_unlock(&ring->lock);
	for (int i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		ring->ops->worker_free(workers[i].state);
	}
}

int run_ordered(unsigned jobs, unsigned depth, const struct ordered_ops *ops, void *arg)
{
	struct ring ring = { .ops = ops, .arg = arg };
	struct worker *workers;
	pthread_t reader;
	int started;

	if (jobs <= 1)
		return run_inline(ops, arg);
	ring.depth = depth ? depth : 16 * (size_t)jobs;
	ring.items = xcalloc(ring.depth, sizeof(*ring.items));
	ring.done = xcalloc(ring.depth, 1);
	workers = xcalloc(jobs, sizeof(*workers));
	pthread_mutex_init(&ring.lock, NULL);
	pthread_cond_init(&ring.work_cond, NULL);
	pthread_cond_init(&ring.done_cond, NULL);
	pthread_cond_init(&ring.space_cond, NULL);
	started = start_workers(&ring, workers, jobs);
	if (started > 0 && pthread_create(&reader, NULL, reader_main, &ring) == 0) {
		emit_in_order(&ring);
		pthread_join(reader, NULL);
	} else if (started >= 0) {
		/* No thread could start: nothing was read yet, so run it all here. */
		stop_workers(&ring, workers, started);
		started = 0;
		if (run_inline(ops, arg) < 0)
			started = -ENOMEM;
	}
	stop_workers(&ring, workers, started > 0 ? started : 0);
	pthread_cond_destroy(&ring.space_cond);
	pthread_cond_destroy(&ring.done_cond);
	pthread_cond_destroy(&ring.work_cond);
	pthread_mutex_destroy(&ring.lock);
	free(workers);
	free(ring.done);
	free(ring.items);
	return started < 0 ? started : 0;
}

unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}
