#include "rules/rule_config.h"

#include <glob.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "config/yaml_reader.h"
#include "core/text.h"
#include "core/time_text.h"
#include "rules/template.h"

namespace parkwatch {
namespace {

// The key of Thresholds::levels[i] in a rule file: "blue" for 1 ... "red" for 4.
std::string LevelKey(int i) { return std::string(SeverityName(static_cast<Severity>(i))); }

// Reads levels/clear/direction from a node that is a rule or an override.
void ReadThresholds(YamlReader& r, const YAML::Node& node, const std::string& where,
                    Thresholds* t) {
  const YAML::Node levels = node["levels"];
  if (r.Map(levels, where + ".levels", {"blue", "yellow", "orange", "red"})) {
    for (int i = 1; i <= 4; ++i)
      if (levels[LevelKey(i)])
        t->levels[i] = r.Double(levels[LevelKey(i)], where + ".levels." + LevelKey(i), 0);
  }
  if (node["direction"]) {
    std::string d = r.String(node["direction"], where + ".direction", "below");
    if (d == "below")
      t->direction = Direction::kBelow;
    else if (d == "above")
      t->direction = Direction::kAbove;
    else
      r.Error(node["direction"], where + ".direction", "must be below or above");
  }
  if (node["clear"]) t->clear = r.Double(node["clear"], where + ".clear", 0);
  // Severity must grow monotonically in the watched direction.
  if (auto problem = LevelOrderProblem(*t))
    r.Error(levels[LevelKey(problem->first)], where + ".levels." + LevelKey(problem->first),
            problem->second);
  if (t->clear) {
    std::optional<double> mildest;
    for (int i = 1; i <= 4 && !mildest; ++i) mildest = t->levels[i];
    if (mildest &&
        (t->direction == Direction::kBelow ? *t->clear < *mildest : *t->clear > *mildest))
      r.Error(node["clear"], where + ".clear",
              "the clear threshold must lie on the safe side of the mildest level");
  }
}

bool ReadDeadline(const std::string& text, Cadence cadence, Deadline* d, std::string* error) {
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::istringstream in(text);
  std::string day, time;
  in >> day;
  if (day == "day") {
    int n = 0;
    in >> n;
    if (cadence != Cadence::kMonthly || n < 1 || n > 28) {
      *error = "\"day N\" (1..28) is for monthly groups";
      return false;
    }
    d->day = n;
  } else {
    int found = 0;
    for (int i = 0; i < 7; ++i)
      if (day == kDays[i]) found = i + 1;
    if (!found || cadence != Cadence::kWeekly) {
      *error = "weekly deadlines are \"mon 12:00\" .. \"sun 12:00\"; monthly \"day 10 12:00\"";
      return false;
    }
    d->day = found;
  }
  in >> time;
  // from_chars, not sscanf: an out-of-range number is an error, not undefined behaviour.
  int hh = -1, mm = -1;
  const char* b = time.data();
  const char* e = b + time.size();
  auto h = std::from_chars(b, e, hh);
  auto m = h.ec == std::errc() && h.ptr < e && *h.ptr == ':'
               ? std::from_chars(h.ptr + 1, e, mm)
               : std::from_chars_result{b, std::errc::invalid_argument};
  if (m.ec != std::errc() || m.ptr != e || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
    *error = "time must be HH:MM";
    return false;
  }
  d->minute_of_day = hh * 60 + mm;
  return true;
}

// The rule's kind, its scope and which members it selects (where:).
void ReadKindAndScope(YamlReader& r, const YAML::Node& node, const std::string& where,
                      RuleConfig* rule) {
  std::string kind = r.String(node["kind"], where + ".kind", "threshold");
  if (kind == "threshold")
    rule->kind = RuleKind::kThreshold;
  else if (kind == "missing_report")
    rule->kind = RuleKind::kMissingReport;
  else if (kind == "anomaly")
    rule->kind = RuleKind::kAnomaly;
  else
    r.Error(node["kind"], where + ".kind", "must be threshold, missing_report or anomaly");

  std::string scope = r.String(node["scope"], where + ".scope", "enterprise");
  if (scope == "enterprise")
    rule->scope = ScopeKind::kEnterprise;
  else if (scope == "industry")
    rule->scope = ScopeKind::kIndustry;
  else if (scope == "park")
    rule->scope = ScopeKind::kPark;
  else if (scope.rfind("set:", 0) == 0)
    rule->scope = ScopeKind::kSet, rule->set = scope.substr(4);
  else
    r.Error(node["scope"], where + ".scope", "must be enterprise, industry, park or set:NAME");

  const YAML::Node sel = node["where"];
  if (r.Map(sel, where + ".where", {"key", "industry", "enterprise"})) {
    if (sel["key"]) rule->where.key = r.Bool(sel["key"], where + ".where.key", true);
    rule->where.industries = r.Strings(sel["industry"], where + ".where.industry");
    rule->where.enterprises = r.Strings(sel["enterprise"], where + ".where.enterprise");
  }
}

// A missing-report rule: its deadline, who owes a report, and levels counting overdue periods.
void ReadMissingReport(YamlReader& r, const YAML::Node& node, const std::string& where,
                       const RuleGroup& group, RuleConfig* rule) {
  if (rule->scope != ScopeKind::kEnterprise)
    r.Error(node["scope"], where + ".scope", "missing_report rules watch enterprises");
  std::string text = r.String(node["deadline"], where + ".deadline",
                              group.cadence == Cadence::kWeekly ? "mon 12:00" : "day 10 12:00");
  std::string error;
  if (!ReadDeadline(text, group.cadence, &rule->deadline, &error))
    r.Error(node["deadline"], where + ".deadline", error);
  // Who owes a report each period is the bureau's decision, never a default: some offices
  // take weekly reports from key enterprises only, others from all.
  std::string reporters = r.String(node["reporters"], where + ".reporters", "");
  if (reporters == "all") {
    rule->reporters = Reporters::kAll;
  } else if (reporters == "key") {
    rule->reporters = Reporters::kKey;
  } else if (reporters == "register") {
    rule->reporters = Reporters::kRegister;
  } else if (reporters.rfind("set:", 0) == 0 && reporters.size() > 4) {
    rule->reporters = Reporters::kSet;
    rule->set = reporters.substr(4);
  } else {
    r.Error(node["reporters"] ? node["reporters"] : node, where + ".reporters",
            reporters.empty() ? "required: who reports, all | key | set:NAME | register"
                              : "must be all, key, set:NAME or register");
  }
  // Levels count overdue periods: 1 = the last period is missing.
  rule->thresholds.direction = Direction::kAbove;
  ReadThresholds(r, node, where, &rule->thresholds);
  if (!rule->thresholds.levels[1] && !rule->thresholds.levels[2] && !rule->thresholds.levels[3] &&
      !rule->thresholds.levels[4])
    rule->thresholds.levels[static_cast<int>(Severity::kYellow)] = 1;
}

// A threshold or anomaly rule: its measure, the direction trouble goes, and its levels.
void ReadMeasured(YamlReader& r, const YAML::Node& node, const std::string& where,
                  RuleConfig* rule) {
  std::string text = r.String(node["measure"], where + ".measure", "");
  std::string error;
  auto measure = ParseMeasure(text, &error);
  if (!measure)
    r.Error(node["measure"] ? node["measure"] : node, where + ".measure", error);
  else
    rule->measure = *measure;
  if (rule->kind == RuleKind::kAnomaly) {
    rule->anomaly_years = static_cast<int>(r.Int(node["years"], where + ".years", 3, 3));
    if (rule->scope != ScopeKind::kEnterprise)
      r.Error(node["scope"], where + ".scope", "anomaly rules watch enterprises");
  }
  // Growth rules watch for drops; counts of declines and anomaly scores grow with trouble.
  if (rule->kind == RuleKind::kAnomaly || rule->measure.kind == MeasureKind::kConsecutiveDeclines ||
      rule->measure.kind == MeasureKind::kUnitSlip)
    rule->thresholds.direction = Direction::kAbove;
  if (rule->measure.kind == MeasureKind::kUnitSlip && rule->scope != ScopeKind::kEnterprise)
    r.Error(node["scope"], where + ".scope", "unit_slip rules check enterprises' figures");
  if (rule->measure.kind == MeasureKind::kFall && rule->scope != ScopeKind::kEnterprise)
    r.Error(node["scope"], where + ".scope", "fall() follows one enterprise's own course");
  ReadThresholds(r, node, where, &rule->thresholds);
  bool any = false;
  for (int i = 1; i <= 4; ++i) any = any || rule->thresholds.levels[i].has_value();
  if (!any) r.Error(node, where + ".levels", "at least one of blue, yellow, orange, red");
}

// labels: and annotations:, each annotation a template checked now rather than at first firing.
void ReadLabelsAndAnnotations(YamlReader& r, const YAML::Node& node, const std::string& where,
                              RuleConfig* rule) {
  for (const char* section : {"labels", "annotations"}) {
    const YAML::Node m = node[section];
    if (!m) continue;
    if (!m.IsMap()) {
      r.Error(m, where + "." + section, "expected a mapping");
      continue;
    }
    auto& dest = std::string(section) == "labels" ? rule->labels : rule->annotations;
    for (const auto& kv : m) {
      std::string field = where + "." + section + "." + kv.first.as<std::string>("");
      std::string text = r.String(kv.second, field, "");
      if (std::string problem = CheckTemplate(text); !problem.empty())
        r.Error(kv.second, field, problem);
      dest[kv.first.as<std::string>("")] = text;
    }
  }
}

// overrides:, each starting from the rule's own thresholds and changing what it names.
void ReadOverrides(YamlReader& r, const YAML::Node& node, const std::string& where,
                   RuleConfig* rule) {
  const YAML::Node overrides = node["overrides"];
  if (overrides && !overrides.IsSequence())
    r.Error(overrides, where + ".overrides", "expected a list");
  if (overrides && overrides.IsSequence()) {
    int i = 0;
    for (const auto& o : overrides) {
      std::string ow = where + ".overrides[" + std::to_string(i++) + "]";
      if (!r.Map(o, ow, {"industry", "enterprise", "levels", "clear", "direction"})) continue;
      ThresholdOverride ov;
      ov.line = o.Mark().line + 1;
      ov.industry = r.String(o["industry"], ow + ".industry", "");
      ov.enterprise = r.String(o["enterprise"], ow + ".enterprise", "");
      if (ov.industry.empty() == ov.enterprise.empty())
        r.Error(o, ow, "give exactly one of industry or enterprise");
      // An override starts from the rule's thresholds and changes what it names.
      ov.thresholds = rule->thresholds;
      ReadThresholds(r, o, ow, &ov.thresholds);
      if (const YAML::Node levels = o["levels"]; levels && levels.IsMap())
        for (int l = 1; l <= 4; ++l) ov.own[l] = static_cast<bool>(levels[LevelKey(l)]);
      rule->overrides.push_back(std::move(ov));
    }
  }
}

void ReadRule(YamlReader& r, const YAML::Node& node, const std::string& where,
              const RuleGroup& group, RuleConfig* rule) {
  if (!r.Map(node, where,
             {"alert", "title", "title_zh", "kind", "scope", "where", "measure", "levels",
              "direction", "clear", "for", "keep_firing_for", "labels", "annotations", "overrides",
              "target", "deadline", "years", "reporters"})) {
    // A scalar or list item (Map reported it) has no members: yaml-cpp throws when asked for
    // one, which took the whole reload down. An empty item still lacks its name.
    if (!node || node.IsNull()) r.Error(node, where + ".alert", "required");
    return;
  }
  rule->line = node.Mark().line + 1;
  rule->name = r.String(node["alert"], where + ".alert", "");
  if (rule->name.empty()) r.Error(node, where + ".alert", "required");
  rule->title = r.String(node["title"], where + ".title", "");
  rule->title_zh = r.String(node["title_zh"], where + ".title_zh", "");
  ReadKindAndScope(r, node, where, rule);
  if (rule->kind == RuleKind::kMissingReport)
    ReadMissingReport(r, node, where, group, rule);
  else
    ReadMeasured(r, node, where, rule);
  rule->target = r.String(node["target"], where + ".target", "");
  rule->for_periods = static_cast<int>(r.Int(node["for"], where + ".for", 1, 1));
  rule->keep_firing_for =
      static_cast<int>(r.Int(node["keep_firing_for"], where + ".keep_firing_for", 0, 0));
  ReadLabelsAndAnnotations(r, node, where, rule);
  ReadOverrides(r, node, where, rule);
}

void ReadTunings(YamlReader& r, const YAML::Node& node, const std::string& file, RuleSet* into) {
  if (!node || node.IsNull()) return;
  if (!node.IsSequence()) return r.Error(node, "tuning", "expected a list");
  int i = 0;
  for (const auto& n : node) {
    std::string w = "tuning[" + std::to_string(i++) + "]";
    if (!r.Map(n, w,
               {"rule", "industry", "enterprise", "levels", "previous", "by", "at", "comment"}))
      continue;
    Tuning t;
    t.file = file;
    t.line = n.Mark().line + 1;
    t.rule = r.String(n["rule"], w + ".rule", "");
    if (t.rule.empty()) r.Error(n, w + ".rule", "required");
    t.industry = r.String(n["industry"], w + ".industry", "");
    t.enterprise = r.String(n["enterprise"], w + ".enterprise", "");
    if (!t.industry.empty() && !t.enterprise.empty())
      r.Error(n, w, "give at most one of industry or enterprise");
    for (auto [key, dest] : {std::pair{"levels", &t.levels}, std::pair{"previous", &t.previous}}) {
      const YAML::Node levels = n[key];
      if (!r.Map(levels, w + "." + key, {"blue", "yellow", "orange", "red"})) continue;
      for (int l = 1; l <= 4; ++l)
        if (levels[LevelKey(l)])
          (*dest)[l] = r.Double(levels[LevelKey(l)], w + "." + key + "." + LevelKey(l), 0);
    }
    t.by = r.String(n["by"], w + ".by", "");
    t.at = r.String(n["at"], w + ".at", "");
    t.comment = r.String(n["comment"], w + ".comment", "");
    into->tunings.push_back(std::move(t));
  }
}

}  // namespace

std::optional<MeasureSpec> ParseMeasure(const std::string& text, std::string* error) {
  static const std::pair<const char*, MeasureKind> kKinds[] = {
      {"level", MeasureKind::kLevel},
      {"value", MeasureKind::kValue},
      {"yoy", MeasureKind::kYoy},
      {"ytd_yoy", MeasureKind::kYtdYoy},
      {"mom", MeasureKind::kMom},
      {"two_year_avg", MeasureKind::kTwoYearAvg},
      {"share", MeasureKind::kShare},
      {"pull", MeasureKind::kPull},
      {"contribution", MeasureKind::kContribution},
      {"consecutive_declines", MeasureKind::kConsecutiveDeclines},
      {"change", MeasureKind::kChange},
      {"unit_slip", MeasureKind::kUnitSlip},
      {"fall", MeasureKind::kFall},
  };
  size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open ||
      !Trim(std::string_view(text).substr(close + 1)).empty()) {
    *error = "expected a measure such as yoy(output_value), got \"" + text + "\"";
    return std::nullopt;
  }
  MeasureSpec m;
  m.text = text;
  std::string fn(Trim(std::string_view(text).substr(0, open)));
  bool known = false;
  for (auto& [name, kind] : kKinds)
    if (fn == name) m.kind = kind, known = true;
  if (!known) {
    *error = "unknown measure \"" + fn +
             "\" (level, value, yoy, ytd_yoy, mom, two_year_avg, share, pull, contribution, "
             "consecutive_declines, change, unit_slip, fall)";
    return std::nullopt;
  }
  std::istringstream args(text.substr(open + 1, close - open - 1));
  std::string arg;
  bool first = true;
  while (std::getline(args, arg, ',')) {
    arg = std::string(Trim(arg));
    if (first) {
      m.indicator = arg;
      first = false;
      continue;
    }
    size_t colon = arg.find(':');
    std::string key(Trim(std::string_view(arg).substr(0, colon)));
    std::string value(colon == std::string::npos ? ""
                                                 : Trim(std::string_view(arg).substr(colon + 1)));
    if (colon == std::string::npos && arg.find('=') != std::string::npos) {
      colon = arg.find('=');  // prices=comparable needs no YAML quoting
      key = Trim(std::string_view(arg).substr(0, colon));
      value = Trim(std::string_view(arg).substr(colon + 1));
    }
    if (key == "prices" &&
        (value == "comparable" || value == "current" || value == "comparable_or_current")) {
      m.prices = value == "comparable" ? PriceBasis::kComparable
                 : value == "current"  ? PriceBasis::kCurrent
                                       : PriceBasis::kComparableOrCurrent;
      m.comparable_prices = m.prices != PriceBasis::kCurrent;
    } else if (key == "against" && (value == "year" || value == "period") &&
               m.kind == MeasureKind::kChange) {
      m.against_previous = value == "period";
    } else if (key == "deflator" && !value.empty()) {
      m.deflator = value;
    } else if (key == "of" && (value == "park" || value == "industry")) {
      m.whole = value;
    } else if (key == "by" && m.kind == MeasureKind::kConsecutiveDeclines) {
      char* end = nullptr;
      m.by = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(m.by >= 0 && m.by < 1)) {
        *error = "by: expects the least fall that counts, a ratio from 0 to 1 (0.01 = 1%), got \"" +
                 value + "\"";
        return std::nullopt;
      }
    } else if (key == "swings" && m.kind == MeasureKind::kFall) {
      char* end = nullptr;
      m.swings = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(m.swings >= 0)) {
        *error = "swings: expects a number of usual swings (0 or more), got \"" + value + "\"";
        return std::nullopt;
      }
    } else {
      *error =
          "unknown option \"" + arg +
          "\" (prices: comparable|current|comparable_or_current, deflator: INDICATOR, "
          "of: park|industry, against: year|period for change, swings: N for fall, by: RATIO for "
          "consecutive_declines)";
      return std::nullopt;
    }
  }
  if (m.indicator.empty()) {
    *error = "measure " + fn + "() needs an indicator";
    return std::nullopt;
  }
  if (m.kind == MeasureKind::kFall && m.prices != PriceBasis::kCurrent) {
    *error = "fall() compares an enterprise's own figures at current prices; no prices: option";
    return std::nullopt;
  }
  return m;
}

