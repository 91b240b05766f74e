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

# ---- memory bounds and stored entries (issue 4) ---------------------------------------------
# Helpers and folders are prefixed mem_ / mem-. Peak memory means nothing under
# AddressSanitizer: there only the findings are checked.
case $(ldd "$V" 2>/dev/null) in
*libasan*) mem_measured=0 ;;
*) mem_measured=1 ;;
esac

# mem_run CMD...: run, with the peak memory (KiB) in $TMP/mem.
mem_run() {
	run /usr/bin/time -f '%M' -o "$TMP/mem" "$@"
}

# mem_under NAME: the last mem_run stayed under 64 MiB.
mem_under() {
	if [ "$mem_measured" = 0 ]; then
		echo "ok - $1: under 64 MiB # SKIP AddressSanitizer"
	elif [ "$(tail -n 1 "$TMP/mem")" -lt 65536 ]; then
		ok "$1: under 64 MiB ($(tail -n 1 "$TMP/mem") KiB)"
	else
		not_ok "$1: $(tail -n 1 "$TMP/mem") KiB, not under 64 MiB"
	fi
}

# mem_bundle DIR N there|listed [STORED-METS]: a bundle whose representation METS lists N
# more files, in the package (there) or not (listed); $B.zip stores every entry. With
# STORED-METS, that METS is replaced by the file STORED-METS instead.
mem_bundle() {
	rm -rf "$1"
	bundle "$1" no-zip
	python3 "$SRC/data/verify/grow-mets.py" "$B" "$2" "$3" ${4:+"$4"} ||
		not_ok "mem_bundle $1 failed"
}

# A METS listing 100,000 files: its tree would take some 300 MB; it is not built.
mem_bundle mem-100k 100000 listed
for mem_b in "$B.zip" "$B"; do
	mem_run "$V" "$mem_b"
	status "100,000 files listed ($mem_b)" 1
	has "100,000 files listed" out "METS.xml:0: error TTHC-ZIP-005: needs more than 36 MiB of memory to be checked: not read$"
	hasnt "100,000 files listed: nothing looked for" out "CSIP79|TTHC-PKG-001"
	mem_under "100,000 files listed ($mem_b)"
done
grep 'TTHC-ZIP-005' "$TMP/out" >"$TMP/limit"
golden "100,000 files listed" limit verify-mets-tree.out

# 10,000 files, listed and there, still verify (the entries need --max-entries).
mem_bundle mem-10k 10000 there
for mem_b in "$B.zip" "$B"; do
	mem_run "$V" --max-entries=20000 "$mem_b"
	status "10,000 files ($mem_b)" 0
	hasnt "10,000 files ($mem_b)" out " error "
	mem_under "10,000 files ($mem_b)"
done

# References past what the entry limit allows for: refused once, the rest not checked.
mem_bundle mem-refs 3000 listed
run "$V" --max-entries=100 "$B.zip"
status "references past the limit" 1
has "references past the limit" out "METS.xml:[0-9]+: error TTHC-ZIP-005: the METS documents list more files than a limit of 100 entries allows: the rest are not checked$"
if [ "$(grep -c TTHC-ZIP-005 "$TMP/out")" -eq 1 ]; then
	ok "references past the limit: said once"
else
	not_ok "references past the limit: said $(grep -c TTHC-ZIP-005 "$TMP/out") times"
fi
hasnt "references past the limit: nothing unlisted" out "TTHC-PKG-001"

# A METS of nothing but elements (thirty times its size as a tree), stored uncompressed.
python3 -c '
import sys
sys.stdout.write("<?xml version=\"1.0\"?>\n<mets:mets xmlns:mets=\"http://www.loc.gov/METS/\">"
                 + "<a/>" * (5 << 20) + "</mets:mets>\n")' >"$TMP/flood.xml"
