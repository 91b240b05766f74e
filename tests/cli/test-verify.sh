#!/bin/sh
# SPDX-License-Identifier: MIT
# Black-box tests of tthc-verify: hand-made bundles (data/verify/mkbundle.py), hostile ZIPs,
# exit statuses, text and JSON output, --extract; tthc-pack's bundles when it is built.
#
# usage: test-verify.sh BUILD_CMD_DIR CLI_SRC_DIR
# TTHC_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (read them after!).
set -u

CMD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$SRC/harness.sh"
V=$CMD/tthc-verify
MK=$SRC/data/verify/mkbundle.py
SAMPLES=${TTHC_SAMPLES:-$SRC/../../samples}
KS=$SAMPLES/khai-sinh/valid/ks-01.xml
EARK=$SAMPLES/../../shared/specs/eark

# Bundle names in findings are relative to $TMP, as the goldens hold them.
cd "$TMP" || exit 1

# bundle DIR MUTATION...: makes DIR/<OBJID>/ and DIR/<OBJID>.zip; sets $B to DIR/<OBJID>.
bundle() {
	d=$1
	shift
	mkdir -p "$d"
	id=$(python3 "$MK" "$KS" "$d" "$@") || {
		echo "mkbundle.py failed" >&2
		exit 1
	}
	B=$d/$id
}

json_lines() {
	if python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    obj = json.loads(line)
    assert obj["type"] in ("finding", "file"), "line %d: type %r" % (n, obj["type"])
' "$TMP/out" 2>"$TMP/pyerr"; then
		ok "$1: stdout is JSON Lines"
	else
		not_ok "$1: stdout is not JSON Lines: $(tail -1 "$TMP/pyerr")"
	fi
}

# ---- usage ----------------------------------------------------------------------------

run "$V" --help
status "--help" 0
golden "--help" out verify-help.out
empty "--help" err

run "$V" --no-such-option x.zip
status "bad option" 2
empty "bad option" out
has "bad option" err "^tthc-verify: unknown option '--no-such-option'$"
has "bad option" err "^usage: tthc-verify "

run "$V" --profile=aip x.zip
status "bad --profile" 2
has "bad --profile" err "aip"

for opt in --max-ratio=0 --max-entries=x -j0 --format=xml; do
	run "$V" "$opt" x.zip
	status "bad $opt" 2
done

run "$V"
status "no operands" 2
has "no operands" err "^usage: "

run "$V" -q -v x.zip
status "-q with -v" 2

# ---- a valid bundle, ZIP and folder -------------------------------------------------------

bundle ok
OK=$B
run "$V" "$OK.zip" "$OK"
status "valid" 0
empty "valid" out
empty "valid" err

run "$V" -v "$OK.zip" "$OK"
status "valid -v" 0
has "valid -v" out "^ok/000.02.01.H26-220518-0171.zip: ok \(1.001193.000.00.00.H26, 0 warnings\)$"
lines "valid -v" out 2

run "$V" --format=json "$OK.zip"
status "valid json" 0
json_lines "valid json"
has "valid json" out '"type":"file".*"valid":true,"errors":0'

for p in csip sip tthc; do
	run "$V" --profile=$p "$OK.zip"
	status "valid --profile=$p" 0
done

if [ -f "$EARK/mets.xsd" ]; then
	run "$V" --mets-schema="$EARK/mets.xsd" "$OK.zip"
	status "--mets-schema" 0
	empty "--mets-schema" out
else
	echo "ok - --mets-schema # SKIP no $EARK/mets.xsd"
fi
run "$V" --mets-schema=/no/such.xsd "$OK.zip"
status "--mets-schema missing" 2

run "$V" no-such.zip "$OK.zip"
status "missing bundle" 2
has "missing bundle" err "^tthc-verify: no-such.zip: "
empty "missing bundle" out

# ---- broken bundles: each finding carries its id -------------------------------------------

# broken MUTATION ID: the bundle made with MUTATION is invalid with ID, as a ZIP and a folder.
broken() {
	rm -rf "b-$1"
	bundle "b-$1" "$1"
	run "$V" "$B.zip"
	status "$1 zip" 1
	has "$1 zip" out "^b-$1/.*: error $2: "
	empty "$1 zip" err
	case $1 in zip-*) return ;; esac
	run "$V" "$B"
	status "$1 folder" 1
	has "$1 folder" out "^b-$1/.*: error $2: "
}

broken wrong-checksum CSIP71
broken wrong-size CSIP69
broken missing-file CSIP79
broken extra-file TTHC-PKG-001
broken objid CSIPSTR2
broken no-mets CSIPSTR4
broken portal-mahoso TTHC-PORTAL-002
broken zip-evil TTHC-ZIP-002
broken zip-absolute TTHC-ZIP-002
broken zip-symlink TTHC-ZIP-003
broken zip-dup TTHC-ZIP-004
broken zip-case TTHC-ZIP-004
broken zip-nfc TTHC-ZIP-004

run "$V" b-wrong-checksum/000.02.01.H26-220518-0171.zip
golden "wrong checksum text" out verify-wrong-checksum.out
run "$V" --format=json b-missing-file/000.02.01.H26-220518-0171.zip
json_lines "missing file json"
golden "missing file json" out verify-missing-file.json

run "$V" -q b-extra-file/000.02.01.H26-220518-0171.zip
status "-q invalid" 1
empty "-q invalid" out

for m in sha512 md5; do
	rm -rf "c-$m"
	bundle "c-$m" "$m"
	run "$V" "$B.zip" "$B"
	status "checksum type $m" 0
done

