// The audit trail of configuration changes: every reload, accepted or refused, every register
// change and every silence added or expired is recorded with its time, what triggered it, who
// asked and what changed, so staff can see who tuned what, when — and who tried.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace parkwatch {

struct AuditRecord {
  int64_t id = 0;
  int64_t at = 0;                    // unix seconds; 0 = now when recorded
  std::string source;                // SIGHUP, POST /-/reload, start, POST /api/v1/silences, ...
  std::string who;                   // token:admin, user:NAME, signal, cli:USER; "" unknown
  std::string outcome = "applied";   // applied | refused
  std::vector<std::string> changes;  // one change a line: thresholds, receivers, routes, ...
  std::string error;                 // why a refused change was refused
};

// Writes one record. The thread owning store (the store worker in the daemon).
void RecordAudit(Store& store, const AuditRecord& record);
std::vector<AuditRecord> RecentAudit(Store& store, int limit);

}  // namespace parkwatch
