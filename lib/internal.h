/* SPDX-License-Identifier: MIT */
/* Declarations shared by the files of libtthc and not exported. */
#ifndef TTHC_INTERNAL_H
#define TTHC_INTERNAL_H

#include <stdarg.h>
#include <sys/types.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

#include "tthc.h"

#define TTHC_NS "urn:tthc:hoso:1"
#define TTHC_EXPORT __attribute__((visibility("default")))
#define TTHC_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Marks a string for translation without translating it here. */
#define N_(s) (s)
#define _(s) tthc_gettext(s)

/* Findings kept per document at the most; past it they are counted (in the error and
 * warning totals) but not kept. */
#define TTHC_MAX_FINDINGS 500

struct tthc_ctx {
	char *schema_dir;
	size_t max_size;
	char error[512];
};

/* Records a failure on ctx (printf-style) and returns err. */
int tthc_ctx_fail(struct tthc_ctx *ctx, int err, const char *fmt, ...) TTHC_PRINTF(3, 4);

/* ---- reports ---- */
struct tthc_report *tthc_report_new(const char *file);
/*
 * Adds a finding.  The severity is the rule's (from the rule table).  fmt is already
 * translated.  Returns 0 or -ENOMEM.
 */
int tthc_report_add(struct tthc_report *r, const char *rule, unsigned long line,
                    const char *path, const char *fmt, ...) TTHC_PRINTF(5, 6);
int tthc_report_vadd(struct tthc_report *r, const char *rule, unsigned long line,
                     const char *path, const char *fmt, va_list ap) TTHC_PRINTF(5, 0);
/*
 * Adds a finding whose id is not in the rule table (E-ARK requirement ids, the bundle
 * checks' own ids): id must be a string that outlives the report (a literal); the
 * severity is given.  file names the finding's file when it is not the report's own
 * (NULL: the report's).  fmt is already translated.  Returns 0 or -ENOMEM.
 */
int tthc_report_add_id(struct tthc_report *r, const char *id, enum tthc_severity sev,
                       const char *file, unsigned long line, const char *path,
                       const char *fmt, ...) TTHC_PRINTF(7, 8);
int tthc_report_set_procedure(struct tthc_report *r, const char *code);
/* Orders findings by line, keeping the order of findings on the same line. */
void tthc_report_sort(struct tthc_report *r);

/* ---- the document being validated, as the rule passes see it ---- */
struct tthc_vdoc {
	struct tthc_validator *v;
	xmlDocPtr doc;
	xmlNodePtr root;                   /* HoSo */
	xmlNodePtr form;                   /* the procedure's form element, or NULL */
	const struct tthc_procedure *proc; /* NULL when MaTTHC is unknown */
	const char *basedir;               /* where attachments are looked up */
	struct tthc_report *report;
	struct tthc_date receipt; /* NgayTiepNhan's date part */
	int have_receipt;
};

/*
 * Reports rule id about node (its line and path are taken from it; node may be NULL).
 * fmt is the English msgid: it is translated here.
 */
void tthc_vdoc_report(struct tthc_vdoc *d, xmlNodePtr node, const char *rule,
                      const char *fmt, ...) TTHC_PRINTF(4, 5);

/* Returns the first child element of parent named name in our namespace, or NULL. */
xmlNodePtr tthc_child(xmlNodePtr parent, const char *name);
/* Returns the next sibling element of node named like it (same name), or NULL. */
xmlNodePtr tthc_next_same(xmlNodePtr node);
/* Returns 1 when node is an element named name in our namespace. */
int tthc_is(xmlNodePtr node, const char *name);
/*
 * Returns the text of an element whose content is text only (pointer into the tree, ""
 * when empty), or NULL when node is NULL or has element children.
 */
const char *tthc_text(xmlNodePtr node);
/* Returns the text of parent's child name, or NULL. */
const char *tthc_child_text(xmlNodePtr parent, const char *name);
/*
 * Returns the element after node in document order, staying inside top's subtree, or
 * NULL at the end.  With descend 0, node's own children are skipped.  Iterative, so deep
 * documents cannot exhaust the stack.
 */
