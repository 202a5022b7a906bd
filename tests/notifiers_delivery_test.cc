// The dispatcher against real HTTP sinks on loopback: grouping, routing, retries, faults,
// dead letters, rate limits, silences, inhibition, acknowledgements and restarts. Backoffs are
// milliseconds here; every wait polls a condition (WaitFor), none sleeps and hopes.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "alerts/alert_store.h"
#include "collectors/ingest.h"
#include "metrics/metrics.h"
#include "notifiers/delivery_store.h"
#include "notifiers/dispatcher.h"
#include "notifiers/transport.h"
#include "store/store.h"
#include "tests/support/alert_fixtures.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_sink.h"
#include "tests/support/ports.h"
#include "tests/support/store_checks.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;
using testing::AlertingFromYaml;
using testing::CountDeliveries;
using testing::FireAlert;
using testing::HttpSink;
using testing::SinkRequest;
using testing::SinkResponse;
using testing::WaitFor;

const Labels kAcme = {
    {"scope", "enterprise"}, {"enterprise", "湖南恒达机械有限公司"}, {"industry", "装备制造"}};
const Labels kBeta = {
    {"scope", "enterprise"}, {"enterprise", "常德华星药业"}, {"industry", "医药化工"}};

// A delivery section with millisecond timings, for tests.
std::string FastDelivery(int max_attempts = 5, const std::string& extra = "") {
  return "delivery: {initial_backoff: 20ms, max_backoff: 100ms, max_attempts: " +
         std::to_string(max_attempts) + ", timeout: 500ms, poll_interval: 50ms" + extra + "}\n";
}

std::string WebhookConfig(const std::string& url, const std::string& route_extra = "",
                          int max_attempts = 5) {
  return FastDelivery(max_attempts) + "receivers:\n  - {name: hook, type: webhook, url: \"" + url +
         "\"}\n" + "route: {receiver: hook, group_by: [alertname], group_wait: 0s" + route_extra +
         "}\n";
}

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "parkwatch.db";
    store_ = Store::Open(db_);
  }
  int64_t Count(const std::string& where) { return CountDeliveries(store_.get(), where); }

  // Puts enterprises in the register, each "code,name,industry,是|否" (key enterprise or not),
  // as an ingested batch does.
  void Register(const std::vector<std::string>& enterprises) {
    Config config;
    config.indicators = DefaultIndicators();
    CollectorConfig collector;
    collector.name = "test";
    std::string csv = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元)\n";
    for (const auto& e : enterprises) csv += e + ",2024-03,10\n";
    ASSERT_EQ(IngestBody(csv, "text/csv", "request", collector, config, *store_).status,
              "committed");
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
};

