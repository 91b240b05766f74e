#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the main job on the bundled samples and prints a readable report.
# Today the job is validation; normalise, pack and verify join it as they land.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
tthc="$build/cmd/tthc"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0

echo "$("$tthc" --version | head -n 1), on the samples of the six priority procedures"
echo
echo "1. tthc validate: schemas and legal rules"
echo
printf '   %-22s %-18s %-30s\n' procedure "valid accepted" "invalid rejected, by their rule"
for dir in samples/*/; do
	proc=$(basename "$dir")
	find "$dir/valid" -name '*.xml' | sort >"$out/valid.lst"
	find "$dir/invalid" -name '*.xml' | sort >"$out/invalid.lst"
	"$tthc" validate --format=json --files-from="$out/valid.lst" >"$out/valid.json"
	"$tthc" validate --files-from="$out/invalid.lst" >"$out/invalid.txt"
	nv=$(wc -l <"$out/valid.lst")
	ok=$(grep -c '"type":"file".*"valid":true' "$out/valid.json")
	ni=$(wc -l <"$out/invalid.lst")
	caught=0
	while read -r f; do
		# An invalid sample is named after the rule it breaks: tthc-id-003-….xml
		rule=$(basename "$f" | sed 's/^\(tthc-[a-z]*-[0-9]*\).*/\1/' | tr a-z A-Z)
		if grep -q "^$f:[0-9]*: error $rule:" "$out/invalid.txt"; then
			caught=$((caught + 1))
		else
			echo "   !! $f was not rejected for $rule" >&2
			status=1
		fi
	done <"$out/invalid.lst"
	[ "$ok" -eq "$nv" ] || status=1
	printf '   %-22s %-18s %-30s\n' "$proc" "$ok/$nv" "$caught/$ni"
done
echo
echo "   A few findings, as tthc validate prints them (FILE:LINE: SEVERITY RULE: message):"
find samples -path '*/invalid/*.xml' | sort | head -n 40 >"$out/some.lst"
"$tthc" validate --files-from="$out/some.lst" | grep ': error ' | awk 'NR % 7 == 1' |
	head -n 5 | sed 's/^/   /'
echo
echo "   Warnings on valid samples (they do not make a file invalid):"
find samples -path '*/valid/*-warn-*.xml' | sort >"$out/warn.lst"
"$tthc" validate --files-from="$out/warn.lst" | sed 's/^/   /'
echo
echo "2. tthc normalize: the valid samples in canonical form"
echo
mkdir -p "$out/norm"
find samples -path '*/valid/*.xml' | sort >"$out/valid-all.lst"
# Attachments stay beside the originals: normalise into a copy of each folder.
for dir in samples/*/valid; do
	proc=$(basename "$(dirname "$dir")")
	mkdir -p "$out/norm/$proc"
	cp "$dir"/* "$out/norm/$proc/"
done
find "$out/norm" -name '*.xml' | sort >"$out/norm.lst"
"$tthc" normalize --format=json $(cat "$out/norm.lst") -i >"$out/changes.json"
nst=$?
echo "   $(wc -l <"$out/norm.lst") dossiers normalised in place (exit status $nst);" \
	"$(wc -l <"$out/changes.json") values changed, by rule:"
sed -n 's/.*"rule":"\([a-z]*\)".*/\1/p' "$out/changes.json" | sort | uniq -c |
	awk '{ printf "   %-10s %s\n", $2, $1 }'
echo "   for example:"
grep '"rule":"place"' "$out/changes.json" | head -n 2 | sed "s|$out/norm/||; s/^/   /"
"$tthc" normalize --check $(cat "$out/norm.lst") >/dev/null
echo "   normalising again changes nothing: tthc normalize --check exit status $?"
"$tthc" validate -q --files-from="$out/norm.lst"
vst=$?
echo "   the normalised dossiers still validate: exit status $vst"
[ "$vst" -eq 0 ] || status=1
echo "3. tthc normalize --text: legacy encodings to UTF-8"
echo
"$tthc" normalize --text --detect samples/legacy/*.txt samples/legacy/*.csv | sed 's/^/   /'
echo "   the first line of each, converted:"
for f in samples/legacy/*.txt; do
	printf '   %-36s %s\n' "$(basename "$f"):" "$("$tthc" normalize --text "$f" | head -n 1)"
done
echo "   a legacy dossier, field by field (tthc normalize --format=json):"
"$tthc" normalize --format=json samples/legacy/hoso-cu/ks-legacy.xml |
	sed -n 's/.*"path":"\([^"]*\)","old":"\([^"]*\)","new":"\([^"]*\)".*/\1: "\2" -> "\3"/p' |
	head -n 6 | sed 's/^/   /'
echo "4. tthc pack: the normalised valid samples as E-ARK SIP bundles"
echo
mkdir -p "$out/bundles"
"$tthc" pack -v -o "$out/bundles" --files-from="$out/norm.lst" >"$out/pack.txt" || status=1
sed "s|$out/||g; s/^/   /" "$out/pack.txt" | head -n 4
echo "   ... $(ls "$out/bundles" | wc -l) bundles written; one of them holds:"
first=$(ls "$out/bundles" | tail -n 1)
python3 -c "import sys, zipfile; [print('     ', n) for n in zipfile.ZipFile(sys.argv[1]).namelist()]" \
	"$out/bundles/$first"
(cd "$out/bundles" && sha256sum ./*.zip) >"$out/sums"
"$tthc" pack -q --force -o "$out/bundles" --files-from="$out/norm.lst" || status=1
if (cd "$out/bundles" && sha256sum -c --quiet "$out/sums"); then
	echo "   packing again (--force) gives the same bytes: the bundles are reproducible"
else
	echo "   !! packing again gave other bytes" >&2
	status=1
fi
echo
echo "5. tthc verify: archive safety, E-ARK CSIP/SIP requirements, checksums, the dossier"
echo
"$tthc" verify -v "$out"/bundles/*.zip >"$out/verify.txt"
grep ': ok (' "$out/verify.txt" | sed "s|$out/||g; s/^/   /" | head -n 3
"$tthc" verify -q "$out"/bundles/*.zip
vst=$?
echo "   ... all $(ls "$out/bundles" | wc -l) bundles verified: exit status $vst"
[ "$vst" -eq 0 ] || status=1
# A bundle altered after packing is caught.
cp "$out/bundles/$first" "$out/tampered.zip"
python3 - "$out/tampered.zip" <<'PY'
import sys, zipfile
src = sys.argv[1]
entries = [(i, zipfile.ZipFile(src).read(i)) for i in zipfile.ZipFile(src).infolist()]
with zipfile.ZipFile(src, "w") as z:
    for info, data in entries:
        if "/data/" in info.filename:
            data = data.replace(b"%PDF", b"%PDX", 1)
        z.writestr(info, data)
PY
echo "   and one whose attachment was altered after packing:"
"$tthc" verify "$out/tampered.zip" >"$out/tampered.txt"
echo "   exit status $?; the findings:"
sed "s|$out/||g; s/^/   /" "$out/tampered.txt"
echo
if [ "$status" -eq 0 ]; then
	echo "All samples behave as samples/README.md says."
else
	echo "Some samples did not behave as samples/README.md says." >&2
fi
exit $status
