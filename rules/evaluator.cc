#include "rules/evaluator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/spring_festival.h"
#include "core/time_text.h"
#include "rules/measures.h"

namespace parkwatch {
namespace {

bool CombinesJanFeb(const RuleGroup& group) {
  return group.cadence == Cadence::kMonthly && group.combine_jan_feb;
}

// A single January or February as the group sees it: Jan–Feb when combined.
Period Canonical(Period p, bool combine_jan_feb) {
  if (combine_jan_feb && p.monthly() && !p.is_jan_feb() && p.first_month() <= 2)
    return Period::JanFeb(p.year());
  return p;
}

bool DependsOnWhole(MeasureKind kind) {
  return kind == MeasureKind::kPull || kind == MeasureKind::kContribution ||
         kind == MeasureKind::kShare;
}

}  // namespace

// --------------------------------------------------------------------------------------------

struct Evaluator::Context {
  const RuleGroup& group;
  const RuleConfig& rule;
  const RuleData& data;
  Period t;
  const std::set<EnterpriseIndex>* only;
  bool combine;
  const Config& config;

  // An outcome of this evaluation, before its measurement.
  RuleOutcome Outcome() const {
    RuleOutcome o;
    o.rule = &rule;
    o.group = &group;
    o.period = t;
    o.data = &data;
    o.config = &config;
    return o;
  }
};

namespace {

// Enterprises passing a rule's selector and above designated size in year, ascending. When
// candidates is given only those are looked at (incremental evaluation).
class MemberFilter {
 public:
  MemberFilter(const Selector& where, const RuleData& data, int year)
      : where_(where), data_(data), year_(year) {
    for (const auto& name : where.industries) industries_.insert(data.IndustryIndex(name));
    for (const auto& code : where.enterprises)
      if (auto e = data.IndexOfCode(code)) enterprises_.insert(*e);
  }

  bool Passes(EnterpriseIndex e) const {
    const EnterpriseInfo& info = data_.info(e);
    if (!info.AboveSizeIn(year_)) return false;
    if (where_.key && info.key != *where_.key) return false;
    if (!where_.industries.empty() && !industries_.count(info.industry)) return false;
    if (!where_.enterprises.empty() && !enterprises_.count(e)) return false;
    return true;
  }

  std::vector<EnterpriseIndex> All() const {
    std::vector<EnterpriseIndex> out;
    for (size_t i = 0; i < data_.size(); ++i)
      if (Passes(static_cast<EnterpriseIndex>(i))) out.push_back(static_cast<EnterpriseIndex>(i));
    return out;
  }

