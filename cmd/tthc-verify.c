/* SPDX-License-Identifier: MIT */
/* tthc-verify: check bundles (E-ARK SIPs, ZIP or folder) and optionally unpack them. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"

static const char short_opts[] = "-:hj:qvVx:";
static const struct option long_opts[] = {
	{ "extract", required_argument, NULL, 'x' },
	{ "format", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-entries", required_argument, NULL, 'E' },
	{ "max-ratio", required_argument, NULL, 'R' },
	{ "max-total", required_argument, NULL, 'T' },
	{ "mets-schema", required_argument, NULL, 'M' },
	{ "profile", required_argument, NULL, 'P' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "schema-dir", required_argument, NULL, 'S' },
	{ "strict", no_argument, NULL, 's' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
	        _("usage: %s [OPTION]... [--extract=DIR] BUNDLE...\n"
	          "       %s -h | -V\n"),
	        progname, progname);
}

static void help(void)
{
	usage(stdout);
	fputs(
	    _("\nCheck bundles (E-ARK SIPs as a ZIP file or an unpacked folder): "
	      "archive\n"
	      "safety, the CSIP and SIP requirements, every file's size and checksum "
	      "and,\n"
	      "for tthc bundles, the dossier and the portal message.\n"
	      "\n"
	      "      --profile=PROFILE  'csip', 'sip' or 'tthc' (default: tthc when the\n"
	      "                         bundle carries a tthc dossier, else sip)\n"
	      "  -x, --extract=DIR      unpack each valid bundle into DIR\n"
	      "      --mets-schema=FILE also validate METS files against FILE "
	      "(mets.xsd)\n"
	      "      --max-entries=N    refuse a ZIP with more than N entries (10000)\n"
	      "      --max-total=BYTES  refuse a ZIP giving more than BYTES (64 GiB)\n"
	      "      --max-ratio=N      refuse an entry compressed more than N to 1 "
	      "(200)\n"
	      "  -j, --jobs=N           check N bundles at a time (default: online "
	      "cores)\n"
	      "      --format=FORMAT    'text' (default) or 'json' (JSON Lines)\n"
	      "  -q, --quiet            print no findings: the exit status alone says\n"
	      "  -v, --verbose          also report valid bundles\n"
	      "      --strict           warnings make a bundle invalid\n"
	      "      --schema-dir=DIR   read the dossier schemas from DIR\n"
	      "  -h, --help             print this help\n"
	      "  -V, --version          print the versions of tthc and its libraries\n"
	      "\n"
	      "Exit status: 0 all valid, 1 a bundle is invalid, 2 trouble (usage, "
	      "I/O).\n"),
	    stdout);
}

#define usage_error(...) usage_fail(usage, __VA_ARGS__)

struct item {
	const char *name;
	char *error; /* the bundle could not be read, or not extracted */
	char *out;
	size_t out_len;
	int valid, extracted;
};

struct run {
	struct tthc_ctx *ctx;
	struct report_options opts;
	enum tthc_verify_profile profile;
	struct tthc_verify_limits lim;
	const char *mets_schema, *extract;
	char **operands;
	size_t count, next;
	int status;
};

static int next_item(void *arg, void **out)
{
	struct run *run = arg;
	struct item *it;

	if (run->next == run->count)
		return 0;
	it = xcalloc(1, sizeof(*it));
	it->name = run->operands[run->next++];
	*out = it;
	return 1;
}

struct worker {
	struct tthc_verifier *v;
	const struct run *run;
};

static void *worker_new(void *arg)
{
	struct run *run = arg;
	struct worker *w = xcalloc(1, sizeof(*w));

	w->run = run;
	if (tthc_verify_new(run->ctx, &w->v) < 0) {
		free(w);
		return NULL;
	}
	tthc_verify_set_profile(w->v, run->profile);
	tthc_verify_set_limits(w->v, &run->lim);
	if (run->mets_schema && tthc_verify_set_mets_schema(w->v, run->mets_schema) < 0)
		die(EXIT_TROUBLE, "%s", tthc_verify_error(w->v));
	return w;
}

static void worker_free(void *arg)
{
	struct worker *w = arg;

	tthc_verify_free(w->v);
	free(w);
}

