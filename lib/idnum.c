/* SPDX-License-Identifier: MIT */
/* Personal identification numbers (PPP G YY RRRRRR) and the 63 province codes. */
#include "config.h"

#include <errno.h>

#include "internal.h"

/*
 * Statistics codes of the 63 provinces before the 2025 merger (shared/DOMAIN.md §3.4).
 * Numbers issued before the merger keep these prefixes for good, so the old table is the
 * one that validates them.
 */
static const char *const provinces[100] = {
	[1] = "Hà Nội",
	[2] = "Hà Giang",
	[4] = "Cao Bằng",
	[6] = "Bắc Kạn",
	[8] = "Tuyên Quang",
	[10] = "Lào Cai",
	[11] = "Điện Biên",
	[12] = "Lai Châu",
	[14] = "Sơn La",
	[15] = "Yên Bái",
	[17] = "Hòa Bình",
	[19] = "Thái Nguyên",
	[20] = "Lạng Sơn",
	[22] = "Quảng Ninh",
	[24] = "Bắc Giang",
	[25] = "Phú Thọ",
	[26] = "Vĩnh Phúc",
	[27] = "Bắc Ninh",
	[30] = "Hải Dương",
	[31] = "Hải Phòng",
	[33] = "Hưng Yên",
	[34] = "Thái Bình",
	[35] = "Hà Nam",
	[36] = "Nam Định",
	[37] = "Ninh Bình",
	[38] = "Thanh Hóa",
	[40] = "Nghệ An",
	[42] = "Hà Tĩnh",
	[44] = "Quảng Bình",
	[45] = "Quảng Trị",
	[46] = "Thừa Thiên Huế",
	[48] = "Đà Nẵng",
	[49] = "Quảng Nam",
	[51] = "Quảng Ngãi",
	[52] = "Bình Định",
	[54] = "Phú Yên",
	[56] = "Khánh Hòa",
	[58] = "Ninh Thuận",
	[60] = "Bình Thuận",
	[62] = "Kon Tum",
	[64] = "Gia Lai",
	[66] = "Đắk Lắk",
	[67] = "Đắk Nông",
	[68] = "Lâm Đồng",
	[70] = "Bình Phước",
	[72] = "Tây Ninh",
	[74] = "Bình Dương",
	[75] = "Đồng Nai",
	[77] = "Bà Rịa - Vũng Tàu",
	[79] = "TP Hồ Chí Minh",
	[80] = "Long An",
	[82] = "Tiền Giang",
	[83] = "Bến Tre",
	[84] = "Trà Vinh",
	[86] = "Vĩnh Long",
	[87] = "Đồng Tháp",
	[89] = "An Giang",
	[91] = "Kiên Giang",
	[92] = "Cần Thơ",
	[93] = "Hậu Giang",
	[94] = "Sóc Trăng",
	[95] = "Bạc Liêu",
	[96] = "Cà Mau",
};

TTHC_EXPORT const char *tthc_province_name(int code)
{
	return code >= 0 && code < 100 ? provinces[code] : NULL;
}

TTHC_EXPORT int tthc_idnum_parse(const char *s, struct tthc_idnum *out)
{
	int g;

	if (!s)
		return -EINVAL;
	for (int i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	if (s[12] != '\0')
		return -EINVAL;
	/* Circular 07/2016/TT-BCA: G 0/1 is 1900-1999, 2/3 2000-2099...; even is male. */
	g = s[3] - '0';
	out->province = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	out->male = g % 2 == 0;
	out->century_base = 1900 + 100 * (g / 2);
	out->year = out->century_base + (s[4] - '0') * 10 + (s[5] - '0');
	return tthc_province_name(out->province) ? 0 : -TTHC_E_UNKNOWN;
}
