// A real HTTP/1.1 server on loopback for tests of outgoing webhooks: it records every request
// and answers as the test's handler says (status, body, delay), over plain POSIX sockets in a
// thread of its own. One connection at a time, Connection: close — enough for a client that
// sends one request per connection, and it shows exactly what went over the wire.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace parkwatch::testing {

struct SinkRequest {
  std::string method;
  std::string target;                          // path and query
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

struct SinkResponse {
  int status = 200;
  std::string body = "{}";
  int delay_ms = 0;  // wait before answering (timeouts)
  std::vector<std::string> headers;
};

class HttpSink {
 public:
  // Listens on 127.0.0.1:port (0: any free port). Throws if it cannot bind.
  explicit HttpSink(uint16_t port = 0);
  ~HttpSink();  // Stop()s
  HttpSink(const HttpSink&) = delete;
  HttpSink& operator=(const HttpSink&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const;

  // Called for each request on the sink's thread; the default answers 200 {}.
  void SetHandler(std::function<SinkResponse(const SinkRequest&)> handler);

  std::vector<SinkRequest> Requests() const;
  size_t count() const;

  void Stop();  // closes the listening socket: later connections are refused

 private:
  void Serve();
  void Handle(int fd);

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::function<SinkResponse(const SinkRequest&)> handler_;
  std::vector<SinkRequest> requests_;
  std::thread thread_;
};

}  // namespace parkwatch::testing