mem_bundle mem-flood 0 listed "$TMP/flood.xml"
mem_run "$V" "$B.zip"
status "element flood" 1
has "element flood" out "error TTHC-ZIP-005: needs more than 36 MiB"
mem_under "element flood"

# Stored entries are read at their offset, their CRC-32 checked all the same.
mem_bundle mem-crc 0 listed
python3 - "$B.zip" <<'PY'
import sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    info = [i for i in z.infolist() if i.filename.endswith(".pdf")][0]
data = bytearray(open(path, "rb").read())
at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
data[at] ^= 1
open(path, "wb").write(data)
PY
run "$V" "$B.zip"
status "stored entry, a byte changed" 1
has "stored entry, a byte changed" out "\.pdf:0: error TTHC-ZIP-001: cannot be read: CRC error$"

# ---- CSIP and SIP requirements, each broken alone (issue 4) -------------------------------
# Self-contained: helpers and folders are prefixed csip_ / csip-.

# csip_finds NAME SEVERITY ID MUTATION...: the bundle mkbundle.py makes with MUTATION... has
# a finding ID of SEVERITY, as a ZIP and as a folder; an error makes it invalid (exit 1).
csip_finds() {
	csip_n=$1
	csip_sev=$2
	csip_id=$3
	shift 3
	rm -rf "csip-$csip_n"
	mkdir -p "csip-$csip_n"
	if ! csip_obj=$(python3 "$MK" "$KS" "csip-$csip_n" "$@" 2>"$TMP/err"); then
		not_ok "$csip_n: mkbundle.py failed"
		return
	fi
	for csip_b in zip folder; do
		if [ $csip_b = zip ]; then run "$V" "csip-$csip_n/$csip_obj.zip"; else
			run "$V" "csip-$csip_n/$csip_obj"
		fi
		has "$csip_n $csip_b" out "^csip-$csip_n/[^ ]*: $csip_sev $csip_id: "
		[ "$csip_sev" = error ] && status "$csip_n $csip_b" 1
	done
}

# Bundles that meet the requirements, with documentation and schemas too: nothing to say.
rm -rf csip-clean
mkdir csip-clean
csip_obj=$(python3 "$MK" "$KS" csip-clean documentation schemas)
run "$V" --strict "csip-clean/$csip_obj.zip" "csip-clean/$csip_obj"
status "documentation and schemas listed" 0
empty "documentation and schemas listed" out

# Root element and header.
csip_finds type-vocab error CSIP2 'root:TYPE="Other"=>TYPE="Textbook"'
csip_finds no-othertype warning CSIP3 'root: csip:OTHERTYPE="TTHC"=>'
csip_finds othertype-vocab warning CSIP3 'root:csip:OTHERTYPE="TTHC"=>csip:OTHERTYPE="Datasets"'
csip_finds cit-vocab warning CSIP4 \
	'root:csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="TTHC"=>csip:CONTENTINFORMATIONTYPE="TTHC"'
csip_finds no-othercit warning CSIP5 'root: csip:OTHERCONTENTINFORMATIONTYPE="TTHC"=>'
csip_finds rep-objid warning CSIP1 'rep:OBJID="rep1"=>OBJID="representation-1"'
csip_finds createdate error CSIP7 'root:CREATEDATE="2024-01-02T03:04:05+07:00"=>CREATEDATE="2024-01-02 03:04:05"'
csip_finds lastmoddate warning CSIP8 'root:CREATEDATE=>LASTMODDATE="yesterday" CREATEDATE'
csip_finds packagetype error CSIP9 'rep:csip:OAISPACKAGETYPE="SIP"=>csip:OAISPACKAGETYPE="XIP"'
csip_finds agent-role error CSIP11 'root:ROLE="CREATOR" TYPE="OTHER"=>ROLE="EDITOR" TYPE="OTHER"'
csip_finds agent-othertype error CSIP13 'root:OTHERTYPE="SOFTWARE"=>OTHERTYPE="Software"'
csip_finds agent-notetype error CSIP16 'root:csip:NOTETYPE="SOFTWARE VERSION"=>csip:NOTETYPE="IDENTIFICATIONCODE"'
csip_finds recordstatus warning SIP3 'root:<mets:metsHdr=><mets:metsHdr RECORDSTATUS="FRESH"'
csip_finds two-agreements warning SIP5 two-agreements
csip_finds two-codes warning SIP7 two-agreements
csip_finds two-submitters error SIP15 two-submitters
csip_finds submitter-type error SIP17 'root:ROLE="CREATOR" TYPE="ORGANIZATION"=>ROLE="CREATOR" TYPE="OTHER"'

