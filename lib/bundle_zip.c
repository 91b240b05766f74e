/* SPDX-License-Identifier: MIT */
/* tthc_bundle_write: the ZIP, streamed through libzip with attachments hashed as copied.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "bundle_int.h"

#define IO_CHUNK (256 * 1024)
/*
 * zlib's default level: on our XML it gives the same size as level 9 (a few bytes
 * either way per bundle) in less time.
 */
#define DEFLATE_LEVEL 6
#define DEFLATE_MEMLEVEL 8
#define ENTRY_MODE 0100644u
#define GPBF_UTF8 0x0800u

/* ---- the output: a buffered, seekable write source on the caller's descriptor ---- */

struct wsrc {
	struct tthc_bundle *b;
	int fd;
	unsigned char *buf;
	size_t n;          /* bytes held in buf, to go at start */
	zip_int64_t start; /* where buf goes */
	zip_int64_t end;   /* the file's length */
	zip_error_t err;
};

static int w_flush(struct wsrc *w)
{
	size_t done = 0;

	while (done < w->n) {
		ssize_t k =
		    pwrite(w->fd, w->buf + done, w->n - done, w->start + (off_t)done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;

			zip_error_set(&w->err, ZIP_ER_WRITE, e);
			tthc_bundle_fail(w->b, -e, N_("cannot write the bundle: %s"),
			                 strerror(e));
			return -1;
		}
		done += (size_t)k;
	}
	w->start += (zip_int64_t)w->n;
	w->n = 0;
	return 0;
}

static zip_int64_t w_seek(struct wsrc *w, void *data, zip_uint64_t len)
{
	zip_source_args_seek_t *a =
	    ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len, &w->err);
	zip_int64_t base, pos;

	if (!a || w_flush(w) < 0)
		return -1;
	base = a->whence == SEEK_SET ? 0 : a->whence == SEEK_CUR ? w->start : w->end;
	pos = base + a->offset;
	if (pos < 0) {
		zip_error_set(&w->err, ZIP_ER_INVAL, 0);
		return -1;
	}
	w->start = pos;
	return 0;
}

