#!/bin/sh
# SPDX-License-Identifier: MIT
# Black-box tests of tthc-verify's reading of the portal message (metadata/other/portal.json)
# in a bundle tthc-pack made: broken or hostile JSON is one finding, TTHC-PORTAL-001, with
# the line where jansson stopped, and never a crash or a hang.
#
# usage: test-portal.sh BUILD_CMD_DIR CLI_SRC_DIR
set -u

CMD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$SRC/harness.sh"
V=$CMD/tthc-verify
P=$CMD/tthc-pack
SAMPLES=${TTHC_SAMPLES:-$SRC/../../samples}

cd "$TMP" || exit 1
mkdir packed
"$P" -o packed "$SAMPLES/khai-sinh/valid/ks-01.xml" >/dev/null 2>&1 || {
	echo "FAIL - tthc-pack could not make the bundle"
	exit 1
}
zip=$(ls packed/*.zip)
id=$(basename "$zip" .zip)

# portal NAME: a fresh unpacked copy of the bundle in NAME/, its portal.json in $J.
portal() {
	rm -rf "$1"
	mkdir "$1"
	(cd "$1" && unzip -q "../$zip") || exit 1
	J=$1/$id/metadata/other/portal.json
}

# broken NAME PATTERN: the bundle in NAME/ is invalid with TTHC-PORTAL-001 and PATTERN.
broken() {
	run "$V" "$1/$id"
	status "$1" 1
	has "$1" out "^$1/$id!$id/metadata/other/portal.json:.*error TTHC-PORTAL-001: not .*$2"
	empty "$1" err
}

portal good
run "$V" "good/$id"
status "unchanged copy" 0

portal trailing
printf ' x' >>"$J"
broken trailing "valid JSON: end of file expected"

portal dupkey
python3 - "$J" <<'PY'
import sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
open(p, "w", encoding="utf-8").write(t.replace("{", '{"MaHoSo": "x",', 1))
PY
broken dupkey "duplicate object key"

portal nul
sed 's/"MaHoSo": *"/&\\u0000/' "$J" >"$J.new" && mv "$J.new" "$J"
broken nul "u0000"

portal latin1
printf '{"MaHoSo": "\351"}' >"$J"
broken latin1 "decode byte 0xe9"

portal array
printf '[1, 2]' >"$J"
broken array "a JSON object$"

portal deep
python3 -c 'import sys; sys.stdout.write("[" * 200000)' >"$J"
broken deep "maximum parsing depth"

# The line where reading stopped is the finding's line.
portal line
printf '{\n"MaHoSo": "a",\n"MaTTHC": \n}\n' >"$J"
run "$V" "line/$id"
has "line number" out "portal.json:4: error TTHC-PORTAL-001"

summary
