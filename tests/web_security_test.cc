// The listener's security in the style of Prometheus's web config (config/web_config.h,
// web/tls_context.h, daemon/auth.h): the file's checks, bcrypt basic authentication, and the
// real daemon serving HTTPS with certificates made by the openssl command line — client
// certificates, protocol versions, certificate rotation on reload, and a real Prometheus
// scraping it over TLS with basic auth.
#include <gtest/gtest.h>
#include <signal.h>

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "config/config.h"
#include "config/web_config.h"
#include "core/base64.h"
#include "daemon/auth.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/https_client.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::DaemonProcess;
using testing::Https;
using testing::ReadFile;
using testing::TempDir;
using testing::TlsClientOptions;
using testing::WaitFor;
using testing::WriteFile;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- the web config file ----

// The diagnostics of a web config text that must be rejected.
std::string RejectionOf(const std::string& text) {
  WebSecurityConfig web;
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(ParseWebConfig(text, "web.yml", &web, &diagnostics)) << text;
  return JoinDiagnostics(diagnostics);
}

TEST(WebConfigTest, ReadsAPrometheusWebConfigThatPromtoolAccepts) {
  TempDir dir;
  testing::MakeCa(dir.path(), "ca");
  testing::MakeCertificate(dir.path(), "server", "ca", "parkwatch-one");
  std::string hash = HashPassword("s3cret");
  ASSERT_TRUE(IsBcryptHash(hash)) << hash;
  std::string file = WriteFile(dir / "web.yml",
                               "tls_server_config:\n"
                               "  cert_file: server.crt\n"
                               "  key_file: server.key\n"
                               "  client_ca_file: ca.crt\n"
                               "  client_auth_type: VerifyClientCertIfGiven\n"
                               "  min_version: TLS13\n"
                               "basic_auth_users:\n"
                               "  prometheus: " +
                                   hash +
                                   "\n"
                                   "http_server_config:\n"
                                   "  http2: true\n"
                                   "  headers:\n"
                                   "    X-Frame-Options: deny\n");
  WebSecurityConfig web;
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(LoadWebConfigFile(file, &web, &diagnostics)) << JoinDiagnostics(diagnostics);
  ASSERT_TRUE(web.tls);
  // Relative paths resolve against the web config file, as in Prometheus.
  EXPECT_EQ(web.tls->cert_file, dir / "server.crt");
  EXPECT_EQ(web.tls->client_ca_file, dir / "ca.crt");
  EXPECT_EQ(web.tls->client_auth_type, "VerifyClientCertIfGiven");
  EXPECT_EQ(web.tls->min_version, "TLS13");
  EXPECT_EQ(web.basic_auth_users.at("prometheus"), hash);
  ASSERT_EQ(web.headers.size(), 1u);
  EXPECT_EQ(web.headers[0].first, "X-Frame-Options");

  // The same file is valid for Prometheus's own checker.
  std::string out;
  EXPECT_EQ(testing::Shell("promtool check web-config " + file, &out), 0) << out;
}

TEST(WebConfigTest, TheDeployExampleIsValidForParkwatchAndPromtool) {
  TempDir dir;
  fs::create_directories(dir / "tls");
  testing::MakeCa(dir / "tls", "ca");
  testing::MakeCertificate(dir / "tls", "parkwatch", "ca", "parkwatch");
  fs::copy_file(std::string(PARKWATCH_SOURCE_DIR) + "/deploy/web.yml", dir / "web.yml");
  WebSecurityConfig web;
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(LoadWebConfigFile(dir / "web.yml", &web, &diagnostics))
      << JoinDiagnostics(diagnostics);
  // The documented password opens it, so the comment saying so is true.
  EXPECT_TRUE(BasicAuth(web.basic_auth_users).Verify("prometheus", "change-me"));
  std::string out;
  EXPECT_EQ(testing::Shell("promtool check web-config " + (dir / "web.yml"), &out), 0) << out;
}

