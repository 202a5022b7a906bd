// Every number a configuration can hold, fed the malformed and out-of-range values an operator
// (or an attacker with write access to the file) can type: each is a diagnostic at its file,
// line and column, never an exception, and `check-config` reports them all and exits 1.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "notifiers/receiver_types.h"
#include "rules/rule_config.h"
#include "tests/support/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::RunParkwatch;
using testing::TempDir;
using testing::WriteFile;

enum class Kind { kDuration, kInteger, kNumber };

struct Field {
  std::string path;  // as diagnostics name it
  std::string key;   // the @key@ placeholder in the template
  Kind kind;
  std::string good;
};

// parkwatch.yml with every numeric field as a placeholder.
const char kConfig[] = R"(web:
  max_body_bytes: @max_body_bytes@
alerting:
  delivery:
    initial_backoff: @initial_backoff@
    max_backoff: @max_backoff@
    max_attempts: @max_attempts@
    max_age: @max_age@
    timeout: @delivery_timeout@
    poll_interval: @poll_interval@
    batch_limit: @batch_limit@
  receivers:
    - name: hook
      type: webhook
      url: http://127.0.0.1:9/hook
      timeout: @receiver_timeout@
      rate_limit_per_minute: @rate_limit@
      max_alerts: @max_alerts@
    - name: am
      type: alertmanager
      url: http://127.0.0.1:9/am
      resend_interval: @resend_interval@
  route:
    receiver: hook
    group_wait: @group_wait@
    group_interval: @group_interval@
    repeat_interval: @repeat_interval@
reports:
  min_reported_share: @share@
  deadline: "day @deadline_day@ 12:00"
)";

const std::vector<Field> kConfigFields = {
    {"web.max_body_bytes", "max_body_bytes", Kind::kInteger, "1048576"},
    {"alerting.delivery.initial_backoff", "initial_backoff", Kind::kDuration, "1s"},
    {"alerting.delivery.max_backoff", "max_backoff", Kind::kDuration, "5m"},
    {"alerting.delivery.max_attempts", "max_attempts", Kind::kInteger, "5"},
    {"alerting.delivery.max_age", "max_age", Kind::kDuration, "1d"},
    {"alerting.delivery.timeout", "delivery_timeout", Kind::kDuration, "10s"},
    {"alerting.delivery.poll_interval", "poll_interval", Kind::kDuration, "1s"},
    {"alerting.delivery.batch_limit", "batch_limit", Kind::kInteger, "10"},
    {"alerting.receivers[0].timeout", "receiver_timeout", Kind::kDuration, "5s"},
    {"alerting.receivers[0].rate_limit_per_minute", "rate_limit", Kind::kInteger, "20"},
    {"alerting.receivers[0].max_alerts", "max_alerts", Kind::kInteger, "0"},
    {"alerting.receivers[1].resend_interval", "resend_interval", Kind::kDuration, "1m"},
    {"alerting.route.group_wait", "group_wait", Kind::kDuration, "30s"},
    {"alerting.route.group_interval", "group_interval", Kind::kDuration, "5m"},
    {"alerting.route.repeat_interval", "repeat_interval", Kind::kDuration, "4h"},
    {"reports.min_reported_share", "share", Kind::kNumber, "0.9"},
    {"reports.deadline", "deadline_day", Kind::kInteger, "10"},
};

// A rule file with every numeric field as a placeholder.
const char kRules[] = R"(targets:
  value_added_growth: {park: @target@}
groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: Drop
        scope: enterprise
        measure: yoy(output_value)
        levels: {blue: @blue@, red: @red@}
        clear: @clear@
        for: @for@
        keep_firing_for: @keep_firing_for@
      - alert: Odd
        kind: anomaly
        scope: enterprise
        measure: level(output_value)
        years: @years@
        levels: {yellow: 3}
      - alert: Late
        kind: missing_report
        reporters: all
        deadline: "day 10 @deadline_time@"
        levels: {yellow: 1}
)";

const std::vector<Field> kRuleFields = {
    {"targets.value_added_growth.park", "target", Kind::kNumber, "0.08"},
    {"groups[0].rules[0].levels.blue", "blue", Kind::kNumber, "-0.05"},
    {"groups[0].rules[0].levels.red", "red", Kind::kNumber, "-0.3"},
    {"groups[0].rules[0].clear", "clear", Kind::kNumber, "-0.01"},
    {"groups[0].rules[0].for", "for", Kind::kInteger, "2"},
    {"groups[0].rules[0].keep_firing_for", "keep_firing_for", Kind::kInteger, "1"},
    {"groups[0].rules[1].years", "years", Kind::kInteger, "3"},
    {"groups[0].rules[2].deadline", "deadline_time", Kind::kDuration, "12:00"},
};

// What a number field must refuse, by kind. Durations also refuse an overflowing n * factor.
std::vector<std::string> BadValues(Kind kind) {
  switch (kind) {
    case Kind::kDuration:
      return {"99999999999999999999s", "9999999999999999w", "-1", "1e400", "abc", "99999d"};
    case Kind::kInteger:
      return {"99999999999999999999", "2147483648", "-1", "1e400", "abc", "1.5"};
    case Kind::kNumber:
      return {"1e400", "-1e400", ".inf", ".nan", "abc"};
  }
  return {};
}

