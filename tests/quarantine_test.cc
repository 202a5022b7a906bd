// The quarantine of suspected unit slips (store/quarantine.h) as a bureau meets it: a figure 元
// typed as 亿元 dropped into the real daemon's inbox is stored but counted in no total and no rule
// until a person confirms it (HTTP over loopback, or the command line on the same SQLite file),
// a reject keeps it out, a revision is checked again; and real seasons — Spring Festival weeks,
// January and February, a month's ±30 % — are never held.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "collectors/ingest.h"
#include "core/spring_festival.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"
#include "rules/unit_slip_hold.h"
#include "store/quarantine.h"
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

const std::string kHeader = "统一社会信用代码,企业名称,行业,报告期,工业总产值(万元)\n";

const char* kRules = R"(groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: ParkDrop
        scope: park
        measure: yoy(output_value)
        levels: {yellow: -0.10}
      - alert: MonthlyUnitSlip
        scope: enterprise
        measure: unit_slip(output_value)
        levels: {orange: 1}
)";

std::string Row(int enterprise, const std::string& period, double wan_yuan) {
  char value[48];
  std::snprintf(value, sizeof value, "%.4f", wan_yuan);
  return TestCreditCode(enterprise) +
         (enterprise == 1 ? ",常德甲药业有限公司" : ",湖南乙化工有限公司") + ",医药化工," + period +
         "," + value + "\n";
}

// Two enterprises, March to August of 2024 and March to July of 2025 (5 % up): the history.
std::string History() {
  std::string csv = kHeader;
  for (int m = 3; m <= 8; ++m) {
    const double swing = 1 + 0.02 * (m % 3);
    csv += Row(1, "2024-" + std::string(m < 10 ? "0" : "") + std::to_string(m), 100 * swing);
    csv += Row(2, "2024-" + std::string(m < 10 ? "0" : "") + std::to_string(m), 120 * swing);
    if (m == 8) continue;
    csv += Row(1, "2025-0" + std::to_string(m), 105 * swing);
    csv += Row(2, "2025-0" + std::to_string(m), 126 * swing);
  }
  return csv;
}

// August 2025: the first enterprise's figure typed in 亿元 into the 万元 column (1/10 000).
std::string SlippedAugust() {
  return kHeader + Row(1, "2025-08", 105 * 1.04 / 10000) + Row(2, "2025-08", 126 * 1.04);
}

class QuarantineDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "rules/r.yml", kRules);
    WriteFile(dir_ / "parkwatch.yml",
              "storage: {path: pw.db}\n"
              "web: {admin_token: admin-token}\n"
              "collectors:\n"
              "  - {name: inbox, type: inbox, directory: inbox}\n"
              "  - {name: trusted, type: inbox, directory: trusted, quarantine: none}\n"
              "rule_files: [rules/*.yml]\n");
  }

  void Start() {
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  // Drops a file as a careful writer does (written aside, renamed in) and waits until filed.
  void Drop(const std::string& inbox, const std::string& name, const std::string& content) {
    WriteFile(dir_ / ("staging/" + name), content);
    fs::create_directories(dir_ / inbox);
    fs::rename(dir_ / ("staging/" + name), dir_ / (inbox + "/" + name));
    ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / (inbox + "/processed/" + name)); }))
        << daemon_.Log();
  }

  json Get(const std::string& path) {
    auto r = Http("GET", daemon_.url(path));
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false)["data"];
  }

  testing::HttpResult Decide(const std::string& verb, const json& body) {
    return Http("POST", daemon_.url("/api/v1/quarantine/" + verb), body.dump(),
                {"Authorization: Bearer admin-token", "Content-Type: application/json"});
  }

  // The park's output YoY in August 2025 as /api/v1/series computes it.
  double ParkAugustYoY() {
    json s = Get(
        "/api/v1/series?scope=park&indicator=output_value&cadence=monthly&from=2025-08&to=2025-08");
    return s["points"][0]["yoy"].get<double>();
  }

  std::vector<std::string> FiringRules() {
    std::vector<std::string> out;
    for (const auto& a : Get("/api/v1/alerts?state=firing")) out.push_back(a["rule"]);
    std::sort(out.begin(), out.end());
    return out;
  }

  bool WaitForRules(const std::vector<std::string>& want) {
    return WaitFor([&] { return FiringRules() == want; });
  }

  double MetricValue(const std::string& series) {
    std::string body = Http("GET", daemon_.url("/metrics")).body;
    size_t at = body.find("\n" + series + " ");
    if (at == std::string::npos) return 0;
    return std::stod(body.substr(at + series.size() + 2));
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(QuarantineDaemonTest, ASlippedFigureIsHeldAndMovesNeitherTheParksGrowthNorADropRule) {
  Start();
  Drop("inbox", "history.csv", History());
  EXPECT_TRUE(Get("/api/v1/quarantine").empty()) << "an ordinary history holds nothing";
  Drop("inbox", "2025-08.csv", SlippedAugust());

  json held = Get("/api/v1/quarantine");
  ASSERT_EQ(held.size(), 1u) << held.dump();
  EXPECT_EQ(held[0]["credit_code"], TestCreditCode(1));
  EXPECT_EQ(held[0]["name"], "常德甲药业有限公司");
  EXPECT_EQ(held[0]["period_zh"], "2025年8月");
  EXPECT_EQ(held[0]["state"], "held");
  EXPECT_EQ(held[0]["exponent"], -4);
  EXPECT_EQ(held[0]["factor_zh"], "约为近期水平的 1/10000");
  EXPECT_EQ(held[0]["value_zh"], "0.01万元");
  EXPECT_EQ(held[0]["level_zh"], "107.10万元") << "median of 105×1.00/1.02/1.04/1.00/1.02";

  // The park's August is the second enterprise's alone (+5 %), not −43 % with the slip in it.
  EXPECT_NEAR(ParkAugustYoY(), 0.05, 0.001);
  // The unit-slip alert says why it is held; the drop rule does not fire on it.
  EXPECT_TRUE(WaitForRules({"MonthlyUnitSlip"})) << Get("/api/v1/alerts").dump();
  // The enterprise's own series leaves the held figure out as well.
  json own = Get("/api/v1/series?enterprise=" + TestCreditCode(1) +
                 "&indicator=output_value&cadence=monthly&from=2025-08&to=2025-08");
  EXPECT_TRUE(own["points"].empty()) << own.dump();
  EXPECT_EQ(MetricValue("parkwatch_figures_quarantined{collector=\"inbox\",state=\"held\"}"), 1);
}

TEST_F(QuarantineDaemonTest, ConfirmLetsTheFigureInAndTheRulesReDecideRejectKeepsItOut) {
  Start();
  Drop("inbox", "history.csv", History());
  Drop("inbox", "2025-08.csv", SlippedAugust());
  const json which = {{"credit_code", TestCreditCode(1)}, {"period", "2025-08"}};

  auto rejected = Decide("reject", which);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Get("/api/v1/quarantine")[0]["state"], "rejected");
  EXPECT_NEAR(ParkAugustYoY(), 0.05, 0.001) << "rejected: still out";
  EXPECT_TRUE(WaitFor([&] {
    return MetricValue("parkwatch_figures_quarantined{collector=\"inbox\",state=\"rejected\"}") ==
           1;
  }));

  auto confirmed = Decide("confirm", which);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_TRUE(Get("/api/v1/quarantine").empty());
  EXPECT_LT(ParkAugustYoY(), -0.40) << "confirmed: the figure counts";
  // Re-decided as for a revision: the drop fires now, and the unit-slip alert, whose question a
  // person has answered, resolves.
  EXPECT_TRUE(WaitForRules({"ParkDrop"})) << daemon_.Log();
  json all = Get("/api/v1/quarantine?all=true");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]["state"], "confirmed");
  EXPECT_EQ(all[0]["decided_by"], "token:admin");
  json audit = Get("/api/v1/audit");
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0]["source"], "POST /api/v1/quarantine/confirm");
  EXPECT_EQ(audit[0]["who"], "token:admin");
  EXPECT_NE(audit[0]["changes"][0].get<std::string>().find("2025年8月"), std::string::npos);
  EXPECT_EQ(audit[1]["source"], "POST /api/v1/quarantine/reject");

  // Nothing left to decide: a clear 404, not a silent success.
  auto again = Decide("confirm", which);
  EXPECT_EQ(again.status, 404) << again.body;
  // Deciding is an operator's: without credentials it is refused.
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/quarantine/reject"), which.dump()).status, 401);
}

