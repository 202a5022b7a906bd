#include "collectors/xls_reader.h"

#include <fcntl.h>
#include <freexl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

namespace parkwatch {
namespace {

// FreeXL runs in a child process: fuzzing found it reading out of bounds on crafted files
// (libfreexl 1.0.6, inside its code-page conversion), so whatever a hostile .xls does to it
// stays in a process that only reads that file. The child sends the chosen sheet's rows down a
// pipe; the parent reads them as they come, so its memory stays flat too.
//
// The stream: 'S' sheet_count rows name | 'E' message | 'R' row count cells... | 'Z' (the end).
// A cell: kind column number year month day text. Integers are u32, numbers f64, texts u32
// length + bytes, all in this machine's byte order (parent and child are one program).

constexpr unsigned kReadSeconds = 120;  // a file that takes longer is refused

Wording FreexlReason(int code) {
  switch (code) {
    case FREEXL_FILE_NOT_FOUND:
      return {"the file cannot be opened", "文件无法打开"};
    case FREEXL_INSUFFICIENT_MEMORY:
      return {"not enough memory to read it", "内存不足，无法读取"};
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
      return {"not an Excel 97-2003 workbook (no valid OLE2 header)",
              "不是 Excel 97-2003 工作簿（.xls）"};
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return {
          "an OLE2 file without an Excel workbook stream (an encrypted .xlsx, or a Word or "
          "other Office file)",
          "文件中没有 Excel 工作簿（可能是加密的 .xlsx，或 Word 等其他 Office 文件）"};
    case FREEXL_CRAFTED_FILE:
      return {"the file's structure is severely corrupt (possibly crafted): refused",
              "文件结构严重损坏（可能是伪造的），已拒收"};
    default:
      return {"corrupt or unsupported .xls file (FreeXL error " + std::to_string(code) + ")",
              "文件已损坏或格式不受支持（.xls，FreeXL 错误 " + std::to_string(code) + "）"};
  }
}

bool ParseDate(const std::string& s, SheetCell* cell) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  auto num = [&](size_t at, size_t len, int* out) {
    auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, *out);
    return ec == std::errc() && end == s.data() + at + len;
  };
  return num(0, 4, &cell->year) && num(5, 2, &cell->month) && num(8, 2, &cell->day);
}

// ---- the child: FreeXL, writing the stream -----------------------------------------------------

class Writer {
 public:
  explicit Writer(int fd) : fd_(fd) {}
  void U32(uint32_t v) { Bytes(&v, sizeof v); }
  void F64(double v) { Bytes(&v, sizeof v); }
  void Tag(char t) { Bytes(&t, 1); }
  void Text(const std::string& s) {
    U32(static_cast<uint32_t>(s.size()));
    Bytes(s.data(), s.size());
  }
  void Flush() {
    for (size_t done = 0; done < buf_.size();) {
      ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n <= 0) ::_exit(1);  // the parent stopped reading
      done += static_cast<size_t>(n);
    }
    buf_.clear();
  }
  void Bytes(const void* p, size_t n) {
    buf_.append(static_cast<const char*>(p), n);
    if (buf_.size() >= (64 << 10)) Flush();
  }

 private:
  int fd_;
  std::string buf_;
};

