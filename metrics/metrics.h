// The daemon's Prometheus metrics: one registry that every part adds its families to, and the
// families that belong to the daemon itself (build, ingest, HTTP, config reloads, store, loop).
//
// The registry is exposed as text (exposition format 0.0.4) by the one HTTP listener at
// /metrics. prometheus-cpp is thread-safe, so the recording methods may be called from any
// thread (the event loop, a worker finishing a parse).
//
// This header is included widely, so it keeps prometheus-cpp's headers out: parts that add their
// own families include <prometheus/...> themselves.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus {
class Collectable;
class Registry;
struct MetricFamily;
}  // namespace prometheus

namespace parkwatch {

// Which families a scrape asks for. The per-enterprise families (parkwatch_enterprise_*, some
// 550 000 series at a province's size) change when figures arrive, weekly or monthly, while the
// park, industry and health families are worth scraping every 15 s: a deployment scrapes them
// apart, at two intervals (README: Metrics).
//   kAll          /metrics: every family
//   kPark         /metrics/park: all but the per-enterprise families
//   kEnterprises  /metrics/enterprises: only the per-enterprise families
enum class MetricsPart { kAll, kPark, kEnterprises };
// Whether a family of this name belongs to part.
bool InPart(std::string_view family_name, MetricsPart part);
// The part a path under /metrics/ names ("park", "enterprises"), or nullopt.
std::optional<MetricsPart> ParseMetricsPart(std::string_view name);

class Metrics {
 public:
  // Creates the registry and the daemon's own families, so that they are present (with HELP
  // and TYPE) from the first scrape on, even before anything has been recorded.
  Metrics();
  ~Metrics();

  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The registry, for parts that add their own families (rule results, alert states, figures).
  prometheus::Registry& registry();

  // Adds a source of families beyond the registry's (a prometheus-cpp Collectable, what its
  // Exposer::RegisterCollectable takes), collected after the registry by Collect and Serialize.
  // For families computed as a whole (FigureMetrics' per-enterprise series), where a Gauge object
  // and a label map per series would cost more than the values. Held weakly: one whose owner is
  // gone is skipped.
  void AddCollectable(std::weak_ptr<prometheus::Collectable> collectable);

  // The families of part: the registry's, then the collectables'. A collectable that is a
  // PartCollectable (metrics/part_collectable.h) leaves out the others before building them.
  // Any thread.
  std::vector<prometheus::MetricFamily> Collect(MetricsPart part = MetricsPart::kAll) const;

  // Collect(part) in the text exposition format 0.0.4, with the text a PartCollectable keeps
  // (PartCollectable::Text) copied rather than serialised again. Any thread.
  std::string Serialize(MetricsPart part = MetricsPart::kAll) const;

  // parkwatch_build_info{version,revision} 1.
  void SetBuildInfo(const std::string& version, const std::string& revision);

  // Records one ingest batch from a collector (a configured collector name, so the label stays
  // bounded). status is committed | duplicate | rejected | partial.
  //   parkwatch_ingest_batches_total{collector,status}
  //   parkwatch_ingest_rows_total{collector,result=accepted|rejected}
  //   parkwatch_ingest_duration_seconds{collector} (histogram)
  //   parkwatch_ingest_last_success_timestamp_seconds{collector}: set unless status is
  //     "rejected", because a duplicate or partial batch still proves the source is delivering.
  void IngestBatch(const std::string& collector, const std::string& status, int64_t rows_accepted,
                   int64_t rows_rejected, double seconds);

  // Records one HTTP request. handler is the route pattern (e.g. "/api/v1/series"), never the
  // raw path, to keep the label's cardinality bounded.
  //   parkwatch_http_requests_total{handler,code}
  //   parkwatch_http_request_duration_seconds{handler} (histogram)
  void HttpRequest(const std::string& handler, int code, double seconds);

  // parkwatch_config_last_reload_successful (1/0) and, when ok,
  // parkwatch_config_last_reload_success_timestamp_seconds (the names Prometheus itself uses).
  void ConfigReload(bool ok);

  // parkwatch_store_size_bytes: the database file and its WAL.
  void SetStoreSize(double bytes);

  // parkwatch_tls_certificate_expiry_timestamp_seconds: the listener certificate's notAfter, so
  // Prometheus can warn before it runs out; nullopt (TLS off) removes the series.
  void SetTlsCertificateExpiry(std::optional<double> unix_seconds);

  // parkwatch_event_loop_lag_seconds: how late the last loop-lag probe tick fired.
  void SetEventLoopLag(double seconds);

  // parkwatch_start_time_seconds: now, as Unix time (like process_start_time_seconds).
  void SetStartTime();

 private:
  struct Families;
  // Collect; with texts, the collectables that keep their text add it there instead.
  std::vector<prometheus::MetricFamily> CollectFamilies(
      MetricsPart part, std::vector<std::shared_ptr<const std::string>>* texts) const;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> families_;
  mutable std::mutex collectables_mu_;
  std::vector<std::weak_ptr<prometheus::Collectable>> collectables_;
};

// Seconds since the Unix epoch, with sub-second precision, for *_timestamp_seconds gauges.
double UnixTimeSeconds();

}  // namespace parkwatch
