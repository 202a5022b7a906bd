// Why a rule has no value, in Chinese for the console's 规则与阈值 (rules/no_data_words.h): every
// reason the default rules give over a park with gaps, newcomers and short histories reads as
// Chinese with its periods in words, and English stays for the English console.
#include "rules/no_data_words.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>

#include "rules/evaluator.h"
#include "rules/measures.h"
#include "rules/rule_data.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::TempDir;
using testing::TestCreditCode;

TEST(NoDataWordsTest, SaysTheCommonReasonsInChineseWithPeriodsInWords) {
  EXPECT_EQ(NoDataWords("enterprise 91430700MA4L000011 常德甲药业 has no figure for 2025-08"),
            "常德甲药业 2025年8月没有数据");
  EXPECT_EQ(NoDataWords("no figure for 2025-W19 or the same period last year, so the enterprise "
                        "is not in the caliber of the growth"),
            "2025年第19周或上年同期没有数据，不在增速的同口径企业之内");
  EXPECT_EQ(NoDataWords("enterprise 91430700MA4L000011 常德甲药业 has fewer than 2 figures in the "
                        "4 periods before 2025-03, so no recent level"),
            "常德甲药业 2025年3月之前4期中不足2期有数据，尚无近期水平可比");
  EXPECT_EQ(NoDataWords("a seasonal baseline needs the same period in at least 3 earlier years; "
                        "enterprise 91430700MA4L000011 常德甲药业 has 2 (2023-08, 2024-08)"),
            "历史同期基准至少要此前3年的同期数据，常德甲药业只有2年（2023年8月、2024年8月）");
  EXPECT_EQ(NoDataWords("growth for 2024-08: no figure for 2023-08 (same period last year) for "
                        "enterprise 91430700MA4L000011 常德甲药业"),
            "2024年8月增速：常德甲药业没有2023年8月（上年同期）的数据");
  // A fact and why: each sentence on its own, one it does not know as it is.
  EXPECT_EQ(NoDataWords("enterprise 3 has no figure for 2025-01/02; something new"),
            "企业3 2025年1—2月没有数据；something new");
  // English is the measures' own words.
  const std::string en = "enterprise 91430700MA4L000011 常德甲药业 has no figure for 2025-08";
  EXPECT_EQ(NoDataWords(en, Language::kEn), en);
}

// Three runs of a Latin word are English left in a Chinese sentence (credit codes have at most
// two letters in a row; indicator names are not in these reasons).
bool HasEnglish(const std::string& text) {
  static const std::regex word("[A-Za-z]{3,}");
  return std::regex_search(text, word);
}

TEST(NoDataWordsTest, EveryReasonTheDefaultRulesGiveOverAParkWithGapsReadsAsChinese) {
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
  std::set<std::string> reasons;
  for (const RuleGroup& group : rules.groups)
    for (const RuleConfig& rule : group.rules) {
      if (rule.kind == RuleKind::kMissingReport) continue;
      for (Period t : PeriodsToEvaluate(group, rule, data, nullptr))
        for (const RuleOutcome& o : evaluator.Evaluate(group, rule, data, t))
          if (!o.value) reasons.insert(o.no_data_reason);
    }
  EXPECT_GT(reasons.size(), 20u) << "the park gives the reasons a bureau meets";
  for (const std::string& reason : reasons) {
    const std::string zh = NoDataWords(reason);
    EXPECT_FALSE(HasEnglish(zh)) << reason << "\n  -> " << zh;
    EXPECT_EQ(zh.find("2025-"), std::string::npos) << zh;
  }
}

}  // namespace
}  // namespace parkwatch
