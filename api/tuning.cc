// Tuning thresholds from the console: the rules with every level (GET /api/v1/tuning), what a
// change would have done over history (POST /api/v1/tuning/preview: the same Backtest and diff
// as `parkwatch backtest --compare --format=json`, on the engine's data in memory), applying it
// to the console's tuning file and reloading (POST /api/v1/tuning/apply), and reverting an
// applied change (POST /api/v1/tuning/revert). Who applied what and why is in the file and, as
// a reload, in the audit trail.
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>

#include "alerts/backtest.h"
#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/managed_file.h"
#include "api/services.h"
#include "core/diagnostic.h"
#include "core/json_text.h"
#include "core/sha256.h"
#include "core/time_text.h"
#include "rules/evaluator.h"
#include "rules/measure_words.h"
#include "rules/rule_config.h"
#include "rules/tuning.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json LevelsJson(const std::array<std::optional<double>, 5>& levels) {
  json out = json::object();
  for (int l = 1; l <= 4; ++l)
    if (levels[l]) out[std::string(SeverityName(static_cast<Severity>(l)))] = *levels[l];
  return out;
}

json ThresholdJson(const Thresholds& t) {
  return {{"direction", t.direction == Direction::kBelow ? "below" : "above"},
          {"levels", LevelsJson(t.levels)},
          {"clear", t.clear ? json(*t.clear) : json(nullptr)}};
}

// The change of a request body, read as the console's tuning file would have it: the same
// parser, the same checks against the rules in force and so the same messages as
// `parkwatch check-config` ("…: tuning[0].levels.red: a more severe level must be lower than
// the one before"). A level may be sent as typed (a string): "abc" is refused as the file would.
Tuning ReadChange(const json& in, const RuleSet& current, const std::string& file) {
  std::string text = "tuning:\n  - {rule: " + DumpJson(json(BodyString(in, "rule")));
  for (const char* scope : {"industry", "enterprise"})
    if (std::string v = BodyString(in, scope); !v.empty())
      text += std::string(", ") + scope + ": " + DumpJson(json(v));
  if (!in.contains("levels") || !in["levels"].is_object() || in["levels"].empty())
    throw ApiError::BadData("levels: give at least one level, e.g. {\"red\": -0.25}");
  std::string levels;
  for (const auto& [level, value] : in["levels"].items()) {
    std::string v = value.is_string() ? DumpJson(value) : value.is_number() ? value.dump() : "";
    if (v.empty()) throw ApiError::BadData("levels." + level + ": must be a number");
    levels += (levels.empty() ? "" : ", ") + DumpJson(json(level)) + ": " + v;
  }
  text += ", levels: {" + levels + "}}\n";
  RuleSet parsed;
  std::vector<Diagnostic> diagnostics;
  if (ParseRuleFile(text, file, &parsed, &diagnostics) && parsed.tunings.size() == 1) {
    RuleSet check = current;
    check.tunings = parsed.tunings;
    if (ApplyTunings(&check, &diagnostics)) return parsed.tunings.front();
  }
  throw ApiError(422, "bad_data", JoinDiagnostics(diagnostics));
}

// The rule set with only the rule named (its group, its sets and targets): a backtest of one
// rule costs one rule.
RuleSet OnlyRule(const RuleSet& s, const std::string& name) {
  RuleSet out;
  out.sets = s.sets;
  out.targets = s.targets;
  for (const auto& g : s.groups)
    for (const auto& r : g.rules)
      if (r.name == name) {
        RuleGroup group = g;
        group.rules = {r};
        out.groups.push_back(std::move(group));
      }
  return out;
}

std::chrono::year_month Month(const json& in, const char* name) {
  std::string text = BodyString(in, name);
  std::string error;
  auto p = Period::Parse(text, &error);
  if (!p || !p->monthly() || p->is_jan_feb())
    throw ApiError::BadData(std::string(name) + ": a month such as 2025-06");
  return std::chrono::year(p->year()) / std::chrono::month(static_cast<unsigned>(p->first_month()));
}

// The tuning entries of the console's file among the rules in force, in the file's order.
std::vector<const Tuning*> FileEntries(const RuleSet& rules, const std::string& file) {
  std::vector<const Tuning*> out;
  for (const auto& t : rules.tunings)
    if (t.file == file) out.push_back(&t);
  return out;
}

// Appends t to the tuning file if it is still as the page read it (hash), reloads, and undoes
// the write when the reload refuses it. Loop thread.
HttpResponse Apply(ApiCall& call, Tuning t, const std::string& hash, const std::string& comment) {
  LoopServices& loop = *call.loop;
  auto config = loop.config();
  const ManagedFile file(TuningFilePath(*config));
  if (file.ChangedSince(hash))
    return JsonError(409, "conflict",
                     file.path() +
                         " changed on disk since this page read it (another user or an "
                         "editor): reload the page to see the change, then apply again");
  if (comment.empty()) throw ApiError::BadData("comment: required — say why the threshold changes");
  // What the member had, for the history and a revert.
  auto rules = loop.rules();
  const RuleConfig* rule = rules->FindRule(t.rule);
  std::string industry = t.industry;
  if (!t.enterprise.empty())
    if (auto e = loop.store().FindEnterprise(t.enterprise)) industry = e->industry;
  if (rule) t.previous = rule->ThresholdsFor(industry, t.enterprise).levels;
  for (int l = 1; l <= 4; ++l)
    if (!t.levels[l]) t.previous[l].reset();
  std::string who = SignedInUser(call);
  t.by = who.empty() ? call.principal() : who;
  t.at = LocalRfc3339(UnixNow(), UtcOffsetMinutes(config->timezone).value_or(8 * 60));
  t.comment = comment;
  std::string fresh = AppendTuning(file.text(), t);
  std::string error = file.WriteAndReload(loop, fresh, "console: " + comment,
                                          who.empty() ? call.principal() : "user:" + who);
  if (!error.empty()) return JsonError(422, "bad_config", error);
  return JsonSuccess(
      DumpJson({{"file", file.path()}, {"hash", Sha256Hex(fresh)}, {"applied", true}}));
}

}  // namespace