TEST(WebConfigTest, EveryMistakeIsReportedWithFileLineAndField) {
  std::vector<Diagnostic> diagnostics;
  WebSecurityConfig web;
  EXPECT_FALSE(
      ParseWebConfig("tls_server_config:\n"
                     "  cert_file: a.crt\n"
                     "  client_auth_type: RequireClientCert\n"
                     "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"
                     "  min_version: TLS13\n"
                     "  max_version: TLS12\n"
                     "basic_auth_users:\n"
                     "  alice: hunter2\n"
                     "http_server_config:\n"
                     "  headers:\n"
                     "    Content-Type: text/html\n"
                     "bogus: 1\n",
                     "/etc/parkwatch/web.yml", &web, &diagnostics));
  std::string text = JoinDiagnostics(diagnostics);
  EXPECT_TRUE(Contains(text, "/etc/parkwatch/web.yml:2:3: tls_server_config.key_file: required"))
      << text;
  EXPECT_TRUE(Contains(text, "web.yml:3:21: tls_server_config.client_auth_type:")) << text;
  EXPECT_TRUE(Contains(text, "web.yml:4:18: tls_server_config.cipher_suites: not supported"))
      << text;
  EXPECT_TRUE(Contains(text, "web.yml:6:16: tls_server_config.max_version: older than")) << text;
  EXPECT_TRUE(Contains(text, "web.yml:8:10: basic_auth_users.alice: not a bcrypt hash")) << text;
  EXPECT_FALSE(Contains(text, "hunter2")) << "a password typed in by mistake must not be echoed";
  EXPECT_TRUE(
      Contains(text, "web.yml:11:5: http_server_config.headers.Content-Type: cannot be set"))
      << text;
  EXPECT_TRUE(Contains(text, "web.yml:12:1: bogus")) << text;

  const std::string tls = "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n";
  EXPECT_TRUE(Contains(RejectionOf(tls + "  client_auth_type: VerifyClientCertIfGiven\n"),
                       "tls_server_config.client_ca_file: required with client_auth_type "
                       "VerifyClientCertIfGiven"));
  // A CA without a policy is ambiguous (promtool check web-config refuses it too).
  EXPECT_TRUE(Contains(RejectionOf(tls + "  client_ca_file: ca.crt\n"),
                       "tls_server_config.client_auth_type: required with client_ca_file"));
}

TEST(WebConfigTest, ParkwatchConfigNamesTheWebConfigFileAndItsErrorsKeepTheirOwnFile) {
  TempDir dir;
  WriteFile(dir / "web.yml", "basic_auth_users:\n  alice: plain\n");
  WriteFile(dir / "parkwatch.yml", "web:\n  config_file: web.yml\n");
  Config config;
  std::vector<Diagnostic> diagnostics;
  EXPECT_FALSE(LoadConfig(dir / "parkwatch.yml", &config, &diagnostics));
  EXPECT_TRUE(Contains(JoinDiagnostics(diagnostics), dir / "web.yml:2:10: basic_auth_users.alice"))
      << JoinDiagnostics(diagnostics);

  WriteFile(dir / "parkwatch.yml", "web:\n  config_file: missing.yml\n");
  diagnostics.clear();
  EXPECT_FALSE(LoadConfig(dir / "parkwatch.yml", &config, &diagnostics));
  EXPECT_TRUE(Contains(JoinDiagnostics(diagnostics), dir / "missing.yml: cannot read"))
      << JoinDiagnostics(diagnostics);
}

// ---- basic authentication ----

TEST(BasicAuthTest, VerifiesBcryptHashesAndRemembersOnlySuccess) {
  BasicAuth auth({{"alice", HashPassword("wonder land")}, {"bob", HashPassword("builder")}});
  EXPECT_FALSE(auth.Remembered("alice", "wonder land"));
  EXPECT_TRUE(auth.Verify("alice", "wonder land"));
  EXPECT_TRUE(auth.Remembered("alice", "wonder land"));
  EXPECT_FALSE(auth.Verify("alice", "builder"));  // another user's password
  EXPECT_FALSE(auth.Verify("alice", "wonder lan"));
  EXPECT_FALSE(auth.Remembered("alice", "wonder lan"));
  EXPECT_FALSE(auth.Verify("carol", "wonder land"));    // no such user
  EXPECT_FALSE(auth.Verify("parkwatch", "parkwatch"));  // the decoy hash admits nobody
  EXPECT_TRUE(auth.Verify("bob", "builder"));
  // Two hashes of one password differ (random salt) and both verify.
  std::string a = HashPassword("same"), b = HashPassword("same");
  EXPECT_NE(a, b);
  EXPECT_TRUE(BasicAuth({{"u", a}}).Verify("u", "same"));
  EXPECT_TRUE(BasicAuth({{"u", b}}).Verify("u", "same"));
}

