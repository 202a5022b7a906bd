#include "metrics/park_figures.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>

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
      // Value-added growth in both bases where a price index can deflate it (see the header).
      const bool value_added = std::string(i.name) == "value_added";
      std::vector<PriceBasis> prices;
      std::string basis;
      if (value_added && s.scope == FigureScope::kEnterprise) {
        prices = {PriceBasis::kCurrent};
        basis = ", labelled prices=\"current\" (现价; an enterprise has no price index)";
      } else if (value_added) {
        prices = {PriceBasis::kComparable, PriceBasis::kCurrent};
        basis = std::string(
                    ", labelled prices=\"comparable\" (可比价, deflated by each "
                    "industry's price index ") +
                kFigureDeflator +
                ", where it covers the scope) or prices=\"current\" (现价); the default "
                "rules use comparable where it exists, current otherwise";
      } else if (std::string(i.name) == "output_value") {
        basis = ", at current prices (现价)";
      }
      defs.push_back({base + "_" + i.unit,
                      "Current " + what + " in the period labelled, in " + i.unit_text + ".",
                      s.scope, i.name, FigureQuantity::kLevel});
      defs.push_back({base + "_yoy_ratio",
                      "Year-on-year growth (同比) of the " + what +
                          " in the period labelled, same-enterprise caliber, as a ratio" + basis +
                          ".",
                      s.scope, i.name, FigureQuantity::kYoY, prices});
      defs.push_back({base + "_ytd_ratio",
                      "Year-to-date cumulative growth (累计同比, months 1..N) of the " + what +
                          ", same-enterprise caliber, as a ratio; monthly cadence only" + basis +
                          ".",
                      s.scope, i.name, FigureQuantity::kYtd, prices});
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

const char* PriceBasisLabel(PriceBasis basis) {
  return basis == PriceBasis::kComparable ? "comparable" : "current";
}

int64_t PeriodEndUnixSeconds(Period p) {
  using namespace std::chrono;
  sys_days next_day = sys_days(p.LastDay()) + days(1);
  return duration_cast<seconds>(next_day.time_since_epoch()).count() - kParkUtcOffsetSeconds;
}

std::vector<std::pair<std::string, Cadence>> FigureTables() {
  std::vector<std::pair<std::string, Cadence>> tables;
  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly})
    for (const char* indicator : kIndicators) tables.emplace_back(indicator, cadence);
  return tables;
}

std::vector<std::pair<std::string, Cadence>> FigurePriceIndices() {
  return {{kFigureDeflator, Cadence::kWeekly}, {kFigureDeflator, Cadence::kMonthly}};
}

struct ParkFigures::Data {
  std::unique_ptr<RuleData> owned;       // the store constructor's view
  const RuleData* view = nullptr;        // the view read: owned, or the caller's
  std::vector<SeriesLabels> members[3];  // by FigureScope
  std::vector<SeriesLabels> info;        // by enterprise
  std::vector<int32_t> industry_index;   // the view's index of each industry member; -1 = none
  const FigureTable* tables[2][std::size(kIndicators)] = {};  // [cadence][indicator]
  std::vector<Period> periods[2];
  std::optional<Period> latest_complete[2];

  static int CadenceIndex(Cadence c) { return c == Cadence::kWeekly ? 0 : 1; }

  const FigureTable* Table(Cadence c, const std::string& indicator) const {
    for (size_t i = 0; i < std::size(kIndicators); ++i)
      if (indicator == kIndicators[i]) return tables[CadenceIndex(c)][i];
    return nullptr;
  }

  std::vector<EnterpriseIndex> Park(int year) const {
    return SelectScope(view->infos(), ScopeFilter{.above_size_in = year});
  }
  std::vector<EnterpriseIndex> Industry(int32_t industry, int year) const {
    return SelectScope(view->infos(), ScopeFilter{.industry = industry, .above_size_in = year});
  }

  // Enterprises with a figure of any of the three indicators in any of `cells` (the stored
  // periods that make up one normalized period: Jan, Feb and Jan–Feb for Jan–Feb).
  int Reporters(int c, const std::vector<Period>& cells) const {
    std::vector<char> seen(view->size(), 0);
    int count = 0;
    for (const FigureTable* table : tables[c]) {
      if (!table) continue;
      for (Period cell : cells) {
        FigureTable::Column column = table->At(cell);
        if (column.empty()) continue;
        for (size_t e = 0; e < seen.size(); ++e)
          if (!seen[e] && column.Get(static_cast<EnterpriseIndex>(e))) {
            seen[e] = 1;
            ++count;
          }
      }
    }
    return count;
  }
};

ParkFigures::ParkFigures(const RuleData& data, const Config& config)
    : data_(std::make_unique<Data>()) {
  data_->view = &data;
  Build(config);
}

ParkFigures::ParkFigures(Store& store, const Config& config) : data_(std::make_unique<Data>()) {
  data_->owned = std::make_unique<RuleData>();
  data_->owned->KeepTables(FigureTables(), FigurePriceIndices());
  data_->owned->Load(store, config, RuleSet{});
  data_->view = data_->owned.get();
  Build(config);
}

