/* SPDX-License-Identifier: MIT */
/* tthc-validate: check dossiers against their schema and the rules, file by file. */
#include "config.h"

#include <errno.h>
#include <fts.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static const char short_opts[] = "-:0hj:qr:vV";
static const struct option long_opts[] = {
	{ "files-from", required_argument, NULL, 'T' },
	{ "format", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "list-rules", no_argument, NULL, 'L' },
	{ "max-size", required_argument, NULL, 'M' },
	{ "null", no_argument, NULL, '0' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "recursive", required_argument, NULL, 'r' },
	{ "schema-dir", required_argument, NULL, 'S' },
	{ "strict", no_argument, NULL, 's' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
	        _("usage: %s [OPTION]... [-r DIR]... [--files-from=LIST] [FILE]...\n"
	          "       %s --list-rules\n"
	          "       %s -h | -V\n"),
	        progname, progname, progname);
}

static void help(void)
{
	usage(stdout);
	fputs(
	    _("\nCheck TTHC dossiers (XML) against their schema and the rules.\n"
	      "A FILE of '-' is standard input.\n"
	      "\n"
	      "  -r, --recursive=DIR    check every *.xml under DIR, in sorted order\n"
	      "      --files-from=LIST  read file names from LIST ('-': standard input)\n"
	      "  -0, --null             names in LIST end with NUL, not newline\n"
	      "  -j, --jobs=N           check N files at a time (default: online cores)\n"
	      "      --format=FORMAT    'text' (default) or 'json' (JSON Lines)\n"
	      "  -q, --quiet            print no findings: the exit status alone says\n"
	      "  -v, --verbose          also report valid files, and totals on stderr\n"
	      "      --strict           warnings make a file invalid\n"
	      "      --schema-dir=DIR   read the schemas from DIR\n"
	      "      --max-size=BYTES   refuse documents larger than BYTES\n"
	      "      --list-rules       print the rules: id, severity, summary\n"
	      "  -h, --help             print this help\n"
	      "  -V, --version          print the versions of tthc and its libraries\n"
	      "\n"
	      "Exit status: 0 all valid, 1 a file is invalid, 2 trouble (usage, I/O).\n"),
	    stdout);
}

#define usage_error(...) usage_fail(usage, __VA_ARGS__)
#define parse_number(s, what, min, max) option_number(usage, s, what, min, max)

/* ---- where the names come from, in command-line order, streamed ---------------- */

enum source_kind { SRC_FILE, SRC_STDIN, SRC_TREE, SRC_LIST };

struct source {
	enum source_kind kind;
	const char *arg;
};

struct input {
	struct source *sources;
	size_t count, next;
	int delim;
	FTS *fts;
	FILE *list;
	const char *list_name;
	char *line;
	size_t line_size;
};

enum item_kind { ITEM_FILE, ITEM_STDIN, ITEM_ERROR };

struct item {
	enum item_kind kind;
	char *name;
	char *error; /* why the file could not be read at all */
	char *out;   /* what goes to stdout */
	size_t out_len;
	int valid;
	size_t errors, warnings;
};

static struct item *item_new(enum item_kind kind, const char *name, const char *error)
{
	struct item *it = xcalloc(1, sizeof(*it));

	it->kind = kind;
	it->name = xstrdup(name);
	it->error = error ? xstrdup(error) : NULL;
	return it;
}

/* What the main thread keeps: settings, the input, the totals. */
struct run {
	struct tthc_ctx *ctx;
	struct report_options opts;
	struct input in;
	int status;
	unsigned long files, valid, invalid;
	unsigned long long errors, warnings;
};

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

static int is_xml(const FTSENT *e)
{
	return e->fts_namelen >= 4 &&
	       strcmp(e->fts_name + e->fts_namelen - 4, ".xml") == 0;
}

/* Returns the next item of the tree walk, or NULL at its end. */
static struct item *next_in_tree(struct input *in)
{
	FTSENT *e;

	while ((e = fts_read(in->fts))) {
		switch (e->fts_info) {
		case FTS_F:
			/* A file named on the command line is checked whatever its name.
			 */
			if (e->fts_level == 0 || is_xml(e))
				return item_new(ITEM_FILE, e->fts_path, NULL);
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			return item_new(ITEM_ERROR, e->fts_path, strerror(e->fts_errno));
		case FTS_SLNONE:
		case FTS_DEFAULT:
			/*
			 * A root that leads nowhere, or is a FIFO or a device: a cron job
			 * pointed at it must not report success having checked nothing.
			 */
			if (e->fts_level == 0)
				return item_new(
				    ITEM_ERROR, e->fts_path,
				    e->fts_info == FTS_SLNONE
				        ? strerror(ENOENT)
				        : _("not a directory or a regular file"));
			break;
		default: /* directories, symbolic links (never followed), cycles */
			break;
		}
	}
	fts_close(in->fts);
	in->fts = NULL;
	return NULL;
}

/* Returns the next name of the list, or NULL at its end. */
static struct item *next_in_list(struct input *in)
{
	struct item *it = NULL;
	ssize_t n;

