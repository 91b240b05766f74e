/* SPDX-License-Identifier: MIT */
/* tthc-pack: validated, normalised dossiers and their attachments as E-ARK SIP bundles.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define DEFAULT_MAX_SIZE (32UL * 1024 * 1024) /* the library's default, tthc.h */

static const char short_opts[] = "-:0fhj:o:qvV";
static const struct option long_opts[] = {
	{ "files-from", required_argument, NULL, 'T' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "id", required_argument, NULL, 'I' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-size", required_argument, NULL, 'M' },
	{ "no-normalize", no_argument, NULL, 'N' },
	{ "null", no_argument, NULL, '0' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "schema-dir", required_argument, NULL, 'S' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
	        _("usage: %s [OPTION]... -o DIR [--files-from=LIST] [DOSSIER.xml]...\n"
	          "       %s -h | -V\n"),
	        progname, progname);
}

static void help(void)
{
	usage(stdout);
	fputs(
	    _("\nValidate each dossier, normalise it and write it with its attachments "
	      "as\n"
	      "an E-ARK SIP bundle DIR/<OBJID>.zip (see tthc-bundle(5)).\n"
	      "\n"
	      "  -o, --output=DIR       write the bundles into DIR (required)\n"
	      "      --files-from=LIST  read dossier names from LIST ('-': standard "
	      "input)\n"
	      "  -0, --null             names in LIST end with NUL, not newline\n"
	      "      --id=ID            the package id (one dossier only; default: from\n"
	      "                         MaHoSo)\n"
	      "      --no-normalize     store the dossier as it is\n"
	      "  -f, --force            rebuild bundles that are up to date\n"
	      "  -j, --jobs=N           pack N dossiers at a time (default: twice the "
	      "online cores)\n"
	      "  -q, --quiet            print no findings: the exit status alone says\n"
	      "  -v, --verbose          print a line for each bundle written or skipped\n"
	      "      --schema-dir=DIR   read the schemas from DIR\n"
	      "      --max-size=BYTES   refuse dossiers larger than BYTES\n"
	      "  -h, --help             print this help\n"
	      "  -V, --version          print the versions of tthc and its libraries\n"
	      "\n"
	      "SOURCE_DATE_EPOCH, when set, gives every timestamp in the bundles.\n"
	      "\n"
	      "Exit status: 0 all packed, 1 a dossier was refused, 2 trouble (usage, "
	      "I/O).\n"),
	    stdout);
}

#define usage_error(...) usage_fail(usage, __VA_ARGS__)
#define parse_number(s, what, min, max) option_number(usage, s, what, min, max)

/* ---- the command line ------------------------------------------------------------- */

struct source {
	int list; /* 1: a --files-from LIST, 0: a dossier */
	const char *arg;
};

struct options {
	char *output; /* from argv: trailing slashes are cut */
	const char *id, *schema_dir;
	unsigned long jobs, max_size;
	int force, no_normalize, quiet, verbose, help, version, delim;
	int have_epoch;
	long long epoch;
	struct source *sources;
	size_t nsources;
};

/* ---- the run: names in, results out in input order -------------------------------- */

struct run {
	const struct options *o;
	struct tthc_ctx *ctx;
	size_t next;
	FILE *list;
	const char *list_name;
	char *line;
	size_t line_size;
	int status;
	unsigned long long seq; /* the next item's number (reader only) */
	/*
	 * Package ids claimed in this run: two dossiers must not write one bundle, and of
	 * two the earlier gets it.  Items pass the claim gate in input order (gate: the
	 * number of the next to pass); those waiting for their turn are listed.
	 */
	pthread_mutex_t lock;
	char **ids; /* ids_cap slots, NULL or an id */
	size_t nids, ids_cap;
	unsigned long long gate;
	struct gate_waiter *waiters;
};

struct item {
	unsigned long long seq; /* its place in the input */
	char *name;
	char *error; /* the name could not be had (a LIST unreadable) */
	char *out, *err;
	size_t out_len, err_len;
	int status;
};

static struct item *item_new(const char *name, const char *error)
{
	struct item *it = xcalloc(1, sizeof(*it));

	it->name = xstrdup(name);
	it->error = error ? xstrdup(error) : NULL;
	return it;
}

static struct item *next_in_list(struct run *run)
{
	struct item *it = NULL;
	ssize_t n;

	while ((n = getdelim(&run->line, &run->line_size, run->o->delim, run->list)) >=
	       0) {
		if (n > 0 && run->line[n - 1] == run->o->delim)
			run->line[--n] = '\0';
		if (n > 0)
			return item_new(run->line, NULL);
	}
	if (ferror(run->list))
		it = item_new(run->list_name, strerror(errno));
	if (run->list != stdin)
		fclose(run->list);
	run->list = NULL;
	return it;
}

static int next_item(void *arg, void **out)
{
	struct run *run = arg;
	struct item *it = NULL;

	while (!it) {
		const struct source *src;

		if (run->list) {
			it = next_in_list(run);
			continue;
		}
		if (run->next == run->o->nsources)
			return 0;
		src = &run->o->sources[run->next++];
		if (!src->list) {
			it = item_new(src->arg, NULL);
			continue;
		}
		run->list_name = src->arg;
		run->list = strcmp(src->arg, "-") == 0 ? stdin : fopen(src->arg, "re");
		if (!run->list)
			it = item_new(src->arg, strerror(errno));
	}
	it->seq = run->seq++;
	*out = it;
	return 1;
}

/* ---- packing one dossier (worker threads) ----------------------------------------- */

struct worker {
	struct run *run;
	struct tthc_validator *v;
	struct tthc_normalizer *n;
};

static void *worker_new(void *arg)
{
	struct run *run = arg;
	struct worker *w = xcalloc(1, sizeof(*w));

	w->run = run;
	if (tthc_validator_new(run->ctx, &w->v) < 0 ||
	    (!run->o->no_normalize && tthc_normalizer_new(run->ctx, &w->n) < 0)) {
		tthc_validator_free(w->v);
		free(w);
		return NULL;
	}
	/* Each attachment is hashed while it is copied: read once (write_bundle()). */
	tthc_validator_set_digests(w->v, 0);
	return w;
}

static void worker_free(void *arg)
{
	struct worker *w = arg;

	tthc_validator_free(w->v);
	tthc_normalizer_free(w->n);
	free(w);
}

/* What one dossier's work keeps until emit() prints it. */
struct job {
	struct item *it;
	FILE *out, *err;
	const struct options *o;
	char *buf, *dir, *target;
	size_t len;
	struct stat st;
	struct tthc_bundle *b;
	struct tthc_report *report;
	int passed; /* the item went through the claim gate */
};

static int worse(int a, int b)
{
	return a > b ? a : b;
}

/* "progname: NAME: message"; a library sentence that names the file already is kept. */
static void job_error(struct job *j, int status, const char *msg)
{
	size_t len = strlen(j->it->name);
	int placed = strncmp(msg, j->it->name, len) == 0 && msg[len] == ':';

	fprintf(j->err, "%s: ", progname);
	text_string(j->err, j->it->name);
	if (!placed)
		fputs(": ", j->err);
	text_string(j->err, placed ? msg + len + 1 + (msg[len + 1] == ' ') : msg);
	fputc('\n', j->err);
	j->it->status = worse(j->it->status, status);
}

static int read_dossier(struct job *j)
{
	int fd = open(j->it->name, O_RDONLY | O_CLOEXEC | O_NOCTTY), r, e = 0;
	const char *slash;

	if (fd < 0 || fstat(fd, &j->st) < 0)
		e = errno;
	else if (S_ISDIR(j->st.st_mode))
		e = EISDIR;
	if (e) {
		if (fd >= 0)
			close(fd);
		job_error(j, EXIT_TROUBLE, strerror(e));
		return -1;
	}
	r = read_all(fd, j->o->max_size, &j->buf, &j->len);
	close(fd);
	if (r < 0) {
		job_error(j, r == -EFBIG ? EXIT_INVALID : EXIT_TROUBLE,
		          r == -EFBIG ? tthc_strerror(-TTHC_E_TOOBIG) : strerror(-r));
		return -1;
	}
	/* Attachments are found beside the dossier. */
	slash = strrchr(j->it->name, '/');
	if (!slash)
		j->dir = xstrdup(".");
	else if (slash == j->it->name)
		j->dir = xstrdup("/");
	else
		j->dir = xasprintf("%.*s", (int)(slash - j->it->name), j->it->name);
	return 0;
}

/* Validates; a dossier with errors is refused with its findings. Returns 0 if valid. */
static int validate(struct job *j, struct tthc_validator *v)
{
	struct report_options ro = { .format = FORMAT_TEXT, .quiet = j->o->quiet };
	int r = tthc_validator_memory(v, j->buf, j->len, j->it->name, j->dir, &j->report);

	if (r < 0) {
		job_error(j, EXIT_TROUBLE,
		          *tthc_validator_error(v) ? tthc_validator_error(v)
		                                   : tthc_strerror(r));
		return -1;
	}
	if (tthc_report_errors(j->report) == 0)
		return 0;
	report_write(j->out, j->report, &ro);
	job_error(j, EXIT_INVALID, _("not packed: the dossier is invalid"));
	return -1;
}

/* FNV-1a: the package ids' hash for the claim table. */
static size_t id_hash(const char *id)
{
	size_t h = (size_t)14695981039346656037ULL;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * (size_t)1099511628211ULL;
	return h;
}

/*
 * Adds id to the ids claimed in this run; returns 1 when it was there already.  An
 * open-addressing table (slots a power of two, at most half full): a run of a million
 * dossiers costs a million lookups, not half a million million comparisons.
 */
static int id_add(struct run *run, const char *id)
{
	size_t mask, i;
	int taken = 0;

	if (2 * (run->nids + 1) > run->ids_cap) {
		size_t cap = run->ids_cap ? 2 * run->ids_cap : 1024;
		char **ids = xcalloc(cap, sizeof(*ids));

		for (size_t k = 0; k < run->ids_cap; k++) {
			if (!run->ids[k])
				continue;
			for (i = id_hash(run->ids[k]) & (cap - 1); ids[i];
			     i = (i + 1) & (cap - 1))
				;
			ids[i] = run->ids[k];
		}
		free(run->ids);
		run->ids = ids;
		run->ids_cap = cap;
	}
	mask = run->ids_cap - 1;
	for (i = id_hash(id) & mask; run->ids[i] && !taken; i = (i + 1) & mask)
		taken = strcmp(run->ids[i], id) == 0;
	if (!taken) {
		run->ids[i] = xstrdup(id);
		run->nids++;
	}
	return taken;
}

/* An item waiting at the claim gate for its turn: woken alone when it comes. */
struct gate_waiter {
	unsigned long long seq;
	pthread_cond_t cond;
	struct gate_waiter *next;
};

static void gate_wait(struct run *run, unsigned long long seq)
{
	struct gate_waiter me = { .seq = seq, .next = run->waiters };

	pthread_cond_init(&me.cond, NULL);
	run->waiters = &me;
	while (run->gate != seq)
		pthread_cond_wait(&me.cond, &run->lock);
	for (struct gate_waiter **p = &run->waiters;; p = &(*p)->next)
		if (*p == &me) {
			*p = me.next;
			break;
		}
	pthread_cond_destroy(&me.cond);
}

/*
 * The claim gate: every item passes it exactly once (the dossier's package id, or NULL
 * when it failed before it had one) and in input order, so that of two dossiers with one
 * id the earlier gets it whatever -j is.  An item waits only for earlier items, and
 * run_ordered() hands items to the workers in input order: each of those is already
 * with a worker, the first of them waits for none, and so none waits for ever.
 * Returns 0, or -1 when an earlier dossier has the id.
 */
static int claim(struct job *j, struct run *run, const char *id)
{
	int taken = 0;

	pthread_mutex_lock(&run->lock);
	if (run->gate != j->it->seq)
		gate_wait(run, j->it->seq);
	if (id)
		taken = id_add(run, id);
	run->gate++;
	for (struct gate_waiter *w = run->waiters; w; w = w->next)
		if (w->seq == run->gate) {
			pthread_cond_signal(&w->cond);
			break;
		}
	pthread_mutex_unlock(&run->lock);
	j->passed = 1;
	return taken ? -1 : 0;
}

static int normalise(struct job *j, struct tthc_normalizer *n,
                     struct tthc_bundle_events *ev)
{
	struct tthc_normalized *res = NULL;
	const char *data;
	size_t len;
	int r = tthc_normalizer_memory(n, j->buf, j->len, j->it->name, &res);

	if (r < 0) {
		job_error(j, r == -TTHC_E_XML ? EXIT_INVALID : EXIT_TROUBLE,
		          *tthc_normalizer_error(n) ? tthc_normalizer_error(n)
		                                    : tthc_strerror(r));
		return -1;
	}
	ev->normalized = 1;
	for (size_t i = 0; i < tthc_normalized_count(res); i++)
		if (tthc_normalized_get(res, i)->new_value)
			ev->changes++;
	data = tthc_normalized_data(res, &len);
	r = tthc_bundle_set_dossier(j->b, data, len);
	tthc_normalized_free(res);
	if (r < 0) {
		job_error(j, EXIT_TROUBLE, tthc_bundle_error(j->b));
		return -1;
	}
	return 0;
}

static void write_bundle(struct job *j, struct tthc_validator *v)
{
	struct outfile of;
	int r = outfile_open(&of, j->target, NULL);

	if (r < 0) {
		char *msg = xasprintf(_("cannot write %s: %s"), j->target, strerror(-r));

		job_error(j, EXIT_TROUBLE, msg);
		free(msg);
		return;
	}
	r = tthc_bundle_write(j->b, of.fd);
	if (r < 0) {
		outfile_abort(&of);
		/*
		 * The validator left the attachments' digests to the copy (each is read
		 * once).  When the copy finds one that is not as declared, the validator
		 * reads them again and says so as it says of any finding.
		 */
		if (r == -TTHC_E_INVALID) {
			int failed;

			tthc_report_free(j->report);
			j->report = NULL;
			tthc_validator_set_digests(v, 1);
			failed = validate(j, v) < 0;
			tthc_validator_set_digests(v, 0);
			if (failed)
				return;
		}
		job_error(j, r == -TTHC_E_INVALID ? EXIT_INVALID : EXIT_TROUBLE,
		          *tthc_bundle_error(j->b) ? tthc_bundle_error(j->b)
		                                   : tthc_strerror(r));
		return;
	}
	r = outfile_commit(&of, NULL);
	if (r < 0) {
		char *msg = xasprintf(_("cannot write %s: %s"), j->target, strerror(-r));

		job_error(j, EXIT_TROUBLE, msg);
		free(msg);
		return;
	}
	if (j->o->verbose) {
		fputs("written ", j->out);
		text_string(j->out, j->target);
		fputc('\n', j->out);
	}
}

static void pack(struct job *j, struct worker *w)
{
	const struct options *o = j->o;
	struct tthc_bundle_options bo = { .id = o->id,
		                          .have_epoch = o->have_epoch,
		                          .epoch = o->epoch,
		                          .settings = o->no_normalize ? "no-normalize"
		                                                      : "normalize" };
	struct tthc_bundle_events ev = { 0 };
	long long mtime;
	int r;

	if (read_dossier(j) < 0)
		return;
	r = tthc_bundle_open(w->run->ctx, j->buf, j->len, j->it->name, j->dir, &bo,
	                     &j->b);
	if (r < 0) {
		/* The validator says best what is wrong with a dossier; else the bundle.
		 */
		if (validate(j, w->v) == 0)
			job_error(j,
			          r == -TTHC_E_XML || (r == -TTHC_E_INVALID && !o->id)
			              ? EXIT_INVALID
			              : EXIT_TROUBLE,
			          *tthc_bundle_error(j->b) ? tthc_bundle_error(j->b)
			                                   : tthc_strerror(r));
		return;
	}
	j->target = xasprintf("%s/%s.zip", o->output, tthc_bundle_objid(j->b));
	if (claim(j, w->run, tthc_bundle_objid(j->b)) < 0) {
		char *msg =
		    xasprintf(_("not packed: an earlier dossier has the package id %s"),
		              tthc_bundle_objid(j->b));

		job_error(j, EXIT_TROUBLE, msg);
		free(msg);
		return;
	}
	mtime = j->st.st_mtim.tv_sec * 1000000000LL + j->st.st_mtim.tv_nsec;
	if (!o->force && tthc_bundle_current(j->b, j->target, mtime)) {
		if (o->verbose) {
			fputs("up-to-date ", j->out);
			text_string(j->out, j->target);
			fputc('\n', j->out);
		}
		return;
	}
	if (validate(j, w->v) < 0)
		return;
	ev.errors = tthc_report_errors(j->report);
	ev.warnings = tthc_report_warnings(j->report);
	if (!o->no_normalize && normalise(j, w->n, &ev) < 0)
		return;
	tthc_bundle_set_events(j->b, &ev);
	write_bundle(j, w->v);
}

static void work(void *arg, void *item)
{
	struct worker *w = arg;
	struct item *it = item;
	struct job j = { .it = it, .o = w->run->o };

	if (it->error) {
		claim(&j, w->run, NULL);
		return;
	}
	j.out = open_memstream(&it->out, &it->out_len);
	j.err = open_memstream(&it->err, &it->err_len);
	if (!j.out || !j.err)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
	pack(&j, w);
	/* Failed before its claim: later items wait for this one to pass the gate. */
	if (!j.passed)
		claim(&j, w->run, NULL);
	tthc_bundle_free(j.b);
	tthc_report_free(j.report);
	free(j.buf);
	free(j.dir);
	free(j.target);
	if ((fclose(j.out) | fclose(j.err)) != 0)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
}

static void emit(void *arg, void *item)
{
	struct run *run = arg;
	struct item *it = item;

	if (it->error) {
		warn("%s: %s", it->name, it->error);
		it->status = EXIT_TROUBLE;
	}
	if (it->out)
		fwrite(it->out, 1, it->out_len, stdout);
	fflush(stdout);
	if (it->err)
		fwrite(it->err, 1, it->err_len, stderr);
	run->status = worse(run->status, it->status);
	free(it->out);
	free(it->err);
	free(it->error);
	free(it->name);
	free(it);
}

static const struct ordered_ops pack_ops = {
	.next = next_item,
	.worker_new = worker_new,
	.worker_free = worker_free,
	.work = work,
	.emit = emit,
};

/* ---- main ---------------------------------------------------------------------------
 */

static void parse_epoch(struct options *o)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;

	if (!s || !*s)
		return;
	errno = 0;
	o->epoch = strtoll(s, &end, 10);
	if (*end || errno || o->epoch < 0 || o->epoch > 253402300799LL)
		die(EXIT_TROUBLE,
		    _("invalid SOURCE_DATE_EPOCH '%s': expected seconds since 1970"), s);
	o->have_epoch = 1;
}

