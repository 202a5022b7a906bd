#include "rules/unit_slip_hold.h"

#include <map>

#include "rules/figure_table.h"
#include "rules/measures.h"

namespace parkwatch {

QuarantinesCollector CollectorQuarantine(const Config& config, const CollectorConfig* batch) {
  std::map<std::string, bool> on;
  for (const CollectorConfig& c : config.collectors) on[c.name] = c.quarantine == "unit_errors";
  if (batch) on[batch->name] = batch->quarantine == "unit_errors";
  return [on = std::move(on)](const std::string& collector) {
    auto it = on.find(collector);
    return it == on.end() || it->second;
  };
}

namespace {

// A stored figure of a touched series at or after its earliest touched period.
struct Stored {
  double value = 0;
  int64_t batch_id = 0;
  std::string collector;
  std::string state;  // "" (not in quarantine), held, confirmed, rejected
  double level = 0;   // of a held figure, as stored
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
  // Every current figure of the series from ?4 on, with the collector of the batch that set its
  // value and its quarantine row, if any.
  Statement series(store.db(),
                   "SELECT f.period, f.value, f.batch_id, b.collector, COALESCE(q.state, ''), "
                   "COALESCE(q.level, 0), COALESCE(q.exponent, 0) FROM figures f "
                   "JOIN batches b ON b.id = f.batch_id LEFT JOIN quarantine q ON "
                   "q.enterprise_id = f.enterprise_id AND q.indicator_id = f.indicator_id AND "
                   "q.cadence = f.cadence AND q.period = f.period WHERE f.enterprise_id = ?1 AND "
                   "f.indicator_id = ?2 AND f.cadence = ?3 AND f.period >= ?4");
  for (const auto& [key, first] : from) {
    const auto& [indicator, cadence] = key;
    if (!indicator_id.Bind(1, indicator).Step()) {
      indicator_id.Reset();
      continue;
    }
    const int64_t indicator_key = indicator_id.Int(0);
    indicator_id.Reset();
    const std::string code = CadenceCode(cadence);
    // The recent level of the first period checked reads 4 periods back (weekly up to 16, past a
    // festival season): only that much before it is read.
    Period since = first;
    for (int i = 0; i < (cadence == Cadence::kWeekly ? 20 : 6); ++i) since = since.Prev();
    // Rows are the touched enterprises. The table holds the figures that count before the first
    // period checked, and from it on every figure not rejected: each is taken out again when
    // the walk below holds it.
    FigureTable table(cadence, IndicatorKind::kLevel);
    std::map<std::pair<Period, EnterpriseIndex>, Stored> checked;  // by period, then row
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto row = static_cast<EnterpriseIndex>(i);
      series.Bind(1, ids[i]).Bind(2, indicator_key).Bind(3, code).Bind(4, since.key());
      while (series.Step()) {
        auto p = Period::FromKey(cadence, series.Int(0));
        if (!p) continue;
        Stored s{series.Double(1), series.Int(2),    series.Text(3),
                 series.Text(4),   series.Double(5), static_cast<int>(series.Int(6))};
        if (*p < first) {
          if (s.state.empty() || s.state == "confirmed") table.Put(row, *p, s.value);
          continue;
        }
        if (s.state != "rejected") table.Put(row, *p, s.value);
        if (s.state != "confirmed" && s.state != "rejected") checked.emplace(std::pair{*p, row}, s);
      }
      series.Reset();
    }
    // Each stored period is its own (no Jan–Feb combination): a figure is checked as it came.
    MeasureOptions options;
    options.combine_jan_feb = false;
    Measures measures(table, {}, options);
    // Oldest period first: what a period holds is out of the recent level of those after it.
    for (auto it = checked.begin(); it != checked.end();) {
      const Period t = it->first.first;
      std::vector<EnterpriseIndex> rows;
      std::vector<std::pair<const std::pair<Period, EnterpriseIndex>, Stored>*> at;
      for (; it != checked.end() && it->first.first == t; ++it) {
        rows.push_back(it->first.second);
        at.push_back(&*it);
      }
      std::vector<UnitSlip> slips = measures.UnitSlips(rows, t);
      for (size_t i = 0; i < rows.size(); ++i) {
        const Stored& s = at[i]->second;
        const UnitSlip& slip = slips[i];
        const bool hold = slip.value && slip.exponent != 0 && quarantines(s.collector);
        FigureHold h{ids[static_cast<size_t>(rows[i])],
                     indicator_key,
                     t,
                     s.value,
                     hold ? slip.level : s.level,
                     hold ? slip.exponent : s.exponent,
                     s.batch_id,
                     s.collector};
        if (hold) {
          table.Erase(rows[i], t);
          if (s.state.empty()) ++changes.newly_held;
          if (s.state.empty() || s.level != h.level || s.exponent != h.exponent)
            changes.hold.push_back(std::move(h));
        } else if (s.state == "held") {
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
