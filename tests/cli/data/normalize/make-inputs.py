#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the legacy-encoded inputs of test-normalize.sh from prose.txt, independently of
# libtthc: iconv for VISCII, CP1258, TCVN 5712 and UTF-16; TCVN3 as iconv's TCVN 5712 of the
# text with its toned capitals lowered (TCVN3 fonts have no others); VNI and VIQR from the
# published byte values below.  VPS has no independent tool: it is written with libtthc's
# encoder (pass the build directory), and only read back here.
# Run once; the outputs are committed:  python3 make-inputs.py [BUILD_DIR]
import ctypes
import os
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = open(os.path.join(HERE, "prose.txt"), encoding="utf-8").read()
assert unicodedata.normalize("NFC", TEXT) == TEXT

TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # sắc huyền hỏi ngã nặng
MODS = {"\u0302": "circ", "\u0306": "breve", "\u031b": "horn"}


def split(ch):
    """A letter as (base, modifier, tone), or None when it is not a Vietnamese vowel / đ."""
    if ch in "đĐ":
        return ch, None, 0
    d = unicodedata.normalize("NFD", ch)
    base, marks = d[0], d[1:]
    if base.lower() not in "aeiouy" or not marks and ch == base:
        return (base, None, 0) if base.lower() in "aeiouy" else None
    mod, tone = None, 0
    for m in marks:
        if m in MODS:
            mod = MODS[m]
        elif m in TONES:
            tone = TONES[m]
        else:
            return None
    return base, mod, tone


def iconv(text, charset):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", charset], input=text.encode(),
                          check=True, capture_output=True).stdout


# VNI-Windows: tone marks ù ø û õ ï, circumflex â (+tone á à å ã ä), breve ê (+tone é è ú ü
# ë); ô ö ñ are ơ ư đ, í ì æ ó ò the toned i, î is ỵ; capitals' bytes are 0x20 lower.
VNI_MARK = {None: [None, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF],
            "circ": [0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4],
            "breve": [0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB]}
VNI_I = [None, 0xED, 0xEC, 0xE6, 0xF3, 0xF2]


def vni(text):
    out = bytearray()
    for ch in text:
        s = split(ch)
        if s is None or ch.isascii():
            out += ch.encode("cp1252")
            continue
        base, mod, tone = s
        up = base.isupper() or ch == "Đ"
        shift = 0x20 if up else 0
        if ch in "đĐ":
            out.append(0xF1 - shift)
        elif mod == "horn":
            out.append((0xF4 if base.lower() == "o" else 0xF6) - shift)
            if tone:
                out.append(VNI_MARK[None][tone] - shift)
        elif base.lower() == "i" and tone:
            out.append(VNI_I[tone] - shift)
        elif base.lower() == "y" and tone == 5:
            out.append(0xEE - shift)
        else:
            out += base.encode()
            mark = VNI_MARK[mod][tone]
            if mark:
                out.append(mark - shift)
    return bytes(out)


VIQR_TONE = ["", "'", "`", "?", "~", "."]
VIQR_MOD = {None: "", "circ": "^", "breve": "(", "horn": "+"}


def viqr(text):
    out, prev = [], None
    for ch in text:
        if ch in "'`?~.(^+" and prev is not None:
            out.append("\\" + ch)  # a literal mark after a letter it could join
            prev = None
            continue
        s = split(ch)
        if s is None:
            out.append(ch)
            prev = None
            continue
        base, mod, tone = s
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
        else:
            out.append(base + VIQR_MOD[mod] + VIQR_TONE[tone])
        prev = ch
    return "".join(out).encode("ascii")


def vps(text, build):
    lib = ctypes.CDLL(os.path.join(build, "lib", "libtthc.so"))
    out, n = ctypes.c_char_p(), ctypes.c_size_t()
    lib.tthc_vnenc_encode.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
                                      ctypes.POINTER(ctypes.c_char_p),
                                      ctypes.POINTER(ctypes.c_size_t)]
    raw = text.encode()
    assert lib.tthc_vnenc_encode(6, raw, len(raw), ctypes.byref(out), ctypes.byref(n)) == 0
    return ctypes.string_at(out, n.value)


def lowered_capitals(text):
    """TCVN3 keeps only Ă Â Đ Ê Ô Ơ Ư as capitals; other toned capitals become lower case."""
    return "".join(ch.lower() if ch.isupper() and not ch.isascii() and ch not in "ĂÂĐÊÔƠƯ"
                   else ch for ch in text)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


write("prose.viscii", iconv(TEXT, "VISCII"))
write("prose.cp1258", iconv(TEXT, "CP1258"))
write("prose.tcvn5712", iconv(TEXT, "TCVN5712-1"))
write("prose.utf16", iconv(TEXT, "UTF-16"))
write("prose.tcvn3", iconv(lowered_capitals(TEXT), "TCVN5712-1"))
write("prose.vni", vni(TEXT))
write("prose.viqr", viqr(TEXT))
write("prose.nfd", unicodedata.normalize("NFD", TEXT).encode())
if len(sys.argv) > 1:
    write("prose.vps", vps(TEXT, sys.argv[1]))

# A register typed in UTF-8 whose address column came from a TCVN3 program.
rows = [("STT", "Họ và tên", "Địa chỉ", "Ghi chú")]
people = [("Nguyễn Văn An", "thôn Đông, xã Tân Phú, huyện Đức Trọng", "đã nhận"),
          ("Trần Thị Bích", "số 12 phố \"Hàng Bạc\", quận Hoàn Kiếm", ""),
          ("Lê Hoàng Dũng", "xã Phước Thạnh, huyện Gò Dầu\ntỉnh Tây Ninh", "chờ bổ sung"),
          ("Phạm Thu Hà", "phường Bến Nghé, quận 1", "đã trả kết quả")]
for i in range(24):
    name, place, note = people[i % 4]
    rows.append((str(i + 1), name, place, note))


def field(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


utf8 = b"".join((",".join(field(c) for c in r) + "\r\n").encode() for r in rows)
mixed = bytearray()
for k, r in enumerate(rows):
    cells = [field(c).encode() for c in r]
    if k:
        cells[2] = iconv(field(r[2]), "TCVN5712-1")  # no toned capitals in the addresses
    mixed += b",".join(cells) + b"\r\n"
write("register.expected.csv", utf8)
write("register.csv", bytes(mixed))
