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
python3 -c 'import sys; sys.stdout.write("[" * 3000)' >"$J"
broken deep "maximum parsing depth"

# Many small objects: jansson's tree would take some 230 bytes each.
portal wide
python3 -c 'import sys; sys.stdout.write("{\"x\": [" + ",".join(["{}"] * 200000) + "]}")' >"$J"
run "$V" "wide/$id"
status "wide" 1
has "wide" out "portal.json:1: error TTHC-PORTAL-001: more than 4096 objects and arrays"

# The line where reading stopped is the finding's line.
portal line
printf '{\n"MaHoSo": "a",\n"MaTTHC": \n}\n' >"$J"
run "$V" "line/$id"
has "line number" out "portal.json:4: error TTHC-PORTAL-001"

# ---- the result file (KetQua/TepKetQua) -------------------------------------------------

mkdir packed-kq
"$P" -o packed-kq "$SAMPLES/khai-tu/valid/kt-02.xml" >/dev/null 2>&1 || not_ok "pack kt-02"
kzip=$(ls packed-kq/*.zip)
kid=$(basename "$kzip" .zip)
if unzip -l "$kzip" | grep -q "$kid/representations/rep1/data/$kid.03.pdf"; then
	ok "result file packed as the last data file (03)"
else
	not_ok "result file not in $kzip"
fi
unzip -p "$kzip" "$kid/metadata/other/portal.json" >kq-portal.json
if python3 - kq-portal.json "$SAMPLES/khai-tu/valid/kt-02.xml" <<'PY'
import json, re, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
x = open(sys.argv[2], encoding="utf-8").read()
so = re.search(r"<KetQua>\s*<SoGiayTo>([^<]*)</SoGiayTo>", x).group(1)
[r] = p["DanhSachGiayToKetQua"]
assert r["GiayToId"] == so, r
assert r["DuongDanTepTinKetQua"].endswith(".03.pdf"), r
assert len(p["TaiLieuNop"]) == 2, p["TaiLieuNop"]
PY
then ok "portal.json lists the result in DanhSachGiayToKetQua"; else
	not_ok "portal.json result list"
fi
run "$V" "$kzip"
status "bundle with a result file" 0

# kq NAME: a fresh unpacked copy of the kt-02 bundle; its portal.json in $J.
kq() {
	rm -rf "$1"
	mkdir "$1"
	(cd "$1" && unzip -q "../$kzip") || exit 1
	J=$1/$kid/metadata/other/portal.json
}

kq kq-none
python3 - "$J" <<'PY'
import json, sys
p = json.load(open(sys.argv[1], encoding="utf-8"))
del p["DanhSachGiayToKetQua"]
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps(p, ensure_ascii=False))
PY
run "$V" "kq-none/$kid"
status "result not listed" 1
has "result not listed" out "error TTHC-PORTAL-002: DanhSachGiayToKetQua has 0 entries; the dossier has 1"

kq kq-id
sed 's/"GiayToId": "[^"]*"/"GiayToId": "1\/1999"/' "$J" >"$J.new" && mv "$J.new" "$J"
run "$V" "kq-id/$kid"
status "wrong GiayToId" 1
has "wrong GiayToId" out "error TTHC-PORTAL-002: DanhSachGiayToKetQua\[1\]: GiayToId differs"

kq kq-swap
cp "kq-swap/$kid/representations/rep1/data/$kid.01.pdf" \
	"kq-swap/$kid/representations/rep1/data/$kid.03.pdf"
run "$V" "kq-swap/$kid"
status "result file replaced" 1
has "result file replaced" out "hoso.xml:[0-9]*: error TTHC-FILE-005: .*$kid.03.pdf"

# ---- the portal message follows the normalised dossier ---------------------------------

# A title with doubled blanks and in decomposed Unicode: the normaliser rewrites it in
# hoso.xml, and portal.json must say the same (else the bundle would not verify).
mkdir messy messy-out
cp "$SAMPLES"/khai-sinh/valid/ks-01.*pdf messy/
python3 - "$SAMPLES/khai-sinh/valid/ks-01.xml" messy/ks-01.xml <<'PY'
import re, sys, unicodedata
t = open(sys.argv[1], encoding="utf-8").read()
def messy(m):
    return "<TenTepDinhKem>" + unicodedata.normalize("NFD", m.group(1).replace(" ", "  ")) + "</TenTepDinhKem>"
t = re.sub(r"<TenTepDinhKem>([^<]*)</TenTepDinhKem>", messy, t, count=1)
open(sys.argv[2], "w", encoding="utf-8").write(t)
PY
run "$P" -o messy-out messy/ks-01.xml
status "messy title: packed" 0
run "$V" messy-out/*.zip
status "messy title: the bundle verifies" 0
empty "messy title: no finding" out

# ---- a data file that does not start as its extension says -------------------------------

portal magic
printf '\211PNG\r\n\032\nnot a pdf' >"magic/$id/representations/rep1/data/$id.01.pdf"
run "$V" "magic/$id"
status "PNG bytes in a .pdf data file" 1
has "PNG bytes in a .pdf data file" out "hoso.xml:[0-9]*: error TTHC-FILE-006: .*$id.01.pdf': the content does not start as a .pdf file does"

summary
