#include "config/config.h"

#include <charconv>
#include <filesystem>
#include <set>
#include <sstream>

#include "config/yaml_reader.h"
#include "core/period.h"
#include "core/time_text.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using Reader = YamlReader;

void ReadIndicators(Reader& r, const YAML::Node& node, Config* c) {
  if (!node || node.IsNull()) return;
  if (!node.IsSequence()) return r.Error(node, "indicators", "expected a list");
  int i = 0;
  for (const auto& item : node) {
    std::string where = "indicators[" + std::to_string(i++) + "]";
    if (!r.Map(item, where,
               {"name", "title", "kind", "dimension", "unit", "headers", "allow_negative"}))
      continue;
    IndicatorConfig ind;
    ind.name = r.String(item["name"], where + ".name", "");
    if (ind.name.empty()) r.Error(item, where + ".name", "required");
    // An indicator named like a built-in one refines it; start from the built-in values.
    for (auto& existing : c->indicators)
      if (existing.name == ind.name) ind = existing;
    ind.title = r.String(item["title"], where + ".title", ind.title);
    std::string kind = r.String(item["kind"], where + ".kind",
                                ind.kind == IndicatorKind::kRate ? "rate" : "level");
    if (kind == "level")
      ind.kind = IndicatorKind::kLevel;
    else if (kind == "rate")
      ind.kind = IndicatorKind::kRate;
    else
      r.Error(item["kind"], where + ".kind", "must be level or rate");
    if (item["dimension"]) {
      auto d = ParseDimension(r.String(item["dimension"], where + ".dimension", ""));
      if (d)
        ind.dimension = *d;
      else
        r.Error(item["dimension"], where + ".dimension", "must be money, energy, count or ratio");
    }
    ind.default_unit = r.String(item["unit"], where + ".unit", ind.default_unit);
    if (!ind.default_unit.empty()) {
      auto unit = FindUnit(ind.default_unit);
      if (!unit)
        r.Error(item["unit"], where + ".unit", "unknown unit \"" + ind.default_unit + "\"");
      else if (unit->dimension != ind.dimension)
        r.Error(item["unit"], where + ".unit",
                "unit does not measure " + std::string(BaseUnitName(ind.dimension)));
    }
    if (item["headers"]) ind.headers = r.Strings(item["headers"], where + ".headers");
    ind.allow_negative =
        r.Bool(item["allow_negative"], where + ".allow_negative", ind.allow_negative);
    bool replaced = false;
    for (auto& existing : c->indicators)
      if (existing.name == ind.name) existing = ind, replaced = true;
    if (!replaced) c->indicators.push_back(ind);
  }
}

std::optional<ColumnRole> ParseRoleName(const std::string& name) {
  static const std::pair<const char*, ColumnRole::Kind> kRoles[] = {
      {"credit_code", ColumnRole::kCreditCode},
      {"name", ColumnRole::kName},
      {"industry", ColumnRole::kIndustry},
      {"key", ColumnRole::kKey},
      {"period", ColumnRole::kPeriod},
      {"above_size_since", ColumnRole::kAboveSizeSince},
      {"above_size_until", ColumnRole::kAboveSizeUntil},
      {"expected_reports", ColumnRole::kExpectedReports},
      {"indicator", ColumnRole::kIndicatorName},
      {"value", ColumnRole::kValue},
      {"unit", ColumnRole::kUnit},
      {"ignore", ColumnRole::kIgnore},
  };
  for (auto& [text, kind] : kRoles)
    if (name == text) return ColumnRole{kind, "", ""};
  return std::nullopt;
}

int64_t DurationOrNegative(const std::string& text) { return ParseDurationMs(text).value_or(-1); }

