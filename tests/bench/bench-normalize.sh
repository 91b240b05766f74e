#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark: tthc-normalize --text against iconv on a large TCVN3 file, and dossier mode over
# the synthetic corpus.
# Usage: tests/bench/bench-normalize.sh [BUILD_DIR] [MB] [COUNT]
# Prints times, the ratio to iconv, dossiers per second per core and peak memory.  A
# benchmark, never a test: it asserts nothing about time; it reports.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
mb=${2:-200}
count=${3:-20000}
norm="$build/cmd/tthc-normalize"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rounds=${ROUNDS:-3}
cores=$(nproc)

command -v iconv >/dev/null || { echo "bench: iconv is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed (package time)" >&2; exit 2; }
[ -x "$norm" ] || { echo "bench: $norm is not built" >&2; exit 2; }

# Runs a command with its output thrown away, prints "seconds peak-KiB".
measure() {
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || true
	tail -n 1 "$work/time"
}
best() { # FILE of "seconds peak" lines -> "min-seconds max-peak"
	awk 'NR == 1 || $1 < t { t = $1 } $2 > m { m = $2 } END { print t, m }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# ---- text mode --------------------------------------------------------------------------

# TCVN3 prose: the test text with its toned capitals lowered (TCVN3 fonts have none), as
# TCVN 5712's bytes, which are TCVN3's for lower case; repeated to the size asked for.
python3 - "$top/tests/cli/data/normalize/prose.txt" "$work/seed.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
keep = "ĂÂĐÊÔƠƯ"
low = "".join(c.lower() if c.isupper() and not c.isascii() and c not in keep else c
              for c in text)
open(sys.argv[2], "w", encoding="utf-8").write(low)
PY
iconv -f UTF-8 -t TCVN5712-1 "$work/seed.txt" >"$work/seed.tcvn3"
size=$((mb * 1024 * 1024))
echo "making $mb MB of TCVN3 text..."
cp "$work/seed.tcvn3" "$work/big.tcvn3"
while [ "$(stat -c %s "$work/big.tcvn3")" -lt "$size" ]; do
	cat "$work/big.tcvn3" "$work/big.tcvn3" >"$work/tmp.tcvn3"
	mv "$work/tmp.tcvn3" "$work/big.tcvn3"
done
truncate -s "$size" "$work/big.tcvn3"
cat "$work/big.tcvn3" >/dev/null # into the page cache

# Sanity: the tool and iconv agree on these bytes but for the case TCVN3 restores.
"$norm" --text --from=tcvn3 "$work/seed.tcvn3" >"$work/seed.mine"
iconv -f TCVN5712-1 -t UTF-8 "$work/seed.tcvn3" >"$work/seed.iconv"
cmp -s "$work/seed.mine" "$top/tests/cli/data/normalize/prose.txt" ||
	echo "bench: warning: the tool's output differs from prose.txt" >&2

: >"$work/ic"; : >"$work/tn"; : >"$work/ta"
i=0
while [ "$i" -lt "$rounds" ]; do
	measure iconv -f TCVN5712-1 -t UTF-8 "$work/big.tcvn3" >>"$work/ic"
	measure "$norm" --text --from=tcvn3 "$work/big.tcvn3" >>"$work/tn"
	measure "$norm" --text "$work/big.tcvn3" >>"$work/ta"
	i=$((i + 1))
done
set -- $(best "$work/ic")
ic_t=$1 ic_m=$2
set -- $(best "$work/tn")
tn_t=$1 tn_m=$2
set -- $(best "$work/ta")
ta_t=$1 ta_m=$2
# Memory is flat when a tenth of the input takes as much.
head -c $((size / 10)) "$work/big.tcvn3" >"$work/small.tcvn3"
set -- $(measure "$norm" --text --from=tcvn3 "$work/small.tcvn3")
small_m=$2

echo
printf '%-40s %8s %8s %10s\n' "text, $mb MB TCVN3 (best of $rounds)" seconds ratio "peak KiB"
printf '%-40s %8s %8s %10s\n' "iconv -f TCVN5712-1 -t UTF-8" "$ic_t" 1.00 "$ic_m"
printf '%-40s %8s %8s %10s\n' "tthc-normalize --text --from=tcvn3" "$tn_t" "$(ratio "$tn_t" "$ic_t")" "$tn_m"
printf '%-40s %8s %8s %10s\n' "tthc-normalize --text (detection)" "$ta_t" "$(ratio "$ta_t" "$ic_t")" "$ta_m"
printf '%-40s %8s %8s %10s\n' "tthc-normalize --text, $((mb / 10)) MB" "" "" "$small_m"
rm -f "$work/big.tcvn3" "$work/small.tcvn3"

# ---- dossier mode -------------------------------------------------------------------------

echo
echo "generating $count dossiers..."
python3 "$top/tests/bench/gen-corpus.py" --count "$count" --out "$work/corpus" --seed 1
cd "$work/corpus"
find . -name '*.xml' | sed 's|^\./||' | sort >"$work/all.lst"
n=$(wc -l <"$work/all.lst")
xargs cat <"$work/all.lst" >/dev/null
mkdir "$work/out"

# One process for all the names (relative, so that they fit on one command line).
set -- $(cat "$work/all.lst")
: >"$work/c1"; : >"$work/cn"; : >"$work/on"
i=0
while [ "$i" -lt "$rounds" ]; do
	measure "$norm" --check -j1 "$@" >>"$work/c1"
	measure "$norm" --check -j"$cores" "$@" >>"$work/cn"
	measure "$norm" -o "$work/out" -j"$cores" "$@" >>"$work/on"
	i=$((i + 1))
done
set -- $(best "$work/c1")
c1_t=$1 c1_m=$2
set -- $(best "$work/cn")
cn_t=$1 cn_m=$2
set -- $(best "$work/on")
on_t=$1 on_m=$2
rate() { awk -v n="$n" -v t="$1" -v c="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t / c : 0) }'; }

echo
printf '%-40s %8s %14s %10s\n' "dossiers ($n, best of $rounds)" seconds "per s per core" "peak KiB"
printf '%-40s %8s %14s %10s\n' "tthc-normalize --check -j1" "$c1_t" "$(rate "$c1_t" 1)" "$c1_m"
printf '%-40s %8s %14s %10s\n' "tthc-normalize --check -j$cores" "$cn_t" "$(rate "$cn_t" "$cores")" "$cn_m"
printf '%-40s %8s %14s %10s\n' "tthc-normalize -o DIR -j$cores (fsync)" "$on_t" "$(rate "$on_t" "$cores")" "$on_m"
echo
echo "goals: text <= 1.50 x iconv; >= 5000 dossiers/s/core; peak memory flat in the input size"
