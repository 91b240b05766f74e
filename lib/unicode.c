/* SPDX-License-Identifier: MIT */
/* Unicode helpers shared by the rules and the normalisers: a fast exact NFC check. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

/*
 * Every code point below U+0300 and in U+1E00..U+1EFF (Latin Extended Additional, all of
 * Vietnamese's precomposed letters) has NFC_Quick_Check=Yes and canonical combining class
 * 0, so a string made only of them is NFC whatever their order.  Only strings with other
 * code points (combining marks above all) need the normaliser: nearly all values skip it.
 */
int tthc_cp_nfc_stable(const unsigned char *lead)
{
	unsigned cp;

	if (lead[0] < 0x80)
		return 1;
	if (lead[0] < 0xE0)
		return (((lead[0] & 0x1Fu) << 6) | (lead[1] & 0x3Fu)) < 0x300;
	if (lead[0] >= 0xF0)
		return 0;
	cp = ((lead[0] & 0x0Fu) << 12) | ((lead[1] & 0x3Fu) << 6) | (lead[2] & 0x3Fu);
	return cp >= 0x1E00 && cp <= 0x1EFF;
}

int tthc_nfc_quick(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0xC0 && !tthc_cp_nfc_stable(p))
			return 0;
	return 1;
}

char *tthc_nfc_dup(const char *s)
{
	return tthc_nfc_quick(s) ? strdup(s)
	                         : (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}
