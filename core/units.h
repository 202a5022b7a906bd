// Units a bureau writes in its column headers, and the one base unit each dimension is stored in.
// Values are converted on the way in, so the store never mixes 万元 with 元.
#pragma once

#include <optional>
#include <string_view>

namespace parkwatch {

enum class Dimension { kMoney, kEnergy, kCount, kRatio };

struct Unit {
  std::string_view name;
  Dimension dimension;
  double to_base;  // multiply a value in this unit by to_base to get the base unit
};

// 元/yuan/CNY, 千元, 万元, 亿元; kWh/千瓦时/度, 万千瓦时/万kWh, 亿千瓦时, MWh; 人/个/家/count;
// %/percent (stored as a ratio), ratio. nullopt for anything else.
std::optional<Unit> FindUnit(std::string_view name);

// yuan, kWh, 1, ratio
std::string_view BaseUnitName(Dimension d);
std::optional<Dimension> ParseDimension(std::string_view name);  // money|energy|count|ratio

}  // namespace parkwatch
