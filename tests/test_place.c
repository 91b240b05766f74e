/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/place.c: province spellings, canonical names, the 2025 merger note.
 */
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

#include "internal.h"
#include "check_norm.h"

static int place(const char *in, char **out, int *changed)
{
	return tthc_norm_place(in, 0, out, changed);
}

static int place2025(const char *in, char **out, int *changed)
{
	return tthc_norm_place(in, 1, out, changed);
}

static void test_spellings(void **state)
{
	static const struct row rows[] = {
		{ "Thành phố Hà Nội", "Thành phố Hà Nội" },
		{ "Hà Nội", "Thành phố Hà Nội" },
		{ "HN", "Thành phố Hà Nội" },
		{ "TP. Hà Nội", "Thành phố Hà Nội" },
		{ "Tp Ha Noi", "Thành phố Hà Nội" },
		{ "HÀ NỘI", "Thành phố Hà Nội" },
		{ "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh" },
		{ "TP.HCM", "Thành phố Hồ Chí Minh" },
		{ "TP HCM", "Thành phố Hồ Chí Minh" },
		{ "TPHCM", "Thành phố Hồ Chí Minh" },
		{ "Tp.HCM", "Thành phố Hồ Chí Minh" },
		{ "T.P HCM", "Thành phố Hồ Chí Minh" },
		{ "HCM", "Thành phố Hồ Chí Minh" },
		{ "Tp Hồ Chí Minh", "Thành phố Hồ Chí Minh" },
		{ "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh" },
		{ "Hồ Chí Minh", "Thành phố Hồ Chí Minh" },
		{ "Ho Chi Minh City", "Thành phố Hồ Chí Minh" },
		{ "Sài Gòn", "Thành phố Hồ Chí Minh" },
		{ "SG", "Thành phố Hồ Chí Minh" },
		{ "TP. Hải Phòng", "Thành phố Hải Phòng" },
		{ "HP", "Thành phố Hải Phòng" },
		{ "Đà Nẵng", "Thành phố Đà Nẵng" },
		{ "TP. Đà Nẵng", "Thành phố Đà Nẵng" },
		{ "TP.ĐN", "Thành phố Đà Nẵng" },
		{ "TPĐN", "Thành phố Đà Nẵng" },
		{ "Da Nang", "Thành phố Đà Nẵng" },
		{ "Cần Thơ", "Thành phố Cần Thơ" },
		{ "Thành Phố Cần Thơ", "Thành phố Cần Thơ" },
		{ "Tỉnh Bắc Ninh", "Tỉnh Bắc Ninh" },
		{ "Bắc Ninh", "Tỉnh Bắc Ninh" },
		{ "tỉnh bắc ninh", "Tỉnh Bắc Ninh" },
		{ "T. Bình Dương", "Tỉnh Bình Dương" },
		{ "T.Bình Dương", "Tỉnh Bình Dương" },
		{ "Binh Duong", "Tỉnh Bình Dương" },
		{ "BR-VT", "Tỉnh Bà Rịa - Vũng Tàu" },
		{ "BRVT", "Tỉnh Bà Rịa - Vũng Tàu" },
		{ "Bà Rịa Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu" },
		{ "Bà Rịa-Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu" },
		{ "Tỉnh Bà Rịa - Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu" },
		{ "TT-Huế", "Tỉnh Thừa Thiên Huế" },
		{ "TT Huế", "Tỉnh Thừa Thiên Huế" },
		{ "T.T.Huế", "Tỉnh Thừa Thiên Huế" },
		{ "T.T. Huế", "Tỉnh Thừa Thiên Huế" },
		{ "Tỉnh TT-Huế", "Tỉnh Thừa Thiên Huế" },
		{ "Thừa Thiên-Huế", "Tỉnh Thừa Thiên Huế" },
		{ "Thừa Thiên - Huế", "Tỉnh Thừa Thiên Huế" },
		{ "Huế", "Tỉnh Thừa Thiên Huế" },
		{ "ĐắkLắk", "Tỉnh Đắk Lắk" },
		{ "Đăk Lăk", "Tỉnh Đắk Lắk" },
		{ "Dak Lak", "Tỉnh Đắk Lắk" },
		{ "Đắc Lắc", "Tỉnh Đắk Lắk" },
		{ "Daklak", "Tỉnh Đắk Lắk" },
		{ "Đắk Nông", "Tỉnh Đắk Nông" },
		{ "Đăk Nông", "Tỉnh Đắk Nông" },
		{ "KonTum", "Tỉnh Kon Tum" },
		{ "Kontum", "Tỉnh Kon Tum" },
		{ "Bắc Cạn", "Tỉnh Bắc Kạn" },
		{ "Hoà Bình", "Tỉnh Hòa Bình" },
		{ "Thanh Hoá", "Tỉnh Thanh Hóa" },
		{ "Khánh Hoà", "Tỉnh Khánh Hòa" },
		{ "ha giang", "Tỉnh Hà Giang" },
		{ "Hậu Giang", "Tỉnh Hậu Giang" },
		{ "Ca Mau", "Tỉnh Cà Mau" },
	};

	(void)state;
	CHECK_ROWS(place, rows);
}

