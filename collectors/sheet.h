// A worksheet as a stream of rows: what the workbook readers (xlsx_reader.h, xls_reader.h) hand
// to the table reader, whatever the file format.
//
// Rows come one at a time and only the current one is held, so memory stays flat however long
// the sheet is. Cells carry their type as the workbook stores it (text, number, date, formula
// error), because a date cell in the period column means its month and a formula whose value
// was never calculated must be refused rather than read as blank.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/wording.h"

namespace parkwatch {

struct SheetCell {
  enum Kind {
    kBlank,
    kText,          // text: shared, inline or a formula's string result
    kNumber,        // number
    kDate,          // year/month/day (a number in a date format, or an ISO date)
    kBool,          // number: 0 or 1
    kError,         // text: the formula error as Excel shows it, e.g. #DIV/0!
    kUncalculated,  // a formula without a cached value (written by a program, never opened)
  } kind = kBlank;
  int column = 0;  // 1-based: A is 1
  std::string text;
  double number = 0;
  int year = 0, month = 0, day = 0;
};

// A workbook that cannot be read at all: not a workbook, encrypted, corrupt, too large when
// unpacked, or a sheet that does not exist. what() is the reason, for a reader of the
// rejection ("the workbook is password-protected; save it without a password"); wording() is
// that reason in English and Chinese (工作簿设有密码：请取消密码后另存).
class WorkbookError : public std::runtime_error {
 public:
  WorkbookError(const std::string& en, std::string zh)
      : std::runtime_error(en), zh_(std::move(zh)) {}
  Wording wording() const { return {what(), zh_}; }

 private:
  std::string zh_;
};

class SheetSource {
 public:
  virtual ~SheetSource() = default;

  // Moves to the next row that has at least one cell. Returns false at the end of the sheet.
  // Throws WorkbookError when the sheet turns out to be unreadable part way.
  virtual bool Next() = 0;
  // 1-based row number of the current row, as Excel shows it.
  virtual int row() const = 0;
  // The current row's non-blank cells, in column order.
  virtual std::span<const SheetCell> cells() const = 0;
  // The selected sheet's name, for diagnostics (企业月报.xlsx:Sheet1!D17).
  virtual const std::string& sheet_name() const = 0;
  // How many sheets the workbook has.
  virtual int sheet_count() const = 0;
  // Progress: bytes of input consumed so far, and the total to expect (both in the same units,
  // the file's bytes or, for a workbook read whole, rows).
  virtual int64_t consumed() const = 0;
  virtual int64_t total() const = 0;
};

// Which sheet a collector reads: `sheet: 企业月报` by name, `sheet: 2` by 1-based position,
// `sheet: "*"` every sheet in order (a table longer than the 1 048 576 rows a sheet holds
// continues on the next); empty means the first sheet.
struct SheetChoice {
  std::string name;
  int index = 0;     // 1-based; 0 when chosen by name or not at all
  bool all = false;  // every sheet: the reader opens index 1, 2, ... up to sheet_count()
};
SheetChoice ParseSheetChoice(const std::string& text);

// A1-style column letters: 1 -> A, 27 -> AA.
std::string ColumnLetters(int column);

// The civil date of an Excel serial day number in the 1900 system (with Excel's fictitious
// 1900-02-29 as serial 60) or the 1904 system. False for serials out of 1900..9999.
bool ExcelSerialToDate(double serial, bool date1904, int* year, int* month, int* day);

}  // namespace parkwatch
