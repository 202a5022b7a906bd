#include "collectors/table_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "core/credit_code.h"
#include "support/text_encoding.h"

namespace parkwatch {
namespace {

using testing::ReadTestData;
using testing::ToGb18030;

// Valid codes (check characters from CreditCodeCheckChar).
constexpr const char* kA = "91430700MA4L00001H";
constexpr const char* kB = "91430700MA4L00011J";

// Records what a reader sends, in order, and refuses the figures it is told to (as the store
// refuses a duplicate within a batch).
class RecordingSink : public RecordSink {
 public:
  Wording PutEnterprise(const EnterpriseRecord& r) override {
    enterprises.push_back(r);
    order.push_back("E " + r.credit_code);
    return {};
  }
  Wording PutFigure(const FigureRecord& r) override {
    if (r.indicator == refuse_indicator && r.credit_code == refuse_code)
      return {"duplicate row in this batch", "本批次中重复的行"};
    figures.push_back(r);
    order.push_back("F " + r.credit_code + " " + r.indicator);
    return {};
  }
  const FigureRecord* Find(const std::string& code, const std::string& indicator,
                           const std::string& period = "") const {
    for (const auto& f : figures)
      if (f.credit_code == code && f.indicator == indicator &&
          (period.empty() || f.period.ToString() == period))
        return &f;
    return nullptr;
  }

  std::vector<EnterpriseRecord> enterprises;
  std::vector<FigureRecord> figures;
  std::vector<std::string> order;
  std::string refuse_indicator, refuse_code;
};

struct Read {
  TableResult result;
  RecordingSink sink;
  std::string errors() const { return JoinDiagnostics(result.errors); }
};

CollectorConfig Collector(std::string encoding = "auto") {
  CollectorConfig c;
  c.name = "inbox";
  c.encoding = std::move(encoding);
  return c;
}

void ReadCsv(const std::string& text, Read* r, const CollectorConfig& collector = Collector(),
             const std::string& file = "t.csv") {
  std::istringstream in(text);
  ReadCsvTable(in, file, collector, DefaultIndicators(), &r->sink, &r->result);
}

// The one diagnostic a read produced, as file:line:column: field: message.
std::string OnlyError(const Read& r) {
  EXPECT_EQ(r.result.errors.size(), 1u) << r.errors();
  return r.result.errors.empty() ? "" : r.result.errors[0].ToString();
}

// The same as the bureau's staff read it on the console and in *.errors.txt.
std::string OnlyErrorZh(const Read& r) {
  EXPECT_EQ(r.result.errors.size(), 1u) << r.errors();
  return r.result.errors.empty() ? "" : r.result.errors[0].ToStringZh();
}

TEST(TableReaderTest, MonthlyUtf8WideTable) {
  Read r;
  ReadCsv(ReadTestData("monthly_utf8.csv"), &r, Collector(), "monthly_utf8.csv");
  EXPECT_EQ(r.errors(), "");
  EXPECT_EQ(r.result.encoding, "utf-8");
  EXPECT_EQ(r.result.rows_read, 3);
  EXPECT_EQ(r.result.rows_accepted, 3);

  ASSERT_EQ(r.sink.enterprises.size(), 3u);
  EXPECT_EQ(r.sink.enterprises[0].name, "常德医药化工有限公司");
  EXPECT_EQ(r.sink.enterprises[0].industry, "医药化工");
  EXPECT_EQ(r.sink.enterprises[0].key, true);
  EXPECT_EQ(r.sink.enterprises[1].name, "湖南装备制造股份有限公司\n(经开区分公司)");
  EXPECT_EQ(r.sink.enterprises[1].key, false);
  EXPECT_EQ(r.sink.enterprises[2].name, "轻工食品,常德有限公司");

  // Units from the header in both parenthesis styles, converted to yuan and kWh.
  const FigureRecord* f = r.sink.Find(kA, "output_value");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->period.is_jan_feb());
  EXPECT_DOUBLE_EQ(f->value, 12345.6e4);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "revenue")->value, 23456e4);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "electricity")->value, 88.5e4);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "profit")->value, -120e4);  // profit may be negative
  EXPECT_EQ(r.sink.Find(kB, "revenue"), nullptr);              // blank: no figure, not zero
  EXPECT_EQ(r.sink.Find(kB, "output_value")->period.ToString(), "2024-03");
  // Third row: "-", "—" and blank are all missing; 202403 is March.
  const std::string kC = "91430700MA4L00021K";
  EXPECT_EQ(r.sink.Find(kC, "output_value"), nullptr);
  EXPECT_EQ(r.sink.Find(kC, "electricity"), nullptr);
  EXPECT_EQ(r.sink.Find(kC, "profit"), nullptr);
  EXPECT_EQ(r.sink.Find(kC, "revenue")->period.ToString(), "2024-03");
  EXPECT_EQ(r.sink.figures.size(), 4u + 3u + 1u);
  // The enterprise goes first, then its figures.
  EXPECT_EQ(r.sink.order[0], std::string("E ") + kA);
  EXPECT_EQ(r.sink.order[1], std::string("F ") + kA + " output_value");
}

