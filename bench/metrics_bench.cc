// The in-process baseline for /metrics: the same prometheus-cpp registry serialised by
// TextSerializer alone, with no HTTP in between. bench/run.sh compares a keep-alive scrape of the
// daemon's /metrics (wrk) with BM_SerializeDaemonRegistry.
//
//   BM_SerializeDaemonRegistry  parkwatch::Metrics as the daemon fills it (build info, ingest
//                               counters and histograms, HTTP counters for each handler).
//   BM_SerializeParkRegistry    the same plus families the size of a 20,000-enterprise park: the
//                               latest figure per enterprise and indicator (4 indicators) and an
//                               ALERTS-style series per key enterprise and rule. The daemon does not
//                               export per-enterprise families yet (they are being added on the
//                               `deploy` branch); this shows what serialising them alone costs.
//
// Environment: PARKWATCH_BENCH_ENTERPRISES (default 20000).
#include <benchmark/benchmark.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

#include "bench/bench_park.h"
#include "metrics/metrics.h"

namespace parkwatch {
namespace {

int Enterprises() {
  const char* n = std::getenv("PARKWATCH_BENCH_ENTERPRISES");
  return n ? std::max(10, std::atoi(n)) : 20000;
}

// What a running daemon has recorded after a while: every handler and collector seen.
void FillLikeDaemon(Metrics& m) {
  m.SetBuildInfo(PARKWATCH_VERSION, "");
  m.SetStartTime();
  m.ConfigReload(true);
  m.SetStoreSize(1e9);
  m.SetEventLoopLag(0.0001);
  for (const char* collector : {"office", "http"}) {
    m.IngestBatch(collector, "committed", 1000, 0, 0.2);
    m.IngestBatch(collector, "rejected", 0, 3, 0.01);
  }
  for (const char* handler :
       {"/metrics", "/-/ready", "/-/healthy", "/api/v1/alerts", "/api/v1/series", "/api/v1/ingest"})
    m.HttpRequest(handler, 200, 0.001);
}

std::string SerializeAlone(prometheus::Registry& registry) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry.Collect());
  return out.str();
}

void BM_SerializeDaemonRegistry(benchmark::State& state) {
  Metrics m;
  FillLikeDaemon(m);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = SerializeAlone(m.registry());
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
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
    std::string text = SerializeAlone(m.registry());
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["series"] = static_cast<double>(n * 4 + (n / 10) * 2);
}
BENCHMARK(BM_SerializeParkRegistry)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parkwatch

BENCHMARK_MAIN();
