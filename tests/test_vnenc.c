/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/vnenc*.c and lib/vnsyllable.c: legacy Vietnamese encodings. */
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

/* The 67 letters beyond ASCII, written out here so the tests do not trust the tables. */
static const char *const lower_letters[] = {
	"à", "á", "ả", "ã", "ạ", "ă", "ằ", "ắ", "ẳ", "ẵ", "ặ", "â", "ầ", "ấ",
	"ẩ", "ẫ", "ậ", "đ", "è", "é", "ẻ", "ẽ", "ẹ", "ê", "ề", "ế", "ể", "ễ",
	"ệ", "ì", "í", "ỉ", "ĩ", "ị", "ò", "ó", "ỏ", "õ", "ọ", "ô", "ồ", "ố",
	"ổ", "ỗ", "ộ", "ơ", "ờ", "ớ", "ở", "ỡ", "ợ", "ù", "ú", "ủ", "ũ", "ụ",
	"ư", "ừ", "ứ", "ử", "ữ", "ự", "ỳ", "ý", "ỷ", "ỹ", "ỵ",
};
static const char *const upper_letters[] = {
	"À", "Á", "Ả", "Ã", "Ạ", "Ă", "Ằ", "Ắ", "Ẳ", "Ẵ", "Ặ", "Â", "Ầ", "Ấ",
	"Ẩ", "Ẫ", "Ậ", "Đ", "È", "É", "Ẻ", "Ẽ", "Ẹ", "Ê", "Ề", "Ế", "Ể", "Ễ",
	"Ệ", "Ì", "Í", "Ỉ", "Ĩ", "Ị", "Ò", "Ó", "Ỏ", "Õ", "Ọ", "Ô", "Ồ", "Ố",
	"Ổ", "Ỗ", "Ộ", "Ơ", "Ờ", "Ớ", "Ở", "Ỡ", "Ợ", "Ù", "Ú", "Ủ", "Ũ", "Ụ",
	"Ư", "Ừ", "Ứ", "Ử", "Ữ", "Ự", "Ỳ", "Ý", "Ỷ", "Ỹ", "Ỵ",
};

/* The capitals a TCVN3 byte of their own holds; the others share the lower-case byte. */
static int tcvn3_has_capital(const char *s)
{
	static const char *const caps[] = { "Ă", "Â", "Đ", "Ê", "Ô", "Ơ", "Ư" };

	for (size_t i = 0; i < N(caps); i++)
		if (!strcmp(s, caps[i]))
			return 1;
	return 0;
}

static const enum tthc_enc all_legacy[] = {
	TTHC_ENC_TCVN3,  TTHC_ENC_VNI,  TTHC_ENC_VISCII,   TTHC_ENC_VPS,
	TTHC_ENC_CP1258, TTHC_ENC_VIQR, TTHC_ENC_TCVN5712, TTHC_ENC_UTF16,
};

static char *decode_ok(enum tthc_enc enc, const char *in, size_t len)
{
	char *out = NULL;
	size_t n = 0;

	assert_int_equal(tthc_vnenc_decode(enc, in, len, &out, &n), 0);
	assert_int_equal(strlen(out), n);
	return out;
}

static char *encode_ok(enum tthc_enc enc, const char *in, size_t *len)
{
	char *out = NULL;

	assert_int_equal(tthc_vnenc_encode(enc, in, strlen(in), &out, len), 0);
	return out;
}

/* Encodes s, decodes it back, and compares with want. */
static void round_trip(enum tthc_enc enc, const char *s, const char *want)
{
	size_t n;
	char *bytes = encode_ok(enc, s, &n), *back = decode_ok(enc, bytes, n);

	if (strcmp(back, want) != 0)
		fail_msg("%s: \"%s\" came back as \"%s\"", tthc_enc_name(enc), s, back);
	free(bytes);
	free(back);
}

