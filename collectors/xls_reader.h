// Excel 97-2003 workbooks (.xls, BIFF8 in an OLE2 container), read through libfreexl.
//
// FreeXL loads the whole workbook when it opens it; an .xls sheet has at most 65 536 rows and
// 256 columns, so that bounds memory. A password-protected (obfuscated) workbook is refused.
#pragma once

#include <memory>
#include <string>

#include "collectors/sheet.h"

namespace parkwatch {

// Opens the .xls at path and selects a sheet. Throws WorkbookError. Any thread; the source is
// used by one thread at a time.
std::unique_ptr<SheetSource> OpenXlsSheet(const std::string& path, const SheetChoice& choice);

}  // namespace parkwatch