TEST(TableReaderTest, WeeklyWithBomEnglishHeadersAndCrlf) {
  Read r;
  ReadCsv(ReadTestData("weekly_bom.csv"), &r);
  EXPECT_EQ(r.errors(), "");
  EXPECT_EQ(r.result.encoding, "utf-8");
  EXPECT_EQ(r.result.rows_accepted, 3);
  const std::string kD = "91430700MA4L00031L", kE = "91430700MA4L00041M";
  EXPECT_EQ(r.sink.enterprises[0].name, "Changde \"Power\" Electronics");
  EXPECT_EQ(r.sink.enterprises[1].key, false);
  EXPECT_DOUBLE_EQ(r.sink.Find(kD, "output_value", "2024-W05")->value, 1234e4);
  EXPECT_DOUBLE_EQ(r.sink.Find(kD, "electricity", "2024-W05")->value, 56e4);  // default 万千瓦时
  EXPECT_DOUBLE_EQ(r.sink.Find(kD, "value_added_growth", "2024-W05")->value, 0.075);
  EXPECT_DOUBLE_EQ(r.sink.Find(kE, "value_added_growth", "2024-W05")->value, -0.025);
  EXPECT_DOUBLE_EQ(r.sink.Find(kD, "output_value", "2024-W06")->value, 1300e4);
  EXPECT_EQ(r.sink.Find(kD, "electricity", "2024-W06"), nullptr);
}

TEST(TableReaderTest, Gb18030FileDetectedOrDeclared) {
  std::string gb = ToGb18030(ReadTestData("monthly_utf8.csv"));
  for (std::string encoding : {"auto", "gb18030", "GBK"}) {
    Read r;
    ReadCsv(gb, &r, Collector(encoding));
    EXPECT_EQ(r.errors(), "") << encoding;
    EXPECT_EQ(r.result.encoding, "gb18030");
    EXPECT_EQ(r.result.rows_accepted, 3);
    ASSERT_EQ(r.sink.enterprises.size(), 3u);
    EXPECT_EQ(r.sink.enterprises[1].name, "湖南装备制造股份有限公司\n(经开区分公司)");
    EXPECT_DOUBLE_EQ(r.sink.Find(kA, "output_value")->value, 12345.6e4);
  }
}

TEST(TableReaderTest, LongFormat) {
  Read r;
  ReadCsv(ReadTestData("long_format.csv"), &r);
  EXPECT_EQ(r.errors(), "");
  EXPECT_EQ(r.result.rows_accepted, 6);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "output_value")->value, 1200e4);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "electricity")->value, 350000);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "value_added_growth")->value, 0.068);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "value_added")->value, 0.05e8);  // unit from "(亿元)"
  EXPECT_DOUBLE_EQ(r.sink.Find(kB, "employees")->value, 1520);
  EXPECT_DOUBLE_EQ(r.sink.Find(kB, "ppi")->value, 98.7);  // an index, kept as published
  EXPECT_TRUE(r.sink.enterprises.empty());
}

