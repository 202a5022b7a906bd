// The monthly analysis as the bureau reads it: figures hand-computed on a small park, the
// workbook opened by openpyxl as Excel users' tools open it, the page rendered by chromium with
// the CJK font, the numbers equal to /metrics and the API on the demo park, and month close
// sending the report to a real SMTP server with both attachments.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "alerts/alert_store.h"
#include "core/number_text.h"
#include "metrics/park_figures.h"
#include "notifiers/receiver_types.h"
#include "notifiers/receivers.h"
#include "report/month_close.h"
#include "report/render.h"
#include "rules/rule_data.h"
#include "store/store.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/http_sink.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"
#include "tools/demo_config.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TempDir;

std::string Support(const std::string& name) {
  return std::string(PARKWATCH_SOURCE_DIR) + "/tests/support/" + name;
}

// A park small enough to compute by hand (value added in yuan; output value is 4× it):
//            2024 1—2月  2024-03  2025 1—2月  2025-03
//   A  e1 ★      100        60        110        66
//   A  e2         50        30         45        27
//   B  e3         80        40         88        36
//   B  e4         20        10         25        12
//   B  e5         30        15          —         —   (has not reported 2025: 未报)
// March 2025: park month 141/140−1; 1—3月 409/390−1 (1—2月 268/250−1);
// A 1—3月 248/240−1, pull 8/390, contribution 8/19; B 161/150−1, pull 11/390, contribution 11/19.
struct SmallPark {
  Config config;
  RuleSet rules;
  RuleData data;

  SmallPark() {
    config.park_name = "测试园区";
    config.industries = {"A业", "B业"};
    config.indicators = DefaultIndicators();
    rules.targets["value_added_growth"]["park"] = 0.06;
    data.KeepTables(FigureTables());
    data.Prepare(config, rules);
    const char* industry[] = {"A业", "A业", "B业", "B业", "B业"};
    const double values[5][4] = {
        {100, 60, 110, 66}, {50, 30, 45, 27}, {80, 40, 88, 36}, {20, 10, 25, 12}, {30, 15, -1, -1}};
    const Period periods[] = {Period::JanFeb(2024), Period::Month(2024, 3), Period::JanFeb(2025),
                              Period::Month(2025, 3)};
    for (int i = 0; i < 5; ++i) {
      EnterpriseRow row;
      row.credit_code = testing::TestCreditCode(i + 1);
      row.name = "企业" + std::to_string(i + 1);
      row.industry = industry[i];
      row.key = i == 0;
      EnterpriseIndex e = data.AddEnterprise(row);
      for (int p = 0; p < 4; ++p) {
        if (values[i][p] < 0) continue;
        data.PutFigure(e, "value_added", periods[p], values[i][p]);
        data.PutFigure(e, "output_value", periods[p], 4 * values[i][p]);
      }
    }
  }

  MonthlyReport Report(Period p, double min_share = 0.5) {
    MonthlyReportOptions options;
    options.min_reported_share = min_share;
    options.now = 1743465600;
    return BuildMonthlyReport(data, config, rules, nullptr, p, options);
  }
};

