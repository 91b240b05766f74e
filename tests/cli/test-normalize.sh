#!/bin/sh
# SPDX-License-Identifier: MIT
# Black-box tests of tthc-normalize: exit status, stdout and stderr checked apart, goldens by diff.
#
# usage: test-normalize.sh BUILD_CMD_DIR CLI_SRC_DIR
# TTHC_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing (read them after!).
set -u

CMD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$SRC/harness.sh"
N=$CMD/tthc-normalize
V=$CMD/tthc-validate
DATA=$SRC/data/normalize
SAMPLES=${TTHC_SAMPLES:-$SRC/../../samples}

# Names in messages are relative to the data directory, as the goldens hold them.
cd "$DATA" || exit 1

# same NAME FILE1 FILE2: the two files are byte for byte the same.
same() {
	if cmp -s "$2" "$3"; then ok "$1: $(basename "$2") = $(basename "$3")"; else
		not_ok "$1: $2 and $3 differ"
		cmp "$2" "$3" 2>&1 | sed 's/^/    /'
	fi
}

# no_temp NAME DIR: no temporary file of ours (.tthc-XXXXXX, formerly .NAME.tthc-XXXXXX)
# was left in DIR.
no_temp() {
	left=$(find "$2" -name '.*tthc-*' | head -3)
	if [ -z "$left" ]; then ok "$1: no temporary file left"; else
		not_ok "$1: temporary files left: $left"; fi
}

# ---- usage ----------------------------------------------------------------------------

run "$N" --help
status "--help" 0
golden "--help" out normalize-help.out
empty "--help" err

run "$N" --no-such-option dossier/ks-legacy.xml
status "bad option" 2
empty "bad option" out
golden "bad option" err normalize-bad-option.err

run "$N" --version
status "--version" 0
has "--version" out "^tthc-normalize [0-9]+\.[0-9]+\.[0-9]+$"
has "--version" out "^libtthc [0-9]"

usage_case() { # NAME ARGS...: a usage error, one line then the synopsis
	name=$1
	shift
	run "$N" "$@"
	status "$name" 2
	has "$name" err "^tthc-normalize: "
	has "$name" err "^usage: tthc-normalize "
	empty "$name" out
}
usage_case "no operands in dossier mode"
usage_case "several files, no -o" dossier/ks-legacy.xml dossier/ks-unreadable-date.xml
usage_case "-i on standard input" -i -
usage_case "--backup without -i" --backup=.bak dossier/ks-legacy.xml
usage_case "--check with -o" --check -o "$TMP/x" dossier/ks-legacy.xml
usage_case "--check with -i" --check -i dossier/ks-legacy.xml
usage_case "--diff with --check" --diff --check dossier/ks-legacy.xml
usage_case "--from without --text" --from=vni prose.vni
usage_case "--name-case with --text" --text --name-case=upper prose.txt
usage_case "bad --from" --text --from=latin1 prose.txt
usage_case "bad --tone-style" --text --tone-style=modern prose.txt
usage_case "bad --name-case" --name-case=lower dossier/ks-legacy.xml
usage_case "bad --admin" --admin=2024 dossier/ks-legacy.xml
usage_case "-j 0" -j 0 dossier/ks-legacy.xml
usage_case "-o and -i" -i -o "$TMP/x" dossier/ks-legacy.xml
usage_case "--detect with -o" --text --detect -o "$TMP/x" prose.txt
usage_case "standard input twice" --text - -
mkdir "$TMP/a" "$TMP/b"
cp dossier/ks-legacy.xml "$TMP/a/"
cp dossier/ks-legacy.xml "$TMP/b/"
usage_case "-o DIR, two inputs with one name" -o "$TMP" "$TMP/a/ks-legacy.xml" \
	"$TMP/b/ks-legacy.xml"

# ---- text mode: every encoding ----------------------------------------------------------