static zip_int64_t w_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct wsrc *w = ud;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	case ZIP_SOURCE_STAT:
		/* Nothing to read: libzip starts a new archive. */
		zip_error_set(&w->err, ZIP_ER_READ, ENOENT);
		return -1;
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
	case ZIP_SOURCE_ROLLBACK_WRITE:
	case ZIP_SOURCE_REMOVE:
		return 0;
	case ZIP_SOURCE_READ:
	case ZIP_SOURCE_TELL:
	case ZIP_SOURCE_SEEK:
		zip_error_set(&w->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	case ZIP_SOURCE_BEGIN_WRITE:
		w->n = 0;
		w->start = w->end = 0;
		return 0;
	case ZIP_SOURCE_WRITE:
		for (zip_uint64_t done = 0; done < len;) {
			size_t k = IO_CHUNK - w->n;

			if (k > len - done)
				k = (size_t)(len - done);
			memcpy(w->buf + w->n, (const unsigned char *)data + done, k);
			w->n += k;
			done += k;
			if (w->start + (zip_int64_t)w->n > w->end)
				w->end = w->start + (zip_int64_t)w->n;
			if (w->n == IO_CHUNK && w_flush(w) < 0)
				return -1;
		}
		return (zip_int64_t)len;
	case ZIP_SOURCE_SEEK_WRITE:
		return w_seek(w, data, len);
	case ZIP_SOURCE_TELL_WRITE:
		return w->start + (zip_int64_t)w->n;
	case ZIP_SOURCE_COMMIT_WRITE:
		return w_flush(w);
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&w->err, data, len);
	default:
		zip_error_set(&w->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* ---- a data file: read once, in large chunks, hashed as libzip pulls it ---------- */

struct dsrc {
	struct tthc_bundle *b;
	struct tthc_bundle_file *f;
	EVP_MD_CTX *md;
	unsigned char *buf;
	size_t n, off;    /* bytes in buf, bytes of them handed out */
	zip_int64_t left; /* bytes still to read from the file */
	zip_error_t err;
};

static int d_fail(struct dsrc *d, int zerr, int e, const char *what)
{
	zip_error_set(&d->err, zerr, e);
	tthc_bundle_fail(d->b,
	                 zerr == ZIP_ER_READ       ? -e
	                 : zerr == ZIP_ER_INTERNAL ? -TTHC_E_INTERNAL
	                                           : -TTHC_E_INVALID,
	                 N_("%s: attachment '%s' %s"), d->b->name, d->f->src, _(what));
	return -1;
}

/* The whole file was read: it must be what the dossier says it is. */
static int d_finish(struct dsrc *d)
{
	unsigned char md[32];
	static const char digits[] = "0123456789abcdef";
	char probe;

	if (pread(d->f->fd, &probe, 1, d->f->size) > 0)
		return d_fail(d, ZIP_ER_INCONS, 0, N_("grew while it was packed"));
	if (!EVP_DigestFinal_ex(d->md, md, NULL))
		return d_fail(d, ZIP_ER_INTERNAL, 0, N_("could not be hashed"));
	for (int i = 0; i < 32; i++) {
		d->f->sha256[2 * i] = digits[md[i] >> 4];
		d->f->sha256[2 * i + 1] = digits[md[i] & 15];
	}
	d->f->sha256[64] = '\0';
	if (*d->f->declared && strcasecmp(d->f->declared, d->f->sha256) != 0) {
		char what[200];

		/* Already translated: d_fail() translates a message without arguments. */
		snprintf(what, sizeof(what), _("has SHA-256 %s but SHA256 says %.64s"),
		         d->f->sha256, d->f->declared);
		return d_fail(d, ZIP_ER_INCONS, 0, what);
	}
	d->f->done = 1;
	return 0;
}

static zip_int64_t d_read(struct dsrc *d, unsigned char *out, zip_uint64_t len)
{
	if (d->off == d->n && d->left > 0) {
		size_t want = d->left < IO_CHUNK ? (size_t)d->left : IO_CHUNK;
		ssize_t k;

		do
			k = pread(d->f->fd, d->buf, want, d->f->size - d->left);
		while (k < 0 && errno == EINTR);
		if (k < 0)
			return d_fail(d, ZIP_ER_READ, errno, strerror(errno));
		if (k == 0)
			return d_fail(d, ZIP_ER_INCONS, 0,
			              N_("shrank while it was packed"));
		if (!EVP_DigestUpdate(d->md, d->buf, (size_t)k))
			return d_fail(d, ZIP_ER_INTERNAL, 0, N_("could not be hashed"));
		d->n = (size_t)k;
		d->off = 0;
		d->left -= k;
		if (d->left == 0 && d_finish(d) < 0)
			return -1;
	}
	if (len > d->n - d->off)
		len = d->n - d->off;
	memcpy(out, d->buf + d->off, (size_t)len);
	d->off += (size_t)len;
	return (zip_int64_t)len;
}

static zip_int64_t d_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct dsrc *d = ud;
	zip_stat_t *st;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_STAT:
		if (!(st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &d->err)))
			return -1;
		zip_stat_init(st);
		st->valid |= ZIP_STAT_SIZE;
		st->size = (zip_uint64_t)d->f->size;
		return sizeof(*st);
	case ZIP_SOURCE_OPEN:
		if (d->f->done || !(d->md = EVP_MD_CTX_new()) ||
		    !EVP_DigestInit_ex(d->md, EVP_sha256(), NULL) ||
		    !(d->buf = malloc(IO_CHUNK))) {
			zip_error_set(&d->err,
			              d->f->done ? ZIP_ER_INTERNAL : ZIP_ER_MEMORY, 0);
			return -1;
		}
		d->n = d->off = 0;
		d->left = d->f->size;
		if (d->left == 0)
			return d_finish(d);
		return 0;
	case ZIP_SOURCE_READ:
		return d_read(d, data, len);
	case ZIP_SOURCE_CLOSE:
		EVP_MD_CTX_free(d->md);
		free(d->buf);
		d->md = NULL;
		d->buf = NULL;
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&d->err, data, len);
	case ZIP_SOURCE_FREE:
		EVP_MD_CTX_free(d->md);
		free(d->buf);
		free(d);
		return 0;
	default:
		zip_error_set(&d->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* ---- a generated file: built when libzip first asks, after the data were read ---- */

/*
 * A generated part goes in deflated by us, not by libzip: one z_stream per bundle,
 * reset between parts, instead of a stream set up and torn down by libzip for each
 * (that set-up, not the compression, took a third of the time of packing a small
 * dossier).  libzip copies data whose stat names its method and CRC as it is.
 */
struct msrc {
	struct tthc_bundle *b;
	enum tthc_bundle_part part;
	unsigned char *z; /* the deflated part */
	size_t zlen;
	unsigned long crc;
	size_t off;
	zip_error_t err;
};

static int deflate_part(struct msrc *m, const struct tthc_bundle_text *t)
{
	struct tthc_bundle *b = m->b;
	z_stream *zs = b->zs;
	uLong cap;
	int r;

	if (!zs) {
		if (!(zs = calloc(1, sizeof(*zs))))
			return -ENOMEM;
		if (deflateInit2(zs, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS,
		                 DEFLATE_MEMLEVEL, Z_DEFAULT_STRATEGY) != Z_OK) {
			free(zs);
			return -ENOMEM;
		}
		b->zs = zs;
	} else if (deflateReset(zs) != Z_OK)
		return -TTHC_E_INTERNAL;
	cap = deflateBound(zs, (uLong)t->buf.n);
	free(m->z);
	if (!(m->z = malloc(cap ? cap : 1)))
		return -ENOMEM;
	zs->next_in = (Bytef *)t->buf.p;
	zs->avail_in = (uInt)t->buf.n;
	zs->next_out = m->z;
	zs->avail_out = (uInt)cap;
	r = deflate(zs, Z_FINISH);
	if (r != Z_STREAM_END)
		return -TTHC_E_INTERNAL;
	m->zlen = (size_t)(cap - zs->avail_out);
	m->crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)t->buf.p, (uInt)t->buf.n);
	return 0;
}

