#include "collectors/inbox.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/private_files.h"

namespace parkwatch {

namespace fs = std::filesystem;

struct InboxWatcher::Impl {
  explicit Impl(boost::asio::io_context& io) : stream(io) {}
  boost::asio::posix::stream_descriptor stream;
  int watch = -1;
  OnFile on_file;
  std::array<char, 64 * 1024> buffer{};
  bool stopped = false;
};

InboxWatcher::InboxWatcher(boost::asio::io_context& io, std::string directory, OnFile on_file)
    : impl_(std::make_unique<Impl>(io)), directory_(std::move(directory)) {
  CreatePrivateDirectories(fs::path(directory_) / "processed");
  CreatePrivateDirectories(fs::path(directory_) / "rejected");
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) throw std::runtime_error("inotify_init1 failed");
  // CLOSE_WRITE: a writer finished; MOVED_TO: a file was renamed in whole. IN_CREATE is not
  // watched on purpose: a file being created is not complete yet.
  impl_->watch = inotify_add_watch(fd, directory_.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
  if (impl_->watch < 0) {
    ::close(fd);
    throw std::runtime_error("cannot watch inbox " + directory_);
  }
  impl_->stream.assign(fd);
  impl_->on_file = std::move(on_file);
}

InboxWatcher::~InboxWatcher() { Stop(); }

void InboxWatcher::Start() {
  std::vector<std::string> waiting;
  for (const auto& entry : fs::directory_iterator(directory_))
    if (IsInboxCandidate(entry.path().string())) waiting.push_back(entry.path().string());
  std::sort(waiting.begin(), waiting.end());
  for (const auto& path : waiting) impl_->on_file(path);

  // Re-arms itself after each read; stops when the descriptor is closed. The function holds
  // itself only weakly: the pending read's handler keeps it alive, so it is freed when the last
  // read ends (a strong self-reference would be a cycle that leaks at shutdown).
  std::shared_ptr<std::function<void()>> read = std::make_shared<std::function<void()>>();
  Impl* impl = impl_.get();
  std::string dir = directory_;
  *read = [impl, dir, weak = std::weak_ptr<std::function<void()>>(read)]() {
    auto read = weak.lock();
    if (!read) return;
    impl->stream.async_read_some(
        boost::asio::buffer(impl->buffer),
        [impl, dir, read](const boost::system::error_code& ec, size_t n) {
          if (ec || impl->stopped) return;
          for (size_t offset = 0; offset < n;) {
            auto* event = reinterpret_cast<const inotify_event*>(impl->buffer.data() + offset);
            offset += sizeof(inotify_event) + event->len;
            if (event->len == 0) continue;
            std::string path = (fs::path(dir) / event->name).string();
            if (IsInboxCandidate(path)) impl->on_file(path);
          }
          (*read)();
        });
  };
  (*read)();
}

void InboxWatcher::Stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  boost::system::error_code ec;
  impl_->stream.close(ec);
}

bool IsInboxCandidate(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0) return false;
  for (const char* suffix : {".tmp", ".part", ".crdownload", ".errors.txt"})
    if (name.size() >= std::strlen(suffix) &&
        name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
      return false;
  struct stat st;
  // lstat: a symlink is not followed, so a link to a file outside the inbox is never read.
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

namespace {

// NAME.errors.txt: read by the office that dropped the file, so in Chinese first, each error's
// English on the line under it (indented) for whoever matches it against the daemon's log.
std::string ErrorReport(const BatchSummary& s) {
  const std::string status_zh = s.status == "rejected"  ? "已拒收，未存入任何数据"
                                : s.status == "partial" ? "部分入库，下列行未存入"
                                                        : "已入库";
  std::string text = "# 批次 " + std::to_string(s.batch_id) + " " + status_zh + "，共 " +
                     std::to_string(s.error_count) + " 条错误 (" + s.status + " batch " +
                     std::to_string(s.batch_id) + ": " + std::to_string(s.error_count) +
                     " errors)\n";
  return text + JoinDiagnosticsZhEn(s.errors);
}

}  // namespace

std::string FileInboxResult(const std::string& path, const BatchSummary& summary) {
  fs::path from(path);
  fs::path dir = from.parent_path() / (summary.status == "rejected" ? "rejected" : "processed");
  CreatePrivateDirectories(dir);
  fs::path to = dir / from.filename();
  // A file of the same name dropped again keeps the earlier one: suffix with the batch id.
  if (fs::exists(to))
    to = dir / (from.stem().string() + ".batch" + std::to_string(summary.batch_id) +
                from.extension().string());
  if (!summary.errors.empty()) WritePrivateFile(to.string() + ".errors.txt", ErrorReport(summary));
  fs::rename(from, to);
  // The office's file, now the daemon's record of it: as private as everything else it keeps.
  fs::permissions(to, static_cast<fs::perms>(kPrivateFileMode));
  return to.string();
}

}  // namespace parkwatch
