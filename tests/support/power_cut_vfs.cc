#include "tests/support/power_cut_vfs.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace parkwatch::testing {
namespace {

// The unix VFS every call is passed to.
sqlite3_vfs* Real(sqlite3_vfs*) {
  static sqlite3_vfs* const unix_vfs = sqlite3_vfs_find("unix");
  return unix_vfs;
}

PowerCutVfs* Owner(sqlite3_vfs* vfs) { return static_cast<PowerCutVfs*>(vfs->pAppData); }

// A file of this VFS: the unix VFS's file follows it in the same allocation.
struct CutFile {
  sqlite3_file base;
  sqlite3_file* real;
  PowerCutVfs* owner;
  std::string* path;  // set for database and WAL files, whose syncs are followed
};

sqlite3_file* R(sqlite3_file* f) { return reinterpret_cast<CutFile*>(f)->real; }

// The whole content of an open file, read through the unix VFS.
std::string Content(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) throw std::runtime_error("size");
  std::string out(static_cast<size_t>(size), '\0');
  if (size > 0 && real->pMethods->xRead(real, out.data(), static_cast<int>(size), 0) != SQLITE_OK)
    throw std::runtime_error("read");
  return out;
}

int Close(sqlite3_file* f) {
  CutFile* c = reinterpret_cast<CutFile*>(f);
  int rc = c->real->pMethods ? c->real->pMethods->xClose(c->real) : SQLITE_OK;
  delete c->path;
  c->path = nullptr;
  return rc;
}
int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return R(f)->pMethods->xRead(R(f), b, n, o);
}
int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  return R(f)->pMethods->xWrite(R(f), b, n, o);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) { return R(f)->pMethods->xTruncate(R(f), size); }
// What a sync makes durable is the file as it is now.
int Sync(sqlite3_file* f, int flags) {
  CutFile* c = reinterpret_cast<CutFile*>(f);
  int rc = c->real->pMethods->xSync(c->real, flags);
  if (rc == SQLITE_OK && c->path) c->owner->Synced(*c->path, Content(c->real));
  return rc;
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return R(f)->pMethods->xFileSize(R(f), size); }
int Lock(sqlite3_file* f, int l) { return R(f)->pMethods->xLock(R(f), l); }
int Unlock(sqlite3_file* f, int l) { return R(f)->pMethods->xUnlock(R(f), l); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return R(f)->pMethods->xCheckReservedLock(R(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return R(f)->pMethods->xFileControl(R(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return R(f)->pMethods->xSectorSize(R(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return R(f)->pMethods->xDeviceCharacteristics(R(f)); }
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return R(f)->pMethods->xShmMap(R(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return R(f)->pMethods->xShmLock(R(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { R(f)->pMethods->xShmBarrier(R(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return R(f)->pMethods->xShmUnmap(R(f), del); }
int Fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** out) {
  return R(f)->pMethods->xFetch(R(f), o, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) {
  return R(f)->pMethods->xUnfetch(R(f), o, p);
}

const sqlite3_io_methods kMethods = {3,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     Fetch,
                                     Unfetch};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  CutFile* c = reinterpret_cast<CutFile*>(f);
  c->base.pMethods = nullptr;
  c->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(CutFile));
  c->real->pMethods = nullptr;
  c->owner = Owner(vfs);
  c->path = nullptr;
  int rc = Real(vfs)->xOpen(Real(vfs), name, c->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  c->base.pMethods = &kMethods;
  if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL))) {
    c->path = new std::string(name);
    // What is on disk when a file is first opened counts as durable; a second connection to
    // it must not count the first one's unsynced writes.
    c->owner->Opened(*c->path, Content(c->real));
  }
  return SQLITE_OK;
}
int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  Owner(vfs)->Deleted(name);
  return Real(vfs)->xDelete(Real(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Real(vfs)->xAccess(Real(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Real(vfs)->xFullPathname(Real(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Real(vfs)->xDlOpen(Real(vfs), name); }
void DlError(sqlite3_vfs* vfs, int n, char* out) { Real(vfs)->xDlError(Real(vfs), n, out); }
void (*DlSym(sqlite3_vfs* vfs, void* h, const char* sym))(void) {
  return Real(vfs)->xDlSym(Real(vfs), h, sym);
}
void DlClose(sqlite3_vfs* vfs, void* h) { Real(vfs)->xDlClose(Real(vfs), h); }
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xRandomness(Real(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int us) { return Real(vfs)->xSleep(Real(vfs), us); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Real(vfs)->xCurrentTime(Real(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Real(vfs)->xGetLastError(Real(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Real(vfs)->xCurrentTimeInt64(Real(vfs), out);
}

}  // namespace

PowerCutVfs::PowerCutVfs() {
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
  if (!unix_vfs) throw std::runtime_error("no unix VFS");
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(sizeof(CutFile)) + unix_vfs->szOsFile;
  vfs_.mxPathname = unix_vfs->mxPathname;
  vfs_.zName = "powercut";
  vfs_.pAppData = this;
  vfs_.xOpen = Open;
  vfs_.xDelete = Delete;
  vfs_.xAccess = Access;
  vfs_.xFullPathname = FullPathname;
  vfs_.xDlOpen = DlOpen;
  vfs_.xDlError = DlError;
  vfs_.xDlSym = DlSym;
  vfs_.xDlClose = DlClose;
  vfs_.xRandomness = Randomness;
  vfs_.xSleep = Sleep;
  vfs_.xCurrentTime = CurrentTime;
  vfs_.xGetLastError = GetLastError;
  vfs_.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&vfs_, /*makeDflt=*/1) != SQLITE_OK)
    throw std::runtime_error("cannot register the power-cut VFS");
}

PowerCutVfs::~PowerCutVfs() {
  sqlite3_vfs_register(sqlite3_vfs_find("unix"), /*makeDflt=*/1);
  sqlite3_vfs_unregister(&vfs_);
}

void PowerCutVfs::Synced(const std::string& path, std::string content) {
  std::lock_guard<std::mutex> lock(mu_);
  durable_[path] = std::move(content);
}

void PowerCutVfs::Opened(const std::string& path, std::string content) {
  std::lock_guard<std::mutex> lock(mu_);
  durable_.try_emplace(path, std::move(content));
}

void PowerCutVfs::Deleted(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  durable_.erase(path);
}

std::map<std::string, std::string> PowerCutVfs::Durable() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, std::string> out;
  for (const auto& [path, content] : durable_)
    out[std::filesystem::path(path).filename().string()] = content;
  return out;
}

void PowerCutVfs::Restore(const std::map<std::string, std::string>& images,
                          const std::string& directory) {
  std::filesystem::create_directories(directory);
  for (const auto& [name, content] : images) {
    std::ofstream out(directory + "/" + name, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + directory + "/" + name);
  }
}

}  // namespace parkwatch::testing