Severity Thresholds::Classify(double value) const {
  Severity reached = Severity::kNone;
  for (int i = 1; i <= 4; ++i) {
    if (!levels[i]) continue;
    bool breach = direction == Direction::kBelow ? value <= *levels[i] : value >= *levels[i];
    if (breach) reached = static_cast<Severity>(i);
  }
  return reached;
}

std::optional<std::pair<int, std::string>> LevelOrderProblem(const Thresholds& t) {
  std::optional<double> previous;
  for (int i = 1; i <= 4; ++i) {
    if (!t.levels[i]) continue;
    if (previous &&
        (t.direction == Direction::kBelow ? *t.levels[i] > *previous : *t.levels[i] < *previous))
      return std::pair{i, std::string("a more severe level must be ") +
                              (t.direction == Direction::kBelow ? "lower" : "higher") +
                              " than the one before"};
    previous = t.levels[i];
  }
  return std::nullopt;
}

bool ApplyTunings(RuleSet* rules, std::vector<Diagnostic>* diagnostics) {
  size_t before = diagnostics->size();
  for (size_t i = 0; i < rules->tunings.size(); ++i) {
    const Tuning& t = rules->tunings[i];
    RuleConfig* rule = nullptr;
    for (auto& g : rules->groups)
      for (auto& r : g.rules)
        if (r.name == t.rule) rule = &r;
    if (!rule) {
      diagnostics->push_back({t.file, t.line, 0, "tuning.rule", "unknown rule \"" + t.rule + "\""});
      continue;
    }
    Thresholds* target = nullptr;
    if (t.industry.empty() && t.enterprise.empty()) {
      // A level an override inherited follows the rule's change; one it sets is a decision of
      // its own and stays, even where it equals the rule's old level.
      for (auto& o : rule->overrides)
        for (int l = 1; l <= 4; ++l)
          if (t.levels[l] && !o.own[l]) o.thresholds.levels[l] = t.levels[l];
      target = &rule->thresholds;
    } else {
      for (auto& o : rule->overrides)
        if ((!t.industry.empty() && o.industry == t.industry) ||
            (!t.enterprise.empty() && o.enterprise == t.enterprise))
          target = &o.thresholds;
      if (!target) {
        ThresholdOverride o;
        o.industry = t.industry;
        o.enterprise = t.enterprise;
        o.thresholds = rule->ThresholdsFor(t.industry, "");
        o.line = t.line;
        rule->overrides.push_back(std::move(o));
        target = &rule->overrides.back().thresholds;
      }
    }
    ThresholdOverride* changed = nullptr;
    for (auto& o : rule->overrides)
      if (&o.thresholds == target) changed = &o;
    for (int l = 1; l <= 4; ++l)
      if (t.levels[l]) {
        target->levels[l] = t.levels[l];
        if (changed) changed->own[l] = true;
      }
    if (auto problem = LevelOrderProblem(*target))
      diagnostics->push_back(
          {t.file, t.line, 0,
           "tuning[" + std::to_string(i) + "].levels." + LevelKey(problem->first),
           problem->second});
  }
  return diagnostics->size() == before;
}