TEST(MonthlyReportTest, GrowthPullsAndContributionsMatchHandComputedValues) {
  SmallPark park;
  MonthlyReport r = park.Report(Period::Month(2025, 3));
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.expected, 5);
  EXPECT_EQ(r.reported, 4);
  const IndicatorSection& va = r.sections[0];
  EXPECT_FALSE(va.comparable);  // no price index: current prices, and the notes say so
  EXPECT_NEAR(*va.park.yoy, 141.0 / 140 - 1, 1e-12);
  EXPECT_NEAR(*va.park.ytd, 409.0 / 390 - 1, 1e-12);
  EXPECT_NEAR(*va.park.ytd_previous, 268.0 / 250 - 1, 1e-12);
  EXPECT_NEAR(*va.park.ytd_level, 409, 1e-9);
  ASSERT_EQ(va.industries.size(), 2u);
  const IndustryFigures& a = va.industries[0];
  const IndustryFigures& b = va.industries[1];
  EXPECT_EQ(a.name, "A业");
  EXPECT_NEAR(*a.growth.ytd, 248.0 / 240 - 1, 1e-12);
  EXPECT_NEAR(*a.ytd_pull, 8.0 / 390, 1e-12);
  EXPECT_NEAR(*a.ytd_contribution, 8.0 / 19, 1e-12);
  EXPECT_NEAR(*b.growth.ytd, 161.0 / 150 - 1, 1e-12);
  EXPECT_NEAR(*b.ytd_pull, 11.0 / 390, 1e-12);
  // Pulls add up to the park's growth, contributions to 100 %.
  EXPECT_NEAR(*a.ytd_pull + *b.ytd_pull, *va.park.ytd, 1e-12);
  EXPECT_NEAR(*a.ytd_contribution + *b.ytd_contribution, 1.0, 1e-12);
  EXPECT_NEAR(*a.pull + *b.pull, *va.park.yoy, 1e-12);
  EXPECT_NEAR(*a.share + *b.share, 1.0, 1e-12);
  EXPECT_EQ(a.movement, Movement::kFlat);    // 155/150 and 248/240: both 3.33 %
  EXPECT_EQ(b.movement, Movement::kSlowed);  // 13 % to 7.33 %
  // 增长面: both industries grow; e1 +10 %, e2 −10 %, e3 +3.3 %, e4 +23 % (e5 did not report).
  EXPECT_EQ(r.breadth.industries, 2);
  EXPECT_EQ(r.breadth.industries_growing, 2);
  EXPECT_EQ(r.breadth.enterprises, 4);
  EXPECT_EQ(r.breadth.enterprises_growing, 3);
  // Enterprises by their pull on March's output: e1 +24/560, e4 +8/560; e3 −16/560, e2 −12/560.
  ASSERT_EQ(r.top.size(), 2u);
  EXPECT_EQ(r.top[0].name, "企业1");
  EXPECT_NEAR(*r.top[0].pull, 24.0 / 560, 1e-12);
  EXPECT_EQ(r.top[1].name, "企业4");
  ASSERT_EQ(r.bottom.size(), 2u);
  EXPECT_EQ(r.bottom[0].name, "企业3");
  EXPECT_EQ(r.bottom[1].name, "企业2");
  ASSERT_EQ(r.key.size(), 1u);
  EXPECT_EQ(r.key[0].name, "企业1");
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0].name, "企业5");
  EXPECT_EQ(r.missing[0].last_reported, "2024年3月");
}

TEST(MonthlyReportTest, HeadlineIsWrittenFromTheNumbersInTheBureausPhrasing) {
  SmallPark park;
  MonthlyReport r = park.Report(Period::Month(2025, 3));
  std::string zh = Headline(r, "zh");
  // 409/390 − 1 = 4.87 %, 2.33 points below 1—2月's 7.2 %, 1.13 points below the 6 % target.
  EXPECT_NE(zh.find("1—3月，园区规模以上工业增加值同比增长4.9%，比1—2月回落2.3个百分点"),
            std::string::npos)
      << zh;
  EXPECT_NE(zh.find("低于年度目标1.1个百分点"), std::string::npos) << zh;
  EXPECT_NE(zh.find("2个行业中2个增长，增长面100.0%"), std::string::npos) << zh;
  EXPECT_NE(zh.find("4家企业中3家增长"), std::string::npos) << zh;
  EXPECT_NE(zh.find("本月尚有1家企业未报"), std::string::npos) << zh;
  EXPECT_EQ(zh.find("增长-"), std::string::npos) << zh;
  EXPECT_EQ(GrowthWords(-0.031, "zh"), "同比下降3.1%");
  EXPECT_EQ(GrowthWords(0.062, "zh"), "同比增长6.2%");
  EXPECT_EQ(GrowthWords(0.0004, "zh"), "与上年同期持平");
  EXPECT_EQ(PointsWords(-0.004, "zh"), "回落0.4个百分点");
  EXPECT_EQ(MoneyWords(261.95e8, "zh"), "261.95亿元");
  EXPECT_EQ(MoneyWords(12345678, "zh"), "1,234.57万元");
  std::string en = Headline(r, "en");
  EXPECT_NE(en.find("January–March, the value added of the park's above-size industry up 4.9%"),
            std::string::npos)
      << en;
  EXPECT_NE(en.find("1.1 points below the annual target"), std::string::npos) << en;
}

