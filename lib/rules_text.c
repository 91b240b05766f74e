/* SPDX-License-Identifier: MIT */
/* Rules TTHC-TEXT-*: every text value is NFC, free of control characters, and trimmed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

/* How much of a value a message quotes. */
#define EXCERPT 60

/* What one pass over a value's bytes finds. */
struct scan {
	int maybe_not_nfc; /* a code point outside the ranges known to be NFC-stable */
	unsigned control;  /* the first control character, or 0 */
};

/* What a byte asks of the scan: nothing (most), a control, or a look at a lead byte. */
enum { PLAIN, CONTROL, LEAD };
static const unsigned char
    byte_class[256] = {
	    [0x00 ... 0x08] = CONTROL, [0x0B ... 0x0C] = CONTROL,
	    [0x0E ... 0x1F] = CONTROL, [0x7F] = CONTROL,
	    [0xC0 ... 0xFF] = LEAD,
    };

/*
 * libxml2 hands us valid UTF-8, so C1 controls (U+0080..U+009F) are exactly the byte 0xC2
 * followed by 0x80..0x9F, and one pass over the bytes finds everything.
 */
static void scan_value(const unsigned char *s, struct scan *sc)
{
	sc->maybe_not_nfc = 0;
	sc->control = 0;
	for (; *s; s++) {
		switch (byte_class[*s]) {
		case PLAIN:
			continue;
		case CONTROL:
			if (!sc->control)
				sc->control = *s;
			continue;
		default:
			if (!sc->control && *s == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
				sc->control = s[1];
			if (!sc->maybe_not_nfc && !tthc_cp_nfc_stable(s))
				sc->maybe_not_nfc = 1;
		}
	}
}

static int is_nfc(const char *s)
{
	utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s);
	int same;

	/* NULL means the value is not UTF-8 or memory ran out: nothing we can say. */
	if (!nfc)
		return 1;
	same = strcmp((const char *)nfc, s) == 0;
	free(nfc);
	return same;
}

static int is_blank_at(const unsigned char *s, size_t len, size_t at_end)
{
	unsigned char c = at_end ? s[len - 1] : s[0];

	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return 1;
	/* U+00A0 NO-BREAK SPACE (C2 A0) comes pasted from word processors, unseen. */
	if (len < 2)
		return 0;
	return at_end ? s[len - 2] == 0xC2 && s[len - 1] == 0xA0
	              : s[0] == 0xC2 && s[1] == 0xA0;
}

/* Copies at most EXCERPT bytes of s, never cutting a UTF-8 sequence, marking a cut. */
static const char *excerpt(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (n <= EXCERPT && n < size)
		return s;
	n = EXCERPT < size - 4 ? EXCERPT : size - 4;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "…", sizeof("…"));
	return buf;
}

static void check_value(struct tthc_vdoc *d, xmlNodePtr n, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	const char *name = (const char *)n->name;
	size_t len = strlen(text);
	char buf[EXCERPT + 8];
	struct scan sc;

	scan_value(s, &sc);
	if (sc.maybe_not_nfc && !is_nfc(text))
		tthc_vdoc_report(d, n, "TTHC-TEXT-001",
		                 N_("%s '%s' is not in Unicode NFC (composed) form"),
		                 name, excerpt(text, buf, sizeof(buf)));
	if (sc.control)
		tthc_vdoc_report(d, n, "TTHC-TEXT-002",
		                 N_("%s contains the control character U+%04X"), name,
		                 sc.control);
	if (is_blank_at(s, len, 0) || is_blank_at(s, len, 1))
		tthc_vdoc_report(
		    d, n, "TTHC-TEXT-003",
		    N_("%s '%s' begins or ends with a blank (space, tab, line break or "
		       "no-break space)"),
		    name, excerpt(text, buf, sizeof(buf)));
}

void tthc_rules_text(struct tthc_vdoc *d)
{
	for (xmlNodePtr n = d->root; n; n = tthc_next_element(n, d->root, 1)) {
		const char *text = tthc_text(n);

		if (text && *text)
			check_value(d, n, text);
	}
}