  template <typename Range>
  std::vector<EnterpriseIndex> Among(const Range& candidates) const {
    std::vector<EnterpriseIndex> out;
    for (EnterpriseIndex e : candidates)
      if (e >= 0 && static_cast<size_t>(e) < data_.size() && Passes(e)) out.push_back(e);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  const Selector& where_;
  const RuleData& data_;
  int year_;
  std::unordered_set<int32_t> industries_;
  std::unordered_set<EnterpriseIndex> enterprises_;
};

// The park's members in year regardless of any selector: the whole of pulls and shares.
std::vector<EnterpriseIndex> ParkMembers(const RuleData& data, int year) {
  Selector everyone;
  return MemberFilter(everyone, data, year).All();
}

// Members grouped by industry (industry -1, unknown, left out).
std::map<int32_t, std::vector<EnterpriseIndex>> ByIndustry(const RuleData& data,
                                                           const std::vector<EnterpriseIndex>& m) {
  std::map<int32_t, std::vector<EnterpriseIndex>> out;
  for (EnterpriseIndex e : m)
    if (int32_t i = data.info(e).industry; i >= 0) out[i].push_back(e);
  return out;
}

// Options whose reasons name enterprises by name and credit code (常德甲药业（9143…）, as a
// person finds it in the register), industries by name.
MeasureOptions NamedOptions(const RuleData& data) {
  MeasureOptions options;
  options.enterprise_name = [&data](EnterpriseIndex e) { return data.EnterpriseWording(e); };
  options.industry_name = [&data](int32_t i) {
    const std::string& name = data.IndustryName(i);
    return name.empty() ? "(unknown)" : name;
  };
  return options;
}

MeasureResult NoData(Wording reason) {
  MeasureResult r;
  r.no_data_reason = std::move(reason);
  return r;
}

// A rule's indicator the rule data was not prepared with (a configuration error).
Wording NotLoaded(const std::string& indicator, Cadence cadence) {
  return {"indicator " + indicator + " (" + std::string(CadenceName(cadence)) +
              ") is not loaded for the rules",
          std::string("规则没有载入") + (cadence == Cadence::kWeekly ? "周度" : "月度") + "指标 " +
              indicator};
}

MeasureResult Compute(const Measures& m, const MeasureSpec& spec, Scope part, Scope whole,
                      Period t) {
  switch (spec.kind) {
    case MeasureKind::kLevel:
    case MeasureKind::kValue:
      return m.Level(part, t);
    case MeasureKind::kYoy:
      return m.YoY(part, t);
    case MeasureKind::kYtdYoy:
      return m.YtdYoY(part, t);
    case MeasureKind::kMom:
      return m.MoM(part, t);
    case MeasureKind::kTwoYearAvg:
      return m.TwoYearAverage(part, t);
    case MeasureKind::kShare:
      return m.Share(part, whole, t);
    case MeasureKind::kPull:
      return m.Pull(part, whole, t);
    case MeasureKind::kContribution:
      return m.Contribution(part, whole, t);
    case MeasureKind::kConsecutiveDeclines:
      return m.ConsecutiveDeclines(part, t, GrowthBasis::kYoY, spec.by);
    case MeasureKind::kChange:
      return m.Change(part, t, spec.against_previous);
    case MeasureKind::kUnitSlip:
      return NoData({"unit_slip() is evaluated per enterprise", "unit_slip() 只按企业评估"});
    case MeasureKind::kFall:
      return NoData({"fall() is evaluated per enterprise", "fall() 只按企业评估"});
  }
  return NoData({"unknown measure", "未知的度量"});
}

std::optional<double> MildestThreshold(const Thresholds& th) {
  for (int i = 1; i <= 4; ++i)
    if (th.levels[i]) return th.levels[i];
  return std::nullopt;
}

// Whom an outcome is about, with what thresholds and targets depend on. Plain indices and
// references: the strings of an outcome are built only when asked (rules/outcome.h).
struct Member {
  ScopeKind scope = ScopeKind::kEnterprise;
  EnterpriseIndex enterprise = -1;   // scope enterprise
  int32_t industry = -1;             // scope industry
  const std::string* industry_name;  // for ThresholdsFor: the enterprise's or the scope's
  const std::string* credit_code;    // for ThresholdsFor: the enterprise's
  const std::string* set = nullptr;  // scope set
};

const std::string kNoName;

Member EnterpriseMember(const RuleData& data, EnterpriseIndex e) {
  return {ScopeKind::kEnterprise, e, -1, &data.IndustryName(data.info(e).industry),
          &data.row(e).credit_code};
}

Member IndustryMember(const RuleData& data, int32_t industry) {
  return {ScopeKind::kIndustry, -1, industry, &data.IndustryName(industry), &kNoName};
}

Member ParkMember() { return {ScopeKind::kPark, -1, -1, &kNoName, &kNoName}; }

Member SetMember(const std::string& set) {
  return {ScopeKind::kSet, -1, -1, &kNoName, &kNoName, &set};
}

// The key of a member in RuleSet::targets: "park", "industry:<name>", the credit code or
// "set:<name>".
std::string TargetKey(const Member& m) {
  switch (m.scope) {
    case ScopeKind::kEnterprise:
      return *m.credit_code;
    case ScopeKind::kIndustry:
      return "industry:" + *m.industry_name;
    case ScopeKind::kPark:
      return "park";
    case ScopeKind::kSet:
      return "set:" + *m.set;
  }
  return "";
}

// The member a target is missing for, as a person says it: 园区, 医药化工行业, the enterprise.
std::string TargetWho(const Member& m, const RuleData& data) {
  switch (m.scope) {
    case ScopeKind::kEnterprise:
      return data.row(m.enterprise).name.empty() ? *m.credit_code : data.row(m.enterprise).name;
    case ScopeKind::kIndustry:
      return *m.industry_name + "行业";
    case ScopeKind::kPark:
      return "园区";
    case ScopeKind::kSet:
      return "“" + *m.set + "”";
  }
  return "";
}

}  // namespace

Evaluator::Evaluator(const RuleSet& rules, const Config& config) : rules_(rules), config_(config) {}

namespace {

// Fills identity, level, clearance and threshold of an outcome whose value (or no_data_reason)
// is set.
void Finish(const RuleConfig& rule, const Member& member, RuleOutcome& o) {
  const Thresholds& th = rule.ThresholdsFor(*member.industry_name, *member.credit_code);
  if (o.value) {
    o.level = th.Classify(*o.value);
    o.cleared = th.Cleared(*o.value);
  }
  o.threshold =
      o.level != Severity::kNone ? th.levels[static_cast<int>(o.level)] : MildestThreshold(th);
  o.scope = member.scope;
  o.enterprise = member.enterprise;
  o.industry = member.industry;
}

}  // namespace

namespace {

// Measures that read the same period of earlier years, which the festival distorts.
bool ComparesWithLastYear(const RuleConfig& rule) {
  if (rule.kind == RuleKind::kAnomaly) return true;
  switch (rule.measure.kind) {
    case MeasureKind::kYoy:
    case MeasureKind::kYtdYoy:
    case MeasureKind::kTwoYearAvg:
    case MeasureKind::kPull:
    case MeasureKind::kContribution:
    case MeasureKind::kConsecutiveDeclines:
    case MeasureKind::kChange:
    case MeasureKind::kFall:
      return true;
    default:
      return false;
  }
}

// t or the week it is compared with a year before lies in a festival season.
bool InFestivalSeason(Period t) {
  auto base = t.SameLastYear();
  return IsSpringFestivalWeek(t) || (base && IsSpringFestivalWeek(*base));
}

}  // namespace

bool Evaluator::SkipsFestival(const RuleGroup& group, const RuleConfig& rule, Period t) {
  return group.exclude_spring_festival && rule.kind != RuleKind::kMissingReport &&
         ComparesWithLastYear(rule) && t.valid() && t.weekly() && InFestivalSeason(t);
}

std::vector<RuleOutcome> Evaluator::Evaluate(const RuleGroup& group, const RuleConfig& rule,
                                             const RuleData& data, Period t,
                                             const std::set<EnterpriseIndex>* only) const {
  std::vector<RuleOutcome> out;
  bool combine = CombinesJanFeb(group);
  if (!t.valid() || t.cadence() != group.cadence) return out;
  if (Canonical(t, combine) != t) return out;  // January or February alone: not a period
  if (SkipsFestival(group, rule, t))
    return out;  // no observation: the alert keeps its state through the festival
  Context c{group, rule, data, t, only, combine, config_};
  switch (rule.kind) {
    case RuleKind::kThreshold:
      EvaluateThreshold(c, &out);
      break;
    case RuleKind::kAnomaly:
      EvaluateAnomaly(c, &out);
      break;
    case RuleKind::kMissingReport:
      EvaluateMissing(c, &out);
      break;
  }
  return out;
}

// One threshold rule at one period, in stages: what every member shares (the table, the price
// basis, the measures: Prepare), each scope's members measured (Measure, or one pass over a
// whole for pulls, contributions, unit slips and shares), and each outcome finished against its
// target and levels (Emit).
class Evaluator::ThresholdRun {
 public:
  ThresholdRun(const RuleSet& rules, const Context& c, std::vector<RuleOutcome>* out)
      : rules_(rules),
        c_(c),
        spec_(c.rule.measure),
        out_(out),
        filter_(c.rule.where, c.data, c.t.year()),
        whole_based_(DependsOnWhole(spec_.kind)),
        only_(whole_based_ ? nullptr : c.only) {
    Prepare();
    if (whole_based_) park_ = ParkMembers(c.data, c.t.year());
  }

