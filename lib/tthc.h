/* SPDX-License-Identifier: MIT */
/* libtthc: validate and process Vietnamese administrative-procedure (TTHC) dossiers. */
#ifndef TTHC_H
#define TTHC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Error model.  Every function that can fail returns 0 or a negative code: -errno for
 * system errors, or one of the project's own codes below (negated).  tthc_strerror()
 * turns any of them into a sentence; tthc_ctx_error() gives the details of the last
 * failure on a context.
 */
enum tthc_error {
	TTHC_E_BASE = 1024,
	TTHC_E_XML,      /* a document could not be parsed */
	TTHC_E_SCHEMA,   /* a schema could not be loaded or compiled */
	TTHC_E_UNKNOWN,  /* an unknown procedure code or rule id */
	TTHC_E_TOOBIG,   /* an input exceeds a configured limit */
	TTHC_E_INTERNAL, /* a library we depend on failed unexpectedly */
	TTHC_E_INVALID,  /* an argument is out of range */
};

/* Returns a static English or translated sentence for a 0 / -errno / -TTHC_E_* code. */
const char *tthc_strerror(int err);

/* Returns the library version, e.g. "0.1.0". */
const char *tthc_version(void);

/*
 * Returns a static string naming the versions of the libraries libtthc was built with
 * and runs against (libxml2, pcre2, utf8proc, OpenSSL, ...), one "name version" pair per
 * line.
 */
const char *tthc_dependency_versions(void);

/* ---- context ------------------------------------------------------------------- */

struct tthc_ctx;

/*
 * Creates a context with the default settings: schemas from the installed data
 * directory (TTHC_SCHEMA_DIR in the environment overrides it), a 32 MiB document limit.
 * Returns 0 and stores the context in *out, or a negative code.
 * A context is read-only once set up and may be shared by threads.
 */
int tthc_ctx_new(struct tthc_ctx **out);
void tthc_ctx_free(struct tthc_ctx *ctx);

/* Returns a sentence describing the last failure on ctx, or "" if there was none. */
const char *tthc_ctx_error(const struct tthc_ctx *ctx);

/* Sets the directory holding hoso.xsd and the procedure schemas.  Returns 0 or -errno. */
int tthc_ctx_set_schema_dir(struct tthc_ctx *ctx, const char *dir);
/* Returns the schema directory in use. */
const char *tthc_ctx_schema_dir(const struct tthc_ctx *ctx);

/* Sets the largest document accepted, in bytes (1 KiB to INT_MAX).  Returns 0 or -EINVAL.
 */
int tthc_ctx_set_max_size(struct tthc_ctx *ctx, size_t bytes);

/* ---- diagnostics ----------------------------------------------------------------- */

enum tthc_severity {
	TTHC_SEV_WARNING = 1,
	TTHC_SEV_ERROR = 2,
};

/* Returns "warning" or "error" (never translated: a stable token for scripts). */
const char *tthc_severity_name(enum tthc_severity sev);

/* One finding about a document: a record the caller formats as it likes. */
struct tthc_diag {
	enum tthc_severity severity;
	const char *rule;    /* stable id, e.g. "TTHC-ID-003" */
	const char *file;    /* the name the caller gave for the document */
	unsigned long line;  /* 1-based line in the document, 0 when not known */
	const char *path;    /* element path, e.g. "/HoSo/NguoiNop/SoDinhDanh", or "" */
	const char *message; /* one sentence, translated to the current locale */
};

/* The findings for one document, in document order within each pass. */
struct tthc_report;

void tthc_report_free(struct tthc_report *report);
/* Returns the number of findings. */
size_t tthc_report_count(const struct tthc_report *report);
/* Returns finding i (0-based), or NULL when i is out of range. */
const struct tthc_diag *tthc_report_get(const struct tthc_report *report, size_t i);
/* Return the number of findings of each severity. */
size_t tthc_report_errors(const struct tthc_report *report);
size_t tthc_report_warnings(const struct tthc_report *report);
/* Returns the document's MaTTHC as written, or NULL when it was not found. */
const char *tthc_report_procedure(const struct tthc_report *report);
/* Returns the name the caller gave for the document. */
const char *tthc_report_file(const struct tthc_report *report);

