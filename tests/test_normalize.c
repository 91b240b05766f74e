/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/normalize.c: encodings, fields by schema type, layout, nothing lost.
 */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <libxml/parser.h>

#include "internal.h"

static struct tthc_ctx *ctx;
static struct tthc_normalizer *nz;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* A dossier around body, with the encoding declared as enc (NULL: no declaration). */
static char *dossier(const char *enc, const char *body)
{
	static const char head[] =
	    "<HoSo xmlns=\"urn:tthc:hoso:1\">\n<MaTTHC>1.001193</MaTTHC>\n";
	char *s;

	if (enc)
		assert_true(
		    asprintf(&s, "<?xml version=\"1.0\" encoding=\"%s\"?>\n%s%s</HoSo>\n",
		             enc, head, body) > 0);
	else
		assert_true(asprintf(&s, "%s%s</HoSo>\n", head, body) > 0);
	return s;
}

static struct tthc_normalized *normalize(const char *buf, size_t len)
{
	struct tthc_normalized *r = NULL;
	int ret = tthc_normalizer_memory(nz, buf, len, "t.xml", &r);

	if (ret < 0)
		print_message("  %s\n", tthc_normalizer_error(nz));
	assert_int_equal(ret, 0);
	return r;
}

static const struct tthc_change *find_change(const struct tthc_normalized *r,
                                             const char *path)
{
	for (size_t i = 0; i < tthc_normalized_count(r); i++)
		if (strcmp(tthc_normalized_get(r, i)->path, path) == 0)
			return tthc_normalized_get(r, i);
	return NULL;
}

static void print_changes(const struct tthc_normalized *r)
{
	for (size_t i = 0; i < tthc_normalized_count(r); i++) {
		const struct tthc_change *c = tthc_normalized_get(r, i);

		print_message("  %s:%lu: %s %s '%s' -> '%s'\n", c->file, c->line, c->rule,
		              c->path, c->old_value,
		              c->new_value ? c->new_value : "(refused)");
	}
}

/* ---- fields, chosen by their schema type ---- */

enum outcome { CHANGED, SAME, REFUSED };

