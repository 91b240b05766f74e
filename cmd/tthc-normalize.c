/* SPDX-License-Identifier: MIT */
/* tthc-normalize: legacy Vietnamese text to UTF-8 NFC, dossiers to canonical form. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common.h"

#define CHUNK (64 * 1024)
/* outfile_commit()'s -EEXIST with --backup: see keep_backup() in common/outfile.c. */
#define KEPT_BACKUP N_("left as it is: a backup made by this run would be replaced")
#define DEFAULT_MAX_SIZE (32UL * 1024 * 1024) /* the library's default, tthc.h */

static const char short_opts[] = ":hij:o:V";
static const struct option long_opts[] = {
	{ "admin", required_argument, NULL, 'A' },
	{ "backup", required_argument, NULL, 'B' },
	{ "check", no_argument, NULL, 'c' },
	{ "csv", no_argument, NULL, 'C' },
	{ "detect", no_argument, NULL, 'D' },
	{ "diff", no_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'F' },
	{ "from", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "in-place", no_argument, NULL, 'i' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-size", required_argument, NULL, 'M' },
	{ "name-case", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "schema-dir", required_argument, NULL, 'S' },
	{ "text", no_argument, NULL, 'T' },
	{ "tone-style", required_argument, NULL, 't' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
	        _("usage: %s --text [--from=ENC] [--csv] [--tone-style=STYLE]\n"
	          "              [-o FILE | -i [--backup=SUFFIX]] [FILE]...\n"
	          "       %s --text --detect [--csv] [FILE]...\n"
	          "       %s [OPTION]... [--diff | --format=json | --check]\n"
	          "              [-o FILE|DIR | -i [--backup=SUFFIX]] [-j N] FILE...\n"
	          "       %s -h | -V\n"),
	        progname, progname, progname, progname);
}

static void help(void)
{
	usage(stdout);
	fputs(
	    _("\nText mode: convert legacy Vietnamese text or CSV (TCVN3, VNI, VISCII, "
	      "VPS,\n"
	      "CP1258, VIQR, TCVN 5712, UTF-16) to UTF-8 in NFC.  No FILE, or '-': "
	      "standard\n"
	      "input to standard output.\n"
	      "\n"
	      "      --text             text mode\n"
	      "      --from=ENC         auto (default), utf-8, utf-16, tcvn3, vni, "
	      "viscii, vps,\n"
	      "                         cp1258, viqr or tcvn5712\n"
	      "      --detect           print 'FILE: ENC CONFIDENCE' instead of "
	      "converting\n"
	      "      --csv              CSV even without the .csv suffix: detect per "
	      "column\n"
	      "\n"
	      "Dossier mode: rewrite dossiers in canonical form, normalising dates, "
	      "numbers,\n"
	      "names, phones and places as their schema types say.\n"
	      "\n"
	      "      --name-case=CASE   title (default), upper or keep\n"
	      "      --admin=2025       add the province after the 2025 merger to "
	      "places\n"
	      "      --diff             print a unified diff of each change\n"
	      "      --format=json      print one JSON object per change\n"
	      "      --check            write nothing; list the files that would change\n"
	      "  -j, --jobs=N           N files at a time (default: online cores)\n"
	      "      --schema-dir=DIR   read the schemas from DIR\n"
	      "      --max-size=BYTES   refuse documents larger than BYTES\n"
	      "\n"
	      "Both modes:\n"
	      "      --tone-style=STYLE old (hòa, thủy) or new (hoà, thuỷ); default: as\n"
	      "                         written\n"
	      "  -o, --output=FILE|DIR  write to FILE (or into DIR), never a partial "
	      "file\n"
	      "  -i, --in-place         replace each FILE with its normalised form\n"
	      "      --backup=SUFFIX    with -i, keep the original as FILE+SUFFIX\n"
	      "  -h, --help             print this help\n"
	      "  -V, --version          print the versions of tthc and its libraries\n"
	      "\n"
	      "Exit status: 0 done, 1 something could not be normalised or --check "
	      "found\n"
	      "changes, 2 trouble (usage, I/O).\n"),
	    stdout);
}

#define usage_error(...) usage_fail(usage, __VA_ARGS__)
#define parse_number(s, what, min, max) option_number(usage, s, what, min, max)

/* What the command line asks for. */
enum report { REPORT_NONE, REPORT_DIFF, REPORT_JSON, REPORT_CHECK };

struct options {
	int text, detect, csv, in_place, help, version;
	enum tthc_enc from;
	struct tthc_norm_options norm;
	enum report report;
	const char *output, *backup, *schema_dir;
	int output_dir; /* -o names a directory */
	unsigned long jobs, max_size;
	char **files;
	size_t nfiles;
	unsigned dossier_opts; /* which dossier-only options were given, for the check */
};

/* ---- small helpers ---------------------------------------------------------------- */

/* A copy of s that stays on one line: control characters become '?'. */
static char *printable(const char *s)
{
	char *p = xstrdup(s ? s : "");

	for (unsigned char *q = (unsigned char *)p; *q; q++)
		if (*q < 0x20 || *q == 0x7f)
			*q = '?';
	return p;
}

static int is_stdin(const char *name)
{
	return strcmp(name, "-") == 0;
}

static int ends_with_csv(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Confidence as "0.87" whatever the locale's decimal point. */
static void put_confidence(double c)
{
	int n = (int)(c * 100 + 0.5);

	printf("%d.%02d", n / 100, n % 100);
}

/* ---- text mode -------------------------------------------------------------------- */

static int file_write(void *arg, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, arg) == len ? 0 : -(errno ? errno : EIO);
}

static int open_input(const char *name)
{
	return is_stdin(name) ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
}

static void close_input(const char *name, int fd)
{
	if (!is_stdin(name))
		close(fd);
}

/* Streams one input through t into out.  Returns an exit status. */
static int text_convert(struct tthc_textnorm *t, const char *name, int fd, FILE *out)
{
	static char buf[CHUNK];
	int r = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warn("%s: %s", name, strerror(errno));
			tthc_textnorm_finish(t, file_write, out);
			return EXIT_TROUBLE;
		}
		if (n == 0)
			break;
		if ((r = tthc_textnorm_feed(t, buf, (size_t)n, file_write, out)))
			break;
	}
	if (!r)
		r = tthc_textnorm_finish(t, file_write, out);
	else
		tthc_textnorm_finish(t, file_write, out);
	if (r == -EILSEQ) {
		warn("%s: %s", name, tthc_textnorm_error(t));
		return EXIT_INVALID;
	}
	if (r) {
		warn(_("%s: cannot write the output: %s"), name, tthc_strerror(r));
		return EXIT_TROUBLE;
	}
	return EXIT_VALID;
}