/* ---- rules ----------------------------------------------------------------------- */

/* A rule the validator applies: a stable id, a severity and a one-line summary. */
struct tthc_rule {
	const char *id;
	enum tthc_severity severity;
	const char *summary; /* English; pass through tthc_gettext() to translate */
};

/* Returns the number of rules; tthc_rule_get(i) returns rule i in id order, or NULL. */
size_t tthc_rule_count(void);
const struct tthc_rule *tthc_rule_get(size_t i);
/* Returns the rule with this id, or NULL. */
const struct tthc_rule *tthc_rule_find(const char *id);

/* Translates a message of libtthc's catalogue into the current locale. */
const char *tthc_gettext(const char *msgid);
/* Translates a message with a plural form chosen by n. */
const char *tthc_ngettext(const char *singular, const char *plural, unsigned long n);

/* ---- procedures ------------------------------------------------------------------ */

/* A procedure of the catalogue. */
struct tthc_procedure {
	const char *code; /* the current national code, e.g. "1.001193" */
	const char *slug; /* e.g. "khai-sinh": also the schema's base name */
	const char *name; /* Vietnamese name */
	const char *form; /* the form element, e.g. "ToKhaiKhaiSinh" */
};

/*
 * Looks a procedure code up: a current or superseded base code, optionally followed by
 * a local-instance suffix (".000.00.00.H29").  Returns 0 and sets *out (and *superseded
 * to 1 when the code is an older one, else 0), or -TTHC_E_UNKNOWN.
 */
int tthc_procedure_find(const char *code, const struct tthc_procedure **out,
                        int *superseded);
/* Returns the number of procedures and procedure i, or NULL. */
size_t tthc_procedure_count(void);
const struct tthc_procedure *tthc_procedure_get(size_t i);

/* ---- personal numbers and dates ------------------------------------------------- */

/* A calendar date that may be known only to the month or the year (month/day 0). */
struct tthc_date {
	int year;
	int month; /* 1..12, or 0 when unknown */
	int day;   /* 1..31, or 0 when unknown */
};

/*
 * Parses an ISO date "YYYY-MM-DD", "YYYY-MM" or "YYYY" (optionally followed by a time
 * after 'T' and a zone, which are ignored: the date is taken as written).
 * Returns 0, or -EINVAL when s is not such a date or not a real calendar day.
 */
int tthc_date_parse(const char *s, struct tthc_date *out);

/* Returns the first and the last day a partial date can stand for. */
void tthc_date_first(const struct tthc_date *d, struct tthc_date *out);
void tthc_date_last(const struct tthc_date *d, struct tthc_date *out);
/* Compares two complete dates: <0, 0, >0. */
int tthc_date_cmp(const struct tthc_date *a, const struct tthc_date *b);
/* Returns the completed years from complete date birth to complete date on. */
int tthc_date_age(const struct tthc_date *birth, const struct tthc_date *on);
/* Returns the number of days from complete date a to complete date b (b - a). */
long tthc_date_days(const struct tthc_date *a, const struct tthc_date *b);

/* The parts of a 12-digit personal identification number. */
struct tthc_idnum {
	int province;     /* PPP, e.g. 79 for 079 */
	int male;         /* 1 male, 0 female (from the century/sex digit) */
	int century_base; /* 1900, 2000, ... */
	int year;         /* full birth year */
};

/*
 * Parses a personal number.  Returns 0; -EINVAL when it is not exactly 12 ASCII digits;
 * -TTHC_E_UNKNOWN when the province prefix is not one of the 63 codes (out is filled all
 * the same).
 */
int tthc_idnum_parse(const char *s, struct tthc_idnum *out);

/* Returns the name of the pre-2025 province with this statistics code, or NULL. */
const char *tthc_province_name(int code);

/* ---- validation ------------------------------------------------------------------ */

/*
 * A validator holds the compiled schemas and patterns.  It is not thread-safe: create
 * one per thread from a shared context.
 */
struct tthc_validator;

