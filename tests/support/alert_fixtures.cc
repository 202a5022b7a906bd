#include "tests/support/alert_fixtures.h"

#include <gtest/gtest.h>

#include "alerts/alert_store.h"
#include "config/yaml_reader.h"
#include "core/period.h"
#include "notifiers/receiver_types.h"

namespace parkwatch::testing {

AlertingConfig AlertingFromYaml(const std::string& yaml, const std::string& base_dir) {
  InstallReceiverTypes();
  std::vector<Diagnostic> diagnostics;
  YAML::Node root;
  AlertingConfig config;
  if (ParseYaml(yaml, "alerting.yml", &root, &diagnostics)) {
    YamlReader reader("alerting.yml", &diagnostics);
    ParseAlerting(reader, root, base_dir, &config);
  }
  EXPECT_TRUE(diagnostics.empty()) << JoinDiagnostics(diagnostics);
  return config;
}

std::string FireAlert(Store* store, const std::string& rule, const Labels& labels,
                      const std::string& period, Severity severity, double value) {
  AlertStore alerts(store);
  Observation obs;
  obs.period = Period::Parse(period).value();
  obs.value = value;
  obs.breach = severity;
  obs.annotations = {{"summary", rule + " " + period}, {"threshold", "-10.0%"}};
  alerts.Apply(rule, labels, obs, Timing{}, UnixNow());
  return Fingerprint(rule, labels);
}

void ResolveAlert(Store* store, const std::string& rule, const Labels& labels,
                  const std::string& period, double value) {
  AlertStore alerts(store);
  Observation obs;
  obs.period = Period::Parse(period).value();
  obs.value = value;
  obs.cleared = true;
  alerts.Apply(rule, labels, obs, Timing{}, UnixNow());
}

int64_t CountDeliveries(Store* store, const std::string& where) {
  Statement s(store->db(), "SELECT COUNT(*) FROM deliveries WHERE " + where);
  s.Step();
  return s.Int(0);
}

}  // namespace parkwatch::testing
