// The unified social credit code (统一社会信用代码, GB 32100-2015) that keys every enterprise.
#pragma once

#include <string>
#include <string_view>

#include "core/wording.h"

namespace parkwatch {

// Returns an empty Wording when code is a valid 18-character code (upper case, check digit
// correct), else what is wrong in English and Chinese (统一社会信用代码校验位应为 3，实为 4).
// Lower-case letters are not accepted: normalise first.
Wording ValidateCreditCode(std::string_view code);

// The check character for the first 17 characters, or '\0' if one of them is not in the
// code's alphabet. Used by the demo generator to make valid codes.
char CreditCodeCheckChar(std::string_view first17);

// Upper-cases ASCII letters and trims spaces, the fixes an office spreadsheet needs.
std::string NormalizeCreditCode(std::string_view code);

}  // namespace parkwatch