static const struct field_case {
	const char *body; /* under HoSo */
	const char *path; /* of the value */
	const char *old;  /* as written */
	enum outcome outcome;
	const char *expected; /* the value written out */
	const char *rule;
} field_cases[] = {
	{ "<NguoiNop><NgaySinh>5/3/1990</NgaySinh></NguoiNop>", "/HoSo/NguoiNop/NgaySinh",
	  "5/3/1990", CHANGED, "1990-03-05", "date" },
	{ "<NguoiNop><NgaySinh>ngày 05 tháng 03 năm 1990</NgaySinh></NguoiNop>",
	  "/HoSo/NguoiNop/NgaySinh", "ngày 05 tháng 03 năm 1990", CHANGED, "1990-03-05",
	  "date" },
	{ "<NguoiNop><NgaySinh>tháng 3/1990</NgaySinh></NguoiNop>",
	  "/HoSo/NguoiNop/NgaySinh", "tháng 3/1990", CHANGED, "1990-03", "date" },
	{ "<ToKhaiLyLichTuPhap><QuaTrinhCuTru><GiaiDoan><TuNgay>05.03.1990</TuNgay>"
	  "</GiaiDoan></QuaTrinhCuTru></ToKhaiLyLichTuPhap>",
	  "/HoSo/ToKhaiLyLichTuPhap/QuaTrinhCuTru/GiaiDoan/TuNgay", "05.03.1990", CHANGED,
	  "1990-03-05", "date" },
	{ "<KetQua><NgayKy>1/2/2023</NgayKy></KetQua>", "/HoSo/KetQua/NgayKy", "1/2/2023",
	  CHANGED, "2023-02-01", "date" },
	{ "<NgayTiepNhan>18/05/2022 08:30</NgayTiepNhan>", "/HoSo/NgayTiepNhan",
	  "18/05/2022 08:30", CHANGED, "2022-05-18T08:30:00+07:00", "datetime" },
	{ "<NguoiNop><SoDinhDanh>001 199 867 241</SoDinhDanh></NguoiNop>",
	  "/HoSo/NguoiNop/SoDinhDanh", "001 199 867 241", CHANGED, "001199867241",
	  "idnum" },
	{ "<NguoiNop><GiayTo><LoaiGiayTo>4</LoaiGiayTo><SoGiayTo>034.203.394.591</"
	  "SoGiayTo>"
	  "</GiayTo></NguoiNop>",
	  "/HoSo/NguoiNop/GiayTo/SoGiayTo", "034.203.394.591", CHANGED, "034203394591",
	  "idnum" },
	{ "<NguoiNop><GiayTo><LoaiGiayTo>1</LoaiGiayTo><SoGiayTo>123-456-789</SoGiayTo>"
	  "</GiayTo></NguoiNop>",
	  "/HoSo/NguoiNop/GiayTo/SoGiayTo", "123-456-789", CHANGED, "123456789",
	  "idnum" },
	/* a passport number is not a personal number: only blanks are tidied */
	{ "<NguoiNop><GiayTo><LoaiGiayTo>2</LoaiGiayTo><SoGiayTo>B12-34</SoGiayTo>"
	  "</GiayTo></NguoiNop>",
	  "/HoSo/NguoiNop/GiayTo/SoGiayTo", "B12-34", SAME, "B12-34", NULL },
	{ "<NguoiNop><GiayTo><LoaiGiayTo>2</LoaiGiayTo><SoGiayTo>B  1234567</SoGiayTo>"
	  "</GiayTo></NguoiNop>",
	  "/HoSo/NguoiNop/GiayTo/SoGiayTo", "B  1234567", CHANGED, "B 1234567", "text" },
	/* KetQua/SoGiayTo is a register number, not an identity document */
	{ "<KetQua><SoGiayTo>12.345</SoGiayTo></KetQua>", "/HoSo/KetQua/SoGiayTo",
	  "12.345", SAME, "12.345", NULL },
	{ "<NguoiNop><GioiTinh>Nữ</GioiTinh></NguoiNop>", "/HoSo/NguoiNop/GioiTinh", "Nữ",
	  CHANGED, "2", "sex" },
	{ "<NguoiNop><GioiTinh>nam</GioiTinh></NguoiNop>", "/HoSo/NguoiNop/GioiTinh",
	  "nam", CHANGED, "1", "sex" },
	{ "<NguoiNop><GioiTinh>F</GioiTinh></NguoiNop>", "/HoSo/NguoiNop/GioiTinh", "F",
	  CHANGED, "2", "sex" },
	{ "<NguoiNop><HoTen>  nguyễn   thị  vy </HoTen></NguoiNop>",
	  "/HoSo/NguoiNop/HoTen", "  nguyễn   thị  vy ", CHANGED, "Nguyễn Thị Vy",
	  "name" },
	{ "<ToKhaiKhaiSinh><Cha><TenGoiKhac>ĐỖ VĂN "
	  "TÝ</TenGoiKhac></Cha></ToKhaiKhaiSinh>",
	  "/HoSo/ToKhaiKhaiSinh/Cha/TenGoiKhac", "ĐỖ VĂN TÝ", CHANGED, "Đỗ Văn Tý",
	  "name" },
	{ "<KetQua><NguoiKy>trần văn b</NguoiKy></KetQua>", "/HoSo/KetQua/NguoiKy",
	  "trần văn b", CHANGED, "Trần Văn B", "name" },
	/* DanToc is a TenType but not a personal name: its case is kept */
	{ "<NguoiNop><DanToc>kinh</DanToc></NguoiNop>", "/HoSo/NguoiNop/DanToc", "kinh",
	  SAME, "kinh", NULL },
	{ "<NguoiNop><NoiCuTru>Q1,  TP.HCM</NoiCuTru></NguoiNop>",
	  "/HoSo/NguoiNop/NoiCuTru", "Q1,  TP.HCM", CHANGED, "Q1, Thành phố Hồ Chí Minh",
	  "place" },
	{ "<NguoiNop><SoDienThoai>+84 912 345 678</SoDienThoai></NguoiNop>",
	  "/HoSo/NguoiNop/SoDienThoai", "+84 912 345 678", CHANGED, "0912345678",
	  "phone" },
	{ "<NguoiNop><SoDienThoai>01623456789</SoDienThoai></NguoiNop>",
	  "/HoSo/NguoiNop/SoDienThoai", "01623456789", CHANGED, "0323456789", "phone" },
	{ "<CoQuanTiepNhan><TenCoQuan> UBND\tphường  Ngọc Hà "
	  "</TenCoQuan></CoQuanTiepNhan>",
	  "/HoSo/CoQuanTiepNhan/TenCoQuan", " UBND\tphường  Ngọc Hà ", CHANGED,
	  "UBND phường Ngọc Hà", "text" },
	/* decomposed (NFD) text is composed */
	{ "<CoQuanTiepNhan><TenCoQuan>Vie\xcc\xa3\xcc\x82t</TenCoQuan></CoQuanTiepNhan>",
	  "/HoSo/CoQuanTiepNhan/TenCoQuan", "Vie\xcc\xa3\xcc\x82t", CHANGED, "Việt",
	  "text" },
	/* a path names a file byte for byte */
	{ "<TaiLieuNop><TepDinhKem><DuongDan> a  "
	  "b.pdf</DuongDan></TepDinhKem></TaiLieuNop>",
	  "/HoSo/TaiLieuNop/TepDinhKem/DuongDan", " a  b.pdf", SAME, " a  b.pdf", NULL },
	/* refused: kept byte for byte and reported */
	{ "<NguoiNop><NgaySinh> không rõ </NgaySinh></NguoiNop>",
	  "/HoSo/NguoiNop/NgaySinh", " không rõ ", REFUSED, " không rõ ", "date" },
	{ "<NguoiNop><SoDinhDanh>12 345</SoDinhDanh></NguoiNop>",
	  "/HoSo/NguoiNop/SoDinhDanh", "12 345", REFUSED, "12 345", "idnum" },
	{ "<NguoiNop><GioiTinh>x</GioiTinh></NguoiNop>", "/HoSo/NguoiNop/GioiTinh", "x",
	  REFUSED, "x", "sex" },
	/* a partial date only where the type allows one: NgayType is a full date */
	{ "<NguoiNop><GiayTo><LoaiGiayTo>4</LoaiGiayTo><SoGiayTo>034203394591</SoGiayTo>"
	  "<NgayCap>4/2022</NgayCap></GiayTo></NguoiNop>",
	  "/HoSo/NguoiNop/GiayTo/NgayCap", "4/2022", REFUSED, "4/2022", "date" },
	{ "<NguoiNop><GiayTo><LoaiGiayTo>4</LoaiGiayTo><SoGiayTo>034203394591</SoGiayTo>"
	  "<NgayCap>5/4/2022</NgayCap></GiayTo></NguoiNop>",
	  "/HoSo/NguoiNop/GiayTo/NgayCap", "5/4/2022", CHANGED, "2022-04-05", "date" },
	{ "<KetQua><NgayKy>tháng 4 năm 2022</NgayKy></KetQua>", "/HoSo/KetQua/NgayKy",
	  "tháng 4 năm 2022", REFUSED, "tháng 4 năm 2022", "date" },
	{ "<KetQua><NgayKy>2022-04</NgayKy></KetQua>", "/HoSo/KetQua/NgayKy", "2022-04",
	  REFUSED, "2022-04", "date" },
	{ "<ToKhaiKhaiTu><NgayChet>năm 2020</NgayChet></ToKhaiKhaiTu>",
	  "/HoSo/ToKhaiKhaiTu/NgayChet", "năm 2020", REFUSED, "năm 2020", "date" },
	{ "<NguoiNop><NgaySinh>3/1990</NgaySinh></NguoiNop>", "/HoSo/NguoiNop/NgaySinh",
	  "3/1990", CHANGED, "1990-03", "date" },
	{ "<NguoiNop><NgaySinh>năm 1990</NgaySinh></NguoiNop>", "/HoSo/NguoiNop/NgaySinh",
	  "năm 1990", CHANGED, "1990", "date" },
};

static void element_line(const char *path, const char *value, char *buf, size_t size)
{
	const char *name = strrchr(path, '/') + 1;

	snprintf(buf, size, "<%s>%s</%s>\n", name, value, name);
}

static void test_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		const struct field_case *fc = &field_cases[i];
		char *doc = dossier("UTF-8", fc->body), line[512];
		struct tthc_normalized *r = normalize(doc, strlen(doc));
		const struct tthc_change *c = find_change(r, fc->path);
		const char *out = tthc_normalized_data(r, NULL);

		print_message("case %zu: %s\n", i, fc->old);
		print_changes(r);
		/* escaped as the serialiser writes it: none of the values needs escaping
		 */
		element_line(fc->path, fc->expected, line, sizeof(line));
		assert_non_null(strstr(out, line));
		if (fc->outcome == SAME) {
			assert_null(c);
		} else {
			assert_non_null(c);
			assert_string_equal(c->rule, fc->rule);
			assert_string_equal(c->old_value, fc->old);
			assert_string_equal(c->file, "t.xml");
			assert_int_equal(c->line, 4);
			if (fc->outcome == REFUSED)
				assert_null(c->new_value);
			else
				assert_string_equal(c->new_value, fc->expected);
		}
		assert_int_equal(tthc_normalized_failures(r), fc->outcome == REFUSED);
		tthc_normalized_free(r);
		free(doc);
	}
}

/* ---- options ---- */

