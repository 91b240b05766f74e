#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes hand-made E-ARK SIP bundles for the tthc-verify tests, independent of tthc-pack.

usage: mkbundle.py DOSSIER.xml OUTDIR [MUTATION]...

Makes OUTDIR/<OBJID>/ (the unpacked bundle, laid out as doc/BUNDLE.md says) and
OUTDIR/<OBJID>.zip from a sample dossier and the attachments beside it, then applies
the mutations, each named for what it breaks:

  sha512 md5         list the data files with that checksum type instead of SHA-256
  wrong-checksum     the first data file's CHECKSUM is off by one digit
  wrong-size         the first data file's SIZE is one more
  missing-file       the first data file is listed but not there
  extra-file         an unlisted file in the data folder
  objid              the root METS OBJID is not the folder name
  no-mets            no root METS.xml
  portal-mahoso      portal.json has another MaHoSo
  zip-evil           the ZIP also holds ../evil
  zip-absolute       the ZIP also holds /tmp/evil
  zip-symlink        the ZIP also holds a symbolic link
  zip-dup            the ZIP holds one name twice
  zip-case           the ZIP holds METS.xml and mets.xml
  zip-nfc            the ZIP holds a name in NFC and in NFD
  no-zip             make the folder only

and, for the CSIP and SIP requirements (tthc-bundle(5)):

  documentation      also documentation/manual.txt, its fileGrp and division (valid)
  schemas            also schemas/hoso.xsd, its fileGrp and division (valid)
  documentation-unlisted  documentation/manual.txt that no fileGrp lists
  schemas-unlisted   schemas/hoso.xsd that no fileGrp lists
  descriptive-unreferenced  metadata/descriptive/extra.xml that no dmdSec refers to
  premis-in-dmd      the PREMIS file referred to by a dmdSec, no amdSec
  premis-elsewhere   the PREMIS file in metadata/other/
  no-metadata-folder      the metadata folder is named md
  no-representations-folder  the representations folder is named reps
  file-in-representations  representations/readme.txt
  rep2-mets-only     representations/rep2/ with a METS.xml and no data folder
  rep2-data-only     representations/rep2/ with data and no METS.xml
  two-submitters     two agents ROLE="CREATOR" TYPE="ORGANIZATION"
  two-agreements     two altRecordID of each of SUBMISSIONAGREEMENT and REFERENCECODE
  dmd-no-mdref       a dmdSec without mdRef
  two-csip-structmaps  the CSIP structMap twice
  two-metadata-divs  two Metadata divisions
  two-mptr           the representation's division with two mptr
  rep-unpointed      representations/rep1/METS.xml pointed to by no division
  no-filesec         the package METS without its fileSec

A MUTATION "root:OLD=>NEW" or "rep:OLD=>NEW" replaces the first OLD in the package METS
or the representation METS by NEW (before the digests that cover it are computed); an
OLD that is not there is an error, so that a test cannot pass for the wrong reason. A
backslash and n in OLD or NEW stand for a newline.

