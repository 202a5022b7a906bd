// Arbitrary bytes as an .xlsx archive (libzip + expat): see fuzz_workbook.h.
#include "fuzz/fuzz_workbook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return parkwatch::FuzzWorkbook(data, size, parkwatch::FileFormat::kXlsx, "fuzz.xlsx");
}