/* Returns 0 and stores a new validator in *out, or a negative code. */
int tthc_validator_new(struct tthc_ctx *ctx, struct tthc_validator **out);
void tthc_validator_free(struct tthc_validator *v);

/*
 * Validates the dossier at path.  name is how findings name the file (NULL: path).
 * Attachments are looked up relative to the directory of path.
 * Returns 0 and stores the findings in *out (an unreadable or malformed document is a
 * finding, not a failure); or a negative code when the file cannot be read at all, the
 * schema cannot be loaded or memory runs out (then tthc_validator_error() says why).
 */
int tthc_validator_file(struct tthc_validator *v, const char *path, const char *name,
                        struct tthc_report **out);

/*
 * Validates a dossier held in memory.  basedir is where attachments are looked up
 * (NULL: the current directory).  Returns as tthc_validator_file().
 */
int tthc_validator_memory(struct tthc_validator *v, const char *buf, size_t len,
                          const char *name, const char *basedir,
                          struct tthc_report **out);

/*
 * Validates a dossier read from the open descriptor fd (e.g. standard input), at most the
 * context's size limit plus one byte.  basedir is where attachments are looked up (NULL:
 * the current directory).  Returns as tthc_validator_file().
 */
int tthc_validator_fd(struct tthc_validator *v, int fd, const char *name,
                      const char *basedir, struct tthc_report **out);

/* Returns the last error sentence of this validator, or "". */
const char *tthc_validator_error(const struct tthc_validator *v);

/*
 * Whether attachments are hashed (on by default).  Off, each attachment is still opened,
 * sized and its first bytes checked, but not read through, and TTHC-FILE-005 is never
 * reported: for a caller that reads every attachment anyway and checks its SHA256 itself
 * (the packer hashes each one while copying it, so it is read once).
 */
void tthc_validator_set_digests(struct tthc_validator *v, int on);

/* ---- legacy Vietnamese encodings (lib/vnenc*.c) ------------------------------- */

/* The encodings Vietnamese text arrives in.  TTHC_ENC_AUTO asks for detection. */
enum tthc_enc {
	TTHC_ENC_AUTO = 0,
	TTHC_ENC_UTF8,     /* "utf-8" */
	TTHC_ENC_UTF16,    /* "utf-16": byte-order mark, else little-endian */
	TTHC_ENC_TCVN3,    /* "tcvn3": the ABC fonts, no toned capitals */
	TTHC_ENC_VNI,      /* "vni": VNI-Windows, base letter + mark byte */
	TTHC_ENC_VISCII,   /* "viscii" */
	TTHC_ENC_VPS,      /* "vps" */
	TTHC_ENC_CP1258,   /* "cp1258": Windows-1258, base letter + combining mark */
	TTHC_ENC_VIQR,     /* "viqr": ASCII marks, "Vie^.t Nam" (RFC 1456) */
	TTHC_ENC_TCVN5712, /* "tcvn5712": TCVN 5712:1993 VN1, with toned capitals */
};

/*
 * Returns the encoding a name stands for (the names above, "auto", and the aliases
 * utf8, utf16, abc, vni-windows, windows-1258, tcvn5712-1, in any case), or
 * -TTHC_E_UNKNOWN.
 */
int tthc_enc_from_name(const char *name);
/* Returns the canonical name of an encoding, or NULL when enc is out of range. */
const char *tthc_enc_name(enum tthc_enc enc);

/*
 * A streaming decoder from one encoding to UTF-8 in NFC.  Input may be fed in chunks of
 * any size, split anywhere (inside a UTF-8 sequence, between a letter and its mark);
 * memory stays flat in the input size.  Output goes to a callback as it is ready.
 */
struct tthc_vnconv;

/* Receives decoded UTF-8.  Returns 0, or a negative code that stops the conversion. */
typedef int (*tthc_vnconv_write_fn)(void *arg, const char *buf, size_t len);

/*
 * Creates a decoder from enc (not TTHC_ENC_AUTO: detect first).  Returns 0 and stores
 * it in *out; -EINVAL for a bad enc; -ENOMEM; -TTHC_E_INTERNAL when iconv lacks a
 * charset glibc should have (VISCII, CP1258, TCVN5712-1).
 */