static const struct option_case {
	struct tthc_norm_options opts;
	const char *body, *expected;
	const char *toned; /* a value the tone style must be applied to (as the tone
	                    * module writes it: test_tone owns which style is which) */
} option_cases[] = {
	{ { TTHC_NAME_UPPER, TTHC_TONE_KEEP, 0 },
	  "<NguoiNop><HoTen>nguyễn thị vy</HoTen></NguoiNop>",
	  "<HoTen>NGUYỄN THỊ VY</HoTen>",
	  NULL },
	{ { TTHC_NAME_KEEP, TTHC_TONE_KEEP, 0 },
	  "<NguoiNop><HoTen>nguyễn  thị vy</HoTen></NguoiNop>",
	  "<HoTen>nguyễn thị vy</HoTen>",
	  NULL },
	{ { TTHC_NAME_TITLE, TTHC_TONE_KEEP, 0 },
	  "<NguoiNop><HoTen>NGUYỄN THỊ VY</HoTen></NguoiNop>",
	  "<HoTen>Nguyễn Thị Vy</HoTen>",
	  NULL },
	{ { TTHC_NAME_TITLE, TTHC_TONE_NEW, 0 },
	  "<CoQuanTiepNhan><TenCoQuan>xã Hoà Thuỷ</TenCoQuan></CoQuanTiepNhan>",
	  NULL,
	  "xã Hoà Thuỷ" },
	{ { TTHC_NAME_TITLE, TTHC_TONE_NEW, 0 },
	  "<CoQuanTiepNhan><TenCoQuan>xã Hòa Thủy</TenCoQuan></CoQuanTiepNhan>",
	  NULL,
	  "xã Hòa Thủy" },
	{ { TTHC_NAME_TITLE, TTHC_TONE_OLD, 0 },
	  "<NguoiNop><HoTen>lê thị hòa</HoTen></NguoiNop>",
	  NULL,
	  "Lê Thị Hòa" },
	{ { TTHC_NAME_TITLE, TTHC_TONE_OLD, 0 },
	  "<NguoiNop><HoTen>lê thị hoà</HoTen></NguoiNop>",
	  NULL,
	  "Lê Thị Hoà" },
	/* tone style never touches codes */
	{ { TTHC_NAME_TITLE, TTHC_TONE_OLD, 0 },
	  "<MaHoSo>hòa-hoà</MaHoSo>",
	  "<MaHoSo>hòa-hoà</MaHoSo>",
	  NULL },
	{ { TTHC_NAME_TITLE, TTHC_TONE_NEW, 0 },
	  "<MaHoSo>hòa-hoà</MaHoSo>",
	  "<MaHoSo>hòa-hoà</MaHoSo>",
	  NULL },
	{ { TTHC_NAME_TITLE, TTHC_TONE_KEEP, 1 },
	  "<NguoiNop><NoiCuTru>Xã A, Tỉnh Hà Giang</NoiCuTru></NguoiNop>",
	  "<NoiCuTru>Xã A, Tỉnh Hà Giang (từ 01/07/2025: ",
	  NULL },
};

static void test_options(void **state)
{
	size_t toned_changes = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(option_cases) / sizeof(option_cases[0]); i++) {
		const struct option_case *oc = &option_cases[i];
		char *doc = dossier("UTF-8", oc->body);
		struct tthc_normalized *r;
		const char *out;

		tthc_normalizer_set_options(nz, &oc->opts);
		r = normalize(doc, strlen(doc));
		out = tthc_normalized_data(r, NULL);
		print_message("case %zu\n", i);
		print_changes(r);
		if (oc->expected)
			assert_non_null(strstr(out, oc->expected));
		if (oc->toned) {
			char *want, line[256];
			int changed;

			assert_int_equal(
			    tthc_tone_restyle(oc->toned, oc->opts.tone, &want, &changed),
			    0);
			snprintf(line, sizeof(line), ">%s</", want);
			assert_non_null(strstr(out, line));
			if (changed) {
				assert_int_equal(tthc_normalized_count(r), 1);
				assert_string_equal(tthc_normalized_get(r, 0)->new_value,
				                    want);
				toned_changes++;
			}
			free(want);
		}
		tthc_normalized_free(r);
		free(doc);
	}
	/* of each pair above, one is restyled whichever style is which */
	assert_int_equal(toned_changes, 2);
}

/* ---- encodings ---- */

static const char legacy_body[] =
    "<CoQuanTiepNhan>\n"
    "<MaDinhDanh>000.02.01.H26</MaDinhDanh>\n"
    "<TenCoQuan>Phường Ngọc Hà, Quận Ba Đình, Thành phố Hà Nội</TenCoQuan>\n"
    "</CoQuanTiepNhan>\n"
    "<NguoiNop>\n"
    "<HoTen>Nguyễn Thị Thủy</HoTen>\n"
    "<DanToc>Kinh</DanToc>\n"
    "<QuocTich>Việt Nam</QuocTich>\n"
    "<NoiCuTru>Số 217 phố Kim Mã, phường Ngọc Hà, quận Ba Đình, Thành phố Hà "
    "Nội</NoiCuTru>\n"
    "<QuanHe>Mẹ đẻ của cháu bé được khai sinh</QuanHe>\n"
    "</NguoiNop>\n"
    "<TaiLieuNop><TepDinhKem><TenTepDinhKem>Giấy chứng sinh bản chính</TenTepDinhKem>"
    "<DuongDan>giay-chung-sinh.pdf</DuongDan></TepDinhKem></TaiLieuNop>\n";

static const struct enc_case {
	enum tthc_enc enc;
	const char *declared; /* NULL: no declaration, detected */
	const char *recorded;
} enc_cases[] = {
	{ TTHC_ENC_TCVN3, "TCVN3", "TCVN3" },
	{ TTHC_ENC_TCVN3, NULL, "TCVN3" },
	{ TTHC_ENC_VNI, "VNI", "VNI" },
	{ TTHC_ENC_VNI, NULL, "VNI" },
	{ TTHC_ENC_VPS, "VPS", "VPS" },
	{ TTHC_ENC_VISCII, "VISCII", "VISCII" },
	{ TTHC_ENC_CP1258, "windows-1258", "windows-1258" },
	{ TTHC_ENC_UTF16, "UTF-16", "UTF-16" },
	{ TTHC_ENC_UTF8, "utf-8", NULL },
};

