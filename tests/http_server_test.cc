// HttpServer over real loopback HTTP: the client side is either the test HTTP client or a raw
// socket, so that slow, malformed and pipelined clients can be played exactly.
#include "web/http_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/support/http_client.h"

namespace parkwatch {
namespace {

using testing::ConnectTcp;
using testing::Http;
using testing::SendAll;

// One connection played byte by byte. Responses are read by Content-Length, so several can be
// read from one kept-alive connection.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {
    std::string error;
    fd_ = ConnectTcp("127.0.0.1", port, &error);
    EXPECT_GE(fd_, 0) << error;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }

  bool Send(const std::string& data) { return SendAll(fd_, data); }

  // Reads one response (header and Content-Length body); "" on EOF or timeout before it.
  std::string ReadResponse() {
    for (;;) {
      size_t header_end = pending_.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        size_t length = 0;
        std::string header = pending_.substr(0, header_end);
        size_t at = header.find("Content-Length: ");
        if (at != std::string::npos) length = std::stoul(header.substr(at + 16));
        if (pending_.size() >= header_end + 4 + length) {
          std::string response = pending_.substr(0, header_end + 4 + length);
          pending_.erase(0, response.size());
          return response;
        }
      }
      if (!ReadMore()) return "";
    }
  }

  // Reads until the server closes; returns everything still unread.
  std::string ReadToEnd() {
    while (ReadMore()) {
    }
    return std::move(pending_);
  }

  // True when the server closed the connection (EOF or reset) rather than the wait timing out.
  bool closed() const { return closed_; }

 private:
  bool ReadMore() {
    char buffer[4096];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      pending_.append(buffer, static_cast<size_t>(n));
      return true;
    }
    closed_ = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    return false;
  }

  int fd_ = -1;
  std::string pending_;
  bool closed_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(DefaultOptions()); }

  static HttpServerOptions DefaultOptions() {
    HttpServerOptions options;
    options.max_body_bytes = 1 << 20;
    options.max_header_bytes = 4096;
    options.header_timeout = std::chrono::seconds(1);
    return options;
  }

  void StartServer(HttpServerOptions options) {
    server_ = std::make_unique<HttpServer>(
        io_, std::move(options),
        [this](HttpRequest request, HttpRespond respond) { Handle(request, respond); });
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    ASSERT_NE(server_->port(), 0);
    loop_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    {
      std::lock_guard lock(workers_mutex_);
      for (auto& worker : workers_) worker.join();
    }
    if (server_ && loop_.joinable()) OnLoop([this] { server_->Stop(); });
    work_.reset();
    io_.stop();
    if (loop_.joinable()) loop_.join();
    server_.reset();
  }

  // Runs fn on the loop thread and waits, as HttpServer's thread rule asks.
  void OnLoop(std::function<void()> fn) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  std::string Url(const std::string& target) {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + target;
  }

  void Handle(const HttpRequest& request, const HttpRespond& respond) {
    HttpResponse response;
    response.content_type = "text/plain";
    if (request.path == "/hello") {
      response.body = "hello";
    } else if (request.path.rfind("/echo", 0) == 0) {
      response.body = request.method + " " + request.path;
      for (const auto& [key, value] : request.query) response.body += "|" + key + "=" + value;
    } else if (request.path == "/body" && request.method == "POST") {
      response.body = request.body;
      response.headers.emplace_back("X-Request-Content-Type", request.content_type);
    } else if (request.path == "/whoami") {
      response.body = request.remote_address + " " + request.authorization;
    } else if (request.path == "/async" || request.path == "/async-direct") {
      // Work done elsewhere: a worker thread answers after a while, either by posting back to
      // the loop (how the daemon does it) or by calling respond directly from its thread.
      bool post_back = request.path == "/async";
      std::lock_guard lock(workers_mutex_);
      workers_.emplace_back([this, respond, post_back] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        HttpResponse late;
        late.content_type = "text/plain";
        late.body = "late";
        if (post_back) {
          boost::asio::post(io_, [respond, late] { respond(late); });
        } else {
          respond(late);
        }
      });
      return;
    } else if (request.path == "/throw") {
      throw std::runtime_error("handler bug");
    } else if (request.path == "/drop") {
      return;  // never responds
    } else if (request.path == "/twice") {
      response.body = "first";
      respond(response);
      response.body = "second";
    } else {
      response = JsonError(404, "not_found", "not found: " + request.path);
    }
    respond(response);
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::thread loop_;
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
};