static void test_names(void **state)
{
	(void)state;
	for (int e = TTHC_ENC_AUTO; e <= TTHC_ENC_TCVN5712; e++) {
		const char *name = tthc_enc_name((enum tthc_enc)e);

		assert_non_null(name);
		assert_int_equal(tthc_enc_from_name(name), e);
	}
	assert_int_equal(tthc_enc_from_name("TCVN3"), TTHC_ENC_TCVN3);
	assert_int_equal(tthc_enc_from_name("abc"), TTHC_ENC_TCVN3);
	assert_int_equal(tthc_enc_from_name("VNI-Windows"), TTHC_ENC_VNI);
	assert_int_equal(tthc_enc_from_name("windows-1258"), TTHC_ENC_CP1258);
	assert_int_equal(tthc_enc_from_name("utf8"), TTHC_ENC_UTF8);
	assert_int_equal(tthc_enc_from_name("latin1"), -TTHC_E_UNKNOWN);
	assert_int_equal(tthc_enc_from_name(NULL), -TTHC_E_UNKNOWN);
	assert_null(tthc_enc_name((enum tthc_enc)99));
	assert_string_equal(tthc_enc_name(TTHC_ENC_TCVN5712), "tcvn5712");
}

static void test_letters_round_trip(void **state)
{
	(void)state;
	assert_int_equal(N(lower_letters), 67);
	assert_int_equal(N(upper_letters), 67);
	for (size_t e = 0; e < N(all_legacy); e++) {
		enum tthc_enc enc = all_legacy[e];

		for (size_t i = 0; i < 67; i++) {
			const char *up = upper_letters[i];

			round_trip(enc, lower_letters[i], lower_letters[i]);
			if (enc != TTHC_ENC_TCVN3 || tcvn3_has_capital(up)) {
				round_trip(enc, up, up);
			} else {
				char word[16], lone[16];

				/* Alone its case is lost; in a word of capitals it comes
				 * back. */
				snprintf(word, sizeof(word), "BC%s", up);
				round_trip(enc, word, word);
				round_trip(enc, up, lower_letters[i]);
				snprintf(word, sizeof(word), "X%sY", up);
				round_trip(enc, word, word);
				snprintf(lone, sizeof(lone), "%s", lower_letters[i]);
				round_trip(enc, lone, lone);
			}
		}
	}
}

static void test_alphabet_strings(void **state)
{
	char lo[1024] = "", up[1024] = "";

	(void)state;
	for (size_t i = 0; i < 67; i++) {
		strcat(lo, lower_letters[i]);
		strcat(up, upper_letters[i]);
	}
	for (size_t e = 0; e < N(all_legacy); e++) {
		round_trip(all_legacy[e], lo, lo);
		/* One word of capitals: TCVN3 restores them all. */
		round_trip(all_legacy[e], up, up);
	}
	round_trip(TTHC_ENC_UTF8, lo, lo);
}

