/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/fieldnorm.c and lib/phone.c: dates, times, numbers, sex, names, text.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"
#include "check_norm.h"

static void test_date(void **state)
{
	static const struct row rows[] = {
		{ "1990-03-05", "1990-03-05" },
		{ "1990-03", "1990-03" },
		{ "1990", "1990" },
		{ "1990-03-05+07:00", "1990-03-05+07:00" },
		{ "1990-03-05Z", "1990-03-05Z" },
		{ " 1990-03-05 ", "1990-03-05" },
		{ "5/3/1990", "1990-03-05" },
		{ "05/03/1990", "1990-03-05" },
		{ "05-03-1990", "1990-03-05" },
		{ "05.03.1990", "1990-03-05" },
		{ "5 / 3 / 1990", "1990-03-05" },
		{ "31/12/1999", "1999-12-31" },
		{ "29/02/2000", "2000-02-29" },
		{ "ngày 05 tháng 03 năm 1990", "1990-03-05" },
		{ "ngày 5 tháng 3 năm 1990", "1990-03-05" },
		{ "Ngày 15 Tháng 11 Năm 2001", "2001-11-15" },
		{ "NGÀY 15 THÁNG 11 NĂM 2001", "2001-11-15" },
		{ "ngay 5 thang 3 nam 1990", "1990-03-05" },
		{ "ngày 05/03/1990", "1990-03-05" },
		{ "ngày 5, tháng 3, năm 1990", "1990-03-05" },
		{ "3/1990", "1990-03" },
		{ "03/1990", "1990-03" },
		{ "03-1990", "1990-03" },
		{ "tháng 3/1990", "1990-03" },
		{ "tháng 03 năm 1990", "1990-03" },
		{ "Tháng 12 năm 1975", "1975-12" },
		{ "năm 1990", "1990" },
		{ "Năm 1954", "1954" },
		{ "1990/03/05", "1990-03-05" },
		{ "1990-3-5", "1990-03-05" },
		{ "1990/3", "1990-03" },
		{ "ngày 5\u00a0tháng 3\tnăm 1990", "1990-03-05" },
		/* refused: two-digit years, impossible days, invented parts, times, noise
		 */
		{ "5/3/90", NULL },
		{ "05-03-90", NULL },
		{ "3/90", NULL },
		{ "90", NULL },
		{ "19900", NULL },
		{ "0990", NULL },
		{ "05031990", NULL },
		{ "31/02/1990", NULL },
		{ "29/02/1900", NULL },
		{ "32/01/1990", NULL },
		{ "05/13/1990", NULL },
		{ "0/3/1990", NULL },
		{ "5/0/1990", NULL },
		{ "005/03/1990", NULL },
		{ "1/2/3/1990", NULL },
		{ "ngày 1990", NULL },
		{ "tháng 1990", NULL },
		{ "năm 5 tháng 3 ngày 1990", NULL },
		{ "ngày 5 tháng 3 năm", NULL },
		{ "ngày tháng năm 1990", NULL },
		{ "khoảng năm 1990", NULL },
		{ "1990-03-05T08:00:00", NULL },
		{ "05/03/1990 08:30", NULL },
		{ "March 1990", NULL },
		{ "", NULL },
		{ "   ", NULL },
		{ "1990?", NULL },
	};

	(void)state;
	CHECK_ROWS(tthc_norm_date, rows);
}

