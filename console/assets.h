// The console's files (HTML shell, script, styles, translations and the charting library),
// compiled into the binary at build time by console/embed_assets.cmake: the console works on a
// park intranet with no internet and nothing beside the binary.
//
// Threading: the files are constants; any thread may call these functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parkwatch {

// One embedded file as the build wrote it (console_assets.cc, generated).
struct EmbeddedFile {
  const char* name;  // base name, e.g. "app.js"
  const unsigned char* data;
  size_t size;
};
const std::vector<EmbeddedFile>& EmbeddedConsoleFiles();

// A file ready to serve: its bytes, content type by extension and an ETag of its content.
struct ConsoleAsset {
  std::string_view body;
  std::string content_type;
  std::string etag;  // "\"<first 16 hex of SHA-256>\""
};

// The asset named name ("app.js"), or null when there is none.
const ConsoleAsset* FindConsoleAsset(std::string_view name);

}  // namespace parkwatch