// The settings of a pull collector; on other types each of them is an error (a setting that
// would do nothing must not look as if it did).
void ReadPull(Reader& r, const YAML::Node& item, const std::string& where, const fs::path& base,
              CollectorConfig* col) {
  static const char* kHttp[] = {"url", "token", "token_file", "token_env"};
  static const char* kSql[] = {
      "connection",   "connection_file", "connection_env",   "password",    "password_file",
      "password_env", "query",           "watermark_column", "since_start", "statement_timeout"};
  static const char* kAny[] = {"schedule", "timeout", "retries", "retry_backoff", "max_body_bytes"};
  auto refuse = [&](const char* key, const std::string& why) {
    if (item[key]) r.Error(item[key], where + "." + key, why);
  };
  const bool http = col->type == "http_pull", sql = col->type == "sql_pull";
  for (const char* k : kHttp)
    if (!http) refuse(k, "only for type: http_pull");
  for (const char* k : kSql)
    if (!sql) refuse(k, "only for type: sql_pull");
  if (!http && !sql) {
    for (const char* k : kAny) refuse(k, "only for type: http_pull or sql_pull");
    return;
  }
  PullConfig& p = col->pull;
  p.schedule_text = r.String(item["schedule"], where + ".schedule", "");
  std::string error;
  if (p.schedule_text.empty())
    r.Error(item, where + ".schedule", "required: \"every 15m\", \"daily 06:30\" or \"mon 09:00\"");
  else if (!ParsePullSchedule(p.schedule_text, DurationOrNegative, &p.schedule, &error))
    r.Error(item["schedule"], where + ".schedule", error);
  p.timeout_ms = ReadDurationMs(r, item["timeout"], where + ".timeout", p.timeout_ms);
  p.retries = static_cast<int>(r.Int(item["retries"], where + ".retries", p.retries, 0, 20));
  p.retry_backoff_ms =
      ReadDurationMs(r, item["retry_backoff"], where + ".retry_backoff", p.retry_backoff_ms);
  p.max_body_bytes =
      r.Int(item["max_body_bytes"], where + ".max_body_bytes", p.max_body_bytes, 1024, 1LL << 32);
  if (p.timeout_ms < 100) r.Error(item["timeout"], where + ".timeout", "at least 100ms");
  if (http) {
    p.url = r.String(item["url"], where + ".url", "");
    if (p.url.rfind("http://", 0) != 0 && p.url.rfind("https://", 0) != 0)
      r.Error(item["url"] ? item["url"] : item, where + ".url",
              p.url.empty() ? "required: the http:// or https:// address to pull"
                            : "must start with http:// or https://");
    p.bearer_token = r.Secret(item, where, "token", base.string());
    return;
  }
  p.connection = r.Secret(item, where, "connection", base.string());
  if (p.connection.empty() && !item["connection"] && !item["connection_file"] &&
      !item["connection_env"])
    r.Error(item, where + ".connection",
            "required: a libpq connection string (connection, connection_file or connection_env)");
  p.password = r.Secret(item, where, "password", base.string());
  p.query = r.String(item["query"], where + ".query", "");
  if (p.query.empty()) r.Error(item, where + ".query", "required: the SELECT to run");
  p.watermark_column = r.String(item["watermark_column"], where + ".watermark_column", "");
  p.since_start = r.String(item["since_start"], where + ".since_start", "");
  const bool uses_since = p.query.find(":since") != std::string::npos;
  if (uses_since && p.watermark_column.empty())
    r.Error(item["query"], where + ".watermark_column",
            "the query uses :since: name the column whose greatest value becomes the next :since");
  if (!uses_since && !p.watermark_column.empty())
    r.Error(item["watermark_column"], where + ".watermark_column",
            "the query does not use :since, so a watermark would never be read");
  if (uses_since && p.since_start.empty())
    r.Error(item, where + ".since_start",
            "required with :since: the value of the first pull, e.g. \"1970-01-01\"");
  p.statement_timeout_ms = ReadDurationMs(r, item["statement_timeout"],
                                          where + ".statement_timeout", p.statement_timeout_ms);
  // The watermark column is read by the puller, not stored: it is no unknown header.
  if (!p.watermark_column.empty())
    col->columns.emplace(p.watermark_column, ColumnRole{ColumnRole::kIgnore, "", ""});
}

