// Workbooks as a bureau receives them (collectors/workbook.h, xlsx_reader.h, xls_reader.h,
// ReadSheetTable): made at run time by the programs offices' files come from — openpyxl and
// libxlsxwriter for .xlsx, xlwt for .xls — and ingested through IngestFile into a real store,
// the way the inbox does it. Hostile files are refused whole, with a reason, storing nothing.
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "collectors/ingest.h"
#include "collectors/workbook.h"
#include "tests/support/child_process.h"
#include "tests/support/store_checks.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using testing::QueryInt;
using testing::Shell;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WriteFile;

class WorkbookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.indicators = DefaultIndicators();
    collector_.name = "inbox";
    store_ = Store::Open(dir_ / "pw.db");
  }

  // Runs a Python script (openpyxl, xlwt) with the test's credit codes 1..3 as arguments.
  void Python(const std::string& script) {
    std::string path = WriteFile(dir_ / "make.py", script);
    std::string out;
    int rc = Shell("/usr/bin/python3 " + path + " " + dir_.path() + " " + TestCreditCode(1) + " " +
                       TestCreditCode(2) + " " + TestCreditCode(3) + " 2>&1",
                   &out);
    ASSERT_EQ(rc, 0) << out;
  }

  BatchSummary Ingest(const std::string& name) {
    return IngestFile(dir_ / name, collector_, config_, *store_);
  }

  // The current value of a figure, NaN when there is none.
  double Figure(int code, const std::string& indicator, const std::string& period) {
    auto e = store_->FindEnterprise(TestCreditCode(code));
    if (!e) return NAN;
    auto p = Period::Parse(period);
    for (const SeriesPoint& s : store_->Series(e->id, indicator, p->cadence()))
      if (s.period == *p) return s.value;
    return NAN;
  }

  int64_t StoredFigures() { return QueryInt(dir_ / "pw.db", "SELECT count(*) FROM figures"); }

  static std::string Errors(const BatchSummary& s) { return JoinDiagnostics(s.errors); }

  TempDir dir_;
  Config config_;
  CollectorConfig collector_;
  std::unique_ptr<Store> store_;
};

// A statistical table as a statistics office sends it: a title block, a header of two rows
// with merged group cells, date cells for the period, a 合计 row and the signatures below.
constexpr char kStatisticalTable[] = R"PY(
import sys, datetime, openpyxl
out, a, b, c = sys.argv[1:5]
wb = openpyxl.Workbook()
wb.active.title = "说明"
wb.active["A1"] = "本表按月报送"
ws = wb.create_sheet("企业月报")
ws["A1"] = "2026年3月规模以上工业企业主要经济指标"
ws.merge_cells("A1:H1")
ws["A2"] = "填报单位：某某工业园区管委会"
ws["G2"] = "单位：万元"
for col, text in zip("ABCDG", ["统一社会信用代码", "企业名称", "报告期", "工业总产值", "营业收入"]):
    ws[col + "3"] = text
for col in "ABC":
    ws.merge_cells(col + "3:" + col + "4")
ws.merge_cells("D3:F3")
ws.merge_cells("G3:H3")
for col, text in zip("DEFGH", ["本月", "本年累计", "上年同期", "本月", "同比增长(%)"]):
    ws[col + "4"] = text
rows = [(a, "甲公司", 1200.5, 3300, 1100, 1500, 6.2),
        (b, "乙公司", 800, 2100.25, 900, 950, -3.1),
        (c, "丙公司", 27593.1, 80000, 26000, 30000, 1.0)]
for i, (code, name, month, ytd, last, rev, growth) in enumerate(rows, start=5):
    ws.cell(i, 1, code); ws.cell(i, 2, name)
    d = ws.cell(i, 3, datetime.date(2026, 3, 1)); d.number_format = "yyyy-mm-dd"
    for col, v in zip(range(4, 9), (month, ytd, last, rev, growth)):
        ws.cell(i, col, v)
ws["A8"] = "合计"
ws["D8"] = "=SUM(D5:D7)"
ws["A10"] = "单位负责人：张三        填表人：李四        报出日期：2026年4月8日"
wb.save(out + "/企业月报.xlsx")
)PY";

