// Daemon = backtest, whatever the arrival order: the same final figures, delivered as files in a
// random order with late weeks, wrong first versions corrected later and duplicates, leave the
// alert engine (real SQLite store, real ingest) with exactly the alert states, observation logs
// and episodes that `backtest` computes on the final data. The figures carry unit slips (元
// typed as 万元 and the like), some before the enterprise has any history: every order ends with
// the same figures held in quarantine as the final data loaded at once. PARKWATCH_SOAK=1 runs
// 10 000 orders (`make soak`, on the release build). The same holds when the batches are
// evaluated in piles (the daemon evaluates the files waiting in its queue together), in the
// engine and in the real daemon with all the files dropped into its inbox at once. The register
// (each enterprise's industry and key flag) arrives among the figures, at random points and in
// wrong versions first: every period's outcome reads the final register, as in the backtest. And
// when the figures are written by another process and the engine catches up with them, reading
// back from the store what each batch changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <set>
#include <tuple>

#include "alerts/backtest.h"
#include "alerts/engine.h"
#include "collectors/ingest.h"
#include "store/quarantine.h"
#include "tests/support/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using testing::DaemonProcess;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

const char* kRules = R"(
groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: OutputDrop
        measure: yoy(output_value)
        levels: {yellow: -0.10, orange: -0.20, red: -0.30}
        clear: -0.03
        for: 2
        keep_firing_for: 1
      - alert: IndustryDrop
        scope: industry
        measure: yoy(output_value)
        levels: {yellow: -0.05, red: -0.15}
        clear: 0
      - alert: Declines
        measure: consecutive_declines(output_value)
        levels: {yellow: 3, red: 5}
      - alert: WeeklyUnitSlip
        measure: unit_slip(output_value)
        levels: {orange: 1}
      - alert: KeyOutputDrop
        where: {key: true}
        measure: yoy(output_value)
        levels: {yellow: -0.08, red: -0.25}
        clear: -0.02
        for: 2
  - name: monthly
    cadence: monthly
    rules:
      - alert: IndustryYtd
        scope: industry
        measure: ytd_yoy(output_value)
        levels: {yellow: -0.04, red: -0.10}
        clear: 0
        for: 2
      - alert: MonthlyUnitSlip
        measure: unit_slip(output_value)
        levels: {orange: 1}
)";

constexpr int kEnterprises = 4;
constexpr int kFirstWeek = 10, kLastWeek = 18;
constexpr int kLastMonth = 5;  // Jan–Feb .. May

// One figure: enterprise, period, value.
struct Figure {
  int enterprise;
  Period period;
  double value;
};

// One enterprise's entry in the register: what the rules read of it for every period.
struct Attributes {
  int enterprise;
  std::string industry;
  bool key;
};

// One file as it arrives: figures, or (register_rows) a register batch.
struct Arrival {
  std::vector<Figure> rows;
  int final_index = -1;  // for a wrong first version: the file that corrects it
  std::vector<Attributes> register_rows;
};

// The figures' files name no industry and no key flag: those come from the register alone.
std::string Csv(const std::vector<Figure>& rows) {
  std::string csv = "统一社会信用代码,企业名称,报告期,工业总产值(万元)\n";
  char value[32];
  for (const Figure& f : rows) {
    std::snprintf(value, sizeof value, "%.2f", f.value);
    csv += TestCreditCode(f.enterprise) + ",企业" + std::to_string(f.enterprise) + "," +
           f.period.ToString() + "," + value + "\n";
  }
  return csv;
}

std::string RegisterCsv(const std::vector<Attributes>& rows) {
  std::string csv = "统一社会信用代码,企业名称,行业,重点企业\n";
  for (const Attributes& a : rows)
    csv += TestCreditCode(a.enterprise) + ",企业" + std::to_string(a.enterprise) + "," +
           a.industry + "," + (a.key ? "是" : "否") + "\n";
  return csv;
}

// The collector a register batch comes through (collectors/register.cc: a register file or an
// entry set through the API).
CollectorConfig RegisterCollector() {
  CollectorConfig c;
  c.name = "register";
  c.type = "register";
  c.reapply = true;
  return c;
}

const char* const kIndustries[] = {"装备制造", "医药化工", "电子信息"};

