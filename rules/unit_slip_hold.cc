#include "rules/unit_slip_hold.h"

#include <map>

#include "rules/figure_table.h"
#include "rules/measures.h"

namespace parkwatch {

QuarantinesCollector CollectorQuarantine(const Config& config, const CollectorConfig* batch) {
  std::map<std::string, bool> on;
  for (const CollectorConfig& c : config.collectors) on[c.name] = c.holds_unit_errors();
  if (batch) on[batch->name] = batch->holds_unit_errors();
  return [on = std::move(on)](const std::string& collector) {
    auto it = on.find(collector);
    return it == on.end() || it->second;
  };
}

namespace {

// A quarantine row of a touched series (a handful: most figures have none).
struct Decided {
  std::string state;  // held, confirmed, rejected
  double level = 0;
  int exponent = 0;
};

}  // namespace

QuarantineChanges CheckUnitSlips(Store& store, const std::set<int64_t>& touched_enterprises,
                                 const std::set<std::pair<std::string, Period>>& touched_periods,
                                 const std::vector<IndicatorConfig>& indicators,
                                 const QuarantinesCollector& quarantines) {
  QuarantineChanges changes;
  if (touched_enterprises.empty()) return changes;
  // The earliest touched period of each level indicator and cadence.
  std::map<std::pair<std::string, Cadence>, Period> from;
  for (const auto& [indicator, period] : touched_periods) {
    bool rate = false;
    for (const IndicatorConfig& i : indicators)
      if (i.name == indicator) rate = i.kind == IndicatorKind::kRate;
    if (rate) continue;
    auto [it, added] = from.try_emplace({indicator, period.cadence()}, period);
    if (!added && period < it->second) it->second = period;
  }
  const std::vector<int64_t> ids(touched_enterprises.begin(), touched_enterprises.end());

  Statement indicator_id(store.db(), "SELECT id FROM indicators WHERE name = ?");
  // Every current figure of the series from ?4 on, with its quarantine row, if any.
  Statement series(store.db(),
                   "SELECT f.period, f.value, q.state, q.level, q.exponent FROM figures f "
                   "LEFT JOIN quarantine q ON q.enterprise_id = f.enterprise_id AND "
                   "q.indicator_id = f.indicator_id AND q.cadence = f.cadence AND "
                   "q.period = f.period WHERE f.enterprise_id = ?1 AND f.indicator_id = ?2 AND "
                   "f.cadence = ?3 AND f.period >= ?4");
  // Who brought a flagged figure's value: held only when that collector quarantines.
  Statement brought_by(store.db(),
                       "SELECT f.batch_id, b.collector FROM figures f JOIN batches b ON "
                       "b.id = f.batch_id WHERE f.enterprise_id = ? AND f.indicator_id = ? AND "
                       "f.cadence = ? AND f.period = ?");
  for (const auto& [key, first] : from) {
    const auto& [indicator, cadence] = key;
    if (!indicator_id.Bind(1, indicator).Step()) {
      indicator_id.Reset();
      continue;
    }
    const int64_t indicator_key = indicator_id.Int(0);
    indicator_id.Reset();
    const std::string code = CadenceCode(cadence);
    // The recent level of the first period checked reads kUnitSlipLevelPeriods back (weekly up
    // to kUnitSlipLookBack, past a festival season; monthly a Jan–Feb figure may stand for two
    // of them): only that much before it is read, with room to spare.
    Period since = first;
    const int back = cadence == Cadence::kWeekly ? kUnitSlipLookBack + kUnitSlipLevelPeriods
                                                 : kUnitSlipLevelPeriods + 2;
    for (int i = 0; i < back; ++i) since = since.Prev();
    // Rows are the touched enterprises. The table holds the figures that count before the first
    // period checked, and from it on every figure not rejected: each is taken out again when
    // the walk below holds it. Only the quarantine rows are kept beside it (a bulk load checks
    // millions of figures: the table is all the memory it takes).
    FigureTable table(cadence, IndicatorKind::kLevel);
    std::map<std::pair<EnterpriseIndex, Period>, Decided> decided;
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto row = static_cast<EnterpriseIndex>(i);
      series.Bind(1, ids[i]).Bind(2, indicator_key).Bind(3, code).Bind(4, since.key());
      while (series.Step()) {
        auto p = Period::FromKey(cadence, series.Int(0));
        if (!p) continue;
        const std::string state = series.Text(2);
        if (!state.empty())
          decided[{row, *p}] = {state, series.Double(3), static_cast<int>(series.Int(4))};
        const bool counts =
            *p < first ? state.empty() || state == "confirmed" : state != "rejected";
        if (counts) table.Put(row, *p, series.Double(1));
      }
      series.Reset();
    }
    // Each stored period is its own (no Jan–Feb combination): a figure is checked as it came.
    MeasureOptions options;
    options.combine_jan_feb = false;
    Measures measures(table, {}, options);
    // Oldest period first: what a period holds is out of the recent level of those after it.
    for (Period t : table.Periods()) {
      if (t < first) continue;
      std::vector<EnterpriseIndex> rows;
      std::vector<const Decided*> rows_decided;
      for (EnterpriseIndex e : table.EnterprisesAt(t)) {
        auto it = decided.find({e, t});
        const Decided* d = it == decided.end() ? nullptr : &it->second;
        if (d && d->state == "confirmed") continue;  // a person said it is right
        rows.push_back(e);
        rows_decided.push_back(d);
      }
      std::vector<UnitSlip> slips = measures.UnitSlips(rows, t);
      for (size_t i = 0; i < rows.size(); ++i) {
        const UnitSlip& slip = slips[i];
        const Decided* d = rows_decided[i];
        const auto id = ids[static_cast<size_t>(rows[i])];
        FigureHold h{id, indicator_key, t, slip.value.value_or(0), slip.level, slip.exponent};
        bool hold = slip.value && slip.exponent != 0;
        if (hold) {
          brought_by.Bind(1, id).Bind(2, indicator_key).Bind(3, code).Bind(4, t.key());
          hold = brought_by.Step() && quarantines(brought_by.Text(1));
          if (hold) {
            h.batch_id = brought_by.Int(0);
            h.collector = brought_by.Text(1);
          }
          brought_by.Reset();
        }
        if (hold) {
          table.Erase(rows[i], t);
          if (!d) ++changes.newly_held;
          if (!d || d->level != h.level || d->exponent != h.exponent)
            changes.hold.push_back(std::move(h));
        } else if (d) {  // held (confirmed ones are skipped, rejected ones not in the table)
          changes.release.push_back(std::move(h));
        }
      }
    }
  }
  return changes;
}

QuarantineRecheck UnitSlipRecheck(Store& store, const Config& config) {
  return [&store, &config, quarantines = CollectorQuarantine(config)](
             const std::set<int64_t>& enterprises,
             const std::set<std::pair<std::string, Period>>& periods) {
    return CheckUnitSlips(store, enterprises, periods, config.indicators, quarantines);
  };
}

}  // namespace parkwatch
