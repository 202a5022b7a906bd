// Writes the bulk CSV of `parkwatch bench-data` as an .xlsx, the way report generators write
// big sheets (libxlsxwriter in constant-memory mode): text cells for codes and periods, number
// cells for figures; past the rows one sheet holds, the table goes on in the next sheet under
// the same header. The XLSX ingest benchmark (bench/xlsx.sh) reads it beside the CSV.
//
//   csv_to_xlsx IN.csv OUT.xlsx
#include <xlsxwriter.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

// One CSV line (no quoting: bench-data writes none) as a row; figures (third column on) of data
// rows as numbers.
void WriteRow(lxw_worksheet* ws, lxw_row_t row, const std::string& line, bool header) {
  size_t start = 0;
  for (lxw_col_t col = 0;; ++col) {
    size_t comma = line.find(',', start);
    std::string field = line.substr(start, comma == std::string::npos ? comma : comma - start);
    double v;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
    if (!header && col >= 2 && ec == std::errc() && end == field.data() + field.size())
      worksheet_write_number(ws, row, col, v, nullptr);
    else
      worksheet_write_string(ws, row, col, field.c_str(), nullptr);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: csv_to_xlsx IN.csv OUT.xlsx\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::string header, line;
  if (!in || !std::getline(in, header)) {
    std::fprintf(stderr, "csv_to_xlsx: cannot read %s\n", argv[1]);
    return 1;
  }
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(argv[2], &options);
  lxw_worksheet* ws = nullptr;
  int sheets = 0;
  for (lxw_row_t row = LXW_ROW_MAX; std::getline(in, line); ++row) {
    if (row == LXW_ROW_MAX) {  // no sheet yet, or this one is full
      ws = workbook_add_worksheet(wb, ("数据" + std::to_string(++sheets)).c_str());
      WriteRow(ws, 0, header, true);
      row = 1;
    }
    WriteRow(ws, row, line, false);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) {
    std::fprintf(stderr, "csv_to_xlsx: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