static void test_encodings(void **state)
{
	char *utf8 = dossier("UTF-8", legacy_body);
	struct tthc_normalized *want = normalize(utf8, strlen(utf8));
	size_t want_len;
	const char *want_data = tthc_normalized_data(want, &want_len);

	(void)state;
	assert_non_null(strstr(want_data, "<HoTen>Nguyễn Thị Thủy</HoTen>"));
	for (size_t i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++) {
		const struct enc_case *ec = &enc_cases[i];
		char *doc = dossier(ec->declared, legacy_body), *legacy;
		size_t legacy_len, len;
		struct tthc_normalized *r;
		const char *data;

		print_message("case %zu: %s\n", i,
		              ec->declared ? ec->declared : "(detected)");
		assert_int_equal(
		    tthc_vnenc_encode(ec->enc, doc, strlen(doc), &legacy, &legacy_len),
		    0);
		r = normalize(legacy, legacy_len);
		print_changes(r);
		data = tthc_normalized_data(r, &len);
		assert_int_equal(len, want_len);
		assert_memory_equal(data, want_data, len);
		if (ec->recorded) {
			const struct tthc_change *c = tthc_normalized_get(r, 0);

			assert_int_equal(tthc_normalized_count(r), 1);
			assert_string_equal(c->rule, "encoding");
			assert_string_equal(c->old_value, ec->recorded);
			assert_string_equal(c->new_value, "UTF-8");
		} else {
			/* the input's layout is not canonical: one record says so */
			assert_int_equal(tthc_normalized_count(r), 1);
			assert_string_equal(tthc_normalized_get(r, 0)->rule, "layout");
		}
		tthc_normalized_free(r);
		free(legacy);
		free(doc);
	}
	tthc_normalized_free(want);
	free(utf8);
}

/* VIQR is ASCII markup and all: only values are decoded, paths and codes are not. */
static void test_viqr(void **state)
{
	char *doc =
	    dossier("VIQR", "<CoQuanTiepNhan><MaDinhDanh>000.02.01.H26</MaDinhDanh>"
	                    "<TenCoQuan>Ta^y Ho^`</TenCoQuan></CoQuanTiepNhan>"
	                    "<NguoiNop><HoTen>Nguye^~n Va(n A</HoTen>"
	                    "<NgaySinh>nga`y 5 tha'ng 3 na(m 1990</NgaySinh>"
	                    "<GioiTinh>Nu+~</GioiTinh>"
	                    "<Email>a.b@e.vn</Email></NguoiNop>"
	                    "<TaiLieuNop><TepDinhKem><DuongDan>file.pdf</DuongDan>"
	                    "</TepDinhKem></TaiLieuNop>");
	struct tthc_normalized *r = normalize(doc, strlen(doc));
	const char *out = tthc_normalized_data(r, NULL);

	(void)state;
	print_changes(r);
	assert_non_null(strstr(out, "<TenCoQuan>Tây Hồ</TenCoQuan>"));
	assert_non_null(strstr(out, "<HoTen>Nguyễn Văn A</HoTen>"));
	assert_non_null(strstr(out, "<DuongDan>file.pdf</DuongDan>"));
	assert_non_null(strstr(out, "<NgaySinh>1990-03-05</NgaySinh>"));
	assert_non_null(strstr(out, "<GioiTinh>2</GioiTinh>"));
	assert_non_null(strstr(out, "<Email>a.b@e.vn</Email>"));
	assert_non_null(strstr(out, "<MaDinhDanh>000.02.01.H26</MaDinhDanh>"));
	assert_string_equal(tthc_normalized_get(r, 0)->rule, "encoding");
	assert_string_equal(tthc_normalized_get(r, 0)->old_value, "VIQR");
	tthc_normalized_free(r);
	free(doc);
}

/* ---- layout ---- */

static void test_layout_golden(void **state)
{
	const char *dir = getenv("TTHC_TESTDATA");
	char in_path[4096], out_path[4096];
	size_t in_len, want_len, len;
	char *in, *want;
	struct tthc_normalized *r;
	const char *data;

	(void)state;
	assert_non_null(dir);
	snprintf(in_path, sizeof(in_path), "%s/normalize/layout.in.xml", dir);
	snprintf(out_path, sizeof(out_path), "%s/normalize/layout.out.xml", dir);
	in = read_all(in_path, &in_len);
	want = read_all(out_path, &want_len);
	r = normalize(in, in_len);
	data = tthc_normalized_data(r, &len);
	if (len != want_len || memcmp(data, want, len) != 0)
		print_message("got:\n%s", data);
	assert_int_equal(len, want_len);
	assert_memory_equal(data, want, len);
	/* the golden is canonical itself */
	tthc_normalized_free(r);
	r = normalize(want, want_len);
	data = tthc_normalized_data(r, &len);
	assert_int_equal(len, want_len);
	assert_memory_equal(data, want, len);
	assert_int_equal(tthc_normalized_count(r), 0);
	tthc_normalized_free(r);
	free(in);
	free(want);
}

/* Blank, empty and empty-CDATA elements: the first run writes what the second keeps. */
static void test_empty_elements(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<h:HoSo xmlns:h=\"urn:tthc:hoso:1\" xmlns:x=\"urn:other\" zeta=\"  a   b \" "
	    "PhienBan=\"1.0\" x:alpha=\"1\" xml:lang=\"vi\">\n"
	    "  <h:MaHoSo>000.02.01.H26-220518-0171</h:MaHoSo>\n"
	    "  <h:GhiChu><![CDATA[a < b & \"c\"]]></h:GhiChu>\n"
	    "  <h:Rong>   </h:Rong>\n"
	    "  <h:Rong2><![CDATA[]]></h:Rong2>\n"
	    "  <h:Rong3></h:Rong3>\n"
	    "  <h:Rong4><![CDATA[  ]]>\n  </h:Rong4>\n"
	    "  <h:NguoiNop>\n  </h:NguoiNop>\n"
	    "  <h:NguoiNop><h:HoTen>  "
	    "</h:HoTen><h:NgaySinh>\t</h:NgaySinh></h:NguoiNop>\n"
	    "  <x:Ngoai ten=\"v\">  giá   trị  <x:Con> </x:Con></x:Ngoai>\n"
	    "  <h:TaiLieuNop><h:TepDinhKem><h:DuongDan> </h:DuongDan></h:TepDinhKem>"
	    "</h:TaiLieuNop>\n"
	    "</h:HoSo>\n";
	struct tthc_normalized *r, *again;
	const char *data, *data2;
	size_t len, len2;

	(void)state;
	r = normalize(doc, sizeof(doc) - 1);
	data = tthc_normalized_data(r, &len);
	print_message("%s", data);
	assert_non_null(strstr(data, "<h:Rong/>\n"));
	assert_non_null(strstr(data, "<h:Rong2/>\n"));
	assert_non_null(strstr(data, "<h:Rong3/>\n"));
	assert_non_null(strstr(data, "<h:Rong4/>\n"));
	assert_non_null(strstr(data, "<h:HoTen/>\n"));
	assert_non_null(strstr(data, "<x:Con/>\n"));
	/* a path is kept byte for byte, a blank one too */
	assert_non_null(strstr(data, "<h:DuongDan> </h:DuongDan>\n"));
	assert_null(strstr(data, "></h:Rong"));
	again = normalize(data, len);
	data2 = tthc_normalized_data(again, &len2);
	if (len2 != len || memcmp(data, data2, len) != 0)
		print_message("second run:\n%s", data2);
	assert_int_equal(len2, len);
	assert_memory_equal(data2, data, len);
	/* nothing left to do but the blank date, kept as written each time */
	print_changes(again);
	assert_int_equal(tthc_normalized_count(again), 1);
	assert_int_equal(tthc_normalized_failures(again), 1);
	tthc_normalized_free(again);
	tthc_normalized_free(r);
}