static struct tthc_textnorm *textnorm_for(const struct options *o, const char *name)
{
	struct tthc_textnorm_options to = {
		.from = o->from,
		.tone = o->norm.tone,
		.csv = o->csv || ends_with_csv(name),
	};
	struct tthc_textnorm *t;
	int r = tthc_textnorm_new(&to, &t);

	if (r < 0)
		die(EXIT_TROUBLE, "%s", tthc_strerror(r));
	return t;
}

static void print_detection(const struct tthc_textnorm *t, const char *name)
{
	double conf;
	enum tthc_enc enc = tthc_textnorm_encoding(t, &conf);

	text_string(stdout, name);
	/* TTHC_ENC_AUTO: the CSV columns disagree. */
	printf(": %s ", enc == TTHC_ENC_AUTO ? "mixed" : tthc_enc_name(enc));
	put_confidence(conf);
	putchar('\n');
	if (enc != TTHC_ENC_AUTO)
		return;
	for (size_t i = 0; i < tthc_textnorm_columns(t); i++) {
		enum tthc_enc ce = tthc_textnorm_column(t, i, &conf);

		text_string(stdout, name);
		printf(": column %zu: %s ", i + 1,
		       ce == TTHC_ENC_AUTO ? "ascii" : tthc_enc_name(ce));
		put_confidence(conf);
		putchar('\n');
	}
}

