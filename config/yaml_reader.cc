#include "config/yaml_reader.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace parkwatch {

namespace fs = std::filesystem;

void YamlReader::Error(const YAML::Node& node, const std::string& field,
                       const std::string& message) {
  // An absent node has no position; report it without one rather than throw.
  const YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  // yaml-cpp marks are 0-based; editors count from 1. A null mark (-1) becomes 0 = unknown.
  out_->push_back({file_, mark.line + 1, mark.column + 1, field, message});
}

bool YamlReader::Map(const YAML::Node& node, const std::string& where,
                     const std::set<std::string>& allowed) {
  if (!node || node.IsNull()) return false;
  if (!node.IsMap()) {
    Error(node, where, "expected a mapping");
    return false;
  }
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>("");
    if (!allowed.count(key)) Error(kv.first, Join(where, key), "unknown field");
  }
  return true;
}

std::string YamlReader::String(const YAML::Node& node, const std::string& field,
                               std::string fallback) {
  if (!node || node.IsNull()) return fallback;
  if (!node.IsScalar()) {
    Error(node, field, "expected a string");
    return fallback;
  }
  return node.Scalar();
}

bool YamlReader::Bool(const YAML::Node& node, const std::string& field, bool fallback) {
  if (!node || node.IsNull()) return fallback;
  bool value;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    Error(node, field, "expected true or false");
    return fallback;
  }
  return value;
}

int64_t YamlReader::Int(const YAML::Node& node, const std::string& field, int64_t fallback,
                        int64_t min, int64_t max) {
  if (!node || node.IsNull()) return fallback;
  int64_t value;
  if (!node.IsScalar() || !YAML::convert<int64_t>::decode(node, value)) {
    Error(node, field, "expected an integer");
    return fallback;
  }
  if (value < min) {
    Error(node, field, "must be at least " + std::to_string(min));
    return fallback;
  }
  if (value > max) {
    Error(node, field, "must be at most " + std::to_string(max));
    return fallback;
  }
  return value;
}

double YamlReader::Double(const YAML::Node& node, const std::string& field, double fallback) {
  if (!node || node.IsNull()) return fallback;
  double value;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value)) {
    Error(node, field, "expected a number");
    return fallback;
  }
  if (!std::isfinite(value)) {
    Error(node, field, "expected a finite number");
    return fallback;
  }
  return value;
}

std::vector<std::string> YamlReader::Strings(const YAML::Node& node, const std::string& field) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) return out;
  if (node.IsScalar()) return {node.Scalar()};
  if (!node.IsSequence()) {
    Error(node, field, "expected a list");
    return out;
  }
  for (const auto& item : node) out.push_back(String(item, field, ""));
  return out;
}

std::string YamlReader::Secret(const YAML::Node& parent, const std::string& where,
                               const std::string& name, const std::string& base_dir) {
  const std::string inline_value = String(parent[name], where + "." + name, "");
  const std::string file = String(parent[name + "_file"], where + "." + name + "_file", "");
  const std::string env = String(parent[name + "_env"], where + "." + name + "_env", "");
  if (!inline_value.empty() + !file.empty() + !env.empty() > 1) {
    Error(parent, where + "." + name,
          "give one of " + name + ", " + name + "_file, " + name + "_env");
    return "";
  }
  if (!env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (!v)
      Error(parent[name + "_env"], where + "." + name + "_env",
            "environment variable " + env + " is not set");
    return v ? v : "";
  }
  if (file.empty()) return inline_value;
  std::string path = ResolvePath(base_dir, file);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Error(parent[name + "_file"], where + "." + name + "_file", "cannot read " + path);
    return "";
  }
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

std::string ResolvePath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

bool ReadConfigFile(const std::string& path, const std::string& what, std::string* text,
                    std::vector<Diagnostic>* diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics->push_back({path, 0, 0, "", "cannot read " + what});
    return false;
  }
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool ParseYaml(const std::string& text, const std::string& file, YAML::Node* root,
               std::vector<Diagnostic>* diagnostics) {
  try {
    *root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diagnostics->push_back({file, e.mark.line + 1, e.mark.column + 1, "", e.msg});
    return false;
  }
  return true;
}

}  // namespace parkwatch
