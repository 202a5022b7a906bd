// GET /api/v1/reports/monthly/{period}?format=json|html|xlsx|pdf&lang=zh|en: the monthly
// analysis, computed on the worker thread from the engine's data (the numbers the rules and
// /metrics have). {period} is 2025-06; 2025-01 or 2025-02 mean 1—2月; "latest" the latest month
// most enterprises reported.
#include <ctime>

#include "alerts/alert_store.h"
#include "daemon/api.h"
#include "report/render.h"

namespace parkwatch {

HttpResponse ApiMonthlyReport(const RuleData& data, const Config& config, const RuleSet& rules,
                              AlertStore* alerts, const HttpRequest& request) {
  static const std::string kPrefix = "/api/v1/reports/monthly/";
  std::string text = request.path.substr(kPrefix.size());
  std::string format = request.Query("format", "json");
  std::string lang = request.Query("lang", "zh");
  if (format != "json" && format != "html" && format != "xlsx" && format != "pdf")
    return JsonError(400, "bad_data", "format must be json, html, xlsx or pdf");
  if (lang != "zh" && lang != "en") return JsonError(400, "bad_data", "lang must be zh or en");
  Period period;
  if (text == "latest") {
    auto latest = LatestReportMonth(data, config);
    if (!latest) return JsonError(404, "no_data", "the store has no monthly figures yet");
    period = *latest;
  } else {
    std::string error;
    auto parsed = Period::Parse(text, &error);
    if (!parsed || !parsed->monthly())
      return JsonError(
          400, "bad_data",
          "period " + text + ": " + (parsed ? "a month is needed, e.g. 2025-06" : error));
    period = *parsed;
  }
  MonthlyReportOptions options;
  options.now = std::time(nullptr);
  options.min_reported_share = config.reports.min_reported_share;
  MonthlyReport report = BuildMonthlyReport(data, config, rules, alerts, period, options);
  if (!report.ok) {
    // The figures that do exist (reporters, expected) come with the message.
    HttpResponse r = JsonError(422, "insufficient_data", report.message);
    r.body.pop_back();  // the envelope's closing brace: the figures go in as "data"
    r.body += ",\"data\":" + MonthlyReportJson(report, lang) + "}";
    return r;
  }
  std::string error;
  std::string bytes = RenderReport(report, format, lang, &error);
  if (bytes.empty()) return JsonError(503, "unavailable", error);
  if (format == "json") return JsonSuccess(bytes);
  HttpResponse r;
  r.status = 200;
  r.content_type = ReportContentType(format);
  r.body = std::move(bytes);
  if (format != "html")
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + ReportFileName(report, format) + "\"");
  return r;
}

}  // namespace parkwatch
