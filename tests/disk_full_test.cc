// The store's filesystem filling up under a running daemon. (Turning it read-only under the
// daemon cannot be staged: a remount read-only fails with EBUSY while SQLite holds the files
// open for writing.) The store sits
// on a small tmpfs mounted for the test (root only: skipped otherwise, with the reason); the
// inbox stays on the ordinary filesystem so that files can still be dropped. The daemon must say
// what went wrong, keep serving /metrics and /-/healthy, leave the file in the inbox, and ingest
// again once space returns.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/store_checks.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using testing::CheckStoreConsistency;
using testing::DaemonProcess;
using testing::Http;
using testing::QueryInt;
using testing::RunParkwatch;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

constexpr int kFsBytes = 4 << 20;

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "store");
    std::string options = "size=" + std::to_string(kFsBytes);
    if (::geteuid() != 0 ||
        ::mount("tmpfs", (dir_ / "store").c_str(), "tmpfs", 0, options.c_str()) != 0)
      GTEST_SKIP() << "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): "
                   << std::strerror(errno);
    mounted_ = true;
    WriteFile(dir_ / "parkwatch.yml",
              "storage: {path: store/pw.db}\n"
              "web: {ingest_token: t}\n"
              "collectors: [{name: inbox, directory: inbox}, {name: push, type: http}]\n");
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  void TearDown() override {
    daemon_.Kill();
    if (mounted_) ::umount2((dir_ / "store").c_str(), MNT_DETACH);
  }

  // Fills the store's filesystem until only `leave` bytes are free.
  void Fill(size_t leave) {
    std::ofstream filler(dir_ / "store/filler", std::ios::binary);
    std::string block(64 << 10, 'f');
    size_t free_bytes = fs::space(dir_ / "store").available;
    for (size_t written = 0; written + leave + block.size() <= free_bytes; written += block.size())
      filler.write(block.data(), static_cast<std::streamsize>(block.size()));
  }

  void Drop(const std::string& name, const std::string& from) {
    fs::copy_file(from, dir_ / "staging.tmp");
    fs::rename(dir_ / "staging.tmp", dir_ / ("inbox/" + name));
  }

  bool ServesMetricsAndHealth() {
    return Http("GET", daemon_.url("/-/healthy")).status == 200 &&
           Http("GET", daemon_.url("/metrics")).status == 200;
  }

  TempDir dir_;
  bool mounted_ = false;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(DiskFullTest, FullDiskLeavesTheFileWaitingAndIngestionResumes) {
  std::string output;
  // About 12 000 rows: more than the space left, far less than the whole filesystem.
  ASSERT_EQ(RunParkwatch(
                {"bench-data", "--out=" + (dir_ / "big.csv"), "--enterprises=500", "--months=24"},
                &output),
            0)
      << output;
  Fill(64 << 10);
  Drop("big.csv", dir_ / "big.csv");
  ASSERT_TRUE(WaitFor([&] { return daemon_.Log().find("not ingested") != std::string::npos; }))
      << daemon_.Log();
  EXPECT_NE(daemon_.Log().find("full"), std::string::npos) << daemon_.Log();  // says why
  EXPECT_TRUE(fs::exists(dir_ / "inbox/big.csv"));
  EXPECT_TRUE(ServesMetricsAndHealth()) << daemon_.Log();
  EXPECT_NE(Http("GET", daemon_.url("/metrics")).body.find("status=\"failed\""), std::string::npos);
  // A push meanwhile is refused with a clear status, not a dropped connection.
  std::string small =
      "统一社会信用代码,报告期,工业总产值(万元)\n" + TestCreditCode(1) + ",2024-03,1\n";
  auto r = Http("POST", daemon_.url("/api/v1/ingest"), small, {"Authorization: Bearer t"});
  EXPECT_TRUE(r.status == 503 || r.status == 200) << r.status << r.body;

  // Space returns: a new file goes in at once, and the waiting one at the next start.
  fs::remove(dir_ / "store/filler");
  WriteFile(dir_ / "small.csv", small + TestCreditCode(2) + ",2024-03,2\n");
  Drop("small.csv", dir_ / "small.csv");
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/small.csv"); }))
      << daemon_.Log();
  EXPECT_EQ(daemon_.Stop(), 0);
  std::string error;
  ASSERT_TRUE(daemon_.Start(&error)) << error;
  EXPECT_TRUE(fs::exists(dir_ / "inbox/processed/big.csv")) << daemon_.Log();
  EXPECT_EQ(QueryInt(dir_ / "store/pw.db",
                     "SELECT count(*) FROM figures WHERE batch_id IN "
                     "(SELECT id FROM batches WHERE source LIKE '%big.csv')"),
            500 * 24 * 2);
  for (auto& problem : CheckStoreConsistency(dir_ / "store/pw.db")) ADD_FAILURE() << problem;
}

}  // namespace
}  // namespace parkwatch