TEST_F(WorkbookTest, AStatisticalTableWithTitleBlockAndGroupHeadersIsIngested) {
  Python(kStatisticalTable);
  collector_.sheet = "企业月报";
  BatchSummary s = Ingest("企业月报.xlsx");
  ASSERT_EQ(s.status, "committed") << Errors(s);
  EXPECT_EQ(s.rows_read, 3);  // the 合计 row and the signatures are not enterprises
  EXPECT_EQ(s.rows_accepted, 3);
  // 单位：万元 in the title block; the month under 本月, the same month of 2025 under 上年同期.
  EXPECT_DOUBLE_EQ(Figure(1, "output_value", "2026-03"), 1200.5e4);
  EXPECT_DOUBLE_EQ(Figure(1, "output_value", "2025-03"), 1100e4);
  EXPECT_DOUBLE_EQ(Figure(3, "output_value", "2026-03"), 27593.1e4);
  EXPECT_DOUBLE_EQ(Figure(2, "revenue", "2026-03"), 950e4);
  EXPECT_EQ(store_->FindEnterprise(TestCreditCode(2))->name, "乙公司");
  EXPECT_EQ(StoredFigures(), 9);  // the year-to-date column is checked, not stored
}

TEST_F(WorkbookTest, ASheetIsChosenByNameOrNumberAndAMissingOneIsNamedWithTheOthers) {
  Python(kStatisticalTable);
  collector_.sheet = "2";
  EXPECT_EQ(Ingest("企业月报.xlsx").status, "committed");

  store_ = Store::Open(dir_ / "other.db");
  collector_.sheet = "月报";
  BatchSummary s = Ingest("企业月报.xlsx");
  EXPECT_EQ(s.status, "rejected");
  EXPECT_NE(Errors(s).find("no sheet named \"月报\" in the workbook (sheets: 说明, 企业月报)"),
            std::string::npos)
      << Errors(s);
}

TEST_F(WorkbookTest, EverySheetIsReadWhenTheCollectorAsksForAllOfThem) {
  Python(R"PY(
import sys, openpyxl
out, a, b, c = sys.argv[1:5]
wb = openpyxl.Workbook()
for title, code, value in (("数据1", a, 1), ("数据2", b, 2)):
    ws = wb.active if title == "数据1" else wb.create_sheet(title)
    ws.title = title
    ws.append(["统一社会信用代码", "报告期", "工业总产值(万元)"])
    ws.append([code, "2026-03", value])
wb["数据2"]["C2"] = "x"
wb.save(out + "/two.xlsx")
)PY");
  collector_.sheet = "*";
  BatchSummary s = Ingest("two.xlsx");
  EXPECT_EQ(s.rows_read, 2);
  EXPECT_EQ(s.status, "rejected");
  EXPECT_NE(Errors(s).find("two.xlsx:数据2!C2: 工业总产值(万元): not a number: \"x\""),
            std::string::npos)
      << Errors(s);
  collector_.atomic = false;
  s = Ingest("two.xlsx");
  EXPECT_EQ(s.status, "partial") << Errors(s);
  EXPECT_DOUBLE_EQ(Figure(1, "output_value", "2026-03"), 1e4);
}

TEST_F(WorkbookTest, AnErrorNamesTheSheetAndTheCellAndKeepsTheBatchOut) {
  Python(std::string(kStatisticalTable) + R"PY(
wb = openpyxl.load_workbook(out + "/企业月报.xlsx")
wb["企业月报"]["D6"] = "n/a"
wb["企业月报"]["E7"] = 100  # year to date below the month's 27593.1
wb.save(out + "/企业月报.xlsx")
)PY");
  collector_.sheet = "企业月报";
  BatchSummary s = Ingest("企业月报.xlsx");
  EXPECT_EQ(s.status, "rejected");
  EXPECT_NE(Errors(s).find("企业月报.xlsx:企业月报!D6: 工业总产值 本月: not a number: \"n/a\""),
            std::string::npos)
      << Errors(s);
  EXPECT_NE(Errors(s).find("企业月报.xlsx:企业月报!E7: 工业总产值 本年累计: the year-to-date "
                           "figure is smaller than the month's own"),
            std::string::npos)
      << Errors(s);
  // The bureau's staff read the same in Chinese, as stored with the batch for the console.
  std::vector<BatchSummary> stored = store_->RecentBatches(1);
  ASSERT_EQ(stored.size(), 1u);
  const std::string zh = JoinDiagnosticsZhEn(stored[0].errors);
  EXPECT_NE(
      zh.find("企业月报.xlsx 工作表 企业月报 D6 单元格 · 工业总产值 本月：不是数字：\"n/a\"\n"),
      std::string::npos)
      << zh;
  EXPECT_NE(
      zh.find("企业月报.xlsx 工作表 企业月报 E7 单元格 · 工业总产值 本年累计：本年累计小于本月数"),
      std::string::npos)
      << zh;
  EXPECT_EQ(StoredFigures(), 0);
}

