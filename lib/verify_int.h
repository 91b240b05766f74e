/* SPDX-License-Identifier: MIT */
/* Declarations shared by the bundle verifier's files (lib/verify*.c, lib/zipsafe.c). */
#ifndef TTHC_VERIFY_INT_H
#define TTHC_VERIFY_INT_H

#include <stdint.h>
#include <zip.h>
#include <libxml/tree.h>

#include "internal.h"

/* ---- a package: a ZIP or a folder, read safely (lib/zipsafe.c) ---- */

/* One file or folder of the package. */
struct tthc_pkg_entry {
	char *name;         /* as stored: "<root>/METS.xml"; folders end without '/' */
	const char *rel;    /* name after "<root>/" ("" for the root folder itself) */
	uint64_t size;      /* declared (ZIP) or found (folder) size */
	uint64_t csize;     /* compressed size (ZIP) */
	zip_uint64_t index; /* ZIP entry index */
	uint64_t header;    /* ZIP, stored: local header offset, or TTHC_NO_HEADER */
	uint32_t crc;       /* ZIP: its CRC-32, from the central directory */
	int is_dir;
	int stored;    /* ZIP: not compressed */
	int first_ref; /* first reference to this file (verify.c), -1: none */
};

struct tthc_pkg {
	const char *display; /* what findings name: the bundle's path */
	struct tthc_report *report;
	const struct tthc_verify_limits *lim;
	zip_t *za;         /* a ZIP, or NULL for a folder */
	int zipfd;         /* a ZIP: the archive, which libzip reads too; else -1 */
	uint64_t data_end; /* a ZIP: the central directory's offset */
	int rootfd;        /* a folder: the root folder, else -1 */
	char *root;        /* the one root folder's name, NULL when there is none */
	struct tthc_pkg_entry *e; /* sorted by name */
	size_t n, alloc;
	uint64_t total;     /* bytes decompressed so far, all entries together */
	int unsafe;         /* an archive-safety finding: nothing more is read */
	uint64_t name_cost; /* the names' lengths times their depths, summed */
	unsigned char *buf; /* TTHC_PKG_CHUNK bytes for streaming */
	char error[256];    /* why a read failed (I/O), for the caller */
};

/* Large reads: a stored attachment of a gigabyte goes by in a thousand of them. */
#define TTHC_PKG_CHUNK (1024 * 1024)
#define TTHC_NO_HEADER UINT64_MAX

/*
 * Opens path (a ZIP file or a folder) and lists it, checking every name, the entry
 * count, declared sizes and the single root folder.  Unsafe content is reported in
 * report (archive findings name display!entry) and sets p->unsafe.  Returns 0, or a
 * negative code when path cannot be read at all (p->error says why).
 */
int tthc_pkg_open(struct tthc_pkg *p, const char *path, const char *display,
                  const struct tthc_verify_limits *lim, struct tthc_report *report);
void tthc_pkg_close(struct tthc_pkg *p);

/* Returns the entry at rel (a path under the root folder), or NULL. */
struct tthc_pkg_entry *tthc_pkg_find(struct tthc_pkg *p, const char *rel);

/* Receives the bytes of an entry as they are read.  Returns 0 or a negative code. */
typedef int (*tthc_pkg_sink)(void *arg, const unsigned char *buf, size_t len);

/*
 * Reads a file entry to its end, passing its bytes to sink, counting them against the
 * limits (total, ratio) and against its declared size.  A broken or hostile entry is
 * reported (TTHC-ZIP-001 / -005) and gives -TTHC_E_TOOBIG or -TTHC_E_XML (no more
 * reading is useful); an I/O failure gives -errno with p->error set.
 */
int tthc_pkg_stream(struct tthc_pkg *p, struct tthc_pkg_entry *e, tthc_pkg_sink sink,
                    void *arg);

/*
 * Reads a small file entry into a malloc'd, NUL-terminated buffer of at most max bytes.
 * Returns 0, -EFBIG when it is larger, or as tthc_pkg_stream().
 */
int tthc_pkg_read(struct tthc_pkg *p, struct tthc_pkg_entry *e, size_t max, char **buf,
                  size_t *len);

/* Returns the CRC-32 (zlib's) of len more bytes after crc (0 to start). */
uint32_t tthc_crc32(uint32_t crc, const void *buf, size_t len);

/* Reports an archive finding about entry name (NULL: the archive as a whole). */
void tthc_pkg_report(struct tthc_pkg *p, const char *id, const char *name,
                     const char *fmt, ...) TTHC_PRINTF(4, 5);

