#include "rules/tuning.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/number_text.h"

namespace parkwatch {

namespace fs = std::filesystem;

std::string TuningFilePath(const Config& config) {
  fs::path dir = config.rule_files.empty() ? fs::path(config.file).parent_path()
                                           : fs::path(config.rule_files.front()).parent_path();
  return (dir / "console-tuning.yml").string();
}

std::vector<std::string> RuleFilesWithTuning(const Config& config) {
  std::vector<std::string> files = config.rule_files;
  std::string tuning = TuningFilePath(config);
  std::error_code ec;
  bool named = false;  // by a pattern (rules/*.yml names rules/console-tuning.yml)
  for (const auto& f : files)
    named = named || ::fnmatch(f.c_str(), tuning.c_str(), FNM_PATHNAME) == 0;
  if (!named && fs::exists(tuning, ec)) files.push_back(tuning);
  return files;
}

namespace {

std::string Levels(const std::array<std::optional<double>, 5>& levels) {
  std::string out;
  for (int l = 1; l <= 4; ++l)
    if (levels[l])
      out += std::string(out.empty() ? "" : ", ") +
             std::string(SeverityName(static_cast<Severity>(l))) + ": " + ShortestText(*levels[l]);
  return "{" + out + "}";
}

// A YAML scalar as a JSON string: YAML reads JSON's double-quoted strings as they are.
std::string Quoted(const std::string& s) { return DumpJson(nlohmann::json(s)); }

}  // namespace

std::string AppendTuning(const std::string& current, const Tuning& t) {
  std::string text = current;
  if (text.find_first_not_of(" \n") == std::string::npos)
    text =
        "# Managed by the parkwatch console (规则与阈值): threshold changes, applied in order "
        "after\n"
        "# the rule files. Each entry says who changed what, when and why, and what it was.\n"
        "tuning:\n";
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += "  - {rule: " + Quoted(t.rule);
  if (!t.industry.empty()) text += ", industry: " + Quoted(t.industry);
  if (!t.enterprise.empty()) text += ", enterprise: " + Quoted(t.enterprise);
  text += ", levels: " + Levels(t.levels) + ", previous: " + Levels(t.previous);
  text +=
      ", by: " + Quoted(t.by) + ", at: " + Quoted(t.at) + ", comment: " + Quoted(t.comment) + "}\n";
  return text;
}

bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    *error = tmp + ": " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = tmp + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  // The rename is durable once the directory is.
  int dir = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace parkwatch
