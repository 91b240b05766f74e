/* SPDX-License-Identifier: MIT */
/* Encoders from UTF-8 back to the legacy Vietnamese encodings, for writing files back. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"
#include "vnenc_int.h"

/* Every code point the byte tables hold is below U+2200 (™ is the highest). */
#define REV_MAX 0x2200

/* Byte + 1 for a code point, 0 when the table has no single byte for it. */
static uint16_t rev_tcvn3[REV_MAX], rev_vps[REV_MAX], rev_vni[REV_MAX];
static pthread_once_t rev_once = PTHREAD_ONCE_INIT;

static void rev_init(void)
{
	vn_tables_init();
	for (int b = 255; b >= 0; b--) {
		struct vn_letter l;
		uint32_t cp = vn_tcvn3_cp[b];

		/* TCVN 5712's toned capitals are not TCVN3 letters: fonts lack them. */
		if (!(vn_letter_info(cp, &l) && l.upper && l.tone))
			rev_tcvn3[cp] = (uint16_t)(b + 1);
		rev_vps[vn_vps_cp[b]] = (uint16_t)(b + 1);
		if (!vn_vni_mark[b])
			rev_vni[vn_vni_cp[b]] = (uint16_t)(b + 1);
	}
}

static int put(struct tthc_buf *o, const char *s, size_t n)
{
	return tthc_buf_add(o, s, n);
}

static int put_byte(struct tthc_buf *o, int b)
{
	char c = (char)b;

	return put(o, &c, 1);
}

static int enc_table(const uint16_t *rev, int tcvn3, uint32_t cp, struct tthc_buf *o)
{
	uint16_t b = cp < REV_MAX ? rev[cp] : 0;

	if (!b && tcvn3) {
		cp = vn_tolower(cp);
		b = cp < REV_MAX ? rev[cp] : 0;
	}
	return b ? put_byte(o, b - 1) : -EILSEQ;
}

static int enc_vni(uint32_t cp, struct tthc_buf *o)
{
	struct vn_letter l;
	int mod, base, up, r;
	uint8_t mark;

	if (cp < REV_MAX && rev_vni[cp])
		return put_byte(o, rev_vni[cp] - 1);
	if (!vn_letter_info(cp, &l) || l.vowel < 0)
		return -EILSEQ;
	up = l.upper ? 0x20 : 0;
	base = vn_vowel_base(l.vowel, &mod);
	if (base == VN_I)
		return put_byte(o, vn_vni_i[l.tone] - up);
	if (base == VN_Y && l.tone == VN_DOT)
		return put_byte(o, VN_VNI_Y_DOT - up);
	if (mod == VN_MOD_HORN) {
		/* ơ and ư are letters of their own; only the tone follows them. */
		r = put_byte(o, (base == VN_O ? 0xf4 : 0xf6) - up);
		mark = vn_vni_mark_byte(VN_MOD_NONE, l.tone);
	} else {
		r = put_byte(o, "aeiouy"[base == VN_A   ? 0
		                         : base == VN_E ? 1
		                         : base == VN_O ? 3
		                         : base == VN_U ? 4
		                                        : 5] -
		                    up);
		mark = vn_vni_mark_byte(mod, l.tone);
	}
	return r ? r : mark ? put_byte(o, mark - up) : 0;
}

/*
 * VIQR: a letter is its ASCII base, then ( ^ + for the modifier, then the tone mark.
 * A literal mark character after a letter it would join, or a d after a d, is escaped
 * with a backslash, as RFC 1456 says; so is every literal backslash.
 */
static int enc_viqr(uint32_t cp, struct tthc_buf *o, int *joinable)
{
	static const char mods[] = { 0, '^', '(', '+' };
	static const char tones[] = { 0, '\'', '`', '?', '~', '.' };
	struct vn_letter l;
	char s[4];
	size_t n = 0;
	int mod, base, up;

	if (cp < 0x80) {
		int special = strchr("(^+'`?~.", (int)cp) && cp;
		int escape = (special && *joinable == 1) ||
		             ((cp == 'd' || cp == 'D') && *joinable == 2) || cp == '\\';
		int r;

		if (escape && (r = put_byte(o, '\\')))
			return r;
		/* An escaped character joins nothing: the decoder takes it as it is. */
		if (escape)
			*joinable = 0;
		else
			*joinable = strchr("aeiouyAEIOUY", (int)cp) && cp ? 1
			            : cp == 'd' || cp == 'D'              ? 2
			                                                  : 0;
		return put_byte(o, (int)cp);
	}
	if (!vn_letter_info(cp, &l))
		return -EILSEQ;
	up = l.upper ? 'A' - 'a' : 0;
	if (l.vowel < 0) {
		*joinable = 0;
		return put(o, up ? "DD" : "dd", 2);
	}
	base = vn_vowel_base(l.vowel, &mod);
	s[n++] = (char)("aeiouy"[base == VN_A   ? 0
	                         : base == VN_E ? 1
	                         : base == VN_I ? 2
	                         : base == VN_O ? 3
	                         : base == VN_U ? 4
	                                        : 5] +
	                up);
	if (mod)
		s[n++] = mods[mod];
	if (l.tone)
		s[n++] = tones[l.tone];
	*joinable = 1;
	return put(o, s, n);
}