[[noreturn]] void ReadInChild(const std::string& path, const SheetChoice& choice, int fd) {
  ::alarm(kReadSeconds);
  Writer out(fd);
  auto fail = [&](const Wording& why) {
    out.Tag('E');
    out.Text(why.en);
    out.Text(why.zh);
    out.Flush();
    ::_exit(0);
  };
  const void* handle = nullptr;
  int rc = freexl_open(path.c_str(), &handle);
  if (rc != FREEXL_OK) fail(FreexlReason(rc));
  unsigned int info = 0;
  if (freexl_get_info(handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info == FREEXL_BIFF_OBFUSCATED)
    fail({"the workbook is password-protected: save it without a password",
          "工作簿设有密码：请取消密码后另存再上传"});
  unsigned int sheets = 0;
  if (freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0)
    fail({"the workbook has no sheets", "工作簿中没有工作表"});
  std::vector<std::string> names;
  for (unsigned short i = 0; i < sheets; ++i) {
    const char* name = nullptr;
    freexl_get_worksheet_name(handle, i, &name);
    names.push_back(name ? name : "");
  }
  unsigned short chosen = 0;
  if (choice.index > 0) {
    if (static_cast<unsigned>(choice.index) > sheets)
      fail({"sheet " + std::to_string(choice.index) + " was asked for, but the workbook has " +
                std::to_string(sheets) + " sheets",
            "要读取第 " + std::to_string(choice.index) + " 个工作表，但工作簿只有 " +
                std::to_string(sheets) + " 个"});
    chosen = static_cast<unsigned short>(choice.index - 1);
  } else if (!choice.name.empty()) {
    std::string list;
    bool found = false;
    for (unsigned short i = 0; i < names.size(); ++i) {
      list += (list.empty() ? "" : ", ") + names[i];
      if (!found && names[i] == choice.name) chosen = i, found = true;
    }
    if (!found)
      fail({"no sheet named \"" + choice.name + "\" in the workbook (sheets: " + list + ")",
            "工作簿中没有名为 \"" + choice.name + "\" 的工作表（现有：" + list + "）"});
  }
  unsigned int rows = 0;
  unsigned short columns = 0;
  if (freexl_select_active_worksheet(handle, chosen) != FREEXL_OK ||
      freexl_worksheet_dimensions(handle, &rows, &columns) != FREEXL_OK)
    fail({"sheet \"" + names[chosen] + "\" cannot be read",
          "工作表 \"" + names[chosen] + "\" 无法读取"});
  out.Tag('S');
  out.U32(sheets);
  out.U32(rows);
  out.Text(names[chosen]);

  std::vector<SheetCell> cells;
  for (unsigned int r = 0; r < rows; ++r) {
    cells.clear();
    for (unsigned short c = 0; c < columns; ++c) {
      FreeXL_CellValue value;
      if (freexl_get_cell_value(handle, r, c, &value) != FREEXL_OK) continue;
      SheetCell cell;
      cell.column = c + 1;
      switch (value.type) {
        case FREEXL_CELL_INT:
          cell.kind = SheetCell::kNumber;
          cell.number = value.value.int_value;
          break;
        case FREEXL_CELL_DOUBLE:
          cell.kind = SheetCell::kNumber;
          cell.number = value.value.double_value;
          break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
        case FREEXL_CELL_TIME:
          cell.kind = SheetCell::kText;
          cell.text = value.value.text_value ? value.value.text_value : "";
          break;
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
          cell.text = value.value.text_value ? value.value.text_value : "";
          cell.kind = ParseDate(cell.text, &cell) ? SheetCell::kDate : SheetCell::kText;
          break;
        default:
          continue;
      }
      if (cell.kind == SheetCell::kText && cell.text.empty()) continue;
      cells.push_back(std::move(cell));
    }
    if (cells.empty()) continue;
    out.Tag('R');
    out.U32(r + 1);
    out.U32(static_cast<uint32_t>(cells.size()));
    for (const SheetCell& cell : cells) {
      out.U32(static_cast<uint32_t>(cell.kind));
      out.U32(static_cast<uint32_t>(cell.column));
      out.F64(cell.number);
      out.U32(static_cast<uint32_t>(cell.year));
      out.U32(static_cast<uint32_t>(cell.month));
      out.U32(static_cast<uint32_t>(cell.day));
      out.Text(cell.text);
    }
  }
  out.Tag('Z');
  out.Flush();
  ::_exit(0);
}

// ---- the parent: reading the stream ------------------------------------------------------------

class XlsSheet : public SheetSource {
 public:
  XlsSheet(const std::string& path, const SheetChoice& choice) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw WorkbookError(std::string("cannot read the workbook: ") + std::strerror(errno),
                          std::string("无法读取工作簿：") + std::strerror(errno));
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[0]);
      ReadInChild(path, choice, fds[1]);
    }
    ::close(fds[1]);
    fd_ = fds[0];
    if (pid_ < 0) {
      ::close(fd_);
      throw WorkbookError(std::string("cannot read the workbook: ") + std::strerror(errno),
                          std::string("无法读取工作簿：") + std::strerror(errno));
    }
    char tag = Tag();
    if (tag == 'E') {
      Wording why;
      why.en = Text();
      why.zh = Text();
      Fail(why);
    }
    if (tag != 'S') throw Died();
    sheets_ = static_cast<int>(U32());
    rows_ = U32();
    name_ = Text();
  }
  ~XlsSheet() override { Reap(/*stop=*/true); }

  bool Next() override {
    if (done_) return false;
    char tag = Tag();
    if (tag == 'Z') {
      done_ = true;
      Reap(/*stop=*/false);
      return false;
    }
    if (tag != 'R') throw Died();
    row_ = static_cast<int>(U32());
    size_t count = U32();
    if (count > 256) throw Died();
    cells_.resize(count);
    for (SheetCell& cell : cells_) {
      uint32_t kind = U32();
      if (kind > SheetCell::kUncalculated) throw Died();
      cell.kind = static_cast<SheetCell::Kind>(kind);
      cell.column = static_cast<int>(U32());
      cell.number = F64();
      cell.year = static_cast<int>(U32());
      cell.month = static_cast<int>(U32());
      cell.day = static_cast<int>(U32());
      cell.text = Text();
    }
    return true;
  }
  int row() const override { return row_; }
  std::span<const SheetCell> cells() const override { return cells_; }
  const std::string& sheet_name() const override { return name_; }
  int sheet_count() const override { return sheets_; }
  int64_t consumed() const override { return row_; }
  int64_t total() const override { return rows_; }

 private:
  void Read(void* p, size_t n) {
    auto* out = static_cast<char*>(p);
    while (n > 0) {
      if (pos_ == end_) {
        ssize_t got = ::read(fd_, buf_, sizeof buf_);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw Died();
        pos_ = 0;
        end_ = static_cast<size_t>(got);
      }
      size_t take = std::min(n, end_ - pos_);
      std::memcpy(out, buf_ + pos_, take);
      out += take, pos_ += take, n -= take;
    }
  }
  char Tag() {
    char t;
    Read(&t, 1);
    return t;
  }
  uint32_t U32() {
    uint32_t v;
    Read(&v, sizeof v);
    return v;
  }
  double F64() {
    double v;
    Read(&v, sizeof v);
    return v;
  }
  std::string Text() {
    uint32_t n = U32();
    if (n > (16u << 20)) throw Died();
    std::string s(n, '\0');
    Read(s.data(), n);
    return s;
  }

  // Why the stream ended early: how the child ended.
  WorkbookError Died() {
    int status = Reap(/*stop=*/false);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
      return {"reading the .xls took longer than " + std::to_string(kReadSeconds) + " s: refused",
              "读取该 .xls 超过 " + std::to_string(kReadSeconds) + " 秒，已拒收"};
    return {"the .xls reader stopped on this file (" +
                std::string(WIFSIGNALED(status)
                                ? "killed by signal " + std::to_string(WTERMSIG(status))
                                : "exit status " + std::to_string(WEXITSTATUS(status))) +
                "): it is corrupt or crafted; refused",
            "该 .xls 文件已损坏或为伪造，无法读取，已拒收"};
  }

  [[noreturn]] void Fail(const Wording& why) {
    Reap(/*stop=*/false);  // the child has said its last and exits
    throw WorkbookError(why.en, why.zh);
  }

  // Closes the pipe and waits for the child; with stop, a child that has not finished (the
  // reader stopped early at a footer, or is being destroyed) is killed first.
  int Reap(bool stop) {
    if (fd_ >= 0) ::close(fd_), fd_ = -1;
    if (pid_ > 0) {
      if (stop) ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
    return status_;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  int status_ = 0;
  char buf_[64 << 10];
  size_t pos_ = 0, end_ = 0;
  bool done_ = false;
  std::string name_;
  int sheets_ = 0;
  unsigned int rows_ = 0;
  int row_ = 0;
  std::vector<SheetCell> cells_;
};

}  // namespace

std::unique_ptr<SheetSource> OpenXlsSheet(const std::string& path, const SheetChoice& choice) {
  return std::make_unique<XlsSheet>(path, choice);
}

}  // namespace parkwatch
