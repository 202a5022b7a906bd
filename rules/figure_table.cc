#include "rules/figure_table.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parkwatch {

namespace {

// Absent cells are NaN: figures are finite (Put refuses anything else), so NaN never collides
// with a real value and no separate presence bitmap is needed.
constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

bool Fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

}  // namespace

std::vector<EnterpriseIndex> SelectScope(std::span<const EnterpriseInfo> enterprises,
                                         const ScopeFilter& filter) {
  std::vector<EnterpriseIndex> out;
  for (size_t i = 0; i < enterprises.size(); ++i) {
    const EnterpriseInfo& e = enterprises[i];
    if (filter.industry && e.industry != *filter.industry) continue;
    if (filter.key && e.key != *filter.key) continue;
    if (filter.above_size_in && !e.AboveSizeIn(*filter.above_size_in)) continue;
    out.push_back(static_cast<EnterpriseIndex>(i));
  }
  return out;
}

bool FigureTable::Put(EnterpriseIndex enterprise, Period period, double value, std::string* error) {
  if (enterprise < 0) return Fail(error, "negative enterprise index");
  if (!period.valid()) return Fail(error, "invalid period");
  if (period.cadence() != cadence_)
    return Fail(error,
                "period " + period.ToString() + " is not " + std::string(CadenceName(cadence_)));
  if (!std::isfinite(value)) return Fail(error, "value is not finite");
  auto at = columns_.try_emplace(next_, period.key());  // constant time at the hint
  next_ = std::next(at);
  ColumnData& column = at->second;
  auto index = static_cast<size_t>(enterprise);
  if (index >= column.values.size()) {
    // Weekly reporting is dense: a new column will most likely hold every enterprise seen so
    // far, so it is sized to the widest column at once instead of leaving geometric growth's
    // slack (13 bytes per value instead of 8 at 20k enterprises). Growing an existing column
    // stays geometric, so filling in any order is linear; Compact trims what that leaves.
    size_t want = index + 1;
    if (column.values.empty() && widest_ > want) {
      want = widest_;
      column.values.reserve(want);
    }
    column.values.resize(want, kAbsent);
    widest_ = std::max(widest_, want);
  }
  double& cell = column.values[index];
  if (std::isnan(cell)) {
    ++column.count;
    ++size_;
  }
  cell = value;
  return true;
}

void FigureTable::Erase(EnterpriseIndex enterprise, Period period) {
  if (enterprise < 0 || !period.valid() || period.cadence() != cadence_) return;
  auto it = columns_.find(period.key());
  if (it == columns_.end()) return;
  auto index = static_cast<size_t>(enterprise);
  if (index >= it->second.values.size() || std::isnan(it->second.values[index])) return;
  it->second.values[index] = kAbsent;
  --size_;
  if (--it->second.count == 0) {
    columns_.erase(it);
    next_ = columns_.end();
  }
}

FigureTable::Column FigureTable::At(Period period) const {
  if (!period.valid() || period.cadence() != cadence_) return Column();
  auto it = columns_.find(period.key());
  if (it == columns_.end()) return Column();
  return Column(&it->second.values, it->second.count);
}

std::optional<double> FigureTable::Get(EnterpriseIndex enterprise, Period period) const {
  return At(period).Get(enterprise);
}

void FigureTable::ForEach(Period period,
                          const std::function<void(EnterpriseIndex, double)>& fn) const {
  if (!period.valid() || period.cadence() != cadence_) return;
  auto it = columns_.find(period.key());
  if (it == columns_.end()) return;
  const std::vector<double>& values = it->second.values;
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isnan(values[i])) fn(static_cast<EnterpriseIndex>(i), values[i]);
}

std::vector<EnterpriseIndex> FigureTable::EnterprisesAt(Period period) const {
  std::vector<EnterpriseIndex> out;
  ForEach(period, [&](EnterpriseIndex e, double) { out.push_back(e); });
  return out;
}

std::vector<Period> FigureTable::Periods() const {
  std::vector<Period> out;
  for (const auto& [key, column] : columns_) {
    if (column.count == 0) continue;
    if (auto p = Period::FromKey(cadence_, key)) out.push_back(*p);
  }
  return out;
}

void FigureTable::Compact() {
  for (auto& [key, column] : columns_) column.values.shrink_to_fit();
}

size_t FigureTable::MemoryBytes() const {
  // A std::map node holds the key, the column header and the tree links (about 4 pointers).
  size_t bytes = sizeof(*this);
  for (const auto& [key, column] : columns_)
    bytes += sizeof(key) + sizeof(column) + 4 * sizeof(void*) +
             column.values.capacity() * sizeof(double);
  return bytes;
}

}  // namespace parkwatch
