#include "alerts/backtest.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>

#include "alerts/engine.h"
#include "alerts/lifecycle.h"
#include "core/json_text.h"
#include "core/time_text.h"
#include "rules/evaluator.h"
#include "rules/measures.h"

namespace parkwatch {
namespace {

using std::chrono::year_month;

std::string MonthText(year_month ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ym.year()),
                static_cast<unsigned>(ym.month()));
  return buf;
}

std::string ScopeText(const std::map<std::string, std::string>& labels, const RuleData& data) {
  auto get = [&](const char* key) {
    auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
  };
  std::string scope = get("scope");
  if (scope == "enterprise") {
    std::string code = get("enterprise");
    std::string out = "enterprise " + code;
    if (auto e = data.IndexOfCode(code); e && !data.row(*e).name.empty())
      out += " " + data.row(*e).name;
    return out;
  }
  if (scope == "industry") return "industry " + get("industry");
  if (scope == "set") return "set " + get("set");
  return scope.empty() ? "?" : scope;
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size()))
    s->replace(at, from.size(), to);
}

// A no-data reason with the period it was given for (and the same period a year before) as
// placeholders, so reasons of different periods compare: the reason names them in words
// (core/time_text.h), in each language.
Wording Generalise(Wording reason, Period p) {
  const Wording at = PeriodWording(p);
  ReplaceAll(&reason.en, at.en, "{period}");
  ReplaceAll(&reason.zh, at.zh, "{period}");
  if (auto before = p.SameLastYear()) {
    const Wording then = PeriodWording(*before);
    ReplaceAll(&reason.en, then.en, "{year before}");
    ReplaceAll(&reason.zh, then.zh, "{year before}");
  }
  return reason;
}

// A generalised reason as it reads for a run of periods.
Wording Describe(Wording general) {
  ReplaceAll(&general.en, "{year before} (same period last year)", "the same period a year before");
  ReplaceAll(&general.zh, "{year before}（上年同期）", "上年同期");
  ReplaceAll(&general.en, "{period}", "each period");
  ReplaceAll(&general.en, "{year before}", "the same period a year before");
  ReplaceAll(&general.zh, "{period}", "各期");
  ReplaceAll(&general.zh, "{year before}", "上年同期");
  return general;
}

