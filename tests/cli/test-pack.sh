#!/bin/sh
# SPDX-License-Identifier: MIT
# Black-box tests of tthc-pack: exit status, stdout and stderr checked apart, bundles by zipfile.
#
# usage: test-pack.sh BUILD_CMD_DIR CLI_SRC_DIR
# TTHC_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (read them after!).
set -u

CMD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$SRC/harness.sh"
P=$CMD/tthc-pack
SAMPLES=$(cd "${TTHC_SAMPLES:-$SRC/../../samples}" && pwd)
unset SOURCE_DATE_EPOCH

# Names in messages are relative to the samples, as the goldens hold them.
cd "$SAMPLES" || exit 1

VALID="khai-sinh/valid/ks-01.xml khai-tu/valid/kt-01.xml ket-hon/valid/kh-01.xml
lien-thong-khai-sinh/valid/ltks-01.xml lien-thong-khai-tu/valid/ltkt-01.xml
ly-lich-tu-phap/valid/lltp-01.xml"
for f in $VALID; do
	[ -f "$f" ] || { echo "missing sample $f"; exit 1; }
done
INVALID=khai-sinh/invalid/tthc-id-003-sex-digit.xml

# zip_ok NAME ZIP: python's zipfile reads it whole, CRCs right, the layout of tthc-bundle(5).
zip_ok() {
	if python3 - "$2" >"$TMP/py" 2>&1 <<'PY'; then
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "bad CRC"
names = z.namelist()
objid = names[0].split("/")[0]
assert sys.argv[1].endswith("/" + objid + ".zip"), "zip name is not <OBJID>.zip"
data = [n for n in names if "/representations/rep1/data/" in n]
want = [objid + "/metadata/descriptive/hoso.xml", objid + "/metadata/other/portal.json"]
want += data
want += [objid + "/representations/rep1/METS.xml",
         objid + "/metadata/preservation/premis.xml", objid + "/METS.xml"]
assert names == want, "entries %r" % names
assert data, "no data files"
for i, n in enumerate(data, 1):
    assert re.search(r"\.%02d\.[a-z0-9]+$" % i, n), "data name " + n
for info in z.infolist():
    assert info.flag_bits & 0x800, "no UTF-8 flag on " + info.filename
    want_method = zipfile.ZIP_STORED if info.filename.endswith(".pdf") else zipfile.ZIP_DEFLATED
    assert info.compress_type == want_method, "method of " + info.filename
    assert not info.extra, "extra field on " + info.filename
assert z.comment.startswith(b"tthc-stamp/1 "), "stamp"
PY
		ok "$1: $(basename "$2") reads back with the bundle layout"
	else
		not_ok "$1: $(basename "$2"): $(tail -1 "$TMP/py")"
	fi
}

# no_temp NAME DIR: no temporary file of ours was left in DIR.
no_temp() {
	if ls -A "$2" | grep -q '^\.'; then not_ok "$1: a hidden file remains in $2"; else
		ok "$1: no temporary left"
	fi
}

# ---- usage ------------------------------------------------------------------------------

run "$P" --help
status "--help" 0
golden "--help" out pack-help.out
empty "--help" err

run "$P" --version
status "--version" 0
has "--version" out "^tthc-pack "
has "--version" out "^libtthc "

run "$P" --no-such-option -o "$TMP" khai-sinh/valid/ks-01.xml
status "bad option" 2
empty "bad option" out
golden "bad option" err pack-bad-option.err

run "$P" khai-sinh/valid/ks-01.xml
status "no -o" 2
has "no -o" err "^tthc-pack: no output directory"

run "$P" -o "$TMP/none" khai-sinh/valid/ks-01.xml
status "-o missing directory" 2
has "-o missing directory" err "^tthc-pack: .*/none: No such file or directory$"

run "$P" --id=x -o "$TMP" khai-sinh/valid/ks-01.xml khai-tu/valid/kt-01.xml
status "--id with two dossiers" 2
has "--id with two dossiers" err "^tthc-pack: --id"

run "$P" -o "$TMP" -
status "standard input" 2

# ---- the six procedures -----------------------------------------------------------------