bool Thresholds::Cleared(double value) const {
  std::optional<double> bound = clear;
  for (int i = 1; i <= 4 && !bound; ++i) bound = levels[i];
  if (!bound) return true;
  return direction == Direction::kBelow ? value > *bound : value < *bound;
}

std::string RuleConfig::MeasureName() const {
  if (kind == RuleKind::kMissingReport) return "missing_report";
  if (kind == RuleKind::kAnomaly) return "anomaly(" + measure.indicator + ")";
  return measure.text;
}

const Thresholds& RuleConfig::ThresholdsFor(const std::string& industry,
                                            const std::string& enterprise) const {
  const Thresholds* found = &thresholds;
  for (const auto& o : overrides)
    if (!o.industry.empty() && o.industry == industry) found = &o.thresholds;
  for (const auto& o : overrides)
    if (!o.enterprise.empty() && o.enterprise == enterprise) return o.thresholds;
  return *found;
}

const RuleConfig* RuleSet::FindRule(const std::string& name) const {
  for (const auto& g : groups)
    for (const auto& r : g.rules)
      if (r.name == name) return &r;
  return nullptr;
}

std::optional<double> RuleSet::Target(const std::string& name, const std::string& scope) const {
  auto it = targets.find(name);
  if (it == targets.end()) return std::nullopt;
  auto t = it->second.find(scope);
  if (t == it->second.end()) return std::nullopt;
  return t->second;
}

