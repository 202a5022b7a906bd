// The unified social credit code (统一社会信用代码, GB 32100-2015) that keys every enterprise.
#pragma once

#include <string>
#include <string_view>

namespace parkwatch {

// Returns "" when code is a valid 18-character code (upper case, check digit correct), else a
// message saying what is wrong. Lower-case letters are not accepted: normalise first.
std::string ValidateCreditCode(std::string_view code);

// The check character for the first 17 characters, or '\0' if one of them is not in the
// code's alphabet. Used by the demo generator to make valid codes.
char CreditCodeCheckChar(std::string_view first17);

// Upper-cases ASCII letters and trims spaces, the fixes an office spreadsheet needs.
std::string NormalizeCreditCode(std::string_view code);

}  // namespace parkwatch
