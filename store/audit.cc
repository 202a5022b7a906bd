#include "store/audit.h"

namespace parkwatch {

void RecordAudit(Store& store, const AuditRecord& r) {
  std::string text;
  for (const auto& c : r.changes) text.append(c).append("\n");
  Statement s(store.db(),
              "INSERT INTO config_audit (at, source, changes, who, outcome, error) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.Bind(1, r.at ? r.at : UnixNow())
      .Bind(2, r.source)
      .Bind(3, text)
      .Bind(4, r.who)
      .Bind(5, r.outcome)
      .Bind(6, r.error)
      .Run();
}

std::vector<AuditRecord> RecentAudit(Store& store, int limit) {
  Statement s(store.db(),
              "SELECT id, at, source, changes, who, outcome, error FROM config_audit "
              "ORDER BY id DESC LIMIT ?");
  s.Bind(1, limit);
  std::vector<AuditRecord> out;
  while (s.Step()) {
    AuditRecord r;
    r.id = s.Int(0);
    r.at = s.Int(1);
    r.source = s.Text(2);
    r.who = s.Text(4);
    r.outcome = s.Text(5);
    r.error = s.Text(6);
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
