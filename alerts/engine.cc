#include "alerts/engine.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "core/clock.h"
#include "rules/measure_words.h"

namespace parkwatch {
namespace {

// Whether a period is recent enough to tell people about: it ended at most two periods before
// the one running now in the group's time zone. A bureau's monthly figures arrive around the
// 10th of the next month, so this admits last month and the one before; older periods are
// history, even when they are the newest the store holds (a first load of past years).
Period RecentSince(const RuleGroup& group, int64_t now) {
  auto offset = UtcOffsetMinutes(group.timezone).value_or(8 * 60);
  auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(now + int64_t{offset} * 60))));
  Period running =
      group.cadence == Cadence::kWeekly ? Period::WeekOf(today) : Period::MonthOf(today);
  return running.Prev().Prev();
}

}  // namespace

Observation ObservationOf(const RuleOutcome& outcome) {
  Observation obs;
  obs.period = outcome.period;
  obs.value = outcome.value;
  obs.breach = outcome.level;
  obs.cleared = outcome.cleared;
  return obs;
}

Timing TimingOf(const RuleConfig& rule) {
  Timing timing;
  timing.for_periods = rule.for_periods;
  timing.keep_firing_for = rule.keep_firing_for;
  return timing;
}

void BatchUnion::Add(const BatchSummary& batch) {
  batch_ids.push_back(batch.batch_id);
  if (batch_ids.size() == 1) changes.batch_id = batch.batch_id;
  changes.touched_enterprises.insert(batch.touched_enterprises.begin(),
                                     batch.touched_enterprises.end());
  changes.touched_periods.insert(batch.touched_periods.begin(), batch.touched_periods.end());
  without_figures = without_figures || batch.touched_periods.empty();
}

void BatchUnion::AddStored(Store& store, int64_t batch_id, const BatchChanges* scanned) {
  Add(store.ChangesOfBatch(batch_id, scanned));
  if (!store.ChangesRecorded(batch_id)) reach = BatchReach::kToLatest;
}

std::string BatchUnion::Name() const {
  if (batch_ids.size() == 1) return "batch " + std::to_string(batch_ids[0]);
  auto [low, high] = std::minmax_element(batch_ids.begin(), batch_ids.end());
  return "batches " + std::to_string(*low) + "–" + std::to_string(*high) + " (" +
         std::to_string(batch_ids.size()) + ")";
}

bool StaticLabels(const RuleConfig& rule) {
  for (const auto& [name, text] : rule.labels)
    if (text.find("{{") != std::string::npos) return false;
  return true;
}

namespace {

// Who an observation's events are told to: AlertUpdate's notify and notify_since.
struct Telling {
  bool notify = true;
  Period since;
};

}  // namespace

AlertUpdate ToAlertUpdate(const RuleOutcome& outcome, bool notify, bool annotations) {
  AlertUpdate u;
  u.rule = outcome.rule->name;
  u.labels = outcome.Labels();
  u.observation = ObservationOf(outcome);
  // An observation without data changes nothing and is never stored (alerts/lifecycle.h), so
  // its annotations would be rendered for nobody.
  if (annotations && outcome.value) u.observation.annotations = outcome.Annotations();
  u.timing = TimingOf(*outcome.rule);
  u.notify = notify;
  return u;
}

namespace {

// Names the member of an outcome without data: code and register name, as people look it up.
RuleStatus::NoData NoDataOf(const RuleOutcome& o, const RuleConfig& rule, const RuleData& data,
                            Period p) {
  RuleStatus::NoData n;
  n.period = p.ToString();
  n.reason = o.no_data_reason;
  switch (o.scope) {
    case ScopeKind::kEnterprise:
      n.scope = "enterprise";
      if (o.enterprise >= 0 && static_cast<size_t>(o.enterprise) < data.size()) {
        const EnterpriseRow& row = data.row(o.enterprise);
        n.enterprise = row.credit_code;
        n.name = row.name;
        n.industry = row.industry;
      }
      break;
    case ScopeKind::kIndustry:
      n.scope = "industry";
      n.industry = n.name = data.IndustryName(o.industry);
      break;
    case ScopeKind::kPark:
      n.scope = "park";
      break;
    case ScopeKind::kSet:
      n.scope = "set";
      n.name = rule.set;
      break;
  }
  return n;
}

}  // namespace

