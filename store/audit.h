// The audit trail of configuration changes: every accepted reload is recorded with its time,
// what triggered it and the threshold changes it made, so staff can see who tuned what, when.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace parkwatch {

struct AuditRecord {
  int64_t id = 0;
  int64_t at = 0;                    // unix seconds
  std::string source;                // SIGHUP, POST /-/reload from 127.0.0.1, start
  std::vector<std::string> changes;  // DiffThresholds lines
};

void RecordAudit(Store& store, const std::string& source, const std::vector<std::string>& changes);
std::vector<AuditRecord> RecentAudit(Store& store, int limit);

}  // namespace parkwatch