std::string Fill(std::string text, const std::vector<Field>& fields, const std::string& bad_key,
                 const std::string& bad) {
  for (const Field& f : fields) {
    const std::string mark = "@" + f.key + "@";
    text.replace(text.find(mark), mark.size(), f.key == bad_key ? bad : f.good);
  }
  return text;
}

bool Names(const std::vector<Diagnostic>& d, const std::string& path) {
  for (const auto& x : d)
    if (x.field.rfind(path, 0) == 0 && x.line > 0 && x.column > 0) return true;
  return false;
}

TEST(ConfigNumbersTest, TheTemplatesAreValidWithGoodValues) {
  InstallReceiverTypes();  // config/ reads receivers through the notifiers\' readers
  Config c;
  std::vector<Diagnostic> d;
  EXPECT_TRUE(ParseConfig(Fill(kConfig, kConfigFields, "", ""), "/x/parkwatch.yml", &c, &d))
      << JoinDiagnostics(d);
  RuleSet rules;
  EXPECT_TRUE(ParseRuleFile(Fill(kRules, kRuleFields, "", ""), "/x/rules.yml", &rules, &d))
      << JoinDiagnostics(d);
}

TEST(ConfigNumbersTest, EveryConfigNumberRefusesMalformedAndHugeValuesWithItsPosition) {
  InstallReceiverTypes();  // config/ reads receivers through the notifiers\' readers
  for (const Field& f : kConfigFields) {
    for (const std::string& bad : BadValues(f.kind)) {
      Config c;
      std::vector<Diagnostic> d;
      bool ok = false;
      EXPECT_NO_THROW(
          ok = ParseConfig(Fill(kConfig, kConfigFields, f.key, bad), "/x/parkwatch.yml", &c, &d))
          << f.path << ": " << bad;
      EXPECT_FALSE(ok) << f.path << ": " << bad << " was accepted";
      EXPECT_TRUE(Names(d, f.path)) << f.path << ": " << bad << "\n" << JoinDiagnostics(d);
    }
  }
}

TEST(ConfigNumbersTest, EveryRuleNumberRefusesMalformedAndHugeValuesWithItsPosition) {
  InstallReceiverTypes();  // config/ reads receivers through the notifiers\' readers
  for (const Field& f : kRuleFields) {
    std::vector<std::string> bad_values = BadValues(f.kind);
    if (f.key == "deadline_time")
      bad_values = {"99999999999:00", "12:99999999999", "-1:00", "1e400", "abc", "12:"};
    for (const std::string& bad : bad_values) {
      RuleSet rules;
      std::vector<Diagnostic> d;
      bool ok = false;
      EXPECT_NO_THROW(
          ok = ParseRuleFile(Fill(kRules, kRuleFields, f.key, bad), "/x/rules.yml", &rules, &d))
          << f.path << ": " << bad;
      EXPECT_FALSE(ok) << f.path << ": " << bad << " was accepted";
      EXPECT_TRUE(Names(d, f.path)) << f.path << ": " << bad << "\n" << JoinDiagnostics(d);
    }
  }
}

TEST(ConfigNumbersTest, CheckConfigReportsEveryBadNumberAndExitsOne) {
  InstallReceiverTypes();  // config/ reads receivers through the notifiers\' readers
  // The real binary: every field bad at once, in the config and its rule file.
  for (std::string bad : {"99999999999999999999s", "1e400", "abc"}) {
    TempDir dir;
    std::string config = kConfig;
    for (const Field& f : kConfigFields) {
      const std::string mark = "@" + f.key + "@";
      config.replace(config.find(mark), mark.size(), bad);
    }
    std::string rules = kRules;
    for (const Field& f : kRuleFields) {
      const std::string mark = "@" + f.key + "@";
      rules.replace(rules.find(mark), mark.size(),
                    f.key == "deadline_time" ? "99999999999:00" : bad);
    }
    WriteFile(dir / "rules.yml", rules);
    WriteFile(dir / "parkwatch.yml", config + "rule_files: [rules.yml]\n");
    std::string output;
    EXPECT_EQ(RunParkwatch({"check-config", dir / "parkwatch.yml"}, &output), 1) << output;
    for (const Field& f : kConfigFields)
      EXPECT_NE(output.find(f.path + ": "), std::string::npos) << f.path << "\n" << output;
    // The rule file on its own, with a good config: its numbers are reported too.
    WriteFile(dir / "parkwatch.yml",
              Fill(kConfig, kConfigFields, "", "") + "rule_files: [rules.yml]\n");
    EXPECT_EQ(RunParkwatch({"check-config", dir / "parkwatch.yml"}, &output), 1) << output;
    for (const Field& f : kRuleFields)
      EXPECT_NE(output.find(f.path + ": "), std::string::npos) << f.path << "\n" << output;
  }
}

}  // namespace
}  // namespace parkwatch
