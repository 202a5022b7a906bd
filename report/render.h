// The monthly report in its formats: JSON (the API's figures), HTML (self-contained, inline SVG
// charts, A4 print styles), XLSX (one sheet per table, numbers as numbers, native Excel charts)
// and PDF (the HTML printed by headless chromium).
//
// Each function is pure over a MonthlyReport and may be called from any thread; the XLSX and PDF
// writers use temporary files, PDF a chromium child process.
#pragma once

#include <string>

#include "report/monthly_report.h"

namespace parkwatch {

// {"period":"2025-06","ok":true,"headline":…,"sections":[…],…}: ratios as ratios, levels in
// yuan, null where there is no value.
std::string MonthlyReportJson(const MonthlyReport& report, const std::string& lang);

// One HTML document with everything inline (fonts come from the system: Noto Sans CJK SC).
std::string MonthlyReportHtml(const MonthlyReport& report, const std::string& lang);

// The workbook's bytes; "" with *error on failure.
std::string MonthlyReportXlsx(const MonthlyReport& report, const std::string& lang,
                              std::string* error);

// The chromium binary (chromium, chromium-browser, google-chrome on PATH), or "" if none.
std::string FindChromium();
// Prints html to PDF with headless chromium; "" with *error when chromium is absent or fails.
std::string HtmlToPdf(const std::string& html, std::string* error);

// report-2025-06.html / .xlsx / .pdf (修订版: report-2025-06-r2.xlsx).
std::string ReportFileName(const MonthlyReport& report, const std::string& format);

}  // namespace parkwatch

namespace parkwatch {

// The report in format (html | xlsx | pdf | json); "" with *error when it cannot be made (PDF
// without chromium, an unknown format).
std::string RenderReport(const MonthlyReport& report, const std::string& format,
                         const std::string& lang, std::string* error);
// The Content-Type of a format.
std::string ReportContentType(const std::string& format);

// `parkwatch report monthly`: reads the store named by the config, writes the month's report to
// out (or report-PERIOD.FORMAT in the working directory). period "" = the latest month most
// enterprises reported. Returns the exit code; messages go to stderr.
int MonthlyReportCommand(const std::string& config_file, const std::string& period,
                         const std::string& format, const std::string& lang,
                         const std::string& out);

}  // namespace parkwatch