xmlNodePtr tthc_next_element(xmlNodePtr node, xmlNodePtr top, int descend);
/*
 * Copies s into buf without the leading and trailing XML blanks (space, tab, CR, LF),
 * as a schema sees a token.  Returns buf, or NULL when s is NULL or does not fit.
 */
const char *tthc_trim(const char *s, char *buf, size_t size);
/*
 * Makes every element whose content is text into one text node: text and CDATA joined,
 * comments and PIs inside the value dropped, as the schema sees the value.  Then no rule
 * reads only the part of a value before a comment.  Returns 0 or -1 (out of memory).
 */
int tthc_join_values(xmlNodePtr root);
/* Writes node's path (/HoSo/TaiLieuNop/TepDinhKem[2]/DuongDan) into buf. */
void tthc_node_path(xmlNodePtr node, char *buf, size_t size);

/* ---- rule passes (lib/rules_*.c); each reports through tthc_vdoc_report ---- */
void tthc_rules_codes(struct tthc_vdoc *d); /* TTHC-CODE-* */
void tthc_rules_idnum(struct tthc_vdoc *d); /* TTHC-ID-* */
void tthc_rules_dates(struct tthc_vdoc *d); /* TTHC-DATE-*, TTHC-AGE-*, MAR, LLTP */
void tthc_rules_files(struct tthc_vdoc *d); /* TTHC-FILE-* */
void tthc_rules_text(struct tthc_vdoc *d);  /* TTHC-TEXT-* */

/* Compiled patterns a validator keeps for the code rules (lib/rules_code.c). */
struct tthc_patterns;
int tthc_patterns_new(struct tthc_patterns **out);
void tthc_patterns_free(struct tthc_patterns *p);
struct tthc_patterns *tthc_validator_patterns(struct tthc_validator *v);

/* Buffers a validator lends its rule passes, kept from file to file (lib/validator.c). */
#define TTHC_SCRATCH_SIZE (64 * 1024)
struct tthc_scratch {
	unsigned char *buf; /* TTHC_SCRATCH_SIZE bytes */
	EVP_MD_CTX *md_ctx;
	EVP_MD *sha256; /* fetched once: a fetch per file costs more than the hash */
	int no_digest;  /* tthc_validator_set_digests(v, 0): read the first bytes only */
};
struct tthc_scratch *tthc_validator_scratch(struct tthc_validator *v);

/*
 * Whether a file named path, whose first len bytes are head (up to TTHC_MAGIC_HEAD are
 * looked at), starts as files of its extension do (PDF, JPEG, PNG, TIFF, ZIP, XML; other
 * extensions are not checked).  Returns NULL when it does, else how they start, with
 * *ext (when ext is not NULL) pointing at the extension in path (lib/rules_file.c).
 */
#define TTHC_MAGIC_HEAD 512
const char *tthc_magic_mismatch(const char *path, const unsigned char *head, size_t len,
                                const char **ext);

/* ---- reading untrusted XML (lib/xmlsafe.c) ---- */

/*
 * Opens path (relative, from untrusted input) read-only beneath dirfd (lib/openat.c).
 * Symbolic links are followed only while they stay beneath (openat2 RESOLVE_BENEATH); on
 * kernels or sandboxes without openat2 no link is followed at all.  An absolute path or
 * a ".." component fails with EXDEV, a link on the way with ELOOP or ENOTDIR.  Returns
 * the descriptor (O_NONBLOCK, O_CLOEXEC) or -1 with errno set.
 */
int tthc_open_beneath(int dirfd, const char *path);
/* The fallback of tthc_open_beneath(): no link followed.  Exposed for the unit tests. */
int tthc_open_walk(int dirfd, const char *path, int flags);

/* ---- a growable byte buffer (lib/buf.c) ---- */
struct tthc_buf {
	char *p; /* NUL-terminated after its n bytes once anything was added */
	size_t n, cap;
};
/* Appends n bytes of s.  Returns 0 or -ENOMEM (then the buffer is as it was). */
int tthc_buf_add(struct tthc_buf *b, const char *s, size_t n);

