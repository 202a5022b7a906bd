#include "collectors/csv_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parkwatch {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ReadAll(const std::string& text, CsvReader::Options options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  Rows rows;
  while (reader.Next()) {
    EXPECT_EQ(reader.problem().kind, CsvProblem::kNone) << "line " << reader.line();
    rows.emplace_back(reader.fields().begin(), reader.fields().end());
  }
  return rows;
}

TEST(CsvReaderTest, ReadsPlainAndQuotedFields) {
  EXPECT_EQ(ReadAll("a,b,c\n1,,3\n"), (Rows{{"a", "b", "c"}, {"1", "", "3"}}));
  EXPECT_EQ(ReadAll("\"x,y\",\"say \"\"hi\"\"\",\"\"\n"), (Rows{{"x,y", "say \"hi\"", ""}}));
  EXPECT_EQ(ReadAll("a,b,\n"), (Rows{{"a", "b", ""}}));
  EXPECT_EQ(ReadAll("a\"b,c\n"), (Rows{{"a\"b", "c"}}));  // a quote inside a bare field is data
}

TEST(CsvReaderTest, LineEndsAndBlankLines) {
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ReadAll("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));  // no final line end
  EXPECT_EQ(ReadAll("a,\"b\"\r\n\r\n\n1,2\r"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ReadAll(""), Rows{});
  EXPECT_EQ(ReadAll("\n\n"), Rows{});
}

TEST(CsvReaderTest, EmbeddedNewlinesKeepLineNumbers) {
  std::istringstream in("h1,h2\n\"multi\nline\",x\n\nlast,\"a\r\nb\"\nend,1\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.line(), 1);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.line(), 2);
  EXPECT_EQ(reader[0], "multi\nline");
  EXPECT_EQ(reader.FieldLocation(1).line, 3);
  EXPECT_EQ(reader.FieldLocation(1).column, 7);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.line(), 5);
  EXPECT_EQ(reader[1], "a\r\nb");
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.line(), 7);
  EXPECT_FALSE(reader.Next());
}

TEST(CsvReaderTest, ColumnsCountCharacters) {
  std::istringstream in("统一社会信用代码,产值,\"x\"\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.FieldLocation(0).column, 1);
  EXPECT_EQ(reader.FieldLocation(1).column, 10);
  EXPECT_EQ(reader.FieldLocation(2).column, 13);
}

TEST(CsvReaderTest, DetectsTabSeparatedFiles) {
  std::istringstream in("代码\t产值\n1,234\t5\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.separator(), '\t');
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader[0], "1,234");
  // A comma in the header line means commas, even if tabs appear too.
  EXPECT_EQ(ReadAll("a\tb,c\n"), (Rows{{"a\tb", "c"}}));
}

TEST(CsvReaderTest, ReportsUnterminatedQuote) {
  std::istringstream in("a,b\n1,\"open\n2,3\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.Next());
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.problem().kind, CsvProblem::kUnterminatedQuote);
  EXPECT_EQ(reader.problem().where.line, 2);
  EXPECT_EQ(reader.problem().where.column, 3);
  EXPECT_FALSE(reader.Next());
}

TEST(CsvReaderTest, ReportsTextAfterClosingQuote) {
  std::istringstream in("\"ab\"cd,e\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.problem().kind, CsvProblem::kTextAfterQuote);
  EXPECT_EQ(reader.problem().where.column, 5);
  EXPECT_EQ(reader[1], "e");
}

TEST(CsvReaderTest, ReportsInvalidUtf8WithPosition) {
  std::istringstream in("a,b\n产值,x\xFFy\n");
  CsvReader reader(in);
  ASSERT_TRUE(reader.Next());
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.problem().kind, CsvProblem::kInvalidUtf8);
  EXPECT_EQ(reader.problem().where.line, 2);
  EXPECT_EQ(reader.problem().where.column, 5);
}

TEST(CsvReaderTest, StopsAtARecordLongerThanTheLimit) {
  std::string text = "a,b\n\"" + std::string(5000, 'x') + "\n1,2\n";
  std::istringstream in(text);
  CsvReader::Options options;
  options.max_record_bytes = 1024;
  CsvReader reader(in, options);
  ASSERT_TRUE(reader.Next());
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.problem().kind, CsvProblem::kRecordTooLong);
  EXPECT_EQ(reader.problem().where.line, 2);
  EXPECT_FALSE(reader.Next());
}

TEST(CsvReaderTest, RecordsStraddleBufferRefills) {
  // Several MiB with quoted fields, escapes and CRLFs at every possible buffer offset.
  std::string text;
  const int rows = 120000;
  for (int i = 0; i < rows; ++i)
    text += std::to_string(i) + ",\"q,\"\"" + std::to_string(i % 7) + "\"\"\",产值" +
            std::string(static_cast<size_t>(i % 13), 'z') + "\r\n";
  std::istringstream in(text);
  CsvReader reader(in);
  int n = 0;
  while (reader.Next()) {
    ASSERT_EQ(reader.problem().kind, CsvProblem::kNone);
    ASSERT_EQ(reader.size(), 3u);
    ASSERT_EQ(reader[0], std::to_string(n));
    ASSERT_EQ(reader[1], "q,\"" + std::to_string(n % 7) + "\"");
    ASSERT_EQ(reader[2], "产值" + std::string(static_cast<size_t>(n % 13), 'z'));
    ASSERT_EQ(reader.line(), n + 1);
    ++n;
  }
  EXPECT_EQ(n, rows);
  EXPECT_EQ(reader.bytes_consumed(), static_cast<int64_t>(text.size()));
}

}  // namespace
}  // namespace parkwatch
