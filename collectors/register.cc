#include "collectors/register.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <iterator>
#include <map>

#include "collectors/ingest.h"
#include "core/sha256.h"
#include "store/audit.h"

namespace parkwatch {
namespace {

CollectorConfig RegisterCollector(const Config& config) {
  CollectorConfig c;
  c.name = "register";
  c.type = "register";
  c.sheet = config.register_sheet;
  c.reapply = true;
  return c;
}

std::string Shown(const std::optional<int>& year) { return year ? std::to_string(*year) : "-"; }
std::string Shown(const std::optional<std::string>& reports) {
  if (!reports) return "-";
  return reports->empty() ? "none" : *reports;
}

// Runs one register batch between two snapshots and audits what changed.
BatchSummary Audited(Store& store, const std::string& source,
                     const std::function<BatchSummary()>& ingest) {
  std::vector<EnterpriseRow> before = store.Enterprises();
  BatchSummary summary = ingest();
  if (summary.status == "committed" || summary.status == "partial") {
    std::vector<std::string> changes = RegisterChanges(before, store.Enterprises());
    if (!changes.empty()) {
      AuditRecord record;
      record.source = source;
      record.changes = std::move(changes);
      RecordAudit(store, record);
    }
  }
  return summary;
}

}  // namespace

std::vector<std::string> RegisterChanges(const std::vector<EnterpriseRow>& before,
                                         const std::vector<EnterpriseRow>& after) {
  std::map<std::string, const EnterpriseRow*> old;
  for (const EnterpriseRow& e : before) old[e.credit_code] = &e;
  std::vector<std::string> lines;
  for (const EnterpriseRow& e : after) {
    if (e.credit_code.starts_with(kIndustrySeriesPrefix)) continue;
    std::string who = e.credit_code + (e.name.empty() ? "" : " " + e.name) + ": ";
    auto it = old.find(e.credit_code);
    if (it == old.end()) {
      lines.push_back(who + "added");
      continue;
    }
    const EnterpriseRow& o = *it->second;
    auto change = [&](const char* what, const std::string& from, const std::string& to) {
      if (from != to) lines.push_back(who + what + " " + from + " -> " + to);
    };
    change("name", o.name.empty() ? "-" : o.name, e.name.empty() ? "-" : e.name);
    change("industry", o.industry.empty() ? "-" : o.industry,
           e.industry.empty() ? "-" : e.industry);
    change("key", o.key ? "是" : "否", e.key ? "是" : "否");
    change("above_size_since", Shown(o.above_size_since), Shown(e.above_size_since));
    change("above_size_until", Shown(o.above_size_until), Shown(e.above_size_until));
    change("expected_reports", Shown(o.expected_reports), Shown(e.expected_reports));
  }
  return lines;
}

BatchSummary LoadRegister(const Config& config, Store& store, const std::string& source) {
  CollectorConfig collector = RegisterCollector(config);
  // The file as it was last applied changes nothing, and must not undo what the API set since.
  std::ifstream in(config.register_file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string hash = Sha256Hex(bytes);
  for (const BatchSummary& b : store.RecentBatches(1000)) {
    if (b.info.collector != collector.name || b.info.source != config.register_file) continue;
    if (b.status != "committed" && b.status != "partial") continue;
    if (b.info.content_hash != hash) break;  // the last one applied was different
    BatchSummary same;
    same.info = {config.register_file, collector.name, hash};
    same.status = "duplicate";
    same.duplicate_of = b.batch_id;
    return same;
  }
  return Audited(store, source,
                 [&] { return IngestFile(config.register_file, collector, config, store); });
}

BatchSummary UpdateRegisterEntry(const std::string& credit_code, const std::string& json_object,
                                 Store& store, const std::string& source,
                                 const RegisterIngest& ingest) {
  // The API's member names as the register's headers, so the one table reader checks them.
  static const std::map<std::string, std::string> kHeaders = {{"name", "企业名称"},
                                                              {"industry", "行业"},
                                                              {"key", "重点企业"},
                                                              {"above_size_since", "规上起始年份"},
                                                              {"above_size_until", "规上截止年份"},
                                                              {"expected_reports", "应报报表"}};
  nlohmann::json row = nlohmann::json::object();
  row["统一社会信用代码"] = credit_code;
  Wording problem;
  try {
    nlohmann::json body = nlohmann::json::parse(json_object);
    if (!body.is_object())
      problem = {"expected a JSON object of enterprise attributes", "应为企业属性的 JSON 对象"};
    for (auto it = body.begin(); problem.empty() && it != body.end(); ++it) {
      auto header = kHeaders.find(it.key());
      if (header == kHeaders.end())
        problem = {"unknown member \"" + it.key() +
                       "\" (name, industry, key, above_size_since, above_size_until, "
                       "expected_reports)",
                   "无法识别的字段 \"" + it.key() +
                       "\"（可用 name、industry、key、above_size_since、above_size_until、"
                       "expected_reports）"};
      else
        row[header->second] = it.value();
    }
  } catch (const nlohmann::json::exception& e) {
    problem = {std::string("not valid JSON: ") + e.what(), "不是有效的 JSON"};
  }
  CollectorConfig collector = RegisterCollector(Config());
  if (!problem.empty()) {  // not a request for a change at all: nothing to record
    BatchSummary s;
    s.info = {source, collector.name, ""};
    s.status = "rejected";
    s.errors = {{source, 0, 0, "", problem.en, "", problem.zh}};
    s.error_count = 1;
    return s;
  }
  std::string body = nlohmann::json{{"rows", nlohmann::json::array({row})}}.dump();
  return Audited(store, source, [&] { return ingest(body, collector); });
}

}  // namespace parkwatch
