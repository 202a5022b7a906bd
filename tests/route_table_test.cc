// The one route table: every endpoint in it has one access class, one thread, a bounded body;
// routing, labels and the index derive from it; and against the real daemon every refusal is
// the one JSON envelope, an unknown query parameter is a 400 naming it, and a refused request's
// body is never read.
#include "api/route_table.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/routes.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;
using testing::ConnectTcp;
using testing::DaemonProcess;
using testing::Http;
using testing::SendAll;
using testing::TempDir;
using testing::WriteFile;

RouteTable AllRoutes() {
  RouteTable table;
  RegisterRoutes(table, 1 << 20);
  return table;
}

TEST(RouteTableTest, EveryWriteNeedsACredentialAndOnlyWritesTakeABody) {
  RouteTable table = AllRoutes();
  ASSERT_GT(table.routes().size(), 15u);
  std::set<std::string> seen;
  for (const Route& r : table.routes()) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    EXPECT_TRUE(seen.insert(r.method + " " + r.pattern).second) << "listed twice";
    EXPECT_TRUE(r.handler) << "no handler";
    EXPECT_FALSE(r.summary.empty()) << "no line for the index";
    if (r.method == "GET") {
      EXPECT_TRUE(r.access == Access::kPublic || r.access == Access::kRead);
      EXPECT_EQ(r.max_body_bytes, 0u);
    } else if (r.pattern != "/-/login" && r.pattern != "/-/logout") {  // a session's own doors
      EXPECT_NE(r.access, Access::kPublic) << "a write anyone may call";
    }
    // Admin and operator writes are small JSON; an uploaded file takes what ingest takes.
    if ((r.access == Access::kAdmin || r.access == Access::kOperate) &&
        r.pattern != "/api/v1/upload") {
      EXPECT_LE(r.max_body_bytes, kMaxAdminBodyBytes);
    }
  }
}

TEST(RouteTableTest, AddingARouteTwiceIsAProgrammingError) {
  RouteTable table;
  Route r{"GET",
          "/x",
          Access::kPublic,
          RunsOn::kLoop,
          {},
          0,
          "x",
          [](ApiCall&) {
            return HttpResponse{}; }};
  table.Add(r);
  EXPECT_THROW(table.Add(r), std::logic_error);
}

TEST(RouteTableTest, FindsPatternsWithParametersAndPrefersFixedPaths) {
  RouteTable table = AllRoutes();
  auto m = table.Find("DELETE", "/api/v1/silences/12");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/silences/{id}");
  EXPECT_EQ(m.path.at("id"), "12");
  m = table.Find("POST", "/api/v1/alerts/abc123/acknowledge");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.path.at("fingerprint"), "abc123");
  m = table.Find("GET", "/api/v1/alerts/history");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/alerts/history");
  // An empty segment names nothing; a wrong method lists the right ones.
  EXPECT_EQ(table.Find("DELETE", "/api/v1/silences/").route, nullptr);
  m = table.Find("GET", "/-/reload");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"POST", "PUT"}));
  EXPECT_TRUE(table.Find("GET", "/nowhere").allowed.empty());
}

TEST(RouteTableTest, MetricLabelsAreTheTablesPatternsWhateverThePath) {
  RouteTable table = AllRoutes();
  EXPECT_EQ(table.Label("/api/v1/silences/99"), "/api/v1/silences/{id}");
  EXPECT_EQ(table.Label("/metrics"), "/metrics");
  EXPECT_EQ(table.Label("/wp-login.php"), "other");
  EXPECT_EQ(table.Label("/api/v1/silences/1/../../x"), "other");
}

TEST(RouteTableTest, TheIndexListsEveryRoute) {
  RouteTable table = AllRoutes();
  std::string index = table.Index("parkwatch");
  for (const Route& r : table.routes())
    EXPECT_NE(index.find(r.method + " " + r.pattern), std::string::npos) << r.pattern;
  EXPECT_NE(index.find("[admin]"), std::string::npos);
}

TEST(QueryReaderTest, UnknownRepeatedAndMalformedParametersAreNamed) {
  std::multimap<std::string, std::string> q{{"limt", "5"}};
  std::vector<std::string> accepted{"limit"};
  EXPECT_NE(QueryReader(q, accepted).Check().find("\"limt\""), std::string::npos);
  q = {{"limit", "5"}, {"limit", "6"}};
  EXPECT_NE(QueryReader(q, accepted).Check().find("more than once"), std::string::npos);
  q = {{"limit", "5x"}};
  EXPECT_EQ(QueryReader(q, accepted).Check(), "");
  EXPECT_THROW(QueryReader(q, accepted).Limit(50), ApiError);
  q = {{"limit", "0"}};
  EXPECT_THROW(QueryReader(q, accepted).Limit(50), ApiError);
  q = {{"limit", "99999999999999999999"}};
  EXPECT_THROW(QueryReader(q, accepted).Limit(50), ApiError);
  q = {{"limit", "7"}};
  EXPECT_EQ(QueryReader(q, accepted).Limit(50), 7);
  q = {};
  EXPECT_EQ(QueryReader(q, accepted).Limit(50), 50);
}