TEST_F(DeliveryTest, GroupsAlertsIntoOneWebhookV4MessageAndNeverResends) {
  HttpSink sink;
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kBeta, "2024-W05", Severity::kOrange, -0.21);
  AlertingConfig config = AlertingFromYaml(WebhookConfig(sink.url("/hook")) +
                                           "external_url: http://parkwatch.test:9780\n");
  Dispatcher dispatcher(db_, config, nullptr);
  dispatcher.Start();
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 2; }, 5000));
  ASSERT_EQ(sink.count(), 1u);  // one group: same alertname
  const SinkRequest req = sink.Requests()[0];
  EXPECT_EQ(req.target, "/hook");
  EXPECT_EQ(req.headers.at("content-type"), "application/json");
  json body = json::parse(req.body);
  EXPECT_EQ(body["version"], "4");
  EXPECT_EQ(body["status"], "firing");
  EXPECT_EQ(body["receiver"], "hook");
  EXPECT_EQ(body["groupKey"], "hook:{alertname=\"KeyEnterpriseOutputDrop\"}");
  EXPECT_EQ(body["groupLabels"], json({{"alertname", "KeyEnterpriseOutputDrop"}}));
  EXPECT_EQ(body["commonLabels"]["scope"], "enterprise");
  EXPECT_FALSE(body["commonLabels"].contains("enterprise"));
  EXPECT_EQ(body["externalURL"], "http://parkwatch.test:9780");
  EXPECT_EQ(body["truncatedAlerts"], 0);
  ASSERT_EQ(body["alerts"].size(), 2u);
  std::set<std::string> severities;
  for (const auto& a : body["alerts"]) {
    EXPECT_EQ(a["status"], "firing");
    EXPECT_EQ(a["labels"]["alertname"], "KeyEnterpriseOutputDrop");
    EXPECT_EQ(a["endsAt"], "0001-01-01T00:00:00Z");
    EXPECT_EQ(a["annotations"]["period"], "2024-W05");
    EXPECT_EQ(a["fingerprint"].get<std::string>().size(), 64u);
    EXPECT_EQ(a["generatorURL"].get<std::string>().rfind("http://parkwatch.test:9780/", 0), 0u);
    severities.insert(a["labels"]["severity"].get<std::string>());
  }
  EXPECT_EQ(severities, (std::set<std::string>{"red", "orange"}));
  // The outbox rows are settled.
  Statement s(store_->db(), "SELECT COUNT(*) FROM notifications WHERE state = 'delivered'");
  s.Step();
  EXPECT_EQ(s.Int(0), 2);
  // Kicks and polls do not send again.
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor([&] { return dispatcher.messages_attempted() >= 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // several poll cycles
  EXPECT_EQ(sink.count(), 1u);
}

TEST_F(DeliveryTest, RetriesServerErrorsAnd429ThenDeliversOnce) {
  HttpSink sink;
  std::atomic<int> calls{0};
  sink.SetHandler([&](const SinkRequest&) {
    int n = calls++;
    if (n == 0) return SinkResponse{500, "boom"};
    if (n == 1) return SinkResponse{503, "busy"};
    if (n == 2) return SinkResponse{429, "slow down", 0, {"Retry-After: 0"}};
    return SinkResponse{};
  });
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(db_, AlertingFromYaml(WebhookConfig(sink.url())), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 5000));
  EXPECT_EQ(sink.count(), 4u);
  Statement s(store_->db(), "SELECT attempts, last_error FROM deliveries");
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Int(0), 4);
  EXPECT_EQ(s.Text(1), "");
}

TEST_F(DeliveryTest, ReceiverDownThenUpIsDeliveredOnceItIsBack) {
  const uint16_t port = testing::FreePort();
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(
      db_,
      AlertingFromYaml(WebhookConfig("http://127.0.0.1:" + std::to_string(port) + "/", "", 50)),
      nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("attempts >= 2 AND state = 'pending'") == 1; }, 5000));
  HttpSink sink(port);
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 5000));
  EXPECT_EQ(sink.count(), 1u);
}

TEST_F(DeliveryTest, ReloadRedirectsPendingDeliveries) {
  const uint16_t dead_port = testing::FreePort();
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(db_,
                        AlertingFromYaml(WebhookConfig(
                            "http://127.0.0.1:" + std::to_string(dead_port) + "/", "", 50)),
                        nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("attempts >= 1 AND state = 'pending'") == 1; }, 5000));
  HttpSink sink;
  dispatcher.Reload(AlertingFromYaml(WebhookConfig(sink.url(), "", 50)));
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 5000));
  EXPECT_EQ(sink.count(), 1u);
}

TEST_F(DeliveryTest, WithoutReceiversNotificationsAreSettledNotQueued) {
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(db_, AlertingConfig{}, nullptr);
  dispatcher.Start();
  auto pending = [&] {
    return testing::QueryInt(db_, "SELECT COUNT(*) FROM notifications WHERE state = 'pending'");
  };
  ASSERT_TRUE(WaitFor([&] { return pending() == 0; }, 5000)) << "the outbox keeps growing";
  EXPECT_EQ(testing::QueryInt(db_, "SELECT COUNT(*) FROM notifications WHERE routed_at IS NULL"),
            0);
  EXPECT_EQ(Count("1"), 0);  // no delivery rows: nothing was queued for anyone

  // A receiver configured later hears of what happens from then on, not of the old backlog.
  HttpSink sink;
  dispatcher.Reload(AlertingFromYaml(WebhookConfig(sink.url())));
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kBeta, "2024-W06", Severity::kRed, -0.4);
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 1; }, 5000));
  json body = json::parse(sink.Requests()[0].body);
  ASSERT_EQ(body["alerts"].size(), 1u);
  EXPECT_EQ(body["alerts"][0]["labels"]["enterprise"], "常德华星药业");
}