static void add_source(struct options *o, int list, const char *arg)
{
	if (!list && strcmp(arg, "-") == 0)
		usage_error(
		    "%s", _("a dossier cannot come from standard input: its attachments "
		            "are found beside it"));
	o->sources[o->nsources].list = list;
	o->sources[o->nsources++].arg = arg;
}

static void check_options(struct options *o)
{
	struct stat st;
	size_t lists = 0;

	for (size_t i = 0; i < o->nsources; i++)
		lists += (size_t)o->sources[i].list;
	if (o->quiet && o->verbose)
		usage_error("%s", _("--quiet and --verbose cannot be used together"));
	if (!o->output || !*o->output)
		usage_error("%s", _("no output directory: use -o DIR"));
	/* DIR/ and DIR name one directory: bundles are named DIR/<OBJID>.zip either way.
	 */
	for (size_t n = strlen(o->output); n > 1 && o->output[n - 1] == '/'; n--)
		o->output[n - 1] = '\0';
	if (o->nsources == 0)
		usage_error("%s", _("no dossiers to pack"));
	if (o->id && (o->nsources != 1 || lists))
		usage_error("%s",
		            _("--id names the bundle of one dossier: give exactly one"));
	if (stat(o->output, &st) < 0)
		die(EXIT_TROUBLE, "%s: %s", o->output, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die(EXIT_TROUBLE, "%s: %s", o->output, strerror(ENOTDIR));
}

static void parse_options(int argc, char **argv, struct options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 1:
		case 'T':
			add_source(o, c == 'T', optarg);
			break;
		case '0':
			o->delim = '\0';
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'I':
			o->id = optarg;
			break;
		case 'N':
			o->no_normalize = 1;
			break;
		case 'f':
			o->force = 1;
			break;
		case 'j':
			o->jobs = parse_number(optarg, "--jobs", 1, 1024);
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'S':
			o->schema_dir = optarg;
			break;
		case 'M':
			o->max_size = parse_number(optarg, "--max-size", 1024,
			                           (unsigned long)INT_MAX);
			break;
		case 'h':
			o->help = 1;
			return;
		case 'V':
			o->version = 1;
			return;
		default: /* ':' (an argument missing) or '?' (an unknown option) */
			bad_option(usage, c, argv);
		}
	}
	for (; optind < argc; optind++) /* operands after "--" */
		add_source(o, 0, argv[optind]);
	check_options(o);
}

