// GET /api/v1/reports/monthly/{period}?format=json|html|xlsx|pdf&lang=zh|en: the monthly
// analysis, computed on the store worker from the engine's data (the numbers the rules and
// /metrics have). {period} is 2025-06; 2025-01 or 2025-02 mean 1—2月; "latest" the latest month
// most enterprises reported.
#include <ctime>

#include "alerts/alert_store.h"
#include "api/handlers.h"
#include "api/services.h"
#include "report/render.h"

namespace parkwatch {

HttpResponse ApiMonthlyReport(ApiCall& call) {
  const RuleData& data = call.worker->rule_data();
  const Config& config = call.worker->config();
  std::string text = call.path.at("period");
  std::string format = call.query.String("format", "json");
  std::string lang = call.query.String("lang", "zh");
  if (format != "json" && format != "html" && format != "xlsx" && format != "pdf")
    throw ApiError::BadData("format must be json, html, xlsx or pdf");
  if (lang != "zh" && lang != "en") throw ApiError::BadData("lang must be zh or en");
  Period period;
  if (text == "latest") {
    auto latest = LatestReportMonth(data, config);
    if (!latest) throw ApiError::NotFound("the store has no monthly figures yet");
    period = *latest;
  } else {
    std::string error;
    auto parsed = Period::Parse(text, &error);
    if (!parsed || !parsed->monthly())
      throw ApiError::BadData("period " + text + ": " +
                              (parsed ? "a month is needed, e.g. 2025-06" : error));
    period = *parsed;
  }
  MonthlyReportOptions options;
  options.now = std::time(nullptr);
  options.min_reported_share = config.reports.min_reported_share;
  AlertStore alerts(&call.worker->store());
  MonthlyReport report =
      BuildMonthlyReport(data, config, call.worker->rules(), &alerts, period, options);
  // A month that cannot be analysed: the message, and what there is (reporters, expected).
  if (!report.ok)
    return JsonError(422, "insufficient_data", report.message, MonthlyReportJson(report, lang));
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
