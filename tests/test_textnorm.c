/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/textnorm.c: detection per file and per CSV column, streaming. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tthc.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char prose[] =
    "Ủy ban nhân dân xã Tân Phú đã tiếp nhận hồ sơ đăng ký khai sinh của cháu Nguyễn "
    "Thị Ánh Dương vào sáng thứ Hai. Người nộp hồ sơ là ông Trần Văn Hùng, cha của cháu, "
    "cư trú tại thôn Đông, huyện Đức Trọng, tỉnh Lâm Đồng.\n"
    "Cán bộ tư pháp đã kiểm tra giấy chứng sinh và giấy tờ tùy thân, thấy đầy đủ và hợp "
    "lệ. Mọi thắc mắc xin liên hệ bộ phận một cửa của xã để được hướng dẫn thêm.\n";

struct out {
	char *p;
	size_t n, cap;
};

static int collect(void *arg, const char *buf, size_t len)
{
	struct out *o = arg;

	if (o->n + len + 1 > o->cap) {
		o->cap = (o->n + len + 1) * 2;
		o->p = realloc(o->p, o->cap);
		assert_non_null(o->p);
	}
	memcpy(o->p + o->n, buf, len);
	o->n += len;
	o->p[o->n] = '\0';
	return 0;
}

/* Converts in with t in chunks of chunk bytes (0: whole); returns the status. */
static int run_with(struct tthc_textnorm *t, const char *in, size_t len, size_t chunk,
                    struct out *o)
{
	int r = 0;

	memset(o, 0, sizeof(*o));
	collect(o, "", 0);
	for (size_t i = 0; i < len && !r; i += chunk ? chunk : len) {
		size_t n = chunk && len - i > chunk ? chunk : len - i;

		r = tthc_textnorm_feed(t, in + i, n, collect, o);
	}
	if (!r)
		r = tthc_textnorm_finish(t, collect, o);
	else
		tthc_textnorm_finish(t, collect, o);
	return r;
}

static struct tthc_textnorm *new_tn(enum tthc_enc from, enum tthc_tone_style tone,
                                    int csv)
{
	struct tthc_textnorm_options opts = { from, tone, csv };
	struct tthc_textnorm *t = NULL;

	assert_int_equal(tthc_textnorm_new(&opts, &t), 0);
	return t;
}

/* Converts with fresh options; returns the output (malloc'd). */
static char *convert(enum tthc_enc from, int csv, const char *in, size_t len,
                     size_t chunk, enum tthc_enc *enc)
{
	struct tthc_textnorm *t = new_tn(from, TTHC_TONE_KEEP, csv);
	struct out o;

	assert_int_equal(run_with(t, in, len, chunk, &o), 0);
	if (enc)
		*enc = tthc_textnorm_encoding(t, NULL);
	tthc_textnorm_free(t);
	return o.p;
}

static char *encode(enum tthc_enc enc, const char *s, size_t *len)
{
	char *out = NULL;

	assert_int_equal(tthc_vnenc_encode(enc, s, strlen(s), &out, len), 0);
	return out;
}

static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 4096 };

static void assert_identity(const char *s, size_t len, int csv)
{
	for (size_t c = 0; c < N(chunks); c++) {
		enum tthc_enc enc;
		char *out = convert(TTHC_ENC_AUTO, csv, s, len, chunks[c], &enc);

		if (strlen(out) != len || memcmp(out, s, len) != 0)
			fail_msg("chunk %zu: output differs from input", chunks[c]);
		assert_int_equal(enc, TTHC_ENC_UTF8);
		free(out);
	}
}

static void test_identity(void **state)
{
	static const char ascii[] =
	    "The quick brown fox jumps over the lazy dog.\r\n"
	    "int main(void) { return 0; } /* 1, 2, 3 */\n"
	    "id;date;amount\n42;2024-05-01;1000.50\n\ttab\fform feed\n";
	static const char csv[] =
	    "STT,Họ và tên,Ghi chú\r\n1,\"Nguyễn, Văn \"\"An\"\"\",đã "
	    "nhận\r\n2,Lê Thị Hoà,\"hai\ndòng\"\r\n";

	(void)state;
	assert_identity(ascii, strlen(ascii), 0);
	assert_identity(ascii, strlen(ascii), 1);
	assert_identity(prose, strlen(prose), 0);
	assert_identity(csv, strlen(csv), 1);
	assert_identity("", 0, 0);
	assert_identity("", 0, 1);
}

