// parkwatch and the real Prometheus: the exposition passes promtool, the deploy configs pass
// promtool, a Prometheus scraping a daemon loaded with a small demo park answers every
// dashboard panel's query, and the OpenMetrics export backfilled with promtool is queryable.
//
// One park, one daemon and one Prometheus serve the whole suite (SetUpTestSuite), so the suite
// stays within seconds: the backfilled blocks are put into Prometheus's data directory before it
// starts, and it scrapes the daemon every second.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "alerts/alert_store.h"
#include "collectors/ingest.h"
#include "metrics/openmetrics_export.h"
#include "metrics/park_figures.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"
#include "tools/demo_park.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::Shell;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

const std::string kSource = PARKWATCH_SOURCE_DIR;

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

struct Suite {
  TempDir dir;
  std::unique_ptr<DaemonProcess> daemon;
  testing::ChildProcess prometheus;  // stopped (SIGTERM) with the suite
  std::string prometheus_url;
  std::string setup_error;
  // A backfilled value: the park's monthly output of March of the first year.
  Period backfilled_period;
  double backfilled_value = 0;
};
Suite* suite = nullptr;

class PrometheusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite = new Suite();
    Suite& s = *suite;
    auto fail = [&](const std::string& why) { s.setup_error = why; };

    // A small park dated up to today, so the latest complete periods are recent.
    DemoParkOptions park;
    park.dir = s.dir / "park";
    park.enterprises = 20;
    park.key_enterprises = 6;
    park.first_year = 2024;
    park.today = std::chrono::year_month_day(
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
    std::string error;
    std::vector<std::string> files = WriteDemoPark(park, &error);
    if (files.empty()) return fail("demo park: " + error);
    WriteFile(s.dir / "parkwatch.yml",
              "park:\n  industries: [医药化工, 装备制造, 轻工食品, 电力电子]\n"
              "storage: {path: pw.db}\n"
              "collectors:\n  - {name: inbox, type: inbox, directory: inbox}\n"
              "rule_files: [" +
                  kSource + "/deploy/rules/default.yml]\n");
    Config config;
    std::vector<Diagnostic> diagnostics;
    if (!LoadConfig(s.dir / "parkwatch.yml", &config, &diagnostics))
      return fail(JoinDiagnostics(diagnostics));

    {
      // One firing and one pending alert in the store the daemon opens (the evaluator's job in
      // production; here the alert series need something to show).
      auto store = Store::Open(config.storage_path);
      AlertStore alerts(store.get());
      Observation obs;
      obs.period = Period::Month(2025, 3);
      obs.value = -0.35;
      obs.breach = Severity::kRed;
      alerts.Apply("KeyEnterpriseOutputDrop",
                   {{"scope", "enterprise"}, {"enterprise", "X"}, {"industry", "装备制造"}}, obs,
                   Timing{}, UnixNow());
      obs.breach = Severity::kYellow;
      alerts.Apply("IndustryValueAddedBelowTarget",
                   {{"scope", "industry"}, {"industry", "医药化工"}}, obs, Timing{.for_periods = 3},
                   UnixNow());
    }
    // The files wait in the inbox; the daemon takes them before it reports ready.
    fs::create_directories(s.dir / "inbox");
    for (const auto& f : files) fs::rename(f, s.dir / ("inbox/" + fs::path(f).filename().string()));
    s.daemon = std::make_unique<DaemonProcess>(s.dir / "parkwatch.yml", s.dir / "daemon.log");
    if (!s.daemon->Start(&error)) return fail("daemon: " + error);
    for (const auto& f : files) {
      std::string processed = s.dir / ("inbox/processed/" + fs::path(f).filename().string());
      if (!WaitFor([&] { return fs::exists(processed); }))
        return fail("not ingested: " + processed + "\n" + s.daemon->Log());
    }

    {
      // The history, backfilled into the data directory the Prometheus below starts on, with
      // the target labels its scrape of the daemon attaches: one identity, live and backfilled.
      auto store = Store::Open(config.storage_path);
      std::ofstream om(s.dir / "history.om");
      OpenMetricsExportOptions options;
      options.labels = {{"job", "parkwatch"},
                        {"instance", "127.0.0.1:" + std::to_string(s.daemon->port())}};
      WriteOpenMetrics(*store, config, options, om);
      om.close();
      ParkFigures figures(*store, config);
      s.backfilled_period = Period::Month(2024, 3);
      for (const auto& def : FigureMetricDefs())
        if (def.name == "parkwatch_park_output_value_yuan")
          s.backfilled_value = figures.Values(def, s.backfilled_period)[0];
    }
    std::string out;
    if (Shell("promtool tsdb create-blocks-from openmetrics --quiet --max-block-duration=8760h " +
                  (s.dir / "history.om") + " " + (s.dir / "prom"),
              &out) != 0)
      return fail("backfill: " + out);

    uint16_t port = testing::FreePort();
    s.prometheus_url = "http://127.0.0.1:" + std::to_string(port);
    WriteFile(s.dir / "prometheus.yml",
              "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
              "scrape_configs:\n"
              "  - job_name: parkwatch\n"
              "    static_configs: [{targets: ['127.0.0.1:" +
                  std::to_string(s.daemon->port()) + "']}]\n");
    if (!s.prometheus.Start(
            {"/usr/bin/prometheus", "--config.file=" + (s.dir / "prometheus.yml"),
             "--storage.tsdb.path=" + (s.dir / "prom"), "--storage.tsdb.retention.time=10y",
             "--web.listen-address=127.0.0.1:" + std::to_string(port)},
            s.dir / "prometheus.log"))
      return fail("cannot start prometheus");
    if (!WaitFor([&] { return Http("GET", s.prometheus_url + "/-/ready").status == 200; }, 20000))
      return fail("prometheus not ready: " + testing::ReadFile(s.dir / "prometheus.log"));
  }

  static void TearDownTestSuite() {
    delete suite;
    suite = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(suite->setup_error.empty()) << suite->setup_error; }

  // /api/v1/query; returns the result array (empty on error).
  static json Query(const std::string& expr, const std::string& time = "") {
    auto r = Http("GET", suite->prometheus_url + "/api/v1/query?query=" + UrlEncode(expr) +
                             (time.empty() ? "" : "&time=" + time));
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || j["status"] != "success") return json::array({json{{"error", r.body}}});
    return j["data"]["result"];
  }
};

