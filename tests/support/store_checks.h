// Invariants of a parkwatch store file that must hold whatever happened to the process that
// wrote it (kill -9 mid-batch, disk full), checked straight on the SQLite file the way an
// operator would with the sqlite3 shell.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace parkwatch::testing {

// Runs one query that yields one integer (count(*), sum(...)); NULL reads as 0. Throws
// StoreError on SQL errors.
int64_t QueryInt(const std::string& db_path, const std::string& sql);

// Every row of a query, columns joined with '|' (like `sqlite3 -list`), in the query's order.
std::vector<std::string> QueryRows(const std::string& db_path, const std::string& sql);

// Checks the store's consistency and returns one line per violation (empty when consistent):
//   - PRAGMA integrity_check says ok;
//   - figures hold exactly what committed batches brought: count(figures) equals the sum of
//     figures_new over committed and partial batches, count(figure_history) the sum of
//     figures_revised, and no figure or history row names a batch that is not committed;
//   - alerts: no outbox row without its event, no idempotency key twice.
std::vector<std::string> CheckStoreConsistency(const std::string& db_path);

}  // namespace parkwatch::testing
