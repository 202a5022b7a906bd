// What a collector hands to the store: enterprise attributes and figures, already normalised
// (credit code validated, period parsed, value converted to the indicator's base unit).
#pragma once

#include <optional>
#include <string>

#include "core/period.h"
#include "core/wording.h"

namespace parkwatch {

// Attributes of an enterprise as one row states them; unset members leave the stored
// attribute unchanged.
struct EnterpriseRecord {
  std::string credit_code;
  std::optional<std::string> name;
  std::optional<std::string> industry;
  std::optional<bool> key;              // key enterprise (重点企业)
  std::optional<int> above_size_since;  // first year as 规上 enterprise
  std::optional<int> above_size_until;  // last year as 规上 enterprise
  // Reports the register expects from it: "weekly,monthly", "monthly", "weekly" or "" (none).
  std::optional<std::string> expected_reports;
};

// Figures published per industry (a price index) are kept under this pseudo credit code plus the
// industry's name; they belong to no enterprise and to no scope.
inline constexpr char kIndustrySeriesPrefix[] = "industry:";

struct FigureRecord {
  std::string credit_code;
  std::string indicator;  // configured indicator name, e.g. output_value
  Period period;
  double value = 0;  // in the indicator's base unit (rates as ratios: 7% is 0.07)
};

// Receives the records of one batch as the reader produces them, so a file of millions of rows
// streams through without being held in memory. Each Put returns an empty Wording on success or
// a message in both languages (for instance a duplicate of a row earlier in the same batch); the
// reader attaches the file:line:column.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual Wording PutEnterprise(const EnterpriseRecord& record) = 0;
  virtual Wording PutFigure(const FigureRecord& record) = 0;
};

}  // namespace parkwatch
