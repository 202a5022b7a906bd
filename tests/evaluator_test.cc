// The rule evaluator against a real SQLite store: scopes, levels with overrides, targets,
// missing reports and their deadlines, batches, comparable prices and the default rule set.
#include "rules/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <regex>
#include <set>

#include "rules/measures.h"
#include "rules/rule_data.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::TempDir;
using testing::TestCreditCode;

constexpr char kPharma[] = "医药化工";
constexpr char kMachinery[] = "装备制造";

Config TestConfig() {
  Config c;
  c.park_name = "示范园区";
  c.industries = {kPharma, kMachinery, "轻工食品", "电力电子"};
  for (const char* name : {"output_value", "value_added", "electricity", "ppi"}) {
    IndicatorConfig ind;
    ind.name = name;
    c.indicators.push_back(ind);
  }
  return c;
}

RuleSet ParseRules(const std::string& text) {
  RuleSet rules;
  std::vector<Diagnostic> d;
  EXPECT_TRUE(ParseRuleFile(text, "test.yml", &rules, &d)) << JoinDiagnostics(d);
  return rules;
}

struct Ent {
  int n;
  std::string name;
  std::string industry;
  bool key = false;
  std::optional<int> since;
};

// A store in a temp dir plus helpers to write batches the way collectors do.
class EvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Store::Open(dir_ / "pw.db"); }

  BatchSummary Ingest(const std::vector<Ent>& enterprises, const std::vector<FigureRecord>& figs) {
    auto txn = store_->BeginIngest({"test.csv", "test", std::to_string(++batches_)});
    for (const Ent& e : enterprises)
      EXPECT_EQ(txn->PutEnterprise({TestCreditCode(e.n), e.name, e.industry, e.key, e.since}).en,
                "");
    for (const auto& f : figs) EXPECT_EQ(txn->PutFigure(f).en, "");
    BatchSummary s;
    s.status = "committed";
    txn->Commit(&s);
    return s;
  }

  static FigureRecord Fig(int n, const char* indicator, Period p, double v) {
    return {TestCreditCode(n), indicator, p, v};
  }
  static FigureRecord Ppi(const std::string& industry, Period p, double v) {
    return {std::string(kIndustryPseudoPrefix) + industry, "ppi", p, v};
  }

  // The single outcome whose label key has value, or a failure.
  static const RuleOutcome* Find(const std::vector<RuleOutcome>& outcomes, const std::string& key,
                                 const std::string& value) {
    const RuleOutcome* found = nullptr;
    for (const auto& o : outcomes) {
      auto labels = o.Labels();
      if (auto it = labels.find(key); it != labels.end() && it->second == value) {
        EXPECT_EQ(found, nullptr) << "two outcomes for " << key << "=" << value;
        found = &o;
      }
    }
    return found;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  int batches_ = 0;
  Config config_ = TestConfig();
};

// fall(): a key enterprise's month at −12 % is a breach when its growth keeps within a point of
// its course, and none when its growth swings by eight points either way (−12 % is an ordinary
// month for it); the outcome says the growth against its own course in words.
TEST_F(EvaluatorTest, AFallIsABreachOnlyBeyondTheEnterprisesUsualSwings) {
  RuleSet rules = ParseRules(R"yaml(
groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: Fall
        scope: enterprise
        where: {key: true}
        measure: fall(output_value, swings=2.5)
        levels: {yellow: -0.10, orange: -0.20}
        clear: -0.03
        annotations:
          summary_zh: "{{ .name }} {{ .period_zh }} 产值{{ .growth | growth_zh }}，{{ .against_course_zh }}"
)yaml");
  // March to December: 2020 at 100, then each year a step up in odd months and down in even
  // ones (±1 % for 甲药业, ±8 % for 乙机械); March 2023 12 % below March 2022.
  std::vector<FigureRecord> figs;
  for (int n : {1, 2}) {
    const double step = n == 1 ? 0.01 : 0.08;
    for (int m = 3; m <= 12; ++m) {
      double v = 100;
      for (int y = 2020; y <= 2022; ++y) {
        if (y > 2020) v *= 1 + (m % 2 ? step : -step);
        figs.push_back(Fig(n, "output_value", Period::Month(y, m), v));
      }
      if (m == 3) figs.push_back(Fig(n, "output_value", Period::Month(2023, 3), 0.88 * v));
    }
  }
  Ingest({{1, "甲药业", kPharma, true}, {2, "乙机械", kMachinery, true}}, figs);
  RuleData data;
  data.Load(*store_, config_, rules);
  Evaluator evaluator(rules, config_);
  auto outcomes =
      evaluator.Evaluate(rules.groups[0], rules.groups[0].rules[0], data, Period::Month(2023, 3));
  ASSERT_EQ(outcomes.size(), 2u);
  const RuleOutcome* calm = Find(outcomes, "enterprise", TestCreditCode(1));
  const RuleOutcome* swinging = Find(outcomes, "enterprise", TestCreditCode(2));
  ASSERT_TRUE(calm && calm->value && swinging && swinging->value);
  EXPECT_NEAR(*calm->value, -0.12, 1e-12);
  EXPECT_EQ(calm->level, Severity::kYellow);
  EXPECT_NEAR(*swinging->value, -0.12, 1e-12);
  EXPECT_EQ(swinging->level, Severity::kNone);
  EXPECT_FALSE(swinging->cleared);  // within the lines' hysteresis: a firing alert would hold
  // Its course: March–December 2022, five months at +1 %, five at −1 %: 0.
  EXPECT_EQ(calm->Annotations().at("summary_zh"),
            "甲药业 2023年3月 产值同比下降12.0%，比此前一年的增速（与上年同期持平）低12.0个百分点");
}

