// The rule evaluator at the size of a large park: 20,000 规上 enterprises (every tenth a key
// enterprise), five years of weekly output and electricity and of monthly output and value added,
// a monthly PPI per industry (bench/bench_park.h), and the default rule set
// (deploy/rules/default.yml).
//
// Compares a full pass of every default rule at the latest period with the incremental pass a
// batch from one enterprise triggers (`only` = that enterprise). Park, industry and pull rules
// depend on the whole park, so they run in full either way; the per-rule split shows what that
// costs. BM_IncrementalWeeklyRules is the pass restricted to the weekly group: what one
// enterprise's new week needs if the engine skipped the groups whose cadence the batch did not
// touch (today it re-evaluates every rule at its latest period, see PeriodsToEvaluate).
//
// Environment:
//   PARKWATCH_BENCH_ENTERPRISES  park size (default 20000; bench/run.sh --smoke uses 200)
//   PARKWATCH_BENCH_STORE        a store written by bench_store: the RuleData is loaded from it
//                                (RuleData::Load, as the daemon does) instead of built in memory
//
//   build/release/bench/evaluator_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/bench_park.h"
#include "core/severity.h"
#include "rules/evaluator.h"
#include "rules/measures.h"
#include "rules/rule_data.h"
#include "store/store.h"

#ifndef PARKWATCH_SOURCE_DIR
#define PARKWATCH_SOURCE_DIR "."
#endif

