// A small blocking HTTP/1.1 client for tests, over plain POSIX sockets: one request per
// connection (Connection: close), no TLS, no redirects. Enough to talk to parkwatch and to the
// real peers the tests start on loopback (Prometheus, Alertmanager), and to see exactly what
// went over the wire, which a full client library would hide.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace parkwatch::testing {

struct HttpResult {
  int status = 0;                              // 0 when no response was read; see error
  std::string body;                            // de-chunked
  std::map<std::string, std::string> headers;  // names lowercased; repeated headers joined ", "
  std::string error;  // why status is 0 (connect failed, timeout, malformed response)

  // The header's value, or "" when absent; name is matched case-insensitively.
  std::string Header(const std::string& name) const;
};

// Sends one request to url (http://host:port/path?query, host may be [::1]) and reads the whole
// response. headers are whole lines, "Name: value". A Content-Length is sent whenever body is
// non-empty or the method is POST, PUT or PATCH. Gives up after 30 s without progress.
HttpResult Http(const std::string& method, const std::string& url, const std::string& body = "",
                const std::vector<std::string>& headers = {});

// Opens a TCP connection to host:port for tests that speak raw bytes (slow clients, malformed
// requests, keep-alive). Returns the file descriptor, or -1 with *error set. The socket has a
// 10 s receive timeout so that a test waiting for the server cannot hang forever.
int ConnectTcp(const std::string& host, uint16_t port, std::string* error = nullptr);

// Writes all of data to fd; false on error.
bool SendAll(int fd, const std::string& data);

// Sends raw bytes on a new connection to 127.0.0.1:port and returns everything that came back
// until the server closed (or the 10 s receive timeout); "" when the connection failed.
std::string RawExchange(uint16_t port, const std::string& bytes);

}  // namespace parkwatch::testing