TEST_F(WorkbookTest, DatesOfThe1904SystemAreTheMonthsTheyShow) {
  Python(R"PY(
import sys, datetime, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
out, a, b, c = sys.argv[1:5]
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.append(["统一社会信用代码", "报告期", "工业总产值(万元)"])
ws.append([a, datetime.date(2026, 1, 31), 10])
ws.append([b, datetime.date(2025, 12, 1), 20])
for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
    row[0].number_format = "yyyy年m月"
wb.save(out + "/mac.xlsx")
)PY");
  BatchSummary s = Ingest("mac.xlsx");
  ASSERT_EQ(s.status, "committed") << Errors(s);
  EXPECT_DOUBLE_EQ(Figure(1, "output_value", "2026-01"), 10e4);
  EXPECT_DOUBLE_EQ(Figure(2, "output_value", "2025-12"), 20e4);
}

TEST_F(WorkbookTest, AFormulaNeverCalculatedIsRefusedWithWhatToDo) {
  Python(R"PY(
import sys, openpyxl
out, a, b, c = sys.argv[1:5]
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["统一社会信用代码", "报告期", "工业总产值(万元)"])
ws.append([a, "2026-03", "=1+1"])
wb.save(out + "/formula.xlsx")
)PY");
  BatchSummary s = Ingest("formula.xlsx");
  EXPECT_EQ(s.status, "rejected");
  EXPECT_NE(
      Errors(s).find("formula.xlsx:Sheet!C2: 工业总产值(万元): a formula whose value was never "
                     "calculated"),
      std::string::npos)
      << Errors(s);
}

// libxlsxwriter in constant-memory mode, as report generators write big sheets: inline
// strings, date cells, formulas with their values, more rows than an .xls can hold.
TEST_F(WorkbookTest, ALibxlsxwriterSheetBeyond65536RowsWithFormulasStreamsThrough) {
  constexpr int kRows = 70000;
  std::string path = dir_ / "big.xlsx";
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "数据");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  worksheet_write_string(ws, 0, 0, "统一社会信用代码", nullptr);
  worksheet_write_string(ws, 0, 1, "报告期", nullptr);
  worksheet_write_string(ws, 0, 2, "营业收入(万元)", nullptr);
  worksheet_write_string(ws, 0, 3, "工业总产值(万元)", nullptr);
  lxw_datetime march = {2026, 3, 1, 0, 0, 0};
  for (int i = 1; i <= kRows; ++i) {
    worksheet_write_string(ws, i, 0, TestCreditCode(i).c_str(), nullptr);
    worksheet_write_datetime(ws, i, 1, &march, date);
    worksheet_write_number(ws, i, 2, i, nullptr);
    std::string formula = "=C" + std::to_string(i + 1) + "*2";
    worksheet_write_formula_num(ws, i, 3, formula.c_str(), nullptr, 2.0 * i);
  }
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  std::vector<int64_t> progress;
  BatchSummary s = IngestFile(path, collector_, config_, *store_,
                              [&](int64_t done, int64_t) { progress.push_back(done); });
  ASSERT_EQ(s.status, "committed") << Errors(s);
  EXPECT_EQ(s.rows_accepted, kRows);
  EXPECT_DOUBLE_EQ(Figure(kRows, "output_value", "2026-03"), 2e4 * kRows);
  EXPECT_DOUBLE_EQ(Figure(65537, "revenue", "2026-03"), 65537e4);
  EXPECT_GT(progress.size(), 2u);  // reported along the way, not only at the end
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
}

