#include "alerts/rule_test.h"

#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "alerts/alert.h"
#include "alerts/engine.h"
#include "alerts/lifecycle.h"
#include "config/config.h"
#include "config/yaml_reader.h"
#include "rules/evaluator.h"
#include "rules/measures.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"

namespace parkwatch {
namespace {

struct SeriesSpec {
  std::string enterprise;  // credit code, or empty for a price index
  std::string industry;    // price index of this industry
  std::string indicator;
  Period start;
  std::vector<std::optional<double>> values;
  YAML::Mark mark;
};

struct ExpectedAlert {
  std::map<std::string, std::string> labels;
  std::optional<Severity> severity;
  AlertState state = AlertState::kFiring;
  std::map<std::string, std::string> annotations;
};

struct TestCase {
  const RuleGroup* group = nullptr;
  const RuleConfig* rule = nullptr;
  std::optional<Period> period;  // nullopt: nothing was due at eval_time
  std::string when;              // as written: the eval_period or eval_time
  std::optional<int64_t> eval_time;
  std::vector<ExpectedAlert> expected;
  int line = 0;
};

struct TestSpec {
  std::string name;
  std::vector<EnterpriseRow> enterprises;
  std::vector<SeriesSpec> series;
  std::vector<TestCase> cases;
  int line = 0;
};

// Parses one token of the values notation into out; "" on success, else why.
std::string ParseToken(std::string_view token, std::vector<std::optional<double>>* out) {
  size_t x = token.find('x');
  std::string_view head = token.substr(0, x);
  int64_t count = 1;
  if (x != std::string_view::npos) {
    std::string_view n = token.substr(x + 1);
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), count);
    if (ec != std::errc() || end != n.data() + n.size() || count < 1 || count > 100000)
      return "\"" + std::string(token) + "\": the repeat count after x must be 1..100000";
  }
  if (head == "_") {
    out->insert(out->end(), static_cast<size_t>(count), std::nullopt);
    return "";
  }
  // A number, optionally followed by +step or -step (the sign of the first number is part of
  // it, so the step's sign is searched from the second character on).
  size_t step_at = head.find_first_of("+-", 1);
  std::string_view first = head.substr(0, step_at);
  auto number = [](std::string_view s, double* v) {
    if (s.empty()) return false;
    // chars_format::fixed: no hex, so "0x3" can only mean three zeros, and no exponent.
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v, std::chars_format::fixed);
    return ec == std::errc() && end == s.data() + s.size();
  };
  double value = 0, step = 0;
  if (!number(first, &value))
    return "\"" + std::string(token) + "\": expected a number, a+bxN, axN or _";
  if (step_at != std::string_view::npos) {
    if (x == std::string_view::npos)
      return "\"" + std::string(token) + "\": a step needs a count (" + std::string(head) + "x3)";
    if (!number(head.substr(step_at + 1), &step))
      return "\"" + std::string(token) + "\": expected a number after the step sign";
    if (head[step_at] == '-') step = -step;
  }
  for (int64_t i = 0; i < count; ++i) out->push_back(value + step * static_cast<double>(i));
  return "";
}

// RFC 3339 date-time with an offset ("2024-03-11T13:00:00+08:00", "...Z") to unix seconds.
std::optional<int64_t> ParseTime(const std::string& text) {
  int y, mo, d, h, mi, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5)
    return std::nullopt;
  std::string rest = text.substr(static_cast<size_t>(used));
  if (rest.size() >= 3 && rest[0] == ':') {
    int more = 0;
    if (std::sscanf(rest.c_str(), ":%2d%n", &s, &more) != 1) return std::nullopt;
    rest = rest.substr(static_cast<size_t>(more));
  }
  std::optional<int> offset = rest == "Z" ? std::optional<int>(0) : UtcOffsetMinutes(rest);
  if (!offset || rest.empty()) return std::nullopt;
  using namespace std::chrono;
  year_month_day day{year(y), month(static_cast<unsigned>(mo)),
                     std::chrono::day(static_cast<unsigned>(d))};
  if (!day.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return sys_days(day).time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s -
         *offset * 60LL;
}