/* clang-format off */
static const struct known {
	enum tthc_enc enc;
	const char *bytes;
	const char *text;
	size_t len; /* 0: strlen(bytes); UTF-16 holds NUL bytes */
} known[] = {
	/* VNI-Windows: letter + mark byte (the vietnamese-conversion README's example) */
	{ TTHC_ENC_VNI, "Xin cha\xf8o ca\xf9""c ba\xefn", "Xin chào các bạn", 0 },
	{ TTHC_ENC_VNI, "Vie\xe4t Nam", "Việt Nam", 0 },
	{ TTHC_ENC_VNI, "C\xd4\xd8NG HO\xd8""A", "CỜNG HÒA", 0 },
	{ TTHC_ENC_VNI, "\xf1\xf6\xf4\xf8ng Quo\xe1""c", "đường Quốc", 0 },
	{ TTHC_ENC_VNI, "NGUYE\xc3N Th\xf2 \xd1""a\xe9t", "NGUYỄN Thị Đắt", 0 },
	{ TTHC_ENC_VNI, "thu\xfby kh\xf6\xf4\xfb", "thủy khưở", 0 },
	{ TTHC_ENC_VNI, "\xed\xec\xe6\xf3\xf2\xee", "íìỉĩịỵ", 0 },
	/* a mark after a consonant cannot join it: it stays a combining mark */
	{ TTHC_ENC_VNI, "x\xf9", "x\xcc\x81", 0 },
	/* TCVN3 (ABC) */
	{ TTHC_ENC_TCVN3, "Vi\xd6t Nam", "Việt Nam", 0 },
	{ TTHC_ENC_TCVN3, "H\xb5 N\xe9i, \xa7\xb5 N\xbdng", "Hà Nội, Đà Nẵng", 0 },
	{ TTHC_ENC_TCVN3, "NGUY\xd4N V\xa2N \xb8NH", "NGUYỄN VÂN ÁNH", 0 },
	{ TTHC_ENC_TCVN3, "Nguy\xd4n V\xa9n", "Nguyễn Vân", 0 },
	{ TTHC_ENC_TCVN3, "T\xe6 QU\xe8""C", "TỔ QUỐC", 0 },
	{ TTHC_ENC_TCVN3, "T\xe6 qu\xe8""c", "Tổ quốc", 0 },
	{ TTHC_ENC_TCVN3, "C\xe9NG H\xdf""A X\xb7 H\xe9I CH\xf1 NGH\xdc""A VI\xd6T NAM",
	  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0 },
	/* a line ends the wait for the next word */
	{ TTHC_ENC_TCVN3, "T\xe6\nQU\xe8""C", "Tổ\nQUỐC", 0 },
	{ TTHC_ENC_TCVN3, "\xb8 \xa7\xb5", "á Đà", 0 },
	{ TTHC_ENC_TCVN3, "\xb8nh \xad\xed""c", "ánh ước", 0 },
	{ TTHC_ENC_TCVN3, "\x93qu\xe8""c\x94", "\xe2\x80\x9cquốc\xe2\x80\x9d", 0 },
	/* a separate combining mark byte joins its letter */
	{ TTHC_ENC_TCVN3, "a\xb3 n\xb3", "á ń", 0 },
	/* VPS (Mozilla's vps.ut) */
	{ TTHC_ENC_VPS, "Vi\x8ct Nam", "Việt Nam", 0 },
	{ TTHC_ENC_VPS, "\xf1\xdc\xa9ng", "Đường", 0 },
	{ TTHC_ENC_VPS, "\x02\x03\x04\x19", "ẠẬẶỴ", 0 },
	/* VIQR (RFC 1456) */
	{ TTHC_ENC_VIQR, "Vie^.t Nam", "Việt Nam", 0 },
	{ TTHC_ENC_VIQR, "ddu+o+`ng DDa`", "đường Đà", 0 },
	{ TTHC_ENC_VIQR, "Na(~ng, kho^ng\\? va`.", "Nẵng, không? và.", 0 },
	{ TTHC_ENC_VIQR, "a\\'b \\\\ \\x d\\d", "a'b \\ \\x dd", 0 },
	/* the charsets glibc knows, composed to NFC */
	{ TTHC_ENC_CP1258, "Vi\xea\xf2t ch\xe0o", "Việt chào", 0 },
	{ TTHC_ENC_CP1258, "ng\xfd\xecn", "ngứn", 0 },
	{ TTHC_ENC_VISCII, "Vi\xaet", "Việt", 0 },
	{ TTHC_ENC_TCVN5712, "\x8c \xd6", "Ệ ệ", 0 },
	/* Unicode */
	{ TTHC_ENC_UTF8, "Vie\xcc\x82\xcc\xa3t", "Việt", 0 },
	{ TTHC_ENC_UTF8, "A\xcc\x81 \xe1\xba\xa1\xcc\x82", "Á ậ", 0 },
	{ TTHC_ENC_UTF8, "\xef\xbb\xbfplain", "\xef\xbb\xbfplain", 0 },
	{ TTHC_ENC_UTF16, "\xff\xfeV\0i\0\xc7\x1et\0", "Việt", 10 },
	{ TTHC_ENC_UTF16, "\xfe\xff\0V\0i\x1e\xc7\0t", "Việt", 10 },
	{ TTHC_ENC_UTF16, "V\0i\0", "Vi", 4 },
	{ TTHC_ENC_UTF16, "\xff\xfe\x3d\xd8\x00\xde", "\xf0\x9f\x98\x80", 6 },
};
/* clang-format on */

static size_t known_len(const struct known *k)
{
	return k->len ? k->len : strlen(k->bytes);
}

static void test_known_bytes(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(known); i++) {
		char *out = decode_ok(known[i].enc, known[i].bytes, known_len(&known[i]));

		if (strcmp(out, known[i].text) != 0)
			fail_msg("row %zu (%s): got \"%s\", want \"%s\"", i,
			         tthc_enc_name(known[i].enc), out, known[i].text);
		free(out);
	}
}

struct sink {
	char *p;
	size_t n, cap;
};

