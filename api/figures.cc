// The figure endpoints of the JSON API: enterprises, series, revisions, batches and ingest.
#include <limits>
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/services.h"
#include "core/json_text.h"
#include "core/text.h"

namespace parkwatch {

using nlohmann::json;

namespace {

// A problem of an input in both languages: message/text for the English switch and scripts,
// message_zh/text_zh (bad.csv 第2行第44列 · 工业总产值(万元)：不是数字："abc") for the console.
json DiagnosticJson(const Diagnostic& d) {
  json j = {{"file", d.file},   {"line", d.line},       {"column", d.column},
            {"field", d.field}, {"message", d.message}, {"text", d.ToString()}};
  if (!d.sheet.empty()) j["sheet"] = d.sheet;
  j["message_zh"] = d.message_zh.empty() ? d.message : d.message_zh;
  j["text_zh"] = d.ToStringZh();
  return j;
}

// The enterprise named by ?enterprise= (credit code); ApiError when absent or unknown.
EnterpriseRow RequireEnterprise(Store& store, const QueryReader& query) {
  std::string code = query.Required("enterprise", "credit code");
  auto e = store.FindEnterprise(code);
  if (!e) throw ApiError::NotFound("no enterprise with credit code " + code);
  return *e;
}

std::string Dump(const json& j) { return DumpJson(j); }

// A console upload's batch source: "console upload bad.csv by zhang", the audit's record of the
// file and who sent it. The batch list shows the two apart (file, uploaded_by).
constexpr std::string_view kUploadSource = "console upload ";
constexpr std::string_view kUploadBy = " by ";

std::string UploadSource(const std::string& name, const std::string& who) {
  return std::string(kUploadSource) + name + (who.empty() ? "" : std::string(kUploadBy) + who);
}

// The collector a push is read with: ?collector=NAME, else the first of type http, else a
// default one.
CollectorConfig PushCollector(const Config& config, const QueryReader& query) {
  std::string name = query.String("collector");
  if (!name.empty()) {
    const CollectorConfig* named = config.FindCollector(name);
    if (!named) throw ApiError::BadData("parameter collector: unknown collector \"" + name + "\"");
    return *named;
  }
  for (const auto& c : config.collectors)
    if (c.type == "http") return c;
  CollectorConfig c;
  c.name = "http";
  c.type = "http";
  return c;
}

}  // namespace

HttpResponse ApiEnterprises(ApiCall& call) {
  Store& store = call.loop->store();
  std::string industry = call.query.String("industry");
  // ?q=: part of the name (as typed: Chinese has no case) or of the credit code (any case).
  std::string q(Trim(call.query.String("q")));
  std::string code_part = q;
  for (char& c : code_part) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const int64_t limit =
      call.query.Optional("limit") ? call.query.Limit(0) : std::numeric_limits<int64_t>::max();
  json out = json::array();
  for (const auto& e : store.Enterprises()) {
    if (!industry.empty() && e.industry != industry) continue;
    if (e.credit_code.rfind(kIndustrySeriesPrefix, 0) == 0) continue;  // an industry series
    if (!q.empty() && e.name.find(q) == std::string::npos &&
        e.credit_code.find(code_part) == std::string::npos)
      continue;
    if (static_cast<int64_t>(out.size()) >= limit) break;
    out.push_back(json::parse(EnterpriseJson(e)));
  }
  return JsonSuccess(Dump(out));
}

HttpResponse ApiRevisions(ApiCall& call) {
  Store& store = call.loop->store();
  auto e = RequireEnterprise(store, call.query);
  std::string why;
  auto period = Period::Parse(call.query.Required("period", "e.g. 2024-03"), &why);
  if (!period) throw ApiError::BadData("parameter period: " + why);
  json out = json::array();
  for (const auto& r :
       store.Revisions(e.id, call.query.Required("indicator", "e.g. output_value"), *period))
    out.push_back({{"revision", r.revision},
                   {"value", r.value},
                   {"batch_id", r.batch_id},
                   {"source", r.source},
                   {"recorded_at", r.recorded_at},
                   {"current", r.current}});
  return JsonSuccess(Dump(out));
}

HttpResponse ApiBatches(ApiCall& call) {
  json out = json::array();
  for (const auto& b : call.loop->store().RecentBatches(static_cast<int>(call.query.Limit(50))))
    out.push_back(json::parse(BatchSummaryJson(b)));
  return JsonSuccess(Dump(out));
}

HttpResponse ApiBatch(ApiCall& call) {
  int64_t id = PositiveId(call.path.at("id"), "batch id");
  auto batches = call.loop->store().RecentBatches(1, id);
  if (batches.empty()) throw ApiError::NotFound("no batch " + std::to_string(id));
  return JsonSuccess(BatchSummaryJson(batches[0]));
}

HttpResponse ApiIngest(ApiCall& call) {
  CollectorConfig collector = PushCollector(call.worker->config(), call.query);
  std::string source = call.query.String("source", "request");
  BatchSummary summary =
      call.worker->Ingest(call.request.body, call.request.content_type, source, collector);
  if (summary.status == "rejected") {
    const std::string count =
        std::to_string(std::max<int64_t>(summary.error_count, summary.errors.size()));
    return JsonError(422, "bad_data",
                     Wording{"batch rejected: " + count + " errors, nothing stored",
                             "数据已拒收，未存入任何数据（" + count + " 条错误）"},
                     BatchSummaryJson(summary));
  }
  return JsonSuccess(BatchSummaryJson(summary));
}

// A file from the console's 数据 page, read as the inbox reads files (the first inbox collector's
// settings; what a file is comes from its content). The batch's source names the file and the
// user for the audit; its errors name the file alone, as the user knows it (bad.csv 第2行…).
HttpResponse ApiUpload(ApiCall& call) {
  const Config& config = call.worker->config();
  CollectorConfig collector;
  collector.name = "console";
  collector.type = "inbox";
  for (const auto& c : config.collectors)
    if (c.type == "inbox") {
      collector = c;
      break;
    }
  std::string name = call.query.Required("name", "the file's name");
  std::string who = SignedInUser(call);
  std::string source = UploadSource(name, who);
  BatchSummary summary =
      call.worker->Ingest(call.request.body, call.request.content_type, source, collector, name);
  if (summary.status == "rejected") {
    const std::string count =
        std::to_string(std::max<int64_t>(summary.error_count, summary.errors.size()));
    return JsonError(422, "bad_data",
                     Wording{name + ": rejected, nothing stored (" + count + " errors)",
                             name + "：已拒收，未存入任何数据（" + count + " 条错误）"},
                     BatchSummaryJson(summary));
  }
  return JsonSuccess(BatchSummaryJson(summary));
}

std::string BatchSummaryJson(const BatchSummary& s) {
  json errors = json::array();
  for (const auto& d : s.errors) errors.push_back(DiagnosticJson(d));
  json out = {{"batch_id", s.batch_id},
              {"status", s.status},
              {"source", s.info.source},
              {"collector", s.info.collector},
              {"content_hash", s.info.content_hash},
              {"received_at", s.received_at},
              {"duration_seconds", s.duration_seconds},
              {"rows_read", s.rows_read},
              {"rows_accepted", s.rows_accepted},
              {"figures_new", s.figures_new},
              {"figures_revised", s.figures_revised},
              {"figures_unchanged", s.figures_unchanged},
              {"enterprises_new", s.enterprises_new},
              {"figures_held", s.figures_held},
              {"error_count", std::max<int64_t>(s.error_count, s.errors.size())},
              {"errors", std::move(errors)}};
  if (s.duplicate_of) out["duplicate_of"] = s.duplicate_of;
  if (std::string_view source = s.info.source; source.starts_with(kUploadSource)) {
    source.remove_prefix(kUploadSource.size());
    const size_t by = source.rfind(kUploadBy);
    out["file"] = std::string(source.substr(0, by));
    if (by != std::string_view::npos)
      out["uploaded_by"] = std::string(source.substr(by + kUploadBy.size()));
  }
  // Invalid UTF-8 from a hostile body must not make dump() throw.
  return DumpJson(out);
}

}  // namespace parkwatch
