#!/bin/sh
# SPDX-License-Identifier: MIT
# Black-box tests of tthc-validate: exit status, stdout and stderr checked apart, goldens by diff.
#
# usage: test-validate.sh BUILD_CMD_DIR CLI_SRC_DIR
# TTHC_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (read them after!).
set -u

CMD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$SRC/harness.sh"
V=$CMD/tthc-validate
DATA=$SRC/data

# Names in findings are relative to the data directory, as the goldens hold them.
cd "$DATA" || exit 1

# json_lines NAME: every line of the last stdout is a JSON object.
json_lines() {
	if python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    obj = json.loads(line)
    assert isinstance(obj, dict), "line %d is not an object" % n
    assert obj["type"] in ("finding", "file"), "line %d: type %r" % (n, obj["type"])
' "$TMP/out" 2>"$TMP/pyerr"; then
		ok "$1: stdout is JSON Lines"
	else
		not_ok "$1: stdout is not JSON Lines: $(tail -1 "$TMP/pyerr")"
	fi
}

SMALL="valid/khai-sinh.xml warning/lien-thong-ma-cu.xml invalid/ma-tthc-la.xml
invalid/thieu-noi-sinh.xml invalid/nhieu-loi.xml"

# ---- usage ----------------------------------------------------------------------------

run "$V" --help
status "--help" 0
golden "--help" out help.out
empty "--help" err

run "$V" -h
status "-h" 0
golden "-h" out help.out

run "$V" --no-such-option valid/khai-sinh.xml
status "bad option" 2
empty "bad option" out
golden "bad option" err bad-option.err

run "$V" -x valid/khai-sinh.xml
status "bad short option" 2
has "bad short option" err "^tthc-validate: unknown option '-x'$"
has "bad short option" err "^usage: tthc-validate "

run "$V" --format=xml valid/khai-sinh.xml
status "bad --format" 2
has "bad --format" err "^tthc-validate: .*xml"
has "bad --format" err "^usage: "

for j in 0 -1 x 1x; do
	run "$V" -j "$j" valid/khai-sinh.xml
	status "-j $j" 2
done

run "$V" --max-size=10 valid/khai-sinh.xml
status "--max-size below 1 KiB" 2

run "$V" -q -v valid/khai-sinh.xml
status "-q with -v" 2

run "$V"
status "no operands" 2
empty "no operands" out
has "no operands" err "^tthc-validate: "
has "no operands" err "^usage: "

run "$V" -j 2 --format=json
status "no operands, options only" 2

run "$V" --files-from=- - </dev/null
status "stdin twice" 2

run "$V" --version
status "--version" 0
empty "--version" err
has "--version" out "^tthc-validate [0-9]+\.[0-9]+\.[0-9]+$"
has "--version" out "^libtthc [0-9]"
has "--version" out "^libxml2 "

run "$V" --list-rules
status "--list-rules" 0
empty "--list-rules" err
golden "--list-rules" out list-rules.out
hasnt "--list-rules" out "$(printf '^[^\t]*\t[^\t]*$')"

# ---- results and exit status ----------------------------------------------------------

run "$V" valid/khai-sinh.xml
status "valid" 0
empty "valid" out
empty "valid" err

run "$V" -v valid/khai-sinh.xml
status "valid -v" 0
has "valid -v" out "^valid/khai-sinh\.xml: ok \(1\.001193, 0 warnings\)$"
has "valid -v" err "^tthc-validate: total: files 1, valid 1, invalid 0, errors 0, warnings 0$"

run "$V" invalid/ma-tthc-la.xml
status "invalid" 1
has "invalid" out "^invalid/ma-tthc-la\.xml:[0-9]+: error TTHC-PROC-001: "
empty "invalid" err

run "$V" warning/lien-thong-ma-cu.xml
status "warning" 0
has "warning" out "^warning/lien-thong-ma-cu\.xml:[0-9]+: warning TTHC-PROC-002: "

run "$V" --strict warning/lien-thong-ma-cu.xml
status "--strict with a warning" 1

run "$V" --strict valid/khai-sinh.xml
status "--strict, no warning" 0

run "$V" -q invalid/ma-tthc-la.xml invalid/thieu-noi-sinh.xml warning/lien-thong-ma-cu.xml
status "-q" 1
empty "-q" out
empty "-q" err

run "$V" --quiet --format=json valid/khai-sinh.xml invalid/ma-tthc-la.xml
status "-q json" 1
empty "-q json" out

# shellcheck disable=SC2086
run "$V" $SMALL
status "text" 1
golden "text" out text.out
empty "text" err

# shellcheck disable=SC2086
run "$V" -v $SMALL
status "text -v" 1
golden "text -v" out text-verbose.out
golden "text -v" err text-verbose.err

