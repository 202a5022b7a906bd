// The delivery endpoints of the JSON API: silences, acknowledgements, dead letters.
#include <nlohmann/json.hpp>

#include "config/alerting.h"
#include "core/diagnostic.h"
#include "core/json_text.h"
#include "daemon/api.h"
#include "notifiers/delivery_store.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json SilenceJson(const Silence& s) {
  return {{"id", s.id},
          {"matchers", s.matchers},
          {"author", s.author},
          {"comment", s.comment},
          {"starts_at", s.starts_at},
          {"ends_at", s.ends_at},
          {"created_at", s.created_at}};
}

}  // namespace

HttpResponse ApiSilences(DeliveryStore& deliveries, const HttpRequest& request) {
  json out = json::array();
  for (const Silence& s : deliveries.Silences(request.Query("all") != "true", UnixNow()))
    out.push_back(SilenceJson(s));
  return JsonSuccess(DumpJson(out));
}

namespace {

// Reads an optional string member: "" when absent, an error naming the member otherwise.
bool StringMember(const json& in, const char* name, std::string* out, std::string* error) {
  auto it = in.find(name);
  if (it == in.end() || it->is_null()) return true;
  if (!it->is_string()) {
    *error = std::string(name) + ": expected a string, not " + it->type_name();
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

// Reads an optional time in unix seconds: an integer between 0 and year 9999.
bool TimeMember(const json& in, const char* name, int64_t* out, std::string* error) {
  constexpr int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  auto it = in.find(name);
  if (it == in.end()) return true;
  if (!it->is_number_integer() ||
      (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t{kMaxUnixSeconds}) ||
      it->get<int64_t>() < 0 || it->get<int64_t>() > kMaxUnixSeconds) {
    *error = std::string(name) + ": expected unix seconds (an integer)";
    return false;
  }
  *out = it->get<int64_t>();
  return true;
}

}  // namespace

// Every member is checked for its type before it is read: a wrong type is a 400 naming the
// member, never an exception.
std::string CreateSilence(DeliveryStore& deliveries, const std::string& body, Silence* out) {
  json in = json::parse(body, nullptr, false);
  if (!in.is_object()) return "body must be a JSON object";
  Silence s;
  auto matchers = in.find("matchers");
  if (matchers == in.end() || !matchers->is_array() || matchers->empty())
    return "matchers: a non-empty list such as [\"alertname=\\\"KeyEnterpriseOutputDrop\\\"\"]";
  for (const auto& m : *matchers) {
    std::string error;
    if (!m.is_string() || !ParseLabelMatcher(m.get<std::string>(), &error))
      return "matchers: " + Truncate(DumpJson(m)) + ": " +
             (error.empty() ? "expected a string" : error);
    s.matchers.push_back(m.get<std::string>());
  }
  std::string error, duration;
  if (!StringMember(in, "author", &s.author, &error) ||
      !StringMember(in, "comment", &s.comment, &error) ||
      !StringMember(in, "duration", &duration, &error))
    return error;
  if (s.author.empty() || s.comment.empty())
    return "author and comment are required: a silence must say who and why";
  int64_t now = UnixNow();
  s.starts_at = now;
  if (!TimeMember(in, "starts_at", &s.starts_at, &error)) return error;
  if (in.contains("ends_at")) {
    if (!TimeMember(in, "ends_at", &s.ends_at, &error)) return error;
  } else {
    auto ms = ParseDurationMs(duration);
    if (!ms) return "duration: give ends_at (unix seconds) or duration (e.g. 24h, at most 3650d)";
    s.ends_at = s.starts_at + *ms / 1000;
  }
  if (s.ends_at <= s.starts_at) return "ends_at must be after starts_at";
  s.created_at = now;
  s.id = deliveries.AddSilence(s);
  *out = s;
  return "";
}

HttpResponse ApiCreateSilence(DeliveryStore& deliveries, const HttpRequest& request) {
  Silence s;
  std::string error = CreateSilence(deliveries, request.body, &s);
  if (!error.empty()) return JsonError(400, "bad_data", error);
  return JsonSuccess(DumpJson(SilenceJson(s)), 201);
}

HttpResponse ApiExpireSilence(DeliveryStore& deliveries, int64_t id) {
  if (!deliveries.ExpireSilence(id, UnixNow()))
    return JsonError(404, "not_found", "no active silence " + std::to_string(id));
  return JsonSuccess("\"expired\"");
}

HttpResponse ApiAcknowledge(DeliveryStore& deliveries, const std::string& fingerprint,
                            const HttpRequest& request) {
  json in = json::parse(request.body, nullptr, false);
  if (!in.is_object()) return JsonError(400, "bad_data", "body must be a JSON object");
  std::string author, note, error;
  if (!StringMember(in, "author", &author, &error) || !StringMember(in, "note", &note, &error))
    return JsonError(400, "bad_data", error);
  if (author.empty()) return JsonError(400, "bad_data", "author is required");
  if (!deliveries.Acknowledge(fingerprint, author, note, UnixNow()))
    return JsonError(404, "not_found", "no firing alert with fingerprint " + fingerprint);
  return JsonSuccess("\"acknowledged\"");
}

HttpResponse ApiDeadLetters(DeliveryStore& deliveries, const HttpRequest& request) {
  int limit = 100;
  try {
    limit = std::clamp(std::stoi(request.Query("limit", "100")), 1, 10000);
  } catch (const std::exception&) {
  }
  json out = json::array();
  for (const DeliveryRow& d : deliveries.DeadLetters(limit))
    out.push_back({{"id", d.id},
                   {"notification_id", d.notification_id},
                   {"receiver", d.receiver},
                   {"attempts", d.attempts},
                   {"last_error", d.last_error},
                   {"idempotency_key", d.idempotency_key}});
  return JsonSuccess(DumpJson(out));
}

}  // namespace parkwatch
