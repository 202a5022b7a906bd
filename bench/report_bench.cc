// The monthly analysis for a park of PARKWATCH_BENCH_ENTERPRISES (default 20,000) enterprises and
// five years (bench/bench_park.h), for December 2024 (a full year to date, 24 months of history).
//
//   BM_MonthlyReport          the report's model (report/monthly_report.h): every figure, 增长面,
//                             pulls, key and declining enterprises, 24 months of history
//   BM_MonthlyReportRendered  the model plus its HTML page and XLSX workbook (the PDF is
//                             chromium's time, not parkwatch's)
//   BM_MetricsFiguresOfMonth  the baseline from the same data: what the /metrics refresh computes
//                             for one month (ParkFigures' values of every figure metric)
//
// bench/report.sh prints them as one row: the report against the goal of 2 s, and its ratio to
// the /metrics figures of the same month.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <stdexcept>

#include "bench/bench_park.h"
#include "metrics/park_figures.h"
#include "report/monthly_report.h"
#include "report/render.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"

namespace parkwatch {
namespace {

struct Park {
  Config config;
  RuleSet rules;
  RuleData data;
  Park() {
    std::vector<Diagnostic> d;
    if (!LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"}, &rules,
                       &d))
      throw std::runtime_error("cannot load default rules: " + JoinDiagnostics(d));
    config.park_name = "bench park";
    config.indicators = DefaultIndicators();
    for (const char* name : bench::kIndustries) config.industries.push_back(name);
    data.KeepTables(FigureTables());
    data.Prepare(config, rules);
    const char* n = std::getenv("PARKWATCH_BENCH_ENTERPRISES");
    int enterprises = n ? std::max(10, std::atoi(n)) : 20000;
    for (int e = 0; e < enterprises; ++e) {
      EnterpriseRow row;
      row.id = e + 1;
      row.credit_code = bench::CreditCode(e);
      row.name = bench::Name(e);
      row.industry = bench::Industry(e);
      row.key = bench::IsKey(e);
      EnterpriseIndex index = data.AddEnterprise(row);
      bench::EnterpriseFigures(e, [&](const char* indicator, Period p, double v) {
        if (p.monthly()) data.PutFigure(index, indicator, p, v);
      });
    }
    bench::PriceIndices([&](const char* industry, Period p, double v) {
      data.PutPriceIndex(industry, "ppi", p, v);
    });
    data.Compact();
  }
};

Park& ThePark() {
  static Park park;
  return park;
}

const Period kMonth = Period::Month(bench::kLastYear, 12);

void BM_MonthlyReport(benchmark::State& state) {
  Park& park = ThePark();
  MonthlyReport report;
  for (auto _ : state) {
    report = BuildMonthlyReport(park.data, park.config, park.rules, nullptr, kMonth);
    benchmark::DoNotOptimize(report);
  }
  if (!report.ok) state.SkipWithError(report.message.c_str());
  state.counters["enterprises"] = report.expected;
}
BENCHMARK(BM_MonthlyReport)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MonthlyReportRendered(benchmark::State& state) {
  Park& park = ThePark();
  size_t bytes = 0;
  for (auto _ : state) {
    MonthlyReport report = BuildMonthlyReport(park.data, park.config, park.rules, nullptr, kMonth);
    std::string error;
    bytes = MonthlyReportHtml(report, "zh").size() + MonthlyReportXlsx(report, "zh", &error).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_MonthlyReportRendered)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MetricsFiguresOfMonth(benchmark::State& state) {
  Park& park = ThePark();
  for (auto _ : state) {
    ParkFigures figures(park.data, park.config);
    for (const FigureMetricDef& def : FigureMetricDefs())
      benchmark::DoNotOptimize(figures.Values(def, kMonth));
  }
}
BENCHMARK(BM_MetricsFiguresOfMonth)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace parkwatch

BENCHMARK_MAIN();
