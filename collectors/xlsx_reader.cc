#include "collectors/xlsx_reader.h"

#include <expat.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace parkwatch {
namespace {

constexpr size_t kChunk = 64 << 10;

// ---- the archive ------------------------------------------------------------------------------

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class Archive {
 public:
  Archive(zip_t* zip, const XlsxLimits& limits) : zip_(zip), limits_(limits) { Check(); }

  // Index of a part, or -1.
  zip_int64_t Find(const std::string& name) const {
    return zip_name_locate(zip_.get(), name.c_str(), 0);
  }

  // One part, read in chunks; never yields more than the size the directory declared.
  class Entry {
   public:
    Entry(Archive& archive, zip_int64_t index, std::string name)
        : archive_(archive), name_(std::move(name)) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(archive.zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0 ||
          !(st.valid & ZIP_STAT_SIZE))
        throw WorkbookError("the archive's entry " + name_ + " cannot be read: corrupt archive",
                            "文件已损坏：压缩包中的 " + name_ + " 无法读取");
      declared_ = static_cast<int64_t>(st.size);
      file_.reset(zip_fopen_index(archive.zip_.get(), static_cast<zip_uint64_t>(index), 0));
      if (!file_)
        throw WorkbookError("cannot unpack " + name_ + ": " + zip_strerror(archive.zip_.get()) +
                                " (corrupt archive)",
                            "文件已损坏：无法解压 " + name_);
    }

    // Bytes read into buf (0 at the end).
    size_t Read(char* buf, size_t size) {
      zip_int64_t n = zip_fread(file_.get(), buf, size);
      if (n < 0)
        throw WorkbookError(
            "cannot unpack " + name_ + ": " + zip_file_strerror(file_.get()) + " (corrupt archive)",
            "文件已损坏：无法解压 " + name_);
      read_ += n;
      archive_.unpacked_ += n;
      if (read_ > declared_ || archive_.unpacked_ > archive_.limits_.max_unpacked_bytes)
        throw WorkbookError(
            "unpacking " + name_ + " yields more than the archive declares: refused as a zip bomb",
            "文件异常：" + name_ + " 解压后比声明的大，按压缩炸弹拒收");
      return static_cast<size_t>(n);
    }
    int64_t read() const { return read_; }
    int64_t declared() const { return declared_; }
    const std::string& name() const { return name_; }

   private:
    Archive& archive_;
    std::string name_;
    std::unique_ptr<zip_file_t, ZipFileCloser> file_;
    int64_t declared_ = 0;
    int64_t read_ = 0;
  };

 private:
  // The directory alone tells a zip bomb, an encrypted part and a swarm of parts: refuse those
  // before unpacking a byte.
  void Check() {
    zip_int64_t n = zip_get_num_entries(zip_.get(), 0);
    if (n < 0 || n > limits_.max_entries)
      throw WorkbookError(
          "the archive has " + std::to_string(n) + " entries (at most " +
              std::to_string(limits_.max_entries) + " are read): not a workbook as Excel writes it",
          "压缩包内有 " + std::to_string(n) + " 个文件（最多读取 " +
              std::to_string(limits_.max_entries) + " 个）：不是 Excel 保存的工作簿");
    int64_t total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0)
        throw WorkbookError("corrupt archive: entry " + std::to_string(i) + " cannot be read",
                            "文件已损坏：压缩包第 " + std::to_string(i) + " 项无法读取");
      std::string name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "?";
      if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        throw WorkbookError(
            "the archive's entry " + name + " is encrypted: save the workbook without a password",
            "工作簿设有密码（" + name + " 已加密）：请取消密码后另存再上传");
      int64_t size = (st.valid & ZIP_STAT_SIZE) ? static_cast<int64_t>(st.size) : 0;
      int64_t packed = (st.valid & ZIP_STAT_COMP_SIZE) ? static_cast<int64_t>(st.comp_size) : 0;
      total += size;
      if (size > limits_.max_unpacked_bytes || total > limits_.max_unpacked_bytes)
        throw WorkbookError("the archive unpacks to more than " +
                                std::to_string(limits_.max_unpacked_bytes >> 20) +
                                " MiB: refused as a zip bomb",
                            "文件解压后超过 " + std::to_string(limits_.max_unpacked_bytes >> 20) +
                                " MiB，按压缩炸弹拒收");
      if (size > (1 << 20) && size / std::max<int64_t>(packed, 1) > limits_.max_ratio)
        throw WorkbookError("the archive's entry " + name + " is compressed " +
                                std::to_string(size / std::max<int64_t>(packed, 1)) +
                                ":1, more than any workbook: refused as a zip bomb",
                            "文件异常：" + name + " 的压缩比为 " +
                                std::to_string(size / std::max<int64_t>(packed, 1)) +
                                ":1，远超正常工作簿，按压缩炸弹拒收");
    }
  }

  std::unique_ptr<zip_t, ZipCloser> zip_;
  XlsxLimits limits_;
  int64_t unpacked_ = 0;
};

