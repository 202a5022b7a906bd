#include "web/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <ctime>
#include <map>

namespace parkwatch {
namespace {

namespace ssl = boost::asio::ssl;

int ProtocolVersion(const std::string& name) {
  static const std::map<std::string, int> kVersions = {{"TLS10", TLS1_VERSION},
                                                       {"TLS11", TLS1_1_VERSION},
                                                       {"TLS12", TLS1_2_VERSION},
                                                       {"TLS13", TLS1_3_VERSION}};
  auto it = kVersions.find(name);
  return it == kVersions.end() ? 0 : it->second;  // 0: no bound
}

// Go's RequestClientCert and RequireAnyClientCert ask for a certificate without verifying it;
// OpenSSL verifies whenever it asks, so the callback accepts whatever chain was sent.
int AcceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

std::string OpenSslError(const boost::system::error_code& ec) {
  std::string text = ec.message();
  unsigned long queued;
  while ((queued = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(queued, buffer, sizeof buffer);
    text += std::string("; ") + buffer;
  }
  return text;
}

}  // namespace

TlsContext MakeServerTlsContext(const TlsServerConfig& config, std::string* error) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  boost::system::error_code ec;
  auto fail = [&](const std::string& what) {
    *error = what + ": " + OpenSslError(ec);
    return nullptr;
  };
  ERR_clear_error();
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                           ssl::context::single_dh_use,
                       ec);
  if (int v = ProtocolVersion(config.min_version)) SSL_CTX_set_min_proto_version(native, v);
  if (int v = ProtocolVersion(config.max_version)) SSL_CTX_set_max_proto_version(native, v);

  context->use_certificate_chain_file(config.cert_file, ec);
  if (ec) return fail("tls_server_config.cert_file " + config.cert_file);
  context->use_private_key_file(config.key_file, ssl::context::pem, ec);
  bool mismatch =
      ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
  if (ec && !mismatch) return fail("tls_server_config.key_file " + config.key_file);
  if (mismatch || SSL_CTX_check_private_key(native) != 1) {
    *error = "tls_server_config.key_file " + config.key_file +
             " does not match the certificate in " + config.cert_file;
    ERR_clear_error();
    return nullptr;
  }
  if (!config.client_ca_file.empty()) {
    context->load_verify_file(config.client_ca_file, ec);
    if (ec) return fail("tls_server_config.client_ca_file " + config.client_ca_file);
    // Tell clients which CAs are accepted so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca_file.c_str()))
      SSL_CTX_set_client_CA_list(native, names);
  }

  // Required by OpenSSL for resuming sessions when client certificates are verified.
  static const unsigned char kSessionContext[] = "parkwatch";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);

  const std::string& type = config.client_auth_type;
  if (type == "RequestClientCert") {
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, AcceptAnyCertificate);
  } else if (type == "RequireAnyClientCert") {
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       AcceptAnyCertificate);
  } else if (type == "VerifyClientCertIfGiven") {
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
  } else if (type == "RequireAndVerifyClientCert") {
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  } else {
    SSL_CTX_set_verify(native, SSL_VERIFY_NONE, nullptr);
  }
  return context;
}

std::optional<int64_t> CertificateNotAfter(const TlsContext& context) {
  if (!context) return std::nullopt;
  X509* certificate = SSL_CTX_get0_certificate(context->native_handle());
  if (!certificate) return std::nullopt;
  std::tm when{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &when) != 1) return std::nullopt;
  return static_cast<int64_t>(timegm(&when));
}

}  // namespace parkwatch
