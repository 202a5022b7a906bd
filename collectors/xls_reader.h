// Excel 97-2003 workbooks (.xls, BIFF8 in an OLE2 container), read through libfreexl.
//
// FreeXL runs in a child process (fork) that sends the chosen sheet's rows down a pipe: fuzzing
// found it reading out of bounds on crafted files, and a crash, an overrun or a hang (killed
// after 120 s) there is then a refused file, not a harmed daemon. FreeXL loads the whole
// workbook, at most 65 536 rows and 256 columns a sheet, in the child; the caller holds one row.
// A password-protected (obfuscated) workbook is refused.
#pragma once

#include <memory>
#include <string>

#include "collectors/sheet.h"

namespace parkwatch {

// Opens the .xls at path and selects a sheet. Throws WorkbookError. Any thread; the source is
// used by one thread at a time.
std::unique_ptr<SheetSource> OpenXlsSheet(const std::string& path, const SheetChoice& choice);

}  // namespace parkwatch