/* Text arriving decomposed (NFD) comes out composed. */
static void test_nfc(void **state)
{
	static const char nfd[] = "Vie\xcc\x82\xcc\xa3t Nam ho\xcc\x80\x61\n";
	char *out;

	(void)state;
	for (size_t c = 0; c < N(chunks); c++) {
		out = convert(TTHC_ENC_AUTO, 0, nfd, strlen(nfd), chunks[c], NULL);
		assert_string_equal(out, "Việt Nam hòa\n");
		free(out);
	}
}

/* Every encoding detected from a file of prose, and decoded as the library decodes it. */
static void test_detect_per_file(void **state)
{
	static const enum tthc_enc encs[] = {
		TTHC_ENC_TCVN3,  TTHC_ENC_VNI,   TTHC_ENC_VISCII,   TTHC_ENC_VPS,
		TTHC_ENC_CP1258, TTHC_ENC_UTF16, TTHC_ENC_TCVN5712, TTHC_ENC_VIQR,
	};

	(void)state;
	for (size_t i = 0; i < N(encs); i++) {
		size_t len, wlen;
		char *bytes = encode(encs[i], prose, &len), *want, *got;
		enum tthc_enc enc;

		assert_int_equal(tthc_vnenc_decode(encs[i], bytes, len, &want, &wlen), 0);
		for (size_t c = 0; c < N(chunks); c++) {
			got = convert(TTHC_ENC_AUTO, 0, bytes, len, chunks[c], &enc);
			if (enc != encs[i])
				fail_msg("%s detected as %s", tthc_enc_name(encs[i]),
				         tthc_enc_name(enc));
			assert_string_equal(got, want);
			free(got);
		}
		/* Given explicitly, the same. */
		got = convert(encs[i], 0, bytes, len, 5, NULL);
		assert_string_equal(got, want);
		free(got);
		if (encs[i] != TTHC_ENC_TCVN3)
			assert_string_equal(want, prose);
		free(want);
		free(bytes);
	}
}

/* Input longer than the sample: detection on the sample, the rest streamed. */
static void test_long_input(void **state)
{
	size_t len, total = 0, n = (3 * TTHC_TEXTNORM_SAMPLE) / (sizeof(prose) - 1) + 2;
	char *one = encode(TTHC_ENC_VNI, prose, &len), *big = malloc(len * n + 1), *got;
	char *want = malloc((sizeof(prose) - 1) * n + 1);
	enum tthc_enc enc;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		memcpy(big + total, one, len);
		total += len;
		memcpy(want + i * (sizeof(prose) - 1), prose, sizeof(prose));
	}
	for (size_t c = 0; c < N(chunks); c++) {
		if (chunks[c] && chunks[c] < 64)
			continue; /* byte by byte over 200 KB: slow under sanitizers */
		got = convert(TTHC_ENC_AUTO, 0, big, total, chunks[c], &enc);
		assert_int_equal(enc, TTHC_ENC_VNI);
		assert_string_equal(got, want);
		free(got);
	}
	got = convert(TTHC_ENC_AUTO, 0, big, total, 65537, &enc);
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(big);
	free(one);
}

/* ---- CSV ---- */

/* Rows of a register; column 3 (the address) typed in TCVN3 in the mixed file. */
static const char *const names[] = { "Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Dũng",
	                             "Phạm Thu Hà" };
static const char *const places[] = { "thôn Đông, xã Tân Phú", "phường Bến Nghé, quận 1",
	                              "xã Đức Trọng, \"Lâm Đồng\"",
	                              "số 5 ngõ 12\nphố Huế" };

/* Builds the CSV; tcvn3: the address column is written in TCVN3. */
static char *register_csv(int rows, int tcvn3, const char *eol, char delim, size_t *len)
{
	size_t cap = 256 + (size_t)rows * 256, n = 0;
	char *s = malloc(cap);

	n += (size_t)sprintf(s, "STT%cHọ và tên%cĐịa chỉ%cGhi chú%s", delim, delim, delim,
	                     eol);
	for (int i = 0; i < rows; i++) {
		const char *place = places[i % 4];
		char quoted[128], *enc;
		size_t q = 0, elen;

		quoted[q++] = '"';
		for (const char *p = place; *p; p++) {
			if (*p == '"')
				quoted[q++] = '"';
			quoted[q++] = *p;
		}
		quoted[q++] = '"';
		quoted[q] = '\0';
		n +=
		    (size_t)sprintf(s + n, "%d%c%s%c", i + 1, delim, names[i % 4], delim);
		if (tcvn3) {
			enc = encode(TTHC_ENC_TCVN3, quoted, &elen);
			memcpy(s + n, enc, elen);
			n += elen;
			free(enc);
		} else {
			n += (size_t)sprintf(s + n, "%s", quoted);
		}
		n += (size_t)sprintf(s + n, "%c%s%s", delim, i % 2 ? "đã nhận" : "", eol);
	}
	s[n] = '\0';
	*len = n;
	return s;
}

