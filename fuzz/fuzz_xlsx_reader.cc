// Arbitrary bytes as an .xlsx archive (libzip + expat), read through ReadSheetTable with the
// built-in headers: any input is either refused with a WorkbookError or read, never a crash, a leak
// or a hang.
#include <cstdlib>

#include "collectors/table_reader.h"
#include "collectors/workbook.h"
#include "fuzz/fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace parkwatch;
  static const std::vector<IndicatorConfig> indicators = DefaultIndicators();
  CollectorConfig collector;
  collector.name = "fuzz";
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CountingSink sink;
  TableResult result;
  try {
    auto sheet = OpenWorkbookSheet(bytes, FileFormat::kXlsx, SheetChoice{});
    ReadSheetTable(*sheet, "fuzz.xlsx", collector, indicators, &sink, &result);
  } catch (const WorkbookError&) {
    return 0;
  }
  if (result.rows_accepted > result.rows_read) std::abort();
  if (result.errors.size() > kMaxStoredErrors + 1) std::abort();
  return 0;
}
