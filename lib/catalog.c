/* SPDX-License-Identifier: MIT */
/* The catalogue of procedures: national codes, older codes, schemas and form elements. */
#include "config.h"

#include <string.h>

#include "internal.h"

static const struct tthc_procedure procedures[] = {
	{ "1.001193", "khai-sinh", "Đăng ký khai sinh", "ToKhaiKhaiSinh" },
	{ "1.000656", "khai-tu", "Đăng ký khai tử", "ToKhaiKhaiTu" },
	{ "1.000894", "ket-hon", "Đăng ký kết hôn", "ToKhaiKetHon" },
	{ "3.000722", "lien-thong-khai-sinh",
	  "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ em "
	  "dưới 6 tuổi",
	  "ToKhaiLienThongKhaiSinh" },
	{ "2.002913", "lien-thong-khai-tu",
	  "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất / "
	  "mai táng phí",
	  "ToKhaiLienThongKhaiTu" },
	{ "3.000333", "ly-lich-tu-phap", "Cấp Phiếu lý lịch tư pháp",
	  "ToKhaiLyLichTuPhap" },
};

/* Older national codes, replaced in 2024-2025 (shared/DOMAIN.md §2). */
static const struct {
	const char *old, *current;
} superseded[] = {
	{ "2.000986", "3.000722" },
	{ "2.001023", "3.000722" },
	{ "2.002621", "3.000722" },
	{ "2.002622", "2.002913" },
};

#define N_PROC (sizeof(procedures) / sizeof(procedures[0]))

/* A base code is d.dddddd; a local instance appends .ddd.dd.dd.Xdd (agency code). */
static int split_base(const char *code, char base[9])
{
	static const char shape[] = "9.999999";
	static const char suffix[] = ".999.99.99.A99";
	size_t i;

	for (i = 0; i < 8; i++) {
		char c = code[i];

		if (shape[i] == '9' ? !(c >= '0' && c <= '9') : c != '.')
			return -1;
		base[i] = c;
	}
	base[8] = '\0';
	if (code[8] == '\0')
		return 0;
	for (i = 0; suffix[i]; i++) {
		char c = code[8 + i], s = suffix[i];

		if (s == '9' && !(c >= '0' && c <= '9'))
			return -1;
		if (s == 'A' && !(c >= 'A' && c <= 'Z'))
			return -1;
		if (s == '.' && c != '.')
			return -1;
	}
	return code[8 + i] == '\0' ? 0 : -1;
}

static const struct tthc_procedure *by_base(const char *base)
{
	for (size_t i = 0; i < N_PROC; i++)
		if (strcmp(procedures[i].code, base) == 0)
			return &procedures[i];
	return NULL;
}

TTHC_EXPORT int tthc_procedure_find(const char *code, const struct tthc_procedure **out,
                                    int *superseded_out)
{
	const struct tthc_procedure *p;
	char base[9];

	if (!code || split_base(code, base) < 0)
		return -TTHC_E_UNKNOWN;
	p = by_base(base);
	if (superseded_out)
		*superseded_out = 0;
	for (size_t i = 0; !p && i < sizeof(superseded) / sizeof(superseded[0]); i++) {
		if (strcmp(superseded[i].old, base) == 0) {
			p = by_base(superseded[i].current);
			if (superseded_out)
				*superseded_out = 1;
		}
	}
	if (!p)
		return -TTHC_E_UNKNOWN;
	*out = p;
	return 0;
}

TTHC_EXPORT size_t tthc_procedure_count(void)
{
	return N_PROC;
}

TTHC_EXPORT const struct tthc_procedure *tthc_procedure_get(size_t i)
{
	return i < N_PROC ? &procedures[i] : NULL;
}