mkdir "$TMP/a" "$TMP/b" "$TMP/c"
# shellcheck disable=SC2086
run "$P" -v -j 1 -o "$TMP/a" $VALID
status "six procedures" 0
lines "six procedures" out 6
hasnt "six procedures" out "up-to-date"
empty "six procedures" err
for z in "$TMP"/a/*.zip; do
	zip_ok "six procedures" "$z"
done
no_temp "six procedures" "$TMP/a"

# shellcheck disable=SC2086
run "$P" -j 4 -o "$TMP/b" $VALID
status "-j 4" 0
empty "-j 4" out
if diff -r "$TMP/a" "$TMP/b" >/dev/null; then ok "-j 1 and -j 4: the same bytes"; else
	not_ok "-j 1 and -j 4 differ"
fi

# shellcheck disable=SC2086
run "$P" -v -j 4 -o "$TMP/c" $VALID
sed "s#$TMP/c#DIR#" "$TMP/out" >"$TMP/c.out"
# shellcheck disable=SC2086
run "$P" -v -j 1 -f -o "$TMP/c" $VALID
sed "s#$TMP/c#DIR#" "$TMP/out" >"$TMP/c1.out"
if cmp -s "$TMP/c.out" "$TMP/c1.out"; then ok "-j 4 output in input order"; else
	not_ok "-j 4 output order differs from -j 1"
fi

# ---- re-runs ------------------------------------------------------------------------------

# shellcheck disable=SC2086
run "$P" -v -o "$TMP/a" $VALID
status "re-run" 0
lines "re-run" out 6
has "re-run" out "^up-to-date $TMP/a/000\.02\.01\.H26-220518-0171\.zip$"
hasnt "re-run" out "^written"

run "$P" -v -o "$TMP/a" --no-normalize khai-sinh/valid/ks-01.xml
status "other options" 0
has "other options" out "^written "

run "$P" -v --force -o "$TMP/a" khai-sinh/valid/ks-01.xml
status "--force" 0
has "--force" out "^written $TMP/a/000\.02\.01\.H26-220518-0171\.zip$"
if cmp -s "$TMP/a/000.02.01.H26-220518-0171.zip" "$TMP/b/000.02.01.H26-220518-0171.zip"
then ok "--force: the same bytes again"; else not_ok "--force: other bytes"; fi

cp khai-sinh/valid/ks-01*.pdf "$TMP/"
cp khai-sinh/valid/ks-01.xml "$TMP/ks-01.xml"
mkdir "$TMP/d"
run "$P" -v -o "$TMP/d" "$TMP/ks-01.xml"
status "copy" 0
touch -d '+1 hour' "$TMP/ks-01.to-khai.pdf"
run "$P" -v -o "$TMP/d" "$TMP/ks-01.xml"
status "newer attachment" 0
has "newer attachment" out "^written "

# ---- refusals ------------------------------------------------------------------------------

mkdir "$TMP/e"
run "$P" -o "$TMP/e" khai-sinh/valid/ks-01.xml "$INVALID" khai-tu/valid/kt-01.xml
status "invalid among valid" 1
golden "invalid among valid" out pack-invalid.out
golden "invalid among valid" err pack-invalid.err
n=$(ls "$TMP/e" | wc -l | tr -d ' ')
if [ "$n" -eq 2 ]; then ok "invalid among valid: the others packed"; else
	not_ok "invalid among valid: $n bundles, want 2"
fi

run "$P" -q -o "$TMP/e" "$INVALID"
status "-q" 1
empty "-q" out

printf '%s\0%s\0' khai-sinh/valid/ks-02.xml khai-tu/valid/kt-02.xml >"$TMP/list"
run "$P" -v -0 --files-from="$TMP/list" -o "$TMP/e"
status "--files-from -0" 0
lines "--files-from -0" out 2

# Attachments are hashed once, while copied: a wrong SHA256 is still the validator's
# finding (exit 1), and no bundle is left.
mkdir "$TMP/badsum" "$TMP/badsum-out"
cp khai-sinh/valid/ks-01.*pdf "$TMP/badsum/"
sed '0,/<SHA256>[0-9a-f]*</s//<SHA256>0000000000000000000000000000000000000000000000000000000000000000</' \
	khai-sinh/valid/ks-01.xml >"$TMP/badsum/ks-01.xml"
run "$P" -o "$TMP/badsum-out" "$TMP/badsum/ks-01.xml"
status "wrong SHA256" 1
has "wrong SHA256" out "error TTHC-FILE-005: TepDinhKem 'ks-01.giay-chung-sinh.pdf' has SHA-256 [0-9a-f]* but SHA256 says 0000"
has "wrong SHA256" err "not packed: the dossier is invalid"
if [ -z "$(ls -A "$TMP/badsum-out")" ]; then ok "wrong SHA256: nothing left"; else
	not_ok "wrong SHA256: $(ls -A "$TMP/badsum-out") left"
fi

# Package ids claimed in one run: two dossiers never write one bundle, and the check
# holds past the first growth of the claim table (512 ids).
mkdir "$TMP/many" "$TMP/many-out"
cp khai-sinh/valid/ks-01.*pdf "$TMP/many/"
for n in $(seq 1 600); do
	sed "s|-0171</MaHoSo>|-$n</MaHoSo>|" khai-sinh/valid/ks-01.xml >"$TMP/many/d$n.xml"
done
cp "$TMP/many/d7.xml" "$TMP/many/again7.xml"
cp "$TMP/many/d599.xml" "$TMP/many/again599.xml"
{ ls "$TMP"/many/d*.xml; echo "$TMP/many/again7.xml"; echo "$TMP/many/again599.xml"; } \
	>"$TMP/many.list"
run "$P" -j 2 --files-from="$TMP/many.list" -o "$TMP/many-out"
status "600 ids + 2 repeats" 2
lines "600 ids + 2 repeats: one error per repeat" err 2
has "600 ids + 2 repeats" err "again7.xml: not packed: an earlier dossier has the package id 000.02.01.H26-220518-7"
has "600 ids + 2 repeats" err "again599.xml: .*package id 000.02.01.H26-220518-599"
if [ "$(ls "$TMP/many-out" | wc -l)" -eq 600 ]; then ok "600 ids: 600 bundles"; else
	not_ok "600 ids: $(ls "$TMP/many-out" | wc -l) bundles"
fi

run "$P" -o "$TMP/e" --id=../x khai-sinh/valid/ks-01.xml
status "bad --id" 2
has "bad --id" err "invalid package id"

run "$P" -v -o "$TMP/e" --id=my-bundle khai-sinh/valid/ks-01.xml
status "--id" 0
zip_ok "--id" "$TMP/e/my-bundle.zip"

mkdir "$TMP/ro"
chmod 555 "$TMP/ro"
if [ "$(id -u)" -ne 0 ]; then
	run "$P" -o "$TMP/ro" khai-sinh/valid/ks-01.xml
	status "read-only DIR" 2
	has "read-only DIR" err "cannot write .*Permission denied"
	if [ -z "$(ls -A "$TMP/ro")" ]; then ok "read-only DIR: nothing left"; else
		not_ok "read-only DIR: something was left"
	fi
else
	echo "ok - read-only DIR: skipped (root writes anyway)"
fi

echo x >"$TMP/file"
run "$P" -o "$TMP/file" khai-sinh/valid/ks-01.xml
status "-o a file" 2

# ---- the CSIP and SIP requirements (issue 4) ------------------------------------------------

# What tthc-verify checks of E-ARK CSIP 2.2 and SIP 2.2, SHOULDs included, holds for the
# bundles of the six procedures and of each packing option (the dossier's own warnings are
# the tthc profile's business, not the package's).
if [ -x "$CMD/tthc-verify" ]; then
	mkdir "$TMP/csip"
	SOURCE_DATE_EPOCH=1700000001 "$P" -o "$TMP/csip" --id=epoch.bundle_1 \
		khai-sinh/valid/ks-01.xml >/dev/null 2>"$TMP/err" || not_ok "csip: --id with SOURCE_DATE_EPOCH"
	"$P" -o "$TMP/csip" --no-normalize khai-tu/valid/kt-01.xml >/dev/null 2>"$TMP/err" ||
		not_ok "csip: --no-normalize"
	run "$CMD/tthc-verify" --strict --profile=sip "$TMP"/a/*.zip "$TMP/e/my-bundle.zip" \
		"$TMP"/csip/*.zip
	status "CSIP and SIP requirements met" 0
	empty "CSIP and SIP requirements met" out
	empty "CSIP and SIP requirements met" err
else
	echo "ok - CSIP and SIP requirements met # SKIP tthc-verify is not built"
fi

# ---- package ids claimed in input order ------------------------------------------------------

# Of two dossiers with one package id the earlier is packed and the later refused, whatever
# -j: a.xml is slow to parse (20,000 comments of half a KiB), b.xml is the same dossier plain, so
# b.xml's worker reaches the claim first.  The bundle is the one -j 1 writes.
mkdir "$TMP/claim" "$TMP/claim-ref" "$TMP/claim-out"
cp khai-sinh/valid/ks-01.*pdf "$TMP/claim/"
cp khai-sinh/valid/ks-01.xml "$TMP/claim/b.xml"
awk 'BEGIN { pad = sprintf("%500s", ""); gsub(/ /, "x", pad) }
NR == 2 { for (i = 0; i < 20000; i++) print "<!--" pad "-->" } { print }' \
	khai-sinh/valid/ks-01.xml >"$TMP/claim/a.xml"
run "$P" -v -j 1 -o "$TMP/claim-ref" "$TMP/claim/a.xml" "$TMP/claim/b.xml"
status "one id twice, -j 1" 2
has "one id twice, -j 1" err "/b\.xml: not packed: an earlier dossier has the package id 000\.02\.01\.H26-220518-0171$"
for j in 2 4 4 4 4 4; do
	rm -f "$TMP"/claim-out/*
	run "$P" -v -j "$j" -o "$TMP/claim-out" "$TMP/claim/a.xml" "$TMP/claim/b.xml"
	status "one id twice, -j $j" 2
	lines "one id twice, -j $j: one line" out 1
	lines "one id twice, -j $j: one error" err 1
	has "one id twice, -j $j: the later refused" err "/b\.xml: not packed: an earlier dossier has the package id"
	if cmp -s "$TMP/claim-ref/000.02.01.H26-220518-0171.zip" \
		"$TMP/claim-out/000.02.01.H26-220518-0171.zip"; then
		ok "one id twice, -j $j: the earlier's bundle, as with -j 1"
	else
		not_ok "one id twice, -j $j: not the bundle -j 1 writes"
	fi
done

# Items that fail before their claim (unreadable, invalid, not a dossier, an unreadable
# LIST) still pass the gate: many of them among repeated ids, with many workers, neither
# hang nor let a later repeat win.  One line each: 8 x 6 items but the first b.xml (packed),
# the missing LIST and the last a.xml.
cp khai-sinh/valid/ks-01.to-khai.pdf "$TMP/claim/pdf.xml"
printf '%s\n' "$TMP/claim/b.xml" "$TMP/none.xml" "$TMP/claim" "$INVALID" \
	"$TMP/claim/pdf.xml" "$TMP/claim/a.xml" >"$TMP/claim.list"
{ for n in 1 2 3 4 5 6 7 8; do cat "$TMP/claim.list"; done; } >"$TMP/claim.list8"
rm -f "$TMP"/claim-out/*
run "$P" -j 64 --files-from="$TMP/claim.list8" --files-from="$TMP/no-list" \
	"$TMP/claim/a.xml" -o "$TMP/claim-out"
status "failures among repeats, -j 64" 2
lines "failures among repeats, -j 64: each said once" err 49
if [ "$(grep -c 'b\.xml: not packed: an earlier' "$TMP/err")" -eq 7 ] &&
	[ "$(grep -c 'a\.xml: not packed: an earlier' "$TMP/err")" -eq 9 ]; then
	ok "failures among repeats, -j 64: the first b.xml packed"
else
	not_ok "failures among repeats, -j 64: another dossier packed"
fi
has "failures among repeats, -j 64" err "no-list: No such file or directory$"

# ---- temporaries removed on a signal -----------------------------------------------------------

# A signal just after the unnamed bundle got its temporary name leaves no hidden file, and
# one that names someone else's file (the link then fails with EEXIST) leaves that file.  A
# linkat() of our own (LD_PRELOAD) raises SIGTERM there; without a C compiler, or without
# O_TMPFILE (no link then), it is skipped.
cat >"$TMP/linkat.c" <<'EOF_C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	const char *mode = getenv("TTHC_TEST_LINKAT");
	long r;

	if (mode && strcmp(mode, "eexist") == 0 && strstr(newpath, "/.tthc-")) {
		int fd = open(newpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

		if (fd >= 0 && write(fd, "theirs\n", 7) == 7)
			close(fd);
	}
	r = syscall(SYS_linkat, olddirfd, oldpath, newdirfd, newpath, flags);
	if (mode && strstr(newpath, "/.tthc-"))
		raise(SIGTERM);
	return (int)r;
}
EOF_C
if ${CC:-cc} -shared -fPIC -o "$TMP/linkat.so" "$TMP/linkat.c" 2>"$TMP/cc.err"; then
	mkdir "$TMP/sig-after" "$TMP/sig-eexist"
	run env LD_PRELOAD="$TMP/linkat.so" TTHC_TEST_LINKAT=after \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$P" -j 1 -o "$TMP/sig-after" khai-sinh/valid/ks-01.xml
	if [ "$rc" -eq 0 ]; then
		echo "ok - SIGTERM after the link: skipped (no O_TMPFILE here)"
	else
		status "SIGTERM after the link" 143
		if [ -z "$(ls -A "$TMP/sig-after")" ]; then
			ok "SIGTERM after the link: nothing left"
		else
			not_ok "SIGTERM after the link: $(ls -A "$TMP/sig-after") left"
		fi
		run env LD_PRELOAD="$TMP/linkat.so" TTHC_TEST_LINKAT=eexist \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			"$P" -j 1 -o "$TMP/sig-eexist" khai-sinh/valid/ks-01.xml
		status "SIGTERM after EEXIST" 143
		if [ "$(cat "$TMP"/sig-eexist/.tthc-* 2>/dev/null)" = theirs ]; then
			ok "SIGTERM after EEXIST: the other file stays"
		else
			not_ok "SIGTERM after EEXIST: the other file is gone"
		fi
	fi
else
	echo "ok - SIGTERM after the link: skipped (no C compiler)"
fi

summary