/* ---- Unicode (lib/unicode.c); strings are valid UTF-8 ---- */
/* Returns 1 when the code point starting at lead is NFC whatever surrounds it. */
int tthc_cp_nfc_stable(const unsigned char *lead);
/* Returns 1 when s is certainly NFC without normalising it (0: it may not be). */
int tthc_nfc_quick(const char *s);
/* Returns a new NFC copy of s (the caller frees), or NULL when memory runs out. */
char *tthc_nfc_dup(const char *s);

/* Sets up libxml2 once per process: error capture, no network loader. */
void tthc_xml_init(void);

/* What went wrong reading a document (or compiling a schema). */
struct tthc_xml_error {
	int doctype; /* stopped at a DOCTYPE, at doctype_line */
	unsigned long doctype_line;
	int nomem;
	int too_big;        /* stopped: the tree would pass its budget (error says so) */
	int have_error;     /* error and error_line hold the first telling message */
	int error_internal; /* the kept error is libxml2's vague "internal error" */
	unsigned long error_line;
	char error[256];
};

/* A parser context and read buffer reused from document to document (one per thread). */
struct tthc_xmlsafe {
	xmlParserCtxtPtr pctxt;
	char *readbuf;
	size_t readbuf_size;
};

/*
 * What the tree of a dossier (and the parser's input) may take.  libxml2 builds a tree of
 * ten times a document's size, and of thirty or more for one of little but elements and
 * attributes: a real dossier of 4 KB takes some 40 KB, and a hostile one of 29 MB took
 * 1.9 GB.  The document itself (up to the size limit, 32 MiB), this and what a tool needs
 * besides (some 12 MiB) stay under 64 MiB.
 */
#define TTHC_DOSSIER_TREE (16u << 20)

/*
 * Parses buf with no network, no DTD and no entities: stops at a DOCTYPE, and once the
 * tree would take more than TTHC_DOSSIER_TREE.  Returns the document, or NULL with *err
 * saying why (doctype, too_big, nomem, or have_error and the message; none of them: an
 * empty document).
 */
xmlDocPtr tthc_xmlsafe_parse(struct tthc_xmlsafe *x, const char *buf, size_t len,
                             const char *name, struct tthc_xml_error *err);
/*
 * Reads fd into x->readbuf, at most a little past max bytes, so an oversized input is
 * known without reading it all.  Returns the number of bytes read or -errno.
 */
ssize_t tthc_xmlsafe_read(struct tthc_xmlsafe *x, int fd, size_t max);
/* Gives back a read buffer grown large by one big document. */
void tthc_xmlsafe_shrink(struct tthc_xmlsafe *x);
void tthc_xmlsafe_release(struct tthc_xmlsafe *x);
/* A libxml2 structured error handler filling the struct tthc_xml_error it is given. */
void tthc_xml_on_error(void *data, xmlErrorPtr err);
/* A libxml2 structured error handler that drops everything. */
void tthc_xml_ignore_error(void *data, xmlErrorPtr err);
/* Copies a libxml2 message as one line, without its final newline. */
void tthc_xml_chomp_copy(char *dst, size_t size, const char *src);

/*
 * A parse within a memory budget.  Each node, attribute, text and new name is counted
 * at what its tree will take before libxml2's SAX2 handler allocates it; past the
 * limit the parser is stopped and err->too_big set.  The parser's context points to it
 * (_private) for the length of one document.
 */
struct tthc_xml_budget {
	struct tthc_xml_error *err; /* too_big and doctype are set here */
	size_t limit;               /* bytes the tree and the parser's input may take */
	size_t tree;                /* bytes the tree takes so far, as counted */
	size_t dict;                /* names in the dictionary when last counted */
};
/*
 * Makes pc's SAX2 handlers count against the budget in pc->_private, and stop at a
 * DOCTYPE.  Once per context, after XML_PARSE_NOBLANKS when it is used (XML_PARSE_SAX1
 * would leave elements uncounted).
 */
