#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes synthetic, rule-abiding TTHC dossiers with real PDF attachments (benchmark corpus, samples/).
"""Synthetic TTHC dossiers.

  gen-corpus.py --count N --out DIR [--seed S]   N dossiers round-robin over the six procedures,
                                                 in DIR/<procedure-slug>/, attachments beside them
  gen-corpus.py --samples DIR                    the curated samples (valid, warning, invalid)
  gen-corpus.py --self-check DIR                 re-read dossiers and re-check the invariants

Everything is deterministic: the same arguments give byte-identical files.
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import struct
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zlib

NS = "urn:tthc:hoso:1"
SLUGS = ["khai-sinh", "khai-tu", "ket-hon", "lien-thong-khai-sinh", "lien-thong-khai-tu",
         "ly-lich-tu-phap"]
PREFIX = {"khai-sinh": "ks", "khai-tu": "kt", "ket-hon": "kh", "lien-thong-khai-sinh": "ltks",
          "lien-thong-khai-tu": "ltkt", "ly-lich-tu-phap": "lltp"}
MATTHC = {"khai-sinh": "1.001193", "khai-tu": "1.000656", "ket-hon": "1.000894",
          "lien-thong-khai-sinh": "3.000722", "lien-thong-khai-tu": "2.002913",
          "ly-lich-tu-phap": "3.000333"}
FORM = {"khai-sinh": "ToKhaiKhaiSinh", "khai-tu": "ToKhaiKhaiTu", "ket-hon": "ToKhaiKetHon",
        "lien-thong-khai-sinh": "ToKhaiLienThongKhaiSinh",
        "lien-thong-khai-tu": "ToKhaiLienThongKhaiTu", "ly-lich-tu-phap": "ToKhaiLyLichTuPhap"}
TITLE = {"khai-sinh": "khai sinh", "khai-tu": "khai tử", "ket-hon": "kết hôn",
         "lien-thong-khai-sinh": "liên thông khai sinh",
         "lien-thong-khai-tu": "liên thông khai tử", "ly-lich-tu-phap": "lý lịch tư pháp"}

# ---------------------------------------------------------------- reference data

# Province prefixes of the personal number (shared/DOMAIN.md §3.4).
PROVINCES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
PROV_CODES = sorted(PROVINCES)

# The five provinces whose agency letter we know (DOMAIN §3.1): districts with communes and
# streets ('' = rural: hamlets instead of streets); a district's number is level 2 of the
# agency identifier and a commune's position level 3.
REGIONS = [
    {"name": "Thành phố Hà Nội", "id": "001", "agency": "H26", "ethnic": ["Kinh"],
     "hospitals": ["Bệnh viện Phụ sản Hà Nội", "Bệnh viện Bạch Mai", "Bệnh viện Phụ sản Trung ương"],
     "districts": [
         ("Quận Ba Đình", 1, ["Phường Kim Mã", "Phường Ngọc Hà", "Phường Đội Cấn"],
          ["phố Kim Mã", "phố Đội Cấn", "phố Liễu Giai"]),
         ("Quận Hoàn Kiếm", 2, ["Phường Hàng Bạc", "Phường Tràng Tiền", "Phường Hàng Trống"],
          ["phố Hàng Bạc", "phố Tràng Tiền", "phố Hàng Trống"]),
         ("Quận Cầu Giấy", 5, ["Phường Dịch Vọng", "Phường Nghĩa Đô", "Phường Yên Hòa"],
          ["đường Xuân Thủy", "phố Trần Thái Tông", "đường Hoàng Quốc Việt"]),
         ("Huyện Đông Anh", 17, ["Thị trấn Đông Anh", "Xã Uy Nỗ", "Xã Kim Chung"], []),
     ]},
    {"name": "Thành phố Hồ Chí Minh", "id": "079", "agency": "H29", "ethnic": ["Kinh", "Hoa"],
     "hospitals": ["Bệnh viện Từ Dũ", "Bệnh viện Hùng Vương", "Bệnh viện Chợ Rẫy"],
     "districts": [
         ("Quận 1", 20, ["Phường Bến Nghé", "Phường Đa Kao", "Phường Tân Định"],
          ["đường Lê Thánh Tôn", "đường Hai Bà Trưng", "đường Đinh Tiên Hoàng"]),
         ("Quận Bình Thạnh", 31, ["Phường 13", "Phường 25", "Phường 26"],
          ["đường Xô Viết Nghệ Tĩnh", "đường Điện Biên Phủ", "đường Nơ Trang Long"]),
         ("Thành phố Thủ Đức", 35, ["Phường Linh Trung", "Phường Hiệp Phú", "Phường Thảo Điền"],
          ["đường Võ Văn Ngân", "đường Lê Văn Việt", "đường Xuân Thủy"]),
         ("Huyện Củ Chi", 40, ["Thị trấn Củ Chi", "Xã Tân Thông Hội", "Xã Phước Vĩnh An"], []),
     ]},
    {"name": "Tỉnh Hậu Giang", "id": "093", "agency": "H30", "ethnic": ["Kinh", "Khmer"],
     "hospitals": ["Bệnh viện Đa khoa tỉnh Hậu Giang", "Bệnh viện Sản Nhi tỉnh Hậu Giang"],
     "districts": [
         ("Thành phố Vị Thanh", 10, ["Phường I", "Phường III", "Xã Vị Tân"],
          ["đường Trần Hưng Đạo", "đường 30 Tháng 4"]),
         ("Thành phố Ngã Bảy", 12, ["Phường Ngã Bảy", "Phường Lái Hiếu", "Phường Hiệp Thành"],
          ["đường Hùng Vương", "đường Nguyễn Trãi"]),
         ("Huyện Châu Thành A", 14, ["Thị trấn Một Ngàn", "Thị trấn Cái Tắc"], []),
         ("Huyện Long Mỹ", 17, ["Xã Vĩnh Viễn", "Xã Lương Tâm"], []),
     ]},
    {"name": "Tỉnh Lào Cai", "id": "010", "agency": "H38", "ethnic": ["Kinh", "Tày", "Mông", "Dao"],
     "hospitals": ["Bệnh viện Sản Nhi tỉnh Lào Cai", "Bệnh viện Đa khoa tỉnh Lào Cai"],
     "districts": [
         ("Thành phố Lào Cai", 1, ["Phường Cốc Lếu", "Phường Duyên Hải", "Phường Kim Tân"],
          ["đường Hoàng Liên", "đường Nguyễn Huệ"]),
         ("Thị xã Sa Pa", 4, ["Phường Sa Pa", "Phường Cầu Mây"],
          ["đường Cầu Mây", "đường Thạch Sơn"]),
         ("Huyện Bát Xát", 6, ["Thị trấn Bát Xát", "Xã Quang Kim"], []),
         ("Huyện Bảo Thắng", 8, ["Thị trấn Phố Lu", "Thị trấn Tằng Loỏng"], []),
     ]},
    {"name": "Tỉnh Thái Nguyên", "id": "019", "agency": "H55", "ethnic": ["Kinh", "Tày", "Nùng"],
     "hospitals": ["Bệnh viện Trung ương Thái Nguyên", "Bệnh viện A Thái Nguyên"],
     "districts": [
         ("Thành phố Thái Nguyên", 1, ["Phường Hoàng Văn Thụ", "Phường Quang Trung",
                                      "Phường Tân Thịnh"],
          ["đường Hoàng Văn Thụ", "đường Quang Trung", "đường Lương Ngọc Quyến"]),
         ("Thành phố Sông Công", 3, ["Phường Mỏ Chè", "Phường Thắng Lợi"],
          ["đường Thống Nhất", "đường Cách Mạng Tháng Mười"]),
         ("Huyện Đại Từ", 7, ["Thị trấn Hùng Sơn", "Xã Tân Thái"], []),
         ("Huyện Phú Lương", 9, ["Thị trấn Đu", "Xã Yên Lạc"], []),
     ]},
]

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
      "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
DEM = {"1": ["Văn", "Hữu", "Minh", "Đức", "Quang", "Thanh", "Ngọc", "Công", "Xuân"],
       "2": ["Thị", "Ngọc", "Thanh", "Minh", "Thu", "Kim", "Thùy", "Phương", "Hồng"]}
TEN = {"1": ["An", "Bình", "Dũng", "Hòa", "Long", "Nam", "Phúc", "Quân", "Tuấn", "Hùng",
             "Khoa", "Sơn", "Thắng", "Đạt", "Hiếu", "Khánh", "Trung", "Việt"],
       "2": ["An", "Chi", "Hà", "Hương", "Lan", "Mai", "Thảo", "Thủy", "Trang", "Yến", "Linh",
             "Ngân", "Nhung", "Vy", "Hạnh", "Hoa", "Ly", "Duyên"]}
CAUSES = ["Già yếu", "Bệnh tim mạch", "Đột quỵ", "Ung thư phổi", "Suy thận mạn",
          "Tai nạn giao thông", "Viêm phổi", "Xơ gan"]
PURPOSES = ["Bổ sung hồ sơ xin việc", "Làm thủ tục xin thị thực du học",
            "Đăng ký thành lập doanh nghiệp", "Bổ túc hồ sơ đi làm việc ở nước ngoài",
            "Bổ sung hồ sơ thi tuyển công chức", "Làm thủ tục nhận con nuôi"]
JOBS = ["Học sinh", "Sinh viên", "Công nhân", "Giáo viên", "Kỹ sư xây dựng", "Kế toán",
        "Nhân viên văn phòng", "Lái xe", "Buôn bán tự do", "Điều dưỡng"]
BANKS = ["Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
         "Ngân hàng TMCP Ngoại thương Việt Nam", "Ngân hàng TMCP Công thương Việt Nam",
         "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"]
SIGNERS = ["Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân"]
CCCD_ISSUER = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"

# MaThanhPhanHoSo, file-name part, TenTepDinhKem: the components each procedure collects.
COMPONENTS = {
    "khai-sinh": [("GCS", "giay-chung-sinh", "Giấy chứng sinh"),
                  ("TKKS", "to-khai", "Tờ khai đăng ký khai sinh"),
                  ("GTTT", "cccd-nguoi-nop", "Giấy tờ tùy thân của người đi đăng ký")],
    "khai-tu": [("GBT", "giay-bao-tu", "Giấy báo tử"),
                ("TKKT", "to-khai", "Tờ khai đăng ký khai tử"),
                ("GTTT", "cccd-nguoi-nop", "Giấy tờ tùy thân của người đi đăng ký")],
    "ket-hon": [("TKKH", "to-khai", "Tờ khai đăng ký kết hôn"),
                ("XNHN", "xac-nhan-hon-nhan", "Giấy xác nhận tình trạng hôn nhân"),
                ("GTTT", "cccd-hai-ben", "Giấy tờ tùy thân của hai bên")],
    "lien-thong-khai-sinh": [("GCS", "giay-chung-sinh", "Giấy chứng sinh"),
                             ("TKLT", "to-khai-lien-thong", "Tờ khai liên thông"),
                             ("TK1TS", "to-khai-bhyt", "Tờ khai tham gia BHYT (TK1-TS)")],
    "lien-thong-khai-tu": [("GBT", "giay-bao-tu", "Giấy báo tử"),
                           ("TKLT", "to-khai-lien-thong", "Tờ khai liên thông"),
                           ("TCMT", "de-nghi-mai-tang", "Tờ khai đề nghị hưởng trợ cấp mai táng")],
    "ly-lich-tu-phap": [("TKLLTP", "to-khai", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"),
                        ("GTTT", "cccd", "Căn cước công dân của người yêu cầu"),
                        ("GUQ", "giay-uy-quyen", "Văn bản ủy quyền")],
}

# ---------------------------------------------------------------- small helpers


def ascii_fold(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def age(birth, on):
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def words_2(n):
    """0..99 in Vietnamese words, as dates are written on civil-status papers."""
    if n < 10:
        return UNITS[n]
    tens, unit = divmod(n, 10)
    head = "mười" if tens == 1 else UNITS[tens] + " mươi"
    if unit == 0:
        return head
    if unit == 1 and tens > 1:
        return head + " mốt"
    if unit == 4 and tens > 1:
        return head + " tư"
    if unit == 5:
        return head + " lăm"
    return head + " " + UNITS[unit]


def date_words(d):
    month = {1: "một", 4: "tư"}.get(d.month, words_2(d.month))
    thousands, rest = divmod(d.year, 1000)
    year = UNITS[thousands] + " nghìn"
    hundreds, rest2 = divmod(rest, 100)
    if rest:
        year += " " + UNITS[hundreds] + " trăm"
        if rest2 and rest2 < 10:
            year += " linh " + UNITS[rest2]
        elif rest2:
            year += " " + words_2(rest2)
    return "Ngày %s tháng %s năm %s" % (words_2(d.day), month, year)


def personal_number(rng, prov, year, sex):
    g = (year - 1900) // 100 * 2 + (1 if sex == "2" else 0)
    return "%s%d%02d%06d" % (prov, g, year % 100, rng.randrange(1000000))


# ---------------------------------------------------------------- places and people


class Place:
    def __init__(self, rng, region=None):
        self.region = region or rng.choice(REGIONS)
        self.district, self.dno, communes, self.streets = rng.choice(self.region["districts"])
        self.cno = rng.randrange(len(communes))
        self.commune = communes[self.cno]

    def address(self, rng):
        if self.streets:
            head = "Số %d %s" % (rng.randint(1, 250), rng.choice(self.streets))
        elif self.commune.startswith("Thị trấn"):
            head = "Tổ dân phố %d" % rng.randint(1, 12)
        else:
            head = ("Ấp %d" if self.region["agency"] in ("H29", "H30") else "Thôn %d") \
                % rng.randint(1, 15)
        return "%s, %s, %s, %s" % (head, self.commune, self.district, self.region["name"])

    def where(self):
        return "%s, %s, %s" % (self.commune, self.district, self.region["name"])

    def agency(self):
        return ("000.%02d.%02d.%s" % (self.cno + 1, self.dno, self.region["agency"]),
                "Ủy ban nhân dân %s, %s, %s" % (self.commune[0].lower() + self.commune[1:],
                                               self.district, self.region["name"]))


def make_name(rng, sex, ho=None):
    return "%s %s %s" % (ho or rng.choice(HO), rng.choice(DEM[sex]), rng.choice(TEN[sex]))


def make_person(rng, sex, birth, receipt, place, prec="d", ho=None, ident=True, doc=None,
                prov=None):
    """A person born on `birth`; doc: None (a CCCD if old enough), False (none), or a dict."""
    p = {"HoTen": make_name(rng, sex, ho), "NgaySinh": birth, "prec": prec, "GioiTinh": sex,
         "DanToc": rng.choice(place.region["ethnic"]) if rng.random() < 0.3 else "Kinh",
         "QuocTich": "Việt Nam", "SoDinhDanh": None, "GiayTo": None,
         "NoiCuTru": place.address(rng)}
    if prov is None:
        prov = place.region["id"] if rng.random() < 0.6 else rng.choice(PROV_CODES)
    if ident:
        p["SoDinhDanh"] = personal_number(rng, prov, birth.year, sex)
    if doc is None and ident:
        first = max(add_years(birth, 14), dt.date(2021, 1, 1))
        last = receipt - dt.timedelta(days=1)
        if first <= last and rng.random() < 0.5:
            doc = {"LoaiGiayTo": "4", "SoGiayTo": p["SoDinhDanh"],
                   "NgayCap": rand_date(rng, first, last), "NoiCap": CCCD_ISSUER}
    p["GiayTo"] = doc or None
    return p


def renumber(p, rng=None, prov=None):
    """Gives p a personal number that agrees with its birth year and sex (and its CCCD)."""
    old = p["SoDinhDanh"] or "001000000000"
    prov = prov or old[:3]
    g = (p["NgaySinh"].year - 1900) // 100 * 2 + (1 if p["GioiTinh"] == "2" else 0)
    p["SoDinhDanh"] = "%s%d%02d%s" % (prov, g, p["NgaySinh"].year % 100, old[6:])
    if p["GiayTo"] and p["GiayTo"]["LoaiGiayTo"] == "4":
        p["GiayTo"]["SoGiayTo"] = p["SoDinhDanh"]


def fmt_date(d, prec="d"):
    return {"d": "%04d-%02d-%02d", "m": "%04d-%02d", "y": "%04d"}[prec] % (
        (d.year, d.month, d.day)[: {"d": 3, "m": 2, "y": 1}[prec]])


# ---------------------------------------------------------------- PDF and PNG


def make_pdf(lines, title):
    """A minimal PDF 1.4: one A4 page with the lines in Helvetica; xref offsets exact."""
    text = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
    for ln in lines:
        ln = ascii_fold(ln).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append("(%s) '" % ln)
    text.append("ET")
    stream = ("\n".join(text) + "\n").encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ("<< /Title (%s) /Producer (tthc gen-corpus.py) >>" % ascii_fold(title)).encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% SPDX-License-Identifier: MIT\n"
                    b"% Synthetic attachment of a tthc test dossier.\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def make_png():
    """A 1x1 white PNG: content that a .pdf name lies about."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