RuleBacktest Replay(const RuleGroup& group, const RuleConfig& rule, const Evaluator& evaluator,
                    const RuleData& data, const std::vector<Period>& periods) {
  RuleBacktest out;
  out.rule = rule.name;
  out.group = group.name;
  out.cadence = group.cadence;
  out.measure = rule.MeasureName();
  out.periods = static_cast<int>(periods.size());
  struct Track {
    Labels labels;
    std::string fingerprint;
    AlertStatus status;
    int episode = -1;  // index into out.episodes while firing
  };
  // Identities keyed as the engine's pass keys them: by scope member when the rule's labels are
  // plain text (labels and fingerprint built once per identity, not once per observation: at
  // 20 000 enterprises × 104 weeks they were most of a preview's time), else by fingerprint.
  std::vector<Track> tracks;
  std::unordered_map<MemberKey, size_t, MemberHash> by_member;
  std::unordered_map<std::string, size_t> by_fingerprint;
  const bool static_labels = StaticLabels(rule);
  const Timing timing = TimingOf(rule);
  auto find = [&](const RuleOutcome& o) -> Track& {
    if (static_labels) {
      auto [it, added] = by_member.try_emplace(MemberKey::Of(o), tracks.size());
      if (added) {
        Track& t = tracks.emplace_back();
        t.labels = o.Labels();
        t.fingerprint = Fingerprint(o.rule->name, t.labels);
      }
      return tracks[it->second];
    }
    Labels labels = o.Labels();
    std::string fingerprint = Fingerprint(o.rule->name, labels);
    auto [it, added] = by_fingerprint.try_emplace(fingerprint, tracks.size());
    if (added) {
      Track& t = tracks.emplace_back();
      t.labels = std::move(labels);
      t.fingerprint = std::move(fingerprint);
    }
    return tracks[it->second];
  };
  size_t last_no_data = periods.size();  // index of the last period without data
  Wording last_general;                  // its reason, generalised
  for (size_t i = 0; i < periods.size(); ++i) {
    const Period p = periods[i];
    std::vector<RuleOutcome> outcomes = evaluator.Evaluate(group, rule, data, p);
    Wording reason;
    if (outcomes.empty())
      reason = Evaluator::SkipsFestival(group, rule, p)
                   ? Wording{"Spring Festival season: weekly year-on-year comparison skipped "
                             "(spring_festival: exclude)",
                             "春节期间，周度同比不作比较（spring_festival: exclude）"}
                   : Wording{"no enterprise in the rule's scope", "规则范围内没有企业"};
    bool any_value = false;
    for (const RuleOutcome& o : outcomes) {
      if (o.value) any_value = true;
      if (reason.empty() && !o.value) reason = o.no_data_reason;
    }
    if (!any_value) {
      // Reasons name their period ("no figure for 2024-07"); a run of periods missing for the
      // same reason is one line, so the periods are taken out before comparing.
      Wording general = Generalise(reason, p);
      if (!out.no_data.empty() && last_no_data + 1 == i && last_general.en == general.en &&
          last_general.zh == general.zh) {
        NoDataRun& run = out.no_data.back();
        if (run.periods == 1) run.reason = Describe(general);
        run.to = p;
        ++run.periods;
      } else {
        out.no_data.push_back({p, p, 1, reason});
      }
      last_general = general;
      last_no_data = i;
    }
    // The deadline stands in for the clock: it only stamps fired_at/resolved_at, never read.
    int64_t now = Evaluator::DeadlineOf(group, rule, p);
    for (const RuleOutcome& o : outcomes) {
      Track& track = find(o);
      Advance(&track.status, ObservationOf(o), timing, now);
      if (track.status.state != AlertState::kFiring) {
        track.episode = -1;
        continue;
      }
      if (track.episode < 0) {
        track.episode = static_cast<int>(out.episodes.size());
        BacktestEpisode e;
        e.labels = track.labels;
        e.scope = ScopeText(track.labels, data);
        e.from = e.to = p;
        out.episodes.push_back(std::move(e));
      }
      BacktestEpisode& e = out.episodes[static_cast<size_t>(track.episode)];
      e.highest = std::max(e.highest, track.status.severity);
      if (o.value) {  // a period without data is not a period in breach
        ++e.periods;
        e.to = p;
      }
    }
  }
  for (Track& track : tracks) {
    if (track.episode >= 0) out.episodes[static_cast<size_t>(track.episode)].ongoing = true;
    if (track.status.last_period.valid())
      out.final_status[track.fingerprint] = std::move(track.status);
  }
  for (const BacktestEpisode& e : out.episodes) {
    out.periods_firing += e.periods;
    ++out.alerts_by_level[static_cast<size_t>(e.highest)];
  }
  return out;
}

std::string Range(Period from, Period to) {
  return from == to ? from.ToString() : from.ToString() + " .. " + to.ToString();
}

std::string LevelCounts(const RuleBacktest& r) {
  std::string out;
  for (int i = 4; i >= 1; --i)
    if (int n = r.alerts_by_level[static_cast<size_t>(i)])
      out += (out.empty() ? "" : ", ") + std::string(SeverityName(static_cast<Severity>(i))) + " " +
             std::to_string(n);
  return out.empty() ? "-" : out;
}

std::string Heading(year_month from, year_month to, const BacktestResult& r) {
  return "Backtest " + MonthText(from) + " .. " + MonthText(to) + " of " + r.label + "\n";
}

