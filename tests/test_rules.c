/* SPDX-License-Identifier: MIT */
/* Unit tests of the rule passes: small dossiers built in memory, one field per case. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tthc.h"

/*
 * A dossier is a template with {{KEY}} slots.  A case sets a few keys; the others take
 * the procedure's defaults, then the common ones, which together make a dossier with no
 * findings at all (the "valid" case of each procedure checks that).
 */
struct kv {
	const char *key, *value;
};

static const struct kv common[] = {
	{ "MAHOSO", "000.00.31.H29-230405-0001" },
	{ "AGENCY", "000.00.31.H29" },
	{ "RECEIPT", "2023-04-05T08:30:00+07:00" },
	{ "NOP_HOTEN", "Trần Văn Bình" },
	{ "NOP_NS", "<NgaySinh>1985-03-12</NgaySinh>" },
	{ "NOP_GT", "<GioiTinh>1</GioiTinh>" },
	{ "NOP_SDD", "<SoDinhDanh>079085000001</SoDinhDanh>" },
	{ "NOP_GIAYTO", "" },
	{ "NOISINH", "Bệnh viện Từ Dũ, TP Hồ Chí Minh" },
	{ "CHILD_NS", "2023-03-20" },
	{ "ME_NS", "1990-05-01" },
	{ "CHA_NS", "1988" },
	{ "NC_NS", "1940" },
	{ "NGAYCHET", "2023-04-01" },
	{ "GBT_NGAYCAP", "2023-04-02" },
	{ "NU_NS", "1998-01-01" },
	{ "NAM_NS", "1995-07-15" },
	{ "NU_TT", "2" },
	{ "NAM_TT", "2" },
	{ "TUNGAY", "2000-09" },
	{ "LOAIPHIEU", "1" },
	{ "UYQUYEN", "" },
	{ "F_PATH", "files/scan.pdf" },
	/* tests/data/files/scan.pdf: wc -c, sha256sum */
	{ "F_SIZE", "77" },
	{ "F_SHA", "56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26" },
	{ "KETQUA", "" },
	{ "NHAN_GT", "1" },
	{ "HOSO",
	  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	  "<HoSo xmlns=\"urn:tthc:hoso:1\" PhienBan=\"1.0\">\n"
	  "<MaHoSo>{{MAHOSO}}</MaHoSo>\n"
	  "<MaTTHC>{{MATTHC}}</MaTTHC>\n"
	  "<CoQuanTiepNhan><MaDinhDanh>{{AGENCY}}</MaDinhDanh>"
	  "<TenCoQuan>UBND phường Bến Nghé</TenCoQuan></CoQuanTiepNhan>\n"
	  "<NgayTiepNhan>{{RECEIPT}}</NgayTiepNhan>\n"
	  "<NguoiNop><HoTen>{{NOP_HOTEN}}</"
	  "HoTen>{{NOP_NS}}{{NOP_GT}}{{NOP_SDD}}{{NOP_GIAYTO}}"
	  "<NoiCuTru>Quận 1, TP Hồ Chí Minh</NoiCuTru><QuanHe>cha</QuanHe></NguoiNop>\n"
	  "{{FORM}}\n"
	  "<TaiLieuNop><TepDinhKem><MaThanhPhanHoSo>TP01</MaThanhPhanHoSo>"
	  "<TenTepDinhKem>Giấy chứng sinh</TenTepDinhKem><DuongDan>{{F_PATH}}</DuongDan>"
	  "<KichThuoc>{{F_SIZE}}</KichThuoc><SHA256>{{F_SHA}}</SHA256></TepDinhKem>"
	  "</TaiLieuNop>{{KETQUA}}\n"
	  "</HoSo>\n" },
	{ "KS",
	  "<NguoiDuocKhaiSinh><HoTen>Trần Thị "
	  "Mai</HoTen><NgaySinh>{{CHILD_NS}}</NgaySinh>"
	  "<GioiTinh>2</GioiTinh><NoiSinh>{{NOISINH}}</NoiSinh></NguoiDuocKhaiSinh>"
	  "<Me><HoTen>Lê Thị Hoa</HoTen><NgaySinh>{{ME_NS}}</NgaySinh></Me>"
	  "<Cha><HoTen>Trần Văn Bình</HoTen><NgaySinh>{{CHA_NS}}</NgaySinh></Cha>" },
	{ "KT",
	  "<NguoiChet><HoTen>Nguyễn Văn Tư</HoTen><NgaySinh>{{NC_NS}}</NgaySinh>"
	  "<GioiTinh>1</GioiTinh></NguoiChet><NgayChet>{{NGAYCHET}}</NgayChet>"
	  "<NoiChet>Bệnh viện Chợ "
	  "Rẫy</NoiChet><GiayBaoTu><SoGiayBaoTu>123/GBT</SoGiayBaoTu>"
	  "<NgayCap>{{GBT_NGAYCAP}}</NgayCap><CoQuanCap>Bệnh viện Chợ Rẫy</CoQuanCap>"
	  "</GiayBaoTu>" },
	{ NULL, NULL },
};

struct proc {
	const char *slug, *code, *form;
};

