// ParseWebConfig on arbitrary text: accepts or reports diagnostics, never crashes, and never
// accepts a basic_auth_users value that is not a bcrypt hash (a password in the clear).
#include <cstdlib>

#include "config/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  WebSecurityConfig web;
  std::vector<Diagnostic> diagnostics;
  bool ok = ParseWebConfig(std::string(reinterpret_cast<const char*>(data), size), "/fuzz/web.yml",
                           &web, &diagnostics);
  if (!ok && diagnostics.empty()) std::abort();
  for (const auto& [user, hash] : web.basic_auth_users)
    if (!IsBcryptHash(hash)) std::abort();
  return 0;
}
