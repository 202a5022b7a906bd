#include "rules/measure_words.h"

#include <cmath>

#include "core/number_text.h"
#include "core/units.h"
#include "rules/measures.h"

namespace parkwatch {

namespace {

std::string IndicatorTitle(const std::string& name, const Config& config, Language lang) {
  const IndicatorConfig* ind = config.FindIndicator(name);
  if (lang == Language::kEn)
    return ind && !ind->title.empty() ? ind->title + " (" + name + ")" : name;
  return ind && !ind->title.empty() ? ind->title : name;
}

}  // namespace

const char* RuleKindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kThreshold:
      return "threshold";
    case RuleKind::kMissingReport:
      return "missing_report";
    case RuleKind::kAnomaly:
      return "anomaly";
  }
  return "threshold";
}

namespace {

// 2, 2.5: a number of swings as the rule file writes it.
std::string Swings(double swings) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", swings);
  return buf;
}

std::string Points(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ratio * 100);
  return buf;
}

// member: for one enterprise (own: its swing, or none yet), or for the rule as a whole.
Wording FallWords(double swings, bool member, std::optional<double> own) {
  const std::string n = Swings(swings);
  Wording w{"and at least " + n + " usual swings below " +
                (member ? "its own course" : "the enterprise's own course"),
            "且低于" + std::string(member ? "其" : "企业") + "自身走势" + n + "个常规波动幅度以上"};
  if (!member)
    return w + Wording{" (each enterprise's usual swing from its growth over three years)",
                       "（各企业的常规波动按其近三年增速估算）"};
  if (own)
    return w +
           Wording{" (this enterprise's growth usually moves by about ±" + Points(*own) + " pp)",
                   "（该企业增速的常规波动约±" + Points(*own) + "个百分点）"};
  return w +
         Wording{" (less than a year of its growth: ±" + Points(kFallPriorSwing) + " pp assumed)",
                 "（该企业增速不足一年，常规波动按±" + Points(kFallPriorSwing) + "个百分点计）"};
}

}  // namespace

Wording ThresholdCondition(const RuleConfig& rule) {
  if (rule.kind != RuleKind::kThreshold || rule.measure.kind != MeasureKind::kFall) return {};
  return FallWords(rule.measure.swings, false, std::nullopt);
}

Wording ThresholdCondition(const RuleConfig& rule, std::optional<double> swing) {
  if (rule.kind != RuleKind::kThreshold || rule.measure.kind != MeasureKind::kFall) return {};
  return FallWords(rule.measure.swings, true, swing);
}

Wording FallCondition(double swings, std::optional<double> swing) {
  return FallWords(swings, true, swing);
}

std::string ScopeText(const RuleConfig& rule) {
  switch (rule.scope) {
    case ScopeKind::kEnterprise:
      return "enterprise";
    case ScopeKind::kIndustry:
      return "industry";
    case ScopeKind::kPark:
      return "park";
    case ScopeKind::kSet:
      return "set:" + rule.set;
  }
  return "enterprise";
}

