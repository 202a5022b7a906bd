// The price basis is never silent: the park's and an industry's year-to-date value-added growth
// read the same on /metrics as in the alert that measures it (`prices: comparable_or_current`,
// as the default rules do), and both say at which prices — comparable (可比价) where every
// enterprise's industry has a price index, current (现价) otherwise. Real daemon, real HTTP.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

// The default rules' two year-to-date rules, measured as they are, with targets no park meets so
// that both fire and carry their value.
const char* kRules = R"(
targets:
  value_added_growth: {park: 0.5, "industry:医药化工": 0.5, "industry:装备制造": 0.5}
groups:
  - name: monthly-analysis
    cadence: monthly
    rules:
      - alert: IndustryBelowTarget
        scope: industry
        measure: ytd_yoy(value_added, prices=comparable_or_current)
        target: value_added_growth
        levels: {yellow: -0.02}
      - alert: ParkBelowTarget
        scope: park
        measure: ytd_yoy(value_added, prices=comparable_or_current)
        target: value_added_growth
        levels: {yellow: -0.02}
)";

// Two enterprises in each of two industries, value added for Jan–Feb to April of two years, and
// the producer price index of the industries in priced (same period last year = 100).
void WritePark(const TempDir& dir, const std::vector<std::string>& priced) {
  WriteFile(dir / "rules.yml", kRules);
  WriteFile(dir / "parkwatch.yml",
            "park: {industries: [医药化工, 装备制造]}\n"
            "storage: {path: pw.db}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [rules.yml]\n");
  std::string csv = "统一社会信用代码,企业名称,行业,报告期,工业增加值(万元)\n";
  const char* industries[] = {"医药化工", "医药化工", "装备制造", "装备制造"};
  for (int e = 0; e < 4; ++e)
    for (int year : {2024, 2025})
      for (const char* month : {"01/02", "03", "04"}) {
        double value = (100.0 + 40 * e) * (std::string(month) == "01/02" ? 2 : 1) *
                       (year == 2025 ? 1.03 + 0.02 * e : 1.0);
        csv += TestCreditCode(e + 1) + ",企业" + std::to_string(e + 1) + "," + industries[e] + "," +
               std::to_string(year) + "-" + month + "," + std::to_string(value) + "\n";
      }
  WriteFile(dir / "inbox/value-added.csv", csv);
  std::string ppi = "行业,报告期,PPI\n";
  for (const std::string& industry : priced)
    for (const char* month : {"01/02", "03", "04"})
      ppi +=
          industry + ",2025-" + month + "," + (industry == "医药化工" ? "104.0" : "101.5") + "\n";
  WriteFile(dir / "inbox/ppi.csv", ppi);
}

// The value of the one series of /metrics whose line starts with `series ` (labels in the
// exposition's order: by name).
std::optional<double> Scraped(const std::string& body, const std::string& series) {
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return std::nullopt;
}

struct Running {
  TempDir dir;
  std::unique_ptr<DaemonProcess> daemon;
  std::string metrics;

  // The daemon over the park, once it has evaluated both files (in whichever order it took
  // them) and exported their figures: the park's alert at park_prices, the series beside it.
  Running(const std::vector<std::string>& priced, const std::string& park_prices) {
    WritePark(dir, priced);
    daemon = std::make_unique<DaemonProcess>(dir / "parkwatch.yml", dir / "daemon.log");
    std::string error;
    EXPECT_TRUE(daemon->Start(&error)) << error;
    EXPECT_TRUE(WaitFor([&] {
      metrics = Http("GET", daemon->url("/metrics")).body;
      json park = Alert("ParkBelowTarget", "");
      return !park.is_null() && park["annotations"].value("prices", "") == park_prices &&
             metrics.find("parkwatch_park_value_added_ytd_ratio{cadence=\"monthly\",prices=\"" +
                          park_prices + "\"}") != std::string::npos;
    })) << daemon->Log();
  }

  // The alert of rule for industry ("" for the park's), as /api/v1/alerts lists it.
  json Alert(const std::string& rule, const std::string& industry) const {
    auto r = Http("GET", daemon->url("/api/v1/alerts?rule=" + rule));
    if (r.status != 200) return nullptr;
    const json list = json::parse(r.body);
    for (const json& a : list["data"])
      if (a["labels"].value("industry", "") == industry) return a;
    return nullptr;
  }
};

