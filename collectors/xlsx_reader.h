// Office Open XML workbooks (.xlsx), read as a stream: libzip unpacks the archive entry by
// entry and expat parses the chosen sheet's XML chunk by chunk, so a sheet of a million rows
// never sits in memory. What is held whole: the sheet list, the number formats (to know which
// cells are dates) and the shared string table (which a sheet's cells index into).
//
// Hostile files are refused before anything is unpacked where the archive's directory shows
// the problem (too many entries, an encrypted entry, a declared size or compression ratio of a
// zip bomb), and while unpacking otherwise (more bytes than declared, corrupt data, an XML
// document type declaration: entity expansion is never attempted). Each refusal is a
// WorkbookError saying why.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "collectors/sheet.h"

namespace parkwatch {

struct XlsxLimits {
  int64_t max_entries = 10000;                    // parts in the archive
  int64_t max_unpacked_bytes = int64_t{4} << 30;  // all parts together, as declared and as read
  int64_t max_ratio = 1000;  // unpacked : packed for any part larger than 1 MiB
  int64_t max_shared_string_bytes = int64_t{512} << 20;
};

// Opens the workbook in the file descriptor fd (duplicated; the caller keeps its own) and
// selects a sheet. Throws WorkbookError. Any thread; the source is used by one thread at a time.
std::unique_ptr<SheetSource> OpenXlsxSheet(int fd, const SheetChoice& choice,
                                           const XlsxLimits& limits = {});

// The same over bytes in memory (request bodies, fuzzing); bytes must outlive the source.
std::unique_ptr<SheetSource> OpenXlsxSheet(std::string_view bytes, const SheetChoice& choice,
                                           const XlsxLimits& limits = {});

}  // namespace parkwatch
