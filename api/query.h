// The one reader of query parameters and the one way a handler refuses a request. A route lists
// the parameters it accepts (api/route_table.h); the reader is made for that list, so an unknown
// parameter, a repeated one or a value that does not parse is a 400 naming the parameter —
// never silently ignored or replaced by a default.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace parkwatch {

// A refusal with its HTTP status and the envelope's errorType; the router turns it into the
// response. Thrown by the reader and by handlers.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string type, const std::string& message)
      : std::runtime_error(message), status_(status), type_(std::move(type)) {}
  static ApiError BadData(const std::string& message) { return {400, "bad_data", message}; }
  static ApiError NotFound(const std::string& message) { return {404, "not_found", message}; }

  int status() const { return status_; }
  const std::string& type() const { return type_; }

 private:
  int status_;
  std::string type_;
};

class QueryReader {
 public:
  // The largest ?limit= any list endpoint returns.
  static constexpr int64_t kMaxLimit = 10000;

  QueryReader(const std::multimap<std::string, std::string>& query,
              const std::vector<std::string>& accepted)
      : query_(query), accepted_(accepted) {}

  // The first problem of the query as a whole: a parameter the route does not take, or one
  // given twice. "" when there is none.
  std::string Check() const;

  // The value, or fallback when absent (an empty value counts as given).
  std::string String(const std::string& name, const std::string& fallback = "") const;
  std::optional<std::string> Optional(const std::string& name) const;
  // Throws ApiError 400 when absent or empty.
  std::string Required(const std::string& name, const std::string& what) const;
  // An integer in [min, max]; throws ApiError 400 naming the parameter otherwise.
  int64_t Int(const std::string& name, int64_t fallback, int64_t min, int64_t max) const;
  // ?limit=, 1..kMaxLimit.
  int64_t Limit(int64_t fallback) const { return Int("limit", fallback, 1, kMaxLimit); }
  // "true" or "false".
  bool Bool(const std::string& name, bool fallback) const;

 private:
  const std::multimap<std::string, std::string>& query_;
  const std::vector<std::string>& accepted_;
};

// A path segment as a positive integer id (silences): "0", "1abc", "-3" and overflow are 400s.
int64_t PositiveId(const std::string& text, const std::string& what);

}  // namespace parkwatch