# shellcheck disable=SC2086
run "$V" --format=json $SMALL
status "json" 1
json_lines "json"
golden "json" out json.out
empty "json" err
if python3 -c '
import json, sys
files = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["type"] == "file"]
finds = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["type"] == "finding"]
assert [f["file"] for f in files] == sys.argv[2].split(), files
assert len(finds) >= 5, finds
for f in files:
    mine = [d for d in finds if d["file"] == f["file"]]
    assert f["errors"] == sum(d["severity"] == "error" for d in mine), f
    assert f["warnings"] == sum(d["severity"] == "warning" for d in mine), f
    assert f["valid"] == (f["errors"] == 0), f
' "$TMP/out" "$SMALL"; then
	ok "json: one summary per file, in order, counts agree with findings"
else
	not_ok "json: summaries do not agree with findings"
fi

run "$V" missing.xml
status "missing file" 2
empty "missing file" out
has "missing file" err "^tthc-validate: missing\.xml: No such file or directory$"
lines "missing file" err 1

run "$V" missing.xml valid/khai-sinh.xml
status "missing file, then a valid one" 2
lines "missing file, then a valid one" err 1

run "$V" invalid/ma-tthc-la.xml missing.xml
status "invalid and missing: 2 wins" 2
has "invalid and missing: 2 wins" out "TTHC-PROC-001"

run "$V" --format=json missing.xml valid/khai-sinh.xml
status "json missing file" 2
json_lines "json missing file"
has "json missing file" out '^\{"type":"file","file":"missing\.xml","valid":false,"error":"No such file or directory"\}$'
has "json missing file" out '"file":"valid/khai-sinh\.xml".*"valid":true'
has "json missing file" err "missing\.xml"

run "$V" valid
status "directory operand" 2
has "directory operand" err "^tthc-validate: valid: "

run "$V" --schema-dir="$TMP/none" valid/khai-sinh.xml
status "bad --schema-dir" 2
lines "bad --schema-dir" err 1

run env TTHC_SCHEMA_DIR="$TMP/none" "$V" valid/khai-sinh.xml
status "bad TTHC_SCHEMA_DIR" 2

run env TTHC_SCHEMA_DIR="$TMP/none" "$V" --schema-dir="${TTHC_SCHEMA_DIR:-$SRC/../../schemas}" \
	valid/khai-sinh.xml
status "--schema-dir beats TTHC_SCHEMA_DIR" 0

# From the build tree, without TTHC_SCHEMA_DIR, the source tree's schemas are used.
run env -u TTHC_SCHEMA_DIR "$V" valid/khai-sinh.xml
status "schemas of the source tree from the build tree" 0

run "$V" --max-size=1024 valid/khai-sinh.xml
status "--max-size" 1
has "--max-size" out "TTHC-XML-003"

# ---- standard input and lists of names ----------------------------------------------

run "$V" - <invalid/ma-tthc-la.xml
status "stdin" 1
has "stdin" out "^-:[0-9]+: error TTHC-PROC-001: "

(cd valid && "$V" - <khai-sinh.xml >"$TMP/out" 2>"$TMP/err")
rc=$?
status "stdin, attachments relative to the current directory" 0

run "$V" - <valid/khai-sinh.xml
status "stdin, attachment not in the current directory" 1
has "stdin, attachment not in the current directory" out "^-:[0-9]+: error TTHC-FILE-002: "

mkdir "$TMP/names"
cp valid/khai-sinh.xml valid/giay-chung-sinh.pdf "$TMP/names/"
cp valid/khai-sinh.xml "$TMP/names/with space.xml"
cp valid/khai-sinh.xml "$TMP/names/new
line.xml"
cp invalid/ma-tthc-la.xml "$TMP/names/sai.xml"

printf '%s\n' "$TMP/names/with space.xml" "" "$TMP/names/sai.xml" >"$TMP/list"
run "$V" -v --files-from="$TMP/list"
status "--files-from" 1
has "--files-from" out "with space\.xml: ok "
has "--files-from" out "sai\.xml:[0-9]+: error TTHC-PROC-001"
lines "--files-from" out 2

run "$V" --files-from=- <"$TMP/list"
status "--files-from=-" 1

printf '%s\0' "$TMP/names/new
line.xml" "$TMP/names/sai.xml" | "$V" -0 --files-from=- --format=json >"$TMP/out" 2>"$TMP/err"
rc=$?
status "--files-from -0" 1
json_lines "--files-from -0"
has "--files-from -0" out '"file":"[^"]*/new\\nline\.xml".*"valid":true'

printf '%s\0' "$TMP/names/new
line.xml" | "$V" -v --null --files-from=- >"$TMP/out" 2>"$TMP/err"
rc=$?
status "text names with control characters" 0
has "text names with control characters" out "/new\?line\.xml: ok "
lines "text names with control characters" out 1