namespace parkwatch {
namespace {

int Enterprises() {
  const char* n = std::getenv("PARKWATCH_BENCH_ENTERPRISES");
  return n ? std::max(10, std::atoi(n)) : 20000;
}

struct Park {
  Config config;
  RuleSet rules;
  RuleData data;
  double load_seconds = 0;
  Park() {
    std::vector<Diagnostic> d;
    if (!LoadRuleFiles({std::string(PARKWATCH_SOURCE_DIR) + "/deploy/rules/default.yml"}, &rules,
                       &d))
      throw std::runtime_error("cannot load default rules: " + JoinDiagnostics(d));
    config.park_name = "bench park";
    for (const char* name : bench::kIndustries) config.industries.push_back(name);
    auto started = std::chrono::steady_clock::now();
    if (const char* path = std::getenv("PARKWATCH_BENCH_STORE")) {
      auto store = Store::Open(path);
      data.Load(*store, config, rules);
    } else {
      data.Prepare(config, rules);
      int n = Enterprises();
      for (int e = 0; e < n; ++e) {
        EnterpriseRow row;
        row.id = e + 1;
        row.credit_code = bench::CreditCode(e);
        row.name = bench::Name(e);
        row.industry = bench::Industry(e);
        row.key = bench::IsKey(e);
        EnterpriseIndex index = data.AddEnterprise(row);
        bench::EnterpriseFigures(e, [&](const char* indicator, Period p, double v) {
          data.PutFigure(index, indicator, p, v);
        });
      }
      bench::PriceIndices([&](const char* industry, Period p, double v) {
        data.PutPriceIndex(industry, "ppi", p, v);
      });
      data.Compact();
    }
    load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  // A key enterprise (index 1230 in the full park, the first one in a small park).
  std::set<EnterpriseIndex> One() const {
    auto e = data.IndexOfCode(bench::CreditCode(data.size() > 1230 ? 1230 : 0));
    if (!e) throw std::runtime_error("the bench enterprise is missing from the data");
    return {*e};
  }
};

const Park& GetPark() {
  static const Park* park = new Park();
  return *park;
}

Period LatestOf(const RuleGroup& group) {
  return group.cadence == Cadence::kWeekly ? Period::Week(bench::kLastYear, 52)
                                           : Period::Month(bench::kLastYear, 12);
}

// Every rule of the default set (or of its weekly groups) at its group's latest period; returns
// the outcome count.
size_t EvaluateAll(const Park& park, const Evaluator& evaluator,
                   const std::set<EnterpriseIndex>* only, bool weekly_only = false) {
  size_t outcomes = 0;
  for (const RuleGroup& group : park.rules.groups) {
    if (weekly_only && group.cadence != Cadence::kWeekly) continue;
    for (const RuleConfig& rule : group.rules)
      outcomes += evaluator.Evaluate(group, rule, park.data, LatestOf(group), only).size();
  }
  return outcomes;
}

void BM_FullEvaluation(benchmark::State& state) {
  const Park& park = GetPark();
  Evaluator evaluator(park.rules, park.config);
  size_t outcomes = 0;
  for (auto _ : state) {
    outcomes = EvaluateAll(park, evaluator, nullptr);
    benchmark::DoNotOptimize(outcomes);
  }
  state.counters["outcomes"] = static_cast<double>(outcomes);
  state.counters["enterprises"] = static_cast<double>(park.data.size());
  state.counters["load_s"] = park.load_seconds;
}
BENCHMARK(BM_FullEvaluation)->Unit(benchmark::kMillisecond);

void BM_IncrementalOneEnterprise(benchmark::State& state) {
  const Park& park = GetPark();
  Evaluator evaluator(park.rules, park.config);
  const std::set<EnterpriseIndex> only = park.One();
  size_t outcomes = 0;
  for (auto _ : state) {
    outcomes = EvaluateAll(park, evaluator, &only);
    benchmark::DoNotOptimize(outcomes);
  }
  state.counters["outcomes"] = static_cast<double>(outcomes);
}
BENCHMARK(BM_IncrementalOneEnterprise)->Unit(benchmark::kMillisecond);

void BM_IncrementalWeeklyRules(benchmark::State& state) {
  const Park& park = GetPark();
  Evaluator evaluator(park.rules, park.config);
  const std::set<EnterpriseIndex> only = park.One();
  size_t outcomes = 0;
  for (auto _ : state) {
    outcomes = EvaluateAll(park, evaluator, &only, /*weekly_only=*/true);
    benchmark::DoNotOptimize(outcomes);
  }
  state.counters["outcomes"] = static_cast<double>(outcomes);
}
BENCHMARK(BM_IncrementalWeeklyRules)->Unit(benchmark::kMicrosecond);

// One rule at a time (arg = index in the default set), full and incremental, to show where the
// time goes.
void BM_Rule(benchmark::State& state) {
  const Park& park = GetPark();
  Evaluator evaluator(park.rules, park.config);
  int wanted = static_cast<int>(state.range(0)), i = 0;
  const RuleGroup* group = nullptr;
  const RuleConfig* rule = nullptr;
  for (const RuleGroup& g : park.rules.groups)
    for (const RuleConfig& r : g.rules)
      if (i++ == wanted) group = &g, rule = &r;
  if (!rule) {
    state.SkipWithError("no such rule");
    return;
  }
  const std::set<EnterpriseIndex> only = park.One();
  const std::set<EnterpriseIndex>* restrict = state.range(1) ? &only : nullptr;
  std::vector<RuleOutcome> outcomes;
  for (auto _ : state) {
    outcomes = evaluator.Evaluate(*group, *rule, park.data, LatestOf(*group), restrict);
    benchmark::DoNotOptimize(outcomes.data());
  }
  state.SetLabel(rule->name + (restrict ? " (only 1)" : " (full)"));
  state.counters["outcomes"] = static_cast<double>(outcomes.size());
  // What bench/evaluate.sql must find too: the outcomes with a value, and each level's count.
  state.counters["valued"] = static_cast<double>(
      std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.value; }));
  double sum = 0;  // and the sum of the values, which must agree to rounding
  for (const RuleOutcome& o : outcomes) sum += o.value.value_or(0);
  state.counters["sum"] = sum;
  for (Severity level : kWarningColours)
    state.counters[std::string(SeverityName(level))] = static_cast<double>(std::count_if(
        outcomes.begin(), outcomes.end(), [&](const auto& o) { return o.level == level; }));
}
BENCHMARK(BM_Rule)
    ->ArgsProduct({benchmark::CreateDenseRange(0, 13, 1), {0, 1}})  // the 14 default rules
    ->ArgNames({"rule", "only"})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace parkwatch

BENCHMARK_MAIN();
