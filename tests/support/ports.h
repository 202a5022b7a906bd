// Free TCP ports for tests that must pass a port to another program (prometheus, alertmanager,
// the parkwatch binary) rather than bind port 0 themselves.
#pragma once

#include <cstdint>

namespace parkwatch::testing {

// A port on 127.0.0.1 that was free a moment ago: binds port 0, reads the port back, closes.
// Another process may take it before the caller does; tests on one machine rarely race, and
// the kernel hands out ephemeral ports in rotation rather than reusing the last one.
uint16_t FreePort();

}  // namespace parkwatch::testing
