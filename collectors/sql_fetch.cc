#include "collectors/sql_fetch.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/json_text.h"

namespace parkwatch {
namespace {

using Connection = std::unique_ptr<PGconn, void (*)(PGconn*)>;
using Result = std::unique_ptr<PGresult, void (*)(PGresult*)>;

Result Take(PGresult* r) { return Result(r, PQclear); }

std::string Message(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Numbers compare by value; timestamps and dates, which the session writes in ISO form in UTC,
// and text compare as text.
bool NumericType(Oid type) {
  return type == 20 || type == 21 || type == 23 || type == 700 || type == 701 || type == 1700;
}

bool Greater(const std::string& a, const std::string& b, bool numeric) {
  if (numeric) return std::strtold(a.c_str(), nullptr) > std::strtold(b.c_str(), nullptr);
  return a > b;
}

// SQLSTATE classes worth another attempt: connection exceptions, transaction rollbacks
// (serialization), insufficient resources, an operator's shutdown.
bool RetryableState(const char* state) {
  if (!state) return true;
  std::string s(state);
  return s.rfind("08", 0) == 0 || s.rfind("40", 0) == 0 || s.rfind("53", 0) == 0 ||
         s.rfind("57P", 0) == 0;
}

void Cancel(PGconn* conn) {
  if (PGcancel* c = PQgetCancel(conn)) {
    char error[256];
    PQcancel(c, error, sizeof error);
    PQfreeCancel(c);
  }
}

// Waits for the next result, giving up (and asking the server to cancel) when the cancel flag
// is set: a daemon shutting down does not wait for a slow query.
PGresult* NextResult(PGconn* conn, const std::atomic<bool>* cancel, bool* cancelled) {
  while (PQisBusy(conn)) {
    if (cancel && cancel->load() && !*cancelled) {
      *cancelled = true;
      Cancel(conn);
    }
    pollfd p{PQsocket(conn), POLLIN, 0};
    ::poll(&p, 1, 100);
    if (!PQconsumeInput(conn)) break;
  }
  return PQgetResult(conn);
}

// Drains what is left of a query, so the connection can be used (or closed) cleanly.
void Drain(PGconn* conn) {
  while (PGresult* r = PQgetResult(conn)) PQclear(r);
}

bool Run(PGconn* conn, const std::string& sql, SqlFetchResult* out) {
  Result r = Take(PQexec(conn, sql.c_str()));
  if (PQresultStatus(r.get()) == PGRES_COMMAND_OK) return true;
  out->error = sql + ": " + Message(PQresultErrorMessage(r.get()));
  out->retryable = RetryableState(PQresultErrorField(r.get(), PG_DIAG_SQLSTATE));
  return false;
}

}  // namespace

std::string BindSince(const std::string& q, bool* uses) {
  *uses = false;
  std::string out;
  out.reserve(q.size());
  auto ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (size_t i = 0; i < q.size();) {
    char c = q[i];
    if (c == '\'' || c == '"') {  // a literal or a quoted name, '' and "" escapes included
      size_t end = i + 1;
      while (end < q.size() && !(q[end] == c && (end + 1 >= q.size() || q[end + 1] != c)))
        end += q[end] == c ? 2 : 1;
      out.append(q, i, end + 1 - i);
      i = end + 1;
    } else if (c == '-' && i + 1 < q.size() && q[i + 1] == '-') {
      size_t end = q.find('\n', i);
      if (end == std::string::npos) end = q.size();
      out.append(q, i, end - i);
      i = end;
    } else if (c == ':' && i + 1 < q.size() && q[i + 1] == ':') {
      out.append("::");
      i += 2;
    } else if (q.compare(i, 6, ":since") == 0 && (i + 6 >= q.size() || !ident(q[i + 6]))) {
      out.append("$1");
      *uses = true;
      i += 6;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

SqlFetchResult SqlFetch(const SqlFetchRequest& request) {
  SqlFetchResult out;
  std::string connect_timeout =
      std::to_string(std::max<int64_t>(1, (request.connect_timeout_ms + 999) / 1000));
  std::vector<const char*> keys{"dbname", "connect_timeout", "application_name"};
  std::vector<const char*> values{request.connection.c_str(), connect_timeout.c_str(), "parkwatch"};
  if (!request.password.empty()) {
    keys.push_back("password");
    values.push_back(request.password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  Connection conn(PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1), PQfinish);
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    out.error = "cannot connect: " + Message(conn ? PQerrorMessage(conn.get()) : "out of memory");
    out.retryable = true;
    return out;
  }
  PGconn* c = conn.get();
  // Timestamps in one form (ISO, UTC) so watermarks compare as text; read only, whatever the
  // query says; bounded in time on the server's side as well.
  if (!Run(c, "SET TimeZone = 'UTC'", &out) || !Run(c, "SET DateStyle = 'ISO, YMD'", &out) ||
      !Run(c, "BEGIN TRANSACTION READ ONLY", &out) ||
      !Run(c, "SET LOCAL statement_timeout = " + std::to_string(request.statement_timeout_ms),
           &out))
    return out;
  bool uses = false;
  std::string sql = BindSince(request.query, &uses);
  const char* param = uses && request.since ? request.since->c_str() : nullptr;
  if (!PQsendQueryParams(c, sql.c_str(), uses ? 1 : 0, nullptr, &param, nullptr, nullptr, 0) ||
      !PQsetSingleRowMode(c)) {
    out.error = "query not sent: " + Message(PQerrorMessage(c));
    out.retryable = PQstatus(c) != CONNECTION_OK;
    return out;
  }
  std::string body = "{\"rows\":[";
  std::vector<std::string> names;
  int watermark = -1;
  bool numeric = false, cancelled = false, first = true;
  for (;;) {
    Result r = Take(NextResult(c, request.cancel, &cancelled));
    if (!r) break;
    ExecStatusType status = PQresultStatus(r.get());
    if (status == PGRES_TUPLES_OK) continue;  // the end of the rows
    if (status != PGRES_SINGLE_TUPLE) {
      out.error = cancelled ? "stopped: the daemon is shutting down"
                            : Message(PQresultErrorMessage(r.get()));
      out.retryable = !cancelled && RetryableState(PQresultErrorField(r.get(), PG_DIAG_SQLSTATE));
      Drain(c);
      return out;
    }
    if (names.empty()) {
      for (int i = 0; i < PQnfields(r.get()); ++i) {
        names.push_back(PQfname(r.get(), i));
        if (names.back() == request.watermark_column) {
          watermark = i;
          numeric = NumericType(PQftype(r.get(), i));
        }
      }
      if (!request.watermark_column.empty() && watermark < 0) {
        out.error =
            "the query's result has no column " + request.watermark_column + " (watermark_column)";
        Cancel(c);
        Drain(c);
        return out;
      }
    }
    nlohmann::json row = nlohmann::json::object();
    for (int i = 0; i < static_cast<int>(names.size()); ++i)
      row[names[static_cast<size_t>(i)]] =
          PQgetisnull(r.get(), 0, i) ? nlohmann::json() : nlohmann::json(PQgetvalue(r.get(), 0, i));
    if (watermark >= 0 && !PQgetisnull(r.get(), 0, watermark)) {
      std::string v = PQgetvalue(r.get(), 0, watermark);
      if (!out.watermark || Greater(v, *out.watermark, numeric)) out.watermark = v;
    }
    if (!first) body.push_back(',');
    first = false;
    body += DumpJson(row);
    ++out.rows;
    if (static_cast<int64_t>(body.size()) > request.max_body_bytes) {
      out.error = "the result is larger than max_body_bytes (" +
                  std::to_string(request.max_body_bytes) + " bytes as rows)";
      Cancel(c);
      Drain(c);
      out.watermark.reset();
      return out;
    }
  }
  Run(c, "ROLLBACK", &out);  // nothing was written: a read-only transaction just ends
  out.error.clear();
  body += "]}";
  out.body = std::move(body);
  return out;
}

}  // namespace parkwatch