std::unique_ptr<Archive> OpenArchive(zip_source_t* source, const XlsxLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!zip) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    throw WorkbookError("not a readable .xlsx archive: " + why + " (corrupt or truncated file)",
                        "无法读取的 .xlsx 文件：文件已损坏或不完整");
  }
  zip_error_fini(&error);
  return std::make_unique<Archive>(zip, limits);  // owns zip, also when its checks throw
}

// ---- XML ----------------------------------------------------------------------------------------

// The local part of a name: x:row and row are one element (some writers use a prefix).
std::string_view Local(const char* name) {
  std::string_view s(name);
  size_t colon = s.rfind(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

const char* Attr(const char** attrs, std::string_view name) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (Local(attrs[i]) == name) return attrs[i + 1];
  return nullptr;
}

// SAX callbacks of one part.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view) {}
  // A problem found by a handler stops the parse; the message says what is wrong.
  std::string failure;
};

// An expat parser that refuses any document type declaration (and with it every entity
// definition: no billion laughs, no external entities), which no part of a workbook has.
class XmlParser {
 public:
  explicit XmlParser(XmlHandler* handler) : handler_(handler) {
    parser_ = XML_ParserCreate(nullptr);
    if (!parser_) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(
        parser_,
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          static_cast<XmlParser*>(self)->OnStart(name, attrs);
        },
        [](void* self, const XML_Char* name) { static_cast<XmlParser*>(self)->OnEnd(name); });
    XML_SetCharacterDataHandler(parser_, [](void* self, const XML_Char* s, int len) {
      auto* parser = static_cast<XmlParser*>(self);
      parser->handler_->Text(std::string_view(s, static_cast<size_t>(len)));
      if (!parser->handler_->failure.empty()) XML_StopParser(parser->parser_, XML_FALSE);
    });
    XML_SetStartDoctypeDeclHandler(
        parser_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
          static_cast<XmlParser*>(self)->Refuse(
              "has a document type declaration (DTD), which no workbook has: refused, "
              "entities are never expanded");
        });
    XML_SetEntityDeclHandler(
        parser_, [](void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                    const XML_Char*, const XML_Char*, const XML_Char*) {
          static_cast<XmlParser*>(self)->Refuse("declares an XML entity: refused");
        });
  }
  ~XmlParser() { XML_ParserFree(parser_); }
  XmlParser(const XmlParser&) = delete;
  XmlParser& operator=(const XmlParser&) = delete;

  // Feeds a chunk; throws WorkbookError naming part on malformed XML or a handler's failure.
  void Feed(const char* data, size_t size, bool final, const std::string& part) {
    if (XML_Parse(parser_, data, static_cast<int>(size), final) == XML_STATUS_OK) return;
    std::string why = !refusal_.empty()            ? refusal_
                      : !handler_->failure.empty() ? handler_->failure
                                                   : XML_ErrorString(XML_GetErrorCode(parser_));
    throw WorkbookError(
        part + " (line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + "): " + why,
        "工作簿内容已损坏：" + part + " 第" + std::to_string(XML_GetCurrentLineNumber(parser_)) +
            "行：" + why);
  }

 private:
  void OnStart(const char* name, const char** attrs) {
    handler_->Start(Local(name), attrs);
    if (!handler_->failure.empty()) XML_StopParser(parser_, XML_FALSE);
  }
  void OnEnd(const char* name) {
    handler_->End(Local(name));
    if (!handler_->failure.empty()) XML_StopParser(parser_, XML_FALSE);
  }
  void Refuse(std::string why) {
    refusal_ = std::move(why);
    XML_StopParser(parser_, XML_FALSE);
  }

  XML_Parser parser_;
  XmlHandler* handler_;
  std::string refusal_;
};