int tthc_vnenc_open(enum tthc_enc from, struct tthc_vnconv **out);

/*
 * TCVN3 case restoration.  TCVN3 has no toned capitals, so its toned letters decode to
 * lower case unless the text makes the case certain: in a word whose other letters are
 * all capitals, at least two of them, the toned letters are capitals too (N G U Y ễ N
 * -> "NGUYỄN"); a word with a single other letter, a capital (H à), is in capitals only
 * when a word next to it on the line is itself certain and has a toned letter ("HÀ NỘI"),
 * so after an abbreviation it stays as written ("UBND Hà Nội").
 * TTHC_VNCONV_NAME says the text is a personal name: the first letter of every word
 * becomes a capital too.  Other encodings ignore the flags.
 */
#define TTHC_VNCONV_NAME 0x1u
/* Sets the flags above.  Returns 0, or -EINVAL for an unknown flag. */
int tthc_vnconv_set_flags(struct tthc_vnconv *conv, unsigned flags);

/*
 * Decodes len bytes of in, passing finished output to write(arg, ...).  Returns 0;
 * -EILSEQ when the input is not valid in the encoding (tthc_vnconv_error() and
 * tthc_vnconv_error_offset() say where; the converter must then be freed or finished);
 * -ENOMEM; or what write returned.
 */
int tthc_vnconv_feed(struct tthc_vnconv *conv, const char *in, size_t len,
                     tthc_vnconv_write_fn write, void *arg);
/*
 * Ends the input: writes what was held back for a mark that might have followed, and
 * resets the converter for a new input.  Returns as tthc_vnconv_feed() (-EILSEQ for a
 * truncated UTF-8 or UTF-16 sequence at the end).
 */
int tthc_vnconv_finish(struct tthc_vnconv *conv, tthc_vnconv_write_fn write, void *arg);
void tthc_vnconv_free(struct tthc_vnconv *conv);
/* Returns a sentence about the last failure ("" if none). */
const char *tthc_vnconv_error(const struct tthc_vnconv *conv);
/* Returns the input byte offset (from the start of the input) of the last failure. */
uint64_t tthc_vnconv_error_offset(const struct tthc_vnconv *conv);

/*
 * Decodes a whole buffer from enc to UTF-8 NFC.  Returns 0 and stores a malloc'ed,
 * NUL-terminated string in *out and its length in *outlen; on -EILSEQ, *out is NULL and
 * *outlen holds the byte offset of the invalid input; else a negative code.
 */
int tthc_vnenc_decode(enum tthc_enc from, const char *in, size_t len, char **out,
                      size_t *outlen);

/*
 * Encodes UTF-8 text (composed to NFC first) into enc: for users writing legacy files
 * back.  UTF-16 is written little-endian with a byte-order mark; TCVN3 writes toned
 * capitals as their lower-case bytes (the fonts have no others).  Returns 0 and stores a
 * malloc'ed, NUL-terminated buffer in *out and its length in *outlen; -EILSEQ when the
 * input is not UTF-8 or holds a character enc cannot write (*out is NULL and *outlen the
 * byte offset of that character in the NFC text); else a negative code.
 */
int tthc_vnenc_encode(enum tthc_enc to, const char *in, size_t len, char **out,
                      size_t *outlen);

/*
 * Guesses the encoding of buf by decoding a sample (the first 64 KiB) with each
 * candidate and scoring the share of words that are Vietnamese syllables.  ASCII is
 * UTF-8 unless at least two words carry VIQR marks that read as syllables (a final . ?
 * or ' is punctuation); valid UTF-8 is UTF-8 unless a legacy reading is clearly better.
 * The confidence is the share of the words with letters beyond ASCII (all words for
 * plain ASCII) that read as syllables, lowered when another encoding reads almost as
 * well and differently.  Works on any piece of text, e.g. one CSV column.  Returns 0
 * and stores the encoding in *out and a confidence between 0 and 1 in *confidence (may
 * be NULL); -EINVAL when len is 0.
 */