// One engine call's observations, applied in one transaction (see ApplyPath in engine.h).
//
// In memory, identities are held per rule: a rule's alerts never share an identity with another
// rule's (the rule is part of the fingerprint), and the engine evaluates rule after rule, so a
// rule's statuses are written when the next rule begins and memory holds one rule's identities.
// Each identity goes through exactly what AlertStore::ApplyMany does with its updates: forward
// steps announced one by one, revisions (a late figure, a revised one) folded into the log and
// announced together before the identity's next forward step or when its status is written.
class AlertEngine::Pass {
 public:
  // durability: of the pass's commit; kDerived only for a pass that marks its batch evaluated
  // in the same transaction (store/sqlite.h: a power cut taking it back leaves the batch
  // unevaluated, and CatchUp evaluates it again at start).
  Pass(AlertStore& alerts, Store& store, ApplyPath path, int64_t now, EngineResult* result,
       Durability durability = Durability::kDurable)
      : alerts_(alerts),
        store_(store),
        path_(path),
        now_(now),
        result_(result),
        durability_(durability) {}

  // Observations of another rule follow: writes the statuses of the one before.
  void BeginRule(const RuleConfig& rule) {
    Flush();
    static_labels_ = StaticLabels(rule);  // identities by scope member, else by fingerprint
  }

  void Observe(const RuleOutcome& o, const Telling& telling) {
    if (path_ == ApplyPath::kPerObservation) {
      updates_.push_back(ToAlertUpdate(o, telling.notify));
      updates_.back().notify_since = telling.since;
      return;
    }
    Identity& id = Find(o);
    Observation obs = ObservationOf(o);
    const Timing timing = TimingOf(*o.rule);
    if (IsRevision(id.status, obs)) {
      // A revision keeps the observation's annotations only in some cases (alerts/lifecycle.h):
      // they are a placeholder naming this observation, rendered only if the lifecycle keeps
      // them, in an event or as the status's last text when the status is written.
      const std::string tag = std::to_string(++observations_);
      if (obs.value) obs.annotations = {{kUnrendered, tag}};
      Revise(&id.status, obs, timing, now_);
      if (!id.revised.valid() || obs.period < id.revised) id.revised = obs.period;
      id.revision = telling;
      id.revising = true;
      TakePlaceholder(id, o, tag);
      return;
    }
    AnnounceRevisions(id);
    // A forward step with data always leaves the status with this observation's annotations, and
    // its events carry them too: no placeholder, the identity notes the outcome they stand for
    // (2.2 M observations of a first start after a bulk load allocated and looked one up each).
    std::vector<AlertEvent> events = Advance(&id.status, obs, timing, now_);
    id.announced = id.status;
    if (obs.value) TakeForward(id, o);
    for (AlertEvent& e : events) Record(id, std::move(e), telling);
  }

  // Runs write (a statement on the store's connection) in the pass's transaction, so that it
  // commits with the alerts; on the per-observation path, after them.
  void Also(std::function<void()> write) {
    if (path_ == ApplyPath::kPerObservation) {
      after_ = std::move(write);
      return;
    }
    Open();
    write();
  }

  // Writes what is left and commits.
  void Finish() {
    if (path_ == ApplyPath::kPerObservation) {
      if (!updates_.empty())
        for (const AlertEventRow& row : alerts_.ApplyMany(updates_, now_)) {
          ++result_->events;
          if (row.notified) ++result_->notifications;
        }
      if (after_) after_();
      return;
    }
    Flush();
    Close();
  }

