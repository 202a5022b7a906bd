#include "alerts/engine.h"

#include <chrono>

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

AlertUpdate ToAlertUpdate(const RuleOutcome& outcome, bool notify, bool annotations) {
  AlertUpdate u;
  u.rule = outcome.rule->name;
  u.labels = outcome.Labels();
  u.observation.period = outcome.period;
  u.observation.value = outcome.value;
  u.observation.breach = outcome.level;
  u.observation.cleared = outcome.cleared;
  // An observation without data changes nothing and is never stored (alerts/lifecycle.h), so
  // its annotations would be rendered for nobody.
  if (annotations && outcome.value) u.observation.annotations = outcome.Annotations();
  u.timing.for_periods = outcome.rule->for_periods;
  u.timing.keep_firing_for = outcome.rule->keep_firing_for;
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

AlertEngine::AlertEngine(Store* store, std::vector<std::pair<std::string, Cadence>> keep_tables)
    : store_(store), alerts_(store) {
  data_.KeepTables(std::move(keep_tables));
}
AlertEngine::~AlertEngine() = default;

EngineResult AlertEngine::SetRules(std::shared_ptr<const RuleSet> rules,
                                   std::shared_ptr<const Config> config, int64_t now) {
  int64_t started = SteadyNanos();
  rules_ = std::move(rules);
  config_ = std::move(config);
  evaluator_ = std::make_unique<Evaluator>(*rules_, *config_);
  data_.Load(*store_, *config_, *rules_);
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
  // Batches committed before a crash cut their evaluation short are evaluated first, in
  // order, so `for` counts and states come out as if nothing had happened.
  EngineResult result = CatchUp(now);
  // New thresholds apply to the present at once: evaluate each rule's latest period.
  std::vector<AlertUpdate> updates;
  for (const auto& group : rules_->groups)
    for (const auto& rule : group.rules) {
      if (rule.kind == RuleKind::kMissingReport) continue;  // CheckDeadlines does these
      auto latest = data_.LatestPeriod(group.cadence);
      if (latest) EvaluateRule(group, rule, {*latest}, nullptr, &updates, &result, now);
    }
  return Commit(std::move(updates), std::move(result), now, started);
}

EngineResult AlertEngine::OnBatch(const BatchSummary& batch, int64_t now) {
  EngineResult result = EvaluateBatch(batch, now);
  // Marked after the alert transaction: a crash in between evaluates the batch again at start,
  // which changes nothing the second time (the lifecycle is idempotent per period).
  if (batch.batch_id) store_->MarkEvaluated(batch.batch_id);
  return result;
}

EngineResult AlertEngine::EvaluateBatch(const BatchSummary& batch, int64_t now) {
  int64_t started = SteadyNanos();
  EngineResult result;
  if (!rules_) return result;
  BatchEffect effect = data_.ApplyBatch(*store_, batch);
  if (effect.enterprises.empty() && !effect.reloaded && !effect.price_index_changed) return result;
  // After a full reload every enterprise may have changed; otherwise only the touched ones.
  const std::set<EnterpriseIndex>* only =
      effect.reloaded || effect.price_index_changed ? nullptr : &effect.enterprises;
  std::vector<AlertUpdate> updates;
  for (const auto& group : rules_->groups) {
    // A batch of weekly figures leaves monthly rules as they were, and the other way round;
    // only a batch without figures (attributes: key flag, industry) concerns every group.
    bool touches_group = batch.touched_periods.empty() || effect.price_index_changed;
    for (const auto& [indicator, period] : batch.touched_periods)
      touches_group = touches_group || period.cadence() == group.cadence;
    if (!touches_group) continue;
    for (const auto& rule : group.rules) {
      std::vector<Period> periods = PeriodsToEvaluate(group, rule, data_, &batch);
      if (rule.kind == RuleKind::kMissingReport) {
        // Late data resolves a missing report: re-check the due period for whoever reported.
        auto it = last_due_.find(rule.name);
        if (it == last_due_.end()) continue;
        auto due = Period::Parse(it->second);
        if (due) EvaluateRule(group, rule, {*due}, only, &updates, &result, now);
        continue;
      }
      EvaluateRule(group, rule, periods, only, &updates, &result, now);
    }
  }
  return Commit(std::move(updates), std::move(result), now, started);
}

EngineResult AlertEngine::CatchUp(int64_t now) {
  EngineResult result;
  for (int64_t batch_id : store_->UnevaluatedBatches()) {
    EngineResult one = OnBatch(store_->ChangesOfBatch(batch_id), now);
    result.observations += one.observations;
    result.events += one.events;
    result.notifications += one.notifications;
    result.seconds += one.seconds;
    result.errors.insert(result.errors.end(), one.errors.begin(), one.errors.end());
  }
  return result;
}

EngineResult AlertEngine::CheckDeadlines(int64_t now) {
  int64_t started = SteadyNanos();
  EngineResult result;
  if (!rules_) return result;
  std::vector<AlertUpdate> updates;
  for (const auto& group : rules_->groups)
    for (const auto& rule : group.rules) {
      if (rule.kind != RuleKind::kMissingReport) continue;
      auto due = Evaluator::DuePeriod(group, rule, now);
      if (!due) continue;
      std::string key = due->ToString();
      if (last_due_[rule.name] == key) continue;  // already evaluated for this deadline
      last_due_[rule.name] = key;
      EvaluateRule(group, rule, {*due}, nullptr, &updates, &result, now);
    }
  return Commit(std::move(updates), std::move(result), now, started);
}

void AlertEngine::EvaluateRule(const RuleGroup& group, const RuleConfig& rule,
                               const std::vector<Period>& periods,
                               const std::set<EnterpriseIndex>* only,
                               std::vector<AlertUpdate>* updates, EngineResult* result,
                               int64_t now) {
  if (periods.empty()) return;
  int64_t started = SteadyNanos();
  RuleStatus& status = status_[rule.name];
  status.last_error.clear();
  status.last_outcomes = status.last_no_data = 0;
  auto latest = data_.LatestPeriod(group.cadence);
  try {
    for (Period p : periods) {
      // The notification horizon: recent periods, and of those only the latest of the data
      // (missing reports are due by the clock, not by the data: their period is current).
      // Replays of late figures are dated at the latest period, so they are told too.
      Period since = RecentSince(group, now);
      if (rule.kind != RuleKind::kMissingReport && latest && *latest > since) since = *latest;
      status.no_data.clear();
      status.no_data_at_last_period = 0;
      for (const RuleOutcome& o : evaluator_->Evaluate(group, rule, data_, p, only)) {
        updates->push_back(ToAlertUpdate(o, p >= since));
        updates->back().notify_since = since;
        // A report missing since before the horizon (a history load whose data ended long ago,
        // an old gap) is recorded, not told: receivers hear of reports that have just become due.
        if (o.missing_since && *o.missing_since < RecentSince(group, now)) {
          updates->back().notify = false;
          updates->back().notify_since = Period();
        }
        ++status.last_outcomes;
        if (!o.value) {
          ++status.last_no_data;
          if (++status.no_data_at_last_period <= static_cast<int64_t>(kMaxNoDataListed))
            status.no_data.push_back(NoDataOf(o, rule, data_, p));
        }
      }
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

EngineResult AlertEngine::Commit(std::vector<AlertUpdate> updates, EngineResult result, int64_t now,
                                 int64_t started_ns) {
  if (!updates.empty()) {
    for (const AlertEventRow& row : alerts_.ApplyMany(updates, now)) {
      ++result.events;
      if (row.notified) ++result.notifications;
    }
  }
  result.seconds = (SteadyNanos() - started_ns) / 1e9;
  return result;
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
