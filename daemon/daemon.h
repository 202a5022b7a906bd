// The long-running service: one io_context on the main thread for every event (HTTP, inbox
// files, signals), one worker thread for the store's writes (ingestion, and later rule
// evaluation), results posted back to the loop.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"

namespace parkwatch {

struct DaemonOptions {
  std::string config_file;
  std::string listen_address;   // overrides web.listen_address when set
  std::string web_config_file;  // overrides web.config_file when set
};

// Runs until SIGTERM or SIGINT; SIGHUP reloads the config. Returns the process exit code.
int RunDaemon(const DaemonOptions& options);

}  // namespace parkwatch
