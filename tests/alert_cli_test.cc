// `parkwatch alerts`, `explain` and `ack` answer an operations officer at a terminal: a table of
// what is alerting with names and figures, the reason one alert fires in words and numbers (the
// figure with its unit, each level's line, the crossed one, the period in words, the last
// periods), and an acknowledgement the running daemon sees. They read the daemon's own store.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::RunParkwatch;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The daemon's config beside rules/*.yml, its store and an inbox in dir.
std::string WriteConfig(const TempDir& dir) {
  const std::string config = dir / "parkwatch.yml";
  WriteFile(config,
            "storage: {path: pw.db}\n"
            "web: {admin_token: a}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [rules/*.yml]\n");
  return config;
}

json Firing(const DaemonProcess& daemon) {
  return json::parse(Http("GET", daemon.url("/api/v1/alerts?state=firing")).body)["data"];
}

TEST(AlertCliTest, AlertsExplainAndAckAnswerAtTheTerminal) {
  TempDir dir;
  WriteFile(
      dir / "rules/r.yml",
      "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
      "      - alert: OutputDrop\n        title: Output drop\n        title_zh: 产值同比下降\n"
      "        measure: yoy(output_value)\n"
      "        levels: {yellow: -0.10, red: -0.30}\n"
      "        overrides:\n"
      "          - {industry: 装备制造, levels: {red: -0.40}}\n");
  const std::string config = WriteConfig(dir);
  DaemonProcess daemon(config, dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  std::string code = TestCreditCode(1);
  WriteFile(dir / "inbox/.m.csv", "统一社会信用代码,企业名称,行业,报告期,工业总产值(万元)\n" +
                                      code + ",湖南德山制药,装备制造,2024-05,90\n" + code +
                                      ",湖南德山制药,装备制造,2024-06,100\n" + code +
                                      ",湖南德山制药,装备制造,2025-05,88\n" + code +
                                      ",湖南德山制药,装备制造,2025-06,65\n");
  fs::rename(dir / "inbox/.m.csv", dir / "inbox/m.csv");
  json alerts;
  ASSERT_TRUE(WaitFor([&] { return (alerts = Firing(daemon)).size() == 1; })) << daemon.Log();
  std::string fp = alerts[0]["fingerprint"];

  // The table: the name, the level, the figure with its unit, the period in words.
  std::string out;
  ASSERT_EQ(RunParkwatch({"alerts", "--config.file=" + config}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "湖南德山制药")) << out;
  EXPECT_TRUE(Has(out, "黄色")) << out;
  EXPECT_TRUE(Has(out, "产值同比下降")) << out;
  EXPECT_TRUE(Has(out, "-35.0%")) << out;
  EXPECT_TRUE(Has(out, "2025年6月")) << out;
  EXPECT_TRUE(Has(out, "+08:00") || Has(out, fp.substr(0, 12))) << out;
  ASSERT_EQ(RunParkwatch({"alerts", "--config.file=" + config, "--industry=医药化工"}, &out), 0);
  EXPECT_TRUE(Has(out, "当前没有预警")) << out;
  EXPECT_EQ(RunParkwatch({"alerts", "--config.file=" + config, "--severity=purple"}, &out), 2);

  // Why: the measure in words, the figure, the crossed line, every line (this industry's red is
  // -40 %, the override), the last periods in 万元.
  ASSERT_EQ(RunParkwatch({"explain", fp, "--config.file=" + config}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "【黄色预警】湖南德山制药（" + code + "） · 装备制造")) << out;
  EXPECT_TRUE(Has(out, "2025年6月 工业总产值同比增速为 -35.0%，低于黄色预警线 -10.0%。")) << out;
  EXPECT_TRUE(Has(out, "黄色-10.0%，红色-40.0%")) << out;
  EXPECT_TRUE(Has(out, "2025年5月")) << out;
  EXPECT_TRUE(Has(out, "65.00万元")) << out;
  ASSERT_EQ(
      RunParkwatch({"explain", fp.substr(0, 12), "--config.file=" + config, "--lang=en"}, &out), 0)
      << out;
  EXPECT_TRUE(Has(out, "below the yellow line of -10.0%")) << out;
  EXPECT_TRUE(Has(out, "June 2025")) << out;
  EXPECT_EQ(RunParkwatch({"explain", "nosuch", "--config.file=" + config}, &out), 1);

  // Acknowledged from the terminal: the daemon's answer shows it.
  ASSERT_EQ(
      RunParkwatch({"ack", fp, "--config.file=" + config, "--author=王科长", "--note=已联系企业"},
                   &out),
      0)
      << out;
  json detail = json::parse(Http("GET", daemon.url("/api/v1/alerts/" + fp)).body)["data"];
  ASSERT_EQ(detail["acknowledgements"].size(), 1u);
  EXPECT_EQ(detail["acknowledgements"][0]["author"], "王科长");
  ASSERT_EQ(RunParkwatch({"explain", fp, "--config.file=" + config}, &out), 0) << out;
  EXPECT_TRUE(Has(out, "已由王科长于")) << out;
  EXPECT_EQ(RunParkwatch({"ack", fp, "--config.file=" + config}, &out), 2) << out;  // no author
}

// A rule against a target measures the gap to it: explain says the gap with the growth and the
// target it is the gap between, over the year-to-date span (1—6月), not the month alone.
TEST(AlertCliTest, ExplainSaysAGapToATargetWithTheGrowthAndTheTargetOverTheYearToDate) {
  TempDir dir;
  WriteFile(dir / "rules/r.yml",
            "targets:\n  output_growth: {park: 0.08}\n"
            "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
            "      - alert: ParkBelowTarget\n        title_zh: 园区产值累计增速低于目标\n"
            "        scope: park\n        measure: ytd_yoy(output_value)\n"
            "        target: output_growth\n        levels: {yellow: -0.02}\n");
  const std::string config = WriteConfig(dir);
  DaemonProcess daemon(config, dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  std::string code = TestCreditCode(1);
  std::string rows = "统一社会信用代码,企业名称,行业,报告期,工业总产值(万元)\n";
  for (const char* p : {"2024-01/02", "2024-03", "2024-04", "2024-05", "2024-06"})
    rows += code + ",湖南德山制药,装备制造," + p + ",100\n";
  for (const char* p : {"2025-01/02", "2025-03", "2025-04", "2025-05", "2025-06"})
    rows += code + ",湖南德山制药,装备制造," + p + ",102\n";
  WriteFile(dir / "inbox/.m.csv", rows);
  fs::rename(dir / "inbox/.m.csv", dir / "inbox/m.csv");
  json alerts;
  ASSERT_TRUE(WaitFor([&] { return (alerts = Firing(daemon)).size() == 1; })) << daemon.Log();
  std::string out;
  ASSERT_EQ(RunParkwatch({"explain", alerts[0]["fingerprint"], "--config.file=" + config}, &out), 0)
      << out;
  // Growth 2 %, target 8 %: a gap of 6 points, January to June.
  EXPECT_TRUE(Has(out, "2025年1—6月")) << out;
  EXPECT_TRUE(Has(out, "与目标之差为 -6.00个百分点（增长2.0%，目标8.0%）")) << out;
  ASSERT_EQ(
      RunParkwatch({"explain", alerts[0]["fingerprint"], "--config.file=" + config, "--lang=en"},
                   &out),
      0)
      << out;
  EXPECT_TRUE(Has(out, "(growth 2.0%, target 8.0%) in January–June 2025")) << out;
}

}  // namespace
}  // namespace parkwatch
