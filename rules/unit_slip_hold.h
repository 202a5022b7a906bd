// The quarantine's check: which figures a batch just wrote look like unit slips, by the
// unit_slip measure's own test (Measures::UnitSlips), against each enterprise's recent level of
// the figures that count (held ones left out).
//
// collectors/ingest.cc asks it inside the batch's transaction, before the commit, for a collector
// with quarantine: unit_errors; the figures it returns are held (IngestTransaction::Hold) in the
// same commit, so no reader ever counts them (store/quarantine.h).
//
// Every level indicator (never a published rate) is checked, weekly and monthly, each period
// against the 4 periods before it as stored (January, February and Jan–Feb each as their own
// period: a separate January is a month like December). Periods are checked oldest first and a
// figure held drops out of the later periods' recent level, so a history load with one slip in
// it holds that figure only.
//
// Thread: the thread owning the store connection of the open transaction.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/period.h"
#include "store/store.h"

namespace parkwatch {

// The figures among those the batch batch_id set (in touched_enterprises × touched_periods) that
// the unit-slip test flags. Reads through store's connection, so it sees the open transaction.
std::vector<FigureHold> FindUnitSlips(
    Store& store, int64_t batch_id, const std::set<int64_t>& touched_enterprises,
    const std::set<std::pair<std::string, Period>>& touched_periods,
    const std::vector<IndicatorConfig>& indicators);

}  // namespace parkwatch