TEST_F(QuarantineDaemonTest, ARevisionIsCheckedAgain) {
  Start();
  Drop("inbox", "history.csv", History());
  Drop("inbox", "2025-08.csv", SlippedAugust());
  ASSERT_EQ(Get("/api/v1/quarantine").size(), 1u);
  // The enterprise sends August again in the right unit: the figure counts, nothing is held.
  Drop("inbox", "2025-08-fixed.csv", kHeader + Row(1, "2025-08", 105 * 1.04));
  EXPECT_TRUE(Get("/api/v1/quarantine").empty());
  EXPECT_NEAR(ParkAugustYoY(), 0.05, 0.001) << "both enterprises count";
  EXPECT_TRUE(WaitForRules({})) << Get("/api/v1/alerts").dump();
  // And a revision that slips again (元 typed as 万元, ×10 000) is held again.
  Drop("inbox", "2025-08-again.csv", kHeader + Row(1, "2025-08", 105 * 1.04 * 10000));
  json held = Get("/api/v1/quarantine");
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0]["exponent"], 4);
  EXPECT_EQ(held[0]["factor_zh"], "约为近期水平的 10000 倍");
  EXPECT_NEAR(ParkAugustYoY(), 0.05, 0.001);
}

TEST_F(QuarantineDaemonTest, AConfirmedFigureResolvesItsUnitSlipAlertForGoodARejectedOneKeepsIt) {
  Start();
  Drop("inbox", "history.csv", History());
  Drop("inbox", "2025-08.csv", SlippedAugust());
  ASSERT_TRUE(WaitForRules({"MonthlyUnitSlip"})) << Get("/api/v1/alerts").dump();

  // Rejected: the figure is wrong and stays out; the alert keeps saying what is wrong with it
  // until the enterprise sends the revision.
  const json which = {{"credit_code", TestCreditCode(1)}, {"period", "2025-08"}};
  ASSERT_EQ(Decide("reject", which).status, 200);
  EXPECT_FALSE(WaitFor([&] { return FiringRules().empty(); }, 2000))
      << "a rejected figure's alert resolved";
  EXPECT_EQ(FiringRules(), std::vector<std::string>{"MonthlyUnitSlip"});

  // Confirmed (确认无误): the person has answered the alert's question; it resolves.
  ASSERT_EQ(Decide("confirm", which).status, 200);
  ASSERT_TRUE(WaitForRules({"ParkDrop"})) << Get("/api/v1/alerts").dump();
  // Its episode: fired once, resolved once.
  auto events = [&] {
    std::vector<std::string> kinds;
    for (const auto& e : Get("/api/v1/alerts/history?rule=MonthlyUnitSlip"))
      kinds.insert(kinds.begin(), e["kind"].get<std::string>());  // newest first
    return kinds;
  };
  EXPECT_EQ(events(), (std::vector<std::string>{"firing", "resolved"}));

  // August is evaluated again (the other enterprise revises its August, and July before it):
  // the confirmed figure does not raise the alert a second time.
  Drop("inbox", "2025-07-08-revised.csv",
       kHeader + Row(2, "2025-07", 126 * 1.02 + 0.5) + Row(2, "2025-08", 126 * 1.04 + 0.5));
  EXPECT_FALSE(WaitFor([&] { return FiringRules() != std::vector<std::string>{"ParkDrop"}; }, 2000))
      << Get("/api/v1/alerts").dump();
  EXPECT_EQ(events(), (std::vector<std::string>{"firing", "resolved"}));
}

