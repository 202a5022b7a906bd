// `parkwatch report monthly` and the format switch every caller shares.
#include <cstdio>
#include <ctime>
#include <fstream>

#include "alerts/alert_store.h"
#include "report/render.h"
#include "rules/rule_config.h"
#include "rules/tuning.h"
#include "store/store.h"

namespace parkwatch {

std::string RenderReport(const MonthlyReport& report, const std::string& format,
                         const std::string& lang, std::string* error) {
  if (format == "html") return MonthlyReportHtml(report, lang);
  if (format == "json") return MonthlyReportJson(report, lang);
  if (format == "xlsx") return MonthlyReportXlsx(report, lang, error);
  if (format == "pdf") return HtmlToPdf(MonthlyReportHtml(report, lang), error);
  *error = "format must be html, xlsx, pdf or json";
  return "";
}

std::string ReportContentType(const std::string& format) {
  if (format == "html") return "text/html; charset=utf-8";
  if (format == "json") return "application/json";
  if (format == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (format == "pdf") return "application/pdf";
  return "application/octet-stream";
}

int MonthlyReportCommand(const std::string& config_file, const std::string& period_text,
                         const std::string& format, const std::string& lang,
                         const std::string& out) {
  if (format != "html" && format != "xlsx" && format != "pdf" && format != "json") {
    std::fprintf(stderr, "parkwatch report: --format must be html, xlsx, pdf or json\n");
    return 2;
  }
  if (lang != "zh" && lang != "en") {
    std::fprintf(stderr, "parkwatch report: --lang must be zh or en\n");
    return 2;
  }
  Config config;
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  if (!LoadConfig(config_file, &config, &diagnostics) ||
      !LoadRuleFiles(RuleFilesWithTuning(config), &rules, &diagnostics)) {
    std::fputs(JoinDiagnostics(diagnostics).c_str(), stderr);
    return 1;
  }
  try {
    auto store = Store::Open(config.storage_path);
    RuleData data;
    LoadReportData(*store, config, rules, &data);
    Period period;
    if (period_text.empty()) {
      auto latest = LatestReportMonth(data, config);
      if (!latest) {
        std::fprintf(stderr, "parkwatch report: the store has no monthly figures yet\n");
        return 1;
      }
      period = *latest;
    } else {
      std::string error;
      auto parsed = Period::Parse(period_text, &error);
      if (!parsed || !parsed->monthly()) {
        std::fprintf(stderr, "parkwatch report: --period=%s: %s\n", period_text.c_str(),
                     parsed ? "a month is needed, e.g. 2025-06" : error.c_str());
        return 2;
      }
      period = *parsed;
    }
    AlertStore alerts(store.get());
    MonthlyReportOptions options;
    options.now = std::time(nullptr);
    options.min_reported_share = config.reports.min_reported_share;
    MonthlyReport report = BuildMonthlyReport(data, config, rules, &alerts, period, options);
    if (!report.ok) {
      std::fprintf(stderr, "parkwatch report: %s\n", report.message.c_str());
      return 1;
    }
    std::string error;
    std::string bytes = RenderReport(report, format, lang, &error);
    if (bytes.empty()) {
      std::fprintf(stderr, "parkwatch report: %s\n", error.c_str());
      return 1;
    }
    std::string path = out.empty() ? ReportFileName(report, format) : out;
    if (path == "-") {
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
      return 0;
    }
    std::ofstream file(path, std::ios::binary);
    file << bytes;
    if (!file.flush()) {
      std::fprintf(stderr, "parkwatch report: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("%s\n", path.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parkwatch report: %s\n", e.what());
    return 1;
  }
}

}  // namespace parkwatch