 private:
  struct Identity {
    MemberKey member{};  // rules with static labels
    std::string fingerprint;
    std::string rule;
    Labels labels;
    Period first_period;  // of the first observation: the cadence of a status without any
    AlertStatus loaded;   // as read from the store (default when new)
    AlertStatus status;   // as advanced by this pass
    // Revisions folded in since the last announcement: what receivers were told then, the
    // earliest period replayed and who the last revision's observation would tell.
    AlertSnapshot announced;
    bool revising = false;
    Period revised;
    Telling revision;
    // The outcome the status's annotations stand for, and its text once rendered: a placeholder
    // naming it (taken_tag) after a revision, or, while stands_for_taken, the status's (empty)
    // annotations themselves after a forward step, and so the annotations of the events copied
    // from the status then.
    std::optional<RuleOutcome> last_taken;
    std::string taken_tag;
    bool stands_for_taken = false;
    std::optional<std::map<std::string, std::string>> taken_text;
  };
  // The key of the placeholder annotations (no template can produce it).
  static constexpr const char* kUnrendered = "\x01unrendered";

  // Notes o as the outcome the status's annotations stand for after a forward step.
  static void TakeForward(Identity& id, const RuleOutcome& o) {
    id.last_taken = o;
    id.taken_tag.clear();
    id.stands_for_taken = true;
    id.taken_text.reset();
  }

  // Notes o as the outcome the status's annotations stand for, if the revision kept its tag.
  static void TakePlaceholder(Identity& id, const RuleOutcome& o, const std::string& tag) {
    auto it = id.status.annotations.find(kUnrendered);
    if (it == id.status.annotations.end() || it->second != tag) return;
    id.last_taken = o;
    id.taken_tag = tag;
    id.stands_for_taken = false;
    id.taken_text.reset();
  }

  // Replaces annotations that stand for the last taken outcome by its text: a placeholder, or
  // the empty annotations of a forward step (an event carries the annotations of the
  // observation it follows or of the status).
  static void Render(Identity& id, std::map<std::string, std::string>* annotations) {
    if (id.stands_for_taken) {
      if (!annotations->empty())
        throw std::logic_error("alert engine: annotations of a forward step not empty");
    } else {
      auto it = annotations->find(kUnrendered);
      if (it == annotations->end()) return;
      if (!id.last_taken || it->second != id.taken_tag)
        throw std::logic_error("alert engine: annotations of an observation no longer held");
    }
    if (!id.taken_text) id.taken_text = id.last_taken->Annotations();
    *annotations = *id.taken_text;
  }

  void AnnounceRevisions(Identity& id) {
    if (!id.revising) return;
    for (AlertEvent& e : Announce(id.announced, &id.status, id.revised, now_))
      Record(id, std::move(e), id.revision);
    id.announced = id.status;
    id.revising = false;
    id.revised = Period();
  }

  void Record(Identity& id, AlertEvent e, const Telling& telling) {
    Open();
    Render(id, &e.annotations);
    const bool told = IsTold(e, telling.notify, telling.since);
    alerts_.RecordEvent(id.fingerprint, id.rule, id.labels, std::move(e), told, now_);
    ++result_->events;
    if (told) ++result_->notifications;
  }

  void Open() {
    if (!txn_) txn_.emplace(store_.db(), durability_);
  }

  // A first pass over years writes hundreds of thousands of rows into indices keyed by
  // fingerprint, all over the file: with SQLite's default 2 MB page cache the transaction spilled
  // pages to the WAL over and over (a third of the start). A large pass gets room, given back
  // after; a live batch's pass (a few identities) changes nothing.
  void Grow() {
    if (large_ || ++loaded_ < kLarge) return;
    large_ = true;
    Exec(store_.db(), "PRAGMA cache_size = -32768");
  }

  void Close() {
    if (!txn_) return;
    txn_->Commit();
    txn_.reset();
    if (!large_) return;
    Exec(store_.db(), "PRAGMA cache_size = -2000");  // SQLite's default
    // The pages, and the pass's identities, go back to the system rather than staying in the
    // process's heap until the next large pass.
    sqlite3_db_release_memory(store_.db());
    malloc_trim(0);
  }

