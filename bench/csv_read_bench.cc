// Throughput of the CSV path: the raw reader alone, and ReadCsvTable with validation and unit
// conversion into a sink that only counts, on a generated 200k-row monthly export.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "collectors/csv_reader.h"
#include "collectors/table_reader.h"
#include "core/credit_code.h"

namespace parkwatch {
namespace {

constexpr int kRows = 200000;

class CountingSink : public RecordSink {
 public:
  Wording PutEnterprise(const EnterpriseRecord&) override {
    ++enterprises;
    return {};
  }
  Wording PutFigure(const FigureRecord& r) override {
    ++figures;
    sum += r.value;
    return {};
  }
  int64_t enterprises = 0, figures = 0;
  double sum = 0;
};

// A monthly export as an office writes it: Chinese headers with units, quoted names, one
// period per file, a few blanks.
std::string Generate(int rows) {
  std::string text =
      "统一社会信用代码,企业名称,所属行业,是否重点企业,报告期,工业总产值(万元),营业收入(万元),"
      "用电量(万kWh),利润总额(万元)\n";
  const char* industries[] = {"医药化工", "装备制造", "轻工食品", "电力电子"};
  char line[256];
  for (int i = 0; i < rows; ++i) {
    char base[18];
    std::snprintf(base, sizeof base, "914307%011d", i);
    std::string code(base, 17);
    code += CreditCodeCheckChar(code);
    std::snprintf(line, sizeof line, "%s,\"常德%d号企业有限公司\",%s,%s,2024-03,%d.%d,%d,%s,%d\n",
                  code.c_str(), i, industries[i % 4], i % 10 == 0 ? "是" : "否", 1000 + i % 9000,
                  i % 10, 2000 + i % 7000, i % 17 == 0 ? "" : "12.5", i % 13 - 3);
    text += line;
  }
  return text;
}

const std::string& TestFile() {
  static const std::string path = [] {
    std::string p =
        (std::filesystem::temp_directory_path() / "parkwatch_csv_read_bench.csv").string();
    std::ofstream(p, std::ios::binary) << Generate(kRows);
    return p;
  }();
  return path;
}

void BM_CsvReaderParseOnly(benchmark::State& state) {
  const std::string& path = TestFile();
  int64_t rows = 0;
  for (auto _ : state) {
    std::ifstream in(path, std::ios::binary);
    CsvReader reader(in);
    while (reader.Next()) benchmark::DoNotOptimize(reader.fields().data());
    rows += reader.line() - 1;
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(std::filesystem::file_size(path)));
}
BENCHMARK(BM_CsvReaderParseOnly)->Unit(benchmark::kMillisecond);

void BM_ReadCsvTable(benchmark::State& state) {
  const std::string& path = TestFile();
  CollectorConfig collector;
  std::vector<IndicatorConfig> indicators = DefaultIndicators();
  int64_t rows = 0;
  for (auto _ : state) {
    std::ifstream in(path, std::ios::binary);
    CountingSink sink;
    TableResult result;
    ReadCsvTable(in, "bench.csv", collector, indicators, &sink, &result);
    if (result.rows_accepted != kRows) state.SkipWithError("rows rejected");
    rows += result.rows_read;
    benchmark::DoNotOptimize(sink.sum);
  }
  state.SetItemsProcessed(rows);
}
BENCHMARK(BM_ReadCsvTable)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parkwatch

BENCHMARK_MAIN();