TEST_F(EvaluatorTest, KeyEnterpriseWeeklyDropUsesItsIndustryOverride) {
  RuleSet rules = ParseRules(R"yaml(
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
        labels: {team: ops}
        overrides:
          - industry: 医药化工
            levels: {orange: -0.12, red: -0.40}
        annotations:
          summary: "{{ .name }} output {{ .value | pct }} YoY in {{ .period }} ({{ .level }})"
)yaml");
  Period w = Period::Week(2024, 5), last_year = Period::Week(2023, 5);
  Ingest({{1, "甲药业", kPharma, true},
          {2, "乙机械", kMachinery, true},
          {3, "丙药业", kPharma, false},
          {4, "丁新厂", kPharma, true, 2025},
          {5, "戊机械", kMachinery, true}},
         {Fig(1, "output_value", last_year, 100), Fig(1, "output_value", w, 85),
          Fig(2, "output_value", last_year, 100), Fig(2, "output_value", w, 85),
          Fig(3, "output_value", last_year, 100), Fig(3, "output_value", w, 50),
          Fig(4, "output_value", last_year, 100), Fig(4, "output_value", w, 50),
          Fig(5, "output_value", w, 50)});
  RuleData data;
  data.Load(*store_, config_, rules);
  Evaluator evaluator(rules, config_);
  const RuleGroup& group = rules.groups[0];
  auto outcomes = evaluator.Evaluate(group, group.rules[0], data, w);

  // Key and 规上 in 2024: 1, 2, 5. Not 3 (not key), not 4 (above size only from 2025).
  ASSERT_EQ(outcomes.size(), 3u);
  const RuleOutcome* pharma = Find(outcomes, "enterprise", TestCreditCode(1));
  ASSERT_NE(pharma, nullptr);
  ASSERT_TRUE(pharma->value);
  EXPECT_NEAR(*pharma->value, -0.15, 1e-12);
  EXPECT_EQ(pharma->level, Severity::kOrange);  // the 医药化工 override: orange at -12%
  EXPECT_EQ(pharma->threshold, -0.12);
  EXPECT_FALSE(pharma->cleared);
  EXPECT_EQ(pharma->Labels().at("scope"), "enterprise");
  EXPECT_EQ(pharma->Labels().at("team"), "ops");
  EXPECT_EQ(pharma->Labels().count("industry"), 0u);  // identity survives reclassification
  EXPECT_EQ(pharma->Vars().at("industry"), kPharma);
  EXPECT_EQ(pharma->Annotations().at("summary"), "甲药业 output -15.0% YoY in 2024-W05 (orange)");

  const RuleOutcome* machinery = Find(outcomes, "enterprise", TestCreditCode(2));
  ASSERT_NE(machinery, nullptr);
  EXPECT_EQ(machinery->level, Severity::kYellow);  // the rule's own levels
  EXPECT_EQ(machinery->threshold, -0.10);

  const RuleOutcome* no_base = Find(outcomes, "enterprise", TestCreditCode(5));
  ASSERT_NE(no_base, nullptr);
  EXPECT_FALSE(no_base->value);
  // Why, naming the enterprise and the week it needs, in Chinese and in English.
  EXPECT_EQ(no_base->no_data_reason.zh,
            "戊机械（" + TestCreditCode(5) + "）没有2023年第5周（上年同期）的数据");
  EXPECT_EQ(no_base->no_data_reason.en,
            "no figure for week 5 of 2023 (same period last year) for "
            "戊机械 (" +
                TestCreditCode(5) + ")");
  EXPECT_EQ(no_base->level, Severity::kNone);
  EXPECT_FALSE(no_base->cleared);  // no data keeps state; it does not resolve
  EXPECT_EQ(no_base->Annotations().at("summary"),
            "戊机械 output <no value> YoY in 2024-W05 (none)");

  // Incremental: only enterprise 2 (and 3, which is not in scope).
  std::set<EnterpriseIndex> only = {*data.IndexOfCode(TestCreditCode(2)),
                                    *data.IndexOfCode(TestCreditCode(3))};
  auto some = evaluator.Evaluate(group, group.rules[0], data, w, &only);
  ASSERT_EQ(some.size(), 1u);
  EXPECT_EQ(some[0].Labels().at("enterprise"), TestCreditCode(2));
  // A monthly period is not this group's: nothing.
  EXPECT_TRUE(evaluator.Evaluate(group, group.rules[0], data, Period::Month(2024, 3)).empty());
}

const char* kMonthlyRules = R"yaml(
targets:
  value_added_growth:
    park: 0.08
groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: IndustryDecline
        scope: industry
        measure: yoy(output_value)
        levels: {yellow: 0, orange: -0.05, red: -0.10}
        clear: 0.01
        annotations: {summary: "{{ .industry }} {{ .value | pct }} in {{ .period }}"}
      - alert: ParkDecline
        scope: park
        measure: yoy(output_value)
        levels: {yellow: 0, orange: -0.05, red: -0.10}
        annotations: {summary: "{{ .name }} {{ .value | pct }}"}
      - alert: Drags
        scope: enterprise
        where: {key: true}
        measure: pull(output_value)
        levels: {yellow: -0.005, orange: -0.01, red: -0.02}
        clear: 0
      - alert: DragsIndustry
        scope: enterprise
        measure: "pull(output_value, of: industry)"
        levels: {yellow: -0.005, orange: -0.01, red: -0.02}
      - alert: ParkBelowTarget
        scope: park
        measure: ytd_yoy(value_added)
        target: value_added_growth
        levels: {blue: -0.01, yellow: -0.02, orange: -0.04, red: -0.06}
        clear: 0
        annotations: {summary: "1-{{ .month }}月 {{ .value | pct }} vs {{ .target | pct }}"}
      - alert: IndustryBelowTarget
        scope: industry
        measure: ytd_yoy(value_added)
        target: value_added_growth
        levels: {blue: -0.01}
)yaml";

class MonthlyTest : public EvaluatorTest {
 protected:
  void SetUp() override {
    EvaluatorTest::SetUp();
    rules_ = ParseRules(kMonthlyRules);
    Period m23 = Period::Month(2023, 3), m24 = Period::Month(2024, 3);
    Ingest({{1, "甲药业", kPharma, true}, {2, "乙药业", kPharma}, {3, "丙机械", kMachinery, true}},
           {Fig(1, "output_value", m23, 100), Fig(1, "output_value", m24, 90),
            Fig(2, "output_value", m23, 200), Fig(2, "output_value", m24, 190),
            Fig(3, "output_value", m23, 100), Fig(3, "output_value", m24, 120),
            // Value added: Jan–Feb as one figure in 2023, January and February apart in 2024.
            Fig(1, "value_added", Period::JanFeb(2023), 200), Fig(1, "value_added", m23, 100),
            Fig(1, "value_added", Period::Month(2024, 1), 100),
            Fig(1, "value_added", Period::Month(2024, 2), 110), Fig(1, "value_added", m24, 105)});
    data_.Load(*store_, config_, rules_);
  }
  std::vector<RuleOutcome> Run(const std::string& rule, Period t,
                               const std::set<EnterpriseIndex>* only = nullptr) {
    const RuleGroup& group = rules_.groups[0];
    for (const auto& r : group.rules)
      if (r.name == rule) return Evaluator(rules_, config_).Evaluate(group, r, data_, t, only);
    ADD_FAILURE() << "no rule " << rule;
    return {};
  }
  RuleSet rules_;
  RuleData data_;
};

