#include "tests/support/http_client.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace parkwatch::testing {

namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

void SetTimeouts(int fd, int seconds) {
  timeval tv{};
  tv.tv_sec = seconds;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

struct Url {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";
  std::string host_header;
};

bool ParseUrl(const std::string& url, Url* out, std::string* error) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) {
    *error = "only http:// URLs are supported: " + url;
    return false;
  }
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) {
    out->target = rest.substr(slash);
    if (out->target[0] == '?') out->target = "/" + out->target;
  }
  out->host_header = authority;
  std::string port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) {
      *error = "bad host in " + url;
      return false;
    }
    out->host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      port_text = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    out->host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (!port_text.empty()) {
    try {
      int port = std::stoi(port_text);
      if (port <= 0 || port > 65535) throw std::out_of_range("port");
      out->port = static_cast<uint16_t>(port);
    } catch (const std::exception&) {
      *error = "bad port in " + url;
      return false;
    }
  }
  return true;
}

// Decodes a chunked body; false if it is cut short or malformed.
bool Dechunk(const std::string& raw, std::string* out) {
  size_t pos = 0;
  for (;;) {
    size_t line_end = raw.find("\r\n", pos);
    if (line_end == std::string::npos) return false;
    size_t size = 0;
    try {
      size = std::stoul(raw.substr(pos, line_end - pos), nullptr, 16);
    } catch (const std::exception&) {
      return false;
    }
    pos = line_end + 2;
    if (size == 0) return true;  // trailers, if any, are ignored
    if (pos + size > raw.size()) return false;
    out->append(raw, pos, size);
    pos += size + 2;
  }
}

}  // namespace

std::string HttpResult::Header(const std::string& name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

int ConnectTcp(const std::string& host, uint16_t port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) {
    if (error) *error = "resolve " + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  std::string last = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    last = std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    if (error) *error = "connect " + host + ":" + std::to_string(port) + ": " + last;
    return -1;
  }
  SetTimeouts(fd, 10);
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: a server that closed early must fail the test, not kill it with SIGPIPE.
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string RawExchange(uint16_t port, const std::string& bytes) {
  int fd = ConnectTcp("127.0.0.1", port);
  if (fd < 0) return "";
  SendAll(fd, bytes);
  std::string reply;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) reply.append(buffer, n);
  ::close(fd);
  return reply;
}

HttpResult Http(const std::string& method, const std::string& url, const std::string& body,
                const std::vector<std::string>& headers) {
  HttpResult result;
  Url parsed;
  if (!ParseUrl(url, &parsed, &result.error)) return result;
  int fd = ConnectTcp(parsed.host, parsed.port, &result.error);
  if (fd < 0) return result;
  SetTimeouts(fd, 30);

  std::string request = method + " " + parsed.target + " HTTP/1.1\r\n";
  request += "Host: " + parsed.host_header + "\r\n";
  request += "User-Agent: parkwatch-test\r\nConnection: close\r\n";
  for (const auto& line : headers) request += line + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  // A send failure is not final: a server rejecting a large body answers before reading it all.
  bool sent = SendAll(fd, request);

  std::string raw;
  char buffer[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      result.error = "timed out waiting for the response";
      break;
    }
    if (n <= 0) break;  // EOF, or a reset after the response was sent
    raw.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);

  // Interim 1xx responses (100 Continue after "Expect: 100-continue") precede the real one.
  while (raw.compare(0, 10, "HTTP/1.1 1") == 0 && raw.find("\r\n\r\n") != std::string::npos) {
    raw.erase(0, raw.find("\r\n\r\n") + 4);
  }
  size_t header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    if (result.error.empty()) {
      result.error = sent ? "no complete response header" : "send failed: connection closed";
    }
    return result;
  }
  size_t line_end = raw.find("\r\n");
  std::string status_line = raw.substr(0, line_end);
  if (status_line.compare(0, 5, "HTTP/") != 0 || status_line.size() < 12) {
    result.error = "malformed status line: " + status_line;
    return result;
  }
  result.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end + 2;
  while (pos < header_end) {
    size_t end = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, end - pos);
    pos = end + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string value = Trim(line.substr(colon + 1));
    auto [it, inserted] = result.headers.emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  std::string rest = raw.substr(header_end + 4);
  if (method == "HEAD" || result.status == 204 || result.status == 304) return result;
  if (Lower(result.Header("transfer-encoding")).find("chunked") != std::string::npos) {
    if (!Dechunk(rest, &result.body)) result.error = "truncated chunked body";
  } else if (!result.Header("content-length").empty()) {
    size_t length = std::stoul(result.Header("content-length"));
    if (rest.size() < length) result.error = "truncated body";
    result.body = rest.substr(0, length);
  } else {
    result.body = std::move(rest);
  }
  return result;
}

}  // namespace parkwatch::testing
