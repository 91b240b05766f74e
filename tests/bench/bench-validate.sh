#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark: tthc-validate -j1 and on all cores against xmllint's schema-only validation.
# Usage: tests/bench/bench-validate.sh [BUILD_DIR] [COUNT]
# Prints times, ratios to xmllint, and peak memory.  A benchmark, never a test: it asserts
# nothing about time; it reports.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
count=${2:-20000}
validate="$build/cmd/tthc-validate"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v xmllint >/dev/null || { echo "bench: xmllint is needed (libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (package time)" >&2; exit 2; }

echo "generating $count dossiers..."
python3 "$top/tests/bench/gen-corpus.py" --count "$count" --out "$work/corpus" --seed 1
find "$work/corpus" -name '*.xml' | sort >"$work/all.lst"
n=$(wc -l <"$work/all.lst")
# Warm the page cache so every contender reads from memory.
xargs cat <"$work/all.lst" >/dev/null

# Runs a command, prints "seconds peak-KiB".
measure() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || true
	tail -n 1 "$work/time"
}

# xmllint takes one schema per run: one run per procedure, over that procedure's files.
cat >"$work/xmllint.sh" <<SH
for xsd in "$top"/schemas/*.xsd; do
	slug=\$(basename "\$xsd" .xsd)
	[ "\$slug" = hoso ] && continue
	grep "/\$slug/" "$work/all.lst" | xargs -r xmllint --noout --schema "\$xsd" 2>/dev/null
done
exit 0
SH

# Rounds interleave the contenders so a busy moment of the machine hits them alike; each
# keeps its best time and its largest peak.
rounds=${ROUNDS:-3}
best() { # FILE: "seconds peak" lines -> "min-seconds max-peak"
	awk 'NR == 1 || $1 < t { t = $1 } $2 > m { m = $2 } END { print t, m }' "$1"
}
: >"$work/x" ; : >"$work/j1" ; : >"$work/jn"
i=0
while [ "$i" -lt "$rounds" ]; do
	measure sh "$work/xmllint.sh" >>"$work/x"
	measure "$validate" -q -j1 --files-from="$work/all.lst" >>"$work/j1"
	measure "$validate" -q --files-from="$work/all.lst" >>"$work/jn"
	i=$((i + 1))
done
set -- $(best "$work/x")
x_time=$1 x_mem=$2
set -- $(best "$work/j1")
j1_time=$1 j1_mem=$2
set -- $(best "$work/jn")
jn_time=$1 jn_mem=$2

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
printf '%-34s %8s %8s %10s\n' "run ($n dossiers, best of $rounds)" seconds ratio "peak KiB"
printf '%-34s %8s %8s %10s\n' "xmllint --noout --schema" "$x_time" 1.00 "$x_mem"
printf '%-34s %8s %8s %10s\n' "tthc-validate -j1 (all rules)" "$j1_time" "$(ratio "$j1_time" "$x_time")" "$j1_mem"
printf '%-34s %8s %8s %10s\n' "tthc-validate -j$(nproc) (all rules)" "$jn_time" "$(ratio "$jn_time" "$x_time")" "$jn_mem"
echo
echo "goals: -j1 <= 1.25, all cores <= 0.65 (on 2 cores), peak < 65536 KiB and flat in the count"
