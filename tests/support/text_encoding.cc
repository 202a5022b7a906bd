#include "text_encoding.h"

#include <iconv.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace parkwatch::testing {

std::string ToGb18030(std::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    std::perror("iconv_open GB18030");
    std::abort();
  }
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t out_left = out.size();
  if (iconv(cd, &in, &in_left, &o, &out_left) == static_cast<size_t>(-1)) {
    std::perror("iconv to GB18030");
    std::abort();
  }
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

std::string ReadTestData(const std::string& name) {
  std::ifstream in(std::string(PARKWATCH_SOURCE_DIR) + "/tests/testdata/" + name, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open test data %s\n", name.c_str());
    std::abort();
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace parkwatch::testing