  void Run() {
    switch (c_.rule.scope) {
      case ScopeKind::kEnterprise:
        ForEnterprises();
        break;
      case ScopeKind::kIndustry:
        ForIndustries();
        break;
      case ScopeKind::kPark: {
        std::vector<EnterpriseIndex> members = filter_.All();
        const std::string year = std::to_string(c_.t.year());
        Emit(ParkMember(), members.empty()
                               ? NoData({"no enterprise of the park is in scope in " + year,
                                         year + "年园区没有在规则范围内的企业"})
                               : Measure(members, park_));
        break;
      }
      case ScopeKind::kSet: {
        std::vector<EnterpriseIndex> candidates;
        if (auto it = rules_.sets.find(c_.rule.set); it != rules_.sets.end())
          for (const auto& code : it->second)
            if (auto e = c_.data.IndexOfCode(code)) candidates.push_back(*e);
        std::vector<EnterpriseIndex> members = filter_.Among(candidates);
        const std::string year = std::to_string(c_.t.year());
        Emit(SetMember(c_.rule.set), members.empty()
                                         ? NoData({"no enterprise of set " + c_.rule.set +
                                                       " is above designated size in " + year,
                                                   year + "年“" + c_.rule.set + "”中没有规上企业"})
                                         : Measure(members, park_));
        break;
      }
    }
  }