TEST_F(DeliveryTest, GroupIntervalIsKeptAcrossARestart) {
  HttpSink sink;
  AlertingConfig config = AlertingFromYaml(WebhookConfig(sink.url(), ", group_interval: 1h"));
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  {
    Dispatcher first(db_, config, nullptr);
    first.Start();
    ASSERT_TRUE(WaitFor([&] { return sink.count() == 1; }, 5000));
  }
  // Same alertname, same group: after a restart it still waits for the group interval.
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kBeta, "2024-W05", Severity::kRed, -0.4);
  Dispatcher second(db_, config, nullptr);
  second.Start();
  const int64_t half_hour_later = SystemClockMs() + 1800 * 1000;
  EXPECT_TRUE(WaitFor(
      [&] {
        return Count("state = 'pending' AND next_attempt_at > " +
                     std::to_string(half_hour_later)) == 1;
      },
      5000))
      << "the second alert of the group was not held back";
  EXPECT_EQ(sink.count(), 1u);
}

TEST_F(DeliveryTest, TimeoutIsRetried) {
  HttpSink sink;
  std::atomic<int> calls{0};
  sink.SetHandler([&](const SinkRequest&) {
    return calls++ == 0 ? SinkResponse{200, "{}", 1500} : SinkResponse{};
  });
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(db_, AlertingFromYaml(WebhookConfig(sink.url())), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 8000));
  // The first answer came too late to count (and, the sink being single-threaded, may have held
  // up the next attempt too): at-least-once, so the sink saw every attempt.
  EXPECT_GE(sink.count(), 2u);
  Statement s(store_->db(), "SELECT attempts FROM deliveries WHERE seq = 0");
  s.Step();
  EXPECT_EQ(static_cast<size_t>(s.Int(0)), sink.count());
}

