#include "api/route_table.h"

#include <set>
#include <stdexcept>

namespace parkwatch {

const char* AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kRead:
      return "read";
    case Access::kOperate:
      return "operate";
    case Access::kIngest:
      return "ingest";
    case Access::kAdmin:
      return "admin";
  }
  return "?";
}

const char* RunsOnName(RunsOn thread) {
  switch (thread) {
    case RunsOn::kLoop:
      return "loop";
    case RunsOn::kWorker:
      return "worker";
    case RunsOn::kPool:
      return "pool";
  }
  return "?";
}

void RouteTable::Add(Route route) {
  for (const Route& r : routes_)
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::logic_error("route " + route.method + " " + route.pattern + " added twice");
  routes_.push_back(std::move(route));
}

bool RouteTable::MatchPattern(const std::string& pattern, const std::string& path,
                              std::map<std::string, std::string>* params) {
  size_t p = 0, q = 0;
  while (p < pattern.size() && q <= path.size()) {
    if (pattern[p] == '{') {
      size_t close = pattern.find('}', p);
      size_t slash = path.find('/', q);
      if (slash == std::string::npos) slash = path.size();
      if (slash == q) return false;  // an empty segment names nothing
      (*params)[pattern.substr(p + 1, close - p - 1)] = path.substr(q, slash - q);
      p = close + 1;
      q = slash;
      continue;
    }
    if (q >= path.size() || pattern[p] != path[q]) return false;
    ++p;
    ++q;
  }
  return p == pattern.size() && q == path.size();
}

RouteTable::Match RouteTable::Find(const std::string& method, const std::string& path) const {
  Match match;
  std::set<std::string> allowed;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    // A fixed path wins over a pattern that also matches it (/api/v1/alerts/history is not the
    // alert "history").
    bool exact = r.pattern == path;
    if (r.method == method && (!match.route || exact)) {
      if (match.route && match.route->pattern == path) continue;
      match.route = &r;
      match.path = std::move(params);
    }
    allowed.insert(r.method);
  }
  if (!match.route) match.allowed.assign(allowed.begin(), allowed.end());
  return match;
}

std::string RouteTable::Label(const std::string& path) const {
  const Route* found = nullptr;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, path, &params)) continue;
    if (r.pattern == path) return r.pattern;
    if (!found) found = &r;
  }
  return found ? found->pattern : "other";
}

std::string RouteTable::Index(const std::string& title) const {
  std::string out = title + "\n\n";
  for (const Route& r : routes_) {
    std::string line = r.method + " " + r.pattern;
    if (!r.params.empty()) {
      line += "?";
      for (size_t i = 0; i < r.params.size(); ++i) line += (i ? "&" : "") + r.params[i] + "=";
    }
    if (line.size() < 56) line.resize(56, ' ');
    line += " ";
    if (r.access != Access::kPublic && r.access != Access::kRead)
      line += std::string("[") + AccessName(r.access) + "] ";
    out += line + r.summary + "\n";
  }
  return out;
}

}  // namespace parkwatch
