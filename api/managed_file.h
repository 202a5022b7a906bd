// A file the console manages beside the configuration (console-tuning.yml, console-users.yml):
// a page reads it with its hash and sends the hash back with a change, so a change made over a
// newer one (another user, an editor) is refused rather than lost; a written change is reloaded
// at once and the old content put back when the reload refuses it.
//
// Thread: the loop thread (it reloads, and the loop is the one writer of these files).
#pragma once

#include <string>

#include "api/services.h"

namespace parkwatch {

class ManagedFile {
 public:
  // Reads path as it is now; an absent file reads as "".
  explicit ManagedFile(std::string path);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The hash a page is given with the file and sends back with its change.
  std::string hash() const;
  bool ChangedSince(const std::string& page_hash) const { return page_hash != hash(); }

  // Writes fresh atomically and reloads (source, who as LoopServices::Reload). On a refused
  // reload the file is put back as it was (removed if it was absent) and the reload's error
  // returned; "" when the change is in force. A failed write throws ApiError 500.
  std::string WriteAndReload(LoopServices& loop, const std::string& fresh,
                             const std::string& source, const std::string& who) const;

 private:
  std::string path_;
  bool existed_ = false;
  std::string text_;
};

}  // namespace parkwatch