void AppendResult(const BacktestResult& result, std::string* out) {
  for (const RuleBacktest& r : result.rules) {
    *out += "\n" + r.rule + " (" + r.group + ", " + std::string(CadenceName(r.cadence)) + ", " +
            r.measure + ", " + std::to_string(r.periods) + " periods)\n";
    for (const BacktestEpisode& e : r.episodes) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-24s %3d period%s  highest %s%s",
                    Range(e.from, e.to).c_str(), e.periods, e.periods == 1 ? " " : "s",
                    std::string(SeverityName(e.highest)).c_str(),
                    e.ongoing ? "  (still firing at the end)" : "");
      *out += std::string(line) + "  " + e.scope + "\n";
    }
    if (r.episodes.empty()) *out += "  no alert would have fired\n";
    for (const NoDataRun& n : r.no_data)
      *out += "  no data " + Range(n.from, n.to) + " (" + std::to_string(n.periods) +
              (n.periods == 1 ? " period" : " periods") + "): " + n.reason.en + "\n";
    *out += "  total: " + std::to_string(r.alerts()) + " alerts, " +
            std::to_string(r.periods_firing) +
            " periods firing; by highest level: " + LevelCounts(r) + "\n";
  }
}

void AppendTotals(const BacktestResult& result, std::string* out) {
  char line[160];
  std::snprintf(line, sizeof line, "%-32s %7s %8s %6s %6s %6s %6s %8s\n", "rule", "alerts",
                "periods", "blue", "yellow", "orange", "red", "no-data");
  *out += line;
  for (const RuleBacktest& r : result.rules) {
    int no_data = 0;
    for (const NoDataRun& n : r.no_data) no_data += n.periods;
    std::snprintf(line, sizeof line, "%-32s %7d %8d %6d %6d %6d %6d %8d\n", r.rule.c_str(),
                  r.alerts(), r.periods_firing, r.alerts_by_level[1], r.alerts_by_level[2],
                  r.alerts_by_level[3], r.alerts_by_level[4], no_data);
    *out += line;
  }
}

}  // namespace

std::vector<Period> BacktestPeriods(const RuleGroup& group, year_month from, year_month to) {
  using namespace std::chrono;
  std::vector<Period> out;
  if (to < from) return out;
  if (group.cadence == Cadence::kMonthly) {
    bool combine = group.combine_jan_feb;
    for (int y = static_cast<int>(from.year()); y <= static_cast<int>(to.year()); ++y)
      for (Period p : MonthlyPeriodsOfYear(y, combine)) {
        year_month first = year(y) / month(static_cast<unsigned>(p.first_month()));
        year_month last = year(y) / month(static_cast<unsigned>(p.last_month()));
        if (last >= from && first <= to) out.push_back(p);  // the period's months overlap
      }
    return out;
  }
  sys_days first_day{from / day(1)};
  sys_days last_day{to / last};
  // The ISO week of a day is the week holding it; its Thursday decides its month.
  for (Period w = Period::WeekOf(year_month_day(first_day)); w.valid(); w = w.Next()) {
    sys_days thursday = sys_days(w.FirstDay()) + days(3);
    if (thursday > last_day) break;
    if (thursday >= first_day) out.push_back(w);
  }
  return out;
}

BacktestResult Backtest(const RuleSet& rules, const Config& config, const RuleData& data,
                        year_month from, year_month to) {
  BacktestResult result;
  Evaluator evaluator(rules, config);
  for (const RuleGroup& group : rules.groups) {
    std::vector<Period> periods = BacktestPeriods(group, from, to);
    for (const RuleConfig& rule : group.rules)
      result.rules.push_back(Replay(group, rule, evaluator, data, periods));
  }
  return result;
}

