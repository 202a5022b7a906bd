#include "store/quarantine.h"

#include <cstdlib>

#include "core/time_text.h"
#include "store/audit.h"

namespace parkwatch {
namespace {

constexpr const char* kColumns =
    "SELECT e.credit_code, e.name, e.industry, i.name, q.cadence, q.period, q.value, q.level, "
    "q.exponent, q.state, q.collector, q.batch_id, q.decided_by, COALESCE(q.decided_at, 0) "
    "FROM quarantine q JOIN enterprises e ON e.id = q.enterprise_id "
    "JOIN indicators i ON i.id = q.indicator_id ";

QuarantinedFigure ReadRow(const Statement& s) {
  QuarantinedFigure f;
  f.credit_code = s.Text(0);
  f.name = s.Text(1);
  f.industry = s.Text(2);
  f.indicator = s.Text(3);
  Cadence cadence = CadenceFromCode(s.Text(4));
  f.period = Period::FromKey(cadence, s.Int(5)).value_or(Period());
  f.value = s.Double(6);
  f.level = s.Double(7);
  f.exponent = static_cast<int>(s.Int(8));
  f.state = s.Text(9);
  f.collector = s.Text(10);
  f.batch_id = s.Int(11);
  f.decided_by = s.Text(12);
  f.decided_at = s.Int(13);
  return f;
}

}  // namespace

std::string SlipFactorWords(int exponent, bool zh) {
  std::string power = "1";
  for (int i = 0; i < std::abs(exponent); ++i) power += "0";
  if (zh) return "约为近期水平的 " + (exponent >= 0 ? power + " 倍" : "1/" + power);
  return exponent >= 0 ? "about " + power + " times the recent level"
                       : "about 1/" + power + " of the recent level";
}

std::vector<QuarantinedFigure> QuarantinedFigures(Store& store, bool decided) {
  Statement s(store.db(), std::string(kColumns) + (decided ? "" : "WHERE q.state <> 'confirmed' ") +
                              "ORDER BY q.cadence, q.period DESC, e.credit_code, i.name");
  std::vector<QuarantinedFigure> out;
  while (s.Step()) out.push_back(ReadRow(s));
  return out;
}

std::map<std::pair<std::string, std::string>, int64_t> QuarantineCounts(Store& store) {
  Statement s(store.db(),
              "SELECT collector, state, COUNT(*) FROM quarantine WHERE state <> 'confirmed' "
              "GROUP BY collector, state");
  std::map<std::pair<std::string, std::string>, int64_t> out;
  while (s.Step()) out[{s.Text(0), s.Text(1)}] = s.Int(2);
  return out;
}

void TouchQuarantineChanges(Store& store, const QuarantineChanges& changes,
                            std::set<int64_t>* enterprises,
                            std::set<std::pair<std::string, Period>>* periods) {
  if (changes.hold.empty() && changes.release.empty()) return;
  const std::unordered_map<int64_t, std::string> names = store.IndicatorNames();
  for (const std::vector<FigureHold>* list : {&changes.hold, &changes.release})
    for (const FigureHold& f : *list) {
      auto name = names.find(f.indicator_id);
      if (name == names.end()) continue;
      enterprises->insert(f.enterprise_id);
      periods->emplace(name->second, f.period);
    }
}

void WriteQuarantineChanges(Store& store, const QuarantineChanges& changes, int64_t batch_id) {
  if (changes.hold.empty() && changes.release.empty()) return;
  Statement hold(store.db(),
                 "INSERT OR REPLACE INTO quarantine (enterprise_id, indicator_id, cadence, period, "
                 "state, value, level, exponent, collector, batch_id) "
                 "VALUES (?1, ?2, ?3, ?4, 'held', ?5, ?6, ?7, ?8, ?9)");
  Statement release(store.db(),
                    "DELETE FROM quarantine WHERE enterprise_id = ?1 AND indicator_id = ?2 AND "
                    "cadence = ?3 AND period = ?4 AND state = 'held'");
  auto bind_key = [](Statement& s, const FigureHold& h) -> Statement& {
    return s.Bind(1, h.enterprise_id)
        .Bind(2, h.indicator_id)
        .Bind(3, CadenceCode(h.period.cadence()))
        .Bind(4, h.period.key());
  };
  for (const FigureHold& h : changes.hold) {
    bind_key(hold, h).Bind(5, h.value).Bind(6, h.level).Bind(7, h.exponent);
    hold.Bind(8, h.collector).Bind(9, h.batch_id).Run();
  }
  for (const FigureHold& h : changes.release) bind_key(release, h).Run();
  Statement changed(store.db(),
                    "INSERT OR IGNORE INTO batch_holds (enterprise_id, indicator_id, cadence, "
                    "period, batch_id) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const std::vector<FigureHold>* list : {&changes.hold, &changes.release})
    for (const FigureHold& h : *list) bind_key(changed, h).Bind(5, batch_id).Run();
}

std::vector<ConfirmedFigure> ConfirmedFigures(Store& store, int64_t enterprise_id) {
  Statement s(store.db(),
              "SELECT q.enterprise_id, i.name, q.cadence, q.period FROM quarantine q "
              "JOIN indicators i ON i.id = q.indicator_id WHERE q.state = 'confirmed' AND "
              "(?1 = 0 OR q.enterprise_id = ?1)");
  s.Bind(1, enterprise_id);
  std::vector<ConfirmedFigure> out;
  while (s.Step())
    if (auto p = Period::FromKey(CadenceFromCode(s.Text(2)), s.Int(3)))
      out.push_back({s.Int(0), s.Text(1), *p});
  return out;
}

BatchSummary DecideQuarantine(Store& store, const QuarantineDecision& d,
                              const QuarantineRecheck& recheck) {
  BatchSummary summary;
  auto fail = [&](const std::string& why) {
    summary.status = "rejected";
    summary.errors.push_back(Diagnostic{"", 0, 0, "", why});
    summary.error_count = 1;
    return summary;
  };
  std::optional<EnterpriseRow> e = store.FindEnterprise(d.credit_code);
  if (!e) return fail("no enterprise with credit code " + d.credit_code);
  const char* from = d.confirm ? "('held', 'rejected')" : "('held', 'confirmed')";
  const std::string match =
      std::string(
          "WHERE q.enterprise_id = ?1 AND q.cadence = ?2 AND q.period = ?3 AND "
          "(?4 = '' OR q.indicator_id = (SELECT id FROM indicators WHERE name = ?4)) "
          "AND q.state IN ") +
      from;

  Transaction txn(store.db());
  std::vector<QuarantinedFigure> figures;
  {
    Statement s(store.db(), std::string(kColumns) + match);
    s.Bind(1, e->id).Bind(2, CadenceCode(d.period.cadence())).Bind(3, d.period.key());
    s.Bind(4, d.indicator);
    while (s.Step()) figures.push_back(ReadRow(s));
  }
  if (figures.empty())
    return fail("no " + std::string(d.confirm ? "held or rejected" : "held or confirmed") +
                " figure of " + d.credit_code + " " + e->name + " for " + d.period.ToString() +
                (d.indicator.empty() ? "" : " (" + d.indicator + ")") + " in quarantine");

  const int64_t now = UnixNow();
  // Named so that a batch list says what it was: "quarantine confirm CODE 2025-08 by user:wang".
  summary.info = {std::string("quarantine ") + (d.confirm ? "confirm " : "reject ") +
                      d.credit_code + " " + d.period.ToString() + " by " + d.who,
                  "quarantine", ""};
  summary.received_at = now;
  summary.status = "committed";
  summary.rows_read = summary.rows_accepted = static_cast<int64_t>(figures.size());
  {
    // evaluated = 0: the running daemon's rules follow the decision as they follow a batch
    // another process wrote (a confirm changes what every aggregate counts).
    Statement b(store.db(),
                "INSERT INTO batches (source, collector, content_hash, status, received_at, "
                "rows_read, rows_accepted, evaluated, changes_recorded) "
                "VALUES (?, ?, '', 'committed', ?, ?, ?, 0, 1)");
    b.Bind(1, summary.info.source).Bind(2, summary.info.collector).Bind(3, now);
    b.Bind(4, summary.rows_read).Bind(5, summary.rows_accepted).Run();
    summary.batch_id = sqlite3_last_insert_rowid(store.db());
  }
  {
    Statement u(store.db(), std::string("UPDATE quarantine AS q SET state = ?5, decided_batch = "
                                        "?6, decided_by = ?7, decided_at = ?8 ") +
                                match);
    u.Bind(1, e->id).Bind(2, CadenceCode(d.period.cadence())).Bind(3, d.period.key());
    u.Bind(4, d.indicator).Bind(5, d.confirm ? "confirmed" : "rejected");
    u.Bind(6, summary.batch_id).Bind(7, d.who).Bind(8, now).Run();
  }
  AuditRecord audit;
  audit.at = now;
  audit.source = d.source;
  audit.who = d.who;
  for (const QuarantinedFigure& f : figures)
    audit.changes.push_back(std::string(d.confirm ? "确认计入" : "确认有误、不计入") + " " +
                            f.credit_code + " " + f.name + " " + PeriodName(f.period) + " " +
                            f.indicator + "（" + SlipFactorWords(f.exponent, true) + "）");
  RecordAudit(store, audit);
  summary.touched_enterprises.insert(e->id);
  for (const QuarantinedFigure& f : figures) summary.touched_periods.emplace(f.indicator, f.period);
  // The periods after it are read against a level that now counts (or no longer counts) it.
  if (recheck) {
    QuarantineChanges later = recheck(summary.touched_enterprises, summary.touched_periods);
    WriteQuarantineChanges(store, later, summary.batch_id);
    TouchQuarantineChanges(store, later, &summary.touched_enterprises, &summary.touched_periods);
    summary.figures_held = later.newly_held;
  }
  txn.Commit();
  return summary;
}

}  // namespace parkwatch
