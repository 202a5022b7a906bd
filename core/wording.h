// A message in the two languages its readers use: zh for the park bureau's operations staff (the
// console's 数据 page, the upload form, the inbox's *.errors.txt), en for the console's English
// switch and for logs. Whoever finds a problem words it in both, so no reader has to translate.
#pragma once

#include <string>

namespace parkwatch {

struct Wording {
  std::string en;
  std::string zh;

  // No message (a check that passed).
  bool empty() const { return en.empty() && zh.empty(); }

  // Both languages extended side by side: a reason put in context ("growth for June 2025: " +
  // why), or two sentences joined.
  Wording& operator+=(const Wording& more) {
    en += more.en;
    zh += more.zh;
    return *this;
  }
  friend Wording operator+(Wording a, const Wording& b) { return a += b; }
};

}  // namespace parkwatch
