#include "rules/rule_data.h"

#include <algorithm>

#include "store/quarantine.h"

namespace parkwatch {
namespace {

bool IsPseudo(const std::string& code) { return code.rfind(kIndustryPseudoPrefix, 0) == 0; }

std::string PseudoIndustry(const std::string& code) {
  return code.substr(sizeof(kIndustryPseudoPrefix) - 1);
}

EnterpriseInfo InfoOf(const EnterpriseRow& row, int32_t industry) {
  EnterpriseInfo info;
  info.industry = industry;
  info.key = row.key;
  info.above_size_since = row.above_size_since.value_or(0);
  info.above_size_until = row.above_size_until.value_or(0);
  // "weekly,monthly", "monthly", "weekly" or "" (none), as the register's reader stores it.
  if (row.expected_reports) {
    info.reports_stated = true;
    info.owes_weekly = row.expected_reports->find("weekly") != std::string::npos;
    info.owes_monthly = row.expected_reports->find("monthly") != std::string::npos;
  }
  return info;
}

void KeepLater(std::optional<Period>& slot, Period p) {
  if (!slot || *slot < p) slot = p;
}

}  // namespace

void RuleData::KeepTables(std::vector<std::pair<std::string, Cadence>> tables,
                          std::vector<std::pair<std::string, Cadence>> price_indices) {
  kept_ = std::move(tables);
  kept_prices_ = std::move(price_indices);
}

void RuleData::Prepare(const Config& config, const RuleSet& rules) {
  base_industries_ = config.industries;
  needed_.clear();
  needed_prices_.clear();
  also_.clear();
  // An indicator the config does not declare is taken as a level, the common case; a rate must
  // be declared so it is never summed.
  auto kind_of = [&](const std::string& name) {
    IndicatorKind kind = IndicatorKind::kLevel;
    for (const IndicatorConfig& indicator : config.indicators)
      if (indicator.name == name) kind = indicator.kind;
    return kind;
  };
  for (const RuleGroup& group : rules.groups)
    for (const RuleConfig& rule : group.rules) {
      // Missing-report rules read only the reported periods, which are kept for every
      // enterprise anyway.
      if (rule.kind == RuleKind::kMissingReport || rule.measure.indicator.empty()) continue;
      needed_[{rule.measure.indicator, group.cadence}] = kind_of(rule.measure.indicator);
      if (rule.measure.comparable_prices)
        needed_prices_.insert({rule.measure.deflator, group.cadence});
    }
  for (const TableKey& key : kept_)
    if (!needed_.count(key)) also_[key] = kind_of(key.first);
  needed_prices_.insert(kept_prices_.begin(), kept_prices_.end());

  Reset();
}

void RuleData::Reset() {
  industries_.clear();
  industry_index_.clear();
  for (const auto& name : base_industries_) InternIndustry(name);
  infos_.clear();
  rows_.clear();
  reported_.clear();
  by_id_.clear();
  by_code_.clear();
  pseudo_.clear();
  max_store_id_ = 0;
  tables_.clear();
  held_.clear();
  confirmed_.clear();
  prices_.clear();
  latest_ = {};
  for (const auto& [key, kind] : needed_) tables_.emplace(key, FigureTable(key.second, kind));
  for (const auto& [key, kind] : also_) tables_.emplace(key, FigureTable(key.second, kind));
  for (const auto& [key, table] : tables_)
    held_.emplace(key, FigureTable(key.second, table.kind()));
  // Price indices are read, never summed; kRate says so to anyone inspecting the table.
  for (const auto& key : needed_prices_)
    prices_.emplace(key, FigureTable(key.second, IndicatorKind::kRate));
}

int32_t RuleData::InternIndustry(const std::string& name) {
  if (name.empty()) return -1;
  auto [it, inserted] = industry_index_.emplace(name, static_cast<int32_t>(industries_.size()));
  if (inserted) industries_.push_back(name);
  return it->second;
}

const std::string& RuleData::IndustryName(int32_t industry) const {
  static const std::string kNone;
  if (industry < 0 || static_cast<size_t>(industry) >= industries_.size()) return kNone;
  return industries_[static_cast<size_t>(industry)];
}

int32_t RuleData::IndustryIndex(const std::string& name) const {
  auto it = industry_index_.find(name);
  return it == industry_index_.end() ? -1 : it->second;
}

std::optional<EnterpriseIndex> RuleData::IndexOfId(int64_t store_id) const {
  auto it = by_id_.find(store_id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<EnterpriseIndex> RuleData::IndexOfCode(const std::string& credit_code) const {
  auto it = by_code_.find(credit_code);
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

void RuleData::SetRow(EnterpriseIndex e, const EnterpriseRow& row) {
  auto i = static_cast<size_t>(e);
  infos_[i] = InfoOf(row, InternIndustry(row.industry));
  rows_[i] = row;
}

EnterpriseIndex RuleData::IndexFor(const EnterpriseRow& row) {
  if (auto it = by_code_.find(row.credit_code); it != by_code_.end()) {
    if (row.id) by_id_[row.id] = it->second;
    return it->second;
  }
  auto e = static_cast<EnterpriseIndex>(infos_.size());
  infos_.emplace_back();
  rows_.emplace_back();
  reported_.emplace_back();
  by_code_.emplace(row.credit_code, e);
  if (row.id) by_id_[row.id] = e;
  return e;
}

EnterpriseIndex RuleData::AddEnterprise(const EnterpriseRow& row) {
  if (IsPseudo(row.credit_code)) return -1;
  EnterpriseIndex e = IndexFor(row);
  SetRow(e, row);
  max_store_id_ = std::max(max_store_id_, row.id);
  return e;
}

void RuleData::NoteReported(EnterpriseIndex e, Period p) {
  Reported& r = reported_[static_cast<size_t>(e)];
  KeepLater(r.of(p.cadence()), p);
  KeepLater(latest_.of(p.cadence()), p);
  std::vector<int64_t>& keys = r.keys(p.cadence());
  const int64_t key = p.key();
  if (keys.empty() || keys.back() < key) {
    keys.push_back(key);  // the usual case: periods arrive in order
    return;
  }
  auto it = std::lower_bound(keys.begin(), keys.end(), key);
  if (it == keys.end() || *it != key) keys.insert(it, key);
}

bool RuleData::HasReported(EnterpriseIndex e, Period p) const {
  if (e < 0 || static_cast<size_t>(e) >= reported_.size() || !p.valid()) return false;
  const std::vector<int64_t>& keys = reported_[static_cast<size_t>(e)].keys(p.cadence());
  auto has = [&](Period q) { return std::binary_search(keys.begin(), keys.end(), q.key()); };
  if (has(p)) return true;
  if (p.is_jan_feb()) return has(Period::Month(p.year(), 1)) || has(Period::Month(p.year(), 2));
  return false;
}

namespace {

// Whole weeks from week a to week b (negative when b is earlier).
int64_t WeeksBetween(Period a, Period b) {
  return (std::chrono::sys_days(b.FirstDay()) - std::chrono::sys_days(a.FirstDay())).count() / 7;
}

}  // namespace

RuleData::MissingWeeks RuleData::CountMissingWeeks(EnterpriseIndex e, Period floor, Period t,
                                                   int cap) const {
  MissingWeeks out;
  if (!t.weekly() || !floor.weekly() || t < floor || cap <= 0) return out;
  // The weeks counted: the latest `cap` up to t, none before the floor.
  Period start = floor;
  if (WeeksBetween(floor, t) >= cap) {
    start = Period::WeekOf(std::chrono::year_month_day(std::chrono::sys_days(t.FirstDay()) -
                                                       std::chrono::days(7 * (cap - 1))));
  }
  static const std::vector<int64_t> kNone;
  const std::vector<int64_t>& keys = e >= 0 && static_cast<size_t>(e) < reported_.size()
                                         ? reported_[static_cast<size_t>(e)].keys(Cadence::kWeekly)
                                         : kNone;
  // Week keys are unique and ascending, so the reported weeks of [start, t] are keys[lo, hi).
  const auto lo = std::lower_bound(keys.begin(), keys.end(), start.key());
  const auto hi = std::upper_bound(lo, keys.end(), t.key());
  const int64_t due = WeeksBetween(start, t) + 1;
  out.overdue = static_cast<int>(due - (hi - lo));
  if (out.overdue == 0) return out;
  auto week = [](int64_t key) { return *Period::FromKey(Cadence::kWeekly, key); };
  // The latest missing week: t, or the week before the run of reported weeks that ends at t
  // (keys[i..hi) are that run when there are as many of them as weeks they span).
  auto run = hi;
  if (hi != lo && *(hi - 1) == t.key()) {
    auto first = lo, last = hi - 1;  // the run starts in [first, last]
    while (first < last) {
      auto mid = first + (last - first) / 2;
      if (WeeksBetween(week(*mid), t) == (hi - 1) - mid)
        last = mid;
      else
        first = mid + 1;
    }
    run = first;
    out.newest = week(*run).Prev();
  } else {
    out.newest = t;
  }
  // The missing run goes back to the week after the reported one before it, or to the start.
  out.since = start;
  if (run != keys.begin()) {
    Period after = week(*(run - 1)).Next();
    if (start < after) out.since = after;
  }
  return out;
}

RuleData::ReportedBackwards::ReportedBackwards(const RuleData& data, EnterpriseIndex e,
                                               Cadence cadence)
    : data_(data), e_(e), cadence_(cadence) {
  if (e < 0 || static_cast<size_t>(e) >= data.reported_.size()) return;
  keys_ = &data.reported_[static_cast<size_t>(e)].keys(cadence);
  end_ = keys_->size();
}

bool RuleData::ReportedBackwards::Has(Period p) {
  if (!keys_ || !p.valid()) return false;
  if (p.cadence() != cadence_) return data_.HasReported(e_, p);
  const int64_t key = p.key();
  while (end_ > 0 && (*keys_)[end_ - 1] > key) --end_;
  if (end_ > 0 && (*keys_)[end_ - 1] == key) return true;
  // Jan–Feb also counts January or February alone (February's key sorts after Jan–Feb's).
  return p.is_jan_feb() && data_.HasReported(e_, p);
}

std::optional<Period> RuleData::FirstReported(EnterpriseIndex e, Cadence cadence) const {
  if (e < 0 || static_cast<size_t>(e) >= reported_.size()) return std::nullopt;
  const std::vector<int64_t>& keys = reported_[static_cast<size_t>(e)].keys(cadence);
  if (keys.empty()) return std::nullopt;
  return Period::FromKey(cadence, keys.front());
}

bool RuleData::PutFigure(EnterpriseIndex e, const std::string& indicator, Period p, double value) {
  if (e < 0 || static_cast<size_t>(e) >= infos_.size() || !p.valid()) return false;
  NoteReported(e, p);
  auto it = tables_.find({indicator, p.cadence()});
  if (it == tables_.end()) return true;  // not needed by any rule: only "reported" counts
  return it->second.Put(e, p, value);
}

bool RuleData::PutPriceIndex(const std::string& industry, const std::string& indicator, Period p,
                             double value) {
  if (!p.valid()) return false;
  auto it = prices_.find({indicator, p.cadence()});
  if (it == prices_.end()) return true;
  int32_t i = InternIndustry(industry);
  if (i < 0) return false;
  return it->second.Put(i, p, value);
}

void RuleData::Compact() {
  for (auto& [key, table] : tables_) table.Compact();
  for (auto& [key, table] : prices_) table.Compact();
}

const FigureTable* RuleData::Figures(const std::string& indicator, Cadence cadence) const {
  auto it = tables_.find({indicator, cadence});
  return it == tables_.end() ? nullptr : &it->second;
}

const FigureTable* RuleData::Held(const std::string& indicator, Cadence cadence) const {
  auto it = held_.find({indicator, cadence});
  return it == held_.end() ? nullptr : &it->second;
}

const FigureTable* RuleData::PriceIndex(const std::string& indicator, Cadence cadence) const {
  auto it = prices_.find({indicator, cadence});
  return it == prices_.end() ? nullptr : &it->second;
}

std::optional<Period> RuleData::LastReported(EnterpriseIndex e, Cadence cadence) const {
  if (e < 0 || static_cast<size_t>(e) >= reported_.size()) return std::nullopt;
  return reported_[static_cast<size_t>(e)].of(cadence);
}

std::optional<Period> RuleData::LatestPeriod(Cadence cadence) const { return latest_.of(cadence); }

std::optional<Period> RuleData::EarliestPeriod(Cadence cadence) const {
  std::optional<Period> earliest;
  for (const auto& [key, table] : tables_) {
    if (key.second != cadence || !needed_.count(key)) continue;
    auto periods = table.Periods();
    if (!periods.empty() && (!earliest || periods.front() < *earliest)) earliest = periods.front();
  }
  return earliest;
}

void RuleData::Load(Store& store, const Config& config, const RuleSet& rules,
                    BatchChanges* changes) {
  // Keep the indices already given, so outcomes and caches keyed by index stay valid.
  std::vector<EnterpriseRow> previous = std::move(rows_);
  std::vector<std::string> industries = std::move(industries_);
  Prepare(config, rules);
  for (const auto& name : industries) InternIndustry(name);
  for (const auto& row : previous) AddEnterprise(row);
  LoadFromStore(store, changes);
}

void RuleData::Reload(Store& store) {
  std::vector<EnterpriseRow> previous = std::move(rows_);
  std::vector<std::string> industries = std::move(industries_);
  Reset();
  for (const auto& name : industries) InternIndustry(name);
  for (const auto& row : previous) AddEnterprise(row);
  LoadFromStore(store);
}

void RuleData::LoadFromStore(Store& store, BatchChanges* changes) {
  for (const EnterpriseRow& row : store.Enterprises()) {
    max_store_id_ = std::max(max_store_id_, row.id);
    if (IsPseudo(row.credit_code)) {
      int32_t industry = InternIndustry(PseudoIndustry(row.credit_code));
      if (industry >= 0) pseudo_[row.id] = industry;
      continue;
    }
    AddEnterprise(row);
  }
  // An enterprise known from before that the store no longer has keeps its index; its figures
  // are gone with the tables, so it reads as "no figure" everywhere.
  // One scan of the figures for every table and every reported period: on a province's
  // store a scan per table took several times as long as the rules' whole first pass.
  std::unordered_map<int64_t, std::string> names = store.IndicatorNames();
  std::map<std::pair<int64_t, Cadence>, FigureTable*> by_enterprise, held_by, by_industry;
  for (auto& entry : tables_)
    for (const auto& [id, name] : names)
      if (name == entry.first.first) {
        by_enterprise[{id, entry.first.second}] = &entry.second;
        held_by[{id, entry.first.second}] = &held_.at(entry.first);
      }
  for (auto& entry : prices_)
    for (const auto& [id, name] : names)
      if (name == entry.first.first) by_industry[{id, entry.first.second}] = &entry.second;
  for (auto& [key, table] : tables_) table.ReserveRows(infos_.size());
  for (auto& [key, table] : prices_) table.ReserveRows(industries_.size());
  // Rows come grouped by enterprise, then by indicator and cadence: look each up once a run.
  int64_t last_id = 0;
  EnterpriseIndex e = -1;
  int32_t industry = -1;
  struct Run {
    int64_t indicator = -1;
    Cadence cadence = Cadence::kMonthly;
    bool held = false;
    FigureTable* table = nullptr;
  } run;
  auto table_of = [&](const CurrentFigure& f, Cadence cadence,
                      std::map<std::pair<int64_t, Cadence>, FigureTable*>& tables) {
    if (f.indicator_id != run.indicator || cadence != run.cadence || f.held != run.held) {
      auto t = tables.find({f.indicator_id, cadence});
      run = {f.indicator_id, cadence, f.held, t == tables.end() ? nullptr : t->second};
    }
    return run.table;
  };
  store.ForEachCurrentFigure(
      [&](const CurrentFigure& f) {
        if (f.enterprise_id != last_id) {
          last_id = f.enterprise_id;
          auto it = by_id_.find(f.enterprise_id);
          e = it == by_id_.end() ? -1 : it->second;
          auto pseudo = pseudo_.find(f.enterprise_id);
          industry = pseudo == pseudo_.end() ? -1 : pseudo->second;
          run = {};
        }
        const Cadence cadence = f.period.cadence();
        if (e >= 0) {
          NoteReported(e, f.period);  // a held figure was reported all the same
          if (FigureTable* t = table_of(f, cadence, f.held ? held_by : by_enterprise))
            t->Put(e, f.period, f.value);
        } else if (industry >= 0 && !f.held) {
          if (FigureTable* t = table_of(f, cadence, by_industry))
            t->Put(industry, f.period, f.value);
        }
      },
      changes);
  for (const ConfirmedFigure& c : ConfirmedFigures(store))
    if (auto it = by_id_.find(c.enterprise_id); it != by_id_.end())
      confirmed_.emplace(c.indicator, it->second, c.period);
  Compact();
}

BatchEffect RuleData::EffectOf(const BatchSummary& batch) const {
  BatchEffect effect;
  // The same threshold and the same answers as ApplyBatch's two ways.
  effect.reloaded = batch.touched_enterprises.size() * 4 > infos_.size() + pseudo_.size();
  bool price_table_touched = effect.reloaded;
  for (const auto& [indicator, period] : batch.touched_periods)
    price_table_touched = price_table_touched || prices_.count({indicator, period.cadence()});
  for (int64_t id : batch.touched_enterprises) {
    if (auto e = IndexOfId(id)) effect.enterprises.insert(*e);
    if (pseudo_.count(id) && price_table_touched) effect.price_index_changed = true;
  }
  return effect;
}

BatchEffect RuleData::ApplyBatch(Store& store, const BatchSummary& batch) {
  BatchEffect effect;
  // Past a quarter of the park, one sequential scan per table beats a query per enterprise.
  if (batch.touched_enterprises.size() * 4 > infos_.size() + pseudo_.size()) {
    Reload(store);
    effect.reloaded = true;
    for (int64_t id : batch.touched_enterprises) {
      if (auto e = IndexOfId(id)) effect.enterprises.insert(*e);
      if (pseudo_.count(id)) effect.price_index_changed = true;
    }
    return effect;
  }

  // Which needed tables the batch wrote to: the others need no re-read.
  std::set<TableKey> touched_tables;
  for (const auto& [indicator, period] : batch.touched_periods)
    touched_tables.insert({indicator, period.cadence()});

  std::set<int64_t> ids(batch.touched_enterprises.begin(), batch.touched_enterprises.end());
  for (const EnterpriseRow& row : store.EnterprisesAfter(max_store_id_)) ids.insert(row.id);

  for (int64_t id : ids) {
    std::optional<EnterpriseRow> row = store.FindEnterpriseById(id);
    if (!row) continue;
    max_store_id_ = std::max(max_store_id_, id);
    if (IsPseudo(row->credit_code)) {
      int32_t industry = InternIndustry(PseudoIndustry(row->credit_code));
      if (industry < 0) continue;
      pseudo_[id] = industry;
      for (auto& [key, table] : prices_) {
        if (!touched_tables.count(key)) continue;
        for (const SeriesPoint& point : store.Series(id, key.first, key.second))
          if (!point.held) table.Put(industry, point.period, point.value);
        effect.price_index_changed = true;
      }
      continue;
    }
    EnterpriseIndex e = AddEnterprise(*row);
    effect.enterprises.insert(e);
    for (auto& [key, table] : tables_) {
      if (!touched_tables.count(key)) continue;
      // Figures are never deleted, only revised, so writing the current series over the old
      // cells leaves exactly the current values; a figure moves between the counted and the
      // held table as the quarantine decides.
      FigureTable& held = held_.at(key);
      for (const SeriesPoint& point : store.Series(id, key.first, key.second)) {
        (point.held ? held : table).Put(e, point.period, point.value);
        (point.held ? table : held).Erase(e, point.period);
      }
    }
    for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly})
      for (Period p : store.ReportedPeriodsOf(id, cadence)) NoteReported(e, p);
    std::erase_if(confirmed_, [e](const auto& c) { return std::get<1>(c) == e; });
    for (const ConfirmedFigure& c : ConfirmedFigures(store, id))
      confirmed_.emplace(c.indicator, e, c.period);
  }
  return effect;
}

}  // namespace parkwatch