TEST_F(MonthlyTest, IndustryAndParkOutcomes) {
  Period t = Period::Month(2024, 3);
  auto industries = Run("IndustryDecline", t);
  ASSERT_EQ(industries.size(), 2u);
  const RuleOutcome* pharma = Find(industries, "industry", kPharma);
  ASSERT_NE(pharma, nullptr);
  EXPECT_NEAR(*pharma->value, 280.0 / 300 - 1, 1e-12);  // -6.67%
  EXPECT_EQ(pharma->level, Severity::kOrange);
  EXPECT_EQ(pharma->Labels().at("scope"), "industry");
  EXPECT_EQ(pharma->Annotations().at("summary"), "医药化工 -6.7% in 2024-03");
  EXPECT_EQ(pharma->Annotations().at("figure"), "280");  // the caliber's totals
  EXPECT_EQ(pharma->Annotations().at("figure_year_ago"), "300");
  EXPECT_EQ(pharma->Annotations().count("figure_span"), 0u);
  const RuleOutcome* machinery = Find(industries, "industry", kMachinery);
  ASSERT_NE(machinery, nullptr);
  EXPECT_NEAR(*machinery->value, 0.2, 1e-12);
  EXPECT_EQ(machinery->level, Severity::kNone);
  EXPECT_TRUE(machinery->cleared);

  auto park = Run("ParkDecline", t);
  ASSERT_EQ(park.size(), 1u);
  EXPECT_NEAR(*park[0].value, 0, 1e-12);        // 400 -> 400
  EXPECT_EQ(park[0].level, Severity::kYellow);  // "at or below 0"
  EXPECT_EQ(park[0].Labels(), (std::map<std::string, std::string>{{"scope", "park"}}));
  EXPECT_EQ(park[0].Annotations().at("summary"), "示范园区 0.0%");

  // Only enterprise 3 changed: its industry is re-evaluated, the park always is.
  std::set<EnterpriseIndex> only = {*data_.IndexOfCode(TestCreditCode(3))};
  auto some = Run("IndustryDecline", t, &only);
  ASSERT_EQ(some.size(), 1u);
  EXPECT_EQ(some[0].Labels().at("industry"), kMachinery);
  EXPECT_EQ(Run("ParkDecline", t, &only).size(), 1u);
}

// An industry's totals reach messages to the yuan: six significant digits would have read
// 343 772.40万元 as 343 772.00.
TEST_F(EvaluatorTest, AnIndustrysTotalsKeepEveryDigitInTheAnnotations) {
  RuleSet rules = ParseRules(
      "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
      "      - alert: IndustryDecline\n        scope: industry\n"
      "        measure: yoy(output_value)\n        levels: {yellow: 0}\n");
  Period before = Period::Month(2023, 3), now = Period::Month(2024, 3);
  Ingest({{1, "甲药业", kPharma}, {2, "乙药业", kPharma}},
         {Fig(1, "output_value", before, 1718862000.5), Fig(2, "output_value", before, 1718862000),
          Fig(1, "output_value", now, 1718862000), Fig(2, "output_value", now, 1718862004)});
  RuleData data;
  data.Load(*store_, config_, rules);
  auto out =
      Evaluator(rules, config_).Evaluate(rules.groups[0], rules.groups[0].rules[0], data, now);
  const RuleOutcome* pharma = Find(out, "industry", kPharma);
  ASSERT_NE(pharma, nullptr);
  auto notes = pharma->Annotations();
  EXPECT_EQ(notes.at("figure"), "3437724004");
  EXPECT_EQ(notes.at("figure_year_ago"), "3437724000.5");
}

TEST_F(MonthlyTest, PullsOfKeyEnterprisesOnTheParkAndOnTheirIndustry) {
  Period t = Period::Month(2024, 3);
  // Pull depends on the whole park, so `only` does not narrow it.
  std::set<EnterpriseIndex> only = {*data_.IndexOfCode(TestCreditCode(3))};
  auto pulls = Run("Drags", t, &only);
  ASSERT_EQ(pulls.size(), 2u);  // key enterprises 1 and 3
  const RuleOutcome* e1 = Find(pulls, "enterprise", TestCreditCode(1));
  ASSERT_NE(e1, nullptr);
  EXPECT_NEAR(*e1->value, -10.0 / 400, 1e-12);  // ΔV / V_park(last year)
  EXPECT_EQ(e1->level, Severity::kRed);
  const RuleOutcome* e3 = Find(pulls, "enterprise", TestCreditCode(3));
  EXPECT_NEAR(*e3->value, 20.0 / 400, 1e-12);
  EXPECT_TRUE(e3->cleared);

  auto of_industry = Run("DragsIndustry", t);
  ASSERT_EQ(of_industry.size(), 3u);
  EXPECT_NEAR(*Find(of_industry, "enterprise", TestCreditCode(1))->value, -10.0 / 300, 1e-12);
  EXPECT_NEAR(*Find(of_industry, "enterprise", TestCreditCode(2))->value, -10.0 / 300, 1e-12);
  EXPECT_NEAR(*Find(of_industry, "enterprise", TestCreditCode(3))->value, 0.2, 1e-12);
}