TEST(TableReaderTest, EveryPeriodForm) {
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"2024-03", "2024-03"},       {"2024/3", "2024-03"},         {"202403", "2024-03"},
      {"2024年3月", "2024-03"},     {"2024-W05", "2024-W05"},      {"2024W5", "2024-W05"},
      {"2024年第5周", "2024-W05"},  {"2024年1-2月", "2024-01/02"}, {"2024年1—2月", "2024-01/02"},
      {"2024-01/02", "2024-01/02"}, {"2024-01~02", "2024-01/02"}};
  std::string text = "信用代码,期别,产值\n";
  for (const auto& f : forms) text += std::string(kA) + "," + f.first + ",1\n";
  Read r;
  ReadCsv(text, &r);
  EXPECT_EQ(r.errors(), "");
  ASSERT_EQ(r.sink.figures.size(), forms.size());
  for (size_t i = 0; i < forms.size(); ++i)
    EXPECT_EQ(r.sink.figures[i].period.ToString(), forms[i].second) << forms[i].first;
}

TEST(TableReaderTest, TabSeparatedAndNumberForms) {
  Read r;
  ReadCsv(std::string("统一社会信用代码\t报告期\t产值（元）\t从业人员\n") + kA +
              "\t2024-03\t １２３４．５ \t1,234,567\n",
          &r);
  EXPECT_EQ(r.errors(), "");
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "output_value")->value, 1234.5);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "employees")->value, 1234567);
}

TEST(TableReaderTest, CollectorColumnsComeFirst) {
  CollectorConfig c = Collector();
  ColumnRole code;
  code.kind = ColumnRole::kCreditCode;
  ColumnRole kwh;
  kwh.kind = ColumnRole::kIndicator;
  kwh.indicator = "electricity";
  kwh.unit = "kWh";
  ColumnRole output;
  output.kind = ColumnRole::kIndicator;
  output.indicator = "output_value";
  c.columns = {{"纳税人识别号", code}, {"本月电量", kwh}, {"本月产值", output}, {"产值", kwh}};
  Read r;
  ReadCsv(std::string("纳税人识别号,报告期,本月电量,本月产值(千元)\n") + kA + ",2024-03,500,7\n",
          &r, c);
  EXPECT_EQ(r.errors(), "");
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "electricity")->value, 500);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "output_value")->value, 7000);  // unit from the header
}

TEST(TableReaderTest, EnterpriseRegisterNeedsNoPeriod) {
  Read r;
  ReadCsv(
      std::string("统一社会信用代码,单位详细名称,行业类别,重点企业,规上起始年份,规上截止年份\n") +
          kA + ",常德某某,装备制造,重点,2019,\n" + kB + ",另一家,医药化工,,2020年,2023\n",
      &r);
  EXPECT_EQ(r.errors(), "");
  ASSERT_EQ(r.sink.enterprises.size(), 2u);
  EXPECT_EQ(r.sink.enterprises[0].key, true);
  EXPECT_EQ(r.sink.enterprises[0].above_size_since, 2019);
  EXPECT_EQ(r.sink.enterprises[0].above_size_until, std::nullopt);
  EXPECT_EQ(r.sink.enterprises[1].key, std::nullopt);  // blank: unset
  EXPECT_EQ(r.sink.enterprises[1].above_size_since, 2020);
  EXPECT_EQ(r.sink.enterprises[1].above_size_until, 2023);
}

TEST(TableReaderTest, LargeGb18030FileStreams) {
  // Several decoder blocks, so rows and characters straddle block and buffer boundaries.
  std::string text = "统一社会信用代码,企业名称,报告期,工业总产值（万元）\n";
  const int rows = 40000;
  for (int i = 0; i < rows; ++i)
    text += std::string(i % 2 ? kA : kB) + ",\"常德经开区第" + std::to_string(i) +
            "号企业\",2024年第" + std::to_string(i % 52 + 1) + "周," + std::to_string(i) + ".5\n";
  std::string gb = ToGb18030(text);
  Read r;
  std::istringstream in(gb);
  int64_t last_progress = 0;
  ReadCsvTable(in, "big.csv", Collector(), DefaultIndicators(), &r.sink, &r.result,
               [&](int64_t bytes) { last_progress = bytes; });
  EXPECT_EQ(r.errors(), "");
  EXPECT_EQ(r.result.encoding, "gb18030");
  EXPECT_EQ(r.result.rows_accepted, rows);
  EXPECT_EQ(last_progress, static_cast<int64_t>(gb.size()));  // progress counts input bytes
  ASSERT_EQ(r.sink.enterprises.size(), static_cast<size_t>(rows));
  EXPECT_EQ(r.sink.enterprises[rows - 1].name,
            "常德经开区第" + std::to_string(rows - 1) + "号企业");
  EXPECT_DOUBLE_EQ(r.sink.figures[rows - 1].value, (rows - 1 + 0.5) * 1e4);
}

