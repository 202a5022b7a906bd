#include "core/units.h"

namespace parkwatch {
namespace {

constexpr Unit kUnits[] = {
    {"元", Dimension::kMoney, 1},          {"yuan", Dimension::kMoney, 1},
    {"CNY", Dimension::kMoney, 1},         {"千元", Dimension::kMoney, 1e3},
    {"万元", Dimension::kMoney, 1e4},      {"亿元", Dimension::kMoney, 1e8},
    {"kWh", Dimension::kEnergy, 1},        {"千瓦时", Dimension::kEnergy, 1},
    {"度", Dimension::kEnergy, 1},         {"MWh", Dimension::kEnergy, 1e3},
    {"万千瓦时", Dimension::kEnergy, 1e4}, {"万kWh", Dimension::kEnergy, 1e4},
    {"亿千瓦时", Dimension::kEnergy, 1e8}, {"1", Dimension::kCount, 1},
    {"count", Dimension::kCount, 1},       {"人", Dimension::kCount, 1},
    {"个", Dimension::kCount, 1},          {"家", Dimension::kCount, 1},
    {"%", Dimension::kRatio, 0.01},        {"percent", Dimension::kRatio, 0.01},
    {"ratio", Dimension::kRatio, 1},
};

}  // namespace

std::optional<Unit> FindUnit(std::string_view name) {
  for (const Unit& u : kUnits)
    if (u.name == name) return u;
  return std::nullopt;
}

std::string_view BaseUnitName(Dimension d) {
  switch (d) {
    case Dimension::kMoney:
      return "yuan";
    case Dimension::kEnergy:
      return "kWh";
    case Dimension::kCount:
      return "1";
    case Dimension::kRatio:
      return "ratio";
  }
  return "?";
}

std::optional<Dimension> ParseDimension(std::string_view name) {
  if (name == "money") return Dimension::kMoney;
  if (name == "energy") return Dimension::kEnergy;
  if (name == "count") return Dimension::kCount;
  if (name == "ratio") return Dimension::kRatio;
  return std::nullopt;
}

}  // namespace parkwatch
