#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks that the Vietnamese catalogue is complete: every translatable message of the
# sources is in po/vi.po, translated and not fuzzy, and every source file with messages is
# listed in po/POTFILES.
set -u
top=${1:?usage: po-complete.sh SOURCE_ROOT}
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# 1. every source file that marks messages is listed in POTFILES
for f in $(grep -l -E '(^|[^A-Za-z0-9_])N?_\("' lib/*.c cmd/*.c cmd/common/*.c 2>/dev/null); do
	if grep -qx "$f" po/POTFILES; then ok; else bad "$f has messages but is not in po/POTFILES"; fi
done

# 2. every message of the sources is translated in vi.po
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=tthc_ngettext:1,2 --add-comments=TRANSLATORS \
	--files-from=po/POTFILES --output="$tmp/tthc.pot" 2>"$tmp/xgettext.err" ||
	{ cat "$tmp/xgettext.err"; exit 2; }
if msgcmp po/vi.po "$tmp/tthc.pot" >"$tmp/cmp" 2>&1; then
	ok
else
	bad "po/vi.po lacks translations:"
	head -n 40 "$tmp/cmp"
fi

# 3. no fuzzy entry, and msgfmt's format checks pass (printf directives agree)
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null po/vi.po 2>&1)
case "$stats" in
*fuzzy* | *untranslated* | *error* | *warning*) bad "msgfmt: $stats" ;;
*) ok ;;
esac

echo "po: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
