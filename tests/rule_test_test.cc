// `parkwatch test rules`, run as the real binary: exit codes, the diff of a failing case, and
// file:line:column errors of a malformed test file.
#include "alerts/rule_test.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunParkwatch;
using testing::TempDir;
using testing::WriteFile;

constexpr char kRules[] = R"(groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: OutputDrop
        scope: enterprise
        where: {key: true}
        measure: yoy(output_value)
        levels: {yellow: -0.10, orange: -0.20}
        for: 2
  - name: monthly
    cadence: monthly
    rules:
      - alert: OutputHigh
        scope: enterprise
        measure: level(output_value)
        direction: above
        levels: {yellow: 120, red: 140}
)";

// 甲 falls 25% in 2024-W03 and W04: pending, then firing orange. The monthly series steps by
// 10 from 100, so its third value (120) is the first at the yellow level.
constexpr char kHead[] = R"(rule_files: [rules.yml]
tests:
  - name: drop
    enterprises:
      - {credit_code: 91430700MA4L00001H, name: 甲, key: true}
    input_series:
      - enterprise: 91430700MA4L00001H
        indicator: output_value
        start: 2023-W01
        values: "100x52 100x2 75x2"
      - enterprise: 91430700MA4L00001H
        indicator: output_value
        start: 2024-03
        values: "100+10x5 _"
    alert_rule_test:
      - eval_period: 2024-W03
        alertname: OutputDrop
        exp_alerts:
          - exp_labels: {enterprise: 91430700MA4L00001H}
            exp_severity: orange
            exp_state: pending
      - eval_period: 2024-04
        alertname: OutputHigh
        exp_alerts: []
      - eval_period: 2024-05
        alertname: OutputHigh
        exp_alerts:
          - exp_severity: yellow
      - eval_period: 2024-W04
        alertname: OutputDrop
        exp_alerts:
          - exp_labels: {enterprise: 91430700MA4L00001H}
)";

class RuleTestCommand : public ::testing::Test {
 protected:
  void SetUp() override { WriteFile(dir_ / "rules.yml", kRules); }
  TempDir dir_;
};

TEST_F(RuleTestCommand, PassingFileExitsZero) {
  std::string file =
      WriteFile(dir_ / "ok.test.yml", std::string(kHead) + "            exp_severity: orange\n");
  std::string out;
  EXPECT_EQ(RunParkwatch({"test", "rules", file}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("SUCCESS: 1 tests, 4 cases"));
}

TEST_F(RuleTestCommand, FailingCaseShowsExpectedAndGot) {
  std::string file =
      WriteFile(dir_ / "bad.test.yml", std::string(kHead) + "            exp_severity: red\n");
  std::string out;
  EXPECT_EQ(RunParkwatch({"test", "rules", file}, &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("FAILED: 1 of 4 cases"));
  EXPECT_THAT(out, HasSubstr(file + ":29: drop"));  // the line of the failing case
  EXPECT_THAT(out, HasSubstr("alertname: OutputDrop, eval_period: 2024-W04"));
  EXPECT_THAT(out, HasSubstr("expected:\n        - {enterprise=\"91430700MA4L00001H\"} "
                             "state=firing severity=red"));
  EXPECT_THAT(out, HasSubstr("got:\n        - {enterprise=\"91430700MA4L00001H\", "
                             "scope=\"enterprise\"} state=firing severity=orange value=-0.25 "
                             "since 2024-W03"));
  EXPECT_THAT(out, Not(HasSubstr("eval_period: 2024-W03")));  // the passing cases stay quiet
}

TEST_F(RuleTestCommand, UnexpectedAlertFails) {
  // An empty exp_alerts asserts that nothing is active.
  std::string text = std::string(kHead) + "            exp_severity: orange\n";
  text.replace(text.find("exp_alerts: []"), 14,
               "exp_alerts: []\n      - eval_period: 2024-08\n"
               "        alertname: OutputHigh\n"
               "        exp_alerts: []");
  std::string file = WriteFile(dir_ / "extra.test.yml", text);
  std::string out;
  EXPECT_EQ(RunParkwatch({"test", "rules", file}, &out), 1) << out;
  // 2024-07 holds 140, red; 2024-08 has no figure, which does not resolve the alert.
  EXPECT_THAT(out, HasSubstr("expected: no active alert"));
  EXPECT_THAT(out, HasSubstr("unexpected: {enterprise=\"91430700MA4L00001H\", "
                             "scope=\"enterprise\"} state=firing severity=red value=140"));
}

TEST_F(RuleTestCommand, MalformedFileReportsLineAndColumn) {
  std::string file = WriteFile(dir_ / "broken.test.yml", R"(rule_files: [rules.yml]
tests:
  - name: broken
    enterprises:
      - {credit_code: 91430700MA4L00001H, key: true}
    input_series:
      - enterprise: 91430700MA4L00001H
        indicator: output_value
        start: 2024-W01
        values: "100x3 1O0"
    alert_rule_test:
      - eval_period: 2024-03
        alertname: OutputDrop
        exp_alerts:
          - exp_labels: {enterprise: "91430700MA4L00001H"}
            exp_state: resolved
      - eval_period: 2024-W02
        alertname: NoSuchRule
)");
  std::string out;
  EXPECT_EQ(RunParkwatch({"test", "rules", file}, &out), 2) << out;
  EXPECT_THAT(out, HasSubstr(file + ":10:24: tests[0].input_series[0].values: \"1O0\": expected a "
                                    "number, a+bxN, axN or _"));
  EXPECT_THAT(out, HasSubstr(file + ":12:22: tests[0].alert_rule_test[0].eval_period: group "
                                    "weekly is weekly: give a week (2024-W05)"));
  EXPECT_THAT(out, HasSubstr(file + ":16:24: tests[0].alert_rule_test[0].exp_alerts[0]."
                                    "exp_state: expected firing or pending"));
  EXPECT_THAT(out, HasSubstr(file + ":18:20: tests[0].alert_rule_test[1].alertname: no rule "
                                    "named \"NoSuchRule\""));
  EXPECT_THAT(out, HasSubstr("INVALID: 4 error(s)"));
}

TEST_F(RuleTestCommand, BrokenRuleFileIsInvalid) {
  WriteFile(dir_ / "rules.yml", "groups:\n  - name: g\n    cadence: daily\n");
  std::string file = WriteFile(dir_ / "t.yml", kHead);
  std::string out;
  EXPECT_EQ(RunParkwatch({"test", "rules", file}, &out), 2) << out;
  EXPECT_THAT(out, HasSubstr("rules.yml:3:"));
}

TEST(RuleTestDefaults, DefaultRulesPassTheirTests) {
  std::string out;
  EXPECT_EQ(
      RunParkwatch({"test", "rules", PARKWATCH_SOURCE_DIR "/deploy/rules/tests/default.test.yml"},
                   &out),
      0)
      << out;
}

}  // namespace
}  // namespace parkwatch
