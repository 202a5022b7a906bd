// A SQLite VFS for power-cut tests: it passes every call to the default (unix) VFS and keeps,
// for each database and WAL file, the content it had at its last sync — what a disk holds after
// a power cut, when writes the kernel had not flushed are gone. Writing that image elsewhere and
// opening it is the store as the machine would find it after the cut. (Pessimistic: a real disk
// may keep some unsynced writes; SQLite's WAL checksums drop a torn tail, so keeping none of
// them is the case that loses most.)
//
// While one exists it is the process's default VFS, so Store::Open uses it unchanged. Any thread
// may call its methods; its lifetime must cover every connection opened through it.
#pragma once

#include <sqlite3.h>

#include <map>
#include <mutex>
#include <string>

namespace parkwatch::testing {

class PowerCutVfs {
 public:
  PowerCutVfs();   // registers as the default VFS
  ~PowerCutVfs();  // the unix VFS is the default again
  PowerCutVfs(const PowerCutVfs&) = delete;
  PowerCutVfs& operator=(const PowerCutVfs&) = delete;

  // The synced content of every database and WAL file opened so far, by file name (no
  // directory): "pw.db", "pw.db-wal".
  std::map<std::string, std::string> Durable() const;
  // Writes images (from Durable()) into directory, as the files a restart finds there.
  static void Restore(const std::map<std::string, std::string>& images,
                      const std::string& directory);

  // Called by the VFS and its files (power_cut_vfs.cc).
  void Opened(const std::string& path, std::string content);  // kept if known already
  void Synced(const std::string& path, std::string content);
  void Deleted(const std::string& path);

 private:
  sqlite3_vfs vfs_{};
  mutable std::mutex mu_;
  std::map<std::string, std::string> durable_;  // by full path
};

}  // namespace parkwatch::testing