# ---------------------------------------------------------------- dossiers (a model first)


def receipt_time(rng, lo=dt.date(2022, 1, 3), hi=dt.date(2025, 6, 27)):
    d = rand_date(rng, lo, hi)
    while d.weekday() > 4:
        d -= dt.timedelta(days=1)
    minute = rng.randint(7 * 60 + 30, 16 * 60 + 59)
    return dt.datetime(d.year, d.month, d.day, minute // 60, minute % 60, rng.randint(0, 59))


def envelope(rng, slug, when=None, place=None):
    place = place or Place(rng)
    when = when or receipt_time(rng)
    if slug == "ly-lich-tu-phap":
        reg = place.region
        agency = ("000.00.05.%s" % reg["agency"], "Công an %s" % (reg["name"][0].lower() + reg["name"][1:]))
    else:
        agency = place.agency()
    code = MATTHC[slug]
    if rng.random() < 0.3:
        code += ".000.00.00." + place.region["agency"]
    return {"slug": slug, "place": place, "receipt": when, "MaTTHC": code,
            "MaDinhDanh": agency[0], "TenCoQuan": agency[1], "seq": rng.randint(1, 420),
            "MaHoSo": None, "date_part": None}


def applicant(rng, d, p, relation, phone=True):
    """NguoiNop built from a person already in the form (same particulars)."""
    nop = dict(p)
    nop["GiayTo"] = dict(p["GiayTo"]) if p["GiayTo"] else None
    if nop["SoDinhDanh"] is None and nop["GiayTo"] is None:
        raise ValueError("applicant without identity")
    nop["prec"] = "d"
    nop["QuanHe"] = relation
    nop["SoDienThoai"] = ("0" + rng.choice("389") + "%08d" % rng.randrange(10 ** 8)) if phone else None
    nop["Email"] = None
    if phone and rng.random() < 0.3:
        nop["Email"] = "%s%d@gmail.com" % (ascii_fold(p["HoTen"]).lower().replace(" ", ""),
                                          p["NgaySinh"].year)
    return nop


def adult(rng, receipt, place, lo=18, hi=70, sex=None, **kw):
    sex = sex or rng.choice("12")
    birth = rand_date(rng, add_years(receipt, -hi), add_years(receipt, -lo) - dt.timedelta(days=1))
    return make_person(rng, sex, birth, receipt, place, **kw)


def partial(rng, p, allow=0.25):
    if rng.random() < allow:
        p["prec"] = rng.choice("my")
    return p


def birth_form(rng, d, joint, days_after=None):
    receipt = d["receipt"].date()
    place = d["place"]
    days = days_after if days_after is not None else rng.randint(1, 60)
    birth = receipt - dt.timedelta(days=days)
    sex = rng.choice("12")
    mother_age = rng.randint(18, 44)
    mb = rand_date(rng, add_years(birth, -mother_age - 1) + dt.timedelta(days=1),
                   add_years(birth, -mother_age))
    me = partial(rng, make_person(rng, "2", mb, receipt, place, prov=None))
    fb = rand_date(rng, add_years(birth, -min(45, max(19, mother_age + rng.randint(0, 8)))),
                   add_years(birth, -18) - dt.timedelta(days=1))
    cha = partial(rng, make_person(rng, "1", fb, receipt, place))
    child = make_person(rng, sex, birth, receipt, place, ho=cha["HoTen"].split()[0],
                        ident=rng.random() < 0.7 or joint, doc=False, prov=place.region["id"])
    child["NoiCuTru"] = None
    child["NgaySinhBangChu"] = date_words(birth)
    child["NoiSinh"] = "%s, %s" % (rng.choice(place.region["hospitals"]), place.region["name"])
    child["QueQuan"] = PROVINCES[cha["SoDinhDanh"][:3]] if rng.random() < 0.8 else None
    if child["QueQuan"] == "TP Hồ Chí Minh":
        child["QueQuan"] = "Thành phố Hồ Chí Minh"
    if child["QueQuan"] and not child["QueQuan"].startswith("Thành phố"):
        child["QueQuan"] = ("Thành phố " if child["QueQuan"] in ("Hà Nội", "Hải Phòng", "Đà Nẵng",
                                                                 "Cần Thơ") else "Tỉnh ") + child["QueQuan"]
    form = {"NguoiDuocKhaiSinh": child, "Me": me, "Cha": cha,
            "SoBanSao": str(rng.randint(1, 3)) if rng.random() < 0.7 else None}
    nop_from = rng.choice([me, cha])
    d["nop"] = applicant(rng, d, nop_from, "Mẹ" if nop_from is me else "Cha")
    if joint:
        form["DangKyThuongTru"] = {"NoiThuongTru": cha["NoiCuTru"], "ChuHo": cha["HoTen"],
                                   "QuanHeVoiChuHo": "Con"}
        form["CapTheBHYT"] = {"NoiDangKyKCB": "Trạm y tế %s" % place.commune[0].lower()
                              + place.commune[1:] if rng.random() < 0.5 else
                              rng.choice(place.region["hospitals"]),
                              "SoTheBHYT": None}
    return form


def death_form(rng, d, joint, death_days=None):
    receipt = d["receipt"].date()
    place = d["place"]
    death = receipt - dt.timedelta(days=death_days if death_days is not None else rng.randint(0, 14))
    sex = rng.choice("12")
    birth = rand_date(rng, add_years(death, -98), add_years(death, -40))
    dead = partial(rng, make_person(rng, sex, birth, receipt, place), 0.15)
    if dead["GiayTo"] and dead["GiayTo"]["NgayCap"] > death:
        dead["GiayTo"] = None
    kin_birth = rand_date(rng, max(add_years(birth, 18), add_years(receipt, -75)),
                          min(add_years(birth, 45), add_years(receipt, -18) - dt.timedelta(days=1)))
    kin = make_person(rng, rng.choice("12"), kin_birth, receipt, place,
                      ho=dead["HoTen"].split()[0] if sex == "1" else None)
    kin["NoiCuTru"] = dead["NoiCuTru"]
    d["nop"] = applicant(rng, d, kin, "Con")
    hospital = rng.random() < 0.5
    gbt_day = rand_date(rng, death, receipt)
    form = {"NguoiChet": dead, "NgayChet": death,
            "GioPhutChet": "%02d:%02d" % (rng.randint(0, 23), rng.randint(0, 59))
            if rng.random() < 0.8 else None,
            "NoiChet": (rng.choice(place.region["hospitals"]) + ", " + place.region["name"])
            if hospital else "Tại nhà, " + dead["NoiCuTru"],
            "NguyenNhanChet": rng.choice(CAUSES) if rng.random() < 0.8 else None,
            "GiayBaoTu": {"SoGiayBaoTu": "%d/GBT" % rng.randint(1, 999), "NgayCap": gbt_day,
                          "CoQuanCap": rng.choice(place.region["hospitals"]) if hospital
                          else place.agency()[1]}}
    if joint:
        form["XoaDangKyThuongTru"] = {"NoiThuongTru": dead["NoiCuTru"]}
        recv = dict(kin)
        recv["NoiCuTru"] = kin["NoiCuTru"]
        form["TroCapMaiTang"] = {"NguoiNhan": recv,
                                 "SoTaiKhoan": "%013d" % rng.randrange(10 ** 13),
                                 "NganHang": rng.choice(BANKS)}
    return form


def marriage_form(rng, d):
    receipt = d["receipt"].date()
    place = d["place"]
    nam = adult(rng, receipt, place, 20, 45, sex="1")
    nu = adult(rng, receipt, place, 18, 40, sex="2")
    for p in (nam, nu):
        p["TinhTrangHonNhan"] = rng.choice("2222223334")
        p["LanKetHon"] = "1" if p["TinhTrangHonNhan"] == "2" else "2"
    form = {"BenNu": nu, "BenNam": nam}
    who = rng.choice([nam, nu])
    if who["SoDinhDanh"] is None:
        who = nam
    d["nop"] = applicant(rng, d, who, "Bên nam" if who is nam else "Bên nữ")
    return form


def lltp_form(rng, d, kind=None, proxy=None):
    receipt = d["receipt"].date()
    place = d["place"]
    req = adult(rng, receipt, place, 18, 60)
    req["NoiSinh"] = PROVINCES[req["SoDinhDanh"][:3]]
    req["SoDienThoai"] = "0" + rng.choice("389") + "%08d" % rng.randrange(10 ** 8)
    req["Email"] = "%s.%d@gmail.com" % (ascii_fold(req["HoTen"]).lower().replace(" ", ""),
                                        req["NgaySinh"].year) if rng.random() < 0.5 else None
    ho = req["HoTen"].split()[0]
    cha = partial(rng, make_person(rng, "1", rand_date(rng, add_years(req["NgaySinh"], -45),
                                                      add_years(req["NgaySinh"], -20)),
                                   receipt, place, ho=ho, ident=False, doc=False), 0.5)
    me = partial(rng, make_person(rng, "2", rand_date(rng, add_years(req["NgaySinh"], -42),
                                                     add_years(req["NgaySinh"], -19)),
                                  receipt, place, ident=False, doc=False), 0.5)
    for p in (cha, me):
        p["NoiCuTru"] = None
    periods = []
    start = add_years(req["NgaySinh"], 14)
    while True:
        end = rand_date(rng, start, start + dt.timedelta(days=3650))
        last = end >= receipt or len(periods) == 3
        per = {"TuNgay": (start, "m"), "DenNgay": None if last else (end, "m"),
               "NoiCuTru": Place(rng, place.region if rng.random() < 0.6 else None).address(rng),
               "NgheNghiep": rng.choice(JOBS), "NoiLamViec": None}
        periods.append(per)
        if last:
            break
        start = end + dt.timedelta(days=31)
        if start > receipt:
            per["DenNgay"] = None
            break
    kind = kind or rng.choice("1112")
    form = {"NguoiYeuCau": req, "Cha": cha, "Me": me, "VoChong": None, "GiaiDoan": periods,
            "LoaiPhieu": kind, "SoLuongPhieu": str(rng.randint(1, 3)),
            "MucDich": rng.choice(PURPOSES), "NguoiDuocUyQuyen": None}
    if age(req["NgaySinh"], receipt) > 28 and rng.random() < 0.5:
        sp = adult(rng, receipt, place, 18, 60, sex="2" if req["GioiTinh"] == "1" else "1",
                   doc=False)
        sp["NoiCuTru"] = req["NoiCuTru"]
        form["VoChong"] = sp
    if proxy or (proxy is None and kind == "1" and rng.random() < 0.3):
        pr = adult(rng, receipt, place, 20, 65)
        pr["QuanHe"] = rng.choice(["Anh ruột", "Chị ruột", "Bạn", "Cô ruột", "Chú ruột"])
        form["NguoiDuocUyQuyen"] = pr
        d["nop"] = applicant(rng, d, pr, pr["QuanHe"])
    else:
        d["nop"] = applicant(rng, d, req, "Bản thân", phone=False)
    return form


def build(rng, slug, **kw):
    d = envelope(rng, slug, kw.pop("when", None), kw.pop("place", None))
    if slug in ("khai-sinh", "lien-thong-khai-sinh"):
        d["form"] = birth_form(rng, d, slug != "khai-sinh", kw.pop("days_after", None))
    elif slug in ("khai-tu", "lien-thong-khai-tu"):
        d["form"] = death_form(rng, d, slug != "khai-tu", kw.pop("death_days", None))
    elif slug == "ket-hon":
        d["form"] = marriage_form(rng, d)
    else:
        d["form"] = lltp_form(rng, d, kw.pop("kind", None), kw.pop("proxy", None))
    comps = COMPONENTS[slug]
    n = kw.pop("files", rng.randint(1, 3))
    if slug == "ly-lich-tu-phap":
        comps = comps if d["form"]["NguoiDuocUyQuyen"] else comps[:2]
    d["files"] = comps[:min(n, len(comps))]
    d["ketqua"] = None
    if kw.pop("ketqua", rng.random() < 0.3):
        r = d["receipt"].date()
        d["ketqua"] = {"SoGiayTo": "%d/%d" % (rng.randint(1, 900), r.year),
                       "QuyenSo": "%02d/%d" % (rng.randint(1, 5), r.year)
                       if slug != "ly-lich-tu-phap" else None,
                       "NgayKy": r + dt.timedelta(days=rng.randint(0, 10)),
                       "NguoiKy": make_name(rng, rng.choice("12")),
                       "ChucVuNguoiKy": rng.choice(SIGNERS) if slug != "ly-lich-tu-phap"
                       else "Phó Giám đốc", "file": rng.random() < 0.5}
    assert not kw, kw
    return d


def mahoso(d):
    if d["MaHoSo"] is not None:
        return d["MaHoSo"]
    part = d["date_part"] or d["receipt"].strftime("%y%m%d")
    return "%s-%s-%04d" % (d["MaDinhDanh"], part, d["seq"])


# ---------------------------------------------------------------- serialisation


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def person_elems(p, extra=()):
    el = [("HoTen", p["HoTen"])]
    if p.get("TenGoiKhac"):
        el.append(("TenGoiKhac", p["TenGoiKhac"]))
    if p.get("NgaySinh") is not None:
        el.append(("NgaySinh", p.get("NgaySinhText") or fmt_date(p["NgaySinh"], p["prec"])))
    for k in ("GioiTinh", "DanToc", "QuocTich", "SoDinhDanh"):
        if p.get(k):
            el.append((k, p[k]))
    g = p.get("GiayTo")
    if g:
        sub = [("LoaiGiayTo", g["LoaiGiayTo"]), ("SoGiayTo", g["SoGiayTo"])]
        if g.get("NgayCap"):
            sub.append(("NgayCap", fmt_date(g["NgayCap"])))
        if g.get("NoiCap"):
            sub.append(("NoiCap", g["NoiCap"]))
        el.append(("GiayTo", sub))
    if p.get("NoiCuTru"):
        el.append(("NoiCuTru", p["NoiCuTru"]))
    for k in extra:
        if p.get(k) is not None:
            el.append((k, p[k]))
    return el


def opt(pairs):
    return [(k, v) for k, v in pairs if v is not None]


def form_elems(d):
    f, slug = d["form"], d["slug"]
    if slug in ("khai-sinh", "lien-thong-khai-sinh"):
        el = [("NguoiDuocKhaiSinh", person_elems(f["NguoiDuocKhaiSinh"],
                                                 ("NgaySinhBangChu", "NoiSinh", "QueQuan")))]
        for k in ("Me", "Cha"):
            if f[k]:
                el.append((k, person_elems(f[k])))
        el += opt([("SoBanSao", f["SoBanSao"])])
        if slug != "khai-sinh":
            t = f["DangKyThuongTru"]
            el.append(("DangKyThuongTru", opt([(k, t.get(k)) for k in
                                               ("NoiThuongTru", "ChuHo", "QuanHeVoiChuHo")])))
            t = f["CapTheBHYT"]
            el.append(("CapTheBHYT", opt([(k, t.get(k)) for k in ("NoiDangKyKCB", "SoTheBHYT")])))
    elif slug in ("khai-tu", "lien-thong-khai-tu"):
        g = f["GiayBaoTu"]
        el = [("NguoiChet", person_elems(f["NguoiChet"])), ("NgayChet", fmt_date(f["NgayChet"]))]
        el += opt([("GioPhutChet", f["GioPhutChet"]), ("NoiChet", f["NoiChet"]),
                   ("NguyenNhanChet", f["NguyenNhanChet"])])
        el.append(("GiayBaoTu", [("SoGiayBaoTu", g["SoGiayBaoTu"]),
                                 ("NgayCap", fmt_date(g["NgayCap"])), ("CoQuanCap", g["CoQuanCap"])]))
        if slug != "khai-tu":
            el.append(("XoaDangKyThuongTru", [("NoiThuongTru", f["XoaDangKyThuongTru"]["NoiThuongTru"])]))
            t = f["TroCapMaiTang"]
            el.append(("TroCapMaiTang", [("NguoiNhan", person_elems(t["NguoiNhan"]))]
                       + opt([("SoTaiKhoan", t["SoTaiKhoan"]), ("NganHang", t["NganHang"])])))
    elif slug == "ket-hon":
        el = [(k, person_elems(f[k], ("LanKetHon", "TinhTrangHonNhan"))) for k in ("BenNu", "BenNam")]
    else:
        el = [("NguoiYeuCau", person_elems(f["NguoiYeuCau"], ("NoiSinh", "SoDienThoai", "Email")))]
        for k in ("Cha", "Me", "VoChong"):
            if f[k]:
                el.append((k, person_elems(f[k])))
        per = []
        for g in f["GiaiDoan"]:
            sub = [("TuNgay", fmt_date(*g["TuNgay"]))]
            if g["DenNgay"]:
                sub.append(("DenNgay", fmt_date(*g["DenNgay"])))
            sub += opt([(k, g[k]) for k in ("NoiCuTru", "NgheNghiep", "NoiLamViec")])
            per.append(("GiaiDoan", sub))
        el.append(("QuaTrinhCuTru", per))
        el += [("LoaiPhieu", f["LoaiPhieu"]), ("SoLuongPhieu", f["SoLuongPhieu"]),
               ("MucDich", f["MucDich"])]
        if f["NguoiDuocUyQuyen"]:
            el.append(("NguoiDuocUyQuyen", person_elems(f["NguoiDuocUyQuyen"], ("QuanHe",))))
    return el


def attachment_bytes(d, stem, part, title, salt):
    r = d["receipt"]
    nop = d["nop"]["HoTen"]
    lines = [title.upper(), "Ma ho so: %s" % mahoso(d),
             "Thu tuc: %s (%s)" % (TITLE[d["slug"]], d["MaTTHC"]),
             "Nguoi nop: %s" % nop, "Ngay tiep nhan: %s" % r.strftime("%d/%m/%Y %H:%M"),
             "Co quan: %s" % d["TenCoQuan"], "Tep: %s.%s.pdf" % (stem, part),
             "Ban sao dien tu, trang 1/1. Ma kiem tra %s." % hashlib.sha256(
                 (stem + part + salt).encode()).hexdigest()[:16]]
    return make_pdf(lines, title)


def render(d, stem, comment):
    """Returns (xml text, {file name: bytes}) for dossier d whose XML is <stem>.xml."""
    files = {}
    tl = []
    for code, part, title in d["files"]:
        name = "%s.%s.pdf" % (stem, part)
        data = d.get("override_bytes", {}).get(part)
        if data is None:
            data = attachment_bytes(d, stem, part, title, "")
        files[name] = data
        ref = d.get("override_ref", {}).get(part, {})
        tl.append(("TepDinhKem", [("MaThanhPhanHoSo", code), ("TenTepDinhKem", title),
                                  ("DuongDan", ref.get("DuongDan", name)),
                                  ("KichThuoc", ref.get("KichThuoc", str(len(data)))),
                                  ("SHA256", ref.get("SHA256", hashlib.sha256(data).hexdigest()))]))
    for name in d.get("absent", ()):
        files.pop(name, None)
    nop = d["nop"]
    root = [("MaHoSo", mahoso(d)), ("MaTTHC", d["MaTTHC"]),
            ("CoQuanTiepNhan", [("MaDinhDanh", d["MaDinhDanh"]), ("TenCoQuan", d["TenCoQuan"])]),
            ("NgayTiepNhan", d["receipt"].strftime("%Y-%m-%dT%H:%M:%S+07:00")),
            ("NguoiNop", person_elems(nop, ("QuanHe", "SoDienThoai", "Email"))),
            (FORM[d["slug"]], form_elems(d)), ("TaiLieuNop", tl)]
    k = d["ketqua"]
    if k:
        sub = opt([(x, k[x]) for x in ("SoGiayTo", "QuyenSo")])
        sub += [("NgayKy", fmt_date(k["NgayKy"])), ("NguoiKy", k["NguoiKy"])]
        sub += opt([("ChucVuNguoiKy", k["ChucVuNguoiKy"])])
        if k["file"]:
            name = "%s.ket-qua.pdf" % stem
            data = attachment_bytes(d, stem, "ket-qua", "Ket qua giai quyet", "kq")
            files[name] = data
            sub.append(("TepKetQua", [("DuongDan", name), ("KichThuoc", str(len(data))),
                                      ("SHA256", hashlib.sha256(data).hexdigest())]))
        root.append(("KetQua", sub))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<!-- SPDX-License-Identifier: MIT -->",
           "<!-- %s -->" % comment, '<HoSo xmlns="%s" PhienBan="1.0">' % d.get("ns", NS)]

    def emit(items, depth):
        pad = "  " * depth
        for name, val in items:
            if isinstance(val, list):
                out.append("%s<%s>" % (pad, name))
                emit(val, depth + 1)
                out.append("%s</%s>" % (pad, name))
            else:
                out.append("%s<%s>%s</%s>" % (pad, name, d.get("raw", {}).get(name) or esc(val), name))
    emit(root, 1)
    out.append("</HoSo>")
    return "\n".join(out) + "\n", files