/*
 * Attribute names of any length (h/longattr.xml of the review): two of 300 bytes that
 * differ only after byte 255 stay two, in order, and the output is well-formed.
 */
static void test_long_names(void **state)
{
	char name_a[301], name_b[301], elem[401], *doc, *want;
	struct tthc_normalized *r, *again;
	const struct tthc_change *c = NULL;
	const char *data;
	size_t len, len2;
	xmlDocPtr parsed;
	xmlNodePtr root;

	(void)state;
	memset(name_a, 'a', 300);
	memset(name_b, 'a', 300);
	name_a[300] = name_b[300] = '\0';
	name_a[299] = 'x';
	name_b[299] = 'y';
	memset(elem, 'E', 400);
	elem[400] = '\0';
	assert_true(asprintf(&doc,
	                     "<HoSo xmlns=\"urn:tthc:hoso:1\" xmlns:p=\"urn:p\" %s=\"2\" "
	                     "p:%s=\"  3  \" %s=\"1\"><%s/></HoSo>",
	                     name_b, name_a, name_a, elem) > 0);
	r = normalize(doc, strlen(doc));
	data = tthc_normalized_data(r, &len);
	assert_true(asprintf(&want,
	                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                     "<HoSo xmlns=\"urn:tthc:hoso:1\" xmlns:p=\"urn:p\" %s=\"1\" "
	                     "%s=\"2\" p:%s=\"3\">\n  <%s/>\n</HoSo>\n",
	                     name_a, name_b, name_a, elem) > 0);
	if (strcmp(data, want) != 0)
		print_message("got:\n%s", data);
	assert_string_equal(data, want);
	parsed = xmlReadMemory(data, (int)len, "t.xml", NULL, XML_PARSE_NONET);
	assert_non_null(parsed);
	root = xmlDocGetRootElement(parsed);
	for (int i = 0; i < 2; i++) {
		xmlChar *v = xmlGetNoNsProp(root, BAD_CAST(i ? name_b : name_a));

		assert_non_null(v);
		assert_string_equal((const char *)v, i ? "2" : "1");
		xmlFree(v);
	}
	xmlFreeDoc(parsed);
	/* the change names the whole attribute */
	for (size_t i = 0; i < tthc_normalized_count(r); i++)
		if (strcmp(tthc_normalized_get(r, i)->rule, "text") == 0)
			c = tthc_normalized_get(r, i);
	assert_non_null(c);
	assert_true(strlen(c->path) == strlen("/HoSo/@p:") + 300);
	assert_string_equal(c->path + strlen("/HoSo/@p:"), name_a);
	again = normalize(data, len);
	assert_memory_equal(tthc_normalized_data(again, &len2), data, len);
	assert_int_equal(len2, len);
	tthc_normalized_free(again);
	tthc_normalized_free(r);
	free(want);
	free(doc);
}

/*
 * Bytes that change although no value does: one "layout" record (c/layout.xml of the
 * review), so --format=json shows something whenever --check lists the file.
 */
static void test_layout_record(void **state)
{
	static const char canonical[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<HoSo xmlns=\"urn:tthc:hoso:1\" PhienBan=\"1.0\">\n"
	    "  <MaTTHC>1.001193</MaTTHC>\n"
	    "  <Rong/>\n"
	    "</HoSo>\n";
	static const char *const layouts[] = {
		/* indentation */
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<HoSo xmlns=\"urn:tthc:hoso:1\" PhienBan=\"1.0\">\n"
		"    <MaTTHC>1.001193</MaTTHC>\n    <Rong/>\n</HoSo>\n",
		/* attribute order */
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<HoSo PhienBan=\"1.0\" xmlns=\"urn:tthc:hoso:1\">\n"
		"  <MaTTHC>1.001193</MaTTHC>\n  <Rong/>\n</HoSo>\n",
		/* no declaration */
		"<HoSo xmlns=\"urn:tthc:hoso:1\" PhienBan=\"1.0\">\n"
		"  <MaTTHC>1.001193</MaTTHC>\n  <Rong/>\n</HoSo>\n",
		/* the empty-element form */
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<HoSo xmlns=\"urn:tthc:hoso:1\" PhienBan=\"1.0\">\n"
		"  <MaTTHC>1.001193</MaTTHC>\n  <Rong></Rong>\n</HoSo>\n",
		/* CDATA */
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<HoSo xmlns=\"urn:tthc:hoso:1\" PhienBan=\"1.0\">\n"
		"  <MaTTHC><![CDATA[1.001193]]></MaTTHC>\n  <Rong/>\n</HoSo>\n",
	};
	struct tthc_normalized *r;
	const struct tthc_change *c;
	char *doc;

	(void)state;
	r = normalize(canonical, strlen(canonical));
	assert_int_equal(tthc_normalized_count(r), 0);
	tthc_normalized_free(r);
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		size_t len;

		print_message("case %zu\n", i);
		r = normalize(layouts[i], strlen(layouts[i]));
		assert_string_equal(tthc_normalized_data(r, &len), canonical);
		assert_int_equal(tthc_normalized_count(r), 1);
		assert_int_equal(tthc_normalized_failures(r), 0);
		c = tthc_normalized_get(r, 0);
		assert_string_equal(c->rule, "layout");
		assert_string_equal(c->path, "/");
		assert_int_equal(c->line, 0);
		assert_string_equal(c->file, "t.xml");
		assert_string_equal(c->old_value, "input layout");
		assert_string_equal(c->new_value, "canonical layout");
		tthc_normalized_free(r);
	}
	/* a comment made NFC is layout too: comments are not values */
	doc = dossier("UTF-8", "<!-- Vie\xcc\xa3\xcc\x82t -->");
	r = normalize(doc, strlen(doc));
	assert_int_equal(tthc_normalized_count(r), 1);
	assert_string_equal(tthc_normalized_get(r, 0)->rule, "layout");
	tthc_normalized_free(r);
	free(doc);
	/* a value change explains the new bytes: no layout record besides it */
	doc = dossier("UTF-8", "<NguoiNop><HoTen>lê văn a</HoTen></NguoiNop>");
	r = normalize(doc, strlen(doc));
	assert_int_equal(tthc_normalized_count(r), 1);
	assert_string_equal(tthc_normalized_get(r, 0)->rule, "name");
	tthc_normalized_free(r);
	free(doc);
	/* a value kept as written does not: the layout is recorded after it */
	doc = dossier("UTF-8", "<NguoiNop><NgaySinh>không rõ</NgaySinh></NguoiNop>");
	r = normalize(doc, strlen(doc));
	assert_int_equal(tthc_normalized_count(r), 2);
	assert_int_equal(tthc_normalized_failures(r), 1);
	assert_string_equal(tthc_normalized_get(r, 0)->rule, "date");
	assert_string_equal(tthc_normalized_get(r, 1)->rule, "layout");
	tthc_normalized_free(r);
	free(doc);
}