 private:
  // The table, the options at comparable and at current prices, and a problem that applies to
  // every member (a table or price index the data was not prepared with).
  void Prepare() {
    const FigureTable* table = c_.data.Figures(spec_.indicator, c_.group.cadence);
    if (!table) common_ = NotLoaded(spec_.indicator, c_.group.cadence);
    MeasureOptions options = NamedOptions(c_.data);
    options.combine_jan_feb = c_.combine;
    // Only the unit-slip measure reads held figures: its alert says why they are held.
    if (spec_.kind == MeasureKind::kUnitSlip)
      options.held = c_.data.Held(spec_.indicator, c_.group.cadence);
    const MeasureOptions current_options = options;
    // The basis each outcome is labelled with; comparable_or_current falls back per outcome.
    fallback_ = spec_.prices == PriceBasis::kComparableOrCurrent;
    if (spec_.comparable_prices) {
      options.price_index = c_.data.PriceIndex(spec_.deflator, c_.group.cadence);
      if (options.price_index && options.price_index->Periods().empty() && fallback_)
        options.price_index = nullptr;  // never ingested: current prices, labelled so
      if (options.price_index) basis_ = "comparable";
      if (!options.price_index && !fallback_ && common_.empty())
        common_ = {"price index " + spec_.deflator + " is not loaded for the rules",
                   "规则没有载入价格指数 " + spec_.deflator};
    }
    deflated_ = options.price_index != nullptr;
    // Measures needs a table even when there is none; an empty one stands in and is never read.
    static const FigureTable kEmptyWeekly(Cadence::kWeekly, IndicatorKind::kLevel);
    static const FigureTable kEmptyMonthly(Cadence::kMonthly, IndicatorKind::kLevel);
    const FigureTable& figures =
        table ? *table : (c_.group.cadence == Cadence::kWeekly ? kEmptyWeekly : kEmptyMonthly);
    measures_.emplace(figures, c_.data.infos(), options);
    current_.emplace(figures, c_.data.infos(), current_options);
    outcome_basis_ = basis_;
  }

  // The spec's measure at comparable prices, or at current prices where the price index cannot
  // deflate it and the rule allows that (comparable_or_current). Sets the outcome's basis.
  MeasureResult Measure(Scope part, Scope whole) {
    outcome_basis_ = basis_;
    MeasureResult r = Compute(*measures_, spec_, part, whole, c_.t);
    if (!r.ok() && fallback_ && deflated_) {
      MeasureResult at_current = Compute(*current_, spec_, part, whole, c_.t);
      if (at_current.ok()) {
        outcome_basis_ = "current";
        return at_current;
      }
    }
    return r;
  }

  // Appends member's outcome: the result against the rule's target, classified by its levels.
  void Emit(const Member& member, MeasureResult result) {
    RuleOutcome o = c_.Outcome();
    if (spec_.kind != MeasureKind::kConsecutiveDeclines && spec_.kind != MeasureKind::kUnitSlip &&
        result.ok())
      o.price_basis = outcome_basis_;
    if (!common_.empty()) result = NoData(common_);
    std::optional<double> measured = result.value;
    if (!c_.rule.target.empty()) {
      // A missing target is a gap in the configuration whatever the data says, so it is the
      // reason given even when the measure has no data either.
      std::string key = TargetKey(member);
      if (auto target = rules_.Target(c_.rule.target, key)) {
        o.target = *target;
        if (measured) result.value = *measured - *target;
      } else {
        result = NoData(
            {"no target \"" + c_.rule.target + "\" for " + key + " in the targets table",
             "目标表中没有" + TargetWho(member, c_.data) + "的目标“" + c_.rule.target + "”"});
      }
    }
    o.value = result.value;
    o.no_data_reason = std::move(result.no_data_reason);
    o.measured = measured;
    if (o.value && member.scope != ScopeKind::kEnterprise) {  // an enterprise's: AddFigures
      o.total = result.total;
      o.total_year_ago = result.total_year_ago;
    }
    Finish(c_.rule, member, o);
    out_->push_back(std::move(o));
  }

  void ForEnterprises() {
    std::vector<EnterpriseIndex> members = only_ ? filter_.Among(*only_) : filter_.All();
    out_->reserve(members.size());
    switch (spec_.kind) {
      case MeasureKind::kPull:
      case MeasureKind::kContribution:
        EmitPulls(members);
        break;
      case MeasureKind::kUnitSlip:
        EmitUnitSlips(members);
        break;
      case MeasureKind::kFall:
        EmitFalls(members);
        break;
      case MeasureKind::kShare: {
        std::map<int32_t, std::vector<EnterpriseIndex>> by_industry;
        if (spec_.whole == "industry") by_industry = ByIndustry(c_.data, park_);
        for (EnterpriseIndex e : members) {
          Scope whole = park_;
          if (spec_.whole == "industry") whole = by_industry[c_.data.info(e).industry];
          Emit(EnterpriseMember(c_.data, e), measures_->Share(Scope(&e, 1), whole, c_.t));
        }
        break;
      }
      default:
        for (EnterpriseIndex e : members)
          Emit(EnterpriseMember(c_.data, e), Measure(Scope(&e, 1), {}));
    }
  }

