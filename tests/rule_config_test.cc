// Rule files: parsing, threshold layering, classification with hysteresis, errors with position.
#include "rules/rule_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parkwatch {
namespace {

const char* kRules = R"(
groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: Drop
        scope: enterprise
        where: {key: true}
        measure: yoy(output_value)
        levels: {blue: -0.05, yellow: -0.10, orange: -0.20, red: -0.30}
        clear: -0.03
        for: 2
        keep_firing_for: 1
        overrides:
          - industry: 医药化工
            levels: {red: -0.40}
          - enterprise: 914307000000000011
            levels: {blue: -0.01}
            clear: 0
)";

TEST(RuleConfigTest, ParsesARuleWithOverrides) {
  RuleSet set;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseRuleFile(kRules, "r.yml", &set, &d)) << JoinDiagnostics(d);
  const RuleConfig* rule = set.FindRule("Drop");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->measure.kind, MeasureKind::kYoy);
  EXPECT_EQ(rule->measure.indicator, "output_value");
  EXPECT_EQ(rule->for_periods, 2);
  EXPECT_EQ(rule->keep_firing_for, 1);
  EXPECT_EQ(rule->where.key, true);
  EXPECT_EQ(set.groups[0].cadence, Cadence::kWeekly);
  // Layering: industry override changes red only; enterprise override wins over industry.
  EXPECT_EQ(rule->ThresholdsFor("装备制造", "x").Classify(-0.35), Severity::kRed);
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "x").Classify(-0.35), Severity::kOrange);
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "x").Classify(-0.45), Severity::kRed);
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "914307000000000011").Classify(-0.02), Severity::kBlue);
}

TEST(RuleConfigTest, ClassifyAndClearGiveHysteresis) {
  Thresholds t;
  t.levels[1] = -0.05;
  t.levels[4] = -0.30;
  t.clear = -0.03;
  EXPECT_EQ(t.Classify(-0.05), Severity::kBlue);  // at or below
  EXPECT_EQ(t.Classify(-0.04), Severity::kNone);
  EXPECT_FALSE(t.Cleared(-0.04));  // between threshold and clear: neither
  EXPECT_TRUE(t.Cleared(-0.02));
  EXPECT_EQ(t.Classify(-0.31), Severity::kRed);
}

TEST(RuleConfigTest, MeasureExpressions) {
  std::string e;
  auto m = ParseMeasure("ytd_yoy(value_added, prices=comparable)", &e);
  ASSERT_TRUE(m) << e;
  EXPECT_EQ(m->kind, MeasureKind::kYtdYoy);
  EXPECT_TRUE(m->comparable_prices);
  EXPECT_TRUE(ParseMeasure("yoy(value_added, prices: comparable)", &e)->comparable_prices);
  m = ParseMeasure("pull(output_value, of: industry)", &e);
  ASSERT_TRUE(m) << e;
  EXPECT_EQ(m->whole, "industry");
  EXPECT_FALSE(ParseMeasure("yoy output_value", &e));
  EXPECT_FALSE(ParseMeasure("median(output_value)", &e));
  EXPECT_FALSE(ParseMeasure("yoy(output_value, prices: cheap)", &e));
}