for enc in tcvn3 vni viscii vps cp1258 viqr tcvn5712 utf16 nfd; do
	run "$N" --text "prose.$enc"
	status "--text prose.$enc" 0
	empty "--text prose.$enc" err
	same "--text prose.$enc" "$TMP/out" prose.txt
	case $enc in
	utf16) from=utf-16 ;;
	nfd) from=utf-8 ;;
	*) from=$enc ;;
	esac
	run "$N" --text --from="$from" - <"prose.$enc"
	status "--text --from=$from, standard input" 0
	same "--text --from=$from, standard input" "$TMP/out" prose.txt
done

run "$N" --text prose.txt
same "UTF-8 NFC is left byte for byte" "$TMP/out" prose.txt
printf 'plain ASCII, 1.5 < 2; "quoted"? ok.\r\nline two\ttab\n' >"$TMP/ascii.txt"
run "$N" --text "$TMP/ascii.txt"
status "ASCII" 0
same "ASCII is left byte for byte" "$TMP/out" "$TMP/ascii.txt"
run "$N" --text register.expected.csv
same "a UTF-8 CSV is left byte for byte" "$TMP/out" register.expected.csv

run "$N" --text prose.vni prose.tcvn3
status "two inputs to standard output" 0
cat prose.txt prose.txt >"$TMP/twice"
same "two inputs to standard output" "$TMP/out" "$TMP/twice"

# ---- text mode: detection and CSV -------------------------------------------------------

run "$N" --text --detect prose.txt prose.tcvn3 prose.vni prose.viscii prose.vps prose.cp1258 \
	prose.viqr prose.tcvn5712 prose.utf16 register.csv register.expected.csv
status "--detect" 0
golden "--detect" out normalize-detect.out
empty "--detect" err

run "$N" --text register.csv
status "CSV with a TCVN3 column" 0
same "CSV with a TCVN3 column" "$TMP/out" register.expected.csv
run "$N" --text --csv - <register.csv
status "--csv on standard input" 0
same "--csv on standard input" "$TMP/out" register.expected.csv
cp register.csv "$TMP/register.txt"
run "$N" --text --csv --detect "$TMP/register.txt"
has "--csv without the suffix" out ": column 3: tcvn3 "

# ---- text mode: where the output goes ----------------------------------------------------

mkdir "$TMP/t"
run "$N" --text -o "$TMP/t/out.txt" prose.vni
status "-o FILE" 0
same "-o FILE" "$TMP/t/out.txt" prose.txt
empty "-o FILE" out
no_temp "-o FILE" "$TMP/t"

cp prose.vni "$TMP/t/in.txt"
chmod 640 "$TMP/t/in.txt"
run "$N" --text -i --backup=.orig "$TMP/t/in.txt"
status "-i --backup" 0
same "-i --backup: converted" "$TMP/t/in.txt" prose.txt
same "-i --backup: the original kept" "$TMP/t/in.txt.orig" prose.vni
if [ "$(stat -c %a "$TMP/t/in.txt")" = 640 ]; then ok "-i keeps the mode"; else
	not_ok "-i changed the mode to $(stat -c %a "$TMP/t/in.txt")"; fi
no_temp "-i --backup" "$TMP/t"

cp prose.viscii "$TMP/t/target.txt"
ln -s target.txt "$TMP/t/link.txt"
run "$N" --text -i "$TMP/t/link.txt"
status "-i through a symbolic link" 0
if [ -L "$TMP/t/link.txt" ]; then ok "-i: the link stays a link"; else
	not_ok "-i: the link was replaced by a file"; fi
same "-i through a symbolic link: its target converted" "$TMP/t/target.txt" prose.txt

cp prose.tcvn3 "$TMP/t/bad.txt"
run "$N" --text --from=utf-8 -i "$TMP/t/bad.txt"
status "-i, input not in the encoding" 1
lines "-i, input not in the encoding" err 1
has "-i, input not in the encoding" err "^tthc-normalize: .*/bad\.txt: not valid utf-8 at byte [0-9]+$"
same "-i, input not in the encoding: original untouched" "$TMP/t/bad.txt" prose.tcvn3
no_temp "-i, input not in the encoding" "$TMP/t"