/* ---- METS (lib/verify_mets.c) ---- */

enum tthc_digest_alg {
	TTHC_DIG_NONE = 0,
	TTHC_DIG_MD5,
	TTHC_DIG_SHA1,
	TTHC_DIG_SHA256,
	TTHC_DIG_SHA384,
	TTHC_DIG_SHA512,
	TTHC_DIG_COUNT
};

/* A file a METS document refers to, with what it must be. */
struct tthc_ref {
	char *rel;        /* resolved path under the root folder */
	const char *mets; /* the METS entry name (display!entry) that says so */
	unsigned long line;
	int64_t size;             /* -1: not given */
	enum tthc_digest_alg alg; /* TTHC_DIG_NONE: none we can compute */
	char checksum[132];       /* lower-case hex */
	const char *id_missing, *id_size, *id_sum; /* requirement ids to report with */
	int listing; /* a METS listing: the file is part of the package */
	int next;    /* next reference to the same entry, -1 */
};

/* One METS document being checked. */
struct tthc_mets {
	struct tthc_verifier *v;
	xmlDocPtr doc;
	xmlNodePtr root;
	const char *file;   /* display!entry, for findings */
	const char *base;   /* folder of the METS file under the root folder: "" or
	                       "representations/rep1/" */
	const char *folder; /* the name of the folder it describes */
	int is_rep;         /* a representation METS */
};

/* Parsing and requirement checks of one METS document; refs go to the verifier. */
void tthc_mets_check(struct tthc_mets *m);

/* What lib/verify.c offers the other verify files. */
struct tthc_verifier {
	struct tthc_ctx *ctx;
	struct tthc_validator *validator;
	struct tthc_xmlsafe xml;
	struct tthc_verify_limits lim;
	enum tthc_verify_profile profile;
	void *mets_schema; /* xmlSchemaPtr, or NULL */
	char *mets_schema_path;
	struct tthc_pkg pkg;
	char *display; /* the bundle's name in findings (pkg.display) */
	struct tthc_report *report;
	struct tthc_ref *refs;
	size_t nrefs, refs_alloc;
	size_t refs_cost; /* bytes the references and reps take, as counted */
	int refs_full;    /* a reference was refused: no room for more */
	char **reps;      /* representation METS paths (rel) the root METS points to */
	size_t nreps;
	size_t reps_counted; /* reps counted in refs_cost */
	char **names;        /* display!entry strings kept for the report's lifetime */
	size_t nnames;
	char *hoso_buf; /* the dossier (metadata/descriptive/hoso.xml), when there */
	size_t hoso_len;
	xmlDocPtr hoso;
	const char *hoso_name;         /* display!entry */
	enum tthc_verify_profile used; /* the profile the last bundle was checked with */
	int valid;      /* the last bundle was valid: --extract may go on */
	int no_listing; /* the root METS could not be read: nothing is listed */
	char error[512];
};

/* Returns a "display!entry" string kept until the next bundle. */
const char *tthc_verify_name(struct tthc_verifier *v, const char *entry);
/* Reports a finding about file (display!entry) at line. */
void tthc_verify_report(struct tthc_verifier *v, const char *id, enum tthc_severity sev,
                        const char *file, unsigned long line, const char *fmt, ...)
    TTHC_PRINTF(6, 7);
/* Adds a reference; returns 0 or -ENOMEM. */
int tthc_verify_add_ref(struct tthc_verifier *v, const struct tthc_ref *ref);
/* Returns the algorithm named by a METS CHECKSUMTYPE, TTHC_DIG_NONE when unknown. */
enum tthc_digest_alg tthc_digest_alg_from_name(const char *name);
/*
 * Resolves an xlink:href relative to base (percent-decoding, an optional "file:"
 * prefix).  Returns a malloc'd path under the root folder, or NULL when the reference
 * leaves the package or is not a relative path.
 */
char *tthc_verify_resolve(const char *base, const char *href);

/* ---- content: our dossier and the portal message (lib/verify_portal.c) ---- */

/*
 * Runs the tthc profile's checks: the dossier through the validator, the portal message
 * against it, and references (checked with the other files) from each attachment to its
 * data file.  Returns 0, or a negative code when the validator cannot run.
 */
int tthc_verify_content(struct tthc_verifier *v);
/* Returns 1 when the package carries our dossier (hoso.xml with our namespace). */
int tthc_verify_has_dossier(struct tthc_verifier *v);

#endif