bool ParseRuleFile(const std::string& text, const std::string& file, RuleSet* into,
                   std::vector<Diagnostic>* diagnostics) {
  YAML::Node root;
  if (!ParseYaml(text, file, &root, diagnostics)) return false;
  YamlReader r(file, diagnostics);
  if (root.IsNull()) return true;
  if (!r.Map(root, "", {"groups", "sets", "targets", "tuning"})) return false;
  ReadTunings(r, root["tuning"], file, into);

  const YAML::Node sets = root["sets"];
  if (sets && sets.IsMap()) {
    for (const auto& kv : sets)
      into->sets[kv.first.as<std::string>("")] =
          r.Strings(kv.second, "sets." + kv.first.as<std::string>(""));
  } else if (sets && !sets.IsNull()) {
    r.Error(sets, "sets", "expected a mapping of set name to credit codes");
  }
  const YAML::Node targets = root["targets"];
  if (targets && targets.IsMap()) {
    for (const auto& kv : targets) {
      std::string name = kv.first.as<std::string>("");
      if (!kv.second.IsMap()) {
        r.Error(kv.second, "targets." + name, "expected scope: target pairs");
        continue;
      }
      for (const auto& t : kv.second) {
        std::string scope = t.first.as<std::string>("");
        into->targets[name][scope] = r.Double(t.second, "targets." + name + "." + scope, 0);
      }
    }
  } else if (targets && !targets.IsNull()) {
    r.Error(targets, "targets", "expected a mapping");
  }

  const YAML::Node groups = root["groups"];
  if (groups && !groups.IsSequence()) r.Error(groups, "groups", "expected a list");
  if (groups && groups.IsSequence()) {
    int gi = 0;
    for (const auto& g : groups) {
      std::string gw = "groups[" + std::to_string(gi++) + "]";
      if (!r.Map(g, gw,
                 {"name", "cadence", "timezone", "combine_jan_feb", "spring_festival", "rules"}))
        continue;
      RuleGroup group;
      group.file = file;
      group.name = r.String(g["name"], gw + ".name", "");
      if (group.name.empty()) r.Error(g, gw + ".name", "required");
      auto cadence = ParseCadence(r.String(g["cadence"], gw + ".cadence", "monthly"));
      if (!cadence)
        r.Error(g["cadence"], gw + ".cadence", "must be weekly or monthly");
      else
        group.cadence = *cadence;
      group.timezone = r.String(g["timezone"], gw + ".timezone", group.timezone);
      if (!UtcOffsetMinutes(group.timezone))
        r.Error(g["timezone"], gw + ".timezone",
                "unknown time zone \"" + group.timezone +
                    "\": use Asia/Shanghai, UTC or a fixed offset such as +08:00");
      group.combine_jan_feb = r.Bool(g["combine_jan_feb"], gw + ".combine_jan_feb", true);
      std::string festival = r.String(g["spring_festival"], gw + ".spring_festival", "keep");
      if (festival != "keep" && festival != "exclude")
        r.Error(g["spring_festival"], gw + ".spring_festival", "must be keep or exclude");
      group.exclude_spring_festival = festival == "exclude";
      if (group.exclude_spring_festival && group.cadence != Cadence::kWeekly)
        r.Error(g["spring_festival"], gw + ".spring_festival",
                "only weekly groups have festival weeks");
      const YAML::Node rules = g["rules"];
      if (rules && rules.IsSequence()) {
        int ri = 0;
        for (const auto& rn : rules) {
          RuleConfig rule;
          rule.file = file;
          ReadRule(r, rn, gw + ".rules[" + std::to_string(ri++) + "]", group, &rule);
          // A rule without a name was reported by ReadRule; it duplicates nothing. (A scalar
          // item has no "alert" to point at, and indexing one throws.)
          if (!rule.name.empty() && (into->FindRule(rule.name) || [&] {
                for (const auto& x : group.rules)
                  if (x.name == rule.name) return true;
                return false;
              }()))
            r.Error(rn["alert"], gw + ".alert", "duplicate alert name \"" + rule.name + "\"");
          group.rules.push_back(std::move(rule));
        }
      } else if (rules) {
        r.Error(rules, gw + ".rules", "expected a list");
      }
      into->groups.push_back(std::move(group));
    }
  }
  // A set: scope must name a set that exists (in this file or one loaded before).
  for (const auto& group : into->groups)
    for (const auto& rule : group.rules)
      if ((rule.scope == ScopeKind::kSet || rule.reporters == Reporters::kSet) &&
          !into->sets.count(rule.set) && rule.file == file)
        diagnostics->push_back({file, rule.line, 0, rule.name, "unknown set \"" + rule.set + "\""});
  return r.ok();
}