  // Pulls and contributions: one pass per whole instead of one Pull per enterprise (each would
  // re-sum the whole).
  void EmitPulls(const std::vector<EnterpriseIndex>& members) {
    struct Found {
      double pull = 0;
      std::optional<double> contribution;
      bool in_caliber = false;
    };
    std::vector<Found> found(c_.data.size());
    std::map<int32_t, Wording> failures;  // whole (industry, or -1 = park) -> reason
    auto collect = [&](Scope whole, int32_t key) {
      Wording reason;
      for (const auto& p : measures_->PullsByEnterprise(whole, c_.t, &reason))
        found[static_cast<size_t>(p.enterprise)] = {p.pull, p.contribution, true};
      if (!reason.empty()) failures[key] = reason;
    };
    const bool of_industry = spec_.whole == "industry";
    if (of_industry) {
      for (const auto& [industry, whole] : ByIndustry(c_.data, park_)) collect(whole, industry);
    } else {
      collect(park_, -1);
    }
    for (EnterpriseIndex e : members) {
      const int32_t key = of_industry ? c_.data.info(e).industry : -1;
      const Found& f = found[static_cast<size_t>(e)];
      MeasureResult r;
      if (auto failure = failures.find(key); failure != failures.end()) {
        r = NoData(
            (of_industry ? Wording{"industry: ", "所属行业："} : Wording{"park: ", "园区："}) +
            failure->second);
      } else if (of_industry && key < 0) {
        r = NoData({"the enterprise has no industry to measure its pull against",
                    "该企业没有所属行业，算不出对行业的拉动"});
      } else if (!f.in_caliber) {
        const Wording at = PeriodWording(c_.t);
        r = NoData({"no figure for " + at.en +
                        " or the same period last year, so the enterprise is not in the caliber "
                        "of the growth",
                    at.zh + "或上年同期没有数据，不在增速的同口径企业之内"});
      } else if (spec_.kind == MeasureKind::kPull) {
        r.value = f.pull;
        r.enterprises = 1;
      } else if (f.contribution) {
        r.value = *f.contribution;
        r.enterprises = 1;
      } else {
        r = NoData({"the whole did not change, so contributions are undefined",
                    "整体没有变化，算不出贡献率"});
      }
      Emit(EnterpriseMember(c_.data, e), std::move(r));
    }
  }

  void EmitUnitSlips(const std::vector<EnterpriseIndex>& members) {
    std::vector<UnitSlip> slips = measures_->UnitSlips(members, c_.t);
    for (size_t i = 0; i < members.size(); ++i) {
      MeasureResult r;
      if (slips[i].value) {
        // A figure a person confirmed is the enterprise's real figure, whatever its ratio: the
        // alert about it resolves. A rejected one stays held, and its alert keeps saying why
        // until the enterprise sends the revision.
        const bool confirmed = c_.data.Confirmed(spec_.indicator, members[i], c_.t);
        r.value = confirmed ? 0 : std::abs(slips[i].exponent);
        r.enterprises = 1;
      } else {
        r.no_data_reason = slips[i].no_data_reason;
      }
      Emit(EnterpriseMember(c_.data, members[i]), std::move(r));  // appends one outcome
      if (slips[i].value) {
        out_->back().measured = slips[i].value;
        out_->back().mean = slips[i].level;
        out_->back().ratio = *slips[i].value / slips[i].level;
      }
    }
  }

  // fall(): the value against the levels and the clear line; a period within the enterprise's
  // usual swings is no breach (a firing alert holds or clears by the value as any other).
  void EmitFalls(const std::vector<EnterpriseIndex>& members) {
    std::vector<Fall> falls = measures_->Falls(members, c_.t, spec_.swings);
    for (size_t i = 0; i < members.size(); ++i) {
      const Fall& f = falls[i];
      MeasureResult r;
      r.value = f.value;
      r.no_data_reason = f.no_data_reason;
      if (f.value) r.enterprises = 1;
      Emit(EnterpriseMember(c_.data, members[i]), std::move(r));  // appends one outcome
      if (!f.value) continue;
      RuleOutcome& o = out_->back();
      o.growth = f.growth;
      o.course = f.course;
      // A swing of its own (a year of growths) is stated; before that it is mostly the prior's.
      if (f.swing_periods >= kFallMinSwingPeriods) o.swing = f.swing;
      if (!f.sudden && o.level != Severity::kNone) {
        o.level = Severity::kNone;
        o.threshold = MildestThreshold(
            c_.rule.ThresholdsFor(c_.data.IndustryName(c_.data.info(members[i]).industry),
                                  c_.data.row(members[i]).credit_code));
      }
    }
  }