  Identity& Find(const RuleOutcome& o) {
    if (static_labels_) {
      const MemberKey key = MemberKey::Of(o);
      // Enterprises, nearly every identity, by their index: a vector read where a hash map's
      // node missed the cache for each of the 2 M observations of a first start.
      const bool indexed = key.scope == ScopeKind::kEnterprise && key.enterprise >= 0;
      if (indexed) {
        const auto e = static_cast<size_t>(key.enterprise);
        if (e < by_enterprise_.size() && by_enterprise_[e] != kNone &&
            identities_[by_enterprise_[e]].member == key)
          return identities_[by_enterprise_[e]];
      }
      auto [it, added] = by_member_.try_emplace(key, identities_.size());
      if (!added) return identities_[it->second];
      if (indexed) {
        const auto e = static_cast<size_t>(key.enterprise);
        if (e >= by_enterprise_.size()) by_enterprise_.resize(e + 1, kNone);
        if (by_enterprise_[e] == kNone) by_enterprise_[e] = it->second;
      }
      Identity& id = Load(o, o.Labels());
      id.member = key;
      return id;
    }
    Labels labels = o.Labels();
    auto [it, added] = by_fingerprint_.try_emplace(Fingerprint(o.rule->name, labels), 0);
    if (!added) return identities_[it->second];
    it->second = identities_.size();
    return Load(o, std::move(labels));
  }

  Identity& Load(const RuleOutcome& o, Labels labels) {
    Open();
    Grow();
    Identity& id = identities_.emplace_back();
    id.rule = o.rule->name;
    id.fingerprint = Fingerprint(id.rule, labels);
    id.labels = std::move(labels);
    id.first_period = o.period;
    // A rule without any stored status has none to look up (a first start after a bulk load, the
    // first deadline check after it, a new rule): asked once per rule and pass, and true from
    // the moment this pass writes one of the rule's statuses.
    auto [stored, added] = rule_stored_.try_emplace(id.rule, false);
    if (added) stored->second = alerts_.AnyOfRule(id.rule);
    if (stored->second)
      if (auto row = alerts_.Get(id.fingerprint)) id.loaded = std::move(row->status);
    id.status = id.loaded;
    id.announced = id.status;
    return id;
  }

  void Flush() {
    // Revisions still folded in are announced, identity by identity in the order they were
    // first observed (as ApplyMany does at the end of an identity's updates).
    std::vector<Identity*> changed;
    for (Identity& id : identities_) {
      AnnounceRevisions(id);
      Render(id, &id.status.annotations);
      if (!(id.status == id.loaded)) changed.push_back(&id);
    }
    // In key order: the alerts table is keyed by fingerprint, so sorted writes fill its pages one
    // after the other instead of at random.
    std::sort(changed.begin(), changed.end(),
              [](const Identity* a, const Identity* b) { return a->fingerprint < b->fingerprint; });
    for (Identity* id : changed) {
      alerts_.SaveStatus(id->fingerprint, id->rule, id->labels, id->status, id->first_period);
      rule_stored_[id->rule] = true;
    }
    identities_.clear();
    by_member_.clear();
    by_enterprise_.clear();
    by_fingerprint_.clear();
  }

  AlertStore& alerts_;
  Store& store_;
  const ApplyPath path_;
  const int64_t now_;
  EngineResult* result_;
  const Durability durability_;
  std::optional<Transaction> txn_;
  std::function<void()> after_;  // Also's write on the per-observation path
  bool static_labels_ = true;
  std::vector<Identity> identities_;
  std::unordered_map<MemberKey, size_t, MemberHash> by_member_;
  static constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<size_t> by_enterprise_;  // identity of each enterprise-scope member, or kNone
  std::unordered_map<std::string, size_t> by_fingerprint_;
  std::map<std::string, bool> rule_stored_;  // whether any status of the rule is stored
  std::vector<AlertUpdate> updates_;         // kPerObservation
  int64_t observations_ = 0;                 // numbers the placeholders
  static constexpr int64_t kLarge = 4096;    // identities that make a pass large
  int64_t loaded_ = 0;
  bool large_ = false;
};

AlertEngine::AlertEngine(Store* store, std::vector<std::pair<std::string, Cadence>> keep_tables,
                         std::vector<std::pair<std::string, Cadence>> keep_price_indices)
    : store_(store), alerts_(store) {
  data_.KeepTables(std::move(keep_tables), std::move(keep_price_indices));
}
AlertEngine::~AlertEngine() = default;