TEST_F(DeliveryTest, DeadLettersAfterMaxAttemptsAndGoesToFallback) {
  HttpSink broken, fallback;
  broken.SetHandler([](const SinkRequest&) { return SinkResponse{500, "down"}; });
  Metrics metrics;
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  AlertingConfig config =
      AlertingFromYaml(FastDelivery(3, ", fallback_receiver: ops") +
                       "receivers:\n  - {name: hook, type: webhook, url: \"" + broken.url() +
                       "\"}\n  - {name: ops, type: webhook, url: \"" + fallback.url() +
                       "\"}\nroute: {receiver: hook, group_wait: 0s}\n");
  Dispatcher dispatcher(db_, config, &metrics.registry());
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return fallback.count() == 1; }, 5000));
  ASSERT_TRUE(WaitFor([&] { return Count("receiver = 'ops' AND state = 'delivered'") == 1; }));
  EXPECT_EQ(broken.count(), 3u);
  DeliveryStore ds(store_.get());
  auto dead = ds.DeadLetters(10);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].receiver, "hook");
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_NE(dead[0].last_error.find("HTTP 500"), std::string::npos);
  // The counters are updated right after the database; wait for the last one.
  ASSERT_TRUE(WaitFor([&] {
    return metrics.Serialize().find(
               "parkwatch_notifications_total{receiver=\"ops\",result=\"delivered\"} 1") !=
           std::string::npos;
  }));
  const std::string text = metrics.Serialize();
  EXPECT_NE(text.find("parkwatch_notification_dead_letters_total{receiver=\"hook\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("parkwatch_notifications_total{receiver=\"hook\",result=\"retry\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("parkwatch_notifications_total{receiver=\"hook\",result=\"dead\"} 1"),
            std::string::npos);
  ASSERT_TRUE(WaitFor([&] {
    return metrics.Serialize().find("parkwatch_notification_outbox_depth 0") != std::string::npos;
  }));
  EXPECT_NE(metrics.Serialize().find("parkwatch_notification_oldest_pending_age_seconds 0"),
            std::string::npos);
}

TEST_F(DeliveryTest, PermanentClientErrorIsDeadAtOnce) {
  HttpSink sink;
  sink.SetHandler([](const SinkRequest&) { return SinkResponse{400, "bad"}; });
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(db_, AlertingFromYaml(WebhookConfig(sink.url())), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'dead'") == 1; }, 5000));
  EXPECT_EQ(sink.count(), 1u);
  Statement s(store_->db(), "SELECT state FROM notifications");
  s.Step();
  EXPECT_EQ(s.Text(0), "dead");
}

TEST_F(DeliveryTest, RestartWithFullOutboxDeliversEverythingExactlyOnce) {
  const int kAlerts = 20;
  for (int i = 0; i < kAlerts; ++i)
    FireAlert(store_.get(), "KeyEnterpriseOutputDrop",
              {{"scope", "enterprise"}, {"enterprise", "企业" + std::to_string(i)}}, "2024-W05",
              Severity::kYellow, -0.12);
  HttpSink sink;
  std::atomic<int> accepted{0};
  // The first run confirms 7 and then the receiver fails, as if it went down mid-run.
  sink.SetHandler([&](const SinkRequest&) {
    return accepted < 7 ? (++accepted, SinkResponse{}) : SinkResponse{503, "down"};
  });
  const std::string yaml = FastDelivery(1000) +
                           "receivers:\n  - {name: hook, type: webhook, url: \"" + sink.url() +
                           "\"}\nroute: {receiver: hook, group_by: ['...'], group_wait: 0s}\n";
  {
    Dispatcher first(db_, AlertingFromYaml(yaml), nullptr);
    first.Start();
    ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 7; }, 5000));
    ASSERT_TRUE(WaitFor([&] { return Count("attempts >= 1 AND state = 'pending'") >= 1; }));
  }  // the destructor stops it with 13 pending
  EXPECT_EQ(Count("state = 'pending' AND seq = 0"), kAlerts - 7);
  sink.SetHandler([&](const SinkRequest&) { return ++accepted, SinkResponse{}; });
  Dispatcher second(db_, AlertingFromYaml(yaml), nullptr);
  second.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == kAlerts; }, 8000));
  // Each alert was confirmed exactly once at the sink.
  std::map<std::string, int> confirmed;
  for (const auto& req : sink.Requests()) {
    json body = json::parse(req.body);
    ASSERT_EQ(body["alerts"].size(), 1u);
    confirmed[body["alerts"][0]["labels"]["enterprise"].get<std::string>()]++;
  }
  EXPECT_EQ(accepted.load(), kAlerts);
  EXPECT_EQ(confirmed.size(), static_cast<size_t>(kAlerts));
  std::set<std::string> keys;
  for (const auto& req : sink.Requests()) keys.insert(req.headers.at("idempotency-key"));
  EXPECT_EQ(keys.size(), static_cast<size_t>(kAlerts));
}

TEST_F(DeliveryTest, DrainsABacklogOfSeparateMessagesQuickly) {
  const int kAlerts = 300;
  for (int i = 0; i < kAlerts; ++i)
    FireAlert(store_.get(), "KeyEnterpriseOutputDrop",
              {{"scope", "enterprise"}, {"enterprise", "企业" + std::to_string(i)}}, "2024-W05",
              Severity::kYellow, -0.12);
  HttpSink sink;
  const std::string yaml = FastDelivery() + "receivers:\n  - {name: hook, type: webhook, url: \"" +
                           sink.url() +
                           "\"}\nroute: {receiver: hook, group_by: ['...'], group_wait: 0s}\n";
  const auto start = std::chrono::steady_clock::now();
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == kAlerts; }, 10000));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(sink.count(), static_cast<size_t>(kAlerts));
  std::printf("delivered %d one-alert messages in %.2f s (%.0f/s, sanitizer build)\n", kAlerts,
              seconds, kAlerts / seconds);
}

