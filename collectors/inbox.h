// The inbox: a directory the statistics office drops files into.
//
// InboxWatcher reports each file the moment it is complete (inotify IN_CLOSE_WRITE or a rename
// into the directory), on the event loop: no polling timer. Files present at start are reported
// too, so nothing dropped while the daemon was down is missed. What to do with a file is the
// caller's business; FileInbox() tells where it goes afterwards.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace parkwatch {

class InboxWatcher {
 public:
  using OnFile = std::function<void(const std::string& path)>;

  // Creates directory (and processed/, rejected/) if missing. Throws std::runtime_error if
  // inotify cannot watch it.
  InboxWatcher(boost::asio::io_context& io, std::string directory, OnFile on_file);
  ~InboxWatcher();

  // Reports files already waiting (oldest name first), then follows new arrivals.
  void Start();
  void Stop();

  const std::string& directory() const { return directory_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string directory_;
};

// Whether a directory entry is a file to ingest: a regular file (not a symlink, not a
// directory), not hidden, not a temporary name (*.tmp, *.part, ~$*, *.crdownload) that a
// writer renames when it is done.
bool IsInboxCandidate(const std::string& path);

// Moves an ingested file to processed/ (committed, partial, duplicate) or rejected/ and writes
// NAME.errors.txt beside it when the batch had errors: each error in Chinese (bad.csv 第3行第5列
// · 报告期：…), its English indented on the next line. Returns the new path.
std::string FileInboxResult(const std::string& path, const BatchSummary& summary);

}  // namespace parkwatch