TEST(MonthlyReportTest, MonthsWithoutEnoughDataGiveAClearMessageWithTheShareReported) {
  SmallPark park;
  MonthlyReport few = park.Report(Period::Month(2025, 3), 0.9);
  EXPECT_FALSE(few.ok);
  EXPECT_NE(few.message.find("4/5，80.0%"), std::string::npos) << few.message;
  EXPECT_NE(few.message.find("不足 90%"), std::string::npos) << few.message;
  MonthlyReport none = park.Report(Period::Month(2025, 4));
  EXPECT_FALSE(none.ok);
  EXPECT_NE(none.message.find("2025年4月没有企业上报数据（已报 0/5，0.0%）"), std::string::npos)
      << none.message;
  MonthlyReport before = park.Report(Period::Month(2020, 6));
  EXPECT_FALSE(before.ok);
  EXPECT_NE(before.message.find("早于最早的数据（2024年1—2月）"), std::string::npos)
      << before.message;
  // January alone is 1—2月 (NBS): the same report as Jan–Feb.
  MonthlyReport jan = park.Report(Period::Month(2025, 1));
  EXPECT_TRUE(jan.ok) << jan.message;
  EXPECT_TRUE(jan.period.is_jan_feb());
}

json ReadWorkbook(const std::string& path) {
  std::string out;
  EXPECT_EQ(testing::Shell("/usr/bin/python3 " + Support("xlsx_cells.py") + " " + path, &out), 0)
      << out;
  return json::parse(out, nullptr, false);
}

// The row of a sheet whose first cell is text.
const json* Row(const json& book, const std::string& sheet, const std::string& first) {
  for (const json& row : book["cells"][sheet])
    if (!row.empty() && row[0]["v"] == first) return &row;
  return nullptr;
}

TEST(MonthlyReportTest, WorkbookHoldsTheApiFiguresAsNumbersWithChartsOneSheetPerTable) {
  SmallPark park;
  MonthlyReport r = park.Report(Period::Month(2025, 3));
  std::string error;
  std::string bytes = MonthlyReportXlsx(r, "zh", &error);
  ASSERT_FALSE(bytes.empty()) << error;
  TempDir dir;
  testing::WriteFile(dir / "r.xlsx", bytes);
  json book = ReadWorkbook(dir / "r.xlsx");
  ASSERT_TRUE(book.is_object());
  json api = json::parse(MonthlyReportJson(r, "zh"));
  for (const char* sheet : {"概览", "分行业-增加值", "分行业-产值", "增长面", "拉动前十",
                            "下拉前十", "重点企业", "连续下降", "预警", "未报企业", "增速走势"})
    EXPECT_TRUE(book["cells"].contains(sheet)) << sheet;
  EXPECT_EQ(book["charts"]["分行业-增加值"], 1);
  EXPECT_EQ(book["charts"]["增速走势"], 2);

  // Park row: numbers with formats, equal to the API's figures and to the hand values.
  const json* park_row = Row(book, "概览", "工业增加值");
  ASSERT_NE(park_row, nullptr);
  const json& ytd = (*park_row)[4];
  EXPECT_EQ(ytd["t"], "n");
  EXPECT_EQ(ytd["f"], "0.0%");
  EXPECT_NEAR(ytd["v"].get<double>(), api["sections"][0]["park"]["ytd"].get<double>(), 1e-12);
  EXPECT_NEAR(ytd["v"].get<double>(), 409.0 / 390 - 1, 1e-12);
  EXPECT_NEAR((*park_row)[3]["v"].get<double>(), 409.0 / 1e4, 1e-12);  // 万元
  EXPECT_NEAR((*park_row)[5]["v"].get<double>(), (409.0 / 390 - 268.0 / 250) * 100, 1e-9);

  // Industries: pulls in points sum to the park's growth, contributions to 100 %.
  double pulls = 0, contributions = 0;
  for (const char* name : {"A业", "B业"}) {
    const json* row = Row(book, "分行业-增加值", name);
    ASSERT_NE(row, nullptr) << name;
    pulls += (*row)[8]["v"].get<double>();
    contributions += (*row)[10]["v"].get<double>();
  }
  EXPECT_NEAR(pulls, (409.0 / 390 - 1) * 100, 1e-9);
  EXPECT_NEAR(contributions, 1.0, 1e-12);
  const json* a = Row(book, "分行业-增加值", "A业");
  EXPECT_NEAR((*a)[8]["v"].get<double>(),
              api["sections"][0]["industries"][0]["ytd_pull"].get<double>() * 100, 1e-9);
  EXPECT_EQ((*a)[6]["v"], "持平");

  // 增长面 counts.
  const json* industries = Row(book, "增长面", "行业");
  const json* enterprises = Row(book, "增长面", "企业");
  ASSERT_TRUE(industries && enterprises);
  EXPECT_EQ((*industries)[1]["v"], 2);
  EXPECT_EQ((*industries)[2]["v"], 2);
  EXPECT_EQ((*enterprises)[1]["v"], 4);
  EXPECT_EQ((*enterprises)[2]["v"], 3);
  EXPECT_NEAR((*enterprises)[3]["v"].get<double>(), 0.75, 1e-12);

  // Top pulls: the enterprise and its pull in points.
  const json& top = book["cells"]["拉动前十"][1];
  EXPECT_EQ(top[1]["v"], "企业1");
  EXPECT_NEAR(top[7]["v"].get<double>(), 24.0 / 560 * 100, 1e-9);
  EXPECT_EQ(book["cells"]["未报企业"][1][1]["v"], "企业5");
}

