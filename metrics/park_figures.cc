#include "metrics/park_figures.h"

#include "core/records.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

#include "core/records.h"
#include "rules/measures.h"

namespace parkwatch {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kIndicators[] = {"output_value", "value_added", "electricity"};

// China Standard Time; see PeriodEndUnixSeconds.
constexpr int64_t kParkUtcOffsetSeconds = 8 * 3600;

// Jan and Feb stored separately belong to the combined Jan–Feb period (NBS practice).
Period Normalize(Period p) {
  if (p.monthly() && p.first_month() <= 2 && p.last_month() <= 2) return Period::JanFeb(p.year());
  return p;
}

std::vector<FigureMetricDef> BuildDefs() {
  struct Ind {
    const char* name;
    const char* unit;  // base unit suffix of the level
    const char* title;
    const char* unit_text;
  };
  const Ind inds[] = {{"output_value", "yuan", "industrial output value (工业总产值)", "yuan"},
                      {"value_added", "yuan", "industrial value added (工业增加值)", "yuan"},
                      {"electricity", "kwh", "electricity use (用电量)", "kWh"}};
  struct Sc {
    FigureScope scope;
    const char* name;
    const char* text;
  };
  const Sc scopes[] = {
      {FigureScope::kEnterprise, "enterprise", "of an enterprise"},
      {FigureScope::kIndustry, "industry", "of an industry's above-size enterprises"},
      {FigureScope::kPark, "park", "of the park's above-size enterprises"}};
  std::vector<FigureMetricDef> defs;
  for (const Sc& s : scopes) {
    for (const Ind& i : inds) {
      std::string base = std::string("parkwatch_") + s.name + "_" + i.name;
      std::string what = std::string(i.title) + " " + s.text;
      defs.push_back({base + "_" + i.unit,
                      "Current " + what + " in the period labelled, in " + i.unit_text + ".",
                      s.scope, i.name, FigureQuantity::kLevel});
      defs.push_back({base + "_yoy_ratio",
                      "Year-on-year growth (同比) of the " + what +
                          " in the period labelled, same-enterprise caliber, as a ratio.",
                      s.scope, i.name, FigureQuantity::kYoY});
      defs.push_back({base + "_ytd_ratio",
                      "Year-to-date cumulative growth (累计同比, months 1..N) of the " + what +
                          ", same-enterprise caliber, as a ratio; monthly cadence only.",
                      s.scope, i.name, FigureQuantity::kYtd});
    }
    if (s.scope != FigureScope::kPark) {
      defs.push_back({std::string("parkwatch_") + s.name + "_output_value_pull_ratio",
                      std::string("Pull (拉动) ") + s.text +
                          " on the park's year-on-year output growth, as a ratio (x100 = "
                          "percentage points); the pulls of all enterprises sum to the park's "
                          "growth.",
                      s.scope, "output_value", FigureQuantity::kPull});
    }
  }
  return defs;
}

}  // namespace

const std::vector<FigureMetricDef>& FigureMetricDefs() {
  static const std::vector<FigureMetricDef> defs = BuildDefs();
  return defs;
}

int64_t PeriodEndUnixSeconds(Period p) {
  using namespace std::chrono;
  sys_days next_day = sys_days(p.LastDay()) + days(1);
  return duration_cast<seconds>(next_day.time_since_epoch()).count() - kParkUtcOffsetSeconds;
}

struct ParkFigures::Data {
  std::vector<EnterpriseInfo> infos;
  std::vector<SeriesLabels> members[3];  // by FigureScope
  // tables[cadence index][indicator index]
  std::vector<FigureTable> tables[2];
  std::vector<Period> periods[2];
  std::map<Period, int> reporters[2];  // enterprises with any figure, by normalized period
  std::vector<Period> last_report[2];  // by enterprise; invalid = never reported

  static int CadenceIndex(Cadence c) { return c == Cadence::kWeekly ? 0 : 1; }

  const FigureTable& Table(Cadence c, const std::string& indicator) const {
    for (size_t i = 0; i < std::size(kIndicators); ++i)
      if (indicator == kIndicators[i]) return tables[CadenceIndex(c)][i];
    return tables[CadenceIndex(c)][0];
  }

  std::vector<EnterpriseIndex> Park(int year) const {
    return SelectScope(infos, ScopeFilter{.above_size_in = year});
  }
  std::vector<EnterpriseIndex> Industry(int industry, int year) const {
    return SelectScope(infos, ScopeFilter{.industry = industry, .above_size_in = year});
  }
};

