#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark: tthc-pack over the synthetic corpus (dossiers per second, one core and all),
# and on one dossier with a 1 GiB attachment against openssl dgst -sha256 + zip -0.
# Usage: tests/bench/bench-pack.sh [BUILD_DIR] [COUNT] [MiB]
# Prints times, ratios and peak memory.  A benchmark, never a test: it asserts nothing.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
count=${2:-5000}
mib=${3:-1024}
pack="$build/cmd/tthc-pack"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rounds=${ROUNDS:-3}
cores=$(nproc)
unset SOURCE_DATE_EPOCH

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (package time)" >&2; exit 2; }
[ -x "$pack" ] || { echo "bench: $pack is not built" >&2; exit 2; }
command -v openssl >/dev/null || { echo "bench: openssl is needed" >&2; exit 2; }
command -v zip >/dev/null || { echo "bench: zip is needed (apt-get install -y zip)" >&2; exit 2; }

# Runs a command with its output thrown away, prints "seconds peak-KiB".
measure() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || true
	tail -n 1 "$work/time"
}
best() { # FILE of "seconds peak" lines -> "min-seconds max-peak"
	awk 'NR == 1 || $1 < t { t = $1 } $2 > m { m = $2 } END { print t, m }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per_sec() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }'; }

# ---- the corpus ---------------------------------------------------------------------------

python3 "$top/tests/bench/gen-corpus.py" --count "$count" --out "$work/corpus" --seed 1
find "$work/corpus" -name '*.xml' | sort >"$work/list"
n=$(wc -l <"$work/list" | tr -d ' ')
# Each round writes into a new folder and none is removed before the end: removing
# thousands of files just before a run slows the next inode allocations on ext4 without
# a journal (recently freed inodes are skipped one by one), which is not what a nightly
# run meets.  "default" is tthc-pack's own -j (twice the cores).
for jobs in 1 "$cores" default; do
	: >"$work/runs"
	for r in $(seq "$rounds"); do
		mkdir "$work/out.$jobs.$r"
		if [ "$jobs" = default ]; then
			measure "$pack" --files-from="$work/list" -o "$work/out.$jobs.$r" >>"$work/runs"
		else
			measure "$pack" -j "$jobs" --files-from="$work/list" -o "$work/out.$jobs.$r" \
				>>"$work/runs"
		fi
	done
	set -- $(best "$work/runs")
	echo "corpus: $n dossiers, -j $jobs: ${1}s, $(per_sec "$n" "$1") dossiers/s," \
		"peak ${2} KiB"
done
# The bundles just made, verified (no goal but memory: a figure to watch).
verify="$build/cmd/tthc-verify"
if [ -x "$verify" ]; then
	find "$work/out.default.1" -name '*.zip' | sort >"$work/zips"
	: >"$work/runs"
	for _ in $(seq "$rounds"); do
		measure sh -c 'tr "\n" "\0" <"$1" | xargs -0 "$2" -q' sh "$work/zips" \
			"$verify" >>"$work/runs"
	done
	set -- $(best "$work/runs")
	echo "verify corpus: $n bundles: ${1}s, $(per_sec "$n" "$1") bundles/s, peak ${2} KiB"
fi
rm -rf "$work"/out.*
rm -rf "$work/corpus"

# ---- one dossier with a large attachment ---------------------------------------------------

mkdir "$work/big" "$work/out"
big="$work/big/big.scan.pdf"
{ printf '%%PDF-1.4\n'; head -c "${mib}M" /dev/urandom; } >"$big"
size=$(stat -c %s "$big")
sum=$(openssl dgst -sha256 -r "$big" | cut -d' ' -f1)
sample="$top/samples/khai-sinh/valid/ks-03.xml"
python3 - "$sample" "$work/big/big.xml" "$size" "$sum" <<'PY'
import re, sys
src, dst, size, digest = sys.argv[1:]
text = open(src, encoding="utf-8").read()
text = re.sub(r"<DuongDan>[^<]*</DuongDan>", "<DuongDan>big.scan.pdf</DuongDan>", text, count=1)
text = re.sub(r"<KichThuoc>[^<]*</KichThuoc>", "<KichThuoc>%s</KichThuoc>" % size, text, count=1)
text = re.sub(r"<SHA256>[^<]*</SHA256>", "<SHA256>%s</SHA256>" % digest, text, count=1)
open(dst, "w", encoding="utf-8").write(text)
PY

# The reference: hash the file, then store it in a ZIP, as a shell script would.
: >"$work/ref"
: >"$work/dgst"
: >"$work/pk"
for _ in $(seq "$rounds"); do
	/usr/bin/time -f '%e %M' -o "$work/time" sh -c \
		'openssl dgst -sha256 "$1" >/dev/null && rm -f "$2" && zip -q -0 "$2" "$1"' \
		sh "$big" "$work/ref.zip" 2>/dev/null && tail -n 1 "$work/time" >>"$work/ref"
	measure openssl dgst -sha256 "$big" >>"$work/dgst"
	measure "$pack" -f -j 1 -o "$work/out" "$work/big/big.xml" >>"$work/pk"
	[ -s "$work/err" ] && cat "$work/err" >&2
done
set -- $(best "$work/ref")
ref_t=$1
set -- $(best "$work/dgst")
dgst_t=$1
set -- $(best "$work/pk")
echo "1 attachment of $size bytes: openssl dgst ${dgst_t}s; dgst + zip -0 ${ref_t}s;" \
	"tthc-pack ${1}s (validate + pack), peak ${2} KiB"
echo "ratio tthc-pack / (openssl dgst + zip -0): $(ratio "$1" "$ref_t") (goal <= 1.3)"
echo "peak memory: $(awk -v k="$2" 'BEGIN { printf "%.1f", k / 1024 }') MiB (goal < 64)"