// Every character of text, as fontconfig's charset ranges ("4e00 5e74 ...").
std::string Charset(const std::string& text) {
  std::set<uint32_t> chars;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (int k = 1; k < n && i + k < text.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (cp > 0x20) chars.insert(cp);
    i += static_cast<size_t>(n);
  }
  std::string out;
  char buf[16];
  for (uint32_t cp : chars) {
    std::snprintf(buf, sizeof buf, "%x ", cp);
    out += buf;
  }
  return out;
}

TEST(MonthlyReportTest, PageRendersInTheCjkFontWithAGlyphForEveryCharacter) {
  SmallPark park;
  MonthlyReport r = park.Report(Period::Month(2025, 3));
  std::string html = MonthlyReportHtml(r, "zh");
  EXPECT_EQ(html.find("http://"), std::string::npos) << "nothing may load from outside";
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  // The text a reader sees: tags stripped, entities of the escaper undone.
  std::string text = std::regex_replace(html, std::regex("<style>[\\s\\S]*?</style>|<[^>]*>"), "");
  text = std::regex_replace(text, std::regex("&[a-z]+;"), "");
  // Noto Sans CJK SC has a glyph for every one of them, so nothing shows as a box.
  std::string out;
  ASSERT_EQ(testing::Shell("fc-list ':family=Noto Sans CJK SC:charset=" + Charset(text) +
                               "' family | grep -c 'Noto Sans CJK SC'",
                           &out),
            0)
      << "Noto Sans CJK SC lacks a character of the page: " << out;
  // chromium prints the page with that font and no other (a missing glyph would bring in a
  // fallback font, or none).
  std::string error;
  std::string pdf = HtmlToPdf(html, &error);
  if (FindChromium().empty()) GTEST_SKIP() << error;
  ASSERT_FALSE(pdf.empty()) << error;
  std::set<std::string> families;
  std::regex family("/FontFamily \\(([^)]*)\\)");
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), family); it != std::sregex_iterator();
       ++it)
    families.insert((*it)[1]);
  ASSERT_FALSE(families.empty());
  for (const auto& f : families)
    EXPECT_TRUE(f == "Noto Sans CJK SC" || f == "Noto Serif CJK SC") << "fallback font " << f;
}

// Writes the demo park to dir with its monthly files already in the store (ingested by the
// command, as an office's first load would be), so the daemon starts ready at once and
// evaluates them on its first tick; the weekly files are left out (the report is monthly).
void WriteDemoInStore(const TempDir& dir) {
  std::string error;
  // A well-formed bcrypt hash nobody signs in with: the report needs no console user.
  ASSERT_TRUE(WriteDemo(dir.path(), "$2y$10$" + std::string(53, 'a'), &error)) << error;
  // One rule instead of the ten defaults: the report needs the targets and the price index a
  // comparable-price rule loads, and the daemon is ready sooner on a shared test machine.
  testing::WriteFile(dir / "rules/default.yml",
                     "targets:\n"
                     "  value_added_growth: {park: 0.08}\n"
                     "groups:\n"
                     "  - name: monthly-analysis\n"
                     "    cadence: monthly\n"
                     "    rules:\n"
                     "      - alert: ParkBelowTarget\n"
                     "        scope: park\n"
                     "        measure: ytd_yoy(value_added, prices=comparable)\n"
                     "        target: value_added_growth\n"
                     "        levels: {yellow: -0.02, red: -0.06}\n");
  std::vector<std::string> args = {"ingest", "--config.file=" + (dir / "parkwatch.yml")};
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir / "inbox")) files.push_back(e.path().string());
  std::sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    // The register first, then the price index, then each year.
    auto rank = [](const std::string& f) {
      return f.find("enterprises") != std::string::npos ? 0
             : f.find("ppi") != std::string::npos       ? 1
                                                        : 2;
    };
    return std::make_pair(rank(a), a) < std::make_pair(rank(b), b);
  });
  fs::create_directories(dir / "loaded");
  for (const auto& f : files) {
    fs::path to = fs::path(dir / "loaded") / fs::path(f).filename();
    fs::rename(f, to);
    if (to.filename().string().rfind("weekly-", 0) != 0) args.push_back(to.string());
  }
  std::string out;
  ASSERT_EQ(testing::RunParkwatch(args, &out), 0) << out;
}