run "$N" --text --from=utf-8 -o "$TMP/t/never.txt" prose.txt prose.tcvn3
status "-o FILE, second input bad" 1
if [ ! -e "$TMP/t/never.txt" ]; then ok "-o FILE, second input bad: no output file"; else
	not_ok "-o FILE, second input bad: output file written"; fi
no_temp "-o FILE, second input bad" "$TMP/t"

# A file that is already UTF-8 NFC is left alone: a second run keeps the first's backup.
run "$N" --text -i --backup=.orig "$TMP/t/in.txt"
status "-i --backup, run again" 0
same "-i --backup, run again: the backup still the original" "$TMP/t/in.txt.orig" prose.vni
same "-i --backup, run again: unchanged" "$TMP/t/in.txt" prose.txt

# The same file named twice, or through a link: converted once, the backup the original.
mkdir "$TMP/dup"
cp prose.tcvn3 "$TMP/dup/a.txt"
ln -s a.txt "$TMP/dup/link.txt"
run "$N" --text -i --backup=.orig "$TMP/dup/a.txt" "$TMP/dup/a.txt" "$TMP/dup/link.txt"
status "-i --backup, one file named three times" 0
empty "-i --backup, one file named three times" err
same "-i --backup, one file named three times: converted" "$TMP/dup/a.txt" prose.txt
same "-i --backup, one file named three times: the backup is the original" \
	"$TMP/dup/a.txt.orig" prose.tcvn3
no_temp "-i --backup, one file named three times" "$TMP/dup"

# A backup this run made, named as an operand too, is not converted over.
cp prose.tcvn3 "$TMP/dup/b.txt"
run "$N" --text -i --backup=.orig "$TMP/dup/b.txt" "$TMP/dup/b.txt.orig"
status "-i --backup, the new backup named too" 2
lines "-i --backup, the new backup named too" err 1
has "-i --backup, the new backup named too" err "^tthc-normalize: .*/b\.txt\.orig: left as it is: "
same "-i --backup, the new backup named too: kept" "$TMP/dup/b.txt.orig" prose.tcvn3
same "-i --backup, the new backup named too: converted" "$TMP/dup/b.txt" prose.txt

# A base name of 250 bytes: the temporary name must not be longer than NAME_MAX.
long=$(printf '%0250d' 0 | tr 0 n)
cp prose.vni "$TMP/t/$long"
run "$N" --text -i "$TMP/t/$long"
status "-i, a 250-byte name" 0
empty "-i, a 250-byte name" err
same "-i, a 250-byte name" "$TMP/t/$long" prose.txt
rm "$TMP/t/$long"

# A FIFO (or a device: -o /dev/null) is written to, not replaced by a file.
mkfifo "$TMP/t/fifo"
timeout 20 cat "$TMP/t/fifo" >"$TMP/t/from-fifo" &
reader=$!
run timeout 20 "$N" --text -o "$TMP/t/fifo" prose.vni
status "-o FIFO" 0
if [ -p "$TMP/t/fifo" ]; then ok "-o FIFO: still a FIFO"; else
	not_ok "-o FIFO: replaced by a file"
	timeout 5 sh -c ": >\"\$1\"" sh "$TMP/t/fifo" 2>/dev/null # let the reader go
fi
wait "$reader"
same "-o FIFO: the reader got the text" "$TMP/t/from-fifo" prose.txt
rm "$TMP/t/fifo"

# -o through a symbolic link writes what it points to: the link stays (as -i does).
: >"$TMP/t/pointed.txt"
ln -s pointed.txt "$TMP/t/olink.txt"
run "$N" --text -o "$TMP/t/olink.txt" prose.vni
status "-o through a symbolic link" 0
if [ -L "$TMP/t/olink.txt" ]; then ok "-o: the link stays a link"; else
	not_ok "-o: the link was replaced by a file"; fi
