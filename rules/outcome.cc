#include "rules/outcome.h"

#include <cstdio>

#include "core/number_text.h"
#include "core/time_text.h"
#include "rules/measure_words.h"
#include "rules/template.h"

namespace parkwatch {
namespace {

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

const char* ScopeLabel(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kEnterprise:
      return "enterprise";
    case ScopeKind::kIndustry:
      return "industry";
    case ScopeKind::kPark:
      return "park";
    case ScopeKind::kSet:
      return "set";
  }
  return "";
}

// The value as messages show it: a z-score with two decimals ("3.46 standard deviations"), a
// count of overdue periods as an integer, anything else in %.6g.
std::string ValueText(RuleKind kind, double value) {
  switch (kind) {
    case RuleKind::kAnomaly: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", value);
      return buf;
    }
    case RuleKind::kMissingReport:
      return std::to_string(static_cast<int>(value));
    case RuleKind::kThreshold:
      break;
  }
  return Number(value);
}

}  // namespace

std::map<std::string, std::string> RuleOutcome::Labels() const {
  std::map<std::string, std::string> labels;
  if (!rule->labels.empty()) {
    TemplateVars vars = Vars();
    for (const auto& [name, text] : rule->labels) labels[name] = RenderTemplate(text, vars);
  }
  // Identity keys last, so a rule label cannot change whom the alert is about.
  labels["scope"] = ScopeLabel(scope);
  switch (scope) {
    case ScopeKind::kEnterprise:
      labels["enterprise"] = data->row(enterprise).credit_code;
      break;
    case ScopeKind::kIndustry:
      labels["industry"] = data->IndustryName(industry);
      break;
    case ScopeKind::kPark:
      break;
    case ScopeKind::kSet:
      labels["set"] = rule->set;
      break;
  }
  return labels;
}

std::map<std::string, std::string> RuleOutcome::Vars() const {
  TemplateVars vars;
  switch (scope) {
    case ScopeKind::kEnterprise: {
      const EnterpriseRow& row = data->row(enterprise);
      vars["name"] = row.name.empty() ? row.credit_code : row.name;
      vars["enterprise"] = row.credit_code;
      vars["industry"] = data->IndustryName(data->info(enterprise).industry);
      break;
    }
    case ScopeKind::kIndustry:
      vars["name"] = vars["industry"] = data->IndustryName(industry);
      break;
    case ScopeKind::kPark:
      vars["name"] = config->park_name.empty() ? "park" : config->park_name;
      break;
    case ScopeKind::kSet:
      vars["name"] = vars["set"] = rule->set;
      break;
  }
  if (target) vars["target"] = Number(*target);
  if (measured) vars["measured"] = Number(*measured);
  if (mean) vars["mean"] = Number(*mean);
  if (ratio) {
    vars["ratio"] = Number(*ratio);
    vars["deviation"] = Number(*ratio - 1);  // ratio to the baseline, as a change: | pct
    vars["direction"] = *ratio >= 1 ? "above" : "below";
    vars["direction_zh"] = *ratio >= 1 ? "高于" : "低于";
  }
  if (rule->measure.kind == MeasureKind::kUnitSlip && value && *value > 0 && ratio) {
    // "10000 倍" or "1/10000": what 疑似单位错误 reads as against the recent level.
    std::string power = "1" + std::string(static_cast<size_t>(*value), '0');
    vars["slip"] = *ratio >= 1 ? power + " 倍" : "1/" + power;
  }
  if (growth) {
    vars["growth"] = Number(*growth);
    if (swing) vars["swing"] = Number(*swing);
    if (course) {
      // 比此前一年的增速（同比下降6.0%）低8.0个百分点: how far the period is from its own course.
      vars["course"] = Number(*course);
      vars["below_course"] = Number(*growth - *course);
      vars["against_course_zh"] = "比此前一年的增速（" + GrowthWords(*course, "zh") + "）" +
                                  PointsWords(*growth - *course, "zh", "高", "低");
      vars["against_course"] = PointsWords(*growth - *course, "en") +
                               " against its growth over the year before (" +
                               GrowthWords(*course, "en") + ")";
    } else {
      vars["against_course_zh"] = "此前一年可比的增速不足3期，未作比较";
      vars["against_course"] =
          "fewer than 3 periods of growth in the year before it to compare with";
    }
  }
  if (last_reported) vars["last_reported"] = last_reported->ToString();
  if (price_basis) {
    const bool comparable = std::string(price_basis) == "comparable";
    vars["prices"] = price_basis;
    vars["prices_zh"] = comparable ? "可比价" : "现价";
  }
  vars["period"] = period.ToString();
  vars["period_zh"] = PeriodName(period);
  if (missing_since) {
    vars["missing_since"] = missing_since->ToString();
    vars["missing_since_zh"] = PeriodName(*missing_since);
  }
  if (period.monthly()) vars["month"] = std::to_string(period.last_month());
  if (period.weekly()) vars["week"] = std::to_string(period.week());
  if (value)
    vars["value"] = ValueText(rule->kind, *value);
  else
    vars["no_data_reason"] = no_data_reason.en, vars["no_data_reason_zh"] = no_data_reason.zh;
  vars["level"] = SeverityName(level);
  vars["level_zh"] = level == Severity::kNone ? "无" : SeverityChineseName(level);
  if (threshold) vars["threshold"] = Number(*threshold);
  vars["rule"] = rule->name;
  vars["measure"] = rule->kind == RuleKind::kMissingReport ? "missing_report" : rule->measure.text;
  vars["scope"] = rule->scope == ScopeKind::kSet ? "set:" + rule->set : ScopeLabel(rule->scope);
  return vars;
}