// Attributes drawn at random: an industry of three, key or not.
Attributes RandomAttributes(int enterprise, std::mt19937& rng) {
  std::uniform_int_distribution<int> industry(0, 2);
  std::bernoulli_distribution key(0.5);
  return {enterprise, kIndustries[industry(rng)], key(rng)};
}

// The final register: every enterprise in one of three industries (an industry may have none),
// about half of them key. At most two in an industry: an industry's total is summed in the order
// the enterprises first arrived in the store, and with three the last bit of a sum can differ
// from the backtest's store, which has another order.
std::vector<Attributes> FinalRegister(std::mt19937& rng) {
  std::vector<Attributes> out;
  for (;;) {
    out.clear();
    std::map<std::string, int> members;
    for (int e = 1; e <= kEnterprises; ++e) {
      out.push_back(RandomAttributes(e, rng));
      ++members[out.back().industry];
    }
    if (std::all_of(members.begin(), members.end(), [](const auto& m) { return m.second <= 2; }))
      return out;
  }
}

// The final figures of one park: a base year and a year with drops that come and go, and unit
// slips (×10 000, ×1 000, ×10, 1/10) in about one figure in twelve, at any period — the first
// ones have too little history before them to be told from the enterprise's level.
std::vector<Figure> FinalFigures(std::mt19937& rng) {
  std::uniform_real_distribution<double> noise(-0.04, 0.04);
  std::uniform_real_distribution<double> drop(0.0, 0.45);
  std::bernoulli_distribution dropping(0.3);
  std::bernoulli_distribution slipping(1.0 / 12);
  std::uniform_int_distribution<int> slip(0, 3);
  const double kSlips[] = {10000, 1000, 10, 0.1};
  std::vector<Figure> out;
  for (int e = 1; e <= kEnterprises; ++e) {
    double base = 100.0 * e;
    for (int w = kFirstWeek; w <= kLastWeek; ++w) {
      double b = base * (1 + noise(rng));
      out.push_back({e, Period::Week(2024, w), b});
      out.push_back(
          {e, Period::Week(2025, w), b * (1 + noise(rng) - (dropping(rng) ? drop(rng) : 0))});
    }
    for (int m = 2; m <= kLastMonth; ++m) {
      Period p2024 = m == 2 ? Period::JanFeb(2024) : Period::Month(2024, m);
      Period p2025 = m == 2 ? Period::JanFeb(2025) : Period::Month(2025, m);
      double b = base * 4 * (1 + noise(rng));
      out.push_back({e, p2024, b});
      out.push_back({e, p2025, b * (1 + noise(rng) - (dropping(rng) ? drop(rng) : 0))});
    }
  }
  for (Figure& f : out)
    if (slipping(rng)) f.value *= kSlips[slip(rng)];
  return out;
}