TEST_F(PrometheusTest, ScrapeOfALoadedDaemonPassesPromtool) {
  auto r = Http("GET", suite->daemon->url("/metrics"));
  ASSERT_EQ(r.status, 200);
  for (const char* name :
       {"parkwatch_park_output_value_yuan{", "parkwatch_industry_value_added_ytd_ratio{",
        "parkwatch_enterprise_output_value_pull_ratio{",
        "parkwatch_enterprise_last_report_period_age{", "parkwatch_alerts{",
        "parkwatch_park_growth_target_ratio{", "parkwatch_enterprise_info{"})
    EXPECT_NE(r.body.find(name), std::string::npos)
        << name << " missing: is FigureMetrics wired into the daemon?\n"
        << r.body.substr(0, 2000);
  // One info series per enterprise holds name, industry and key; no other per-enterprise series
  // repeats them.
  std::istringstream lines(r.body);
  int info = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("parkwatch_enterprise_info{", 0) == 0) {
      ++info;
      for (const char* label : {"enterprise=", "name=", "industry=", "key="})
        EXPECT_NE(line.find(label), std::string::npos) << line;
    } else if (line.rfind("parkwatch_enterprise_", 0) == 0) {
      EXPECT_EQ(line.find("name="), std::string::npos) << line;
      EXPECT_EQ(line.find("industry="), std::string::npos) << line;
    }
  }
  EXPECT_EQ(info, 20);
  WriteFile(suite->dir / "scrape.txt", r.body);
  std::string out;
  EXPECT_EQ(Shell("promtool check metrics < " + (suite->dir / "scrape.txt"), &out), 0) << out;
}

// deploy/prometheus/prometheus.yml scrapes /metrics in two parts at two intervals: between them
// they carry every series of /metrics, each part passes promtool on its own.
TEST_F(PrometheusTest, TheParkAndEnterpriseScrapePathsSplitMetrics) {
  auto park = Http("GET", suite->daemon->url("/metrics/park"));
  auto enterprises = Http("GET", suite->daemon->url("/metrics/enterprises"));
  ASSERT_EQ(park.status, 200);
  ASSERT_EQ(enterprises.status, 200);
  EXPECT_NE(park.body.find("parkwatch_park_output_value_yuan{"), std::string::npos);
  EXPECT_NE(park.body.find("parkwatch_alerts{"), std::string::npos);
  EXPECT_EQ(park.body.find("parkwatch_enterprise_"), std::string::npos);
  EXPECT_NE(enterprises.body.find("parkwatch_enterprise_info{"), std::string::npos);
  std::istringstream lines(enterprises.body);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') {
      EXPECT_EQ(line.rfind("parkwatch_enterprise_", 0), 0u) << line;
    }
  }
  for (const auto* part : {&park, &enterprises}) {
    WriteFile(suite->dir / "part.txt", part->body);
    std::string out;
    EXPECT_EQ(Shell("promtool check metrics < " + (suite->dir / "part.txt"), &out), 0) << out;
  }
  EXPECT_EQ(Http("GET", suite->daemon->url("/metrics/everything")).status, 404);
}