std::string LabelsText(const std::map<std::string, std::string>& labels) {
  std::string out = "{";
  for (const auto& [k, v] : labels) out += (out.size() > 1 ? ", " : "") + k + "=\"" + v + "\"";
  return out + "}";
}

class TestFileReader {
 public:
  TestFileReader(std::string file, std::vector<Diagnostic>* diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics), r_(file_, diagnostics) {}

  // Reads the file and its rule files; false when anything is wrong (diagnostics say what).
  bool Read() {
    std::string text;
    YAML::Node root;
    if (!ReadConfigFile(file_, "test file", &text, diagnostics_) ||
        !ParseYaml(text, file_, &root, diagnostics_))
      return false;
    if (!r_.Map(root, "", {"rule_files", "tests"})) {
      if (r_.ok()) r_.Error(root, "", "empty test file: expected rule_files and tests");
      return false;
    }
    std::vector<std::string> patterns;
    std::filesystem::path dir = std::filesystem::path(file_).parent_path();
    for (const std::string& f : r_.Strings(root["rule_files"], "rule_files"))
      patterns.push_back(std::filesystem::path(f).is_absolute() ? f : (dir / f).string());
    if (patterns.empty()) r_.Error(root, "rule_files", "at least one rule file is needed");
    if (!r_.ok()) return false;
    if (!LoadRuleFiles(patterns, &rules_, diagnostics_)) return false;

    const YAML::Node tests = root["tests"];
    if (!tests || !tests.IsSequence() || tests.size() == 0) {
      r_.Error(tests ? tests : root, "tests", "expected a list of tests");
      return false;
    }
    for (size_t i = 0; i < tests.size(); ++i)
      ReadTest(tests[i], "tests[" + std::to_string(i) + "]");
    return r_.ok();
  }

  const RuleSet& rules() const { return rules_; }
  std::vector<TestSpec>& tests() { return tests_; }

 private:
  void ReadTest(const YAML::Node& node, const std::string& where) {
    if (!r_.Map(
            node, where,
            {"name", "enterprises", "input_series", "alert_rule_test", "missing_report_test"})) {
      if (r_.ok()) r_.Error(node, where, "expected a test");
      return;
    }
    TestSpec t;
    t.line = node.Mark().line + 1;
    t.name = r_.String(node["name"], where + ".name", where);
    std::set<std::string> codes;
    ForEach(node["enterprises"], where + ".enterprises", [&](const YAML::Node& e, std::string w) {
      if (!r_.Map(
              e, w,
              {"credit_code", "name", "industry", "key", "above_size_since", "above_size_until"}))
        return r_.Error(e, w, "expected an enterprise");
      EnterpriseRow row;
      row.credit_code = r_.String(e["credit_code"], w + ".credit_code", "");
      if (row.credit_code.empty()) return r_.Error(e, w + ".credit_code", "is required");
      if (!codes.insert(row.credit_code).second)
        return r_.Error(e["credit_code"], w + ".credit_code", "declared twice");
      row.name = r_.String(e["name"], w + ".name", "");
      row.industry = r_.String(e["industry"], w + ".industry", "");
      row.key = r_.Bool(e["key"], w + ".key", false);
      if (e["above_size_since"])
        row.above_size_since = static_cast<int>(r_.Int(e["above_size_since"], w, 0, 1900));
      if (e["above_size_until"])
        row.above_size_until = static_cast<int>(r_.Int(e["above_size_until"], w, 0, 1900));
      t.enterprises.push_back(row);
    });
    ForEach(node["input_series"], where + ".input_series",
            [&](const YAML::Node& s, std::string w) { ReadSeries(s, w, codes, &t); });
    ForEach(node["alert_rule_test"], where + ".alert_rule_test",
            [&](const YAML::Node& c, std::string w) { ReadCase(c, w, false, &t); });
    ForEach(node["missing_report_test"], where + ".missing_report_test",
            [&](const YAML::Node& c, std::string w) { ReadCase(c, w, true, &t); });
    if (t.cases.empty() && r_.ok())
      r_.Error(node, where, "no alert_rule_test or missing_report_test: the test checks nothing");
    tests_.push_back(std::move(t));
  }

