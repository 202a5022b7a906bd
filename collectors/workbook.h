// Which kind of file arrived, told by its content (never by its name: an .xlsx renamed .csv
// is still a workbook), and the one way to open a workbook's sheet whatever its format.
#pragma once

#include <memory>
#include <string_view>

#include "collectors/sheet.h"

namespace parkwatch {

enum class FileFormat {
  kText,  // CSV or JSON, read by the text readers
  kXlsx,  // a zip archive: Office Open XML (.xlsx) or a pretender, told apart on opening
  kOle2,  // an OLE2 compound file: Excel 97-2003 (.xls) or an encrypted .xlsx
};

// From the first bytes of the input (8 are enough).
FileFormat SniffFormat(std::string_view head);

// Opens the sheet of the workbook in fd (the descriptor stays the caller's). Throws
// WorkbookError, with the reason a reader of the rejection needs (password-protected, corrupt,
// a zip bomb, no such sheet). Any thread.
std::unique_ptr<SheetSource> OpenWorkbookSheet(int fd, FileFormat format,
                                               const SheetChoice& choice);

// The same over bytes in memory (request bodies, fuzzing); bytes must outlive the source.
std::unique_ptr<SheetSource> OpenWorkbookSheet(std::string_view bytes, FileFormat format,
                                               const SheetChoice& choice);

}  // namespace parkwatch
