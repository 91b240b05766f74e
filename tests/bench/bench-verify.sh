#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of tthc-verify: one bundle with a 1 GiB stored attachment against openssl dgst
# -sha256 on the same data file (best of 5 each, runs interleaved, page cache warm), then the
# peak memory for METS documents listing many files. Prints figures and the ratio (goal:
# 1.2x, and under 64 MiB); asserts nothing.
#
# usage: tests/bench/bench-verify.sh [BUILD_DIR]   (default: build)
# TTHC_BENCH_MIB sets the attachment's size (1024), TTHC_BENCH_RUNS the runs (5),
# TTHC_BENCH_FILES the files a METS lists but the bundle lacks (100000; 0: no memory part).
# Needs python3 and zip (apt-get install -y zip); uses tthc-pack when it is built, else
# a hand-made E-ARK tree (tests/cli/data/verify/mkbundle.py) zipped with zip -0.
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
VERIFY=$BUILD/cmd/tthc-verify
SIZE_MIB=${TTHC_BENCH_MIB:-1024}
RUNS=${TTHC_BENCH_RUNS:-5}
FILES=${TTHC_BENCH_FILES:-100000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

[ -x "$VERIFY" ] || { echo "no $VERIFY: build first" >&2; exit 2; }
command -v zip >/dev/null || { echo "zip is needed: apt-get install -y zip" >&2; exit 2; }
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

# A one-attachment dossier whose attachment is SIZE_MIB MiB of random bytes.
mkdir -p "$WORK/in" "$WORK/out"
{ printf '%%PDF-1.4\n'; head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom; } >"$WORK/in/big.giay-chung-sinh.pdf"
sha=$(openssl dgst -sha256 -r "$WORK/in/big.giay-chung-sinh.pdf" | cut -d' ' -f1)
size=$(wc -c <"$WORK/in/big.giay-chung-sinh.pdf" | tr -d ' ')
sed -e "s|<DuongDan>[^<]*</DuongDan>|<DuongDan>big.giay-chung-sinh.pdf</DuongDan>|" \
	-e "s|<KichThuoc>[^<]*</KichThuoc>|<KichThuoc>$size</KichThuoc>|" \
	-e "s|<SHA256>[^<]*</SHA256>|<SHA256>$sha</SHA256>|" \
	"$SRC/samples/khai-sinh/valid/ks-03.xml" >"$WORK/in/big.xml"

if [ -x "$BUILD/cmd/tthc-pack" ] && "$BUILD/cmd/tthc-pack" -o "$WORK/out" "$WORK/in/big.xml" \
	>/dev/null 2>&1; then
	BUNDLE=$(ls "$WORK"/out/*.zip)
	how="tthc-pack"
else
	objid=$(python3 "$SRC/tests/cli/data/verify/mkbundle.py" "$WORK/in/big.xml" "$WORK/out" \
		no-zip)
	(cd "$WORK/out" && zip -q -0 -r -X "$objid.zip" "$objid")
	rm -rf "${WORK:?}/out/$objid"
	BUNDLE=$WORK/out/$objid.zip
	how="mkbundle.py + zip -0"
fi
DATA=$WORK/in/big.giay-chung-sinh.pdf

# measure CMD...: one run: its wall time in $t (seconds), its peak memory in $m (KiB).
measure() {
	s=$(date +%s.%N)
	if [ -n "$TIME" ]; then
		$TIME -f "%M" -o "$WORK/mem" "$@" >/dev/null 2>"$WORK/err" || true
		m=$(tail -n 1 "$WORK/mem")
	else
		"$@" >/dev/null 2>"$WORK/err" || true
		m=0
	fi
	t=$(echo "$(date +%s.%N) $s" | awk '{printf "%.3f", $1 - $2}')
}

min() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }
max() { echo "$1 $2" | awk '{print ($1 > $2) ? $1 : $2}'; }

echo "bundle: $(basename "$BUNDLE") ($how), attachment $SIZE_MIB MiB"
"$VERIFY" "$BUNDLE" >"$WORK/verify.out" 2>&1 && status=0 || status=$?
echo "tthc-verify exit status: $status"
[ "$status" -eq 0 ] || head -5 "$WORK/verify.out"
cat "$DATA" "$BUNDLE" >/dev/null # warm the page cache for both

# Interleaved, so that what else the machine does weighs on both alike.
v_t=999999 v_m=0 o_t=999999 o_m=0 v_all= o_all=
i=0
while [ "$i" -lt "$RUNS" ]; do
	measure "$VERIFY" -q "$BUNDLE"
	v_t=$(min "$t" "$v_t") v_m=$(max "$m" "$v_m") v_all="$v_all $t"
	measure openssl dgst -sha256 "$DATA"
	o_t=$(min "$t" "$o_t") o_m=$(max "$m" "$o_m") o_all="$o_all $t"
	i=$((i + 1))
done
echo "tthc-verify:          best ${v_t}s of$v_all, peak ${v_m} KiB"
echo "openssl dgst -sha256: best ${o_t}s of$o_all, peak ${o_m} KiB"
echo "ratio: $(echo "$v_t $o_t" | awk '{printf "%.2f", ($2 > 0) ? $1 / $2 : 0}')x (goal 1.2x)"
rm -f "$BUNDLE" "$DATA"

[ "$FILES" -gt 0 ] || exit 0

# many DIR N there|listed: a bundle whose representation METS lists N more files, in the
# package or not; prints its ZIP's path.
many() {
	mkdir -p "$1"
	objid=$(python3 "$SRC/tests/cli/data/verify/mkbundle.py" \
		"$SRC/samples/khai-sinh/valid/ks-01.xml" "$1" no-zip)
	python3 "$SRC/tests/cli/data/verify/grow-mets.py" "$1/$objid" "$2" "$3"
	echo "$1/$objid.zip"
}

echo
zip=$(many "$WORK/listed" "$FILES" listed)
measure "$VERIFY" "$zip"
echo "a METS listing $FILES files the bundle lacks: ${t}s, peak $m KiB (goal 65536)"
zip=$(many "$WORK/there" 10000 there)
measure "$VERIFY" --max-entries=20000 "$zip"
echo "a bundle of 10,000 listed files: ${t}s, peak $m KiB (goal 65536)"
