// The demo park and benchmark generators: files, encodings, codes, periods, planted stories and
// determinism. The CSV files are re-read with a naive split, which is enough for files whose
// fields never hold commas or quotes.
#include "tools/demo_park.h"

#include <gtest/gtest.h>
#include <iconv.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "collectors/table_reader.h"
#include "config/config.h"
#include "core/credit_code.h"
#include "core/period.h"
#include "tools/bench_data.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Rows of a CSV text, header included, BOM dropped.
std::vector<std::vector<std::string>> Rows(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : Split(text, '\n')) rows.push_back(Split(line, ','));
  return rows;
}

bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0) return false;
    for (int k = 1; k <= n; ++k)
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n + 1;
  }
  return true;
}

bool Gb18030ToUtf8(const std::string& in, std::string* out) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->assign(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out->data();
  size_t dst_left = out->size();
  size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  out->resize(out->size() - dst_left);
  return r != static_cast<size_t>(-1) && src_left == 0;
}

class DemoParkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() /
                         ("parkwatch-demo-test-" + std::to_string(getpid())));
    fs::remove_all(*root_);
    files_ = new std::vector<std::string>(Generate(*root_ / "a", 42));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
    delete files_;
  }
  static std::vector<std::string> Generate(const fs::path& dir, uint64_t seed) {
    DemoParkOptions o;
    o.dir = dir.string();
    o.today = year_month_day(year(2026) / January / 15);
    o.seed = seed;
    std::string error;
    auto files = WriteDemoPark(o, &error);
    EXPECT_FALSE(files.empty()) << error;
    return files;
  }
  static fs::path Inbox() { return *root_ / "a" / "inbox"; }
  static std::vector<std::vector<std::string>> Csv(const std::string& name) {
    std::string text = ReadFile(Inbox() / name);
    if (name == "monthly-2023.csv") {
      std::string utf8;
      EXPECT_TRUE(Gb18030ToUtf8(text, &utf8));
      text = utf8;
    }
    return Rows(text);
  }

  static fs::path* root_;
  static std::vector<std::string>* files_;
};
fs::path* DemoParkTest::root_ = nullptr;
std::vector<std::string>* DemoParkTest::files_ = nullptr;

TEST_F(DemoParkTest, WritesRegisterFirstThenEachYear) {
  std::vector<std::string> names;
  for (const auto& f : *files_) names.push_back(fs::path(f).filename().string());
  std::vector<std::string> expected = {"enterprises.csv",  "industry-ppi.csv", "monthly-2023.csv",
                                       "weekly-2023.csv",  "monthly-2024.csv", "weekly-2024.csv",
                                       "monthly-2025.csv", "weekly-2025.csv",  "weekly-2026.csv"};
  EXPECT_EQ(names, expected);
  for (const auto& f : *files_) EXPECT_TRUE(fs::is_regular_file(f)) << f;
  EXPECT_TRUE(fs::is_regular_file(*root_ / "a" / "README.txt"));
}

TEST_F(DemoParkTest, RegisterHasValidCodesKeysAndIndustries) {
  std::string raw = ReadFile(Inbox() / "enterprises.csv");
  EXPECT_EQ(raw.rfind("\xEF\xBB\xBF", 0), 0u) << "register should carry a UTF-8 BOM";
  EXPECT_TRUE(IsUtf8(raw));
  auto rows = Csv("enterprises.csv");
  ASSERT_EQ(rows.size(), 301u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"统一社会信用代码", "企业名称", "行业", "重点企业",
                                               "规上起始年份"}));
  std::set<std::string> codes, names;
  std::map<std::string, int> industries;
  int keys = 0, entrants = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5u) << i;
    EXPECT_TRUE(ValidateCreditCode(rows[i][0]).empty()) << rows[i][0];
    codes.insert(rows[i][0]);
    names.insert(rows[i][1]);
    industries[rows[i][2]]++;
    keys += rows[i][3] == "是";
    EXPECT_TRUE(rows[i][3] == "是" || rows[i][3] == "否");
    int entry = std::stoi(rows[i][4]);
    EXPECT_GE(entry, 1990);
    EXPECT_LE(entry, 2025);
    entrants += entry > 2023;
  }
  EXPECT_EQ(codes.size(), 300u);
  EXPECT_EQ(names.size(), 300u);
  EXPECT_EQ(keys, 40);
  EXPECT_GE(entrants, 3);
  ASSERT_EQ(industries.size(), 4u);
  for (const char* ind : {"医药化工", "装备制造", "轻工食品", "电力电子"})
    EXPECT_GE(industries[ind], 30) << ind;
}

