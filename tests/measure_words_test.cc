// A rule's measure and its values in words, as the rule list, `explain` and the API's value_text
// say them to a person.
#include "rules/measure_words.h"

#include <gtest/gtest.h>

#include "rules/rule_config.h"

namespace parkwatch {
namespace {

class MeasureWordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Diagnostic> d;
    ASSERT_TRUE(LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"},
                              &rules_, &d))
        << JoinDiagnostics(d);
    config_.indicators = DefaultIndicators();
  }
  const RuleConfig& Rule(const char* name) {
    const RuleConfig* r = rules_.FindRule(name);
    EXPECT_NE(r, nullptr) << name;
    return *r;
  }
  RuleSet rules_;
  Config config_;
};

TEST_F(MeasureWordsTest, GrowthIsAPercentageWithItsSign) {
  EXPECT_EQ(ValueWords(Rule("KeyEnterpriseOutputDrop"), config_, -0.35), "-35.0%");
  EXPECT_EQ(ValueWords(Rule("KeyEnterpriseOutputDrop"), config_, 0.062), "6.2%");
}

TEST_F(MeasureWordsTest, CountsOfPeriodsAreNotPercentages) {
  // Six months of decline in a row read "6期", never "600.0%".
  EXPECT_EQ(ValueWords(Rule("ConsecutiveMonthlyDecline"), config_, 6), "6期");
  EXPECT_EQ(ValueWords(Rule("MonthlyReportMissing"), config_, 2), "2期");
  EXPECT_EQ(ValueWords(Rule("MonthlyReportMissing"), config_, 2, Language::kEn), "2 periods");
}

TEST_F(MeasureWordsTest, AnomaliesAreInStandardDeviations) {
  EXPECT_EQ(ValueWords(Rule("OutputAnomaly"), config_, -3.24), "-3.2个标准差");
  EXPECT_EQ(ValueWords(Rule("OutputAnomaly"), config_, -3.24, Language::kEn), "-3.2σ");
}

TEST_F(MeasureWordsTest, AUnitSlipSaysTheFactor) {
  EXPECT_EQ(ValueWords(Rule("MonthlyUnitSlip"), config_, 4), "10000倍");
  EXPECT_EQ(ValueWords(Rule("MonthlyUnitSlip"), config_, -1), "1/10");
}

TEST_F(MeasureWordsTest, RateChangesAndPullsAreInPercentagePoints) {
  EXPECT_EQ(MeasureUnit(Rule("ParkGrowthSlowing"), config_), "points");
  EXPECT_EQ(ValueWords(Rule("ParkGrowthSlowing"), config_, -0.031), "-3.10个百分点");
  // A key enterprise pulling the park's growth down by half a point.
  EXPECT_EQ(ValueWords(Rule("KeyEnterpriseDragsPark"), config_, -0.005), "-0.50个百分点");
}

TEST_F(MeasureWordsTest, AGapToTheTargetIsInPercentagePoints) {
  // 1—10月 growth 1.3 % against a target of 8 %: 6.7 points short, not "a fall of 6.7 %".
  EXPECT_EQ(MeasureUnit(Rule("IndustryBelowTarget"), config_), "points");
  EXPECT_EQ(ValueWords(Rule("IndustryBelowTarget"), config_, -0.067), "-6.70个百分点");
}

TEST_F(MeasureWordsTest, ALevelIsAnAmountInItsDisplayUnit) {
  EXPECT_EQ(ValueWords(Rule("OutputAnomaly"), config_, 1), "1.0个标准差");  // anomaly: sigma
  RuleConfig level = Rule("OutputAnomaly");
  level.kind = RuleKind::kThreshold;
  level.measure.kind = MeasureKind::kLevel;
  EXPECT_EQ(ValueWords(level, config_, 12345678), "1,234.57万元");
}

}  // namespace
}  // namespace parkwatch