# Metadata sections.
csip_finds dmd-created error CSIP19 \
	'root:ID="dmd-hoso" CREATED="2024-01-02T03:04:05+07:00"=>ID="dmd-hoso" CREATED="2 January 2024"'
csip_finds dmd-status warning CSIP20 'root:STATUS="CURRENT"=>STATUS="VALID"'
csip_finds dmd-no-mdref warning CSIP21 dmd-no-mdref
csip_finds mdref-mime warning CSIP26 'root:MIMETYPE="application/xml"=>MIMETYPE="xml"'
csip_finds mdref-created error CSIP28 \
	'root: CREATED="2024-01-02T03:04:05+07:00" CHECKSUM==> CREATED="2024-13-02T03:04:05+07:00" CHECKSUM='
csip_finds digiprov-no-status warning CSIP34 'root:<mets:digiprovMD ID="premis" STATUS="CURRENT">=><mets:digiprovMD ID="premis">'
csip_finds two-amdsec warning CSIP31 'root:</mets:amdSec>=></mets:amdSec><mets:amdSec/>'
csip_finds descriptive-unreferenced warning CSIP17 descriptive-unreferenced
csip_finds premis-in-dmd warning CSIP32 premis-in-dmd

# File section.
csip_finds documentation-unlisted error CSIP60 documentation-unlisted
csip_finds documentation-case error CSIP60 documentation 'root:USE="Documentation"=>USE="documentation"'
csip_finds schemas-unlisted error CSIP113 schemas-unlisted
csip_finds schemas-case error CSIP113 schemas 'root:USE="Schemas"=>USE="SCHEMAS"'
csip_finds representations-case error CSIP114 'root:USE="Representations/rep1"=>USE="representations/rep1"'
csip_finds no-filesec error CSIP114 no-filesec
csip_finds grp-admid error CSIP61 'rep:USE="Data">=>USE="Data" ADMID="nothing">'
csip_finds grp-no-cit warning CSIP62 'root: csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="TTHC">=>>'
csip_finds grp-cit-vocab warning CSIP62 \
	'root:USE="Representations/rep1" csip:CONTENTINFORMATIONTYPE="OTHER"=>USE="Representations/rep1" csip:CONTENTINFORMATIONTYPE="HOSO"'
csip_finds grp-no-othercit warning CSIP63 'root:csip:OTHERCONTENTINFORMATIONTYPE="TTHC">=>>'
csip_finds use-folder error CSIP64 'rep:USE="Data"=>USE="Content"'
csip_finds file-mime warning CSIP68 'rep:MIMETYPE="application/pdf"=>MIMETYPE="pdf"'
csip_finds file-created error CSIP70 'rep: CREATED="2024-01-02T03:04:05+07:00"=> CREATED="2024-01-02"'
csip_finds file-admid error CSIP74 'rep:CHECKSUMTYPE="SHA-256">=>CHECKSUMTYPE="SHA-256" ADMID="premis">'
csip_finds file-dmdid error CSIP75 'rep:CHECKSUMTYPE="SHA-256">=>CHECKSUMTYPE="SHA-256" DMDID="nothing">'