TEST_F(MonthlyTest, TargetDeviationAndJanFeb) {
  Period t = Period::Month(2024, 3);
  auto park = Run("ParkBelowTarget", t);
  ASSERT_EQ(park.size(), 1u);
  // YTD: (100 + 110 + 105) / (200 + 100) − 1 = 5%, against 8%: three points short.
  ASSERT_TRUE(park[0].value) << park[0].no_data_reason.en;
  EXPECT_NEAR(*park[0].value, -0.03, 1e-12);
  EXPECT_EQ(park[0].level, Severity::kYellow);
  EXPECT_EQ(park[0].threshold, -0.02);
  EXPECT_EQ(park[0].Vars().at("target"), "0.08");
  EXPECT_EQ(park[0].Annotations().at("summary"), "1-3月 -3.0% vs 8.0%");
  // A message says the totals behind the growth: months to date, this year and last.
  auto notes = park[0].Annotations();
  EXPECT_EQ(notes.at("figure"), "315");
  EXPECT_EQ(notes.at("figure_year_ago"), "300");
  EXPECT_EQ(notes.at("figure_span"), "ytd");
  EXPECT_EQ(notes.at("dimension"), "money");

  // No target for the industries: no data, with the reason.
  auto industries = Run("IndustryBelowTarget", t);
  ASSERT_EQ(industries.size(), 2u);
  for (const auto& o : industries) {
    EXPECT_FALSE(o.value);
    EXPECT_NE(o.no_data_reason.en.find("no target \"value_added_growth\" for industry:"),
              std::string::npos)
        << o.no_data_reason.en;
    EXPECT_THAT(o.no_data_reason.zh, ::testing::HasSubstr("行业的目标“value_added_growth”"));
  }

  // January alone is not a period when Jan–Feb are combined; Jan–Feb is.
  EXPECT_TRUE(Run("ParkBelowTarget", Period::Month(2024, 1)).empty());
  auto jan_feb = Run("ParkBelowTarget", Period::JanFeb(2024));
  ASSERT_EQ(jan_feb.size(), 1u);
  EXPECT_NEAR(*jan_feb[0].value, 210.0 / 200 - 1 - 0.08, 1e-12);
  EXPECT_EQ(jan_feb[0].Vars().at("month"), "2");

  // Periods: Jan and Feb 2024 fold into Jan–Feb.
  const RuleGroup& group = rules_.groups[0];
  auto periods = PeriodsToEvaluate(group, *rules_.FindRule("ParkBelowTarget"), data_, nullptr);
  EXPECT_EQ(periods, (std::vector<Period>{Period::JanFeb(2023), Period::Month(2023, 3),
                                          Period::JanFeb(2024), Period::Month(2024, 3)}));
}

TEST_F(EvaluatorTest, MissingReportsCountOverduePeriodsAfterTheDeadline) {
  RuleSet rules = ParseRules(R"yaml(
groups:
  - name: weekly
    cadence: weekly
    timezone: Asia/Shanghai
    rules:
      - alert: Drop
        measure: yoy(output_value)
        levels: {blue: -0.05}
      - alert: Missing
        kind: missing_report
        reporters: key
        deadline: "mon 12:00"
        levels: {yellow: 1, red: 3}
        annotations: {summary: "{{ .name }} has not reported {{ .period }} ({{ .value }})"}
)yaml");
  std::vector<FigureRecord> figs;
  for (int w = 1; w <= 3; ++w) figs.push_back(Fig(1, "output_value", Period::Week(2024, w), 1));
  for (int w = 1; w <= 5; ++w) figs.push_back(Fig(2, "electricity", Period::Week(2024, w), 1));
  Ingest({{1, "甲", kPharma, true},
          {2, "乙", kPharma, true},
          {3, "丙", kPharma, true},
          {4, "丁", kPharma, false}},
         figs);
  RuleData data;
  data.Load(*store_, config_, rules);
  const RuleGroup& group = rules.groups[0];
  const RuleConfig& rule = group.rules[1];

  // 2024-W05 (Mon 29 Jan – Sun 4 Feb) is due Monday 5 Feb 12:00 in Shanghai = 04:00 UTC.
  const int64_t deadline = 1707105600;
  EXPECT_EQ(Evaluator::DeadlineOf(group, rule, Period::Week(2024, 5)), deadline);
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, deadline - 1), Period::Week(2024, 4));
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, deadline), Period::Week(2024, 5));
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, deadline + 6 * 86400), Period::Week(2024, 5));
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, deadline + 7 * 86400), Period::Week(2024, 6));

  auto due = Evaluator::DuePeriod(group, rule, deadline);
  auto outcomes = Evaluator(rules, config_).Evaluate(group, rule, data, *due);
  ASSERT_EQ(outcomes.size(), 3u);  // key enterprises only
  const RuleOutcome* late = Find(outcomes, "enterprise", TestCreditCode(1));
  EXPECT_EQ(late->value, 2);  // W04 and W05
  EXPECT_EQ(late->level, Severity::kYellow);
  EXPECT_EQ(late->Vars().at("last_reported"), "2024-W03");
  EXPECT_EQ(late->Annotations().at("summary"), "甲 has not reported 2024-W05 (2)");
  const RuleOutcome* on_time = Find(outcomes, "enterprise", TestCreditCode(2));
  EXPECT_EQ(on_time->value, 0);  // any indicator counts as reported
  EXPECT_EQ(on_time->level, Severity::kNone);
  EXPECT_TRUE(on_time->cleared);
  const RuleOutcome* never = Find(outcomes, "enterprise", TestCreditCode(3));
  EXPECT_EQ(never->value, 5);  // since the first week the rules hold data for
  EXPECT_EQ(never->level, Severity::kRed);

  // Late reports of both weeks clear it.
  auto batch = Ingest({}, {Fig(1, "output_value", Period::Week(2024, 4), 1),
                           Fig(1, "output_value", Period::Week(2024, 5), 1)});
  BatchEffect effect = data.ApplyBatch(*store_, batch);
  EXPECT_EQ(PeriodsToEvaluate(group, rule, data, &batch),
            (std::vector<Period>{Period::Week(2024, 4), Period::Week(2024, 5)}));
  auto after = Evaluator(rules, config_).Evaluate(group, rule, data, *due, &effect.enterprises);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].value, 0);
  EXPECT_TRUE(after[0].cleared);
}