static void test_addresses(void **state)
{
	static const struct row rows[] = {
		{ "Xã Tân Hòa, Huyện Phú Giáo, Tỉnh Bình Dương",
		  "Xã Tân Hòa, Huyện Phú Giáo, Tỉnh Bình Dương" },
		{ "P.5, Q.3, TP.HCM", "P.5, Q.3, Thành phố Hồ Chí Minh" },
		{ "P.5,Q.3,TP.HCM", "P.5, Q.3, Thành phố Hồ Chí Minh" },
		{ "  P.5 ,  Q.3 ,   TP.HCM  ", "P.5, Q.3, Thành phố Hồ Chí Minh" },
		{ "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Tp Hồ Chí Minh",
		  "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh" },
		{ "Xã A, Huyện B, Tỉnh C", "Xã A, Huyện B, Tỉnh C" },
		{ "Phường 1, TP Cà Mau, Cà Mau", "Phường 1, TP Cà Mau, Tỉnh Cà Mau" },
		{ "Xã Hòa Khánh, H. Cái Bè, T. Tiền Giang",
		  "Xã Hòa Khánh, H. Cái Bè, Tỉnh Tiền Giang" },
		{ "thôn 3, xã Ea Kao, tp Buôn Ma Thuột, ĐắkLắk",
		  "thôn 3, xã Ea Kao, tp Buôn Ma Thuột, Tỉnh Đắk Lắk" },
		{ "Quận Hoàn Kiếm, HN, Việt Nam",
		  "Quận Hoàn Kiếm, Thành phố Hà Nội, Việt Nam" },
		{ "Q.1, TP.HCM, VN", "Q.1, Thành phố Hồ Chí Minh, VN" },
		{ "Hải Châu,Đà Nẵng,,", "Hải Châu, Thành phố Đà Nẵng" },
		{ "Nguye\u0302\u0303n Du, Hà Nội", "Nguyễn Du, Thành phố Hà Nội" },
		/* not a province, or not certainly one: left as written (cleaned) */
		{ "Phường 1, TP Cà Mau", "Phường 1, TP Cà Mau" },
		{ "Phường Phú Hội, TP Huế", "Phường Phú Hội, TP Huế" },
		{ "Thành phố Huế", "Thành phố Huế" },
		{ "TP Thanh Hóa", "TP Thanh Hóa" },
		{ "Tỉnh Hà Nội", "Tỉnh Hà Nội" },
		{ "Tỉnh HCM", "Tỉnh HCM" },
		{ "ĐN", "ĐN" },
		{ "Biên Hòa, ĐN", "Biên Hòa, ĐN" },
		{ "Hà Tây", "Hà Tây" },
		{ "Quận 3 TP.HCM", "Quận 3 TP.HCM" },
		{ "Paris, France", "Paris, France" },
		{ "Số 5   ngõ 12", "Số 5 ngõ 12" },
		{ "Việt Nam", "Việt Nam" },
		{ "", "" },
		{ "  ", "" },
		{ "\xff, Hà Nội", NULL },
	};

	(void)state;
	CHECK_ROWS(place, rows);
}

