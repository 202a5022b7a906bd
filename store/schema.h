// The store's schema as an ordered list of migrations. A database records which versions it
// has applied (table schema_migrations); Store::Open applies the rest, each in its own
// transaction, so an old database upgrades in place and a new one is built the same way.
#pragma once

#include <string_view>
#include <vector>

namespace parkwatch {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& Migrations();

}  // namespace parkwatch
