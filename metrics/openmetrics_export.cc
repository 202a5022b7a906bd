#include "metrics/openmetrics_export.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <vector>

#include "metrics/park_figures.h"

namespace parkwatch {

namespace {

std::string Escape(const std::string& text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

// Shortest text that reads back as the same double.
std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string LabelText(const SeriesLabels& labels) {
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name + "=\"" + Escape(value, true) + '"';
  }
  return out + "}";
}

}  // namespace

OpenMetricsExportStats WriteOpenMetrics(Store& store, const Config& config,
                                        const OpenMetricsExportOptions& options,
                                        std::ostream& out) {
  ParkFigures figures(store, config);
  int64_t now = options.now ? options.now : UnixNow();
  OpenMetricsExportStats stats;

  // The periods to write, per cadence: ended, and not before options.from.
  std::vector<std::pair<Cadence, std::vector<Period>>> cadences;
  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    std::vector<Period> periods;
    for (Period p : figures.Periods(cadence)) {
      if (PeriodEndUnixSeconds(p) > now) continue;
      if (options.from &&
          std::chrono::sys_days(p.FirstDay()) < std::chrono::sys_days(options.from->FirstDay()))
        continue;
      periods.push_back(p);
    }
    cadences.emplace_back(cadence, std::move(periods));
  }

  for (const auto& def : FigureMetricDefs()) {
    out << "# HELP " << def.name << ' ' << Escape(def.help, false) << '\n';
    out << "# TYPE " << def.name << " gauge\n";
    const auto& members = figures.Members(def.scope);
    // A family without a price basis is written once, unlabelled; one with, once per basis.
    std::vector<std::optional<PriceBasis>> bases(def.prices.begin(), def.prices.end());
    if (bases.empty()) bases.push_back(std::nullopt);
    for (const auto& [cadence, periods] : cadences)
      for (const std::optional<PriceBasis>& basis : bases) {
        // Period-major to compute (one pass over the scope per period), member-major to write
        // (OpenMetrics wants each series' samples together and in time order).
        std::vector<std::vector<double>> values;
        values.reserve(periods.size());
        for (Period p : periods)
          values.push_back(figures.Values(def, p, basis.value_or(PriceBasis::kCurrent)));
        for (size_t m = 0; m < members.size(); ++m) {
          SeriesLabels labels = options.labels;
          for (const auto& [name, value] : members[m]) labels[name] = value;
          labels["cadence"] = std::string(CadenceName(cadence));
          if (basis) labels["prices"] = PriceBasisLabel(*basis);
          std::string prefix = def.name + LabelText(labels) + ' ';
          bool any = false;
          for (size_t i = 0; i < periods.size(); ++i) {
            double v = values[i][m];
            if (std::isnan(v)) continue;
            out << prefix << Number(v) << ' ' << PeriodEndUnixSeconds(periods[i]) << '\n';
            any = true;
            ++stats.samples;
          }
          if (any) ++stats.series;
        }
      }
  }
  // The info series at every timestamp the figures have, so that a join on enterprise finds the
  // name and industry at any point of the history, not only where the live gauge exists.
  std::set<int64_t> stamps;
  for (const auto& [cadence, periods] : cadences)
    for (Period p : periods) stamps.insert(PeriodEndUnixSeconds(p));
  out << "# HELP " << kEnterpriseInfoName << ' ' << Escape(kEnterpriseInfoHelp, false) << '\n';
  out << "# TYPE " << kEnterpriseInfoName << " gauge\n";
  if (!stamps.empty()) {
    for (const SeriesLabels& info : figures.InfoLabels()) {
      SeriesLabels labels = options.labels;
      for (const auto& [name, value] : info) labels[name] = value;
      std::string prefix = kEnterpriseInfoName + LabelText(labels) + " 1 ";
      for (int64_t stamp : stamps) out << prefix << stamp << '\n';
      stats.samples += static_cast<int64_t>(stamps.size());
      ++stats.series;
    }
  }
  // Which period the figures at each period end are of, as the daemon has it live, so that an
  // "as of" panel or a join with the period info series works over the history too.
  out << "# HELP " << kPeriodInfoName << ' ' << Escape(kPeriodInfoHelp, false) << '\n';
  out << "# TYPE " << kPeriodInfoName << " gauge\n";
  for (const auto& [cadence, periods] : cadences) {
    for (Period p : periods) {
      SeriesLabels labels = options.labels;
      labels["cadence"] = std::string(CadenceName(cadence));
      labels["period"] = p.ToString();
      out << kPeriodInfoName << LabelText(labels) << " 1 " << PeriodEndUnixSeconds(p) << '\n';
      ++stats.samples;
      ++stats.series;
    }
  }
  out << "# HELP " << kPeriodEndName << ' ' << Escape(kPeriodEndHelp, false) << '\n';
  out << "# TYPE " << kPeriodEndName << " gauge\n";
  for (const auto& [cadence, periods] : cadences) {
    if (periods.empty()) continue;
    SeriesLabels labels = options.labels;
    labels["cadence"] = std::string(CadenceName(cadence));
    std::string prefix = kPeriodEndName + LabelText(labels) + ' ';
    for (Period p : periods) {
      int64_t end = PeriodEndUnixSeconds(p);
      out << prefix << end << ' ' << end << '\n';
    }
    stats.samples += static_cast<int64_t>(periods.size());
    ++stats.series;
  }
  out << "# EOF\n";
  return stats;
}