static void test_datetime(void **state)
{
	static const struct row rows[] = {
		{ "2024-03-05T08:30:00+07:00", "2024-03-05T08:30:00+07:00" },
		{ "2024-03-05T08:30:00Z", "2024-03-05T08:30:00Z" },
		{ "2024-03-05T08:30:00.5+07:00", "2024-03-05T08:30:00.5+07:00" },
		{ "2024-03-05T08:30:00", "2024-03-05T08:30:00+07:00" },
		{ "2024-03-05T08:30", "2024-03-05T08:30:00+07:00" },
		{ "05/03/2024 08:30", "2024-03-05T08:30:00+07:00" },
		{ "08:30 05/03/2024", "2024-03-05T08:30:00+07:00" },
		{ "5/3/2024 8:30", "2024-03-05T08:30:00+07:00" },
		{ "05/03/2024 08:30:15", "2024-03-05T08:30:15+07:00" },
		{ "8h30 ngày 05/03/2024", "2024-03-05T08:30:00+07:00" },
		{ "8h30, ngày 5 tháng 3 năm 2024", "2024-03-05T08:30:00+07:00" },
		{ "lúc 14h15 ngày 05/03/2024", "2024-03-05T14:15:00+07:00" },
		{ "14h ngày 05/03/2024", "2024-03-05T14:00:00+07:00" },
		{ "8g30 05-03-2024", "2024-03-05T08:30:00+07:00" },
		{ "8 giờ 30 phút ngày 05 tháng 03 năm 2024",
		  "2024-03-05T08:30:00+07:00" },
		{ "ngày 05/03/2024 lúc 16:45", "2024-03-05T16:45:00+07:00" },
		{ "05.03.2024 00:00", "2024-03-05T00:00:00+07:00" },
		{ "2024-03-05 08:30:00", "2024-03-05T08:30:00+07:00" },
		{ "8h 05/03/2024", NULL }, /* "8h 05": minutes or a day? */
		/* refused: no time (never invented), no full date, bad clock, two-digit
		   years */
		{ "05/03/2024", NULL },
		{ "2024-03-05", NULL },
		{ "08:30 03/2024", NULL },
		{ "08:30 2024", NULL },
		{ "24:00 05/03/2024", NULL },
		{ "08:60 05/03/2024", NULL },
		{ "25h 05/03/2024", NULL },
		{ "08:30 05/03/24", NULL },
		{ "08:30 31/04/2024", NULL },
		{ "08:30 08:40 05/03/2024", NULL },
		{ "8 giờ sáng 05/03/2024", NULL },
		{ "08:30 05/03/2024 GMT", NULL },
		{ "", NULL },
	};

	(void)state;
	CHECK_ROWS(tthc_norm_datetime, rows);
}

static void test_idnum(void **state)
{
	static const struct row rows[] = {
		{ "079090000001", "079090000001" },
		{ "123456789", "123456789" },
		{ "079 090 000 001", "079090000001" },
		{ "079.090.000.001", "079090000001" },
		{ "079-090-000-001", "079090000001" },
		{ " 079090000001 ", "079090000001" },
		{ "079 - 090 - 000001", "079090000001" },
		{ "123 456 789", "123456789" },
		{ "\t079090000001\n", "079090000001" },
		{ "07909000000", NULL },
		{ "0790900000011", NULL },
		{ "12345678", NULL },
		{ "1234567890", NULL },
		{ "07909000000A", NULL },
		{ "CCCD 079090000001", NULL },
		{ ".079090000001", NULL },
		{ "079090000001.", NULL },
		{ "079/090/000/001", NULL },
		{ "０79090000001", NULL },
		{ "", NULL },
	};

	(void)state;
	CHECK_ROWS(tthc_norm_idnum, rows);
}

static void test_sex(void **state)
{
	static const struct row rows[] = {
		{ "1", "1" },
		{ "2", "2" },
		{ "3", "3" },
		{ "nam", "1" },
		{ "Nam", "1" },
		{ "NAM", "1" },
		{ "nữ", "2" },
		{ "Nữ", "2" },
		{ "NỮ", "2" },
		{ "nu", "2" },
		{ "Nu", "2" },
		{ "M", "1" },
		{ "m", "1" },
		{ "F", "2" },
		{ "f", "2" },
		{ "male", "1" },
		{ "Male", "1" },
		{ "FEMALE", "2" },
		{ " Nam ", "1" },
		{ "Nam giới", "1" },
		{ "nữ giới", "2" },
		{ "chưa xác định", "3" },
		{ "Chưa Xác Định", "3" },
		{ "chua xac dinh", "3" },
		{ "0", NULL },
		{ "4", NULL },
		{ "x", NULL },
		{ "trai", NULL },
		{ "namnu", NULL },
		{ "nam/nữ", NULL },
		{ "", NULL },
		{ "không rõ", NULL },
		{ "năm", NULL },
		{ "nứ", NULL },
	};

	(void)state;
	CHECK_ROWS(tthc_norm_sex, rows);
}