void ParkFigures::Build(const Config& config) {
  Data& d = *data_;
  const RuleData& view = *d.view;

  // Industries: the configured ones in their order, then any other an enterprise belongs to
  // (an industry known only from its price index has no figures of its own).
  std::vector<std::string> industries = config.industries;
  std::set<std::string> extra;
  for (const EnterpriseInfo& info : view.infos()) {
    const std::string& name = view.IndustryName(info.industry);
    if (!name.empty() && std::find(industries.begin(), industries.end(), name) == industries.end())
      extra.insert(name);
  }
  industries.insert(industries.end(), extra.begin(), extra.end());
  for (const auto& name : industries) {
    d.members[1].push_back({{"industry", name}});
    d.industry_index.push_back(view.IndustryIndex(name));
  }
  d.members[2].push_back({});

  d.members[0].reserve(view.size());
  d.info.reserve(view.size());
  for (size_t e = 0; e < view.size(); ++e) {
    const EnterpriseRow& row = view.row(static_cast<EnterpriseIndex>(e));
    d.members[0].push_back({{"enterprise", row.credit_code}});
    d.info.push_back({{"enterprise", row.credit_code},
                      {"name", row.name},
                      {"industry", row.industry},
                      {"key", row.key ? "true" : "false"}});
  }

  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    int c = Data::CadenceIndex(cadence);
    for (size_t i = 0; i < std::size(kIndicators); ++i)
      d.tables[c][i] = view.Figures(kIndicators[i], cadence);
    // Normalized period -> the stored periods it is made of.
    std::map<Period, std::vector<Period>> cells;
    for (const FigureTable* table : d.tables[c]) {
      if (!table) continue;
      for (Period p : table->Periods()) {
        auto& list = cells[Normalize(p)];
        if (std::find(list.begin(), list.end(), p) == list.end()) list.push_back(p);
      }
    }
    for (const auto& entry : cells) d.periods[c].push_back(entry.first);

    // The latest complete period, from the newest back: counting reporters costs a pass over
    // the register per period, and only the last year or so is ever looked at. Most reporters
    // of any period in the year up to the candidate (same period last year excluded, so a
    // year-old burst of entrants does not make every later period look incomplete).
    const std::vector<Period>& periods = d.periods[c];
    std::vector<int> reporters(periods.size(), -1);
    auto count = [&](size_t i) {
      if (reporters[i] < 0) reporters[i] = d.Reporters(c, cells[periods[i]]);
      return reporters[i];
    };
    for (size_t i = periods.size(); i-- > 0;) {
      int most = 0;
      Period year_before = SamePeriodYearsBefore(periods[i], 1);
      for (size_t j = i + 1; j-- > 0;) {
        if (year_before.valid() && periods[j] <= year_before) break;
        most = std::max(most, count(j));
      }
      if (2 * count(i) > most) {
        d.latest_complete[c] = periods[i];
        break;
      }
    }
  }
}

ParkFigures::~ParkFigures() = default;

const std::vector<SeriesLabels>& ParkFigures::Members(FigureScope scope) const {
  return data_->members[static_cast<int>(scope)];
}

const std::vector<SeriesLabels>& ParkFigures::InfoLabels() const { return data_->info; }

const std::vector<Period>& ParkFigures::Periods(Cadence cadence) const {
  return data_->periods[Data::CadenceIndex(cadence)];
}

std::optional<Period> ParkFigures::LatestComplete(Cadence cadence) const {
  return data_->latest_complete[Data::CadenceIndex(cadence)];
}

std::vector<double> ParkFigures::Values(const FigureMetricDef& def, Period t,
                                        PriceBasis prices) const {
  const Data& d = *data_;
  const auto& members = Members(def.scope);
  std::vector<double> out(members.size(), kNaN);
  const FigureTable* table = d.Table(t.cadence(), def.indicator);
  if (!table || (def.quantity == FigureQuantity::kYtd && !t.monthly())) return out;
  // Comparable prices as a rule's `prices: comparable` computes them (rules/evaluator.cc): the
  // same Measures with the price index; where it does not cover a scope, that member has none.
  MeasureOptions options;
  if (prices == PriceBasis::kComparable) {
    options.price_index = d.view->PriceIndex(kFigureDeflator, t.cadence());
    if (!options.price_index || options.price_index->Periods().empty()) return out;
  }
  Measures measures(*table, d.view->infos(), options);
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
        if (d.industry_index[i] >= 0) out[i] = measure(d.Industry(d.industry_index[i], t.year()));
        break;
      case FigureScope::kPark:
        out[i] = measure(park);
        break;
    }
  }
  return out;
}

std::vector<std::pair<int, Period>> ParkFigures::LastReports(Cadence cadence, Period at) const {
  const RuleData& view = *data_->view;
  std::vector<std::pair<int, Period>> out;
  for (size_t e = 0; e < view.size(); ++e) {
    auto index = static_cast<EnterpriseIndex>(e);
    std::optional<Period> last = view.LastReported(index, cadence);
    if (last && view.info(index).AboveSizeIn(at.year()))
      out.emplace_back(static_cast<int>(e), Normalize(*last));
  }
  return out;
}

int ParkFigures::PeriodsBetween(Period from, Period to) {
  int n = 0;
  // Bounded: ten years of weeks is ~520 steps; anything further is reported as that far.
  for (Period p = from; p < to && n < 1000; p = NextPeriod(p, true)) ++n;
  return n;
}

}  // namespace parkwatch
