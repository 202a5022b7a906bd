#include "api/query.h"

#include <algorithm>
#include <charconv>

namespace parkwatch {

std::string QueryReader::Check() const {
  for (auto it = query_.begin(); it != query_.end(); it = query_.upper_bound(it->first)) {
    const std::string& name = it->first;
    if (std::find(accepted_.begin(), accepted_.end(), name) == accepted_.end()) {
      if (accepted_.empty()) return "unknown parameter \"" + name + "\": this endpoint takes none";
      std::string list;
      for (const auto& a : accepted_) list += (list.empty() ? "" : ", ") + a;
      return "unknown parameter \"" + name + "\": this endpoint takes " + list;
    }
    if (query_.count(name) > 1) return "parameter \"" + name + "\" given more than once";
  }
  return "";
}

std::string QueryReader::String(const std::string& name, const std::string& fallback) const {
  auto it = query_.find(name);
  return it == query_.end() ? fallback : it->second;
}

std::optional<std::string> QueryReader::Optional(const std::string& name) const {
  auto it = query_.find(name);
  if (it == query_.end()) return std::nullopt;
  return it->second;
}

std::string QueryReader::Required(const std::string& name, const std::string& what) const {
  std::string value = String(name);
  if (value.empty()) throw ApiError::BadData("parameter " + name + " (" + what + ") is required");
  return value;
}

int64_t QueryReader::Int(const std::string& name, int64_t fallback, int64_t min,
                         int64_t max) const {
  auto text = Optional(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max)
    throw ApiError::BadData("parameter " + name + ": must be an integer from " +
                            std::to_string(min) + " to " + std::to_string(max) + ", not \"" +
                            text->substr(0, 40) + "\"");
  return value;
}

bool QueryReader::Bool(const std::string& name, bool fallback) const {
  auto text = Optional(name);
  if (!text) return fallback;
  if (*text == "true") return true;
  if (*text == "false") return false;
  throw ApiError::BadData("parameter " + name + ": must be true or false");
}

int64_t PositiveId(const std::string& text, const std::string& what) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value <= 0)
    throw ApiError::BadData(what + " must be a positive integer, not \"" + text.substr(0, 40) +
                            "\"");
  return value;
}

}  // namespace parkwatch
