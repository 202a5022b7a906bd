// parkwatch.yml parsing: defaults, collectors, column mappings, and errors with line and column.
#include "config/config.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

TEST(ConfigTest, EmptyFileGivesDefaults) {
  Config c;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseConfig("", "/etc/parkwatch/parkwatch.yml", &c, &d)) << JoinDiagnostics(d);
  EXPECT_EQ(c.web.listen_address, "127.0.0.1:9780");  // loopback unless configured
  EXPECT_EQ(c.storage_path, "/etc/parkwatch/var/parkwatch.db");
  EXPECT_NE(c.FindIndicator("output_value"), nullptr);
  EXPECT_NE(c.FindIndicator("electricity"), nullptr);
}

TEST(ConfigTest, ReadsCollectorsWithColumnMappingsAndResolvesPaths) {
  const char* yaml = R"(
storage: {path: data/pw.db}
web:
  listen_address: 0.0.0.0:9999
  ingest_token: abc
collectors:
  - name: office
    directory: inbox
    encoding: gb18030
    atomic: false
    columns:
      统一代码: credit_code
      产值: {indicator: output_value, unit: 千元}
      备注2: ignore
indicators:
  - name: orders
    headers: [订单额]
  - name: steel_output
    kind: level
    dimension: count
    unit: 个
rule_files: [rules/default.yml]
)";
  Config c;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseConfig(yaml, "/srv/pw/parkwatch.yml", &c, &d)) << JoinDiagnostics(d);
  EXPECT_EQ(c.storage_path, "/srv/pw/data/pw.db");
  EXPECT_EQ(c.web.listen_address, "0.0.0.0:9999");
  EXPECT_EQ(c.web.ingest_token, "abc");
  ASSERT_EQ(c.collectors.size(), 1u);
  const CollectorConfig& office = c.collectors[0];
  EXPECT_EQ(office.directory, "/srv/pw/inbox");
  EXPECT_EQ(office.encoding, "gb18030");
  EXPECT_FALSE(office.atomic);
  EXPECT_EQ(office.columns.at("统一代码").kind, ColumnRole::kCreditCode);
  EXPECT_EQ(office.columns.at("产值").indicator, "output_value");
  EXPECT_EQ(office.columns.at("产值").unit, "千元");
  EXPECT_EQ(office.columns.at("备注2").kind, ColumnRole::kIgnore);
  ASSERT_NE(c.FindIndicator("steel_output"), nullptr);
  EXPECT_EQ(c.FindIndicator("steel_output")->dimension, Dimension::kCount);
  EXPECT_EQ(c.rule_files, std::vector<std::string>{"/srv/pw/rules/default.yml"});
}

TEST(ConfigTest, ReportsEveryErrorWithLineAndColumn) {
  const char* yaml =
      "web:\n"
      "  listen_adress: 1.2.3.4:5\n"  // line 2: typo
      "collectors:\n"
      "  - name: a\n"
      "    type: ftp\n"  // line 5: bad type
      "    directory: in\n"
      "    atomic: maybe\n"  // line 7: not a bool
      "    columns:\n"
      "      X: {indicator: nope}\n";  // line 9: unknown indicator
  Config c;
  c.storage_path = "unchanged";
  std::vector<Diagnostic> d;
  EXPECT_FALSE(ParseConfig(yaml, "pw.yml", &c, &d));
  EXPECT_EQ(c.storage_path, "unchanged");  // all-or-nothing
  ASSERT_EQ(d.size(), 4u) << JoinDiagnostics(d);
  EXPECT_EQ(d[0].ToString(), "pw.yml:2:3: web.listen_adress: unknown field");
  EXPECT_EQ(d[1].line, 5);
  EXPECT_EQ(d[1].column, 11);
  EXPECT_EQ(d[2].line, 7);
  EXPECT_EQ(d[3].line, 9);
  EXPECT_NE(d[3].message.find("nope"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorHasPosition) {
  Config c;
  std::vector<Diagnostic> d;
  EXPECT_FALSE(ParseConfig("web: [unclosed\n", "pw.yml", &c, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "pw.yml");
  EXPECT_GT(d[0].line, 0);
}

TEST(ConfigTest, SecretsFromFiles) {
  testing::TempDir dir;
  testing::WriteFile(dir / "token", "s3cret\n");
  testing::WriteFile(dir / "pw.yml", "web:\n  admin_token_file: token\n");
  Config c;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(LoadConfig(dir / "pw.yml", &c, &d)) << JoinDiagnostics(d);
  EXPECT_EQ(c.web.admin_token, "s3cret");
  d.clear();
  testing::WriteFile(dir / "pw.yml", "web:\n  admin_token_file: missing\n");
  EXPECT_FALSE(LoadConfig(dir / "pw.yml", &c, &d));
  EXPECT_EQ(d.size(), 1u);
}

TEST(ConfigTest, TheParksTimeZoneMustBeOneParkwatchKnows) {
  Config c;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(ParseConfig("global:\n  timezone: UTC+05:30\n", "pw.yml", &c, &d))
      << JoinDiagnostics(d);
  EXPECT_EQ(c.timezone, "UTC+05:30");
  // A zone with daylight saving would need a tz database; refused at its line, not guessed.
  EXPECT_FALSE(ParseConfig("global:\n  timezone: Europe/Paris\n", "pw.yml", &c, &d));
  ASSERT_EQ(d.size(), 1u) << JoinDiagnostics(d);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_NE(d[0].message.find("Europe/Paris"), std::string::npos) << d[0].message;
}

TEST(ConfigTest, AnUnreadableFileSaysWhy) {
  Config c;
  std::vector<Diagnostic> d;
  EXPECT_FALSE(LoadConfig("/nonexistent/parkwatch.yml", &c, &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].ToString(),
            "/nonexistent/parkwatch.yml: cannot read file: No such file or directory");
}

}  // namespace
}  // namespace parkwatch
