#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of tthc-verify: one bundle with a 1 GiB attachment against openssl dgst -sha256
# on the same data file (best of 3 each, peak memory by /usr/bin/time). Prints figures and
# the ratio (goal: 1.2x); asserts nothing.
#
# usage: tests/bench/bench-verify.sh [BUILD_DIR]   (default: build)
# Needs python3 and zip (apt-get install -y zip); uses tthc-pack when it is built, else
# a hand-made E-ARK tree (tests/cli/data/verify/mkbundle.py) zipped with zip -0.
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
VERIFY=$BUILD/cmd/tthc-verify
SIZE_MIB=${TTHC_BENCH_MIB:-1024}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

[ -x "$VERIFY" ] || { echo "no $VERIFY: build first" >&2; exit 2; }
command -v zip >/dev/null || { echo "zip is needed: apt-get install -y zip" >&2; exit 2; }
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

# A one-attachment dossier whose attachment is SIZE_MIB MiB of random bytes.
mkdir -p "$WORK/in" "$WORK/out"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$WORK/in/big.giay-chung-sinh.pdf"
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

# best CMD...: the best wall time of 3 runs in $best (seconds), peak memory in $peak (KiB).
best() {
	best=999999
	peak=0
	for _ in 1 2 3; do
		if [ -n "$TIME" ]; then
			$TIME -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || true
			read -r t m <"$WORK/time"
		else
			s=$(date +%s.%N)
			"$@" >/dev/null 2>"$WORK/err" || true
			t=$(echo "$(date +%s.%N) - $s" | bc)
			m=0
		fi
		best=$(echo "$t $best" | awk '{print ($1 < $2) ? $1 : $2}')
		peak=$(echo "$m $peak" | awk '{print ($1 > $2) ? $1 : $2}')
	done
}

echo "bundle: $(basename "$BUNDLE") ($how), attachment $SIZE_MIB MiB"
"$VERIFY" "$BUNDLE" >"$WORK/verify.out" 2>&1 && status=0 || status=$?
echo "tthc-verify exit status: $status"
[ "$status" -eq 0 ] || head -5 "$WORK/verify.out"
cat "$DATA" >/dev/null # warm the page cache for both
best "$VERIFY" -q "$BUNDLE"
v_t=$best v_m=$peak
best openssl dgst -sha256 "$DATA"
o_t=$best o_m=$peak
echo "tthc-verify:         ${v_t}s, peak ${v_m} KiB"
echo "openssl dgst -sha256: ${o_t}s, peak ${o_m} KiB"
echo "ratio: $(echo "$v_t $o_t" | awk '{printf "%.2f", ($2 > 0) ? $1 / $2 : 0}')x (goal 1.2x)"
