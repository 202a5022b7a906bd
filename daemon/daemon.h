// The long-running service. Its threads, each with what only it touches:
//   - the event loop (main thread, daemon.cc): signals, the listener and its admission, inbox
//     watchers, the minute tick, reloads, and the API's read routes on its own store connection;
//   - the store worker (daemon/store_worker.h): every store write — batches, rule evaluation and
//     the alert lifecycle, silences and acknowledgements — and the figure metrics;
//   - the dispatcher (notifiers/dispatcher.h): routing and delivery of notifications;
//   - the puller (collectors/puller.h): scheduled http_pull and sql_pull fetches, whose bodies
//     it hands to the store worker;
//   - the auth pool: bcrypt checks; the serving pool: /metrics serialisation.
// The routes and which thread each runs on are the one table of api/routes.cc.
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
