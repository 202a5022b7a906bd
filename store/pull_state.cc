#include "store/pull_state.h"

namespace parkwatch {

PullState LoadPullState(Store& store, const std::string& collector) {
  Statement s(
      store.db(),
      "SELECT etag, last_modified, watermark, updated_at FROM pull_state WHERE collector = ?");
  s.Bind(1, collector);
  PullState state;
  if (s.Step()) {
    state.etag = s.Text(0);
    state.last_modified = s.Text(1);
    if (!s.IsNull(2)) state.watermark = s.Text(2);
    state.updated_at = s.Int(3);
  }
  return state;
}

void SavePullState(Store& store, const std::string& collector, const PullState& state) {
  Statement s(store.db(),
              "INSERT INTO pull_state (collector, etag, last_modified, watermark, updated_at) "
              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (collector) DO UPDATE SET etag = excluded.etag, "
              "last_modified = excluded.last_modified, watermark = excluded.watermark, "
              "updated_at = excluded.updated_at");
  s.Bind(1, collector).Bind(2, state.etag).Bind(3, state.last_modified).Bind(4, state.watermark);
  s.Bind(5, UnixNow()).Run();
}

}  // namespace parkwatch
