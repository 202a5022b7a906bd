// The quarantine's check: which stored figures look like unit slips, by the unit_slip measure's
// own test (Measures::UnitSlips), against each enterprise's recent level of the figures that
// count (held ones left out).
//
// What is held is a function of the stored figures and the people's decisions, never of the
// order they arrived in: each series (enterprise × level indicator × cadence) is read oldest
// first, each period against the 4 periods before it as they then stand (January, February and
// Jan–Feb each as their own period: a separate January is a month like December), and a figure
// held drops out of the later periods' recent level. A figure is held when the test flags it and
// the collector that brought its value has quarantine: unit_errors.
//
// So a change at period t (a new figure, a revision, a confirm or reject) can change what is
// held at t and after it, never before: CheckUnitSlips re-reads the touched series from their
// earliest touched period to their latest and returns the difference to the stored quarantine —
// new holds, and holds no longer supported (history loaded later shows the figure is the
// enterprise's real level). A person's decision (confirmed, rejected) stands: the check neither
// holds a confirmed figure nor releases a rejected one; only a revision of the figure clears it.
//
// collectors/ingest.cc asks it inside the batch's transaction, store/quarantine.cc's
// DecideQuarantine inside the decision's, so no reader ever sees a state in between.
//
// Thread: the thread owning the store connection of the open transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>

#include "config/config.h"
#include "core/period.h"
#include "store/quarantine.h"
#include "store/store.h"

namespace parkwatch {

// Whether figures a collector brought are checked (quarantine: unit_errors).
using QuarantinesCollector = std::function<bool(const std::string& collector)>;

// Each collector's own setting; batch, when given, for its own name (a collector given on the
// command line or in a test, which config may not list). A collector config does not name (since
// removed) has the default, unit_errors.
QuarantinesCollector CollectorQuarantine(const Config& config,
                                         const CollectorConfig* batch = nullptr);

// The changes to the quarantine that the stored figures of touched_enterprises call for, in
// every level indicator and cadence of touched_periods, from the earliest touched period of each
// to the latest stored. Reads through store's connection, so it sees the open transaction.
QuarantineChanges CheckUnitSlips(Store& store, const std::set<int64_t>& touched_enterprises,
                                 const std::set<std::pair<std::string, Period>>& touched_periods,
                                 const std::vector<IndicatorConfig>& indicators,
                                 const QuarantinesCollector& quarantines);

// CheckUnitSlips bound to store and config's indicators and collectors, for DecideQuarantine.
// Holds references: call it while both live.
QuarantineRecheck UnitSlipRecheck(Store& store, const Config& config);

}  // namespace parkwatch
