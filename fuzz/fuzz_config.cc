// ParseConfig on arbitrary text: accepts or reports diagnostics, never crashes, and a rejected
// text always says why.
#include <cstdlib>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  Config config;
  std::vector<Diagnostic> diagnostics;
  bool ok = ParseConfig(std::string(reinterpret_cast<const char*>(data), size),
                        "/fuzz/parkwatch.yml", &config, &diagnostics);
  if (!ok && diagnostics.empty()) std::abort();
  return 0;
}
