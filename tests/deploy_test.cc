// The deployment files, checked where no engine runs them: Grafana dashboards and provisioning
// (structure, datasource, variables), the compose file and Dockerfile (services, mounts,
// non-root, stages), the systemd unit (systemd-analyze verify), Alertmanager's config (amtool)
// and the deploy parkwatch.yml (parkwatch check-config).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ReadFile;
using testing::Shell;
using testing::TempDir;
using testing::WriteFile;

const std::string kDeploy = std::string(PARKWATCH_SOURCE_DIR) + "/deploy";

bool OnPath(const std::string& tool) {
  std::string out;
  return Shell("command -v " + tool, &out) == 0;
}

TEST(Dashboards, AreWellFormedAndUseTheProvisionedDatasource) {
  YAML::Node ds = YAML::LoadFile(kDeploy + "/grafana/provisioning/datasources/prometheus.yml");
  std::string uid = ds["datasources"][0]["uid"].as<std::string>();
  std::set<std::string> uids;
  std::set<std::string> titles;
  int dashboards = 0;
  for (const auto& entry : fs::directory_iterator(kDeploy + "/grafana/dashboards")) {
    if (entry.path().extension() != ".json") continue;
    ++dashboards;
    std::string name = entry.path().filename().string();
    json d = json::parse(ReadFile(entry.path().string()), nullptr, false);
    ASSERT_FALSE(d.is_discarded()) << name;
    EXPECT_TRUE(uids.insert(d["uid"].get<std::string>()).second) << name << ": duplicate uid";
    EXPECT_TRUE(titles.insert(d["title"].get<std::string>()).second) << name;
    EXPECT_EQ(d["timezone"], "Asia/Shanghai") << name;
    std::set<std::string> vars = {"__rate_interval", "__interval", "__range"};
    for (const auto& v : d["templating"]["list"]) vars.insert(v["name"].get<std::string>());
    std::set<int> ids;
    ASSERT_FALSE(d["panels"].empty()) << name;
    for (const auto& p : d["panels"]) {
      std::string title = p["title"];
      EXPECT_TRUE(ids.insert(p["id"].get<int>()).second) << name << ": duplicate panel id";
      EXPECT_EQ(p["datasource"]["uid"], uid) << name << " / " << title;
      for (const char* k : {"x", "y", "w", "h"}) EXPECT_TRUE(p["gridPos"].contains(k)) << title;
      EXPECT_LE(p["gridPos"]["x"].get<int>() + p["gridPos"]["w"].get<int>(), 24) << title;
      ASSERT_FALSE(p["targets"].empty()) << name << " / " << title;
      for (const auto& t : p["targets"]) {
        std::string expr = t["expr"];
        EXPECT_EQ(t["datasource"]["uid"], uid) << title;
        // Every $variable a query uses is defined by the dashboard or built into Grafana.
        static const std::regex kVar(R"(\$\{?(\w+))");
        for (std::sregex_iterator it(expr.begin(), expr.end(), kVar), end; it != end; ++it)
          EXPECT_TRUE(vars.count((*it)[1].str())) << name << " / " << title << ": " << expr;
        // Figure series have no period label (live and backfilled are one series): nothing to
        // aggregate away, and a period label comes from the period info series.
        EXPECT_EQ(expr.find("without (period)"), std::string::npos)
            << name << " / " << title << ": " << expr;
        if (t.value("legendFormat", "").find("{{period}}") != std::string::npos) {
          EXPECT_NE(expr.find("parkwatch_figures_period_info"), std::string::npos)
              << name << " / " << title << ": " << expr;
        }
      }
    }
  }
  EXPECT_EQ(dashboards, 5);
  // The variables the brief asks for: industry and enterprise on the drill-downs.
  json industry = json::parse(ReadFile(kDeploy + "/grafana/dashboards/industry-drilldown.json"));
  std::set<std::string> names;
  for (const auto& v : industry["templating"]["list"]) names.insert(v["name"]);
  EXPECT_TRUE(names.count("industry") && names.count("enterprise"));
}