TEST(TableReaderTest, SurvivesMangledInput) {
  // Random damage to a good file must produce diagnostics, never a crash (run under ASan/UBSan).
  const std::string good = ReadTestData("monthly_utf8.csv") + ReadTestData("long_format.csv");
  uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  const char specials[] = {',', '"', '\n', '\r', '\t', '\x80', '\xFF', '\xE4', '-', '('};
  for (int round = 0; round < 300; ++round) {
    std::string text = good;
    for (int k = 0; k < 1 + round % 8; ++k) {
      size_t at = next() % text.size();
      if (next() % 2)
        text[at] = specials[next() % sizeof specials];
      else
        text.erase(at, next() % 4);
      if (text.empty()) text = ",";
    }
    for (const char* encoding : {"auto", "gb18030"}) {
      Read r;
      ReadCsv(text, &r, Collector(encoding));
      EXPECT_LE(r.result.rows_accepted, r.result.rows_read);
    }
  }
}

// ---- bad input: every class names file:line:column and rejects only its row ----

const std::string kHeader = "统一社会信用代码,报告期,工业总产值(万元),用电量\n";

TEST(TableReaderTest, BadGb18030BytesRejectTheRow) {
  std::string gb = ToGb18030(kHeader + kA + ",2024-03,100,5\n" + kB + ",2024-03,") + "\x80" +
                   ToGb18030("200,6\n");
  Read r;
  ReadCsv(gb, &r);
  EXPECT_EQ(OnlyError(r), "t.csv:3:28: 工业总产值(万元): not valid GB18030");
  EXPECT_EQ(r.result.rows_read, 2);
  EXPECT_EQ(r.result.rows_accepted, 1);
  EXPECT_EQ(r.sink.Find(kB, "electricity"), nullptr);
}

TEST(TableReaderTest, BadUtf8BytesRejectTheRow) {
  Read r;
  ReadCsv(kHeader + kA + ",2024-03,100,5\n" + kB +
              ",2024-03,2\xC3"
              "00,6\n",
          &r, Collector("utf-8"));
  EXPECT_EQ(OnlyError(r),
            "t.csv:3:29: 工业总产值(万元): not valid UTF-8 (set the collector's encoding if the "
            "file is GB18030)");
  EXPECT_EQ(r.result.rows_accepted, 1);
}

TEST(TableReaderTest, UnknownHeaderRejectsEveryRow) {
  Read r;
  ReadCsv(std::string("统一社会信用代码,报告期,产量\n") + kA + ",2024-03,5\n", &r);
  EXPECT_EQ(
      OnlyError(r),
      "t.csv:1:14: 产量: unknown column header \"产量\"; map it under collectors[].columns or "
      "name it with a known header");
  EXPECT_EQ(r.result.rows_read, 1);
  EXPECT_EQ(r.result.rows_accepted, 0);
  EXPECT_TRUE(r.sink.figures.empty());
}

TEST(TableReaderTest, MissingRequiredColumns) {
  Read r;
  ReadCsv("企业名称,产值\n某某,5\n", &r);
  EXPECT_EQ(JoinDiagnostics(r.result.errors),
            "t.csv:1: no credit code column (统一社会信用代码 or credit_code)\n"
            "t.csv:1: no period column (报告期 or period), needed for figures\n");
  EXPECT_EQ(JoinDiagnosticsZhEn(r.result.errors),
            "t.csv 第1行：缺少必填列：统一社会信用代码\n"
            "  t.csv:1: no credit code column (统一社会信用代码 or credit_code)\n"
            "t.csv 第1行：缺少必填列：报告期（填报数据时必须有）\n"
            "  t.csv:1: no period column (报告期 or period), needed for figures\n");
  EXPECT_EQ(r.result.rows_accepted, 0);
}

