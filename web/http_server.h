// The one HTTP listener of parkwatch: /metrics, /-/healthy, /-/ready, /-/reload and the JSON API
// all go through one HttpServer and one HttpHandler that routes.
//
// HTTP/1.1 with keep-alive, one request at a time per connection (a pipelined request waits in
// the buffer until the previous response is written). Limits and timeouts protect the single
// event loop from large or slow clients:
//   - when a request's header has arrived, the admission callback (SetAdmission) decides from
//     the method, path and credentials alone whether it is served and how large its body may
//     be; a refused request is answered with Connection: close and its body is never read, and
//     "100 Continue" is sent only to an admitted one. Without an admission callback every
//     request is admitted with max_body_bytes;
//   - a body over its admitted size (or max_body_bytes) gets 413, a header over
//     max_header_bytes gets 431, a request that does not parse gets 400; each then closes the
//     connection;
//   - the bodies buffered at once by all connections are bounded by max_buffered_body_bytes (a
//     request that would exceed it gets 503 before its body is read), and open connections by
//     max_connections, lowered at Start to leave reserved_descriptors of the process's file
//     descriptor limit to the store, the inbox and outgoing deliveries (a connection beyond it
//     is closed at once). Failed accepts are logged at most every 10 s;
//   - a new connection must deliver its whole header within header_timeout; on a kept-alive
//     connection the next request may be idle_timeout in coming, then has header_timeout for its
//     header; the body must arrive within body_timeout. Late clients are disconnected.
// Error responses use the API's one envelope (JsonError below). Every response carries
// "Server: parkwatch".
//
// After SetTls with a context the listener speaks HTTPS only (web/tls_context.h builds it).
//
// Threading: the server runs on one thread that runs the io_context. The handler is called on
// that thread; Start() and Stop() must be called on it too, or while the io_context is not
// running. The respond callback may be called from any thread.
//
// The implementation (Boost.Beast) is confined to http_server.cc, which is costly to compile;
// this header deliberately does not include Beast.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/wording.h"
#include "web/tls_context.h"

namespace parkwatch {

struct HttpRequest {
  std::string method;  // GET, POST, ... A HEAD request is passed as GET (its body is dropped).
  std::string target;  // raw target, e.g. /api/v1/series?enterprise=X
  std::string path;    // percent-decoded path without the query
  std::multimap<std::string, std::string> query;  // percent-decoded, '+' as space
  std::string body;
  std::string content_type;
  std::string authorization;   // raw Authorization header
  std::string remote_address;  // peer IP address, without port
  // The headers the console's sessions read (daemon/sessions.h): its cookie, where the request
  // comes from (same-origin check of a write) and the CSRF token a page sends with a write.
  std::string cookie, host, origin, referer, csrf_token;
  std::string if_none_match;  // a cached asset's ETag
  std::string principal;      // who the request acts as, from its admission ("" anonymous)

  // The first value of query parameter name, or fallback when absent.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// The one JSON envelope of every answer, Prometheus's: {"status":"success","data":DATA} and
// {"status":"error","errorType":TYPE,"error":MESSAGE}. data_json is already JSON; the message
// is escaped (invalid UTF-8 passes through as bytes, never an exception).
HttpResponse JsonSuccess(const std::string& data_json, int status = 200);
HttpResponse JsonError(int status, const std::string& type, const std::string& message,
                       const std::string& data_json = "");  // data: what was done regardless
// The same with the message in both languages: "error" in English, "error_zh" in Chinese, for
// answers a park bureau's staff read (a refused upload or push; the console shows error_zh).
HttpResponse JsonError(int status, const std::string& type, const Wording& message,
                       const std::string& data_json = "");

// Delivers the response. Must be called exactly once per request; later calls are ignored and
// logged. May be called from any thread, at any time after the handler was invoked. If every
// copy is destroyed without having been called, the client gets a 500 rather than a hang.
using HttpRespond = std::function<void(HttpResponse)>;

// Called on the io_context thread. May respond synchronously or later (after posting work
// elsewhere); must call respond exactly once. An exception escaping the handler before it
// responded becomes a 500 and is logged.
using HttpHandler = std::function<void(HttpRequest, HttpRespond)>;

// What becomes of a request whose header has arrived, decided before its body is read.
struct HttpAdmission {
  std::optional<HttpResponse> refusal;  // answered at once with Connection: close
  size_t max_body_bytes = 0;            // the body it may send; more is 413
  std::string principal;                // passed on in HttpRequest::principal
};

// Called on the io_context thread with the request's header (body empty); must call decide
// exactly once, from any thread, now or later (e.g. after a password check elsewhere).
using HttpAdmit =
    std::function<void(const HttpRequest& head, std::function<void(HttpAdmission)> decide)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // empty = all interfaces (IPv6 and IPv4 when possible)
  uint16_t port = 0;                  // 0 = ephemeral; see HttpServer::port()
  size_t max_body_bytes = 64 << 20;
  size_t max_header_bytes = 16 << 10;
  size_t max_buffered_body_bytes = 256 << 20;  // all connections' bodies together
  size_t max_connections = 1024;
  size_t reserved_descriptors = 128;  // of RLIMIT_NOFILE, kept from connections
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds idle_timeout{60};
};

class HttpServer {
 public:
  // Nothing is bound until Start(). io must outlive the server; destroy the server first.
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Stops.

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens, then accepts asynchronously on the io_context. On failure returns false
  // and sets *error to a message naming address:port (e.g. "listen 127.0.0.1:9780: Address
  // already in use").
  bool Start(std::string* error);

  // The admission callback; set before Start().
  void SetAdmission(HttpAdmit admit);

  // The TLS context for connections accepted from now on: HTTPS only (a plain request gets a
  // 400), or plain HTTP with null (the default). Called before Start() and again on reload
  // (certificate rotation); open connections keep theirs.
  void SetTls(TlsContext tls);

  // The bound port; useful with options.port == 0. 0 before a successful Start().
  uint16_t port() const;

  // Connections open now, and the most that may be (after Start: lowered by the descriptor
  // limit). Any thread.
  size_t connections() const;
  size_t max_connections() const;

  // Closes the acceptor and every open connection; responses still pending are dropped.
  // Idempotent.
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Splits a listen address in the Prometheus flag style: "127.0.0.1:9780", ":9780" (host empty:
// all interfaces), "[::1]:9780", "localhost:9780". The port is required and must be 0-65535.
bool SplitHostPort(const std::string& listen, std::string* host, uint16_t* port,
                   std::string* error);

// Percent-decodes text; with plus_as_space, '+' becomes ' ' (query strings). Returns false on a
// malformed escape (a '%' not followed by two hex digits).
bool PercentDecode(const std::string& text, bool plus_as_space, std::string* out);

}  // namespace parkwatch