TEST_F(PrometheusTest, DeployConfigAndRulesPassPromtool) {
  std::string out;
  EXPECT_EQ(Shell("promtool check config " + kSource + "/deploy/prometheus/prometheus.yml", &out),
            0)
      << out;
  EXPECT_EQ(
      Shell("promtool check rules " + kSource + "/deploy/prometheus/parkwatch-rules.yml", &out), 0)
      << out;
}

TEST_F(PrometheusTest, EveryDeployRuleExpressionEvaluates) {
  // promtool checks the syntax; a join can still fail at evaluation (many-to-many matching), so
  // each expression is run against the Prometheus scraping the daemon. Recording rules are not
  // loaded there, so expressions over them are empty: only errors fail.
  YAML::Node file = YAML::LoadFile(kSource + "/deploy/prometheus/parkwatch-rules.yml");
  int rules = 0;
  for (const auto& group : file["groups"])
    for (const auto& rule : group["rules"]) {
      std::string name = rule[rule["record"] ? "record" : "alert"].as<std::string>();
      std::string expr = rule["expr"].as<std::string>();
      json result = Query(expr);
      ++rules;
      EXPECT_FALSE(!result.empty() && result[0].contains("error"))
          << name << ": " << expr << " -> " << result.dump();
      // The count that joins with the info series answers (0 when everyone reported).
      if (name == "parkwatch:key_enterprises_not_reported:weekly") {
        EXPECT_EQ(result.size(), 1u) << expr << " -> " << result.dump();
      }
    }
  EXPECT_GT(rules, 10);
}

// Grafana's variables: label_values(selector, label) is answered from the series API; the first
// value is taken, as Grafana does with nothing selected. Built-in intervals get a fixed window.
std::map<std::string, std::string> ResolveVariables(const json& dashboard, std::string* error) {
  std::map<std::string, std::string> vars = {
      {"__rate_interval", "30s"}, {"__interval", "30s"}, {"__range", "1h"}};
  auto substitute = [&](std::string text) {
    for (const auto& [name, value] : vars) {
      for (const std::string& form : {"${" + name + "}", "$" + name}) {
        for (size_t at; (at = text.find(form)) != std::string::npos;)
          text.replace(at, form.size(), value);
      }
    }
    return text;
  };
  static const std::regex kLabelValues(R"(label_values\((.*),\s*(\w+)\)$)");
  for (const auto& v : dashboard["templating"]["list"]) {
    std::string name = v["name"];
    if (v["type"] == "datasource") continue;  // this test's Prometheus is the datasource
    if (v["type"] == "custom") {
      vars[name] = v["current"]["value"];
      continue;
    }
    std::smatch m;
    std::string query = v["definition"];
    if (!std::regex_match(query, m, kLabelValues)) {
      *error += "variable " + name + ": unsupported query " + query + "\n";
      continue;
    }
    auto r = Http("GET", suite->prometheus_url +
                             "/api/v1/series?match[]=" + UrlEncode(substitute(m[1].str())));
    json j = json::parse(r.body, nullptr, false);
    std::set<std::string> values;
    if (!j.is_discarded() && j.contains("data"))
      for (const auto& series : j["data"])
        if (series.contains(m[2].str())) values.insert(series[m[2].str()].get<std::string>());
    if (values.empty()) {
      *error += "variable " + name + ": no values for " + query + "\n";
      continue;
    }
    vars[name] = *values.begin();
  }
  return vars;
}