TEST_F(DemoParkTest, FirstMonthlyFileIsGb18030WithCrlf) {
  std::string raw = ReadFile(Inbox() / "monthly-2023.csv");
  EXPECT_FALSE(IsUtf8(raw));
  EXPECT_NE(raw.find("\r\n"), std::string::npos);
  std::string utf8;
  ASSERT_TRUE(Gb18030ToUtf8(raw, &utf8));
  EXPECT_TRUE(IsUtf8(utf8));
  EXPECT_EQ(utf8.rfind("统一社会信用代码,企业名称,报告期,", 0), 0u);
  EXPECT_TRUE(IsUtf8(ReadFile(Inbox() / "monthly-2024.csv")));
}

TEST_F(DemoParkTest, MonthlyPeriodsCombineJanuaryAndFebruary) {
  for (const char* file : {"monthly-2023.csv", "monthly-2024.csv", "monthly-2025.csv"}) {
    auto rows = Csv(file);
    std::set<std::string> periods;
    for (size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), 6u);
      EXPECT_TRUE(ValidateCreditCode(rows[i][0]).empty());
      periods.insert(rows[i][2]);
      double output = std::stod(rows[i][3]), va = std::stod(rows[i][4]);
      EXPECT_GT(output, 0);
      EXPECT_GE(va, 0.2 * output);
      EXPECT_LE(va, 0.4 * output);
      EXPECT_GT(std::stod(rows[i][5]), 0);
    }
    std::string y = std::string(file).substr(8, 4);
    EXPECT_EQ(periods.size(), 11u) << file;
    EXPECT_TRUE(periods.count(y + "年1-2月")) << file;
    EXPECT_FALSE(periods.count(y + "年1月")) << file;
    EXPECT_FALSE(periods.count(y + "年2月")) << file;
    for (const auto& p : periods) {
      auto parsed = Period::Parse(p);
      ASSERT_TRUE(parsed) << p;
      EXPECT_TRUE(parsed->monthly());
      EXPECT_EQ(parsed->year(), std::stoi(y));
    }
    // 300 enterprises less entrants and late reports.
    EXPECT_GE(rows.size() - 1, 11u * 285);
    EXPECT_LE(rows.size() - 1, 11u * 300);
  }
}

TEST_F(DemoParkTest, WeeksEndBeforeTodayAndSumToMonths) {
  auto rows = Csv("weekly-2026.csv");
  std::set<std::string> periods;
  for (size_t i = 1; i < rows.size(); ++i) periods.insert(rows[i][1]);
  EXPECT_EQ(periods, (std::set<std::string>{"2026年第1周", "2026年第2周"}));

  // ISO year 2024 runs 2024-01-01..2024-12-29, so its weeks hold almost exactly the year's months.
  double weekly = 0, monthly = 0;
  auto weeks = Csv("weekly-2024.csv");
  EXPECT_EQ(weeks[0], (std::vector<std::string>{"统一社会信用代码", "报告期", "工业总产值(万元)",
                                                "用电量(万千瓦时)"}));
  std::set<std::string> week_periods;
  for (size_t i = 1; i < weeks.size(); ++i) {
    weekly += std::stod(weeks[i][2]);
    week_periods.insert(weeks[i][1]);
  }
  EXPECT_EQ(week_periods.size(), 52u);
  for (const auto& p : week_periods) ASSERT_TRUE(Period::Parse(p)) << p;
  auto months = Csv("monthly-2024.csv");
  for (size_t i = 1; i < months.size(); ++i) monthly += std::stod(months[i][3]);
  EXPECT_NEAR(weekly / monthly, 1.0, 0.02);
}

