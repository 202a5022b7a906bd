// The alert engine: where rule evaluation meets the durable alert lifecycle.
//
// It owns the in-memory rule data (rules/rule_data.h) and an AlertStore on one store
// connection, and is driven by three events: a committed batch (OnBatch: re-evaluates only what
// the batch touched), a clock tick (CheckDeadlines: missing-report rules), and new rules
// (SetRules: at start and on every reload, re-evaluating the latest period with the new
// thresholds). Each call writes its state changes, events and notifications in one transaction.
//
// Events at periods before the latest one of their cadence are history (a first load of three
// years of data replays them through the state machine so `for` counts are right) and are not
// notified: nobody wants a message in 2026 about 2023.
//
// Not thread-safe: the daemon calls it on its worker thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "config/config.h"
#include "rules/evaluator.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"
#include "store/store.h"

namespace parkwatch {

struct EngineResult {
  int64_t observations = 0;
  int64_t events = 0;
  int64_t notifications = 0;  // events that went to the outbox
  double seconds = 0;
  std::vector<std::string> errors;  // one per failing rule: "RuleName: message"
};

// Committed batches evaluated as one: a pile of inbox files, the batches a crash left unevaluated.
// What they changed together is evaluated once, from the earliest period any of them touched to
// the latest, with the data as it is after the last of them: each alert's log is replayed from
// there (alerts/lifecycle.h), so the alerts end exactly where evaluating the batches one by one
// ends (and where `backtest` ends), and the events are those of the net change — a firing that a
// later file of the same pile takes back is never told. Any thread.
struct BatchUnion {
  std::vector<int64_t> batch_ids;  // in the order added; marked evaluated with the alerts
  BatchSummary changes;            // touched_enterprises and touched_periods of them all
  // One of them changed no figure (a file resent unchanged, an attribute), which concerns every
  // group's latest period whatever the others touched. An attribute that changed (key flag,
  // industry, size: RuleData::ApplyBatch tells) concerns every period of every group.
  bool without_figures = false;
  // Their summaries name every change (an ingest's, a quarantine decision's, and one read back
  // from the store of a batch that recorded its changes): the periods the changes reach are
  // evaluated. A batch committed before the store recorded the later figures a batch's unit-slip
  // check held or let back in (Store::ChangesRecorded) is followed to the latest: kToLatest.
  BatchReach reach = BatchReach::kReached;

  BatchUnion() = default;
  explicit BatchUnion(const BatchSummary& batch) { Add(batch); }
  void Add(const BatchSummary& batch);
  // Adds a committed batch as the store recorded it (Store::ChangesOfBatch: another process's,
  // or one a crash left unevaluated). scanned: as for ChangesOfBatch.
  void AddStored(Store& store, int64_t batch_id, const BatchChanges* scanned = nullptr);
  bool empty() const { return batch_ids.empty(); }
  // "batch 12", "batches 12–361 (350)": what a log line names.
  std::string Name() const;
};

// What GET /api/v1/rules shows of each rule.
struct RuleStatus {
  std::string group;
  std::string name;
  std::string kind;     // threshold | missing_report | anomaly
  std::string cadence;  // weekly | monthly
  std::string measure;
  int64_t last_evaluation = 0;  // unix seconds; 0 = never
  double last_duration_seconds = 0;
  std::string last_period;
  int64_t last_outcomes = 0;
  int64_t last_no_data = 0;
  std::string last_error;
  // The members without data at last_period (an evaluation of several periods lists the
  // latest's), with the reason, the first kMaxNoDataListed of them (no_data_at_last_period
  // counts them all): who has to send what.
  int64_t no_data_at_last_period = 0;
  struct NoData {
    std::string scope;       // enterprise | industry | park | set
    std::string enterprise;  // credit code (enterprise scope)
    std::string name;        // the register's name of the enterprise, the industry or the set
    std::string industry;
    std::string period;
    Wording reason;  // worded where it was decided (rules/measures.h)
  };
  std::vector<NoData> no_data;
};

// How many members without data a rule's status lists.
inline constexpr size_t kMaxNoDataListed = 50;

class AlertEngine {
 public:
  // keep_tables, keep_price_indices: tables and price indices the rule data holds beside the
  // rules' own (RuleData::KeepTables), for readers of data() other than the rules (the daemon's
  // figure gauges).
  explicit AlertEngine(Store* store, std::vector<std::pair<std::string, Cadence>> keep_tables = {},
                       std::vector<std::pair<std::string, Cadence>> keep_price_indices = {});
  ~AlertEngine();

  // Installs rules (and the config they are read with), loads the data they need from the store
  // and evaluates each rule at its latest period. Throws StoreError.
  EngineResult SetRules(std::shared_ptr<const RuleSet> rules, std::shared_ptr<const Config> config,
                        int64_t now);
  // Evaluates what a committed batch touched and marks the batch evaluated in the store, in the
  // same transaction as its alerts and notifications (after them on the per-observation path).
  EngineResult OnBatch(const BatchSummary& batch, int64_t now);
  // The same for batches committed one after the other since the last evaluation, evaluated
  // together (BatchUnion) and marked evaluated together.
  EngineResult OnBatches(const BatchUnion& batches, int64_t now);
  EngineResult CheckDeadlines(int64_t now);
  // Evaluates committed batches the rules have not seen, together (OnBatches): those a crash
  // interrupted, and those another process (`parkwatch ingest`) wrote. SetRules starts with
  // them; the daemon also calls it on its minute tick.
  EngineResult CatchUp(int64_t now);