Everything is deterministic: fixed times, sorted names.
"""
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import unicodedata
import warnings
import zipfile
import xml.etree.ElementTree as ET

NS = "{urn:tthc:hoso:1}"
CREATED = "2024-01-02T03:04:05+07:00"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP-v2-2-0.xml"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<mets:mets xmlns:mets="http://www.loc.gov/METS/"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS"'
        ' xmlns:sip="https://DILCIS.eu/XML/METS/SIPExtensionMETS"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


def digest(path, alg):
    h = hashlib.new(alg)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest().upper()


ALGS = {"SHA-256": "sha256", "SHA-512": "sha512", "MD5": "md5"}


def file_el(fid, root, rel, mime, alg="SHA-256", extra=""):
    path = os.path.join(root, rel)
    return ('      <mets:file ID="%s" MIMETYPE="%s" SIZE="%d" CREATED="%s" CHECKSUM="%s"'
            ' CHECKSUMTYPE="%s"%s>\n'
            '        <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="%s"/>\n'
            '      </mets:file>\n') % (fid, mime, os.path.getsize(path), CREATED,
                                      digest(path, ALGS[alg]), alg, extra, rel)


def mdref(root, rel, mdtype, mime, other=""):
    path = os.path.join(root, rel)
    o = ' OTHERMDTYPE="%s"' % other if other else ""
    return ('<mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="%s" MDTYPE="%s"%s'
            ' MIMETYPE="%s" SIZE="%d" CREATED="%s" CHECKSUM="%s" CHECKSUMTYPE="SHA-256"/>'
            % (rel, mdtype, o, mime, os.path.getsize(path), CREATED,
               digest(path, "sha256")))


def agents(hoso):
    cq = hoso.find(NS + "CoQuanTiepNhan")
    code = cq.findtext(NS + "MaDinhDanh")
    name = cq.findtext(NS + "TenCoQuan")
    return ('    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\n'
            '      <mets:name>mkbundle.py</mets:name>\n'
            '      <mets:note csip:NOTETYPE="SOFTWARE VERSION">1.0</mets:note>\n'
            '    </mets:agent>\n'
            '    <mets:agent ROLE="CREATOR" TYPE="ORGANIZATION">\n'
            '      <mets:name>%s</mets:name>\n'
            '      <mets:note csip:NOTETYPE="IDENTIFICATIONCODE">%s</mets:note>\n'
            '    </mets:agent>\n') % (name, code)


def edit(text, which, muts):
    """Applies the "which:OLD=>NEW" mutations to text."""
    for m in sorted(muts):
        if not m.startswith(which + ":"):
            continue
        old, sep, new = m[len(which) + 1:].replace("\\n", "\n").partition("=>")
        if not sep or old not in text:
            sys.exit("mkbundle.py: %r: no %r in the %s METS" % (m, old, which))
        text = text.replace(old, new, 1)
    return text


def rep_mets(root, rep, files, alg):
    body = "".join(file_el("file-%02d" % (i + 1), os.path.join(root, rep), rel,
                           "application/pdf", alg)
                   for i, rel in enumerate(files))
    fptrs = "".join('          <mets:fptr FILEID="file-%02d"/>\n' % (i + 1)
                    for i in range(len(files)))
    return (HEAD + ' OBJID="rep1" TYPE="Other" csip:OTHERTYPE="TTHC"'
            ' csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="TTHC"'
            ' PROFILE="%s">\n'
            '  <mets:metsHdr CREATEDATE="%s" csip:OAISPACKAGETYPE="SIP">\n'
            '    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">\n'
            '      <mets:name>mkbundle.py</mets:name>\n'
            '      <mets:note csip:NOTETYPE="SOFTWARE VERSION">1.0</mets:note>\n'
            '    </mets:agent>\n'
            '  </mets:metsHdr>\n'
            '  <mets:fileSec ID="filesec-rep1">\n'
            '    <mets:fileGrp ID="grp-data" USE="Data">\n%s    </mets:fileGrp>\n'
            '  </mets:fileSec>\n'
            '  <mets:structMap ID="sm-rep1" TYPE="PHYSICAL" LABEL="CSIP">\n'
            '    <mets:div ID="div-rep1" LABEL="rep1">\n'
            '      <mets:div ID="div-rep1-data" LABEL="Data">\n%s      </mets:div>\n'
            '    </mets:div>\n'
            '  </mets:structMap>\n'
            '</mets:mets>\n') % (CSIP_PROFILE, CREATED, body, fptrs)


def groups(root, muts):
    """The Documentation and Schemas file groups and their divisions, when asked for."""
    grps = divs = ""
    for name, use, rel, mime in (("documentation", "Documentation",
                                  "documentation/manual.txt", "text/plain"),
                                 ("schemas", "Schemas", "schemas/hoso.xsd",
                                  "application/xml")):
        if name in muts:
            grps += ('    <mets:fileGrp ID="grp-%s" USE="%s">\n%s    </mets:fileGrp>\n'
                     % (name, use, file_el("file-" + name, root, rel, mime)))
            divs += ('      <mets:div ID="div-%s" LABEL="%s">\n'
                     '        <mets:fptr FILEID="grp-%s"/>\n      </mets:div>\n'
                     % (name, use, name))
    return grps, divs


def root_mets(root, objid, hoso, md, reps, muts):
    premis = md + ("/other/premis.xml" if "premis-elsewhere" in muts
                   else "/preservation/premis.xml")
    grps, divs = groups(root, muts)
    if "premis-in-dmd" in muts:
        amd = ('  <mets:dmdSec ID="premis" CREATED="%s" STATUS="CURRENT">\n    %s\n'
               '  </mets:dmdSec>\n' % (CREATED, mdref(root, premis, "PREMIS",
                                                       "application/xml")))
        mddiv = 'DMDID="dmd-hoso dmd-portal premis"'
    else:
        amd = ('  <mets:amdSec>\n'
               '    <mets:digiprovMD ID="premis" STATUS="CURRENT">\n      %s\n'
               '    </mets:digiprovMD>\n'
               '  </mets:amdSec>\n' % mdref(root, premis, "PREMIS", "application/xml"))
        mddiv = 'DMDID="dmd-hoso dmd-portal" ADMID="premis"'
    return (HEAD + ' OBJID="%s" TYPE="Other" csip:OTHERTYPE="TTHC"'
            ' csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="TTHC"'
            ' PROFILE="%s">\n'
            '  <mets:metsHdr CREATEDATE="%s" csip:OAISPACKAGETYPE="SIP">\n%s'
            '  </mets:metsHdr>\n'
            '  <mets:dmdSec ID="dmd-hoso" CREATED="%s" STATUS="CURRENT">\n    %s\n'
            '  </mets:dmdSec>\n'
            '  <mets:dmdSec ID="dmd-portal" CREATED="%s" STATUS="CURRENT">\n    %s\n'
            '  </mets:dmdSec>\n%s'
            '  <mets:fileSec ID="filesec">\n%s'
            '    <mets:fileGrp ID="grp-rep1" USE="Representations/rep1"'
            ' csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="TTHC">\n%s'
            '    </mets:fileGrp>\n'
            '  </mets:fileSec>\n'
            '  <mets:structMap ID="sm" TYPE="PHYSICAL" LABEL="CSIP">\n'
            '    <mets:div ID="div-root" LABEL="%s">\n'
            '      <mets:div ID="div-md" LABEL="Metadata" %s/>\n%s'
            '      <mets:div ID="div-rep1" LABEL="Representations/rep1">\n'
            '        <mets:mptr LOCTYPE="URL" xlink:type="simple"'
            ' xlink:href="%s/rep1/METS.xml" xlink:title="grp-rep1"/>\n'
            '      </mets:div>\n'
            '    </mets:div>\n'
            '  </mets:structMap>\n'
            '</mets:mets>\n') % (
                objid, SIP_PROFILE, CREATED, agents(hoso), CREATED,
                mdref(root, md + "/descriptive/hoso.xml", "OTHER", "application/xml",
                      "TTHC-HOSO"),
                CREATED,
                mdref(root, md + "/other/portal.json", "OTHER", "application/json",
                      "TTHC-PORTAL-SYNC"),
                amd, grps,
                file_el("file-rep1-mets", root, reps + "/rep1/METS.xml",
                        "application/xml"),
                objid, mddiv, divs, reps)


# Named mutations that are one replacement in the package METS.
ROOT_EDITS = {
    "two-submitters": ('    </mets:agent>\n  </mets:metsHdr>',
                       '    </mets:agent>\n'
                       '    <mets:agent ROLE="CREATOR" TYPE="ORGANIZATION">\n'
                       '      <mets:name>Another agency</mets:name>\n'
                       '    </mets:agent>\n  </mets:metsHdr>'),
    "two-agreements": ('  </mets:metsHdr>',
                       '    <mets:altRecordID TYPE="SUBMISSIONAGREEMENT">SA-1</mets:altRecordID>\n'
                       '    <mets:altRecordID TYPE="SUBMISSIONAGREEMENT">SA-2</mets:altRecordID>\n'
                       '    <mets:altRecordID TYPE="REFERENCECODE">RC-1</mets:altRecordID>\n'
                       '    <mets:altRecordID TYPE="REFERENCECODE">RC-2</mets:altRecordID>\n'
                       '  </mets:metsHdr>'),
    "dmd-no-mdref": ('  <mets:fileSec',
                     '  <mets:dmdSec ID="dmd-empty" CREATED="%s" STATUS="SUPERSEDED"/>\n'
                     '  <mets:fileSec' % CREATED),
    "two-csip-structmaps": ('</mets:mets>',
                            '  <mets:structMap ID="sm2" TYPE="PHYSICAL" LABEL="CSIP">\n'
                            '    <mets:div ID="div-root2" LABEL="again"/>\n'
                            '  </mets:structMap>\n</mets:mets>'),
    "two-metadata-divs": ('      <mets:div ID="div-rep1"',
                          '      <mets:div ID="div-md2" LABEL="Metadata"/>\n'
                          '      <mets:div ID="div-rep1"'),
    "two-mptr": ('      </mets:div>\n    </mets:div>',
                 '        <mets:mptr LOCTYPE="URL" xlink:type="simple"'
                 ' xlink:href="representations/rep1/METS.xml" xlink:title="grp-rep1"/>\n'
                 '      </mets:div>\n    </mets:div>'),
    "rep-unpointed": ('      <mets:div ID="div-rep1" LABEL="Representations/rep1">\n'
                      '        <mets:mptr LOCTYPE="URL" xlink:type="simple"'
                      ' xlink:href="representations/rep1/METS.xml" xlink:title="grp-rep1"/>\n'
                      '      </mets:div>\n', ''),
}


def portal(hoso, paths):
    when = re.sub(r"[^0-9]", "", hoso.findtext(NS + "NgayTiepNhan"))[:14]
    items = [{"MaThanhPhanHoSo": t.findtext(NS + "MaThanhPhanHoSo"),
              "TenTepDinhKem": t.findtext(NS + "TenTepDinhKem"),
              "DuongDanTaiTepTin": p}
             for t, p in zip(hoso.find(NS + "TaiLieuNop").findall(NS + "TepDinhKem"), paths)]
    msg = {"MaHoSo": hoso.findtext(NS + "MaHoSo"), "MaTTHC": hoso.findtext(NS + "MaTTHC"),
           "NgayTiepNhan": when, "ChuHoSo": hoso.find(NS + "NguoiNop").findtext(NS + "HoTen"),
           "TaiLieuNop": items}
    return json.dumps(msg, ensure_ascii=False, indent=2) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build(dossier, out, muts):
    hoso = ET.parse(dossier).getroot()
    mahoso = hoso.findtext(NS + "MaHoSo")
    objid = re.sub(r"[^A-Za-z0-9._-]", "_", mahoso)
    root = os.path.join(out, objid)
    md = "md" if "no-metadata-folder" in muts else "metadata"
    reps = "reps" if "no-representations-folder" in muts else "representations"
    rep1 = reps + "/rep1"
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    os.makedirs(os.path.join(root, md, "descriptive"))
    shutil.copy(dossier, os.path.join(root, md, "descriptive/hoso.xml"))
    data = []
    for n, tep in enumerate(hoso.find(NS + "TaiLieuNop").findall(NS + "TepDinhKem"), 1):
        src = os.path.join(os.path.dirname(dossier), tep.findtext(NS + "DuongDan"))
        ext = os.path.splitext(src)[1].lower()
        rel = "data/%s.%02d%s" % (mahoso, n, ext)
        os.makedirs(os.path.join(root, rep1, "data"), exist_ok=True)
        shutil.copy(src, os.path.join(root, rep1, rel))
        data.append(rel)
    write(os.path.join(root, md, "other/portal.json"),
          portal(hoso, [rep1 + "/" + d for d in data]))
    write(os.path.join(root, md, "other/premis.xml" if "premis-elsewhere" in muts
                       else "preservation/premis.xml"),
          '<?xml version="1.0" encoding="UTF-8"?>\n'
          '<premis xmlns="http://www.loc.gov/premis/v3" version="3.0"/>\n')
    extras = {
        "documentation": "documentation/manual.txt",
        "documentation-unlisted": "documentation/manual.txt",
        "schemas": "schemas/hoso.xsd",
        "schemas-unlisted": "schemas/hoso.xsd",
        "descriptive-unreferenced": "metadata/descriptive/extra.xml",
        "file-in-representations": "representations/readme.txt",
        "rep2-data-only": "representations/rep2/data/notes.txt",
    }
    for m, rel in sorted(extras.items()):
        if m in muts:
            write(os.path.join(root, rel),
                  '<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>\n'
                  if rel.endswith((".xsd", ".xml")) else "Made for a test of tthc-verify.\n")
    alg = "SHA-512" if "sha512" in muts else "MD5" if "md5" in muts else "SHA-256"
    rep = edit(rep_mets(root, rep1, data, alg), "rep", muts)
    first = os.path.join(root, rep1, data[0])
    if "wrong-checksum" in muts:
        h = digest(first, ALGS[alg])
        rep = rep.replace(h, h[:-1] + ("0" if h[-1] != "0" else "1"), 1)
    if "wrong-size" in muts:
        size = os.path.getsize(first)
        rep = rep.replace('SIZE="%d"' % size, 'SIZE="%d"' % (size + 1), 1)
    write(os.path.join(root, rep1, "METS.xml"), rep)
    if "rep2-mets-only" in muts:
        write(os.path.join(root, "representations/rep2/METS.xml"), rep)
    if "portal-mahoso" in muts:
        p = os.path.join(root, md, "other/portal.json")
        with open(p, encoding="utf-8") as f:
            text = f.read()
        write(p, text.replace(mahoso, mahoso + "9", 1))
        # The root METS is written after this, so its checksum of portal.json holds.
    mets = root_mets(root, objid + ("-x" if "objid" in muts else ""), hoso, md, reps,
                     muts)
    for m, (old, new) in sorted(ROOT_EDITS.items()):
        if m in muts:
            mets = edit(mets, "root", {"root:%s=>%s" % (old, new)})
    if "no-filesec" in muts:
        mets = re.sub(r"  <mets:fileSec.*?</mets:fileSec>\n", "", mets, flags=re.S)
    mets = edit(mets, "root", muts)
    write(os.path.join(root, "METS.xml"), mets)
    if "missing-file" in muts:
        os.unlink(first)
    if "extra-file" in muts:
        write(os.path.join(root, rep1, "data/extra.txt"), "not listed\n")
    if "no-mets" in muts:
        os.unlink(os.path.join(root, "METS.xml"))
    if "no-zip" not in muts:
        make_zip(out, root, objid, muts)
    return objid


def zinfo(name, mode=0o100644):
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 5))
    info.create_system = 3
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_zip(out, root, objid, muts):
    names = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(d, f)
            names.append((os.path.relpath(full, out).replace(os.sep, "/"), full))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(os.path.join(out, objid + ".zip"), "w") as z:
            for name, full in names:
                with open(full, "rb") as f:
                    z.writestr(zinfo(name), f.read())
            extra = {"zip-evil": objid + "/../evil", "zip-absolute": "/tmp/evil",
                     "zip-dup": names[0][0], "zip-case": objid + "/mets.xml",
                     "zip-nfc": objid + "/" + unicodedata.normalize("NFD", "Hồ sơ.txt")}
            for m, name in sorted(extra.items()):
                if m in muts:
                    z.writestr(zinfo(name), b"evil\n")
            if "zip-nfc" in muts:
                z.writestr(zinfo(objid + "/Hồ sơ.txt"), b"evil\n")
            if "zip-symlink" in muts:
                z.writestr(zinfo(objid + "/link", stat.S_IFLNK | 0o777), b"/etc/passwd")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    print(build(sys.argv[1], sys.argv[2], set(sys.argv[3:])))