  template <typename Fn>
  void ForEach(const YAML::Node& list, const std::string& where, Fn fn) {
    if (!list || list.IsNull()) return;
    if (!list.IsSequence()) return r_.Error(list, where, "expected a list");
    for (size_t i = 0; i < list.size(); ++i) fn(list[i], where + "[" + std::to_string(i) + "]");
  }

  void ReadSeries(const YAML::Node& s, const std::string& w, const std::set<std::string>& codes,
                  TestSpec* t) {
    if (!r_.Map(s, w, {"enterprise", "industry", "indicator", "start", "values"}))
      return r_.Error(s, w, "expected a series");
    SeriesSpec series;
    series.mark = s.Mark();
    series.enterprise = r_.String(s["enterprise"], w + ".enterprise", "");
    series.industry = r_.String(s["industry"], w + ".industry", "");
    if (series.enterprise.empty() == series.industry.empty())
      return r_.Error(s, w, "give exactly one of enterprise (a credit code) or industry");
    if (!series.enterprise.empty() && !codes.count(series.enterprise))
      return r_.Error(s["enterprise"], w + ".enterprise",
                      series.enterprise + " is not among the test's enterprises");
    series.indicator = r_.String(s["indicator"], w + ".indicator", "");
    if (series.indicator.empty()) return r_.Error(s, w + ".indicator", "is required");
    std::string start = r_.String(s["start"], w + ".start", "");
    std::string error;
    auto p = Period::Parse(start, &error);
    if (!p) return r_.Error(s["start"] ? s["start"] : s, w + ".start", error);
    series.start = *p;
    const YAML::Node values = s["values"];
    std::string text = r_.String(values, w + ".values", "");
    if (text.empty()) return r_.Error(values ? values : s, w + ".values", "is required");
    // Point at the token itself: the scalar's column, plus one for an opening quote.
    const YAML::Mark mark = values.Mark();
    const int quote = values.Tag() == "!" ? 1 : 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t begin = text.find_first_not_of(" \t\n", pos);
      if (begin == std::string::npos) break;
      size_t end = text.find_first_of(" \t\n", begin);
      if (end == std::string::npos) end = text.size();
      std::string why =
          ParseToken(std::string_view(text).substr(begin, end - begin), &series.values);
      if (!why.empty()) {
        diagnostics_->push_back({file_, mark.line + 1,
                                 mark.column + 1 + quote + static_cast<int>(begin), w + ".values",
                                 why});
        return;
      }
      pos = end;
    }
    t->series.push_back(std::move(series));
  }

  void ReadCase(const YAML::Node& c, const std::string& w, bool missing, TestSpec* t) {
    const char* when_key = missing ? "eval_time" : "eval_period";
    if (!r_.Map(c, w, {when_key, "alertname", "exp_alerts"}))
      return r_.Error(c, w, "expected a case");
    TestCase tc;
    tc.line = c.Mark().line + 1;
    std::string name = r_.String(c["alertname"], w + ".alertname", "");
    for (const RuleGroup& g : rules_.groups)
      for (const RuleConfig& rule : g.rules)
        if (rule.name == name) tc.group = &g, tc.rule = &rule;
    if (!tc.rule)
      return r_.Error(c["alertname"] ? c["alertname"] : c, w + ".alertname",
                      "no rule named \"" + name + "\" in the rule files");
    tc.when = r_.String(c[when_key], w + "." + when_key, "");
    if (missing) {
      if (tc.rule->kind != RuleKind::kMissingReport)
        return r_.Error(c["alertname"], w + ".alertname",
                        name + " is not a missing_report rule: use alert_rule_test");
      tc.eval_time = ParseTime(tc.when);
      // A bad time or period is reported and the case still read, so its other mistakes show
      // in the same run; the file is invalid either way and never runs.
      if (!tc.eval_time)
        r_.Error(c[when_key] ? c[when_key] : c, w + ".eval_time",
                 "expected a time like 2024-03-11T13:00:00+08:00");
      else
        tc.period = Evaluator::DuePeriod(*tc.group, *tc.rule, *tc.eval_time);
    } else {
      std::string error;
      auto p = Period::Parse(tc.when, &error);
      if (p && p->cadence() != tc.group->cadence)
        error = "group " + tc.group->name + " is " + std::string(CadenceName(tc.group->cadence)) +
                ": give a " +
                (tc.group->cadence == Cadence::kWeekly ? "week (2024-W05)" : "month (2024-03)");
      else if (p && tc.group->cadence == Cadence::kMonthly && tc.group->combine_jan_feb &&
               p->first_month() <= 2 && !p->is_jan_feb())
        error = "group " + tc.group->name + " combines January and February (NBS 1—2月): give " +
                Period::JanFeb(p->year()).ToString();
      if (!p || !error.empty())
        r_.Error(c[when_key] ? c[when_key] : c, w + ".eval_period", error);
      else
        tc.period = *p;
    }
    const YAML::Node exp = c["exp_alerts"];
    if (exp && !exp.IsNull() && !exp.IsSequence())
      return r_.Error(exp, w + ".exp_alerts", "expected a list (empty: no alert is active)");
    for (size_t i = 0; exp && exp.IsSequence() && i < exp.size(); ++i) {
      const YAML::Node a = exp[i];
      std::string aw = w + ".exp_alerts[" + std::to_string(i) + "]";
      if (!r_.Map(a, aw, {"exp_labels", "exp_severity", "exp_state", "exp_annotations"})) {
        r_.Error(a, aw, "expected an alert");
        continue;
      }
      ExpectedAlert e;
      auto read_map = [&](const YAML::Node& m, const std::string& mw,
                          std::map<std::string, std::string>* into) {
        if (!m || m.IsNull()) return;
        if (!m.IsMap()) return r_.Error(m, mw, "expected a mapping");
        for (const auto& kv : m)
          (*into)[kv.first.as<std::string>("")] = r_.String(kv.second, mw, "");
      };
      read_map(a["exp_labels"], aw + ".exp_labels", &e.labels);
      read_map(a["exp_annotations"], aw + ".exp_annotations", &e.annotations);
      if (a["exp_severity"]) {
        e.severity = ParseSeverity(r_.String(a["exp_severity"], aw + ".exp_severity", ""));
        if (!e.severity || *e.severity == Severity::kNone)
          r_.Error(a["exp_severity"], aw + ".exp_severity", "expected blue, yellow, orange or red");
      }
      std::string state = r_.String(a["exp_state"], aw + ".exp_state", "firing");
      if (state == "pending")
        e.state = AlertState::kPending;
      else if (state != "firing")
        r_.Error(a["exp_state"], aw + ".exp_state", "expected firing or pending");
      tc.expected.push_back(std::move(e));
    }
    t->cases.push_back(std::move(tc));
  }

  std::string file_;
  std::vector<Diagnostic>* diagnostics_;
  YamlReader r_;
  RuleSet rules_;
  std::vector<TestSpec> tests_;
};

