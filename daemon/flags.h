// Command-line flags in the Prometheus style: --config.file=PATH or --config.file PATH, plus
// positional arguments. Unknown flags are an error, so a typo never runs with a default.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace parkwatch {

class Flags {
 public:
  // Parses argv[first..argc). known lists accepted flag names (without "--"); names in boolean
  // take no value. Returns false and sets *error on an unknown flag or a missing value.
  bool Parse(int argc, char** argv, int first, const std::set<std::string>& known,
             const std::set<std::string>& boolean, std::string* error);

  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace parkwatch
