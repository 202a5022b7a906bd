#include "notifiers/dispatcher.h"

#include <curl/curl.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "notifiers/delivery_store.h"
#include "notifiers/receiver_types.h"
#include "notifiers/router.h"
#include "store/store.h"

namespace parkwatch {

struct Dispatcher::State {
  AlertingConfig config;
  std::map<std::string, std::shared_ptr<Receiver>> receivers;
};

namespace {

int64_t NowMs() { return SystemClockMs(); }

// A token bucket per receiver: robots accept about 20 messages a minute and answer a burst
// beyond that with an error code, so parkwatch stays under the limit instead of retrying.
struct Bucket {
  double tokens = 0;
  int64_t updated_ms = 0;
  int per_minute = 0;

  void Refill(int64_t now) {
    tokens = std::min<double>(per_minute, tokens + (now - updated_ms) * per_minute / 60000.0);
    updated_ms = now;
  }
  bool TryTake(int64_t now) {
    if (per_minute <= 0) return true;
    Refill(now);
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
  int64_t NextAt(int64_t now) const {
    return now + static_cast<int64_t>((1 - tokens) * 60000.0 / per_minute) + 1;
  }
};

}  // namespace

struct Dispatcher::Worker {
  std::unique_ptr<Store> store;
  std::unique_ptr<DeliveryStore> deliveries;
  std::map<std::string, Bucket> buckets;
  std::map<std::string, int64_t> last_sent;  // group key -> unix ms of its last message
  std::mt19937_64 rng;

  prometheus::Family<prometheus::Counter>* sent = nullptr;
  prometheus::Family<prometheus::Counter>* dead = nullptr;
  prometheus::Gauge* depth = nullptr;
  prometheus::Gauge* oldest = nullptr;
};

Dispatcher::Dispatcher(std::string db_path, const AlertingConfig& config,
                       prometheus::Registry* registry, Options options)
    : db_path_(std::move(db_path)), registry_(registry), options_(std::move(options)) {
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)curl_ready;
  if (!options_.make_receiver)
    options_.make_receiver = [](const ReceiverConfig& rc, const AlertingConfig& a) {
      return MakeReceiver(rc, a);
    };
  Reload(config);
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Reload(const AlertingConfig& config) {
  auto state = std::make_shared<State>();
  state->config = config;
  for (const auto& rc : config.receivers)
    state->receivers[rc.name] = options_.make_receiver(rc, config);
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = std::move(state);
    kicked_ = true;
  }
  cv_.notify_all();
}

void Dispatcher::Start() {
  if (thread_.joinable()) return;
  worker_ = std::make_unique<Worker>();
  worker_->store = Store::Open(db_path_);
  worker_->deliveries = std::make_unique<DeliveryStore>(worker_->store.get());
  worker_->rng.seed(options_.jitter_seed ? options_.jitter_seed : std::random_device{}());
  // Group intervals longer than a week are not a realistic setting; older sends cannot matter.
  constexpr int64_t kWeekMs = 7 * 24 * 3600 * 1000LL;
  worker_->last_sent = worker_->deliveries->LastDeliveredByGroup(NowMs() - kWeekMs);
  if (registry_) {
    auto& registry = *registry_;
    worker_->sent = &prometheus::BuildCounter()
                         .Name("parkwatch_notifications_total")
                         .Help("Messages sent to receivers, by result (delivered, retry, dead).")
                         .Register(registry);
    worker_->dead = &prometheus::BuildCounter()
                         .Name("parkwatch_notification_dead_letters_total")
                         .Help("Deliveries given up after their attempts or age ran out.")
                         .Register(registry);
    worker_->depth = &prometheus::BuildGauge()
                          .Name("parkwatch_notification_outbox_depth")
                          .Help("Deliveries waiting to be sent, incl. unrouted notifications.")
                          .Register(registry)
                          .Add({});
    worker_->oldest = &prometheus::BuildGauge()
                           .Name("parkwatch_notification_oldest_pending_age_seconds")
                           .Help("Age of the oldest delivery still waiting; 0 when none.")
                           .Register(registry)
                           .Add({});
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void Dispatcher::Kick() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    kicked_ = true;
  }
  cv_.notify_all();
}

void Dispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  worker_.reset();
}