static int sink_write(void *arg, const char *buf, size_t len)
{
	struct sink *s = arg;

	if (s->n + len + 1 > s->cap) {
		s->cap = (s->n + len + 1) * 2;
		s->p = realloc(s->p, s->cap);
		assert_non_null(s->p);
	}
	memcpy(s->p + s->n, buf, len);
	s->n += len;
	s->p[s->n] = '\0';
	return 0;
}

/* Decodes through the streaming interface, chunk bytes at a time. */
static char *decode_chunked(enum tthc_enc enc, unsigned flags, const char *in, size_t len,
                            size_t chunk)
{
	struct tthc_vnconv *c;
	struct sink s = { NULL, 0, 0 };

	assert_int_equal(tthc_vnenc_open(enc, &c), 0);
	assert_int_equal(tthc_vnconv_set_flags(c, flags), 0);
	for (size_t i = 0; i < len; i += chunk)
		assert_int_equal(tthc_vnconv_feed(c, in + i,
		                                  len - i < chunk ? len - i : chunk,
		                                  sink_write, &s),
		                 0);
	assert_int_equal(tthc_vnconv_finish(c, sink_write, &s), 0);
	tthc_vnconv_free(c);
	sink_write(&s, "", 0);
	return s.p;
}

static char *read_data(const char *name, size_t *len)
{
	const char *dir = getenv("TTHC_TESTDATA");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/vnenc/%s", dir ? dir : "tests/data", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A few kilobytes of prose in enc, long enough to cross the decoders' buffers. */
static char *prose_in(enum tthc_enc enc, size_t copies, size_t *len, char **utf8)
{
	size_t n, m;
	char *one =
	    read_data(enc == TTHC_ENC_TCVN3 ? "prose-tcvn3.txt" : "prose.txt", &n);
	char *text = malloc(n * copies + 1), *bytes;

	assert_non_null(text);
	for (size_t i = 0; i < copies; i++)
		memcpy(text + i * n, one, n);
	text[n * copies] = '\0';
	free(one);
	bytes = encode_ok(enc, text, &m);
	*len = m;
	*utf8 = text;
	return bytes;
}

static void test_chunk_boundaries(void **state)
{
	static const enum tthc_enc encs[] = {
		TTHC_ENC_UTF8,   TTHC_ENC_UTF16,  TTHC_ENC_TCVN3,
		TTHC_ENC_VNI,    TTHC_ENC_VISCII, TTHC_ENC_VPS,
		TTHC_ENC_CP1258, TTHC_ENC_VIQR,   TTHC_ENC_TCVN5712,
	};
	static const size_t chunks[] = { 1, 2, 3, 7, 4096 };

	(void)state;
	for (size_t e = 0; e < N(encs); e++) {
		size_t len;
		char *text, *bytes = prose_in(encs[e], 3, &len, &text);
		char *whole = decode_ok(encs[e], bytes, len);

		assert_string_equal(whole, text);
		for (size_t k = 0; k < N(chunks); k++) {
			char *got = decode_chunked(encs[e], 0, bytes, len, chunks[k]);

			if (strcmp(got, whole) != 0)
				fail_msg("%s in chunks of %zu differs",
				         tthc_enc_name(encs[e]), chunks[k]);
			free(got);
		}
		free(whole);
		free(bytes);
		free(text);
	}
}

/* Marks split from their letters: NFD UTF-8 and VNI fed a byte at a time. */
static void test_split_marks(void **state)
{
	static const struct {
		enum tthc_enc enc;
		const char *in, *want;
	} rows[] = {
		{ TTHC_ENC_UTF8, "Vie\xcc\x82\xcc\xa3t Nam", "Việt Nam" },
		{ TTHC_ENC_VNI, "NGUYE\xc3N vie\xe4t", "NGUYỄN việt" },
		{ TTHC_ENC_VIQR, "Vie^.t \\. ddu+o+`ng\\", "Việt . đường\\" },
		{ TTHC_ENC_TCVN3,
		  "T\xe6 QU\xe8"
		  "C",
		  "TỔ QUỐC" },
		{ TTHC_ENC_CP1258, "Vi\xea\xf2t", "Việt" },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		char *got =
		    decode_chunked(rows[i].enc, 0, rows[i].in, strlen(rows[i].in), 1);

		assert_string_equal(got, rows[i].want);
		free(got);
	}
}

/* Large input: the output buffer is handed over many times, mid-word and mid-letter. */
static void test_large_stream(void **state)
{
	static const enum tthc_enc encs[] = { TTHC_ENC_TCVN3, TTHC_ENC_VNI, TTHC_ENC_VIQR,
		                              TTHC_ENC_UTF8 };

	(void)state;
	for (size_t e = 0; e < N(encs); e++) {
		size_t len;
		char *text, *bytes = prose_in(encs[e], 400, &len, &text);
		char *a = decode_chunked(encs[e], 0, bytes, len, 1);
		char *b = decode_chunked(encs[e], 0, bytes, len, 65521);

		assert_true(len > 150000);
		assert_string_equal(a, text);
		assert_string_equal(b, text);
		free(a);
		free(b);
		free(bytes);
		free(text);
	}
}

static void test_legacy_files(void **state)
{
	static const struct {
		const char *file, *expect;
		enum tthc_enc enc;
	} rows[] = {
		{ "prose.tcvn5712", "prose.txt", TTHC_ENC_TCVN5712 },
		{ "prose.viscii", "prose.txt", TTHC_ENC_VISCII },
		{ "prose.cp1258", "prose.txt", TTHC_ENC_CP1258 },
		{ "prose.tcvn3", "prose-tcvn3.txt", TTHC_ENC_TCVN3 },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		size_t n, m;
		char *in = read_data(rows[i].file, &n),
		     *want = read_data(rows[i].expect, &m);
		char *got = decode_ok(rows[i].enc, in, n);
		enum tthc_enc det;
		double conf;

		assert_string_equal(got, want);
		assert_int_equal(tthc_vnenc_detect(in, n, &det, &conf), 0);
		if (det != rows[i].enc)
			fail_msg("%s detected as %s", rows[i].file, tthc_enc_name(det));
		assert_true(conf > 0.5);
		free(in);
		free(want);
		free(got);
	}
}

static void test_name_flag(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "nguy\xd4n v\xa8n \xb8nh", "Nguyễn Văn Ánh" },
		{ "tr\xc7n th\xde \xf3t", "Trần Thị Út" },
		{ "L\xaa \xa7\xe9", "Lê Độ" },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		char *got = decode_chunked(TTHC_ENC_TCVN3, TTHC_VNCONV_NAME, rows[i].in,
		                           strlen(rows[i].in), 1);

		assert_string_equal(got, rows[i].want);
		free(got);
	}
}

