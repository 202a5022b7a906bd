#include "daemon/secrets.h"

#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/private_files.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;

std::string RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("OpenSSL's random generator failed");
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

[[noreturn]] void Fail(const std::string& what, const fs::path& path) {
  throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

const std::vector<std::string>& TokenFileNames() {
  static const std::vector<std::string> kNames = {"ingest", "admin"};
  return kNames;
}

std::vector<TokenFileResult> WriteTokenFiles(const std::string& dir, bool replace) {
  try {
    CreatePrivateDirectories(dir);
  } catch (const fs::filesystem_error& e) {
    throw std::runtime_error(e.what());
  }
  struct stat d {};
  if (::stat(dir.c_str(), &d) != 0) Fail("cannot stat", dir);
  std::vector<TokenFileResult> results;
  for (const std::string& name : TokenFileNames()) {
    fs::path path = fs::path(dir) / name;
    TokenFileResult r{path.string(), false};
    struct stat existing {};
    if (::lstat(path.c_str(), &existing) == 0 && !replace) {
      results.push_back(r);
      continue;
    }
    fs::path temp = fs::path(dir) / ("." + name + ".new");
    try {
      WritePrivateFile(temp, RandomToken() + "\n");
    } catch (const fs::filesystem_error& e) {
      throw std::runtime_error(e.what());
    }
    // Root writes the file for the service's group; a user who is not in that group keeps
    // their own (chown would fail), and the mode still keeps everyone else out.
    if (::chown(temp.c_str(), static_cast<uid_t>(-1), d.st_gid) != 0 && ::geteuid() == 0)
      Fail("cannot set group", temp);
    if (::rename(temp.c_str(), path.c_str()) != 0) Fail("cannot rename into place", path);
    r.written = true;
    results.push_back(r);
  }
  return results;
}

}  // namespace parkwatch
