// Where each scheduled pull (collectors/puller.h) left off, kept in the store so a restart
// neither pulls again what was taken nor skips what was not.
#pragma once

#include <optional>
#include <string>

#include "store/store.h"

namespace parkwatch {

struct PullState {
  std::string etag;                      // http_pull: the ETag of the last body taken
  std::string last_modified;             // http_pull: its Last-Modified
  std::optional<std::string> watermark;  // sql_pull: the :since of the next pull; unset: never
  int64_t updated_at = 0;  // unix seconds of the last pull that succeeded; 0: none yet
};

// The state of collector; an empty state if it never pulled. Any thread with its own Store.
PullState LoadPullState(Store& store, const std::string& collector);
// Replaces the state of collector; updated_at becomes now.
void SavePullState(Store& store, const std::string& collector, const PullState& state);

}  // namespace parkwatch
