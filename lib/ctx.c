/* SPDX-License-Identifier: MIT */
/* The library context: settings shared by validators, error text, versions, messages. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <libintl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlversion.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>
#include <openssl/crypto.h>
#include <zip.h>

#include "internal.h"

static pthread_once_t i18n_once = PTHREAD_ONCE_INIT;

static void i18n_init(void)
{
	const char *dir = getenv("TTHC_LOCALEDIR");

	bindtextdomain(GETTEXT_PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
}

TTHC_EXPORT const char *tthc_gettext(const char *msgid)
{
	pthread_once(&i18n_once, i18n_init);
	return dgettext(GETTEXT_PACKAGE, msgid);
}

TTHC_EXPORT const char *tthc_ngettext(const char *singular, const char *plural,
                                      unsigned long n)
{
	pthread_once(&i18n_once, i18n_init);
	return dngettext(GETTEXT_PACKAGE, singular, plural, n);
}

TTHC_EXPORT const char *tthc_version(void)
{
	return PROJECT_VERSION;
}

static char dep_versions[512];
static pthread_once_t dep_once = PTHREAD_ONCE_INIT;

static void dep_versions_fill(void)
{
	char pcre[32] = "";

	pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	snprintf(dep_versions, sizeof(dep_versions),
	         "libxml2 %s (built with %s)\nlibzip %s\npcre2 %s\nutf8proc %s\n%s\n",
	         xmlParserVersion, LIBXML_DOTTED_VERSION, zip_libzip_version(), pcre,
	         utf8proc_version(), OpenSSL_version(OPENSSL_VERSION));
}

TTHC_EXPORT const char *tthc_dependency_versions(void)
{
	pthread_once(&dep_once, dep_versions_fill);
	return dep_versions;
}

TTHC_EXPORT const char *tthc_strerror(int err)
{
	if (err > 0)
		err = -err;
	switch (-err) {
	case 0:
		return _("success");
	case TTHC_E_XML:
		return _("the document could not be parsed");
	case TTHC_E_SCHEMA:
		return _("a schema could not be loaded");
	case TTHC_E_UNKNOWN:
		return _("unknown code");
	case TTHC_E_TOOBIG:
		return _("input exceeds the size limit");
	case TTHC_E_INTERNAL:
		return _("internal library failure");
	case TTHC_E_INVALID:
		return _("invalid argument");
	default:
		return strerror(-err);
	}
}

int tthc_ctx_fail(struct tthc_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (ctx) {
		va_start(ap, fmt);
		vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
		va_end(ap);
	}
	return err;
}

TTHC_EXPORT int tthc_ctx_new(struct tthc_ctx **out)
{
	struct tthc_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *dir = getenv("TTHC_SCHEMA_DIR");

	if (!ctx)
		return -ENOMEM;
	pthread_once(&i18n_once, i18n_init);
	tthc_xml_init();
	ctx->max_size = 32u << 20;
	ctx->schema_dir = strdup(dir && *dir ? dir : SCHEMA_DIR);
	if (!ctx->schema_dir) {
		free(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

TTHC_EXPORT void tthc_ctx_free(struct tthc_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->schema_dir);
	free(ctx);
}

TTHC_EXPORT const char *tthc_ctx_error(const struct tthc_ctx *ctx)
{
	return ctx ? ctx->error : "";
}

TTHC_EXPORT int tthc_ctx_set_schema_dir(struct tthc_ctx *ctx, const char *dir)
{
	char *copy;

	if (!dir || !*dir)
		return -EINVAL;
	copy = strdup(dir);
	if (!copy)
		return -ENOMEM;
	free(ctx->schema_dir);
	ctx->schema_dir = copy;
	return 0;
}

TTHC_EXPORT const char *tthc_ctx_schema_dir(const struct tthc_ctx *ctx)
{
	return ctx->schema_dir;
}

TTHC_EXPORT int tthc_ctx_set_max_size(struct tthc_ctx *ctx, size_t bytes)
{
	/* libxml2 takes a document's length as an int. */
	if (bytes < 1024 || bytes > INT_MAX)
		return -EINVAL;
	ctx->max_size = bytes;
	return 0;
}

TTHC_EXPORT const char *tthc_severity_name(enum tthc_severity sev)
{
	return sev == TTHC_SEV_ERROR ? "error" : "warning";
}
