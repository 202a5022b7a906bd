#include <gtest/gtest.h>

#include "config/config.h"

namespace parkwatch {
namespace {

ColumnRole::Kind KindOf(const std::string& header) {
  auto role = RoleOfHeader(header, DefaultIndicators());
  return role ? role->kind : static_cast<ColumnRole::Kind>(-1);
}

TEST(HeadersTest, BuiltInDictionary) {
  EXPECT_EQ(KindOf("统一社会信用代码"), ColumnRole::kCreditCode);
  EXPECT_EQ(KindOf("\xEF\xBB\xBF 信用代码 "), ColumnRole::kCreditCode);  // BOM and spaces
  EXPECT_EQ(KindOf("Credit_Code"), ColumnRole::kCreditCode);
  EXPECT_EQ(KindOf("单位详细名称"), ColumnRole::kName);
  EXPECT_EQ(KindOf("Enterprise"), ColumnRole::kName);
  EXPECT_EQ(KindOf("行业类别"), ColumnRole::kIndustry);
  EXPECT_EQ(KindOf("是否重点企业"), ColumnRole::kKey);
  EXPECT_EQ(KindOf("统计期"), ColumnRole::kPeriod);
  EXPECT_EQ(KindOf("above_size_since"), ColumnRole::kAboveSizeSince);
  EXPECT_EQ(KindOf("规上截止年份"), ColumnRole::kAboveSizeUntil);
  EXPECT_EQ(KindOf("指标"), ColumnRole::kIndicatorName);
  EXPECT_EQ(KindOf("数值"), ColumnRole::kValue);
  EXPECT_EQ(KindOf("计量单位"), ColumnRole::kUnit);
  EXPECT_EQ(KindOf("序号"), ColumnRole::kIgnore);
  EXPECT_FALSE(RoleOfHeader("产量", DefaultIndicators()));
  EXPECT_FALSE(RoleOfHeader("", DefaultIndicators()));
}

TEST(HeadersTest, IndicatorHeadersAndUnitSuffixes) {
  auto role = RoleOfHeader("工业总产值(万元)", DefaultIndicators());
  ASSERT_TRUE(role);
  EXPECT_EQ(role->kind, ColumnRole::kIndicator);
  EXPECT_EQ(role->indicator, "output_value");
  EXPECT_EQ(role->unit, "万元");
  role = RoleOfHeader("工业总产值（亿元）", DefaultIndicators());
  EXPECT_EQ(role->unit, "亿元");
  role = RoleOfHeader("用电量(万kWh)", DefaultIndicators());
  EXPECT_EQ(role->indicator, "electricity");
  EXPECT_EQ(role->unit, "万kWh");
  role = RoleOfHeader("Output Value", DefaultIndicators());
  EXPECT_EQ(role->indicator, "output_value");
  EXPECT_EQ(role->unit, "");
  EXPECT_EQ(RoleOfHeader("output-value ( 元 )", DefaultIndicators())->unit, "元");
  EXPECT_EQ(RoleOfHeader("主营业务收入", DefaultIndicators())->indicator, "revenue");
  EXPECT_EQ(RoleOfHeader("从业人员平均人数", DefaultIndicators())->indicator, "employees");
  EXPECT_EQ(RoleOfHeader("PPI", DefaultIndicators())->indicator, "ppi");
  EXPECT_EQ(RoleOfHeader("工业增加值增速(%)", DefaultIndicators())->indicator,
            "value_added_growth");
  // A suffix on a non-indicator column is a gloss, not a unit.
  role = RoleOfHeader("企业名称（全称）", DefaultIndicators());
  EXPECT_EQ(role->kind, ColumnRole::kName);
  EXPECT_EQ(role->unit, "");
}

TEST(HeadersTest, DefaultIndicatorsAreConsistent) {
  for (const IndicatorConfig& ind : DefaultIndicators()) {
    auto unit = FindUnit(ind.default_unit);
    ASSERT_TRUE(unit) << ind.name;
    EXPECT_EQ(unit->dimension, ind.dimension) << ind.name;
    auto role = RoleOfHeader(ind.name, DefaultIndicators());
    ASSERT_TRUE(role) << ind.name;
    EXPECT_EQ(role->indicator, ind.name);
  }
}

}  // namespace
}  // namespace parkwatch