TEST_F(QuarantineDaemonTest, TheQuarantineMetricReadsZeroForEachCollectorWhenNothingIsHeld) {
  Start();
  Drop("inbox", "history.csv", History());
  std::string body;
  ASSERT_TRUE(WaitFor([&] {
    body = Http("GET", daemon_.url("/metrics")).body;
    return body.find("parkwatch_figures_quarantined{") != std::string::npos;
  })) << body;
  for (const char* series :
       {"parkwatch_figures_quarantined{collector=\"inbox\",state=\"held\"} 0",
        "parkwatch_figures_quarantined{collector=\"inbox\",state=\"rejected\"} 0"})
    EXPECT_NE(body.find(std::string("\n") + series + "\n"), std::string::npos) << series << "\n"
                                                                               << body;
  // A collector that holds nothing back has no series to read 0.
  EXPECT_EQ(body.find("parkwatch_figures_quarantined{collector=\"trusted\""), std::string::npos);
}

TEST_F(QuarantineDaemonTest, ACollectorWithQuarantineNoneLetsEveryFigureIn) {
  Start();
  Drop("trusted", "history.csv", History());
  Drop("trusted", "2025-08.csv", SlippedAugust());
  EXPECT_TRUE(Get("/api/v1/quarantine").empty());
  EXPECT_LT(ParkAugustYoY(), -0.40);
}

TEST_F(QuarantineDaemonTest, TheCommandLineListsConfirmsAndTheDaemonFollowsAtStart) {
  WriteFile(dir_ / "history.csv", History());
  WriteFile(dir_ / "2025-08.csv", SlippedAugust());
  const std::string config = "--config.file=" + (dir_ / "parkwatch.yml");
  std::string out;
  ASSERT_EQ(RunParkwatch({"ingest", config, dir_ / "history.csv"}, &out), 0) << out;
  ASSERT_EQ(RunParkwatch({"ingest", config, dir_ / "2025-08.csv"}, &out), 0) << out;
  EXPECT_NE(out.find("1 held in quarantine"), std::string::npos) << out;
  ASSERT_EQ(RunParkwatch({"figures", "list", config}, &out), 0) << out;
  EXPECT_NE(out.find("常德甲药业有限公司\t2025年8月\toutput_value\t待确认"), std::string::npos)
      << out;
  EXPECT_NE(out.find("约为近期水平的 1/10000"), std::string::npos) << out;

  EXPECT_EQ(RunParkwatch({"figures", "confirm", config, TestCreditCode(2), "2025-08"}, &out), 1)
      << "nothing of the second enterprise is held: " << out;
  EXPECT_NE(out.find("no held or rejected figure"), std::string::npos) << out;
  ASSERT_EQ(RunParkwatch(
                {"figures", "confirm", config, TestCreditCode(1), "2025-08", "output_value"}, &out),
            0)
      << out;
  EXPECT_NE(out.find("confirmed 1 figure"), std::string::npos) << out;

  // The daemon started afterwards counts the confirmed figure: the drop fires, the unit slip
  // does not.
  Start();
  EXPECT_TRUE(WaitForRules({"ParkDrop"})) << daemon_.Log();
  json audit = Get("/api/v1/audit");
  ASSERT_GE(audit.size(), 1u);
  EXPECT_EQ(audit[0]["source"], "parkwatch figures confirm");
  EXPECT_EQ(audit[0]["who"].get<std::string>().rfind("cli:", 0), 0u) << audit.dump();
}