# Structural map.
csip_finds two-csip-structmaps error CSIP82 two-csip-structmaps
csip_finds two-metadata-divs error CSIP88 two-metadata-divs
csip_finds metadata-case error CSIP90 'root:LABEL="Metadata"=>LABEL="metadata"'
csip_finds admid-partial warning CSIP91 'root: ADMID="premis"=>'
csip_finds admid-dangling error CSIP91 'root:ADMID="premis"=>ADMID="premis nothing"'
csip_finds dmdid-partial warning CSIP92 'root:DMDID="dmd-hoso dmd-portal"=>DMDID="dmd-hoso"'
csip_finds dmdid-dangling error CSIP92 'root:DMDID="dmd-hoso dmd-portal"=>DMDID="dmd-hoso premis"'
csip_finds documentation-no-div warning CSIP93 documentation \
	'root:<mets:div ID="div-documentation" LABEL="Documentation">\n        <mets:fptr FILEID="grp-documentation"/>\n      </mets:div>\n=>'
csip_finds documentation-div-case error CSIP95 documentation 'root:LABEL="Documentation"=>LABEL="DOCUMENTATION"'
csip_finds documentation-no-fptr warning CSIP96 documentation 'root:<mets:fptr FILEID="grp-documentation"/>=>'
csip_finds documentation-fptr error CSIP116 documentation \
	'root:<mets:fptr FILEID="grp-documentation"/>=><mets:fptr FILEID="grp-rep1"/>'
csip_finds schemas-no-div warning CSIP97 schemas \
	'root:<mets:div ID="div-schemas" LABEL="Schemas">\n        <mets:fptr FILEID="grp-schemas"/>\n      </mets:div>\n=>'
csip_finds schemas-div-case error CSIP99 schemas 'root:LABEL="Schemas"=>LABEL="schemas"'
csip_finds schemas-no-fptr warning CSIP100 schemas 'root:<mets:fptr FILEID="grp-schemas"/>=>'
csip_finds schemas-fptr error CSIP118 schemas 'root:<mets:fptr FILEID="grp-schemas"/>=><mets:fptr FILEID="dmd-hoso"/>'
csip_finds two-reps-divs warning CSIP101 \
	'root:<mets:div ID="div-rep1"=><mets:div ID="r1" LABEL="Representations"/><mets:div ID="r2" LABEL="Representations"/><mets:div ID="div-rep1"'
csip_finds reps-div-case error CSIP103 \
	'root:<mets:div ID="div-rep1"=><mets:div ID="r1" LABEL="representations"><mets:fptr FILEID="grp-rep1"/></mets:div><mets:div ID="div-rep1"'
csip_finds reps-div-unpointed warning CSIP104 rep-unpointed \
	'root:<mets:div ID="div-md"=><mets:div ID="r1" LABEL="Representations"/><mets:div ID="div-md"'
csip_finds reps-div-fptr error CSIP119 \
	'root:<mets:div ID="div-rep1"=><mets:div ID="r1" LABEL="Representations"><mets:fptr FILEID="dmd-hoso"/></mets:div><mets:div ID="div-rep1"'
csip_finds rep-unpointed warning CSIP105 rep-unpointed
csip_finds rep-label error CSIP107 'root:LABEL="Representations/rep1"=>LABEL="Representations/rep9"'
csip_finds mptr-title error CSIP108 'root:xlink:title="grp-rep1"=>xlink:title="dmd-hoso"'
csip_finds two-mptr error CSIP109 two-mptr

# Folders.
csip_finds no-metadata-folder warning CSIPSTR5 no-metadata-folder
csip_finds premis-elsewhere warning CSIPSTR6 premis-elsewhere
csip_finds no-representations-folder warning CSIPSTR9 no-representations-folder
csip_finds file-in-representations warning CSIPSTR10 file-in-representations
csip_finds rep2-no-data warning CSIPSTR11 rep2-mets-only
csip_finds rep2-no-mets warning CSIPSTR12 rep2-data-only