same "-o through a symbolic link: its target written" "$TMP/t/pointed.txt" prose.txt

# Killed while writing (SIGTERM): the target as it was, no temporary file.  The temporary
# has no name while it is written where the file system allows (O_TMPFILE); a named one
# is removed by the signal handler.
mkdir "$TMP/k"
line=$(sed -n 4p prose.tcvn3)
yes "$line" | head -c 200000000 >"$TMP/k/big.txt"
"$N" --text -i "$TMP/k/big.txt" 2>"$TMP/err" &
pid=$!
sleep 0.2
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 143 ]; then
	ok "SIGTERM during -i: killed"
	if yes "$line" | head -c 200000000 | cmp -s - "$TMP/k/big.txt"; then
		ok "SIGTERM during -i: the target untouched"
	else
		not_ok "SIGTERM during -i: the target changed"
	fi
	no_temp "SIGTERM during -i" "$TMP/k"
else
	echo "SKIP - SIGTERM during -i: the run ended (exit $rc) before the signal"
fi
rm -rf "$TMP/k"

run "$N" --text missing.txt prose.vni
status "missing input" 2
lines "missing input" err 1
has "missing input" err "^tthc-normalize: missing\.txt: No such file or directory$"
same "missing input: the next one converted" "$TMP/out" prose.txt

printf 'Hòa bình, thủy lợi, KHỎE.\n' >"$TMP/old.txt"
run "$N" --text --tone-style=new "$TMP/old.txt"
has "--tone-style=new" out "^Hoà bình, thuỷ lợi, KHOẺ\.$"
cp "$TMP/out" "$TMP/new.txt"
run "$N" --text --tone-style=old - <"$TMP/new.txt"
has "--tone-style=old" out "^Hòa bình, thủy lợi, KHỎE\.$"

# ---- dossier mode -----------------------------------------------------------------------

cd "$DATA/dossier" || exit 1

run "$N" ks-legacy.xml
status "one dossier to standard output" 0
empty "one dossier to standard output" err
cp "$TMP/out" "$TMP/legacy.out.xml"
(cd "$DATA/dossier" && "$V" - <"$TMP/legacy.out.xml" >"$TMP/out" 2>"$TMP/err")
rc=$?
status "the normalised legacy dossier validates" 0
run "$N" --check - <"$TMP/legacy.out.xml"
status "normalising twice changes nothing" 0
empty "normalising twice changes nothing" out

run "$N" --diff ks-legacy.xml
status "--diff" 0
golden "--diff" out normalize-diff.out
empty "--diff" err

run "$N" --format=json ks-legacy.xml ks-unreadable-date.xml
status "--format=json with a value kept" 1
empty "--format=json with a value kept" err
if python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert objs, "no changes"
for o in objs:
    assert list(o) == ["file", "line", "path", "old", "new", "rule"], list(o)
    assert isinstance(o["line"], int) and o["line"] > 0, o
    assert o["path"].startswith("/HoSo/"), o
files = [o["file"] for o in objs]
assert files == sorted(files, key=["ks-legacy.xml", "ks-unreadable-date.xml"].index), files
kept = [o for o in objs if o["new"] is None]
assert [o["rule"] for o in kept] == ["date"], kept
assert kept[0]["old"] == "mùa xuân năm Nhâm Dần", kept
assert any(o["rule"] == "idnum" and o["new"] == "001199867241" for o in objs), objs
' "$TMP/out" 2>"$TMP/pyerr"; then
	ok "--format=json: one object per change, keys in order, the kept value with null"
else
	not_ok "--format=json: $(tail -1 "$TMP/pyerr")"
fi

run "$N" ks-unreadable-date.xml
status "a value that cannot be normalised" 1
lines "a value that cannot be normalised" err 1
has "a value that cannot be normalised" err "^tthc-normalize: ks-unreadable-date\.xml:[0-9]+: /HoSo/ToKhaiKhaiSinh/NguoiDuocKhaiSinh/NgaySinh: .*'mùa xuân năm Nhâm Dần'$"
has "a value that cannot be normalised: kept" out "<NgaySinh>mùa xuân năm Nhâm Dần</NgaySinh>"