// One alert active at the end of a replay.
struct ActiveAlert {
  std::map<std::string, std::string> labels;
  AlertStatus status;
};

bool Matches(const ExpectedAlert& e, const ActiveAlert& a) {
  if (e.state != a.status.state) return false;
  if (e.severity && *e.severity != a.status.severity) return false;
  for (const auto& [k, v] : e.labels)
    if (auto it = a.labels.find(k); it == a.labels.end() || it->second != v) return false;
  for (const auto& [k, v] : e.annotations)
    if (auto it = a.status.annotations.find(k); it == a.status.annotations.end() || it->second != v)
      return false;
  return true;
}

std::string ExpectedText(const ExpectedAlert& e, bool annotations = true) {
  std::string out = LabelsText(e.labels) + " state=" + std::string(AlertStateName(e.state));
  if (e.severity) out += " severity=" + std::string(SeverityName(*e.severity));
  if (annotations)
    for (const auto& [k, v] : e.annotations) out += "\n          " + k + ": " + v;
  return out;
}

std::string ActualText(const ActiveAlert& a, bool annotations = true) {
  const AlertStatus& s = a.status;
  std::string out = LabelsText(a.labels) + " state=" + std::string(AlertStateName(s.state)) +
                    " severity=" + std::string(SeverityName(s.severity));
  if (s.value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", *s.value);
    out += std::string(" value=") + buf;
  }
  if (s.first_breach_period.valid()) out += " since " + s.first_breach_period.ToString();
  if (annotations)
    for (const auto& [k, v] : s.annotations) out += "\n          " + k + ": " + v;
  return out;
}