static int text_detect(const struct options *o, const char *name)
{
	struct tthc_textnorm *t = textnorm_for(o, name);
	size_t want = o->csv || ends_with_csv(name) ? TTHC_TEXTNORM_CSV_SAMPLE
	                                            : TTHC_TEXTNORM_SAMPLE;
	char *buf = xmalloc(want);
	size_t len = 0;
	int fd = open_input(name), status = EXIT_VALID, at_end = 0;

	if (fd < 0) {
		warn("%s: %s", name, strerror(errno));
		status = EXIT_TROUBLE;
		goto out;
	}
	while (len < want) {
		ssize_t n = read(fd, buf + len, want - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			warn("%s: %s", name, strerror(errno));
			status = EXIT_TROUBLE;
			break;
		}
		if (n == 0) {
			at_end = 1;
			break;
		}
		len += (size_t)n;
	}
	close_input(name, fd);
	if (status == EXIT_VALID) {
		if (tthc_textnorm_detect(t, buf, len, at_end) < 0)
			die(EXIT_TROUBLE, "%s", tthc_strerror(-ENOMEM));
		print_detection(t, name);
	}
out:
	free(buf);
	tthc_textnorm_free(t);
	return status;
}

/* Converts one input to out (standard output or the -o file). */
static int text_to(const struct options *o, const char *name, FILE *out)
{
	struct tthc_textnorm *t;
	int fd = open_input(name), status;

	if (fd < 0) {
		warn("%s: %s", name, strerror(errno));
		return EXIT_TROUBLE;
	}
	t = textnorm_for(o, name);
	status = text_convert(t, name, fd, out);
	tthc_textnorm_free(t);
	close_input(name, fd);
	return status;
}

/* Returns 1 when the files a and b (size bytes, both) hold the same bytes. */
static int same_bytes(int a, int b, off_t size)
{
	static char ba[CHUNK], bb[CHUNK];

	for (off_t at = 0; at < size;) {
		size_t want = size - at < CHUNK ? (size_t)(size - at) : CHUNK;
		ssize_t na = pread(a, ba, want, at), nb = pread(b, bb, want, at);

		if (na <= 0 || na != nb || memcmp(ba, bb, (size_t)na) != 0)
			return 0;
		at += na;
	}
	return 1;
}

/*
 * Whether converting changed nothing: then the file is left alone, as in dossier mode,
 * and a second run does not replace the backups of the first with converted text.
 */
static int unchanged(int in, struct outfile *of, const struct stat *in_st)
{
	struct stat st;

	if (fflush(of->f) != 0 || fstat(of->fd, &st) < 0 || st.st_size != in_st->st_size)
		return 0;
	return same_bytes(in, of->fd, st.st_size);
}