run "$N" --check ks-legacy.xml "$SAMPLES/khai-sinh/valid/ks-01.xml"
status "--check" 1
lines "--check" out 1
has "--check" out "^ks-legacy\.xml$"

mkdir "$TMP/d"
run "$N" -o "$TMP/d" -j 2 ks-legacy.xml ks-unreadable-date.xml
status "-o DIR" 1
empty "-o DIR" out
if [ -s "$TMP/d/ks-legacy.xml" ] && [ -s "$TMP/d/ks-unreadable-date.xml" ]; then
	ok "-o DIR: both written"
else
	not_ok "-o DIR: files missing: $(ls "$TMP/d")"
fi
same "-o DIR: the same bytes as standard output" "$TMP/d/ks-legacy.xml" "$TMP/legacy.out.xml"
no_temp "-o DIR" "$TMP/d"
run "$N" --check "$TMP/d/ks-legacy.xml" "$TMP/d/ks-unreadable-date.xml"
status "--check after -o DIR" 1
empty "--check after -o DIR: nothing would change" out

run "$N" -o "$TMP/d/one.xml" ks-legacy.xml
status "-o FILE" 0
same "-o FILE" "$TMP/d/one.xml" "$TMP/legacy.out.xml"

mkdir "$TMP/i"
cp ks-legacy.xml "$TMP/i/"
chmod 604 "$TMP/i/ks-legacy.xml"
run "$N" -i --backup=~ "$TMP/i/ks-legacy.xml"
status "-i --backup" 0
same "-i --backup: replaced" "$TMP/i/ks-legacy.xml" "$TMP/legacy.out.xml"
same "-i --backup: original kept" "$TMP/i/ks-legacy.xml~" ks-legacy.xml
if [ "$(stat -c %a "$TMP/i/ks-legacy.xml")" = 604 ]; then ok "-i keeps the mode"; else
	not_ok "-i changed the mode to $(stat -c %a "$TMP/i/ks-legacy.xml")"; fi
no_temp "-i --backup" "$TMP/i"
rm "$TMP/i/ks-legacy.xml~"
run "$N" -i --backup=~ "$TMP/i/ks-legacy.xml"
status "-i on a canonical file" 0
if [ ! -e "$TMP/i/ks-legacy.xml~" ]; then ok "-i on a canonical file: not rewritten"; else
	not_ok "-i on a canonical file: rewritten"; fi

# The same dossier named twice and through a symbolic link, with -j 2: rewritten once.
mkdir "$TMP/dup2"
cp ks-legacy.xml "$TMP/dup2/m.xml"
ln -s m.xml "$TMP/dup2/link.xml"
run "$N" -j 2 -i --backup=.orig "$TMP/dup2/m.xml" "$TMP/dup2/m.xml" "$TMP/dup2/link.xml"
status "dossier -i --backup, named three times" 0
empty "dossier -i --backup, named three times" err
same "dossier -i --backup, named three times: replaced" "$TMP/dup2/m.xml" \
	"$TMP/legacy.out.xml"
same "dossier -i --backup, named three times: the backup is the original" \
	"$TMP/dup2/m.xml.orig" ks-legacy.xml
if [ -L "$TMP/dup2/link.xml" ]; then ok "dossier -i: the link stays a link"; else
	not_ok "dossier -i: the link was replaced"; fi

# A dossier over the size limit: one line naming it, exit 1, the others done (-j 4).
mkdir "$TMP/big"
yes '<!-- padding -->' | head -c 200000 >"$TMP/big/big.xml"
cp ks-legacy.xml ks-unreadable-date.xml "$TMP/big/"
(cd "$TMP/big" && "$N" --check --max-size=100000 -j 4 ks-legacy.xml big.xml \
	ks-unreadable-date.xml >"$TMP/out" 2>"$TMP/err")