TEST_F(DeliveryTest, LargeGroupGoesOutInBatchesWithoutWaitingForTheGroupInterval) {
  for (int i = 0; i < 25; ++i)
    FireAlert(store_.get(), "KeyEnterpriseOutputDrop",
              {{"scope", "enterprise"}, {"enterprise", "企业" + std::to_string(i)}}, "2024-W05",
              Severity::kYellow, -0.12);
  HttpSink sink;
  const std::string yaml = FastDelivery(5, ", batch_limit: 10") +
                           "receivers:\n  - {name: hook, type: webhook, url: \"" + sink.url() +
                           "\"}\nroute: {receiver: hook, group_by: [alertname], group_wait: 0s}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 25; }, 5000));
  ASSERT_EQ(sink.count(), 3u);
  size_t alerts = 0;
  for (const auto& req : sink.Requests()) alerts += json::parse(req.body)["alerts"].size();
  EXPECT_EQ(alerts, 25u);
}

TEST_F(DeliveryTest, RoutesByMatchersWithContinue) {
  HttpSink leaders, industry, ops;
  const std::string yaml =
      FastDelivery() + "receivers:\n" + "  - {name: leaders, type: webhook, url: \"" +
      leaders.url() + "\"}\n" + "  - {name: industry, type: webhook, url: \"" + industry.url() +
      "\"}\n" + "  - {name: ops, type: webhook, url: \"" + ops.url() + "\"}\n" +
      "route:\n  receiver: ops\n  group_wait: 0s\n  group_by: ['...']\n  routes:\n"
      "    - {matchers: ['severity=~\"orange|red\"'], receiver: leaders, continue: true}\n"
      "    - {matchers: ['industry=\"装备制造\"'], receiver: industry}\n";
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kBeta, "2024-W05", Severity::kBlue, -0.06);
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("seq = 0 AND state != 'pending'") == 3; }, 5000));
  EXPECT_EQ(leaders.count(), 1u);   // red Acme
  EXPECT_EQ(industry.count(), 1u);  // red Acme again (continue)
  EXPECT_EQ(ops.count(), 1u);       // blue Beta: no child matched
  EXPECT_NE(ops.Requests()[0].body.find("常德华星药业"), std::string::npos);
}

TEST_F(DeliveryTest, EnterpriseAlertsCarryTheRegistersIndustryAndNameForRouting) {
  // The evaluator's enterprise alerts are identified by scope and credit code only; the
  // notification adds what the register says, so an industry's route gets its enterprises.
  const std::string code = testing::TestCreditCode(7);
  Register({code + ",常德华星药业,医药化工,是"});
  HttpSink desk, ops;
  const std::string yaml =
      FastDelivery() + "receivers:\n  - {name: desk, type: webhook, url: \"" + desk.url() +
      "\"}\n  - {name: ops, type: webhook, url: \"" + ops.url() +
      "\"}\nroute:\n  receiver: ops\n  group_wait: 0s\n  routes:\n"
      "    - {matchers: ['industry=\"医药化工\"', 'key=\"true\"'], receiver: desk}\n";
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop",
            {{"scope", "enterprise"}, {"enterprise", code}}, "2024-W05", Severity::kRed, -0.32);
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return desk.count() == 1; }, 5000));
  EXPECT_EQ(ops.count(), 0u);
  json labels = json::parse(desk.Requests()[0].body)["alerts"][0]["labels"];
  EXPECT_EQ(labels["enterprise"], code);
  EXPECT_EQ(labels["industry"], "医药化工");
  EXPECT_EQ(labels["enterprise_name"], "常德华星药业");
  EXPECT_EQ(labels["key"], "true");
}

