# SPDX-License-Identifier: MIT
# The checks and bookkeeping shared by the black-box CLI tests (test-*.sh), which source it.
#
# The sourcing script sets SRC (the CLI test source directory) first. This file sets TMP (a
# temporary directory, removed on exit), GOLDEN, pass, fail and LC_ALL=C; each script ends with
# `summary`. quiet_fail=1 keeps a failure to its FAIL line: no stderr or output shown after it.
# TTHC_UPDATE_GOLDEN=1 makes `golden` rewrite the golden files instead of comparing.

TMP=$(mktemp -d)
# u+w first: a test may leave a read-only directory behind.
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM
GOLDEN=$SRC/golden
pass=0
fail=0
quiet_fail=0
export LC_ALL=C

ok() {
	pass=$((pass + 1))
	echo "ok - $1"
}

not_ok() {
	fail=$((fail + 1))
	echo "FAIL - $1"
	if [ "$quiet_fail" != 1 ] && [ -s "$TMP/err" ]; then
		echo "  stderr:"
		sed 's/^/    /' "$TMP/err" | head -20
	fi
}

# run CMD...: runs it, stdout in $TMP/out, stderr in $TMP/err, status in $rc.
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# status NAME WANT: the last run exited with WANT.
status() {
	if [ "$rc" -eq "$2" ]; then ok "$1: exit $2"; else not_ok "$1: exit $rc, want $2"; fi
}

# empty NAME out|err: the last run wrote nothing there.
empty() {
	if [ ! -s "$TMP/$2" ]; then
		ok "$1: $2 empty"
	else
		not_ok "$1: $2 not empty"
		[ "$quiet_fail" = 1 ] || sed 's/^/    /' "$TMP/$2" | head -10
	fi
}

# has NAME out|err PATTERN: the last run wrote a line matching the extended regex there.
has() {
	if grep -Eq -- "$3" "$TMP/$2"; then ok "$1: $2 has '$3'"; else not_ok "$1: $2 lacks '$3'"; fi
}

# hasnt NAME out|err PATTERN: the last run wrote no line matching the extended regex there.
hasnt() {
	if grep -Eq -- "$3" "$TMP/$2"; then not_ok "$1: $2 has '$3'"; else ok "$1: $2 lacks '$3'"; fi
}

# lines NAME out|err N: the last run wrote exactly N lines there.
lines() {
	n=$(wc -l <"$TMP/$2" | tr -d ' ')
	if [ "$n" -eq "$3" ]; then ok "$1: $2 has $3 lines"; else not_ok "$1: $2 has $n lines, want $3"; fi
}

# golden NAME out|err FILE: the last run's output equals golden/FILE.
golden() {
	if [ "${TTHC_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$TMP/$2" "$GOLDEN/$3"
		ok "$1: wrote golden/$3"
	elif diff -u "$GOLDEN/$3" "$TMP/$2" >"$TMP/diff"; then
		ok "$1: $2 matches golden/$3"
	else
		not_ok "$1: $2 differs from golden/$3"
		sed 's/^/    /' "$TMP/diff" | head -40
	fi
}

# summary: the counts, then exit 0 if nothing failed, 1 otherwise.
summary() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ] && exit 0
	exit 1
}
