#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/credit_code.h"
#include "tests/support/temp_dir.h"

namespace parkwatch::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "parkwatch-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  if (!std::getenv("PARKWATCH_KEEP_TEST_DIRS")) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

std::string WriteFile(const std::string& path, const std::string& text) {
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TestCreditCode(int n) {
  char body[18];
  std::snprintf(body, sizeof body, "91430700%09d", n);
  std::string code(body, 17);
  code += CreditCodeCheckChar(code);
  return code;
}

}  // namespace parkwatch::testing