static void test_invalid_utf8(void **state)
{
	static const struct {
		const char *in;
		size_t off;
	} rows[] = {
		{ "abc\xff"
		  "def",
		  3 },
		{ "ab\xe1\x80", 2 },
		{ "\xc0\xaf", 0 },
		{ "Vi\xe1\xbb\x87t\x80", 6 },
		{ "xx\xed\xa0\x80", 2 },
		{ "\xe1\xbbz", 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		size_t len = strlen(rows[i].in), off = 999;
		char *out = (char *)1;
		struct tthc_vnconv *c;
		struct sink s = { NULL, 0, 0 };
		int r = 0;

		assert_int_equal(
		    tthc_vnenc_decode(TTHC_ENC_UTF8, rows[i].in, len, &out, &off),
		    -EILSEQ);
		assert_null(out);
		assert_int_equal(off, rows[i].off);
		/* Fed a byte at a time the offset is the same. */
		assert_int_equal(tthc_vnenc_open(TTHC_ENC_UTF8, &c), 0);
		for (size_t k = 0; k < len && !r; k++)
			r = tthc_vnconv_feed(c, rows[i].in + k, 1, sink_write, &s);
		if (!r)
			r = tthc_vnconv_finish(c, sink_write, &s);
		assert_int_equal(r, -EILSEQ);
		assert_int_equal(tthc_vnconv_error_offset(c), rows[i].off);
		assert_non_null(strstr(tthc_vnconv_error(c), "UTF-8"));
		tthc_vnconv_free(c);
		free(s.p);
	}
}

static void test_invalid_other(void **state)
{
	char *out;
	size_t off = 0;
	struct tthc_vnconv *c;

	(void)state;
	/* a low surrogate alone, and a byte CP1258 leaves undefined */
	assert_int_equal(tthc_vnenc_decode(TTHC_ENC_UTF16, "a\0\x00\xdc", 4, &out, &off),
	                 -EILSEQ);
	assert_int_equal(off, 2);
	assert_int_equal(tthc_vnenc_decode(TTHC_ENC_UTF16, "a\0b", 3, &out, &off),
	                 -EILSEQ);
	assert_int_equal(off, 2);
	assert_int_equal(tthc_vnenc_decode(TTHC_ENC_CP1258, "ab\x81", 3, &out, &off),
	                 -EILSEQ);
	assert_int_equal(off, 2);
	/* what encoders cannot write */
	assert_int_equal(tthc_vnenc_encode(TTHC_ENC_VNI, "ab\xc3\xb8", 4, &out, &off),
	                 -EILSEQ);
	assert_int_equal(off, 2);
	assert_int_equal(tthc_vnenc_encode(TTHC_ENC_TCVN3, "x\xce\xa9", 3, &out, &off),
	                 -EILSEQ);
	assert_int_equal(off, 1);
	assert_int_equal(tthc_vnenc_encode(TTHC_ENC_VIQR, "\xe2\x82\xac", 3, &out, &off),
	                 -EILSEQ);
	assert_int_equal(tthc_vnenc_encode(TTHC_ENC_VPS, "ok\xff", 3, &out, &off),
	                 -EILSEQ);
	assert_int_equal(off, 2);
	/* arguments */
	assert_int_equal(tthc_vnenc_open(TTHC_ENC_AUTO, &c), -EINVAL);
	assert_int_equal(tthc_vnenc_open((enum tthc_enc)42, &c), -EINVAL);
	assert_int_equal(tthc_vnenc_open(TTHC_ENC_TCVN3, &c), 0);
	assert_int_equal(tthc_vnconv_set_flags(c, 0x80), -EINVAL);
	tthc_vnconv_free(c);
}

/* VIQR output escapes what the decoder would otherwise take for a mark. */
static void test_viqr_escapes(void **state)
{
	static const char *const rows[] = {
		"và.", "Anh đi đâu?", "add dd đd", "a\\b \\. (x) a(b", "Hai. Ba? Đây!",
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++)
		round_trip(TTHC_ENC_VIQR, rows[i], rows[i]);
}

static int failing_write(void *arg, const char *buf, size_t len)
{
	(void)arg;
	(void)buf;
	(void)len;
	return -EIO;
}

/* A converter is reused after finish; a failing callback stops it with its code. */
static void test_lifecycle(void **state)
{
	struct tthc_vnconv *c;
	struct sink s = { NULL, 0, 0 };
	static char big[70000];
	char *out;
	size_t n;

	(void)state;
	assert_int_equal(tthc_vnenc_open(TTHC_ENC_VNI, &c), 0);
	assert_int_equal(tthc_vnconv_feed(c, "cha", 3, sink_write, &s), 0);
	assert_int_equal(tthc_vnconv_finish(c, sink_write, &s), 0);
	/* the mark of a new input does not reach back into the old one */
	assert_int_equal(tthc_vnconv_feed(c, "\xf8o", 2, sink_write, &s), 0);
	assert_int_equal(tthc_vnconv_finish(c, sink_write, &s), 0);
	assert_string_equal(s.p, "cha\xcc\x80o");
	memset(big, 'a', sizeof(big));
	assert_int_equal(tthc_vnconv_feed(c, big, sizeof(big), failing_write, NULL),
	                 -EIO);
	assert_int_equal(tthc_vnconv_feed(c, "x", 1, sink_write, &s), -EIO);
	assert_int_equal(tthc_vnconv_finish(c, sink_write, &s), -EIO);
	tthc_vnconv_free(c);
	free(s.p);
	/* encoders compose first: decomposed input writes the same bytes */
	out = encode_ok(TTHC_ENC_TCVN3, "Vie\xcc\x82\xcc\xa3t", &n);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "Vi\xd6t", 4);
	free(out);
	out = encode_ok(TTHC_ENC_VNI, "Việt Nam, Đường", &n);
	assert_string_equal(out, "Vie\xe4t Nam, \xd1\xf6\xf4\xf8ng");
	free(out);
}

