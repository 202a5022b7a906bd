// ReadCsvTable on arbitrary bytes, with encoding detection (auto) and the built-in headers.
#include <cstdlib>
#include <sstream>

#include "collectors/table_reader.h"
#include "fuzz/fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  static const std::vector<IndicatorConfig> indicators = DefaultIndicators();
  CollectorConfig collector;
  collector.name = "fuzz";
  // The first byte picks the declared encoding, so all three decoding paths are fuzzed.
  if (size > 0)
    collector.encoding = data[0] % 3 == 0 ? "auto" : data[0] % 3 == 1 ? "utf-8" : "gb18030";
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  CountingSink sink;
  TableResult result;
  ReadCsvTable(in, "fuzz.csv", collector, indicators, &sink, &result);
  if (result.rows_accepted > result.rows_read) std::abort();
  if (result.errors.size() > kMaxStoredErrors + 1) std::abort();
  for (const Diagnostic& d : result.errors)
    if (d.message.size() > kMaxMessageBytes + 3 || d.field.size() > kMaxQuotedBytes + 3)
      std::abort();
  return 0;
}
