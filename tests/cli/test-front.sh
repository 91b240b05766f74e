#!/bin/sh
# SPDX-License-Identifier: MIT
# Black-box tests of the tthc front: it runs tthc-VERB with the same arguments and result.
#
# usage: test-front.sh BUILD_CMD_DIR CLI_SRC_DIR
set -u

CMD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
T=$CMD/tthc
V=$CMD/tthc-validate
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$SRC/harness.sh"
# A failure here is its FAIL line alone, without the output of the last run.
quiet_fail=1

cd "$SRC/data" || exit 1

# same NAME ARGS...: "tthc validate ARGS" and "tthc-validate ARGS" give the same three results
# (both read standard input from $IN).
IN=/dev/null
same() {
	name=$1
	shift
	"$T" validate "$@" <"$IN" >"$TMP/t.out" 2>"$TMP/t.err"
	trc=$?
	"$V" "$@" <"$IN" >"$TMP/v.out" 2>"$TMP/v.err"
	vrc=$?
	if [ "$trc" -eq "$vrc" ] && cmp -s "$TMP/t.out" "$TMP/v.out" &&
		cmp -s "$TMP/t.err" "$TMP/v.err"; then
		ok "$name: tthc validate = tthc-validate (exit $trc)"
	else
		not_ok "$name: exit $trc vs $vrc"
		diff -u "$TMP/v.out" "$TMP/t.out" | head -20
		diff -u "$TMP/v.err" "$TMP/t.err" | head -20
	fi
}

same "valid" valid/khai-sinh.xml
same "invalid" invalid/ma-tthc-la.xml
same "verbose json" -v --format=json valid/khai-sinh.xml warning/lien-thong-ma-cu.xml
same "missing file" missing.xml
same "bad option" --no-such-option
same "help" --help
same "list-rules" --list-rules
IN=invalid/ma-tthc-la.xml same "stdin" -

run "$T" --help
status "--help" 0
empty "--help" err
has "--help" out "^usage: tthc VERB"
has "--help" out "^  validate +[a-z]"
# Only validate is built by this project yet: the others must say so, not pretend.
if grep -E '^  (normalize|pack|verify|scancheck|import) ' "$TMP/out" |
	while read -r verb rest; do
		[ -x "$CMD/tthc-$verb" ] || case $rest in *"(not installed)") ;; *) exit 1 ;; esac
	done; then
	ok "--help: verbs without a program say (not installed)"
else
	not_ok "--help: a verb without a program is listed as installed"
fi

run "$T" -h
status "-h" 0

run "$T" --version
status "--version" 0
has "--version" out "^tthc [0-9]+\.[0-9]+"
has "--version" out "^libtthc "

run "$T"
status "no verb" 2
empty "no verb" out
has "no verb" err "^usage: tthc "

run "$T" no-such-verb x.xml
status "unknown verb" 2
empty "unknown verb" out
lines "unknown verb" err 1
has "unknown verb" err "^tthc: 'no-such-verb' is not a tthc verb"

run "$T" ../tthc-validate valid/khai-sinh.xml
status "verb with a slash" 2

run "$T" --no-such-option
status "bad option" 2
has "bad option" err "^tthc: unknown option '--no-such-option'$"
has "bad option" err "^usage: tthc "

# The verb's own messages name it tthc-validate, not the path it was found under.
run "$T" validate missing.xml
has "messages name the tool" err "^tthc-validate: missing\.xml: "

# A verb found on PATH when it is neither next to tthc nor in LIBEXECDIR, as git does.
mkdir "$TMP/bin"
printf '#!/bin/sh\necho "extra:$*"\nexit 3\n' >"$TMP/bin/tthc-extra"
chmod +x "$TMP/bin/tthc-extra"
run env PATH="$TMP/bin:$PATH" "$T" extra a b
status "verb on PATH" 3
has "verb on PATH" out "^extra:a b$"

summary