static void check_mixed(int rows, const char *eol, char delim, size_t chunk)
{
	size_t len, wlen;
	char *mixed = register_csv(rows, 1, eol, delim, &len);
	char *want = register_csv(rows, 0, eol, delim, &wlen);
	struct tthc_textnorm *t = new_tn(TTHC_ENC_AUTO, TTHC_TONE_KEEP, 1);
	struct out o;
	double conf;

	assert_int_equal(run_with(t, mixed, len, chunk, &o), 0);
	if (strcmp(o.p, want) != 0)
		fail_msg("rows %d chunk %zu: got\n%.400s\nwant\n%.400s", rows, chunk, o.p,
		         want);
	assert_int_equal(tthc_textnorm_encoding(t, &conf), TTHC_ENC_AUTO);
	assert_true(conf > 0.5);
	assert_int_equal(tthc_textnorm_columns(t), 4);
	assert_int_equal(tthc_textnorm_column(t, 0, NULL), TTHC_ENC_AUTO);
	assert_int_equal(tthc_textnorm_column(t, 1, NULL), TTHC_ENC_UTF8);
	assert_int_equal(tthc_textnorm_column(t, 2, &conf), TTHC_ENC_TCVN3);
	assert_true(conf > 0.5);
	assert_int_equal(tthc_textnorm_column(t, 3, NULL), TTHC_ENC_UTF8);
	assert_int_equal(tthc_textnorm_column(t, 4, &conf), TTHC_ENC_AUTO);
	free(o.p);
	tthc_textnorm_free(t);
	free(mixed);
	free(want);
}

static void test_csv_tcvn3_column(void **state)
{
	(void)state;
	for (size_t c = 0; c < N(chunks); c++) {
		check_mixed(40, "\n", ',', chunks[c]);
		check_mixed(40, "\r\n", ',', chunks[c]);
		check_mixed(40, "\n", ';', chunks[c]);
	}
	check_mixed(40, "\n", '\t', 0);
	/* Past the CSV sample: decided on the first MiB, the rest streamed. */
	check_mixed(30000, "\r\n", ',', 0);
	check_mixed(30000, "\n", ';', 65536);
}

/* The whole file in one legacy encoding is decoded as one, not column by column. */
static void test_csv_one_encoding(void **state)
{
	size_t len, wlen, tlen;
	char *want = register_csv(12, 0, "\n", ',', &wlen), *bytes, *got, *dec;
	enum tthc_enc enc;

	(void)state;
	bytes = encode(TTHC_ENC_VNI, want, &len);
	got = convert(TTHC_ENC_AUTO, 1, bytes, len, 0, &enc);
	assert_int_equal(enc, TTHC_ENC_VNI);
	assert_string_equal(got, want);
	free(got);
	free(bytes);
	bytes = encode(TTHC_ENC_TCVN3, want, &len);
	assert_int_equal(tthc_vnenc_decode(TTHC_ENC_TCVN3, bytes, len, &dec, &tlen), 0);
	got = convert(TTHC_ENC_AUTO, 1, bytes, len, 3, &enc);
	assert_int_equal(enc, TTHC_ENC_TCVN3);
	assert_string_equal(got, dec);
	free(dec);
	free(got);
	free(bytes);
	free(want);
}