// Parses a whole (small) part. False when the part is absent.
bool ParsePart(Archive& archive, const std::string& name, XmlHandler* handler) {
  zip_int64_t index = archive.Find(name);
  if (index < 0) return false;
  Archive::Entry entry(archive, index, name);
  XmlParser parser(handler);
  std::string buf(kChunk, '\0');
  for (;;) {
    size_t n = entry.Read(buf.data(), buf.size());
    parser.Feed(buf.data(), n, n == 0, name);
    if (n == 0) return true;
  }
}

// ---- workbook parts ----------------------------------------------------------------------------

struct SheetEntry {
  std::string name;
  std::string relation;  // r:id
};

class WorkbookPart : public XmlHandler {
 public:
  void Start(std::string_view name, const char** attrs) override {
    if (name == "sheet") {
      const char* n = Attr(attrs, "name");
      const char* id = Attr(attrs, "id");
      sheets.push_back({n ? n : "", id ? id : ""});
    } else if (name == "workbookPr") {
      const char* v = Attr(attrs, "date1904");
      date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    }
  }
  void End(std::string_view) override {}
  std::vector<SheetEntry> sheets;
  bool date1904 = false;
};

class RelationsPart : public XmlHandler {
 public:
  void Start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* target = Attr(attrs, "Target");
    if (id && target) targets[id] = target;
  }
  void End(std::string_view) override {}
  std::map<std::string, std::string> targets;
};

// Whether a number format shows a date or time: the built-in ids for dates (including the
// Chinese ones, 27-36 and 50-58) or a custom code with y, m, d, h or s outside quotes,
// brackets and escapes.
bool IsDateFormat(int id, const std::string* code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58))
    return true;
  if (!code) return false;
  for (size_t i = 0; i < code->size(); ++i) {
    char c = (*code)[i];
    if (c == '"') {
      size_t close = code->find('"', i + 1);
      if (close == std::string::npos) return false;
      i = close;
    } else if (c == '[') {
      size_t close = code->find(']', i + 1);
      if (close == std::string::npos) return false;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (std::strchr("yYmMdDhHsS", c) && c != '\0') {
      return true;
    }
  }
  return false;
}

