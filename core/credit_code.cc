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

Wording ValidateCreditCode(std::string_view code) {
  if (code.size() != 18) {
    size_t characters = 0;  // what the eye counts: UTF-8 lead bytes
    for (char c : code) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return {"credit code must have 18 characters, has " + std::to_string(code.size()) + " bytes",
            "统一社会信用代码应为18位，实为" + std::to_string(characters) + "位"};
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (kAlphabet.find(code[i]) == std::string_view::npos) {
      const std::string position = std::to_string(i + 1);
      if (static_cast<unsigned char>(code[i]) >= 0x80)
        return {"credit code has a non-ASCII byte at position " + position +
                    ", not in the GB 32100 alphabet",
                "统一社会信用代码第" + position + "位起有全角或汉字字符，只能是数字和大写字母"};
      return {std::string("credit code has '") + code[i] + "' at position " + position +
                  ", not in the GB 32100 alphabet",
              "统一社会信用代码第" + position + "位是 " + code[i] +
                  "，不是国家标准允许的字符（数字和除 I、O、Z、S、V 外的大写字母）"};
    }
  }
  char expected = CreditCodeCheckChar(code);
  if (code[17] != expected)
    return {std::string("credit code check character is '") + code[17] + "', expected '" +
                expected + "'",
            std::string("统一社会信用代码校验位应为 ") + expected + "，实为 " + code[17]};
  return {};
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