TEST_F(WorkbookTest, AnXlsWorkbookMadeByXlwtIsIngestedAndItsErrorsNameTheCell) {
  Python(R"PY(
import sys, datetime, xlwt
out, a, b, c = sys.argv[1:5]
wb = xlwt.Workbook(encoding="utf-8")
wb.add_sheet("封面").write(0, 0, "2026年3月")
ws = wb.add_sheet("月报", cell_overwrite_ok=True)
date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
for col, text in enumerate(["统一社会信用代码", "企业名称", "报告期", "工业总产值(万元)", "重点企业"]):
    ws.write(0, col, text)
ws.write(1, 0, a); ws.write(1, 1, "甲公司"); ws.write(1, 2, datetime.date(2026, 3, 1), date)
ws.write(1, 3, 1200.5); ws.write(1, 4, "是")
ws.write(2, 0, b); ws.write(2, 1, "乙公司"); ws.write(2, 2, "2026年3月"); ws.write(2, 3, 800)
wb.save(out + "/月报.xls")
ws.write(2, 3, "八百")
wb.save(out + "/bad.xls")
)PY");
  collector_.sheet = "月报";
  BatchSummary s = Ingest("月报.xls");
  ASSERT_EQ(s.status, "committed") << Errors(s);
  EXPECT_DOUBLE_EQ(Figure(1, "output_value", "2026-03"), 1200.5e4);
  EXPECT_DOUBLE_EQ(Figure(2, "output_value", "2026-03"), 800e4);
  EXPECT_TRUE(store_->FindEnterprise(TestCreditCode(1))->key);

  BatchSummary bad = Ingest("bad.xls");
  EXPECT_EQ(bad.status, "rejected");
  EXPECT_NE(Errors(bad).find("bad.xls:月报!D3: 工业总产值(万元): not a number: \"八百\""),
            std::string::npos)
      << Errors(bad);
}

TEST_F(WorkbookTest, AWorkbookIsKnownByItsContentWhateverItsName) {
  Python(kStatisticalTable);
  fs::rename(dir_ / "企业月报.xlsx", dir_ / "企业月报.csv");
  collector_.sheet = "企业月报";
  BatchSummary s = Ingest("企业月报.csv");
  EXPECT_EQ(s.status, "committed") << Errors(s);
  EXPECT_EQ(Errors(s).find("GB18030"), std::string::npos);
}

// ---- hostile files: each refused whole, with the reason, nothing stored -------------------------

class HostileWorkbookTest : public WorkbookTest {
 protected:
  void ExpectRefused(const std::string& name, const std::string& reason) {
    BatchSummary s = Ingest(name);
    EXPECT_EQ(s.status, "rejected") << name;
    ASSERT_EQ(s.errors.size(), 1u) << Errors(s);
    EXPECT_NE(Errors(s).find(reason), std::string::npos) << Errors(s);
    EXPECT_EQ(StoredFigures(), 0);
    EXPECT_EQ(QueryInt(dir_ / "pw.db", "SELECT count(*) FROM enterprises"), 0);
  }
};

TEST_F(HostileWorkbookTest, ATruncatedArchiveIsRefusedAsCorrupt) {
  Python(kStatisticalTable);
  fs::resize_file(dir_ / "企业月报.xlsx", fs::file_size(dir_ / "企业月报.xlsx") / 2);
  ExpectRefused("企业月报.xlsx", "not a readable .xlsx archive");
}

TEST_F(HostileWorkbookTest, DamagedCompressedDataIsRefusedAsCorrupt) {
  Python(R"PY(
import sys, zipfile, random
out, a, b, c = sys.argv[1:5]
rows = "".join('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="B%d"><v>%d</v></c></row>'
               % (i, i, a, i, random.randrange(10**9)) for i in range(2, 20000))
sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>' + rows +
         '</sheetData></worksheet>')
with zipfile.ZipFile(out + "/damaged.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="S" r:id="rId1" xmlns:r="r"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", sheet)
data = bytearray(open(out + "/damaged.xlsx", "rb").read())
at = data.find(b"xl/worksheets/sheet1.xml") + 200
for i in range(at, at + 64):
    data[i] ^= 0x5A
open(out + "/damaged.xlsx", "wb").write(bytes(data))
)PY");
  ExpectRefused("damaged.xlsx", "(corrupt archive)");
}

