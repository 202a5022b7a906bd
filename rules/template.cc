#include "rules/template.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/number_text.h"
#include "core/text.h"

namespace parkwatch {
namespace {

bool IsKnownFunction(const std::string& fn) {
  return fn == "pct" || fn == "pp" || fn == "fixed1" || fn == "fixed2" || fn == "wan" ||
         fn == "yi" || fn == "pct_abs" || fn == "growth_zh" || fn == "growth" ||
         fn == "points_zh" || fn == "points";
}

std::string Apply(const std::string& fn, const std::string& value) {
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end == value.c_str() || *end != '\0') return value;
  if (fn == "pct") return Fixed(v * 100, 1) + "%";
  // The size of a difference whose direction the words beside it say (低于 … 50.0%).
  if (fn == "pct_abs") return Fixed(std::fabs(v) * 100, 1) + "%";
  if (fn == "pp") return Fixed(v * 100, 2);
  if (fn == "fixed1") return Fixed(v, 1);
  if (fn == "fixed2") return Fixed(v, 2);
  if (fn == "wan") return Grouped(v / 1e4) + "万元";
  if (fn == "yi") return Grouped(v / 1e8) + "亿元";
  // The bureau's words for a growth rate and a change of one, from core/number_text so an
  // annotation reads as the message body around it: 同比下降12.2%, 回落0.4个百分点.
  if (fn == "growth_zh") return GrowthWords(v, "zh");
  if (fn == "growth") return GrowthWords(v, "en");
  if (fn == "points_zh") return PointsWords(v, "zh");
  if (fn == "points") return PointsWords(v, "en");
  return value;
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