// The demo park in the real daemon: the report's numbers are the numbers of /metrics and of
// the API, for the month /metrics shows.
TEST(MonthlyReportDemoTest, ReportNumbersEqualMetricsAndApiOnTheDemoPark) {
  TempDir dir;
  std::string error;
  ASSERT_NO_FATAL_FAILURE(WriteDemoInStore(dir));
  testing::DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  ASSERT_TRUE(daemon.Start(&error)) << error << daemon.Log();

  std::string metrics = testing::Http("GET", daemon.url("/metrics")).body;
  auto sample = [&](const std::string& series) -> std::optional<double> {
    size_t at = metrics.find("\n" + series + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(metrics.substr(at + series.size() + 2));
  };
  std::smatch m;
  ASSERT_TRUE(std::regex_search(metrics, m,
                                std::regex("parkwatch_figures_period_info\\{cadence=\"monthly\","
                                           "period=\"([^\"]+)\"\\}")))
      << metrics.substr(0, 2000);
  const std::string period = m[1];
  auto response = testing::Http("GET", daemon.url("/api/v1/reports/monthly/" + period));
  ASSERT_EQ(response.status, 200) << response.body;
  json report = json::parse(response.body)["data"];
  ASSERT_TRUE(report["ok"].get<bool>());
  const json& output = report["sections"][1];
  ASSERT_EQ(output["indicator"], "output_value");
  EXPECT_DOUBLE_EQ(output["park"]["level"].get<double>(),
                   *sample("parkwatch_park_output_value_yuan{cadence=\"monthly\"}"));
  EXPECT_DOUBLE_EQ(output["park"]["yoy"].get<double>(),
                   *sample("parkwatch_park_output_value_yoy_ratio{cadence=\"monthly\"}"));
  EXPECT_DOUBLE_EQ(output["park"]["ytd"].get<double>(),
                   *sample("parkwatch_park_output_value_ytd_ratio{cadence=\"monthly\"}"));
  EXPECT_DOUBLE_EQ(report["sections"][0]["park"]["level"].get<double>(),
                   *sample("parkwatch_park_value_added_yuan{cadence=\"monthly\"}"));
  for (const json& industry : output["industries"]) {
    std::string name = industry["name"];
    std::string labels = "{cadence=\"monthly\",industry=\"" + name + "\"}";
    auto pull = sample("parkwatch_industry_output_value_pull_ratio" + labels);
    ASSERT_TRUE(pull) << name;
    EXPECT_DOUBLE_EQ(industry["pull"].get<double>(), *pull) << name;
    EXPECT_DOUBLE_EQ(industry["growth"]["ytd"].get<double>(),
                     *sample("parkwatch_industry_output_value_ytd_ratio" + labels))
        << name;
  }
  for (const json& e : report["top"]) {
    std::string labels =
        "{cadence=\"monthly\",enterprise=\"" + e["credit_code"].get<std::string>() + "\"}";
    EXPECT_DOUBLE_EQ(e["pull"].get<double>(),
                     *sample("parkwatch_enterprise_output_value_pull_ratio" + labels));
  }
  // The workbook from the API holds the same figures.
  auto xlsx =
      testing::Http("GET", daemon.url("/api/v1/reports/monthly/" + period + "?format=xlsx"));
  ASSERT_EQ(xlsx.status, 200);
  testing::WriteFile(dir / "report.xlsx", xlsx.body);
  json book = ReadWorkbook(dir / "report.xlsx");
  const json* row = Row(book, "概览", "工业总产值");
  ASSERT_NE(row, nullptr);
  EXPECT_NEAR((*row)[4]["v"].get<double>(), output["park"]["ytd"].get<double>(), 1e-12);
  EXPECT_NEAR((*row)[1]["v"].get<double>(), output["park"]["level"].get<double>() / 1e4, 1e-6);
  // The command gives the same report as the API.
  std::string out;
  ASSERT_EQ(testing::RunParkwatch({"report", "monthly", "--config.file=" + (dir / "parkwatch.yml"),
                                   "--period=" + period, "--format=json", "--out=-"},
                                  &out),
            0)
      << out;
  json cli = json::parse(out.substr(out.find('{')));
  // The same figures; value added at comparable prices sums deflated values, whose last bits
  // depend on the order the enterprises were first seen in (the daemon's batches, the command's
  // store read), so those agree to 1e-12 and every rounded figure exactly.
  EXPECT_EQ(cli["headline"], report["headline"]);
  EXPECT_EQ(cli["sections"][1], report["sections"][1]);
  for (const char* field : {"level", "yoy", "ytd", "ytd_previous", "ytd_last_year"})
    EXPECT_NEAR(cli["sections"][0]["park"][field].get<double>(),
                report["sections"][0]["park"][field].get<double>(), 1e-12)
        << field;
}

// Month close with a clock: the due month's report goes to a real SMTP server with the XLSX
// and the PDF; a later revision of that month makes a revised edition saying what changed.
TEST(MonthCloseTest, ClosedMonthIsMailedWithBothAttachmentsAndARevisionMakesARevisedEdition) {
  TempDir dir;
  const std::string mail_dir = dir / "mail";
  fs::create_directories(mail_dir);
  const uint16_t port = testing::FreePort();
  testing::ChildProcess smtp;
  ASSERT_TRUE(smtp.Start(
      {"/usr/bin/python3", "-u", Support("smtp_sink.py"), std::to_string(port), mail_dir},
      dir / "smtp.log"));
  ASSERT_TRUE(testing::WaitFor(
      [&] { return testing::ReadFile(dir / "smtp.log").find("ready") != std::string::npos; },
      10000));

  SmallPark park;
  auto config = std::make_shared<Config>(park.config);
  config->storage_path = dir / "parkwatch.db";
  config->alerting.external_url = "http://parkwatch.test:9780";
  ReceiverConfig mail;
  mail.name = "leaders";
  mail.type = "email";
  auto smtp_options = std::make_shared<EmailConfig>();
  smtp_options->smarthost = "127.0.0.1:" + std::to_string(port);
  smtp_options->tls = SmtpTls::kNone;
  smtp_options->from = "经济运行局 <ops@park.gov.cn>";
  smtp_options->to = {"director@park.gov.cn"};
  mail.options = smtp_options;
  config->alerting.receivers.push_back(mail);
  config->reports.enabled = true;
  config->reports.directory = dir / "reports";
  config->reports.receivers = {"leaders"};
  config->reports.min_reported_share = 0.8;
  auto store = Store::Open(config->storage_path);

  // 2025-04-09: March's deadline (10 April 12:00) has not passed; Jan–Feb's has.
  const int64_t april_9 = 1744156800;
  EXPECT_EQ(DueReportMonth(config->reports, april_9), Period::JanFeb(2025));
  MonthClose close;
  // 10 April 12:00 CST = 04:00 UTC; a minute later March closes.
  const int64_t after_deadline = ReportDeadline(config->reports, Period::Month(2025, 3)) + 60;
  EXPECT_EQ(after_deadline, 1744257600 + 60);
  auto result = close.Tick(park.data, config, park.rules, *store, nullptr, after_deadline);
  ASSERT_EQ(result.written, std::vector<std::string>{"2025-03 edition 1"}) << result.waiting;
  close.WaitForDeliveries();
  ASSERT_TRUE(testing::WaitFor([&] { return fs::exists(mail_dir + "/0000.eml"); }, 10000));

  std::string parsed;
  testing::WriteFile(dir / "mail.py",
                     "import email, sys\nfrom email import policy\n"
                     "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), "
                     "policy=policy.default)\n"
                     "print('SUBJECT', m['Subject'])\n"
                     "for p in m.iter_attachments():\n"
                     "    data = p.get_payload(decode=True)\n"
                     "    print('ATTACHMENT', p.get_filename(), p.get_content_type(), data[:4])\n"
                     "print('BODY', m.get_body(('plain',)).get_content())\n");
  ASSERT_EQ(testing::Shell("/usr/bin/python3 " + (dir / "mail.py") + " " + mail_dir + "/0000.eml",
                           &parsed),
            0)
      << parsed;
  EXPECT_NE(parsed.find("SUBJECT 测试园区2025年3月工业经济运行分析"), std::string::npos) << parsed;
  EXPECT_NE(parsed.find("ATTACHMENT report-2025-03.xlsx application/vnd.openxmlformats-"
                        "officedocument.spreadsheetml.sheet b'PK"),
            std::string::npos)
      << parsed;
  if (!FindChromium().empty()) {
    EXPECT_NE(parsed.find("ATTACHMENT report-2025-03.pdf application/pdf b'%PDF'"),
              std::string::npos)
        << parsed;
  }
  EXPECT_NE(parsed.find("1—3月，园区规模以上工业增加值同比增长4.9%"), std::string::npos) << parsed;
  EXPECT_NE(parsed.find("http://parkwatch.test:9780/api/v1/reports/monthly/2025-03?format=html"),
            std::string::npos);

  // A tick without new batches sends nothing again.
  result = close.Tick(park.data, config, park.rules, *store, nullptr, after_deadline + 60);
  EXPECT_TRUE(result.written.empty());
  close.WaitForDeliveries();

  // A late report of enterprise 5 for March (and its Jan–Feb), then a batch in the store.
  EnterpriseIndex e5 = *park.data.IndexOfCode(testing::TestCreditCode(5));
  park.data.PutFigure(e5, "value_added", Period::JanFeb(2025), 33);
  park.data.PutFigure(e5, "value_added", Period::Month(2025, 3), 18);
  park.data.PutFigure(e5, "output_value", Period::JanFeb(2025), 132);
  park.data.PutFigure(e5, "output_value", Period::Month(2025, 3), 72);
  BatchSummary batch;
  batch.info.collector = "test";
  store->RecordEmptyBatch(&batch);
  result = close.Tick(park.data, config, park.rules, *store, nullptr, after_deadline + 120);
  ASSERT_EQ(result.written, std::vector<std::string>{"2025-03 edition 2"});
  close.WaitForDeliveries();
  ASSERT_TRUE(testing::WaitFor([&] { return fs::exists(mail_dir + "/0001.eml"); }, 10000));
  std::string second;
  testing::Shell("/usr/bin/python3 " + (dir / "mail.py") + " " + mail_dir + "/0001.eml", &second);
  EXPECT_NE(second.find("SUBJECT 测试园区2025年3月工业经济运行分析（修订版第2版）"),
            std::string::npos)
      << second;
  EXPECT_NE(second.find("本版修订"), std::string::npos) << second;
  EXPECT_NE(second.find("ATTACHMENT report-2025-03-r2.xlsx"), std::string::npos) << second;
  std::string edition = testing::ReadFile(dir / "reports/2025-03/edition-2.json");
  EXPECT_NE(edition.find("已报企业：4/5家 → 5/5家"), std::string::npos) << edition;
  // 1—3月: 409 + 33 + 18 = 460 against 390 + 30 + 15 = 435.
  EXPECT_NE(edition.find("工业增加值 园区 累计增速：4.9% → 5.7%"), std::string::npos) << edition;
  EXPECT_TRUE(fs::exists(dir / "reports/2025-03/report-2025-03-r2.xlsx"));
  EXPECT_TRUE(fs::exists(dir / "reports/2025-03/edition-2.sent-leaders"));
}

}  // namespace
}  // namespace parkwatch