TEST_F(HostileWorkbookTest, AZipBombIsRefusedBeforeUnpacking) {
  Python(R"PY(
import sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + "/bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="S" r:id="rId1" xmlns:r="r"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * (64 << 20) + "</sheetData></worksheet>")
with zipfile.ZipFile(out + "/swarm.xlsx", "w") as z:
    for i in range(10001):
        z.writestr("x/%d" % i, "")
)PY");
  ExpectRefused("bomb.xlsx", "refused as a zip bomb");
  ExpectRefused("swarm.xlsx", "the archive has 10001 entries");
}

TEST_F(HostileWorkbookTest, XmlEntityExpansionIsRefusedWithoutExpanding) {
  Python(R"PY(
import sys, zipfile
out = sys.argv[1]
lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    '<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1) if i else "&lol;") * 10) for i in range(9)) + ']>'
with zipfile.ZipFile(out + "/lol.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", lol + '<workbook><sheets><sheet name="&lol8;" r:id="rId1" xmlns:r="r"/></sheets></workbook>')
)PY");
  ExpectRefused("lol.xlsx", "xl/workbook.xml (line 1): has a document type declaration (DTD)");
}

TEST_F(HostileWorkbookTest, AnEncryptedWorkbookIsRefusedAsPasswordProtected) {
  // A zip whose sheet is AES-encrypted (libzip writes it)...
  std::string path = dir_ / "aes.xlsx";
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(z, nullptr);
  static const char kSheet[] = "<worksheet><sheetData/></worksheet>";
  zip_source_t* src = zip_source_buffer(z, kSheet, sizeof kSheet - 1, 0);
  zip_int64_t index = zip_file_add(z, "xl/worksheets/sheet1.xml", src, 0);
  ASSERT_GE(index, 0);
  ASSERT_EQ(zip_file_set_encryption(z, static_cast<zip_uint64_t>(index), ZIP_EM_AES_256, "pw"), 0);
  ASSERT_EQ(zip_close(z), 0);
  ExpectRefused("aes.xlsx", "is encrypted: save the workbook without a password");

  // ...and what Excel writes for a workbook with a password: an OLE2 compound file holding an
  // EncryptedPackage stream (made here with the directory name alone, which is what tells it).
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole.resize(1024, '\0');
  for (char ch : std::string("EncryptedPackage")) ole += std::string{ch, '\0'};
  ole.resize(4096, '\0');
  WriteFile(dir_ / "protected.xlsx", ole);
  ExpectRefused("protected.xlsx", "the workbook is password-protected (an encrypted .xlsx)");
}

// Found by fuzz_xls_reader: libfreexl 1.0.6 reads past a stack buffer (in its code-page
// conversion) on this file. FreeXL runs in a child process, so the file is refused and this
// process, the daemon's, is unharmed (under ASan an out-of-bounds read here would abort it).
TEST_F(HostileWorkbookTest, AnXlsThatBreaksFreeXlIsRefusedAndTheReaderLivesOn) {
  fs::copy_file(PARKWATCH_SOURCE_DIR "/tests/testdata/fuzz/xls_reader-freexl-iconv-overread.xls",
                dir_ / "crafted.xls");
  ExpectRefused("crafted.xls", "crafted.xls: ");
  WriteFile(dir_ / "ok.csv",
            "统一社会信用代码,报告期,工业总产值\n" + TestCreditCode(1) + ",2026-03,1\n");
  EXPECT_EQ(Ingest("ok.csv").status, "committed");
}

TEST_F(HostileWorkbookTest, AnArchiveThatIsNoWorkbookSaysSo) {
  Python(R"PY(
import sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + "/report.docx", "w") as z:
    z.writestr("word/document.xml", "<document/>")
)PY");
  ExpectRefused("report.docx", "a zip archive without xl/workbook.xml: not an Excel workbook");
  WriteFile(dir_ / "junk.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "junk");
  ExpectRefused("junk.xls", "junk.xls: ");
}

}  // namespace
}  // namespace parkwatch
