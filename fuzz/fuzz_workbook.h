// The body of the workbook fuzz targets (fuzz_xlsx_reader, fuzz_xls_reader): arbitrary bytes as
// a workbook of one format, read through ReadSheetTable with the built-in headers. Any input is
// either refused with a WorkbookError or read, never a crash, a leak or a hang; what is read keeps
// the readers' promises (fuzz_sink.h) and its error list bounded.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/table_reader.h"
#include "collectors/workbook.h"
#include "fuzz/fuzz_sink.h"

namespace parkwatch {

inline int FuzzWorkbook(const uint8_t* data, size_t size, FileFormat format, const char* name) {
  static const std::vector<IndicatorConfig> indicators = DefaultIndicators();
  CollectorConfig collector;
  collector.name = "fuzz";
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CountingSink sink;
  TableResult result;
  try {
    auto sheet = OpenWorkbookSheet(bytes, format, SheetChoice{});
    ReadSheetTable(*sheet, name, collector, indicators, &sink, &result);
  } catch (const WorkbookError&) {
    return 0;
  }
  if (result.rows_accepted > result.rows_read) std::abort();
  if (result.errors.size() > kMaxStoredErrors + 1) std::abort();
  return 0;
}

}  // namespace parkwatch