void ReadCollectors(Reader& r, const YAML::Node& node, const fs::path& base, Config* c) {
  if (!node || node.IsNull()) return;
  if (!node.IsSequence()) return r.Error(node, "collectors", "expected a list");
  int i = 0;
  for (const auto& item : node) {
    std::string where = "collectors[" + std::to_string(i++) + "]";
    if (!r.Map(item, where,
               {"name",
                "type",
                "directory",
                "encoding",
                "atomic",
                "quarantine",
                "columns",
                "sheet",
                "period_format",
                "schedule",
                "timeout",
                "retries",
                "retry_backoff",
                "max_body_bytes",
                "url",
                "token",
                "token_file",
                "token_env",
                "connection",
                "connection_file",
                "connection_env",
                "password",
                "password_file",
                "password_env",
                "query",
                "watermark_column",
                "since_start",
                "statement_timeout"}))
      continue;
    CollectorConfig col;
    col.name = r.String(item["name"], where + ".name", "");
    if (col.name.empty()) r.Error(item, where + ".name", "required");
    if (c->FindCollector(col.name)) r.Error(item["name"], where + ".name", "duplicate name");
    col.type = r.String(item["type"], where + ".type", "inbox");
    if (col.type != "inbox" && col.type != "http" && col.type != "http_pull" &&
        col.type != "sql_pull")
      r.Error(item["type"], where + ".type", "must be inbox, http, http_pull or sql_pull");
    ReadPull(r, item, where, base, &col);
    col.directory =
        ResolvePath(base.string(), r.String(item["directory"], where + ".directory", ""));
    if (col.type == "inbox" && col.directory.empty())
      r.Error(item, where + ".directory", "an inbox collector needs a directory");
    col.encoding = r.String(item["encoding"], where + ".encoding", "auto");
    if (col.encoding != "auto" && col.encoding != "utf-8" && col.encoding != "gb18030" &&
        col.encoding != "gbk")
      r.Error(item["encoding"], where + ".encoding", "must be auto, utf-8 or gb18030");
    col.atomic = r.Bool(item["atomic"], where + ".atomic", true);
    col.quarantine = r.String(item["quarantine"], where + ".quarantine", "unit_errors");
    if (col.quarantine != "unit_errors" && col.quarantine != "none")
      r.Error(item["quarantine"], where + ".quarantine",
              "must be unit_errors (hold suspected unit slips out of the totals) or none");
    col.sheet = r.String(item["sheet"], where + ".sheet", "");
    col.period_format = r.String(item["period_format"], where + ".period_format", "");
    if (!col.period_format.empty() && col.period_format != "yyyy.m" &&
        col.period_format != "yyyy.mm")
      r.Error(item["period_format"], where + ".period_format",
              "must be yyyy.m (2026.1 is January) or yyyy.mm (2026.1 is October, the way Excel "
              "shows a typed 2026.10)");
    const YAML::Node columns = item["columns"];
    if (columns && columns.IsMap()) {
      for (const auto& kv : columns) {
        std::string header = kv.first.as<std::string>("");
        std::string field = where + ".columns." + header;
        ColumnRole role;
        if (kv.second.IsScalar()) {
          std::string target = kv.second.Scalar();
          if (auto named = ParseRoleName(target))
            role = *named;
          else if (c->FindIndicator(target))
            role = {ColumnRole::kIndicator, target, ""};
          else {
            r.Error(kv.second, field,
                    "\"" + target + "\" is neither a column role nor an indicator");
            continue;
          }
        } else if (r.Map(kv.second, field, {"indicator", "unit"})) {
          role.kind = ColumnRole::kIndicator;
          role.indicator = r.String(kv.second["indicator"], field + ".indicator", "");
          role.unit = r.String(kv.second["unit"], field + ".unit", "");
          const IndicatorConfig* ind = c->FindIndicator(role.indicator);
          if (!ind) {
            r.Error(kv.second["indicator"], field + ".indicator",
                    "unknown indicator \"" + role.indicator + "\"");
          } else if (!role.unit.empty()) {
            auto unit = FindUnit(role.unit);
            if (!unit)
              r.Error(kv.second["unit"], field + ".unit", "unknown unit \"" + role.unit + "\"");
            else if (unit->dimension != ind->dimension)
              r.Error(kv.second["unit"], field + ".unit",
                      "unit does not fit indicator " + ind->name);
          }
        } else {
          continue;
        }
        col.columns[header] = role;
      }
    } else if (columns && !columns.IsNull()) {
      r.Error(columns, where + ".columns", "expected a mapping of header to role");
    }
    c->collectors.push_back(std::move(col));
  }
}

}  // namespace

const IndicatorConfig* Config::FindIndicator(const std::string& name) const {
  for (const auto& i : indicators)
    if (i.name == name) return &i;
  return nullptr;
}

const CollectorConfig* Config::FindCollector(const std::string& name) const {
  for (const auto& c : collectors)
    if (c.name == name) return &c;
  return nullptr;
}

