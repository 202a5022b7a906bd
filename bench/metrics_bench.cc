// The in-process baseline for /metrics: the same families (the registry and FigureMetrics'
// collectable, Metrics::Collect) serialised by TextSerializer alone, with no HTTP in between.
// bench/serve.sh compares a keep-alive scrape of the daemon's /metrics (wrk) with
// BM_SerializeStoreRegistry (below).
//
//   BM_SerializeDaemonRegistry  parkwatch::Metrics filled as the daemon's is while bench/serve.sh
//                               scrapes it.
//   BM_SerializeParkRegistry    the same plus families the size of a 20,000-enterprise park: the
//                               latest figure per enterprise and indicator (4 indicators) and an
//                               ALERTS-style series per key enterprise and rule. The daemon does
//                               not export per-enterprise families yet (they are being added on the
//                               `deploy` branch, since merged); synthetic, kept for comparison.
//
// Environment: PARKWATCH_BENCH_ENTERPRISES (default 20000).
#include <benchmark/benchmark.h>
#include <prometheus/gauge.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "alerts/alert_store.h"
#include "bench/bench_park.h"
#include "metrics/figure_metrics.h"
#include "metrics/metrics.h"
#include "metrics/park_figures.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"
#include "store/store.h"

namespace parkwatch {
namespace {

int Enterprises() {
  const char* n = std::getenv("PARKWATCH_BENCH_ENTERPRISES");
  return n ? std::max(10, std::atoi(n)) : 20000;
}

// What the daemon's registry holds while bench/serve.sh scrapes it: the families created at
// start, a store size, a loop-lag reading, and the requests of the run (/-/ready polled before
// and after ready, /metrics). bench/serve.sh prints both sizes so the two can be compared.
void FillLikeDaemon(Metrics& m) {
  m.SetBuildInfo(PARKWATCH_VERSION, "");
  m.SetStartTime();
  m.SetStoreSize(1e9);
  m.SetEventLoopLag(0.0001);
  m.HttpRequest("/-/ready", 503, 0.0001);
  m.HttpRequest("/-/ready", 200, 0.0001);
  m.HttpRequest("/metrics", 200, 0.0001);
}

// Every family of m (its registry and the collectables, as /metrics writes them).
std::string SerializeAlone(const Metrics& m) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, m.Collect());
  return out.str();
}

void BM_SerializeDaemonRegistry(benchmark::State& state) {
  Metrics m;
  FillLikeDaemon(m);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = SerializeAlone(m);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  // For comparing with a scrape of the daemon (bench/serve.sh keeps both).
  if (const char* path = std::getenv("PARKWATCH_BENCH_METRICS_OUT"))
    std::ofstream(path) << SerializeAlone(m);
}
BENCHMARK(BM_SerializeDaemonRegistry)->Unit(benchmark::kMicrosecond);

void BM_SerializeParkRegistry(benchmark::State& state) {
  Metrics m;
  FillLikeDaemon(m);
  auto& figure = prometheus::BuildGauge()
                     .Name("parkwatch_figure_value")
                     .Help("Latest value of an enterprise's figure, in base units.")
                     .Register(m.registry());
  auto& alerts = prometheus::BuildGauge()
                     .Name("ALERTS")
                     .Help("Alert states, as Prometheus exports them.")
                     .Register(m.registry());
  int n = Enterprises();
  for (int e = 0; e < n; ++e) {
    for (const char* indicator : {"output_value", "electricity", "value_added", "revenue"})
      figure
          .Add({{"enterprise", bench::CreditCode(e)},
                {"industry", bench::Industry(e)},
                {"indicator", indicator}})
          .Set(bench::Value(e, 2024, 1) * 10000);
    if (bench::IsKey(e))
      for (const char* rule : {"KeyEnterpriseOutputDrop", "KeyEnterpriseElectricityDrop"})
        alerts
            .Add({{"alertname", rule},
                  {"alertstate", "firing"},
                  {"severity", "yellow"},
                  {"enterprise", bench::CreditCode(e)}})
            .Set(1);
  }
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = SerializeAlone(m);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["series"] = static_cast<double>(n * 4 + (n / 10) * 2);
}
BENCHMARK(BM_SerializeParkRegistry)->Unit(benchmark::kMillisecond);