TEST_F(PrometheusTest, EveryDashboardPanelQueryReturnsData) {
  // Health panels with rate() need two scrapes after the first request was counted.
  ASSERT_TRUE(WaitFor(
      [&] { return !Query("rate(parkwatch_http_requests_total[30s]) > 0").empty(); }, 30000))
      << testing::ReadFile(suite->dir / "prometheus.log");
  int panels = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/deploy/grafana/dashboards")) {
    if (entry.path().extension() != ".json") continue;
    json dashboard = json::parse(testing::ReadFile(entry.path().string()));
    std::string error;
    auto vars = ResolveVariables(dashboard, &error);
    EXPECT_TRUE(error.empty()) << entry.path().filename() << ": " << error;
    for (const auto& panel : dashboard["panels"]) {
      for (const auto& target : panel["targets"]) {
        std::string expr = target["expr"];
        // Longest variable names first: $__rate_interval before $__range and so on.
        std::vector<std::pair<std::string, std::string>> ordered(vars.begin(), vars.end());
        std::sort(ordered.begin(), ordered.end(),
                  [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
        for (const auto& [name, value] : ordered)
          for (size_t at; (at = expr.find("$" + name)) != std::string::npos;)
            expr.replace(at, name.size() + 1, value);
        ++panels;
        json result;
        bool ok = WaitFor(
            [&] {
              result = Query(expr);
              return !result.empty() && !result[0].contains("error");
            },
            10000);
        EXPECT_TRUE(ok) << entry.path().filename().string() << " / " << panel["title"] << ": "
                        << expr << " -> " << result.dump();
      }
    }
  }
  EXPECT_GT(panels, 30);
}

TEST_F(PrometheusTest, BackfilledHistoryIsQueryable) {
  ASSERT_FALSE(std::isnan(suite->backfilled_value));
  // Before the daemon ever ran: the backfilled block is the only source of this sample.
  std::string at = std::to_string(PeriodEndUnixSeconds(suite->backfilled_period));
  json result;
  ASSERT_TRUE(WaitFor([&] {
    result = Query("parkwatch_park_output_value_yuan{cadence=\"monthly\"}", at);
    return result.size() == 1 && !result[0].contains("error");
  })) << result.dump();
  EXPECT_FALSE(result[0]["metric"].contains("period"));
  EXPECT_DOUBLE_EQ(std::stod(result[0]["value"][1].get<std::string>()), suite->backfilled_value);
  // The live gauge is the same series: same labels, no period label on either.
  json live;
  ASSERT_TRUE(WaitFor([&] {
    live = Query("parkwatch_park_output_value_yuan{cadence=\"monthly\"}");
    return live.size() == 1 && !live[0].contains("error");
  })) << live.dump();
  EXPECT_EQ(live[0]["metric"], result[0]["metric"]);
  // Which month the backfilled figures are of, from the period info series of that moment.
  json period = Query("parkwatch_figures_period_info{cadence=\"monthly\"}", at);
  ASSERT_EQ(period.size(), 1u) << period.dump();
  EXPECT_EQ(period[0]["metric"].value("period", ""), suite->backfilled_period.ToString());
  // The backfilled info series joins the backfilled enterprise series at the same moment.
  json named = Query(
      "parkwatch_enterprise_output_value_yuan{cadence=\"monthly\"} * on (enterprise) "
      "group_left (name, industry) parkwatch_enterprise_info",
      at);
  ASSERT_FALSE(named.empty()) << named.dump();
  ASSERT_FALSE(named[0].contains("error")) << named.dump();
  EXPECT_FALSE(named[0]["metric"].value("name", "").empty()) << named.dump();
  EXPECT_FALSE(named[0]["metric"].value("industry", "").empty()) << named.dump();
  // Over a range from the backfilled years to the live scrape it is one series, without any
  // aggregation: the points at month ends are history, the last point is the live gauge.
  int64_t end = UnixNow();
  int64_t days = (end - PeriodEndUnixSeconds(suite->backfilled_period)) / 86400 + 1;
  auto r = Http("GET", suite->prometheus_url + "/api/v1/query_range?query=" +
                           UrlEncode("last_over_time(parkwatch_park_output_value_yuan{cadence="
                                     "\"monthly\"}[32d])") +
                           "&start=" + std::to_string(end - days * 86400) +
                           "&end=" + std::to_string(end) + "&step=86400");
  json range = json::parse(r.body, nullptr, false);
  ASSERT_FALSE(range.is_discarded()) << r.body;
  ASSERT_EQ(range["data"]["result"].size(), 1u) << r.body.substr(0, 1000);
  const json& values = range["data"]["result"][0]["values"];
  EXPECT_GT(values.size(), 300u);
  EXPECT_EQ(values.back()[0].get<double>(), static_cast<double>(end));
  EXPECT_EQ(values.back()[1], live[0]["value"][1]);
}

}  // namespace
}  // namespace parkwatch
