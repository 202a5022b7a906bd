#include "report/month_close.h"
#include "core/number_text.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "alerts/alert_store.h"
#include "core/json_text.h"
#include "notifiers/document.h"
#include "report/render.h"
#include "rules/measures.h"

namespace parkwatch {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int64_t kParkOffsetSeconds = 8 * 3600;  // Asia/Shanghai, no daylight saving
// Closed months checked again for revisions: the bureau revises the last quarter, not years.
constexpr int kRevisableMonths = 3;

std::string Pct(const std::optional<double>& v) { return v ? Fixed(*v * 100, 1) + "%" : "—"; }
std::string Pp(const std::optional<double>& v) { return v ? Fixed(*v * 100, 2) : "—"; }
std::string Wan(const std::optional<double>& v) { return v ? Fixed(*v / 1e4, 2) + "万元" : "—"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes through a temporary file and a rename, so a crash leaves the old file or the new one.
bool WriteFile(const fs::path& path, const std::string& bytes) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

fs::path MonthDir(const ReportsConfig& config, Period p) {
  std::string name = p.ToString();
  for (char& c : name)
    if (c == '/') c = '-';
  return fs::path(config.directory) / name;
}

// The highest edition written for a month (0 = none).
int LatestEdition(const fs::path& dir) {
  int latest = 0;
  while (fs::exists(dir / ("edition-" + std::to_string(latest + 1) + ".json"))) ++latest;
  return latest;
}

}  // namespace

int64_t ReportDeadline(const ReportsConfig& config, Period p) {
  using namespace std::chrono;
  int year = p.year(), month = p.last_month() + 1;
  if (month > 12) month = 1, ++year;
  sys_days day = sys_days(std::chrono::year(year) / std::chrono::month(month) /
                          std::chrono::day(static_cast<unsigned>(config.deadline_day)));
  return duration_cast<seconds>(day.time_since_epoch()).count() +
         int64_t{config.deadline_minute} * 60 - kParkOffsetSeconds;
}

Period DueReportMonth(const ReportsConfig& config, int64_t now) {
  using namespace std::chrono;
  sys_days today = floor<days>(sys_seconds(seconds(now + kParkOffsetSeconds)));
  Period p = Period::MonthOf(year_month_day(today));
  if (p.first_month() <= 2) p = Period::JanFeb(p.year());
  for (int i = 0; i < 3 && ReportDeadline(config, p) > now; ++i) p = PreviousPeriod(p, true);
  return p;
}

std::vector<std::pair<std::string, std::string>> ReportDigest(const MonthlyReport& r) {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("已报企业",
                   std::to_string(r.reported) + "/" + std::to_string(r.expected) + "家");
  for (const auto& s : r.sections) {
    auto scope = [&](const std::string& name, const ScopeGrowth& g) {
      std::string p = s.title + " " + name + " ";
      out.emplace_back(p + "当月", Wan(g.level));
      out.emplace_back(p + "当月增速", Pct(g.yoy));
      out.emplace_back(p + YtdWords(r.period, "zh") + "累计", Wan(g.ytd_level));
      out.emplace_back(p + "累计增速", Pct(g.ytd));
    };
    scope("园区", s.park);
    for (const auto& f : s.industries) {
      scope(f.name, f.growth);
      out.emplace_back(s.title + " " + f.name + " 累计拉动(百分点)", Pp(f.ytd_pull));
    }
  }
  out.emplace_back("增长行业", std::to_string(r.breadth.industries_growing) + "/" +
                                   std::to_string(r.breadth.industries));
  out.emplace_back("增长企业", std::to_string(r.breadth.enterprises_growing) + "/" +
                                   std::to_string(r.breadth.enterprises));
  return out;
}

MonthClose::MonthClose() = default;

MonthClose::~MonthClose() { sender_.join(); }

void MonthClose::WaitForDeliveries() {
  while (deliveries_queued_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

bool MonthClose::WriteEdition(const MonthlyReport& report, const Config& config, int edition,
                              const std::vector<std::string>& changes) {
  MonthlyReport r = report;
  r.edition = edition;
  r.revisions = changes;
  fs::path dir = MonthDir(config.reports, r.period);
  fs::create_directories(dir);
  const std::string& lang = config.reports.language;
  std::string error;
  std::string html = MonthlyReportHtml(r, lang);
  std::string xlsx = MonthlyReportXlsx(r, lang, &error);
  if (xlsx.empty()) {
    spdlog::error("monthly report {}: {}", r.period.ToString(), error);
    return false;
  }
  std::string pdf = HtmlToPdf(html, &error);
  if (pdf.empty()) spdlog::warn("monthly report {}: no PDF: {}", r.period.ToString(), error);
  if (!WriteFile(dir / ReportFileName(r, "html"), html) ||
      !WriteFile(dir / ReportFileName(r, "xlsx"), xlsx) ||
      (!pdf.empty() && !WriteFile(dir / ReportFileName(r, "pdf"), pdf)))
    return false;
  json digest = json::array();
  for (const auto& [label, value] : ReportDigest(r)) digest.push_back({label, value});
  json meta = {{"period", r.period.ToString()},
               {"edition", edition},
               {"generated_at", r.generated_at},
               {"headline", Headline(r, lang)},
               {"changes", changes},
               {"pdf_error", pdf.empty() ? error : ""},
               {"digest", digest}};
  // The edition's JSON is written last: it is what says the edition exists.
  return WriteFile(dir / ("edition-" + std::to_string(edition) + ".json"), DumpJson(meta, 2));
}

MonthClose::Result MonthClose::Tick(const RuleData& data, std::shared_ptr<const Config> config,
                                    const RuleSet& rules, Store& store, AlertStore* alerts,
                                    int64_t now) {
  Result result;
  const ReportsConfig& rc = config->reports;
  if (!rc.enabled) return result;
  auto batches = store.RecentBatches(1);
  int64_t batch = batches.empty() ? 0 : batches.front().batch_id;
  const bool changed = batch != last_batch_seen_;
  last_batch_seen_ = batch;

  MonthlyReportOptions options;
  options.now = now;
  options.min_reported_share = rc.min_reported_share;
  Period due = DueReportMonth(rc, now);

  // Closed months: a revised edition when what the reader sees changed.
  if (changed) {
    Period p = due;
    for (int i = 0; i < kRevisableMonths; ++i, p = PreviousPeriod(p, true)) {
      fs::path dir = MonthDir(rc, p);
      int edition = LatestEdition(dir);
      if (edition == 0) continue;
      MonthlyReport report = BuildMonthlyReport(data, *config, rules, alerts, p, options);
      if (!report.ok) continue;
      json last = json::parse(ReadFile(dir / ("edition-" + std::to_string(edition) + ".json")),
                              nullptr, false);
      std::map<std::string, std::string> before;
      if (last.is_object())
        for (const auto& pair : last["digest"]) before[pair[0]] = pair[1];
      std::vector<std::string> changes;
      for (const auto& [label, value] : ReportDigest(report)) {
        auto it = before.find(label);
        std::string old = it == before.end() ? "—" : it->second;
        if (old != value) changes.push_back(label + "：" + old + " → " + value);
      }
      if (changes.empty()) continue;
      if (WriteEdition(report, *config, edition + 1, changes))
        result.written.push_back(p.ToString() + " edition " + std::to_string(edition + 1));
    }
  }

  // The due month, once: when its reporters reach the share.
  if (LatestEdition(MonthDir(rc, due)) == 0 && (changed || last_waiting_.empty())) {
    MonthlyReport report = BuildMonthlyReport(data, *config, rules, alerts, due, options);
    if (report.ok) {
      if (WriteEdition(report, *config, 1, {}))
        result.written.push_back(due.ToString() + " edition 1");
      last_waiting_.clear();
    } else {
      result.waiting = report.message;
      last_waiting_ = report.message;
    }
  }

  if (!rc.receivers.empty() && deliveries_queued_.load() == 0) {
    ++deliveries_queued_;
    boost::asio::post(sender_, [this, config] {
      for (const std::string& line : Deliver(*config)) spdlog::info("{}", line);
      --deliveries_queued_;
    });
  }
  return result;
}

std::vector<std::string> MonthClose::Deliver(const Config& config) {
  std::vector<std::string> log;
  const ReportsConfig& rc = config.reports;
  std::error_code ec;
  if (!fs::is_directory(rc.directory, ec)) return log;
  for (const auto& entry : fs::directory_iterator(rc.directory, ec)) {
    if (!entry.is_directory()) continue;
    fs::path dir = entry.path();
    int edition = LatestEdition(dir);
    if (edition == 0) continue;
    std::string stem = "edition-" + std::to_string(edition);
    std::vector<const ReceiverConfig*> due;
    for (const std::string& name : rc.receivers)
      for (const auto& receiver : config.alerting.receivers)
        if (receiver.name == name && !fs::exists(dir / (stem + ".sent-" + name)) &&
            !fs::exists(dir / (stem + ".failed-" + name)))
          due.push_back(&receiver);
    if (due.empty()) continue;

    json meta = json::parse(ReadFile(dir / (stem + ".json")), nullptr, false);
    if (!meta.is_object()) continue;
    auto period = Period::Parse(meta.value("period", ""));
    if (!period) continue;
    MonthlyReport shell;  // names only: file names and words
    shell.period = *period;
    shell.edition = edition;
    const bool en = rc.language == "en";
    Document doc;
    doc.id = "report-" + meta.value("period", "") + "-" + std::to_string(edition);
    doc.title = config.park_name + (en ? " " : "") + MonthWords(*period, rc.language) +
                (en ? " industrial economy: monthly analysis" : "工业经济运行分析");
    if (edition > 1)
      doc.title += en ? " (revised edition " + std::to_string(edition) + ")"
                      : "（修订版第" + std::to_string(edition) + "版）";
    std::string headline = meta.value("headline", "");
    doc.text = headline + "\n";
    std::string changes_html;
    for (const auto& c : meta["changes"]) {
      if (changes_html.empty())
        doc.text += en ? "\nChanged since the last edition:\n" : "\n本版修订：\n";
      doc.text += "- " + c.get<std::string>() + "\n";
      changes_html += "<li>" + c.get<std::string>() + "</li>";
    }
    for (const char* format : {"xlsx", "pdf"}) {
      fs::path file = dir / ReportFileName(shell, format);
      if (fs::exists(file))
        doc.attachments.push_back(
            {file.filename().string(), ReportContentType(format), ReadFile(file)});
    }
    if (std::string why = meta.value("pdf_error", ""); !why.empty())
      doc.text += (en ? "\nNo PDF attached: " : "\n未附 PDF：") + why + "\n";
    if (!config.alerting.external_url.empty())
      doc.link = config.alerting.external_url + "/api/v1/reports/monthly/" +
                 meta.value("period", "") + "?format=html";
    doc.html =
        "<html><body><h2>" + doc.title + "</h2><p>" + headline + "</p>" +
        (changes_html.empty() ? "" : "<ul>" + changes_html + "</ul>") +
        (doc.link.empty() ? "" : "<p><a href=\"" + doc.link + "\">" + doc.link + "</a></p>") +
        "</body></html>";
    if (!doc.link.empty()) doc.text += "\n" + doc.link + "\n";
    for (const ReceiverConfig* receiver : due) {
      SendResult sent = SendDocument(doc, *receiver, config.alerting);
      std::string what = "monthly report " + meta.value("period", "") + " edition " +
                         std::to_string(edition) + " to " + receiver->name;
      if (sent.ok()) {
        WriteFile(dir / (stem + ".sent-" + receiver->name), std::to_string(std::time(nullptr)));
        log.push_back("sent " + what);
      } else if (sent.outcome == SendResult::Outcome::kPermanent) {
        WriteFile(dir / (stem + ".failed-" + receiver->name), sent.error);
        log.push_back("gave up " + what + ": " + sent.error);
      } else {
        log.push_back("will retry " + what + ": " + sent.error);
      }
    }
  }
  return log;
}

}  // namespace parkwatch
