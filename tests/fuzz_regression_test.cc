// Inputs the fuzz targets (fuzz/) found crashing, kept as regression tests: each must now be
// answered with diagnostics. tests/testdata/fuzz/<target>-<what>.* holds the inputs as found.
#include <gtest/gtest.h>

#include <filesystem>

#include "collectors/table_reader.h"
#include "rules/rule_config.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

const std::string kData = PARKWATCH_SOURCE_DIR "/tests/testdata/fuzz/";

// A rule list item that is a scalar, not a mapping: yaml-cpp threw BadSubscript out of
// ParseRuleFile (std::terminate in the fuzzer; a SIGHUP reload with such a file would have
// ended the daemon).
TEST(FuzzRegressionTest, RuleFileWithScalarRuleIsAnError) {
  for (const char* name : {"rule_file-scalar-rule-min.yml", "rule_file-scalar-rule.yml"}) {
    SCOPED_TRACE(name);
    RuleSet rules;
    std::vector<Diagnostic> diagnostics;
    EXPECT_FALSE(ParseRuleFile(testing::ReadFile(kData + name), name, &rules, &diagnostics));
    EXPECT_FALSE(diagnostics.empty());
  }
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(
      ParseRuleFile("groups:\n- name: g\n  rules:\n  - [x]\n  -\n", "r.yml", &rules, &diagnostics));
  std::string text = JoinDiagnostics(diagnostics);
  EXPECT_NE(text.find("rules[0]: expected a mapping"), std::string::npos) << text;
  EXPECT_NE(text.find("rules[1].alert: required"), std::string::npos) << text;

  // Found by `make soak`: two scalar items, both nameless, were taken for duplicates and the
  // duplicate's error indexed the scalar ("alert"), which threw.
  for (const std::string& text : {std::string("groups:\n- name: g\n  rules:\n  - a\n  - b\n"),
                                  testing::ReadFile(kData + "rule_file-two-scalar-rules.yml")}) {
    RuleSet more;
    std::vector<Diagnostic> found;
    EXPECT_FALSE(ParseRuleFile(text, "r.yml", &more, &found));
    EXPECT_NE(JoinDiagnostics(found).find("expected a mapping"), std::string::npos)
        << JoinDiagnostics(found);
  }
}

// A number beyond double's range: nlohmann throws out_of_range (not parse_error), which escaped
// ReadJsonTable; the daemon answered 503 "store unavailable" instead of 422.
TEST(FuzzRegressionTest, JsonNumberOverflowIsAnError) {
  class NullSink : public RecordSink {
    Wording PutEnterprise(const EnterpriseRecord&) override { return {}; }
    Wording PutFigure(const FigureRecord&) override { return {}; }
  } sink;
  CollectorConfig collector;
  for (std::string body : {testing::ReadFile(kData + "json_ingest-number-overflow.json"),
                           std::string("[{\"工业总产值\": 1E444}]")}) {
    TableResult result;
    ReadJsonTable(body, "request", collector, DefaultIndicators(), &sink, &result);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_NE(result.errors[0].ToString().find("not valid JSON"), std::string::npos);
  }
}

}  // namespace
}  // namespace parkwatch
