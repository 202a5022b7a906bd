// A rule's measure said in words, as a director reads it — 工业总产值同比增速（可比价） /
// year-on-year growth of 工业总产值 (comparable prices) — with the unit its value is in. The rule
// list and `parkwatch explain` say it; the rule file's text (yoy(output_value)) stays beside it
// for the people who write rules. Any thread.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "core/time_text.h"
#include "core/wording.h"
#include "rules/rule_config.h"

namespace parkwatch {

std::string MeasureWords(const RuleConfig& rule, const Config& config,
                         Language lang = Language::kZh);

// The unit of the rule's compared value: "ratio" (growth, share: 0.05 = 5%), "points"
// (change of a rate, pull on the park's growth, growth less a target, as a ratio: 0.03 = 3
// 个百分点), "periods" (missing reports, declines in a row), "sigma" (anomaly), "times" (unit slip
// exponent), or the indicator's base unit (yuan, kWh) for a level.
std::string MeasureUnit(const RuleConfig& rule, const Config& config);

// A value in one of MeasureUnit's units, tersely and with its sign: -35.0% for growth,
// -1.50个百分点 for a change of a rate, 6期 for periods, 3.2个标准差, 10000倍 for a unit slip,
// 1,234.57万元 / 123.45万千瓦时 for levels. The API's value_text and the alert commands say values
// this way; messages say the same in whole words.
std::string ValueInUnit(double value, const std::string& unit, Language lang = Language::kZh);
// ValueInUnit in the rule's own unit.
std::string ValueWords(const RuleConfig& rule, const Config& config, double value,
                       Language lang = Language::kZh);

// What a rule's lines do not say by themselves, in both languages; empty for most rules.
// fall(x, swings=N) breaches a line only when the growth is also N usual swings below the
// enterprise's own course (rules/measures.h Fall): 且低于企业自身走势2个常规波动幅度以上（各企业的
// 常规波动按其近三年增速估算）for the rule; for one enterprise's alert (swing: its own, nullopt
// while it has less than a year of growth and the default stands in) 且低于其自身走势2个常规波动
// 幅度以上（该企业增速的常规波动约±3.2个百分点）. The alert page, the rule list, the tuning form,
// `explain` and messages say it beside the lines.
Wording ThresholdCondition(const RuleConfig& rule);
Wording ThresholdCondition(const RuleConfig& rule, std::optional<double> swing);
// The same from the numbers an alert's annotations carry (swings, swing): messages.
Wording FallCondition(double swings, std::optional<double> swing);

// "enterprise", "industry", "park" or "set:NAME".
std::string ScopeText(const RuleConfig& rule);
// threshold | missing_report | anomaly
const char* RuleKindName(RuleKind kind);

}  // namespace parkwatch
