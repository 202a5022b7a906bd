// The web console's routes: its pages (one HTML shell whose script draws the page the path
// names), its embedded files (console/assets.h) and the session endpoints (login, logout, who am
// I). Every figure a page shows comes from the JSON API the same page could be read through.
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/services.h"
#include "console/assets.h"
#include "core/json_text.h"
#include "core/units.h"

namespace parkwatch {

using nlohmann::json;

namespace {

HttpResponse Asset(const HttpRequest& request, const ConsoleAsset& asset) {
  HttpResponse r;
  // Revalidated on every load (a 304 costs a round trip, not the bytes), so an upgraded binary's
  // script is never mixed with a cached older page.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("ETag", asset.etag);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (request.if_none_match == asset.etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = asset.content_type;
  r.body = std::string(asset.body);
  return r;
}

json SessionJson(const SessionInfo& s) {
  return {{"user", s.user}, {"role", s.role}, {"csrf", s.csrf}, {"expires_at", s.expires_at}};
}

}  // namespace

HttpResponse ApiConsolePage(ApiCall& call) {
  const ConsoleAsset* page = FindConsoleAsset("index.html");
  if (!page) throw ApiError::NotFound("the console was not built into this binary");
  HttpResponse r = Asset(call.request, *page);
  r.headers.emplace_back("X-Frame-Options", "DENY");
  return r;
}

HttpResponse ApiConsoleAsset(ApiCall& call) {
  const ConsoleAsset* asset = FindConsoleAsset(call.path.at("file"));
  if (!asset || call.path.at("file") == "index.html")
    throw ApiError::NotFound("no console file " + call.path.at("file"));
  return Asset(call.request, *asset);
}

HttpResponse ApiLogin(ApiCall& call) {
  json in = json::parse(call.request.body, nullptr, false);
  if (!in.is_object() || !in.contains("user") || !in["user"].is_string() ||
      !in.contains("password") || !in["password"].is_string())
    throw ApiError::BadData("body must be {\"user\": \"…\", \"password\": \"…\"}");
  auto session = call.pool->Login(in["user"].get<std::string>(), in["password"].get<std::string>());
  if (!session) return JsonError(401, "unauthorized", "wrong user name or password");
  HttpResponse r = JsonSuccess(DumpJson(SessionJson(*session)));
  r.headers.emplace_back("Set-Cookie", session->cookie);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse ApiLogout(ApiCall& call) {
  call.loop->EndSession(call.request);
  HttpResponse r = JsonSuccess("\"signed out\"");
  r.headers.emplace_back("Set-Cookie", call.loop->ClearedCookie());
  return r;
}

HttpResponse ApiSession(ApiCall& call) {
  json out = {{"user", nullptr}, {"anonymous_read", call.loop->AnonymousRead()}};
  if (auto s = call.loop->SessionOf(call.request)) out = SessionJson(*s);
  out["anonymous_read"] = call.loop->AnonymousRead();
  auto config = call.loop->config();
  out["park"] = config->park_name;
  out["industries"] = config->industries;
  // The indicators figures may carry, with the unit of their values (for the pages' words).
  json indicators = json::array();
  for (const auto& i : config->indicators)
    indicators.push_back({{"name", i.name},
                          {"title", i.title},
                          {"unit", BaseUnitName(i.dimension)},
                          {"rate", i.kind == IndicatorKind::kRate}});
  out["indicators"] = std::move(indicators);
  out["timezone"] = config->timezone;
  HttpResponse r = JsonSuccess(DumpJson(out));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace parkwatch
