// The deployment files, checked where no engine runs them: Grafana dashboards and provisioning
// (structure, datasource, variables, Chinese titles), the compose file and Dockerfile (services,
// mounts, non-root, stages), the systemd unit (systemd-analyze verify), Alertmanager's config
// (amtool) and the deploy parkwatch.yml (parkwatch check-config); and the README's install
// (deploy/install.sh) run into a temporary root, its daemon started as the service's user.
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "core/log_format.h"
#include "core/time_text.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::ReadFile;
using testing::Shell;
using testing::TempDir;
using testing::WriteFile;

const std::string kDeploy = std::string(PARKWATCH_SOURCE_DIR) + "/deploy";

bool OnPath(const std::string& tool) {
  std::string out;
  return Shell("command -v " + tool, &out) == 0;
}

// English words a reader of a dashboard would see: what is left of text after the label and
// variable references ({{name}}, $industry) and the names of products and protocols.
std::string EnglishWords(std::string text) {
  static const std::regex kRefs(R"(\{\{\w+\}\}|\$\{?\w+\}?|parkwatch|Prometheus|HTTP)");
  static const std::regex kWord("[A-Za-z]{2,}");
  text = std::regex_replace(text, kRefs, "");
  std::string words;
  for (std::sregex_iterator it(text.begin(), text.end(), kWord), end; it != end; ++it)
    words += it->str() + " ";
  return words;
}

