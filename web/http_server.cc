// The Beast implementation of HttpServer: the only translation unit of parkwatch that includes
// Beast (it costs ~27 s and 0.8 GB to compile). The session follows the shape of Beast's
// example/http/server/async: read a request with a parser that enforces limits, hand it on,
// write the response, then read the next one. A session is a template over its stream, so plain
// HTTP and HTTPS share every line but the handshake and the goodbye.
#include "web/http_server.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <mutex>
#include <optional>

namespace parkwatch {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// After an error response that closes the connection, the client may still be sending (the rest
// of an oversized body). Closing a socket with unread data makes the kernel send a reset, and the
// client may then lose the response before reading it. So the server stops sending, and reads
// and discards for a bounded time and amount before closing, like nginx's lingering_close.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerBytes = 8 << 20;

std::string EndpointText(const std::string& host, uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

bool IsHttpError(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

// What the listener needs of a session of either kind.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Close() = 0;
  // When the connection began waiting for a request's header, if it is waiting for one now (an
  // idle or slow client holding a connection without a request in progress).
  virtual std::optional<std::chrono::steady_clock::time_point> IdleSince() const = 0;
};

// State shared by the server object, its pending accept and its sessions, so that completion
// handlers still queued after ~HttpServer find live memory.
struct Listener : std::enable_shared_from_this<Listener> {
  Listener(asio::io_context& io, HttpServerOptions o, HttpHandler h)
      : io(io),
        options(std::move(o)),
        handler(std::move(h)),
        acceptor(io),
        retry_timer(io),
        max_connections(options.max_connections) {}

  void Accept();
  template <class S>
  void RunSession(std::shared_ptr<S> session) {
    {
      std::lock_guard lock(mutex);
      sessions.emplace(session.get(), session);
    }
    session->Run();
  }
  void Forget(SessionBase* session) {
    std::lock_guard lock(mutex);
    sessions.erase(session);
  }
  size_t OpenSessions() {
    std::lock_guard lock(mutex);
    return sessions.size();
  }
  // At the connection cap, the connection that has waited longest for a request's header makes
  // room for a new one, so idle sockets cannot lock real clients out. False if none waits.
  bool EvictLongestIdle() {
    std::shared_ptr<SessionBase> oldest;
    std::chrono::steady_clock::time_point since = std::chrono::steady_clock::time_point::max();
    {
      std::lock_guard lock(mutex);
      for (auto& [raw, weak] : sessions) {
        auto session = weak.lock();
        if (!session) continue;
        auto idle = session->IdleSince();
        if (idle && *idle < since) {
          since = *idle;
          oldest = std::move(session);
        }
      }
    }
    if (!oldest) return false;
    oldest->Close();  // outside the lock: dropping it may run ~Session, which takes it
    return true;
  }
  // Takes bytes from the budget of buffered bodies; false (nothing taken) if it would overflow.
  bool LeaseBodyBytes(size_t bytes) {
    size_t now = buffered_body_bytes.load();
    do {
      if (now + bytes > options.max_buffered_body_bytes) return false;
    } while (!buffered_body_bytes.compare_exchange_weak(now, now + bytes));
    return true;
  }
  void ReturnBodyBytes(size_t bytes) { buffered_body_bytes -= bytes; }
  // At most one "accept failed" line per 10 s, with the count of those not logged.
  void LogAcceptFailure(const beast::error_code& ec) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_accept_log < std::chrono::seconds(10)) {
      ++accept_failures_unlogged;
      return;
    }
    if (accept_failures_unlogged)
      spdlog::warn("http: accept failed: {} ({} more since the last report)", ec.message(),
                   accept_failures_unlogged);
    else
      spdlog::warn("http: accept failed: {}", ec.message());
    last_accept_log = now;
    accept_failures_unlogged = 0;
  }
  TlsContext CurrentTls() {
    std::lock_guard lock(mutex);
    return tls;
  }