/* ---- the samples and the corpus: idempotent, nothing lost, still valid ---- */

static xmlDocPtr plain_parse(const char *buf, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, "t.xml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_BIG_LINES);

	assert_non_null(doc);
	return doc;
}

/* The text of an element without element children; NULL for the others. */
static char *leaf_text(xmlNodePtr node)
{
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return NULL;
	return (char *)xmlNodeGetContent(node);
}

/*
 * Walks both trees in step: the same elements in the same order, and every leaf's text
 * equal, or changed by exactly one recorded change (or refused and kept as it was).
 */
static void compare_trees(xmlDocPtr before, xmlDocPtr after,
                          const struct tthc_normalized *r, const char *file)
{
	xmlNodePtr a = xmlDocGetRootElement(before), b = xmlDocGetRootElement(after);
	xmlNodePtr ta = a, tb = b;
	size_t leaves = 0, changed = 0;

	while (a && b) {
		char *x, *y;

		assert_string_equal((const char *)a->name, (const char *)b->name);
		x = leaf_text(a);
		y = leaf_text(b);
		assert_true((x == NULL) == (y == NULL));
		if (x && strcmp(x, y) != 0) {
			char path[512];
			const struct tthc_change *c;

			tthc_node_path(b, path, sizeof(path));
			c = find_change(r, path);
			if (!c)
				print_message("%s: %s: '%s' -> '%s' not recorded\n", file,
				              path, x, y);
			assert_non_null(c);
			assert_string_equal(c->old_value, x);
			assert_non_null(c->new_value);
			assert_string_equal(c->new_value, y);
			changed++;
		}
		leaves += x != NULL;
		xmlFree(x);
		xmlFree(y);
		a = tthc_next_element(a, ta, 1);
		b = tthc_next_element(b, tb, 1);
	}
	assert_null(a);
	assert_null(b);
	assert_true(leaves > 0);
	/* every recorded value change was seen in the tree (attributes aside) */
	for (size_t i = 0; i < tthc_normalized_count(r); i++) {
		const struct tthc_change *c = tthc_normalized_get(r, i);

		if (c->new_value && !strstr(c->path, "/@") &&
		    strcmp(c->rule, "encoding") != 0 && strcmp(c->rule, "layout") != 0)
			assert_true(changed-- > 0);
	}
}

struct check_stats {
	size_t documents, changes, refused, bytes;
	double seconds;
};

/*
 * Normalises one file and checks it: twice gives the same bytes and nothing more to do,
 * nothing lost, and with validate the result still passes tthc-validate without errors.
 */
static void check_file(const char *path, struct tthc_validator *v, int validate,
                       struct check_stats *st)
{
	struct tthc_normalized *r = NULL, *again;
	size_t len, len2, in_len;
	char *in = read_all(path, &in_len);
	const char *data, *data2;
	double t0 = now();
	int ret = tthc_normalizer_file(nz, path, NULL, &r);

	st->seconds += now() - t0;
	if (ret == -TTHC_E_XML && !validate) {
		/* the malformed invalid samples: an error, and a place in it */
		assert_non_null(strstr(tthc_normalizer_error(nz), path));
		free(in);
		return;
	}
	if (ret < 0)
		print_message("%s: %s\n", path, tthc_normalizer_error(nz));
	assert_int_equal(ret, 0);
	st->documents++;
	st->changes += tthc_normalized_count(r);
	st->refused += tthc_normalized_failures(r);
	st->bytes += in_len;
	data = tthc_normalized_data(r, &len);
	assert_true(len > 0 && data[len - 1] == '\n');
	assert_false(len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0);

	again = normalize(data, len);
	data2 = tthc_normalized_data(again, &len2);
	if (len != len2 || memcmp(data, data2, len) != 0)
		print_message("%s: not idempotent\n", path);
	assert_int_equal(len2, len);
	assert_memory_equal(data2, data, len);
	assert_int_equal(tthc_normalized_count(again), tthc_normalized_failures(again));
	assert_int_equal(tthc_normalized_failures(again), tthc_normalized_failures(r));

	{
		int quiet = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
		            XML_PARSE_NOWARNING;
		xmlDocPtr before = xmlReadMemory(in, (int)in_len, "t.xml", NULL, quiet);
		xmlDocPtr after = plain_parse(data, len);

		/* bytes libxml2 cannot read as declared: decoded first, and said so */
		if (!before) {
			assert_true(tthc_normalized_count(r) > 0);
			assert_string_equal(tthc_normalized_get(r, 0)->rule, "encoding");
		} else {
			compare_trees(before, after, r, path);
		}
		xmlFreeDoc(before);
		xmlFreeDoc(after);
	}
	if (validate) {
		struct tthc_report *rep = NULL;
		char *copy = strdup(path);

		assert_non_null(copy);
		assert_int_equal(
		    tthc_validator_memory(v, data, len, path, dirname(copy), &rep), 0);
		for (size_t i = 0; i < tthc_report_count(rep); i++)
			if (tthc_report_get(rep, i)->severity == TTHC_SEV_ERROR)
				print_message("%s: %s %s\n", path,
				              tthc_report_get(rep, i)->rule,
				              tthc_report_get(rep, i)->message);
		assert_int_equal(tthc_report_errors(rep), 0);
		tthc_report_free(rep);
		free(copy);
	}
	tthc_normalized_free(again);
	tthc_normalized_free(r);
	free(in);
}

static void check_glob(const char *pattern, int validate, struct check_stats *st)
{
	struct tthc_validator *v = NULL;
	glob_t g;

	assert_int_equal(tthc_validator_new(ctx, &v), 0);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_file(g.gl_pathv[i], v, validate, st);
	globfree(&g);
	tthc_validator_free(v);
}

static void test_samples(void **state)
{
	const char *dir = getenv("TTHC_SAMPLES");
	struct check_stats valid = { 0 }, invalid = { 0 };
	char pattern[4096];

	(void)state;
	assert_non_null(dir);
	snprintf(pattern, sizeof(pattern), "%s/*/valid/*.xml", dir);
	check_glob(pattern, 1, &valid);
	snprintf(pattern, sizeof(pattern), "%s/*/invalid/*.xml", dir);
	check_glob(pattern, 0, &invalid);
	print_message("samples: %zu valid, %zu invalid normalised\n", valid.documents,
	              invalid.documents);
	assert_true(valid.documents >= 12);
	assert_true(invalid.documents >= 20);
	/* a few valid samples carry warnings that normalising removes, or bare provinces
	 */
	assert_true(valid.changes > 0 && valid.refused == 0);
}