bool LoadRuleFiles(const std::vector<std::string>& patterns, RuleSet* out,
                   std::vector<Diagnostic>* diagnostics) {
  RuleSet fresh;
  size_t errors_before = diagnostics->size();
  for (const auto& pattern : patterns) {
    glob_t g{};
    int rc = ::glob(pattern.c_str(), GLOB_NOCHECK, nullptr, &g);
    std::vector<std::string> files;
    if (rc == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) files.push_back(g.gl_pathv[i]);
    globfree(&g);
    for (const auto& file : files) {
      std::string text;
      if (ReadConfigFile(file, "rule file", &text, diagnostics))
        ParseRuleFile(text, file, &fresh, diagnostics);
    }
  }
  if (diagnostics->size() != errors_before) return false;
  if (!ApplyTunings(&fresh, diagnostics)) return false;
  *out = std::move(fresh);
  return true;
}

std::vector<std::string> DiffThresholds(const RuleSet& before, const RuleSet& after) {
  std::vector<std::string> lines;
  auto text = [](const std::optional<double>& v) {
    if (!v) return std::string("unset");
    std::ostringstream s;
    s << *v;
    return s.str();
  };
  auto compare = [&](const std::string& what, const Thresholds& a, const Thresholds& b) {
    for (int i = 1; i <= 4; ++i)
      if (a.levels[i] != b.levels[i])
        lines.push_back(what + " levels." + LevelKey(i) + ": " + text(a.levels[i]) + " -> " +
                        text(b.levels[i]));
    if (a.clear != b.clear)
      lines.push_back(what + " clear: " + text(a.clear) + " -> " + text(b.clear));
  };
  for (const auto& g : after.groups)
    for (const auto& rule : g.rules) {
      const RuleConfig* old = before.FindRule(rule.name);
      if (!old) {
        lines.push_back(rule.name + ": added");
        continue;
      }
      compare(rule.name + ":", old->thresholds, rule.thresholds);
      if (old->for_periods != rule.for_periods)
        lines.push_back(rule.name + ": for: " + std::to_string(old->for_periods) + " -> " +
                        std::to_string(rule.for_periods));
      for (const auto& o : rule.overrides) {
        std::string who = o.industry.empty() ? o.enterprise : o.industry;
        compare(rule.name + " [" + who + "]:", old->ThresholdsFor(o.industry, o.enterprise),
                o.thresholds);
      }
    }
  for (const auto& g : before.groups)
    for (const auto& rule : g.rules)
      if (!after.FindRule(rule.name)) lines.push_back(rule.name + ": removed");
  return lines;
}

}  // namespace parkwatch

