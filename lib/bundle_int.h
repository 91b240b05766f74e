/* SPDX-License-Identifier: MIT */
/* What lib/bundle.c (the ZIP) and lib/mets.c (METS, PREMIS, portal JSON) share. */
#ifndef TTHC_BUNDLE_INT_H
#define TTHC_BUNDLE_INT_H

#include <sys/types.h>
#include <time.h>

#include "internal.h"

#define TTHC_BUNDLE_STAMP_PREFIX "tthc-stamp/1 "

/* One TepDinhKem of TaiLieuNop, or KetQua/TepKetQua, and the data file it becomes. */
struct tthc_bundle_file {
	char *code;     /* MaThanhPhanHoSo; for the result file KetQua/SoGiayTo */
	char *title;    /* TenTepDinhKem; for the result file "Kết quả: <TenTTHC>" */
	char *src;      /* DuongDan as written */
	char *declared; /* SHA256 as written (may be NULL) */
	char *name;     /* <MaHoSo>.<NN>.<ext> */
	const char *mime;
	int deflate; /* 1: XML, JSON, text; 0: stored */
	int result;  /* KetQua/TepKetQua, the result file, after the attachments */
	int fd;
	off_t size;
	struct timespec mtime;
	char sha256[65]; /* lower-case hex, once read */
	int done;        /* read to its end and hashed */
};

/* The fields of the dossier that the metadata repeat. */
struct tthc_bundle_meta {
	char *mahoso, *matthc, *tentthc, *agency_code, *agency_name, *received, *owner;
};

/* A generated metadata file, its digest known once built. */
struct tthc_bundle_text {
	struct tthc_buf buf;
	char sha256[65];
	int built;
};

enum tthc_bundle_part {
	TTHC_PART_HOSO,    /* metadata/descriptive/hoso.xml */
	TTHC_PART_PORTAL,  /* metadata/other/portal.json */
	TTHC_PART_REPMETS, /* representations/rep1/METS.xml */
	TTHC_PART_PREMIS,  /* metadata/preservation/premis.xml */
	TTHC_PART_METS,    /* METS.xml */
	TTHC_PART_COUNT,
};

struct tthc_bundle {
	struct tthc_ctx *ctx;
	char *name;
	char objid[256];
	char stamp[96];
	char created[64]; /* xs:dateTime of every METS and PREMIS date */
	time_t zip_time;  /* the same instant, for the ZIP entries (UTC) */
	struct tthc_bundle_meta meta;
	struct tthc_bundle_file *files;
	size_t nfiles;
	char *doc; /* the bytes stored as hoso.xml */
	size_t doc_len;
	struct tthc_bundle_events events;
	struct tthc_bundle_text parts[TTHC_PART_COUNT];
	struct z_stream_s *zs; /* zlib's stream for the parts, while writing */
	char error[512];
	int error_code; /* the first failure's code, with error */
};

/* Path of a part inside the package folder. */
extern const char *const tthc_bundle_part_path[TTHC_PART_COUNT];

/* Records a failure on b and returns err. */
int tthc_bundle_fail(struct tthc_bundle *b, int err, const char *fmt, ...)
    TTHC_PRINTF(3, 4);

/* Lower-case hex SHA-256 of len bytes into hex[65].  Returns 0 or -TTHC_E_INTERNAL. */
int tthc_sha256_hex(const void *p, size_t len, char hex[65]);

/*
 * Builds part (and the parts it lists first) when not built yet.  The METS and PREMIS
 * files need every data file hashed: -TTHC_E_INTERNAL when one is not.  Returns 0 or a
 * negative code.
 */
int tthc_bundle_build(struct tthc_bundle *b, enum tthc_bundle_part part);

#endif