  std::vector<RuleStatus> RuleStatuses() const;
  const RuleData& data() const { return data_; }

  // How a pass's observations reach the store. kInMemory (the default): each alert identity's
  // status is read once, advanced through all of the pass's observations in memory exactly as
  // AlertStore::ApplyMany would (alerts/lifecycle.h: forward steps announced one by one,
  // revisions folded into the log and announced together), and written once; events and outbox
  // rows are written as they happen, so each identity's events come in the same order (the ids
  // interleave across identities); annotations are rendered only for what is kept: events and
  // each identity's last status. kPerObservation: every observation becomes an AlertUpdate with
  // its annotations and the pass goes through AlertStore::ApplyMany: the reference the
  // in-memory path is tested against (tests/alert_engine_paths_test.cc), ~100 µs an observation
  // on a first start after a bulk load.
  enum class ApplyPath { kInMemory, kPerObservation };
  void set_apply_path(ApplyPath path) { apply_path_ = path; }

 private:
  class Pass;  // one call's observations in one transaction (engine.cc)
  static void Add(EngineResult* total, const EngineResult& one);

  // data_current: the rule data was loaded after the batches were committed (at start), so it
  // need not be read again.
  // current, when given, is kept to the rules whose last evaluation here covered every member at
  // the latest period of their cadence. The batches are marked evaluated in the same transaction
  // as the alerts.
  EngineResult EvaluateBatches(const BatchUnion& batches, int64_t now, bool data_current,
                               std::set<std::string>* current = nullptr);
  // Evaluates rule at periods into pass; told: events at or after the notification horizon
  // (recent periods, the latest of the data), never a report missing since before it.
  // moved: the batches' attribute changes, whose members left out of the rule's scope are
  // observed without data (nullptr: none).
  void EvaluateRule(const RuleGroup& group, const RuleConfig& rule,
                    const std::vector<Period>& periods, const std::set<EnterpriseIndex>* only,
                    Pass* pass, EngineResult* result, int64_t now,
                    const BatchEffect* moved = nullptr);
  // The members moved took out of rule's scope at p (a key flag turned off, the last enterprise
  // of an industry gone to another), those without an outcome there (seen: the ones with one),
  // observed without data (told from since on, as any observation): that takes the period out of
  // their alerts' logs, as a backtest never saw them.
  void ObserveLeftScope(const RuleGroup& group, const RuleConfig& rule, Period p, Period since,
                        const BatchEffect& moved, const std::set<EnterpriseIndex>& enterprises_seen,
                        const std::set<int32_t>& industries_seen, Pass* pass);

  Store* store_;
  AlertStore alerts_;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const Config> config_;
  std::unique_ptr<Evaluator> evaluator_;
  RuleData data_;
  std::map<std::string, RuleStatus> status_;     // by rule name
  std::map<std::string, std::string> last_due_;  // missing-report rule -> period
  // Outcomes and those without data of each rule's last evaluated period (RuleStatus counts
  // every period of an evaluation).
  struct Tally {
    int64_t outcomes = 0, no_data = 0;
  };
  std::map<std::string, Tally> latest_tally_;
  ApplyPath apply_path_ = ApplyPath::kInMemory;
};

// An outcome as the lifecycle sees it: labels, and the annotations when it has data (without
// data the lifecycle ignores the observation) and the caller wants them (a backtest shows no
// text). Call it while the outcome's RuleData is current.
AlertUpdate ToAlertUpdate(const RuleOutcome& outcome, bool notify, bool annotations = true);

// An outcome's numbers as the lifecycle observes them, without labels or annotations; a rule's
// timing (for, keep_firing_for). What ToAlertUpdate fills in, for callers that key identities
// themselves (the engine's pass, the backtest's replay). Any thread.
Observation ObservationOf(const RuleOutcome& outcome);
Timing TimingOf(const RuleConfig& rule);

// Whom an outcome is about, as numbers: a rule whose labels are plain text (StaticLabels) names
// each alert identity by its scope member, so identities are keyed by MemberKey and their labels
// and fingerprint built once per identity rather than once per observation. A rule whose labels
// are templates may name another identity every period: key those by fingerprint. Any thread.
struct MemberKey {
  ScopeKind scope;
  EnterpriseIndex enterprise;
  int32_t industry;
  static MemberKey Of(const RuleOutcome& o) { return {o.scope, o.enterprise, o.industry}; }
  friend bool operator==(const MemberKey&, const MemberKey&) = default;
};
struct MemberHash {
  size_t operator()(const MemberKey& k) const {
    return std::hash<int64_t>()((int64_t{k.enterprise} << 20) ^ (int64_t{k.industry} << 4) ^
                                static_cast<int64_t>(k.scope));
  }
};
bool StaticLabels(const RuleConfig& rule);

}  // namespace parkwatch