static void test_syllables(void **state)
{
	static const char *const valid[] = {
		"nghiêng", "Người", "QUỐC",  "giếng", "gì",  "gìn", "khuỷu",
		"thuở",    "Việt",  "học",   "ạ",     "yêu", "oan", "xoong",
		"quýt",    "quỳnh", "khuya", "ươn",   "a",   "đặt", "kể",
	};
	static const char *const invalid[] = {
		"hoc", "hòc", "ngie", "ka",    "cé",   "ghà",    "Vieät", "world",
		"",    "bb",  "fa",   "việtt", "hoàá", "nghĩaa", "qua'",
	};

	(void)state;
	for (size_t i = 0; i < N(valid); i++)
		if (!tthc_vnsyllable_valid(valid[i], strlen(valid[i])))
			fail_msg("\"%s\" should be a syllable", valid[i]);
	for (size_t i = 0; i < N(invalid); i++)
		if (tthc_vnsyllable_valid(invalid[i], strlen(invalid[i])))
			fail_msg("\"%s\" should not be a syllable", invalid[i]);
}

static void test_detect(void **state)
{
	static const enum tthc_enc encs[] = {
		TTHC_ENC_UTF8,   TTHC_ENC_UTF16,  TTHC_ENC_TCVN3,
		TTHC_ENC_VNI,    TTHC_ENC_VISCII, TTHC_ENC_VPS,
		TTHC_ENC_CP1258, TTHC_ENC_VIQR,   TTHC_ENC_TCVN5712,
	};
	/* ASCII is UTF-8; the confidence is the share of words that are syllables. */
	static const struct {
		const char *text;
		double lo, hi;
	} ascii[] = {
		{ "Nguyen Van A, 12 Le Loi, Quan 1\n", 0.6, 1.0 },
		{ "The quick brown fox? It's here.\n", 0.0, 0.2 },
		{ "hello world\n", 0.0, 0.0 },
	};

	(void)state;
	for (size_t e = 0; e < N(encs); e++) {
		size_t len;
		char *text, *bytes = prose_in(encs[e], 1, &len, &text);
		enum tthc_enc got;
		double conf = -1;

		assert_int_equal(tthc_vnenc_detect(bytes, len, &got, &conf), 0);
		if (got != encs[e])
			fail_msg("%s prose detected as %s", tthc_enc_name(encs[e]),
			         tthc_enc_name(got));
		assert_true(conf > 0.5 && conf <= 1.0);
		/* UTF-16 without its byte-order mark is found by its NUL bytes */
		if (encs[e] == TTHC_ENC_UTF16) {
			assert_int_equal(
			    tthc_vnenc_detect(bytes + 2, len - 2, &got, &conf), 0);
			assert_int_equal(got, TTHC_ENC_UTF16);
		}
		free(bytes);
		free(text);
	}
	for (size_t i = 0; i < N(ascii); i++) {
		enum tthc_enc got;
		double conf;

		assert_int_equal(
		    tthc_vnenc_detect(ascii[i].text, strlen(ascii[i].text), &got, &conf),
		    0);
		assert_int_equal(got, TTHC_ENC_UTF8);
		if (conf < ascii[i].lo || conf > ascii[i].hi)
			fail_msg("\"%s\": confidence %.2f", ascii[i].text, conf);
	}
	assert_int_equal(tthc_vnenc_detect("x", 0, NULL, NULL), -EINVAL);
}