/* Converts a file in place: a temporary file beside it replaces it when complete. */
static int text_in_place(const struct options *o, const char *name)
{
	struct tthc_textnorm *t;
	struct outfile of;
	struct stat st;
	int fd = open_input(name), status, r;
	char *real;

	if (fd < 0 || fstat(fd, &st) < 0) {
		warn("%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_TROUBLE;
	}
	/* A symbolic link stays one: what it points to is replaced. */
	real = realpath(name, NULL);
	r = outfile_open(&of, real ? real : name, &st);
	free(real);
	if (r < 0) {
		warn(_("%s: cannot write a file beside it: %s"), name, strerror(-r));
		close(fd);
		return EXIT_TROUBLE;
	}
	t = textnorm_for(o, name);
	status = text_convert(t, name, fd, of.f);
	tthc_textnorm_free(t);
	if (status != EXIT_VALID || unchanged(fd, &of, &st)) {
		outfile_abort(&of);
	} else if ((r = outfile_commit(&of, o->backup)) < 0) {
		if (r == -EEXIST && o->backup)
			warn("%s: %s", name, _(KEPT_BACKUP));
		else
			warn(_("%s: cannot replace the file: %s"), name, strerror(-r));
		status = EXIT_TROUBLE;
	}
	close(fd);
	return status;
}

static int worse(int a, int b)
{
	return a > b ? a : b;
}

static int text_mode(const struct options *o)
{
	static char *dash[] = { (char *)"-" };
	char **files = o->nfiles ? o->files : dash;
	size_t nfiles = o->nfiles ? o->nfiles : 1;
	struct outfile of;
	FILE *out = stdout;
	int status = EXIT_VALID, r;

	if (o->output && !o->detect) {
		if ((r = outfile_open(&of, o->output, NULL)) < 0)
			die(EXIT_TROUBLE, _("%s: cannot write: %s"), o->output,
			    strerror(-r));
		out = of.f;
	}
	for (size_t i = 0; i < nfiles; i++) {
		if (o->detect)
			status = worse(status, text_detect(o, files[i]));
		else if (o->in_place)
			status = worse(status, text_in_place(o, files[i]));
		else
			status = worse(status, text_to(o, files[i], out));
		if (out == stdout && ferror(stdout))
			break;
	}
	if (o->output && !o->detect) {
		/* One output for all inputs: whole, or not at all. */
		if (status != EXIT_VALID) {
			outfile_abort(&of);
		} else if ((r = outfile_commit(&of, NULL)) < 0) {
			warn(_("%s: cannot write: %s"), o->output, strerror(-r));
			status = EXIT_TROUBLE;
		}
	}
	return status;
}

/* ---- dossier mode: one item per file, in worker threads --------------------------- */

struct run {
	const struct options *o;
	struct tthc_ctx *ctx;
	size_t next;
	int status;
};

struct item {
	char *name;
	char *out, *err; /* for standard output and standard error, written in order */
	size_t out_len, err_len;
	int status;
};

struct worker {
	struct tthc_normalizer *n;
	const struct options *o;
};

static int next_item(void *arg, void **out)
{
	struct run *run = arg;
	struct item *it;

	if (run->next == run->o->nfiles)
		return 0;
	it = xcalloc(1, sizeof(*it));
	it->name = xstrdup(run->o->files[run->next++]);
	*out = it;
	return 1;
}

static void *worker_new(void *arg)
{
	struct run *run = arg;
	struct worker *w = xcalloc(1, sizeof(*w));

	w->o = run->o;
	if (tthc_normalizer_new(run->ctx, &w->n) < 0) {
		free(w);
		return NULL;
	}
	tthc_normalizer_set_options(w->n, &run->o->norm);
	return w;
}

static void worker_free(void *arg)
{
	struct worker *w = arg;

	tthc_normalizer_free(w->n);
	free(w);
}

/*
 * "progname: NAME: message" into the item's standard error.  The library's sentences
 * may start with the name and a place ("NAME:12: ..."): then the name is not repeated.
 */
static void item_error(struct item *it, FILE *err, int status, const char *msg)
{
	size_t len = strlen(it->name);
	int placed = strncmp(msg, it->name, len) == 0 && msg[len] == ':';
	char *m = printable(placed ? msg + len : msg);

	fprintf(err, "%s: ", progname);
	text_string(err, it->name);
	fprintf(err, "%s%s\n", placed ? "" : ": ", m);
	free(m);
	it->status = worse(it->status, status);
}

static void json_change(FILE *f, const struct tthc_change *c)
{
	fputs("{\"file\":", f);
	json_string(f, c->file);
	fprintf(f, ",\"line\":%lu,\"path\":", c->line);
	json_string(f, c->path);
	fputs(",\"old\":", f);
	json_string(f, c->old_value);
	fputs(",\"new\":", f);
	if (c->new_value)
		json_string(f, c->new_value);
	else
		fputs("null", f);
	fputs(",\"rule\":", f);
	json_string(f, c->rule);
	fputs("}\n", f);
}

/* Values kept as written because no rule could read them: one line each. */
static void report_failures(struct item *it, FILE *err, const struct tthc_normalized *res)
{
	for (size_t i = 0; i < tthc_normalized_count(res); i++) {
		const struct tthc_change *c = tthc_normalized_get(res, i);
		char *old;

		if (c->new_value)
			continue;
		old = printable(c->old_value);
		fprintf(err, "%s: ", progname);
		text_string(err, it->name);
		fprintf(err, ":%lu: ", c->line);
		text_string(err, c->path);
		fputs(": ", err);
		/* TRANSLATORS: %s the rule (date, phone, ...), then the value as written.
		 */
		fprintf(err, _("cannot normalise this %s, kept as written: '%s'"),
		        c->rule, old);
		fputc('\n', err);
		free(old);
	}
}

/* Where the canonical dossier goes: a file name (malloc'd), or NULL for standard output.
 */
static char *target_of(const struct options *o, const char *name)
{
	if (o->in_place) {
		char *real = realpath(name, NULL); /* a symbolic link stays one */

		return real ? real : xstrdup(name);
	}
	if (o->output_dir) {
		size_t len = strlen(o->output);

		while (len > 1 && o->output[len - 1] == '/')
			len--; /* "dir/" names dir: no "dir//name" */
		return xasprintf("%.*s%s%s", (int)len, o->output,
		                 o->output[len - 1] == '/' ? "" : "/", base_name(name));
	}
	return o->output ? xstrdup(o->output) : NULL;
}

static void write_target(struct item *it, FILE *err, const struct options *o,
                         const char *target, const struct stat *like, const char *data,
                         size_t len)
{
	struct outfile of;
	int r = outfile_open(&of, target, like);

	if (r == 0) {
		fwrite(data, 1, len, of.f);
		r = outfile_commit(&of, o->in_place ? o->backup : NULL);
	}
	if (r == -EEXIST && o->in_place && o->backup) {
		item_error(it, err, EXIT_TROUBLE, _(KEPT_BACKUP));
	} else if (r < 0) {
		char *msg = xasprintf(_("cannot write %s: %s"), target, strerror(-r));

		item_error(it, err, EXIT_TROUBLE, msg);
		free(msg);
	}
}

/* Reads the whole input; returns 0, or an exit status after reporting why not. */
static int read_item(struct item *it, FILE *err, const struct options *o, struct stat *st,
                     char **buf, size_t *len)
{
	int fd = open_input(it->name), r;

	if (fd < 0 || fstat(fd, st) < 0) {
		item_error(it, err, EXIT_TROUBLE, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_TROUBLE;
	}
	if (S_ISDIR(st->st_mode)) {
		close_input(it->name, fd);
		item_error(it, err, EXIT_TROUBLE, strerror(EISDIR));
		return EXIT_TROUBLE;
	}
	r = read_all(fd, o->max_size, buf, len);
	close_input(it->name, fd);
	if (r == 0)
		return 0;
	if (r == -EFBIG) {
		free(*buf); /* work() frees what it was given: nothing, now */
		*buf = NULL;
		item_error(it, err, EXIT_INVALID, tthc_strerror(-TTHC_E_TOOBIG));
		return EXIT_INVALID;
	}
	item_error(it, err, EXIT_TROUBLE, strerror(-r));
	return EXIT_TROUBLE;
}

static void report(struct item *it, FILE *out, FILE *err, const struct options *o,
                   const struct tthc_normalized *res, const char *old, size_t old_len)
{
	size_t len;
	const char *data = tthc_normalized_data(res, &len);
	int changed = len != old_len || memcmp(data, old, len) != 0;

	if (o->report == REPORT_JSON) {
		for (size_t i = 0; i < tthc_normalized_count(res); i++)
			json_change(out, tthc_normalized_get(res, i));
	} else {
		report_failures(it, err, res);
	}
	if (tthc_normalized_failures(res))
		it->status = worse(it->status, EXIT_INVALID);
	if (o->report == REPORT_CHECK && changed) {
		text_string(out, it->name);
		fputc('\n', out);
		it->status = worse(it->status, EXIT_INVALID);
	} else if (o->report == REPORT_DIFF && changed) {
		/* The tab ends the name as in GNU diff: patch(1) then reads names with
		 * spaces. */
		char *a = xasprintf("a/%s\t", it->name);
		char *b = xasprintf("b/%s\t", it->name);
		char *diff;
		size_t dlen;

		if (tthc_diff_unified(old, old_len, data, len, a, b, 3, &diff, &dlen) < 0)
			die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
		fwrite(diff, 1, dlen, out);
		free(diff);
		free(a);
		free(b);
	}
}

static void work(void *arg, void *item)
{
	struct worker *w = arg;
	struct item *it = item;
	const struct options *o = w->o;
	struct tthc_normalized *res = NULL;
	FILE *out = open_memstream(&it->out, &it->out_len);
	FILE *err = open_memstream(&it->err, &it->err_len);
	char *buf = NULL, *target;
	size_t len = 0, dlen;
	const char *data;
	struct stat st;
	int r;

	if (!out || !err)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
	if (read_item(it, err, o, &st, &buf, &len))
		goto out;
	r = tthc_normalizer_memory(w->n, buf, len, it->name, &res);
	if (r < 0) {
		const char *msg = tthc_normalizer_error(w->n);

		item_error(it, err,
		           r == -TTHC_E_XML || r == -TTHC_E_TOOBIG ? EXIT_INVALID
		                                                   : EXIT_TROUBLE,
		           *msg ? msg : tthc_strerror(r));
		goto out;
	}
	report(it, out, err, o, res, buf, len);
	data = tthc_normalized_data(res, &dlen);
	if (o->report == REPORT_CHECK)
		goto out;
	target = target_of(o, it->name);
	if (!target) {
		if (o->report == REPORT_NONE)
			fwrite(data, 1, dlen, out);
	} else if (!o->in_place || dlen != len || memcmp(data, buf, len) != 0) {
		write_target(it, err, o, target, o->in_place ? &st : NULL, data, dlen);
	}
	free(target);
out:
	tthc_normalized_free(res);
	free(buf);
	r = fclose(out);
	if ((fclose(err) | r) != 0)
		die(EXIT_TROUBLE, "%s", strerror(ENOMEM));
}

static void emit(void *arg, void *item)
{
	struct run *run = arg;
	struct item *it = item;

	fwrite(it->out, 1, it->out_len, stdout);
	fflush(stdout);
	fwrite(it->err, 1, it->err_len, stderr);
	run->status = worse(run->status, it->status);
	free(it->out);
	free(it->err);
	free(it->name);
	free(it);
}

static const struct ordered_ops normalize_ops = {
	.next = next_item,
	.worker_new = worker_new,
	.worker_free = worker_free,
	.work = work,
	.emit = emit,
};

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Two inputs with one base name would overwrite each other in -o DIR. */
static void check_distinct_names(const struct options *o)
{
	const char **names = xcalloc(o->nfiles, sizeof(*names));

	for (size_t i = 0; i < o->nfiles; i++)
		names[i] = base_name(o->files[i]);
	qsort(names, o->nfiles, sizeof(*names), by_string);
	for (size_t i = 1; i < o->nfiles; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			usage_error(
			    _("two inputs named '%s' would be written to the same "
			      "file in %s"),
			    names[i], o->output);
	free(names);
}

static int dossier_mode(const struct options *o)
{
	struct run run = { .o = o, .status = EXIT_VALID };
	const char *dir;
	struct stat st;
	int ret;

	if ((ret = tthc_ctx_new(&run.ctx)) < 0)
		die(EXIT_TROUBLE, "%s", tthc_strerror(ret));
	if ((ret = schema_dir_apply(run.ctx, o->schema_dir)) < 0)
		die(EXIT_TROUBLE, "%s: %s", o->schema_dir, tthc_strerror(ret));
	dir = tthc_ctx_schema_dir(run.ctx);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die(EXIT_TROUBLE, _("%s: cannot use the schema directory: %s"), dir,
		    strerror(errno ? errno : ENOTDIR));
	if (tthc_ctx_set_max_size(run.ctx, o->max_size) < 0)
		usage_error(_("invalid --max-size '%lu'"), o->max_size);
	ret = run_ordered(o->jobs ? (unsigned)o->jobs : online_cpus(), 0, &normalize_ops,
	                  &run);
	if (ret < 0)
		die(EXIT_TROUBLE, _("cannot create a normaliser: %s"),
		    *tthc_ctx_error(run.ctx) ? tthc_ctx_error(run.ctx)
		                             : tthc_strerror(ret));
	tthc_ctx_free(run.ctx);
	return run.status;
}

/* ---- options ---------------------------------------------------------------------- */

/* Returns the index of s in words (NULL-terminated), or exits with a usage error. */
static int pick_word(const char *opt, const char *s, const char *const *words,
                     const char *expected)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	usage_error(_("invalid %s '%s': expected %s"), opt, s, expected);
}

enum { OPT_DOSSIER = 1, OPT_TEXT = 2 };

static void parse_option(int c, struct options *o, char **argv)
{
	static const char *const cases[] = { "title", "upper", "keep", NULL };
	static const char *const tones[] = { "keep", "old", "new", NULL };
	static const char *const formats[] = { "text", "json", NULL };
	int enc;

	switch (c) {
	case 'T':
		o->text = 1;
		break;
	case 'f':
		if ((enc = tthc_enc_from_name(optarg)) < 0)
			usage_error(
			    _("invalid --from '%s': expected auto, utf-8, utf-16, "
			      "tcvn3, vni, viscii, vps, cp1258, viqr or tcvn5712"),
			    optarg);
		o->from = (enum tthc_enc)enc;
		o->dossier_opts |= OPT_TEXT;
		break;
	case 'D':
		o->detect = 1;
		o->dossier_opts |= OPT_TEXT;
		break;
	case 'C':
		o->csv = 1;
		o->dossier_opts |= OPT_TEXT;
		break;
	case 't':
		o->norm.tone = (enum tthc_tone_style)pick_word("--tone-style", optarg,
		                                               tones, "old, new or keep");
		break;
	case 'n':
		o->norm.name_case = (enum tthc_name_case)pick_word(
		    "--name-case", optarg, cases, "title, upper or keep");
		o->dossier_opts |= OPT_DOSSIER;
		break;
	case 'A':
		if (strcmp(optarg, "2025") != 0)
			usage_error(_("invalid --admin '%s': expected 2025"), optarg);
		o->norm.admin2025 = 1;
		o->dossier_opts |= OPT_DOSSIER;
		break;
	case 'd':
	case 'c':
	case 'F':
		if (c == 'F' &&
		    pick_word("--format", optarg, formats, "text or json") == 0)
			break;
		if (o->report != REPORT_NONE)
			usage_error("%s",
			            _("--diff, --format=json and --check exclude each "
			              "other"));
		o->report = c == 'd'   ? REPORT_DIFF
		            : c == 'c' ? REPORT_CHECK
		                       : REPORT_JSON;
		o->dossier_opts |= OPT_DOSSIER;
		break;
	case 'o':
		o->output = optarg;
		break;
	case 'i':
		o->in_place = 1;
		break;
	case 'B':
		o->backup = optarg;
		break;
	case 'j':
		o->jobs = parse_number(optarg, "--jobs", 1, 1024);
		o->dossier_opts |= OPT_DOSSIER;
		break;
	case 'S':
		o->schema_dir = optarg;
		o->dossier_opts |= OPT_DOSSIER;
		break;
	case 'M':
		o->max_size = parse_number(optarg, "--max-size", 1024, INT_MAX);
		o->dossier_opts |= OPT_DOSSIER;
		break;
	case 'h':
		o->help = 1;
		break;
	case 'V':
		o->version = 1;
		break;
	default: /* ':' (an argument missing) or '?' (an unknown option) */
		bad_option(usage, c, argv);
	}
}

/* Whether -o names a directory: it is one, or ends in '/', or several files go there. */
static void check_output(struct options *o)
{
	struct stat st;

	if (!o->output)
		return;
	if (!*o->output)
		usage_error("%s", _("-o needs a file or directory name"));
	if (o->in_place)
		usage_error("%s", _("-o and -i exclude each other"));
	if (o->report == REPORT_CHECK)
		usage_error("%s", _("--check writes nothing: no -o"));
	o->output_dir = (stat(o->output, &st) == 0 && S_ISDIR(st.st_mode)) ||
	                o->output[strlen(o->output) - 1] == '/';
	if (o->text || !o->output_dir) {
		if (o->output_dir)
			usage_error(
			    _("-o %s: text mode writes one file, not a directory"),
			    o->output);
		if (!o->text && o->nfiles > 1)
			usage_error(
			    _("-o %s: several files need a directory that exists"),
			    o->output);
		return;
	}
	for (size_t i = 0; i < o->nfiles; i++)
		if (is_stdin(o->files[i]))
			usage_error("%s", _("standard input has no name to write in a "
			                    "directory: use -o FILE"));
	check_distinct_names(o);
	/* Once here, rather than once per file; the directory is not created. */
	if (stat(o->output, &st) < 0)
		die(EXIT_TROUBLE, _("%s: cannot write into this directory: %s"),
		    o->output, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die(EXIT_TROUBLE, _("%s: cannot write into this directory: %s"),
		    o->output, strerror(ENOTDIR));
}

struct operand_id {
	dev_t dev;
	ino_t ino;
	size_t index;
};

static int by_file_then_index(const void *pa, const void *pb)
{
	const struct operand_id *a = pa, *b = pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * With -i, each real file once: a name given twice, or a file and a symbolic or hard link
 * to it, would be converted twice, and its backup replaced by converted text.  Later
 * names of a file are dropped silently; a name that cannot be read stays, to be reported.
 */
static void skip_repeated_targets(struct options *o)
{
	struct operand_id *ids = xcalloc(o->nfiles ? o->nfiles : 1, sizeof(*ids));
	char *drop = xcalloc(o->nfiles ? o->nfiles : 1, 1);
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < o->nfiles; i++) {
		struct stat st;

		if (stat(o->files[i], &st) == 0)
			ids[n++] = (struct operand_id){ st.st_dev, st.st_ino, i };
	}
	qsort(ids, n, sizeof(*ids), by_file_then_index);
	for (size_t i = 1; i < n; i++)
		if (ids[i].dev == ids[i - 1].dev && ids[i].ino == ids[i - 1].ino)
			drop[ids[i].index] = 1;
	for (size_t i = 0; i < o->nfiles; i++)
		if (!drop[i])
			o->files[kept++] = o->files[i];
	o->nfiles = kept;
	free(drop);
	free(ids);
}

static void check_options(struct options *o)
{
	int stdin_used = 0;

	for (size_t i = 0; i < o->nfiles; i++)
		if (is_stdin(o->files[i]) && stdin_used++)
			usage_error("%s", _("standard input can be read only once"));
	if (o->text && (o->dossier_opts & OPT_DOSSIER))
		usage_error(
		    "%s", _("--name-case, --admin, --diff, --format, --check, -j, "
		            "--schema-dir and --max-size are for dossiers, not --text"));
	if (!o->text && (o->dossier_opts & OPT_TEXT))
		usage_error("%s", _("--from, --detect and --csv need --text"));
	if (o->backup && !o->in_place)
		usage_error("%s", _("--backup needs -i"));
	if (o->backup && (!*o->backup || strchr(o->backup, '/')))
		usage_error(_("invalid --backup '%s': expected a suffix without '/'"),
		            o->backup);
	if (o->in_place && stdin_used)
		usage_error("%s", _("-i cannot replace standard input"));
	if (o->in_place && o->report == REPORT_CHECK)
		usage_error("%s", _("--check writes nothing: no -i"));
	if (o->in_place && o->nfiles == 0)
		usage_error("%s", _("-i needs files"));
	if (o->detect && (o->in_place || o->output || o->from != TTHC_ENC_AUTO))
		usage_error("%s", _("--detect converts nothing: no -o, -i or --from"));
	check_output(o);
	if (o->in_place)
		skip_repeated_targets(o);
	if (o->text)
		return;
	if (o->nfiles == 0)
		usage_error("%s", _("no files to normalise"));
	if (o->nfiles > 1 && o->report == REPORT_NONE && !o->output && !o->in_place)
		usage_error("%s", _("several files need -o DIR or -i"));
}

static void parse_options(int argc, char **argv, struct options *o)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		parse_option(c, o, argv);
		if (o->help || o->version)
			return;
	}
	o->files = argv + optind;
	o->nfiles = (size_t)(argc - optind);
	check_options(o);
}

int main(int argc, char **argv)
{
	struct options o = { .from = TTHC_ENC_AUTO, .max_size = DEFAULT_MAX_SIZE };
	int status;

	tool_init(argv[0]);
	parse_options(argc, argv, &o);
	if (o.help) {
		help();
		status = EXIT_VALID;
	} else if (o.version) {
		print_version(stdout);
		status = EXIT_VALID;
	} else if (o.text) {
		status = text_mode(&o);
	} else {
		status = dossier_mode(&o);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn(_("cannot write the output: %s"), strerror(errno));
		status = EXIT_TROUBLE;
	}
	return status;
}