static int name_title(const char *in, char **out, int *changed)
{
	return tthc_norm_name(in, TTHC_NAME_TITLE, out, changed);
}

static int name_upper(const char *in, char **out, int *changed)
{
	return tthc_norm_name(in, TTHC_NAME_UPPER, out, changed);
}

static int name_keep(const char *in, char **out, int *changed)
{
	return tthc_norm_name(in, TTHC_NAME_KEEP, out, changed);
}

static void test_name_title(void **state)
{
	static const struct row rows[] = {
		{ "Nguyễn Văn An", "Nguyễn Văn An" },
		{ "nguyễn văn an", "Nguyễn Văn An" },
		{ "NGUYỄN THỊ ÁNH", "Nguyễn Thị Ánh" },
		{ "  trần   thị   bích  ", "Trần Thị Bích" },
		{ "đặng ngọc ước", "Đặng Ngọc Ước" },
		{ "ĐẶNG NGỌC ƯỚC", "Đặng Ngọc Ước" },
		{ "ưng hoàng phúc", "Ưng Hoàng Phúc" },
		{ "ạ ặ ẹ ị ọ ụ ỵ", "Ạ Ặ Ẹ Ị Ọ Ụ Ỵ" },
		{ "lê\tthị\nhồng", "Lê Thị Hồng" },
		{ "nguye\u0302\u0303n va\u0306n an", "Nguyễn Văn An" }, /* decomposed */
		{ "h'hen niê", "H'Hen Niê" },
		{ "y-moan ênuôl", "Y-Moan Ênuôl" },
		{ "ksor h'luôn", "Ksor H'Luôn" },
		{ "tôn nữ thị ngọc", "Tôn Nữ Thị Ngọc" },
		{ "", "" },
	};

	(void)state;
	CHECK_ROWS(name_title, rows);
}

static void test_name_upper_keep(void **state)
{
	static const struct row upper[] = {
		{ "NGUYỄN VĂN AN", "NGUYỄN VĂN AN" },
		{ "nguyễn văn an", "NGUYỄN VĂN AN" },
		{ "đặng thị ướt", "ĐẶNG THỊ ƯỚT" },
		{ " phạm  quỳnh ", "PHẠM QUỲNH" },
	};
	static const struct row keep[] = {
		{ "nguyễn Văn AN", "nguyễn Văn AN" },
		{ "  nguyễn  Văn AN ", "nguyễn Văn AN" },
		{ "nguye\u0302\u0303n", "nguyễn" },
	};
	char *out = NULL;
	int changed;

	(void)state;
	CHECK_ROWS(name_upper, upper);
	CHECK_ROWS(name_keep, keep);
	assert_int_equal(tthc_norm_name("An", (enum tthc_name_case)7, &out, &changed),
	                 -EINVAL);
	assert_int_equal(tthc_norm_name("\xff", TTHC_NAME_TITLE, &out, &changed),
	                 -EINVAL);
}

static void test_text(void **state)
{
	static const struct row rows[] = {
		{ "Ủy ban nhân dân", "Ủy ban nhân dân" },
		{ "  Ủy ban   nhân dân  ", "Ủy ban nhân dân" },
		{ "Dòng 1\r\nDòng 2", "Dòng 1 Dòng 2" },
		{ "a\u00a0\u00a0b", "a b" },
		{ "a\u3000b", "a b" },
		{ "a\x01"
		  "b\x7f"
		  "c",
		  "abc" },
		{ "a\xc2\x85"
		  "b",
		  "a b" },
		{ "a\xc2\x90"
		  "b",
		  "ab" },
		{ "Vie\u0302\u0323t Nam", "Việt Nam" },
		{ "\t\n", "" },
		{ "", "" },
		{ "bad \xc3", NULL },
		{ "bad \xed\xa0\x80", NULL },
	};

	(void)state;
	CHECK_ROWS(tthc_norm_text, rows);
}

