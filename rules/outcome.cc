#include "rules/outcome.h"

#include <cstdio>

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
  if (ratio) vars["ratio"] = Number(*ratio);
  if (last_reported) vars["last_reported"] = last_reported->ToString();
  vars["period"] = period.ToString();
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
  if (rule->annotations.empty()) return annotations;
  TemplateVars vars = Vars();
  for (const auto& [name, text] : rule->annotations) annotations[name] = RenderTemplate(text, vars);
  return annotations;
}

}  // namespace parkwatch
