/* SPDX-License-Identifier: MIT */
/* The Vietnamese letters and the byte tables of TCVN3, VNI-Windows and VPS. */
#include "config.h"

#include <pthread.h>
#include <stddef.h>
#include <utf8proc.h>

#include "vnenc_int.h"

/*
 * Where the tables come from, and how sure we are of them:
 *
 * - The letters: Unicode's precomposed Latin letters (U+00C0.., U+1EA0..U+1EF9), one row
 *   per vowel and one column per tone; upper case is taken from utf8proc at start-up.
 *
 * - TCVN3 (ABC): bytes 0xA0-0xFF are glibc's TCVN5712-1 charmap
 *   (/usr/share/i18n/charmaps/TCVN5712-1.gz), whose lower-case letters are those of the
 *   ABC fonts.  Certain.  The fonts have no toned capitals (a "H" font drew the
 * lower-case bytes as capitals), so the toned bytes decode to lower case and vnenc.c
 * restores case where the text shows it.  Bytes 0xAF, 0xBA, 0xBF, 0xC0-0xC5, 0xCD,
 * 0xD9-0xDB, 0xE0, 0xF0 and 0xFF, which ABC fonts leave empty, keep the capitals TCVN
 * 5712 gives them (they lose nothing and are never written by the encoder).  TCVN 5712
 * puts further capitals in 0x01-0x17 and 0x80-0x9F; TCVN3 files come from Windows
 * editors, so there we read control characters and cp1252 punctuation (curly quotes,
 * dashes) instead: a judgement, not a standard.
 *
 * - VPS: Mozilla's intl/uconv/ucvlatin/vps.ut (a Unicode table in hex) and the VPS table
 *   of the xvnkb keyboard driver (vps.h, Dao Hai Lam, letters as font bytes) agree on
 *   every toned letter; xvnkb writes lower case for the capitals VPS keeps in the C0
 *   range (0x02-0x06, 0x10-0x15, 0x19, 0x1C, 0x1D), which Mozilla lists.  Fairly sure.
 *
 * - VNI-Windows: a base letter followed by a mark byte.  xvnkb's vni.h, the VBKey
 *   converter's table and the vietnamese-conversion package's example ("Xin chaøo caùc
 *   baïn") agree: tone marks ù ø û õ ï (sắc huyền hỏi ngã nặng), circumflex â and with
 *   tones á à å ã ä, breve ê and with tones é è ú ü ë, upper-case marks 0x20 lower;
 * single bytes ô ö ñ for ơ ư đ, í ì æ ó ò for the toned i, î for ỵ.  Sure.  Other bytes
 * are cp1252, which the VNI fonts keep.
 */

/* Tones in columns: level, sắc, huyền, hỏi, ngã, nặng. */
static const uint16_t vn_lower[VN_NVOWELS][VN_NTONES] = {
	[VN_A] = { 0x0061, 0x00e1, 0x00e0, 0x1ea3, 0x00e3, 0x1ea1 },
	[VN_AW] = { 0x0103, 0x1eaf, 0x1eb1, 0x1eb3, 0x1eb5, 0x1eb7 },
	[VN_AA] = { 0x00e2, 0x1ea5, 0x1ea7, 0x1ea9, 0x1eab, 0x1ead },
	[VN_E] = { 0x0065, 0x00e9, 0x00e8, 0x1ebb, 0x1ebd, 0x1eb9 },
	[VN_EE] = { 0x00ea, 0x1ebf, 0x1ec1, 0x1ec3, 0x1ec5, 0x1ec7 },
	[VN_I] = { 0x0069, 0x00ed, 0x00ec, 0x1ec9, 0x0129, 0x1ecb },
	[VN_O] = { 0x006f, 0x00f3, 0x00f2, 0x1ecf, 0x00f5, 0x1ecd },
	[VN_OO] = { 0x00f4, 0x1ed1, 0x1ed3, 0x1ed5, 0x1ed7, 0x1ed9 },
	[VN_OW] = { 0x01a1, 0x1edb, 0x1edd, 0x1edf, 0x1ee1, 0x1ee3 },
	[VN_U] = { 0x0075, 0x00fa, 0x00f9, 0x1ee7, 0x0169, 0x1ee5 },
	[VN_UW] = { 0x01b0, 0x1ee9, 0x1eeb, 0x1eed, 0x1eef, 0x1ef1 },
	[VN_Y] = { 0x0079, 0x00fd, 0x1ef3, 0x1ef7, 0x1ef9, 0x1ef5 },
};
static uint16_t vn_upper[VN_NVOWELS][VN_NTONES];

