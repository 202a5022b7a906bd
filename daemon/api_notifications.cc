// The delivery endpoints of the JSON API: silences, acknowledgements, dead letters.
#include <nlohmann/json.hpp>

#include "config/alerting.h"
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
  return JsonSuccess(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string CreateSilence(DeliveryStore& deliveries, const std::string& body, Silence* out) {
  json in = json::parse(body, nullptr, false);
  if (!in.is_object()) return "body must be a JSON object";
  Silence s;
  if (!in.contains("matchers") || !in["matchers"].is_array() || in["matchers"].empty())
    return "matchers: a non-empty list such as [\"alertname=\\\"KeyEnterpriseOutputDrop\\\"\"]";
  for (const auto& m : in["matchers"]) {
    std::string error;
    if (!m.is_string() || !ParseLabelMatcher(m.get<std::string>(), &error))
      return "matcher " + m.dump() + ": " + (error.empty() ? "expected a string" : error);
    s.matchers.push_back(m.get<std::string>());
  }
  s.author = in.value("author", "");
  s.comment = in.value("comment", "");
  if (s.author.empty() || s.comment.empty())
    return "author and comment are required: a silence must say who and why";
  int64_t now = UnixNow();
  s.starts_at = in.value("starts_at", now);
  if (in.contains("ends_at")) {
    s.ends_at = in.value("ends_at", int64_t{0});
  } else {
    auto ms = ParseDurationMs(in.value("duration", ""));
    if (!ms) return "give ends_at (unix seconds) or duration (e.g. 24h)";
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
  return JsonSuccess(SilenceJson(s).dump(), 201);
}

HttpResponse ApiExpireSilence(DeliveryStore& deliveries, int64_t id) {
  if (!deliveries.ExpireSilence(id, UnixNow()))
    return JsonError(404, "not_found", "no active silence " + std::to_string(id));
  return JsonSuccess("\"expired\"");
}

HttpResponse ApiAcknowledge(DeliveryStore& deliveries, const std::string& fingerprint,
                            const HttpRequest& request) {
  json in = json::parse(request.body, nullptr, false);
  std::string author = in.is_object() ? in.value("author", "") : "";
  std::string note = in.is_object() ? in.value("note", "") : "";
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
  return JsonSuccess(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace parkwatch
