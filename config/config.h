// parkwatch.yml: the one configuration file, in the style of prometheus.yml.
//
// Loading is all-or-nothing: LoadConfig either fills a complete, validated Config or reports
// every problem it found with file, line and column and leaves the caller's Config untouched,
// so a bad reload keeps the running configuration.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/alerting.h"
#include "config/web_config.h"
#include "core/diagnostic.h"
#include "core/schedule.h"
#include "core/units.h"

namespace parkwatch {

enum class IndicatorKind { kLevel, kRate };

// A measured quantity. Levels are summable amounts in a base unit; rates are published
// percentages (stored as ratios) that are never summed.
struct IndicatorConfig {
  std::string name;   // identifier used in rules, API and metrics: output_value
  std::string title;  // as a bureau writes it: 工业总产值
  IndicatorKind kind = IndicatorKind::kLevel;
  Dimension dimension = Dimension::kMoney;
  std::string default_unit;          // unit assumed when a column header names none, e.g. 万元
  std::vector<std::string> headers;  // column headers that mean this indicator
  bool allow_negative = false;       // profit may be negative; output value may not
};

// What a column of an input table holds.
struct ColumnRole {
  enum Kind {
    kCreditCode,
    kName,
    kIndustry,
    kKey,
    kPeriod,
    kAboveSizeSince,
    kAboveSizeUntil,
    kExpectedReports,
    kIndicator,
    kIndicatorName,
    kValue,
    kUnit,
    kIgnore
  } kind = kIgnore;
  std::string indicator;  // kIndicator only
  std::string unit;       // kIndicator only; empty = from the header "(万元)" or the default
};

// A source parkwatch fetches itself on a schedule (collectors/puller.h): an HTTP resource
// (http_pull) or a PostgreSQL query (sql_pull). Secrets are read when the config is loaded.
struct PullConfig {
  std::string schedule_text;  // as written: "every 15m", "daily 06:30", "mon 09:00"
  PullSchedule schedule;
  int64_t timeout_ms = 60'000;          // one attempt: connect, request, the whole body
  int retries = 3;                      // further attempts after a failed one
  int64_t retry_backoff_ms = 5'000;     // before the first retry; doubles for each next
  int64_t max_body_bytes = 64LL << 20;  // a larger body (or query result) is refused
  // http_pull
  std::string url;
  std::string bearer_token;  // token / token_file / token_env: sent as Authorization: Bearer
  // sql_pull
  std::string connection;  // libpq connection string (connection / _file / _env)
  std::string password;    // password / _file / _env; "" = none or in the connection string
  std::string query;       // SELECT with column names as table headers; :since = the watermark
  std::string watermark_column;  // the column whose greatest value becomes the next :since
  std::string since_start;       // :since of the first pull
  int64_t statement_timeout_ms = 30'000;
};

struct CollectorConfig {
  std::string name;
  // inbox (a watched directory) | http (POST /api/v1/ingest) | http_pull | sql_pull
  std::string type = "inbox";
  std::string directory;          // inbox: where files are dropped; processed/ and rejected/
                                  // are created beside the files
  std::string encoding = "auto";  // auto | utf-8 | gb18030
  bool atomic = true;             // false: store the good rows and report the bad ones
  std::map<std::string, ColumnRole> columns;  // header -> role, on top of the built-in headers
  std::string sheet;  // workbooks: the sheet to read, by name or 1-based number; "" = the first
  // How a period written year.month reads: "" refuses the ambiguous 2026.1 (Excel shows a
  // typed 2026.10 so), "yyyy.m" reads it as January, "yyyy.mm" as October.
  std::string period_format;
  // The register's own batches: content committed before applies again, since the register may
  // have changed in between (a file put back as it was, an attribute set back by the API).
  bool reapply = false;
  // unit_errors: a figure the unit-slip check flags (元 typed as 万元, ...) is stored but held out
  // of every aggregate and rule until revised or confirmed (store/quarantine.h); none: off.
  std::string quarantine = "unit_errors";
  PullConfig pull;  // http_pull and sql_pull only

  bool is_pull() const { return type == "http_pull" || type == "sql_pull"; }
  bool holds_unit_errors() const { return quarantine == "unit_errors"; }
};

struct WebConfig {
  std::string listen_address = "127.0.0.1:9780";
  size_t max_body_bytes = 64 << 20;
  std::string ingest_token;  // bearer token for POST /api/v1/ingest; empty disables the endpoint
  std::string admin_token;   // bearer token for /-/reload and other admin calls
  std::string external_url;  // how users reach this instance, for links in alerts
  // TLS, basic auth and response headers from web.config_file (config/web_config.h); the
  // --web.config.file flag of `parkwatch serve` overrides the file named here.
  WebSecurityConfig security;
};

// The `reports:` section: the monthly analysis the daemon writes and sends at month close.
struct ReportsConfig {
  bool enabled = false;             // the section is present
  std::string directory;            // where editions are kept; default "reports" beside the store
  double min_reported_share = 0.8;  // the month closes when this share of enterprises reported
  int deadline_day = 10;            // ... and this day and time of the next month has passed
  int deadline_minute = 12 * 60;    // (park time, UTC+8)
  std::vector<std::string> receivers;  // names of alerting.receivers
  std::string language = "zh";         // zh | en
};

struct Config {
  std::string file;  // path it was loaded from
  std::string timezone = "Asia/Shanghai";
  std::string park_name;
  std::vector<std::string> industries;  // empty: any industry name is accepted
  std::vector<IndicatorConfig> indicators;
  std::vector<CollectorConfig> collectors;
  WebConfig web;
  std::string storage_path = "var/parkwatch.db";
  std::vector<std::string> rule_files;  // resolved against the config file's directory
  // The enterprise register (`register: {file:, sheet:}`): master data — name, industry, key
  // enterprise, 规上 years, expected reports — loaded at start and at every reload.
  std::string register_file;  // resolved; "" = none
  std::string register_sheet;
  AlertingConfig alerting;  // notification receivers, routes, delivery
  ReportsConfig reports;    // the monthly analysis at month close

  const IndicatorConfig* FindIndicator(const std::string& name) const;
  const CollectorConfig* FindCollector(const std::string& name) const;
};

// Parses and validates path. Relative paths inside the file resolve against its directory.
// Returns true and replaces *out on success; otherwise appends diagnostics and leaves *out.
bool LoadConfig(const std::string& path, Config* out, std::vector<Diagnostic>* diagnostics);

// Same, from text already in memory; file is the name used in diagnostics and for resolving
// relative paths.
bool ParseConfig(const std::string& text, const std::string& file, Config* out,
                 std::vector<Diagnostic>* diagnostics);

// The indicators every park has, with their Chinese and English headers. A config's
// `indicators:` section adds to or overrides these by name.
std::vector<IndicatorConfig> DefaultIndicators();

// Role of a header by the built-in dictionary (统一社会信用代码, 企业名称, 行业, 报告期, ...) and
// the indicators' headers; unit taken from a trailing "(万元)" / "（万元）" if present.
// nullopt if the header is unknown.
std::optional<ColumnRole> RoleOfHeader(const std::string& header,
                                       const std::vector<IndicatorConfig>& indicators);

}  // namespace parkwatch
