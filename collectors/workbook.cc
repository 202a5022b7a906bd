#include "collectors/workbook.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "collectors/xls_reader.h"
#include "collectors/xlsx_reader.h"

namespace parkwatch {
namespace {

constexpr std::string_view kOle2Magic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
// The stream an encrypted Office Open XML file keeps its package in, as the compound file's
// directory spells it (UTF-16LE).
constexpr std::string_view kEncryptedPackage("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0",
                                             32);
constexpr int64_t kEncryptionScanLimit = int64_t{256} << 20;

// Whether the compound file in fd is an encrypted .xlsx: Excel saves a workbook with a
// password as an OLE2 file holding an EncryptedPackage stream.
bool HoldsEncryptedPackage(int fd) {
  std::string chunk(1 << 20, '\0');
  size_t keep = 0;
  for (off_t offset = 0; offset < kEncryptionScanLimit;) {
    ssize_t n = ::pread(fd, chunk.data() + keep, chunk.size() - keep, offset);
    if (n <= 0) return false;
    std::string_view data(chunk.data(), keep + static_cast<size_t>(n));
    if (data.find(kEncryptedPackage) != std::string_view::npos) return true;
    offset += n;
    // Keep the tail: the name may straddle two reads.
    keep = std::min(data.size(), kEncryptedPackage.size() - 1);
    std::memmove(chunk.data(), data.data() + data.size() - keep, keep);
  }
  return false;
}

WorkbookError Encrypted() {
  return {"the workbook is password-protected (an encrypted .xlsx): save it without a password",
          "工作簿设有密码（加密的 .xlsx）：请取消密码后另存再上传"};
}

}  // namespace

FileFormat SniffFormat(std::string_view head) {
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return FileFormat::kXlsx;
  if (head.starts_with(kOle2Magic)) return FileFormat::kOle2;
  return FileFormat::kText;
}

std::unique_ptr<SheetSource> OpenWorkbookSheet(int fd, FileFormat format,
                                               const SheetChoice& choice) {
  if (format == FileFormat::kXlsx) return OpenXlsxSheet(fd, choice);
  if (HoldsEncryptedPackage(fd)) throw Encrypted();
  return OpenXlsSheet("/proc/self/fd/" + std::to_string(fd), choice);
}

std::unique_ptr<SheetSource> OpenWorkbookSheet(std::string_view bytes, FileFormat format,
                                               const SheetChoice& choice) {
  if (format == FileFormat::kXlsx) return OpenXlsxSheet(bytes, choice);
  if (bytes.find(kEncryptedPackage) != std::string_view::npos) throw Encrypted();
  // FreeXL reads from a path: give it an anonymous in-memory file.
  int fd = ::memfd_create("parkwatch-xls", MFD_CLOEXEC);
  if (fd < 0)
    throw WorkbookError(std::string("cannot read the workbook: ") + std::strerror(errno),
                        std::string("无法读取工作簿：") + std::strerror(errno));
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw WorkbookError("cannot read the workbook: no room for a copy in memory",
                          "无法读取工作簿：内存不足");
    }
    done += static_cast<size_t>(n);
  }
  try {
    auto sheet = OpenXlsSheet("/proc/self/fd/" + std::to_string(fd), choice);
    ::close(fd);  // FreeXL has read the workbook whole
    return sheet;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace parkwatch
