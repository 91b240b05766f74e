/* SPDX-License-Identifier: MIT */
/* Vietnamese telephone numbers to the national form, old 11-digit mobiles converted. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The 2018 conversion of 11-digit mobile numbers to 10 digits (15/09/2018 - 30/06/2019):
 * only the network code changed, the last seven digits stayed.  [practice: operators'
 * announcements, e.g. MobiFone's plan, and the press agree on this table]
 */
static const struct {
	char old[5];
	char now[4];
} mobile_2018[] = {
	/* MobiFone */
	{ "0120", "070" },
	{ "0121", "079" },
	{ "0122", "077" },
	{ "0126", "076" },
	{ "0128", "078" },
	/* VinaPhone */
	{ "0123", "083" },
	{ "0124", "084" },
	{ "0125", "085" },
	{ "0127", "081" },
	{ "0129", "082" },
	/* Viettel */
	{ "0162", "032" },
	{ "0163", "033" },
	{ "0164", "034" },
	{ "0165", "035" },
	{ "0166", "036" },
	{ "0167", "037" },
	{ "0168", "038" },
	{ "0169", "039" },
	/* Vietnamobile, Gmobile */
	{ "0186", "056" },
	{ "0188", "058" },
	{ "0199", "059" },
};

#define MAX_DIGITS 16

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Keeps the digits of in, dropping the separators people type ("0912.345.678",
 * "(024) 3825 1234", "0912-345-678").  A '+' may only open the number.  Returns the
 * number of digits, or -EINVAL.
 */
static int digits_of(const char *in, char *d, int *plus)
{
	int n = 0;

	*plus = 0;
	for (const char *p = in; *p; p++) {
		if (is_digit(*p)) {
			if (n == MAX_DIGITS)
				return -EINVAL;
			d[n++] = *p;
		} else if (*p == '+' && n == 0 && !*plus) {
			*plus = 1;
		} else if (!strchr(" \t.-()", *p)) {
			return -EINVAL;
		}
	}
	d[n] = '\0';
	return n;
}

/* "+84 912...", "0084 912...", "84 912...", "+84 (0) 912..." -> "0912...". */
static int national(char *d, int n, int plus)
{
	int cut = 0;

	if (!strncmp(d, "0084", 4))
		cut = 4;
	else if (!strncmp(d, "84", 2) && (plus || n >= 11))
		cut = 2;
	else if (plus)
		return -EINVAL; /* another country: not ours to rewrite */
	if (cut) {
		if (d[cut] == '0')
			cut++; /* the trunk 0 written inside an international number */
		memmove(d + 1, d + cut, (size_t)(n - cut) + 1);
		d[0] = '0';
		n -= cut - 1;
	}
	return n;
}

static void convert_2018(char *d)
{
	for (size_t i = 0; i < sizeof(mobile_2018) / sizeof(mobile_2018[0]); i++) {
		if (!strncmp(d, mobile_2018[i].old, 4)) {
			memcpy(d, mobile_2018[i].now, 3);
			memmove(d + 3, d + 4, strlen(d + 4) + 1);
			return;
		}
	}
}

/*
 * Mobiles are ten digits in 03, 05, 07, 08, 09; fixed lines eleven digits in 02 (area
 * codes of 2017).  Anything else is left to a person.
 */
static int plausible(const char *d, size_t n)
{
	if (d[0] != '0')
		return 0;
	if (n == 11)
		return d[1] == '2';
	return n == 10 && strchr("35789", d[1]) != NULL;
}

TTHC_EXPORT int tthc_norm_phone(const char *in, char **out, int *changed)
{
	char d[MAX_DIGITS + 1];
	int n, plus;

	if (!in || !out || !changed)
		return -EINVAL;
	n = digits_of(in, d, &plus);
	if (n < 10)
		return -EINVAL;
	n = national(d, n, plus);
	if (n < 0)
		return -EINVAL;
	if (n == 11 && d[1] == '1')
		convert_2018(d);
	if (!plausible(d, strlen(d)))
		return -EINVAL;
	*out = strdup(d);
	if (!*out)
		return -ENOMEM;
	*changed = strcmp(in, d) != 0;
	return 0;
}