std::string MeasureWords(const RuleConfig& rule, const Config& config, Language lang) {
  const bool zh = lang == Language::kZh;
  const MeasureSpec& m = rule.measure;
  const std::string x = IndicatorTitle(m.indicator, config, lang);
  if (rule.kind == RuleKind::kMissingReport)
    return zh ? "截止时间已过仍未报送的期数" : "periods due and not reported";
  if (rule.kind == RuleKind::kAnomaly)
    return zh ? x + "与往年同期相比的偏离（标准差倍数）"
              : x + ": deviation from the same period of earlier years (in spreads)";
  const bool industry_whole = m.whole == "industry";
  const std::string whole =
      zh ? (industry_whole ? "所在行业" : "园区") : (industry_whole ? "its industry" : "the park");
  std::string words;
  switch (m.kind) {
    case MeasureKind::kLevel:
    case MeasureKind::kValue:
      words = x;
      break;
    case MeasureKind::kYoy:
      words = zh ? x + "同比增速" : "year-on-year growth of " + x;
      break;
    case MeasureKind::kYtdYoy:
      words = zh ? x + "累计同比增速（1月至当月）"
                 : "year-to-date growth of " + x + " (January to the month)";
      break;
    case MeasureKind::kMom:
      words = zh ? x + "环比增速" : "growth of " + x + " on the period before";
      break;
    case MeasureKind::kTwoYearAvg:
      words = zh ? x + "两年平均增速" : "two-year average growth of " + x;
      break;
    case MeasureKind::kShare:
      words = zh ? x + "占" + whole + "比重" : "share of " + whole + "'s " + x;
      break;
    case MeasureKind::kPull:
      words = zh ? x + "对" + whole + "增长的拉动（百分点）"
                 : "pull of " + x + " on " + whole + "'s growth (percentage points)";
      break;
    case MeasureKind::kContribution:
      words =
          zh ? x + "对" + whole + "增长的贡献率" : "contribution to " + whole + "'s growth of " + x;
      break;
    case MeasureKind::kConsecutiveDeclines:
      words =
          m.by > 0
              ? (zh ? x + "连续同比下降" + Fixed(m.by * 100, 1) + "%以上的期数"
                    : "periods in a row of " + x + " falling " + Fixed(m.by * 100, 1) + "% or more")
              : (zh ? x + "连续同比下降的期数" : "periods in a row of falling " + x);
      break;
    case MeasureKind::kChange:
      words = m.against_previous
                  ? (zh ? x + "增速较上期变化（百分点）"
                        : "change of " + x + "'s growth on the period before (points)")
                  : (zh ? x + "增速较上年同期变化（百分点）"
                        : "change of " + x + "'s growth on a year before (points)");
      break;
    case MeasureKind::kUnitSlip:
      words = zh ? x + "疑似单位错报（与近期水平相差的数量级）"
                 : x + ": suspected unit slip (orders of magnitude off its recent level)";
      break;
    case MeasureKind::kFall:
      // The value; the condition on the usual swings is said beside it (against_course).
      words = zh ? x + "同比增速（逐年下降的企业较其自身走势）"
                 : "year-on-year growth of " + x + " (from its own course where that declines)";
      break;
  }
  if (m.prices == PriceBasis::kComparable)
    words += zh ? "（可比价）" : " (comparable prices)";
  else if (m.prices == PriceBasis::kComparableOrCurrent)
    words += zh ? "（可比价，无价格指数时现价）" : " (comparable prices, current where no index)";
  if (!rule.target.empty()) words += zh ? "与目标之差" : ", less the target";
  return words;
}

std::string MeasureUnit(const RuleConfig& rule, const Config& config) {
  if (rule.kind == RuleKind::kMissingReport) return "periods";
  if (rule.kind == RuleKind::kAnomaly) return "sigma";
  // A rule against a target compares growth less the target: a gap of rates.
  if (!rule.target.empty()) return "points";
  switch (rule.measure.kind) {
    case MeasureKind::kLevel:
    case MeasureKind::kValue: {
      const IndicatorConfig* ind = config.FindIndicator(rule.measure.indicator);
      return ind ? std::string(BaseUnitName(ind->dimension)) : "";
    }
    case MeasureKind::kChange:
    case MeasureKind::kPull:  // 拉动园区增长0.5个百分点: a share of the park's growth rate
      return "points";
    case MeasureKind::kConsecutiveDeclines:
      return "periods";
    case MeasureKind::kUnitSlip:
      return "times";
    default:
      return "ratio";
  }
}

std::string ValueInUnit(double value, const std::string& unit, Language lang) {
  bool zh = lang == Language::kZh;
  const char* base = zh ? "zh" : "en";
  if (unit == "ratio") return Fixed(value * 100, 1) + "%";
  if (unit == "points") return Fixed(value * 100, 2) + (zh ? "个百分点" : " pp");
  if (unit == "periods") return Fixed(value, 0) + (zh ? "期" : " periods");
  if (unit == "sigma") return Fixed(value, 1) + (zh ? "个标准差" : "σ");
  if (unit == "times") {
    // The exponent of ten the figure is off by: 4 is 10 000 times, -1 a tenth.
    std::string factor = Fixed(std::pow(10.0, std::fabs(value)), 0);
    if (value < 0) return "1/" + factor;
    return factor + (zh ? "倍" : " times");
  }
  if (unit == BaseUnitName(Dimension::kMoney)) return AmountWords(value, Dimension::kMoney, base);
  if (unit == BaseUnitName(Dimension::kEnergy)) return AmountWords(value, Dimension::kEnergy, base);
  if (unit == BaseUnitName(Dimension::kCount)) return AmountWords(value, Dimension::kCount, base);
  return Fixed(value, 2);
}

std::string ValueWords(const RuleConfig& rule, const Config& config, double value, Language lang) {
  return ValueInUnit(value, MeasureUnit(rule, config), lang);
}

}  // namespace parkwatch
