#include "core/period.h"

#include <gtest/gtest.h>

namespace parkwatch {
namespace {

Period P(const char* text) {
  std::string error;
  auto p = Period::Parse(text, &error);
  EXPECT_TRUE(p.has_value()) << text << ": " << error;
  return p.value_or(Period());
}

TEST(PeriodTest, ParsesTheFormsOfficesWrite) {
  EXPECT_EQ(P("2024-03"), Period::Month(2024, 3));
  EXPECT_EQ(P("2024/3"), Period::Month(2024, 3));
  EXPECT_EQ(P("202403"), Period::Month(2024, 3));
  EXPECT_EQ(P("2024年3月"), Period::Month(2024, 3));
  EXPECT_EQ(P(" 2024年03月 "), Period::Month(2024, 3));
  EXPECT_EQ(P("2024-W05"), Period::Week(2024, 5));
  EXPECT_EQ(P("2024W5"), Period::Week(2024, 5));
  EXPECT_EQ(P("2024年第5周"), Period::Week(2024, 5));
  EXPECT_EQ(P("2024年1-2月"), Period::JanFeb(2024));
  EXPECT_EQ(P("2024年1—2月"), Period::JanFeb(2024));
  EXPECT_EQ(P("2024-01/02"), Period::JanFeb(2024));
  EXPECT_EQ(P("2024-01~02"), Period::JanFeb(2024));
}

TEST(PeriodTest, RejectsWhatIsNotAPeriod) {
  for (const char* bad : {"", "2024", "2024-13", "2024-00", "2024-W54", "2023-W53", "24-03",
                          "2024-03-15", "2024年3-4月", "March 2024", "2024-03x"}) {
    std::string error;
    EXPECT_FALSE(Period::Parse(bad, &error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(PeriodTest, SaysWhyInChineseForTheFilesSender) {
  Wording why;
  EXPECT_FALSE(Period::Parse("2026年13月", &why).has_value());
  EXPECT_EQ(why.en, "invalid period \"2026年13月\": month must be 1..12");
  EXPECT_EQ(why.zh, "报告期 \"2026年13月\" 无效：月份应为1—12");
  EXPECT_FALSE(Period::Parse("2023-W53", &why).has_value());
  EXPECT_EQ(why.zh, "报告期 \"2023-W53\" 无效：2023年只有第1—52周");
  EXPECT_FALSE(Period::Parse("2024-03x", &why).has_value());
  EXPECT_EQ(why.zh, "报告期 \"2024-03x\" 无效：第8字节处有无法识别的字符");
}

TEST(PeriodTest, IsoWeeksFollowIso8601) {
  EXPECT_EQ(IsoWeeksInYear(2020), 53);
  EXPECT_EQ(IsoWeeksInYear(2021), 52);
  EXPECT_EQ(IsoWeeksInYear(2026), 53);
  // 2021-01-03 is a Sunday in ISO week 2020-W53; 2024-12-30 is in 2025-W01.
  using namespace std::chrono;
  EXPECT_EQ(Period::WeekOf(2021y / January / 3), Period::Week(2020, 53));
  EXPECT_EQ(Period::WeekOf(2024y / December / 30), Period::Week(2025, 1));
  EXPECT_EQ(Period::Week(2024, 5).FirstDay(), 2024y / January / 29);
  EXPECT_EQ(Period::Week(2024, 5).LastDay(), 2024y / February / 4);
  EXPECT_EQ(Period::Week(2020, 53).Next(), Period::Week(2021, 1));
  EXPECT_EQ(Period::Week(2021, 1).Prev(), Period::Week(2020, 53));
}

TEST(PeriodTest, Week53HasNoPartnerInA52WeekYear) {
  EXPECT_FALSE(Period::Week(2020, 53).SameLastYear().has_value());
  EXPECT_EQ(Period::Week(2021, 10).SameLastYear(), Period::Week(2020, 10));
}

TEST(PeriodTest, KeysRoundTripAndSort) {
  for (Period p : {Period::Week(2024, 5), Period::Month(2024, 3), Period::JanFeb(2024),
                   Period::Month(2024, 12)}) {
    EXPECT_EQ(Period::FromKey(p.cadence(), p.key()), p) << p.ToString();
  }
  EXPECT_LT(Period::Month(2024, 1), Period::JanFeb(2024));
  EXPECT_LT(Period::JanFeb(2024), Period::Month(2024, 2));
  EXPECT_EQ(Period::JanFeb(2024).ToString(), "2024-01/02");
  EXPECT_EQ(Period::JanFeb(2024).Next(), Period::Month(2024, 3));
  EXPECT_EQ(Period::JanFeb(2024).SameLastYear(), Period::JanFeb(2023));
  EXPECT_EQ(Period::Month(2024, 3).LastDay(),
            std::chrono::year_month_day(std::chrono::year(2024) / 3 / 31));
}

}  // namespace
}  // namespace parkwatch