/* The benchmark corpus, generated into a temporary directory when python3 is there. */
static void test_corpus(void **state)
{
	const char *data = getenv("TTHC_TESTDATA");
	char tmp[] = "/tmp/tthc-nz-XXXXXX", cmd[8192], pattern[4096];
	struct check_stats st = { 0 };

	(void)state;
	if (!data || system("python3 -c '' >/dev/null 2>&1") != 0)
		skip();
	assert_non_null(mkdtemp(tmp));
	snprintf(cmd, sizeof(cmd),
	         "python3 '%s/../bench/gen-corpus.py' --count 600 --out '%s' >/dev/null",
	         data, tmp);
	assert_int_equal(system(cmd), 0);
	snprintf(pattern, sizeof(pattern), "%s/*/*.xml", tmp);
	check_glob(pattern, 1, &st);
	print_message("corpus: %zu dossiers, %zu changes, %.0f dossiers/s (this build)\n",
	              st.documents, st.changes, st.documents / st.seconds);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(st.documents, 600);
}

/* ---- hostile input ---- */

static const struct hostile_case {
	const char *doc;
	const char *message; /* in tthc_normalizer_error() */
	size_t len;          /* 0: strlen(doc) */
} hostile_cases[] = {
	{ "<?xml version=\"1.0\"?>\n<!DOCTYPE HoSo [\n <!ENTITY a \"ha\">\n"
	  " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	  " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
	  "<HoSo xmlns=\"urn:tthc:hoso:1\"><MaTTHC>&c;</MaTTHC></HoSo>\n",
	  "t.xml:2: a DOCTYPE is not allowed", 0 },
	{ "<?xml version=\"1.0\"?>\n<!DOCTYPE HoSo SYSTEM "
	  "\"http://example.invalid/x.dtd\">\n"
	  "<HoSo xmlns=\"urn:tthc:hoso:1\"/>\n",
	  "t.xml:2: a DOCTYPE", 0 },
	{ "<?xml version=\"1.0\"?>\n<HoSo "
	  "xmlns=\"urn:tthc:hoso:1\">\n<MaTTHC>1.001193</MaT",
	  "t.xml:3: ", 0 },
	{ "<?xml version=\"1.0\"?>\n<HoSo xmlns=\"urn:tthc:hoso:1\">&nbsp;</HoSo>\n",
	  "t.xml:2: ", 0 },
	{ "<?xml version=\"1.0\"?>\n<HoSo>\n</Other>\n", "t.xml:3: ", 0 },
	{ "", "t.xml:", 0 },
	{ "\x01\x02\x03\xff\xfe\x00garbage", "t.xml:", 13 },
	{ "<?xml version=\"1.0\" encoding=\"no-such-charset\"?>\n<HoSo/>\n",
	  "t.xml:", 0 },
};

static void test_hostile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hostile_cases) / sizeof(hostile_cases[0]); i++) {
		const char *doc = hostile_cases[i].doc;
		size_t len = hostile_cases[i].len ? hostile_cases[i].len : strlen(doc);
		struct tthc_normalized *r = NULL;
		int ret = tthc_normalizer_memory(nz, doc, len, "t.xml", &r);

		print_message("case %zu: %d %s\n", i, ret, tthc_normalizer_error(nz));
		assert_int_equal(ret, -TTHC_E_XML);
		assert_null(r);
		assert_non_null(
		    strstr(tthc_normalizer_error(nz), hostile_cases[i].message));
	}
}

static void test_limits(void **state)
{
	struct tthc_normalized *r = NULL;
	size_t depth = 5000, len = 0;
	char *deep = malloc(depth * 8 + 64), *big;
	int ret;

	(void)state;
	assert_non_null(deep);
	/* nesting past the parser's depth limit: an error, not a crash */
	len += (size_t)sprintf(deep, "<HoSo xmlns=\"urn:tthc:hoso:1\">");
	for (size_t i = 0; i < depth; i++)
		len += (size_t)sprintf(deep + len, "<a>");
	for (size_t i = 0; i < depth; i++)
		len += (size_t)sprintf(deep + len, "</a>");
	len += (size_t)sprintf(deep + len, "</HoSo>");
	ret = tthc_normalizer_memory(nz, deep, len, "deep.xml", &r);
	if (ret == 0)
		tthc_normalized_free(r);
	else
		assert_int_equal(ret, -TTHC_E_XML);
	free(deep);

	/* larger than the context's limit */
	big = calloc(1, 4096);
	assert_non_null(big);
	memset(big, ' ', 4095);
	memcpy(big, "<HoSo/>", 7);
	assert_int_equal(tthc_ctx_set_max_size(ctx, 1024), 0);
	assert_int_equal(tthc_normalizer_memory(nz, big, 4095, "big.xml", &r),
	                 -TTHC_E_TOOBIG);
	assert_non_null(strstr(tthc_normalizer_error(nz), "big.xml"));
	assert_int_equal(tthc_ctx_set_max_size(ctx, 32u << 20), 0);
	free(big);

	/* files: missing, a directory */
	assert_int_equal(tthc_normalizer_file(nz, "/nonexistent/x.xml", NULL, &r),
	                 -ENOENT);
	assert_int_equal(tthc_normalizer_file(nz, "/", NULL, &r), -EISDIR);
}

/* ---- the map from schema types ---- */