namespace parkwatch {

bool CheckRulesAgainstConfig(const RuleSet& rules, const Config& config,
                             std::vector<Diagnostic>* diagnostics) {
  size_t before = diagnostics->size();
  for (const auto& group : rules.groups)
    for (const auto& rule : group.rules) {
      if (rule.kind == RuleKind::kMissingReport) continue;
      auto fail = [&](const std::string& message) {
        diagnostics->push_back({rule.file, rule.line, 0, rule.name + ".measure", message});
      };
      const IndicatorConfig* ind = config.FindIndicator(rule.measure.indicator);
      if (!ind) {
        fail("unknown indicator \"" + rule.measure.indicator + "\" in " + rule.measure.text);
        continue;
      }
      bool rate = ind->kind == IndicatorKind::kRate;
      if (rate && rule.measure.kind != MeasureKind::kValue &&
          rule.measure.kind != MeasureKind::kTwoYearAvg &&
          rule.measure.kind != MeasureKind::kChange)
        fail(rule.measure.text + ": " + ind->name + " is a published rate; use value(" + ind->name +
             ")");
      if (rule.measure.comparable_prices && !config.FindIndicator(rule.measure.deflator))
        fail("unknown deflator \"" + rule.measure.deflator + "\"");
    }
  return diagnostics->size() == before;
}

}  // namespace parkwatch