std::map<std::string, std::string> RuleOutcome::Annotations() const {
  std::map<std::string, std::string> annotations;
  // A missing report names its period for receivers, which gather the enterprises missing the
  // same period into one digest ("12 家企业未报 2025年第20周：…", notifiers/template.h).
  if (rule->kind == RuleKind::kMissingReport && value && *value > 0)
    annotations["missing_period"] = PeriodName(period);
  TemplateVars vars = Vars();
  for (const auto& [name, text] : rule->annotations) annotations[name] = RenderTemplate(text, vars);
  // What a message needs to say the alert in words (notifiers/template.cc), whatever the rule's
  // own annotations hold: its title, the measure, and every level's threshold for this member.
  if (!rule->title.empty()) annotations["title"] = rule->title;
  if (!rule->title_zh.empty()) annotations["title_zh"] = rule->title_zh;
  if (rule->kind == RuleKind::kThreshold) {
    annotations["measure"] = rule->measure.text;
    if (config)
      if (const IndicatorConfig* ind = config->FindIndicator(rule->measure.indicator))
        annotations["indicator_title"] = ind->title;
  }
  const Thresholds& th = rule->ThresholdsFor(vars["industry"], vars["enterprise"]);
  annotations["rule_kind"] = RuleKindName(rule->kind);
  annotations["direction"] = th.direction == Direction::kBelow ? "below" : "above";
  std::string levels;
  for (Severity s : {Severity::kBlue, Severity::kYellow, Severity::kOrange, Severity::kRed})
    if (th.levels[static_cast<size_t>(s)])
      levels += (levels.empty() ? "" : " ") + std::string(SeverityName(s)) + "=" +
                Number(*th.levels[static_cast<size_t>(s)]);
  if (!levels.empty()) annotations["levels"] = levels;
  if (target) annotations["target"] = Number(*target);
  if (measured) annotations["measured"] = Number(*measured);
  // The prices the value is at, whatever the rule's templates say (comparable_or_current
  // decides per outcome): /metrics labels the same figure with the same word.
  if (price_basis) annotations["prices"] = price_basis;
  // fall(): its own course in words, for messages and `explain` whatever the templates say.
  if (growth) {
    annotations["against_course"] = vars["against_course"];
    annotations["against_course_zh"] = vars["against_course_zh"];
    annotations["growth"] = vars["growth"];
    if (swing) annotations["swing"] = vars["swing"];
    // How many of its swings a fall must reach: messages say the condition beside the lines.
    annotations["swings"] = Number(rule->measure.swings);
  }
  AddFigures(&annotations);
  return annotations;
}

// An enterprise's own figures behind a threshold rule on a level indicator (output value,
// electricity), so a message can say "本期 1,234.56万元，上年同期 1,478.90万元" and show the
// recent periods without a second look-up: figure, figure_year_ago, dimension (money, energy,
// count) and recent ("2025-W12=1234.5/1100.2;…": the last kRecentPeriods periods with their
// year-ago figures, oldest first, a side empty where there is none). An industry's or the park's
// growth carries the totals of its caliber at current prices (figure, figure_year_ago, and
// figure_span "ytd" for months to date); no recent periods: its link's page has the series.
void RuleOutcome::AddFigures(std::map<std::string, std::string>* annotations) const {
  constexpr int kRecentPeriods = 8;
  const char* dimensions[] = {"money", "energy", "count", "ratio"};
  if (total && total_year_ago && config && rule->kind == RuleKind::kThreshold) {
    if (const IndicatorConfig* indicator = config->FindIndicator(rule->measure.indicator))
      (*annotations)["dimension"] = dimensions[static_cast<size_t>(indicator->dimension)];
    (*annotations)["figure"] = ShortestText(*total);
    (*annotations)["figure_year_ago"] = ShortestText(*total_year_ago);
    if (rule->measure.kind == MeasureKind::kYtdYoy) (*annotations)["figure_span"] = "ytd";
    return;
  }
  if (rule->kind != RuleKind::kThreshold || scope != ScopeKind::kEnterprise || enterprise < 0 ||
      !data || !config || !group)
    return;
  const IndicatorConfig* indicator = config->FindIndicator(rule->measure.indicator);
  if (!indicator || indicator->kind != IndicatorKind::kLevel) return;
  const FigureTable* table = data->Figures(rule->measure.indicator, group->cadence);
  if (!table) return;
  auto year_ago = [&](Period p) -> std::optional<double> {
    std::optional<Period> before = p.SameLastYear();
    return before ? table->Get(enterprise, *before) : std::nullopt;
  };
  (*annotations)["dimension"] = dimensions[static_cast<size_t>(indicator->dimension)];
  if (auto now = table->Get(enterprise, period)) (*annotations)["figure"] = ShortestText(*now);
  if (auto before = year_ago(period)) (*annotations)["figure_year_ago"] = ShortestText(*before);
  std::vector<Period> periods{period};
  while (static_cast<int>(periods.size()) < kRecentPeriods && periods.back().Prev().valid())
    periods.push_back(periods.back().Prev());
  std::string recent;
  for (auto p = periods.rbegin(); p != periods.rend(); ++p) {
    std::optional<double> now = table->Get(enterprise, *p), before = year_ago(*p);
    if (!now && !before) continue;
    recent += (recent.empty() ? "" : ";") + p->ToString() + "=" + (now ? ShortestText(*now) : "") +
              "/" + (before ? ShortestText(*before) : "");
  }
  if (!recent.empty()) (*annotations)["recent"] = recent;
}

}  // namespace parkwatch