// Replays the case's rule up to its period and returns what is then active, plus, for the diff,
// the reasons members had no data at that period.
std::vector<ActiveAlert> Replay(const TestCase& c, const RuleSet& rules, const Config& config,
                                const RuleData& data, std::optional<Period> earliest,
                                std::vector<std::string>* no_data) {
  std::vector<ActiveAlert> active;
  if (!c.period) return active;  // nothing was due yet
  const RuleGroup& group = *c.group;
  const RuleConfig& rule = *c.rule;
  const bool combine = group.cadence == Cadence::kMonthly && group.combine_jan_feb;
  Evaluator evaluator(rules, config);
  std::map<std::string, ActiveAlert> statuses;  // by fingerprint
  Period p = earliest && *earliest < *c.period ? *earliest : *c.period;
  if (combine && p.first_month() <= 2 && !p.is_jan_feb()) p = Period::JanFeb(p.year());
  for (; p.valid() && p <= *c.period; p = NextPeriod(p, combine)) {
    // The daemon observes a period when its figures arrive or its deadline passes; the
    // deadline stands in for the clock, and eval_time for the case's own period.
    int64_t now =
        c.eval_time && p == *c.period ? *c.eval_time : Evaluator::DeadlineOf(group, rule, p);
    for (const RuleOutcome& o : evaluator.Evaluate(group, rule, data, p)) {
      AlertUpdate u = ToAlertUpdate(o, false);
      ActiveAlert& a = statuses[Fingerprint(u.rule, u.labels)];
      a.labels = u.labels;
      Advance(&a.status, u.observation, u.timing, now);
      if (p == *c.period && !o.value)
        no_data->push_back(LabelsText(u.labels) + ": " + o.no_data_reason.en);
    }
  }
  for (auto& [fp, a] : statuses)
    if (a.status.state != AlertState::kInactive) active.push_back(std::move(a));
  return active;
}

// Builds the test's park in memory; false (with diagnostics) when a value is refused.
bool BuildData(const TestSpec& t, const std::string& file, const Config& config,
               const RuleSet& rules, RuleData* data, std::map<Cadence, Period>* earliest,
               std::vector<Diagnostic>* diagnostics) {
  data->Prepare(config, rules);
  for (const EnterpriseRow& row : t.enterprises) data->AddEnterprise(row);
  bool ok = true;
  for (const SeriesSpec& s : t.series) {
    Period p = s.start;
    for (const auto& v : s.values) {
      if (v) {
        std::optional<EnterpriseIndex> e;
        if (!s.enterprise.empty()) e = data->IndexOfCode(s.enterprise);
        bool put = e ? data->PutFigure(*e, s.indicator, p, *v)
                     : data->PutPriceIndex(s.industry, s.indicator, p, *v);
        if (!put) {
          diagnostics->push_back({file, s.mark.line + 1, s.mark.column + 1, "values",
                                  "value for " + p.ToString() + " was refused"});
          ok = false;
        }
        auto [it, fresh] = earliest->emplace(p.cadence(), p);
        if (!fresh && p < it->second) it->second = p;
      }
      p = p.Next();
    }
  }
  return ok;
}

