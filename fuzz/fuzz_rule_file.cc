// ParseRuleFile on arbitrary text: accepts or reports diagnostics, never crashes, and a rejected
// text always says why.
#include <cstdlib>

#include "rules/rule_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  bool ok = ParseRuleFile(std::string(reinterpret_cast<const char*>(data), size), "rules.yml",
                          &rules, &diagnostics);
  if (!ok && diagnostics.empty()) std::abort();
  return 0;
}
