// Standard base64 (RFC 4648 §4, with padding), used by mail bodies, robot signatures and HTTP
// basic authentication.
#pragma once

#include <optional>
#include <string>

namespace parkwatch {

std::string Base64(const std::string& bytes);

// The decoded bytes, or nullopt if text is not padded standard base64 (no whitespace allowed).
std::optional<std::string> Base64Decode(const std::string& text);

}  // namespace parkwatch
