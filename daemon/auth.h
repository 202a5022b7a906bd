// Bearer-token checks for the endpoints that write (ingest) or administer (reload).
#pragma once

#include <string>

namespace parkwatch {

enum class AuthResult { kOk, kMissing, kWrong, kDisabled };

// kDisabled when no token is configured (the endpoint is off), kMissing without an
// "Authorization: Bearer ..." header (401), kWrong for another token (403). The comparison
// takes the same time wherever the tokens differ, so timing reveals nothing of the secret.
AuthResult CheckBearer(const std::string& authorization_header, const std::string& token);

bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace parkwatch