int tthc_vnenc_detect(const char *buf, size_t len, enum tthc_enc *out,
                      double *confidence);

/*
 * Returns 1 when s (UTF-8, len bytes, any case) is one well-formed Vietnamese syllable:
 * an initial consonant, a rhyme, at most one tone, a stop final (c ch p t) only with
 * sắc or nặng; else 0.
 */
int tthc_vnsyllable_valid(const char *s, size_t len);

/* ---- field normalisers (lib/fieldnorm.c, lib/tone.c; doc/NORMALIZE.md §1) ---------- */

/*
 * Each normaliser takes one UTF-8 value and returns 0 with *out set to a new string the
 * caller frees (equal to in when it was already canonical; *changed says which), or
 * -EINVAL when the value cannot be normalised (the caller keeps it exactly as it was),
 * or -ENOMEM.
 */
int tthc_norm_date(const char *in, char **out, int *changed);
int tthc_norm_datetime(const char *in, char **out, int *changed);
int tthc_norm_idnum(const char *in, char **out, int *changed);
int tthc_norm_sex(const char *in, char **out, int *changed);

enum tthc_name_case {
	TTHC_NAME_TITLE = 0, /* every syllable capitalised */
	TTHC_NAME_UPPER,
	TTHC_NAME_KEEP,
};
int tthc_norm_name(const char *in, enum tthc_name_case nc, char **out, int *changed);
int tthc_norm_phone(const char *in, char **out, int *changed);
int tthc_norm_place(const char *in, int admin2025, char **out, int *changed);
int tthc_norm_text(const char *in, char **out, int *changed);

enum tthc_tone_style {
	TTHC_TONE_KEEP = 0,
	TTHC_TONE_OLD, /* hòa, thủy: the mark on the first vowel of oa, oe, uy */
	TTHC_TONE_NEW, /* hoà, thuỷ: the mark on the main vowel ("kiểu mới") */
};
int tthc_tone_restyle(const char *in, enum tthc_tone_style st, char **out, int *changed);

/* ---- dossier normaliser (lib/normalize.c; doc/NORMALIZE.md §2) ----------------------
 */

struct tthc_normalizer; /* per thread, like tthc_validator */

struct tthc_norm_options {
	enum tthc_name_case name_case;
	enum tthc_tone_style tone;
	int admin2025; /* add the post-2025 province beside the written one */
};

/* One value changed, or one that could not be normalised (new_value NULL). */
struct tthc_change {
	const char *file;
	unsigned long line;
	const char *path;
	const char *old_value;
	const char *new_value;
	const char
	    *rule; /* "date", "idnum", "sex", "name", "phone", "place", "text", ... */
};

struct tthc_normalized;

/* Returns 0 and a new normaliser in *out, or a negative code. */
int tthc_normalizer_new(struct tthc_ctx *ctx, struct tthc_normalizer **out);
void tthc_normalizer_free(struct tthc_normalizer *n);
void tthc_normalizer_set_options(struct tthc_normalizer *n,
                                 const struct tthc_norm_options *opts);
/*
 * Normalises the dossier at path (or in memory).  Returns 0 and the canonical bytes with
 * the list of changes in *out; or a negative code (-TTHC_E_XML: the document cannot be
 * read as XML; tthc_normalizer_error() says where and why).
 */
int tthc_normalizer_file(struct tthc_normalizer *n, const char *path, const char *name,
                         struct tthc_normalized **out);
int tthc_normalizer_memory(struct tthc_normalizer *n, const char *buf, size_t len,
                           const char *name, struct tthc_normalized **out);
const char *tthc_normalizer_error(const struct tthc_normalizer *n);
/* The canonical document. */
const char *tthc_normalized_data(const struct tthc_normalized *r, size_t *len);
size_t tthc_normalized_count(const struct tthc_normalized *r);
const struct tthc_change *tthc_normalized_get(const struct tthc_normalized *r, size_t i);
/* Returns how many values could not be normalised. */
size_t tthc_normalized_failures(const struct tthc_normalized *r);
void tthc_normalized_free(struct tthc_normalized *r);

/* ---- text normaliser (lib/textnorm.c): tthc-normalize --text ------------------------
 */