mkdir "$TMP/latin1"
cp invalid/ma-tthc-la.xml "$TMP/latin1/$(printf 'h\366 s\001.xml')"
run "$V" --format=json -r "$TMP/latin1"
status "json, a name that is not UTF-8" 1
json_lines "json, a name that is not UTF-8"
has "json, a name that is not UTF-8" out '"file":"[^"]*/h\\ufffd s\\u0001\.xml"'

run "$V" --files-from="$TMP/no-such-list"
status "missing --files-from list" 2
has "missing --files-from list" err "no-such-list"

printf 'valid/khai-sinh.xml\n' >"$TMP/list1"
run "$V" -v invalid/ma-tthc-la.xml --files-from="$TMP/list1" warning/lien-thong-ma-cu.xml
status "operands and lists in command-line order" 1
if awk -F: '{print $1}' "$TMP/out" | uniq | tr '\n' ' ' |
	grep -qx 'invalid/ma-tthc-la.xml valid/khai-sinh.xml warning/lien-thong-ma-cu.xml '; then
	ok "operands and lists in command-line order: order kept"
else
	not_ok "operands and lists in command-line order: order lost"
fi

# ---- trees and threads ----------------------------------------------------------------

run "$V" -r .
status "-r data" 1
hasnt "-r data" out "giay-chung-sinh"
n_xml=$(find . -name '*.xml' -type f | wc -l | tr -d ' ')
run "$V" -r . --format=json
n_sum=$(grep -c '"type":"file"' "$TMP/out")
if [ "$n_xml" -eq "$n_sum" ]; then ok "-r: one summary per *.xml ($n_xml)"; else
	not_ok "-r: $n_sum summaries for $n_xml files"; fi

run "$V" -r valid/khai-sinh.xml
status "-r on a file" 0

run "$V" -r no-such-dir
status "-r on a missing directory" 2
has "-r on a missing directory" err "no-such-dir"

ln -s "$DATA/invalid" "$TMP/names/link"
run "$V" -r "$TMP/names"
hasnt "-r does not follow symbolic links" out "ma-tthc-la"

run "$V" -j 1 -r . -r . --format=json
cp "$TMP/out" "$TMP/j1"
run "$V" -j 4 -r . -r . --format=json
if cmp -s "$TMP/j1" "$TMP/out"; then ok "-j 1 and -j 4 agree on data"; else
	not_ok "-j 1 and -j 4 differ on data"; fi

SAMPLES=${TTHC_SAMPLES:-$SRC/../../samples}
if [ -d "$SAMPLES" ] && [ -n "$(find "$SAMPLES" -name '*.xml' | head -1)" ]; then
	run "$V" -j 1 -v -r "$SAMPLES"
	if [ "$rc" -le 1 ]; then ok "-r samples: exit $rc"; else not_ok "-r samples: exit $rc"; fi
	cp "$TMP/out" "$TMP/s1"
	cp "$TMP/err" "$TMP/s1.err"
	run "$V" -j 4 -v -r "$SAMPLES"
	if cmp -s "$TMP/s1" "$TMP/out" && cmp -s "$TMP/s1.err" "$TMP/err"; then
		ok "-j 1 and -j 4 agree on samples"
	else
		not_ok "-j 1 and -j 4 differ on samples"
	fi
	run "$V" -j 3 --format=json -r "$SAMPLES"
	json_lines "-r samples json"
	n_xml=$(find "$SAMPLES" -name '*.xml' -type f | wc -l | tr -d ' ')
	n_sum=$(grep -c '"type":"file"' "$TMP/out")
	if [ "$n_xml" -eq "$n_sum" ]; then ok "-r samples: $n_xml summaries"; else
		not_ok "-r samples: $n_sum summaries for $n_xml files"; fi
	# samples/README.md: valid/ draws no error (-warn-RULE: that one warning), invalid/
	# breaks the rule its name starts with.
	if python3 -c '
import json, re, sys
files, rules = {}, {}
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o["type"] == "file":
        files[o["file"]] = o
    else:
        rules.setdefault(o["file"], []).append(o["rule"])
bad = []
for name, o in files.items():
    base = name.rsplit("/", 1)[-1]
    got = rules.get(name, [])
    m = re.match(r"(?:.*-warn-)?(tthc-[a-z0-9]+-[0-9]{3})", base)
    want = m.group(1).upper() if m else None
    if "/valid/" in name and (not o["valid"] or (want and got != [want]) or
                              (not want and got)):
        bad.append((name, got))
    if "/invalid/" in name and (o["valid"] or want not in got):
        bad.append((name, got))
for b in bad:
    print("    %s: %s" % b)