std::string BacktestText(const std::vector<BacktestResult>& results, year_month from,
                         year_month to) {
  std::string out;
  for (const BacktestResult& r : results) {
    if (!out.empty()) out += "\n";
    out += Heading(from, to, r);
    AppendResult(r, &out);
    out += "\nTotals (" + r.label + ")\n";
    AppendTotals(r, &out);
  }
  if (results.size() < 2) return out;
  // Side by side, rules matched by name: what the change would do to the alert volume.
  const BacktestResult& a = results[0];
  const BacktestResult& b = results[1];
  out += "\nComparison: A = " + a.label + ", B = " + b.label + "\n";
  char line[200];
  std::snprintf(line, sizeof line, "%-32s %8s %8s %10s %10s  %-22s %-22s\n", "rule", "alerts A",
                "alerts B", "periods A", "periods B", "levels A", "levels B");
  out += line;
  std::vector<std::string> names;
  for (const auto* set : {&a, &b})
    for (const RuleBacktest& r : set->rules)
      if (std::find(names.begin(), names.end(), r.rule) == names.end()) names.push_back(r.rule);
  auto find = [](const BacktestResult& set, const std::string& name) -> const RuleBacktest* {
    for (const RuleBacktest& r : set.rules)
      if (r.rule == name) return &r;
    return nullptr;
  };
  for (const std::string& name : names) {
    const RuleBacktest* ra = find(a, name);
    const RuleBacktest* rb = find(b, name);
    std::string alerts_a = ra ? std::to_string(ra->alerts()) : "-";
    std::string alerts_b = rb ? std::to_string(rb->alerts()) : "-";
    std::string periods_a = ra ? std::to_string(ra->periods_firing) : "-";
    std::string periods_b = rb ? std::to_string(rb->periods_firing) : "-";
    std::snprintf(line, sizeof line, "%-32s %8s %8s %10s %10s  %-22s %-22s\n", name.c_str(),
                  alerts_a.c_str(), alerts_b.c_str(), periods_a.c_str(), periods_b.c_str(),
                  ra ? LevelCounts(*ra).c_str() : "-", rb ? LevelCounts(*rb).c_str() : "-");
    out += line;
  }
  return out;
}

namespace {

bool SameEpisode(const BacktestEpisode& a, const BacktestEpisode& b) {
  return a.from == b.from && a.to == b.to && a.highest == b.highest && a.periods == b.periods &&
         a.ongoing == b.ongoing;
}

bool Overlap(const BacktestEpisode& a, const BacktestEpisode& b) {
  return a.from <= b.to && b.from <= a.to;
}

nlohmann::json EpisodeJson(const std::optional<BacktestEpisode>& e) {
  if (!e) return nullptr;
  return {{"from", e->from.ToString()},
          {"to", e->to.ToString()},
          {"periods", e->periods},
          {"highest", SeverityName(e->highest)},
          {"ongoing", e->ongoing}};
}

}  // namespace

BacktestDiff DiffBacktests(const RuleBacktest& before, const RuleBacktest& after,
                           const RuleGroup& group, year_month from, year_month to) {
  BacktestDiff diff;
  diff.rule = after.rule;
  using Identity = std::map<std::string, std::string>;
  std::map<Identity,
           std::pair<std::vector<const BacktestEpisode*>, std::vector<const BacktestEpisode*>>>
      by_identity;
  for (const auto& e : before.episodes) by_identity[e.labels].first.push_back(&e);
  for (const auto& e : after.episodes) by_identity[e.labels].second.push_back(&e);
  for (auto& [labels, pair] : by_identity) {
    auto& [was, now] = pair;
    std::vector<bool> was_used(was.size(), false), now_used(now.size(), false);
    // Unchanged episodes first, then overlapping ones are the same alert changed.
    for (size_t i = 0; i < now.size(); ++i)
      for (size_t j = 0; j < was.size() && !now_used[i]; ++j)
        if (!was_used[j] && SameEpisode(*now[i], *was[j])) now_used[i] = was_used[j] = true;
    auto add = [&](const char* kind, const BacktestEpisode* b, const BacktestEpisode* a) {
      BacktestChange c;
      c.change = kind;
      c.labels = labels;
      c.scope = (a ? a : b)->scope;
      if (b) c.before = *b;
      if (a) c.after = *a;
      diff.changes.push_back(std::move(c));
    };
    for (size_t i = 0; i < now.size(); ++i) {
      if (now_used[i]) continue;
      now_used[i] = true;
      const BacktestEpisode* partner = nullptr;
      for (size_t j = 0; j < was.size() && !partner; ++j)
        if (!was_used[j] && Overlap(*now[i], *was[j])) {
          was_used[j] = true;
          partner = was[j];
        }
      add(partner ? "changed" : "added", partner, now[i]);
    }
    for (size_t j = 0; j < was.size(); ++j)
      if (!was_used[j]) add("removed", was[j], nullptr);
  }
  for (const auto& c : diff.changes)
    (c.change == "added" ? diff.added : c.change == "removed" ? diff.removed : diff.changed)++;
  std::stable_sort(diff.changes.begin(), diff.changes.end(), [](const auto& a, const auto& b) {
    const BacktestEpisode& x = a.after ? *a.after : *a.before;
    const BacktestEpisode& y = b.after ? *b.after : *b.before;
    return std::tie(a.scope, x.from) < std::tie(b.scope, y.from);
  });
  diff.periods = BacktestPeriods(group, from, to);
  auto firing = [&](const RuleBacktest& r) {
    std::vector<int> counts(diff.periods.size(), 0);
    for (const auto& e : r.episodes)
      for (size_t i = 0; i < diff.periods.size(); ++i)
        if (e.from <= diff.periods[i] && diff.periods[i] <= e.to) ++counts[i];
    return counts;
  };
  diff.firing_before = firing(before);
  diff.firing_after = firing(after);
  return diff;
}

