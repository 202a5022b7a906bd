#include "rules/unit_slip_hold.h"

#include <map>

#include "rules/figure_table.h"
#include "rules/measures.h"

namespace parkwatch {

std::vector<FigureHold> FindUnitSlips(
    Store& store, int64_t batch_id, const std::set<int64_t>& touched_enterprises,
    const std::set<std::pair<std::string, Period>>& touched_periods,
    const std::vector<IndicatorConfig>& indicators) {
  std::vector<FigureHold> held;
  if (touched_enterprises.empty()) return held;
  // The periods to check, by indicator and cadence, ascending (std::set orders periods so).
  std::map<std::pair<std::string, Cadence>, std::vector<Period>> tables;
  for (const auto& [indicator, period] : touched_periods) {
    bool rate = false;
    for (const IndicatorConfig& i : indicators)
      if (i.name == indicator) rate = i.kind == IndicatorKind::kRate;
    if (!rate) tables[{indicator, period.cadence()}].push_back(period);
  }
  const std::vector<int64_t> ids(touched_enterprises.begin(), touched_enterprises.end());
  std::vector<EnterpriseIndex> rows(ids.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<EnterpriseIndex>(i);

  Statement indicator_id(store.db(), "SELECT id FROM indicators WHERE name = ?");
  // The figures that count: current values not held in quarantine (this batch's revisions have
  // already dropped their old quarantine rows).
  Statement series(store.db(),
                   "SELECT f.period, f.value FROM figures f WHERE f.enterprise_id = ?1 AND "
                   "f.indicator_id = ?2 AND f.cadence = ?3 AND NOT EXISTS (SELECT 1 FROM "
                   "quarantine q WHERE q.enterprise_id = f.enterprise_id AND q.indicator_id = "
                   "f.indicator_id AND q.cadence = f.cadence AND q.period = f.period AND "
                   "q.state <> 'confirmed') AND f.period >= ?4");
  Statement set_by(store.db(),
                   "SELECT batch_id FROM figures WHERE enterprise_id = ? AND indicator_id = ? "
                   "AND cadence = ? AND period = ?");
  for (const auto& [key, periods] : tables) {
    const auto& [indicator, cadence] = key;
    if (!indicator_id.Bind(1, indicator).Step()) {
      indicator_id.Reset();
      continue;
    }
    const int64_t indicator_key = indicator_id.Int(0);
    indicator_id.Reset();
    const std::string code = CadenceCode(cadence);
    // Only what the recent levels read (4 periods back; weekly up to 16, past a festival
    // season): a file for the park reads a few months or twenty weeks, not years.
    Period since = periods.front();
    for (int i = 0; i < (cadence == Cadence::kWeekly ? 20 : 6); ++i) since = since.Prev();
    FigureTable table(cadence, IndicatorKind::kLevel);
    for (size_t i = 0; i < ids.size(); ++i) {
      series.Bind(1, ids[i]).Bind(2, indicator_key).Bind(3, code).Bind(4, since.key());
      while (series.Step())
        if (auto p = Period::FromKey(cadence, series.Int(0)))
          table.Put(rows[i], *p, series.Double(1));
      series.Reset();
    }
    // Each stored period is its own (no Jan–Feb combination): a figure is checked as it came.
    MeasureOptions options;
    options.combine_jan_feb = false;
    Measures measures(table, {}, options);
    for (Period t : periods) {
      std::vector<UnitSlip> slips = measures.UnitSlips(rows, t);
      for (size_t i = 0; i < slips.size(); ++i) {
        if (!slips[i].value || slips[i].exponent == 0) continue;
        // Only what this batch brought: an older figure that looks odd was let in before.
        set_by.Bind(1, ids[i]).Bind(2, indicator_key).Bind(3, code).Bind(4, t.key());
        const bool ours = set_by.Step() && set_by.Int(0) == batch_id;
        set_by.Reset();
        if (!ours) continue;
        held.push_back(
            {ids[i], indicator_key, t, *slips[i].value, slips[i].level, slips[i].exponent});
        table.Erase(rows[i], t);  // out of the recent level of the periods after it
      }
    }
  }
  return held;
}

}  // namespace parkwatch