# Every term of the vocabularies in specs/eark is accepted where the profiles use it, and
# the verifier's findings name only terms outside them (the root METS is not digested, so
# it is rewritten in place in an unpacked bundle).
if [ -f "$EARK/CSIPVocabularyContentCategory.xml" ]; then
	rm -rf csip-vocab
	mkdir csip-vocab
	csip_obj=$(python3 "$MK" "$KS" csip-vocab no-zip)
	if python3 - "$EARK" "$V" "csip-vocab/$csip_obj" >"$TMP/vocab" 2>&1 <<'PY'; then
import re, subprocess, sys, xml.etree.ElementTree as ET
eark, verify, bundle = sys.argv[1:]
mets = bundle + "/METS.xml"
orig = open(mets, encoding="utf-8").read()

def terms(name):
    root = ET.parse("%s/%s.xml" % (eark, name)).getroot()
    return [e.text.strip() for e in root.iter() if e.tag.endswith("}Term")]

def findings(old, new):
    assert old in orig, old
    with open(mets, "w", encoding="utf-8") as f:
        f.write(orig.replace(old, new, 1))
    out = subprocess.run([verify, "--profile=sip", bundle], capture_output=True,
                         text=True).stdout
    return set(re.findall(r": (?:error|warning) ([A-Z0-9-]+):", out))

def xml(s):
    return s.replace("&", "&amp;").replace('"', "&quot;")

cases = [
    ("CSIPVocabularyContentCategory", "CSIP2", 'TYPE="Other"', 'TYPE="%s"'),
    ("CSIPVocabularyContentInformationType", "CSIP4",
     'csip:CONTENTINFORMATIONTYPE="OTHER"', 'csip:CONTENTINFORMATIONTYPE="%s"'),
    ("CSIPVocabularyOAISPackageType", "CSIP9", 'csip:OAISPACKAGETYPE="SIP"',
     'csip:OAISPACKAGETYPE="%s"'),
    ("SIPVocabularyRecordStatus", "SIP3", "<mets:metsHdr", '<mets:metsHdr RECORDSTATUS="%s"'),
    ("CSIPVocabularyStatus", "CSIP20", 'STATUS="CURRENT"', 'STATUS="%s"'),
]
bad = []
for vocab, rid, old, new in cases:
    for t in terms(vocab):
        if rid in findings(old, new % xml(t)):
            bad.append("%s: %r reported" % (rid, t))
    if rid not in findings(old, new % "NOT-IN-THE-VOCABULARY"):
        bad.append("%s: a value outside %s is not reported" % (rid, vocab))
open(mets, "w", encoding="utf-8").write(orig)
if bad:
    sys.exit("\n".join(bad))
PY
		ok "vocabularies of specs/eark: every term accepted, others reported"
	else
		not_ok "vocabularies of specs/eark: $(tail -3 "$TMP/vocab")"
	fi
else
	echo "ok - vocabularies of specs/eark # SKIP no $EARK"
fi

# tthc-pack's bundles of every sample meet every CSIP and SIP requirement checked, the
# SHOULDs too (the dossier's own warnings are --profile=tthc's business).
if [ -x "$CMD/tthc-pack" ]; then
	rm -rf csip-packed
	mkdir csip-packed
	for f in "$SAMPLES"/*/valid/*.xml; do
		"$CMD/tthc-pack" -o csip-packed "$f" >/dev/null 2>&1 ||
			not_ok "tthc-pack $(basename "$f") failed"
	done
	run "$V" --strict --profile=sip csip-packed/*.zip
	status "tthc-pack bundles --strict --profile=sip" 0
	empty "tthc-pack bundles --strict --profile=sip" out
	run "$V" csip-packed/*.zip
	hasnt "tthc-pack bundles" out " (error|warning) (CSIP|SIP)[0-9A-Z]*: "
else
	echo "ok - tthc-pack bundles meet CSIP and SIP # SKIP tthc-pack is not built"
fi

summary