// The figures as files in a random order: each period in one or two files, some figures first
// with a wrong value that a later file corrects, some files sent twice.
std::vector<Arrival> Arrivals(const std::vector<Figure>& final, std::mt19937& rng,
                              const std::vector<Attributes>* register_final = nullptr) {
  std::map<Period, std::vector<Figure>> by_period;
  for (const Figure& f : final) by_period[f.period].push_back(f);
  std::vector<Arrival> files;
  std::bernoulli_distribution split(0.5), wrong(0.15), duplicate(0.1);
  std::uniform_real_distribution<double> factor(0.3, 1.8);
  for (auto& [period, rows] : by_period) {
    std::shuffle(rows.begin(), rows.end(), rng);
    size_t cut = split(rng) ? rows.size() / 2 : rows.size();
    for (auto part : {std::vector<Figure>(rows.begin(), rows.begin() + static_cast<long>(cut)),
                      std::vector<Figure>(rows.begin() + static_cast<long>(cut), rows.end())}) {
      if (part.empty()) continue;
      int final_index = static_cast<int>(files.size());
      files.push_back({part, -1});
      for (const Figure& f : part)
        if (wrong(rng))
          files.push_back({{{f.enterprise, f.period, f.value * factor(rng)}}, final_index});
    }
  }
  // A random order in which every wrong version comes before its correction.
  std::vector<int> order(files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<size_t> position(files.size());
  for (size_t i = 0; i < order.size(); ++i) position[static_cast<size_t>(order[i])] = i;
  for (size_t f = 0; f < files.size(); ++f) {
    int fix = files[f].final_index;
    if (fix < 0 || position[f] < position[static_cast<size_t>(fix)]) continue;
    std::swap(order[position[f]], order[position[static_cast<size_t>(fix)]]);
    std::swap(position[f], position[static_cast<size_t>(fix)]);
  }
  std::vector<Arrival> out;
  for (int i : order) {
    out.push_back(files[static_cast<size_t>(i)]);
    if (files[static_cast<size_t>(i)].final_index < 0 && duplicate(rng))
      out.push_back(files[static_cast<size_t>(i)]);  // sent again at once or, below, later
  }
  // Duplicates of final files moved later still repeat the final value.
  for (size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i].final_index < 0 && out[i + 1].final_index < 0 &&
        Csv(out[i].rows) == Csv(out[i + 1].rows)) {
      std::uniform_int_distribution<size_t> later(i + 1, out.size() - 1);
      Arrival copy = out[i + 1];
      out.erase(out.begin() + static_cast<long>(i) + 1);
      out.insert(out.begin() + static_cast<long>(later(rng)), copy);
    }
  if (!register_final) return out;
  // Each enterprise's entry in up to two wrong versions (another industry, the key flag the other
  // way), then the final one, at random points among the figures: before all of them, between,
  // after all of them. Sometimes the final entries come as one file (a register file), after
  // every wrong version.
  std::uniform_real_distribution<double> when(0, 1);
  std::uniform_int_distribution<int> wrong_versions(0, 2);
  std::vector<std::pair<double, Arrival>> timed;
  for (size_t i = 0; i < out.size(); ++i)
    timed.emplace_back((static_cast<double>(i) + 0.5) / static_cast<double>(out.size()), out[i]);
  const bool one_file = std::bernoulli_distribution(0.3)(rng);
  double last_wrong = 0;
  for (const Attributes& final_entry : *register_final) {
    const int versions = wrong_versions(rng) + 1;
    std::vector<double> times;
    for (int v = 0; v < versions; ++v) times.push_back(when(rng));
    std::sort(times.begin(), times.end());
    for (int v = 0; v + 1 < versions; ++v) {
      Arrival a;
      a.register_rows = {RandomAttributes(final_entry.enterprise, rng)};
      timed.emplace_back(times[static_cast<size_t>(v)], a);
      last_wrong = std::max(last_wrong, times[static_cast<size_t>(v)]);
    }
    if (!one_file) {
      Arrival a;
      a.register_rows = {final_entry};
      timed.emplace_back(times.back(), a);
    }
  }
  if (one_file) {
    Arrival a;
    a.register_rows = *register_final;
    timed.emplace_back(last_wrong + (1 - last_wrong) * when(rng), a);
  }
  std::stable_sort(timed.begin(), timed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out.clear();
  for (auto& [time, arrival] : timed) out.push_back(std::move(arrival));
  return out;
}

// Ingests one arrival into store, through the register's collector for a register batch.
BatchSummary IngestArrival(const Arrival& a, const Config& config, Store& store) {
  if (!a.register_rows.empty())
    return IngestBody(RegisterCsv(a.register_rows), "text/csv", "register", RegisterCollector(),
                      config, store);
  CollectorConfig collector;
  collector.name = "test";
  return IngestBody(Csv(a.rows), "text/csv", "test", collector, config, store);
}

// The figures in quarantine: enterprise, period, how far off, state.
std::set<std::tuple<std::string, Period, int, std::string>> HeldFigures(Store& store) {
  std::set<std::tuple<std::string, Period, int, std::string>> out;
  for (const QuarantinedFigure& f : QuarantinedFigures(store, /*decided=*/true))
    out.emplace(f.credit_code, f.period, f.exponent, f.state);
  return out;
}

// Expects store's alerts (states, observation logs, episodes) to be what `backtest` computes on
// the final data loaded at once, and the same figures held in quarantine; adds those to *held.
void ExpectSameAsBacktest(Store& store, const std::vector<Figure>& final,
                          const std::vector<Attributes>& register_final, const Config& config,
                          const RuleSet& rules, int* held) {
  CollectorConfig collector;
  collector.name = "test";
  TempDir reference_dir;
  auto reference = Store::Open(reference_dir / "pw.db");
  ASSERT_EQ(IngestBody(Csv(final), "text/csv", "final", collector, config, *reference).status,
            "committed");
  ASSERT_EQ(IngestBody(RegisterCsv(register_final), "text/csv", "register", RegisterCollector(),
                       config, *reference)
                .status,
            "committed");
  EXPECT_EQ(HeldFigures(store), HeldFigures(*reference));
  *held += static_cast<int>(HeldFigures(*reference).size());

  RuleData data;
  data.Load(*reference, config, rules);
  using std::chrono::year;
  BacktestResult expected = Backtest(rules, config, data, year(2024) / 1, year(2025) / 12);
  AlertStore alerts(&store);
  std::set<std::string> compared;
  for (const RuleBacktest& rule : expected.rules) {
    for (const auto& [fp, want] : rule.final_status) {
      SCOPED_TRACE(rule.rule + " " + fp);
      compared.insert(fp);
      std::optional<AlertRow> got = alerts.Get(fp);
      ASSERT_TRUE(got) << "the daemon never observed it";
      const AlertStatus& s = got->status;
      EXPECT_EQ(s.log, want.log);
      EXPECT_EQ(s.state, want.state);
      EXPECT_EQ(s.severity, want.severity);
      EXPECT_EQ(s.breach_count, want.breach_count);
      EXPECT_EQ(s.clear_count, want.clear_count);
      EXPECT_EQ(s.first_breach_period, want.first_breach_period);
      EXPECT_EQ(s.active_since_period, want.active_since_period);
      EXPECT_EQ(s.last_period, want.last_period);
      EXPECT_EQ(s.value, want.value);
    }
    // The episodes, replayed from the daemon's logs, are the backtest's.
    for (const BacktestEpisode& e : rule.episodes) {
      std::optional<AlertRow> got = alerts.Get(Fingerprint(rule.rule, e.labels));
      ASSERT_TRUE(got);
      if (e.ongoing) {
        EXPECT_EQ(got->status.state, AlertState::kFiring);
      }
    }
  }
  // Nothing the backtest does not know of holds data in the daemon.
  Statement all(store.db(), "SELECT fingerprint FROM alerts WHERE log != ''");
  while (all.Step()) EXPECT_TRUE(compared.count(all.Text(0))) << all.Text(0);
}

// How the engine is told of the batches: each as it is committed, or in piles of random size
// (OnBatches), as the daemon evaluates the files that waited in its queue together; or the
// figures' files are written by another process (`parkwatch ingest`, on a connection of its own)
// and the engine catches up with them at random points (CatchUp, the daemon's minute tick),
// reading back from the store what they changed, while the register's entries come through the
// daemon itself (its API).
enum class Evaluation { kEachBatch, kInPiles, kCaughtUp };

// Runs orders [first, first + count) and compares each with the backtest of its final data;
// adds the figures held at the end of each to *held_in_all_orders.
void CheckOrders(int first, int count, int* held_in_all_orders,
                 Evaluation evaluation = Evaluation::kEachBatch) {
  std::vector<Diagnostic> d;
  Config config;
  TempDir config_dir;
  ASSERT_TRUE(ParseConfig("", config_dir / "pw.yml", &config, &d));
  RuleSet rules;
  ASSERT_TRUE(ParseRuleFile(kRules, "rules.yml", &rules, &d)) << JoinDiagnostics(d);
  auto rules_ptr = std::make_shared<RuleSet>(rules);
  auto config_ptr = std::make_shared<Config>(config);
  const int64_t now = 1767225600;  // 2026-01-01: all of it is history

  for (int seed = first; seed < first + count; ++seed) {
    SCOPED_TRACE("order " + std::to_string(seed));
    std::mt19937 rng(static_cast<unsigned>(seed / 20));  // a new park every 20 orders
    std::vector<Figure> final = FinalFigures(rng);
    std::vector<Attributes> register_final = FinalRegister(rng);
    rng.seed(static_cast<unsigned>(seed) * 7919u + 1);
    std::vector<Arrival> arrivals = Arrivals(final, rng, &register_final);

    TempDir dir;
    auto store = Store::Open(dir / "pw.db");
    // What is tested is the order, not durability: no fsync per batch (thousands of them).
    sqlite3_exec(store->db(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
    AlertEngine engine(store.get());
    engine.SetRules(rules_ptr, config_ptr, now);
    std::unique_ptr<Store> other;
    if (evaluation == Evaluation::kCaughtUp) {
      other = Store::Open(dir / "pw.db");
      sqlite3_exec(other->db(), "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
    }
    BatchUnion pile;
    std::bernoulli_distribution pile_ends(0.25);
    for (size_t i = 0; i < arrivals.size(); ++i) {
      const bool elsewhere = other && arrivals[i].register_rows.empty();
      BatchSummary s = IngestArrival(arrivals[i], config, elsewhere ? *other : *store);
      ASSERT_TRUE(s.status == "committed" || s.status == "duplicate")
          << s.status << JoinDiagnostics(s.errors);
      if (evaluation == Evaluation::kCaughtUp) {
        if (!elsewhere) {
          EngineResult r = engine.OnBatch(s, now);
          ASSERT_TRUE(r.errors.empty()) << r.errors[0];
        }
        if (i + 1 < arrivals.size() && !pile_ends(rng)) continue;
        EngineResult r = engine.CatchUp(now);
        ASSERT_TRUE(r.errors.empty()) << r.errors[0];
        continue;
      }
      if (evaluation == Evaluation::kEachBatch) {
        EngineResult r = engine.OnBatch(s, now);
        ASSERT_TRUE(r.errors.empty()) << r.errors[0];
        continue;
      }
      if (s.status == "committed") pile.Add(s);
      if (pile.empty() || (i + 1 < arrivals.size() && !pile_ends(rng))) continue;
      EngineResult r = engine.OnBatches(pile, now);
      ASSERT_TRUE(r.errors.empty()) << r.errors[0];
      pile = BatchUnion();
    }
    EXPECT_TRUE(store->UnevaluatedBatches().empty());

    // The final data loaded at once: what is held is the same, and so is everything after it.
    ExpectSameAsBacktest(*store, final, register_final, config, rules, held_in_all_orders);
    if (::testing::Test::HasFailure()) return;
  }
}

// 200 orders in eight cases of 25 (ctest gives each case its own time limit). PARKWATCH_SOAK=1
// runs 10 000, 1 250 in each case: `make soak` runs them on the release build, the cases spread
// over the cores with gtest's sharding (under ASan+UBSan 10 000 orders took over an hour on two
// cores; the 200 of `make test` keep the sanitizers on this code).
class ArrivalOrderTest : public ::testing::TestWithParam<int> {};

TEST_P(ArrivalOrderTest, AnyOrderOfTheSameFiguresEndsAsTheBacktest) {
  const int per_case = std::getenv("PARKWATCH_SOAK") != nullptr ? 10000 / 8 : 25;
  int held = 0;
  // PARKWATCH_ORDER=N runs order N alone (in case 0): the trace of a failure names N.
  if (const char* one = std::getenv("PARKWATCH_ORDER")) {
    if (GetParam() != 0) GTEST_SKIP() << "PARKWATCH_ORDER runs in case 0";
    CheckOrders(std::atoi(one), 1, &held);
    return;
  }
  CheckOrders(GetParam() * per_case, per_case, &held);
  EXPECT_GT(held, 0) << "no unit slip was held: the orders did not test the quarantine";
}

INSTANTIATE_TEST_SUITE_P(Orders, ArrivalOrderTest, ::testing::Range(0, 8));

// The same with the batches evaluated in piles: 100 orders in four cases of 25, 2 500 in `make
// soak`.
class PiledArrivalOrderTest : public ::testing::TestWithParam<int> {};

TEST_P(PiledArrivalOrderTest, AnyOrderEvaluatedInPilesEndsAsTheBacktest) {
  const int per_case = std::getenv("PARKWATCH_SOAK") != nullptr ? 2500 / 4 : 25;
  int held = 0;
  CheckOrders(100000 + GetParam() * per_case, per_case, &held, Evaluation::kInPiles);
  EXPECT_GT(held, 0) << "no unit slip was held: the orders did not test the quarantine";
}

INSTANTIATE_TEST_SUITE_P(Orders, PiledArrivalOrderTest, ::testing::Range(0, 4));

// The same with the figures written by another process and caught up with: 50 orders in two
// cases of 25, 2 000 in `make soak`.
class CaughtUpArrivalOrderTest : public ::testing::TestWithParam<int> {};

TEST_P(CaughtUpArrivalOrderTest, AnyOrderWrittenByAnotherProcessEndsAsTheBacktest) {
  const int per_case = std::getenv("PARKWATCH_SOAK") != nullptr ? 2000 / 2 : 25;
  int held = 0;
  CheckOrders(200000 + GetParam() * per_case, per_case, &held, Evaluation::kCaughtUp);
  EXPECT_GT(held, 0) << "no unit slip was held: the orders did not test the quarantine";
}

INSTANTIATE_TEST_SUITE_P(Orders, CaughtUpArrivalOrderTest, ::testing::Range(0, 2));

// A late batch another process wrote is read back from the store whole — the figures it set and
// the later ones its unit-slip check held or let back in — and followed only as far as its
// changes reach, as the daemon follows a batch it ingested itself: a figure of week 11 (first
// wrong, by a factor that reads as a unit slip, then corrected) re-decides week 11, the weeks
// whose recent level reads it and the week a year on, not every week to the latest.
TEST(CaughtUpReachTest, ALateBatchOfAnotherProcessIsEvaluatedOnlyAsFarAsItReaches) {
  std::vector<Diagnostic> d;
  Config config;
  TempDir config_dir;
  ASSERT_TRUE(ParseConfig("", config_dir / "pw.yml", &config, &d));
  RuleSet rules;
  ASSERT_TRUE(ParseRuleFile(kRules, "rules.yml", &rules, &d)) << JoinDiagnostics(d);
  const int64_t now = 1767225600;
  std::mt19937 rng(2027);
  std::vector<Figure> final = FinalFigures(rng);
  std::vector<Attributes> register_final = FinalRegister(rng);
  // Two years of weeks 10–18 and months Jan–Feb to May: a later year to reach into.
  const Figure* late = nullptr;
  for (const Figure& f : final)
    if (f.enterprise == 2 && f.period == Period::Week(2024, 11)) late = &f;
  ASSERT_TRUE(late);
  const std::vector<Arrival> late_batches = {{{{2, late->period, late->value * 10000}}}, {{*late}}};

  // How the late batches are evaluated: caught up with from the store, as the daemon's own, and
  // from the earliest period they touched to the latest.
  enum class Path { kCaughtUp, kOwn, kToLatest };
  std::map<Path, std::vector<int64_t>> observations;
  for (Path path : {Path::kCaughtUp, Path::kOwn, Path::kToLatest}) {
    SCOPED_TRACE(static_cast<int>(path));
    TempDir dir;
    auto store = Store::Open(dir / "pw.db");
    AlertEngine engine(store.get());
    engine.SetRules(std::make_shared<RuleSet>(rules), std::make_shared<Config>(config), now);
    for (const Arrival& a : {Arrival{final}, Arrival{{}, -1, register_final}}) {
      BatchSummary s = IngestArrival(a, config, *store);
      ASSERT_EQ(s.status, "committed") << JoinDiagnostics(s.errors);
      engine.OnBatch(s, now);
    }
    auto other = Store::Open(dir / "pw.db");  // `parkwatch ingest` while the daemon runs
    for (const Arrival& a : late_batches) {
      EngineResult r;
      if (path == Path::kCaughtUp) {
        ASSERT_EQ(IngestArrival(a, config, *other).status, "committed");
        r = engine.CatchUp(now);
      } else {
        BatchUnion batch(IngestArrival(a, config, *store));
        if (path == Path::kToLatest) batch.reach = BatchReach::kToLatest;
        r = engine.OnBatches(batch, now);
      }
      ASSERT_TRUE(r.errors.empty()) << r.errors[0];
      observations[path].push_back(r.observations);
    }
    EXPECT_TRUE(store->UnevaluatedBatches().empty());
    int held = 0;
    ExpectSameAsBacktest(*store, final, register_final, config, rules, &held);
  }
  EXPECT_EQ(observations[Path::kCaughtUp], observations[Path::kOwn]);
  for (size_t i = 0; i < late_batches.size(); ++i)
    EXPECT_LT(observations[Path::kCaughtUp][i], observations[Path::kToLatest][i]) << i;
  std::cerr << "observations of the late batches, caught up: " << observations[Path::kCaughtUp][0]
            << " and " << observations[Path::kCaughtUp][1]
            << "; to the latest period: " << observations[Path::kToLatest][0] << " and "
            << observations[Path::kToLatest][1] << "\n";
}

// How many lines of text match pattern.
int CountMatches(const std::string& text, const std::regex& pattern) {
  return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), pattern),
                                        std::sregex_iterator()));
}