TEST(Compose, WiresTheFourServicesWithProvisioning) {
  YAML::Node compose = YAML::LoadFile(kDeploy + "/docker-compose.yml");
  YAML::Node services = compose["services"];
  for (const char* s : {"parkwatch", "prometheus", "alertmanager", "grafana"})
    ASSERT_TRUE(services[s]) << s;
  auto mounts = [&](const char* service) {
    std::map<std::string, std::string> out;  // container path -> host path
    for (const auto& v : services[service]["volumes"]) {
      std::string spec = v.as<std::string>();
      auto colon = spec.find(':');
      auto second = spec.find(':', colon + 1);
      out[spec.substr(colon + 1,
                      second == std::string::npos ? std::string::npos : second - colon - 1)] =
          spec.substr(0, colon);
    }
    return out;
  };
  // Host paths of bind mounts exist, relative to the compose file.
  for (const char* s : {"parkwatch", "prometheus", "alertmanager", "grafana"})
    for (const auto& [inside, host] : mounts(s))
      if (host.rfind("./", 0) == 0 && host != "./secrets") {
        EXPECT_TRUE(fs::exists(kDeploy + "/" + host.substr(2))) << s << ": " << host;
      }
  auto grafana = mounts("grafana");
  EXPECT_EQ(grafana["/etc/grafana/provisioning"], "./grafana/provisioning");
  YAML::Node provider =
      YAML::LoadFile(kDeploy + "/grafana/provisioning/dashboards/parkwatch.yml")["providers"][0];
  EXPECT_EQ(grafana[provider["options"]["path"].as<std::string>()], "./grafana/dashboards");
  EXPECT_EQ(mounts("prometheus")["/etc/prometheus"], "./prometheus");
  // The Prometheus URL the datasource names is the compose service.
  YAML::Node ds = YAML::LoadFile(kDeploy + "/grafana/provisioning/datasources/prometheus.yml");
  EXPECT_EQ(ds["datasources"][0]["url"].as<std::string>(), "http://prometheus:9090");
  bool retention = false;
  for (const auto& arg : services["prometheus"]["command"])
    retention |= arg.as<std::string>().rfind("--storage.tsdb.retention.time=", 0) == 0;
  EXPECT_TRUE(retention) << "backfilled history needs a long retention";
  // The scrape target is the parkwatch service on the port the image exposes.
  YAML::Node prom = YAML::LoadFile(kDeploy + "/prometheus/prometheus.yml");
  EXPECT_EQ(prom["scrape_configs"][0]["static_configs"][0]["targets"][0].as<std::string>(),
            "parkwatch:9780");
  std::string dockerfile = services["parkwatch"]["build"]["dockerfile"].as<std::string>();
  EXPECT_TRUE(fs::exists(kDeploy + "/" +
                         services["parkwatch"]["build"]["context"].as<std::string>() + "/" +
                         dockerfile));
}

TEST(Dockerfile, IsMultiStageOnDebian12AndRunsAsNonRoot) {
  std::string text = ReadFile(kDeploy + "/Dockerfile");
  std::vector<std::string> from, user;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("FROM ", 0) == 0) from.push_back(line);
    if (line.rfind("USER ", 0) == 0) user.push_back(line.substr(5));
  }
  ASSERT_EQ(from.size(), 2u);
  for (const auto& f : from) EXPECT_NE(f.find("debian:12"), std::string::npos) << f;
  EXPECT_NE(text.find("COPY --from=build"), std::string::npos);
  ASSERT_EQ(user.size(), 1u);
  EXPECT_NE(user[0].substr(0, 4), "root");
  EXPECT_NE(user[0].substr(0, 1), "0");
  EXPECT_NE(text.find("EXPOSE 9780"), std::string::npos);
  EXPECT_NE(text.find("--web.listen-address=0.0.0.0:9780"), std::string::npos);
  // Files the image copies exist.
  for (const char* path : {"parkwatch.yml", "rules"})
    EXPECT_TRUE(fs::exists(kDeploy + "/" + path)) << path;
}

TEST(Systemd, UnitVerifies) {
  if (!OnPath("systemd-analyze")) GTEST_SKIP() << "systemd-analyze not installed";
  std::string unit = ReadFile(kDeploy + "/systemd/parkwatch.service");
  for (const char* line : {"ProtectSystem=strict", "StateDirectory=parkwatch", "Type=simple",
                           "ExecReload=/bin/kill -HUP $MAINPID", "User=parkwatch"})
    EXPECT_NE(unit.find(line), std::string::npos) << line;
  // verify wants ExecStart's binary to exist: point it at the one just built.
  TempDir dir;
  unit = std::regex_replace(unit, std::regex("/usr/local/bin/parkwatch"), PARKWATCH_BIN);
  WriteFile(dir / "parkwatch.service", unit);
  std::string out;
  EXPECT_EQ(Shell("systemd-analyze verify " + (dir / "parkwatch.service"), &out), 0) << out;
  EXPECT_EQ(out.find("parkwatch.service"), std::string::npos) << out;  // no warnings about it
}

TEST(Alertmanager, ConfigChecks) {
  if (!OnPath("amtool")) GTEST_SKIP() << "amtool not installed";
  std::string out;
  EXPECT_EQ(Shell("amtool check-config " + kDeploy + "/alertmanager/alertmanager.yml", &out), 0)
      << out;
}

TEST(DeployConfig, PassesCheckConfig) {
  // The deployed paths, moved under a temp dir with the token files in place.
  TempDir dir;
  std::string text = ReadFile(kDeploy + "/parkwatch.yml");
  text = std::regex_replace(text, std::regex("/etc/parkwatch/rules"), kDeploy + "/rules");
  text = std::regex_replace(text, std::regex("/etc/parkwatch"), dir.path());
  text = std::regex_replace(text, std::regex("/var/lib/parkwatch"), dir.path());
  WriteFile(dir / "secrets/ingest", "ingest-token\n");
  WriteFile(dir / "secrets/admin", "admin-token\n");
  WriteFile(dir / "parkwatch.yml", text);
  std::string out;
  EXPECT_EQ(testing::RunParkwatch({"check-config", dir / "parkwatch.yml"}, &out), 0) << out;
}

}  // namespace
}  // namespace parkwatch