static void test_admin2025(void **state)
{
	static const struct row rows[] = {
		{ "Xã X, Huyện Y, Tỉnh Bắc Giang",
		  "Xã X, Huyện Y, Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)" },
		{ "Bắc Giang", "Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)" },
		{ "Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)",
		  "Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)" },
		{ "Phường 7, TP Vũng Tàu, BR-VT", "Phường 7, TP Vũng Tàu, Tỉnh Bà Rịa - "
		                                  "Vũng Tàu (từ 01/07/2025: Thành phố Hồ "
		                                  "Chí Minh)" },
		{ "Dĩ An, Bình Dương",
		  "Dĩ An, Tỉnh Bình Dương (từ 01/07/2025: Thành phố Hồ Chí Minh)" },
		{ "Hải Dương", "Tỉnh Hải Dương (từ 01/07/2025: Thành phố Hải Phòng)" },
		{ "Quảng Nam", "Tỉnh Quảng Nam (từ 01/07/2025: Thành phố Đà Nẵng)" },
		{ "Sóc Trăng", "Tỉnh Sóc Trăng (từ 01/07/2025: Thành phố Cần Thơ)" },
		{ "Hà Giang", "Tỉnh Hà Giang (từ 01/07/2025: Tỉnh Tuyên Quang)" },
		{ "Yên Bái", "Tỉnh Yên Bái (từ 01/07/2025: Tỉnh Lào Cai)" },
		{ "Kon Tum", "Tỉnh Kon Tum (từ 01/07/2025: Tỉnh Quảng Ngãi)" },
		{ "Bình Định", "Tỉnh Bình Định (từ 01/07/2025: Tỉnh Gia Lai)" },
		{ "Long An", "Tỉnh Long An (từ 01/07/2025: Tỉnh Tây Ninh)" },
		{ "Bạc Liêu", "Tỉnh Bạc Liêu (từ 01/07/2025: Tỉnh Cà Mau)" },
		{ "Hoà Bình", "Tỉnh Hòa Bình (từ 01/07/2025: Tỉnh Phú Thọ)" },
		{ "Q.1, TP.HCM, Việt Nam", "Q.1, Thành phố Hồ Chí Minh, Việt Nam" },
		{ "Bình Dương, Việt Nam",
		  "Tỉnh Bình Dương (từ 01/07/2025: Thành phố Hồ Chí Minh), Việt Nam" },
		/* taking others in, or unchanged: nothing to add */
		{ "Tỉnh Bắc Ninh", "Tỉnh Bắc Ninh" },
		{ "Hà Nội", "Thành phố Hà Nội" },
		{ "Cao Bằng", "Tỉnh Cao Bằng" },
		{ "Lào Cai", "Tỉnh Lào Cai" },
		{ "Quảng Trị", "Tỉnh Quảng Trị" },
		/* DOMAIN §3.5: Thừa Thiên Huế "unchanged" (now TP Huế, not a merger) */
		{ "Huế", "Tỉnh Thừa Thiên Huế" },
		{ "T.T.Huế", "Tỉnh Thừa Thiên Huế" },
		{ "Xã Phú Mỹ, Thừa Thiên Huế", "Xã Phú Mỹ, Tỉnh Thừa Thiên Huế" },
		{ "Phường 1, TP Cà Mau", "Phường 1, TP Cà Mau" },
	};

	(void)state;
	CHECK_ROWS(place2025, rows);
}

/* A note written by an earlier run stays when the option is off: nothing is lost. */
static void test_note_kept(void **state)
{
	static const struct row rows[] = {
		{ "Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)",
		  "Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)" },
		{ "Bắc Giang  (từ 01/07/2025: Tỉnh Bắc Ninh)",
		  "Tỉnh Bắc Giang (từ 01/07/2025: Tỉnh Bắc Ninh)" },
	};

	(void)state;
	CHECK_ROWS(place, rows);
}

/* Every one of the 63 names, bare and titled, comes back to its canonical form. */
static void test_all_provinces(void **state)
{
	static const int central[] = { 1, 31, 48, 79, 92 };
	int count = 0;

	(void)state;
	for (int code = 1; code < 100; code++) {
		const char *name = tthc_province_name(code);
		char want[128], *out = NULL, *f = NULL;
		int is_city = 0, changed;

		if (!name)
			continue;
		count++;
		for (size_t i = 0; i < 5; i++)
			is_city |= central[i] == code;
		if (!strncmp(name, "TP ", 3))
			name += 3;
		snprintf(want, sizeof(want), "%s%s", is_city ? "Thành phố " : "Tỉnh ",
		         name);
		assert_int_equal(tthc_norm_place(name, 0, &out, &changed), 0);
		assert_string_equal(out, want);
		free(out);
		/* and without its diacritics */
		assert_int_equal(tthc_fold(name, &f), 0);
		assert_int_equal(tthc_norm_place(f, 0, &out, &changed), 0);
		assert_string_equal(out, want);
		free(out);
		free(f);
	}
	assert_int_equal(count, 63);
}

/* 63 provinces, 29 of them merged away: 34 left (Resolution 202/2025/QH15). */
static void test_merger_count(void **state)
{
	int merged = 0;

	(void)state;
	for (int code = 1; code < 100; code++) {
		const char *name = tthc_province_name(code);
		char *out = NULL;
		int changed;

		if (!name || code == 46)
			continue;
		if (!strncmp(name, "TP ", 3))
			name += 3;
		assert_int_equal(tthc_norm_place(name, 1, &out, &changed), 0);
		merged += strstr(out, "(từ 01/07/2025: ") != NULL;
		free(out);
	}
	assert_int_equal(merged, 29);
}

static void test_bad_arguments(void **state)
{
	char *out = NULL;
	int changed;

	(void)state;
	assert_int_equal(tthc_norm_place(NULL, 0, &out, &changed), -EINVAL);
	assert_int_equal(tthc_norm_place("Hà Nội", 0, NULL, &changed), -EINVAL);
	assert_int_equal(tthc_norm_place("Hà Nội", 0, &out, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spellings),     cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_admin2025),     cmocka_unit_test(test_note_kept),
		cmocka_unit_test(test_all_provinces), cmocka_unit_test(test_merger_count),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
