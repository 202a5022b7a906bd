#include "collectors/http_fetch.h"

#include <curl/curl.h>

#include <memory>
#include <string_view>

#include "core/text.h"

namespace parkwatch {
namespace {

struct Transfer {
  const HttpFetchRequest& request;
  HttpFetchResult& result;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  // Counted after decompression, so a small gzip body cannot unpack past the bound.
  if (static_cast<int64_t>(t->result.body.size() + bytes) > t->request.max_body_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->result.body.append(data, bytes);
  return bytes;
}

// Header lines of the final response; a redirect's headers are replaced by the next ones.
size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->result.etag.clear();
    t->result.last_modified.clear();
    t->result.content_type.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  std::string value(Trim(line.substr(colon + 1)));
  if (name == "etag") t->result.etag = value;
  if (name == "last-modified") t->result.last_modified = value;
  if (name == "content-type") t->result.content_type = value;
  return size * n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->request.cancel && t->request.cancel->load() ? 1 : 0;
}

}  // namespace

HttpFetchResult HttpFetch(const HttpFetchRequest& request) {
  HttpFetchResult result;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.error = "cannot start an HTTP request (curl_easy_init failed)";
    result.retryable = true;
    return result;
  }
  Transfer t{request, result};
  curl_slist* headers = nullptr;
  if (!request.bearer_token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + request.bearer_token).c_str());
  if (!request.etag.empty())
    headers = curl_slist_append(headers, ("If-None-Match: " + request.etag).c_str());
  if (!request.last_modified.empty())
    headers = curl_slist_append(headers, ("If-Modified-Since: " + request.last_modified).c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(headers, curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // gzip or deflate if the server offers
  curl_easy_setopt(h, CURLOPT_USERAGENT, "parkwatch/" PARKWATCH_VERSION);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  CURLcode code = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.status);
  if (t.too_large) {
    result.status = 0;
    result.body.clear();
    result.error = "the body is larger than max_body_bytes (" +
                   std::to_string(request.max_body_bytes) + " bytes)";
    return result;
  }
  if (code != CURLE_OK) {
    result.status = 0;
    result.body.clear();
    result.error = code == CURLE_ABORTED_BY_CALLBACK ? "stopped: the daemon is shutting down"
                                                     : curl_easy_strerror(code);
    result.retryable = code != CURLE_ABORTED_BY_CALLBACK && code != CURLE_UNSUPPORTED_PROTOCOL &&
                       code != CURLE_URL_MALFORMAT;
    return result;
  }
  if (result.status == 200 || result.status == 304) return result;
  result.error = "HTTP " + std::to_string(result.status);
  if (result.status == 401 || result.status == 403) result.error += " (check the token)";
  result.retryable = result.status == 408 || result.status == 429 || result.status >= 500;
  result.body.clear();
  return result;
}

}  // namespace parkwatch