bool ParseExportLabels(const std::string& text, SeriesLabels* labels, std::string* error) {
  // The figure and info series' own labels: a target label of the same name would be overwritten
  // on some series and not others.
  static const std::set<std::string> kOwn = {"cadence", "enterprise", "industry", "name",
                                             "key",     "period",     "prices"};
  labels->clear();
  size_t at = 0;
  while (at < text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    std::string pair = text.substr(at, comma - at);
    at = comma + 1;
    size_t eq = pair.find('=');
    std::string name = pair.substr(0, eq);
    bool valid = eq != std::string::npos && !name.empty() &&
                 !std::isdigit(static_cast<unsigned char>(name[0])) && name.rfind("__", 0) != 0 &&
                 std::all_of(name.begin(), name.end(), [](char c) {
                   return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                 });
    if (!valid) {
      *error = "\"" + pair + "\" is not NAME=VALUE with a Prometheus label name";
      return false;
    }
    if (kOwn.count(name)) {
      *error = "\"" + name + "\" is a label of the figure series themselves";
      return false;
    }
    (*labels)[name] = pair.substr(eq + 1);
  }
  return true;
}

int ExportOpenMetricsCommand(const std::string& config_file, const std::string& from,
                             const std::string& labels, const std::string& out_file) {
  OpenMetricsExportOptions options;
  if (std::string error; !ParseExportLabels(labels, &options.labels, &error)) {
    std::fprintf(stderr, "parkwatch export openmetrics: --labels=%s: %s\n", labels.c_str(),
                 error.c_str());
    return 2;
  }
  if (!from.empty()) {
    std::string error;
    options.from = Period::Parse(from, &error);
    if (!options.from) {
      std::fprintf(stderr, "parkwatch export openmetrics: --from=%s: %s\n", from.c_str(),
                   error.c_str());
      return 2;
    }
  }
  Config config;
  std::vector<Diagnostic> diagnostics;
  if (!LoadConfig(config_file, &config, &diagnostics)) {
    std::fputs(JoinDiagnostics(diagnostics).c_str(), stderr);
    return 1;
  }
  try {
    auto store = Store::Open(config.storage_path);
    OpenMetricsExportStats stats;
    if (out_file.empty() || out_file == "-") {
      stats = WriteOpenMetrics(*store, config, options, std::cout);
      std::cout.flush();
      if (!std::cout) throw std::runtime_error("cannot write to standard output");
    } else {
      std::string tmp = out_file + ".tmp";
      {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        if (!file) throw std::runtime_error("cannot write " + tmp);
        stats = WriteOpenMetrics(*store, config, options, file);
        file.close();
        if (!file) throw std::runtime_error("cannot write " + tmp);
      }
      std::filesystem::rename(tmp, out_file);
    }
    std::fprintf(stderr, "exported %lld samples in %lld series%s%s\n",
                 static_cast<long long>(stats.samples), static_cast<long long>(stats.series),
                 out_file.empty() || out_file == "-" ? "" : " to ",
                 out_file == "-" ? "" : out_file.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parkwatch export openmetrics: %s\n", e.what());
    return 1;
  }
}

}  // namespace parkwatch