class StylesPart : public XmlHandler {
 public:
  void Start(std::string_view name, const char** attrs) override {
    if (name == "numFmt") {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      if (id && code) codes[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      const char* id = Attr(attrs, "numFmtId");
      format_of_style.push_back(id ? std::atoi(id) : 0);
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  // Per cell style index: whether it shows a date.
  std::vector<bool> DateStyles() const {
    std::vector<bool> dates;
    for (int id : format_of_style) {
      auto it = codes.find(id);
      dates.push_back(IsDateFormat(id, it == codes.end() ? nullptr : &it->second));
    }
    return dates;
  }
  std::map<int, std::string> codes;
  std::vector<int> format_of_style;
  bool in_cell_xfs = false;
};

// The shared string table, packed into one buffer: a text per <si>, its rich-text runs joined,
// phonetic guides (<rPh>) left out.
class SharedStringsPart : public XmlHandler {
 public:
  explicit SharedStringsPart(int64_t max_bytes) : max_bytes_(max_bytes) {}
  void Start(std::string_view name, const char**) override {
    if (name == "si") {
      offsets.push_back(text.size());
    } else if (name == "t" && phonetic_ == 0) {
      in_t_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    }
  }
  void End(std::string_view name) override {
    if (name == "t") in_t_ = false;
    if (name == "rPh") --phonetic_;
  }
  void Text(std::string_view s) override {
    if (!in_t_) return;
    if (static_cast<int64_t>(text.size() + s.size()) > max_bytes_) {
      failure = "the shared string table is larger than " + std::to_string(max_bytes_ >> 20) +
                " MiB: refused";
      return;
    }
    text.append(s);
  }
  std::string_view at(size_t i) const {
    size_t end = i + 1 < offsets.size() ? offsets[i + 1] : text.size();
    return std::string_view(text).substr(offsets[i], end - offsets[i]);
  }
  std::string text;
  std::vector<size_t> offsets;

 private:
  int64_t max_bytes_;
  bool in_t_ = false;
  int phonetic_ = 0;
};

// "B12" -> column 2; 0 when the reference has no letters.
int ColumnOfReference(const char* ref) {
  int column = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) {
    column = column * 26 + (*ref - 'A' + 1);
    if (column > 16384) return 0;
  }
  return column;
}

bool ParseIsoDate(std::string_view s, SheetCell* cell) {
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  auto num = [&](size_t at, size_t len, int* out) {
    auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, *out);
    return ec == std::errc() && end == s.data() + at + len;
  };
  if (!num(0, 4, &y) || !num(5, 2, &m) || !num(8, 2, &d)) return false;
  cell->year = y, cell->month = m, cell->day = d;
  return true;
}

// ---- the sheet ----------------------------------------------------------------------------------

class XlsxSheet : public SheetSource, private XmlHandler {
 public:
  XlsxSheet(std::unique_ptr<Archive> archive, std::string sheet_name, int sheet_count,
            const std::string& part, zip_int64_t index, SharedStringsPart strings,
            std::vector<bool> date_styles, bool date1904)
      : archive_(std::move(archive)),
        sheet_name_(std::move(sheet_name)),
        sheet_count_(sheet_count),
        strings_(std::move(strings)),
        date_styles_(std::move(date_styles)),
        date1904_(date1904),
        entry_(*archive_, index, part),
        parser_(this),
        buffer_(kChunk, '\0') {}

  bool Next() override {
    while (next_ >= ready_ && !done_) {
      // The rows of the last chunk are used up: their slots take the next chunk's rows. A row
      // the last chunk began moves to the first slot.
      if (row_) {
        std::swap(rows_[0], *row_);
        row_ = &rows_[0];
      }
      next_ = ready_ = 0;
      size_t n = entry_.Read(buffer_.data(), buffer_.size());
      parser_.Feed(buffer_.data(), n, n == 0, entry_.name());
      done_ = n == 0;
    }
    if (next_ >= ready_) return false;
    current_ = next_++;
    return true;
  }
  int row() const override { return rows_[current_].number; }
  std::span<const SheetCell> cells() const override {
    const Row& r = rows_[current_];
    return {r.cells.data(), r.count};
  }
  const std::string& sheet_name() const override { return sheet_name_; }
  int sheet_count() const override { return sheet_count_; }
  int64_t consumed() const override { return entry_.read(); }
  int64_t total() const override { return entry_.declared(); }

 private:
  struct Row {
    int number = 0;
    std::vector<SheetCell> cells;  // slots reused from row to row; the first count are live
    size_t count = 0;
  };
  enum class In { kNone, kValue, kInlineText, kFormula };

  void Start(std::string_view name, const char** attrs) override {
    if (name == "row") {
      const char* r = Attr(attrs, "r");
      int number = r ? std::atoi(r) : last_row_ + 1;
      if (number <= last_row_ || number > 1048576) {
        failure = "row numbers out of order or out of range (row " + std::to_string(number) + ")";
        return;
      }
      last_row_ = number;
      if (ready_ == rows_.size()) rows_.emplace_back();
      row_ = &rows_[ready_];
      row_->number = number;
      row_->count = 0;
      last_column_ = 0;
    } else if (name == "c" && row_) {
      const char* r = Attr(attrs, "r");
      int column = r ? ColumnOfReference(r) : last_column_ + 1;
      if (column <= last_column_ || column < 1) {
        failure = std::string("cell ") + (r ? r : "?") + " out of order or not a cell reference";
        return;
      }
      last_column_ = column;
      const char* t = Attr(attrs, "t");
      type_ = t ? t : "n";
      const char* s = Attr(attrs, "s");
      style_ = s ? std::atoi(s) : 0;
      value_.clear();
      has_formula_ = false;
      in_cell_ = true;
    } else if (in_cell_ && name == "v") {
      in_ = In::kValue;
    } else if (in_cell_ && name == "f") {
      has_formula_ = true;
      in_ = In::kFormula;
    } else if (in_cell_ && name == "t" && phonetic_ == 0) {
      in_ = In::kInlineText;
    } else if (in_cell_ && name == "rPh") {
      ++phonetic_;
    }
  }