/* A field longer than what is held to judge it is judged by its start and streamed. */
static void test_csv_long_field(void **state)
{
	size_t n = 200000, len, plen;
	char *field = malloc(n + 1), *csv, *want, *got, *enc;

	(void)state;
	for (size_t i = 0; i < n; i++)
		field[i] = "abcdefgh "[i % 9];
	field[n] = '\0';
	enc = encode(TTHC_ENC_TCVN3, "thôn Đông xã Tân Phú huyện Đức Trọng", &plen);
	csv = malloc(n + 4096);
	want = malloc(n + 4096);
	len = (size_t)sprintf(csv, "a,Họ tên,b\n1,Lê Văn Tám,");
	memcpy(csv + len, enc, plen);
	len += plen;
	len += (size_t)sprintf(csv + len, "\n2,\"%s\",", field);
	memcpy(csv + len, enc, plen);
	len += plen;
	csv[len++] = '\n';
	sprintf(want,
	        "a,Họ tên,b\n1,Lê Văn Tám,thôn Đông xã Tân Phú huyện Đức "
	        "Trọng\n2,\"%s\",thôn "
	        "Đông xã Tân Phú huyện Đức Trọng\n",
	        field);
	got = convert(TTHC_ENC_AUTO, 1, csv, len, 1000, NULL);
	assert_string_equal(got, want);
	free(got);
	free(enc);
	free(want);
	free(csv);
	free(field);
}

/* A stray legacy field in a UTF-8 column is decoded as the legacy columns are: kept. */
static void test_csv_stray_field(void **state)
{
	static const char stray[] = "99,\xff\xfe,x,y\n";
	size_t len, dlen;
	char *csv = register_csv(8, 1, "\n", ',', &len), *got, *dec, *want;

	(void)state;
	csv = realloc(csv, len + sizeof(stray));
	memcpy(csv + len, stray, sizeof(stray) - 1);
	len += sizeof(stray) - 1;
	assert_int_equal(tthc_vnenc_decode(TTHC_ENC_TCVN3, "\xff\xfe", 2, &dec, &dlen),
	                 0);
	assert_true(dlen > 0);
	got = convert(TTHC_ENC_AUTO, 1, csv, len, 0, NULL);
	want = malloc(dlen + 32);
	sprintf(want, "\n99,%s,x,y\n", dec);
	assert_non_null(strstr(got, want));
	free(want);
	free(got);
	free(dec);
	free(csv);
}

/* Appends n bytes of s to a growing buffer. */
static void put(struct out *o, const char *s, size_t n)
{
	collect(o, s, n);
}

/*
 * A guess is refused before anything is written: bytes no encoding reads well, and
 * UTF-8 text with one line from a TCVN3 program (converting it all as TCVN3 would garble
 * the rest).
 */
static void test_refuse_guess(void **state)
{
	static const char junk[] = "\x80\x81\x82 \x83\x84\x85 \x86\x87\n";
	struct tthc_textnorm *t = new_tn(TTHC_ENC_AUTO, TTHC_TONE_KEEP, 0);
	struct out o, in = { 0 };
	char *line;
	size_t n;

	(void)state;
	assert_int_equal(run_with(t, junk, strlen(junk), 0, &o), -EILSEQ);
	assert_non_null(
	    strstr(tthc_textnorm_error(t), "cannot tell the encoding: best guess"));
	assert_non_null(strstr(tthc_textnorm_error(t), "; use --from"));
	assert_int_equal(o.n, 0);
	free(o.p);
	collect(&in, "", 0);
	for (int i = 0; i < 3; i++)
		put(&in, prose, strlen(prose));
	line = encode(TTHC_ENC_TCVN3, "giấy khai sinh của cháu Trần Thị Bích\n", &n);
	put(&in, line, n);
	free(line);
	for (size_t c = 0; c < N(chunks); c++) {
		assert_int_equal(run_with(t, in.p, in.n, chunks[c], &o), -EILSEQ);
		assert_non_null(strstr(tthc_textnorm_error(t), "mostly utf-8"));
		assert_int_equal(o.n, 0);
		free(o.p);
	}
	/* --from says what detection could not */
	tthc_textnorm_free(t);
	t = new_tn(TTHC_ENC_TCVN3, TTHC_TONE_KEEP, 0);
	assert_int_equal(run_with(t, junk, strlen(junk), 0, &o), 0);
	free(o.p);
	tthc_textnorm_free(t);
	free(in.p);
}

/* ASCII without VIQR words stays as it is, in text and in CSV. */
static void test_ascii_not_viqr(void **state)
{
	static const char txt[] =
	    "Ho ten: Nguyen Van An. Noi sinh: Ha Noi. Co con khong? Khong.\n";
	static const char csv[] =
	    "ID,Ho ten,Dia chi\n1,Nguyen Van An,Ha Noi.\n2,Tran Thi Binh,Hue.\n"
	    "3,Le Van Ba,Can Tho.\n";

	(void)state;
	assert_identity(txt, strlen(txt), 0);
	assert_identity(csv, strlen(csv), 1);
}