static enum tthc_enc detect_ok(const char *s, size_t n, double *conf)
{
	enum tthc_enc got;

	assert_int_equal(tthc_vnenc_detect(s, n, &got, conf), 0);
	return got;
}

/* VIQR needs VIQR words: marks inside words, or ` ~ ^ ( + at their end, two at least. */
static void test_detect_viqr_evidence(void **state)
{
	static const struct {
		const char *text;
		enum tthc_enc want;
	} rows[] = {
		{ "Ha Noi.", TTHC_ENC_UTF8 },
		{ "Ho ten: Nguyen Van An. Noi sinh: Ha Noi. Co con khong? Khong.\n",
		  TTHC_ENC_UTF8 },
		{ "Hue.\nCan Tho.\nHa Noi.\n", TTHC_ENC_UTF8 },
		{ "It's 9 a.m. in Ha Noi? Yes.", TTHC_ENC_UTF8 },
		{ "Vie^.t Nam", TTHC_ENC_UTF8 }, /* one word is no evidence */
		{ "Vie^.t Nam, Ha` No^.i", TTHC_ENC_VIQR },
		{ "ngu+o+`i ddi ho.c", TTHC_ENC_VIQR },
	};

	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		double conf;
		enum tthc_enc got = detect_ok(rows[i].text, strlen(rows[i].text), &conf);

		if (got != rows[i].want)
			fail_msg("\"%s\" detected as %s", rows[i].text,
			         tthc_enc_name(got));
		if (got == TTHC_ENC_VIQR)
			assert_true(conf >= 0.9);
	}
}

