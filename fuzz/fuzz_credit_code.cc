// ValidateCreditCode and NormalizeCreditCode on arbitrary bytes: a code accepted is 18 characters
// of the code alphabet whose check character CreditCodeCheckChar agrees with.
#include <cstdlib>
#include <string_view>

#include "core/credit_code.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  std::string_view code(reinterpret_cast<const char*>(data), size);
  if (ValidateCreditCode(code).empty()) {
    if (code.size() != 18) std::abort();
    if (CreditCodeCheckChar(code.substr(0, 17)) != code[17]) std::abort();
  }
  ValidateCreditCode(NormalizeCreditCode(code));
  if (size >= 17) CreditCodeCheckChar(code.substr(0, 17));
  return 0;
}
