// Table readers: turn a bureau's CSV export or a JSON request body into validated records.
//
// A table is either wide (one column per indicator: 统一社会信用代码,报告期,工业总产值(万元),...)
// or long (指标,数值[,单位] columns, one figure per row), or both at once. Its headers are mapped
// to roles by the collector's `columns` first, then by the built-in vocabulary (RoleOfHeader).
//
// Every problem becomes a Diagnostic with file, line, column and the header as written, and
// the row it is in sends nothing to the sink. A header the reader does not know makes the whole
// table's meaning unclear, so then no row is accepted.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/diagnostic.h"
#include "core/records.h"

namespace parkwatch {

struct TableResult {
  int64_t rows_read = 0;      // data rows, header excluded (blank rows are not counted)
  int64_t rows_accepted = 0;  // rows without any error
  // The errors, in input order. At most kMaxStoredErrors are kept; when there were more, one
  // last diagnostic (line 0) says "... and N more errors".
  std::vector<Diagnostic> errors;
  int64_t error_count = 0;  // every error, the listed ones and those only counted
  std::string encoding;     // utf-8 | gb18030, as detected or declared
};

// Reads one CSV table. Good rows go to sink as they are read (memory stays flat in file size).
// A row with any error sends nothing to the sink, except that when the sink itself refuses a
// figure (a duplicate, say) the row's other records have already been sent; the row then counts
// as failed all the same. progress (optional) is called with the bytes consumed from `in` about
// every MiB, and once at the end.
//
// Columns in diagnostics count characters of the decoded text (see CsvReader). The encoding is
// collector.encoding: auto (detected from the first 64 KiB), utf-8 or gb18030 (gbk, gb2312).
void ReadCsvTable(std::istream& in, const std::string& file_name, const CollectorConfig& collector,
                  const std::vector<IndicatorConfig>& indicators, RecordSink* sink,
                  TableResult* result, const std::function<void(int64_t)>& progress = {});

// Reads a JSON body: {"rows":[{header: value,...},...]} or a bare array of such objects. Values
// may be strings, numbers, booleans (for the key flag) or null (= blank); the same header
// mapping applies to member names. JSON is UTF-8 by definition (RFC 8259), so
// collector.encoding is not consulted. Diagnostics: file = source_name, line = 1-based row
// index (0 for the body as a whole), column 0, field = the member name.
void ReadJsonTable(std::string_view body, const std::string& source_name,
                   const CollectorConfig& collector, const std::vector<IndicatorConfig>& indicators,
                   RecordSink* sink, TableResult* result);

// Reads one worksheet of a workbook (collectors/sheet.h, opened by collectors/workbook.h) with
// the same header mapping and row checks as a CSV table, plus what statistical tables have:
// a title block above the header (its 单位：万元 gives indicator columns that name no unit
// theirs), a two-row header whose upper cell groups the lower ones (工业总产值 over 本月 |
// 本年累计 | 上年同期: the month's figure, the year-to-date one checked against it but not
// stored, and the same period last year's), 合计 rows skipped, and a footer (单位负责人,
// 填表人) that ends the table. A date cell in the period column is its month. Diagnostics name
// the sheet and cell (企业月报.xlsx:Sheet1!D17); a workbook unreadable part way is one error.
// progress is called with sheet.consumed() about every MiB.
class SheetSource;
void ReadSheetTable(SheetSource& sheet, const std::string& file_name,
                    const CollectorConfig& collector,
                    const std::vector<IndicatorConfig>& indicators, RecordSink* sink,
                    TableResult* result, const std::function<void(int64_t)>& progress = {});

// Parses a number as offices write it: surrounding blanks, thousands separators ("1,234.5"),
// full-width digits ("１２３") and a leading '+' or '-' are accepted. Returns false for text
// that is not a number; *missing is set (and false returned) for the "no figure" forms:
// blank, "-", "—", "–", "－", "--", "——". A trailing "%" is not accepted here.
bool ParseFigure(std::string_view text, double* value, bool* missing);

}  // namespace parkwatch
