#include "console/assets.h"

#include <map>

#include "core/sha256.h"

namespace parkwatch {

namespace {

std::string ContentType(std::string_view name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "application/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

const std::map<std::string, ConsoleAsset, std::less<>>& Assets() {
  static const auto* assets = [] {
    auto* out = new std::map<std::string, ConsoleAsset, std::less<>>;
    for (const EmbeddedFile& f : EmbeddedConsoleFiles()) {
      std::string_view body(reinterpret_cast<const char*>(f.data), f.size);
      (*out)[f.name] = {body, ContentType(f.name), "\"" + Sha256Hex(body).substr(0, 16) + "\""};
    }
    return out;
  }();
  return *assets;
}

}  // namespace

const ConsoleAsset* FindConsoleAsset(std::string_view name) {
  auto it = Assets().find(name);
  return it == Assets().end() ? nullptr : &it->second;
}

}  // namespace parkwatch
