#!/bin/sh
# SPDX-License-Identifier: MIT
# Quick start, step 2: the whole test suite, in a normal build and in the sanitizer build.
set -u
cd "$(dirname "$0")/.."

status=0
passed=0
failed=0
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
		passed=$((passed + p + s))
		failed=$((failed + f))
	fi
done
echo "tests: $passed passed, $failed failed"
exit $status
