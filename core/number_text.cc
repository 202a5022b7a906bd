#include "core/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace parkwatch {

std::string Pct1(double ratio) { return Fixed(std::round(std::fabs(ratio) * 1000) / 10, 1); }

bool RoundsToZero(double ratio) { return std::round(std::fabs(ratio) * 1000) == 0; }

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string ShortestText(double v) {
  char buffer[32];  // a double's shortest form is at most 24 characters
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : "0";
}

std::string Grouped(double v, int decimals) {
  std::string text = Fixed(v, decimals);
  size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  const size_t first_digit = text[0] == '-' ? 1 : 0;
  for (size_t i = end; i > first_digit + 3; i -= 3) text.insert(i - 3, ",");
  return text;
}

std::string GrowthWords(double ratio, const std::string& lang) {
  if (lang == "en") {
    if (RoundsToZero(ratio)) return "flat year on year";
    return std::string(ratio > 0 ? "up " : "down ") + Pct1(ratio) + "% year on year";
  }
  if (RoundsToZero(ratio)) return "与上年同期持平";
  return std::string(ratio > 0 ? "同比增长" : "同比下降") + Pct1(ratio) + "%";
}

std::string PointsWords(double difference, const std::string& lang, const char* up_zh,
                        const char* down_zh) {
  if (lang == "en") {
    if (RoundsToZero(difference)) return "unchanged";
    return std::string(difference > 0 ? "up " : "down ") + Pct1(difference) + " percentage points";
  }
  if (RoundsToZero(difference)) return "持平";
  return std::string(difference > 0 ? up_zh : down_zh) + Pct1(difference) + "个百分点";
}

std::string MoneyWords(double yuan, const std::string& lang) {
  if (lang == "en") {
    if (std::fabs(yuan) >= 1e8) return Grouped(yuan / 1e8) + " hundred million yuan";
    return Grouped(yuan / 1e4) + " ten thousand yuan";
  }
  if (std::fabs(yuan) >= 1e8) return Grouped(yuan / 1e8) + "亿元";
  return Grouped(yuan / 1e4) + "万元";
}

DisplayUnit DisplayUnitOf(Dimension dimension, const std::string& lang) {
  switch (dimension) {
    case Dimension::kMoney:
      return {1e4, 2, "万元", " ten thousand yuan"};
    case Dimension::kEnergy:
      return lang == "en" ? DisplayUnit{1e3, 2, "", " MWh"} : DisplayUnit{1e4, 2, "万千瓦时", ""};
    case Dimension::kCount:
      return {1, 0, "", ""};
    case Dimension::kRatio:
      return {0.01, 1, "%", "%"};
  }
  return {1, 2, "", ""};
}

std::string AmountWords(double base_value, Dimension dimension, const std::string& lang) {
  DisplayUnit unit = DisplayUnitOf(dimension, lang);
  return Grouped(base_value / unit.divisor, unit.decimals) + unit.Name(lang);
}

}  // namespace parkwatch
