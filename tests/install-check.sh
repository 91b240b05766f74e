#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs tthc into a temporary prefix and checks that the installed tools work from
# there: schemas and messages found where they were installed, the library usable
# through pkg-config, the man pages present.
# usage: install-check.sh SOURCE_DIR
set -u
src=$(cd "${1:?usage: install-check.sh SOURCE_DIR}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() { # NAME COMMAND...: the command must succeed
	name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $name"
		sed 's/^/  /' "$tmp/out" | head -n 20
	fi
}

prefix=$tmp/prefix
meson setup --prefix="$prefix" "$tmp/build" "$src" >"$tmp/setup.log" 2>&1 &&
	meson compile -C "$tmp/build" >"$tmp/compile.log" 2>&1 &&
	meson install -C "$tmp/build" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/setup.log" "$tmp/compile.log" "$tmp/install.log" | tail -n 30; exit 2; }

libdir=$(dirname "$(find "$prefix" -name 'libtthc.so.0' | head -n 1)")
export LD_LIBRARY_PATH="$libdir"
unset TTHC_SCHEMA_DIR TTHC_LOCALEDIR
cd "$tmp" || exit 2
sample=$src/samples/khai-sinh/valid/ks-01.xml
bad=$src/samples/khai-sinh/invalid/tthc-id-003-sex-digit.xml

check "installed schemas are found" "$prefix/bin/tthc-validate" -q "$sample"
check "the front runs the installed tool" "$prefix/bin/tthc" validate -q "$sample"
check "an invalid sample is rejected" sh -c "! '$prefix/bin/tthc-validate' -q '$bad'"
for scd in "$src"/man/*.scd; do
	page=$(basename "$scd" .scd)
	check "man page $page" test -s "$prefix/share/man/man${page##*.}/$page"
done
for tool in validate normalize pack verify; do
	check "tthc $tool --version" "$prefix/bin/tthc" "$tool" --version
done
mkdir -p "$tmp/norm" "$tmp/bundles"
cp "$src"/samples/khai-sinh/valid/ks-01* "$tmp/norm/"
check "the installed tools normalise, pack and verify a sample" sh -c \
	"'$prefix/bin/tthc' normalize -i '$tmp/norm/ks-01.xml' &&
	 '$prefix/bin/tthc' pack -q -o '$tmp/bundles' '$tmp/norm/ks-01.xml' &&
	 '$prefix/bin/tthc' verify -q '$tmp/bundles'/*.zip"
check "header installed" test -s "$prefix/include/tthc.h"
if locale -a 2>/dev/null | grep -qi '^vi_VN\.utf-\?8$'; then
	check "installed Vietnamese catalogue" sh -c \
		"LC_ALL=vi_VN.UTF-8 '$prefix/bin/tthc-validate' '$bad' | grep -q 'chữ số'"
fi
printf '#include <tthc.h>\n#include <stdio.h>\nint main(void) { puts(tthc_version()); return 0; }\n' \
	>"$tmp/use.c"
check "pkg-config libtthc builds a program" sh -c \
	"cc '$tmp/use.c' \$(PKG_CONFIG_PATH='$libdir/pkgconfig' pkg-config --cflags --libs libtthc) \
	 -o '$tmp/use' && '$tmp/use' | grep -qx '[0-9.]*'"

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