/*
 * Detection reads a sample before anything is converted: the first
 * TTHC_TEXTNORM_SAMPLE bytes of plain text, the first TTHC_TEXTNORM_CSV_SAMPLE bytes of
 * CSV (all that follows is decoded as that sample decided).  Memory stays flat.
 */
#define TTHC_TEXTNORM_SAMPLE (64 * 1024)
#define TTHC_TEXTNORM_CSV_SAMPLE (1024 * 1024)

struct tthc_textnorm_options {
	enum tthc_enc from; /* TTHC_ENC_AUTO: detect per input (per column in CSV) */
	enum tthc_tone_style tone; /* TTHC_TONE_KEEP: tone marks stay where they are */
	/*
	 * CSV (RFC 4180 quoting; delimiter , ; tab or | as the first record uses most):
	 * when the columns' encodings disagree, each field is decoded with its column's;
	 * in a column whose fields disagree, a field that is valid UTF-8 and reads better
	 * so is UTF-8; quotes and delimiters stay as written.
	 */
	int csv;
};

/* Converts text inputs one after the other to UTF-8 in NFC.  Not thread-safe. */
struct tthc_textnorm;

/* Returns 0 and a new converter in *out; -EINVAL for bad options; -ENOMEM. */
int tthc_textnorm_new(const struct tthc_textnorm_options *opts,
                      struct tthc_textnorm **out);
void tthc_textnorm_free(struct tthc_textnorm *t);
/*
 * Takes the next len bytes of the current input and passes converted text to write
 * (possibly later: detection holds the sample back).  Returns 0; -EILSEQ when the input
 * is not valid in its encoding, or detection cannot tell the encoding (a legacy guess
 * below 0.50, or mostly UTF-8 with invalid bytes) (tthc_textnorm_error() says where or
 * the best guess); -ENOMEM; or what
 * write returned.  After a failure, call tthc_textnorm_finish() before the next input.
 */
int tthc_textnorm_feed(struct tthc_textnorm *t, const char *in, size_t len,
                       tthc_vnconv_write_fn write, void *arg);
/* Ends the current input: writes what was held back.  Returns as tthc_textnorm_feed(). */
int tthc_textnorm_finish(struct tthc_textnorm *t, tthc_vnconv_write_fn write, void *arg);
/*
 * Only detects: decides as tthc_textnorm_feed() would from buf (the start of an input,
 * at most TTHC_TEXTNORM_CSV_SAMPLE bytes are looked at; at_end: buf is the whole input)
 * and keeps the verdict for the queries below.  Returns 0 or -ENOMEM.
 */
int tthc_textnorm_detect(struct tthc_textnorm *t, const char *buf, size_t len,
                         int at_end);
/*
 * The verdict for the last input (known once its sample was read): the encoding and a
 * confidence between 0 and 1; TTHC_ENC_AUTO when CSV columns disagree and are decoded
 * each with its own (the confidence is then the lowest of theirs).
 */
enum tthc_enc tthc_textnorm_encoding(const struct tthc_textnorm *t, double *confidence);
/* CSV: the number of columns in the sample and the verdict for column i (0-based);
 * TTHC_ENC_AUTO for a column with nothing beyond ASCII, which reads alike in all. */
size_t tthc_textnorm_columns(const struct tthc_textnorm *t);
enum tthc_enc tthc_textnorm_column(const struct tthc_textnorm *t, size_t i,
                                   double *confidence);
/* Returns a sentence about the last failure, e.g. "not valid tcvn3 at byte 812", or "".
 */
const char *tthc_textnorm_error(const struct tthc_textnorm *t);

/* ---- unified diff (lib/diff.c) ------------------------------------------------------
 */

/*
 * Compares two texts line by line (Myers' algorithm, linear space) and writes the
 * differences as diff -u does: "--- old_label", "+++ new_label", then hunks with context
 * lines of context; "\ No newline at end of file" after a last line without one.
 * Returns 0 and stores a malloc'ed, NUL-terminated text in *out (empty when the texts are
 * equal) and its length in *outlen; or -ENOMEM.
 */