TEST_F(DeliveryTest, AnEnterpriseAlertCanInhibitByItsIndustryFromTheRegister) {
  // Source and target are both enterprise alerts, identified by credit code only: `equal:
  // [industry]` needs the register's industry on the firing source as on the notification.
  const std::string a = testing::TestCreditCode(8), b = testing::TestCreditCode(9),
                    c = testing::TestCreditCode(10);
  Register({a + ",甲,医药化工,否", b + ",乙,医药化工,否", c + ",丙,装备制造,否"});
  HttpSink sink;
  const std::string yaml =
      FastDelivery() + "receivers:\n  - {name: hook, type: webhook, url: \"" + sink.url() +
      "\"}\nroute: {receiver: hook, group_wait: 0s, group_by: ['...']}\n"
      "inhibit_rules:\n  - {source_matchers: ['alertname=\"EnterpriseStopped\"'], "
      "target_matchers: ['alertname=\"KeyEnterpriseOutputDrop\"'], equal: [industry]}\n";
  FireAlert(store_.get(), "EnterpriseStopped", {{"scope", "enterprise"}, {"enterprise", a}},
            "2024-W05", Severity::kRed, -1);
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", {{"scope", "enterprise"}, {"enterprise", b}},
            "2024-W05", Severity::kRed, -0.3);
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", {{"scope", "enterprise"}, {"enterprise", c}},
            "2024-W05", Severity::kRed, -0.3);
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  // (Delivered ones get a pending reminder row, seq 1: only the events themselves count.) One
  // query: two would race the routing, "none pending" read before its rows exist.
  ASSERT_TRUE(WaitFor([&] { return Count("seq = 0 AND state != 'pending'") == 3; }, 5000));
  EXPECT_EQ(Count("seq = 0 AND state = 'suppressed' AND last_error = 'inhibited'"), 1);  // b
  EXPECT_EQ(Count("seq = 0 AND state = 'delivered'"), 2);  // a itself, and c of another industry
}

TEST_F(DeliveryTest, SilencesAndInhibitionSuppress) {
  HttpSink sink;
  DeliveryStore ds(store_.get());
  Silence silence;
  silence.matchers = {"enterprise=\"常德华星药业\""};
  silence.author = "张工";
  silence.comment = "停产检修，已知";
  silence.starts_at = UnixNow() - 60;
  silence.ends_at = UnixNow() + 3600;
  const int64_t silence_id = ds.AddSilence(silence);
  const std::string yaml =
      WebhookConfig(sink.url(), ", group_by: ['...']") +
      "inhibit_rules:\n  - source_matchers: ['scope=\"park\"', 'severity=\"red\"']\n"
      "    target_matchers: ['scope=\"enterprise\"']\n    equal: [alertname]\n";
  FireAlert(store_.get(), "OutputDrop", {{"scope", "park"}}, "2024-W05", Severity::kRed, -0.35);
  FireAlert(store_.get(), "OutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);  // inhibited
  FireAlert(store_.get(), "OtherRule", kBeta, "2024-W05", Severity::kRed, -0.32);   // silenced
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 5000));
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'suppressed'") == 2; }));
  EXPECT_EQ(Count("last_error = 'inhibited'"), 1);
  EXPECT_EQ(Count("last_error = 'silenced by #" + std::to_string(silence_id) + "'"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(sink.count(), 1u);
  EXPECT_NE(sink.Requests()[0].body.find("\"scope\":\"park\""), std::string::npos);
  EXPECT_TRUE(ds.ExpireSilence(silence_id, UnixNow()));
  EXPECT_TRUE(ds.Silences(true, UnixNow()).empty());
}

TEST_F(DeliveryTest, RepeatsWhileFiringUntilAcknowledgedAndAgainWhenLevelRises) {
  HttpSink sink;
  const std::string fp = FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05",
                                   Severity::kYellow, -0.12);
  Dispatcher dispatcher(
      db_,
      AlertingFromYaml(WebhookConfig(sink.url(), ", repeat_interval: 100ms, group_interval: 0s")),
      nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return sink.count() >= 3; }, 5000));  // first + 2 reminders
  EXPECT_NE(sink.Requests()[0].body.find("\"severity\":\"yellow\""), std::string::npos);
  DeliveryStore ds(store_.get());
  ASSERT_TRUE(ds.Acknowledge(fp, "李科长", "已联系企业，下周复产", UnixNow()));
  ASSERT_TRUE(WaitFor([&] { return Count("last_error = 'acknowledged'") == 1; }, 5000));
  const size_t after_ack = sink.count();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(sink.count(), after_ack);
  // A rise in level is news: it goes out despite the acknowledgement of the lower level.
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W06", Severity::kRed, -0.32);
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor(
      [&] {
        auto reqs = sink.Requests();
        return reqs.size() > after_ack &&
               reqs.back().body.find("\"severity\":\"red\"") != std::string::npos;
      },
      5000));
}

