// The OpenSSL server context for the listener, built from the web config's tls_server_config.
// Kept apart from http_server.cc so that `parkwatch check-config` can prove the certificate, key
// and CA files usable without compiling Beast in, and so the daemon can build a new context on
// reload (certificate rotation) and keep the old one if the new files are bad.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "config/web_config.h"

namespace boost::asio::ssl {
class context;
}

namespace parkwatch {

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// Loads the certificate chain and key (and checks they belong together), the client CA, the
// allowed protocol versions and the client-certificate policy. On failure returns null and sets
// *error to a message naming the file at fault.
TlsContext MakeServerTlsContext(const TlsServerConfig& config, std::string* error);

// The notAfter of the context's certificate (the leaf), Unix seconds; nullopt without one.
std::optional<int64_t> CertificateNotAfter(const TlsContext& context);

}  // namespace parkwatch