	while ((n = getdelim(&in->line, &in->line_size, in->delim, in->list)) >= 0) {
		if (n > 0 && in->line[n - 1] == in->delim)
			in->line[--n] = '\0';
		if (n > 0)
			return item_new(ITEM_FILE, in->line, NULL);
	}
	if (ferror(in->list))
		it = item_new(ITEM_ERROR, in->list_name, strerror(errno));
	if (in->list != stdin)
		fclose(in->list);
	in->list = NULL;
	return it;
}

static int next_item(void *arg, void **out)
{
	struct input *in = &((struct run *)arg)->in;
	struct item *it = NULL;

	while (!it) {
		const struct source *src;
		char *roots[2] = { NULL, NULL };

		if (in->fts) {
			it = next_in_tree(in);
			continue;
		}
		if (in->list) {
			it = next_in_list(in);
			continue;
		}
		if (in->next == in->count)
			return 0;
		src = &in->sources[in->next++];
		switch (src->kind) {
		case SRC_FILE:
			it = item_new(ITEM_FILE, src->arg, NULL);
			break;
		case SRC_STDIN:
			it = item_new(ITEM_STDIN, "-", NULL);
			break;
		case SRC_TREE:
			roots[0] = (char *)src->arg;
			in->fts = fts_open(
			    roots, FTS_PHYSICAL | FTS_COMFOLLOW | FTS_NOCHDIR, by_name);
			if (!in->fts)
				it = item_new(ITEM_ERROR, src->arg, strerror(errno));
			break;
		case SRC_LIST:
			in->list_name = src->arg;
			in->list =
			    strcmp(src->arg, "-") == 0 ? stdin : fopen(src->arg, "re");
			if (!in->list)
				it = item_new(ITEM_ERROR, src->arg, strerror(errno));
			break;
		}
	}
	*out = it;
	return 1;
}

/* ---- checking one file (worker threads) ------------------------------------------ */

/* What one worker thread owns: the validator is not thread-safe. */
struct worker {
	struct tthc_validator *v;
	const struct report_options *opts;
};

static void *worker_new(void *arg)
{
	struct run *run = arg;
	struct worker *w = xcalloc(1, sizeof(*w));

	w->opts = &run->opts;
	if (tthc_validator_new(run->ctx, &w->v) < 0) {
		free(w);
		return NULL;
	}
	return w;
}

static void worker_free(void *arg)
{
	struct worker *w = arg;

	tthc_validator_free(w->v);
	free(w);
}

/* The library's sentence names the path first; the caller's message names it already. */
static char *failure_text(struct tthc_validator *v, const char *name, int err)
{
	const char *msg = tthc_validator_error(v);
	size_t len = strlen(name);

	if (!*msg)
		return xstrdup(tthc_strerror(err));
	if (strncmp(msg, name, len) == 0 && strncmp(msg + len, ": ", 2) == 0)
		msg += len + 2;
	return xstrdup(msg);
}

/* Checks one file and keeps its output whole, so that files never interleave. */
static void work(void *arg, void *item)
{
	struct worker *w = arg;
	struct item *it = item;
	struct tthc_report *r;
	FILE *f;
	int ret;

	if (it->kind == ITEM_ERROR)
		return;
	if (it->kind == ITEM_STDIN)
		ret = tthc_validator_fd(w->v, STDIN_FILENO, it->name, NULL, &r);
	else
		ret = tthc_validator_file(w->v, it->name, it->name, &r);
	if (ret < 0) {
		it->error = failure_text(w->v, it->name, ret);
		return;
	}
	it->valid = report_valid(r, w->opts);
	it->errors = tthc_report_errors(r);
	it->warnings = tthc_report_warnings(r);
	f = open_memstream(&it->out, &it->out_len);
	if (!f)
		die(EXIT_TROUBLE, "%s", strerror(errno));
	report_write(f, r, w->opts);
	if (fclose(f) != 0)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
	tthc_report_free(r);
}

/* ---- results, in input order (main thread) ----------------------------------------- */

static void emit(void *arg, void *item)
{
	struct run *run = arg;
	struct item *it = item;

	run->files++;
	if (it->error) {
		run->invalid++;
		run->status = EXIT_TROUBLE;
		report_write_failure(stdout, it->name, it->error, &run->opts);
		warn("%s: %s", it->name, it->error);
	} else {
		fwrite(it->out, 1, it->out_len, stdout);
		run->errors += it->errors;
		run->warnings += it->warnings;
		if (it->valid) {
			run->valid++;
		} else {
			run->invalid++;
			if (run->status == EXIT_VALID)
				run->status = EXIT_INVALID;
		}
	}
	/* One write per file: a reader of a pipe sees each result as soon as it is known.
	 */
	fflush(stdout);
	free(it->out);
	free(it->error);
	free(it->name);
	free(it);
}

static const struct ordered_ops validate_ops = {
	.next = next_item,
	.worker_new = worker_new,
	.worker_free = worker_free,
	.work = work,
	.emit = emit,
};

