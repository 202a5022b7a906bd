// One pull of a PostgreSQL query (collectors/puller.h) through libpq: a read-only transaction
// with a statement timeout, the watermark passed as :since, and the result turned into the rows
// body an HTTP push sends ({"rows":[{column: value, ...}, ...]}), so it is ingested through the
// one ingest path: column names map to roles exactly as CSV headers and JSON members do, and
// the same rows pulled twice are the same content, a duplicate batch.
//
// Blocking, bounded by the timeouts; the result is received row by row (single-row mode) and
// refused once its body passes max_body_bytes, so memory stays bounded. Any thread; a
// connection per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace parkwatch {

struct SqlFetchRequest {
  std::string connection;  // libpq connection string or URI
  std::string password;    // "" = none, or given by the connection string
  std::string query;       // :since (outside quotes) becomes the watermark parameter
  std::optional<std::string> since;
  std::string watermark_column;  // "" when the query takes no :since
  int64_t connect_timeout_ms = 60'000;
  int64_t statement_timeout_ms = 30'000;
  int64_t max_body_bytes = 64LL << 20;
  const std::atomic<bool>* cancel = nullptr;  // set: the query is cancelled at once
};

struct SqlFetchResult {
  std::string body;  // the rows as JSON; "" when there was an error
  int64_t rows = 0;
  std::optional<std::string> watermark;  // the greatest watermark value among the rows
  std::string error;                     // "" on success: the server's message otherwise
  bool retryable = false;  // the connection failed or broke; a query's own error is not
};

SqlFetchResult SqlFetch(const SqlFetchRequest& request);

// The query with each :since outside quotes, comments and :: casts replaced by $1; *uses says
// whether there was any.
std::string BindSince(const std::string& query, bool* uses);

}  // namespace parkwatch