// The real daemon, a real inbox: every file of a park dropped in at once, in a random order with
// wrong first versions corrected later and duplicates. The daemon ends where the backtest ends,
// and the files that waited in its queue were evaluated together: fewer rule passes ("rules
// after batches …" in its log) than batches.
TEST(DaemonArrivalOrderTest, FilesDroppedAtOnceEndAsTheBacktestInFewerPassesThanFiles) {
  TempDir dir;
  std::mt19937 rng(2026);
  std::vector<Figure> final = FinalFigures(rng);
  std::vector<Attributes> register_final = FinalRegister(rng);
  std::vector<Arrival> arrivals = Arrivals(final, rng);
  WriteFile(dir / "rules.yml", kRules);
  WriteFile(dir / "register.csv", RegisterCsv(register_final));
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "collectors:\n"
            "  - {name: inbox, type: inbox, directory: inbox}\n"
            "register: {file: register.csv}\n"
            "rule_files: [rules.yml]\n");
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;

  // Written aside, then renamed in one after the other: a folder copied into the inbox.
  for (size_t i = 0; i < arrivals.size(); ++i)
    WriteFile(dir / ("staging/" + std::to_string(i) + ".csv"), Csv(arrivals[i].rows));
  for (size_t i = 0; i < arrivals.size(); ++i)
    fs::rename(dir / ("staging/" + std::to_string(i) + ".csv"),
               dir / ("inbox/" + std::to_string(1000 + i) + ".csv"));
  auto filed = [&] {
    size_t n = 0;
    for (const char* where : {"inbox/processed", "inbox/rejected"})
      if (fs::exists(dir / where))
        for (const auto& f : fs::directory_iterator(dir / where))
          n += f.path().extension() == ".csv";
    return n;
  };
  ASSERT_TRUE(WaitFor([&] { return filed() == arrivals.size(); }, 120000)) << daemon.Log();
  // Every committed batch evaluated: the batches the last pass names reach the last committed.
  const std::regex committed(": committed batch ([0-9]+)");
  const std::regex pass("rules after batch(es [0-9]+–([0-9]+) \\([0-9]+\\)| ([0-9]+)):");
  auto evaluated_to_the_last = [&] {
    std::string log = daemon.Log();
    int64_t last_committed = 0, last_evaluated = 0;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), committed);
         it != std::sregex_iterator(); ++it)
      last_committed = std::max<int64_t>(last_committed, std::stoll((*it)[1]));
    for (auto it = std::sregex_iterator(log.begin(), log.end(), pass); it != std::sregex_iterator();
         ++it)
      last_evaluated = std::max<int64_t>(
          last_evaluated, std::stoll((*it)[2].matched ? (*it)[2].str() : (*it)[3].str()));
    return last_committed > 0 && last_evaluated == last_committed;
  };
  ASSERT_TRUE(WaitFor(evaluated_to_the_last, 120000)) << daemon.Log();
  ASSERT_EQ(daemon.Stop(), 0);

  const std::string log = daemon.Log();
  const int batches = CountMatches(log, committed);
  const int passes = CountMatches(log, pass);
  EXPECT_GT(batches, 20) << log;
  EXPECT_GE(passes, 1) << log;
  EXPECT_LT(passes, batches) << "each file was evaluated on its own\n" << log;
  std::cerr << arrivals.size() << " files, " << batches << " batches committed, evaluated in "
            << passes << " passes\n";

  Config config;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseConfig("", dir / "reference.yml", &config, &d));
  RuleSet rules;
  ASSERT_TRUE(ParseRuleFile(kRules, "rules.yml", &rules, &d)) << JoinDiagnostics(d);
  auto store = Store::Open(dir / "pw.db");
  EXPECT_TRUE(store->UnevaluatedBatches().empty());
  int held = 0;
  ExpectSameAsBacktest(*store, final, register_final, config, rules, &held);
}

}  // namespace
}  // namespace parkwatch