  asio::io_context& io;
  const HttpServerOptions options;
  const HttpHandler handler;
  HttpAdmit admit;  // set before Start; empty admits everything with options.max_body_bytes
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  uint16_t port = 0;
  bool started = false;
  bool stopped = false;
  std::atomic<size_t> max_connections;
  std::atomic<size_t> buffered_body_bytes{0};
  std::chrono::steady_clock::time_point last_accept_log{};  // loop thread
  size_t accept_failures_unlogged = 0;                      // loop thread
  // Guarded by mutex: a session's last reference may be dropped by a respond callback's owner
  // on another thread, and its destructor then unregisters from there.
  std::mutex mutex;
  std::map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
  TlsContext tls;  // null: plain HTTP; swapped by HttpServer::SetTls for new connections
};

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(tcp::socket socket, std::shared_ptr<Listener> listener, TlsContext tls)
      : stream_(MakeStream(std::move(socket), tls)),
        listener_(std::move(listener)),
        tls_(std::move(tls)) {
    beast::error_code ec;
    auto endpoint = Lowest().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  ~Session() override {
    ReturnBody();
    listener_->Forget(this);
  }

  void Run() {
    waiting_since_ = std::chrono::steady_clock::now().time_since_epoch().count();
    if constexpr (kTls) {
      DetectTls();
    } else {
      ReadRequest(/*first=*/true);
    }
  }

  std::optional<std::chrono::steady_clock::time_point> IdleSince() const override {
    if (!waiting_since_) return std::nullopt;
    return std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(waiting_since_.load()));
  }

  // Closes the connection now (server stopping). Pending operations complete with an error.
  void Close() override {
    closed_ = true;
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  // Queues the response to request number seq onto the session's thread. Any thread.
  void PostResponse(uint64_t seq, HttpResponse response) {
    asio::post(stream_.get_executor(),
               [self = shared_from_this(), seq, response = std::move(response)]() mutable {
                 if (self->closed_ || seq != self->seq_) return;
                 self->Write(std::move(response), /*close=*/false);
               });
  }

 private:
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

  static Stream MakeStream(tcp::socket socket, const TlsContext& tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // A client speaking plain HTTP to the TLS port gets a readable answer, as from Go's servers,
  // instead of a reset it would have to guess the meaning of.
  void DetectTls() {
    Lowest().expires_after(listener_->options.header_timeout);
    beast::async_detect_ssl(Lowest(), buffer_,
                            [self = shared_from_this()](beast::error_code ec, bool tls) {
                              if (ec) return self->EndQuietly(ec);
                              if (!tls) return self->RefusePlainHttp();
                              self->Handshake();
                            });
  }

  void RefusePlainHttp() {
    static const std::string kAnswer =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Connection: close\r\nContent-Length: 48\r\n\r\n"
        "Client sent an HTTP request to an HTTPS server.\n";
    spdlog::debug("http {}: plain HTTP on the TLS listener", remote_);
    asio::async_write(Lowest(), asio::buffer(kAnswer),
                      [self = shared_from_this()](beast::error_code, size_t) {
                        self->EndQuietly(asio::error::eof);
                      });
  }

  void Handshake() {
    if constexpr (kTls) {
      // The bytes the detector read are the start of the ClientHello: hand them over.
      stream_.async_handshake(asio::ssl::stream_base::server, buffer_.data(),
                              [self = shared_from_this()](beast::error_code ec, size_t used) {
                                if (ec) {
                                  spdlog::debug("http {}: TLS handshake failed: {}", self->remote_,
                                                ec.message());
                                  return self->EndQuietly(asio::error::eof);
                                }
                                self->buffer_.consume(used);
                                self->ReadRequest(/*first=*/true);
                              });
    }
  }

  void ReadRequest(bool first) {
    if (closed_) return;
    waiting_since_ = std::chrono::steady_clock::now().time_since_epoch().count();
    parser_.emplace();
    parser_->body_limit(listener_->options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(listener_->options.max_header_bytes));
    if (first || buffer_.size() > 0) {
      ReadHeader();
      return;
    }
    // A kept-alive connection may be quiet for idle_timeout; once the next request starts, its
    // header must be complete within header_timeout like on a new connection.
    Lowest().expires_after(listener_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->EndQuietly(ec);
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    Lowest().expires_after(listener_->options.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // The header is in: build the request without its body and let admission decide, before a
  // byte of the body is read or "100 Continue" invites it.
  void OnHeader(beast::error_code ec) {
    waiting_since_ = 0;
    if (ec) return OnReadError(ec);
    auto& message = parser_->get();
    request_ = HttpRequest();
    request_.method = std::string(message.method_string());
    head_ = message.method() == http::verb::head;
    if (head_) request_.method = "GET";
    request_.target = std::string(message.target());
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    started_ = std::chrono::steady_clock::now();
    method_ = std::string(message.method_string());
    target_ = request_.target;
    if (!ParseTarget(request_.target, &request_)) {
      ++seq_;
      keep_alive_ = false;
      return Write(JsonError(400, "bad_data", "malformed percent-encoding in request target"),
                   true);
    }
    request_.content_type = std::string(message[http::field::content_type]);
    request_.authorization = std::string(message[http::field::authorization]);
    request_.remote_address = remote_;
    request_.cookie = std::string(message[http::field::cookie]);
    request_.host = std::string(message[http::field::host]);
    request_.origin = std::string(message[http::field::origin]);
    request_.referer = std::string(message[http::field::referer]);
    request_.csrf_token = std::string(message["X-CSRF-Token"]);
    request_.if_none_match = std::string(message[http::field::if_none_match]);
    if (!listener_->admit) {
      HttpAdmission all;
      all.max_body_bytes = listener_->options.max_body_bytes;
      return OnAdmitted(std::move(all));
    }
    auto decide = [self = shared_from_this(), seq = seq_](HttpAdmission admission) {
      asio::post(self->stream_.get_executor(), [self, seq, admission = std::move(admission)]() {
        if (self->closed_ || seq != self->seq_) return;
        self->OnAdmitted(admission);
      });
    };
    try {
      listener_->admit(request_, std::move(decide));
    } catch (const std::exception& e) {
      spdlog::error("http {} {}: admission failed: {}", method_, target_, e.what());
      Fail(500, "internal error");
    }
  }

  void OnAdmitted(const HttpAdmission& admission) {
    if (admission.refusal) {
      ++seq_;
      keep_alive_ = false;
      return Write(*admission.refusal, /*close=*/true);
    }
    request_.principal = admission.principal;
    if (parser_->is_done()) return Dispatch();
    size_t limit = std::min(admission.max_body_bytes, listener_->options.max_body_bytes);
    auto length = parser_->content_length();
    if ((length && *length > limit) || (!length && limit == 0))
      return Fail(413, "request body exceeds " + std::to_string(limit) + " bytes");
    size_t lease = length ? static_cast<size_t>(*length) : limit;
    if (!listener_->LeaseBodyBytes(lease))
      return Fail(503, "server busy: too many request bodies in flight, try again");
    leased_ = lease;
    body_limit_ = limit;
    parser_->body_limit(limit);
    auto& request = parser_->get();
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      // Clients such as curl wait (a second) for this before sending a large body.
      continue_.emplace(http::status::continue_, request.version());
      Lowest().expires_after(listener_->options.body_timeout);
      http::async_write(stream_, *continue_,
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->EndQuietly(ec);
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReturnBody() {
    if (leased_) listener_->ReturnBodyBytes(leased_);
    leased_ = 0;
  }

  // Splits target into the percent-decoded path and query; false on a malformed escape.
  static bool ParseTarget(const std::string& target, HttpRequest* request) {
    size_t question = target.find('?');
    bool ok = PercentDecode(target.substr(0, question), /*plus_as_space=*/false, &request->path);
    if (!ok || question == std::string::npos) return ok;
    std::string_view rest = std::string_view(target).substr(question + 1);
    while (ok && !rest.empty()) {
      size_t amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      std::string key, value;
      ok = PercentDecode(std::string(pair.substr(0, eq)), true, &key) &&
           (eq == std::string_view::npos ||
            PercentDecode(std::string(pair.substr(eq + 1)), true, &value));
      if (ok) request->query.emplace(std::move(key), std::move(value));
    }
    return ok;
  }

  void ReadBody() {
    Lowest().expires_after(listener_->options.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Dispatch();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      size_t limit = body_limit_ ? body_limit_ : listener_->options.max_body_bytes;
      return Fail(413, "request body exceeds " + std::to_string(limit) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return Fail(431, "request header exceeds " +
                           std::to_string(listener_->options.max_header_bytes) + " bytes");
    }
    // end_of_stream and partial_message mean the peer went away; nothing to answer.
    if (IsHttpError(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return Fail(400, "malformed request: " + ec.message());
    }
    EndQuietly(ec);
  }

  // The connection ends without a response: peer closed, timed out, reset, or server stopping.
  void EndQuietly(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      spdlog::debug("http {}: closing connection: client too slow", remote_);
    } else if (ec != asio::error::operation_aborted && ec != http::error::end_of_stream &&
               ec != asio::error::eof) {
      spdlog::debug("http {}: closing connection: {}", remote_, ec.message());
    }
    closed_ = true;
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  void Fail(int status, const std::string& message) {
    spdlog::debug("http {}: {} {}", remote_, status, message);
    ++seq_;  // no handler response may overtake this one
    head_ = false;
    version_ = 11;
    started_ = std::chrono::steady_clock::now();
    method_ = "-";
    target_ = "-";
    static const std::map<int, std::string> kTypes = {{400, "bad_data"},
                                                      {413, "too_large"},
                                                      {431, "too_large"},
                                                      {500, "internal"},
                                                      {503, "unavailable"}};
    auto type = kTypes.find(status);
    Write(JsonError(status, type == kTypes.end() ? "bad_data" : type->second, message),
          /*close=*/true);
  }

  void Dispatch() {
    HttpRequest request = std::move(request_);
    request.body = std::move(parser_->get().body());
    uint64_t seq = ++seq_;
    auto slot = std::make_shared<Slot>(shared_from_this(), seq);
    HttpRespond respond = [slot](HttpResponse response) { slot->Respond(std::move(response)); };
    try {
      listener_->handler(std::move(request), std::move(respond));
    } catch (const std::exception& e) {
      spdlog::error("http {} {}: handler failed: {}", method_, target_, e.what());
      slot->Respond(JsonError(500, "internal", "internal error"), /*quiet=*/true);
    } catch (...) {
      spdlog::error("http {} {}: handler failed with a non-standard exception", method_, target_);
      slot->Respond(JsonError(500, "internal", "internal error"), /*quiet=*/true);
    }
  }

  // Owns the duty to respond to one request: shared by every copy of its HttpRespond. It keeps
  // the session alive while the handler works elsewhere, since no read is pending meanwhile.
  class Slot {
   public:
    Slot(std::shared_ptr<Session> session, uint64_t seq)
        : session_(std::move(session)), seq_(seq) {}
    ~Slot() {
      if (!done_.exchange(true)) {
        spdlog::error("http {} {}: handler dropped the request without responding",
                      session_->method_, session_->target_);
        session_->PostResponse(seq_, JsonError(500, "internal", "internal error: no response"));
      }
    }
    void Respond(HttpResponse response, bool quiet = false) {
      if (done_.exchange(true)) {
        if (!quiet) spdlog::warn("http: respond called more than once; ignored");
        return;
      }
      session_->PostResponse(seq_, std::move(response));
    }

   private:
    std::shared_ptr<Session> session_;
    const uint64_t seq_;
    std::atomic<bool> done_{false};
  };

  void Write(HttpResponse in, bool close) {
    ReturnBody();  // the request's body has been handed on (or never read)
    close_after_write_ = close || !keep_alive_ || listener_->stopped;
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(in.status));
    response_.set(http::field::server, "parkwatch");
    if (!in.content_type.empty()) response_.set(http::field::content_type, in.content_type);
    for (auto& [name, value] : in.headers) {
      if (beast::iequals(name, "Set-Cookie"))
        response_.insert(name, value);  // one per cookie
      else
        response_.set(name, value);
    }
    response_.keep_alive(!close_after_write_);
    response_.body() = std::move(in.body);
    response_.prepare_payload();
    if (head_) {
      // HEAD: the same header as GET, Content-Length included, but no body.
      size_t length = response_.body().size();
      response_.body().clear();
      response_.content_length(length);
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started_;
    spdlog::debug("http {} {} {} -> {} ({} bytes, {:.3f} s)", remote_, method_, target_, in.status,
                  response_.body().size(), took.count());
    Lowest().expires_after(listener_->options.body_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->EndQuietly(ec);
                        if (self->close_after_write_) return self->Linger();
                        self->ReadRequest(/*first=*/false);
                      });
  }

  void Linger() {
    if constexpr (kTls) {
      // TLS says goodbye with close_notify; an unread rest of the request is not drained.
      Lowest().expires_after(kLingerTime);
      stream_.async_shutdown(
          [self = shared_from_this()](beast::error_code) { self->EndQuietly(asio::error::eof); });
      return;
    }
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return EndQuietly(ec);
    Lowest().expires_after(kLingerTime);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) {
                                return self->EndQuietly(asio::error::eof);
                              }
                              self->Drain();
                            });
  }

  Stream stream_;
  std::shared_ptr<Listener> listener_;
  TlsContext tls_;  // keeps the context a TLS session was made from alive
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  HttpRequest request_;    // the current request between its header and its body
  size_t leased_ = 0;      // bytes of the listener's body budget this request holds
  size_t body_limit_ = 0;  // the current request's admitted body size
  http::response<http::string_body> response_;
  std::string remote_;
  // The current request: what the response needs from it, and what the log line says.
  uint64_t seq_ = 0;  // responses to an older request number are stale and dropped
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool close_after_write_ = false;
  std::string method_;
  std::string target_;
  std::chrono::steady_clock::time_point started_;
  bool closed_ = false;
  // Steady-clock ticks since the session began waiting for a header; 0 while a request is in
  // progress. Read by the listener's eviction from the loop thread.
  std::atomic<int64_t> waiting_since_{0};
  char drain_buffer_[16 << 10];
  size_t drained_ = 0;
};

void Listener::Accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (self->stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Typically out of file descriptors: retry shortly instead of spinning on the loop.
      self->LogAcceptFailure(ec);
      self->retry_timer.expires_after(std::chrono::milliseconds(100));
      self->retry_timer.async_wait([self](beast::error_code ec) {
        if (!ec && !self->stopped) self->Accept();
      });
      return;
    }
    if (self->OpenSessions() >= self->max_connections && !self->EvictLongestIdle()) {
      // Full of requests in progress: closing at once keeps the descriptors reserved for the
      // store, the inbox and deliveries; the client sees a closed connection and may retry.
      self->LogAcceptFailure(beast::error_code(asio::error::no_descriptors));
      beast::error_code ignored;
      socket.close(ignored);
      return self->Accept();
    }
    // Each connection takes the context current at its accept: a reload with new certificates
    // (or TLS turned on or off) applies to new connections, open ones keep theirs.
    if (TlsContext tls = self->CurrentTls())
      self->RunSession(
          std::make_shared<Session<TlsStream>>(std::move(socket), self, std::move(tls)));
    else
      self->RunSession(std::make_shared<Session<PlainStream>>(std::move(socket), self, nullptr));
    self->Accept();
  });
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<Listener> listener;
};

HttpServer::HttpServer(boost::asio::io_context& io, HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_shared<Impl>()) {
  impl_->listener = std::make_shared<Listener>(io, std::move(options), std::move(handler));
}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::Start(std::string* error) {
  Listener& l = *impl_->listener;
  const std::string& host = l.options.address;
  const std::string where = "listen " + EndpointText(host, l.options.port);
  auto fail = [&](const std::string& why) {
    if (error) *error = where + ": " + why;
    return false;
  };
  if (l.started) return fail("server already started");

  beast::error_code ec;
  asio::ip::address address;
  bool any = host.empty();
  if (any) {
    address = asio::ip::address_v6::any();
  } else if (host == "localhost") {
    address = asio::ip::address_v4::loopback();  // no resolver: one address, no surprises
  } else {
    address = asio::ip::make_address(host, ec);
    if (ec) return fail("invalid address \"" + host + "\"");
  }
  tcp::endpoint endpoint(address, l.options.port);
  l.acceptor.open(endpoint.protocol(), ec);
  if (ec && any) {  // a host without IPv6: all IPv4 interfaces then
    endpoint = tcp::endpoint(asio::ip::address_v4::any(), l.options.port);
    l.acceptor.open(endpoint.protocol(), ec);
    any = false;
  }
  if (ec) return fail(ec.message());
  if (any) l.acceptor.set_option(asio::ip::v6_only(false), ec);  // best effort: dual stack
  // Lets a restarted daemon bind while old connections linger in TIME_WAIT.
  l.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  l.acceptor.bind(endpoint, ec);
  if (!ec) l.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    l.acceptor.close(ignored);
    return fail(ec.message());
  }
  l.port = l.acceptor.local_endpoint(ec).port();
  // Raise the descriptor limit to its hard maximum (as Go does at start), then leave
  // reserved_descriptors of it to everything that is not a connection.
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    if (limit.rlim_cur < limit.rlim_max) {
      limit.rlim_cur = limit.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &limit);
      ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    size_t usable = limit.rlim_cur > l.options.reserved_descriptors * 2
                        ? static_cast<size_t>(limit.rlim_cur) - l.options.reserved_descriptors
                        : static_cast<size_t>(limit.rlim_cur) / 2;
    l.max_connections = std::min(l.options.max_connections, usable);
  }
  l.started = true;
  l.Accept();
  spdlog::info("http: listening on {}{}", EndpointText(host.empty() ? "" : host, l.port),
               l.CurrentTls() ? " (TLS)" : "");
  return true;
}

void HttpServer::SetTls(TlsContext tls) {
  Listener& l = *impl_->listener;
  std::lock_guard lock(l.mutex);
  l.tls = std::move(tls);
}

uint16_t HttpServer::port() const { return impl_->listener->port; }

void HttpServer::SetAdmission(HttpAdmit admit) { impl_->listener->admit = std::move(admit); }

size_t HttpServer::connections() const { return impl_->listener->OpenSessions(); }

size_t HttpServer::max_connections() const { return impl_->listener->max_connections; }

void HttpServer::Stop() {
  Listener& l = *impl_->listener;
  if (l.stopped) return;
  l.stopped = true;
  beast::error_code ec;
  l.acceptor.close(ec);
  l.retry_timer.cancel();
  std::vector<std::shared_ptr<SessionBase>> open;
  {
    std::lock_guard lock(l.mutex);
    for (auto& [raw, weak] : l.sessions) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  // Closed outside the lock: dropping the last reference runs ~Session, which takes it.
  for (auto& session : open) session->Close();
}

}  // namespace parkwatch