  void ForIndustries() {
    std::vector<EnterpriseIndex> members = filter_.All();
    std::set<int32_t> wanted;
    if (only_)
      for (EnterpriseIndex e : *only_)
        if (e >= 0 && static_cast<size_t>(e) < c_.data.size())
          wanted.insert(c_.data.info(e).industry);
    for (const auto& [industry, scope] : ByIndustry(c_.data, members)) {
      if (only_ && !wanted.count(industry)) continue;
      Emit(IndustryMember(c_.data, industry), Measure(scope, park_));
    }
  }

  const RuleSet& rules_;
  const Context& c_;
  const MeasureSpec& spec_;
  std::vector<RuleOutcome>* out_;
  MemberFilter filter_;
  const bool whole_based_;                 // the measure needs a whole (the park's members)
  const std::set<EnterpriseIndex>* only_;  // incremental: these enterprises (not whole-based)
  std::vector<EnterpriseIndex> park_;      // the whole, when whole_based_
  Wording common_;
  bool fallback_ = false;  // comparable_or_current
  bool deflated_ = false;  // the comparable measures have a price index
  const char* basis_ = "current";
  const char* outcome_basis_ = "current";  // set by Prepare and Measure, read by Emit
  std::optional<Measures> measures_, current_;
};

void Evaluator::EvaluateThreshold(const Context& c, std::vector<RuleOutcome>* out) const {
  ThresholdRun(rules_, c, out).Run();
}

void Evaluator::EvaluateAnomaly(const Context& c, std::vector<RuleOutcome>* out) const {
  const RuleConfig& rule = c.rule;
  MemberFilter filter(rule.where, c.data, c.t.year());
  std::vector<EnterpriseIndex> members = c.only ? filter.Among(*c.only) : filter.All();
  const FigureTable* table = c.data.Figures(rule.measure.indicator, c.group.cadence);
  MeasureOptions options = NamedOptions(c.data);
  options.combine_jan_feb = c.combine;
  std::vector<AnomalyResult> anomalies;
  if (table)
    anomalies =
        Measures(*table, c.data.infos(), options).Anomalies(members, c.t, rule.anomaly_years);
  out->reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    const EnterpriseIndex e = members[i];
    RuleOutcome o = c.Outcome();
    if (!table) {
      o.no_data_reason = NotLoaded(rule.measure.indicator, c.group.cadence);
    } else {
      AnomalyResult& a = anomalies[i];
      if (a.z) {
        o.value = std::fabs(*a.z);
        o.mean = a.mean;
        o.measured = a.value;
        o.ratio = a.ratio;
      } else {
        o.no_data_reason = std::move(a.no_data_reason);
      }
    }
    Finish(rule, EnterpriseMember(c.data, e), o);
    out->push_back(std::move(o));
  }
}

// The one place that decides who owes a period's report. The register's 应报报表 comes first
// where it says anything: an enterprise that owes no weekly report is never missing one,
// whatever the rule's reporters. Otherwise, and for those it says owe the report, the rule's
// `reporters:` decides; `reporters: register` takes exactly those the register names (an
// enterprise whose 应报报表 was never stated owes nothing under it).
bool OwesReport(const RuleConfig& rule, const EnterpriseInfo& info, Cadence cadence, bool in_set) {
  std::optional<bool> stated = info.OwesReport(cadence);
  if (stated && !*stated) return false;
  switch (rule.reporters) {
    case Reporters::kAll:
      return true;
    case Reporters::kKey:
      return info.key;
    case Reporters::kSet:
      return in_set;
    case Reporters::kRegister:
      return stated.value_or(false);
  }
  return false;
}

void Evaluator::EvaluateMissing(const Context& c, std::vector<RuleOutcome>* out) const {
  const RuleConfig& rule = c.rule;
  MemberFilter filter(rule.where, c.data, c.t.year());
  std::vector<EnterpriseIndex> candidates = c.only ? filter.Among(*c.only) : filter.All();
  // Who owes reports (`reporters:`): all members, the key ones, or a named set's.
  std::vector<EnterpriseIndex> members;
  std::unordered_set<EnterpriseIndex> in_set;
  if (rule.reporters == Reporters::kSet)
    if (auto it = rules_.sets.find(rule.set); it != rules_.sets.end())
      for (const auto& code : it->second)
        if (auto e = c.data.IndexOfCode(code)) in_set.insert(*e);
  const Cadence cadence = c.group.cadence;
  for (EnterpriseIndex e : candidates)
    if (OwesReport(rule, c.data.info(e), cadence, in_set.count(e) > 0)) members.push_back(e);
  // An enterprise owes every period from its first report on; one that never reported, from
  // the first period the rules hold data for, or the start of its first 规上 year if later.
  std::optional<Period> earliest = c.data.EarliestPeriod(cadence);
  if (earliest) earliest = Canonical(*earliest, c.combine);
  const int cap = cadence == Cadence::kWeekly ? 10 * 53 : 10 * 12;
  // Monthly: the due periods counted back from t (at most cap), with their keys, are the same
  // for every member: stepped back once here, not once per enterprise (stepping and comparing
  // Periods was half of the rule's time at 20 000 enterprises). Weekly counts use searches.
  std::vector<Period> back;
  std::vector<int64_t> back_keys;
  if (cadence != Cadence::kWeekly)
    for (Period q = c.t; q.valid() && static_cast<int>(back.size()) < cap;
         q = PreviousPeriod(q, c.combine)) {
      back.push_back(q);
      back_keys.push_back(q.key());
    }
  out->reserve(members.size());
  for (EnterpriseIndex e : members) {
    std::optional<Period> last = c.data.LastReported(e, cadence);
    std::optional<Period> floor = c.data.FirstReported(e, cadence);
    if (floor) {
      floor = Canonical(*floor, c.combine);
    } else {
      floor = earliest;
      if (int since = c.data.info(e).above_size_since) {
        Period start = cadence == Cadence::kWeekly ? Period::Week(since, 1)
                                                   : Canonical(Period::Month(since, 1), c.combine);
        if (!floor || *floor < start) floor = start;
      }
      if (!floor) floor = c.t;  // nothing to count back to: only t itself is known to be due
    }
    // Every due period without a figure counts, gaps before the last report included: a week
    // skipped in the middle is as missing as one at the end, until it arrives.
    int overdue = 0;
    std::optional<Period> newest_missing, missing_since;
    if (cadence == Cadence::kWeekly) {  // the same count, from searches (rule_data.h)
      RuleData::MissingWeeks m = c.data.CountMissingWeeks(e, *floor, c.t, cap);
      overdue = m.overdue, newest_missing = m.newest, missing_since = m.since;
    } else {
      bool in_run = false;  // inside the run of missing periods that ends at newest_missing
      const int64_t floor_key = floor->key();
      RuleData::ReportedBackwards reported(c.data, e, cadence);
      for (size_t i = 0; i < back.size() && back_keys[i] >= floor_key; ++i) {
        if (reported.Has(back[i])) {
          in_run = false;
          continue;
        }
        if (!newest_missing) newest_missing = back[i], in_run = true;
        if (in_run) missing_since = back[i];
        ++overdue;
      }
    }
    RuleOutcome o = c.Outcome();
    o.value = overdue;
    o.last_reported = last;
    o.newest_missing = newest_missing;
    o.missing_since = missing_since;
    Finish(rule, EnterpriseMember(c.data, e), o);
    out->push_back(std::move(o));
  }
}

// --------------------------------------------------------------------------------------------

int64_t Evaluator::DeadlineOf(const RuleGroup& group, const RuleConfig& rule, Period p) {
  using namespace std::chrono;
  std::optional<int> offset = UtcOffsetMinutes(group.timezone);
  if (!offset || !p.valid()) return std::numeric_limits<int64_t>::max();
  sys_days day;
  if (p.weekly()) {
    day = sys_days(p.LastDay()) + days(rule.deadline.day);  // Sunday + 1 = the Monday after
  } else {
    year_month next = year(p.year()) / month(static_cast<unsigned>(p.last_month())) + months(1);
    day = sys_days(next / std::chrono::day(static_cast<unsigned>(rule.deadline.day)));
  }
  return day.time_since_epoch().count() * 86400LL + rule.deadline.minute_of_day * 60LL -
         *offset * 60LL;
}

std::optional<Period> Evaluator::DuePeriod(const RuleGroup& group, const RuleConfig& rule,
                                           int64_t now) {
  using namespace std::chrono;
  std::optional<int> offset = UtcOffsetMinutes(group.timezone);
  if (!offset) return std::nullopt;
  bool combine = CombinesJanFeb(group);
  sys_days local_day = floor<days>(sys_seconds(seconds(now + *offset * 60LL)));
  year_month_day ymd(local_day);
  Period p = group.cadence == Cadence::kWeekly ? Period::WeekOf(ymd) : Period::MonthOf(ymd);
  p = Canonical(p, combine);
  // A deadline falls at most a month (a week) and 28 days (7 days) after its period ends, so
  // the due period is among the last few.
  for (int i = 0; i < 6 && p.valid(); ++i, p = PreviousPeriod(p, combine))
    if (DeadlineOf(group, rule, p) <= now) return p;
  return std::nullopt;
}

namespace {

// The periods (of periods, the table's) whose outcome of rule a figure of a touched period can
// change, when the measure says which: each measure's own base periods, read forward. nullopt:
// every period after the earliest touched one may read it.
std::optional<std::set<Period>> Reached(const RuleConfig& rule, const std::set<Period>& touched,
                                        const std::set<Period>& periods, bool combine) {
  if (rule.kind != RuleKind::kThreshold) return std::nullopt;  // anomaly: years and levels
  std::set<Period> out;
  switch (rule.measure.kind) {
    case MeasureKind::kLevel:
    case MeasureKind::kValue:
      for (Period q : touched)
        if (periods.count(q)) out.insert(q);
      return out;
    case MeasureKind::kYoy:  // Measures::YoY: t against t.SameLastYear()
      for (Period t : periods) {
        std::optional<Period> base = t.SameLastYear();
        if (touched.count(t) || (base && touched.count(Canonical(*base, combine)))) out.insert(t);
      }
      return out;
    case MeasureKind::kUnitSlip: {
      // Measures::UnitSlips: t against its recent level, looking at most kUnitSlipLookBack
      // periods back. The table's periods are at most as far apart as the calendar's, so as many
      // of them reach as far.
      const std::vector<Period> list(periods.begin(), periods.end());
      for (size_t i = 0; i < list.size(); ++i)
        if (touched.count(list[i]))
          for (size_t j = i; j < list.size() && j <= i + kUnitSlipLookBack; ++j)
            out.insert(list[j]);
      return out;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<Period> PeriodsToEvaluate(const RuleGroup& group, const RuleConfig& rule,
                                      const RuleData& data, const BatchSummary* batch,
                                      BatchReach reach) {
  const bool combine = CombinesJanFeb(group);
  const Cadence cadence = group.cadence;
  std::set<Period> periods;
  if (rule.kind == RuleKind::kMissingReport) {
    if (batch) {
      for (const auto& [indicator, p] : batch->touched_periods)
        if (p.cadence() == cadence) periods.insert(Canonical(p, combine));
    } else if (auto latest = data.LatestPeriod(cadence)) {
      periods.insert(Canonical(*latest, combine));
    }
    return {periods.begin(), periods.end()};
  }
  const FigureTable* table = data.Figures(rule.measure.indicator, cadence);
  if (!table) return {};
  for (Period p : table->Periods()) periods.insert(Canonical(p, combine));
  // A period whose figures are all held in quarantine has none counted, yet it has outcomes: the
  // unit-slip rule's, and no data where a figure counted before (which takes its observation out
  // of the alert's log). The backtest evaluates every period; skipping it left both stale.
  if (const FigureTable* held = data.Held(rule.measure.indicator, cadence))
    for (Period p : held->Periods()) periods.insert(Canonical(p, combine));
  if (!batch || periods.empty()) return {periods.begin(), periods.end()};

  std::set<Period> touched;  // of the rule's indicator or deflator
  for (const auto& [indicator, p] : batch->touched_periods) {
    if (p.cadence() != cadence) continue;
    if (indicator != rule.measure.indicator &&
        !(rule.measure.comparable_prices && indicator == rule.measure.deflator))
      continue;
    touched.insert(Canonical(p, combine));
  }
  if (touched.empty()) {
    if (!batch->touched_enterprises.empty()) return {*periods.rbegin()};
    return {};
  }
  if (reach == BatchReach::kReached)
    if (std::optional<std::set<Period>> reached = Reached(rule, touched, periods, combine)) {
      reached->insert(*periods.rbegin());
      return {reached->begin(), reached->end()};
    }
  return {periods.lower_bound(*touched.begin()), periods.end()};
}

std::vector<PriceIndexWarning> PriceIndexWarnings(
    const RuleSet& rules, const std::function<bool(const std::string&, Cadence)>& has_index) {
  std::vector<PriceIndexWarning> out;
  for (const RuleGroup& group : rules.groups)
    for (const RuleConfig& rule : group.rules) {
      if (rule.kind == RuleKind::kMissingReport || !rule.measure.comparable_prices) continue;
      if (has_index(rule.measure.deflator, group.cadence)) continue;
      std::string where =
          rule.file + ":" + std::to_string(rule.line) + ": " + rule.name + ": " + rule.measure.text;
      out.push_back(
          {where, where + " wants the " + std::string(CadenceName(group.cadence)) +
                      " price index \"" + rule.measure.deflator + "\", which was never ingested; " +
                      (rule.measure.prices == PriceBasis::kComparableOrCurrent
                           ? "it compares at current prices (labelled current) until one is"
                           : "it reports no data until one is")});
    }
  return out;
}

}  // namespace parkwatch
