// The park the rule benchmarks use, in one place so that the in-memory RuleData
// (evaluator_bench), the SQLite store (bench_store) and the SQL baseline (run by bench/evaluate.sh)
// hold the same figures: N 规上 enterprises (every tenth a key enterprise, industries in turn),
// five years (2020–2024) of weekly output and electricity (weeks 1..52) and of monthly output and
// value added, and a monthly PPI of 102 per industry.
#pragma once

#include <functional>
#include <string>

#include "core/period.h"
#include "rules/measures.h"

namespace parkwatch::bench {

inline constexpr int kFirstYear = 2020;
inline constexpr int kYears = 5;
inline constexpr int kLastYear = kFirstYear + kYears - 1;
inline constexpr const char* kIndustries[] = {"医药化工", "装备制造", "轻工食品", "电力电子"};

// A deterministic, varied value: year-on-year changes spread over about ±40%, so some rules fire.
inline double Value(int e, int year, int step) {
  return 1000 + (e * 7919 + year * 31 + step * 17) % 500;
}

inline std::string CreditCode(int e) { return "E" + std::to_string(e); }
inline std::string Name(int e) { return "企业" + std::to_string(e); }
inline const char* Industry(int e) { return kIndustries[e % 4]; }
inline bool IsKey(int e) { return e % 10 == 0; }

// Calls fn(indicator, period, value) for every figure of enterprise e: weekly, then monthly.
inline void EnterpriseFigures(int e, const std::function<void(const char*, Period, double)>& fn) {
  for (int y = kFirstYear; y <= kLastYear; ++y)
    for (int w = 1; w <= 52; ++w) {
      fn("output_value", Period::Week(y, w), Value(e, y, w));
      fn("electricity", Period::Week(y, w), 3 * Value(e, y, w + 1));
    }
  for (int y = kFirstYear; y <= kLastYear; ++y)
    for (Period p : MonthlyPeriodsOfYear(y, true)) {
      fn("output_value", p, 4 * Value(e, y, p.last_month()));
      fn("value_added", p, Value(e, y, p.last_month() + 3));
    }
}

// Calls fn(industry, period, ppi) for every industry's monthly price index.
inline void PriceIndices(const std::function<void(const char*, Period, double)>& fn) {
  for (const char* industry : kIndustries)
    for (int y = kFirstYear; y <= kLastYear; ++y)
      for (Period p : MonthlyPeriodsOfYear(y, true)) fn(industry, p, 102);
}

}  // namespace parkwatch::bench