// The daemon's registry for a store: its own families plus FigureMetrics refreshed from the store's
// figures and alerts (the series the daemon computes from its engine's data at start). Runs only
// with PARKWATCH_BENCH_STORE (bench/serve.sh points it at the copy the daemon just ran on, so the
// alerts are there too).
void BM_SerializeStoreRegistry(benchmark::State& state) {
  const char* path = std::getenv("PARKWATCH_BENCH_STORE");
  if (!path) {
    state.SkipWithError("PARKWATCH_BENCH_STORE not set");
    return;
  }
  Metrics m;
  FillLikeDaemon(m);
  FigureMetrics figures(m);
  auto store = Store::Open(path);
  Config config;
  config.park_name = "bench park";
  for (const char* name : bench::kIndustries) config.industries.push_back(name);
  figures.Refresh(ParkFigures(*store, config));
  figures.RefreshAlerts(*store);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = SerializeAlone(m);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  if (const char* out = std::getenv("PARKWATCH_BENCH_METRICS_OUT"))
    std::ofstream(std::string(out) + ".store") << SerializeAlone(m);
}
BENCHMARK(BM_SerializeStoreRegistry)->Unit(benchmark::kMillisecond);

// What keeping the figure gauges current costs on the store (PARKWATCH_BENCH_STORE), apart from
// serialising them. The daemon computes them over its alert engine's rule data, which holds the
// figure tables and follows each batch, so a refresh reads nothing from the store:
//   BM_ParkFiguresFromStore    ParkFigures reading the store itself (the export's path).
//   BM_FigureRefreshFirst      ParkFigures over loaded rule data + Refresh into an empty registry:
//                              every series new, as in the refresh before /-/ready answers.
//   BM_FigureRefreshAgain      the same into the registry it already filled: a refresh after a
//                              batch that completes no new period.
Config StoreBenchConfig() {
  Config config;
  config.park_name = "bench park";
  for (const char* name : bench::kIndustries) config.industries.push_back(name);
  return config;
}

void BM_ParkFiguresFromStore(benchmark::State& state) {
  const char* path = std::getenv("PARKWATCH_BENCH_STORE");
  if (!path) return state.SkipWithError("PARKWATCH_BENCH_STORE not set");
  auto store = Store::Open(path);
  Config config = StoreBenchConfig();
  for (auto _ : state) {
    ParkFigures figures(*store, config);
    benchmark::DoNotOptimize(&figures);
  }
}
BENCHMARK(BM_ParkFiguresFromStore)->Unit(benchmark::kMillisecond);

// The rule data as the daemon's engine holds it: the default rules' tables and the figures'.
std::unique_ptr<RuleData> EngineData(Store& store, const Config& config) {
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  if (!LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"}, &rules,
                     &diagnostics))
    throw std::runtime_error("cannot load default rules: " + JoinDiagnostics(diagnostics));
  auto data = std::make_unique<RuleData>();
  data->KeepTables(FigureTables());
  data->Load(store, config, rules);
  return data;
}

void BM_FigureRefreshFirst(benchmark::State& state) {
  const char* path = std::getenv("PARKWATCH_BENCH_STORE");
  if (!path) return state.SkipWithError("PARKWATCH_BENCH_STORE not set");
  auto store = Store::Open(path);
  Config config = StoreBenchConfig();
  auto data = EngineData(*store, config);
  for (auto _ : state) {
    Metrics m;
    FigureMetrics figures(m);
    figures.Refresh(ParkFigures(*data, config));
  }
}
BENCHMARK(BM_FigureRefreshFirst)->Unit(benchmark::kMillisecond);

void BM_FigureRefreshAgain(benchmark::State& state) {
  const char* path = std::getenv("PARKWATCH_BENCH_STORE");
  if (!path) return state.SkipWithError("PARKWATCH_BENCH_STORE not set");
  auto store = Store::Open(path);
  Config config = StoreBenchConfig();
  auto data = EngineData(*store, config);
  Metrics m;
  FigureMetrics figures(m);
  figures.Refresh(ParkFigures(*data, config));
  for (auto _ : state) figures.Refresh(ParkFigures(*data, config));
}
BENCHMARK(BM_FigureRefreshAgain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parkwatch

BENCHMARK_MAIN();
