// The in-memory view the rules read: enterprises with dense indices, and one FigureTable per
// (indicator, cadence) the rule set needs, kept current batch by batch.
//
// The daemon's figure gauges (metrics/park_figures.h) read the same view, so that the store is
// read once for both: KeepTables names tables to hold whatever the rule set needs.
//
// Why a view of its own: the store keeps every revision of ~12M figures on disk; a rule pass reads
// a few indicators for every enterprise at a few periods. RuleData loads exactly the tables the
// loaded RuleSet needs once (Load), then follows each committed batch by re-reading only the
// enterprises it touched (ApplyBatch), so new data re-evaluates without a store scan.
//
// Enterprises: every store enterprise gets a dense EnterpriseIndex (0..n-1) that indexes the
// FigureTables, the EnterpriseInfo vector (attributes measures and scopes use) and the
// EnterpriseRow vector (code, name, industry for labels and messages). An index, once given, stays
// with its enterprise for the life of the object, across ApplyBatch and later Loads.
//
// Industries: industry indices (EnterpriseInfo::industry) index industries(), which starts with
// Config::industries in their order and appends any other industry name met in the store.
//
// Price indices (可比价): figures of a deflator indicator (ppi by default) are published per
// industry, not per enterprise. The collectors store them under pseudo-enterprises whose credit
// code is "industry:<industry name>". Those rows become the price-index FigureTable with rows =
// industry index (what MeasureOptions::price_index expects); pseudo-enterprises get no
// EnterpriseIndex, so they are in no scope and their other figures are ignored.
//
// Quarantine: a figure held as a suspected unit slip (store/quarantine.h) is in none of the
// tables the measures read; it counts as reported, and is kept apart in Held() for the unit-slip
// rule that explains it. A confirm or reject comes as a batch like any other (ApplyBatch); a
// confirmed figure counts like any other, and Confirmed() tells the unit-slip rule to be quiet
// about it.
//
// Thread safety: const methods may be called concurrently; Load, ApplyBatch and the building
// methods need exclusive access (the daemon evaluates on the thread that applies batches).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/period.h"
#include "core/records.h"
#include "core/wording.h"
#include "rules/figure_table.h"
#include "rules/rule_config.h"
#include "store/store.h"

namespace parkwatch {

// Prefix of the credit code of a pseudo-enterprise holding an industry's price index.
inline constexpr const auto& kIndustryPseudoPrefix = kIndustrySeriesPrefix;  // char array

// What ApplyBatch did.
struct BatchEffect {
  bool reloaded = false;                  // the batch was large: everything was read again
  std::set<EnterpriseIndex> enterprises;  // real enterprises whose figures or attributes changed
  bool price_index_changed = false;       // a pseudo-enterprise's price index changed
  // Enterprises, of those known before, whose attributes the rules read changed (industry, key,
  // 规上 years, reports owed): the data holds one value of each per enterprise, not one per
  // period, so the change alters what every period's evaluation reads. With the industries they
  // were in before a change of industry, whose aggregates lost them.
  std::set<EnterpriseIndex> attributes_changed;
  std::set<int32_t> industries_left;
};

class RuleData {
 public:
  RuleData() = default;
  RuleData(const RuleData&) = delete;
  RuleData& operator=(const RuleData&) = delete;
  RuleData(RuleData&&) = default;
  RuleData& operator=(RuleData&&) = default;

  // Reads everything the rule set needs from the store: enterprises, the figure tables, the
  // price indices, the last reported period of every enterprise. Throws StoreError. changes, when
  // given, gathers on the way what its batches set (Store::ForEachCurrentFigure).
  void Load(Store& store, const Config& config, const RuleSet& rules,
            BatchChanges* changes = nullptr);

  // Follows one committed batch: re-reads the touched enterprises' attributes and, for the needed
  // tables whose indicator the batch touched, their series; picks up enterprises created since
  // the last read. When the batch touched more than a quarter of the known enterprises a full
  // Load is cheaper than thousands of per-enterprise queries, so that is done instead (reloaded).
  // Must follow a Load with the same store.
  BatchEffect ApplyBatch(Store& store, const BatchSummary& batch);
  // What ApplyBatch would report for a batch this data already holds (it was loaded after the
  // batch was committed: the daemon's start), without reading anything again.
  BatchEffect EffectOf(const BatchSummary& batch) const;