EngineResult AlertEngine::SetRules(std::shared_ptr<const RuleSet> rules,
                                   std::shared_ptr<const Config> config, int64_t now) {
  int64_t started = SteadyNanos();
  rules_ = std::move(rules);
  config_ = std::move(config);
  evaluator_ = std::make_unique<Evaluator>(*rules_, *config_);
  // Listed before loading: the data read next holds these batches, so evaluating them needs no
  // second read (a batch committed in between is the minute tick's CatchUp).
  // The scan that loads the data also gathers what those batches set: a bulk load's batch is
  // every figure, and reading them all a second time for it cost as much again.
  std::vector<int64_t> unevaluated = store_->UnevaluatedBatches();
  BatchChanges scanned(unevaluated);
  data_.Load(*store_, *config_, *rules_, &scanned);
  std::map<std::string, RuleStatus> fresh;
  for (const auto& group : rules_->groups)
    for (const auto& rule : group.rules) {
      RuleStatus s = status_.count(rule.name) ? status_[rule.name] : RuleStatus{};
      s.group = group.name;
      s.name = rule.name;
      s.kind = RuleKindName(rule.kind);
      s.cadence = std::string(CadenceName(group.cadence));
      s.measure = rule.measure.text;
      fresh[rule.name] = s;
    }
  status_ = std::move(fresh);
  last_due_.clear();
  // Batches committed before a crash cut their evaluation short, or written by `parkwatch
  // ingest`, are evaluated first, together (BatchUnion), so `for` counts and states come out as if
  // each had been evaluated as it arrived.
  EngineResult result;
  std::set<std::string> current;  // rules those batches left evaluated at their latest period
  BatchUnion pending;
  for (int64_t batch_id : unevaluated) pending.AddStored(*store_, batch_id, &scanned);
  if (!pending.empty())
    Add(&result, EvaluateBatches(pending, now, /*data_current=*/true, &current));
  // New thresholds apply to the present at once: evaluate each rule's latest period, unless the
  // batches just did so for every member with these rules and this data (a first start after a
  // bulk load): the same observations again would change nothing.
  Pass pass(alerts_, *store_, apply_path_, now, &result);
  for (const auto& group : rules_->groups)
    for (const auto& rule : group.rules) {
      if (rule.kind == RuleKind::kMissingReport) continue;  // CheckDeadlines does these
      if (current.count(rule.name)) {
        RuleStatus& status = status_[rule.name];
        status.last_outcomes = latest_tally_[rule.name].outcomes;
        status.last_no_data = latest_tally_[rule.name].no_data;
        continue;
      }
      auto latest = data_.LatestPeriod(group.cadence);
      if (latest) EvaluateRule(group, rule, {*latest}, nullptr, &pass, &result, now);
    }
  pass.Finish();
  result.seconds = (SteadyNanos() - started) / 1e9;
  return result;
}

EngineResult AlertEngine::OnBatch(const BatchSummary& batch, int64_t now) {
  return OnBatches(BatchUnion(batch), now);
}

EngineResult AlertEngine::OnBatches(const BatchUnion& batches, int64_t now) {
  // The batches are marked evaluated in the alerts' own transaction: both or neither survive a
  // crash, and one commit (one fsync), not two, stands between the batch and the dispatcher.
  return EvaluateBatches(batches, now, /*data_current=*/false);
}