TEST(TableReaderTest, BadNumber) {
  Read r;
  ReadCsv(kHeader + kA + ",2024-03,12a,5\n" + kB + ",2024-03,1,2\n", &r);
  EXPECT_EQ(OnlyError(r), "t.csv:2:28: 工业总产值(万元): not a number: \"12a\"");
  EXPECT_EQ(OnlyErrorZh(r), "t.csv 第2行第28列 · 工业总产值(万元)：不是数字：\"12a\"");
  EXPECT_EQ(r.result.rows_accepted, 1);
  EXPECT_TRUE(r.sink.Find(kA, "electricity") == nullptr);  // nothing of the bad row
  Read bad_grouping;
  ReadCsv(kHeader + kA + ",2024-03,\"12,34\",5\n", &bad_grouping);
  EXPECT_EQ(OnlyError(bad_grouping), "t.csv:2:28: 工业总产值(万元): not a number: \"12,34\"");
}

TEST(TableReaderTest, BadPeriod) {
  Read r;
  ReadCsv(kHeader + kA + ",2024-13,1,5\n", &r);
  EXPECT_EQ(OnlyError(r), "t.csv:2:20: 报告期: invalid period \"2024-13\": month must be 1..12");
  EXPECT_EQ(OnlyErrorZh(r), "t.csv 第2行第20列 · 报告期：报告期 \"2024-13\" 无效：月份应为1—12");
  EXPECT_EQ(r.result.rows_accepted, 0);
}

TEST(TableReaderTest, BadCreditCode) {
  Read r;
  ReadCsv(kHeader + "91430700ma4l00001j,2024-03,1,5\n", &r);
  EXPECT_EQ(OnlyError(r),
            "t.csv:2:1: 统一社会信用代码: invalid credit code \"91430700ma4l00001j\": credit code "
            "check character is 'J', expected 'H'");
  EXPECT_EQ(OnlyErrorZh(r),
            "t.csv 第2行第1列 · 统一社会信用代码：\"91430700ma4l00001j\" 无效，"
            "统一社会信用代码校验位应为 H，实为 J");
  // Lower case and spaces are normalised before validation.
  Read fixed;
  ReadCsv(kHeader + " 91430700ma4l00001h ,2024-03,1,5\n", &fixed);
  EXPECT_EQ(fixed.errors(), "");
  EXPECT_NE(fixed.sink.Find(kA, "output_value"), nullptr);
}

TEST(TableReaderTest, NegativeLevel) {
  Read r;
  ReadCsv(kHeader + kA + ",2024-03,-5,5\n", &r);
  EXPECT_EQ(OnlyError(r),
            "t.csv:2:28: 工业总产值(万元): negative value \"-5\" for output_value, which cannot "
            "be negative");
}

TEST(TableReaderTest, UnitOfTheWrongDimension) {
  Read header;
  ReadCsv(std::string("统一社会信用代码,报告期,用电量(万元)\n") + kA + ",2024-03,5\n", &header);
  EXPECT_EQ(OnlyError(header),
            "t.csv:1:14: 用电量(万元): unit \"万元\" measures money, but electricity is energy "
            "(e.g. 万千瓦时)");
  EXPECT_EQ(header.result.rows_accepted, 0);

  Read row;
  ReadCsv(std::string("统一社会信用代码,报告期,指标,数值,单位\n") + kA + ",2024-03,用电量,5,人\n" +
              kA + ",2024-03,产值,5,万元\n",
          &row);
  EXPECT_EQ(OnlyError(row),
            "t.csv:2:34: 单位: unit \"人\" measures count, but electricity is energy (e.g. "
            "万千瓦时)");
  EXPECT_EQ(row.result.rows_accepted, 1);
}