// A week skipped in the middle of a series is as missing as one at the end, until it arrives;
// who owes reports is the rule's `reporters:` (all, key, a set).
TEST_F(EvaluatorTest, MissingReportsCountGapsAndFollowTheConfiguredReporters) {
  RuleSet rules = ParseRules(R"yaml(
sets:
  weekly_reporters: [)yaml" + TestCreditCode(3) +
                             R"yaml(]
groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: MissingAll
        kind: missing_report
        reporters: all
        levels: {yellow: 1}
      - alert: MissingSet
        kind: missing_report
        reporters: set:weekly_reporters
        levels: {yellow: 1}
)yaml");
  std::vector<FigureRecord> figs;
  for (int w : {1, 2, 4, 6}) figs.push_back(Fig(1, "output_value", Period::Week(2024, w), 1));
  for (int w = 1; w <= 6; ++w) figs.push_back(Fig(2, "output_value", Period::Week(2024, w), 1));
  for (int w : {2, 3, 4, 5, 6}) figs.push_back(Fig(3, "output_value", Period::Week(2024, w), 1));
  Ingest({{1, "甲", kPharma, true}, {2, "乙", kPharma, false}, {3, "丙", kPharma, false}}, figs);
  RuleData data;
  data.Load(*store_, config_, rules);
  const RuleGroup& group = rules.groups[0];
  Evaluator evaluator(rules, config_);

  auto all = evaluator.Evaluate(group, group.rules[0], data, Period::Week(2024, 6));
  ASSERT_EQ(all.size(), 3u);
  const RuleOutcome* gaps = Find(all, "enterprise", TestCreditCode(1));
  EXPECT_EQ(gaps->value, 2);  // W03 and W05, though W06 arrived
  EXPECT_EQ(gaps->level, Severity::kYellow);
  EXPECT_EQ(gaps->newest_missing, Period::Week(2024, 5));
  EXPECT_EQ(gaps->missing_since, Period::Week(2024, 5));
  EXPECT_EQ(gaps->Annotations().at("missing_period"), "2024年第6周");
  EXPECT_EQ(Find(all, "enterprise", TestCreditCode(2))->value, 0);
  // Nothing is owed before an enterprise's first report.
  EXPECT_EQ(Find(all, "enterprise", TestCreditCode(3))->value, 0);

  auto set = evaluator.Evaluate(group, group.rules[1], data, Period::Week(2024, 7));
  ASSERT_EQ(set.size(), 1u);  // only the set's member owes reports
  EXPECT_EQ(set[0].value, 1);
  EXPECT_EQ(set[0].Vars().at("period_zh"), "2024年第7周");

  // The gap's late report takes it off the count.
  auto batch = Ingest({}, {Fig(1, "output_value", Period::Week(2024, 3), 1)});
  data.ApplyBatch(*store_, batch);
  all = evaluator.Evaluate(group, group.rules[0], data, Period::Week(2024, 6));
  EXPECT_EQ(Find(all, "enterprise", TestCreditCode(1))->value, 1);

  // A missing_report rule without `reporters:` is refused with its place.
  RuleSet bad;
  std::vector<Diagnostic> d;
  EXPECT_FALSE(
      ParseRuleFile("groups:\n  - name: w\n    cadence: weekly\n    rules:\n"
                    "      - alert: M\n        kind: missing_report\n",
                    "m.yml", &bad, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].field, "groups[0].rules[0].reporters");
  EXPECT_NE(d[0].message.find("all | key | set:NAME"), std::string::npos);
}

// A backtest counts the missing weeks of every member at every week it replays, so the count
// comes from searches of the reported weeks (RuleData::CountMissingWeeks) rather than a step per
// week. It must find what counting back week by week with HasReported finds: gaps in the
// middle and at the end, across the 53-week years 2020 and 2026, up to the floor and the cap,
// for members reporting every week, some weeks or none, and for an unknown member.
TEST(MissingWeeksTest, CountedFromSearchesAsWhenCountingBackWeekByWeek) {
  RuleData data;
  data.Prepare(TestConfig(), RuleSet());
  std::mt19937 random(15);
  std::vector<EnterpriseIndex> members;
  for (int n = 0; n < 8; ++n) {
    EnterpriseRow row;
    row.id = n + 1;
    row.credit_code = TestCreditCode(n);
    row.name = "企业" + std::to_string(n);
    row.industry = kPharma;
    EnterpriseIndex e = data.AddEnterprise(row);
    members.push_back(e);
    // Member n skips a week with probability n/7: from every week reported to none.
    for (Period w = Period::Week(2019, 1); w < Period::Week(2027, 10); w = w.Next())
      if (static_cast<int>(random() % 7) >= n) data.PutFigure(e, "output_value", w, 100);
  }
  data.Compact();
  members.push_back(99);  // not in the data
  auto walk = [&](EnterpriseIndex e, Period floor, Period t, int cap) {
    RuleData::MissingWeeks m;
    bool in_run = false;
    int looked = 0;
    for (Period q = t; q.valid() && looked < cap && !(q < floor); q = q.Prev(), ++looked) {
      if (data.HasReported(e, q)) {
        in_run = false;
        continue;
      }
      if (!m.newest) m.newest = q, in_run = true;
      if (in_run) m.since = q;
      ++m.overdue;
    }
    return m;
  };
  int compared = 0, with_gaps = 0;
  for (EnterpriseIndex e : members)
    for (Period t = Period::Week(2019, 2); t < Period::Week(2027, 12); t = t.Next().Next().Next())
      for (Period floor : {Period::Week(2019, 1), Period::Week(2020, 52), Period::Week(2026, 1), t})
        for (int cap : {530, 60, 7, 1}) {
          RuleData::MissingWeeks want = walk(e, floor, t, cap);
          RuleData::MissingWeeks got = data.CountMissingWeeks(e, floor, t, cap);
          ASSERT_EQ(got.overdue, want.overdue)
              << e << " " << floor.ToString() << " " << t.ToString() << " cap " << cap;
          ASSERT_EQ(got.newest, want.newest)
              << e << " " << floor.ToString() << " " << t.ToString() << " cap " << cap;
          ASSERT_EQ(got.since, want.since)
              << e << " " << floor.ToString() << " " << t.ToString() << " cap " << cap;
          ++compared;
          if (want.overdue > 0 && want.overdue < cap) ++with_gaps;
        }
  EXPECT_GT(with_gaps, compared / 4);  // the histories do have gaps to find
}

TEST(TimeZoneTest, FixedOffsetsAndMonthlyDeadlines) {
  EXPECT_EQ(UtcOffsetMinutes("Asia/Shanghai"), 480);
  EXPECT_EQ(UtcOffsetMinutes("UTC"), 0);
  EXPECT_EQ(UtcOffsetMinutes("UTC+8"), 480);
  EXPECT_EQ(UtcOffsetMinutes("UTC+08:00"), 480);
  EXPECT_EQ(UtcOffsetMinutes("+08:00"), 480);
  EXPECT_EQ(UtcOffsetMinutes("+0800"), 480);
  EXPECT_EQ(UtcOffsetMinutes("-05:30"), -330);
  EXPECT_EQ(UtcOffsetMinutes("Europe/Paris"), std::nullopt);  // needs a tz database
  EXPECT_EQ(UtcOffsetMinutes("+25:00"), std::nullopt);

  RuleGroup group;
  group.cadence = Cadence::kMonthly;
  RuleConfig rule;
  rule.kind = RuleKind::kMissingReport;
  rule.deadline = {10, 12 * 60};
  // Jan–Feb 2024 is due 10 March 12:00 +08:00.
  const int64_t march10 = 1710043200;
  EXPECT_EQ(Evaluator::DeadlineOf(group, rule, Period::JanFeb(2024)), march10);
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, march10), Period::JanFeb(2024));
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, march10 - 1), Period::Month(2023, 12));
  group.timezone = "UTC";
  EXPECT_EQ(Evaluator::DeadlineOf(group, rule, Period::JanFeb(2024)), march10 + 8 * 3600);
  group.timezone = "Mars/Olympus";
  EXPECT_EQ(Evaluator::DuePeriod(group, rule, march10), std::nullopt);
}

