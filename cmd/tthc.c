/* SPDX-License-Identifier: MIT */
/* tthc: the front end; "tthc VERB ARGS" runs tthc-VERB ARGS, as git runs its commands. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const char short_opts[] = "+hV";
static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The verbs of the project; "tthc --help" marks those whose program is not installed. */
static const struct {
	const char *name;
	const char *summary;
} verbs[] = {
	{ "validate", N_("check dossiers against their schema and the rules") },
	{ "normalize",
	  N_("legacy text (TCVN3, VNI, ...) to UTF-8; dossiers to canonical form") },
	{ "pack", N_("pack dossiers into E-ARK bundles with checksums") },
	{ "verify", N_("check E-ARK bundles and unpack them safely") },
	{ "scancheck", N_("check scans against the digitisation rules") },
	{ "import", N_("turn legacy registers into standard dossiers") },
};

static void usage(FILE *f)
{
	fprintf(f, _("usage: %s VERB [ARG]...\n       %s -h | -V\n"), progname, progname);
}

/* Returns dir/prog (malloc'd) when it is an executable, or NULL. */
static char *find_in(const char *dir, const char *prog)
{
	char *path;

	if (!dir || !*dir)
		return NULL;
	path = xasprintf("%s/%s", dir, prog);
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

/* Looks for prog next to tthc, then in LIBEXECDIR, then in $PATH; returns it or NULL. */
static char *find_program(const char *prog)
{
	char *self = self_dir(), *path, *dirs, *dir, *save = NULL;
	const char *env = getenv("PATH");

	path = find_in(self, prog);
	free(self);
	if (!path)
		path = find_in(LIBEXECDIR, prog);
	if (path || !env)
		return path;
	dirs = xstrdup(env);
	for (dir = strtok_r(dirs, ":", &save); dir && !path;
	     dir = strtok_r(NULL, ":", &save))
		path = find_in(dir, prog);
	free(dirs);
	return path;
}

static void help(void)
{
	usage(stdout);
	printf("\n%s\n\n",
	       _("Run a tthc tool: \"tthc VERB ARG...\" runs \"tthc-VERB ARG...\"."));
	printf("%s\n", _("Verbs:"));
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		char *prog = xasprintf("tthc-%s", verbs[i].name);
		char *path = find_program(prog);

		printf("  %-10s %s%s\n", verbs[i].name, _(verbs[i].summary),
		       path ? "" : _(" (not installed)"));
		free(path);
		free(prog);
	}
	printf("\n%s\n", _("\"tthc VERB --help\" describes a verb; see also tthc(1)."));
}

int main(int argc, char **argv)
{
	char *prog, *path;
	int c;

	tool_init(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help();
			return EXIT_VALID;
		case 'V':
			print_version(stdout);
			return EXIT_VALID;
		default:
			if (optopt)
				fprintf(stderr, _("%s: unknown option '-%c'\n"), progname,
				        optopt);
			else
				fprintf(stderr, _("%s: unknown option '%s'\n"), progname,
				        argv[optind - 1]);
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind == argc) {
		fprintf(stderr, _("%s: no verb given\n"), progname);
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (!*argv[optind] || strchr(argv[optind], '/'))
		die(EXIT_TROUBLE, _("'%s' is not a tthc verb; see '%s --help'"),
		    argv[optind], progname);

	prog = xasprintf("tthc-%s", argv[optind]);
	path = find_program(prog);
	if (!path)
		die(EXIT_TROUBLE, _("'%s' is not a tthc verb; see '%s --help'"),
		    argv[optind], progname);
	/* The tool names itself tthc-VERB in its messages, whichever way it was found. */
	argv[optind] = prog;
	execv(path, argv + optind);
	die(EXIT_TROUBLE, _("cannot run %s: %s"), path, strerror(errno));
}