static const struct map_case {
	const char *path[6];
	enum tthc_nkind kind;
} map_cases[] = {
	{ { "HoSo", "NguoiNop", "HoTen" }, TTHC_NK_NAME },
	{ { "HoSo", "NguoiNop", "QuanHe" }, TTHC_NK_TEXT },
	{ { "HoSo", "NguoiNop", "SoDienThoai" }, TTHC_NK_PHONE },
	{ { "HoSo", "NguoiNop", "GiayTo", "SoGiayTo" }, TTHC_NK_DOCNUM },
	{ { "HoSo", "KetQua", "SoGiayTo" }, TTHC_NK_TOKEN },
	{ { "HoSo", "KetQua", "NguoiKy" }, TTHC_NK_NAME },
	{ { "HoSo", "KetQua", "NgayKy" }, TTHC_NK_FULLDATE },
	{ { "HoSo", "NguoiNop", "GiayTo", "NgayCap" }, TTHC_NK_FULLDATE },
	{ { "HoSo", "ToKhaiKhaiTu", "NgayChet" }, TTHC_NK_FULLDATE },
	{ { "HoSo", "NguoiNop", "NgaySinh" }, TTHC_NK_DATE },
	{ { "HoSo", "NgayTiepNhan" }, TTHC_NK_DATETIME },
	{ { "HoSo", "ToKhaiKhaiSinh", "NguoiDuocKhaiSinh", "NoiSinh" }, TTHC_NK_PLACE },
	{ { "HoSo", "ToKhaiKhaiSinh", "NguoiDuocKhaiSinh", "NgaySinhBangChu" },
	  TTHC_NK_TEXT },
	{ { "HoSo", "ToKhaiKhaiSinh", "Me", "GioiTinh" }, TTHC_NK_SEX },
	{ { "HoSo", "ToKhaiKhaiSinh", "SoBanSao" }, TTHC_NK_TOKEN },
	{ { "HoSo", "ToKhaiKetHon", "BenNam", "SoDinhDanh" }, TTHC_NK_IDNUM },
	{ { "HoSo", "ToKhaiKhaiTu", "NoiChet" }, TTHC_NK_PLACE },
	{ { "HoSo", "ToKhaiLienThongKhaiTu", "XoaDangKyThuongTru", "NoiThuongTru" },
	  TTHC_NK_PLACE },
	{ { "HoSo", "ToKhaiLienThongKhaiSinh", "DangKyThuongTru", "ChuHo" },
	  TTHC_NK_NAME },
	{ { "HoSo", "ToKhaiLyLichTuPhap", "QuaTrinhCuTru", "GiaiDoan", "DenNgay" },
	  TTHC_NK_DATE },
	{ { "HoSo", "ToKhaiLyLichTuPhap", "NguoiYeuCau", "NoiSinh" }, TTHC_NK_PLACE },
	{ { "HoSo", "TaiLieuNop", "TepDinhKem", "DuongDan" }, TTHC_NK_KEEP },
	{ { "HoSo", "TaiLieuNop", "TepDinhKem", "TenTepDinhKem" }, TTHC_NK_TEXT },
	/* out of place: what every declaration of the name agrees on */
	{ { "HoSo", "HoTen" }, TTHC_NK_NAME },
	{ { "HoSo", "Unknown" }, TTHC_NK_TEXT },
};

static void test_schema_map(void **state)
{
	struct tthc_stmap *m = NULL;
	char err[512];

	(void)state;
	assert_int_equal(tthc_stmap_load(tthc_ctx_schema_dir(ctx), &m, err, sizeof(err)),
	                 0);
	for (size_t i = 0; i < sizeof(map_cases) / sizeof(map_cases[0]); i++) {
		const struct map_case *mc = &map_cases[i];
		int model;
		enum tthc_nkind kind = tthc_stmap_root(m, mc->path[0], &model);

		assert_int_equal(kind, TTHC_NK_ELEMENTS);
		for (size_t j = 1; j < 6 && mc->path[j]; j++)
			kind = tthc_stmap_child(m, model, mc->path[j], &model);
		print_message("case %zu: %d\n", i, kind);
		assert_int_equal(kind, mc->kind);
	}
	tthc_stmap_free(m);
	assert_int_equal(tthc_stmap_load("/nonexistent", &m, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent"));
}

static int setup(void **state)
{
	(void)state;
	if (tthc_ctx_new(&ctx) < 0)
		return -1;
	if (tthc_normalizer_new(ctx, &nz) < 0) {
		fprintf(stderr, "%s\n", tthc_ctx_error(ctx));
		return -1;
	}
	return 0;
}

/* Every test starts from the default options. */
static int reset_options(void **state)
{
	static const struct tthc_norm_options defaults = { TTHC_NAME_TITLE,
		                                           TTHC_TONE_KEEP, 0 };

	(void)state;
	tthc_normalizer_set_options(nz, &defaults);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tthc_normalizer_free(nz);
	tthc_ctx_free(ctx);
	return 0;
}

/*
 * A declaration is not believed against the bytes: UTF-8 under encoding="TCVN3" (a file
 * iconv converted and left the declaration of) is read as UTF-8, and TCVN3 or CP1258
 * bytes under encoding="UTF-8" are detected and decoded; each says so in one record.
 */
static void test_wrong_declaration(void **state)
{
	static const char body[] =
	    "<NguoiNop><HoTen>Nguyễn Thị Thủy</HoTen>\n"
	    "<NoiCuTru>Thôn Đông, xã Tân Phú, huyện Đức Trọng, tỉnh Lâm Đồng</NoiCuTru>\n"
	    "</NguoiNop>\n";
	static const struct {
		const char *declared;
		enum tthc_enc bytes; /* TTHC_ENC_UTF8: as written */
		const char *recorded;
	} rows[] = {
		{ "TCVN3", TTHC_ENC_UTF8, "TCVN3 (declared, but the bytes are UTF-8)" },
		{ "VNI", TTHC_ENC_UTF8, "VNI (declared, but the bytes are UTF-8)" },
		{ "UTF-8", TTHC_ENC_TCVN3, "TCVN3 (declared UTF-8)" },
		{ "UTF-8", TTHC_ENC_CP1258, "CP1258 (declared UTF-8)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *doc = dossier(rows[i].declared, body), *bytes = doc;
		size_t len = strlen(doc), outlen;
		struct tthc_normalized *r = NULL;
		const struct tthc_change *c;
		const char *out;

		if (rows[i].bytes != TTHC_ENC_UTF8)
			assert_int_equal(
			    tthc_vnenc_encode(rows[i].bytes, doc, len, &bytes, &len), 0);
		assert_int_equal(tthc_normalizer_memory(nz, bytes, len, "t.xml", &r), 0);
		out = tthc_normalized_data(r, &outlen);
		assert_non_null(strstr(out, "<HoTen>Nguyễn Thị Thủy</HoTen>"));
		assert_non_null(strstr(out, "Lâm Đồng"));
		c = tthc_normalized_get(r, 0);
		assert_non_null(c);
		assert_string_equal(c->rule, "encoding");
		assert_string_equal(c->old_value, rows[i].recorded);
		assert_string_equal(c->new_value, "UTF-8");
		tthc_normalized_free(r);
		if (bytes != doc)
			free(bytes);
		free(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_schema_map, reset_options),
		cmocka_unit_test_setup(test_fields, reset_options),
		cmocka_unit_test_setup(test_options, reset_options),
		cmocka_unit_test_setup(test_encodings, reset_options),
		cmocka_unit_test_setup(test_viqr, reset_options),
		cmocka_unit_test_setup(test_layout_golden, reset_options),
		cmocka_unit_test_setup(test_empty_elements, reset_options),
		cmocka_unit_test_setup(test_long_names, reset_options),
		cmocka_unit_test_setup(test_layout_record, reset_options),
		cmocka_unit_test_setup(test_wrong_declaration, reset_options),
		cmocka_unit_test_setup(test_samples, reset_options),
		cmocka_unit_test_setup(test_corpus, reset_options),
		cmocka_unit_test_setup(test_hostile, reset_options),
		cmocka_unit_test_setup(test_limits, reset_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