sys.exit(1 if bad else 0)
' "$TMP/out"; then
		ok "-r samples: every sample draws what its name says"
	else
		not_ok "-r samples: some samples do not draw what their name says"
	fi
	find "$SAMPLES" -name '*.xml' -type f -print0 >"$TMP/list0"
	run "$V" -j 2 -0 --files-from="$TMP/list0" --format=json
	json_lines "samples through --files-from -0"
else
	echo "SKIP - no samples in $SAMPLES yet"
fi

# ---- hostile input --------------------------------------------------------------------

for f in hostile/billion-laughs.xml hostile/xxe.xml hostile/xxe-parameter.xml; do
	run timeout 10 "$V" "$f"
	status "$f" 1
	has "$f" out "^$f:[0-9]+: error TTHC-XML-002: "
	hasnt "$f" out "root:|/bin/(ba)?sh|nologin"
	hasnt "$f" err "root:|/bin/(ba)?sh|nologin"
done

run timeout 10 "$V" --format=json hostile/xxe.xml
hasnt "xxe json" out "root:|nologin"

for f in hostile/truncated.xml hostile/binary.xml hostile/random.xml hostile/empty.xml; do
	run timeout 10 "$V" "$f"
	status "$f" 1
	has "$f" out "^$f:[0-9]+: error TTHC-XML-001: "
	empty "$f" err
done

run timeout 10 "$V" --format=json hostile/binary.xml hostile/random.xml
json_lines "binary input as json"

run timeout 60 "$V" -j 4 -r hostile
status "-r hostile -j 4" 1

# ---- messages in Vietnamese -----------------------------------------------------------

vi=$(locale -a 2>/dev/null | grep -Eix 'vi_VN\.utf-?8' | head -1)
mo=${TTHC_LOCALEDIR:-$CMD/../po}/vi/LC_MESSAGES/tthc.mo
if [ -z "$vi" ]; then
	echo "SKIP - locale vi_VN.UTF-8 is not installed"
elif [ ! -s "$mo" ] || ! grep -aq 'not a procedure of the catalogue' "$mo"; then
	echo "SKIP - the Vietnamese catalogue does not translate the message yet"
else
	LC_ALL=C "$V" invalid/ma-tthc-la.xml >"$TMP/en" 2>/dev/null
	run env LC_ALL="$vi" "$V" invalid/ma-tthc-la.xml
	status "vi_VN" 1
	has "vi_VN" out "^invalid/ma-tthc-la\.xml:[0-9]+: error TTHC-PROC-001: "
	if ! cmp -s "$TMP/en" "$TMP/out"; then ok "vi_VN: message translated"; else
		not_ok "vi_VN: message not translated"; fi
fi

# ---- dossiers whose tree would not fit in memory ---------------------------------------
# 30 MB, under the size limit, of empty elements or of elements with 64 attributes: libxml2
# would build a tree of some 2 GB. Refused as TTHC-XML-003 once the tree passes its budget,
# under 64 MiB in all. Peak memory means nothing under AddressSanitizer: there only the
# findings are checked.
case $(ldd "$V" 2>/dev/null) in
*libasan*) mem_measured=0 ;;
*) mem_measured=1 ;;
esac
[ -x /usr/bin/time ] || mem_measured=0
for shape in elements attributes; do
	python3 - "$TMP/$shape.xml" "$shape" <<'PY'
import sys
path, shape = sys.argv[1], sys.argv[2]
if shape == "elements":
    unit = b"<a/>"
else:
    unit = b"<a " + b" ".join(b'b%d=""' % i for i in range(64)) + b"/>\n"
with open(path, "wb") as f:
    f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<HoSo xmlns="urn:tthc:hoso:1">\n')
    f.write(unit * (30000000 // len(unit)))
    f.write(b"</HoSo>\n")
PY
	if [ "$mem_measured" = 1 ]; then
		run /usr/bin/time -f '%M' -o "$TMP/mem" "$V" "$TMP/$shape.xml"
	else
		run "$V" "$TMP/$shape.xml"
	fi
	status "tree budget, $shape" 1
	has "tree budget, $shape" out "$shape\.xml:0: error TTHC-XML-003: needs more than [0-9]+ MiB of memory to be checked: not read$"
	lines "tree budget, $shape" out 1
	empty "tree budget, $shape" err
	if [ "$mem_measured" = 0 ]; then
		echo "ok - tree budget, $shape: under 64 MiB # SKIP AddressSanitizer or no /usr/bin/time"
	elif [ "$(tail -n 1 "$TMP/mem")" -lt 65536 ]; then
		ok "tree budget, $shape: under 64 MiB ($(tail -n 1 "$TMP/mem") KiB)"
	else
		not_ok "tree budget, $shape: $(tail -n 1 "$TMP/mem") KiB, not under 64 MiB"
	fi
	rm -f "$TMP/$shape.xml"
done

summary