TEST_F(DeliveryTest, ResolvedNoticesCanBeTurnedOff) {
  HttpSink sink;
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  testing::ResolveAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W06", 0.02);
  const std::string yaml = FastDelivery() + "receivers:\n  - {name: hook, type: webhook, url: \"" +
                           sink.url() + "\", send_resolved: false}\n" +
                           "route: {receiver: hook, group_by: ['...'], group_wait: 0s}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("seq = 0 AND state != 'pending'") == 2; }, 5000));
  EXPECT_EQ(Count("state = 'suppressed' AND last_error = 'send_resolved is off'"), 1);
  EXPECT_EQ(sink.count(), 1u);
}

TEST_F(DeliveryTest, ARecoveryIsNotToldToAReceiverNeverToldTheAlertFired) {
  HttpSink sink;
  // A history load: the alert fired in a period loaded as history (recorded, nobody told) and
  // recovered at the latest period, which is told.
  AlertStore alerts(store_.get());
  AlertUpdate fired{.rule = "KeyEnterpriseOutputDrop", .labels = kAcme, .notify = false};
  fired.observation.period = Period::Parse("2024-W05").value();
  fired.observation.value = -0.32;
  fired.observation.breach = Severity::kRed;
  alerts.ApplyMany({fired}, UnixNow());
  testing::ResolveAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W06", 0.02);
  // And one that was told firing, then recovered.
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kBeta, "2024-W05", Severity::kRed, -0.4);
  const std::string yaml = FastDelivery() + "receivers:\n  - {name: hook, type: webhook, url: \"" +
                           sink.url() +
                           "\"}\nroute: {receiver: hook, group_by: ['...'], group_wait: 0s, "
                           "group_interval: 50ms}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 1; }, 5000));
  testing::ResolveAlert(store_.get(), "KeyEnterpriseOutputDrop", kBeta, "2024-W06", 0.02);
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 2; }, 5000));
  EXPECT_EQ(Count("state = 'suppressed' AND last_error = 'its firing was never told to this "
                  "receiver'"),
            1);
  const auto told = sink.Requests();
  EXPECT_EQ(json::parse(told[0].body)["status"], "firing");
  EXPECT_EQ(json::parse(told[1].body)["status"], "resolved");
  for (const auto& r : told)
    EXPECT_EQ(r.body.find("湖南恒达机械有限公司"), std::string::npos)
        << "the recovery of an alert never told: " << r.body;
}

// Robots: signatures checked by the sink, failure reported as 200 + errcode, rate limit.
TEST_F(DeliveryTest, DingTalkSignsAndRetriesNonZeroErrcode) {
  HttpSink sink;
  std::atomic<int> calls{0};
  std::atomic<int> bad_signatures{0};
  sink.SetHandler([&](const SinkRequest& req) {
    // /robot/send?access_token=T&timestamp=MS&sign=S
    const std::string& t = req.target;
    size_t ts = t.find("timestamp="), sg = t.find("&sign=");
    if (ts == std::string::npos || sg == std::string::npos) {
      ++bad_signatures;
    } else {
      int64_t ms = std::stoll(t.substr(ts + 10, sg - ts - 10));
      if (t.substr(sg + 6) != DingTalkSign(ms, "SECdingtalk") ||
          std::abs(ms - SystemClockMs()) > 60000)
        ++bad_signatures;
    }
    return calls++ == 0 ? SinkResponse{200, R"({"errcode":130101,"errmsg":"send too fast"})"}
                        : SinkResponse{200, R"({"errcode":0,"errmsg":"ok"})"};
  });
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  const std::string yaml = FastDelivery() + "receivers:\n  - name: ding\n    type: dingtalk\n" +
                           "    url: \"" + sink.url("/robot/send?access_token=T") + "\"\n" +
                           "    secret: SECdingtalk\n    at_mobiles: ['13800000000']\n" +
                           "route: {receiver: ding, group_wait: 0s}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 5000));
  EXPECT_EQ(sink.count(), 2u);
  EXPECT_EQ(bad_signatures.load(), 0);
  json body = json::parse(sink.Requests()[1].body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["at"]["atMobiles"], json({"13800000000"}));
  EXPECT_NE(body["markdown"]["text"].get<std::string>().find("红色预警"), std::string::npos);
  EXPECT_NE(body["markdown"]["text"].get<std::string>().find("@13800000000"), std::string::npos);
}