def write(dirname, stem, text, files, encoding="utf-8"):
    with open(os.path.join(dirname, stem + ".xml"), "wb") as fh:
        fh.write(text if isinstance(text, bytes) else text.encode(encoding))
    for name, data in files.items():
        with open(os.path.join(dirname, name), "wb") as fh:
            fh.write(data)


# ---------------------------------------------------------------- corpus


def corpus(count, out, seed):
    rng = random.Random(seed)
    for slug in SLUGS:
        os.makedirs(os.path.join(out, slug), exist_ok=True)
    for i in range(count):
        slug = SLUGS[i % len(SLUGS)]
        d = build(rng, slug)
        stem = "%s-%06d" % (PREFIX[slug], i + 1)
        text, files = render(d, stem, "Synthetic %s dossier for the tthc benchmark corpus (seed %d)."
                             % (TITLE[slug], seed))
        write(os.path.join(out, slug), stem, text, files)


# ---------------------------------------------------------------- samples

def seeded(name):
    return random.Random(zlib.crc32(name.encode()))


def new_pdf(d, stem, part, salt):
    return attachment_bytes(d, stem, part, "Ban khac", salt)


def strip_doc(p):
    p["GiayTo"] = None
    return p


def set_birth(p, birth, prec="d"):
    p["NgaySinh"], p["prec"] = birth, prec
    if p["SoDinhDanh"]:
        renumber(p)
    if p["GiayTo"] and p["GiayTo"].get("NgayCap") and p["GiayTo"]["NgayCap"] < add_years(birth, 14):
        p["GiayTo"] = None


