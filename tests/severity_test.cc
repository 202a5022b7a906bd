#include "core/severity.h"

#include <gtest/gtest.h>

#include <string>

namespace parkwatch {
namespace {

TEST(SeverityParserTest, AcceptsEnglishInAnyCaseAndChineseWithOrWithoutColour) {
  struct Case {
    const char* text;
    Severity want;
  };
  const Case cases[] = {
      {"none", Severity::kNone}, {"NONE", Severity::kNone},     {"无", Severity::kNone},
      {"blue", Severity::kBlue}, {"Blue", Severity::kBlue},     {"蓝", Severity::kBlue},
      {"蓝色", Severity::kBlue}, {"yellow", Severity::kYellow}, {"YELLOW", Severity::kYellow},
      {"黄", Severity::kYellow}, {"黄色", Severity::kYellow},   {"orange", Severity::kOrange},
      {"橙", Severity::kOrange}, {"橙色", Severity::kOrange},   {"red", Severity::kRed},
      {"rEd", Severity::kRed},   {"红", Severity::kRed},        {"红色", Severity::kRed},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseSeverity(c.text), c.want) << c.text;
}

TEST(SeverityParserTest, RefusesWhatIsNotALevel) {
  for (const char* text : {"", " red", "red ", "purple", "色", "无色", "红红", "色红", "reds", "0",
                           "4", "critical", "warning", "红色预警"})
    EXPECT_FALSE(ParseSeverity(text)) << text;
}

TEST(SeverityParserTest, EveryNameParsesBackToItsLevel) {
  for (Severity s :
       {Severity::kNone, Severity::kBlue, Severity::kYellow, Severity::kOrange, Severity::kRed})
    EXPECT_EQ(ParseSeverity(SeverityName(s)), s) << SeverityName(s);
  for (Severity s : kWarningColours) {
    EXPECT_EQ(ParseSeverity(SeverityChineseName(s)), s) << SeverityName(s);
    EXPECT_EQ(ParseSeverity(std::string(SeverityChineseName(s)) + "色"), s) << SeverityName(s);
  }
}

TEST(SeverityParserTest, ColoursAreOrderedLeastToMostSevere) {
  EXPECT_LT(Severity::kNone, kWarningColours.front());
  for (size_t i = 1; i < kWarningColours.size(); ++i)
    EXPECT_LT(kWarningColours[i - 1], kWarningColours[i]);
  EXPECT_EQ(SeverityChineseName(Severity::kRed), "红");
  EXPECT_EQ(SeverityChineseName(Severity::kNone), "");
}

}  // namespace
}  // namespace parkwatch
