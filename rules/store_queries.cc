#include "rules/store_queries.h"

#include <string>

namespace parkwatch {
namespace {

constexpr const char* kColumns =
    "SELECT id, credit_code, name, industry, is_key, above_size_since, above_size_until "
    "FROM enterprises ";

EnterpriseRow Read(const Statement& s) {
  EnterpriseRow e;
  e.id = s.Int(0);
  e.credit_code = s.Text(1);
  e.name = s.Text(2);
  e.industry = s.Text(3);
  e.key = s.Int(4) != 0;
  if (!s.IsNull(5)) e.above_size_since = static_cast<int>(s.Int(5));
  if (!s.IsNull(6)) e.above_size_until = static_cast<int>(s.Int(6));
  return e;
}

}  // namespace

std::optional<EnterpriseRow> EnterpriseById(Store& store, int64_t id) {
  Statement s(store.db(), std::string(kColumns) + "WHERE id = ?");
  if (s.Bind(1, id).Step()) return Read(s);
  return std::nullopt;
}

std::vector<EnterpriseRow> EnterprisesAfter(Store& store, int64_t id) {
  Statement s(store.db(), std::string(kColumns) + "WHERE id > ? ORDER BY id");
  s.Bind(1, id);
  std::vector<EnterpriseRow> out;
  while (s.Step()) out.push_back(Read(s));
  return out;
}

std::optional<Period> LastReportedOf(Store& store, int64_t enterprise_id, Cadence cadence) {
  // The primary key starts with enterprise_id, so this reads only the enterprise's own rows.
  Statement s(store.db(),
              "SELECT MAX(period) FROM figures WHERE enterprise_id = ? AND cadence = ?");
  s.Bind(1, enterprise_id).Bind(2, std::string(1, static_cast<char>(cadence)));
  if (s.Step() && !s.IsNull(0)) return Period::FromKey(cadence, s.Int(0));
  return std::nullopt;
}

}  // namespace parkwatch