TEST(QuarantineConfigTest, QuarantineIsOnByDefaultAndAnUnknownValueIsAnErrorAtItsLine) {
  TempDir dir;
  WriteFile(dir / "pw.yml",
            "storage: {path: pw.db}\n"
            "collectors:\n"
            "  - {name: office, directory: inbox}\n"
            "  - {name: city, directory: city, quarantine: none}\n");
  Config c;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(LoadConfig(dir / "pw.yml", &c, &d)) << JoinDiagnostics(d);
  EXPECT_EQ(c.FindCollector("office")->quarantine, "unit_errors");
  EXPECT_EQ(c.FindCollector("city")->quarantine, "none");
  WriteFile(dir / "pw.yml",
            "storage: {path: pw.db}\n"
            "collectors:\n"
            "  - name: office\n"
            "    directory: inbox\n"
            "    quarantine: units\n");
  EXPECT_FALSE(LoadConfig(dir / "pw.yml", &c, &d));
  const std::string errors = JoinDiagnostics(d);
  EXPECT_NE(errors.find("pw.yml:5:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("collectors[0].quarantine"), std::string::npos) << errors;
}

// --- Seasons are not slips ---------------------------------------------------------------------

class SeasonsTest : public ::testing::Test {
 protected:
  SeasonsTest() : store_(Store::Open(dir_ / "pw.db")) {
    collector_.name = "inbox";
    config_.indicators = DefaultIndicators();
  }

  BatchSummary Ingest(const std::string& csv) {
    return IngestBody(csv, "text/csv", "test.csv", collector_, config_, *store_);
  }

  TempDir dir_;
  Config config_;
  CollectorConfig collector_;
  std::unique_ptr<Store> store_;
};

// Three years of weeks for three enterprises with the Spring Festival weeks down to a seventh,
// and months with January and February apart (festival-low) or as 1—2月, and ±30 % swings.
std::string SeasonalHistory(double slip_at_week_30_of_2024 = 1) {
  std::string csv = kHeader;
  for (int e = 1; e <= 3; ++e) {
    for (int year = 2023; year <= 2025; ++year) {
      for (int w = 1; w <= 52; ++w) {
        Period week = Period::Week(year, w);
        double v = 25.0 * e * (1 + 0.03 * ((w * 7 + e) % 5 - 2));
        // An assembly plant's festival: a seventh of normal in the festival's week.
        if (IsSpringFestivalWeek(week)) v *= (w % 2 ? 0.14 : 0.45);
        if (year == 2024 && w == 30 && e == 2) v *= slip_at_week_30_of_2024;
        csv += Row(e, week.ToString(), v);
      }
      for (int m = 1; m <= 12; ++m) {
        double v = 100.0 * e * (1 + 0.3 * ((m + e) % 3 - 1));  // -30 %, 0, +30 %
        if (e == 3 && m == 1) {  // one enterprise reports 1—2月 as one period, two months' worth
          csv += Row(e, Period::JanFeb(year).ToString(), 100.0 * e * 1.6);
          continue;
        }
        if (e == 3 && m == 2) continue;
        if (m == 1 || m == 2) v *= (m == 2 ? 0.45 : 0.7);  // the festival month
        csv += Row(e, Period::Month(year, m).ToString(), v);
      }
    }
  }
  return csv;
}

TEST_F(SeasonsTest, FestivalWeeksJanuaryFebruaryAndAMonthsThirtyPercentAreNeverHeld) {
  BatchSummary s = Ingest(SeasonalHistory());
  ASSERT_EQ(s.status, "committed") << SummaryLine(s) << JoinDiagnostics(s.errors);
  EXPECT_EQ(s.figures_held, 0) << SummaryLine(s);
  EXPECT_TRUE(QuarantinedFigures(*store_).empty());
  // Arriving week by week changes nothing: the 2026 festival weeks one file at a time.
  for (int w = 1; w <= 10; ++w) {
    Period week = Period::Week(2026, w);
    double v = 25.0 * (IsSpringFestivalWeek(week) ? 0.12 : 1);
    BatchSummary one = Ingest(kHeader + Row(1, week.ToString(), v));
    EXPECT_EQ(one.figures_held, 0) << week.ToString();
  }
}

TEST_F(SeasonsTest, YuanTypedAsWanYuanInAFestivalWeekIsHeldAllTheSame) {
  ASSERT_EQ(Ingest(SeasonalHistory()).figures_held, 0);
  Period festival;
  for (int w = 1; w <= 10 && !festival.valid(); ++w)
    if (IsSpringFestivalWeek(Period::Week(2025, w))) festival = Period::Week(2025, w);
  ASSERT_TRUE(festival.valid());
  // The festival week sent again, its yuan typed where 万元 belong: a revision, checked again.
  BatchSummary s = Ingest(kHeader + Row(1, festival.ToString(), 25.0 * 0.14 * 10000));
  ASSERT_EQ(s.figures_revised, 1);
  EXPECT_EQ(s.figures_held, 1) << "a festival week excuses a low figure, not a high one";
}

TEST_F(SeasonsTest, ASlipInsideAHistoryLoadIsTheOneFigureHeld) {
  BatchSummary s = Ingest(SeasonalHistory(10));
  ASSERT_EQ(s.status, "committed") << SummaryLine(s) << JoinDiagnostics(s.errors);
  ASSERT_EQ(s.figures_held, 1) << SummaryLine(s);
  std::vector<QuarantinedFigure> held = QuarantinedFigures(*store_);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].credit_code, TestCreditCode(2));
  EXPECT_EQ(held[0].period, Period::Week(2024, 30));
  EXPECT_EQ(held[0].exponent, 1);

  // The rules' view: the held week is in no table the measures read, and is reported all the same.
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(
      ParseRuleFile("groups:\n  - name: w\n    cadence: weekly\n    rules:\n"
                    "      - {alert: X, measure: yoy(output_value), levels: {red: -0.5}}\n",
                    "r.yml", &rules, &diagnostics));
  RuleData data;
  data.Load(*store_, config_, rules);
  auto e = data.IndexOfCode(TestCreditCode(2));
  ASSERT_TRUE(e);
  EXPECT_FALSE(data.Figures("output_value", Cadence::kWeekly)->Get(*e, Period::Week(2024, 30)));
  EXPECT_TRUE(data.Held("output_value", Cadence::kWeekly)->Get(*e, Period::Week(2024, 30)));
  EXPECT_TRUE(data.HasReported(*e, Period::Week(2024, 30)));
  EXPECT_TRUE(data.Figures("output_value", Cadence::kWeekly)->Get(*e, Period::Week(2024, 31)));
}

