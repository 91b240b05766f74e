/* SPDX-License-Identifier: MIT */
/* Vietnamese letter arithmetic and byte tables shared by lib/vn*.c; not exported. */
#ifndef TTHC_VNENC_INT_H
#define TTHC_VNENC_INT_H

#include <stdint.h>

#include "tthc.h"

/* The twelve vowel letters, in the order of the alphabet. */
enum vn_vowel {
	VN_A,
	VN_AW,
	VN_AA,
	VN_E,
	VN_EE,
	VN_I,
	VN_O,
	VN_OO,
	VN_OW,
	VN_U,
	VN_UW,
	VN_Y,
	VN_NVOWELS
};

/* Tones in the order the VNI and Telex keyboards number them (1 sắc ... 5 nặng). */
enum vn_tone { VN_LEVEL, VN_ACUTE, VN_GRAVE, VN_HOOK, VN_TILDE, VN_DOT, VN_NTONES };

/* The marks a vowel letter carries besides its tone. */
enum vn_mod { VN_MOD_NONE, VN_MOD_CIRC, VN_MOD_BREVE, VN_MOD_HORN };

/* What a code point is as a Vietnamese letter. */
struct vn_letter {
	int vowel; /* enum vn_vowel, or -1 for đ / Đ */
	int tone;  /* enum vn_tone */
	int upper;
};

/* Builds the lookup tables once per process; every function below calls it. */
void vn_tables_init(void);

/* Returns 1 and fills *out when cp is a vowel letter (any tone, any case) or đ / Đ. */
int vn_letter_info(uint32_t cp, struct vn_letter *out);
/* Returns the code point of a vowel with a tone, lower or upper case. */
uint32_t vn_letter_cp(int vowel, int tone, int upper);
/*
 * Adds a modifier and / or a tone to the vowel letter cp, as a legacy mark that follows
 * a base letter does.  Returns the new code point, or 0 when cp takes no such mark (it
 * is not a vowel, already has a tone, or the modifier does not fit it).
 */
uint32_t vn_apply(uint32_t cp, int mod, int tone);
/* Splits a vowel into its plain base (VN_A, VN_E, VN_I, VN_O, VN_U, VN_Y) and mark. */
int vn_vowel_base(int vowel, int *mod);
/* Case mapping of the letters Vietnamese uses (ASCII and the vowel letters, đ). */
uint32_t vn_toupper(uint32_t cp);
uint32_t vn_tolower(uint32_t cp);

/* A combining tone mark (U+0300 ...) for a tone, and the modifier marks. */
uint32_t vn_tone_mark(int tone);
uint32_t vn_mod_mark(int mod);

/* ---- single-byte tables: the code point of every byte ---- */
extern uint16_t vn_tcvn3_cp[256];
extern uint16_t vn_vps_cp[256];
extern uint16_t vn_vni_cp[256]; /* cp1252 for bytes that are not VNI marks */
/* VNI mark bytes: modifier in the high nibble, tone in the low one; 0 for letters. */
extern uint8_t vn_vni_mark[256];
/* The VNI mark byte (lower-case form) for a modifier and tone; 0 when there is none. */
uint8_t vn_vni_mark_byte(int mod, int tone);
/* The VNI single bytes for i with a tone (lower case) and for ỵ. */
extern const uint8_t vn_vni_i[VN_NTONES];
#define VN_VNI_Y_DOT 0xee

/* Writes cp as UTF-8 into out (4 bytes of room); returns the length. */
static inline int vn_put_utf8(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* ---- detection (lib/vnenc_detect.c) ---- */

/*
 * Below this confidence a legacy verdict is a guess: text mode refuses to convert on it
 * and a dossier is not decoded with it.
 */
#define VN_CONFIDENT 0.5

/* How UTF-8 text (invalid bytes count as junk) reads as Vietnamese. */
struct vn_score {
	size_t words, valid, junk;
	size_t nonascii, marked; /* words with letters beyond ASCII; those valid */
	double value; /* the ranking: Vietnamese words up, junk and invalid words down */
};
void vn_score_text(const char *s, size_t n, struct vn_score *sc);
/*
 * The confidence a reading gives: the share of its words with letters beyond ASCII (and
 * of its junk characters) that are Vietnamese syllables; for plain ASCII, of all words.
 */
double vn_score_share(const struct vn_score *sc);
/*
 * Returns 1 when s reads strictly better decoded from a than from b (or b cannot decode
 * it and a can), 0 when not, -ENOMEM.
 */
int vn_reads_better(const char *s, size_t n, enum tthc_enc a, enum tthc_enc b);
/* tthc_vnenc_detect() among the single- and double-byte legacy encodings only. */
int vn_detect_legacy(const char *buf, size_t len, enum tthc_enc *out, double *conf);

/*
 * Reads one code point of valid UTF-8 (as this library writes it) at s, at most n
 * bytes; returns its length, or 0 when the bytes are not a complete valid sequence.
 */
int vn_get_utf8(const char *s, size_t n, uint32_t *cp);

#endif
