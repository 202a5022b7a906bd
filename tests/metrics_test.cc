// Metrics: the exposition carries the daemon's families with the values recorded, and the real
// promtool accepts it.
#include "metrics/metrics.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "metrics/loop_lag.h"

namespace parkwatch {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

// The value of the sample whose line starts with series + " ", or NAN.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(series + " ", 0) == 0) return std::stod(l.substr(series.size() + 1));
  }
  return NAN;
}

Metrics& Recorded() {
  static Metrics* metrics = [] {
    auto* m = new Metrics();
    m->SetBuildInfo("0.1.0", "abc123");
    m->SetStartTime();
    m->IngestBatch("office-drop", "committed", 120, 3, 0.2);
    m->IngestBatch("office-drop", "committed", 80, 0, 0.05);
    m->IngestBatch("office-drop", "rejected", 0, 40, 0.01);
    m->IngestBatch("erp-push", "duplicate", 0, 0, 0.002);
    m->HttpRequest("/metrics", 200, 0.003);
    m->HttpRequest("/api/v1/series", 200, 0.02);
    m->HttpRequest("/api/v1/series", 400, 0.001);
    m->ConfigReload(false);
    m->SetStoreSize(4096 * 1024);
    m->SetEventLoopLag(0.0012);
    // Another part's family, added through the shared registry.
    prometheus::BuildCounter()
        .Name("parkwatch_rule_evaluations_total")
        .Help("Rule evaluations.")
        .Register(m->registry())
        .Add({{"group", "weekly-monitoring"}})
        .Increment(7);
    return m;
  }();
  return *metrics;
}

TEST(MetricsTest, SerializesDaemonFamilies) {
  std::string text = Recorded().Serialize();
  EXPECT_TRUE(HasLine(text, R"(parkwatch_build_info{revision="abc123",version="0.1.0"} 1)"))
      << text;
  EXPECT_TRUE(HasLine(text, "# TYPE parkwatch_ingest_batches_total counter"));
  EXPECT_TRUE(HasLine(
      text, R"(parkwatch_ingest_batches_total{collector="office-drop",status="committed"} 2)"));
  EXPECT_TRUE(HasLine(
      text, R"(parkwatch_ingest_batches_total{collector="office-drop",status="rejected"} 1)"));
  EXPECT_TRUE(HasLine(
      text, R"(parkwatch_ingest_rows_total{collector="office-drop",result="accepted"} 200)"));
  EXPECT_TRUE(HasLine(
      text, R"(parkwatch_ingest_rows_total{collector="office-drop",result="rejected"} 43)"));
  EXPECT_TRUE(HasLine(text, "# TYPE parkwatch_ingest_duration_seconds histogram"));
  EXPECT_TRUE(
      HasLine(text, R"(parkwatch_ingest_duration_seconds_count{collector="office-drop"} 3)"));
  EXPECT_TRUE(HasLine(
      text, R"(parkwatch_ingest_duration_seconds_bucket{collector="office-drop",le="0.1"} 2)"));
  EXPECT_TRUE(
      HasLine(text, R"(parkwatch_http_requests_total{code="200",handler="/api/v1/series"} 1)"));
  EXPECT_TRUE(
      HasLine(text, R"(parkwatch_http_requests_total{code="400",handler="/api/v1/series"} 1)"));
  EXPECT_TRUE(HasLine(text, "parkwatch_config_last_reload_successful 0"));
  EXPECT_TRUE(HasLine(text, "parkwatch_config_last_reload_success_timestamp_seconds 0"));
  EXPECT_TRUE(HasLine(text, "parkwatch_store_size_bytes 4194304"));
  EXPECT_TRUE(HasLine(text, "parkwatch_event_loop_lag_seconds 0.0012"));
  EXPECT_TRUE(HasLine(text, R"(parkwatch_rule_evaluations_total{group="weekly-monitoring"} 7)"));
  for (const char* family :
       {"parkwatch_build_info", "parkwatch_ingest_last_success_timestamp_seconds",
        "parkwatch_http_request_duration_seconds", "parkwatch_start_time_seconds"}) {
    EXPECT_NE(text.find(std::string("# HELP ") + family + " "), std::string::npos) << family;
  }

  // Timestamps are Unix seconds of now; the rejected-only collector has none.
  double now = UnixTimeSeconds();
  double started = Sample(text, "parkwatch_start_time_seconds");
  EXPECT_NEAR(started, now, 60);
  double last =
      Sample(text, R"(parkwatch_ingest_last_success_timestamp_seconds{collector="erp-push"})");
  EXPECT_NEAR(last, now, 60);

  Recorded().ConfigReload(true);
  text = Recorded().Serialize();
  EXPECT_TRUE(HasLine(text, "parkwatch_config_last_reload_successful 1"));
  EXPECT_NEAR(Sample(text, "parkwatch_config_last_reload_success_timestamp_seconds"), now, 60);
}

TEST(MetricsTest, PromtoolAcceptsTheExposition) {
  const char* promtool = "/usr/bin/promtool";
  if (access(promtool, X_OK) != 0) GTEST_SKIP() << "promtool not installed (Debian: prometheus)";
  auto dir =
      std::filesystem::temp_directory_path() / ("parkwatch-metrics-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "metrics.txt") << Recorded().Serialize();
  std::string command = std::string(promtool) + " check metrics < " +
                        (dir / "metrics.txt").string() + " > " + (dir / "out.txt").string() +
                        " 2>&1";
  int status = std::system(command.c_str());
  std::stringstream out;
  out << std::ifstream(dir / "out.txt").rdbuf();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "promtool said:\n" << out.str();
  EXPECT_EQ(out.str(), "") << "promtool warnings";
  std::filesystem::remove_all(dir);
}

TEST(LoopLagProbeTest, ReportsHowLateTheTimerRan) {
  Metrics metrics;
  boost::asio::io_context io;
  LoopLagProbe probe(io, metrics, std::chrono::milliseconds(50));
  probe.Start();
  // Something blocks the loop for 300 ms; the tick due after 50 ms runs about 250 ms late.
  boost::asio::post(io, [] { std::this_thread::sleep_for(std::chrono::milliseconds(300)); });
  io.run_one();  // the blocking handler
  io.run_one();  // the late tick, which records the lag and schedules the next one
  double lag = Sample(metrics.Serialize(), "parkwatch_event_loop_lag_seconds");
  EXPECT_GE(lag, 0.2);
  EXPECT_LT(lag, 5.0);
  probe.Stop();
  io.run();  // the cancelled tick completes without touching metrics; run() then returns
}

}  // namespace
}  // namespace parkwatch
