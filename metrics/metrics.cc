#include "metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "metrics/part_collectable.h"

#include <chrono>
#include <iterator>
#include <sstream>
#include <utility>

namespace parkwatch {

namespace {

// Ingest batches range from a few rows pushed over HTTP to a spreadsheet of every enterprise;
// HTTP requests from a health check to a large series query. Both span milliseconds to a minute.
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return kBuckets;
}

}  // namespace

double UnixTimeSeconds() {
  using namespace std::chrono;
  return duration_cast<duration<double>>(system_clock::now().time_since_epoch()).count();
}

struct Metrics::Families {
  explicit Families(prometheus::Registry& r)
      : build_info(prometheus::BuildGauge()
                       .Name("parkwatch_build_info")
                       .Help("A metric with a constant '1' value labeled by the version and "
                             "revision parkwatch was built from.")
                       .Register(r)),
        ingest_batches(prometheus::BuildCounter()
                           .Name("parkwatch_ingest_batches_total")
                           .Help("Ingest batches processed, by collector and outcome.")
                           .Register(r)),
        ingest_rows(prometheus::BuildCounter()
                        .Name("parkwatch_ingest_rows_total")
                        .Help("Figure rows in ingest batches, by collector and whether they were "
                              "accepted or rejected.")
                        .Register(r)),
        ingest_duration(prometheus::BuildHistogram()
                            .Name("parkwatch_ingest_duration_seconds")
                            .Help("Time to parse, validate and store one ingest batch.")
                            .Register(r)),
        ingest_last_success(prometheus::BuildGauge()
                                .Name("parkwatch_ingest_last_success_timestamp_seconds")
                                .Help("Unix time of the last batch from the collector that was "
                                      "not rejected.")
                                .Register(r)),
        http_requests(prometheus::BuildCounter()
                          .Name("parkwatch_http_requests_total")
                          .Help("HTTP requests served, by handler and status code.")
                          .Register(r)),
        http_duration(prometheus::BuildHistogram()
                          .Name("parkwatch_http_request_duration_seconds")
                          .Help("Time from reading an HTTP request to having its response ready.")
                          .Register(r)),
        reload_ok(prometheus::BuildGauge()
                      .Name("parkwatch_config_last_reload_successful")
                      .Help("Whether the last configuration reload attempt was successful.")
                      .Register(r)),
        reload_time(prometheus::BuildGauge()
                        .Name("parkwatch_config_last_reload_success_timestamp_seconds")
                        .Help("Unix time of the last successful configuration reload.")
                        .Register(r)),
        store_size(prometheus::BuildGauge()
                       .Name("parkwatch_store_size_bytes")
                       .Help("Size of the SQLite store on disk, database and write-ahead log.")
                       .Register(r)),
        loop_lag(prometheus::BuildGauge()
                     .Name("parkwatch_event_loop_lag_seconds")
                     .Help("How late the last periodic event-loop probe ran; high values mean "
                           "something blocks the loop.")
                     .Register(r)),
        start_time(prometheus::BuildGauge()
                       .Name("parkwatch_start_time_seconds")
                       .Help("Unix time at which the daemon started.")
                       .Register(r)),
        tls_expiry(prometheus::BuildGauge()
                       .Name("parkwatch_tls_certificate_expiry_timestamp_seconds")
                       .Help("When the listener's TLS certificate stops being valid (notAfter), "
                             "Unix time; absent without TLS.")
                       .Register(r)) {}

  prometheus::Family<prometheus::Gauge>& build_info;
  prometheus::Family<prometheus::Counter>& ingest_batches;
  prometheus::Family<prometheus::Counter>& ingest_rows;
  prometheus::Family<prometheus::Histogram>& ingest_duration;
  prometheus::Family<prometheus::Gauge>& ingest_last_success;
  prometheus::Family<prometheus::Counter>& http_requests;
  prometheus::Family<prometheus::Histogram>& http_duration;
  prometheus::Family<prometheus::Gauge>& reload_ok;
  prometheus::Family<prometheus::Gauge>& reload_time;
  prometheus::Family<prometheus::Gauge>& store_size;
  prometheus::Family<prometheus::Gauge>& loop_lag;
  prometheus::Family<prometheus::Gauge>& start_time;
  prometheus::Family<prometheus::Gauge>& tls_expiry;
};

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      families_(std::make_unique<Families>(*registry_)) {
  // Unlabelled gauges get their single series now, so a scrape before the first reload or
  // store check shows 0 rather than an absent series that alerts cannot tell from a bug.
  families_->reload_ok.Add({});
  families_->reload_time.Add({});
  families_->store_size.Add({});
  families_->loop_lag.Add({});
  families_->start_time.Add({});
}

