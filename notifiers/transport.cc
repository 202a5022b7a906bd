#include "notifiers/transport.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <ctime>
#include <memory>

namespace parkwatch {
namespace {

constexpr size_t kMaxBody = 64 * 1024;

size_t CollectBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t len = size * n;
  if (body->size() < kMaxBody) body->append(data, std::min(len, kMaxBody - body->size()));
  return len;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* user) {
  auto* retry_after = static_cast<int64_t*>(user);
  std::string line(data, size * n);
  if (line.size() > 12 && strncasecmp(line.c_str(), "retry-after:", 12) == 0) {
    long seconds = std::strtol(line.c_str() + 12, nullptr, 10);
    if (seconds > 0) *retry_after = static_cast<int64_t>(seconds) * 1000;
  }
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct ReadState {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t n, void* user) {
  auto* s = static_cast<ReadState*>(user);
  size_t len = std::min(size * n, s->data->size() - s->offset);
  std::memcpy(buffer, s->data->data() + s->offset, len);
  s->offset += len;
  return len;
}

std::string Base64Lines(const std::string& bytes) {
  std::string b = Base64(bytes), out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

// Header line endings must be CRLF and never come from the data (header injection).
std::string OneLine(std::string s) {
  for (char& c : s)
    if (c == '\r' || c == '\n') c = ' ';
  return s;
}

// "经开区经济运行局 <a@b>": the display name may be Chinese; headers must stay ASCII.
std::string EncodeAddress(const std::string& addr) {
  std::string a = OneLine(addr);
  size_t lt = a.find('<');
  if (lt == std::string::npos || lt == 0) return a;
  std::string name = a.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return EncodeHeaderWord(name) + " " + a.substr(lt);
}

std::string JoinAddresses(const std::vector<std::string>& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + EncodeAddress(list[i]);
  return out;
}

// The bare address of "Name <a@b>" or "a@b", for the SMTP envelope.
std::string EnvelopeAddress(const std::string& addr) {
  size_t lt = addr.find('<'), gt = addr.find('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt)
    return "<" + addr.substr(lt + 1, gt - lt - 1) + ">";
  return "<" + addr + ">";
}

}  // namespace

PostResult HttpPost(const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers, int64_t timeout_ms) {
  PostResult r;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    r.error = "curl_easy_init failed";
    return r;
  }
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, SlistDeleter> header_list(list);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  // Receivers speak HTTP: a URL (or a redirect) to file://, gopher:// or the like is refused by
  // libcurl itself, whatever passed the config check.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.retry_after_ms);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "parkwatch/" PARKWATCH_VERSION);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    r.error = curl_easy_strerror(rc);
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

std::string SmtpSend(const SmtpRequest& req) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return "curl_easy_init failed";
  CURL* c = curl.get();
  const std::string url = (req.tls == SmtpTls::kImplicit ? "smtps://" : "smtp://") + req.smarthost;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "smtp,smtps");
  if (req.tls == SmtpTls::kStartTls)
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (req.insecure_skip_verify) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!req.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, req.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, req.password.c_str());
  }
  const std::string from = EnvelopeAddress(req.from);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_slist* rcpt = nullptr;
  for (const auto& r : req.recipients) rcpt = curl_slist_append(rcpt, EnvelopeAddress(r).c_str());
  std::unique_ptr<curl_slist, SlistDeleter> rcpt_list(rcpt);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  ReadState state{&req.message};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(c, CURLOPT_READDATA, &state);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return "";
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  return std::string(curl_easy_strerror(rc)) + (code ? " (SMTP " + std::to_string(code) + ")" : "");
}

std::string EncodeHeaderWord(const std::string& text) {
  bool ascii = true;
  for (unsigned char ch : text)
    if (ch >= 0x80 || ch < 0x20) ascii = false;
  if (ascii) return text;
  // "=?UTF-8?B?" + 60 base64 chars + "?=" = 72 <= 75: 45 bytes of text per word at most.
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string BuildMimeMessage(const std::string& from, const std::vector<std::string>& to,
                             const std::vector<std::string>& cc, const std::string& subject,
                             const std::string& text, const std::string& html,
                             const std::string& message_id, int64_t date_unix_seconds,
                             const std::vector<MailAttachment>& attachments) {
  char date[64];
  time_t t = static_cast<time_t>(date_unix_seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  const std::string boundary = "=_parkwatch_" + message_id.substr(0, 24);
  std::string m;
  m += "Date: " + std::string(date) + "\r\n";
  m += "From: " + EncodeAddress(from) + "\r\n";
  m += "To: " + JoinAddresses(to) + "\r\n";
  if (!cc.empty()) m += "Cc: " + JoinAddresses(cc) + "\r\n";
  m += "Subject: " + EncodeHeaderWord(OneLine(subject)) + "\r\n";
  m += "Message-ID: <" + OneLine(message_id) + "@parkwatch>\r\n";
  m += "MIME-Version: 1.0\r\n";
  const std::string mixed = boundary + "_mixed";
  if (!attachments.empty()) {
    m += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
    m += "--" + mixed + "\r\n";
  }
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Lines(text);
  m += "--" + boundary + "\r\n";
  m += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += Base64Lines(html);
  m += "--" + boundary + "--\r\n";
  for (const MailAttachment& a : attachments) {
    m += "\r\n--" + mixed + "\r\n";
    m += "Content-Type: " + OneLine(a.content_type) + "; name=\"" + OneLine(a.filename) + "\"\r\n";
    m += "Content-Transfer-Encoding: base64\r\n";
    m += "Content-Disposition: attachment; filename=\"" + OneLine(a.filename) + "\"\r\n\r\n";
    m += Base64Lines(a.bytes);
  }
  if (!attachments.empty()) m += "--" + mixed + "--\r\n";
  return m;
}

std::string HmacSha256(const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string UrlEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string DingTalkSign(int64_t timestamp_ms, const std::string& secret) {
  return UrlEncode(Base64(HmacSha256(secret, std::to_string(timestamp_ms) + "\n" + secret)));
}

std::string FeishuSign(int64_t timestamp_s, const std::string& secret) {
  return Base64(HmacSha256(std::to_string(timestamp_s) + "\n" + secret, ""));
}

}  // namespace parkwatch
