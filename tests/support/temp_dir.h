// A fresh directory under /tmp for one test, removed when the test ends (kept on failure
// when PARKWATCH_KEEP_TEST_DIRS is set, for a look afterwards).
#pragma once

#include <string>

namespace parkwatch::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes text to path (creating parent directories); returns path.
std::string WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

// A valid unified social credit code made from a number (deterministic, distinct per n).
std::string TestCreditCode(int n);

}  // namespace parkwatch::testing