/*
 * A UTF-8 column with one TCVN3 field is decoded field by field; a VISCII column's field
 * that happens to be valid UTF-8 ("Đặng" is "Уng") stays VISCII.
 */
static void test_csv_mixed_column(void **state)
{
	static const char *const people[] = {
		"Nguyễn Văn An", "Trần Thị Bích",  "Lê Hoàng Nam", "Võ Thị Hồng",
		"Bùi Quang Huy", "Hoàng Thị Thuỷ", "Đặng",         "Phạm Thị Ánh",
	};
	struct out in, want;

	(void)state;
	for (int legacy = 0; legacy < 2; legacy++) {
		enum tthc_enc enc = legacy ? TTHC_ENC_VISCII : TTHC_ENC_TCVN3;

		memset(&in, 0, sizeof(in));
		memset(&want, 0, sizeof(want));
		put(&in, "stt,ho_ten,ghi_chu\n", 19);
		put(&want, "stt,ho_ten,ghi_chu\n", 19);
		for (size_t i = 0; i < N(people); i++) {
			char num[16], *b;
			size_t n;
			/* TCVN3: one field of the column; VISCII: all of it */
			int enc_it = legacy || i == N(people) - 1;

			sprintf(num, "%zu,", i);
			put(&in, num, strlen(num));
			put(&want, num, strlen(num));
			if (enc_it) {
				b = encode(enc, people[i], &n);
				put(&in, b, n);
				free(b);
			} else {
				put(&in, people[i], strlen(people[i]));
			}
			/* TCVN3 has no toned capitals */
			put(&want, !legacy && enc_it ? "Phạm Thị ánh" : people[i],
			    strlen(!legacy && enc_it ? "Phạm Thị ánh" : people[i]));
			put(&in, ",ghi chú\n", strlen(",ghi chú\n"));
			put(&want, ",ghi chú\n", strlen(",ghi chú\n"));
		}
		for (size_t c = 0; c < N(chunks); c++) {
			char *got =
			    convert(TTHC_ENC_AUTO, 1, in.p, in.n, chunks[c], NULL);

			assert_string_equal(got, want.p);
			free(got);
		}
		free(in.p);
		free(want.p);
	}
}

/*
 * A field over 64 KiB, ASCII for its first 64 KiB, in a TCVN3 column of a file whose
 * columns disagree (the third is UTF-8): the field takes its column's encoding.
 */
static void test_csv_long_ascii_start(void **state)
{
	size_t n = 70000, len, tlen;
	char *field = malloc(n + 1), *tail, *csv, *want, *got;

	(void)state;
	for (size_t i = 0; i < n; i++)
		field[i] = "abcdefgh "[i % 9];
	field[n] = '\0';
	/* one byte of TCVN3 before the closing quote: no cut UTF-8 sequence */
	tail = encode(TTHC_ENC_TCVN3, " Hồ", &tlen);
	csv = malloc(n + 4096);
	want = malloc(n + 4096);
	len = (size_t)sprintf(csv, "a;b;c\n");
	for (int i = 0; i < 3; i++) {
		char *e;
		size_t elen;

		e = encode(TTHC_ENC_TCVN3, "thôn Đông xã Tân Phú", &elen);
		len += (size_t)sprintf(csv + len, "%d;", i);
		memcpy(csv + len, e, elen);
		len += elen;
		len += (size_t)sprintf(csv + len, ";đã nhận\n");
		free(e);
	}
	len += (size_t)sprintf(csv + len, "9;\"%s", field);
	memcpy(csv + len, tail, tlen);
	len += tlen;
	len += (size_t)sprintf(csv + len, "\";đã nhận\n");
	sprintf(want,
	        "a;b;c\n0;thôn Đông xã Tân Phú;đã nhận\n1;thôn Đông xã Tân Phú;đã nhận\n"
	        "2;thôn Đông xã Tân Phú;đã nhận\n9;\"%s Hồ\";đã nhận\n",
	        field);
	got = convert(TTHC_ENC_AUTO, 1, csv, len, 4096, NULL);
	assert_string_equal(got, want);
	free(got);
	free(tail);
	free(want);
	free(csv);
	free(field);
}