EngineResult AlertEngine::EvaluateBatches(const BatchUnion& batches, int64_t now, bool data_current,
                                          std::set<std::string>* current) {
  int64_t started = SteadyNanos();
  EngineResult result;
  auto mark = [&] {
    for (int64_t id : batches.batch_ids) store_->MarkEvaluated(id);
  };
  auto mark_alone = [&] {  // nothing to evaluate: the marks in one commit
    Transaction txn(store_->db());
    mark();
    txn.Commit();
  };
  const BatchSummary& batch = batches.changes;
  if (!rules_) {
    mark_alone();
    return result;
  }
  BatchEffect effect = data_current ? data_.EffectOf(batch) : data_.ApplyBatch(*store_, batch);
  if (effect.enterprises.empty() && !effect.reloaded && !effect.price_index_changed) {
    mark_alone();
    return result;
  }
  // After a full reload every enterprise may have changed; otherwise only the touched ones.
  const std::set<EnterpriseIndex>* only =
      effect.reloaded || effect.price_index_changed ? nullptr : &effect.enterprises;
  // Marked evaluated with their alerts, the batches' evaluation is derived (see Pass): the fsync
  // that makes a batch durable is the only one before its notifications are sent.
  Pass pass(alerts_, *store_, apply_path_, now, &result,
            !batches.empty() && apply_path_ == ApplyPath::kInMemory ? Durability::kDerived
                                                                    : Durability::kDurable);
  // An attribute (industry, key flag, 规上 years) is one value per enterprise, read by every
  // period's evaluation — a backtest over the final data applies the final register to every
  // period — so a change of one reaches every period of every rule, for the enterprises it changed
  // and for every industry (an industry's aggregates gain or lose the enterprise).
  const BatchEffect* moved = effect.attributes_changed.empty() ? nullptr : &effect;
  for (const auto& group : rules_->groups) {
    // A batch of weekly figures leaves monthly rules as they were, and the other way round;
    // only a batch without figures (attributes: key flag, industry) concerns every group.
    bool touches_group = batches.without_figures || effect.price_index_changed || moved;
    for (const auto& [indicator, period] : batch.touched_periods)
      touches_group = touches_group || period.cadence() == group.cadence;
    if (!touches_group) continue;
    for (const auto& rule : group.rules) {
      std::vector<Period> periods =
          PeriodsToEvaluate(group, rule, data_, moved ? nullptr : &batch, batches.reach);
      const std::set<EnterpriseIndex>* members =
          moved && rule.scope != ScopeKind::kEnterprise ? nullptr : only;
      if (rule.kind == RuleKind::kMissingReport) {
        // Late data resolves a missing report: re-check the due period for whoever reported.
        auto it = last_due_.find(rule.name);
        if (it == last_due_.end()) continue;
        auto due = Period::Parse(it->second);
        if (due) EvaluateRule(group, rule, {*due}, members, &pass, &result, now, moved);
        continue;
      }
      EvaluateRule(group, rule, periods, members, &pass, &result, now, moved);
      if (!current) continue;
      auto latest = data_.LatestPeriod(group.cadence);
      if (!only && latest && std::count(periods.begin(), periods.end(), *latest) &&
          status_[rule.name].last_error.empty())
        current->insert(rule.name);
      else
        current->erase(rule.name);
    }
  }
  pass.Also(mark);
  pass.Finish();
  result.seconds = (SteadyNanos() - started) / 1e9;
  return result;
}

void AlertEngine::Add(EngineResult* total, const EngineResult& one) {
  total->observations += one.observations;
  total->events += one.events;
  total->notifications += one.notifications;
  total->seconds += one.seconds;
  total->errors.insert(total->errors.end(), one.errors.begin(), one.errors.end());
}

EngineResult AlertEngine::CatchUp(int64_t now) {
  BatchUnion pending;
  for (int64_t batch_id : store_->UnevaluatedBatches()) pending.AddStored(*store_, batch_id);
  if (pending.empty()) return {};
  return OnBatches(pending, now);
}

EngineResult AlertEngine::CheckDeadlines(int64_t now) {
  int64_t started = SteadyNanos();
  EngineResult result;
  if (!rules_) return result;
  Pass pass(alerts_, *store_, apply_path_, now, &result);
  for (const auto& group : rules_->groups)
    for (const auto& rule : group.rules) {
      if (rule.kind != RuleKind::kMissingReport) continue;
      auto due = Evaluator::DuePeriod(group, rule, now);
      if (!due) continue;
      std::string key = due->ToString();
      if (last_due_[rule.name] == key) continue;  // already evaluated for this deadline
      last_due_[rule.name] = key;
      EvaluateRule(group, rule, {*due}, nullptr, &pass, &result, now);
    }
  pass.Finish();
  result.seconds = (SteadyNanos() - started) / 1e9;
  return result;
}