static zip_int64_t m_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct msrc *m = ud;
	const struct tthc_bundle_text *t = &m->b->parts[m->part];
	zip_stat_t *st;
	int r;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_STAT:
	case ZIP_SOURCE_OPEN:
		if (!m->z) {
			if (tthc_bundle_build(m->b, m->part) < 0) {
				zip_error_set(&m->err, ZIP_ER_INTERNAL, 0);
				return -1;
			}
			/* A part is a few KiB; beyond 4 GiB zlib's counters would not do.
			 */
			r = t->buf.n > UINT32_MAX / 2 ? -TTHC_E_TOOBIG
			                              : deflate_part(m, t);
			if (r < 0) {
				free(m->z);
				m->z = NULL;
				m->zlen = 0;
				zip_error_set(&m->err, ZIP_ER_INTERNAL, 0);
				tthc_bundle_fail(
				    m->b, r, N_("%s cannot be compressed: %s"),
				    tthc_bundle_part_path[m->part],
				    r == -ENOMEM ? strerror(ENOMEM) : tthc_strerror(r));
				return -1;
			}
		}
		m->off = 0;
		if (cmd == ZIP_SOURCE_OPEN)
			return 0;
		if (!(st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &m->err)))
			return -1;
		zip_stat_init(st);
		st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
		             ZIP_STAT_CRC;
		st->size = t->buf.n;
		st->comp_size = m->zlen;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = (zip_uint32_t)m->crc;
		return sizeof(*st);
	case ZIP_SOURCE_READ:
		if (len > m->zlen - m->off)
			len = m->zlen - m->off;
		memcpy(data, m->z + m->off, (size_t)len);
		m->off += (size_t)len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&m->err, data, len);
	case ZIP_SOURCE_FREE:
		free(m->z);
		free(m);
		return 0;
	default:
		zip_error_set(&m->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* ---- entries --------------------------------------------------------------------- */

/* The package time as MS-DOS date and time fields, in UTC, within 1980..2107. */
static void dos_time(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year < 80) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 80;
		tm.tm_mday = 1;
	} else if (tm.tm_year > 207) {
		tm = (struct tm){ .tm_year = 207,
			          .tm_mon = 11,
			          .tm_mday = 31,
			          .tm_hour = 23,
			          .tm_min = 59,
			          .tm_sec = 58 };
	}
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec >> 1));
	*ddate = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) |
	                        tm.tm_mday);
}

