// The figures of one scope (an enterprise, an industry's or the park's above-size members) at one
// period, computed by the measures library (rules/measures.h) over the engine's in-memory
// figures exactly as the rules, /metrics and the monthly report compute them: level, YoY, YTD
// level and YTD YoY, and the pull on and contribution to a whole's growth. One place, so that
// /api/v1/series, /api/v1/industries and the console's pages say the same numbers.
// Store worker thread (it owns the RuleData read).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "rules/measures.h"
#include "rules/rule_data.h"

namespace parkwatch {

class ScopeFigures {
 public:
  // table: the indicator's figures; growth: the options growth is measured with (comparable
  // prices or not; levels are always at current prices).
  ScopeFigures(const RuleData& data, const FigureTable& table, MeasureOptions growth);

  // {level, enterprises, yoy (, yoy_no_data and yoy_no_data_zh), and monthly ytd_level, ytd_yoy};
  // with whole also {pull, contribution (, ytd_pull, ytd_contribution)} on whole's growth. A level
  // where nobody reported is null, not zero.
  nlohmann::json At(const std::vector<EnterpriseIndex>& members, Period t,
                    const std::vector<EnterpriseIndex>* whole = nullptr) const;

  // Each enterprise of members at t: {credit_code, name, key, level, yoy, pull, contribution}
  // with the pull on and contribution to whole's growth (one pass over whole,
  // Measures::PullsByEnterprise); null where a measure has no value.
  nlohmann::json Members(const std::vector<EnterpriseIndex>& members, Period t,
                         const std::vector<EnterpriseIndex>& whole) const;

  // The park's above-size enterprises in year, and an industry's (industry index).
  std::vector<EnterpriseIndex> Park(int year) const;
  std::vector<EnterpriseIndex> Industry(int32_t industry, int year) const;

  const Measures& growth() const { return growth_; }

 private:
  const RuleData& data_;
  Measures current_;  // levels, always at current prices
  Measures growth_;   // growth at the prices asked for
};

// How growth is measured for ?prices=current|comparable (comparable: deflated by the ppi price
// index, which must have been ingested), with names for the reasons; ApiError otherwise.
MeasureOptions GrowthOptions(const RuleData& data, Cadence cadence, const std::string& prices);

// A number, or null when the measure has no value (or is not finite).
nlohmann::json MeasureJson(const MeasureResult& r);

}  // namespace parkwatch
