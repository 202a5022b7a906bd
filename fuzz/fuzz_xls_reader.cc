// Arbitrary bytes as an .xls compound file (FreeXL, in a forked child): see fuzz_workbook.h.
#include "fuzz/fuzz_workbook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return parkwatch::FuzzWorkbook(data, size, parkwatch::FileFormat::kOle2, "fuzz.xls");
}
