#include "collectors/xls_reader.h"

#include <freexl.h>

#include <charconv>
#include <vector>

namespace parkwatch {
namespace {

std::string FreexlReason(int code) {
  switch (code) {
    case FREEXL_FILE_NOT_FOUND:
      return "the file cannot be opened";
    case FREEXL_INSUFFICIENT_MEMORY:
      return "not enough memory to read it";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
      return "not an Excel 97-2003 workbook (no valid OLE2 header)";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "an OLE2 file without an Excel workbook stream (an encrypted .xlsx, or a Word or "
             "other Office file)";
    case FREEXL_CRAFTED_FILE:
      return "the file's structure is severely corrupt (possibly crafted): refused";
    default:
      return "corrupt or unsupported .xls file (FreeXL error " + std::to_string(code) + ")";
  }
}

class XlsSheet : public SheetSource {
 public:
  explicit XlsSheet(const std::string& path, const SheetChoice& choice) {
    int rc = freexl_open(path.c_str(), &handle_);
    if (rc != FREEXL_OK) {
      if (handle_) freexl_close(handle_);
      handle_ = nullptr;
      throw WorkbookError(FreexlReason(rc));
    }
    unsigned int info = 0;
    if (freexl_get_info(handle_, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED)
      Fail("the workbook is password-protected: save it without a password");
    unsigned int& sheets = sheets_;
    if (freexl_get_info(handle_, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0)
      Fail("the workbook has no sheets");
    unsigned short chosen = 0;
    std::string names;
    bool found = choice.name.empty();
    for (unsigned short i = 0; i < sheets; ++i) {
      const char* name = nullptr;
      freexl_get_worksheet_name(handle_, i, &name);
      std::string n = name ? name : "";
      names += (names.empty() ? "" : ", ") + n;
      if (!choice.name.empty() && !found && n == choice.name) chosen = i, found = true;
      if (i == 0 || chosen == i) name_ = n;
    }
    if (choice.index > 0) {
      if (static_cast<unsigned>(choice.index) > sheets)
        Fail("sheet " + std::to_string(choice.index) + " was asked for, but the workbook has " +
             std::to_string(sheets) + " sheets");
      chosen = static_cast<unsigned short>(choice.index - 1);
      const char* name = nullptr;
      freexl_get_worksheet_name(handle_, chosen, &name);
      name_ = name ? name : "";
    }
    if (!found)
      Fail("no sheet named \"" + choice.name + "\" in the workbook (sheets: " + names + ")");
    if (freexl_select_active_worksheet(handle_, chosen) != FREEXL_OK ||
        freexl_worksheet_dimensions(handle_, &rows_, &columns_) != FREEXL_OK)
      Fail("sheet \"" + name_ + "\" cannot be read");
  }
  ~XlsSheet() override {
    if (handle_) freexl_close(handle_);
  }

  bool Next() override {
    while (next_row_ < rows_) {
      row_ = static_cast<int>(++next_row_);
      cells_.clear();
      for (unsigned short c = 0; c < columns_; ++c) {
        FreeXL_CellValue value;
        if (freexl_get_cell_value(handle_, next_row_ - 1, c, &value) != FREEXL_OK) continue;
        SheetCell cell;
        cell.column = c + 1;
        switch (value.type) {
          case FREEXL_CELL_INT:
            cell.kind = SheetCell::kNumber;
            cell.number = value.value.int_value;
            break;
          case FREEXL_CELL_DOUBLE:
            cell.kind = SheetCell::kNumber;
            cell.number = value.value.double_value;
            break;
          case FREEXL_CELL_TEXT:
          case FREEXL_CELL_SST_TEXT:
          case FREEXL_CELL_TIME:
            cell.kind = SheetCell::kText;
            cell.text = value.value.text_value ? value.value.text_value : "";
            break;
          case FREEXL_CELL_DATE:
          case FREEXL_CELL_DATETIME:
            cell.text = value.value.text_value ? value.value.text_value : "";
            cell.kind = ParseDate(cell.text, &cell) ? SheetCell::kDate : SheetCell::kText;
            break;
          default:
            continue;
        }
        if (cell.kind == SheetCell::kText && cell.text.empty()) continue;
        cells_.push_back(std::move(cell));
      }
      if (!cells_.empty()) return true;
    }
    return false;
  }
  int row() const override { return row_; }
  std::span<const SheetCell> cells() const override { return cells_; }
  const std::string& sheet_name() const override { return name_; }
  int sheet_count() const override { return static_cast<int>(sheets_); }
  int64_t consumed() const override { return next_row_; }
  int64_t total() const override { return rows_; }

 private:
  [[noreturn]] void Fail(const std::string& why) {
    freexl_close(handle_);
    handle_ = nullptr;
    throw WorkbookError(why);
  }

  static bool ParseDate(const std::string& s, SheetCell* cell) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
    auto num = [&](size_t at, size_t len, int* out) {
      auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, *out);
      return ec == std::errc() && end == s.data() + at + len;
    };
    return num(0, 4, &cell->year) && num(5, 2, &cell->month) && num(8, 2, &cell->day);
  }

  const void* handle_ = nullptr;
  std::string name_;
  unsigned int sheets_ = 0;
  unsigned int rows_ = 0;
  unsigned short columns_ = 0;
  unsigned int next_row_ = 0;
  int row_ = 0;
  std::vector<SheetCell> cells_;
};

}  // namespace

std::unique_ptr<SheetSource> OpenXlsSheet(const std::string& path, const SheetChoice& choice) {
  return std::make_unique<XlsSheet>(path, choice);
}

}  // namespace parkwatch