Metrics::~Metrics() = default;

prometheus::Registry& Metrics::registry() { return *registry_; }

void Metrics::AddCollectable(std::weak_ptr<prometheus::Collectable> collectable) {
  std::lock_guard lock(collectables_mu_);
  std::erase_if(collectables_, [](const auto& c) { return c.expired(); });
  collectables_.push_back(std::move(collectable));
}

bool InPart(std::string_view family_name, MetricsPart part) {
  if (part == MetricsPart::kAll) return true;
  const bool enterprise = family_name.starts_with("parkwatch_enterprise_");
  return part == MetricsPart::kEnterprises ? enterprise : !enterprise;
}

std::optional<MetricsPart> ParseMetricsPart(std::string_view name) {
  if (name == "park") return MetricsPart::kPark;
  if (name == "enterprises") return MetricsPart::kEnterprises;
  return std::nullopt;
}

std::vector<prometheus::MetricFamily> Metrics::Collect(MetricsPart part) const {
  return CollectFamilies(part, nullptr);
}

std::vector<prometheus::MetricFamily> Metrics::CollectFamilies(
    MetricsPart part, std::vector<std::shared_ptr<const std::string>>* texts) const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  std::erase_if(families, [&](const auto& f) { return !InPart(f.name, part); });
  std::vector<std::shared_ptr<prometheus::Collectable>> live;
  {
    std::lock_guard lock(collectables_mu_);
    for (const auto& c : collectables_)
      if (auto locked = c.lock()) live.push_back(std::move(locked));
  }
  // Collected outside the lock: a large collectable takes a while and needs nothing of ours.
  for (const auto& c : live) {
    std::vector<prometheus::MetricFamily> more;
    if (const auto* partial = dynamic_cast<const PartCollectable*>(c.get())) {
      if (texts)
        if (auto text = partial->Text(part)) {
          texts->push_back(std::move(text));
          continue;
        }
      more = partial->CollectPart(part);
    } else {
      more = c->Collect();
      std::erase_if(more, [&](const auto& f) { return !InPart(f.name, part); });
    }
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  return families;
}

std::string Metrics::Serialize(MetricsPart part) const {
  std::vector<std::shared_ptr<const std::string>> texts;
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, CollectFamilies(part, &texts));
  std::string text = std::move(out).str();
  size_t size = text.size();
  for (const auto& t : texts) size += t->size();
  text.reserve(size);  // tens of megabytes at a province's size: copied once
  for (const auto& t : texts) text += *t;
  return text;
}

void Metrics::SetBuildInfo(const std::string& version, const std::string& revision) {
  families_->build_info.Add({{"version", version}, {"revision", revision}}).Set(1);
}

void Metrics::IngestBatch(const std::string& collector, const std::string& status,
                          int64_t rows_accepted, int64_t rows_rejected, double seconds) {
  families_->ingest_batches.Add({{"collector", collector}, {"status", status}}).Increment();
  // Both row series exist from a collector's first batch on, so rate() over either works.
  families_->ingest_rows.Add({{"collector", collector}, {"result", "accepted"}})
      .Increment(static_cast<double>(rows_accepted > 0 ? rows_accepted : 0));
  families_->ingest_rows.Add({{"collector", collector}, {"result", "rejected"}})
      .Increment(static_cast<double>(rows_rejected > 0 ? rows_rejected : 0));
  families_->ingest_duration.Add({{"collector", collector}}, DurationBuckets()).Observe(seconds);
  if (status != "rejected") {
    families_->ingest_last_success.Add({{"collector", collector}}).Set(UnixTimeSeconds());
  }
}

void Metrics::HttpRequest(const std::string& handler, int code, double seconds) {
  families_->http_requests.Add({{"handler", handler}, {"code", std::to_string(code)}}).Increment();
  families_->http_duration.Add({{"handler", handler}}, DurationBuckets()).Observe(seconds);
}

void Metrics::ConfigReload(bool ok) {
  families_->reload_ok.Add({}).Set(ok ? 1 : 0);
  if (ok) families_->reload_time.Add({}).Set(UnixTimeSeconds());
}

void Metrics::SetStoreSize(double bytes) { families_->store_size.Add({}).Set(bytes); }

void Metrics::SetEventLoopLag(double seconds) { families_->loop_lag.Add({}).Set(seconds); }

void Metrics::SetTlsCertificateExpiry(std::optional<double> unix_seconds) {
  auto& family = families_->tls_expiry;
  if (unix_seconds)
    family.Add({}).Set(*unix_seconds);
  else if (family.Has({}))
    family.Remove(&family.Add({}));
}

void Metrics::SetStartTime() { families_->start_time.Add({}).Set(UnixTimeSeconds()); }

}  // namespace parkwatch