// fall() takes its number of swings, consecutive_declines() the least fall that counts; both
// are refused with what they expect, and fall() follows one enterprise at current prices.
TEST(RuleConfigTest, AFallTakesItsSwingsAndADeclineItsLeastFall) {
  std::string e;
  auto m = ParseMeasure("fall(output_value, swings=2.5)", &e);
  ASSERT_TRUE(m) << e;
  EXPECT_EQ(m->kind, MeasureKind::kFall);
  EXPECT_DOUBLE_EQ(m->swings, 2.5);
  EXPECT_DOUBLE_EQ(ParseMeasure("fall(output_value)", &e)->swings, 3);
  m = ParseMeasure("consecutive_declines(output_value, by=0.01)", &e);
  ASSERT_TRUE(m) << e;
  EXPECT_DOUBLE_EQ(m->by, 0.01);
  EXPECT_FALSE(ParseMeasure("fall(output_value, swings=many)", &e));
  EXPECT_THAT(e, ::testing::HasSubstr("swings: expects a number"));
  EXPECT_FALSE(ParseMeasure("consecutive_declines(output_value, by=5)", &e));
  EXPECT_THAT(e, ::testing::HasSubstr("0.01 = 1%"));
  EXPECT_FALSE(ParseMeasure("yoy(output_value, swings=2)", &e));  // swings belong to fall()
  EXPECT_FALSE(ParseMeasure("fall(value_added, prices=comparable)", &e));
  EXPECT_THAT(e, ::testing::HasSubstr("current prices"));

  RuleSet set;
  std::vector<Diagnostic> d;
  EXPECT_FALSE(
      ParseRuleFile("groups:\n"
                    "  - name: g\n"
                    "    cadence: monthly\n"
                    "    rules:\n"
                    "      - alert: A\n"
                    "        scope: industry\n"
                    "        measure: fall(output_value)\n"
                    "        levels: {yellow: -0.1}\n",
                    "fall.yml", &set, &d));
  ASSERT_EQ(d.size(), 1u) << JoinDiagnostics(d);
  EXPECT_EQ(d[0].line, 6);
  EXPECT_THAT(d[0].message, ::testing::HasSubstr("one enterprise's own course"));
}

TEST(RuleConfigTest, ErrorsNameFileLineAndColumn) {
  const char* bad =
      "groups:\n"
      "  - name: g\n"
      "    cadence: weekly\n"
      "    rules:\n"
      "      - alert: A\n"
      "        measure: yoy(output_value)\n"
      "        levels: {blue: -0.3, red: -0.1}\n"  // red less severe than blue: wrong order
      "        fro: 2\n"                           // typo
      "      - alert: B\n"
      "        kind: missing_report\n"
      "        reporters: all\n"
      "        deadline: \"day 10 12:00\"\n";  // monthly deadline in a weekly group
  RuleSet set;
  std::vector<Diagnostic> d;
  EXPECT_FALSE(ParseRuleFile(bad, "bad.yml", &set, &d));
  ASSERT_EQ(d.size(), 3u) << JoinDiagnostics(d);
  EXPECT_EQ(d[0].line, 8);
  EXPECT_EQ(d[0].field, "groups[0].rules[0].fro");
  EXPECT_EQ(d[1].line, 7);
  EXPECT_EQ(d[2].line, 12);
}

TEST(RuleConfigTest, DefaultRuleSetLoads) {
  RuleSet set;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"}, &set, &d))
      << JoinDiagnostics(d);
  EXPECT_GE(set.groups.size(), 2u);
  EXPECT_NE(set.FindRule("KeyEnterpriseOutputDrop"), nullptr);
  EXPECT_EQ(set.Target("value_added_growth", "park"), 0.08);
}

TEST(RuleConfigTest, DiffShowsThresholdChanges) {
  RuleSet a, b;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseRuleFile(kRules, "r.yml", &a, &d));
  std::string changed = kRules;
  changed.replace(changed.find("red: -0.30"), 10, "red: -0.25");
  ASSERT_TRUE(ParseRuleFile(changed, "r.yml", &b, &d));
  auto diff = DiffThresholds(a, b);
  ASSERT_FALSE(diff.empty());
  EXPECT_EQ(diff[0], "Drop: levels.red: -0.3 -> -0.25");
}

