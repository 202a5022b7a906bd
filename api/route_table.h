// The one route table of the listener, in the manner of Prometheus's api.Register: every endpoint
// is one Route naming its method, path pattern, who may call it, the thread its handler runs on,
// the query parameters it reads and the body it may send. Routing, admission (credentials and
// body size, decided when the header arrives), the HTTP metrics' handler label and the index
// page are all derived from it, so an endpoint is added in one place (api/routes.cc).
//
// Threading: a RouteTable is built once and then only read; any thread may call its const
// methods.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/query.h"
#include "web/http_server.h"

namespace parkwatch {

class LoopServices;
class PoolServices;
class WorkerServices;

// Who may call a route. Public routes need nothing beyond basic authentication where the web
// config turns it on (health, metrics, the console's pages and login). Read routes are public
// too unless the web config's console has users and no anonymous_read: then a signed-in viewer.
// Operate routes (acknowledge, silence, tune) need an operator's session, admin routes an
// admin's; both also take the admin bearer token or a basic-auth user. Ingest takes its token.
// One admission (daemon.cc) turns credentials — session cookie, bearer token, basic auth — into
// a principal and a role and compares the role with this.
enum class Access { kPublic, kRead, kOperate, kIngest, kAdmin };
const char* AccessName(Access access);

// Where a handler runs: on the event loop (cheap reads of the loop's own store connection), on
// the store worker (writes, and everything that reads the engine), or on the serving pool
// (CPU-bound answers that touch no store, such as /metrics, so the loop stays responsive).
enum class RunsOn { kLoop, kWorker, kPool };
const char* RunsOnName(RunsOn thread);

// A handler's view of one call: the request, the path's {parameters}, its query read through the
// one reader (api/query.h), and the services of the thread it runs on — exactly one of loop and
// worker and pool is set (api/services.h). Handlers answer synchronously on their route's thread.
struct ApiCall {
  const HttpRequest& request;
  const std::map<std::string, std::string>& path;  // "{id}" of "/api/v1/silences/{id}" as "id"
  const QueryReader& query;
  LoopServices* loop = nullptr;                      // set for RunsOn::kLoop
  WorkerServices* worker = nullptr;                  // set for RunsOn::kWorker
  PoolServices* pool = nullptr;                      // set for RunsOn::kPool
  std::chrono::steady_clock::time_point received{};  // when the request was admitted

  const std::string& principal() const { return request.principal; }  // "" when anonymous
};

// Handlers may throw ApiError (api/query.h) for a 4xx with its message; any other exception is a
// 500 naming nothing of the internals beyond its text.
using ApiHandler = std::function<HttpResponse(ApiCall&)>;

struct Route {
  std::string method;   // GET (HEAD is served as GET), POST, PUT or DELETE
  std::string pattern;  // "/api/v1/alerts/{fingerprint}/acknowledge"; {name} is one segment
  Access access = Access::kPublic;
  RunsOn runs_on = RunsOn::kLoop;
  std::vector<std::string> params;  // the query parameters it accepts; any other is a 400
  size_t max_body_bytes = 0;        // 0 for no body; ingest takes web.max_body_bytes
  std::string summary;              // one line for the index page
  ApiHandler handler;
};

class RouteTable {
 public:
  // Adds a route; throws std::logic_error on a second route for the same method and pattern.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // null: no route for this method and path
    std::map<std::string, std::string> path;
    std::vector<std::string> allowed;  // methods the path has, when route is null (405 vs 404)
  };
  // GET also matches HEAD requests (the server passes them as GET).
  Match Find(const std::string& method, const std::string& path) const;

  // The pattern of the route the path belongs to (for any method), or "other": the HTTP
  // metrics' handler label, bounded by the table whatever paths clients send.
  std::string Label(const std::string& path) const;

  // The index page: every route with its method, parameters, access and summary.
  std::string Index(const std::string& title) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool MatchPattern(const std::string& pattern, const std::string& path,
                           std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace parkwatch
