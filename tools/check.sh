#!/bin/sh
# SPDX-License-Identifier: MIT
# Quick start, step 2: the whole test suite, in a normal build and in the sanitizer build.
set -u
cd "$(dirname "$0")/.."

status=0
passed=0
failed=0
skipped=0
for b in build build-dev; do
	if [ ! -d "$b" ]; then
		if [ "$b" = build-dev ]; then
			meson setup --native-file build-dev.ini "$b" >/dev/null || exit 2
		else
			meson setup "$b" >/dev/null || exit 2
		fi
	fi
	echo "== $b: compile"
	meson compile -C "$b" >/dev/null || { echo "$b: build failed" >&2; exit 2; }
	echo "== $b: test"
	meson test -C "$b" --print-errorlogs --num-processes 2 || status=1
	log="$b/meson-logs/testlog.json"
	if [ -f "$log" ]; then
		p=$(grep -c '"result": "OK"' "$log")
		s=$(grep -c '"result": "SKIP"' "$log")
		f=$(grep -vc -e '"result": "OK"' -e '"result": "SKIP"' "$log")
		passed=$((passed + p))
		skipped=$((skipped + s))
		failed=$((failed + f))
	fi
done
echo "== install into a temporary prefix"
ilog=$(mktemp)
if sh tests/install-check.sh . >"$ilog" 2>&1; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	status=1
fi
tail -n 25 "$ilog"
rm -f "$ilog"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
