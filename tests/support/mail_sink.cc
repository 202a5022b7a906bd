#include "tests/support/mail_sink.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace parkwatch::testing {

std::string SupportFile(const std::string& name) {
  return std::string(PARKWATCH_SOURCE_DIR) + "/tests/support/" + name;
}

std::vector<std::string> MailFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".eml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());  // NNNN.eml: the order received
  return files;
}

std::string ParsedMail(const std::string& eml_file) {
  std::string out;
  FILE* p =
      popen(("/usr/bin/python3 " + SupportFile("parse_mail.py") + " " + eml_file).c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace parkwatch::testing