static void test_detect_only(void **state)
{
	size_t len;
	char *csv = register_csv(20, 1, "\n", ',', &len), *bytes;
	struct tthc_textnorm *t = new_tn(TTHC_ENC_AUTO, TTHC_TONE_KEEP, 1);
	double conf;

	(void)state;
	/* A cut sample: the last, unfinished record does not count. */
	assert_int_equal(tthc_textnorm_detect(t, csv, len - 7, 0), 0);
	assert_int_equal(tthc_textnorm_encoding(t, &conf), TTHC_ENC_AUTO);
	assert_int_equal(tthc_textnorm_column(t, 2, NULL), TTHC_ENC_TCVN3);
	tthc_textnorm_free(t);
	t = new_tn(TTHC_ENC_AUTO, TTHC_TONE_KEEP, 0);
	bytes = encode(TTHC_ENC_VISCII, prose, &len);
	assert_int_equal(tthc_textnorm_detect(t, bytes, len, 1), 0);
	assert_int_equal(tthc_textnorm_encoding(t, &conf), TTHC_ENC_VISCII);
	assert_true(conf > 0.8);
	assert_int_equal(tthc_textnorm_columns(t), 0);
	tthc_textnorm_free(t);
	free(bytes);
	free(csv);
}

static void test_errors(void **state)
{
	static const char bad[] = "abc\xff\xfe def";
	struct tthc_textnorm *t = new_tn(TTHC_ENC_UTF8, TTHC_TONE_KEEP, 0);
	struct tthc_textnorm_options opts = { (enum tthc_enc)99, TTHC_TONE_KEEP, 0 };
	struct tthc_textnorm *t2;
	struct out o;

	(void)state;
	assert_int_equal(run_with(t, bad, strlen(bad), 2, &o), -EILSEQ);
	assert_string_equal(tthc_textnorm_error(t), "not valid utf-8 at byte 3");
	free(o.p);
	/* The next input starts afresh. */
	assert_int_equal(run_with(t, "ok\n", 3, 0, &o), 0);
	assert_string_equal(o.p, "ok\n");
	assert_string_equal(tthc_textnorm_error(t), "");
	free(o.p);
	/* Truncated UTF-8 at the end. */
	assert_int_equal(run_with(t, "ab\xe1\xbb", 4, 1, &o), -EILSEQ);
	assert_string_equal(tthc_textnorm_error(t), "not valid utf-8 at byte 2");
	free(o.p);
	tthc_textnorm_free(t);
	assert_int_equal(tthc_textnorm_new(&opts, &t2), -EINVAL);
}

/* The tone-style hook rewrites placement over chunk boundaries too. */
static void test_tone_style(void **state)
{
	/* As tthc.h names them: old puts the mark on the first vowel, new on the main
	 * one. */
	static const char old_style[] = "Hòa bình, thủy lợi; KHỎE, họa sĩ.\nhòa\n";
	static const char new_style[] = "Hoà bình, thuỷ lợi; KHOẺ, hoạ sĩ.\nhoà\n";

	(void)state;
	for (size_t c = 0; c < N(chunks); c++) {
		struct tthc_textnorm *t = new_tn(TTHC_ENC_AUTO, TTHC_TONE_NEW, 0);
		struct out o;

		assert_int_equal(run_with(t, old_style, strlen(old_style), chunks[c], &o),
		                 0);
		assert_string_equal(o.p, new_style);
		free(o.p);
		tthc_textnorm_free(t);
		t = new_tn(TTHC_ENC_AUTO, TTHC_TONE_OLD, 0);
		assert_int_equal(run_with(t, new_style, strlen(new_style), chunks[c], &o),
		                 0);
		assert_string_equal(o.p, old_style);
		free(o.p);
		tthc_textnorm_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_detect_per_file),
		cmocka_unit_test(test_long_input),
		cmocka_unit_test(test_csv_tcvn3_column),
		cmocka_unit_test(test_csv_one_encoding),
		cmocka_unit_test(test_csv_long_field),
		cmocka_unit_test(test_csv_stray_field),
		cmocka_unit_test(test_detect_only),
		cmocka_unit_test(test_refuse_guess),
		cmocka_unit_test(test_ascii_not_viqr),
		cmocka_unit_test(test_csv_mixed_column),
		cmocka_unit_test(test_csv_long_ascii_start),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tone_style),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