namespace {

// One cycle's work, with the state it runs under.
class Cycle {
 public:
  Cycle(const AlertingConfig& config,
        const std::map<std::string, std::shared_ptr<Receiver>>& receivers, DeliveryStore& ds,
        std::map<std::string, Bucket>& buckets, std::map<std::string, int64_t>& last_sent,
        std::mt19937_64& rng, prometheus::Family<prometheus::Counter>* sent,
        prometheus::Family<prometheus::Counter>* dead,
        const std::function<void(const DeliveryReport&)>& on_result,
        std::atomic<int64_t>& attempted)
      : config_(config),
        receivers_(receivers),
        ds_(ds),
        buckets_(buckets),
        last_sent_(last_sent),
        rng_(rng),
        sent_(sent),
        dead_(dead),
        on_result_(on_result),
        attempted_(attempted) {}

  void RouteNew(int64_t now_ms) {
    const auto unrouted = ds_.Unrouted(500);
    if (unrouted.empty()) return;
    const int64_t now_s = now_ms / 1000;
    std::vector<std::pair<Silence, std::vector<LabelMatcher>>> silences;
    for (auto& s : ds_.Silences(true, now_s)) {
      std::vector<LabelMatcher> ms = ParseStoredMatchers(s.matchers);
      if (!ms.empty()) silences.emplace_back(std::move(s), std::move(ms));
    }
    std::vector<std::pair<std::string, Labels>> sources;
    if (!config_.inhibit_rules.empty())
      for (const auto& a : ds_.FiringAlerts()) sources.emplace_back(a.fingerprint, a.AllLabels());

    for (const auto& n : unrouted) {
      std::string error;
      auto notice = AlertNotice::FromPayload(n.payload, &error);
      std::vector<NewDelivery> out;
      if (!notice) {
        spdlog::error("notification {}: {}", n.id, error);
        ds_.Route(n.id, out, now_ms);
        continue;
      }
      const Labels labels = notice->AllLabels();
      std::string suppressed;
      for (const auto& [s, ms] : silences)
        if (MatchesAll(ms, labels)) suppressed = "silenced by #" + std::to_string(s.id);
      if (suppressed.empty() &&
          IsInhibited(config_.inhibit_rules, labels, notice->fingerprint, sources))
        suppressed = "inhibited";
      for (const auto& route : MatchRoutes(config_.route, labels)) {
        const ReceiverConfig* rc = config_.FindReceiver(route.receiver);
        if (!rc) continue;
        NewDelivery d;
        d.receiver = route.receiver;
        d.group_key = GroupKey(route, labels, notice->fingerprint);
        d.next_attempt_at = now_ms + route.group_wait_ms;
        // A receiver that groups by itself (Alertmanager) gets each event at once: holding its
        // pushes back would only delay resolves. It is re-pushed at its own interval.
        const ReceiverType* type = FindReceiverType(rc->type);
        const bool groups_itself = type && type->groups_itself;
        d.group_interval_ms = groups_itself ? 0 : route.group_interval_ms;
        if (notice->firing())
          d.repeat_interval_ms =
              groups_itself ? type->resend_interval_ms(*rc) : route.repeat_interval_ms;
        std::string reason = suppressed;
        if (reason.empty() && !notice->firing() && !rc->send_resolved)
          reason = "send_resolved is off";
        // A history load tells only the latest period: an alert that fired in the years loaded
        // and recovered at the latest period was never news to anyone, nor is its recovery.
        if (reason.empty() && !notice->firing() &&
            !ds_.ToldFiring(notice->fingerprint, route.receiver))
          reason = "its firing was never told to this receiver";
        if (!reason.empty()) d.state = "suppressed", d.reason = reason;
        out.push_back(std::move(d));
      }
      ds_.Route(n.id, out, now_ms);
    }
  }

