// Annotation templates: "{{ .name }} output {{ .value | pct }} YoY in {{ .period }}".
//
// A deliberately small language, in the look of Prometheus's templates so operators recognise
// it: {{ .var }} inserts a variable, {{ .var | fn }} formats it. Functions: pct (0.123 -> 12.3%),
// pp (0.0123 -> 1.23, percentage points), fixed1/fixed2 (decimals), wan (yuan -> 万元 with two
// decimals), yi (yuan -> 亿元). An unknown variable renders as "<no value>", like Go templates.
#pragma once

#include <map>
#include <string>

namespace parkwatch {

using TemplateVars = std::map<std::string, std::string>;

// Renders text with vars. Numeric formatting functions parse the variable as a number and leave
// it unchanged when it is not one.
std::string RenderTemplate(const std::string& text, const TemplateVars& vars);

// Checks a template's syntax (balanced braces, known functions); "" when fine.
std::string CheckTemplate(const std::string& text);

}  // namespace parkwatch
