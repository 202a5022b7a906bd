// HTTPS requests for the tests of the listener's TLS, through libcurl (the same library the
// notifiers send with): server verification against a test CA, client certificates, basic
// authentication, a cap on the protocol version, and the certificate the server presented.
#pragma once

#include <string>
#include <vector>

#include "tests/support/http_client.h"

namespace parkwatch::testing {

struct TlsClientOptions {
  std::string ca_file;    // CA that signed the server's certificate
  std::string cert_file;  // client certificate and key, for mutual TLS
  std::string key_file;
  std::string user;  // basic authentication when non-empty
  std::string password;
  bool max_tls12 = false;  // offer at most TLS 1.2
};

struct HttpsResult : HttpResult {
  std::string peer_subject;  // the server certificate's subject, e.g. "CN = parkwatch-one"
};

// One request; status 0 with error set when no response came (handshake refused, ...).
HttpsResult Https(const std::string& method, const std::string& url, const TlsClientOptions& tls,
                  const std::string& body = "", const std::vector<std::string>& headers = {});

// A CA, and certificates it signs, made with the openssl command line in dir: for tests that
// need real certificates. Names are file stems: MakeCertificate(dir, "server", ...) writes
// server.crt and server.key. Fails the current test on error.
void MakeCa(const std::string& dir, const std::string& name);
void MakeCertificate(const std::string& dir, const std::string& name, const std::string& ca,
                     const std::string& common_name);

}  // namespace parkwatch::testing
