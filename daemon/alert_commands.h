// `parkwatch alerts`, `parkwatch explain` and `parkwatch ack`: the alert answers of the HTTP API
// (api/answers.h) on the command line, as tables and sentences in Chinese (or English), times in
// the park's zone.
//
// Like `silence`, `report` and `backtest` they open the store named by --config.file rather than
// ask a running daemon: they work when the daemon is down or listens elsewhere, need no token on
// a command line, and SQLite's WAL lets them read beside the daemon (an acknowledgement written
// here is read by the daemon's delivery at its next cycle, as a silence is).
#pragma once

#include <string>

#include "daemon/flags.h"

namespace parkwatch {

int AlertsCommand(
    const Flags& flags);  // [--industry --enterprise --scope --rule --state --severity]
int ExplainCommand(const Flags& flags);  // FINGERPRINT
int AckCommand(const Flags& flags);      // FINGERPRINT --author= --note=

}  // namespace parkwatch
