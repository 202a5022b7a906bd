// `parkwatch demo`: a demo park a newcomer can start at once.
#pragma once

#include <string>

namespace parkwatch {

// Writes DIR/parkwatch.yml (store, listener, an inbox collector, tokens) and the demo park's
// CSV files into DIR/inbox, dated up to today. Returns false and sets *error on failure.
bool WriteDemo(const std::string& dir, std::string* error);

// The demo's configuration text, for a park whose files are in DIR/inbox.
std::string DemoConfigYaml();

}  // namespace parkwatch