TEST_F(EvaluatorTest, ApplyBatchFollowsARevision) {
  RuleSet rules = ParseRules(R"yaml(
groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: Drop
        measure: yoy(output_value)
        levels: {blue: -0.05, yellow: -0.10, orange: -0.20, red: -0.30}
)yaml");
  Period w = Period::Week(2024, 10), base = Period::Week(2023, 10);
  std::vector<Ent> ents;
  std::vector<FigureRecord> figs;
  for (int n = 1; n <= 10; ++n) {
    ents.push_back({n, "企业" + std::to_string(n), kMachinery});
    figs.push_back(Fig(n, "output_value", base, 100));
    figs.push_back(Fig(n, "output_value", w, n == 1 ? 95 : 100));
  }
  Ingest(ents, figs);
  RuleData data;
  data.Load(*store_, config_, rules);
  ASSERT_EQ(data.size(), 10u);
  const RuleGroup& group = rules.groups[0];
  const RuleConfig& rule = group.rules[0];
  Evaluator evaluator(rules, config_);
  auto before = evaluator.Evaluate(group, rule, data, w);
  EXPECT_EQ(Find(before, "enterprise", TestCreditCode(1))->level, Severity::kBlue);

  // Enterprise 1 revises its week down; enterprise 11 appears with its first figures.
  auto batch = Ingest({{11, "新企业", kPharma}},
                      {Fig(1, "output_value", w, 75), Fig(11, "output_value", base, 10),
                       Fig(11, "output_value", w, 12)});
  EXPECT_EQ(batch.figures_revised, 1);
  BatchEffect effect = data.ApplyBatch(*store_, batch);
  EXPECT_FALSE(effect.reloaded);  // 2 of 10 enterprises: incremental
  ASSERT_EQ(data.size(), 11u);
  EnterpriseIndex e1 = *data.IndexOfCode(TestCreditCode(1));
  EnterpriseIndex e11 = *data.IndexOfCode(TestCreditCode(11));
  EXPECT_EQ(e11, 10);  // new enterprises get new indices; old ones keep theirs
  EXPECT_EQ(effect.enterprises, (std::set<EnterpriseIndex>{e1, e11}));
  EXPECT_EQ(data.info(e11).industry, data.IndustryIndex(kPharma));

  // Enterprise 11 brought last year's week too, so both periods are re-evaluated.
  auto periods = PeriodsToEvaluate(group, rule, data, &batch);
  EXPECT_EQ(periods, (std::vector<Period>{base, w}));
  auto after = evaluator.Evaluate(group, rule, data, w, &effect.enterprises);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_NEAR(*Find(after, "enterprise", TestCreditCode(1))->value, -0.25, 1e-12);
  EXPECT_EQ(Find(after, "enterprise", TestCreditCode(1))->level, Severity::kOrange);
  EXPECT_NEAR(*Find(after, "enterprise", TestCreditCode(11))->value, 0.2, 1e-12);

  // A revision of last year's week re-evaluates from there on: this year's YoY reads it.
  auto old = Ingest({}, {Fig(2, "output_value", base, 50)});
  data.ApplyBatch(*store_, old);
  EXPECT_EQ(PeriodsToEvaluate(group, rule, data, &old), (std::vector<Period>{base, w}));
  EXPECT_NEAR(*evaluator.Evaluate(group, rule, data, w)[1].value, 1.0, 1e-12);

  // An attribute change (now key, industry changed) with no figures: latest period only.
  auto attrs = Ingest({{3, "企业3", kPharma, true}}, {});
  data.ApplyBatch(*store_, attrs);
  EXPECT_EQ(data.info(*data.IndexOfCode(TestCreditCode(3))).industry, data.IndustryIndex(kPharma));
  EXPECT_TRUE(data.info(*data.IndexOfCode(TestCreditCode(3))).key);
  EXPECT_EQ(PeriodsToEvaluate(group, rule, data, &attrs), std::vector<Period>{w});

  // A batch touching most of the park is a full reload, with the same indices.
  std::vector<FigureRecord> all;
  for (int n = 1; n <= 11; ++n) all.push_back(Fig(n, "output_value", Period::Week(2024, 11), 1));
  auto big = Ingest({}, all);
  BatchEffect reload = data.ApplyBatch(*store_, big);
  EXPECT_TRUE(reload.reloaded);
  EXPECT_EQ(reload.enterprises.size(), 11u);
  EXPECT_EQ(*data.IndexOfCode(TestCreditCode(11)), e11);
  EXPECT_EQ(data.Figures("output_value", Cadence::kWeekly)->Get(e1, w), 75);
  EXPECT_EQ(data.LastReported(e1, Cadence::kWeekly), Period::Week(2024, 11));
}