  // Tables to hold beside those the rule set needs, from the next Load or Prepare on (kept
  // across both). They are loaded and followed like the rules' own; the rules never read them
  // (EarliestPeriod looks at the rules' tables only), so what else reads this view does not change
  // what the rules decide. The kind is the config's for the indicator (a level if undeclared).
  // price_indices: deflator indicators (ppi) whose per-industry price index to hold too
  // (PriceIndex), for comparable prices where no rule asks for them.
  void KeepTables(std::vector<std::pair<std::string, Cadence>> tables,
                  std::vector<std::pair<std::string, Cadence>> price_indices = {});

  // --- Building without a store (tests, benchmarks, replays) ---------------------------------
  // Forgets all data and declares the tables the rule set needs (all empty).
  void Prepare(const Config& config, const RuleSet& rules);
  // Adds an enterprise (or updates the one with the same credit code) and returns its index.
  // A credit code "industry:NAME" is refused (returns -1): use PutPriceIndex.
  EnterpriseIndex AddEnterprise(const EnterpriseRow& row);
  // Stores a figure if a needed table holds the indicator at the period's cadence, and counts it
  // as reported either way. False for an unknown index or a value FigureTable refuses.
  bool PutFigure(EnterpriseIndex e, const std::string& indicator, Period p, double value);
  // Stores an industry's price index (same period last year = 100) for a deflator indicator.
  bool PutPriceIndex(const std::string& industry, const std::string& indicator, Period p,
                     double value);
  // Releases spare table capacity after building (see FigureTable::Compact).
  void Compact();

  // --- Reading ---------------------------------------------------------------------------------
  size_t size() const { return infos_.size(); }
  std::span<const EnterpriseInfo> infos() const { return infos_; }
  const EnterpriseInfo& info(EnterpriseIndex e) const { return infos_[static_cast<size_t>(e)]; }
  const EnterpriseRow& row(EnterpriseIndex e) const { return rows_[static_cast<size_t>(e)]; }
  const std::vector<std::string>& industries() const { return industries_; }
  // Name of an industry index; "" for -1 or out of range.
  const std::string& IndustryName(int32_t industry) const;
  // An enterprise as a reason names it, by register name and credit code, as a person finds it:
  // 常德甲药业（91430700MA4L000011） / 常德甲药业 (91430700MA4L000011) (MeasureOptions).
  Wording EnterpriseWording(EnterpriseIndex e) const;
  int32_t IndustryIndex(const std::string& name) const;  // -1 if unknown
  std::optional<EnterpriseIndex> IndexOfId(int64_t store_id) const;
  std::optional<EnterpriseIndex> IndexOfCode(const std::string& credit_code) const;

  // The table of an indicator at a cadence if the rule set needs it (nullptr otherwise).
  const FigureTable* Figures(const std::string& indicator, Cadence cadence) const;
  // The figures of that table held in quarantine (store/quarantine.h), which Figures() does not
  // hold: only the unit-slip measure reads them. nullptr when the table is not needed.
  const FigureTable* Held(const std::string& indicator, Cadence cadence) const;
  // Whether a person confirmed the figure of enterprise e at p (store/quarantine.h): the unit-slip
  // measure then says it is no slip.
  bool Confirmed(const std::string& indicator, EnterpriseIndex e, Period p) const {
    return confirmed_.count({indicator, e, p}) > 0;
  }
  // The price-index table of a deflator indicator (rows = industry indices), or nullptr.
  const FigureTable* PriceIndex(const std::string& indicator, Cadence cadence) const;