TEST(QueryReaderTest, SilenceIdsArePositiveIntegersOnly) {
  EXPECT_EQ(PositiveId("12", "silence id"), 12);
  for (const char* bad : {"0", "-1", "1abc", "", "99999999999999999999", " 1"})
    EXPECT_THROW(PositiveId(bad, "silence id"), ApiError) << bad;
}

const char kAdminToken[] = "admin-route-table-token";
const char kIngestToken[] = "ingest-route-table-token";

class RouteTableDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "parkwatch.yml", std::string("storage: {path: pw.db}\n") +
                                          "web: {ingest_token: " + kIngestToken +
                                          ", admin_token: " + kAdminToken + "}\n");
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  // Asserts the envelope and returns its errorType.
  static std::string ErrorType(const testing::HttpResult& r) {
    json body = json::parse(r.body, nullptr, false);
    EXPECT_TRUE(body.is_object()) << r.status << " " << r.body;
    if (!body.is_object()) return "";
    EXPECT_EQ(body.value("status", ""), "error") << r.body;
    EXPECT_TRUE(body.contains("error") && body["error"].is_string()) << r.body;
    return body.value("errorType", "");
  }

  std::string Raw(const std::string& bytes) { return testing::RawExchange(daemon_.port(), bytes); }

  TempDir dir_;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(RouteTableDaemonTest, AnUnknownQueryParameterIs400NamingIt) {
  auto r = Http("GET", daemon_.url("/api/v1/batches?limt=5"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "bad_data");
  EXPECT_NE(r.body.find("limt"), std::string::npos) << r.body;
  r = Http("GET", daemon_.url("/api/v1/alerts/history?limit=abc"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("limit"), std::string::npos) << r.body;
  EXPECT_EQ(Http("GET", daemon_.url("/api/v1/batches?limit=5")).status, 200);
}

TEST_F(RouteTableDaemonTest, EveryRefusalIsTheOneEnvelope) {
  std::vector<std::string> admin{std::string("Authorization: Bearer ") + kAdminToken};
  std::vector<std::string> ingest{std::string("Authorization: Bearer ") + kIngestToken};
  struct Case {
    std::string method, path, body;
    std::vector<std::string> headers;
    int status;
    std::string type;
  };
  std::vector<Case> cases = {
      {"GET", "/nowhere", "", {}, 404, "not_found"},
      {"GET", "/-/reload", "", {}, 405, "method_not_allowed"},
      {"POST", "/-/reload", "", {}, 401, "unauthorized"},
      {"POST", "/-/reload", "", {"Authorization: Bearer wrong"}, 403, "forbidden"},
      {"DELETE", "/api/v1/silences/0", "", admin, 400, "bad_data"},
      {"DELETE", "/api/v1/silences/1abc", "", admin, 400, "bad_data"},
      {"DELETE", "/api/v1/silences/7", "", admin, 404, "not_found"},
      {"POST", "/api/v1/silences",
       "{\"matchers\":[\"alertname=\\\"X\\\"\"],\"author\":5,"
       "\"comment\":\"c\",\"duration\":\"1h\"}",
       admin, 400, "bad_data"},
      {"POST", "/api/v1/alerts/none/acknowledge", "[1]", admin, 400, "bad_data"},
      {"POST", "/api/v1/ingest", "nonsense\n1\n", ingest, 422, "bad_data"},
      {"POST", "/api/v1/ingest?collector=none", "x", ingest, 400, "bad_data"},
      {"GET", "/api/v1/series", "", {}, 400, "bad_data"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    auto r = Http(c.method, daemon_.url(c.path), c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(ErrorType(r), c.type);
  }
  // A rejected batch still says what was read, in the envelope's data.
  auto r = Http("POST", daemon_.url("/api/v1/ingest"), "nonsense\n1\n", ingest);
  json body = json::parse(r.body);
  EXPECT_EQ(body["data"]["status"], "rejected") << r.body;
  EXPECT_FALSE(body["data"]["errors"].empty()) << r.body;
}

TEST_F(RouteTableDaemonTest, ARefusedRequestsBodyIsNeverInvited) {
  // No token: refused when the header arrives, without "100 Continue" and with the connection
  // closed, so a client never sends the 60 MiB it announced.
  std::string reply =
      Raw("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 62914560\r\n"
          "Expect: 100-continue\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 401", 0), 0u) << reply;
  EXPECT_EQ(reply.find("100 Continue"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  // A GET route takes no body at all.
  reply = Raw("GET /-/healthy HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  // An admin route takes a small one.
  reply = Raw(std::string("POST /api/v1/silences HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ") +
              kAdminToken + "\r\nContent-Length: 1048576\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  // An admitted one is invited.
  int fd = ConnectTcp("127.0.0.1", daemon_.port());
  ASSERT_GE(fd, 0);
  SendAll(fd, std::string("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ") +
                  kIngestToken + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  char buffer[256];
  ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, n).rfind("HTTP/1.1 100 Continue", 0), 0u);
  ::close(fd);
  EXPECT_EQ(Http("GET", daemon_.url("/-/healthy")).status, 200);
}

}  // namespace
}  // namespace parkwatch