def valid_cases():
    """(slug, stem, what, builder kwargs, mutate(d, rng))"""
    cases = []

    def v(slug, stem, what, kw=None, mut=None):
        cases.append((slug, stem, what, kw or {}, mut))

    def parent_partial(who, prec):
        def m(d, rng):
            d["form"][who]["prec"] = prec
        return m

    for slug in SLUGS:
        pre = PREFIX[slug]
        v(slug, pre + "-01", "full dates, no result yet", {"files": 3, "ketqua": False})
        v(slug, pre + "-02", "with a result (KetQua)", {"files": 2, "ketqua": True})
    v("khai-sinh", "ks-03", "the mother's NgaySinh is a gYear", {"files": 1},
      parent_partial("Me", "y"))
    v("lien-thong-khai-sinh", "ltks-03", "the father's NgaySinh is a gYearMonth",
      {"files": 2}, parent_partial("Cha", "m"))
    v("khai-tu", "kt-03", "the deceased's NgaySinh is a gYear", {"files": 1},
      lambda d, rng: d["form"]["NguoiChet"].update(prec="y"))
    v("lien-thong-khai-tu", "ltkt-03", "the deceased's NgaySinh is a gYearMonth",
      {"files": 2}, lambda d, rng: d["form"]["NguoiChet"].update(prec="m"))

    def groom_month(d, rng):
        d["form"]["BenNam"]["prec"] = "m"
        d["form"]["BenNam"]["GiayTo"] = None
        if d["nop"]["HoTen"] == d["form"]["BenNam"]["HoTen"]:
            d["nop"]["GiayTo"] = None
    v("ket-hon", "kh-03", "the groom (aged 30 or so) gives NgaySinh as a gYearMonth",
      {"files": 2}, groom_month)

    def lltp_partial(d, rng):
        d["form"]["Cha"]["prec"] = "y"
        d["form"]["Me"]["prec"] = "y"
    v("ly-lich-tu-phap", "lltp-03", "the parents' NgaySinh are gYear, TuNgay gYearMonth",
      {"files": 1, "kind": "1", "proxy": True}, lltp_partial)

    # warnings: each dossier is valid and draws exactly the one warning its name gives
    v("khai-sinh", "ks-warn-tthc-date-004",
      "warning TTHC-DATE-004: birth registered 90 days after it", {"days_after": 90, "files": 2})

    def cmnd(d, rng):
        nop = d["nop"]
        nop["SoDinhDanh"] = None
        nop["GiayTo"] = {"LoaiGiayTo": "1", "SoGiayTo": "%09d" % rng.randrange(10 ** 8, 10 ** 9),
                         "NgayCap": add_years(nop["NgaySinh"], 16)
                         if add_years(nop["NgaySinh"], 16) < d["receipt"].date()
                         else d["receipt"].date(), "NoiCap": "Công an " + d["place"].region["name"]}
    v("khai-sinh", "ks-warn-tthc-id-006",
      "warning TTHC-ID-006: NguoiNop shows a legacy 9-digit CMND and no SoDinhDanh",
      {"files": 1}, cmnd)
    v("lien-thong-khai-sinh", "ltks-warn-tthc-proc-002",
      "warning TTHC-PROC-002: MaTTHC 2.000986, superseded by 3.000722", {"files": 2},
      lambda d, rng: d.update(MaTTHC="2.000986"))

    def nfd(d, rng):
        p = d["form"]["BenNu"]
        p["HoTen"] = unicodedata.normalize("NFD", p["HoTen"])
        assert p["HoTen"] != unicodedata.normalize("NFC", p["HoTen"])
        if d["nop"]["SoDinhDanh"] == p["SoDinhDanh"]:
            d["nop"] = applicant(rng, d, d["form"]["BenNam"], "Bên nam")
    v("ket-hon", "kh-warn-tthc-text-001",
      "warning TTHC-TEXT-001: the bride's HoTen is written in NFD (decomposed)", {"files": 1},
      nfd)
    v("khai-tu", "kt-warn-tthc-text-003",
      "warning TTHC-TEXT-003: TenCoQuan ends with a space", {"files": 1},
      lambda d, rng: d.update(TenCoQuan=d["TenCoQuan"] + " "))

    def c1(d, rng):
        d["form"]["NguyenNhanChet"] = "Suy tim"
        d.setdefault("raw", {})["NguyenNhanChet"] = "Suy&#x85;tim"
    v("lien-thong-khai-tu", "ltkt-warn-tthc-text-002",
      "warning TTHC-TEXT-002: NguyenNhanChet holds the C1 control U+0085 (NEL)", {"files": 1}, c1)

    def letter(d, rng):
        d["MaDinhDanh"] = "000.00.00.A01"
        d["MaTTHC"] = MATTHC[d["slug"]]
    v("ly-lich-tu-phap", "lltp-warn-tthc-code-005",
      "warning TTHC-CODE-005: agency identifier 000.00.00.A01 (letter A), MaHoSo agrees",
      {"files": 1}, letter)
    return cases


