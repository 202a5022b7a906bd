// IngestFile's handling of what it is handed (collectors/ingest.h): a regular file is read once
// and its hash matches what was read; links and special files are refused at the open when the
// caller (the inbox) asks not to follow links, so a name swapped after it was checked is never
// followed somewhere else.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "collectors/ingest.h"
#include "core/sha256.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WriteFile;

class IngestFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.indicators = DefaultIndicators();
    collector_.name = "inbox";
    store_ = Store::Open(dir_ / "pw.db");
    csv_ = "统一社会信用代码,报告期,工业总产值(万元)\n" + TestCreditCode(1) + ",2024-03,12\n";
    WriteFile(dir_ / "outside/secret.csv", csv_);
  }

  BatchSummary Ingest(const std::string& path, bool follow) {
    return IngestFile(path, collector_, config_, *store_, {}, follow);
  }

  TempDir dir_;
  Config config_;
  CollectorConfig collector_;
  std::unique_ptr<Store> store_;
  std::string csv_;
};

TEST_F(IngestFileTest, ARegularFileIsReadAndHashedOnce) {
  WriteFile(dir_ / "inbox/a.csv", csv_);
  BatchSummary s = Ingest(dir_ / "inbox/a.csv", false);
  EXPECT_EQ(s.status, "committed");
  EXPECT_EQ(s.rows_accepted, 1);
  EXPECT_EQ(s.info.content_hash, Sha256Hex(csv_));
}

TEST_F(IngestFileTest, ARejectedFileRecordsHowLongItsReadingTook) {
  std::string bad = csv_;
  for (int i = 0; i < 20000; ++i) bad += TestCreditCode(i + 2) + ",2024-03,1\n";
  bad += "not-a-code,2024-03,1\n";
  WriteFile(dir_ / "inbox/bad.csv", bad);
  BatchSummary s = Ingest(dir_ / "inbox/bad.csv", false);
  ASSERT_EQ(s.status, "rejected");
  EXPECT_GT(s.duration_seconds, 0);
  auto batches = store_->RecentBatches(10);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_GT(batches[0].duration_seconds, 0);
}

TEST_F(IngestFileTest, ALinkIsRefusedWhenNotFollowedAndReadWhenFollowed) {
  fs::create_directories(dir_ / "inbox");
  fs::create_symlink(dir_ / "outside/secret.csv", dir_ / "inbox/link.csv");
  try {
    Ingest(dir_ / "inbox/link.csv", false);
    FAIL() << "a symbolic link was followed";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("a symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(store_->FindCommittedBatch(Sha256Hex(csv_)));
  // `parkwatch ingest link.csv`: the operator named it; it is followed.
  EXPECT_EQ(Ingest(dir_ / "inbox/link.csv", true).status, "committed");
}

TEST_F(IngestFileTest, AFifoOrDirectoryIsRefusedWithoutHanging) {
  fs::create_directories(dir_ / "inbox/dir.csv");
  ASSERT_EQ(::mkfifo((dir_ / "inbox/pipe.csv").c_str(), 0600), 0);
  for (const char* name : {"inbox/pipe.csv", "inbox/dir.csv"}) {
    try {
      Ingest(dir_ / name, false);
      FAIL() << name << " was read";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    }
  }
}

TEST_F(IngestFileTest, APriceIndexFileCountsItsFiguresAndNoNewEnterprise) {
  WriteFile(dir_ / "ppi.csv", "行业,报告期,PPI\n医药化工,2024-03,101.5\n装备制造,2024-03,99.8\n");
  BatchSummary ppi = Ingest(dir_ / "ppi.csv", true);
  EXPECT_EQ(ppi.status, "committed");
  EXPECT_EQ(ppi.figures_new, 2);
  EXPECT_EQ(ppi.enterprises_new, 0) << "an industry's price index is no enterprise";
  WriteFile(dir_ / "output.csv", csv_);
  EXPECT_EQ(Ingest(dir_ / "output.csv", true).enterprises_new, 1);
}

}  // namespace
}  // namespace parkwatch
