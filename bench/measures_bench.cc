// Micro benchmarks for the measures library at the size of a large park: 20,000 规上
// enterprises, five years of weekly figures (about 5 million values per indicator).
//
//   build/bench/bench/measures_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <vector>

#include "rules/figure_table.h"
#include "rules/measures.h"

namespace parkwatch {
namespace {

constexpr int kEnterprises = 20000;
constexpr int kFirstYear = 2020;
constexpr int kYears = 5;

// A deterministic, varied value so sums are not trivially constant.
double Value(int e, int year, int week) { return 1000 + (e * 7919 + year * 31 + week * 17) % 500; }

// Every enterprise reports weeks 1..52 of 2020..2024 (weeks 53 left out: 5 × 52 = 260 periods).
// period_major fills one week for all enterprises at a time, as weekly batches arrive;
// otherwise one enterprise's history at a time, as a historical import might.
void Fill(FigureTable& t, bool period_major) {
  if (period_major) {
    for (int y = kFirstYear; y < kFirstYear + kYears; ++y)
      for (int w = 1; w <= 52; ++w) {
        Period p = Period::Week(y, w);
        for (int e = 0; e < kEnterprises; ++e) t.Put(e, p, Value(e, y, w));
      }
  } else {
    for (int e = 0; e < kEnterprises; ++e)
      for (int y = kFirstYear; y < kFirstYear + kYears; ++y)
        for (int w = 1; w <= 52; ++w) t.Put(e, Period::Week(y, w), Value(e, y, w));
  }
}

void BM_FigureTableFill(benchmark::State& state) {
  bool period_major = state.range(0) != 0;
  size_t values = 0, bytes = 0;
  for (auto _ : state) {
    FigureTable t(Cadence::kWeekly, IndicatorKind::kLevel);
    Fill(t, period_major);
    t.Compact();
    values = t.size();
    bytes = t.MemoryBytes();
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values));
  state.counters["values"] = static_cast<double>(values);
  state.counters["MB"] = static_cast<double>(bytes) / (1 << 20);
  state.counters["bytes_per_value"] = static_cast<double>(bytes) / static_cast<double>(values);
}
BENCHMARK(BM_FigureTableFill)
    ->Arg(1)
    ->Arg(0)
    ->ArgName("period_major")
    ->Unit(benchmark::kMillisecond);

// Shared fixture data: built once, read by the measure benchmarks.
struct Park {
  FigureTable weekly{Cadence::kWeekly, IndicatorKind::kLevel};
  FigureTable monthly{Cadence::kMonthly, IndicatorKind::kLevel};
  std::vector<EnterpriseInfo> infos = std::vector<EnterpriseInfo>(kEnterprises);
  std::vector<EnterpriseIndex> scope;
  Park() {
    Fill(weekly, true);
    for (int e = 0; e < kEnterprises; ++e) {
      infos[e].industry = e % 4;
      scope.push_back(e);
      for (int y = 2023; y <= 2024; ++y)
        for (Period p : MonthlyPeriodsOfYear(y, true))
          monthly.Put(e, p, Value(e, y, p.last_month()));
    }
  }
};

const Park& GetPark() {
  static const Park* park = new Park();
  return *park;
}

void BM_ParkYoY(benchmark::State& state) {
  const Park& park = GetPark();
  Measures m(park.weekly, park.infos);
  for (auto _ : state) {
    MeasureResult r = m.YoY(park.scope, Period::Week(2024, 20));
    benchmark::DoNotOptimize(r);
    if (!r.ok()) state.SkipWithError(r.no_data_reason.en.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kEnterprises);
}
BENCHMARK(BM_ParkYoY)->Unit(benchmark::kMicrosecond);

// 1—12月 cumulative growth: 11 monthly periods (Jan–Feb combined) in each of two years.
void BM_ParkYtdYoY(benchmark::State& state) {
  const Park& park = GetPark();
  Measures m(park.monthly, park.infos);
  for (auto _ : state) {
    MeasureResult r = m.YtdYoY(park.scope, Period::Month(2024, 12));
    benchmark::DoNotOptimize(r);
    if (!r.ok()) state.SkipWithError(r.no_data_reason.en.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kEnterprises);
}
BENCHMARK(BM_ParkYtdYoY)->Unit(benchmark::kMicrosecond);

// The pull of 200 single enterprises on the park, one Pull each: every Pull re-sums the
// whole, so this is 200 park-wide passes.
void BM_PullEach100thEnterprise(benchmark::State& state) {
  const Park& park = GetPark();
  Measures m(park.weekly, park.infos);
  for (auto _ : state) {
    double sum = 0;
    for (EnterpriseIndex e = 0; e < kEnterprises; e += 100) {
      MeasureResult r =
          m.Pull(std::span<const EnterpriseIndex>(&e, 1), park.scope, Period::Week(2024, 20));
      sum += r.value.value_or(0);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * (kEnterprises / 100));
}
BENCHMARK(BM_PullEach100thEnterprise)->Unit(benchmark::kMillisecond);

// The same question answered for all 20k enterprises in one pass.
void BM_PullsByEnterprise(benchmark::State& state) {
  const Park& park = GetPark();
  Measures m(park.weekly, park.infos);
  for (auto _ : state) {
    auto pulls = m.PullsByEnterprise(park.scope, Period::Week(2024, 20));
    benchmark::DoNotOptimize(pulls);
    if (pulls.size() != kEnterprises) state.SkipWithError("missing pulls");
  }
  state.SetItemsProcessed(state.iterations() * kEnterprises);
}
BENCHMARK(BM_PullsByEnterprise)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parkwatch

BENCHMARK_MAIN();