/* ---- main ------------------------------------------------------------------------- */

static void list_rules(void)
{
	for (size_t i = 0; i < tthc_rule_count(); i++) {
		const struct tthc_rule *rule = tthc_rule_get(i);

		printf("%s\t%s\t%s\n", rule->id, tthc_severity_name(rule->severity),
		       _(rule->summary));
	}
}

static void add_source(struct input *in, enum source_kind kind, const char *arg)
{
	in->sources[in->count].kind = kind;
	in->sources[in->count].arg = arg;
	in->count++;
}

/* What the command line asks for, besides the run itself. */
struct options {
	const char *schema_dir;
	unsigned long jobs, max_size;
	int list_rules, help, version;
};

static void add_operand(struct input *in, const char *arg, int *stdin_used, int list)
{
	int is_stdin = strcmp(arg, "-") == 0;

	if (is_stdin && (*stdin_used)++)
		usage_error("%s", _("standard input can be read only once"));
	add_source(in, list ? SRC_LIST : is_stdin ? SRC_STDIN : SRC_FILE, arg);
}

static void parse_options(int argc, char **argv, struct run *run, struct options *o)
{
	int stdin_used = 0, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 1: /* an operand, kept in its place among -r and --files-from */
		case 'T':
			add_operand(&run->in, optarg, &stdin_used, c == 'T');
			break;
		case 'r':
			add_source(&run->in, SRC_TREE, optarg);
			break;
		case '0':
			run->in.delim = '\0';
			break;
		case 'j':
			o->jobs = parse_number(optarg, "--jobs", 1, 1024);
			break;
		case 'F':
			if (strcmp(optarg, "text") == 0)
				run->opts.format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				run->opts.format = FORMAT_JSON;
			else
				usage_error(
				    _("invalid --format '%s': expected text or json"),
				    optarg);
			break;
		case 'q':
			run->opts.quiet = 1;
			break;
		case 'v':
			run->opts.verbose = 1;
			break;
		case 's':
			run->opts.strict = 1;
			break;
		case 'S':
			o->schema_dir = optarg;
			break;
		case 'M':
			/* libxml2 takes a document's length as an int. */
			o->max_size = parse_number(optarg, "--max-size", 1024,
			                           (unsigned long)INT_MAX);
			break;
		case 'L':
			o->list_rules = 1;
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
		add_operand(&run->in, argv[optind], &stdin_used, 0);
	if (run->opts.quiet && run->opts.verbose)
		usage_error("%s", _("--quiet and --verbose cannot be used together"));
	if (!o->list_rules && run->in.count == 0)
		usage_error("%s", _("no files to check"));
}

/* Sets the context up; a wrong schema directory would fail every file, so say it once. */
static void setup_ctx(struct run *run, const struct options *o)
{
	const char *dir;
	struct stat st;
	int ret;

	ret = tthc_ctx_new(&run->ctx);
	if (ret < 0)
		die(EXIT_TROUBLE, "%s", tthc_strerror(ret));
	ret = schema_dir_apply(run->ctx, o->schema_dir);
	if (ret < 0)
		die(EXIT_TROUBLE, "%s: %s", o->schema_dir, tthc_strerror(ret));
	dir = tthc_ctx_schema_dir(run->ctx);
	if (stat(dir, &st) < 0)
		die(EXIT_TROUBLE, _("%s: cannot use the schema directory: %s"), dir,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die(EXIT_TROUBLE, _("%s: cannot use the schema directory: %s"), dir,
		    strerror(ENOTDIR));
	if (o->max_size && tthc_ctx_set_max_size(run->ctx, o->max_size) < 0)
		usage_error(_("invalid --max-size '%lu'"), o->max_size);
}

int main(int argc, char **argv)
{
	struct run run = { .status = EXIT_VALID, .in.delim = '\n' };
	struct options o = { 0 };
	int ret;

	tool_init(argv[0]);
	run.in.sources = xcalloc((size_t)argc, sizeof(*run.in.sources));
	parse_options(argc, argv, &run, &o);
	if (o.help) {
		help();
	} else if (o.version) {
		print_version(stdout);
	} else if (o.list_rules) {
		list_rules();
	} else {
		setup_ctx(&run, &o);
		ret = run_ordered(o.jobs ? (unsigned)o.jobs : online_cpus(), 0,
		                  &validate_ops, &run);
		if (ret < 0)
			die(EXIT_TROUBLE, _("cannot create a validator: %s"),
			    *tthc_ctx_error(run.ctx) ? tthc_ctx_error(run.ctx)
			                             : tthc_strerror(ret));
		if (run.opts.verbose)
			warn(_("total: files %lu, valid %lu, invalid %lu, errors %llu, "
			       "warnings %llu"),
			     run.files, run.valid, run.invalid, run.errors, run.warnings);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn(_("cannot write the output: %s"), strerror(errno));
		run.status = EXIT_TROUBLE;
	}
	tthc_ctx_free(run.ctx);
	free(run.in.line);
	free(run.in.sources);
	return run.status;
}