static void test_phone(void **state)
{
	static const struct row rows[] = {
		{ "0912345678", "0912345678" },
		{ "0912 345 678", "0912345678" },
		{ "0912.345.678", "0912345678" },
		{ "0912-345-678", "0912345678" },
		{ "+84912345678", "0912345678" },
		{ "+84 912 345 678", "0912345678" },
		{ "84912345678", "0912345678" },
		{ "0084912345678", "0912345678" },
		{ "+84 (0) 912 345 678", "0912345678" },
		{ "0326123456", "0326123456" },
		{ "0862123456", "0862123456" },
		/* the 2018 conversion, every prefix */
		{ "01201234567", "0701234567" },
		{ "01211234567", "0791234567" },
		{ "01221234567", "0771234567" },
		{ "01261234567", "0761234567" },
		{ "01281234567", "0781234567" },
		{ "01231234567", "0831234567" },
		{ "01241234567", "0841234567" },
		{ "01251234567", "0851234567" },
		{ "01271234567", "0811234567" },
		{ "01291234567", "0821234567" },
		{ "01621234567", "0321234567" },
		{ "01631234567", "0331234567" },
		{ "01641234567", "0341234567" },
		{ "01651234567", "0351234567" },
		{ "01661234567", "0361234567" },
		{ "01671234567", "0371234567" },
		{ "01681234567", "0381234567" },
		{ "01691234567", "0391234567" },
		{ "01861234567", "0561234567" },
		{ "01881234567", "0581234567" },
		{ "01991234567", "0591234567" },
		{ "0169.9333.999", "0399333999" },
		{ "+84 169 933 3999", "0399333999" },
		{ "841699333999", "0399333999" },
		/* fixed lines of 2017 keep their eleven digits */
		{ "02438251234", "02438251234" },
		{ "(024) 3825 1234", "02438251234" },
		{ "028.3829.1234", "02838291234" },
		{ "+84 24 3825 1234", "02438251234" },
		{ "0236 3821 234", "02363821234" },
		/* refused */
		{ "01301234567", NULL },
		{ "0112345678", NULL },
		{ "0412345678", NULL },
		{ "0612345678", NULL },
		{ "091234567", NULL },
		{ "09123456789", NULL },
		{ "1900 1234", NULL },
		{ "113", NULL },
		{ "+1 415 555 0100", NULL },
		{ "+33 1 23 45 67 89", NULL },
		{ "0912345678 / 0987654321", NULL },
		{ "0912345678, 0987654321", NULL },
		{ "ĐT: 0912345678", NULL },
		{ "0912+345678", NULL },
		{ "912345678", NULL },
		{ "", NULL },
	};

	(void)state;
	CHECK_ROWS(tthc_norm_phone, rows);
}

static void test_fold(void **state)
{
	static const struct row rows[] = {
		{ "Đắk Lắk", "dak lak" },
		{ "ĐĂK LĂK", "dak lak" },
		{ "Thành phố Hồ Chí Minh", "thanh pho ho chi minh" },
		{ "Nữ", "nu" },
		{ "ngày tháng năm", "ngay thang nam" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *f = NULL;

		assert_int_equal(tthc_fold(rows[i].in, &f), 0);
		assert_string_equal(f, rows[i].want);
		free(f);
	}
}

static void test_bad_arguments(void **state)
{
	char *out = NULL;
	int changed;

	(void)state;
	assert_int_equal(tthc_norm_date(NULL, &out, &changed), -EINVAL);
	assert_int_equal(tthc_norm_datetime("2024", NULL, &changed), -EINVAL);
	assert_int_equal(tthc_norm_idnum("123456789", &out, NULL), -EINVAL);
	assert_int_equal(tthc_norm_sex(NULL, &out, &changed), -EINVAL);
	assert_int_equal(tthc_norm_text(NULL, &out, &changed), -EINVAL);
	assert_int_equal(tthc_norm_phone(NULL, &out, &changed), -EINVAL);
	assert_int_equal(tthc_norm_date("5/3/1990\xff", &out, &changed), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date),       cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_idnum),      cmocka_unit_test(test_sex),
		cmocka_unit_test(test_name_title), cmocka_unit_test(test_name_upper_keep),
		cmocka_unit_test(test_text),       cmocka_unit_test(test_phone),
		cmocka_unit_test(test_fold),       cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