static int add_entry(struct tthc_bundle *b, zip_t *za, const char *path,
                     zip_source_t *src, int deflate)
{
	zip_uint16_t dtime, ddate;
	char *name;
	zip_int64_t idx;

	if (!src)
		return tthc_bundle_fail(b, -ENOMEM, "%s", strerror(ENOMEM));
	if (asprintf(&name, "%s/%s", b->objid, path) < 0) {
		zip_source_free(src);
		return -ENOMEM;
	}
	idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
	free(name);
	if (idx < 0) {
		zip_source_free(src);
		return tthc_bundle_fail(b, -TTHC_E_INTERNAL, "libzip: %s",
		                        zip_strerror(za));
	}
	dos_time(b->zip_time, &dtime, &ddate);
	if (zip_file_set_dostime(za, (zip_uint64_t)idx, dtime, ddate, 0) < 0 ||
	    zip_set_file_compression(za, (zip_uint64_t)idx,
	                             deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
	                             deflate ? DEFLATE_LEVEL : 0) < 0 ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
	                                     ENTRY_MODE << 16) < 0)
		return tthc_bundle_fail(b, -TTHC_E_INTERNAL, "libzip: %s",
		                        zip_strerror(za));
	return 0;
}

static int add_part(struct tthc_bundle *b, zip_t *za, enum tthc_bundle_part part)
{
	struct msrc *m = calloc(1, sizeof(*m));
	zip_source_t *src;

	if (!m)
		return -ENOMEM;
	m->b = b;
	m->part = part;
	zip_error_init(&m->err);
	src = zip_source_function(za, m_cb, m);
	if (!src)
		free(m);
	return add_entry(b, za, tthc_bundle_part_path[part], src, 1);
}

static int add_data(struct tthc_bundle *b, zip_t *za, struct tthc_bundle_file *f)
{
	struct dsrc *d = calloc(1, sizeof(*d));
	zip_source_t *src;
	char path[512];

	if (!d)
		return -ENOMEM;
	d->b = b;
	d->f = f;
	zip_error_init(&d->err);
	src = zip_source_function(za, d_cb, d);
	if (!src)
		free(d);
	snprintf(path, sizeof(path), "representations/rep1/data/%s", f->name);
	return add_entry(b, za, path, src, f->deflate);
}

/*
 * The order: what does not depend on the data's digests first, then the data, then
 * what lists them, the package METS last.  libzip writes entries in index order and
 * builds the generated ones when it reaches them, so each attachment is read once.
 */
static int add_entries(struct tthc_bundle *b, zip_t *za)
{
	int r;

	if ((r = add_part(b, za, TTHC_PART_HOSO)) < 0 ||
	    (r = add_part(b, za, TTHC_PART_PORTAL)) < 0)
		return r;
	for (size_t i = 0; i < b->nfiles; i++)
		if ((r = add_data(b, za, &b->files[i])) < 0)
			return r;
	if ((r = add_part(b, za, TTHC_PART_REPMETS)) < 0 ||
	    (r = add_part(b, za, TTHC_PART_PREMIS)) < 0 ||
	    (r = add_part(b, za, TTHC_PART_METS)) < 0)
		return r;
	if (zip_set_archive_comment(za, b->stamp, (zip_uint16_t)strlen(b->stamp)) < 0)
		return tthc_bundle_fail(b, -TTHC_E_INTERNAL, "libzip: %s",
		                        zip_strerror(za));
	return 0;
}

/* ---- the UTF-8 flag ---------------------------------------------------------------- */

static unsigned get16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static unsigned long long get32(const unsigned char *p)
{
	return get16(p) | (unsigned long long)get16(p + 2) << 16;
}

static unsigned long long get64(const unsigned char *p)
{
	return get32(p) | get32(p + 4) << 32;
}

static int pread_all(int fd, void *buf, size_t n, off_t at)
{
	ssize_t k = pread(fd, buf, n, at);

	return k == (ssize_t)n ? 0 : -(k < 0 ? errno : EIO);
}

/* The local header offset of a central entry, from its ZIP64 field when it has one. */
static unsigned long long local_offset(const unsigned char *e)
{
	unsigned long long off = get32(e + 42);
	const unsigned char *x = e + 46 + get16(e + 28), *xend = x + get16(e + 30);

	if (off != 0xFFFFFFFFu)
		return off;
	while (x + 4 <= xend) {
		unsigned id = get16(x), n = get16(x + 2), skip = 0;

		if (id == 1) {
			/* sizes come first, each only when its 32-bit field is full */
			skip += get32(e + 24) == 0xFFFFFFFFu ? 8 : 0;
			skip += get32(e + 20) == 0xFFFFFFFFu ? 8 : 0;
			if (skip + 8 <= n)
				return get64(x + 4 + skip);
		}
		x += 4 + n;
	}
	return off;
}

/*
 * libzip sets general purpose bit 11 only for names beyond ASCII, and ours are ASCII:
 * set it in every central and local header, as the layout promises.  The bit is not
 * covered by any checksum.
 */
