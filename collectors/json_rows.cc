#include "collectors/json_rows.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace parkwatch {
namespace {

using nlohmann::json;

// The SAX handler: follows the nesting to know whether an event is the rows array's element,
// a row's member, or something inside a member's value (skipped, only its type is noted).
class RowsHandler {
 public:
  explicit RowsHandler(const std::function<void(JsonRow&)>& on_row) : on_row_(on_row) {}

  bool null() { return Scalar(""); }
  bool boolean(bool v) { return Scalar(v ? "true" : "false"); }
  // Numbers as the document model printed them, so a value reads the same as it always has.
  bool number_integer(json::number_integer_t v) { return Scalar(std::to_string(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Scalar(std::to_string(v)); }
  bool number_float(json::number_float_t v, const json::string_t&) {
    return Scalar(json(v).dump());
  }
  bool string(json::string_t& v) { return Scalar(std::move(v)); }
  bool binary(json::binary_t&) { return Scalar(""); }  // not produced by the JSON parser
  bool start_object(std::size_t) { return Open(true); }
  bool start_array(std::size_t) { return Open(false); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(json::string_t& k) {
    if (row_depth_ >= 0 && depth_ == row_depth_) {
      key_ = std::move(k);
    } else if (top_ == kObject && depth_ == 1) {
      at_rows_key_ = k == "rows";
      rows_seen_ = rows_seen_ || at_rows_key_;
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const json::exception& e) {
    error_ = {std::string("not valid JSON: ") + e.what(),
              "不是有效的 JSON：第" + std::to_string(position) + "字节处格式有误"};
    return false;
  }

  // Empty when the body had the expected shape and no bound was exceeded.
  Wording Result() const {
    if (!error_.empty()) return error_;
    if (top_ == kArray || (top_ == kObject && rows_seen_ && rows_is_array_)) return {};
    return {"expected {\"rows\": [ {...}, ... ]} or an array of row objects",
            "JSON 的格式应为 {\"rows\": [ {...}, ... ]} 或由各行对象组成的数组"};
  }

 private:
  bool Scalar(std::string text) {
    if (row_depth_ >= 0 && depth_ == row_depth_) {
      AddMember(std::move(text), nullptr);
    } else if (rows_depth_ >= 0 && depth_ == rows_depth_) {
      NonObjectRow();
    } else if (top_ == kObject && depth_ == 1 && at_rows_key_) {
      rows_is_array_ = false;
      at_rows_key_ = false;
    }
    return true;
  }

  bool Open(bool object) {
    if (depth_ == 0) {
      top_ = object ? kObject : kArray;
      if (!object) rows_depth_ = 1;
    } else if (row_depth_ >= 0 && depth_ == row_depth_) {
      AddMember("", object ? "object" : "array");
    } else if (rows_depth_ >= 0 && depth_ == rows_depth_) {
      if (object) {
        row_ = JsonRow();
        row_.number = ++rows_;
        row_.is_object = true;
        row_depth_ = depth_ + 1;
      } else {
        NonObjectRow();
      }
    } else if (top_ == kObject && depth_ == 1 && at_rows_key_) {
      at_rows_key_ = false;
      rows_is_array_ = !object;
      if (!object) rows_depth_ = 2;
    }
    if (++depth_ > kMaxJsonDepth) {
      error_ = {"JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels",
                "JSON 嵌套超过 " + std::to_string(kMaxJsonDepth) + " 层"};
      return false;
    }
    return true;
  }

  bool Close() {
    --depth_;
    if (row_depth_ >= 0 && depth_ + 1 == row_depth_) {
      row_depth_ = -1;
      FinishRow();
    } else if (rows_depth_ >= 0 && depth_ + 1 == rows_depth_) {
      rows_depth_ = -1;
    }
    return true;
  }

  void AddMember(std::string text, const char* type) {
    if (row_.members.size() >= kMaxJsonMembers) {
      row_.too_many_members = true;
      return;
    }
    row_.members.push_back({std::move(key_), std::move(text), type});
  }

  void NonObjectRow() {
    JsonRow row;
    row.number = ++rows_;
    on_row_(row);
  }

  // Members sorted by name with the last of equal names kept: what a document (std::map, later
  // members overwriting earlier ones) gave, so errors come in the order they always did.
  void FinishRow() {
    auto& m = row_.members;
    std::stable_sort(m.begin(), m.end(),
                     [](const JsonMember& a, const JsonMember& b) { return a.name < b.name; });
    size_t kept = 0;
    for (size_t i = 0; i < m.size(); ++i) {
      if (i + 1 < m.size() && m[i + 1].name == m[i].name) continue;
      if (kept != i) m[kept] = std::move(m[i]);
      ++kept;
    }
    m.resize(kept);
    on_row_(row_);
  }

  enum Top { kNone, kArray, kObject };
  const std::function<void(JsonRow&)>& on_row_;
  int depth_ = 0;
  Top top_ = kNone;
  int rows_depth_ = -1;  // depth inside the rows array, -1 outside it
  int row_depth_ = -1;   // depth inside the current row object, -1 outside one
  bool at_rows_key_ = false;
  bool rows_seen_ = false;
  bool rows_is_array_ = false;
  int rows_ = 0;
  std::string key_;
  JsonRow row_;
  Wording error_;
};

}  // namespace

Wording ReadJsonRows(std::string_view body, const std::function<void(JsonRow&)>& on_row) {
  RowsHandler handler(on_row);
  json::sax_parse(body.begin(), body.end(), &handler);
  return handler.Result();
}

}  // namespace parkwatch