TEST(TableReaderTest, SinkRefusingAFigureFailsTheRow) {
  Read r;
  r.sink.refuse_indicator = "electricity";
  r.sink.refuse_code = kB;
  ReadCsv(kHeader + kA + ",2024-03,1,5\n" + kB + ",2024-03,2,6\n", &r);
  EXPECT_EQ(OnlyError(r), "t.csv:3:30: 用电量: duplicate row in this batch");
  EXPECT_EQ(OnlyErrorZh(r), "t.csv 第3行第30列 · 用电量：本批次中重复的行");
  EXPECT_EQ(r.result.rows_read, 2);
  EXPECT_EQ(r.result.rows_accepted, 1);
}

TEST(TableReaderTest, QuotingProblemsAndStrayCells) {
  Read r;
  ReadCsv(kHeader + kA + ",2024-03,\"1\"x,5\n" + kA + ",2024-03,1,5,extra\n" + kA +
              ",2024-03,1,5,,\n" + kB + ",\"2024-03,1,5\n",
          &r);
  EXPECT_EQ(JoinDiagnostics(r.result.errors),
            "t.csv:2:31: 工业总产值(万元): text after the closing quote of a field\n"
            "t.csv:3:32: value \"extra\" in column 5, which has no header\n"
            "t.csv:5:20: 报告期: quoted field is never closed (unterminated quote)\n");
  EXPECT_EQ(r.result.rows_read, 4);
  EXPECT_EQ(r.result.rows_accepted, 1);  // trailing empty cells are fine
}

TEST(TableReaderTest, ErrorListIsCapped) {
  std::string text = kHeader;
  for (int i = 0; i < 1500; ++i) text += std::string(kA) + ",2024-03,x,5\n";
  Read r;
  ReadCsv(text, &r);
  ASSERT_EQ(r.result.errors.size(), kMaxStoredErrors + 1);
  EXPECT_EQ(r.result.errors.back().ToString(),
            "t.csv: ... and " + std::to_string(1500 - kMaxStoredErrors) + " more errors");
  EXPECT_EQ(r.result.errors.back().ToStringZh(),
            "t.csv：另有 " + std::to_string(1500 - kMaxStoredErrors) + " 条错误未列出");
  EXPECT_EQ(r.result.rows_read, 1500);
  EXPECT_EQ(r.result.rows_accepted, 0);
}

TEST(TableReaderTest, EmptyInputAndBadEncodingOption) {
  Read empty;
  ReadCsv("", &empty);
  EXPECT_EQ(OnlyError(empty), "t.csv: empty input: no header line");
  Read bad;
  ReadCsv(kHeader, &bad, Collector("latin1"));
  EXPECT_EQ(OnlyError(bad), "t.csv: encoding: unknown encoding \"latin1\" (auto, utf-8, gb18030)");
}

TEST(TableReaderTest, ReportsProgress) {
  std::string text = kHeader;
  while (text.size() < (3u << 20)) text += std::string(kA) + ",2024-03,1,5\n";
  std::istringstream in(text);
  Read r;
  std::vector<int64_t> calls;
  ReadCsvTable(in, "big.csv", Collector(), DefaultIndicators(), &r.sink, &r.result,
               [&](int64_t bytes) { calls.push_back(bytes); });
  ASSERT_GE(calls.size(), 3u);
  EXPECT_EQ(calls.back(), static_cast<int64_t>(text.size()));
  EXPECT_TRUE(std::is_sorted(calls.begin(), calls.end()));
}

TEST(TableReaderTest, ParseFigureForms) {
  double v;
  bool missing;
  EXPECT_TRUE(ParseFigure(" 1,234.5 ", &v, &missing));
  EXPECT_DOUBLE_EQ(v, 1234.5);
  EXPECT_TRUE(ParseFigure("-1,234,567", &v, &missing));
  EXPECT_DOUBLE_EQ(v, -1234567);
  EXPECT_TRUE(ParseFigure("+12", &v, &missing));
  EXPECT_DOUBLE_EQ(v, 12);
  EXPECT_TRUE(ParseFigure("１２３", &v, &missing));
  EXPECT_DOUBLE_EQ(v, 123);
  EXPECT_TRUE(ParseFigure("1.5e3", &v, &missing));
  EXPECT_DOUBLE_EQ(v, 1500);
  for (const char* m : {"", "  ", "-", "—", "--"}) {
    EXPECT_FALSE(ParseFigure(m, &v, &missing));
    EXPECT_TRUE(missing) << m;
  }
  for (const char* bad : {"abc", "1,23", "12,3456", "1.2.3", "nan", "inf", "1 2", "0x10", "--5"}) {
    EXPECT_FALSE(ParseFigure(bad, &v, &missing)) << bad;
    EXPECT_FALSE(missing) << bad;
  }
}

