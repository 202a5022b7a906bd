#include "collectors/sheet.h"

#include <charconv>
#include <chrono>
#include <cmath>

namespace parkwatch {

SheetChoice ParseSheetChoice(const std::string& text) {
  SheetChoice choice;
  if (text == "*") {
    choice.all = true;
    return choice;
  }
  int index = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && index > 0)
    choice.index = index;
  else
    choice.name = text;
  return choice;
}

std::string ColumnLetters(int column) {
  std::string letters;
  for (int c = column; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters;
}

bool ExcelSerialToDate(double serial, bool date1904, int* year, int* month, int* day) {
  using namespace std::chrono;
  if (!std::isfinite(serial) || serial < 0 || serial > 3e6) return false;
  auto whole = static_cast<int>(std::floor(serial));
  sys_days date;
  if (date1904) {
    date = sys_days(1904y / January / 1) + days(whole);
  } else {
    if (whole < 1) return false;  // serial 0 is Excel's "1900-01-00"
    if (whole == 60) {            // Lotus's 1900-02-29, which never was: the end of February
      *year = 1900, *month = 2, *day = 28;
      return true;
    }
    // From 1 March 1900 on, serials count one day too many.
    date = sys_days(1899y / December / 31) + days(whole > 60 ? whole - 1 : whole);
  }
  year_month_day ymd(date);
  if (int{ymd.year()} < 1900 || int{ymd.year()} > 9999) return false;
  *year = int{ymd.year()};
  *month = static_cast<int>(unsigned{ymd.month()});
  *day = static_cast<int>(unsigned{ymd.day()});
  return true;
}

}  // namespace parkwatch
