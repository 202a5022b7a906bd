#include "core/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace parkwatch {
namespace {

[[noreturn]] void Fail(const char* what, const std::filesystem::path& path, int error) {
  throw std::filesystem::filesystem_error(what, path,
                                          std::error_code(error, std::generic_category()));
}

}  // namespace

void CreatePrivateDirectories(const std::filesystem::path& dir) {
  std::filesystem::path prefix;
  for (const auto& part : dir) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), kPrivateDirMode) == 0) {
      if (::chmod(prefix.c_str(), kPrivateDirMode) != 0) Fail("chmod", prefix, errno);
    } else if (errno != EEXIST) {
      Fail("cannot create directory", prefix, errno);
    }
  }
  if (!std::filesystem::is_directory(dir)) Fail("cannot create directory", dir, ENOTDIR);
}

void CreatePrivateFile(const std::filesystem::path& path) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kPrivateFileMode);
  if (fd < 0) {
    if (errno == EEXIST) return;
    Fail("cannot create file", path, errno);
  }
  int error = ::fchmod(fd, kPrivateFileMode) == 0 ? 0 : errno;
  ::close(fd);
  if (error) Fail("chmod", path, error);
}

void WritePrivateFile(const std::filesystem::path& path, std::string_view content) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, kPrivateFileMode);
  if (fd < 0) Fail("cannot write file", path, errno);
  int error = ::fchmod(fd, kPrivateFileMode) == 0 ? 0 : errno;
  for (size_t done = 0; !error && done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      error = errno;
    else
      done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && !error) error = errno;
  if (error) Fail("cannot write file", path, error);
}

}  // namespace parkwatch