  void End(std::string_view name) override {
    if (name == "v" || name == "t" || name == "f") {
      in_ = In::kNone;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "c" && in_cell_) {
      in_cell_ = false;
      FinishCell();
    } else if (name == "row" && row_) {
      if (row_->count > 0) ++ready_;  // an empty row (only styles) is no row
      row_ = nullptr;
    }
  }

  void Text(std::string_view s) override {
    if (in_ == In::kValue || in_ == In::kInlineText) {
      if (value_.size() + s.size() > (1 << 20)) {
        failure = "a cell holds more than 1 MiB of text";
        return;
      }
      value_.append(s);
    }
  }

  void FinishCell() {
    if (row_->count == row_->cells.size()) row_->cells.emplace_back();
    SheetCell& cell = row_->cells[row_->count];
    cell.column = last_column_;
    cell.text.clear();
    cell.kind = SheetCell::kBlank;
    if (type_ == "s") {
      size_t index = 0;
      auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
      if (ec != std::errc() || end != value_.data() + value_.size() ||
          index >= strings_.offsets.size()) {
        failure = ColumnLetters(last_column_) + std::to_string(row_->number) + ": shared string " +
                  value_ + " does not exist";
        return;
      }
      cell.kind = SheetCell::kText;
      cell.text.assign(strings_.at(index));
    } else if (type_ == "inlineStr" || type_ == "str") {
      cell.kind = SheetCell::kText;
      cell.text.assign(value_);
      if (type_ == "str" && value_.empty() && has_formula_) cell.kind = SheetCell::kUncalculated;
    } else if (type_ == "e") {
      cell.kind = SheetCell::kError;
      cell.text.assign(value_);
    } else if (type_ == "b") {
      cell.kind = SheetCell::kBool;
      cell.number = value_ == "1" ? 1 : 0;
    } else if (type_ == "d") {
      cell.kind = ParseIsoDate(value_, &cell) ? SheetCell::kDate : SheetCell::kText;
      cell.text.assign(value_);
    } else if (value_.empty()) {
      if (has_formula_) cell.kind = SheetCell::kUncalculated;
    } else {
      auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), cell.number);
      if (ec != std::errc() || end != value_.data() + value_.size()) {
        cell.kind = SheetCell::kText;  // not a number after all: show it as written
        cell.text.assign(value_);
      } else if (style_ >= 0 && static_cast<size_t>(style_) < date_styles_.size() &&
                 date_styles_[static_cast<size_t>(style_)] &&
                 ExcelSerialToDate(cell.number, date1904_, &cell.year, &cell.month, &cell.day)) {
        cell.kind = SheetCell::kDate;
      } else {
        cell.kind = SheetCell::kNumber;
      }
    }
    if (cell.kind == SheetCell::kText && cell.text.empty()) cell.kind = SheetCell::kBlank;
    if (cell.kind != SheetCell::kBlank) ++row_->count;
  }

  std::unique_ptr<Archive> archive_;
  std::string sheet_name_;
  int sheet_count_;
  SharedStringsPart strings_;
  std::vector<bool> date_styles_;
  bool date1904_;
  Archive::Entry entry_;
  XmlParser parser_;
  std::string buffer_;

  // Rows completed by the parser and not yet handed out: rows_[current_ .. ready_).
  std::vector<Row> rows_;
  size_t ready_ = 0;
  size_t current_ = 0;
  size_t next_ = 0;
  bool done_ = false;
  Row* row_ = nullptr;  // the row being parsed
  int last_row_ = 0;
  int last_column_ = 0;
  bool in_cell_ = false;
  In in_ = In::kNone;
  int phonetic_ = 0;
  std::string type_;
  int style_ = 0;
  bool has_formula_ = false;
  std::string value_;
};