ParkFigures::ParkFigures(Store& store, const Config& config) : data_(std::make_unique<Data>()) {
  Data& d = *data_;
  // Industries: the configured ones in their order, then any other name in the register.
  std::vector<std::string> industries = config.industries;
  std::vector<EnterpriseRow> rows = store.Enterprises();
  // Industry series (a price index) are stored under pseudo-enterprises: not part of the park.
  std::erase_if(rows, [](const EnterpriseRow& r) {
    return r.credit_code.rfind(kIndustrySeriesPrefix, 0) == 0;
  });
  {
    std::set<std::string> extra;
    for (const auto& r : rows)
      if (!r.industry.empty() &&
          std::find(industries.begin(), industries.end(), r.industry) == industries.end())
        extra.insert(r.industry);
    industries.insert(industries.end(), extra.begin(), extra.end());
  }
  for (const auto& name : industries) d.members[1].push_back({{"industry", name}});
  d.members[2].push_back({});

  std::unordered_map<int64_t, EnterpriseIndex> index;
  for (const auto& r : rows) {
    index[r.id] = static_cast<EnterpriseIndex>(d.infos.size());
    EnterpriseInfo info;
    auto it = std::find(industries.begin(), industries.end(), r.industry);
    info.industry = it == industries.end() ? -1 : static_cast<int32_t>(it - industries.begin());
    info.key = r.key;
    info.above_size_since = r.above_size_since.value_or(0);
    info.above_size_until = r.above_size_until.value_or(0);
    d.infos.push_back(info);
    d.members[0].push_back({{"credit_code", r.credit_code},
                            {"name", r.name},
                            {"industry", r.industry},
                            {"key", r.key ? "true" : "false"}});
  }

  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    int c = Data::CadenceIndex(cadence);
    d.last_report[c].assign(rows.size(), Period());
    std::map<Period, std::vector<char>> seen;
    for (const char* indicator : kIndicators) {
      FigureTable table(cadence, IndicatorKind::kLevel);
      store.ForEachFigure(indicator, cadence, [&](int64_t id, Period p, double value) {
        auto it = index.find(id);
        if (it == index.end() || !table.Put(it->second, p, value)) return;
        Period n = Normalize(p);
        auto& flags = seen[n];
        if (flags.empty()) flags.assign(rows.size(), 0);
        flags[it->second] = 1;
        Period& last = d.last_report[c][it->second];
        if (!last.valid() || last < n) last = n;
      });
      table.Compact();
      d.tables[c].push_back(std::move(table));
    }
    for (const auto& [p, flags] : seen) {
      d.periods[c].push_back(p);
      d.reporters[c][p] = static_cast<int>(std::count(flags.begin(), flags.end(), 1));
    }
  }
}

ParkFigures::~ParkFigures() = default;

const std::vector<SeriesLabels>& ParkFigures::Members(FigureScope scope) const {
  return data_->members[static_cast<int>(scope)];
}

const std::vector<Period>& ParkFigures::Periods(Cadence cadence) const {
  return data_->periods[Data::CadenceIndex(cadence)];
}

std::optional<Period> ParkFigures::LatestComplete(Cadence cadence) const {
  const auto& reporters = data_->reporters[Data::CadenceIndex(cadence)];
  std::optional<Period> latest;
  for (auto it = reporters.begin(); it != reporters.end(); ++it) {
    // Most reporters of any period in the year up to this one (same period last year excluded,
    // so a year-old burst of entrants does not make every later period look incomplete).
    int most = 0;
    Period year_before = SamePeriodYearsBefore(it->first, 1);
    for (auto back = std::make_reverse_iterator(std::next(it)); back != reporters.rend(); ++back) {
      if (year_before.valid() && back->first <= year_before) break;
      most = std::max(most, back->second);
    }
    if (2 * it->second > most) latest = it->first;
  }
  return latest;
}

std::vector<double> ParkFigures::Values(const FigureMetricDef& def, Period t) const {
  const Data& d = *data_;
  const auto& members = Members(def.scope);
  std::vector<double> out(members.size(), kNaN);
  if (def.quantity == FigureQuantity::kYtd && !t.monthly()) return out;
  Measures measures(d.Table(t.cadence(), def.indicator), d.infos);
  std::vector<EnterpriseIndex> park = d.Park(t.year());

  if (def.quantity == FigureQuantity::kPull && def.scope == FigureScope::kEnterprise) {
    // One pass over the park rather than one park sum per enterprise.
    for (const auto& p : measures.PullsByEnterprise(park, t)) out[p.enterprise] = p.pull;
    return out;
  }
  auto measure = [&](Scope scope) -> double {
    MeasureResult r;
    switch (def.quantity) {
      case FigureQuantity::kLevel:
        r = measures.Level(scope, t);
        break;
      case FigureQuantity::kYoY:
        r = measures.YoY(scope, t);
        break;
      case FigureQuantity::kYtd:
        r = measures.YtdYoY(scope, t);
        break;
      case FigureQuantity::kPull:
        r = measures.Pull(scope, park, t);
        break;
    }
    // A level over a scope where nobody reported is "no figure", not a sum of zero.
    if (r.ok() && def.quantity == FigureQuantity::kLevel && r.enterprises == 0) return kNaN;
    return r.ok() && std::isfinite(*r.value) ? *r.value : kNaN;
  };
  for (size_t i = 0; i < members.size(); ++i) {
    switch (def.scope) {
      case FigureScope::kEnterprise: {
        EnterpriseIndex e = static_cast<EnterpriseIndex>(i);
        out[i] = measure(Scope(&e, 1));
        break;
      }
      case FigureScope::kIndustry:
        out[i] = measure(d.Industry(static_cast<int>(i), t.year()));
        break;
      case FigureScope::kPark:
        out[i] = measure(park);
        break;
    }
  }
  return out;
}

std::vector<std::pair<int, Period>> ParkFigures::LastReports(Cadence cadence, Period at) const {
  const Data& d = *data_;
  std::vector<std::pair<int, Period>> out;
  const auto& last = d.last_report[Data::CadenceIndex(cadence)];
  for (size_t e = 0; e < last.size(); ++e)
    if (last[e].valid() && d.infos[e].AboveSizeIn(at.year()))
      out.emplace_back(static_cast<int>(e), last[e]);
  return out;
}

int ParkFigures::PeriodsBetween(Period from, Period to) {
  int n = 0;
  // Bounded: ten years of weeks is ~520 steps; anything further is reported as that far.
  for (Period p = from; p < to && n < 1000; p = NextPeriod(p, true)) ++n;
  return n;
}

}  // namespace parkwatch
