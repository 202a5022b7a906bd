// The delivery endpoints of the JSON API: silences, acknowledgements, dead letters.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/services.h"
#include "config/alerting.h"
#include "core/diagnostic.h"
#include "core/json_text.h"
#include "notifiers/delivery_store.h"
#include "rules/silence_reach.h"
#include "store/audit.h"

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

std::string Dump(const json& j) { return DumpJson(j); }

// Who asked: the request's principal (token:admin, user:NAME), else its address.
std::string Who(const ApiCall& call) {
  return call.principal().empty() ? call.request.remote_address : call.principal();
}

}  // namespace

HttpResponse ApiSilences(ApiCall& call) {
  json out = json::array();
  for (const Silence& s :
       call.loop->deliveries().Silences(!call.query.Bool("all", false), UnixNow()))
    out.push_back(SilenceJson(s));
  return JsonSuccess(Dump(out));
}

std::string CreateSilence(DeliveryStore& deliveries, const std::string& body, const RuleSet& rules,
                          Silence* out, std::vector<std::string>* warnings,
                          const std::string& signed_in) {
  json in = json::parse(body, nullptr, false);
  if (!in.is_object()) return "body must be a JSON object";
  Silence s;
  if (!in.contains("matchers") || !in["matchers"].is_array() || in["matchers"].empty())
    return "matchers: a non-empty list such as [\"alertname=\\\"KeyEnterpriseOutputDrop\\\"\"]";
  for (const auto& m : in["matchers"]) {
    std::string error;
    if (!m.is_string() || !ParseLabelMatcher(m.get<std::string>(), &error))
      return "matchers: " + Truncate(DumpJson(m)) + ": " +
             (error.empty() ? "expected a string" : error);
    s.matchers.push_back(m.get<std::string>());
  }
  for (const char* field : {"author", "comment", "duration"})
    if (in.contains(field) && !in[field].is_string())
      return std::string(field) + ": must be a string";
  // Times up to the year 9999, so starts_at + duration cannot overflow.
  constexpr uint64_t kMaxUnixSeconds = 253402300799;
  for (const char* field : {"starts_at", "ends_at"})
    if (in.contains(field) && (!in[field].is_number_integer() || in[field].get<int64_t>() < 0 ||
                               in[field].get<uint64_t>() > kMaxUnixSeconds))
      return std::string(field) + ": must be an integer (unix seconds, 0 to year 9999)";
  s.author = signed_in.empty() ? in.value("author", "") : signed_in;
  s.comment = in.value("comment", "");
  if (s.author.empty() || s.comment.empty())
    return "author and comment are required: a silence must say who and why";
  int64_t now = UnixNow();
  s.starts_at = in.value("starts_at", now);
  if (in.contains("ends_at")) {
    s.ends_at = in.value("ends_at", int64_t{0});
  } else {
    auto ms = ParseDurationMs(in.value("duration", ""));
    if (!ms) return "duration: give ends_at (unix seconds) or duration (e.g. 24h, at most 3650d)";
    s.ends_at = s.starts_at + *ms / 1000;
  }
  if (s.ends_at <= s.starts_at) return "ends_at must be after starts_at";
  s.created_at = now;
  s.id = deliveries.AddSilence(s);
  *out = s;
  warnings->clear();
  if (RulesMatchedBy(rules, ParseStoredMatchers(s.matchers)).empty())
    warnings->push_back("silence " + std::to_string(s.id) +
                        ": its matchers match no rule's alerts (check alertname, severity and "
                        "labels against GET /api/v1/rules); it holds nothing");
  return "";
}

AuditRecord SilenceAudit(const Silence& s, const std::string& source, const std::string& who,
                         const char* what) {
  std::string matchers;
  for (const auto& m : s.matchers) matchers += (matchers.empty() ? "" : ", ") + m;
  AuditRecord r;
  r.source = source;
  r.who = who;
  r.changes.push_back("silence " + std::to_string(s.id) + " " + what + ": {" + matchers +
                      "} until " + std::to_string(s.ends_at) + " by " + s.author + ": " +
                      s.comment);
  return r;
}

HttpResponse ApiCreateSilence(ApiCall& call) {
  DeliveryStore deliveries(&call.worker->store());
  Silence s;
  std::vector<std::string> warnings;
  std::string error = CreateSilence(deliveries, call.request.body, call.worker->rules(), &s,
                                    &warnings, SignedInUser(call));
  if (!error.empty()) throw ApiError::BadData(error);
  for (const auto& w : warnings) spdlog::warn("{}", w);
  RecordAudit(call.worker->store(), SilenceAudit(s, "POST /api/v1/silences", Who(call), "added"));
  call.worker->NotificationsChanged();
  json out = SilenceJson(s);
  out["warnings"] = warnings;
  return JsonSuccess(Dump(out), 201);
}

HttpResponse ApiExpireSilence(ApiCall& call) {
  int64_t id = PositiveId(call.path.at("id"), "silence id");
  DeliveryStore deliveries(&call.worker->store());
  std::optional<Silence> silence;
  for (const Silence& s : deliveries.Silences(true, UnixNow()))
    if (s.id == id) silence = s;
  if (!deliveries.ExpireSilence(id, UnixNow()))
    throw ApiError::NotFound("no active silence " + std::to_string(id));
  if (silence)
    RecordAudit(call.worker->store(),
                SilenceAudit(*silence, "DELETE /api/v1/silences/" + std::to_string(id), Who(call),
                             "expired"));
  call.worker->NotificationsChanged();
  return JsonSuccess("\"expired\"");
}

HttpResponse ApiAcknowledge(ApiCall& call) {
  const std::string& fingerprint = call.path.at("fingerprint");
  json in = json::parse(call.request.body, nullptr, false);
  if (!in.is_object()) throw ApiError::BadData("body must be a JSON object {\"author\",\"note\"}");
  for (const char* field : {"author", "note"})
    if (in.contains(field) && !in[field].is_string())
      throw ApiError::BadData(std::string(field) + ": must be a string");
  std::string author = SignedInUser(call);
  if (author.empty()) author = in.value("author", "");
  std::string note = in.value("note", "");
  if (author.empty()) throw ApiError::BadData("author: required");
  DeliveryStore deliveries(&call.worker->store());
  if (!deliveries.Acknowledge(fingerprint, author, note, UnixNow()))
    throw ApiError::NotFound("no firing alert with fingerprint " + fingerprint);
  call.worker->NotificationsChanged();
  return JsonSuccess("\"acknowledged\"");
}

HttpResponse ApiDeadLetters(ApiCall& call) {
  json out = json::array();
  for (const DeliveryRow& d :
       call.loop->deliveries().DeadLetters(static_cast<int>(call.query.Limit(100))))
    out.push_back({{"id", d.id},
                   {"notification_id", d.notification_id},
                   {"receiver", d.receiver},
                   {"attempts", d.attempts},
                   {"last_error", d.last_error},
                   {"idempotency_key", d.idempotency_key}});
  return JsonSuccess(Dump(out));
}

}  // namespace parkwatch
