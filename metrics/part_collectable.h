// A prometheus-cpp Collectable that can build only the families of one MetricsPart, so that a
// scrape of /metrics/park does not build the half million per-enterprise samples it would drop.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <memory>
#include <string>
#include <vector>

#include "metrics/metrics.h"

namespace parkwatch {

class PartCollectable : public prometheus::Collectable {
 public:
  // The families of part (InPart by name). Any thread, like Collect.
  virtual std::vector<prometheus::MetricFamily> CollectPart(MetricsPart part) const = 0;
  std::vector<prometheus::MetricFamily> Collect() const override {
    return CollectPart(MetricsPart::kAll);
  }
  // CollectPart(part) already in the text exposition format, when the collectable keeps it so:
  // families that change only when republished (the figure gauges: tens of megabytes at a
  // province's size, changed weekly, scraped every few seconds) are serialised once, not at
  // every scrape. Null to be collected instead. Any thread.
  virtual std::shared_ptr<const std::string> Text(MetricsPart) const { return nullptr; }
};

}  // namespace parkwatch
