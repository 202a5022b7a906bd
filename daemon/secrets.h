// `parkwatch secrets`: the bearer tokens a deployment needs, generated where parkwatch.yml's
// web.ingest_token_file and web.admin_token_file name them (deploy/parkwatch.yml:
// /etc/parkwatch/secrets/{ingest,admin}), so an install never has to invent a secret by hand.
#pragma once

#include <string>
#include <vector>

namespace parkwatch {

// The token files `secrets` writes into its directory: "ingest" and "admin".
const std::vector<std::string>& TokenFileNames();

// What happened to one token file.
struct TokenFileResult {
  std::string path;
  bool written = false;  // false: it existed and was kept
};

// Makes dir (0750, parents too) if missing, then writes each of TokenFileNames() that does not
// exist yet (every one with replace) as 32 random bytes from the kernel's CSPRNG via OpenSSL, in
// hex, plus a newline. Each file is written beside its place and renamed into it (a reader sees
// the old token or the new, never half of one), mode 0640, its group the directory's: with the
// directory root:parkwatch 0750 the service reads the tokens and no other user can. An existing
// token is never replaced without replace, so running it again (an upgrade, a second install)
// keeps the tokens the clients have. Throws std::runtime_error naming the path on failure.
// Thread: any.
std::vector<TokenFileResult> WriteTokenFiles(const std::string& dir, bool replace);

}  // namespace parkwatch