std::string BacktestDiffJson(const BacktestDiff& diff) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : diff.changes)
    changes.push_back({{"change", c.change},
                       {"labels", c.labels},
                       {"scope", c.scope},
                       {"before", EpisodeJson(c.before)},
                       {"after", EpisodeJson(c.after)}});
  nlohmann::json periods = nlohmann::json::array();
  for (const auto& p : diff.periods) periods.push_back(p.ToString());
  nlohmann::json out = {{"rule", diff.rule},
                        {"added", diff.added},
                        {"removed", diff.removed},
                        {"changed", diff.changed},
                        {"changes", changes},
                        {"periods", periods},
                        {"firing_before", diff.firing_before},
                        {"firing_after", diff.firing_after}};
  return DumpJson(out);
}

std::string BacktestJson(const std::vector<BacktestResult>& results, year_month from, year_month to,
                         const RuleSet* compared) {
  nlohmann::json sets = nlohmann::json::array();
  for (const BacktestResult& result : results) {
    nlohmann::json rules = nlohmann::json::array();
    for (const RuleBacktest& r : result.rules) {
      nlohmann::json episodes = nlohmann::json::array();
      for (const BacktestEpisode& e : r.episodes)
        episodes.push_back({{"labels", e.labels},
                            {"scope", e.scope},
                            {"from", e.from.ToString()},
                            {"to", e.to.ToString()},
                            {"periods", e.periods},
                            {"highest", SeverityName(e.highest)},
                            {"ongoing", e.ongoing}});
      nlohmann::json no_data = nlohmann::json::array();
      for (const NoDataRun& n : r.no_data)
        no_data.push_back({{"from", n.from.ToString()},
                           {"to", n.to.ToString()},
                           {"periods", n.periods},
                           {"reason", n.reason.en},
                           {"reason_zh", n.reason.zh}});
      nlohmann::json levels = nlohmann::json::object();
      for (int i = 1; i <= 4; ++i)
        levels[std::string(SeverityName(static_cast<Severity>(i)))] =
            r.alerts_by_level[static_cast<size_t>(i)];
      rules.push_back({{"rule", r.rule},
                       {"group", r.group},
                       {"cadence", CadenceName(r.cadence)},
                       {"measure", r.measure},
                       {"periods", r.periods},
                       {"alerts", r.alerts()},
                       {"periods_firing", r.periods_firing},
                       {"alerts_by_level", levels},
                       {"episodes", episodes},
                       {"no_data", no_data}});
    }
    sets.push_back({{"rule_files", result.label}, {"rules", rules}});
  }
  nlohmann::json out = {{"from", MonthText(from)}, {"to", MonthText(to)}, {"rule_sets", sets}};
  if (results.size() == 2 && compared) {
    nlohmann::json diffs = nlohmann::json::array();
    for (const RuleBacktest& after : results[1].rules)
      for (const RuleBacktest& before : results[0].rules)
        if (before.rule == after.rule)
          for (const auto& g : compared->groups)
            if (g.name == after.group)
              diffs.push_back(nlohmann::json::parse(
                  BacktestDiffJson(DiffBacktests(before, after, g, from, to))));
    out["diff"] = diffs;
  }
  return DumpJson(out, 2) + "\n";
}

}  // namespace parkwatch