static int enc_utf16(uint32_t cp, struct tthc_buf *o)
{
	char b[4];

	if (cp >= 0x10000) {
		uint32_t v = cp - 0x10000, hi = 0xd800 + (v >> 10),
		         lo = 0xdc00 + (v & 0x3ff);

		b[0] = (char)(hi & 0xff);
		b[1] = (char)(hi >> 8);
		b[2] = (char)(lo & 0xff);
		b[3] = (char)(lo >> 8);
		return put(o, b, 4);
	}
	b[0] = (char)(cp & 0xff);
	b[1] = (char)(cp >> 8);
	return put(o, b, 2);
}

static int enc_iconv(enum tthc_enc to, const char *s, size_t n, struct tthc_buf *o,
                     size_t *bad)
{
	const char *name = to == TTHC_ENC_VISCII   ? "VISCII"
	                   : to == TTHC_ENC_CP1258 ? "CP1258"
	                                           : "TCVN5712-1";
	iconv_t cd = iconv_open(name, "UTF-8");
	char *ip = (char *)s;
	size_t il = n;
	int r = 0;

	if (cd == (iconv_t)-1)
		return -TTHC_E_INTERNAL;
	for (int flushing = 0; !r;) {
		char buf[4096], *op = buf;
		size_t ol = sizeof(buf);
		size_t k = flushing ? iconv(cd, NULL, NULL, &op, &ol)
		                    : iconv(cd, &ip, &il, &op, &ol);
		int e = errno;

		r = put(o, buf, (size_t)(op - buf));
		if (r)
			break;
		if (k == (size_t)-1 && e != E2BIG) {
			*bad = (size_t)(ip - s);
			r = -EILSEQ;
		} else if (k != (size_t)-1) {
			if (flushing)
				break;
			flushing = 1;
		}
	}
	iconv_close(cd);
	return r;
}

/* Returns the offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_check(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, len - i, &cp);

		if (!k)
			return i;
		i += (size_t)k;
	}
	return len;
}

static int encode_nfc(enum tthc_enc to, const char *s, size_t n, struct tthc_buf *o,
                      size_t *bad)
{
	int joinable = 0, r = 0;

	switch (to) {
	case TTHC_ENC_UTF8:
		return put(o, s, n);
	case TTHC_ENC_VISCII:
	case TTHC_ENC_CP1258:
	case TTHC_ENC_TCVN5712:
		return enc_iconv(to, s, n, o, bad);
	case TTHC_ENC_UTF16:
		r = put(o, "\xff\xfe", 2);
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n && !r;) {
		uint32_t cp;
		int k = vn_get_utf8(s + i, n - i, &cp);

		switch (to) {
		case TTHC_ENC_UTF16:
			r = enc_utf16(cp, o);
			break;
		case TTHC_ENC_TCVN3:
			r = enc_table(rev_tcvn3, 1, cp, o);
			break;
		case TTHC_ENC_VPS:
			r = enc_table(rev_vps, 0, cp, o);
			break;
		case TTHC_ENC_VNI:
			r = enc_vni(cp, o);
			break;
		default:
			r = enc_viqr(cp, o, &joinable);
			break;
		}
		if (r == -EILSEQ)
			*bad = i;
		i += (size_t)k;
	}
	return r;
}

TTHC_EXPORT int tthc_vnenc_encode(enum tthc_enc to, const char *in, size_t len,
                                  char **out, size_t *outlen)
{
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t n;
	struct tthc_buf o = { NULL, 0, 0 };
	size_t bad = utf8_check(in, len);
	int r;

	*out = NULL;
	if (to <= TTHC_ENC_AUTO || to > TTHC_ENC_TCVN5712)
		return -EINVAL;
	if (bad < len) {
		*outlen = bad;
		return -EILSEQ;
	}
	pthread_once(&rev_once, rev_init);
	n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, &nfc,
	                 UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? -ENOMEM : -EILSEQ;
	r = encode_nfc(to, (const char *)nfc, (size_t)n, &o, &bad);
	if (!r && !o.p)
		r = put(&o, "", 0);
	free(nfc);
	if (r) {
		free(o.p);
		if (r == -EILSEQ)
			*outlen = bad;
		return r;
	}
	o.p[o.n] = '\0';
	*out = o.p;
	*outlen = o.n;
	return 0;
}