def invalid_cases():
    cases = []

    def x(slug, stem, what, mut, kw=None):
        cases.append((slug, stem, what, dict({"files": 1, "ketqua": False}, **(kw or {})), mut))

    # --- khai sinh
    x("khai-sinh", "tthc-xml-001-truncated", "the file stops in the middle of the form",
      lambda d, rng: d.update(text_mut="truncate"))

    def sexdigit(d, rng):
        me = d["form"]["Me"]
        me["SoDinhDanh"] = me["SoDinhDanh"][:3] + str(int(me["SoDinhDanh"][3]) - 1) + me["SoDinhDanh"][4:]
        me["GiayTo"] = None
        if d["nop"]["HoTen"] == me["HoTen"]:
            d["nop"] = applicant(rng, d, d["form"]["Cha"], "Cha")
    x("khai-sinh", "tthc-id-003-sex-digit",
      "the mother's SoDinhDanh has the male digit of her century (GioiTinh 2)", sexdigit)

    def mother_same_day(d, rng):
        me = d["form"]["Me"]
        me["NgaySinh"], me["prec"] = d["form"]["NguoiDuocKhaiSinh"]["NgaySinh"], "d"
        me["SoDinhDanh"], me["GiayTo"] = None, None
        if d["nop"]["HoTen"] == me["HoTen"]:
            d["nop"] = applicant(rng, d, d["form"]["Cha"], "Cha")
    x("khai-sinh", "tthc-date-003-mother-same-day",
      "the mother's NgaySinh is the child's (no personal number given for her)", mother_same_day)

    def born_after(d, rng):
        c = d["form"]["NguoiDuocKhaiSinh"]
        c["NgaySinh"] = d["receipt"].date() + dt.timedelta(days=3)
        c["NgaySinhBangChu"] = date_words(c["NgaySinh"])
        if c["SoDinhDanh"]:
            renumber(c)
    x("khai-sinh", "tthc-date-001-born-after-receipt",
      "the child's NgaySinh is 3 days after NgayTiepNhan", born_after,
      {"when": dt.datetime(2024, 3, 12, 9, 5, 0)})
    x("khai-sinh", "tthc-file-002-missing", "the attachment named is not there",
      lambda d, rng: d.update(absent=["tthc-file-002-missing.giay-chung-sinh.pdf"]))
    x("khai-sinh", "tthc-code-003-date-part", "MaHoSo's date part is the day before NgayTiepNhan",
      lambda d, rng: d.update(date_part=(d["receipt"] - dt.timedelta(days=1)).strftime("%y%m%d")))
    x("khai-sinh", "tthc-xsd-001-gioi-tinh", "the child's GioiTinh is 4 (not in 1..3)",
      lambda d, rng: d["form"]["NguoiDuocKhaiSinh"].update(GioiTinh="4", SoDinhDanh=None))

    # --- khai tử
    x("khai-tu", "tthc-xml-002-doctype", "a DOCTYPE declaring an internal entity",
      lambda d, rng: d.update(text_mut="doctype"))

    def death_before_birth(d, rng):
        f = d["form"]
        f["NguoiChet"]["prec"] = "d"
        set_birth(f["NguoiChet"], f["NgayChet"] + dt.timedelta(days=1))
    x("khai-tu", "tthc-date-002-death-before-birth",
      "NgayChet is the day before NguoiChet/NgaySinh (the personal number follows NgaySinh)",
      death_before_birth, {"death_days": 5})

    def eleven(d, rng):
        p = d["form"]["NguoiChet"]
        p["SoDinhDanh"], p["GiayTo"] = p["SoDinhDanh"][:11], None
    x("khai-tu", "tthc-id-001-eleven-digits", "the deceased's SoDinhDanh has 11 digits", eleven)
    x("khai-tu", "tthc-file-001-dotdot", "DuongDan is ../x.pdf",
      lambda d, rng: d.update(override_ref={"giay-bao-tu": {"DuongDan": "../x.pdf"}},
                             absent=["tthc-file-001-dotdot.giay-bao-tu.pdf"]))
    x("khai-tu", "tthc-file-003-empty",
      "the attachment is empty: KichThuoc 0 and the SHA-256 of nothing",
      lambda d, rng: d.update(override_bytes={"giay-bao-tu": b""}))
    x("khai-tu", "tthc-code-001-bad-code", "MaHoSo is ABC-1",
      lambda d, rng: d.update(MaHoSo="ABC-1"))

    def cccd10(d, rng):
        p = d["nop"]
        p["GiayTo"] = {"LoaiGiayTo": "4", "SoGiayTo": p["SoDinhDanh"][:10],
                       "NgayCap": d["receipt"].date() - dt.timedelta(days=400), "NoiCap": CCCD_ISSUER}
    x("khai-tu", "tthc-id-007-cccd-ten-digits",
      "NguoiNop's CCCD (LoaiGiayTo 4) number has 10 digits", cccd10)

    # --- kết hôn
    def groom(years):
        def m(d, rng):
            p = d["form"]["BenNam"]
            set_birth(p, add_years(d["receipt"].date(), -years) - dt.timedelta(days=100))
            strip_doc(p)
            d["nop"] = applicant(rng, d, d["form"]["BenNu"], "Bên nữ")
        return m

    def bride(years):
        def m(d, rng):
            p = d["form"]["BenNu"]
            set_birth(p, add_years(d["receipt"].date(), -years) - dt.timedelta(days=100))
            strip_doc(p)
            d["nop"] = applicant(rng, d, d["form"]["BenNam"], "Bên nam")
        return m
    x("ket-hon", "tthc-age-001-groom-19", "the groom is 19 (and 100 days) on NgayTiepNhan",
      groom(19))
    x("ket-hon", "tthc-age-002-bride-17", "the bride is 17 (and 100 days) on NgayTiepNhan",
      bride(17))
    x("ket-hon", "tthc-mar-001-married", "the groom's TinhTrangHonNhan is 1 (currently married)",
      lambda d, rng: d["form"]["BenNam"].update(TinhTrangHonNhan="1", LanKetHon="2"))

    def century(d, rng):
        p = d["form"]["BenNam"]
        set_birth(p, dt.date(1990, 6, 14))
        strip_doc(p)
        p["SoDinhDanh"] = p["SoDinhDanh"][:3] + "2" + p["SoDinhDanh"][4:]
        d["nop"] = applicant(rng, d, d["form"]["BenNu"], "Bên nữ")
    x("ket-hon", "tthc-id-004-century",
      "the groom, born 1990, has century digit 2 (male, 2000s) and year digits 90", century,
      {"when": dt.datetime(2024, 10, 8, 14, 20, 0)})

    def yeardigits(d, rng):
        p = d["form"]["BenNu"]
        strip_doc(p)
        y = (p["NgaySinh"].year + 1) % 100
        p["SoDinhDanh"] = p["SoDinhDanh"][:4] + "%02d" % y + p["SoDinhDanh"][6:]
        if p["NgaySinh"].year % 100 == 99:
            raise ValueError("century change")
        d["nop"] = applicant(rng, d, d["form"]["BenNam"], "Bên nam")
    x("ket-hon", "tthc-id-005-year-digits",
      "the bride's SoDinhDanh gives the year after her birth year", yeardigits)

    def size(d, rng):
        part = d["files"][0][1]
        data = attachment_bytes(d, "tthc-file-004-size", part, d["files"][0][2], "")
        d["override_ref"] = {part: {"KichThuoc": str(len(data) + 1)}}
    x("ket-hon", "tthc-file-004-size", "KichThuoc is one byte more than the file", size)
    x("ket-hon", "tthc-xml-004-namespace", "the root HoSo is in urn:tthc:hoso:2",
      lambda d, rng: d.update(ns="urn:tthc:hoso:2"))

    # --- liên thông khai sinh
    x("lien-thong-khai-sinh", "tthc-age-003-child-six",
      "the child is 6 years and 10 days old on NgayTiepNhan (so late: DATE-004 too)",
      lambda d, rng: None, {"days_after": -1})
    x("lien-thong-khai-sinh", "tthc-proc-001-unknown", "MaTTHC is 9.999999",
      lambda d, rng: d.update(MaTTHC="9.999999"))

    def prefix000(d, rng):
        c = d["form"]["NguoiDuocKhaiSinh"]
        c["SoDinhDanh"] = "000" + c["SoDinhDanh"][3:]
    x("lien-thong-khai-sinh", "tthc-id-002-prefix-000", "the child's SoDinhDanh starts with 000",
      prefix000)

    def hash5(d, rng):
        part = d["files"][0][1]
        other = new_pdf(d, "tthc-file-005-hash", part, "other")
        d["override_ref"] = {part: {"SHA256": hashlib.sha256(other).hexdigest()}}
    x("lien-thong-khai-sinh", "tthc-file-005-hash", "SHA256 is the digest of other content",
      hash5)

    def agency2(d, rng):
        other = "000.%02d.%s" % (int(d["MaDinhDanh"][4:6]) % 3 + 4, d["MaDinhDanh"][7:])
        d["MaHoSo"] = "%s-%s-%04d" % (other, d["receipt"].strftime("%y%m%d"), d["seq"])
    x("lien-thong-khai-sinh", "tthc-code-002-agency",
      "MaHoSo names another (well-formed) agency than MaDinhDanh", agency2)
    x("lien-thong-khai-sinh", "tthc-file-006-png",
      "the .pdf attachment is a PNG image (size and SHA-256 right)",
      lambda d, rng: d.update(override_bytes={"giay-chung-sinh": make_png()}))

    # --- liên thông khai tử
    def h64(d, rng):
        d["MaDinhDanh"] = "000.00.31.H64"
        d["MaTTHC"] = MATTHC[d["slug"]]
    x("lien-thong-khai-tu", "tthc-code-004-h64",
      "MaDinhDanh 000.00.31.H64 (there are 63 provinces); MaHoSo uses it", h64)

    def death_after(d, rng):
        f = d["form"]
        f["NgayChet"] = d["receipt"].date() + dt.timedelta(days=2)
        f["GiayBaoTu"]["NgayCap"] = d["receipt"].date()
    x("lien-thong-khai-tu", "tthc-date-001-death-after-receipt",
      "NgayChet is 2 days after NgayTiepNhan", death_after)

    def prefix003(d, rng):
        p = d["form"]["TroCapMaiTang"]["NguoiNhan"]
        p["SoDinhDanh"] = "003" + p["SoDinhDanh"][3:]
        p["GiayTo"] = None
        d["nop"]["SoDinhDanh"] = d["nop"]["SoDinhDanh"]  # NguoiNop keeps the right number
    x("lien-thong-khai-tu", "tthc-id-002-prefix-003",
      "NguoiNhan's SoDinhDanh starts with 003 (no province has it)", prefix003)
    x("lien-thong-khai-tu", "tthc-xsd-001-gio-phut", "GioPhutChet is 25:10",
      lambda d, rng: d["form"].update(GioPhutChet="25:10"))
    x("lien-thong-khai-tu", "tthc-xml-001-cp1258",
      "the bytes are Windows-1258 while the declaration says UTF-8",
      lambda d, rng: d.update(text_mut="cp1258"))

    def dead_gyear(d, rng):
        f = d["form"]
        p = f["NguoiChet"]
        set_birth(p, dt.date(f["NgayChet"].year + 1, 1, 1), "y")
        p["GiayTo"] = None
        f["NgayChet"] = dt.date(f["NgayChet"].year, 12, 31)
        if f["NgayChet"] > d["receipt"].date():
            raise ValueError("date")
        f["GiayBaoTu"]["NgayCap"] = d["receipt"].date()
    x("lien-thong-khai-tu", "tthc-date-002-gyear",
      "NgayChet is 31 December, NguoiChet/NgaySinh the gYear after", dead_gyear,
      {"when": dt.datetime(2025, 1, 6, 8, 15, 0)})

    # --- lý lịch tư pháp
    x("ly-lich-tu-phap", "tthc-lltp-001-proxy-phieu-2",
      "LoaiPhieu 2 requested through NguoiDuocUyQuyen", lambda d, rng: None,
      {"kind": "2", "proxy": True})

    def cmnd10(d, rng):
        p = d["nop"]
        p["GiayTo"] = {"LoaiGiayTo": "1", "SoGiayTo": "%010d" % rng.randrange(10 ** 9, 10 ** 10),
                       "NgayCap": dt.date(2012, 5, 4), "NoiCap": "Công an " + d["place"].region["name"]}
        d["form"]["NguoiYeuCau"]["GiayTo"] = None
    x("ly-lich-tu-phap", "tthc-id-007-cmnd-ten-digits",
      "NguoiNop's CMND (LoaiGiayTo 1) number has 10 digits (9 or 12 allowed)", cmnd10,
      {"kind": "1", "proxy": False})

    def tu_ngay(d, rng):
        g = d["form"]["GiaiDoan"][-1]
        g["TuNgay"] = (d["receipt"].date() + dt.timedelta(days=5), "d")
        g["DenNgay"] = None
    x("ly-lich-tu-phap", "tthc-date-001-tu-ngay", "the last GiaiDoan/TuNgay is after NgayTiepNhan",
      tu_ngay, {"when": dt.datetime(2024, 5, 20, 10, 0, 0)})
    x("ly-lich-tu-phap", "tthc-proc-001-other-procedure",
      "MaTTHC 1.004873 (xác nhận tình trạng hôn nhân) is not in the catalogue",
      lambda d, rng: d.update(MaTTHC="1.004873"))
    x("ly-lich-tu-phap", "tthc-code-001-not-a-day", "MaHoSo's date part is 231345 (month 13)",
      lambda d, rng: d.update(date_part="231345"))
    x("ly-lich-tu-phap", "tthc-xsd-001-loai-phieu-3", "LoaiPhieu is 3",
      lambda d, rng: d["form"].update(LoaiPhieu="3", NguoiDuocUyQuyen=None), {"proxy": False})

    def letters(d, rng):
        p = d["form"]["NguoiYeuCau"]
        p["SoDinhDanh"] = p["SoDinhDanh"][:10] + "AB"
        p["GiayTo"] = None
        if d["nop"]["HoTen"] == p["HoTen"]:
            raise ValueError("nop")
    x("ly-lich-tu-phap", "tthc-id-001-letters",
      "the requester's SoDinhDanh ends in letters (12 characters, not 12 digits)", letters,
      {"proxy": True, "kind": "1"})
    return cases