  // Latest period with any figure of the enterprise in cadence (any indicator, needed or not).
  std::optional<Period> LastReported(EnterpriseIndex e, Cadence cadence) const;
  // Whether the enterprise reported anything for period p (any indicator); a Jan–Feb period
  // counts as reported when either January, February or Jan–Feb has a figure.
  bool HasReported(EnterpriseIndex e, Period p) const;
  // Earliest period with any figure of the enterprise in cadence.
  std::optional<Period> FirstReported(EnterpriseIndex e, Cadence cadence) const;
  // The weeks from `floor` to week `t` (at most `cap` of them, the latest) the enterprise did not
  // report: how many, the latest one, and the first of the run of missing weeks ending at it.
  // What counting back week by week with HasReported finds, from a few searches of the reported
  // weeks instead of a step per week: a backtest asks it of every member for every week it
  // replays, over years.
  struct MissingWeeks {
    int overdue = 0;
    std::optional<Period> newest, since;
  };
  MissingWeeks CountMissingWeeks(EnterpriseIndex e, Period floor, Period t, int cap) const;
  // HasReported for periods asked latest first (a missing-report rule counting back from the
  // period it evaluates): a step back through the reported periods instead of a search each,
  // since a backtest counts back over years for every period it replays. Each Has(p) must ask
  // for an earlier period than the call before. Reads the RuleData: same thread, same lifetime.
  class ReportedBackwards {
   public:
    ReportedBackwards(const RuleData& data, EnterpriseIndex e, Cadence cadence);
    bool Has(Period p);

   private:
    const RuleData& data_;
    EnterpriseIndex e_;
    Cadence cadence_;
    const std::vector<int64_t>* keys_ = nullptr;  // ascending; nullptr for an unknown e
    size_t end_ = 0;                              // keys_[0, end_) are <= the last key asked
  };
  // Latest period for which any enterprise reported anything in cadence.
  std::optional<Period> LatestPeriod(Cadence cadence) const;
  // Earliest period held by any needed table of cadence; the floor when counting how long an
  // enterprise that never reported has been missing.
  std::optional<Period> EarliestPeriod(Cadence cadence) const;

 private:
  using TableKey = std::pair<std::string, Cadence>;
  struct Reported {
    std::optional<Period> weekly, monthly;
    std::optional<Period>& of(Cadence c) { return c == Cadence::kWeekly ? weekly : monthly; }
    const std::optional<Period>& of(Cadence c) const {
      return c == Cadence::kWeekly ? weekly : monthly;
    }
    // Every period reported (Period::key), ascending: missing-report rules count gaps.
    std::vector<int64_t> weekly_keys, monthly_keys;
    std::vector<int64_t>& keys(Cadence c) {
      return c == Cadence::kWeekly ? weekly_keys : monthly_keys;
    }
    const std::vector<int64_t>& keys(Cadence c) const {
      return c == Cadence::kWeekly ? weekly_keys : monthly_keys;
    }
  };

  void Reset();               // forgets the data, keeps what is needed; empty tables
  void Reload(Store& store);  // Reset and read the store again, keeping indices
  // Adds e to effect's attributes_changed if its attributes differ from before.
  void NoteAttributes(EnterpriseIndex e, const EnterpriseInfo& before, BatchEffect* effect) const;
  int32_t InternIndustry(const std::string& name);
  void SetRow(EnterpriseIndex e, const EnterpriseRow& row);
  EnterpriseIndex IndexFor(const EnterpriseRow& row);  // existing or new
  void NoteReported(EnterpriseIndex e, Period p);
  void LoadFromStore(Store& store, BatchChanges* changes = nullptr);

  std::vector<std::string> base_industries_;  // Config::industries
  std::map<TableKey, IndicatorKind> needed_;  // measure tables
  std::vector<TableKey> kept_;                // KeepTables
  std::vector<TableKey> kept_prices_;         // KeepTables' price indices
  std::map<TableKey, IndicatorKind> also_;    // kept_ the rules do not need, with their kind
  std::set<TableKey> needed_prices_;          // deflator tables

  std::vector<std::string> industries_;
  std::unordered_map<std::string, int32_t> industry_index_;
  std::vector<EnterpriseInfo> infos_;
  std::vector<EnterpriseRow> rows_;
  std::vector<Reported> reported_;
  std::unordered_map<int64_t, EnterpriseIndex> by_id_;
  std::unordered_map<std::string, EnterpriseIndex> by_code_;
  std::unordered_map<int64_t, int32_t> pseudo_;  // store id of "industry:X" -> industry index
  int64_t max_store_id_ = 0;

  std::map<TableKey, FigureTable> tables_;
  std::map<TableKey, FigureTable> held_;  // quarantined figures of tables_, same rows
  std::set<std::tuple<std::string, EnterpriseIndex, Period>> confirmed_;
  std::map<TableKey, FigureTable> prices_;
  Reported latest_;
};

}  // namespace parkwatch
