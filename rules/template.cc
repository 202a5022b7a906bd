#include "rules/template.h"

#include <cstdio>
#include <cstdlib>

#include "core/text.h"

namespace parkwatch {
namespace {

bool IsKnownFunction(const std::string& fn) {
  return fn == "pct" || fn == "pp" || fn == "fixed1" || fn == "fixed2" || fn == "wan" || fn == "yi";
}

std::string Apply(const std::string& fn, const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end == value.c_str() || *end != '\0') return value;
  char buf[64];
  if (fn == "pct")
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
  else if (fn == "pp")
    std::snprintf(buf, sizeof buf, "%.2f", v * 100);
  else if (fn == "fixed1")
    std::snprintf(buf, sizeof buf, "%.1f", v);
  else if (fn == "fixed2")
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else if (fn == "wan")
    std::snprintf(buf, sizeof buf, "%.2f万元", v / 1e4);
  else if (fn == "yi")
    std::snprintf(buf, sizeof buf, "%.2f亿元", v / 1e8);
  else
    return value;
  return buf;
}

// Splits the inside of {{ }} into variable and optional function.
bool ParseAction(const std::string& inside, std::string* var, std::string* fn) {
  const std::string_view body = Trim(inside);
  size_t bar = body.find('|');
  std::string head(Trim(body.substr(0, bar)));
  *fn = bar == std::string::npos ? std::string_view() : Trim(body.substr(bar + 1));
  if (head.size() < 2 || head[0] != '.') return false;
  *var = head.substr(1);
  return fn->empty() || IsKnownFunction(*fn);
}

}  // namespace

std::string RenderTemplate(const std::string& text, const TemplateVars& vars) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    size_t close = open == std::string::npos ? open : text.find("}}", open + 2);
    if (close == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    std::string var, fn;
    if (ParseAction(text.substr(open + 2, close - open - 2), &var, &fn)) {
      auto it = vars.find(var);
      out += it == vars.end() ? "<no value>" : (fn.empty() ? it->second : Apply(fn, it->second));
    } else {
      out += text.substr(open, close + 2 - open);  // left as written; CheckTemplate reports it
    }
    pos = close + 2;
  }
  return out;
}

std::string CheckTemplate(const std::string& text) {
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    size_t close = text.find("}}", pos + 2);
    if (close == std::string::npos) return "unclosed {{ at byte " + std::to_string(pos);
    std::string var, fn;
    if (!ParseAction(text.substr(pos + 2, close - pos - 2), &var, &fn))
      return "bad action \"" + text.substr(pos, close + 2 - pos) +
             "\": expected {{ .variable }} or {{ .variable | pct|pp|fixed1|fixed2|wan|yi }}";
    pos = close + 2;
  }
  return "";
}

}  // namespace parkwatch
