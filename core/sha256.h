// SHA-256 content hashes, the identity of an ingested batch's bytes (duplicate detection).
#pragma once

#include <string>
#include <string_view>

namespace parkwatch {

// Incremental, for files streamed in chunks.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view bytes);
  std::string HexDigest();  // lower-case hex; call once

 private:
  void* ctx_;  // EVP_MD_CTX, kept opaque so OpenSSL headers stay out of this one
};

std::string Sha256Hex(std::string_view bytes);

}  // namespace parkwatch