  void SendDue(int64_t now_ms) {
    auto due = ds_.Due(now_ms, 500);
    // Group in order of first appearance, so the oldest group goes first.
    std::vector<std::string> order;
    std::map<std::string, std::vector<DeliveryRow>> groups;
    for (auto& d : due) {
      const std::string key = d.receiver + "\x1f" + d.group_key;
      if (!groups.count(key)) order.push_back(key);
      groups[key].push_back(std::move(d));
    }
    // A group larger than batch_limit goes out as several messages in this cycle; only the
    // first waits for the group interval.
    const size_t limit = static_cast<size_t>(config_.delivery.batch_limit);
    for (const auto& key : order) {
      auto& rows = groups[key];
      for (size_t i = 0; i < rows.size(); i += limit) {
        std::vector<DeliveryRow> chunk(rows.begin() + i,
                                       rows.begin() + std::min(rows.size(), i + limit));
        SendGroup(chunk, NowMs(), /*continuation=*/i > 0);
      }
    }
  }

 private:
  // One message of one group, in Alertmanager's order: compose it, throttle it, send it, record
  // the verdict.
  void SendGroup(std::vector<DeliveryRow>& rows, int64_t now_ms, bool continuation) {
    const std::string& receiver = rows.front().receiver;
    auto it = receivers_.find(receiver);
    const ReceiverConfig* rc = config_.FindReceiver(receiver);
    if (it == receivers_.end() || !rc) {
      for (auto& d : rows) Dead(d, "receiver \"" + receiver + "\" is no longer configured", now_ms);
      return;
    }
    std::vector<const DeliveryRow*> members;  // the rows msg.alerts come from, index by index
    Message msg = Compose(rows, now_ms, continuation, &members);
    if (members.empty()) return;
    if (!Throttle(*rc, members, now_ms)) return;
    ++attempted_;
    const SendResult result = it->second->Send(msg);
    Record(msg, members, result);
  }

  // The message of rows: each row's notice parsed, reminders that are stale now settled,
  // rows whose group was told within its group_interval postponed, and of two events of one
  // alert only the newer kept. members receives the row behind each of msg.alerts.
  Message Compose(std::vector<DeliveryRow>& rows, int64_t now_ms, bool continuation,
                  std::vector<const DeliveryRow*>* members) {
    Message msg;
    msg.receiver = rows.front().receiver;
    msg.group_key = rows.front().group_key;
    msg.external_url = config_.external_url;
    msg.grafana_url = config_.grafana_url;
    const auto last = last_sent_.find(rows.front().group_key);
    for (auto& d : rows) {
      std::string error;
      auto notice = AlertNotice::FromPayload(d.payload, &error);
      if (!notice) {
        Dead(d, error, now_ms);
        continue;
      }
      notice->delivery_id = d.id;
      notice->notification_id = d.notification_id;
      notice->idempotency_key = d.idempotency_key;
      if (d.seq > 0) {
        std::string why = StaleRepeat(*notice, now_ms / 1000);
        if (!why.empty()) {
          ds_.Suppress(d.id, why);
          continue;
        }
        notice->repeat = true;
      }
      // A group already told recently waits for its group interval, except for news that
      // must not wait (a rise in level) and reminders, which keep their own interval.
      if (!continuation && last != last_sent_.end() && d.seq == 0 &&
          notice->kind != EventKind::kEscalated && last->second + d.group_interval_ms > now_ms) {
        ds_.Postpone(d.id, last->second + d.group_interval_ms);
        continue;
      }
      // Two events of one alert due together (fired, then resolved within group_wait): the
      // newer says all there is; the older is settled as superseded, not sent.
      bool superseded = false;
      for (size_t i = 0; i < msg.alerts.size(); ++i) {
        if (msg.alerts[i].fingerprint != notice->fingerprint) continue;
        ds_.Suppress((*members)[i]->id,
                     "superseded by notification " + std::to_string(d.notification_id));
        msg.alerts[i] = std::move(*notice);
        (*members)[i] = &d;
        superseded = true;
        break;
      }
      if (superseded) continue;
      msg.alerts.push_back(std::move(*notice));
      members->push_back(&d);
    }
    // Group labels for the webhook payload, from the key's route.
    msg.group_labels = GroupLabels(msg);
    return msg;
  }