TEST(Dashboards, AreWellFormedAndImportableWithADatasourceVariable) {
  // Provisioned, the variable takes the default Prometheus datasource: the provisioned one.
  YAML::Node ds = YAML::LoadFile(kDeploy + "/grafana/provisioning/datasources/prometheus.yml");
  EXPECT_TRUE(ds["datasources"][0]["isDefault"].as<bool>());
  EXPECT_EQ(ds["datasources"][0]["type"].as<std::string>(), "prometheus");
  const json kDatasource = {{"type", "prometheus"}, {"uid", "${datasource}"}};
  std::set<std::string> uids;
  std::set<std::string> titles;
  int dashboards = 0;
  for (const auto& entry : fs::directory_iterator(kDeploy + "/grafana/dashboards")) {
    if (entry.path().extension() != ".json") continue;
    ++dashboards;
    std::string name = entry.path().filename().string();
    std::string text = ReadFile(entry.path().string());
    json d = json::parse(text, nullptr, false);
    ASSERT_FALSE(d.is_discarded()) << name;
    EXPECT_TRUE(uids.insert(d["uid"].get<std::string>()).second) << name << ": duplicate uid";
    EXPECT_TRUE(titles.insert(d["title"].get<std::string>()).second) << name;
    EXPECT_EQ(d["timezone"], "Asia/Shanghai") << name;
    EXPECT_FALSE(d.contains("id")) << name << ": an id would clash in another Grafana";
    // Importable into a Grafana whose Prometheus has any uid: no uid is written anywhere, every
    // query names the `datasource` variable, which lists the Prometheus datasources.
    static const std::regex kFixedUid(R"re("uid":\s*"[^"$])re");
    std::smatch fixed;
    std::string without_dashboard_uid =
        std::regex_replace(text, std::regex(R"re(\n  "uid": "parkwatch-[a-z-]+")re"), "");
    EXPECT_FALSE(std::regex_search(without_dashboard_uid, fixed, kFixedUid))
        << name << ": a fixed datasource uid near " << fixed.position();
    ASSERT_FALSE(d["templating"]["list"].empty()) << name;
    const json& source = d["templating"]["list"][0];
    EXPECT_EQ(source["name"], "datasource") << name;
    EXPECT_EQ(source["type"], "datasource") << name;
    EXPECT_EQ(source["query"], "prometheus") << name;
    // What a reader sees is in Chinese.
    EXPECT_EQ(EnglishWords(d["title"]), "") << name << ": " << d["title"];
    EXPECT_EQ(EnglishWords(d["description"]), "") << name;
    std::set<std::string> vars = {"__rate_interval", "__interval", "__range"};
    for (const auto& v : d["templating"]["list"]) {
      vars.insert(v["name"].get<std::string>());
      EXPECT_EQ(EnglishWords(v["label"]), "") << name << ": " << v["label"];
      if (v["type"] == "query") {
        EXPECT_EQ(v["datasource"], kDatasource) << name;
      }
    }
    std::set<int> ids;
    ASSERT_FALSE(d["panels"].empty()) << name;
    for (const auto& p : d["panels"]) {
      std::string title = p["title"];
      EXPECT_EQ(EnglishWords(title), "") << name << " / " << title;
      EXPECT_EQ(EnglishWords(p.value("description", "")), "") << name << " / " << title;
      EXPECT_TRUE(ids.insert(p["id"].get<int>()).second) << name << ": duplicate panel id";
      EXPECT_EQ(p["datasource"], kDatasource) << name << " / " << title;
      for (const char* k : {"x", "y", "w", "h"}) EXPECT_TRUE(p["gridPos"].contains(k)) << title;
      EXPECT_LE(p["gridPos"]["x"].get<int>() + p["gridPos"]["w"].get<int>(), 24) << title;
      const json transformations = p.value("transformations", json::array());
      for (const auto& t : transformations) {
        const json renames = t["options"].value("renameByName", json::object());
        for (const auto& [from, to] : renames.items())
          EXPECT_EQ(EnglishWords(to), "") << name << " / " << title << ": " << from;
      }
      ASSERT_FALSE(p["targets"].empty()) << name << " / " << title;
      for (const auto& t : p["targets"]) {
        std::string expr = t["expr"];
        EXPECT_EQ(t["datasource"], kDatasource) << title;
        EXPECT_EQ(EnglishWords(t.value("legendFormat", "")), "") << title;
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
        // Value-added growth says its price basis: the alerts' choice (comparable where the
        // series exists, else current) and 可比价/现价 in the legend.
        static const std::regex kValueAddedGrowth(R"(value_added_(yoy|ytd)_ratio)");
        if (std::regex_search(expr, kValueAddedGrowth)) {
          EXPECT_NE(expr.find("prices=\"comparable\""), std::string::npos)
              << name << " / " << title << ": " << expr;
          EXPECT_NE(expr.find("prices=\"current\""), std::string::npos)
              << name << " / " << title << ": " << expr;
          EXPECT_NE(t.value("legendFormat", "").find("{{price_basis}}"), std::string::npos)
              << name << " / " << title;
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

TEST(Dashboards, TheAlertTableNamesEnterprisesAndShowsTheirValues) {
  json d = json::parse(ReadFile(kDeploy + "/grafana/dashboards/alerts.json"));
  const json* table = nullptr;
  for (const auto& p : d["panels"])
    if (p["type"] == "table") table = &p;
  ASSERT_NE(table, nullptr);
  std::string exprs;
  for (const auto& t : (*table)["targets"]) exprs += t["expr"].get<std::string>() + "\n";
  // The name from the info series, the value from the alert's own value series.
  EXPECT_NE(exprs.find("group_left (name)"), std::string::npos) << exprs;
  EXPECT_NE(exprs.find("parkwatch_enterprise_info"), std::string::npos) << exprs;
  EXPECT_NE(exprs.find("parkwatch_alert_value"), std::string::npos) << exprs;
  json renames = (*table)["transformations"][1]["options"]["renameByName"];
  EXPECT_EQ(renames["name"], "企业名称");
  EXPECT_EQ(renames["Value #B"], "数值");
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

TEST(PrometheusRules, AnnotationsNameTheEnterpriseInChinese) {
  if (!OnPath("promtool")) GTEST_SKIP() << "promtool not installed (Debian: prometheus)";
  std::string out;
  EXPECT_EQ(
      Shell("cd " + kDeploy + "/prometheus && promtool test rules parkwatch-rules.test.yml", &out),
      0)
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

TEST(Logs, TimestampsCarryTheParkZonesOffset) {
  // 2026-11-30 07:04:05.123 UTC: afternoon in the park, the evening before in New York.
  const int64_t at = 1796022245123;
  EXPECT_EQ(LogTimestamp(at, *UtcOffsetMinutes("Asia/Shanghai")), "2026-11-30T15:04:05.123+08:00");
  EXPECT_EQ(LogTimestamp(at, 0), "2026-11-30T07:04:05.123+00:00");
  EXPECT_EQ(LogTimestamp(at, -330), "2026-11-30T01:34:05.123-05:30");
  EXPECT_EQ(LogTimestamp(at - 8 * 3600 * 1000, -300), "2026-11-29T18:04:05.123-05:00");
}

struct FileMode {
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};
FileMode ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {static_cast<mode_t>(-1), 0, 0};
  return {static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid};
}

TEST(Secrets, WritesRandomPrivateTokensAndNeverReplacesOneUnlessForced) {
  TempDir dir;
  std::string secrets = dir / "etc/secrets";
  std::string out;
  ASSERT_EQ(testing::RunParkwatch({"secrets", "--dir=" + secrets}, &out), 0) << out;
  EXPECT_EQ(ModeOf(secrets).mode, 0750u);
  std::map<std::string, std::string> tokens;
  for (const char* name : {"ingest", "admin"}) {
    std::string path = secrets + "/" + name;
    EXPECT_EQ(ModeOf(path).mode, 0640u) << path;
    tokens[name] = ReadFile(path);
    EXPECT_TRUE(std::regex_match(tokens[name], std::regex("[0-9a-f]{64}\n"))) << tokens[name];
    EXPECT_NE(out.find("wrote " + path), std::string::npos) << out;
  }
  EXPECT_NE(tokens["ingest"], tokens["admin"]);
  // Again (an upgrade, a second install): the clients' tokens stay.
  ASSERT_EQ(testing::RunParkwatch({"secrets", "--dir=" + secrets}, &out), 0) << out;
  for (const auto& [name, token] : tokens) EXPECT_EQ(ReadFile(secrets + "/" + name), token);
  EXPECT_NE(out.find("kept"), std::string::npos) << out;
  // --force rotates them.
  ASSERT_EQ(testing::RunParkwatch({"secrets", "--dir=" + secrets, "--force"}, &out), 0) << out;
  for (const auto& [name, token] : tokens) {
    EXPECT_NE(ReadFile(secrets + "/" + name), token) << name;
    EXPECT_EQ(ModeOf(secrets + "/" + name).mode, 0640u) << name;
  }
  EXPECT_EQ(out.find("kept"), std::string::npos) << out;
}

// README.md "Deploy": `deploy/install.sh` as written, into a temporary root (ROOT=), with a
// service user of its own that the test removes. Then everything the unit would do, by hand:
// the daemon started as that user (setpriv, as User=/Group= do) in its state directory, which
// must read its configuration, rules and both tokens, write its store, and log in park time.
class InstallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "install.sh creates a system user: root only";
    if (!OnPath("setpriv") || !OnPath("useradd")) GTEST_SKIP() << "setpriv or useradd missing";
    user_ = "pwtest" + std::to_string(::getpid());
    ASSERT_EQ(::chmod(root_.path().c_str(), 0755), 0);  // as / is: every user may traverse it
  }
  void TearDown() override {
    std::string out;
    if (!user_.empty()) Shell("userdel " + user_ + "; groupdel " + user_ + " 2>/dev/null", &out);
  }
  int Install(std::string* out) {
    return Shell("ROOT=" + root_.path() + " PARKWATCH_BIN=" + PARKWATCH_BIN +
                     " PARKWATCH_USER=" + user_ + " " + PARKWATCH_SOURCE_DIR + "/deploy/install.sh",
                 out);
  }
  // `parkwatch ARGS` as user:group with no other groups, the way the unit runs it.
  int As(const std::string& user, const std::string& group, const std::string& args,
         std::string* out) {
    return Shell("setpriv --reuid=" + user + " --regid=" + group + " --clear-groups " +
                     root_ / "usr/local/bin/parkwatch" + " " + args,
                 out);
  }

  TempDir root_;
  std::string user_;
};

TEST_F(InstallTest, TheServiceUserRunsWhatTheReadmeInstalls) {
  std::string out;
  ASSERT_EQ(Install(&out), 0) << out;
  group* g = ::getgrnam(user_.c_str());
  ASSERT_NE(g, nullptr) << "install.sh made no group " << user_;
  const gid_t gid = g->gr_gid;
  std::string config = root_ / "etc/parkwatch/parkwatch.yml";
  std::string secrets = root_ / "etc/parkwatch/secrets";

  // Root's files, the service's group reads them, nobody else does.
  for (const auto& [path, mode] : std::vector<std::pair<std::string, mode_t>>{
           {config, 0640},
           {secrets, 0750},
           {secrets + "/ingest", 0640},
           {secrets + "/admin", 0640},
           {root_ / "etc/parkwatch/rules", 0750},
           {root_ / "etc/parkwatch/rules/default.yml", 0640}}) {
    FileMode m = ModeOf(path);
    EXPECT_EQ(m.mode, mode) << path;
    EXPECT_EQ(m.uid, 0u) << path;
    EXPECT_EQ(m.gid, gid) << path;
  }
  std::string ingest_token = ReadFile(secrets + "/ingest");
  std::string admin_token = ReadFile(secrets + "/admin");
  ASSERT_EQ(ingest_token.size(), 65u);
  ASSERT_EQ(admin_token.size(), 65u);
  ingest_token.pop_back();
  admin_token.pop_back();
  EXPECT_EQ(ModeOf(root_ / "var/lib/parkwatch").gid, gid);
  std::string unit = ReadFile(root_ / "etc/systemd/system/parkwatch.service");
  EXPECT_NE(unit.find("\nUser=" + user_ + "\nGroup=" + user_ + "\n"), std::string::npos) << unit;
  EXPECT_NE(unit.find("\nExecReload=/bin/kill -HUP $MAINPID\n"), std::string::npos) << unit;

  // Another local user reads neither the configuration nor a token.
  EXPECT_NE(As("nobody", "nogroup", "check-config " + config, &out), 0) << out;
  EXPECT_NE(out.find("cannot read file: Permission denied"), std::string::npos) << out;
  EXPECT_NE(Shell("setpriv --reuid=nobody --regid=nogroup --clear-groups cat " + secrets + "/admin",
                  &out),
            0);
  // The service user reads all of it.
  ASSERT_EQ(As(user_, user_, "check-config " + config, &out), 0) << out;
  EXPECT_NE(out.find(": OK ("), std::string::npos) << out;

  // Installed again (an upgrade): the tokens the clients hold and an edited config stay.
  WriteFile(config, ReadFile(config) + "# edited\n");
  ASSERT_EQ(Install(&out), 0) << out;
  EXPECT_EQ(ReadFile(secrets + "/ingest"), ingest_token + "\n");
  EXPECT_EQ(ReadFile(secrets + "/admin"), admin_token + "\n");
  EXPECT_NE(ReadFile(config).find("# edited"), std::string::npos);

  // Served as the unit serves it, on a host whose clock is UTC: the times are the park's.
  ::setenv("TZ", "UTC", 1);
  DaemonProcess daemon(config, root_ / "serve.log");
  daemon.UseCommand({"setpriv", "--reuid=" + user_, "--regid=" + user_, "--clear-groups",
                     root_ / "usr/local/bin/parkwatch"},
                    root_ / "var/lib/parkwatch");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  ::unsetenv("TZ");
  // Both tokens were read: ingest writes the store, the admin token reloads.
  std::string csv = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元)\n" +
                    testing::TestCreditCode(7) + ",甲,医药化工,是,2026-W40,12.5\n";
  EXPECT_EQ(Http("POST", daemon.url("/api/v1/ingest"), csv, {"Authorization: Bearer nope"}).status,
            403);
  auto ingested = Http("POST", daemon.url("/api/v1/ingest"), csv,
                       {"Authorization: Bearer " + ingest_token, "Content-Type: text/csv"});
  EXPECT_EQ(ingested.status, 200) << ingested.body;
  auto reloaded =
      Http("POST", daemon.url("/-/reload"), "", {"Authorization: Bearer " + admin_token});
  EXPECT_EQ(reloaded.status, 200) << reloaded.body;
  FileMode store = ModeOf(root_ / "var/lib/parkwatch/parkwatch.db");
  EXPECT_EQ(store.mode, 0640u);
  EXPECT_EQ(store.gid, gid);
  EXPECT_EQ(daemon.Stop(), 0) << daemon.Log();
  std::string log = daemon.Log();
  std::string serving;
  std::istringstream lines(log);
  while (std::getline(lines, serving) && serving.find("parkwatch serving") == std::string::npos) {
  }
  EXPECT_TRUE(std::regex_match(
      serving,
      std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00 info parkwatch serving .*)")))
      << log;
  EXPECT_NE(log.find("+08:00 info config reloaded"), std::string::npos) << log;
}

}  // namespace
}  // namespace parkwatch
