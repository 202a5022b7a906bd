// One conditional HTTP GET of a pulled source (collectors/puller.h): the bearer token, the
// validators of the last body taken (ETag, Last-Modified), a timeout for the whole exchange and
// a bound on the body. Blocking; libcurl with one easy handle per call, so any thread may call
// it once curl_global_init has run (the Puller's constructor makes sure of it).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace parkwatch {

struct HttpFetchRequest {
  std::string url;  // http:// or https://; redirects followed (at most 5, http(s) only)
  std::string bearer_token;
  std::string etag;           // sent as If-None-Match when set
  std::string last_modified;  // sent as If-Modified-Since when set
  int64_t timeout_ms = 60'000;
  int64_t max_body_bytes = 64LL << 20;
  const std::atomic<bool>* cancel = nullptr;  // set: the transfer stops at once
};

struct HttpFetchResult {
  long status = 0;  // 200 or 304 when it worked; 0 when no response came
  std::string body;
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::string error;       // "" when status is 200 or 304; otherwise why not, for a person
  bool retryable = false;  // a network failure, a timeout, 408, 429 or 5xx: worth trying again
};

HttpFetchResult HttpFetch(const HttpFetchRequest& request);

}  // namespace parkwatch
