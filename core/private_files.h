// Files and directories parkwatch creates (the store and its -wal/-shm, the inbox's processed/
// and rejected/ and what goes into them, error reports) are readable by the owner and the
// group only, whatever the process umask: figures of named enterprises are not for every local
// user. Modes are set explicitly after creation because the umask only ever removes bits.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

namespace parkwatch {

inline constexpr mode_t kPrivateFileMode = 0640;
inline constexpr mode_t kPrivateDirMode = 0750;

// Like std::filesystem::create_directories, each directory it creates getting
// kPrivateDirMode; existing ones are left as they are. Throws std::filesystem::filesystem_error.
// Thread: any.
void CreatePrivateDirectories(const std::filesystem::path& dir);

// Creates path with kPrivateFileMode if it does not exist (an existing file keeps its mode).
// Throws std::filesystem::filesystem_error. Thread: any.
void CreatePrivateFile(const std::filesystem::path& path);

// Writes content to path (created or truncated) with kPrivateFileMode. Throws
// std::filesystem::filesystem_error. Thread: any.
void WritePrivateFile(const std::filesystem::path& path, std::string_view content);

}  // namespace parkwatch