// ---- JSON bodies ----

TEST(TableReaderTest, JsonRowsObjectAndBareArray) {
  std::string body = std::string(R"j({"rows":[{"credit_code":")j") + kA +
                     R"j(","period":"2024-W05","output_value":1234.5,"electricity":"56",)j"
                     R"j("name":"常德某某","key":true},)j"
                     R"j({"统一社会信用代码":")j" +
                     kB + R"j(","报告期":"2024年1-2月","工业总产值(万元)":"1,000"}]})j";
  Read r;
  ReadJsonTable(body, "request", Collector(), DefaultIndicators(), &r.sink, &r.result);
  EXPECT_EQ(r.errors(), "");
  EXPECT_EQ(r.result.rows_accepted, 2);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "output_value", "2024-W05")->value, 1234.5e4);
  EXPECT_DOUBLE_EQ(r.sink.Find(kA, "electricity")->value, 56e4);
  EXPECT_EQ(r.sink.enterprises.at(0).key, true);
  EXPECT_DOUBLE_EQ(r.sink.Find(kB, "output_value", "2024-01/02")->value, 1000e4);

  Read bare;
  ReadJsonTable(std::string(R"([{"credit_code":")") + kA + R"(","period":"2024-03","profit":-3}])",
                "request", Collector(), DefaultIndicators(), &bare.sink, &bare.result);
  EXPECT_EQ(bare.errors(), "");
  EXPECT_DOUBLE_EQ(bare.sink.Find(kA, "profit")->value, -3e4);
}

TEST(TableReaderTest, JsonErrorsNameRowAndMember) {
  std::string body = std::string(R"({"rows":[{"credit_code":")") + kA +
                     R"(","period":"2024-03","output_value":"abc"},)"
                     R"({"credit_code":")" +
                     kB +
                     R"(","period":"2024-03","output_value":[1]},)"
                     R"({"period":"2024-03","output_value":1}, 7]})";
  Read r;
  ReadJsonTable(body, "request", Collector(), DefaultIndicators(), &r.sink, &r.result);
  EXPECT_EQ(JoinDiagnostics(r.result.errors),
            "request:1: output_value: not a number: \"abc\"\n"
            "request:2: output_value: value must be a string or a number, not array\n"
            "request:3: no credit code column (统一社会信用代码 or credit_code)\n"
            "request:4: row is not an object of header: value members\n");
  EXPECT_EQ(r.result.errors[0].ToStringZh(), "request 第1行 · output_value：不是数字：\"abc\"");
  EXPECT_EQ(r.result.rows_read, 4);
  EXPECT_EQ(r.result.rows_accepted, 0);

  Read unknown;
  ReadJsonTable(std::string(R"([{"credit_code":")") + kA + R"(","period":"2024-03","产量":1}])",
                "request", Collector(), DefaultIndicators(), &unknown.sink, &unknown.result);
  EXPECT_EQ(OnlyError(unknown),
            "request:1: 产量: unknown column header \"产量\"; map it under collectors[].columns or "
            "name it with a known header");
  EXPECT_EQ(unknown.result.rows_accepted, 0);

  Read broken;
  ReadJsonTable("{\"rows\": [", "request", Collector(), DefaultIndicators(), &broken.sink,
                &broken.result);
  ASSERT_EQ(broken.result.errors.size(), 1u);
  EXPECT_EQ(broken.result.errors[0].message.rfind("not valid JSON", 0), 0u);
}

}  // namespace
}  // namespace parkwatch