TEST_F(EvaluatorTest, ComparablePricesReadTheIndustryPriceIndex) {
  RuleSet rules = ParseRules(R"yaml(
groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: Real
        scope: industry
        measure: yoy(value_added, prices=comparable)
        levels: {yellow: 0}
      - alert: RealEnterprise
        measure: yoy(value_added, prices=comparable)
        levels: {yellow: 0}
)yaml");
  Period t = Period::Month(2024, 3), base = Period::Month(2023, 3);
  Ingest({{1, "甲药业", kPharma}, {2, "乙机械", kMachinery}},
         {Fig(1, "value_added", base, 100), Fig(1, "value_added", t, 110),
          Fig(2, "value_added", base, 100), Fig(2, "value_added", t, 110), Ppi(kPharma, t, 105)});
  RuleData data;
  data.Load(*store_, config_, rules);
  EXPECT_EQ(data.size(), 2u);  // the price-index pseudo-enterprise is no enterprise
  EXPECT_FALSE(data.IndexOfCode("industry:医药化工"));
  const FigureTable* ppi = data.PriceIndex("ppi", Cadence::kMonthly);
  ASSERT_NE(ppi, nullptr);
  EXPECT_EQ(ppi->Get(data.IndustryIndex(kPharma), t), 105);

  Evaluator evaluator(rules, config_);
  const RuleGroup& group = rules.groups[0];
  auto industries = evaluator.Evaluate(group, group.rules[0], data, t);
  ASSERT_EQ(industries.size(), 2u);
  const RuleOutcome* pharma = Find(industries, "industry", kPharma);
  ASSERT_TRUE(pharma->value) << pharma->no_data_reason.en;
  EXPECT_NEAR(*pharma->value, 110 / 1.05 / 100 - 1, 1e-12);  // real 4.76%, nominal 10%
  const RuleOutcome* machinery = Find(industries, "industry", kMachinery);
  EXPECT_FALSE(machinery->value);  // no PPI for 装备制造: never a silent nominal figure
  EXPECT_NE(machinery->no_data_reason.en.find("price index"), std::string::npos);
  EXPECT_NE(machinery->no_data_reason.zh.find("“装备制造”行业"), std::string::npos)
      << machinery->no_data_reason.zh;
  EXPECT_NE(machinery->no_data_reason.zh.find("没有可用的价格指数"), std::string::npos);
  EXPECT_EQ(evaluator.Evaluate(group, group.rules[1], data, t).size(), 2u);

  // A later PPI revision arrives through the pseudo-enterprise and re-evaluates the period.
  auto batch = Ingest({}, {Ppi(kPharma, t, 110)});
  BatchEffect effect = data.ApplyBatch(*store_, batch);
  EXPECT_TRUE(effect.price_index_changed);
  EXPECT_TRUE(effect.enterprises.empty());
  EXPECT_EQ(PeriodsToEvaluate(group, group.rules[0], data, &batch), std::vector<Period>{t});
  industries = evaluator.Evaluate(group, group.rules[0], data, t);
  EXPECT_NEAR(*Find(industries, "industry", kPharma)->value, 0, 1e-12);
}

TEST_F(EvaluatorTest, DefaultRuleSetEvaluatesOverASyntheticPark) {
  RuleSet rules;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"}, &rules, &d))
      << JoinDiagnostics(d);
  const std::vector<std::string>& industries = config_.industries;
  std::vector<Ent> ents;
  std::vector<FigureRecord> figs;
  const int kEnterprises = 12;
  for (int n = 1; n <= kEnterprises; ++n) {
    ents.push_back({n, "企业" + std::to_string(n), industries[n % 4], n % 2 == 0});
    // Enterprise 2 (key) falls 25% in 2024; the rest grow 5% a year.
    auto value = [&](int year, int step) {
      double level = (100 + n * 10 + step % 7) * std::pow(1.05, year - 2022);
      return n == 2 && year == 2024 ? level * 0.75 / 1.05 : level;
    };
    for (int y = 2022; y <= 2024; ++y) {
      for (int w = 1; w <= 52; ++w) {
        if (n == 4 && y == 2024 && w >= 50) continue;  // a key enterprise stops reporting
        figs.push_back(Fig(n, "output_value", Period::Week(y, w), value(y, w)));
        figs.push_back(Fig(n, "electricity", Period::Week(y, w), value(y, w) * 3));
      }
      for (int m = 1; m <= 12; ++m) {
        Period p = Period::Month(y, m);
        if (m == 1 && n % 3 == 0) continue;  // these report 1—2月 as one figure
        if (m == 2 && n % 3 == 0) p = Period::JanFeb(y);
        double factor = m == 2 && n % 3 == 0 ? 2 : 1;
        figs.push_back(Fig(n, "output_value", p, value(y, m) * 4 * factor));
        figs.push_back(Fig(n, "value_added", p, value(y, m) * factor));
      }
    }
  }
  for (const auto& industry : industries)
    for (int y = 2023; y <= 2024; ++y)
      for (Period p : MonthlyPeriodsOfYear(y, true)) figs.push_back(Ppi(industry, p, 102));
  Ingest(ents, figs);
  RuleData data;
  data.Load(*store_, config_, rules);
  ASSERT_EQ(data.size(), static_cast<size_t>(kEnterprises));

  Evaluator evaluator(rules, config_);
  int evaluated = 0, with_value = 0, in_breach = 0;
  for (const RuleGroup& group : rules.groups) {
    for (const RuleConfig& rule : group.rules) {
      std::vector<Period> periods = PeriodsToEvaluate(group, rule, data, nullptr);
      if (rule.kind == RuleKind::kMissingReport) {
        // Due a week (a month) after the data ends.
        periods = {*Evaluator::DuePeriod(group, rule, 1735790400 /* 2025-01-02 */ + 14 * 86400)};
      }
      ASSERT_FALSE(periods.empty()) << rule.name;
      int rule_values = 0;
      for (Period t : periods) {
        for (const RuleOutcome& o : evaluator.Evaluate(group, rule, data, t)) {
          ++evaluated;
          EXPECT_EQ(o.rule, &rule);
          EXPECT_FALSE(o.Annotations().at("summary").empty());
          if (o.value) ++rule_values;
          if (o.level != Severity::kNone) ++in_breach;
        }
      }
      with_value += rule_values;
      if (rule.kind == RuleKind::kAnomaly) {
        // Two years of data: too short a history for a seasonal baseline, and it says so.
        auto o = evaluator.Evaluate(group, rule, data, periods.back());
        ASSERT_FALSE(o.empty());
        EXPECT_THAT(o[0].no_data_reason.en, ::testing::HasSubstr("at least 3 earlier years"));
        EXPECT_THAT(o[0].no_data_reason.zh, ::testing::HasSubstr("历史同期基准至少要此前3年"));
        continue;
      }
      EXPECT_GT(rule_values, 0) << rule.name << " never had a value";
    }
  }
  EXPECT_GT(evaluated, 1000);
  EXPECT_GT(with_value, 500);
  EXPECT_GT(in_breach, 0);

  // The key enterprise that fell 25% is red on output, and it drags the park.
  const RuleGroup& weekly = rules.groups[0];
  auto drop = evaluator.Evaluate(weekly, *rules.FindRule("KeyEnterpriseOutputDrop"), data,
                                 Period::Week(2024, 20));
  ASSERT_EQ(drop.size(), static_cast<size_t>(kEnterprises / 2));
  EXPECT_EQ(Find(drop, "enterprise", TestCreditCode(2))->level, Severity::kOrange);  // -25%
  const RuleGroup& monthly = rules.groups[1];
  auto drags = evaluator.Evaluate(monthly, *rules.FindRule("KeyEnterpriseDragsPark"), data,
                                  Period::Month(2024, 6));
  EXPECT_LT(*Find(drags, "enterprise", TestCreditCode(2))->value, -0.01);
  auto missing = evaluator.Evaluate(weekly, *rules.FindRule("WeeklyReportMissing"), data,
                                    Period::Week(2024, 52));
  EXPECT_EQ(Find(missing, "enterprise", TestCreditCode(4))->value, 3);  // W50..W52
}