int tthc_diff_unified(const char *old, size_t oldlen, const char *new_text, size_t newlen,
                      const char *old_label, const char *new_label, unsigned context,
                      char **out, size_t *outlen);

/* ---- bundles: packing (lib/bundle.c; doc/BUNDLE.md) ------------------------------ */
/* (section owned by the pack work: declarations go between these two lines) */
/*
 * A bundle is one dossier and its attachments as an E-ARK SIP in a ZIP: <OBJID>.zip
 * (doc/BUNDLE.md, tthc-bundle(5)).  Packing streams: each attachment is read once,
 * hashed while libzip copies it, and memory stays flat in the attachment sizes.
 */
struct tthc_bundle;

/* What the caller did to the dossier before packing: recorded as PREMIS events. */
struct tthc_bundle_events {
	size_t errors, warnings; /* the validator's findings */
	int normalized;          /* 0: normalisation not performed */
	size_t changes;          /* values the normaliser changed */
};

struct tthc_bundle_options {
	const char *id; /* OBJID (letters, digits, '.', '_', '-'); NULL: from MaHoSo */
	int have_epoch; /* timestamps from epoch (SOURCE_DATE_EPOCH), not NgayTiepNhan */
	long long epoch;
	const char *settings; /* the caller's options in words; goes into the stamp */
};

/*
 * Reads the dossier in buf (the bytes as given, before any normalisation) for packing:
 * its MaHoSo, procedure, agency, receipt time and TaiLieuNop.  Attachments are opened
 * beneath basedir (NULL: the current directory).  name is how messages name the dossier.
 * Computes the stamp (tthc_bundle_stamp) from buf, opts and the attachments' sizes.
 * Returns 0 and stores the bundle in *out; -TTHC_E_XML when buf is no dossier;
 * -TTHC_E_INVALID for an --id or a MaHoSo that gives no usable OBJID; -errno when an
 * attachment cannot be opened; -ENOMEM.  On failure *out is still set when it is not
 * NULL, so that tthc_bundle_error() can say why: free it.
 */
int tthc_bundle_open(struct tthc_ctx *ctx, const char *buf, size_t len, const char *name,
                     const char *basedir, const struct tthc_bundle_options *opts,
                     struct tthc_bundle **out);
/* Returns the package id: the ZIP is <OBJID>.zip and its root folder <OBJID>/. */
const char *tthc_bundle_objid(const struct tthc_bundle *b);
/* Returns the stamp the ZIP comment will hold ("tthc-stamp/1 " + 64 hex digits). */
const char *tthc_bundle_stamp(const struct tthc_bundle *b);
/*
 * Returns 1 when the ZIP at path was made from the same inputs (its comment holds this
 * stamp) and is newer than every attachment and than newest_input_ns (the dossier's
 * mtime in nanoseconds since the epoch, or 0); 0 when not (or it does not exist).
 */
int tthc_bundle_current(const struct tthc_bundle *b, const char *path,
                        long long newest_input_ns);
/*
 * Sets the dossier bytes stored as metadata/descriptive/hoso.xml (e.g. normalised);
 * without this call, the bytes given to tthc_bundle_open().  They are read again for
 * the portal message, and must give the same OBJID.  Returns 0, -TTHC_E_XML,
 * -TTHC_E_INVALID or -ENOMEM.
 */
int tthc_bundle_set_dossier(struct tthc_bundle *b, const char *buf, size_t len);
void tthc_bundle_set_events(struct tthc_bundle *b, const struct tthc_bundle_events *ev);
/*
 * Writes the ZIP to fd (an empty regular file open for reading and writing; the caller
 * syncs and renames it).  Returns 0; -errno for I/O; -TTHC_E_INVALID when an attachment
 * changed while being packed (its bytes no longer match its SHA256 or its size);
 * -TTHC_E_INTERNAL when libzip fails.  tthc_bundle_error() says more.
 */
int tthc_bundle_write(struct tthc_bundle *b, int fd);
/* Returns a sentence about the last failure on b, or "". */
const char *tthc_bundle_error(const struct tthc_bundle *b);
void tthc_bundle_free(struct tthc_bundle *b);
/* ---- end of packing ---- */