  // Whether the receiver's rate limit lets a message go now; if not, its rows are postponed
  // to when a token is back, without counting an attempt.
  bool Throttle(const ReceiverConfig& rc, const std::vector<const DeliveryRow*>& members,
                int64_t now_ms) {
    Bucket& bucket = buckets_[rc.name];
    if (bucket.per_minute != rc.rate_limit_per_minute) {
      bucket =
          Bucket{static_cast<double>(rc.rate_limit_per_minute), now_ms, rc.rate_limit_per_minute};
    }
    if (bucket.TryTake(now_ms)) return true;
    const int64_t at = bucket.NextAt(now_ms);
    for (auto* d : members) ds_.Postpone(d->id, at);
    return false;
  }

  // The receiver's verdict into the store: delivered (and the next reminder scheduled), or
  // retried after a backoff, or dead; then the metrics, the log and the callback.
  void Record(const Message& msg, const std::vector<const DeliveryRow*>& members,
              const SendResult& result) {
    const int64_t done_ms = NowMs();
    DeliveryReport report{msg.receiver, msg.group_key, static_cast<int>(msg.alerts.size()),
                          "",           result.error,  members.front()->attempts + 1};
    if (result.ok()) {
      last_sent_[msg.group_key] = done_ms;
      for (size_t i = 0; i < members.size(); ++i) {
        const DeliveryRow& d = *members[i];
        const bool repeats = d.repeat_interval_ms > 0 && msg.alerts[i].firing();
        ds_.MarkDelivered(d.id, done_ms, repeats ? &d : nullptr, done_ms + d.repeat_interval_ms);
      }
      report.result = "delivered";
      spdlog::info("notify {}: delivered {} alert(s) of {}", msg.receiver, msg.alerts.size(),
                   msg.group_key);
    } else {
      bool any_dead = false;
      for (auto* d : members) {
        const int attempts = d->attempts + 1;
        const bool out_of_attempts = attempts >= config_.delivery.max_attempts;
        const bool too_old = done_ms - d->created_at >= config_.delivery.max_age_ms;
        if (result.outcome == SendResult::Outcome::kPermanent || out_of_attempts || too_old) {
          Dead(*d, result.error, done_ms);
          any_dead = true;
        } else {
          ds_.MarkRetry(d->id, result.error, done_ms + Backoff(attempts, result.retry_after_ms));
        }
      }
      report.result = any_dead ? "dead" : "retry";
      spdlog::warn("notify {}: attempt {} failed ({}): {}", msg.receiver, report.attempt,
                   report.result, result.error);
    }
    if (sent_) sent_->Add({{"receiver", msg.receiver}, {"result", report.result}}).Increment();
    if (on_result_) on_result_(report);
  }

  Labels GroupLabels(const Message& msg) const {
    // The key is "receiver:{a=\"x\",b=\"y\"}"; the common labels restricted to the names in
    // it are the group labels.
    Labels common = msg.CommonLabels();
    Labels out;
    for (const auto& [k, v] : common)
      if (msg.group_key.find(k + "=\"") != std::string::npos) out[k] = v;
    return out;
  }

