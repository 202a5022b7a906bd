// Period::Parse: never crashes, and whatever it accepts prints to a form it parses back to the
// same period with the same storage key.
#include <cstdlib>
#include <string_view>

#include "core/period.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  std::string error;
  auto period = Period::Parse(std::string_view(reinterpret_cast<const char*>(data), size), &error);
  if (!period) return 0;
  auto again = Period::Parse(period->ToString());
  if (!again || !(*again == *period)) std::abort();
  auto from_key = Period::FromKey(period->cadence(), period->key());
  if (!from_key || !(*from_key == *period)) std::abort();
  return 0;
}