void AlertEngine::EvaluateRule(const RuleGroup& group, const RuleConfig& rule,
                               const std::vector<Period>& periods,
                               const std::set<EnterpriseIndex>* only, Pass* pass,
                               EngineResult* result, int64_t now, const BatchEffect* moved) {
  if (periods.empty()) return;
  int64_t started = SteadyNanos();
  RuleStatus& status = status_[rule.name];
  status.last_error.clear();
  status.last_outcomes = status.last_no_data = 0;
  auto latest = data_.LatestPeriod(group.cadence);
  pass->BeginRule(rule);
  try {
    for (Period p : periods) {
      // The notification horizon: recent periods, and of those only the latest of the data
      // (missing reports are due by the clock, not by the data: their period is current).
      // Replays of late figures are dated at the latest period, so they are told too.
      Period since = RecentSince(group, now);
      if (rule.kind != RuleKind::kMissingReport && latest && *latest > since) since = *latest;
      status.no_data.clear();
      status.no_data_at_last_period = 0;
      Tally& tally = latest_tally_[rule.name];
      tally = {};
      std::set<EnterpriseIndex> enterprises_seen;
      std::set<int32_t> industries_seen;
      for (const RuleOutcome& o : evaluator_->Evaluate(group, rule, data_, p, only)) {
        // A report missing since before the horizon (a history load whose data ended long ago,
        // an old gap) is recorded, not told: receivers hear of reports that have just become due.
        Telling telling{p >= since, since};
        if (o.missing_since && *o.missing_since < RecentSince(group, now)) telling = {false, {}};
        pass->Observe(o, telling);
        if (moved && o.scope == ScopeKind::kEnterprise) enterprises_seen.insert(o.enterprise);
        if (moved && o.scope == ScopeKind::kIndustry) industries_seen.insert(o.industry);
        ++status.last_outcomes;
        ++tally.outcomes;
        if (!o.value) {
          ++status.last_no_data;
          ++tally.no_data;
          if (++status.no_data_at_last_period <= static_cast<int64_t>(kMaxNoDataListed))
            status.no_data.push_back(NoDataOf(o, rule, data_, p));
        }
      }
      if (moved)
        ObserveLeftScope(group, rule, p, since, *moved, enterprises_seen, industries_seen, pass);
      status.last_period = p.ToString();
    }
  } catch (const std::exception& e) {
    status.last_error = e.what();
    result->errors.push_back(rule.name + ": " + e.what());
  }
  result->observations += status.last_outcomes;
  status.last_evaluation = now;
  status.last_duration_seconds = (SteadyNanos() - started) / 1e9;
}

void AlertEngine::ObserveLeftScope(const RuleGroup& group, const RuleConfig& rule, Period p,
                                   Period since, const BatchEffect& moved,
                                   const std::set<EnterpriseIndex>& enterprises_seen,
                                   const std::set<int32_t>& industries_seen, Pass* pass) {
  RuleOutcome gone;
  gone.rule = &rule;
  gone.group = &group;
  gone.period = p;
  gone.no_data_reason = Wording{"outside the rule's scope", "不在规则范围内"};
  gone.data = &data_;
  gone.config = config_.get();
  const Telling telling{p >= since, since};
  if (rule.scope == ScopeKind::kEnterprise || rule.kind != RuleKind::kThreshold) {
    gone.scope = ScopeKind::kEnterprise;
    for (EnterpriseIndex e : moved.attributes_changed)
      if (!enterprises_seen.count(e)) {
        gone.enterprise = e;
        pass->Observe(gone, telling);
      }
  }
  if (rule.scope == ScopeKind::kIndustry) {
    gone.enterprise = -1;
    gone.scope = ScopeKind::kIndustry;
    for (int32_t i : moved.industries_left)
      if (!industries_seen.count(i)) {
        gone.industry = i;
        pass->Observe(gone, telling);
      }
  }
}

std::vector<RuleStatus> AlertEngine::RuleStatuses() const {
  std::vector<RuleStatus> out;
  if (!rules_) return out;
  for (const auto& group : rules_->groups)
    for (const auto& rule : group.rules)
      if (auto it = status_.find(rule.name); it != status_.end()) out.push_back(it->second);
  return out;
}

}  // namespace parkwatch