static void setup_ctx(struct run *run, const struct options *o)
{
	struct stat st;
	const char *dir;
	int ret;

	if ((ret = tthc_ctx_new(&run->ctx)) < 0)
		die(EXIT_TROUBLE, "%s", tthc_strerror(ret));
	if ((ret = schema_dir_apply(run->ctx, o->schema_dir)) < 0)
		die(EXIT_TROUBLE, "%s: %s", o->schema_dir, tthc_strerror(ret));
	dir = tthc_ctx_schema_dir(run->ctx);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die(EXIT_TROUBLE, _("%s: cannot use the schema directory: %s"), dir,
		    strerror(errno ? errno : ENOTDIR));
	if (tthc_ctx_set_max_size(run->ctx, o->max_size) < 0)
		usage_error(_("invalid --max-size '%lu'"), o->max_size);
}

int main(int argc, char **argv)
{
	struct options o = { .max_size = DEFAULT_MAX_SIZE, .delim = '\n' };
	struct run run = { .o = &o, .status = EXIT_VALID };
	int ret;

	tool_init(argv[0]);
	/*
	 * Each bundle allocates and frees the same few hundred KiB (zlib's level-9 state,
	 * the copy buffers): keep them in the heap instead of mapping, zeroing and
	 * unmapping fresh pages every time.  Memory stays bounded by what one bundle per
	 * thread needs.
	 */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	o.sources = xcalloc((size_t)argc, sizeof(*o.sources));
	parse_options(argc, argv, &o);
	if (o.help) {
		help();
	} else if (o.version) {
		print_version(stdout);
	} else {
		parse_epoch(&o);
		setup_ctx(&run, &o);
		pthread_mutex_init(&run.lock, NULL);
		/*
		 * Twice the cores by default: each bundle waits for the disk (fsync)
		 * before it is renamed, and while one worker waits another computes.
		 */
		ret = run_ordered(o.jobs ? (unsigned)o.jobs : 2 * online_cpus(), 0,
		                  &pack_ops, &run);
		if (ret < 0)
			die(EXIT_TROUBLE, _("cannot create a validator: %s"),
			    *tthc_ctx_error(run.ctx) ? tthc_ctx_error(run.ctx)
			                             : tthc_strerror(ret));
		pthread_mutex_destroy(&run.lock);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn(_("cannot write the output: %s"), strerror(errno));
		run.status = EXIT_TROUBLE;
	}
	for (size_t i = 0; i < run.ids_cap; i++)
		free(run.ids[i]);
	free(run.ids);
	free(run.line);
	free(o.sources);
	tthc_ctx_free(run.ctx);
	return run.status;
}