// --- What is held does not depend on the order figures arrive in -------------------------------

using HoldOrderTest = SeasonsTest;

TEST_F(HoldOrderTest, ASlipSentBeforeItsHistoryIsHeldWhenTheHistoryArrives) {
  // August first: no recent level to check it against, so it is let in for now.
  BatchSummary august = Ingest(SlippedAugust());
  ASSERT_EQ(august.status, "committed");
  EXPECT_EQ(august.figures_held, 0);
  // The history arrives: August is checked again against it, and held as a history load with
  // August in it would have held it.
  BatchSummary history = Ingest(History());
  EXPECT_EQ(history.figures_held, 1) << SummaryLine(history);
  std::vector<QuarantinedFigure> held = QuarantinedFigures(*store_);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].credit_code, TestCreditCode(1));
  EXPECT_EQ(held[0].period, Period::Month(2025, 8));
  EXPECT_EQ(held[0].exponent, -4);
  EXPECT_EQ(held[0].batch_id, august.batch_id) << "the batch that brought the figure";
  EXPECT_EQ(held[0].collector, "inbox");
}

TEST_F(HoldOrderTest, AHoldTheCorrectedHistoryNoLongerSupportsIsReleased) {
  // The enterprise's first two months came in 亿元 (1/10 000): its May, in 万元, looks 10 000
  // times its level and is held.
  ASSERT_EQ(Ingest(kHeader + Row(1, "2025-03", 0.0102) + Row(1, "2025-04", 0.0098)).figures_held,
            0);
  BatchSummary may = Ingest(kHeader + Row(1, "2025-05", 101));
  ASSERT_EQ(may.figures_held, 1) << SummaryLine(may);
  // March and April are revised to 万元: May is the enterprise's level after all.
  BatchSummary fixed = Ingest(kHeader + Row(1, "2025-03", 102) + Row(1, "2025-04", 98));
  EXPECT_EQ(fixed.figures_revised, 2);
  EXPECT_TRUE(QuarantinedFigures(*store_, /*decided=*/true).empty());
}