static const struct proc procs[] = {
	{ "khai-sinh", "1.001193", "<ToKhaiKhaiSinh>{{KS}}</ToKhaiKhaiSinh>" },
	{ "lien-thong-khai-sinh", "3.000722",
	  "<ToKhaiLienThongKhaiSinh>{{KS}}<DangKyThuongTru><NoiThuongTru>Quận "
	  "1</NoiThuongTru>"
	  "</DangKyThuongTru><CapTheBHYT><NoiDangKyKCB>Bệnh viện Nhi Đồng "
	  "1</NoiDangKyKCB>"
	  "</CapTheBHYT></ToKhaiLienThongKhaiSinh>" },
	{ "khai-tu", "1.000656", "<ToKhaiKhaiTu>{{KT}}</ToKhaiKhaiTu>" },
	{ "lien-thong-khai-tu", "2.002913",
	  "<ToKhaiLienThongKhaiTu>{{KT}}<XoaDangKyThuongTru><NoiThuongTru>Quận 5"
	  "</NoiThuongTru></XoaDangKyThuongTru><TroCapMaiTang><NguoiNhan><HoTen>Nguyễn "
	  "Văn "
	  "Năm</HoTen><GioiTinh>{{NHAN_GT}}</GioiTinh><SoDinhDanh>079070000002</"
	  "SoDinhDanh></"
	  "NguoiNhan>"
	  "</TroCapMaiTang></ToKhaiLienThongKhaiTu>" },
	{ "ket-hon", "1.000894",
	  "<ToKhaiKetHon><BenNu><HoTen>Lê Thị Lan</HoTen><NgaySinh>{{NU_NS}}</NgaySinh>"
	  "<GioiTinh>2</GioiTinh><LanKetHon>1</LanKetHon>"
	  "<TinhTrangHonNhan>{{NU_TT}}</TinhTrangHonNhan></BenNu>"
	  "<BenNam><HoTen>Phạm Văn Hùng</HoTen><NgaySinh>{{NAM_NS}}</NgaySinh>"
	  "<LanKetHon>1</LanKetHon><TinhTrangHonNhan>{{NAM_TT}}</TinhTrangHonNhan></"
	  "BenNam>"
	  "</ToKhaiKetHon>" },
	{ "ly-lich-tu-phap", "3.000333",
	  "<ToKhaiLyLichTuPhap><NguoiYeuCau><HoTen>Trần Văn Bình</HoTen>"
	  "<NgaySinh>1985-03-12</NgaySinh><NoiSinh>Hà Nội</NoiSinh></NguoiYeuCau>"
	  "<QuaTrinhCuTru><GiaiDoan><TuNgay>{{TUNGAY}}</TuNgay><NoiCuTru>Quận "
	  "1</NoiCuTru>"
	  "</GiaiDoan></QuaTrinhCuTru><LoaiPhieu>{{LOAIPHIEU}}</LoaiPhieu>"
	  "<SoLuongPhieu>1</SoLuongPhieu><MucDich>Xin việc</MucDich>{{UYQUYEN}}"
	  "</ToKhaiLyLichTuPhap>" },
};

struct rcase {
	const char *name;
	const char *proc; /* slug */
	struct kv set[4];
	const char
	    *expect; /* the rule ids reported, sorted, comma-separated; "" for none */
};

#define PROXY "<NguoiDuocUyQuyen><HoTen>Lê Văn Cường</HoTen></NguoiDuocUyQuyen>"
#define NFD_NAME                                                                         \
	"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Bi\xcc\x80nh" /* Nguyễn Văn Bình, NFD */
#define KETQUA(path)                                                                     \
	"<KetQua><SoGiayTo>12/2023</SoGiayTo><NgayKy>2023-05-02</NgayKy>"                \
	"<NguoiKy>Nguyễn Văn Ký</NguoiKy><TepKetQua><DuongDan>" path "</DuongDan>"       \
	"<KichThuoc>77</"                                                                \
	"KichThuoc><SHA256>56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02"           \
	"e3e7f4a32ccb26</SHA256></TepKetQua></KetQua>"