  // Why a reminder should not go out, or "" if it should.
  std::string StaleRepeat(const AlertNotice& notice, int64_t now_s) {
    auto alert = ds_.Alert(notice.fingerprint);
    if (!alert || alert->state != AlertState::kFiring) return "no longer firing";
    if (alert->severity != notice.severity) return "level changed";
    if (alert->fired_at != notice.fired_at) return "a new episode";
    if (ds_.IsAcknowledged(notice.fingerprint, alert->severity, alert->fired_at))
      return "acknowledged";
    for (const auto& s : ds_.Silences(true, now_s)) {
      std::vector<LabelMatcher> ms = ParseStoredMatchers(s.matchers);
      if (!ms.empty() && MatchesAll(ms, notice.AllLabels()))
        return "silenced by #" + std::to_string(s.id);
    }
    return "";
  }

  int64_t Backoff(int attempts, int64_t retry_after_ms) {
    const auto& d = config_.delivery;
    double delay = static_cast<double>(d.initial_backoff_ms);
    for (int i = 1; i < attempts && delay < d.max_backoff_ms; ++i) delay *= 2;
    delay = std::min<double>(delay, d.max_backoff_ms);
    // Full jitter on the upper half: spreads retries of many deliveries after an outage.
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    return std::max<int64_t>(static_cast<int64_t>(delay * jitter(rng_)), retry_after_ms);
  }

  void Dead(const DeliveryRow& d, const std::string& error, int64_t now_ms) {
    ds_.MarkDead(d.id, error);
    if (dead_) dead_->Add({{"receiver", d.receiver}}).Increment();
    spdlog::error("notify {}: gave up on notification {} ({}): {}", d.receiver, d.notification_id,
                  d.idempotency_key, error);
    const std::string& fallback = config_.delivery.fallback_receiver;
    if (!fallback.empty() && fallback != d.receiver && config_.FindReceiver(fallback))
      ds_.AddFallback(d, fallback, now_ms);
  }

  const AlertingConfig& config_;
  const std::map<std::string, std::shared_ptr<Receiver>>& receivers_;
  DeliveryStore& ds_;
  std::map<std::string, Bucket>& buckets_;
  std::map<std::string, int64_t>& last_sent_;
  std::mt19937_64& rng_;
  prometheus::Family<prometheus::Counter>* sent_;
  prometheus::Family<prometheus::Counter>* dead_;
  const std::function<void(const DeliveryReport&)>& on_result_;
  std::atomic<int64_t>& attempted_;
};

}  // namespace

void Dispatcher::Run() {
  Worker& w = *worker_;
  while (true) {
    std::shared_ptr<const State> state;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;
      kicked_ = false;
      state = state_;
    }
    int64_t wait_ms = state->config.delivery.poll_interval_ms;
    try {
      Cycle cycle(state->config, state->receivers, *w.deliveries, w.buckets, w.last_sent, w.rng,
                  w.sent, w.dead, options_.on_result, attempted_);
      // Without receivers every notification is routed to nothing and settled at once: kept
      // as history, not queued, so the outbox metrics stay true and a receiver configured
      // later is not flooded with months-old news (it hears of alerts from then on).
      cycle.RouteNew(NowMs());
      if (state->config.enabled()) {
        cycle.SendDue(NowMs());
        if (auto next = w.deliveries->NextDue())
          wait_ms = std::clamp<int64_t>(*next - NowMs(), 0, wait_ms);
      }
      if (w.depth) {
        auto backlog = w.deliveries->PendingBacklog();
        w.depth->Set(static_cast<double>(backlog.depth));
        w.oldest->Set(
            backlog.oldest_ms ? std::max<int64_t>(0, NowMs() - *backlog.oldest_ms) / 1000.0 : 0.0);
      }
    } catch (const std::exception& e) {
      // A locked or failing database: keep the loop alive and try again shortly.
      spdlog::error("notification dispatcher: {}", e.what());
      wait_ms = std::min<int64_t>(wait_ms, 1000);
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return kicked_ || stopping_; });
  }
}

}  // namespace parkwatch