/*
 * Valid UTF-8 is UTF-8 unless a legacy reading is clearly better; text that is mostly
 * UTF-8 is never taken for a legacy encoding for the sake of one line.
 */
static void test_detect_utf8_or_legacy(void **state)
{
	static const char para[] =
	    "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập, tự do, hạnh phúc. Ủy ban nhân "
	    "dân tỉnh Thừa Thiên Huế tiếp nhận hồ sơ của ông Nguyễn Văn Ánh.\n";
	size_t n, vn;
	char *v = encode_ok(TTHC_ENC_VISCII, "Đặng", &vn), *t3, *mixed;
	double conf;

	(void)state;
	/* VISCII "Đặng" is the valid UTF-8 "Уng" */
	assert_true(vn == 4 && memcmp(v, "\xd0\xa3ng", 4) == 0);
	assert_int_equal(detect_ok(v, vn, &conf), TTHC_ENC_VISCII);
	assert_int_equal(detect_ok("Đặng", strlen("Đặng"), &conf), TTHC_ENC_UTF8);
	free(v);
	/* three UTF-8 paragraphs and one TCVN3 line */
	t3 = encode_ok(TTHC_ENC_TCVN3, "giấy khai sinh của cháu Trần Thị Bích\n", &n);
	mixed = malloc(3 * strlen(para) + n);
	assert_non_null(mixed);
	for (int i = 0; i < 3; i++)
		memcpy(mixed + i * strlen(para), para, strlen(para));
	memcpy(mixed + 3 * strlen(para), t3, n);
	assert_int_equal(detect_ok(mixed, 3 * strlen(para) + n, &conf), TTHC_ENC_UTF8);
	free(mixed);
	free(t3);
	/* bytes no encoding reads well: a low confidence, which callers must not trust */
	detect_ok("\x80\x81\x82 \x83\x84\x85 \x86\x87", 11, &conf);
	assert_true(conf < 0.5);
}

/*
 * TCVN3 capitals: a word with one capital beside its toned letters ("Hà") is restored
 * only next to a word certain by itself that has a toned letter too.
 */
static void test_tcvn3_capitals(void **state)
{
	static const char *const same[] = {
		"UBND Hà Nội",
		"TP Hồ Chí Minh",
		"TP. Hồ Chí Minh",
		"CA Hà Tĩnh",
		"cấp tại CA Hà Tĩnh",
		"HÀ NỘI",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"TỔ QUỐC",
		"Tổ quốc",
		"NGUYỄN VĂN ÁNH",
		"ÔNG Lê Văn Tám",
	};

	(void)state;
	for (size_t i = 0; i < N(same); i++)
		round_trip(TTHC_ENC_TCVN3, same[i], same[i]);
	/* two words that are each unsure stay unsure */
	round_trip(TTHC_ENC_TCVN3, "XÃ HÀ", "Xã Hà");
	round_trip(TTHC_ENC_TCVN3, "Từ DŨ", "Từ Dũ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_letters_round_trip),
		cmocka_unit_test(test_alphabet_strings),
		cmocka_unit_test(test_known_bytes),
		cmocka_unit_test(test_chunk_boundaries),
		cmocka_unit_test(test_split_marks),
		cmocka_unit_test(test_large_stream),
		cmocka_unit_test(test_legacy_files),
		cmocka_unit_test(test_name_flag),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_invalid_other),
		cmocka_unit_test(test_viqr_escapes),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_syllables),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_detect_viqr_evidence),
		cmocka_unit_test(test_detect_utf8_or_legacy),
		cmocka_unit_test(test_tcvn3_capitals),
	};

	return cmocka_run_group_tests_name("vnenc", tests, NULL, NULL);
}
