// In-memory figures of one indicator at one cadence, and the enterprise attributes measures need.
//
// The store keeps every revision in SQLite; the rule evaluator loads the latest revision of the
// figures it needs into a FigureTable and computes measures over it (rules/measures.h). Rows are
// dense enterprise indices assigned by the caller (0..n-1), so a scope is a plain list of ints and
// enterprise attributes are a vector indexed the same way.
//
// Layout: period-major. Each period holds one column of doubles indexed by enterprise, with NaN
// marking "no figure". A measure reads one or two periods for every enterprise of a scope, so
// period-major turns that into sequential reads of two contiguous arrays, and Get is O(1) once
// the column is found (O(log P) over P periods, P ≈ 260 for five years of weeks). Weekly
// reporting is dense (every 规上 enterprise reports every week), so a column costs 8 bytes per
// enterprise and period, with no per-value key or presence bitmap; 20k enterprises × 260 weeks
// is about 42 MB.
//
// Thread safety: const methods may be called concurrently; Put needs exclusive access.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/period.h"

namespace parkwatch {

// Dense index of an enterprise in a FigureTable and an EnterpriseInfo vector.
using EnterpriseIndex = int32_t;

// A set of enterprises a measure is taken over: one enterprise, an industry, the park, the key
// enterprises, a named set. Indices must be distinct.
using Scope = std::span<const EnterpriseIndex>;

// Attributes of one enterprise that select scopes and pick its price index.
struct EnterpriseInfo {
  int32_t industry = -1;     // index into Config::industries; -1 = unknown
  bool key = false;          // key enterprise (重点企业)
  int above_size_since = 0;  // first year as 规上 enterprise; 0 = unknown (treated as always)
  int above_size_until = 0;  // last year as 规上 enterprise; 0 = still above size
  // 应报报表 from the register: whether it has said which reports the enterprise owes, and
  // which (missing-report rules read it through OwesReport).
  bool reports_stated = false;
  bool owes_weekly = false;
  bool owes_monthly = false;

  // Whether the register says the enterprise owes the reports of cadence; nullopt when it
  // has not said.
  std::optional<bool> OwesReport(Cadence cadence) const {
    if (!reports_stated) return std::nullopt;
    return cadence == Cadence::kWeekly ? owes_weekly : owes_monthly;
  }

  // True if the enterprise counts as above designated size (规上) in year.
  bool AboveSizeIn(int year) const {
    return (above_size_since == 0 || above_size_since <= year) &&
           (above_size_until == 0 || year <= above_size_until);
  }
};

// Which enterprises a scope takes. Unset members do not filter.
struct ScopeFilter {
  std::optional<int32_t> industry;
  std::optional<bool> key;
  // Only enterprises above designated size in this year. Same-enterprise caliber (同口径) takes
  // the enterprise set of the year being measured: entrants are in, exited ones are out.
  std::optional<int> above_size_in;
};

// Indices (ascending) of the enterprises that pass filter.
std::vector<EnterpriseIndex> SelectScope(std::span<const EnterpriseInfo> enterprises,
                                         const ScopeFilter& filter);

// Values of one indicator at one cadence, by enterprise and period. Holds the latest revision of
// each figure; a second Put for the same cell replaces the first.
class FigureTable {
 public:
  // kind decides what measures may do with the values: levels are summed, rates never are.
  FigureTable(Cadence cadence, IndicatorKind kind) : cadence_(cadence), kind_(kind) {}

  FigureTable(const FigureTable&) = delete;
  FigureTable& operator=(const FigureTable&) = delete;
  // A moved table's hint would name the other map's end: it starts again.
  FigureTable(FigureTable&& other) noexcept
      : cadence_(other.cadence_),
        kind_(other.kind_),
        columns_(std::move(other.columns_)),
        size_(other.size_),
        widest_(other.widest_) {
    other.next_ = other.columns_.end();
  }
  FigureTable& operator=(FigureTable&& other) noexcept {
    cadence_ = other.cadence_;
    kind_ = other.kind_;
    columns_ = std::move(other.columns_);
    size_ = other.size_;
    widest_ = other.widest_;
    next_ = columns_.end();
    other.next_ = other.columns_.end();
    return *this;
  }

  Cadence cadence() const { return cadence_; }
  IndicatorKind kind() const { return kind_; }

  // Stores value for enterprise at period. Fails (returns false and says why in *error, if
  // given) for a negative index, a period of another cadence or an invalid one, and a value that
  // is not finite. A Jan–Feb figure and separate January/February figures are different cells.
  bool Put(EnterpriseIndex enterprise, Period period, double value, std::string* error = nullptr);

  // Removes the figure of enterprise at period, if any (a figure that went into quarantine).
  void Erase(EnterpriseIndex enterprise, Period period);

  // The figure of enterprise at period, or nullopt if there is none.
  std::optional<double> Get(EnterpriseIndex enterprise, Period period) const;

  // A view of one period's column, for reading many enterprises at one period without finding
  // the period again. Valid until the next Put.
  class Column {
   public:
    Column() = default;
    // Inline: measures call it once per enterprise and period, tens of thousands of times a
    // pass.
    std::optional<double> Get(EnterpriseIndex enterprise) const {
      if (values_ == nullptr || enterprise < 0) return std::nullopt;
      auto index = static_cast<size_t>(enterprise);
      if (index >= values_->size()) return std::nullopt;
      double v = (*values_)[index];
      if (std::isnan(v)) return std::nullopt;  // no figure
      return v;
    }
    bool empty() const { return count_ == 0; }
    int count() const { return count_; }  // enterprises with a figure

   private:
    friend class FigureTable;
    Column(const std::vector<double>* values, int count) : values_(values), count_(count) {}
    const std::vector<double>* values_ = nullptr;
    int count_ = 0;
  };
  Column At(Period period) const;

  // Calls fn(enterprise, value) for every enterprise with a figure at period, in index order.
  void ForEach(Period period, const std::function<void(EnterpriseIndex, double)>& fn) const;

  // Enterprises with a figure at period, ascending.
  std::vector<EnterpriseIndex> EnterprisesAt(Period period) const;

  // Periods holding at least one figure, ascending.
  std::vector<Period> Periods() const;

  // Columns created from now on hold rows enterprises at once: a load that knows how many are
  // coming, enterprise by enterprise, then does not grow every column one cell at a time.
  void ReserveRows(size_t rows) { widest_ = std::max(widest_, rows); }

  // Releases spare capacity of the columns, e.g. after a bulk load enterprise by enterprise
  // (period by period, columns come out tight anyway).
  void Compact();

  size_t size() const { return size_; }  // number of figures held
  size_t MemoryBytes() const;            // approximate heap use, for the benchmark and metrics

 private:
  struct ColumnData {
    std::vector<double> values;  // NaN = no figure
    int count = 0;
  };

  Cadence cadence_;
  IndicatorKind kind_;
  std::map<int64_t, ColumnData> columns_;  // by Period::key()
  size_t size_ = 0;
  size_t widest_ = 0;  // largest column length: highest enterprise index + 1, or ReserveRows
  // The column after the one Put last wrote: a load streams an enterprise's periods in order, so
  // the next Put's column is found there without a search.
  std::map<int64_t, ColumnData>::iterator next_ = columns_.end();
};

}  // namespace parkwatch