std::string PartPath(const std::string& target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  return "xl/" + target;
}

std::unique_ptr<SheetSource> OpenSheet(std::unique_ptr<Archive> archive, const SheetChoice& choice,
                                       const XlsxLimits& limits) {
  WorkbookPart workbook;
  if (!ParsePart(*archive, "xl/workbook.xml", &workbook))
    throw WorkbookError(
        "a zip archive without xl/workbook.xml: not an Excel workbook (.xlsx); if it is an "
        "OpenDocument (.ods) or another archive, save it from Excel or WPS as .xlsx",
        "不是 Excel 工作簿（.xlsx）：若是 .ods 或其他压缩包，请用 Excel 或 WPS 另存为 .xlsx");
  if (workbook.sheets.empty())
    throw WorkbookError("the workbook has no sheets", "工作簿中没有工作表");
  const SheetEntry* chosen = nullptr;
  if (choice.index > 0) {
    if (static_cast<size_t>(choice.index) > workbook.sheets.size())
      throw WorkbookError("sheet " + std::to_string(choice.index) + " was asked for, but the " +
                              "workbook has " + std::to_string(workbook.sheets.size()) + " sheets",
                          "要读取第 " + std::to_string(choice.index) + " 个工作表，但工作簿只有 " +
                              std::to_string(workbook.sheets.size()) + " 个");
    chosen = &workbook.sheets[static_cast<size_t>(choice.index - 1)];
  } else if (!choice.name.empty()) {
    std::string names;
    for (const SheetEntry& s : workbook.sheets) {
      if (s.name == choice.name) chosen = &s;
      names += (names.empty() ? "" : ", ") + s.name;
    }
    if (!chosen)
      throw WorkbookError(
          "no sheet named \"" + choice.name + "\" in the workbook (sheets: " + names + ")",
          "工作簿中没有名为 \"" + choice.name + "\" 的工作表（现有：" + names + "）");
  } else {
    chosen = &workbook.sheets.front();
  }
  RelationsPart relations;
  ParsePart(*archive, "xl/_rels/workbook.xml.rels", &relations);
  auto target = relations.targets.find(chosen->relation);
  std::string part = target != relations.targets.end() ? PartPath(target->second) : "";
  zip_int64_t index = part.empty() ? -1 : archive->Find(part);
  if (index < 0)
    throw WorkbookError("sheet \"" + chosen->name + "\" has no worksheet part in the archive",
                        "文件已损坏：工作表 \"" + chosen->name + "\" 的内容缺失");

  StylesPart styles;
  ParsePart(*archive, "xl/styles.xml", &styles);
  SharedStringsPart strings(limits.max_shared_string_bytes);
  ParsePart(*archive, "xl/sharedStrings.xml", &strings);
  return std::make_unique<XlsxSheet>(std::move(archive), chosen->name,
                                     static_cast<int>(workbook.sheets.size()), part, index,
                                     std::move(strings), styles.DateStyles(), workbook.date1904);
}

}  // namespace

std::unique_ptr<SheetSource> OpenXlsxSheet(int fd, const SheetChoice& choice,
                                           const XlsxLimits& limits) {
  // Opened anew through /proc, so libzip's seeks move its own file position, not the
  // caller's.
  FILE* file = std::fopen(("/proc/self/fd/" + std::to_string(fd)).c_str(), "rbe");
  if (!file)
    throw WorkbookError(std::string("cannot read the workbook: ") + std::strerror(errno),
                        std::string("无法读取工作簿：") + std::strerror(errno));
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_filep_create(file, 0, -1, &error);  // owns file
  if (!source) {
    std::fclose(file);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw WorkbookError("cannot read the workbook: " + why, "无法读取工作簿：" + why);
  }
  zip_error_fini(&error);
  return OpenSheet(OpenArchive(source, limits), choice, limits);
}

std::unique_ptr<SheetSource> OpenXlsxSheet(std::string_view bytes, const SheetChoice& choice,
                                           const XlsxLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_error_fini(&error);
  if (!source) throw WorkbookError("cannot read the workbook", "无法读取工作簿");
  return OpenSheet(OpenArchive(source, limits), choice, limits);
}

}  // namespace parkwatch