TEST_F(HoldOrderTest, APersonsDecisionStandsWhateverArrivesLaterUntilTheFigureIsRevised) {
  ASSERT_EQ(Ingest(SlippedAugust()).figures_held, 0);
  QuarantineDecision d;
  d.credit_code = TestCreditCode(1);
  d.period = Period::Month(2025, 8);
  d.who = "cli:test";
  d.source = "test";
  // Nothing held yet: nothing to decide.
  EXPECT_EQ(DecideQuarantine(*store_, d, UnitSlipRecheck(*store_, config_)).batch_id, 0);
  ASSERT_EQ(Ingest(History()).figures_held, 1);
  ASSERT_NE(DecideQuarantine(*store_, d, UnitSlipRecheck(*store_, config_)).batch_id, 0);
  // July revised: August is checked again, but a person has said it is right.
  Ingest(kHeader + Row(1, "2025-07", 105 * 1.02 + 1));
  std::vector<QuarantinedFigure> all = QuarantinedFigures(*store_, /*decided=*/true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, "confirmed");
  // Rejected, it stays rejected when July is revised again.
  d.confirm = false;
  ASSERT_NE(DecideQuarantine(*store_, d, UnitSlipRecheck(*store_, config_)).batch_id, 0);
  Ingest(kHeader + Row(1, "2025-07", 105 * 1.02 + 2));
  all = QuarantinedFigures(*store_, /*decided=*/true);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, "rejected");
  // The revision of August itself clears the decision and is checked afresh.
  Ingest(kHeader + Row(1, "2025-08", 105 * 1.04));
  EXPECT_TRUE(QuarantinedFigures(*store_, /*decided=*/true).empty());
}

// A period whose only figure goes into quarantine when its history arrives is judged all the
// same: the unit-slip rule fires on it, as the backtest of the same data does. (The daemon once
// re-evaluated only periods with a counted figure: found by 10 000 arrival orders.)
TEST_F(HoldOrderTest, AFigureHeldAloneInItsPeriodIsStillJudgedByTheRules) {
  RuleSet rules;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      ParseRuleFile("groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
                    "      - {alert: MonthlyUnitSlip, measure: unit_slip(output_value), "
                    "levels: {orange: 1}}\n",
                    "r.yml", &rules, &d))
      << JoinDiagnostics(d);
  AlertEngine engine(store_.get());
  const int64_t now = 1767225600;  // 2026-01-01
  engine.SetRules(std::make_shared<RuleSet>(rules), std::make_shared<Config>(config_), now);
  auto firing = [&] {
    AlertFilter f;
    f.state = AlertState::kFiring;
    return AlertStore(store_.get()).Active(f);
  };
  // August first, and only the first enterprise's: no level to check it against yet.
  BatchSummary august = Ingest(kHeader + Row(1, "2025-08", 105 * 1.04 / 10000));
  ASSERT_EQ(august.figures_held, 0);
  engine.OnBatch(august, now);
  EXPECT_TRUE(firing().empty());
  // The history arrives and holds August, the one figure of its month.
  BatchSummary history = Ingest(History());
  ASSERT_EQ(history.figures_held, 1) << SummaryLine(history);
  engine.OnBatch(history, now);
  std::vector<AlertRow> alerts = firing();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].labels.at("enterprise"), TestCreditCode(1));
  EXPECT_EQ(alerts[0].status.active_since_period, Period::Month(2025, 8));
}

}  // namespace
}  // namespace parkwatch