// The console's threshold changes are `tuning:` entries of a rule file, applied after every
// group whatever the file order, the last one for a member winning.
TEST(RuleConfigTest, TuningEntriesChangeTheLevelsOfARuleAnIndustryOrAnEnterprise) {
  RuleSet set;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      ParseRuleFile("tuning:\n"
                    "  - {rule: Drop, levels: {yellow: -0.12}}\n"
                    "  - {rule: Drop, industry: 装备制造, levels: {red: -0.50}}\n"
                    "  - {rule: Drop, enterprise: 914307000000000011, levels: {blue: -0.02}}\n"
                    "  - {rule: Drop, enterprise: 914307000000000011, levels: {blue: -0.03}}\n",
                    "console-tuning.yml", &set, &d))
      << JoinDiagnostics(d);
  ASSERT_TRUE(ParseRuleFile(kRules, "r.yml", &set, &d)) << JoinDiagnostics(d);
  ASSERT_TRUE(ApplyTunings(&set, &d)) << JoinDiagnostics(d);
  const RuleConfig* rule = set.FindRule("Drop");
  EXPECT_EQ(rule->thresholds.levels[2], -0.12);
  // The 医药化工 override inherited yellow from the rule: it follows; its own red stays.
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "").levels[2], -0.12);
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "").levels[4], -0.40);
  // A new industry override starts from the rule's levels.
  EXPECT_EQ(rule->ThresholdsFor("装备制造", "").levels[4], -0.50);
  EXPECT_EQ(rule->ThresholdsFor("装备制造", "").levels[1], -0.05);
  EXPECT_EQ(rule->ThresholdsFor("", "914307000000000011").levels[1], -0.03);
  EXPECT_EQ(set.tunings.size(), 4u);
}

// An industry's override is a decision of its own: a rule-wide change moves the levels it
// inherited, never one it sets — even where it set the rule's old value — nor one a tuning gave
// it.
TEST(RuleConfigTest, ARuleWideTuningLeavesTheLevelsAnOverrideSetsItself) {
  std::string rules = kRules;
  rules.replace(rules.find("levels: {red: -0.40}"), 20, "levels: {yellow: -0.10, red: -0.40}");
  RuleSet set;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseRuleFile(rules, "r.yml", &set, &d)) << JoinDiagnostics(d);
  ASSERT_TRUE(
      ParseRuleFile("tuning:\n"
                    "  - {rule: Drop, industry: 装备制造, levels: {orange: -0.20}}\n"
                    "  - {rule: Drop, levels: {yellow: -0.12, orange: -0.25, red: -0.35}}\n",
                    "console-tuning.yml", &set, &d))
      << JoinDiagnostics(d);
  ASSERT_TRUE(ApplyTunings(&set, &d)) << JoinDiagnostics(d);
  const RuleConfig* rule = set.FindRule("Drop");
  EXPECT_EQ(rule->thresholds.levels[2], -0.12);
  // 医药化工 set yellow to the rule's old -0.10 itself: it stays; its orange was inherited.
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "").levels[2], -0.10);
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "").levels[3], -0.25);
  EXPECT_EQ(rule->ThresholdsFor("医药化工", "").levels[4], -0.40);
  // 装备制造's orange came from the console, equal to the rule's then: it stays too.
  EXPECT_EQ(rule->ThresholdsFor("装备制造", "").levels[3], -0.20);
  EXPECT_EQ(rule->ThresholdsFor("装备制造", "").levels[2], -0.12);
  EXPECT_EQ(rule->ThresholdsFor("装备制造", "").levels[4], -0.35);
}

TEST(RuleConfigTest, ATuningOutOfOrderIsRefusedWithTheRuleFilesMessage) {
  RuleSet set;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseRuleFile(kRules, "r.yml", &set, &d));
  ASSERT_TRUE(
      ParseRuleFile("tuning:\n  - {rule: Drop, levels: {yellow: -0.35}}\n"
                    "  - {rule: Nope, levels: {red: 1}}\n",
                    "console-tuning.yml", &set, &d));
  EXPECT_FALSE(ApplyTunings(&set, &d));
  std::string text = JoinDiagnostics(d);
  EXPECT_NE(text.find("console-tuning.yml:2:"), std::string::npos) << text;
  EXPECT_NE(text.find("tuning[0].levels.orange: a more severe level must be lower than the one "
                      "before"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("console-tuning.yml:3:"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown rule \"Nope\""), std::string::npos) << text;
  // Not a number: the reader's own message, as for any level.
  RuleSet other;
  std::vector<Diagnostic> d2;
  EXPECT_FALSE(
      ParseRuleFile("tuning:\n  - {rule: Drop, levels: {red: abc}}\n", "t.yml", &other, &d2));
  EXPECT_NE(JoinDiagnostics(d2).find("tuning[0].levels.red: expected a number"), std::string::npos)
      << JoinDiagnostics(d2);
}

}  // namespace
}  // namespace parkwatch
