// Delivery to real peers on loopback: mail to an aiosmtpd SMTP server (STARTTLS + AUTH), parsed
// back with Python's email package; alerts pushed to a real Alertmanager and read back from its
// API. Each peer starts in well under a second; all waits poll.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "notifiers/dispatcher.h"
#include "store/store.h"
#include "tests/support/alert_fixtures.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/mail_sink.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::AlertingFromYaml;
using testing::CountDeliveries;
using testing::FireAlert;
using testing::WaitFor;

const Labels kAcme = {
    {"scope", "enterprise"}, {"enterprise", "湖南恒达机械有限公司"}, {"industry", "装备制造"}};

TEST(NotifierPeersTest, EmailOverStartTlsWithAuthReachesARealSmtpServer) {
  testing::TempDir dir;
  const std::string mail_dir = dir / "mail";
  fs::create_directories(mail_dir);
  // A throwaway certificate for the relay's STARTTLS.
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                         "-keyout " +
                         (dir / "key.pem") + " -out " + (dir / "cert.pem") + " >/dev/null 2>&1")
                            .c_str()),
            0);
  testing::WriteFile(dir / "smtp.pass", "s3cret-密码\n");
  const uint16_t port = testing::FreePort();
  testing::ChildProcess smtp;
  ASSERT_TRUE(smtp.Start(
      {"/usr/bin/python3", "-u", testing::SupportFile("smtp_sink.py"), std::to_string(port),
       mail_dir, dir / "cert.pem", dir / "key.pem", "alerts@park.gov.cn", "s3cret-密码"},
      dir / "smtp.log"));
  ASSERT_TRUE(WaitFor(
      [&] { return testing::ReadFile(dir / "smtp.log").find("ready") != std::string::npos; },
      10000))
      << testing::ReadFile(dir / "smtp.log");

  auto store = Store::Open(dir / "parkwatch.db");
  FireAlert(store.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05", Severity::kRed, -0.32);
  const std::string yaml =
      "external_url: http://parkwatch.test:9780\n"
      "grafana_url: http://grafana.test/d/park\n"
      "delivery: {initial_backoff: 50ms, timeout: 5s, poll_interval: 100ms}\n"
      "receivers:\n"
      "  - name: mail\n    type: email\n    smarthost: 127.0.0.1:" +
      std::to_string(port) +
      "\n"
      "    tls: starttls\n    tls_insecure_skip_verify: true\n"
      "    username: alerts@park.gov.cn\n    password_file: smtp.pass\n"
      "    from: 经开区经济运行局 <alerts@park.gov.cn>\n"
      "    to: [leader@park.gov.cn]\n    cc: [analyst@park.gov.cn]\n"
      "route: {receiver: mail, group_by: ['...'], group_wait: 0s, group_interval: 0s}\n";
  Dispatcher dispatcher(dir / "parkwatch.db", AlertingFromYaml(yaml, dir.path()), nullptr);
  dispatcher.Start();
  ASSERT_TRUE(WaitFor([&] { return testing::MailFiles(mail_dir).size() == 1; }, 10000))
      << testing::ReadFile(dir / "smtp.log");
  testing::ResolveAlert(store.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W06", 0.01);
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor([&] { return testing::MailFiles(mail_dir).size() == 2; }, 10000));
  ASSERT_TRUE(WaitFor(
      [&] { return CountDeliveries(store.get(), "state = 'delivered' AND seq = 0") == 2; }));

  json firing = json::parse(testing::ParsedMail(testing::MailFiles(mail_dir)[0]));
  EXPECT_EQ(firing["subject"],
            "【红色预警】湖南恒达机械有限公司 · KeyEnterpriseOutputDrop -32.0%（2024年第5周）");
  EXPECT_EQ(firing["content_type"], "multipart/alternative");
  EXPECT_EQ(firing["to"], "leader@park.gov.cn");
  EXPECT_EQ(firing["cc"], "analyst@park.gov.cn");
  EXPECT_NE(firing["from"].get<std::string>().find("经开区经济运行局"), std::string::npos);
  ASSERT_EQ(firing["parts"].size(), 2u);
  EXPECT_EQ(firing["parts"][0]["type"], "text/plain");
  EXPECT_EQ(firing["parts"][0]["charset"], "utf-8");
  EXPECT_EQ(firing["parts"][1]["type"], "text/html");
  const std::string plain = firing["parts"][0]["text"];
  EXPECT_NE(plain.find("企业：湖南恒达机械有限公司"), std::string::npos) << plain;
  EXPECT_NE(plain.find("行业：装备制造"), std::string::npos);
  EXPECT_NE(plain.find("指标：KeyEnterpriseOutputDrop -32.0%，阈值 -10.0%"), std::string::npos)
      << plain;
  EXPECT_NE(plain.find("http://parkwatch.test:9780/alerts/"), std::string::npos);
  EXPECT_NE(
      firing["parts"][1]["text"].get<std::string>().find("<a href=\"http://grafana.test/d/park\">"),
      std::string::npos);
  // Envelope recipients include Cc.
  const std::string rcpt = testing::ReadFile(
      testing::MailFiles(mail_dir)[0].substr(0, testing::MailFiles(mail_dir)[0].size() - 4) +
      ".rcpt");
  EXPECT_NE(rcpt.find("analyst@park.gov.cn"), std::string::npos);

  json resolved = json::parse(testing::ParsedMail(testing::MailFiles(mail_dir)[1]));
  EXPECT_EQ(resolved["subject"].get<std::string>().rfind("【已恢复】湖南恒达机械有限公司", 0), 0u)
      << resolved["subject"];
  // The password never appears in the log.
  EXPECT_EQ(testing::ReadFile(dir / "smtp.log").find("s3cret"), std::string::npos);
}

