// The wire: blocking HTTP POST and SMTP submission over libcurl, and the small codecs the
// receivers need (HMAC-SHA256, base64, URL encoding, RFC 2047 headers, MIME).
//
// Every call is synchronous and bounded by its timeout; the dispatcher runs them on its worker
// thread, never on the event loop. Each call uses its own curl easy handle, so calls are
// thread-safe once curl_global_init has run (Dispatcher's constructor makes sure of that).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base64.h"  // Base64 for mail bodies and signatures

namespace parkwatch {

struct PostResult {
  long status = 0;             // 0: no response (see error)
  std::string body;            // capped at 64 KiB: only robots' JSON verdicts are read
  std::string error;           // curl's message when the request did not complete
  int64_t retry_after_ms = 0;  // from a Retry-After header in seconds, 0 if none
};

// POSTs body with the given header lines ("Name: value"). No redirects are followed.
PostResult HttpPost(const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers, int64_t timeout_ms);

// How a mail server is spoken to: STARTTLS required on a plain connection (port 587), TLS
// from the start (smtps, port 465), or no TLS at all.
enum class SmtpTls { kStartTls, kImplicit, kNone };

struct SmtpRequest {
  std::string smarthost;  // host:port
  SmtpTls tls = SmtpTls::kStartTls;
  bool insecure_skip_verify = false;
  std::string username;
  std::string password;
  std::string from;
  std::vector<std::string> recipients;  // envelope: To and Cc
  std::string message;                  // the whole RFC 5322 message, CRLF line ends
  int64_t timeout_ms = 10000;
};

// Submits one message; "" on success, else why not (curl's text and the server's reply code).
std::string SmtpSend(const SmtpRequest& request);

// A file attached to a mail (the monthly report's XLSX and PDF).
struct MailAttachment {
  std::string filename;  // ASCII, e.g. report-2025-06.xlsx
  std::string content_type;
  std::string bytes;
};

// A MIME multipart/alternative message with a text/plain and a text/html part, both UTF-8 and
// base64-encoded (Chinese text survives any relay), and an RFC 2047 encoded Subject. With
// attachments the whole is multipart/mixed: the alternative part first, then each file, base64.
std::string BuildMimeMessage(const std::string& from, const std::vector<std::string>& to,
                             const std::vector<std::string>& cc, const std::string& subject,
                             const std::string& text, const std::string& html,
                             const std::string& message_id, int64_t date_unix_seconds,
                             const std::vector<MailAttachment>& attachments = {});

// "=?UTF-8?B?...?=" words of at most 75 characters, split on UTF-8 character boundaries and
// folded with CRLF + space; ASCII-only text is returned unchanged.
std::string EncodeHeaderWord(const std::string& text);

std::string HmacSha256(const std::string& key, const std::string& message);  // raw 32 bytes
std::string UrlEncode(const std::string& text);  // RFC 3986 unreserved kept, rest %XX

// Signatures of the Chinese office robots (their documented algorithms):
// DingTalk: base64(HMAC-SHA256(key=secret, msg=timestamp_ms + "\n" + secret)), URL-encoded.
std::string DingTalkSign(int64_t timestamp_ms, const std::string& secret);
// Feishu: base64(HMAC-SHA256(key=timestamp_s + "\n" + secret, msg="")).
std::string FeishuSign(int64_t timestamp_s, const std::string& secret);

}  // namespace parkwatch
