#include "rules/outcome.h"

#include <cstdio>

#include "core/time_text.h"
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

std::string PeriodWords(Period p) {
  if (!p.valid()) return "";
  if (p.weekly()) return std::to_string(p.year()) + "年第" + std::to_string(p.week()) + "周";
  if (p.is_jan_feb()) return std::to_string(p.year()) + "年1—2月";
  return std::to_string(p.year()) + "年" + std::to_string(p.last_month()) + "月";
}

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
  if (last_reported) vars["last_reported"] = last_reported->ToString();
  if (price_basis) {
    const bool comparable = std::string(price_basis) == "comparable";
    vars["prices"] = price_basis;
    vars["prices_zh"] = comparable ? "可比价" : "现价";
  }
  vars["period"] = period.ToString();
  vars["period_zh"] = PeriodWords(period);
  if (missing_since) {
    vars["missing_since"] = missing_since->ToString();
    vars["missing_since_zh"] = PeriodWords(*missing_since);
  }
  if (period.monthly()) vars["month"] = std::to_string(period.last_month());
  if (period.weekly()) vars["week"] = std::to_string(period.week());
  if (value)
    vars["value"] = ValueText(rule->kind, *value);
  else
    vars["no_data_reason"] = no_data_reason;
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
    annotations["missing_period"] = PeriodWords(period);
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
  annotations["rule_kind"] = rule->kind == RuleKind::kMissingReport ? "missing_report"
                             : rule->kind == RuleKind::kAnomaly     ? "anomaly"
                                                                    : "threshold";
  annotations["direction"] = th.direction == Direction::kBelow ? "below" : "above";
  std::string levels;
  for (Severity s : {Severity::kBlue, Severity::kYellow, Severity::kOrange, Severity::kRed})
    if (th.levels[static_cast<size_t>(s)])
      levels += (levels.empty() ? "" : " ") + std::string(SeverityName(s)) + "=" +
                Number(*th.levels[static_cast<size_t>(s)]);
  if (!levels.empty()) annotations["levels"] = levels;
  if (target) annotations["target"] = Number(*target);
  if (measured) annotations["measured"] = Number(*measured);
  return annotations;
}

}  // namespace parkwatch