static const struct rcase cases[] = {
	/* every procedure's template is clean */
	{ "valid khai-sinh", "khai-sinh", { { 0 } }, "" },
	{ "valid lien-thong-khai-sinh", "lien-thong-khai-sinh", { { 0 } }, "" },
	{ "valid khai-tu", "khai-tu", { { 0 } }, "" },
	{ "valid lien-thong-khai-tu", "lien-thong-khai-tu", { { 0 } }, "" },
	{ "valid ket-hon", "ket-hon", { { 0 } }, "" },
	{ "valid ly-lich-tu-phap", "ly-lich-tu-phap", { { 0 } }, "" },
	{ "valid local instance",
	  "khai-sinh",
	  { { "MATTHC", "1.001193.000.00.31.H29" } },
	  "" },
	/* TTHC-CODE-* */
	{ "CODE-001 slashes",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29/230405/0001" } },
	  "TTHC-CODE-001" },
	{ "CODE-001 7-digit sequence",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29-230405-1234567" } },
	  "TTHC-CODE-001" },
	{ "CODE-001 no such day",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29-230231-0001" } },
	  "TTHC-CODE-001" },
	{ "CODE-001 embedded line break",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29-230405-0001&#10;2" } },
	  "TTHC-CODE-001" },
	{ "CODE-001 yyyymmdd, 6 digits ok",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29-20230405-123456" } },
	  "" },
	{ "CODE-002 other agency",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.32.H29-230405-0001" } },
	  "TTHC-CODE-002" },
	{ "CODE-003 other day",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29-230406-0001" } },
	  "TTHC-CODE-003" },
	{ "CODE-003 date as written, zone ignored",
	  "khai-sinh",
	  { { "RECEIPT", "2023-04-05T23:30:00-05:00" } },
	  "" },
	{ "CODE-003 yyyymmdd other day",
	  "khai-sinh",
	  { { "MAHOSO", "000.00.31.H29-20220405-1" } },
	  "TTHC-CODE-003" },
	{ "CODE-004 H64",
	  "khai-sinh",
	  { { "AGENCY", "000.00.31.H64" }, { "MAHOSO", "000.00.31.H64-230405-0001" } },
	  "TTHC-CODE-004" },
	{ "CODE-004 short group",
	  "khai-sinh",
	  { { "AGENCY", "00.00.31.H29" } },
	  "TTHC-CODE-004" },
	{ "CODE-004 ministry ok",
	  "khai-sinh",
	  { { "AGENCY", "000.00.00.G15" }, { "MAHOSO", "000.00.00.G15-230405-0001" } },
	  "" },
	{ "CODE-005 letter X",
	  "khai-sinh",
	  { { "AGENCY", "000.00.31.X29" }, { "MAHOSO", "000.00.31.X29-230405-0001" } },
	  "TTHC-CODE-005" },
	{ "CODE-005 council K ok",
	  "khai-sinh",
	  { { "AGENCY", "000.00.00.K29" }, { "MAHOSO", "000.00.00.K29-230405-0001" } },
	  "" },
	/* TTHC-ID-* */
	{ "ID-001 11 digits",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>07908500000</SoDinhDanh>" } },
	  "TTHC-ID-001" },
	{ "ID-001 letters",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>07908500000A</SoDinhDanh>" } },
	  "TTHC-ID-001" },
	{ "ID-001 token blanks trimmed",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh> 079085000001 </SoDinhDanh>" } },
	  "TTHC-TEXT-003" },
	{ "ID-002 prefix 100",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>100085000001</SoDinhDanh>" } },
	  "TTHC-ID-002" },
	{ "ID-002 prefix 003",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>003085000001</SoDinhDanh>" } },
	  "TTHC-ID-002" },
	{ "ID-002 Hà Nội ok",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>001085000001</SoDinhDanh>" } },
	  "" },
	{ "ID-003 female number",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>079185000001</SoDinhDanh>" } },
	  "TTHC-ID-003" },
	{ "ID-003 GioiTinh 2",
	  "khai-sinh",
	  { { "NOP_GT", "<GioiTinh>2</GioiTinh>" } },
	  "TTHC-ID-003" },
	{ "ID-003 GioiTinh 3 not checked",
	  "khai-sinh",
	  { { "NOP_GT", "<GioiTinh>3</GioiTinh>" } },
	  "" },
	{ "ID-003 no GioiTinh", "khai-sinh", { { "NOP_GT", "" } }, "" },
	{ "ID-003 nested person",
	  "lien-thong-khai-tu",
	  { { "NHAN_GT", "2" } },
	  "TTHC-ID-003" },
	{ "ID-004 century 2000",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>079285000001</SoDinhDanh>" } },
	  "TTHC-ID-004" },
	{ "ID-004 born 2005 ok",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>079205000001</SoDinhDanh>" },
	    { "NOP_NS", "<NgaySinh>2005-01-01</NgaySinh>" } },
	  "" },
	{ "ID-004 partial year ok",
	  "khai-sinh",
	  { { "NOP_NS", "<NgaySinh>1985</NgaySinh>" } },
	  "" },
	{ "ID-005 year 86",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>079086000001</SoDinhDanh>" } },
	  "TTHC-ID-005" },
	{ "ID-005 partial year-month ok",
	  "khai-sinh",
	  { { "NOP_NS", "<NgaySinh>1985-03</NgaySinh>" } },
	  "" },
	{ "ID-005 partial year wrong",
	  "khai-sinh",
	  { { "NOP_NS", "<NgaySinh>1984</NgaySinh>" } },
	  "TTHC-ID-005" },
	{ "ID-004+005 no NgaySinh", "khai-sinh", { { "NOP_NS", "" } }, "" },
	{ "ID-006 9-digit CMND",
	  "khai-sinh",
	  { { "NOP_SDD", "" },
	    { "NOP_GIAYTO", "<GiayTo><LoaiGiayTo>1</LoaiGiayTo><SoGiayTo>023456789</"
	                    "SoGiayTo></GiayTo>" } },
	  "TTHC-ID-006" },
	{ "ID-006 12-digit CMND ok",
	  "khai-sinh",
	  { { "NOP_SDD", "" },
	    { "NOP_GIAYTO", "<GiayTo><LoaiGiayTo>1</LoaiGiayTo><SoGiayTo>999999999999</"
	                    "SoGiayTo></GiayTo>" } },
	  "" },
	{ "ID-007 CMND 5 digits",
	  "khai-sinh",
	  { { "NOP_SDD", "" },
	    { "NOP_GIAYTO",
	      "<GiayTo><LoaiGiayTo>1</LoaiGiayTo><SoGiayTo>12345</SoGiayTo></GiayTo>" } },
	  "TTHC-ID-007" },
	{ "ID-007 CCCD 11 digits",
	  "khai-sinh",
	  { { "NOP_GIAYTO", "<GiayTo><LoaiGiayTo>4</LoaiGiayTo><SoGiayTo>07908500000</"
	                    "SoGiayTo></GiayTo>" } },
	  "TTHC-ID-007" },
	{ "ID-007 CCCD ok",
	  "khai-sinh",
	  { { "NOP_GIAYTO",
	      "<GiayTo><LoaiGiayTo>4</LoaiGiayTo><SoGiayTo>079085000001</SoGiayTo>"
	      "<NgayCap>2021-06-01</NgayCap></GiayTo>" } },
	  "" },
	{ "ID-007 CCCD checked like SoDinhDanh",
	  "khai-sinh",
	  { { "NOP_SDD", "" },
	    { "NOP_GIAYTO", "<GiayTo><LoaiGiayTo>4</LoaiGiayTo><SoGiayTo>105384000001</"
	                    "SoGiayTo></GiayTo>" } },
	  "TTHC-ID-002,TTHC-ID-003,TTHC-ID-004,TTHC-ID-005" },
	{ "ID-007 passport not checked",
	  "khai-sinh",
	  { { "NOP_SDD", "" },
	    { "NOP_GIAYTO", "<GiayTo><LoaiGiayTo>2</LoaiGiayTo><SoGiayTo>B1234567</"
	                    "SoGiayTo></GiayTo>" } },
	  "" },
	/* TTHC-DATE-* */
	{ "DATE-001 NgayCap tomorrow",
	  "khai-sinh",
	  { { "NOP_GIAYTO",
	      "<GiayTo><LoaiGiayTo>2</LoaiGiayTo><SoGiayTo>B1234567</SoGiayTo>"
	      "<NgayCap>2023-04-06</NgayCap></GiayTo>" } },
	  "TTHC-DATE-001" },
	{ "DATE-001 same day ok",
	  "khai-sinh",
	  { { "NOP_GIAYTO",
	      "<GiayTo><LoaiGiayTo>2</LoaiGiayTo><SoGiayTo>B1234567</SoGiayTo>"
	      "<NgayCap>2023-04-05</NgayCap></GiayTo>" } },
	  "" },
	{ "DATE-001 next month",
	  "ly-lich-tu-phap",
	  { { "TUNGAY", "2023-05" } },
	  "TTHC-DATE-001" },
	{ "DATE-001 this month ok", "ly-lich-tu-phap", { { "TUNGAY", "2023-04" } }, "" },
	{ "DATE-001 this year ok", "ly-lich-tu-phap", { { "TUNGAY", "2023" } }, "" },
	{ "DATE-001 next year",
	  "ly-lich-tu-phap",
	  { { "TUNGAY", "2024" } },
	  "TTHC-DATE-001" },
	{ "DATE-001 KetQua excluded",
	  "khai-sinh",
	  { { "KETQUA", KETQUA("files/scan.pdf") } },
	  "" },
	{ "DATE-002 death before birth",
	  "khai-tu",
	  { { "NC_NS", "2023-04-02" } },
	  "TTHC-DATE-002" },
	{ "DATE-002 partial birth uncertain", "khai-tu", { { "NC_NS", "2023" } }, "" },
	{ "DATE-002 liên thông",
	  "lien-thong-khai-tu",
	  { { "NC_NS", "2023-04-02" } },
	  "TTHC-DATE-002" },
	{ "DATE-003 mother same day",
	  "khai-sinh",
	  { { "ME_NS", "2023-03-20" } },
	  "TTHC-DATE-003" },
	{ "DATE-003 father later month",
	  "khai-sinh",
	  { { "CHA_NS", "2023-04" } },
	  "TTHC-DATE-003" },
	{ "DATE-003 father same year uncertain",
	  "khai-sinh",
	  { { "CHA_NS", "2023" } },
	  "" },
	{ "DATE-004 61 days",
	  "khai-sinh",
	  { { "CHILD_NS", "2023-02-03" } },
	  "TTHC-DATE-004" },
	{ "DATE-004 60 days ok", "khai-sinh", { { "CHILD_NS", "2023-02-04" } }, "" },
	{ "DATE-004 partial month ok", "khai-sinh", { { "CHILD_NS", "2023-02" } }, "" },
	{ "DATE-004 partial year",
	  "khai-sinh",
	  { { "CHILD_NS", "2022" } },
	  "TTHC-DATE-004" },
	{ "DATE-004 liên thông",
	  "lien-thong-khai-sinh",
	  { { "CHILD_NS", "2023-01-01" } },
	  "TTHC-DATE-004" },
	{ "DATE-004 not for khai tử", "khai-tu", { { "NC_NS", "1940-01-01" } }, "" },
	/* TTHC-AGE-* */
	{ "AGE-001 day before 20",
	  "ket-hon",
	  { { "NAM_NS", "2003-04-06" } },
	  "TTHC-AGE-001" },
	{ "AGE-001 20 today ok", "ket-hon", { { "NAM_NS", "2003-04-05" } }, "" },
	{ "AGE-001 partial maybe 20 ok", "ket-hon", { { "NAM_NS", "2003" } }, "" },
	{ "AGE-001 partial certainly 19",
	  "ket-hon",
	  { { "NAM_NS", "2004" } },
	  "TTHC-AGE-001" },
	{ "AGE-002 day before 18",
	  "ket-hon",
	  { { "NU_NS", "2005-04-06" } },
	  "TTHC-AGE-002" },
	{ "AGE-002 18 today ok", "ket-hon", { { "NU_NS", "2005-04-05" } }, "" },
	{ "AGE-002 partial month uncertain", "ket-hon", { { "NU_NS", "2005-04" } }, "" },
	{ "AGE-003 six today",
	  "lien-thong-khai-sinh",
	  { { "CHILD_NS", "2017-04-05" } },
	  "TTHC-AGE-003,TTHC-DATE-004" },
	{ "AGE-003 day before six ok",
	  "lien-thong-khai-sinh",
	  { { "CHILD_NS", "2017-04-06" } },
	  "TTHC-DATE-004" },
	{ "AGE-003 partial maybe five",
	  "lien-thong-khai-sinh",
	  { { "CHILD_NS", "2017" } },
	  "TTHC-DATE-004" },
	{ "AGE-003 partial certainly six",
	  "lien-thong-khai-sinh",
	  { { "CHILD_NS", "2016" } },
	  "TTHC-AGE-003,TTHC-DATE-004" },
	{ "AGE-003 not for khai sinh",
	  "khai-sinh",
	  { { "CHILD_NS", "2010-01-01" } },
	  "TTHC-DATE-004" },
	/* TTHC-MAR-001, TTHC-LLTP-001 */
	{ "MAR-001 groom married", "ket-hon", { { "NAM_TT", "1" } }, "TTHC-MAR-001" },
	{ "MAR-001 bride married", "ket-hon", { { "NU_TT", "1" } }, "TTHC-MAR-001" },
	{ "MAR-001 divorced ok", "ket-hon", { { "NAM_TT", "3" }, { "NU_TT", "5" } }, "" },
	{ "LLTP-001 card 2 by proxy",
	  "ly-lich-tu-phap",
	  { { "LOAIPHIEU", "2" }, { "UYQUYEN", PROXY } },
	  "TTHC-LLTP-001" },
	{ "LLTP-001 card 1 by proxy ok",
	  "ly-lich-tu-phap",
	  { { "UYQUYEN", PROXY } },
	  "" },
	{ "LLTP-001 card 2 in person ok",
	  "ly-lich-tu-phap",
	  { { "LOAIPHIEU", "2" } },
	  "" },
	/* TTHC-FILE-* */
	{ "FILE-001 absolute",
	  "khai-sinh",
	  { { "F_PATH", "/etc/passwd" } },
	  "TTHC-FILE-001" },
	{ "FILE-001 dot-dot",
	  "khai-sinh",
	  { { "F_PATH", "../data/files/scan.pdf" } },
	  "TTHC-FILE-001" },
	{ "FILE-001 inner dot-dot",
	  "khai-sinh",
	  { { "F_PATH", "files/../files/scan.pdf" } },
	  "TTHC-FILE-001" },
	{ "FILE-001 empty", "khai-sinh", { { "F_PATH", "" } }, "TTHC-FILE-001" },
	{ "FILE-001 dot ok", "khai-sinh", { { "F_PATH", "./files/scan.pdf" } }, "" },
	{ "FILE-001 '..' inside a name is no component",
	  "khai-sinh",
	  { { "F_PATH", "files/..scan.pdf" } },
	  "TTHC-FILE-002" },
	{ "FILE-002 missing",
	  "khai-sinh",
	  { { "F_PATH", "files/missing.pdf" } },
	  "TTHC-FILE-002" },
	{ "FILE-002 directory", "khai-sinh", { { "F_PATH", "files" } }, "TTHC-FILE-002" },
	{ "FILE-002 result file missing",
	  "khai-sinh",
	  { { "KETQUA", KETQUA("files/kq.pdf") } },
	  "TTHC-FILE-002" },
	{ "FILE-003 empty file",
	  "khai-sinh",
	  { { "F_PATH", "files/empty.pdf" },
	    { "F_SIZE", "0" },
	    { "F_SHA",
	      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" } },
	  "TTHC-FILE-003" },
	{ "FILE-004 size", "khai-sinh", { { "F_SIZE", "78" } }, "TTHC-FILE-004" },
	{ "FILE-004 size beyond 64 bits",
	  "khai-sinh",
	  { { "F_SIZE", "99999999999999999999999" } },
	  "TTHC-FILE-004" },
	{ "FILE-005 hash",
	  "khai-sinh",
	  { { "F_SHA",
	      "56c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb27" } },
	  "TTHC-FILE-005" },
	{ "FILE-005 upper case ok",
	  "khai-sinh",
	  { { "F_SHA",
	      "56C2AC043C28D3543275A6F50B593A6BEB0B6888ED8159AC02E3E7F4A32CCB26" } },
	  "" },
	{ "FILE-006 png named pdf",
	  "khai-sinh",
	  { { "F_PATH", "files/png-as.pdf" },
	    { "F_SIZE", "16" },
	    { "F_SHA",
	      "02a3e298f1533f62558c58e4c70edcab9af5a50d62d925fd5390942020fb0fb8" } },
	  "TTHC-FILE-006" },
	{ "FILE-006 png ok",
	  "khai-sinh",
	  { { "F_PATH", "files/photo.png" },
	    { "F_SIZE", "16" },
	    { "F_SHA",
	      "02a3e298f1533f62558c58e4c70edcab9af5a50d62d925fd5390942020fb0fb8" } },
	  "" },
	{ "FILE-006 jpg ok",
	  "khai-sinh",
	  { { "F_PATH", "files/photo.jpg" },
	    { "F_SIZE", "11" },
	    { "F_SHA",
	      "23e5c96c789570b1a740a7463526bb846d97506642e12a6a5e6b9b3b7a90cd5f" } },
	  "" },
	{ "FILE-006 tif ok",
	  "khai-sinh",
	  { { "F_PATH", "files/scan.tif" },
	    { "F_SIZE", "8" },
	    { "F_SHA",
	      "39740c796de25c70b056b87da657c7fdf56b5b1eb841a25ed0f3e504ff7013d8" } },
	  "" },
	{ "FILE-006 xml with BOM ok",
	  "khai-sinh",
	  { { "F_PATH", "files/doc.xml" },
	    { "F_SIZE", "32" },
	    { "F_SHA",
	      "1a5ac2db1b9fa327a2463c251c1cc00fb0428d3a3f8dd1e17016c2a6be10471f" } },
	  "" },
	{ "FILE-006 unknown extension ok",
	  "khai-sinh",
	  { { "F_PATH", "files/notes.bin" },
	    { "F_SIZE", "16" },
	    { "F_SHA",
	      "ad8c4ce2e1f7430cd22d161003309c286537be6f9646a6e90cfa3d68270fd1be" } },
	  "" },
	/* Whole values: a comment, PI or CDATA inside a value hides nothing from the
	   rules. */
	{ "comment hides no part of a date",
	  "khai-sinh",
	  { { "RECEIPT", "2<!---->023-04-05T08:30:00+07:00" },
	    { "CHILD_NS", "2023-05-20" } },
	  "TTHC-DATE-001" },
	{ "comment hides no part of a size",
	  "khai-sinh",
	  { { "F_SIZE", "7<!-- -->7000" } },
	  "TTHC-FILE-004" },
	{ "comment hides no part of a hash",
	  "khai-sinh",
	  { { "F_SHA",
	      "0<!---->"
	      "6c2ac043c28d3543275a6f50b593a6beb0b6888ed8159ac02e3e7f4a32ccb26" } },
	  "TTHC-FILE-005" },
	{ "PI and blank hide no personal number",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>079<?x y?>1850000<![CDATA[01]]></SoDinhDanh>" } },
	  "TTHC-ID-003" },
	{ "CDATA joins a valid number",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh>0790<![CDATA[85]]>000001</SoDinhDanh>" } },
	  "" },
	{ "size with a plus sign is a number",
	  "khai-sinh",
	  { { "F_SIZE", "+78" } },
	  "TTHC-FILE-004" },
	{ "size with a plus sign, right", "khai-sinh", { { "F_SIZE", "+77" } }, "" },
	/* The blanks are worth a warning, not a missing procedure. */
	{ "MaTTHC with blanks is the code",
	  "khai-sinh",
	  { { "MATTHC", "\n  1.001193\n" } },
	  "TTHC-TEXT-003" },
	{ "a year the rules cannot use is a schema error",
	  "khai-sinh",
	  { { "ME_NS", "0999" } },
	  "TTHC-XSD-001" },
	{ "a five-digit year is a schema error",
	  "khai-sinh",
	  { { "CHILD_NS", "12023-03-20" } },
	  "TTHC-XSD-001" },
	/* TTHC-TEXT-* */
	{ "TEXT-001 NFD name",
	  "khai-sinh",
	  { { "NOP_HOTEN", NFD_NAME } },
	  "TTHC-TEXT-001" },
	/* The fast path: precomposed Vietnamese (U+1EA0..) is NFC without the normaliser.
	 */
	{ "TEXT-001 precomposed ok",
	  "khai-sinh",
	  { { "NOP_HOTEN", "Nguyễn Thị Ỷ Lệ" } },
	  "" },
	/* A mark after a precomposed letter still needs the normaliser (and composes). */
	{ "TEXT-001 letter + mark",
	  "khai-sinh",
	  { { "NOP_HOTEN", "Le\xcc\x82\xcc\x83" } },
	  "TTHC-TEXT-001" },
	/* Outside the fast-path ranges, NFC text is still NFC (CJK, Greek). */
	{ "TEXT-001 other scripts ok",
	  "khai-sinh",
	  { { "NOISINH", "北京 Ελλάδα" } },
	  "" },
	/* A singleton decomposition (U+212B ANGSTROM SIGN) is not NFC. */
	{ "TEXT-001 singleton",
	  "khai-sinh",
	  { { "NOISINH", "\xe2\x84\xab" } },
	  "TTHC-TEXT-001" },
	{ "TEXT-002 C1 control",
	  "khai-sinh",
	  { { "NOISINH", "Bệnh viện\xc2\x85Từ Dũ" } },
	  "TTHC-TEXT-002" },
	{ "TEXT-002 DEL", "khai-sinh", { { "NOISINH", "Tu Du\x7f" } }, "TTHC-TEXT-002" },
	{ "TEXT-002 tab inside ok", "khai-sinh", { { "NOISINH", "Từ Dũ\tQuận 1" } }, "" },
	{ "TEXT-003 leading space",
	  "khai-sinh",
	  { { "NOP_HOTEN", " Trần Văn Bình" } },
	  "TTHC-TEXT-003" },
	{ "TEXT-003 trailing no-break space",
	  "khai-sinh",
	  { { "NOP_HOTEN", "Trần Văn Bình\xc2\xa0" } },
	  "TTHC-TEXT-003" },
	{ "TEXT-003 inner spaces ok",
	  "khai-sinh",
	  { { "NOP_HOTEN", "Trần  Văn Bình" } },
	  "" },
	{ "TEXT all three, one finding each",
	  "khai-sinh",
	  { { "NOISINH", " " NFD_NAME "\x7f\x7f\xc2\x85 " } },
	  "TTHC-TEXT-001,TTHC-TEXT-002,TTHC-TEXT-003" },
	/* schema-invalid values: the XSD reports them, the rules stay silent */
	{ "garbage NgaySinh",
	  "khai-sinh",
	  { { "NOP_NS", "<NgaySinh>abc</NgaySinh>" } },
	  "TTHC-XSD-001" },
	{ "empty SoDinhDanh",
	  "khai-sinh",
	  { { "NOP_SDD", "<SoDinhDanh></SoDinhDanh>" } },
	  "TTHC-XSD-001" },
	{ "garbage receipt", "khai-sinh", { { "RECEIPT", "hôm qua" } }, "TTHC-XSD-001" },
	{ "receipt without time",
	  "ket-hon",
	  { { "RECEIPT", "2023-04-05" } },
	  "TTHC-XSD-001" },
	{ "negative size", "khai-sinh", { { "F_SIZE", "-1" } }, "TTHC-XSD-001" },
	{ "short hash", "khai-sinh", { { "F_SHA", "abc" } }, "TTHC-XSD-001" },
	{ "30 February", "khai-sinh", { { "CHILD_NS", "2023-02-30" } }, "TTHC-XSD-001" },
	{ "element in a value", "ket-hon", { { "NU_TT", "<b>1</b>" } }, "TTHC-XSD-001" },
	{ "empty agency", "khai-sinh", { { "AGENCY", "" } }, "TTHC-XSD-001" },
	{ "empty MaHoSo", "khai-sinh", { { "MAHOSO", "" } }, "TTHC-XSD-001" },
	{ "GioiTinh 9",
	  "khai-sinh",
	  { { "NOP_GT", "<GioiTinh>9</GioiTinh>" } },
	  "TTHC-XSD-001" },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static struct tthc_ctx *ctx;
static struct tthc_validator *validator;
static const char *testdata;

/* A growable string. */
struct buf {
	char *s;
	size_t len, alloc;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->alloc) {
		b->alloc = 2 * (b->len + n + 1);
		b->s = realloc(b->s, b->alloc);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static const char *lookup(const struct rcase *c, const struct proc *p, const char *key,
                          size_t n)
{
	for (size_t i = 0; i < 4 && c->set[i].key; i++)
		if (strlen(c->set[i].key) == n && strncmp(c->set[i].key, key, n) == 0)
			return c->set[i].value;
	if (n == 6 && strncmp(key, "MATTHC", 6) == 0)
		return p->code;
	if (n == 4 && strncmp(key, "FORM", 4) == 0)
		return p->form;
	for (size_t i = 0; common[i].key; i++)
		if (strlen(common[i].key) == n && strncmp(common[i].key, key, n) == 0)
			return common[i].value;
	fail_msg("unknown template key %.*s", (int)n, key);
	return NULL;
}

/* Expands {{KEY}} slots, the values' own slots too. */
static void expand(struct buf *out, const char *t, const struct rcase *c,
                   const struct proc *p, int depth)
{
	const char *open, *close;

	assert_true(depth < 5);
	while ((open = strstr(t, "{{"))) {
		close = strstr(open, "}}");
		assert_non_null(close);
		put(out, t, (size_t)(open - t));
		expand(out, lookup(c, p, open + 2, (size_t)(close - open - 2)), c, p,
		       depth + 1);
		t = close + 2;
	}
	put(out, t, strlen(t));
}

static const struct proc *find_proc(const char *slug)
{
	for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
		if (strcmp(procs[i].slug, slug) == 0)
			return &procs[i];
	fail_msg("unknown procedure %s", slug);
	return NULL;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct rule ids of a report, sorted and comma-separated, into out. */
static void rule_set(const struct tthc_report *r, struct buf *out)
{
	size_t n = tthc_report_count(r), k = 0;
	const char **ids = calloc(n + 1, sizeof(*ids));

	assert_non_null(ids);
	for (size_t i = 0; i < n; i++)
		ids[k++] = tthc_report_get(r, i)->rule;
	qsort(ids, k, sizeof(*ids), by_string);
	put(out, "", 0);
	for (size_t i = 0; i < k; i++) {
		if (i > 0 && strcmp(ids[i], ids[i - 1]) == 0)
			continue;
		if (out->len)
			put(out, ",", 1);
		put(out, ids[i], strlen(ids[i]));
	}
	free(ids);
}

static void dump(const struct tthc_report *r)
{
	for (size_t i = 0; i < tthc_report_count(r); i++) {
		const struct tthc_diag *dg = tthc_report_get(r, i);

		print_message("  %lu %s %s: %s\n", dg->line, dg->rule, dg->path,
		              dg->message);
	}
}

/* Validates xml with attachments under basedir; checks the set of rule ids is expect. */
static void check_rules(const char *xml, const char *basedir, const char *expect)
{
	struct tthc_report *r = NULL;
	struct buf got = { 0 };
	int ret =
	    tthc_validator_memory(validator, xml, strlen(xml), "case.xml", basedir, &r);

	if (ret < 0)
		fail_msg("validator: %s: %s", tthc_strerror(ret),
		         tthc_validator_error(validator));
	rule_set(r, &got);
	if (strcmp(got.s, expect) != 0)
		dump(r);
	assert_string_equal(got.s, expect);
	tthc_report_free(r);
	free(got.s);
}

static void run_case(void **state)
{
	const struct rcase *c = *state;
	struct buf xml = { 0 };

	expand(&xml, "{{HOSO}}", c, find_proc(c->proc), 0);
	check_rules(xml.s, testdata, c->expect);
	free(xml.s);
}

/* The messages name the field and the value, as the man page promises. */
static void test_message_shape(void **state)
{
	static const struct rcase c = { "msg",
		                        "khai-sinh",
		                        { { "NOP_SDD",
		                            "<SoDinhDanh>079190001234</SoDinhDanh>" },
		                          { "NOP_NS", "<NgaySinh>1990</NgaySinh>" } },
		                        "" };
	struct buf xml = { 0 };
	struct tthc_report *r = NULL;
	const struct tthc_diag *dg;

	(void)state;
	expand(&xml, "{{HOSO}}", &c, find_proc(c.proc), 0);
	assert_int_equal(
	    tthc_validator_memory(validator, xml.s, xml.len, "m.xml", testdata, &r), 0);
	assert_int_equal(tthc_report_count(r), 1);
	dg = tthc_report_get(r, 0);
	assert_string_equal(dg->rule, "TTHC-ID-003");
	assert_int_equal(dg->severity, TTHC_SEV_ERROR);
	assert_string_equal(dg->path, "/HoSo/NguoiNop/SoDinhDanh");
	assert_int_equal(dg->line, 7);
	assert_string_equal(dg->message,
	                    "SoDinhDanh '079190001234': digit 4 (century/sex) says "
	                    "female but GioiTinh is 1 (Nam)");
	tthc_report_free(r);
	free(xml.s);
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static const char scan_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
                               "trailer << /Root 1 0 R >>\n%%EOF\n";

/*
 * Symbolic links: one that stays in the dossier's directory is followed, one that leads
 * out of it is refused (FILE-002), so a dossier cannot make us read files elsewhere.
 */
static void test_symlinks(void **state)
{
	static const struct {
		const char *path, *expect;
	} links[] = {
		{ "inside.pdf", "" },
		{ "sub/up.pdf", "" },
		{ "outside.pdf", "TTHC-FILE-002" },
		{ "sub/out/scan.pdf", "TTHC-FILE-002" },
	};
	char dir[] = "/tmp/tthc-test-XXXXXX", path[512], target[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/scan.pdf", dir);
	write_file(path, scan_pdf, sizeof(scan_pdf) - 1);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/inside.pdf", dir);
	assert_int_equal(symlink("scan.pdf", path), 0);
	snprintf(path, sizeof(path), "%s/sub/up.pdf", dir);
	assert_int_equal(symlink("../scan.pdf", path), 0);
	snprintf(target, sizeof(target), "%s/files/scan.pdf", testdata);
	snprintf(path, sizeof(path), "%s/outside.pdf", dir);
	assert_int_equal(symlink(target, path), 0);
	snprintf(target, sizeof(target), "%s/files", testdata);
	snprintf(path, sizeof(path), "%s/sub/out", dir);
	assert_int_equal(symlink(target, path), 0);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct rcase c = {
			"link", "khai-sinh", { { "F_PATH", links[i].path } }, ""
		};
		struct buf xml = { 0 };

		expand(&xml, "{{HOSO}}", &c, find_proc(c.proc), 0);
		check_rules(xml.s, dir, links[i].expect);
		free(xml.s);
	}
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* Documents that fail the schema badly: the rules must neither crash nor add findings. */
static void test_broken_documents(void **state)
{
	static const char *const docs[] = {
		"<HoSo xmlns='urn:tthc:hoso:1'><MaTTHC>1.001193</MaTTHC></HoSo>",
		"<HoSo "
		"xmlns='urn:tthc:hoso:1'><MaTTHC>1.000894</MaTTHC><ToKhaiKetHon/></HoSo>",
		"<HoSo xmlns='urn:tthc:hoso:1'><MaTTHC>1.000894</MaTTHC><NgayTiepNhan>"
		"2023-04-05T00:00:00</NgayTiepNhan><ToKhaiKetHon><BenNam><NgaySinh/>"
		"<TinhTrangHonNhan/></BenNam><BenNu><HoTen/><NgaySinh>2020<x/></NgaySinh>"
		"</BenNu></ToKhaiKetHon></HoSo>",
		"<HoSo "
		"xmlns='urn:tthc:hoso:1'><MaHoSo><a/></MaHoSo><MaTTHC>1.000656</MaTTHC>"
		"<CoQuanTiepNhan/><ToKhaiKhaiTu><NguoiChet><HoTen>x</HoTen><SoDinhDanh/>"
		"<GiayTo><LoaiGiayTo>4</LoaiGiayTo></GiayTo></NguoiChet><NgayChet>x</"
		"NgayChet>"
		"</ToKhaiKhaiTu><TaiLieuNop><TepDinhKem><DuongDan/></"
		"TepDinhKem><TepDinhKem>"
		"<DuongDan>files/scan.pdf</DuongDan><KichThuoc>abc</KichThuoc><SHA256/>"
		"</TepDinhKem></TaiLieuNop></HoSo>",
		"<HoSo "
		"xmlns='urn:tthc:hoso:1'><MaTTHC>3.000333</MaTTHC><ToKhaiLyLichTuPhap>"
		"<LoaiPhieu>2</LoaiPhieu><NguoiDuocUyQuyen/></ToKhaiLyLichTuPhap></HoSo>",
	};
	/* Only the last says something a rule can judge: Phiếu số 2 by proxy. */
	static const char *const expect[] = {
		"TTHC-XSD-001",
		"TTHC-XSD-001",
		"TTHC-XSD-001",
		"TTHC-FILE-001,TTHC-XSD-001",
		"TTHC-LLTP-001,TTHC-XSD-001",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		check_rules(docs[i], testdata, expect[i]);
}

static int setup(void **state)
{
	const char *schemas = getenv("TTHC_SCHEMA_DIR");

	(void)state;
	testdata = getenv("TTHC_TESTDATA");
	if (!schemas || !testdata)
		return -1;
	if (tthc_ctx_new(&ctx) < 0 || tthc_ctx_set_schema_dir(ctx, schemas) < 0)
		return -1;
	return tthc_validator_new(ctx, &validator) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	tthc_validator_free(validator);
	tthc_ctx_free(ctx);
	return 0;
}

int main(void)
{
	struct CMUnitTest *tests = calloc(N_CASES + 3, sizeof(*tests));
	size_t n = 0;
	int ret;

	if (!tests)
		return 1;
	for (size_t i = 0; i < N_CASES; i++)
		tests[n++] = (struct CMUnitTest){ .name = cases[i].name,
			                          .test_func = run_case,
			                          .initial_state = (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest){ .name = "message shape",
		                          .test_func = test_message_shape };
	tests[n++] =
	    (struct CMUnitTest){ .name = "symbolic links", .test_func = test_symlinks };
	tests[n++] = (struct CMUnitTest){ .name = "broken documents",
		                          .test_func = test_broken_documents };
	ret = _cmocka_run_group_tests("rules", tests, n, setup, teardown);
	free(tests);
	return ret;
}
