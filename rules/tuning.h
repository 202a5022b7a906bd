// The console's tuning file: the threshold changes people make in the console's 规则与阈值
// page, kept as a rule file of its own (`tuning:` entries, rules/rule_config.h Tuning) named
// console-tuning.yml beside the rule files. The rule files stay as their authors wrote them;
// the console only appends to its file, each entry with who, when, why and the levels before, so
// the file is also the history a revert reads. The daemon and `parkwatch backtest` load it after
// the rule files (RuleFilesWithTuning), so both see the same thresholds.
//
// Threading: free functions on their arguments; file writes are atomic (temporary + rename).
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "rules/rule_config.h"

namespace parkwatch {

// <directory of the first rule_files pattern>/console-tuning.yml.
std::string TuningFilePath(const Config& config);

// config.rule_files, then the tuning file when it exists (and no pattern names it already).
std::vector<std::string> RuleFilesWithTuning(const Config& config);

// current (the file's text, "" when there is none) with t appended as one entry.
std::string AppendTuning(const std::string& current, const Tuning& t);

// Writes text to path through a temporary file in the same directory, fsync and rename: a
// reader sees the old file or the new one, never a part. False with *error on failure.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* error);

}  // namespace parkwatch
