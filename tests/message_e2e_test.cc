// The whole way from a figure to a person, as a bureau runs it: a weekly file dropped into the
// inbox breaches the default rules' KeyEnterpriseOutputDrop; the Chinese email reaches a real
// SMTP server (aiosmtpd) with the enterprise's name, the figure in 万元, the line crossed and the
// week's dates in its subject and body; its link, followed over HTTP, answers 200 about the
// same alert; and the webhook carries the same alert with its name and title.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/period.h"
#include "core/spring_festival.h"
#include "core/time_text.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/http_sink.h"
#include "tests/support/mail_sink.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

TEST(MessageEndToEndTest,
     AFileBreachingADefaultRuleReachesADirectorAsAChineseEmailWithAWorkingLink) {
  using namespace std::chrono;
  // The last two complete weeks; the default rules skip Spring Festival weeks, so the test
  // steps back before the festival when today is in its season.
  Period latest = Period::WeekOf(year_month_day(floor<days>(system_clock::now()))).Prev();
  while (IsSpringFestivalWeek(latest) || IsSpringFestivalWeek(latest.Prev()))
    latest = latest.Prev();
  const Period before = latest.Prev();

  TempDir dir;
  const std::string mail_dir = dir / "mail";
  fs::create_directories(mail_dir);
  const uint16_t smtp_port = testing::FreePort();
  testing::ChildProcess smtp;
  ASSERT_TRUE(smtp.Start({"/usr/bin/python3", "-u", testing::SupportFile("smtp_sink.py"),
                          std::to_string(smtp_port), mail_dir},
                         dir / "smtp.log"));
  ASSERT_TRUE(WaitFor(
      [&] { return testing::ReadFile(dir / "smtp.log").find("ready") != std::string::npos; },
      10000))
      << testing::ReadFile(dir / "smtp.log");
  testing::HttpSink hook;

  const std::string base = "http://parkwatch.test:9780";
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "web: {admin_token: a}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [" +
                std::string(PARKWATCH_SOURCE_DIR) +
                "/deploy/rules/default.yml]\n"
                "alerting:\n"
                "  external_url: " +
                base +
                "\n"
                "  language: zh\n"
                "  delivery: {poll_interval: 1s, initial_backoff: 100ms}\n"
                "  receivers:\n"
                "    - {name: ops-mail, type: email, smarthost: 127.0.0.1:" +
                std::to_string(smtp_port) +
                ", tls: none,\n"
                "       from: \"经开区经济运行局 <alerts@park.gov.cn>\", to: [ops@park.gov.cn]}\n"
                "    - {name: hook, type: webhook, url: \"" +
                hook.url("/hook") +
                "\"}\n"
                "  route:\n"
                "    receiver: hook\n"
                "    group_wait: 0s\n"
                "    routes:\n"
                "      - {matchers: ['alertname=\"KeyEnterpriseOutputDrop\"'], receiver: ops-mail,"
                " continue: true}\n"
                "      - {receiver: hook}\n");
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;

  // A key enterprise at 1 000 万元 a week last year, 790 and 795 this year: -21 % and -20.5 %,
  // two weeks below the yellow line of -10 % (for: 2). Without growth of its own before, it
  // swings as an ordinary noisy enterprise: a fall is sudden from 2 × 6 = 12 points (fall(),
  // default.yml), and one week of growth is no course.
  const std::string code = testing::TestCreditCode(7);
  std::string csv = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元)\n";
  auto row = [&](Period p, const char* value) {
    csv += code + ",湖南德山制药,医药化工,是," + p.ToString() + "," + value + "\n";
  };
  row(*before.SameLastYear(), "1000");
  row(*latest.SameLastYear(), "1000");
  row(before, "790");
  row(latest, "795");
  WriteFile(dir / "inbox/.w.csv", csv);
  fs::rename(dir / "inbox/.w.csv", dir / "inbox/w.csv");

  ASSERT_TRUE(WaitFor([&] { return !testing::MailFiles(mail_dir).empty(); }, 30000))
      << daemon.Log() << testing::ReadFile(dir / "smtp.log");
  json mail = json::parse(testing::ParsedMail(testing::MailFiles(mail_dir)[0]));
  EXPECT_EQ(mail["subject"],
            "【黄色预警】湖南德山制药 · 工业总产值同比下降 20.5%（" + PeriodName(latest) + "）");
  ASSERT_EQ(mail["parts"].size(), 2u);
  const std::string plain = mail["parts"][0]["text"];
  for (const std::string& line : std::vector<std::string>{
           "企业：湖南德山制药", "统一社会信用代码：" + code, "行业：医药化工",
           "周期：" + PeriodNameWithDays(latest),
           std::string("指标：工业总产值同比下降20.5%，低于黄色预警线（下降10%）"),
           std::string("与自身走势比：此前一年可比的增速不足3期，未作比较"),
           std::string("预警线：黄色 下降10%；橙色 下降25%；红色 下降35%，且低于其自身走势2个常规"
                       "波动幅度以上（该企业增速不足一年，常规波动按±6.0个百分点计）"),
           std::string("工业总产值：本期 795.00万元，上年同期 1,000.00万元")})
    EXPECT_NE(plain.find(line), std::string::npos) << line << "\n" << plain;
  EXPECT_NE(mail["parts"][1]["text"].get<std::string>().find("<table"), std::string::npos);

  // The link, followed: the alert's page in the console (a browser lands there), whose JSON under
  // /api/v1 is about this enterprise's alert.
  const std::string prefix = "查看详情：";
  size_t at = plain.find(prefix);
  ASSERT_NE(at, std::string::npos) << plain;
  std::string link = plain.substr(at + prefix.size());
  link = link.substr(0, link.find_first_of(" \n"));
  ASSERT_EQ(link.rfind(base + "/", 0), 0u) << link;
  auto page = Http("GET", daemon.url(link.substr(base.size())));
  ASSERT_EQ(page.status, 200) << link << ": " << page.body;
  EXPECT_NE(page.body.find("<!doctype html>"), std::string::npos) << page.body;
  auto answer = Http("GET", daemon.url("/api/v1" + link.substr(base.size())));
  ASSERT_EQ(answer.status, 200) << link << ": " << answer.body;
  json alert = json::parse(answer.body)["data"];
  EXPECT_EQ(alert["labels"]["enterprise_name"], "湖南德山制药");
  EXPECT_EQ(alert["severity"], "yellow");
  EXPECT_EQ(alert["period"]["period"], latest.ToString());
  // The page's 阈值 say the same condition as the mail (api/alert_detail.cc).
  EXPECT_EQ(alert["thresholds"]["condition_zh"],
            "且低于其自身走势2个常规波动幅度以上（该企业增速不足一年，常规波动按±6.0个百分点计）");

  // The webhook got the same alert, named, with its title and the same link.
  json hooked;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& request : hook.Requests()) {
          json body = json::parse(request.body);
          for (const json& a : body["alerts"])
            if (a["labels"]["alertname"] == "KeyEnterpriseOutputDrop") hooked = a;
        }
        return !hooked.is_null();
      },
      20000))
      << daemon.Log();
  EXPECT_EQ(hooked["labels"]["enterprise_name"], "湖南德山制药");
  EXPECT_EQ(hooked["annotations"]["title_zh"], "重点企业产值同比下降");
  EXPECT_EQ(hooked["generatorURL"], link);
}

}  // namespace
}  // namespace parkwatch
