#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the main job on the bundled samples and prints a readable report.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
bin="$build/cmd"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== tthc $("$bin/tthc" --version | head -n 1)"
echo
echo "== 1. validate: every valid sample of the six procedures (exit status 0 expected)"
"$bin/tthc" validate -v -r samples/*/valid 2>&1 | sed -n '$p'
find samples -path '*/valid/*.xml' | sort >"$out/valid.lst"
"$bin/tthc" validate -q --files-from="$out/valid.lst"
echo "   exit status: $?"
echo
echo "== 2. validate: the invalid samples (each breaks one rule; exit status 1 expected)"
find samples -path '*/invalid/*.xml' | sort >"$out/invalid.lst"
"$bin/tthc" validate --files-from="$out/invalid.lst" >"$out/invalid.txt"
echo "   exit status: $?"
head -n 12 "$out/invalid.txt" | sed 's/^/   /'
echo "   ... $(wc -l <"$out/invalid.txt") findings in all; per rule:"
sed -n 's/^[^ ]* \(error\|warning\) \([A-Z0-9-]*\):.*/\2/p' "$out/invalid.txt" | sort | uniq -c |
	awk '{ printf "   %-14s %s\n", $2, $1 }' | column -c 100
echo
echo "== 3. the same as JSON Lines, summarised (one object per file)"
"$bin/tthc" validate --format=json --files-from="$out/invalid.lst" |
	grep '"type":"file"' | head -n 3 | sed 's/^/   /'
