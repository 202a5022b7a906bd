#include "core/credit_code.h"

#include <cctype>

namespace parkwatch {
namespace {

// GB 32100-2015: 31 characters, the digits and the capital letters without I, O, Z, S, V.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Position weights are 3^i mod 31.
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

}  // namespace

char CreditCodeCheckChar(std::string_view first17) {
  if (first17.size() < 17) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    size_t v = kAlphabet.find(first17[i]);
    if (v == std::string_view::npos) return '\0';
    sum += static_cast<int>(v) * kWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kAlphabet[check];
}

std::string ValidateCreditCode(std::string_view code) {
  if (code.size() != 18)
    return "credit code must have 18 characters, has " + std::to_string(code.size()) + " bytes";
  for (size_t i = 0; i < code.size(); ++i) {
    if (kAlphabet.find(code[i]) == std::string_view::npos)
      return std::string("credit code has '") + code[i] + "' at position " + std::to_string(i + 1) +
             ", not in the GB 32100 alphabet";
  }
  char expected = CreditCodeCheckChar(code);
  if (code[17] != expected)
    return std::string("credit code check character is '") + code[17] + "', expected '" + expected +
           "'";
  return "";
}

std::string NormalizeCreditCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace parkwatch