TEST_F(DemoParkTest, SpringFestivalWeekDips) {
  // 2024-02-10 falls in ISO week 2024-W06; the park's output that week is far below the weeks
  // around it.
  std::map<std::string, double> total;
  auto rows = Csv("weekly-2024.csv");
  for (size_t i = 1; i < rows.size(); ++i) total[rows[i][1]] += std::stod(rows[i][2]);
  EXPECT_LT(total["2024年第6周"], 0.7 * total["2024年第3周"]);
  EXPECT_LT(total["2024年第7周"], 0.7 * total["2024年第11周"]);
}

TEST_F(DemoParkTest, PlantedSlowdownsAndLateReports) {
  auto reg = Csv("enterprises.csv");
  std::set<std::string> keys;
  for (size_t i = 1; i < reg.size(); ++i)
    if (reg[i][3] == "是") keys.insert(reg[i][0]);
  std::map<std::string, double> dec24, dec25;
  for (const auto& r : Csv("monthly-2024.csv"))
    if (r[2] == "2024年12月") dec24[r[0]] = std::stod(r[3]);
  for (const auto& r : Csv("monthly-2025.csv"))
    if (r[2] == "2025年12月") dec25[r[0]] = std::stod(r[3]);
  int slumped_keys = 0;
  for (const auto& [code, now] : dec25)
    if (keys.count(code) && dec24.count(code) && now <= 0.85 * dec24[code]) ++slumped_keys;
  EXPECT_GE(slumped_keys, 3);
  EXPECT_LE(slumped_keys, 8);  // the planted ones stand out

  // Two enterprises miss the latest month, three the latest week.
  EXPECT_EQ(dec25.size(), 298u);
  int last_week = 0;
  for (const auto& r : Csv("weekly-2026.csv")) last_week += r[1] == "2026年第2周";
  EXPECT_EQ(last_week, 297);

  std::string readme = ReadFile(*root_ / "a" / "README.txt");
  EXPECT_NE(readme.find("slump"), std::string::npos);
  EXPECT_NE(readme.find("2026-W02"), std::string::npos);
  EXPECT_NE(readme.find("装备制造"), std::string::npos);
}

TEST_F(DemoParkTest, EntrantsStartInTheirEntryYear) {
  std::map<std::string, int> entry;
  for (const auto& r : Csv("enterprises.csv"))
    if (r[4] != "规上起始年份") entry[r[0]] = std::stoi(r[4]);
  for (const char* file : {"monthly-2023.csv", "monthly-2024.csv", "weekly-2023.csv"}) {
    int year = std::stoi(std::string(file).substr(std::string(file).find('-') + 1, 4));
    auto rows = Csv(file);
    for (size_t i = 1; i < rows.size(); ++i)
      ASSERT_LE(entry.at(rows[i][0]), year) << file << " " << rows[i][0];
  }
}