TEST(NotifierPeersTest, AlertmanagerShowsPushedAlertsAndResolves) {
  testing::TempDir dir;
  testing::WriteFile(dir / "am.yml",
                     "route: {receiver: blackhole}\nreceivers: [{name: blackhole}]\n");
  const uint16_t port = testing::FreePort();
  testing::ChildProcess am;
  ASSERT_TRUE(am.Start(
      {"/usr/bin/prometheus-alertmanager", "--config.file=" + (dir / "am.yml"),
       "--storage.path=" + (dir / "am"), "--web.listen-address=127.0.0.1:" + std::to_string(port),
       "--cluster.listen-address="},
      dir / "am.log"));
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_TRUE(WaitFor([&] { return testing::Http("GET", base + "/-/ready").status == 200; }, 10000))
      << testing::ReadFile(dir / "am.log");

  auto store = Store::Open(dir / "parkwatch.db");
  const std::string fp = FireAlert(store.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W05",
                                   Severity::kOrange, -0.22);
  const std::string yaml =
      "external_url: http://parkwatch.test:9780\n"
      "delivery: {initial_backoff: 50ms, timeout: 2s, poll_interval: 100ms}\n"
      "receivers:\n  - {name: am, type: alertmanager, url: \"" +
      base +
      "\", resend_interval: 300ms}\n"
      "route: {receiver: am, group_by: ['...'], group_wait: 0s}\n";
  Dispatcher dispatcher(dir / "parkwatch.db", AlertingFromYaml(yaml), nullptr);
  dispatcher.Start();
  json alert;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = testing::Http("GET", base + "/api/v2/alerts");
        json list = json::parse(r.body, nullptr, false);
        if (!list.is_array()) return false;
        for (const auto& a : list)
          if (a["labels"].value("alertname", "") == "KeyEnterpriseOutputDrop") alert = a;
        return !alert.is_null();
      },
      10000));
  EXPECT_EQ(alert["labels"]["severity"], "orange");
  EXPECT_EQ(alert["labels"]["enterprise"], "湖南恒达机械有限公司");
  EXPECT_EQ(alert["status"]["state"], "active");
  EXPECT_EQ(alert["annotations"]["period"], "2024-W05");
  EXPECT_EQ(alert["generatorURL"], "http://parkwatch.test:9780/alerts/" + fp);
  // Re-sent while firing.
  ASSERT_TRUE(WaitFor(
      [&] { return CountDeliveries(store.get(), "seq >= 2 AND state = 'delivered'") >= 1; }, 5000));
  // Resolving it pushes endsAt in the past: Alertmanager drops it from the active list.
  testing::ResolveAlert(store.get(), "KeyEnterpriseOutputDrop", kAcme, "2024-W06", 0.01);
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = testing::Http("GET", base + "/api/v2/alerts?active=true");
        json list = json::parse(r.body, nullptr, false);
        if (!list.is_array()) return false;
        for (const auto& a : list)
          if (a["labels"].value("alertname", "") == "KeyEnterpriseOutputDrop") return false;
        return true;
      },
      10000));
  // Reminders stop once it is resolved.
  ASSERT_TRUE(WaitFor(
      [&] {
        return CountDeliveries(store.get(),
                               "state = 'suppressed' AND last_error = 'no longer firing'") >= 1;
      },
      5000));
}

}  // namespace
}  // namespace parkwatch