namespace parkwatch {
namespace {

// The daemon closes the month by itself: on the demo park (reported up to today) the latest
// month whose deadline has passed is written and mailed with both attachments at its first tick.
TEST(MonthCloseTest, DaemonClosesTheDueMonthAndMailsTheReport) {
  TempDir dir;
  std::string error;
  ASSERT_NO_FATAL_FAILURE(WriteDemoInStore(dir));
  const std::string mail_dir = dir / "mail";
  fs::create_directories(mail_dir);
  const uint16_t port = testing::FreePort();
  testing::ChildProcess smtp;
  ASSERT_TRUE(smtp.Start(
      {"/usr/bin/python3", "-u", Support("smtp_sink.py"), std::to_string(port), mail_dir},
      dir / "smtp.log"));
  ASSERT_TRUE(testing::WaitFor(
      [&] { return testing::ReadFile(dir / "smtp.log").find("ready") != std::string::npos; },
      10000));
  std::ofstream(dir / "parkwatch.yml", std::ios::app)
      << "alerting:\n"
         "  receivers:\n"
         "    - {name: leaders, type: email, smarthost: \"127.0.0.1:"
      << port
      << "\", tls: none, from: ops@park.gov.cn, to: [director@park.gov.cn]}\n"
         "  route: {receiver: leaders}\n"
         "reports:\n"
         "  receivers: [leaders]\n"
         "  min_reported_share: 0.8\n";
  testing::DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  ASSERT_TRUE(daemon.Start(&error)) << error << daemon.Log();
  const Period due = DueReportMonth(ReportsConfig{}, std::time(nullptr));
  std::string name = due.ToString();
  for (char& c : name)
    if (c == '/') c = '-';
  ASSERT_TRUE(testing::WaitFor([&] { return fs::exists(mail_dir + "/0000.eml"); }, 120000))
      << daemon.Log();
  // The marker follows the server's confirmation.
  EXPECT_TRUE(testing::WaitFor([&] {
    return fs::exists(dir / ("reports/" + name + "/edition-1.sent-leaders"));
  })) << daemon.Log();
  std::string mail = testing::ReadFile(mail_dir + "/0000.eml");
  EXPECT_NE(mail.find("filename=\"report-" + name + ".xlsx\""), std::string::npos);
  if (!FindChromium().empty()) {
    EXPECT_NE(mail.find("filename=\"report-" + name + ".pdf\""), std::string::npos);
  }
  EXPECT_NE(daemon.Log().find("monthly report " + due.ToString() + " edition 1"),
            std::string::npos);
}

}  // namespace
}  // namespace parkwatch

