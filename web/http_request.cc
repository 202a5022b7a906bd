// The parts of the HTTP layer that need no Beast: request helpers, listen-address parsing,
// percent-decoding and JSON errors. Kept apart from http_server.cc so that they compile quickly
// and can be tested without the server.
#include <cstdio>

#include "web/http_server.h"

namespace parkwatch {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Escapes a string for a JSON string literal. Bytes >= 0x80 pass through: messages are UTF-8.
std::string JsonEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace

std::string HttpRequest::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

HttpResponse JsonSuccess(const std::string& data_json, int status) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"status\":\"success\",\"data\":" + data_json + "}";
  return response;
}

namespace {

// {"status":"error","errorType":TYPE,"error":EN[,"error_zh":ZH][,"data":DATA]}
HttpResponse ErrorEnvelope(int status, const std::string& type, const std::string& message,
                           const std::string* message_zh, const std::string& data_json) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"status\":\"error\",\"errorType\":\"" + JsonEscape(type) + "\",\"error\":\"" +
                  JsonEscape(message) + "\"";
  if (message_zh) response.body += ",\"error_zh\":\"" + JsonEscape(*message_zh) + "\"";
  if (!data_json.empty()) response.body += ",\"data\":" + data_json;
  response.body += "}";
  return response;
}

}  // namespace

HttpResponse JsonError(int status, const std::string& type, const std::string& message,
                       const std::string& data_json) {
  return ErrorEnvelope(status, type, message, nullptr, data_json);
}

HttpResponse JsonError(int status, const std::string& type, const Wording& message,
                       const std::string& data_json) {
  return ErrorEnvelope(status, type, message.en, &message.zh, data_json);
}

bool PercentDecode(const std::string& text, bool plus_as_space, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      bool complete = i + 2 < text.size();
      int hi = complete ? HexValue(text[i + 1]) : -1;
      int lo = complete ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool SplitHostPort(const std::string& listen, std::string* host, uint16_t* port,
                   std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error) *error = "listen address \"" + listen + "\": " + why;
    return false;
  };
  std::string port_text;
  if (!listen.empty() && listen[0] == '[') {
    size_t close = listen.find(']');
    if (close == std::string::npos) return fail("missing ']'");
    if (close + 1 >= listen.size() || listen[close + 1] != ':') return fail("missing port");
    *host = listen.substr(1, close - 1);
    port_text = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return fail("missing port");
    // An unbracketed IPv6 address would make the port ambiguous, as in Go's net.SplitHostPort.
    if (listen.find(':') != colon) return fail("IPv6 addresses must be in brackets: [::1]:9780");
    *host = listen.substr(0, colon);
    port_text = listen.substr(colon + 1);
  }
  if (port_text.empty() || port_text.size() > 5) return fail("invalid port");
  unsigned value = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return fail("invalid port");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return fail("port out of range");
  *port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace parkwatch