TEST_F(HttpServerTest, RoutesAndDecodesPathAndQuery) {
  auto hello = Http("GET", Url("/hello"));
  EXPECT_EQ(hello.status, 200) << hello.error;
  EXPECT_EQ(hello.body, "hello");
  EXPECT_EQ(hello.Header("server"), "parkwatch");
  EXPECT_EQ(hello.Header("content-type"), "text/plain");

  auto echo = Http("GET", Url("/echo%20it/%E5%91%A8?name=a%2Bb&q=weekly+report&name=second&"
                              "flag&empty=&city=%E5%B8%B8%E5%BE%B7"));
  EXPECT_EQ(echo.status, 200) << echo.error;
  EXPECT_EQ(echo.body,
            "GET /echo it/周|city=常德|empty=|flag=|name=a+b|name=second|q=weekly report");

  auto missing = Http("GET", Url("/nowhere"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/json");
  EXPECT_EQ(missing.body,
            R"({"status":"error","errorType":"not_found","error":"not found: /nowhere"})");

  auto bad_escape = Http("GET", Url("/echo?x=%G1"));
  EXPECT_EQ(bad_escape.status, 400);
}

TEST_F(HttpServerTest, PassesBodyHeadersAndPeer) {
  std::string csv = "credit_code,period,output_value\n91430700MA4L0XXXX1,2024-03,1250.5\n";
  auto result = Http("POST", Url("/body"), csv, {"Content-Type: text/csv; charset=utf-8"});
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, csv);
  EXPECT_EQ(result.Header("x-request-content-type"), "text/csv; charset=utf-8");

  // Large enough to arrive in many reads, with the Expect handshake curl uses for big bodies.
  std::string big(900 * 1024, 'x');
  auto large = Http("POST", Url("/body"), big, {"Expect: 100-continue"});
  EXPECT_EQ(large.status, 200) << large.error;
  EXPECT_EQ(large.body.size(), big.size());

  auto who = Http("GET", Url("/whoami"), "", {"Authorization: Bearer s3cret"});
  EXPECT_EQ(who.body, "127.0.0.1 Bearer s3cret");
}

TEST_F(HttpServerTest, DeliversResponsesGivenLaterFromOtherThreads) {
  auto posted = Http("GET", Url("/async"));
  EXPECT_EQ(posted.status, 200) << posted.error;
  EXPECT_EQ(posted.body, "late");
  auto direct = Http("GET", Url("/async-direct"));
  EXPECT_EQ(direct.status, 200) << direct.error;
  EXPECT_EQ(direct.body, "late");
}

TEST_F(HttpServerTest, HandlerFailuresBecome500) {
  auto thrown = Http("GET", Url("/throw"));
  EXPECT_EQ(thrown.status, 500);
  EXPECT_EQ(thrown.body, R"({"status":"error","errorType":"internal","error":"internal error"})");
  auto dropped = Http("GET", Url("/drop"));
  EXPECT_EQ(dropped.status, 500);
  auto twice = Http("GET", Url("/twice"));
  EXPECT_EQ(twice.status, 200);
  EXPECT_EQ(twice.body, "first");
}

TEST_F(HttpServerTest, BodyOverLimitIs413) {
  auto result = Http("POST", Url("/body"), std::string((1 << 20) + 1, 'x'));
  EXPECT_EQ(result.status, 413) << result.error;
  EXPECT_EQ(result.Header("content-type"), "application/json");
  EXPECT_EQ(
      result.body,
      R"({"status":"error","errorType":"too_large","error":"request body exceeds 1048576 bytes"})");

  // A chunked body has no Content-Length to check up front: the limit applies while reading.
  RawConnection raw(server_->port());
  std::string chunk(64 * 1024, 'y');
  std::string request = "POST /body HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 17; ++i) request += "10000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  raw.Send(request);
  std::string response = raw.ReadResponse();
  EXPECT_EQ(response.rfind("HTTP/1.1 413 ", 0), 0u) << response.substr(0, 200);
}

TEST_F(HttpServerTest, HeaderOverLimitIs431) {
  auto result = Http("GET", Url("/hello"), "", {"X-Padding: " + std::string(8192, 'p')});
  EXPECT_EQ(result.status, 431) << result.error;
}

TEST_F(HttpServerTest, MalformedRequestIs400AndCloses) {
  RawConnection raw(server_->port());
  raw.Send("GARBAGE\r\n\r\n");
  std::string all = raw.ReadToEnd();
  EXPECT_TRUE(raw.closed());
  EXPECT_EQ(all.rfind("HTTP/1.1 400 ", 0), 0u) << all;
  EXPECT_NE(all.find("Connection: close"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("error":"malformed request: )"), std::string::npos) << all;
}

TEST_F(HttpServerTest, SlowClientIsDisconnectedAfterHeaderTimeout) {
  RawConnection raw(server_->port());
  auto start = std::chrono::steady_clock::now();
  raw.Send("GET /hello HTTP/1.1\r\nHo");  // and never the rest
  std::string all = raw.ReadToEnd();
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(raw.closed()) << "the server kept the connection for " << waited << " s";
  EXPECT_EQ(all, "");
  EXPECT_GE(waited, 0.8);
  EXPECT_LT(waited, 5.0);
  // The loop was never blocked: others are served meanwhile and after.
  EXPECT_EQ(Http("GET", Url("/hello")).status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesRequestsInOrder) {
  RawConnection raw(server_->port());
  raw.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string first = raw.ReadResponse();
  EXPECT_EQ(first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << first;
  EXPECT_EQ(first.substr(first.size() - 5), "hello");
  raw.Send("GET /echo?n=2 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string second = raw.ReadResponse();
  EXPECT_EQ(second.substr(second.size() - 13), "GET /echo|n=2") << second;

  // Pipelined: the slow answer to the first request still comes before the quick second one.
  raw.Send(
      "GET /async HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string late = raw.ReadResponse();
  std::string quick = raw.ReadResponse();
  EXPECT_EQ(late.substr(late.size() - 4), "late") << late;
  EXPECT_EQ(quick.substr(quick.size() - 5), "hello") << quick;
}

TEST_F(HttpServerTest, HeadSendsHeaderOnly) {
  RawConnection raw(server_->port());
  raw.Send("HEAD /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  std::string all = raw.ReadToEnd();
  EXPECT_EQ(all.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << all;
  EXPECT_NE(all.find("Content-Length: 5\r\n"), std::string::npos) << all;
  EXPECT_EQ(all.substr(all.size() - 4), "\r\n\r\n") << "a body was sent: " << all;
}

TEST_F(HttpServerTest, StopClosesListenerAndConnections) {
  RawConnection raw(server_->port());
  raw.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(raw.ReadResponse(), "");
  uint16_t port = server_->port();
  OnLoop([this] { server_->Stop(); });
  raw.ReadToEnd();
  EXPECT_TRUE(raw.closed());
  std::string error;
  int fd = ConnectTcp("127.0.0.1", port, &error);
  EXPECT_LT(fd, 0) << "still accepting after Stop()";
  if (fd >= 0) ::close(fd);
}

TEST_F(HttpServerTest, StartReportsTheAddressInUse) {
  HttpServerOptions options;
  options.port = server_->port();
  boost::asio::io_context other_io;
  HttpServer second(other_io, options,
                    [](HttpRequest, HttpRespond respond) { respond(HttpResponse()); });
  std::string error;
  EXPECT_FALSE(second.Start(&error));
  EXPECT_NE(error.find("127.0.0.1:" + std::to_string(options.port)), std::string::npos) << error;
}

// A kept-alive connection that stays quiet is closed after idle_timeout, which is separate from
// (and here shorter than) the time a client has to finish a header it started.
class HttpServerIdleTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerOptions options = DefaultOptions();
    options.idle_timeout = std::chrono::seconds(1);
    options.header_timeout = std::chrono::seconds(5);
    StartServer(options);
  }
};

TEST_F(HttpServerIdleTest, QuietKeptAliveConnectionIsClosedAfterIdleTimeout) {
  RawConnection raw(server_->port());
  raw.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(raw.ReadResponse(), "");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(raw.ReadToEnd(), "");
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(raw.closed());
  EXPECT_GE(waited, 0.8);
  EXPECT_LT(waited, 4.0);
}

TEST(SplitHostPortTest, AcceptsPrometheusStyleAddresses) {
  std::string host, error;
  uint16_t port = 0;
  ASSERT_TRUE(SplitHostPort("127.0.0.1:9780", &host, &port, &error)) << error;
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 9780);
  ASSERT_TRUE(SplitHostPort(":9780", &host, &port, &error)) << error;
  EXPECT_EQ(host, "");
  ASSERT_TRUE(SplitHostPort("[::1]:0", &host, &port, &error)) << error;
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(SplitHostPort("localhost:65535", &host, &port, &error)) << error;
  EXPECT_EQ(port, 65535);

  EXPECT_FALSE(SplitHostPort("127.0.0.1", &host, &port, &error));
  EXPECT_FALSE(SplitHostPort("::1:9780", &host, &port, &error));
  EXPECT_FALSE(SplitHostPort("[::1]9780", &host, &port, &error));
  EXPECT_FALSE(SplitHostPort("host:65536", &host, &port, &error));
  EXPECT_FALSE(SplitHostPort("host:97a0", &host, &port, &error));
  EXPECT_FALSE(SplitHostPort("host:", &host, &port, &error));
  EXPECT_NE(error.find("host:"), std::string::npos) << error;
}

TEST(PercentDecodeTest, DecodesAndRejectsBadEscapes) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%20b+c", false, &out));
  EXPECT_EQ(out, "a b+c");
  EXPECT_TRUE(PercentDecode("a%20b+c", true, &out));
  EXPECT_EQ(out, "a b c");
  EXPECT_FALSE(PercentDecode("100%", false, &out));
  EXPECT_FALSE(PercentDecode("%4", false, &out));
  EXPECT_FALSE(PercentDecode("%zz", false, &out));
}

}  // namespace
}  // namespace parkwatch