static void work(void *arg, void *item)
{
	struct worker *w = arg;
	struct item *it = item;
	struct tthc_report *r;
	FILE *f;
	int ret = tthc_verify_bundle(w->v, it->name, it->name, &r);

	if (ret < 0) {
		it->error = xstrdup(*tthc_verify_error(w->v) ? tthc_verify_error(w->v)
		                                             : tthc_strerror(ret));
		return;
	}
	it->valid = report_valid(r, &w->run->opts);
	f = open_memstream(&it->out, &it->out_len);
	if (!f)
		die(EXIT_TROUBLE, "%s", strerror(errno));
	report_write(f, r, &w->run->opts);
	if (fclose(f) != 0)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
	tthc_report_free(r);
	if (it->valid && w->run->extract) {
		if (tthc_verify_extract(w->v, w->run->extract) < 0)
			it->error =
			    xasprintf(_("cannot extract: %s"), tthc_verify_error(w->v));
		else
			it->extracted = 1;
	}
}

static void emit(void *arg, void *item)
{
	struct run *run = arg;
	struct item *it = item;

	if (it->out)
		fwrite(it->out, 1, it->out_len, stdout);
	if (it->error) {
		run->status = EXIT_TROUBLE;
		if (!it->out)
			report_write_failure(stdout, it->name, it->error, &run->opts);
		fflush(stdout);
		warn("%s: %s", it->name, it->error);
	} else if (!it->valid && run->status == EXIT_VALID) {
		run->status = EXIT_INVALID;
	}
	fflush(stdout);
	free(it->out);
	free(it->error);
	free(it);
}

static const struct ordered_ops verify_ops = {
	.next = next_item,
	.worker_new = worker_new,
	.worker_free = worker_free,
	.work = work,
	.emit = emit,
};

struct options {
	const char *schema_dir;
	unsigned long jobs;
	int help, version;
};

static enum tthc_verify_profile parse_profile(const char *s)
{
	for (int p = TTHC_PROFILE_CSIP; p <= TTHC_PROFILE_TTHC; p++)
		if (strcmp(s, tthc_verify_profile_name(p)) == 0)
			return p;
	usage_error(_("invalid --profile '%s': expected csip, sip or tthc"), s);
}

static void parse_options(int argc, char **argv, struct run *run, struct options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 1:
			run->operands[run->count++] = optarg;
			break;
		case 'x':
			run->extract = optarg;
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
		case 'P':
			run->profile = parse_profile(optarg);
			break;
		case 'M':
			run->mets_schema = optarg;
			break;
		case 'E':
			run->lim.max_entries =
			    option_number(usage, optarg, "--max-entries", 1, ULONG_MAX);
			break;
		case 'T':
			run->lim.max_total =
			    option_number(usage, optarg, "--max-total", 1, ULONG_MAX);
			break;
		case 'R':
			run->lim.max_ratio =
			    option_number(usage, optarg, "--max-ratio", 1, ULONG_MAX);
			break;
		case 'j':
			o->jobs = option_number(usage, optarg, "--jobs", 1, 1024);
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
		run->operands[run->count++] = argv[optind];
	if (run->opts.quiet && run->opts.verbose)
		usage_error("%s", _("--quiet and --verbose cannot be used together"));
	if (run->count == 0)
		usage_error("%s", _("no bundles to check"));
}

static void setup(struct run *run, const struct options *o)
{
	struct stat st;
	int ret = tthc_ctx_new(&run->ctx);

	if (ret < 0)
		die(EXIT_TROUBLE, "%s", tthc_strerror(ret));
	ret = schema_dir_apply(run->ctx, o->schema_dir);
	if (ret < 0)
		die(EXIT_TROUBLE, "%s: %s", o->schema_dir, tthc_strerror(ret));
	if (run->extract) {
		int err = stat(run->extract, &st) < 0 ? errno
		          : S_ISDIR(st.st_mode)       ? 0
		                                      : ENOTDIR;

		if (err)
			die(EXIT_TROUBLE, _("%s: cannot extract there: %s"), run->extract,
			    strerror(err));
	}
}

int main(int argc, char **argv)
{
	struct run run = { .status = EXIT_VALID };
	struct options o = { 0 };
	int ret;

	tool_init(argv[0]);
	run.operands = xcalloc((size_t)argc, sizeof(*run.operands));
	parse_options(argc, argv, &run, &o);
	if (o.help) {
		help();
	} else if (o.version) {
		print_version(stdout);
	} else {
		setup(&run, &o);
		ret = run_ordered(o.jobs ? (unsigned)o.jobs : online_cpus(), 0,
		                  &verify_ops, &run);
		if (ret < 0)
			die(EXIT_TROUBLE, _("cannot create a verifier: %s"),
			    tthc_strerror(ret));
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn(_("cannot write the output: %s"), strerror(errno));
		run.status = EXIT_TROUBLE;
	}
	tthc_ctx_free(run.ctx);
	free(run.operands);
	return run.status;
}
