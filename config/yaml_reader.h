// Reading YAML with every problem reported at its line and column. Shared by parkwatch.yml and
// the rule files so both speak the same way about mistakes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/diagnostic.h"

namespace parkwatch {

// Walks a parsed YAML document and collects every problem instead of stopping at the first, so
// one run of `parkwatch check-config` shows the operator everything to fix.
class YamlReader {
 public:
  YamlReader(std::string file, std::vector<Diagnostic>* out)
      : file_(std::move(file)), out_(out), errors_at_start_(out->size()) {}

  void Error(const YAML::Node& node, const std::string& field, const std::string& message);
  bool ok() const { return errors_at_start_ == out_->size(); }

  // Checks node is a map whose keys are all in allowed; reports unknown keys (typos must not
  // pass silently: a misspelled threshold is a wrong threshold). False for absent or null.
  bool Map(const YAML::Node& node, const std::string& where, const std::set<std::string>& allowed);
  std::string String(const YAML::Node& node, const std::string& field, std::string fallback);
  bool Bool(const YAML::Node& node, const std::string& field, bool fallback);
  // An integer in [min, max]; out of range, malformed (99999999999999999999, 1e400, abc) or
  // not a scalar is a diagnostic at the node and the fallback, never an exception.
  int64_t Int(const YAML::Node& node, const std::string& field, int64_t fallback, int64_t min,
              int64_t max = std::numeric_limits<int>::max());
  // A finite number: .inf, .nan and numbers beyond a double are diagnostics.
  double Double(const YAML::Node& node, const std::string& field, double fallback);
  std::vector<std::string> Strings(const YAML::Node& node, const std::string& field);
  // A secret from <name>, <name>_file (relative to base_dir) or <name>_env: at most one of
  // them. The value itself never goes into a diagnostic.
  std::string Secret(const YAML::Node& parent, const std::string& where, const std::string& name,
                     const std::string& base_dir);

  static std::string Join(const std::string& where, const std::string& key) {
    return where.empty() ? key : where + "." + key;
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Diagnostic>* out_;
  size_t errors_at_start_;
};

// path as written in a file in base_dir: absolute paths as they are, relative ones joined to
// base_dir. Empty stays empty (nothing configured).
std::string ResolvePath(const std::string& base_dir, const std::string& path);

// Reads a whole configuration file (parkwatch.yml, a web config, a rule or rule-test file) into
// *text. If it cannot be read, adds "<path>: cannot read <what>" and returns false.
bool ReadConfigFile(const std::string& path, const std::string& what, std::string* text,
                    std::vector<Diagnostic>* diagnostics);

// Parses text as YAML; on a syntax error reports it and returns false.
bool ParseYaml(const std::string& text, const std::string& file, YAML::Node* root,
               std::vector<Diagnostic>* diagnostics);

}  // namespace parkwatch
