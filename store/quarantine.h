// The quarantine of suspected unit slips: figures a collector brought that look like 元 typed as
// 万元 (or the like) are stored, but held out of every aggregate and every rule until a revision
// of the figure arrives (it is checked again) or a person confirms it.
//
// One mechanism: the ingest transaction writes its figures and the changes the unit-slip check
// (rules/unit_slip_hold.h, the unit_slip measure's own test) then finds in the series they touch
// — new holds, and holds that history arriving later no longer supports — in the same commit;
// a decision does the same for the periods after the figure decided. So what is held depends on
// the stored figures and decisions only, not on the order they arrived in. Every reader of figures
// for aggregates (Store::Series, ForEachFigure, ForEachCurrentFigure, hence the rules' RuleData,
// /metrics, /api/v1/series, the monthly report and backtest) sees a held or rejected figure as held
// and counts it nowhere. A decision is recorded as a batch of its own: the running daemon follows
// it like any batch (Store::ChangesOfBatch), so a confirm from the command line re-decides the
// alerts as a revision does.
//
// States: held (the check flagged it; nobody has decided), confirmed (a person says the figure is
// right: it counts), rejected (a person says it is wrong: it stays out until a revision).
//
// Thread: the thread owning the Store (the store worker in the daemon; the command line).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/period.h"
#include "store/store.h"

namespace parkwatch {

struct QuarantinedFigure {
  std::string credit_code;
  std::string name;
  std::string industry;
  std::string indicator;
  Period period;
  double value = 0;   // base unit (yuan for money)
  double level = 0;   // the enterprise's recent level the figure was checked against
  int exponent = 0;   // 4: about 10 000 times the level, -1: about a tenth
  std::string state;  // held | confirmed | rejected
  std::string collector;
  int64_t batch_id = 0;  // the batch that brought it
  std::string decided_by;
  int64_t decided_at = 0;  // unix seconds; 0 while held
};

// Held and rejected figures (and, with decided, confirmed ones too), newest period first.
std::vector<QuarantinedFigure> QuarantinedFigures(Store& store, bool decided = false);

// Figures in quarantine by (collector, state), confirmed ones not counted: the metric's series.
std::map<std::pair<std::string, std::string>, int64_t> QuarantineCounts(Store& store);

struct QuarantineDecision {
  std::string credit_code;
  Period period;
  std::string indicator;  // "" = every quarantined figure of the enterprise and period
  bool confirm = true;    // false: reject
  std::string who;        // cli:USER, user:NAME, token:admin
  std::string source;     // "parkwatch figures confirm", "POST /api/v1/quarantine/confirm"
};

// The unit-slip check over the stored series of enterprises from the earliest of periods on
// (rules/unit_slip_hold.h's CheckUnitSlips, bound to the configuration by the caller).
using QuarantineRecheck = std::function<QuarantineChanges(
    const std::set<int64_t>& enterprises, const std::set<std::pair<std::string, Period>>& periods)>;

// Confirms or rejects the matching figures that are held (a reject also takes confirmed ones
// back out; a confirm also lets rejected ones in), as one batch that the rules follow, and
// records it in the audit trail. A confirmed figure enters the recent level of the periods after
// it, a rejected one leaves it: recheck, when given, re-decides those in the same transaction.
// Returns the batch (status committed, figures_revised = figures decided; touched_* what the
// rules re-read) — or, when nothing matched, a summary with batch_id 0 and the reason as its one
// error.
BatchSummary DecideQuarantine(Store& store, const QuarantineDecision& decision,
                              const QuarantineRecheck& recheck = {});

// Writes holds (state held) and releases (of figures still held: a decision is never undone by
// the check), and records them as changes of batch_id (Store::ChangesOfBatch reads them back).
// Called inside the caller's transaction.
void WriteQuarantineChanges(Store& store, const QuarantineChanges& changes, int64_t batch_id);
// Adds the figures whose hold changes (anywhere in their series, not only at the batch's own
// periods) to a batch's touched enterprises and (indicator, period)s: what the rules count
// changes there, and the rules re-evaluate only the periods a batch's changes reach.
void TouchQuarantineChanges(Store& store, const QuarantineChanges& changes,
                            std::set<int64_t>* enterprises,
                            std::set<std::pair<std::string, Period>>* periods);

// The figures a person confirmed (the unit-slip alert about them resolves), of one enterprise
// or (enterprise_id 0) of all: (enterprise id, indicator name, period).
struct ConfirmedFigure {
  int64_t enterprise_id = 0;
  std::string indicator;
  Period period;
};
std::vector<ConfirmedFigure> ConfirmedFigures(Store& store, int64_t enterprise_id = 0);

// "约为近期水平的 10000 倍" / "about 10000 times the recent level" and the inverse ("1/10").
std::string SlipFactorWords(int exponent, bool zh);

}  // namespace parkwatch