TEST_F(DeliveryTest, FeishuSignsInBodyAndTreatsNonZeroCodeAsFailure) {
  HttpSink sink;
  std::atomic<int> calls{0};
  std::atomic<int> bad_signatures{0};
  sink.SetHandler([&](const SinkRequest& req) {
    json body = json::parse(req.body);
    int64_t ts = std::stoll(body["timestamp"].get<std::string>());
    if (body["sign"] != FeishuSign(ts, "feishu-secret") ||
        std::abs(ts * 1000 - SystemClockMs()) > 60000)
      ++bad_signatures;
    return calls++ == 0 ? SinkResponse{200, R"({"code":19021,"msg":"sign match fail"})"}
                        : SinkResponse{200, R"({"code":0,"msg":"success","data":{}})"};
  });
  FireAlert(store_.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kOrange, -0.22);
  const std::string yaml = FastDelivery() + "receivers:\n  - {name: lark, type: feishu, url: \"" +
                           sink.url("/open-apis/bot/v2/hook/x") +
                           "\", secret: feishu-secret, message_format: interactive}\n" +
                           "route: {receiver: lark, group_wait: 0s}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 1; }, 5000));
  EXPECT_EQ(sink.count(), 2u);
  EXPECT_EQ(bad_signatures.load(), 0);
  json body = json::parse(sink.Requests()[1].body);
  EXPECT_EQ(body["msg_type"], "interactive");
  EXPECT_EQ(body["card"]["header"]["template"], "orange");
}

TEST_F(DeliveryTest, RobotRateLimitSpacesMessages) {
  HttpSink sink;
  sink.SetHandler([](const SinkRequest&) { return SinkResponse{200, R"({"errcode":0})"}; });
  for (int i = 0; i < 3; ++i)
    FireAlert(store_.get(), "R" + std::to_string(i), kAcme, "2024-W05", Severity::kRed, -0.3);
  const std::string yaml = FastDelivery() + "receivers:\n  - {name: wx, type: wecom, url: \"" +
                           sink.url() + "\", rate_limit_per_minute: 2}\n" +
                           "route: {receiver: wx, group_by: [alertname], group_wait: 0s}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 2; }, 5000));
  // The third waits for a token (~30 s), without counting an attempt.
  ASSERT_TRUE(WaitFor([&] {
    return Count("state = 'pending' AND seq = 0 AND attempts = 0 AND next_attempt_at > " +
                 std::to_string(SystemClockMs() + 20000)) == 1;
  }));
  EXPECT_EQ(sink.count(), 2u);
}

TEST_F(DeliveryTest, WeComSplitsLongMarkdown) {
  HttpSink sink;
  sink.SetHandler([](const SinkRequest&) { return SinkResponse{200, R"({"errcode":0})"}; });
  for (int i = 0; i < 40; ++i)
    FireAlert(store_.get(), "KeyEnterpriseOutputDrop",
              {{"scope", "enterprise"},
               {"enterprise", "常德经开区第" + std::to_string(i) + "号企业"},
               {"industry", "装备制造"}},
              "2024-W05", Severity::kOrange, -0.22);
  const std::string yaml = FastDelivery() + "receivers:\n  - {name: wx, type: wecom, url: \"" +
                           sink.url() + "\"}\n" +
                           "route: {receiver: wx, group_by: [alertname], group_wait: 0s}\n";
  Dispatcher dispatcher(db_, AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return Count("state = 'delivered'") == 40; }, 5000));
  ASSERT_GE(sink.count(), 2u);
  std::string all;
  for (const auto& req : sink.Requests()) {
    json body = json::parse(req.body);
    const std::string content = body["markdown"]["content"];
    EXPECT_LE(content.size(), 4096u);
    all += content;
  }
  for (int i = 0; i < 40; ++i)
    EXPECT_NE(all.find("常德经开区第" + std::to_string(i) + "号企业"), std::string::npos) << i;
}

}  // namespace
}  // namespace parkwatch