// The demo is only useful if parkwatch's own reader takes every row: run each file through it
// with encoding detection, as the inbox collector does.
TEST_F(DemoParkTest, TableReaderAcceptsEveryRow) {
  struct CountingSink : RecordSink {
    int64_t enterprises = 0, figures = 0;
    Wording PutEnterprise(const EnterpriseRecord&) override {
      ++enterprises;
      return {};
    }
    Wording PutFigure(const FigureRecord&) override {
      ++figures;
      return {};
    }
  };
  CollectorConfig collector;
  collector.encoding = "auto";
  auto indicators = DefaultIndicators();
  for (const auto& file : *files_) {
    std::ifstream in(file, std::ios::binary);
    CountingSink sink;
    TableResult result;
    ReadCsvTable(in, file, collector, indicators, &sink, &result);
    EXPECT_TRUE(result.errors.empty()) << file << ": " << result.errors.front().ToString();
    EXPECT_GT(result.rows_read, 0) << file;
    EXPECT_EQ(result.rows_accepted, result.rows_read) << file;
    std::string name = fs::path(file).filename().string();
    if (name == "monthly-2023.csv") {
      EXPECT_EQ(result.encoding, "gb18030");
    }
    // Monthly rows carry output, value added and electricity; weekly ones output and
    // electricity; the industry price index one PPI figure.
    int per_row = name.rfind("monthly", 0) == 0  ? 3
                  : name.rfind("weekly", 0) == 0 ? 2
                  : name == "industry-ppi.csv"   ? 1
                                                 : 0;
    EXPECT_EQ(sink.figures, per_row * result.rows_read) << file;
  }
}

TEST_F(DemoParkTest, SameSeedSameBytes) {
  auto again = Generate(*root_ / "b", 42);
  auto other = Generate(*root_ / "c", 7);
  ASSERT_EQ(again.size(), files_->size());
  for (size_t i = 0; i < files_->size(); ++i)
    EXPECT_EQ(ReadFile((*files_)[i]), ReadFile(again[i])) << (*files_)[i];
  EXPECT_EQ(ReadFile(*root_ / "a" / "README.txt"), ReadFile(*root_ / "b" / "README.txt"));
  EXPECT_NE(ReadFile((*files_)[0]), ReadFile(other[0]));
}

TEST_F(DemoParkTest, WithoutTodayWritesExactlyTheFullYears) {
  DemoParkOptions o;
  o.dir = (*root_ / "d").string();
  o.enterprises = 40;
  o.key_enterprises = 5;
  std::string error;
  auto files = WriteDemoPark(o, &error);
  ASSERT_FALSE(files.empty()) << error;
  EXPECT_EQ(fs::path(files.back()).filename(), "weekly-2025.csv");
  EXPECT_EQ(files.size(), 8u);  // register, price index, three monthly and three weekly
}

TEST_F(DemoParkTest, RejectsBadOptions) {
  DemoParkOptions o;
  o.dir = (*root_ / "e").string();
  o.today = year_month_day(year(2023) / January / 20);
  std::string error;
  EXPECT_TRUE(WriteDemoPark(o, &error).empty());
  EXPECT_FALSE(error.empty());
}

TEST(BenchDataTest, WritesValidDistinctRows) {
  fs::path path = fs::temp_directory_path() / ("parkwatch-bench-" + std::to_string(getpid()));
  std::string error;
  ASSERT_TRUE(WriteBenchCsv(path.string(), 50, 14, 1, &error)) << error;
  auto rows = Rows(ReadFile(path));
  ASSERT_EQ(rows.size(), 1u + 50 * 14);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"统一社会信用代码", "报告期", "工业总产值(万元)",
                                               "用电量(万千瓦时)"}));
  std::set<std::string> codes, periods;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 4u);
    EXPECT_TRUE(ValidateCreditCode(rows[i][0]).empty()) << rows[i][0];
    codes.insert(rows[i][0]);
    periods.insert(rows[i][1]);
    EXPECT_GT(std::stod(rows[i][2]), 0);
  }
  EXPECT_EQ(codes.size(), 50u);
  EXPECT_EQ(periods.size(), 14u);
  EXPECT_TRUE(periods.count("2021-01") && periods.count("2022-02"));
  std::string first = ReadFile(path);
  ASSERT_TRUE(WriteBenchCsv(path.string(), 50, 14, 1, &error));
  EXPECT_EQ(ReadFile(path), first);
  fs::remove(path);
}

}  // namespace
}  // namespace parkwatch
