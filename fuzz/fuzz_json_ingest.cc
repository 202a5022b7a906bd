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
  return 0;
}