void tthc_xml_budget_handlers(xmlParserCtxtPtr pc);
/* Starts a document on pc: b counts from nothing, pc->_private points to it. */
void tthc_xml_budget_start(struct tthc_xml_budget *b, xmlParserCtxtPtr pc, size_t limit,
                           struct tthc_xml_error *err);
/*
 * Says whether the parser may be given more bytes of input: the input libxml2 holds
 * counts with the tree.  Returns 0, or -1 with err->too_big set (the parser is not
 * stopped: the caller gives it no more).
 */
int tthc_xml_budget_input(xmlParserCtxtPtr pc, size_t more);

/* The scan of a document, piece by piece, for elements with too many attributes. */
struct tthc_xml_scan {
	int state;
	const char *skip; /* what ends the markup being skipped ("-->", "]]>" or "?>") */
	size_t matched;   /* how much of it was seen */
	unsigned char quote;
	unsigned attrs;
	unsigned long line;
	/*
	 * Code units of UTF-16 or UTF-32, told by the first bytes: a byte of a wide
	 * character can be '"' or '=', so such a document is scanned unit by unit.
	 */
	int width;     /* 0: not known yet; 1: bytes; 2 or 4: wide units */
	int big;       /* wide units are big-endian */
	unsigned char part[4];
	size_t nparts; /* bytes of a unit split across pieces */
};
void tthc_xml_scan_start(struct tthc_xml_scan *s);
/*
 * libxml2 2.9 checks each attribute of an element against all the earlier ones, so one
 * element with a million attributes keeps a worker busy for hours.  Scans the next piece
 * of a document before the parser sees it.  Returns 0, or 1 with err saying at which
 * line an element has too many.
 */
int tthc_xml_scan(struct tthc_xml_scan *s, const char *p, size_t n,
                  struct tthc_xml_error *err);

/* ---- which normaliser an element gets, from the schemas' types (lib/schematypes.c) ----
 */
enum tthc_nkind {
	TTHC_NK_ELEMENTS = 0, /* element content: a complex type */
	TTHC_NK_TEXT,         /* free text (xs:string and its restrictions) */
	TTHC_NK_TOKEN,        /* codes and numbers (xs:token, numeric built-ins) */
	TTHC_NK_KEEP,         /* kept byte for byte (file paths) */
	TTHC_NK_NAME,
	TTHC_NK_PLACE,
	TTHC_NK_DATE,     /* a date, or a month or a year alone */
	TTHC_NK_FULLDATE, /* a date only (xs:date): a month or a year alone is refused */
	TTHC_NK_DATETIME,
	TTHC_NK_IDNUM,
	TTHC_NK_DOCNUM, /* an identity document number: a personal number for some types
	                 */
	TTHC_NK_SEX,
	TTHC_NK_PHONE,
};
struct tthc_stmap;
/*
 * Reads every *.xsd in dir as plain XML and builds the content models.  Returns 0 and the
 * map in *out, or a negative code with a sentence in err.
 */
int tthc_stmap_load(const char *dir, struct tthc_stmap **out, char *err, size_t errsize);
void tthc_stmap_free(struct tthc_stmap *m);
/* The kind of a global element and its content model (*model, -1 when none). */
enum tthc_nkind tthc_stmap_root(const struct tthc_stmap *m, const char *name, int *model);
/*
 * The kind of the child element name of content model parent, and its own model; where
 * the schemas do not declare it there, what every declaration of that name agrees on.
 */
enum tthc_nkind tthc_stmap_child(const struct tthc_stmap *m, int parent, const char *name,
                                 int *model);

/* ---- field normalisers (lib/fieldnorm.c) ---- */

/*
 * Folds s for matching: lower case, no diacritics, đ as d ("Đắk Lắk" -> "dak lak").
 * Returns 0 and a new string in *out, -EINVAL for bad UTF-8, or -ENOMEM.
 */
int tthc_fold(const char *s, char **out);

#endif
