// GET /metrics/park and /metrics/enterprises: /metrics in two parts scraped at two intervals
// (metrics/metrics.h, MetricsPart).
#include "daemon/api.h"
#include "metrics/metrics.h"

namespace parkwatch {

HttpResponse ApiMetricsPart(Metrics& metrics, Store& store, std::string_view part_name) {
  std::optional<MetricsPart> part = ParseMetricsPart(part_name);
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  if (!part) {
    r.status = 404;
    r.body = "no such metrics part: use /metrics, /metrics/park or /metrics/enterprises\n";
    return r;
  }
  if (*part != MetricsPart::kEnterprises)
    metrics.SetStoreSize(static_cast<double>(store.SizeBytes()));
  r.status = 200;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics.Serialize(*part);
  return r;
}

}  // namespace parkwatch
