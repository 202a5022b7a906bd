// The default rule set (deploy/rules/default.yml), compiled into the binary.
#pragma once

namespace parkwatch {

const char* DefaultRulesYaml();

}  // namespace parkwatch