// Runs one file; returns its exit code.
int RunFile(const std::string& file, std::ostream& out, std::ostream& err) {
  out << "Unit Testing: " << file << "\n";
  std::vector<Diagnostic> diagnostics;
  TestFileReader reader(file, &diagnostics);
  bool read = reader.Read();
  Config config;  // the built-in indicators decide which are rates; any industry is accepted
  config.indicators = DefaultIndicators();
  std::vector<RuleData> parks(reader.tests().size());
  std::vector<std::map<Cadence, Period>> earliest(reader.tests().size());
  if (read)
    for (size_t i = 0; i < reader.tests().size(); ++i)
      read &= BuildData(reader.tests()[i], file, config, reader.rules(), &parks[i], &earliest[i],
                        &diagnostics);
  if (!read) {
    err << JoinDiagnostics(diagnostics);
    out << "  INVALID: " << diagnostics.size() << " error(s)\n";
    return kRuleTestsInvalid;
  }
  int cases = 0, failed = 0;
  std::ostringstream failures;
  for (size_t i = 0; i < reader.tests().size(); ++i) {
    const TestSpec& t = reader.tests()[i];
    for (const TestCase& c : t.cases) {
      ++cases;
      std::optional<Period> first;
      if (auto it = earliest[i].find(c.group->cadence); it != earliest[i].end()) first = it->second;
      std::vector<std::string> no_data;
      std::vector<ActiveAlert> got = Replay(c, reader.rules(), config, parks[i], first, &no_data);
      // Each expectation takes the first active alert it matches that no earlier one took.
      std::vector<bool> taken(got.size(), false);
      std::vector<const ExpectedAlert*> unmatched;
      for (const ExpectedAlert& e : c.expected) {
        bool found = false;
        for (size_t j = 0; j < got.size() && !found; ++j)
          if (!taken[j] && Matches(e, got[j])) taken[j] = found = true;
        if (!found) unmatched.push_back(&e);
      }
      bool extra = false;
      for (bool tk : taken) extra |= !tk;
      if (unmatched.empty() && !extra) continue;
      ++failed;
      failures << "    " << file << ":" << c.line << ": " << t.name << "\n"
               << "      alertname: " << c.rule->name << ", "
               << (c.eval_time ? "eval_time: " : "eval_period: ") << c.when;
      if (c.eval_time)
        failures << " (due period " << (c.period ? c.period->ToString() : "none") << ")";
      failures << "\n      expected:" << (c.expected.empty() ? " no active alert" : "") << "\n";
      for (const ExpectedAlert& e : c.expected) failures << "        - " << ExpectedText(e) << "\n";
      failures << "      got:" << (got.empty() ? " no active alert" : "") << "\n";
      for (const ActiveAlert& a : got) failures << "        - " << ActualText(a) << "\n";
      for (const ExpectedAlert* e : unmatched)
        failures << "      missing: " << ExpectedText(*e, false) << "\n";
      for (size_t j = 0; j < got.size(); ++j)
        if (!taken[j]) failures << "      unexpected: " << ActualText(got[j], false) << "\n";
      const size_t kShown = 5;
      for (size_t j = 0; j < no_data.size() && j < kShown; ++j)
        failures << "      no data: " << no_data[j] << "\n";
      if (no_data.size() > kShown)
        failures << "      no data: ... and " << (no_data.size() - kShown) << " more\n";
    }
  }
  if (failed) {
    out << "  FAILED: " << failed << " of " << cases << " cases\n" << failures.str();
    return kRuleTestsFailed;
  }
  out << "  SUCCESS: " << reader.tests().size() << " tests, " << cases << " cases\n";
  return kRuleTestsPassed;
}

}  // namespace

int RunRuleTests(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int worst = kRuleTestsPassed;
  for (const std::string& file : files) worst = std::max(worst, RunFile(file, out, err));
  return worst;
}

}  // namespace parkwatch