TEST(BasicAuthTest, ParsesTheAuthorizationHeader) {
  std::string user, password;
  ASSERT_TRUE(ParseBasicAuthorization("Basic " + Base64("alice:pa:ss"), &user, &password));
  EXPECT_EQ(user, "alice");
  EXPECT_EQ(password, "pa:ss");  // only the first ':' separates (RFC 7617)
  ASSERT_TRUE(ParseBasicAuthorization("basic " + Base64("张三:密码"), &user, &password));
  EXPECT_EQ(user, "张三");
  EXPECT_EQ(password, "密码");
  EXPECT_FALSE(ParseBasicAuthorization("", &user, &password));
  EXPECT_FALSE(ParseBasicAuthorization("Bearer " + Base64("alice:x"), &user, &password));
  EXPECT_FALSE(ParseBasicAuthorization("Basic " + Base64("no-colon"), &user, &password));
  EXPECT_FALSE(ParseBasicAuthorization("Basic !!!!", &user, &password));
  EXPECT_FALSE(ParseBasicAuthorization("Basic YWJj=", &user, &password));  // bad padding
}

TEST(Base64Test, DecodesWhatItEncodes) {
  for (std::string bytes : {"", "a", "ab", "abc", "abcd", "abcde", "\xff\x00\x10"}) {
    auto decoded = Base64Decode(Base64(bytes));
    ASSERT_TRUE(decoded) << bytes;
    EXPECT_EQ(*decoded, bytes);
  }
  EXPECT_FALSE(Base64Decode("YQ"));     // unpadded
  EXPECT_FALSE(Base64Decode("Y=Q="));   // padding inside
  EXPECT_FALSE(Base64Decode("YW Jj"));  // whitespace
}

// ---- the daemon over HTTPS ----

const std::string kCsv = "统一社会信用代码,企业名称,行业,报告期,工业总产值(万元)\n" +
                         testing::TestCreditCode(3) + ",甲,装备制造,2024-03,100\n";

class HttpsDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::MakeCa(dir_.path(), "ca");
    testing::MakeCertificate(dir_.path(), "one", "ca", "parkwatch-one");
    testing::MakeCertificate(dir_.path(), "two", "ca", "parkwatch-two");
    testing::MakeCertificate(dir_.path(), "client", "ca", "scraper");
    testing::MakeCa(dir_.path(), "rogue");
    testing::MakeCertificate(dir_.path(), "intruder", "rogue", "scraper");
    fs::copy_file(dir_ / "one.crt", dir_ / "server.crt");
    fs::copy_file(dir_ / "one.key", dir_ / "server.key");
    hash_ = HashPassword("s3cret");
    WriteFile(dir_ / "parkwatch.yml",
              "storage: {path: pw.db}\n"
              "web: {config_file: web.yml, ingest_token: in-token, admin_token: admin-token}\n"
              "collectors: [{name: push, type: http}]\n");
  }

  // Writes web.yml (TLS with server.crt/key plus tls_extra lines) and starts the daemon.
  void Start(const std::string& tls_extra = "", bool users = true) {
    WriteFile(dir_ / "web.yml",
              "tls_server_config:\n"
              "  cert_file: server.crt\n"
              "  key_file: server.key\n" +
                  tls_extra + (users ? "basic_auth_users:\n  prometheus: " + hash_ + "\n" : "") +
                  "http_server_config:\n  headers:\n"
                  "    Strict-Transport-Security: max-age=31536000\n");
    daemon_.UseHttps([this](const std::string& url) { return Https("GET", url, Client()).status; });
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  TlsClientOptions Client(const std::string& password = "s3cret") const {
    TlsClientOptions o;
    o.ca_file = dir_ / "ca.crt";
    o.user = "prometheus";
    o.password = password;
    if (with_client_cert_) {
      o.cert_file = dir_ / "client.crt";
      o.key_file = dir_ / "client.key";
    }
    return o;
  }

  TempDir dir_;
  std::string hash_;
  bool with_client_cert_ = false;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(HttpsDaemonTest, EveryRequestNeedsAUserUnlessItCarriesTheEndpointsToken) {
  Start();
  auto ok = Https("GET", daemon_.url("/metrics"), Client());
  ASSERT_EQ(ok.status, 200) << ok.error << ok.body;
  EXPECT_TRUE(Contains(ok.body, "parkwatch_build_info"));
  // The certificate's notAfter (made valid for 2 days), so Prometheus can warn before it ends.
  const std::string expiry = "parkwatch_tls_certificate_expiry_timestamp_seconds ";
  size_t at = ok.body.find("\n" + expiry);
  ASSERT_NE(at, std::string::npos) << ok.body;
  double not_after = std::stod(ok.body.substr(at + 1 + expiry.size()));
  double now = static_cast<double>(std::time(nullptr));
  EXPECT_GT(not_after, now + 86400);
  EXPECT_LT(not_after, now + 3 * 86400);
  EXPECT_EQ(ok.Header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_TRUE(Contains(ok.peer_subject, "parkwatch-one")) << ok.peer_subject;

  TlsClientOptions anonymous = Client();
  anonymous.user.clear();
  auto r = Https("GET", daemon_.url("/metrics"), anonymous);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(Contains(r.Header("WWW-Authenticate"), "Basic realm=\"parkwatch\""));
  EXPECT_EQ(r.Header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(Https("GET", daemon_.url("/-/healthy"), Client("S3cret")).status, 401);
  EXPECT_EQ(Https("GET", daemon_.url("/api/v1/alerts"), anonymous).status, 401);
  // A bearer token opens only the endpoints that take one.
  EXPECT_EQ(Https("GET", daemon_.url("/metrics"), anonymous, "", {"Authorization: Bearer in-token"})
                .status,
            401);
  auto pushed = Https("POST", daemon_.url("/api/v1/ingest"), anonymous, kCsv,
                      {"Authorization: Bearer in-token", "Content-Type: text/csv"});
  ASSERT_EQ(pushed.status, 200) << pushed.body;
  EXPECT_EQ(json::parse(pushed.body)["data"]["status"], "committed");
  EXPECT_EQ(
      Https("POST", daemon_.url("/api/v1/ingest"), anonymous, kCsv, {"Authorization: Bearer wrong"})
          .status,
      403);
  auto listed = Https("GET", daemon_.url("/api/v1/enterprises"), Client());
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(json::parse(listed.body)["data"].size(), 1u);

  // Plain HTTP to the TLS port gets a readable refusal.
  auto plain = testing::Http("GET", "http://127.0.0.1:" + std::to_string(daemon_.port()) + "/");
  EXPECT_EQ(plain.status, 400);
  EXPECT_TRUE(Contains(plain.body, "HTTP request to an HTTPS server")) << plain.body;
}

TEST_F(HttpsDaemonTest, AFloodOfWrongPasswordsIsBoundedAndKnownUsersStillGetIn) {
  Start();
  ASSERT_EQ(Https("GET", daemon_.url("/-/healthy"), Client()).status, 200);  // now remembered
  // More wrong passwords at once than the bcrypt queue takes: the surplus is refused at once
  // (429) instead of queueing with its request.
  std::vector<std::thread> flood;
  std::vector<int> statuses(64);
  for (size_t i = 0; i < statuses.size(); ++i)
    flood.emplace_back([&, i] {
      statuses[i] =
          Https("GET", daemon_.url("/metrics"), Client("guess" + std::to_string(i))).status;
    });
  EXPECT_EQ(Https("GET", daemon_.url("/-/healthy"), Client()).status, 200);
  for (auto& t : flood) t.join();
  int refused = 0, wrong = 0;
  for (int status : statuses) {
    refused += status == 429;
    wrong += status == 401;
  }
  EXPECT_EQ(refused + wrong, 64) << "every guess is answered 401 or 429";
  EXPECT_GT(refused, 0) << "the queue of password checks was not bounded";
  EXPECT_GT(wrong, 0);
}

TEST_F(HttpsDaemonTest, ClientCertificatesFromTheConfiguredCaAreRequired) {
  with_client_cert_ = true;
  Start("  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n",
        /*users=*/false);
  TlsClientOptions good = Client();
  good.user.clear();
  auto r = Https("GET", daemon_.url("/-/healthy"), good);
  EXPECT_EQ(r.status, 200) << r.error;
  TlsClientOptions none = good;
  none.cert_file.clear();
  none.key_file.clear();
  r = Https("GET", daemon_.url("/-/healthy"), none);
  EXPECT_EQ(r.status, 0) << "served without a client certificate";
  TlsClientOptions intruder = good;
  intruder.cert_file = dir_ / "intruder.crt";
  intruder.key_file = dir_ / "intruder.key";
  r = Https("GET", daemon_.url("/-/healthy"), intruder);
  EXPECT_EQ(r.status, 0) << "served a certificate from another CA";
}

TEST_F(HttpsDaemonTest, MinVersionRefusesOlderClients) {
  Start("  min_version: TLS13\n");
  TlsClientOptions old = Client();
  old.max_tls12 = true;
  auto r = Https("GET", daemon_.url("/-/healthy"), old);
  EXPECT_EQ(r.status, 0) << "a TLS 1.2 client was served";
  EXPECT_EQ(Https("GET", daemon_.url("/-/healthy"), Client()).status, 200);
}

TEST_F(HttpsDaemonTest, ReloadRotatesTheCertificateAndKeepsTheOldOneWhenTheNewFilesAreBad) {
  Start();
  EXPECT_TRUE(
      Contains(Https("GET", daemon_.url("/-/healthy"), Client()).peer_subject, "parkwatch-one"));
  fs::copy_file(dir_ / "two.crt", dir_ / "server.crt", fs::copy_options::overwrite_existing);
  fs::copy_file(dir_ / "two.key", dir_ / "server.key", fs::copy_options::overwrite_existing);
  TlsClientOptions admin = Client();
  admin.user.clear();
  auto reload =
      Https("POST", daemon_.url("/-/reload"), admin, "", {"Authorization: Bearer admin-token"});
  ASSERT_EQ(reload.status, 200) << reload.body;
  EXPECT_TRUE(
      Contains(Https("GET", daemon_.url("/-/healthy"), Client()).peer_subject, "parkwatch-two"));

  // A key that does not belong to the certificate: the reload fails, naming the file, and
  // the listener keeps serving the certificate it had.
  fs::copy_file(dir_ / "one.key", dir_ / "server.key", fs::copy_options::overwrite_existing);
  reload =
      Https("POST", daemon_.url("/-/reload"), admin, "", {"Authorization: Bearer admin-token"});
  EXPECT_EQ(reload.status, 400);
  EXPECT_TRUE(Contains(reload.body, "server.key does not match the certificate")) << reload.body;
  auto still = Https("GET", daemon_.url("/-/healthy"), Client());
  EXPECT_EQ(still.status, 200);
  EXPECT_TRUE(Contains(still.peer_subject, "parkwatch-two")) << still.peer_subject;

  // SIGHUP reloads the same way: changed users apply to new requests.
  fs::copy_file(dir_ / "two.key", dir_ / "server.key", fs::copy_options::overwrite_existing);
  std::string other = HashPassword("n3w");
  WriteFile(dir_ / "web.yml",
            "tls_server_config: {cert_file: server.crt, key_file: server.key}\n"
            "basic_auth_users:\n  prometheus: " +
                other + "\n");
  ::kill(daemon_.pid(), SIGHUP);
  EXPECT_TRUE(WaitFor([&] {
    return Https("GET", daemon_.url("/-/healthy"), Client("n3w")).status == 200;
  })) << daemon_.Log();
  EXPECT_EQ(Https("GET", daemon_.url("/-/healthy"), Client()).status, 401);
}

TEST_F(HttpsDaemonTest, AReloadCanTurnTlsOn) {
  WriteFile(dir_ / "web.yml", "http_server_config: {headers: {X-Frame-Options: deny}}\n");
  std::string error;
  ASSERT_TRUE(daemon_.Start(&error)) << error;
  std::string plain_url = daemon_.url("/-/healthy");
  ASSERT_EQ(testing::Http("GET", plain_url).status, 200);
  const std::string expiry = "parkwatch_tls_certificate_expiry_timestamp_seconds";
  EXPECT_FALSE(Contains(testing::Http("GET", daemon_.url("/metrics")).body, expiry + " "));

  WriteFile(dir_ / "web.yml", "tls_server_config: {cert_file: server.crt, key_file: server.key}\n");
  auto reload =
      testing::Http("POST", daemon_.url("/-/reload"), "", {"Authorization: Bearer admin-token"});
  ASSERT_EQ(reload.status, 200) << reload.body;
  EXPECT_EQ(testing::Http("GET", plain_url).status, 400);  // new connections speak TLS now
  TlsClientOptions tls = Client();
  tls.user.clear();
  auto r = Https("GET", "https://127.0.0.1:" + std::to_string(daemon_.port()) + "/-/healthy", tls);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_TRUE(Contains(daemon_.Log(), "https://127.0.0.1:")) << "the log says how to reach it";
  EXPECT_TRUE(Contains(
      Https("GET", "https://127.0.0.1:" + std::to_string(daemon_.port()) + "/metrics", tls).body,
      expiry + " "));
}

TEST_F(HttpsDaemonTest, AKeyThatDoesNotMatchStopsStartAndCheckConfig) {
  fs::copy_file(dir_ / "two.key", dir_ / "server.key", fs::copy_options::overwrite_existing);
  WriteFile(dir_ / "web.yml", "tls_server_config: {cert_file: server.crt, key_file: server.key}\n");
  std::string out;
  EXPECT_EQ(testing::RunParkwatch({"check-config", dir_ / "parkwatch.yml"}, &out), 1);
  EXPECT_TRUE(Contains(out, "server.key does not match the certificate in")) << out;
  EXPECT_NE(testing::RunParkwatch(
                {"serve", "--config.file=" + (dir_ / "parkwatch.yml"),
                 "--web.listen-address=127.0.0.1:" + std::to_string(testing::FreePort())},
                &out),
            0);
  EXPECT_TRUE(Contains(out, "server.key does not match the certificate in")) << out;
}

TEST_F(HttpsDaemonTest, WebConfigFlagOverridesTheConfigFile) {
  // parkwatch.yml names web.yml (TLS); the flag points at a plain file without TLS.
  WriteFile(dir_ / "plain-web.yml", "http_server_config: {headers: {X-Frame-Options: deny}}\n");
  WriteFile(dir_ / "web.yml", "tls_server_config: {cert_file: nowhere.crt, key_file: x.key}\n");
  daemon_.AddArgs({"--web.config.file=" + (dir_ / "plain-web.yml")});
  std::string error;
  ASSERT_TRUE(daemon_.Start(&error)) << error;
  auto r = testing::Http("GET", daemon_.url("/-/healthy"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("X-Frame-Options"), "deny");
}

TEST_F(HttpsDaemonTest, PrometheusScrapesOverTlsWithBasicAuth) {
  Start();
  TempDir prom;
  uint16_t port = testing::FreePort();
  WriteFile(prom / "prometheus.yml",
            "global: {scrape_interval: 1s}\n"
            "scrape_configs:\n"
            "  - job_name: parkwatch\n"
            "    scheme: https\n"
            "    tls_config: {ca_file: " +
                (dir_ / "ca.crt") +
                "}\n"
                "    basic_auth: {username: prometheus, password: s3cret}\n"
                "    static_configs: [{targets: ['127.0.0.1:" +
                std::to_string(daemon_.port()) + "']}]\n");
  testing::ChildProcess prometheus;
  ASSERT_TRUE(prometheus.Start({"/usr/bin/prometheus", "--config.file=" + (prom / "prometheus.yml"),
                                "--storage.tsdb.path=" + (prom / "data"),
                                "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                               prom / "prometheus.log"));
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  json last;
  bool scraped = WaitFor(
      [&] {
        auto r = testing::Http("GET", base + "/api/v1/query?query=parkwatch_build_info");
        last = json::parse(r.body, nullptr, false);
        return !last.is_discarded() && last["status"] == "success" &&
               last["data"]["result"].size() == 1;
      },
      30000);
  EXPECT_TRUE(scraped) << last.dump() << "\n" << ReadFile(prom / "prometheus.log");
  auto up = testing::Http("GET", base + "/api/v1/query?query=up");
  EXPECT_TRUE(Contains(up.body, "\"1\"")) << up.body;
}

}  // namespace
}  // namespace parkwatch