// reports: {directory, min_reported_share, deadline: "day 10 12:00", receivers, language}
static void ReadReports(Reader& r, const YAML::Node& node, const Config& c, ReportsConfig* out) {
  if (!node || node.IsNull()) return;
  if (!r.Map(node, "reports",
             {"directory", "min_reported_share", "deadline", "receivers", "language"}))
    return;
  out->enabled = true;
  fs::path store_dir = fs::path(c.storage_path).parent_path();
  out->directory = ResolvePath(
      fs::path(c.file).parent_path().string(),
      r.String(node["directory"], "reports.directory", (store_dir / "reports").string()));
  out->min_reported_share = r.Double(node["min_reported_share"], "reports.min_reported_share", 0.8);
  if (out->min_reported_share < 0 || out->min_reported_share > 1)
    r.Error(node["min_reported_share"], "reports.min_reported_share",
            "must be a share between 0 and 1, e.g. 0.9");
  std::string deadline = r.String(node["deadline"], "reports.deadline", "day 10 12:00");
  // from_chars, not sscanf: a number out of range is an error, not undefined behaviour.
  int day = 0, hour = -1, minute = -1;
  std::istringstream words(deadline);
  std::string word, day_text, time_text, extra;
  words >> word >> day_text >> time_text;
  auto number = [](std::string_view text, int* out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  const size_t colon = time_text.find(':');
  if (word != "day" || (words >> extra) || !number(day_text, &day) || colon == std::string::npos ||
      !number(std::string_view(time_text).substr(0, colon), &hour) ||
      !number(std::string_view(time_text).substr(colon + 1), &minute) || day < 1 || day > 28 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    r.Error(node["deadline"], "reports.deadline",
            "must be \"day D HH:MM\" of the month after (D from 1 to 28), e.g. \"day 10 12:00\"");
  } else {
    out->deadline_day = day;
    out->deadline_minute = hour * 60 + minute;
  }
  out->receivers = r.Strings(node["receivers"], "reports.receivers");
  for (const std::string& name : out->receivers) {
    bool known = false;
    for (const auto& receiver : c.alerting.receivers) known = known || receiver.name == name;
    if (!known)
      r.Error(node["receivers"], "reports.receivers",
              "no receiver named " + name + " under alerting.receivers");
  }
  out->language = r.String(node["language"], "reports.language", "zh");
  if (out->language != "zh" && out->language != "en")
    r.Error(node["language"], "reports.language", "must be zh or en");
}

bool ParseConfig(const std::string& text, const std::string& file, Config* out,
                 std::vector<Diagnostic>* diagnostics) {
  YAML::Node root;
  if (!ParseYaml(text, file, &root, diagnostics)) return false;
  Reader r(file, diagnostics);
  Config c;
  c.file = file;
  c.indicators = DefaultIndicators();
  fs::path base = fs::path(file).parent_path();
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!r.Map(root, "",
             {"global", "park", "storage", "web", "indicators", "collectors", "rule_files",
              "alerting", "reports", "register"}))
    return false;

  const YAML::Node global = root["global"];
  if (r.Map(global, "global", {"timezone", "external_url"})) {
    c.timezone = r.String(global["timezone"], "global.timezone", c.timezone);
    if (!UtcOffsetMinutes(c.timezone))
      r.Error(global["timezone"], "global.timezone",
              "unknown time zone \"" + c.timezone +
                  "\": use Asia/Shanghai, UTC or a fixed offset such as +08:00");
    c.web.external_url = r.String(global["external_url"], "global.external_url", "");
  }
  const YAML::Node park = root["park"];
  if (r.Map(park, "park", {"name", "industries"})) {
    c.park_name = r.String(park["name"], "park.name", "");
    c.industries = r.Strings(park["industries"], "park.industries");
  }
  const YAML::Node storage = root["storage"];
  if (r.Map(storage, "storage", {"path"}))
    c.storage_path = r.String(storage["path"], "storage.path", c.storage_path);
  c.storage_path = ResolvePath(base.string(), c.storage_path);

  const YAML::Node web = root["web"];
  if (r.Map(web, "web",
            {"listen_address", "max_body_bytes", "ingest_token", "ingest_token_file", "admin_token",
             "admin_token_file", "ingest_token_env", "admin_token_env", "config_file"})) {
    c.web.listen_address =
        r.String(web["listen_address"], "web.listen_address", c.web.listen_address);
    c.web.max_body_bytes = static_cast<size_t>(
        r.Int(web["max_body_bytes"], "web.max_body_bytes", c.web.max_body_bytes, 1024, 1LL << 30));
    c.web.ingest_token = r.Secret(web, "web", "ingest_token", base.string());
    c.web.admin_token = r.Secret(web, "web", "admin_token", base.string());
    std::string security = r.String(web["config_file"], "web.config_file", "");
    // Its problems are reported against its own file and lines, and make this parse fail too
    // (the reader counts every diagnostic added after it started).
    if (!security.empty())
      LoadWebConfigFile(ResolvePath(base.string(), security), &c.web.security, diagnostics);
  }

  const YAML::Node reg = root["register"];
  if (r.Map(reg, "register", {"file", "sheet"})) {
    std::string file = r.String(reg["file"], "register.file", "");
    if (file.empty()) r.Error(reg, "register.file", "required: the register's CSV or workbook");
    c.register_file = ResolvePath(base.string(), file);
    c.register_sheet = r.String(reg["sheet"], "register.sheet", "");
  }

  ReadIndicators(r, root["indicators"], &c);
  ReadCollectors(r, root["collectors"], base, &c);
  for (const std::string& f : r.Strings(root["rule_files"], "rule_files"))
    c.rule_files.push_back(ResolvePath(base.string(), f));
  c.alerting.external_url = c.web.external_url;
  ParseAlerting(r, root["alerting"], base.string(), &c.alerting);
  ReadReports(r, root["reports"], c, &c.reports);

  if (!r.ok()) return false;
  *out = std::move(c);
  return true;
}

bool LoadConfig(const std::string& path, Config* out, std::vector<Diagnostic>* diagnostics) {
  std::string text;
  return ReadConfigFile(path, "file", &text, diagnostics) &&
         ParseConfig(text, path, out, diagnostics);
}

}  // namespace parkwatch