namespace parkwatch {
namespace {

// Robots get the headline and a link to the report, in their own message format.
TEST(MonthCloseTest, RobotsGetTheHeadlineAndALinkToTheReport) {
  TempDir dir;
  testing::HttpSink sink;
  sink.SetHandler([](const testing::SinkRequest&) {
    return testing::SinkResponse{200, "{\"errcode\":0,\"errmsg\":\"ok\"}"};
  });
  SmallPark park;
  auto config = std::make_shared<Config>(park.config);
  config->alerting.external_url = "https://parkwatch.example.gov.cn";
  ReceiverConfig robot;
  robot.name = "wx";
  robot.type = "wecom";
  auto wecom = std::make_shared<WeComConfig>();
  wecom->url = sink.url("/cgi-bin/webhook/send?key=k");
  robot.options = wecom;
  config->alerting.receivers.push_back(robot);
  config->reports.enabled = true;
  config->reports.directory = dir / "reports";
  config->reports.receivers = {"wx"};
  auto store = Store::Open(dir / "parkwatch.db");
  MonthClose close;
  auto result = close.Tick(park.data, config, park.rules, *store, nullptr,
                           ReportDeadline(config->reports, Period::Month(2025, 3)) + 1);
  ASSERT_EQ(result.written.size(), 1u);
  close.WaitForDeliveries();
  ASSERT_EQ(sink.count(), 1u);
  json body = json::parse(sink.Requests()[0].body);
  EXPECT_EQ(body["msgtype"], "markdown");
  std::string content = body["markdown"]["content"];
  EXPECT_NE(content.find("测试园区2025年3月工业经济运行分析"), std::string::npos) << content;
  EXPECT_NE(content.find("1—3月，园区规模以上工业增加值同比增长4.9%"), std::string::npos)
      << content;
  EXPECT_NE(content.find("https://parkwatch.example.gov.cn/api/v1/reports/monthly/2025-03"
                         "?format=html"),
            std::string::npos)
      << content;
  EXPECT_TRUE(fs::exists(dir / "reports/2025-03/edition-1.sent-wx"));
}

// reports: is checked like the rest of parkwatch.yml: a receiver that does not exist is an
// error with the file and line.
TEST(MonthCloseTest, ReportsSectionNamingAnUnknownReceiverIsRefused) {
  InstallReceiverTypes();
  Config config;
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(ParseConfig("reports:\n  receivers: [leaders]\n  deadline: \"day 40 12:00\"\n",
                           "/etc/parkwatch/parkwatch.yml", &config, &diagnostics));
  std::string text = JoinDiagnostics(diagnostics);
  EXPECT_NE(text.find("parkwatch.yml:2"), std::string::npos) << text;
  EXPECT_NE(text.find("no receiver named leaders under alerting.receivers"), std::string::npos)
      << text;
  EXPECT_NE(text.find("reports.deadline"), std::string::npos) << text;
  diagnostics.clear();
  ASSERT_TRUE(
      ParseConfig("storage: {path: /var/lib/parkwatch/parkwatch.db}\n"
                  "reports: {deadline: \"day 5 09:30\", min_reported_share: 0.9}\n",
                  "/etc/parkwatch/parkwatch.yml", &config, &diagnostics))
      << JoinDiagnostics(diagnostics);
  EXPECT_TRUE(config.reports.enabled);
  EXPECT_EQ(config.reports.deadline_day, 5);
  EXPECT_EQ(config.reports.deadline_minute, 9 * 60 + 30);
  EXPECT_EQ(config.reports.directory, "/var/lib/parkwatch/reports");
}

}  // namespace
}  // namespace parkwatch