// The figure the alert measured (its value is the gap to the target) and the prices it says.
void ExpectSameFigure(const json& alert, std::optional<double> scraped, const std::string& prices) {
  ASSERT_FALSE(alert.is_null());
  ASSERT_TRUE(scraped) << "no series at prices=\"" << prices << "\"";
  EXPECT_EQ(alert["period"], "2025-04");
  EXPECT_EQ(alert["annotations"]["prices"], prices);
  EXPECT_NEAR(alert["value"].get<double>() + 0.5, *scraped, 1e-12);
  EXPECT_NEAR(std::stod(alert["annotations"]["measured"].get<std::string>()), *scraped, 1e-6);
}

TEST(PriceBasisTest, TheParksYtdValueAddedIsTheAlertsNumberAtComparablePricesWhereIndexed) {
  Running park({"医药化工", "装备制造"}, "comparable");
  ASSERT_TRUE(park.daemon->running());
  const std::string family = "parkwatch_park_value_added_ytd_ratio";
  std::optional<double> comparable =
      Scraped(park.metrics, family + "{cadence=\"monthly\",prices=\"comparable\"}");
  std::optional<double> current =
      Scraped(park.metrics, family + "{cadence=\"monthly\",prices=\"current\"}");
  ExpectSameFigure(park.Alert("ParkBelowTarget", ""), comparable, "comparable");
  // Both bases are exported, and they are different numbers: the label is what tells them apart.
  ASSERT_TRUE(current);
  EXPECT_GT(*current - *comparable, 0.01);
  ExpectSameFigure(park.Alert("IndustryBelowTarget", "医药化工"),
                   Scraped(park.metrics,
                           "parkwatch_industry_value_added_ytd_ratio{cadence=\"monthly\","
                           "industry=\"医药化工\",prices=\"comparable\"}"),
                   "comparable");
  // No value-added growth goes without its basis.
  EXPECT_EQ(park.metrics.find("parkwatch_park_value_added_ytd_ratio{cadence=\"monthly\"}"),
            std::string::npos)
      << "a value-added growth series without its price basis";
  // The index was among the files waiting at start: no warning that it was never ingested.
  EXPECT_EQ(park.daemon->Log().find("which was never ingested"), std::string::npos)
      << park.daemon->Log();
}

TEST(PriceBasisTest, AnIndexStillMissingWhenReadyIsWarnedOfAndItsArrivalLogged) {
  TempDir dir;
  WritePark(dir, {"医药化工", "装备制造"});
  std::filesystem::rename(dir / "inbox/ppi.csv", dir / "ppi.csv");
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  const std::string warning =
      "ParkBelowTarget: ytd_yoy(value_added, prices=comparable_or_current) wants the monthly "
      "price index \"ppi\", which was never ingested";
  ASSERT_TRUE(WaitFor([&] { return daemon.Log().find(warning) != std::string::npos; }))
      << daemon.Log();
  std::filesystem::rename(dir / "ppi.csv", dir / "inbox/ppi.csv");
  const std::string came =
      "ParkBelowTarget: ytd_yoy(value_added, prices=comparable_or_current): its price index is "
      "ingested now";
  ASSERT_TRUE(WaitFor([&] { return daemon.Log().find(came) != std::string::npos; }))
      << daemon.Log();
  EXPECT_LT(daemon.Log().find(warning), daemon.Log().find(came));
}

TEST(PriceBasisTest, WithoutAnIndustrysPriceIndexTheParkAndThatIndustryReadCurrentPrices) {
  Running park({"医药化工"}, "current");  // 装备制造 has no price index
  ASSERT_TRUE(park.daemon->running());
  const std::string family = "parkwatch_park_value_added_ytd_ratio";
  // Deflating part of the park would mix prices: no comparable park figure, on /metrics or in
  // the alert, which falls back to current prices and says so.
  EXPECT_FALSE(Scraped(park.metrics, family + "{cadence=\"monthly\",prices=\"comparable\"}"));
  ExpectSameFigure(park.Alert("ParkBelowTarget", ""),
                   Scraped(park.metrics, family + "{cadence=\"monthly\",prices=\"current\"}"),
                   "current");
  const std::string industry = "parkwatch_industry_value_added_ytd_ratio{cadence=\"monthly\",";
  ExpectSameFigure(park.Alert("IndustryBelowTarget", "装备制造"),
                   Scraped(park.metrics, industry + "industry=\"装备制造\",prices=\"current\"}"),
                   "current");
  ExpectSameFigure(park.Alert("IndustryBelowTarget", "医药化工"),
                   Scraped(park.metrics, industry + "industry=\"医药化工\",prices=\"comparable\"}"),
                   "comparable");
}

}  // namespace
}  // namespace parkwatch
