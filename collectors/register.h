// The enterprise register: master data — name, industry, key enterprise (重点企业), 规上 since
// and until, the reports expected (weekly, monthly) — from the file the config names under
// `register:` (CSV or workbook), loaded at start and at every reload, and from
// PUT /api/v1/enterprises/CODE.
//
// Both go through the one ingest path: a register is a table of enterprise columns
// (统一社会信用代码, 企业名称, 行业, 重点企业, 规上起始年份, 规上截止年份, 应报报表), validated
// like any other input, one batch of collector "register" each time. What a batch changed in the
// register is written to the audit trail (store/audit.h), one line per attribute. An unchanged
// register file is a duplicate batch and changes nothing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "store/store.h"

namespace parkwatch {

// Ingests config.register_file (its sheet: config.register_sheet) and audits the changes under
// source ("register file at start"). Throws StoreError as IngestFile does. The thread that owns
// store's writes.
BatchSummary LoadRegister(const Config& config, Store& store, const std::string& source);

// Sets attributes of one enterprise from a JSON object with any of the members name, industry,
// key (true/false), above_size_since, above_size_until (years) and expected_reports
// ("weekly,monthly", "monthly", "周报、月报", "" for none); a member left out or null keeps the
// stored value. An unknown member or a bad value rejects the batch (its errors say why). Audits
// the changes under source. ingest takes the batch (a JSON body of one row) through the one
// ingest path, as the daemon's worker does for any request body. The thread that owns store's
// writes.
using RegisterIngest =
    std::function<BatchSummary(const std::string& json_body, const CollectorConfig& collector)>;
BatchSummary UpdateRegisterEntry(const std::string& credit_code, const std::string& json_object,
                                 Store& store, const std::string& source,
                                 const RegisterIngest& ingest);

// What differs between two snapshots of Store::Enterprises() (both sorted by credit code), one
// line per changed attribute: "91430700MA4L00001H 甲公司: key 否 -> 是".
std::vector<std::string> RegisterChanges(const std::vector<EnterpriseRow>& before,
                                         const std::vector<EnterpriseRow>& after);

}  // namespace parkwatch