/* cp1252's 0x80-0x9F; its five holes stay the C1 controls so every byte round-trips. */
static const uint16_t cp1252_c1[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static const uint16_t tcvn3_high[96] = {
	0x00a0, 0x0102, 0x00c2, 0x00ca, 0x00d4, 0x01a0, 0x01af, 0x0110, /* a0 */
	0x0103, 0x00e2, 0x00ea, 0x00f4, 0x01a1, 0x01b0, 0x0111, 0x1eb0, /* a8 */
	0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00e0, 0x1ea3, 0x00e3, /* b0 */
	0x00e1, 0x1ea1, 0x1eb2, 0x1eb1, 0x1eb3, 0x1eb5, 0x1eaf, 0x1eb4, /* b8 */
	0x1eae, 0x1ea6, 0x1ea8, 0x1eaa, 0x1ea4, 0x1ec0, 0x1eb7, 0x1ea7, /* c0 */
	0x1ea9, 0x1eab, 0x1ea5, 0x1ead, 0x00e8, 0x1ec2, 0x1ebb, 0x1ebd, /* c8 */
	0x00e9, 0x1eb9, 0x1ec1, 0x1ec3, 0x1ec5, 0x1ebf, 0x1ec7, 0x00ec, /* d0 */
	0x1ec9, 0x1ec4, 0x1ebe, 0x1ed2, 0x0129, 0x00ed, 0x1ecb, 0x00f2, /* d8 */
	0x1ed4, 0x1ecf, 0x00f5, 0x00f3, 0x1ecd, 0x1ed3, 0x1ed5, 0x1ed7, /* e0 */
	0x1ed1, 0x1ed9, 0x1edd, 0x1edf, 0x1ee1, 0x1edb, 0x1ee3, 0x00f9, /* e8 */
	0x1ed6, 0x1ee7, 0x0169, 0x00fa, 0x1ee5, 0x1eeb, 0x1eed, 0x1eef, /* f0 */
	0x1ee9, 0x1ef1, 0x1ef3, 0x1ef7, 0x1ef9, 0x00fd, 0x1ef5, 0x1ed0, /* f8 */
};

/* VPS bytes that are not themselves (ASCII, and the C0 controls VPS keeps). */
static const struct {
	uint8_t byte;
	uint16_t cp;
} vps_c0[] = {
	{ 0x02, 0x1ea0 }, { 0x03, 0x1eac }, { 0x04, 0x1eb6 }, { 0x05, 0x1eb8 },
	{ 0x06, 0x1ec6 }, { 0x10, 0x1eca }, { 0x11, 0x1ecc }, { 0x12, 0x1ed8 },
	{ 0x13, 0x1ee2 }, { 0x14, 0x1ee4 }, { 0x15, 0x1ef0 }, { 0x19, 0x1ef4 },
	{ 0x1c, 0x1eaa }, { 0x1d, 0x1eee },
};

static const uint16_t vps_high[128] = {
	0x00c0, 0x1ea2, 0x00c3, 0x1ea4, 0x1ea6, 0x1ea8, 0x1ecd, 0x1ed7, /* 80 */
	0x0102, 0x1ebf, 0x1ec1, 0x1ec3, 0x1ec7, 0x1eae, 0x1eb0, 0x1eb2, /* 88 */
	0x1ebe, 0x2018, 0x2019, 0x1ec0, 0x1ec2, 0x1ec4, 0x1ed0, 0x1ed2, /* 90 */
	0x1ed4, 0x1ed6, 0x00fd, 0x1ef7, 0x1ef5, 0x1eda, 0x1edc, 0x1ede, /* 98 */
	0x00a0, 0x1eaf, 0x1eb1, 0x1eb3, 0x1eb5, 0x1eb7, 0x1ee0, 0x1edb, /* a0 */
	0x00d9, 0x1edd, 0x1edf, 0x1ee1, 0x0168, 0x1ee8, 0x1ee3, 0x1eea, /* a8 */
	0x1ed5, 0x1eec, 0x1ef2, 0x1ef8, 0x00cd, 0x00cc, 0x1ed9, 0x1ec8, /* b0 */
	0x0128, 0x00d3, 0x1eed, 0x1eef, 0x00d2, 0x1ece, 0x00d5, 0x1ef1, /* b8 */
	0x1ea7, 0x00c1, 0x00c2, 0x1ea5, 0x1ea9, 0x1eab, 0x1ead, 0x0111, /* c0 */
	0x1ebb, 0x00c9, 0x00ca, 0x1eb9, 0x1ec9, 0x1ec5, 0x1ecb, 0x1ef9, /* c8 */
	0x01af, 0x1ee6, 0x1ed3, 0x1ed1, 0x00d4, 0x1ecf, 0x01a1, 0x00c8, /* d0 */
	0x1eeb, 0x1ee9, 0x00da, 0x0169, 0x01b0, 0x00dd, 0x1eba, 0x00df, /* d8 */
	0x00e0, 0x00e1, 0x00e2, 0x00e3, 0x1ea3, 0x1ea1, 0x0103, 0x00e7, /* e0 */
	0x00e8, 0x00e9, 0x00ea, 0x1ebd, 0x00ec, 0x00ed, 0x00ee, 0x0129, /* e8 */
	0x1eb4, 0x0110, 0x00f2, 0x00f3, 0x00f4, 0x00f5, 0x00f6, 0x01a0, /* f0 */
	0x1ee5, 0x00f9, 0x00fa, 0x1ee7, 0x00fc, 0x1ef6, 0x1ebc, 0x1ef3, /* f8 */
};

/* VNI's lower-case single-byte letters; their capitals are 0x20 lower. */
static const struct {
	uint8_t byte;
	uint16_t cp;
} vni_letters[] = {
	{ 0xf4, 0x01a1 }, { 0xf6, 0x01b0 }, { 0xf1, 0x0111 },
	{ 0xed, 0x00ed }, { 0xec, 0x00ec }, { 0xe6, 0x1ec9 },
	{ 0xf3, 0x0129 }, { 0xf2, 0x1ecb }, { 0xee, 0x1ef5 },
};

/* VNI's lower-case mark bytes by modifier (none, circumflex, breve) and tone. */
static const uint8_t vni_marks[3][VN_NTONES] = {
	{ 0x00, 0xf9, 0xf8, 0xfb, 0xf5, 0xef },
	{ 0xe2, 0xe1, 0xe0, 0xe5, 0xe3, 0xe4 },
	{ 0xea, 0xe9, 0xe8, 0xfa, 0xfc, 0xeb },
};

const uint8_t vn_vni_i[VN_NTONES] = { 'i', 0xed, 0xec, 0xe6, 0xf3, 0xf2 };

uint16_t vn_tcvn3_cp[256];
uint16_t vn_vps_cp[256];
uint16_t vn_vni_cp[256];
uint8_t vn_vni_mark[256];

/*
 * Letter lookup by code point: valid(0x100) | upper(0x80) | tone << 4 | vowel, vowel 15
 * standing for đ.  Vietnamese letters live below U+01B1 and in U+1EA0-U+1EF9.
 */
#define INFO_VALID 0x100
#define INFO_UPPER 0x80
#define INFO_DD 15
static uint16_t info_low[0x1b1];
static uint16_t info_ext[0x1efa - 0x1ea0];

static uint16_t *info_slot(uint32_t cp)
{
	if (cp < 0x1b1)
		return &info_low[cp];
	if (cp >= 0x1ea0 && cp < 0x1efa)
		return &info_ext[cp - 0x1ea0];
	return NULL;
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void fill_letters(void)
{
	for (int v = 0; v < VN_NVOWELS; v++) {
		for (int t = 0; t < VN_NTONES; t++) {
			uint32_t lo = vn_lower[v][t];
			uint32_t up = (uint32_t)utf8proc_toupper((utf8proc_int32_t)lo);

			vn_upper[v][t] = (uint16_t)up;
			*info_slot(lo) = (uint16_t)(INFO_VALID | t << 4 | v);
			*info_slot(up) = (uint16_t)(INFO_VALID | INFO_UPPER | t << 4 | v);
		}
	}
	info_low[0x111] = INFO_VALID | INFO_DD;
	info_low[0x110] = INFO_VALID | INFO_UPPER | INFO_DD;
}

static void fill_bytes(void)
{
	for (int b = 0; b < 256; b++) {
		uint16_t cp = b < 0x80   ? (uint16_t)b
		              : b < 0xa0 ? cp1252_c1[b - 0x80]
		                         : (uint16_t)b;

		vn_tcvn3_cp[b] = b < 0xa0 ? cp : tcvn3_high[b - 0xa0];
		vn_vps_cp[b] = b < 0x80 ? (uint16_t)b : vps_high[b - 0x80];
		vn_vni_cp[b] = cp;
	}
	for (size_t i = 0; i < sizeof(vps_c0) / sizeof(vps_c0[0]); i++)
		vn_vps_cp[vps_c0[i].byte] = vps_c0[i].cp;
	for (size_t i = 0; i < sizeof(vni_letters) / sizeof(vni_letters[0]); i++) {
		uint8_t b = vni_letters[i].byte;

		vn_vni_cp[b] = vni_letters[i].cp;
		vn_vni_cp[b - 0x20] = (uint16_t)utf8proc_toupper(vni_letters[i].cp);
	}
	for (int m = 0; m < 3; m++) {
		for (int t = 0; t < VN_NTONES; t++) {
			uint8_t b = vni_marks[m][t];

			if (!b)
				continue;
			/* 0x80 keeps "no modifier, level tone" apart from "no mark". */
			vn_vni_mark[b] = vn_vni_mark[b - 0x20] =
			    (uint8_t)(0x80 | m << 4 | t);
		}
	}
}

static void tables_init(void)
{
	fill_letters();
	fill_bytes();
}

void vn_tables_init(void)
{
	pthread_once(&tables_once, tables_init);
}

int vn_letter_info(uint32_t cp, struct vn_letter *out)
{
	uint16_t *slot = info_slot(cp);
	uint16_t v;

	vn_tables_init();
	if (!slot || !(*slot & INFO_VALID))
		return 0;
	v = *slot;
	out->vowel = (v & 15) == INFO_DD ? -1 : (int)(v & 15);
	out->tone = (v >> 4) & 7;
	out->upper = !!(v & INFO_UPPER);
	return 1;
}

uint32_t vn_letter_cp(int vowel, int tone, int upper)
{
	vn_tables_init();
	return upper ? vn_upper[vowel][tone] : vn_lower[vowel][tone];
}

int vn_vowel_base(int vowel, int *mod)
{
	switch (vowel) {
	case VN_AW:
		*mod = VN_MOD_BREVE;
		return VN_A;
	case VN_AA:
		*mod = VN_MOD_CIRC;
		return VN_A;
	case VN_EE:
		*mod = VN_MOD_CIRC;
		return VN_E;
	case VN_OO:
		*mod = VN_MOD_CIRC;
		return VN_O;
	case VN_OW:
		*mod = VN_MOD_HORN;
		return VN_O;
	case VN_UW:
		*mod = VN_MOD_HORN;
		return VN_U;
	default:
		*mod = VN_MOD_NONE;
		return vowel;
	}
}

/* The vowel a plain base becomes with a modifier, or -1. */
static int with_mod(int base, int mod)
{
	switch (mod) {
	case VN_MOD_CIRC:
		return base == VN_A   ? VN_AA
		       : base == VN_E ? VN_EE
		       : base == VN_O ? VN_OO
		                      : -1;
	case VN_MOD_BREVE:
		return base == VN_A ? VN_AW : -1;
	case VN_MOD_HORN:
		return base == VN_O ? VN_OW : base == VN_U ? VN_UW : -1;
	default:
		return base;
	}
}

uint32_t vn_apply(uint32_t cp, int mod, int tone)
{
	struct vn_letter l;
	int v, m;

	if (!vn_letter_info(cp, &l) || l.vowel < 0)
		return 0;
	v = l.vowel;
	if (mod != VN_MOD_NONE) {
		if (l.tone != VN_LEVEL || vn_vowel_base(v, &m) != v ||
		    (v = with_mod(v, mod)) < 0)
			return 0;
	}
	if (tone != VN_LEVEL) {
		if (l.tone != VN_LEVEL)
			return 0;
		l.tone = tone;
	}
	return vn_letter_cp(v, l.tone, l.upper);
}

uint32_t vn_toupper(uint32_t cp)
{
	struct vn_letter l;

	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z' ? cp - 0x20 : cp;
	if (!vn_letter_info(cp, &l) || l.upper)
		return cp;
	return l.vowel < 0 ? 0x110 : vn_upper[l.vowel][l.tone];
}

uint32_t vn_tolower(uint32_t cp)
{
	struct vn_letter l;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp;
	if (!vn_letter_info(cp, &l) || !l.upper)
		return cp;
	return l.vowel < 0 ? 0x111 : vn_lower[l.vowel][l.tone];
}

uint32_t vn_tone_mark(int tone)
{
	static const uint16_t marks[VN_NTONES] = { 0,      0x0301, 0x0300,
		                                   0x0309, 0x0303, 0x0323 };

	return marks[tone];
}

uint32_t vn_mod_mark(int mod)
{
	static const uint16_t marks[] = { 0, 0x0302, 0x0306, 0x031b };

	return marks[mod];
}

uint8_t vn_vni_mark_byte(int mod, int tone)
{
	return mod <= VN_MOD_BREVE ? vni_marks[mod][tone] : 0;
}

int vn_get_utf8(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	int len;

	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] < 0xc2)
		return 0;
	len = u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : u[0] < 0xf5 ? 4 : 0;
	if (!len || (size_t)len > n)
		return 0;
	c = u[0] & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}
