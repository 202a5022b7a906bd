// A prometheus-cpp Collectable that can build only the families of one MetricsPart, so that a
// scrape of /metrics/park does not build the half million per-enterprise samples it would drop.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

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
};

}  // namespace parkwatch
