// ReadJsonTable on arbitrary bytes: the body of POST /api/v1/ingest.
#include <cstdlib>

#include "collectors/table_reader.h"
#include "fuzz/fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  static const std::vector<IndicatorConfig> indicators = DefaultIndicators();
  CollectorConfig collector;
  collector.name = "fuzz";
  CountingSink sink;
  TableResult result;
  ReadJsonTable(std::string_view(reinterpret_cast<const char*>(data), size), "request", collector,
                indicators, &sink, &result);
  if (result.rows_accepted > result.rows_read) std::abort();
  // The bounds hold for any body: a few hundred errors, each of bounded length.
  if (result.errors.size() > kMaxStoredErrors + 1) std::abort();
  for (const Diagnostic& d : result.errors)
    if (d.message.size() > kMaxMessageBytes + 3 || d.field.size() > kMaxQuotedBytes + 3)
      std::abort();
  return 0;
}