rc=$?
status "a dossier over --max-size" 1
lines "a dossier over --max-size" err 2
has "a dossier over --max-size" err "^tthc-normalize: big\.xml: input exceeds the size limit$"
has "a dossier over --max-size: the next one done" err "^tthc-normalize: ks-unreadable-date\.xml:"
has "a dossier over --max-size: the one before done" out "^ks-legacy\.xml$"
# Over the default limit (32 MiB): a buffer large enough to be mapped.
yes '<!-- padding -->' | head -c 34000000 >"$TMP/big/big.xml"
(cd "$TMP/big" && "$N" big.xml >"$TMP/out" 2>"$TMP/err")
rc=$?
status "a dossier over 32 MiB" 1
lines "a dossier over 32 MiB" err 1
has "a dossier over 32 MiB" err "^tthc-normalize: big\.xml: input exceeds the size limit$"
empty "a dossier over 32 MiB" out
rm -rf "$TMP/big"

# --diff of a name with a space: the labels end in a tab, as GNU diff writes them, so that
# patch(1) finds the file.
if command -v patch >/dev/null 2>&1; then
	mkdir -p "$TMP/sp/q"
	cp ks-legacy.xml "$TMP/sp/with space.xml"
	cp ks-legacy.xml "$TMP/sp/q/with space.xml"
	(cd "$TMP/sp" && "$N" --diff "with space.xml" >"$TMP/sp/x.diff" 2>"$TMP/err")
	rc=$?
	status "--diff, a name with a space" 0
	(cd "$TMP/sp/q" && patch -s -p1 <../x.diff >"$TMP/out" 2>&1)
	rc=$?
	status "--diff, a name with a space: patch -p1 applies it" 0
	same "--diff, a name with a space: patched" "$TMP/sp/q/with space.xml" \
		"$TMP/legacy.out.xml"
else
	echo "SKIP - --diff with patch(1): no patch"
fi

# -o DIR/ that does not exist: refused once, naming it as given, and not created.
run "$N" -o "$TMP/nodir/" ks-legacy.xml ks-unreadable-date.xml
status "-o DIR/ that does not exist" 2
lines "-o DIR/ that does not exist" err 1
has "-o DIR/ that does not exist" err "^tthc-normalize: .*/nodir/: cannot write into this directory: No such file or directory$"
hasnt "-o DIR/ that does not exist" err "//"
if [ ! -e "$TMP/nodir" ]; then ok "-o DIR/ that does not exist: not created"; else
	not_ok "-o DIR/ that does not exist: created"; fi
run "$N" -o "$TMP/d/" ks-legacy.xml
status "-o DIR/ that exists" 0
same "-o DIR/ that exists" "$TMP/d/ks-legacy.xml" "$TMP/legacy.out.xml"

# A dossier with a 250-byte base name, in place.
long=$(printf '%0246d' 0 | tr 0 n).xml
mkdir "$TMP/long"
cp ks-legacy.xml "$TMP/long/$long"
run "$N" -i "$TMP/long/$long"
status "dossier -i, a 250-byte name" 0
same "dossier -i, a 250-byte name" "$TMP/long/$long" "$TMP/legacy.out.xml"
no_temp "dossier -i, a 250-byte name" "$TMP/long"

run "$N" missing.xml
status "missing dossier" 2
lines "missing dossier" err 1
has "missing dossier" err "^tthc-normalize: missing\.xml: No such file or directory$"

# A failure while writing leaves the target as it was and no temporary file.
mkdir -p "$TMP/w/ks-legacy.xml"
run "$N" -o "$TMP/w" ks-legacy.xml
status "-o DIR where a directory is in the way" 2
lines "-o DIR where a directory is in the way" err 1
has "-o DIR where a directory is in the way" err "^tthc-normalize: ks-legacy\.xml: cannot write "
no_temp "-o DIR where a directory is in the way" "$TMP/w"