HttpResponse ApiTuning(ApiCall& call) {
  auto config = call.loop->config();
  auto rules = call.loop->rules();
  const ManagedFile file(TuningFilePath(*config));
  json list = json::array();
  for (const auto& g : rules->groups)
    for (const auto& r : g.rules) {
      json overrides = json::array();
      const Wording condition = ThresholdCondition(r);  // what a breach needs beside the levels
      for (const auto& o : r.overrides)
        overrides.push_back({{"industry", o.industry},
                             {"enterprise", o.enterprise},
                             {"thresholds", ThresholdJson(o.thresholds)}});
      list.push_back({{"name", r.name},
                      {"title", r.title},
                      {"title_zh", r.title_zh},
                      {"group", g.name},
                      {"cadence", CadenceName(g.cadence)},
                      {"measure", r.MeasureName()},
                      {"unit", MeasureUnit(r, *config)},
                      {"target", r.target},
                      {"for", r.for_periods},
                      {"thresholds", ThresholdJson(r.thresholds)},
                      {"condition", condition.empty() ? json(nullptr) : json(condition.en)},
                      {"condition_zh", condition.empty() ? json(nullptr) : json(condition.zh)},
                      {"overrides", overrides}});
    }
  json entries = json::array();
  int index = 0;
  for (const Tuning* t : FileEntries(*rules, file.path()))
    entries.push_back({{"index", index++},
                       {"rule", t->rule},
                       {"industry", t->industry},
                       {"enterprise", t->enterprise},
                       {"levels", LevelsJson(t->levels)},
                       {"previous", LevelsJson(t->previous)},
                       {"by", t->by},
                       {"at", t->at},
                       {"comment", t->comment}});
  return JsonSuccess(DumpJson(
      {{"file", file.path()}, {"hash", file.hash()}, {"rules", list}, {"entries", entries}}));
}

HttpResponse ApiTuningPreview(ApiCall& call) {
  auto started = std::chrono::steady_clock::now();
  json in = BodyObject(call.request.body);
  const RuleSet& current = call.worker->rules();
  const Config& config = call.worker->config();
  Tuning t = ReadChange(in, current, TuningFilePath(config));
  auto from = Month(in, "from"), to = Month(in, "to");
  if (to < from) throw ApiError::BadData("to: before from");
  RuleSet before = OnlyRule(current, t.rule);
  RuleSet after = before;
  after.tunings = {t};
  std::vector<Diagnostic> diagnostics;
  ApplyTunings(&after, &diagnostics);  // checked by ReadChange
  const RuleData& data = call.worker->rule_data();
  // The replay before the change on a thread of its own while this one replays after it: both
  // only read the data (the worker, its one writer, waits here), so on two cores a preview takes
  // one replay's time.
  auto before_replay =
      std::async(std::launch::async, [&] { return Backtest(before, config, data, from, to); });
  BacktestResult now = Backtest(after, config, data, from, to);
  BacktestResult was = before_replay.get();
  if (was.rules.empty() || now.rules.empty()) throw ApiError::NotFound("no rule " + t.rule);
  json diff = json::parse(
      BacktestDiffJson(DiffBacktests(was.rules[0], now.rules[0], after.groups[0], from, to)));
  diff["alerts_before"] = was.rules[0].alerts();
  diff["alerts_after"] = now.rules[0].alerts();
  diff["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return JsonSuccess(DumpJson(diff));
}

HttpResponse ApiTuningApply(ApiCall& call) {
  json in = BodyObject(call.request.body);
  auto config = call.loop->config();
  Tuning t = ReadChange(in, *call.loop->rules(), TuningFilePath(*config));
  return Apply(call, std::move(t), BodyString(in, "hash"), BodyString(in, "comment"));
}

HttpResponse ApiTuningRevert(ApiCall& call) {
  json in = BodyObject(call.request.body);
  if (!in.contains("index") || !in["index"].is_number_integer())
    throw ApiError::BadData("index: the entry to revert (a number)");
  auto rules = call.loop->rules();
  auto entries = FileEntries(*rules, TuningFilePath(*call.loop->config()));
  int64_t index = in["index"].get<int64_t>();
  if (index < 0 || index >= static_cast<int64_t>(entries.size()))
    throw ApiError::NotFound("no tuning entry " + std::to_string(index));
  const Tuning& old = *entries[static_cast<size_t>(index)];
  Tuning t;
  t.rule = old.rule;
  t.industry = old.industry;
  t.enterprise = old.enterprise;
  t.levels = old.previous;
  bool any = false;
  for (int l = 1; l <= 4; ++l) any = any || t.levels[l].has_value();
  if (!any)
    throw ApiError::BadData("entry " + std::to_string(index) + " records no previous levels");
  std::string comment = BodyString(in, "comment");
  if (comment.empty())
    throw ApiError::BadData("comment: required — say why the change is reverted");
  return Apply(call, std::move(t), BodyString(in, "hash"),
               "撤销 " + old.at + " " + old.by + " 的调整：" + comment);
}

}  // namespace parkwatch