# Results come in operand order whatever -j.
run "$V" -j 1 b-objid/*.zip "$OK.zip" b-extra-file/*.zip b-wrong-size/*.zip
cp "$TMP/out" "$TMP/out.j1"
run "$V" -j 4 b-objid/*.zip "$OK.zip" b-extra-file/*.zip b-wrong-size/*.zip
status "-j 4" 1
if cmp -s "$TMP/out" "$TMP/out.j1"; then ok "-j 4: same output as -j 1"; else not_ok "-j 4 order"; fi

# A zip bomb: 1 GiB of zeros deflated, rejected by the ratio long before its end.
python3 -c '
import zipfile
with zipfile.ZipFile("bomb.zip", "w") as z:
    i = zipfile.ZipInfo("bomb/zeros.bin")
    i.compress_type = zipfile.ZIP_DEFLATED
    with z.open(i, "w", force_zip64=True) as f:
        for _ in range(1024):
            f.write(bytes(1 << 20))
'
run "$V" bomb.zip
status "zip bomb" 1
has "zip bomb" out "error TTHC-ZIP-005: "
run "$V" --max-total=100000000 bomb.zip
has "zip bomb --max-total" out "error TTHC-ZIP-005: .*100000000"

printf 'not a zip\n' >junk.zip
run "$V" junk.zip
status "not a zip" 1
has "not a zip" out "^junk.zip:0: error TTHC-ZIP-001: "

# ---- --extract ------------------------------------------------------------------------------

mkdir x1
run "$V" --extract=x1 "$OK.zip"
status "--extract" 0
if cmp -s x1/000.02.01.H26-220518-0171/METS.xml "$OK/METS.xml" &&
	cmp -s x1/000.02.01.H26-220518-0171/representations/rep1/data/000.02.01.H26-220518-0171.01.pdf \
		"$OK/representations/rep1/data/000.02.01.H26-220518-0171.01.pdf"; then
	ok "--extract: files as in the bundle"
else
	not_ok "--extract: files differ"
fi
if [ -z "$(find x1 -name '.tthc-*')" ]; then ok "--extract: no temporaries"; else not_ok "--extract: temporaries left"; fi

run "$V" --extract=x1 "$OK.zip"
status "--extract again" 2
has "--extract again" err "cannot extract"

mkdir x2 outside
ln -s "$TMP/outside" x2/000.02.01.H26-220518-0171
run "$V" --extract=x2 "$OK.zip"
status "--extract onto a symlink" 2
if [ -z "$(ls outside)" ]; then ok "--extract: the symlink not followed"; else not_ok "--extract: wrote through the symlink"; fi

mkdir x3
run "$V" --extract=x3 b-zip-evil/*.zip b-extra-file/*.zip
status "--extract invalid" 1
if [ -z "$(ls x3)" ] && [ ! -e evil ]; then ok "--extract: nothing of invalid bundles"; else not_ok "--extract: wrote an invalid bundle"; fi

run "$V" --extract=no-such-dir "$OK.zip"
status "--extract to a missing folder" 2

# ---- bundles made by tthc-pack --------------------------------------------------------------

if [ -x "$CMD/tthc-pack" ]; then
	mkdir packed
	for f in "$SAMPLES"/*/valid/*.xml; do
		"$CMD/tthc-pack" -o packed "$f" >/dev/null 2>"$TMP/err" ||
			not_ok "tthc-pack $(basename "$f") failed"
	done
	n=$(ls packed/*.zip 2>/dev/null | wc -l)
	run "$V" -v --profile=tthc packed/*.zip
	status "tthc-pack bundles ($n)" 0
	if [ "$(grep -c ': ok (' "$TMP/out")" -eq "$n" ] && [ "$n" -gt 0 ]; then
		ok "tthc-pack bundles: all $n verified"
	else
		not_ok "tthc-pack bundles: $(grep -vc ': ok (' "$TMP/out") findings"
		head -10 "$TMP/out"
	fi
	run "$V" --format=json packed/*.zip
	if grep -q '"type":"file".*"valid":true' "$TMP/out" &&
		! grep -q '"valid":false' "$TMP/out"; then
		ok "tthc-pack bundles: json valid"
	else
		not_ok "tthc-pack bundles: json"
	fi
else
	echo "ok - tthc-pack bundles # SKIP tthc-pack is not built"
fi

# Entries whose bytes overlap: x2's header and data lie inside x1's data, so the byte
# counts alone cannot see it (the data count once in the file, twice in the entries).
python3 - "$TMP/overlap.zip" <<'PY'
import struct, sys, zlib
def local(name, data):
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, zlib.crc32(data),
                       len(data), len(data), len(name), 0) + name + data
def central(name, data, offset):
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0,
                       zlib.crc32(data), len(data), len(data), len(name), 0, 0, 0, 0, 0,
                       offset) + name
inner = local(b"R/x2", b"hello")
x1 = b"AAAA" + inner + b"BBBB"
first = local(b"R/x1", x1)
cd = central(b"R/x1", x1, 0) + central(b"R/x2", b"hello", 30 + 4 + 4)
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(cd), len(first), 0)
open(sys.argv[1], "wb").write(first + cd + end)
PY
run "$V" "$TMP/overlap.zip"
status "overlapping entries" 1
has "overlapping entries" out "TTHC-ZIP-005: .*overlap"

# Names nested deeper than any package: refused at once, in little memory.
python3 - "$TMP/deep.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for i in range(200):
        z.writestr("R/" + "a/" * 70 + str(i), b"")
PY
run /usr/bin/time -f '%M' -o "$TMP/mem" "$V" "$TMP/deep.zip"
status "deep names" 1
has "deep names" out "TTHC-ZIP-005: .*nested too deep"
if [ "$(tail -n 1 "$TMP/mem")" -lt 102400 ]; then
	ok "deep names: under 100 MiB"
else
	not_ok "deep names: $(tail -n 1 "$TMP/mem") KiB"
fi

summary