if [ "$(id -u)" -ne 0 ]; then
	mkdir "$TMP/ro"
	cp ks-legacy.xml "$TMP/ro/"
	chmod 555 "$TMP/ro"
	run "$N" -i "$TMP/ro/ks-legacy.xml"
	status "-i in a read-only directory" 2
	lines "-i in a read-only directory" err 1
	same "-i in a read-only directory: untouched" "$TMP/ro/ks-legacy.xml" ks-legacy.xml
	no_temp "-i in a read-only directory" "$TMP/ro"
	run "$N" --text -o "$TMP/ro/new.txt" "$DATA/prose.vni"
	status "--text -o into a read-only directory" 2
	if [ ! -e "$TMP/ro/new.txt" ]; then ok "--text -o read-only: nothing written"; else
		not_ok "--text -o read-only: a file was written"; fi
	chmod 755 "$TMP/ro"
else
	echo "SKIP - read-only directories: running as root, permissions are not enforced"
fi

# The migration example of the man page: a copy, attachments and all, normalised in place,
# validates (-o DIR would leave the attachments behind: TTHC-FILE-002).
if [ -d "$SAMPLES/khai-sinh/valid" ]; then
	cp -R "$SAMPLES/khai-sinh/valid" "$TMP/moi"
	run "$N" --admin=2025 -i "$TMP/moi"/*.xml
	status "the migration example: normalised in place" 0
	run "$V" -r "$TMP/moi"
	status "the migration example: the copy validates" 0
fi

# ---- hostile input ------------------------------------------------------------------------

HOSTILE=$SRC/data/hostile
mkdir "$TMP/h" "$TMP/hi"
for f in "$HOSTILE"/*.xml; do
	name=$(basename "$f")
	run timeout 20 "$N" -o "$TMP/h" "$f"
	if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then ok "hostile $name: exit $rc"; else
		not_ok "hostile $name: exit $rc"; fi
	lines "hostile $name" err 1
	has "hostile $name" err "^tthc-normalize: [^ ]*$name:([0-9]+:)? "
	empty "hostile $name" out
	if [ ! -e "$TMP/h/$name" ]; then ok "hostile $name: no output file"; else
		not_ok "hostile $name: an output file was written"; fi
	cp "$f" "$TMP/hi/$name"
	run timeout 20 "$N" -i "$TMP/hi/$name"
	same "hostile $name -i: untouched" "$TMP/hi/$name" "$f"
done
no_temp "hostile" "$TMP/h"
no_temp "hostile -i" "$TMP/hi"

# ---- the samples: each normalises, validates, and normalises to itself -------------------

n=0
bad=""
for f in "$SAMPLES"/*/valid/*.xml; do
	dir=$(dirname "$f")
	n=$((n + 1))
	if ! "$N" "$f" >"$TMP/s.xml" 2>"$TMP/err"; then
		bad="$bad $f(normalize)"
		continue
	fi
	if ! (cd "$dir" && "$V" -q --strict - <"$TMP/s.xml" >/dev/null 2>&1); then
		# Warnings in the samples are expected by name (-warn-RULE): judge without --strict.
		if ! (cd "$dir" && "$V" -q - <"$TMP/s.xml" >/dev/null 2>&1); then
			bad="$bad $f(validate)"
			continue
		fi
	fi
	if ! "$N" --check - <"$TMP/s.xml" >/dev/null 2>&1; then
		bad="$bad $f(idempotent)"
	fi
done
if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
	ok "samples: $n valid dossiers normalise, validate and are fixed points"
else
	not_ok "samples ($n):$bad"
fi

run "$N" -j 1 --format=json "$SAMPLES"/*/valid/*.xml "$SAMPLES"/*/invalid/*.xml
cp "$TMP/out" "$TMP/j1"
run "$N" -j 4 --format=json "$SAMPLES"/*/valid/*.xml "$SAMPLES"/*/invalid/*.xml
if cmp -s "$TMP/j1" "$TMP/out"; then ok "-j 1 and -j 4 agree on the samples"; else
	not_ok "-j 1 and -j 4 differ on the samples"; fi

summary