static int set_utf8_flags(struct tthc_bundle *b, int fd, zip_int64_t end)
{
	size_t clen = strlen(b->stamp);
	unsigned char eocd[22], loc[20], z64[56], flags[2];
	unsigned long long cd_size, cd_off, count;
	off_t at = (off_t)end - 22 - (off_t)clen;
	unsigned char *cd = NULL, *e;
	int r = -EIO;

	if (at < 0 || (r = pread_all(fd, eocd, sizeof(eocd), at)) < 0)
		goto fail;
	r = -EIO;
	if (get32(eocd) != 0x06054b50u)
		goto fail;
	count = get16(eocd + 10);
	cd_size = get32(eocd + 12);
	cd_off = get32(eocd + 16);
	if (count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu) {
		if (at < 20 || (r = pread_all(fd, loc, sizeof(loc), at - 20)) < 0 ||
		    get32(loc) != 0x07064b50u ||
		    (r = pread_all(fd, z64, sizeof(z64), (off_t)get64(loc + 8))) < 0 ||
		    get32(z64) != 0x06064b50u) {
			r = r < 0 ? r : -EIO;
			goto fail;
		}
		count = get64(z64 + 32);
		cd_size = get64(z64 + 40);
		cd_off = get64(z64 + 48);
	}
	if (cd_size > (64u << 20) || !(cd = malloc(cd_size ? cd_size : 1))) {
		r = -ENOMEM;
		goto fail;
	}
	if ((r = pread_all(fd, cd, cd_size, (off_t)cd_off)) < 0)
		goto fail;
	e = cd;
	for (unsigned long long i = 0; i < count; i++) {
		unsigned f;

		r = -EIO;
		if (e + 46 > cd + cd_size || get32(e) != 0x02014b50u ||
		    e + 46 + get16(e + 28) + get16(e + 30) + get16(e + 32) > cd + cd_size)
			goto fail;
		f = get16(e + 8) | GPBF_UTF8;
		e[8] = (unsigned char)f;
		e[9] = (unsigned char)(f >> 8);
		flags[0] = e[8];
		flags[1] = e[9];
		if (pwrite(fd, flags, 2, (off_t)local_offset(e) + 6) != 2) {
			r = -errno;
			goto fail;
		}
		e += 46 + get16(e + 28) + get16(e + 30) + get16(e + 32);
	}
	if (pwrite(fd, cd, cd_size, (off_t)cd_off) != (ssize_t)cd_size) {
		r = -errno;
		goto fail;
	}
	free(cd);
	return 0;
fail:
	free(cd);
	return tthc_bundle_fail(b, r, N_("cannot set the UTF-8 flags: %s"),
	                        tthc_strerror(r));
}

/* ---- public ---------------------------------------------------------------------- */

TTHC_EXPORT int tthc_bundle_write(struct tthc_bundle *b, int fd)
{
	struct wsrc w = { .b = b, .fd = fd };
	zip_error_t zerr;
	zip_source_t *src;
	zip_t *za = NULL;
	int r = -TTHC_E_INTERNAL;

	b->error[0] = '\0';
	b->error_code = 0;
	for (int i = 0; i < TTHC_PART_COUNT; i++) {
		free(b->parts[i].buf.p);
		memset(&b->parts[i], 0, sizeof(b->parts[i]));
	}
	for (size_t i = 0; i < b->nfiles; i++)
		b->files[i].done = 0;
	zip_error_init(&w.err);
	zip_error_init(&zerr);
	if (!(w.buf = malloc(IO_CHUNK)))
		return -ENOMEM;
	src = zip_source_function_create(w_cb, &w, &zerr);
	if (src && !(za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &zerr)))
		zip_source_free(src);
	if (!za) {
		r = tthc_bundle_fail(b, -TTHC_E_INTERNAL, "libzip: %s",
		                     zip_error_strerror(&zerr));
		goto out;
	}
	if ((r = add_entries(b, za)) < 0) {
		zip_discard(za);
		goto out;
	}
	if (zip_close(za) < 0) {
		r = b->error[0] ? b->error_code : -TTHC_E_INTERNAL;
		tthc_bundle_fail(b, r, "libzip: %s", zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	r = set_utf8_flags(b, fd, w.end);
out:
	if (b->zs) {
		deflateEnd(b->zs);
		free(b->zs);
		b->zs = NULL;
	}
	zip_error_fini(&zerr);
	zip_error_fini(&w.err);
	free(w.buf);
	return r;
}
