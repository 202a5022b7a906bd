// Cells as people type them (collectors/table_reader.h): amounts with 万 or 亿 where the
// indicator is money, and periods that Excel has made ambiguous (a typed 2026.10 shows as
// 2026.1), read only when the collector says how.
#include <gtest/gtest.h>

#include <sstream>

#include "collectors/table_reader.h"

namespace parkwatch {
namespace {

constexpr const char* kA = "91430700MA4L00001H";

class RecordingSink : public RecordSink {
 public:
  Wording PutEnterprise(const EnterpriseRecord&) override { return {}; }
  Wording PutFigure(const FigureRecord& r) override {
    figures.push_back(r);
    return {};
  }
  std::vector<FigureRecord> figures;
};

struct Read {
  TableResult result;
  RecordingSink sink;
  std::string errors() const { return JoinDiagnostics(result.errors); }
};

Read ReadCsv(const std::string& text, const std::string& period_format = "") {
  CollectorConfig collector;
  collector.name = "inbox";
  collector.period_format = period_format;
  Read r;
  std::istringstream in(text);
  ReadCsvTable(in, "t.csv", collector, DefaultIndicators(), &r.sink, &r.result);
  return r;
}

TEST(TypedCellsTest, WanAndYiInAMoneyCellAreConvertedWhereTheHeaderNamesNoOtherUnit) {
  Read r = ReadCsv(std::string("统一社会信用代码,报告期,工业总产值,营业收入,利润总额\n") + kA +
                   ",2026-03,27593.1万,1.71亿,-3.5 亿元\n");
  ASSERT_EQ(r.errors(), "");
  ASSERT_EQ(r.sink.figures.size(), 3u);
  EXPECT_DOUBLE_EQ(r.sink.figures[0].value, 27593.1e4);
  EXPECT_EQ(r.sink.figures[1].indicator, "revenue");
  EXPECT_EQ(r.sink.figures[2].indicator, "profit");
  EXPECT_DOUBLE_EQ(r.sink.figures[2].value, -3.5e8);
}

TEST(TypedCellsTest, AnAmountInTheHeadersOwnUnitIsAcceptedAndAnotherUnitIsAConflict) {
  Read same = ReadCsv(std::string("统一社会信用代码,报告期,工业总产值(万元)\n") + kA +
                      ",2026-03,27593.1万\n");
  ASSERT_EQ(same.errors(), "");
  EXPECT_DOUBLE_EQ(same.sink.figures[0].value, 27593.1e4);

  Read other =
      ReadCsv(std::string("统一社会信用代码,报告期,工业总产值(万元)\n") + kA + ",2026-03,1.71亿\n");
  EXPECT_EQ(other.errors(),
            "t.csv:2:28: 工业总产值(万元): \"1.71亿\" is in 亿元, but the column is in 万元: write "
            "the number alone, or fix the header's unit\n");
  EXPECT_TRUE(other.sink.figures.empty());
}

TEST(TypedCellsTest, WanIsRefusedForAnIndicatorThatIsNotMoney) {
  Read r = ReadCsv(std::string("统一社会信用代码,报告期,从业人员\n") + kA + ",2026-03,1.2万\n");
  EXPECT_NE(r.errors().find("an amount of money \"1.2万\" for employees, which is count"),
            std::string::npos)
      << r.errors();
  EXPECT_TRUE(r.sink.figures.empty());
}

TEST(TypedCellsTest, AYearDotOneIsAmbiguousUnlessThePeriodFormatIsDeclared) {
  const std::string csv = std::string("统一社会信用代码,报告期,工业总产值\n") + kA + ",2026.1,10\n";
  Read plain = ReadCsv(csv);
  EXPECT_NE(plain.errors().find("t.csv:2:20: 报告期: ambiguous period \"2026.1\": Excel shows a "
                                "typed 2026.10 as 2026.1"),
            std::string::npos)
      << plain.errors();
  EXPECT_TRUE(plain.sink.figures.empty());

  Read january = ReadCsv(csv, "yyyy.m");
  ASSERT_EQ(january.errors(), "");
  EXPECT_EQ(january.sink.figures[0].period.ToString(), "2026-01");

  Read october = ReadCsv(csv, "yyyy.mm");
  ASSERT_EQ(october.errors(), "");
  EXPECT_EQ(october.sink.figures[0].period.ToString(), "2026-10");
}

TEST(TypedCellsTest, UnambiguousYearDotMonthsReadAsBefore) {
  Read r = ReadCsv(std::string("统一社会信用代码,报告期,工业总产值\n") + kA + ",2026.10,1\n" + kA +
                   ",2026.3,2\n");
  ASSERT_EQ(r.errors(), "");
  EXPECT_EQ(r.sink.figures[0].period.ToString(), "2026-10");
  EXPECT_EQ(r.sink.figures[1].period.ToString(), "2026-03");

  Read strict =
      ReadCsv(std::string("统一社会信用代码,报告期,工业总产值\n") + kA + ",2026.3,2\n", "yyyy.mm");
  EXPECT_NE(strict.errors().find("under period_format yyyy.mm it is month 30"), std::string::npos)
      << strict.errors();
}

}  // namespace
}  // namespace parkwatch