/* ---- bundles: verifying (lib/verify.c; doc/BUNDLE.md) ---------------------------- */
/* (section owned by the verify work: declarations go between these two lines) */

/*
 * A verifier checks bundles (doc/BUNDLE.md): E-ARK SIPs as a ZIP file or an unpacked
 * folder, made by tthc-pack or by other E-ARK tooling.  Archive safety comes first
 * (names, links, duplicates, sizes counted while decompressing), then the CSIP and SIP
 * requirements (findings carry the requirement id, e.g. "CSIP69"), then, with the tthc
 * profile, the dossier inside and the portal message.  Not thread-safe: one per thread.
 */
struct tthc_verifier;

enum tthc_verify_profile {
	TTHC_PROFILE_AUTO = 0, /* tthc when the bundle carries our dossier, else sip */
	TTHC_PROFILE_CSIP,     /* the CSIP requirements only */
	TTHC_PROFILE_SIP,      /* CSIP and SIP */
	TTHC_PROFILE_TTHC,     /* CSIP, SIP, the dossier and the portal message */
};

/* Bounds on what a ZIP may hold, checked on the bytes actually read.  0: the default. */
struct tthc_verify_limits {
	uint64_t max_entries; /* entries in the archive (default 10000) */
	uint64_t max_total;   /* bytes once decompressed, all entries (default 64 GiB) */
	uint64_t max_ratio; /* decompressed / compressed bytes of an entry (default 200),
	                       checked once an entry has given more than 1 MiB */
};

/* Returns 0 and a new verifier in *out, or a negative code. */
int tthc_verify_new(struct tthc_ctx *ctx, struct tthc_verifier **out);
void tthc_verify_free(struct tthc_verifier *v);
/* Sets the profile (TTHC_PROFILE_AUTO by default).  Returns 0 or -EINVAL. */
int tthc_verify_set_profile(struct tthc_verifier *v, enum tthc_verify_profile profile);
/* Sets the limits (NULL or 0 fields: the defaults).  Returns 0. */
int tthc_verify_set_limits(struct tthc_verifier *v, const struct tthc_verify_limits *lim);
/*
 * Also validates every METS document against the METS schema at path (mets.xsd, which
 * tthc does not ship).  Returns 0, or -TTHC_E_SCHEMA when it cannot be compiled (then
 * tthc_verify_error() says why).
 */
int tthc_verify_set_mets_schema(struct tthc_verifier *v, const char *path);
/* Returns the profile's name ("csip", "sip", "tthc"; "auto"), or NULL. */
const char *tthc_verify_profile_name(enum tthc_verify_profile profile);

/*
 * Verifies the bundle at path (a ZIP file or a folder).  name is how findings name it
 * (NULL: path); a finding about a file inside reads "name!ROOT/path/in/bundle".
 * Returns 0 and the findings in *out (an unsafe or broken archive is a finding); or a
 * negative code when path cannot be read at all or memory runs out (then
 * tthc_verify_error() says why).
 */
int tthc_verify_bundle(struct tthc_verifier *v, const char *path, const char *name,
                       struct tthc_report **out);
/* Returns the profile the last bundle was checked with. */
enum tthc_verify_profile tthc_verify_profile_used(const struct tthc_verifier *v);

/*
 * Unpacks the bundle tthc_verify_bundle() last checked, which must have been valid (no
 * error), into the existing folder dir: its root folder is created there (never an
 * existing one), every folder with mkdirat and every file under a temporary name with
 * O_EXCL | O_NOFOLLOW, renamed once whole and checked against its verified digest.
 * Nothing is written outside dir; on failure everything created is removed.
 * Returns 0; -EEXIST when the root folder exists; -EINVAL when the last bundle was not
 * valid; or another negative code (tthc_verify_error() says why).
 */
int tthc_verify_extract(struct tthc_verifier *v, const char *dir);

/* Returns a sentence about the last failure, or "". */
const char *tthc_verify_error(const struct tthc_verifier *v);
/* ---- end of verifying ---- */

#ifdef __cplusplus
}
#endif

#endif
