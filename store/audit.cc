#include "store/audit.h"

namespace parkwatch {

void RecordAudit(Store& store, const std::string& source, const std::vector<std::string>& changes) {
  std::string text;
  for (const auto& c : changes) text.append(c).append("\n");
  Statement s(store.db(), "INSERT INTO config_audit (at, source, changes) VALUES (?, ?, ?)");
  s.Bind(1, UnixNow()).Bind(2, source).Bind(3, text).Run();
}

std::vector<AuditRecord> RecentAudit(Store& store, int limit) {
  Statement s(store.db(),
              "SELECT id, at, source, changes FROM config_audit ORDER BY id DESC LIMIT ?");
  s.Bind(1, limit);
  std::vector<AuditRecord> out;
  while (s.Step()) {
    AuditRecord r{s.Int(0), s.Int(1), s.Text(2), {}};
    std::string changes = s.Text(3);
    for (size_t start = 0, end; start < changes.size(); start = end + 1) {
      end = changes.find('\n', start);
      if (end == std::string::npos) end = changes.size();
      if (end > start) r.changes.push_back(changes.substr(start, end - start));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace parkwatch