def text_mutation(text, how):
    if how == "truncate":
        cut = text.index("<NguoiDuocKhaiSinh>") + 120
        return text[:cut]
    if how == "doctype":
        head, rest = text.split("<HoSo ", 1)
        return head + '<!DOCTYPE HoSo [\n  <!ENTITY tinh "Thành phố Hà Nội">\n]>\n<HoSo ' + rest
    if how == "cp1258":
        return text.encode("cp1258", "replace")
    return text


def samples(top):
    readme = []
    for kind, cases in (("valid", valid_cases()), ("invalid", invalid_cases())):
        for slug, stem, what, kw, mut in cases:
            dirname = os.path.join(top, slug, kind)
            os.makedirs(dirname, exist_ok=True)
            tries = 0
            while True:
                rng = seeded("%s/%s/%s/%d" % (slug, kind, stem, tries))
                kw2 = dict(kw)
                days = kw2.get("days_after")
                if days == -1:  # a six-year-old: 6 years and 10 days
                    kw2["when"] = dt.datetime(2024, 9, 10, 9, 30, 0)
                    kw2["days_after"] = (dt.date(2024, 9, 10) - dt.date(2018, 8, 31)).days
                try:
                    d = build(rng, slug, **kw2)
                    if mut:
                        mut(d, rng)
                    break
                except ValueError:
                    tries += 1
            if kind == "invalid":
                rule = stem[:stem.index("-", stem.index("-", 5) + 1)].upper()
                comment = "Invalid %s sample: breaks only %s: %s." % (TITLE[slug], rule, what)
            else:
                comment = "Valid %s sample: %s." % (TITLE[slug], what)
            text, files = render(d, stem, comment)
            if d.get("text_mut"):
                text = text_mutation(text, d["text_mut"])
                if d["text_mut"] == "truncate":
                    files = {}
            for old in os.listdir(dirname):
                if old.startswith(stem + "."):
                    os.remove(os.path.join(dirname, old))
            write(dirname, stem, text, files)
            readme.append((slug, kind, stem, what, sorted(files)))
    with open(os.path.join(top, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(README_HEAD)
        for slug in SLUGS:
            fh.write("\n## %s (MaTTHC %s)\n\n| file | kind | rule | how |\n|---|---|---|---|\n"
                     % (slug, MATTHC[slug]))
            for s, kind, stem, what, files in readme:
                if s != slug:
                    continue
                m = re.search(r"(tthc-[a-z]+-\d{3})", stem)
                rule = m.group(1).upper() if m else "-"
                label = kind if kind == "invalid" else ("valid, warning" if m else "valid")
                att = ", ".join("`%s`" % f for f in files) or "none"
                fh.write("| `%s/%s.xml` | %s | %s | %s; attachments: %s |\n"
                         % (kind, stem, label, rule, what, att))


README_HEAD = """<!-- SPDX-License-Identifier: MIT -->
# Sample dossiers

Example TTHC dossiers for the tests, the man pages and people learning the format. Everything
here is written by `tests/bench/gen-corpus.py --samples samples/` (re-running it gives the same
bytes); change the generator, not the files.

- `<procedure>/valid/`: dossiers with no error. Those named `*-warn-<rule id>.xml` draw exactly
  that one warning and nothing else; the others draw nothing.
- `<procedure>/invalid/`: each breaks exactly one error rule, the one its name starts with, and
  draws no other finding (one exception: the six-year-old child of
  `lien-thong-khai-sinh/invalid/tthc-age-003-child-six.xml` is necessarily registered late, so
  the TTHC-DATE-004 warning comes with TTHC-AGE-003).
- Attachments sit beside the dossier as `<dossier name>.<component>.pdf`; DuongDan is relative
  to the dossier's folder. They are small, real one-page PDFs.
- Every valid dossier, and every invalid one whose rule is not TTHC-XML-*, TTHC-XSD-001 or
  TTHC-PROC-001, passes `xmllint --noout --schema schemas/<procedure>.xsd`.

All names, numbers and addresses are synthetic.
"""

# ---------------------------------------------------------------- self-check

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def span(text):
    m = DATE_RE.match(text or "")
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        d = dt.date(y, int(m.group(2)), int(m.group(3)))
        return d, d
    if m.group(2):
        mo = int(m.group(2))
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return dt.date(y, mo, 1), nxt - dt.timedelta(days=1)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def q(name):
    return "{%s}%s" % (NS, name)


def check_number(num, person, rule_prefix, found):
    if not re.fullmatch(r"\d{12}", num):
        found.add(rule_prefix)
        return
    if num[:3] not in PROVINCES:
        found.add("TTHC-ID-002")
    g = int(num[3])
    sex = person.findtext(q("GioiTinh"))
    if sex in ("1", "2") and (g % 2 == 0) != (sex == "1"):
        found.add("TTHC-ID-003")
    s = span(person.findtext(q("NgaySinh")))
    if s:
        if s[0].year // 100 * 100 != 1900 + g // 2 * 100:
            found.add("TTHC-ID-004")
        if s[0].year % 100 != int(num[4:6]):
            found.add("TTHC-ID-005")


def check_file(path):
    """Returns the rules the dossier breaks (and its warnings), as far as stdlib can see."""
    found = set()
    raw = open(path, "rb").read()
    if b"<!DOCTYPE" in raw:
        return {"TTHC-XML-002"}
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return {"TTHC-XML-001"}
    if root.tag != q("HoSo"):
        return {"TTHC-XML-004"}
    code = root.findtext(q("MaTTHC")) or ""
    base = code[:8]
    slug = {v: k for k, v in MATTHC.items()}.get(base)
    if base in ("2.000986", "2.001023", "2.002621", "2.002622"):
        found.add("TTHC-PROC-002")
        slug = "lien-thong-khai-sinh" if base != "2.002622" else "lien-thong-khai-tu"
    if not slug:
        found.add("TTHC-PROC-001")
    receipt_text = root.findtext(q("NgayTiepNhan")) or ""
    receipt = dt.date.fromisoformat(receipt_text[:10])
    if not receipt_text.endswith("+07:00"):
        found.add("SELF: NgayTiepNhan not +07:00")
    agency = (root.findtext("%s/%s" % (q("CoQuanTiepNhan"), q("MaDinhDanh"))) or "")
    am = re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.([A-Z])(\d{2})", agency)
    if not am or (am.group(1) == "H" and not 1 <= int(am.group(2)) <= 63):
        found.add("TTHC-CODE-004")
        am = None
    elif am.group(1) not in "GHK":
        found.add("TTHC-CODE-005")
    mh = root.findtext(q("MaHoSo")) or ""
    mm = re.fullmatch(r"(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6}|\d{8})-(\d{1,6})", mh)
    if not mm:
        found.add("TTHC-CODE-001")
    else:
        part = mm.group(2)
        try:
            day = dt.date(int(part[:-4]) + (2000 if len(part) == 6 else 0), int(part[-4:-2]),
                          int(part[-2:]))
            if day != receipt:
                found.add("TTHC-CODE-003")
            if am and mm.group(1) != agency:
                found.add("TTHC-CODE-002")
        except ValueError:
            found.add("TTHC-CODE-001")
    # text
    for el in root.iter():
        t = el.text if len(el) == 0 else None
        if not t:
            continue
        if unicodedata.normalize("NFC", t) != t:
            found.add("TTHC-TEXT-001")
        if any((ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F for c in t):
            found.add("TTHC-TEXT-002")
        if t != t.strip(" \t\r\n\u00a0"):
            found.add("TTHC-TEXT-003")
    # persons
    for el in root.iter():
        if el.find(q("HoTen")) is None:
            continue
        num = el.findtext(q("SoDinhDanh"))
        if num:
            check_number(num.strip(), el, "TTHC-ID-001", found)
        g = el.find(q("GiayTo"))
        if g is not None:
            kind, no = g.findtext(q("LoaiGiayTo")), (g.findtext(q("SoGiayTo")) or "").strip()
            if kind == "4":
                check_number(no, el, "TTHC-ID-007", found)
                if num and re.fullmatch(r"\d{12}", no) and no != num.strip():
                    found.add("SELF: CCCD number differs from SoDinhDanh")
            elif kind == "1":
                if re.fullmatch(r"\d{9}", no):
                    found.add("TTHC-ID-006")
                elif not re.fullmatch(r"\d{12}", no):
                    found.add("TTHC-ID-007")
    # dates
    def walk(el, in_result):
        for c in el:
            name = c.tag.split("}")[1]
            res = in_result or name == "KetQua"
            if len(c) == 0 and not res and (name.startswith("Ngay") or name in ("TuNgay", "DenNgay")) \
                    and name not in ("NgaySinhBangChu", "NgayTiepNhan"):
                s = span(c.text)
                if s and s[0] > receipt:
                    found.add("TTHC-DATE-001")
            walk(c, res)
    walk(root, False)
    kq = root.findtext("%s/%s" % (q("KetQua"), q("NgayKy")))
    if kq and dt.date.fromisoformat(kq) < receipt:
        found.add("SELF: KetQua/NgayKy before receipt")
    form = root.find(q(FORM.get(slug, "")))
    if form is None:
        form = root[5] if len(root) > 5 else ET.Element("x")

    def birth(who):
        return span(form.findtext("%s/%s" % (q(who), q("NgaySinh"))))
    if slug in ("khai-sinh", "lien-thong-khai-sinh"):
        c = birth("NguoiDuocKhaiSinh")
        for who in ("Me", "Cha"):
            p = birth(who)
            if c and p:
                if p[0] >= c[1]:
                    found.add("TTHC-DATE-003")
                elif not (add_years(p[0], 17) <= c[1] and add_years(p[1], 45) >= c[0]):
                    found.add("SELF: parent not 18-45 years older")
        if c and c[0] <= receipt:
            if (receipt - c[1]).days > 60:
                found.add("TTHC-DATE-004")
            if slug == "lien-thong-khai-sinh" and age(c[1], receipt) >= 6:
                found.add("TTHC-AGE-003")
    if slug in ("khai-tu", "lien-thong-khai-tu"):
        b, dd = birth("NguoiChet"), span(form.findtext(q("NgayChet")))
        if b and dd and dd[1] < b[0]:
            found.add("TTHC-DATE-002")
    if slug == "ket-hon":
        for who, rule, least in (("BenNu", "TTHC-AGE-002", 18), ("BenNam", "TTHC-AGE-001", 20)):
            b = birth(who)
            if b and b[0] <= receipt and age(b[0], receipt) < least:
                found.add(rule)
            st = form.findtext("%s/%s" % (q(who), q("TinhTrangHonNhan")))
            if st == "1":
                found.add("TTHC-MAR-001")
            elif st not in ("2", "3", "4"):
                found.add("SELF: TinhTrangHonNhan not 2/3/4")
    if slug == "ly-lich-tu-phap":
        if form.findtext(q("LoaiPhieu")) == "2" and form.find(q("NguoiDuocUyQuyen")) is not None:
            found.add("TTHC-LLTP-001")
    # attachments
    base_dir = os.path.dirname(path)
    for ref in root.iter():
        p = ref.find(q("DuongDan"))
        if p is None:
            continue
        rel = p.text or ""
        if not rel or rel.startswith("/") or ".." in rel.split("/"):
            found.add("TTHC-FILE-001")
            continue
        full = os.path.join(base_dir, rel)
        if not os.path.isfile(full):
            found.add("TTHC-FILE-002")
            continue
        data = open(full, "rb").read()
        if not data:
            found.add("TTHC-FILE-003")
            continue
        if str(len(data)) != (ref.findtext(q("KichThuoc")) or "").strip():
            found.add("TTHC-FILE-004")
        if hashlib.sha256(data).hexdigest() != (ref.findtext(q("SHA256")) or "").strip().lower():
            found.add("TTHC-FILE-005")
        if rel.lower().endswith(".pdf") and not data.startswith(b"%PDF-"):
            found.add("TTHC-FILE-006")
        if data.startswith(b"%PDF-") and not pdf_ok(data):
            found.add("SELF: PDF xref offsets wrong")
    return found


def pdf_ok(data):
    sx = data.rindex(b"startxref")
    xref = int(data[sx + 10:].split()[0])
    if data[xref:xref + 4] != b"xref":
        return False
    lines = data[xref:].split(b"\n")
    n = int(lines[1].split()[1])
    for i in range(1, n):
        off = int(lines[2 + i][:10])
        if not data[off:].startswith(b"%d 0 obj" % i):
            return False
    return True


def self_check(top):
    bad = 0
    count = 0
    for dirpath, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".xml"):
                continue
            count += 1
            path = os.path.join(dirpath, name)
            found = check_file(path)
            stem = name[:-4]
            m = re.match(r"(tthc-[a-z]+-\d{3})", stem) or re.search(r"-warn-(tthc-[a-z]+-\d{3})$", stem)
            want = {m.group(1).upper()} if m else set()
            if stem == "tthc-age-003-child-six":
                want.add("TTHC-DATE-004")
            # XSD-001 is invisible without a schema processor: then nothing must be found
            extra = found - want
            missing = want - found - {"TTHC-XSD-001"}
            if extra or missing:
                bad += 1
                print("%s: found %s, expected %s" % (path, ", ".join(sorted(found)) or "nothing",
                                                     ", ".join(sorted(want)) or "nothing"))
    print("self-check: %d dossiers, %d with violations" % (count, bad), file=sys.stderr)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description="Write synthetic TTHC dossiers.")
    ap.add_argument("--count", type=int)
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", metavar="DIR", help="write the curated samples into DIR")
    ap.add_argument("--self-check", metavar="DIR", help="re-check the dossiers under DIR")
    a = ap.parse_args()
    if a.self_check:
        return self_check(a.self_check)
    if a.samples:
        samples(a.samples)
        return 0
    if a.count is None or not a.out:
        ap.error("give --count N --out DIR, or --samples DIR, or --self-check DIR")
    corpus(a.count, a.out, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
