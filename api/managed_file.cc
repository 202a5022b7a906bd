#include "api/managed_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/query.h"
#include "core/sha256.h"
#include "rules/tuning.h"

namespace parkwatch {

ManagedFile::ManagedFile(std::string path) : path_(std::move(path)) {
  existed_ = std::filesystem::exists(path_);
  if (!existed_) return;
  std::ifstream in(path_, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  text_ = s.str();
}

std::string ManagedFile::hash() const { return Sha256Hex(text_); }

std::string ManagedFile::WriteAndReload(LoopServices& loop, const std::string& fresh,
                                        const std::string& source, const std::string& who) const {
  std::string error;
  if (!WriteFileAtomically(path_, fresh, &error)) throw ApiError(500, "internal", error);
  error = loop.Reload(source, who);
  if (error.empty()) return "";
  std::string undo;
  if (existed_)
    WriteFileAtomically(path_, text_, &undo);
  else
    std::filesystem::remove(path_);
  return error;
}

}  // namespace parkwatch