// The register's 应报报表 decides first where it says: an enterprise that owes no weekly report
// is never missing one, whatever the rule's reporters; `reporters: register` takes exactly those
// it names for the cadence.
TEST_F(EvaluatorTest, MissingReportsFollowTheRegistersExpectedReports) {
  RuleSet rules = ParseRules(R"yaml(
groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: MissingKey
        kind: missing_report
        reporters: key
        levels: {yellow: 1}
      - alert: MissingRegister
        kind: missing_report
        reporters: register
        levels: {yellow: 1}
      - alert: MissingAll
        kind: missing_report
        reporters: all
        levels: {yellow: 1}
)yaml");
  auto txn = store_->BeginIngest({"register.csv", "register", "r1"});
  // 1: key, monthly only; 2: key, weekly and monthly; 3: not stated; 4: weekly; 5: none at all.
  const std::pair<bool, std::optional<std::string>> kEnterprises[] = {{true, "monthly"},
                                                                      {true, "weekly,monthly"},
                                                                      {false, std::nullopt},
                                                                      {false, "weekly"},
                                                                      {false, ""}};
  for (int n = 1; n <= 5; ++n) {
    EnterpriseRecord e{TestCreditCode(n), "企业" + std::to_string(n), kPharma};
    e.key = kEnterprises[n - 1].first;
    e.expected_reports = kEnterprises[n - 1].second;
    EXPECT_EQ(txn->PutEnterprise(e).en, "");
    EXPECT_EQ(txn->PutFigure(Fig(n, "output_value", Period::Week(2024, 1), 1)).en, "");
  }
  BatchSummary s;
  s.status = "committed";
  txn->Commit(&s);
  RuleData data;
  data.Load(*store_, config_, rules);
  const RuleGroup& group = rules.groups[0];
  Evaluator evaluator(rules, config_);
  auto owing = [&](int rule) {
    std::set<std::string> codes;
    for (const auto& o :
         evaluator.Evaluate(group, group.rules[rule], data, Period::Week(2024, 3))) {
      EXPECT_EQ(o.value, 2) << o.Labels().at("enterprise");  // W02 and W03 missing
      codes.insert(o.Labels().at("enterprise"));
    }
    return codes;
  };
  EXPECT_EQ(owing(0), (std::set<std::string>{TestCreditCode(2)}));  // 1 owes no weekly report
  EXPECT_EQ(owing(1), (std::set<std::string>{TestCreditCode(2), TestCreditCode(4)}));
  EXPECT_EQ(owing(2),
            (std::set<std::string>{TestCreditCode(2), TestCreditCode(3), TestCreditCode(4)}));
}

// Three runs of a Latin word are English left in a Chinese sentence (credit codes have at most
// two letters in a row; indicator names are not in these reasons).
bool HasEnglish(const std::string& text) {
  static const std::regex word("[A-Za-z]{3,}");
  return std::regex_search(text, word);
}

// Every reason the default rules give over a park with gaps, newcomers and short histories is
// worded where it is decided in both languages: Chinese without English left in it, the periods
// in words in either.
TEST(NoDataReasonTest, EveryReasonTheDefaultRulesGiveOverAParkWithGapsReadsAsChineseAndEnglish) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  Config config;
  config.industries = {"医药化工", "装备制造"};
  config.indicators = DefaultIndicators();
  RuleSet rules;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"}, &rules, &d))
      << JoinDiagnostics(d);
  {
    auto txn = store->BeginIngest({"park.csv", "test", "1"});
    for (int n = 1; n <= 6; ++n) {
      // 1–2: two years and more; 3: from mid-2024 only; 4: stops in 2024; 5: a gap; 6: key,
      // one figure.
      EXPECT_EQ(txn->PutEnterprise({TestCreditCode(n), "企业" + std::to_string(n),
                                    n % 2 ? "医药化工" : "装备制造", n == 6, std::nullopt})
                    .en,
                "");
      for (int y = 2023; y <= 2025; ++y) {
        for (int w = 1; w <= 52; ++w) {
          if ((n == 3 && y < 2024) || (n == 4 && y == 2025) || (n == 5 && y == 2024 && w > 20) ||
              (n == 6 && !(y == 2025 && w == 10)))
            continue;
          EXPECT_EQ(txn->PutFigure({TestCreditCode(n), "output_value", Period::Week(y, w),
                                    100.0 * n + w % 5})
                        .en,
                    "");
        }
        for (Period p : MonthlyPeriodsOfYear(y, false)) {
          if ((n == 3 && y < 2024) || (n == 4 && y == 2025) || (n == 5 && y == 2024) ||
              (n == 6 && !(y == 2025 && p.first_month() == 6)))
            continue;
          for (const char* indicator : {"output_value", "value_added"})
            EXPECT_EQ(
                txn->PutFigure({TestCreditCode(n), indicator, p, 400.0 * n + p.first_month()}).en,
                "");
        }
      }
    }
    BatchSummary s;
    s.status = "committed";
    txn->Commit(&s);
  }
  RuleData data;
  data.Load(*store, config, rules);
  Evaluator evaluator(rules, config);
  std::set<std::pair<std::string, std::string>> reasons;  // zh, en
  for (const RuleGroup& group : rules.groups)
    for (const RuleConfig& rule : group.rules) {
      if (rule.kind == RuleKind::kMissingReport) continue;
      for (Period t : PeriodsToEvaluate(group, rule, data, nullptr))
        for (const RuleOutcome& o : evaluator.Evaluate(group, rule, data, t))
          if (!o.value) reasons.insert({o.no_data_reason.zh, o.no_data_reason.en});
    }
  EXPECT_GT(reasons.size(), 20u) << "the park gives the reasons a bureau meets";
  static const std::regex iso_period("20[0-9]{2}-(W|[01])");
  for (const auto& [zh, en] : reasons) {
    EXPECT_FALSE(zh.empty()) << en;
    EXPECT_FALSE(HasEnglish(zh)) << zh << "\n  (" << en << ")";
    EXPECT_FALSE(std::regex_search(zh, iso_period)) << zh;
    EXPECT_FALSE(en.empty()) << zh;
    EXPECT_FALSE(std::regex_search(en, iso_period)) << en;
  }
}

}  // namespace
}  // namespace parkwatch
