// parkwatch: one binary with subcommands, in the style of promtool.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "alerts/backtest.h"
#include "alerts/rule_test.h"
#include "api/handlers.h"
#include "collectors/ingest.h"
#include "config/config.h"
#include "core/json_text.h"
#include "core/log_format.h"
#include "core/number_text.h"
#include "core/time_text.h"
#include "daemon/alert_commands.h"
#include "daemon/auth.h"
#include "daemon/daemon.h"
#include "daemon/flags.h"
#include "daemon/secrets.h"
#include "metrics/openmetrics_export.h"
#include "notifiers/delivery_store.h"
#include "notifiers/receiver_types.h"
#include "report/render.h"
#include "rules/evaluator.h"
#include "rules/rule_config.h"
#include "rules/tuning.h"
#include "rules/unit_slip_hold.h"
#include "store/audit.h"
#include "store/quarantine.h"
#include "store/store.h"
#include "tools/bench_data.h"
#include "tools/demo_config.h"
#include "web/tls_context.h"

namespace parkwatch {
namespace {

constexpr const char* kUsage = R"(usage: parkwatch COMMAND [FLAGS]

commands:
  serve         run the daemon        --config.file=parkwatch.yml [--web.listen-address=HOST:PORT]
                                      [--web.config.file=web.yml]  (TLS, basic auth)
  ingest        ingest files now      --config.file=parkwatch.yml [--collector=NAME] FILE...
  check-config  validate a config     FILE
  test rules    unit-test rule files  FILE.yml...
  backtest      replay stored history --config.file=parkwatch.yml --from=2023-01 --to=2025-12
                                      [--rules=FILE,...] [--compare=FILE,...] [--format=text|json]
  demo          write a demo park     --dir=DIR [--force]
  export openmetrics  history for promtool tsdb create-blocks-from openmetrics
                --config.file=parkwatch.yml [--from=2023-01] [--out=FILE]
                [--labels=job=parkwatch,instance=parkwatch:9780]  (the scrape's target labels)
  report monthly  the month's analysis --config.file=parkwatch.yml [--period=2025-06]
                [--format=html|xlsx|pdf|json] [--lang=zh|en] [--out=FILE]
  silence       manage silences       add|list|expire --config.file=parkwatch.yml
                [--matcher='alertname="X"']... [--author=] [--comment=] [--duration=24h] [ID]
  alerts        active alerts, a table --config.file=parkwatch.yml [--industry= --enterprise=
                                      --scope= --rule= --state= --severity=] [--lang=zh|en]
  explain       why an alert fires    FINGERPRINT --config.file=parkwatch.yml [--lang=zh|en]
  ack           acknowledge an alert  FINGERPRINT --config.file=parkwatch.yml --author= [--note=]
  figures       the quarantine of suspected unit slips  --config.file=parkwatch.yml
                list | confirm CREDIT_CODE PERIOD [INDICATOR] | reject CREDIT_CODE PERIOD [INDICATOR]
  hash-password bcrypt hash for basic_auth_users; reads the password from standard input
  secrets       write the ingest and admin tokens  --dir=/etc/parkwatch/secrets [--force]
                (existing ones are kept unless --force)
  bench-data    write a bulk CSV      --out=FILE [--enterprises=20000] [--months=60]
  version       print the version
)";

// Who runs a command that changes something, for the audit trail: cli:LOGIN.
std::string CommandLineUser() {
  const char* user = std::getenv("USER");
  if (!user || !*user) user = std::getenv("LOGNAME");
  return std::string("cli:") + (user && *user ? user : std::to_string(::getuid()));
}

int Usage(const std::string& error) {
  if (!error.empty()) std::fprintf(stderr, "parkwatch: %s\n\n", error.c_str());
  std::fputs(kUsage, stderr);
  return 2;
}

bool Load(const std::string& path, Config* config) {
  std::vector<Diagnostic> diagnostics;
  if (LoadConfig(path, config, &diagnostics)) {
    UseParkTimeInLogs(config->timezone);
    return true;
  }
  std::fputs(JoinDiagnostics(diagnostics).c_str(), stderr);
  return false;
}

int Serve(const Flags& flags) {
  DaemonOptions options;
  options.config_file = flags.Get("config.file", "parkwatch.yml");
  options.listen_address = flags.Get("web.listen-address");
  options.web_config_file = flags.Get("web.config.file");
  return RunDaemon(options);
}

int Ingest(const Flags& flags) {
  Config config;
  if (!Load(flags.Get("config.file", "parkwatch.yml"), &config)) return 1;
  if (flags.positional().empty()) return Usage("ingest needs at least one FILE");
  std::string name = flags.Get("collector");
  const CollectorConfig* collector = nullptr;
  if (!name.empty() && !(collector = config.FindCollector(name)))
    return Usage("unknown collector " + name);
  if (!collector && !config.collectors.empty()) collector = &config.collectors.front();
  CollectorConfig fallback;
  fallback.name = "cli";
  if (!collector) collector = &fallback;

  auto store = Store::Open(config.storage_path);
  int failures = 0;
  for (const std::string& file : flags.positional()) {
    int last_percent = -1;
    auto progress = [&](int64_t done, int64_t total) {
      // Progress only for files big enough to make someone wait.
      if (total < (8 << 20)) return;
      int percent = static_cast<int>(100 * done / total);
      if (percent / 5 != last_percent / 5) {
        std::fprintf(stderr, "\r%s: %3d%%", file.c_str(), percent);
        last_percent = percent;
      }
    };
    try {
      BatchSummary s = IngestFile(file, *collector, config, *store, progress);
      if (last_percent >= 0) std::fputc('\n', stderr);
      std::printf("%s\n", SummaryLine(s).c_str());
      std::fputs(JoinDiagnosticsZhEn(s.errors).c_str(), stderr);
      if (s.status == "rejected") ++failures;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

int CheckConfig(const Flags& flags) {
  if (flags.positional().size() != 1) return Usage("check-config needs exactly one FILE");
  Config config;
  if (!Load(flags.positional()[0], &config)) return 1;
  // The rule files are part of the configuration: a reload needs both valid.
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  if (!LoadRuleFiles(RuleFilesWithTuning(config), &rules, &diagnostics) ||
      !CheckRulesAgainstConfig(rules, config, &diagnostics)) {
    std::fputs(JoinDiagnostics(diagnostics).c_str(), stderr);
    return 1;
  }
  // The certificate and key must load and belong together, or `serve` would not start.
  if (const auto& tls = config.web.security.tls) {
    std::string error;
    if (!MakeServerTlsContext(*tls, &error)) {
      std::fprintf(stderr, "%s: %s\n", config.web.security.file.c_str(), error.c_str());
      return 1;
    }
  }
  // Rules that want a price index the store has never seen: warnings, not errors (the index may
  // simply not have been ingested yet), but said before anyone reads an alert.
  std::unique_ptr<Store> store;
  if (std::filesystem::exists(config.storage_path)) {
    try {
      store = Store::Open(config.storage_path);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "warning: %s: %s\n", config.storage_path.c_str(), e.what());
    }
  }
  for (const auto& w : PriceIndexWarnings(
           rules, [&](const std::string&d, Cadence c) { return store && store->HasFigures(d, c); }))
    std::fprintf(stderr, "warning: %s\n", w.text.c_str());
  size_t count = 0;
  for (const auto& g : rules.groups) count += g.rules.size();
  std::printf("%s: OK (%zu collectors, %zu indicators, %zu rules in %zu groups)\n",
              flags.positional()[0].c_str(), config.collectors.size(), config.indicators.size(),
              count, rules.groups.size());
  return 0;
}

// Reads one line from standard input (without echo on a terminal) and prints its bcrypt hash.
int HashPasswordCommand() {
  bool terminal = ::isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    std::fputs("password: ", stderr);
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", stderr);
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    std::fputs("parkwatch: empty password\n", stderr);
    return 1;
  }
  std::string hash = HashPassword(password);
  if (hash.empty()) {
    std::fputs("parkwatch: the system's crypt library cannot make bcrypt hashes\n", stderr);
    return 1;
  }
  std::printf("%s\n", hash.c_str());
  return 0;
}

int TestRules(const Flags& flags) {
  const auto& args = flags.positional();
  if (args.empty() || args[0] != "rules") return Usage("test needs a subject: test rules FILE...");
  if (args.size() < 2) return Usage("test rules needs at least one FILE");
  return RunRuleTests({args.begin() + 1, args.end()}, std::cout, std::cerr);
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int Backtest(const Flags& flags) {
  Config config;
  if (!Load(flags.Get("config.file", "parkwatch.yml"), &config)) return 1;
  auto month = [&](const char* name, std::chrono::year_month* out) {
    auto p = Period::Parse(flags.Get(name));
    if (!p || !p->monthly() || p->is_jan_feb()) return false;
    *out =
        std::chrono::year(p->year()) / std::chrono::month(static_cast<unsigned>(p->first_month()));
    return true;
  };
  std::chrono::year_month from, to;
  if (!month("from", &from) || !month("to", &to) || to < from)
    return Usage("backtest needs --from=YYYY-MM and --to=YYYY-MM, from before to");
  std::string format = flags.Get("format", "text");
  if (format != "text" && format != "json") return Usage("--format must be text or json");
  // Without --rules, the rules the daemon runs with this config.
  std::vector<std::vector<std::string>> sets = {flags.Has("rules") ? SplitList(flags.Get("rules"))
                                                                   : RuleFilesWithTuning(config)};
  if (flags.Has("compare")) sets.push_back(SplitList(flags.Get("compare")));
  std::vector<BacktestResult> results;
  RuleSet rules;  // the last set: --compare's, whose groups the diff's periods follow
  try {
    auto store = Store::Open(config.storage_path);
    for (const auto& files : sets) {
      rules = RuleSet();
      std::vector<Diagnostic> diagnostics;
      if (files.empty() || !LoadRuleFiles(files, &rules, &diagnostics)) {
        std::fputs(files.empty() ? "parkwatch backtest: no rule files\n"
                                 : JoinDiagnostics(diagnostics).c_str(),
                   stderr);
        return 1;
      }
      RuleData data;
      data.Load(*store, config, rules);
      BacktestResult result = parkwatch::Backtest(rules, config, data, from, to);
      for (const auto& f : files) result.label += (result.label.empty() ? "" : ",") + f;
      results.push_back(std::move(result));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parkwatch backtest: %s\n", e.what());
    return 1;
  }
  std::fputs(
      (format == "json" ? BacktestJson(results, from, to, &rules) : BacktestText(results, from, to))
          .c_str(),
      stdout);
  return 0;
}

// The banner of `make run`: where the console is and who may sign in.
void PrintDemoConsole() {
  std::printf(
      "the console: http://127.0.0.1:9780/ — sign in as %s (operator) or %s (admin), "
      "password %s\n",
      kDemoOperator, kDemoAdmin, kDemoPassword);
}

int Demo(const Flags& flags) {
  std::string dir = flags.Get("dir", "var/demo");
  std::string error;
  bool fresh = !std::filesystem::exists(std::filesystem::path(dir) / "parkwatch.yml");
  if (!fresh && !flags.Has("force")) {
    std::printf("demo park already in %s (use --force to write it again)\n", dir.c_str());
    if (std::filesystem::exists(std::filesystem::path(dir) / "web.yml")) PrintDemoConsole();
    return 0;
  }
  std::string hash = HashPassword(kDemoPassword);
  if (hash.empty() || !WriteDemo(dir, hash, &error)) {
    std::fprintf(
        stderr, "parkwatch demo: %s\n",
        hash.empty() ? "the system's crypt library cannot make a bcrypt hash" : error.c_str());
    return 1;
  }
  std::printf("demo park written to %s; its files wait in %s/inbox\n", dir.c_str(), dir.c_str());
  PrintDemoConsole();
  return 0;
}

// Silences from the command line, on the same store a running daemon reads (it applies them at
// its next delivery cycle).
int SilenceCommand(const Flags& flags, const std::vector<std::string>& matchers) {
  Config config;
  if (!Load(flags.Get("config.file", "parkwatch.yml"), &config)) return 1;
  if (flags.positional().empty()) return Usage("silence needs add, list or expire");
  const std::string& verb = flags.positional()[0];
  auto store = Store::Open(config.storage_path);
  DeliveryStore deliveries(store.get());
  if (verb == "list") {
    for (const Silence& s : deliveries.Silences(true, UnixNow())) {
      std::string m;
      for (const auto& x : s.matchers) m += (m.empty() ? "" : ", ") + x;
      std::printf("%lld\t%s\tuntil %lld\t%s: %s\n", static_cast<long long>(s.id), m.c_str(),
                  static_cast<long long>(s.ends_at), s.author.c_str(), s.comment.c_str());
    }
    return 0;
  }
  if (verb == "expire") {
    if (flags.positional().size() != 2) return Usage("silence expire needs an ID");
    int64_t id = std::stoll(flags.positional()[1]);
    std::optional<Silence> silence;
    for (const Silence& s : deliveries.Silences(true, UnixNow()))
      if (s.id == id) silence = s;
    if (!silence || !deliveries.ExpireSilence(id, UnixNow())) {
      std::fprintf(stderr, "no active silence %s\n", flags.positional()[1].c_str());
      return 1;
    }
    RecordAudit(*store,
                SilenceAudit(*silence, "parkwatch silence expire", CommandLineUser(), "expired"));
    return 0;
  }
  if (verb != "add") return Usage("silence needs add, list or expire");
  nlohmann::json body = {{"matchers", matchers},
                         {"author", flags.Get("author")},
                         {"comment", flags.Get("comment")},
                         {"duration", flags.Get("duration", "24h")}};
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  if (!LoadRuleFiles(config.rule_files, &rules, &diagnostics)) {
    std::fputs(JoinDiagnostics(diagnostics).c_str(), stderr);
    return 1;
  }
  Silence s;
  std::vector<std::string> warnings;
  std::string error = CreateSilence(deliveries, DumpJson(body), rules, &s, &warnings);
  if (!error.empty()) {
    std::fprintf(stderr, "parkwatch silence add: %s\n", error.c_str());
    return 1;
  }
  for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  RecordAudit(*store, SilenceAudit(s, "parkwatch silence add", CommandLineUser(), "added"));
  std::printf("silence %lld until %lld\n", static_cast<long long>(s.id),
              static_cast<long long>(s.ends_at));
  return 0;
}

// The quarantine (store/quarantine.h) on the store a running daemon uses: a decision is a batch
// the daemon's rules follow at their next catch-up (within a minute), as a file ingested here.
int FiguresCommand(const Flags& flags) {
  Config config;
  if (!Load(flags.Get("config.file", "parkwatch.yml"), &config)) return 1;
  const std::vector<std::string>& args = flags.positional();
  if (args.empty()) return Usage("figures needs list, confirm or reject");
  auto store = Store::Open(config.storage_path);
  if (args[0] == "list") {
    for (const QuarantinedFigure& f : QuarantinedFigures(*store)) {
      const IndicatorConfig* indicator = config.FindIndicator(f.indicator);
      Dimension dimension = indicator ? indicator->dimension : Dimension::kMoney;
      std::printf("%s\t%s\t%s\t%s\t%s\t%s（近期水平 %s）\t%s\n", f.credit_code.c_str(),
                  f.name.c_str(), PeriodName(f.period).c_str(), f.indicator.c_str(),
                  f.state == "held" ? "待确认" : "已确认有误",
                  AmountWords(f.value, dimension, "zh").c_str(),
                  AmountWords(f.level, dimension, "zh").c_str(),
                  SlipFactorWords(f.exponent, true).c_str());
    }
    return 0;
  }
  if (args[0] != "confirm" && args[0] != "reject")
    return Usage("figures needs list, confirm or reject");
  if (args.size() != 3 && args.size() != 4)
    return Usage("figures " + args[0] + " needs CREDIT_CODE PERIOD [INDICATOR]");
  QuarantineDecision d;
  d.credit_code = args[1];
  std::string why;
  auto period = Period::Parse(args[2], &why);
  if (!period) return Usage("figures " + args[0] + ": period " + args[2] + ": " + why);
  d.period = *period;
  if (args.size() == 4) d.indicator = args[3];
  d.confirm = args[0] == "confirm";
  d.who = CommandLineUser();
  d.source = "parkwatch figures " + args[0];
  BatchSummary decided = DecideQuarantine(*store, d, UnitSlipRecheck(*store, config));
  if (decided.batch_id == 0) {
    std::fprintf(stderr, "parkwatch figures %s: %s\n", args[0].c_str(),
                 decided.errors.at(0).message.c_str());
    return 1;
  }
  std::printf("%s %lld figure(s) of %s for %s (batch %lld)\n", d.confirm ? "confirmed" : "rejected",
              static_cast<long long>(decided.rows_accepted), d.credit_code.c_str(),
              d.period.ToString().c_str(), static_cast<long long>(decided.batch_id));
  return 0;
}

// Writes the tokens parkwatch.yml's *_token_file settings name (deploy/parkwatch.yml:
// DIR/ingest and DIR/admin) and says which it wrote and which it kept.
int SecretsCommand(const Flags& flags) {
  std::string dir = flags.Get("dir");
  if (dir.empty() || !flags.positional().empty()) return Usage("secrets needs --dir=DIR");
  try {
    for (const auto& r : WriteTokenFiles(dir, flags.Has("force")))
      std::printf("%s %s\n", r.written ? "wrote" : "kept (exists; --force replaces it)",
                  r.path.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parkwatch secrets: %s\n", e.what());
    return 1;
  }
  return 0;
}

int BenchData(const Flags& flags) {
  std::string out = flags.Get("out");
  if (out.empty()) return Usage("bench-data needs --out=FILE");
  std::string error;
  if (!WriteBenchCsv(out, std::stoi(flags.Get("enterprises", "20000")),
                     std::stoi(flags.Get("months", "60")), 1, &error)) {
    std::fprintf(stderr, "parkwatch bench-data: %s\n", error.c_str());
    return 1;
  }
  std::printf("%s\n", out.c_str());
  return 0;
}

}  // namespace
}  // namespace parkwatch

int main(int argc, char** argv) {
  using namespace parkwatch;
  // Logs go to stderr, one line per event, where journald and Docker collect them.
  spdlog::set_default_logger(spdlog::stderr_color_mt("parkwatch"));
  // Times in the park's zone: the default zone until a configuration names one.
  UseParkTimeInLogs(Config().timezone);
  // parkwatch.yml's receivers are read by their types' readers (notifiers/receiver_types.h).
  InstallReceiverTypes();
  if (argc < 2) return Usage("");
  std::string command = argv[1];
  Flags flags;
  std::string error;
  auto parse = [&](std::set<std::string> known, std::set<std::string> boolean = {}) {
    known.insert("log.level");
    if (!flags.Parse(argc, argv, 2, known, boolean, &error)) return false;
    if (auto level = flags.Get("log.level"); !level.empty())
      spdlog::set_level(spdlog::level::from_str(level));
    return true;
  };
  if (command == "serve")
    return parse({"config.file", "web.listen-address", "web.config.file"}) ? Serve(flags)
                                                                           : Usage(error);
  if (command == "hash-password") return parse({}) ? HashPasswordCommand() : Usage(error);
  if (command == "ingest")
    return parse({"config.file", "collector"}) ? Ingest(flags) : Usage(error);
  if (command == "check-config") return parse({}) ? CheckConfig(flags) : Usage(error);
  if (command == "test") return parse({}) ? TestRules(flags) : Usage(error);
  if (command == "backtest")
    return parse({"config.file", "rules", "compare", "from", "to", "format"}) ? Backtest(flags)
                                                                              : Usage(error);
  if (command == "demo") return parse({"dir"}, {"force"}) ? Demo(flags) : Usage(error);
  if (command == "export") {
    if (!parse({"config.file", "from", "labels", "out"})) return Usage(error);
    if (flags.positional().size() != 1 || flags.positional()[0] != "openmetrics")
      return Usage("export needs a format: export openmetrics");
    return ExportOpenMetricsCommand(flags.Get("config.file", "parkwatch.yml"), flags.Get("from"),
                                    flags.Get("labels"), flags.Get("out"));
  }
  if (command == "report") {
    if (!parse({"config.file", "period", "format", "lang", "out"})) return Usage(error);
    if (flags.positional().size() != 1 || flags.positional()[0] != "monthly")
      return Usage("report needs a kind: report monthly");
    return MonthlyReportCommand(flags.Get("config.file", "parkwatch.yml"), flags.Get("period"),
                                flags.Get("format", "html"), flags.Get("lang", "zh"),
                                flags.Get("out"));
  }
  if (command == "silence") {
    // --matcher may repeat; Flags keeps the last, so collect them here.
    std::vector<std::string> matchers;
    for (int i = 2; i < argc; ++i)
      if (std::string a = argv[i]; a.rfind("--matcher=", 0) == 0) matchers.push_back(a.substr(10));
    return parse({"config.file", "matcher", "author", "comment", "duration"})
               ? SilenceCommand(flags, matchers)
               : Usage(error);
  }
  if (command == "secrets") return parse({"dir"}, {"force"}) ? SecretsCommand(flags) : Usage(error);
  if (command == "alerts")
    return parse({"config.file", "industry", "enterprise", "scope", "rule", "state", "severity",
                  "lang"})
               ? AlertsCommand(flags)
               : Usage(error);
  if (command == "explain")
    return parse({"config.file", "lang"}) ? ExplainCommand(flags) : Usage(error);
  if (command == "ack")
    return parse({"config.file", "author", "note", "lang"}) ? AckCommand(flags) : Usage(error);
  if (command == "figures") return parse({"config.file"}) ? FiguresCommand(flags) : Usage(error);
  if (command == "bench-data")
    return parse({"out", "enterprises", "months"}) ? BenchData(flags) : Usage(error);
  if (command == "version" || command == "--version") {
    std::printf("parkwatch %s\n", PARKWATCH_VERSION);
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") return Usage(""), 0;
  return Usage("unknown command " + command);
}
