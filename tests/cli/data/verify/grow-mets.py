#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes an unpacked bundle's representation METS list N more files, or replaces it.

usage: grow-mets.py ROOT N there|listed [REPLACEMENT]

ROOT is the package folder (<OBJID>/) made by mkbundle.py.  With "there" the N files are
written under representations/rep1/data/, with "listed" they are only listed (each one
then missing).  With REPLACEMENT, the representation METS becomes that file instead.  The
root METS is updated with the new METS's size and checksum, and ROOT.zip is written with
every entry stored.  Used by the CLI memory tests and by tests/bench/bench-verify.sh.
"""
import hashlib
import os
import sys
import zipfile


def main():
    root, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    replace = sys.argv[4] if len(sys.argv) > 4 else ""
    rep = os.path.join(root, "representations/rep1/METS.xml")
    old = open(rep, "rb").read()
    if replace:
        new = open(replace, "rb").read()
    else:
        files = []
        for i in range(n):
            body = b"%d\n" % i
            rel = "data/m%06d.txt" % i
            if mode == "there":
                with open(os.path.join(root, "representations/rep1", rel), "wb") as f:
                    f.write(body)
            files.append('<mets:file ID="m%06d" MIMETYPE="text/plain" SIZE="%d"'
                         ' CREATED="2024-01-02T03:04:05+07:00" CHECKSUM="%s"'
                         ' CHECKSUMTYPE="SHA-256">\n  <mets:FLocat LOCTYPE="URL"'
                         ' xlink:type="simple" xlink:href="%s"/>\n</mets:file>\n'
                         % (i, len(body), hashlib.sha256(body).hexdigest().upper(), rel))
        text = old.decode()
        at = text.index("</mets:fileGrp>")
        new = (text[:at] + "".join(files) + text[at:]).encode()
    open(rep, "wb").write(new)
    # The root METS lists the representation METS with its size and checksum.
    mets = os.path.join(root, "METS.xml")
    m = open(mets, encoding="utf-8").read()
    sha = hashlib.sha256(old).hexdigest().upper()
    at = m.index(sha)
    start, end = m.rindex("<", 0, at), m.index(">", at)
    tag = m[start:end].replace('SIZE="%d"' % len(old), 'SIZE="%d"' % len(new))
    m = m[:start] + tag.replace(sha, hashlib.sha256(new).hexdigest().upper()) + m[end:]
    open(mets, "w", encoding="utf-8").write(m)
    top = os.path.dirname(os.path.abspath(root))
    with zipfile.ZipFile(root + ".zip", "w", zipfile.ZIP_STORED) as z:
        for d, dirs, fs in os.walk(root):
            dirs.sort()
            for f in sorted(fs):
                z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f), top))


if __name__ == "__main__":
    main()
