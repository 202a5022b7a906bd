// Figures as a bureau writes them, in Chinese or English: 同比增长6.2% / 同比下降3.1% (never
// 增长-3.1%), differences of rates in 个百分点, money in 万元 with two decimals and thousands
// separators. Messages, the API's answers and the monthly report all go through these, so a
// figure reads the same wherever a person meets it.
#pragma once

#include <string>

#include "core/units.h"

namespace parkwatch {

// v with the given decimals; never "-0.0".
std::string Fixed(double v, int decimals);

// The shortest text that reads back as the same double: 3437724000.5, 0.08, -1e-05. For values
// stored or passed on as text (annotations, tuning files), where rounding would lose digits.
std::string ShortestText(double v);

// |ratio| as a percentage with one decimal: 0.0625 -> "6.3" (the sign is said in words).
std::string Pct1(double ratio);
// True when a ratio reads as 0.0%: growth is then 持平, not 增长0.0%.
bool RoundsToZero(double ratio);

// 1234567.891 -> "1,234,567.89": two decimals with thousands separators.
std::string Grouped(double v, int decimals = 2);

// 同比增长6.2% / 同比下降3.1% / 与上年同期持平; "up 6.2% year on year" / "down ..." / "flat ...".
std::string GrowthWords(double ratio, const std::string& lang);

// 加快0.4个百分点 / 回落0.4个百分点 (faster/slower), given a difference of two ratios.
std::string PointsWords(double difference, const std::string& lang, const char* up_zh = "加快",
                        const char* down_zh = "回落");

// 1,234.56万元 or 12.35亿元 from yuan.
std::string MoneyWords(double yuan, const std::string& lang);

// The unit a bureau reads a dimension's levels in, and how to get there from the base unit:
// money in 万元, energy in 万千瓦时 (MWh in English), counts as they are, ratios in %.
struct DisplayUnit {
  double divisor;  // base value / divisor = value in this unit
  int decimals;    // 2 for money and energy, 0 for counts, 1 for percentages
  const char* zh;  // 万元
  const char* en;  // 10k yuan
  const char* Name(const std::string& lang) const { return lang == "en" ? en : zh; }
};
DisplayUnit DisplayUnitOf(Dimension dimension, const std::string& lang);

// A level of an indicator from its base unit, in its DisplayUnit: 1,234.56万元, 123.45万千瓦时.
std::string AmountWords(double base_value, Dimension dimension, const std::string& lang);

}  // namespace parkwatch
