// The store against a real SQLite file: migrations, batches, revisions, duplicates, atomicity.
#include "store/store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::TempDir;
using testing::TestCreditCode;

FigureRecord Figure(int enterprise, const char* indicator, Period period, double value) {
  return {TestCreditCode(enterprise), indicator, period, value};
}

BatchSummary Commit(Store& store, const std::vector<FigureRecord>& figures,
                    const std::string& hash = "h") {
  auto txn = store.BeginIngest({"test.csv", "test", hash});
  for (const auto& f : figures) EXPECT_EQ(txn->PutFigure(f).en, "");
  BatchSummary s;
  s.status = "committed";
  txn->Commit(&s);
  return s;
}

TEST(StoreTest, MigratesOnceAndReopens) {
  TempDir dir;
  {
    auto store = Store::Open(dir / "pw.db");
    EXPECT_GE(store->schema_version(), 1);
    Commit(*store, {Figure(1, "output_value", Period::Month(2024, 3), 100)});
  }
  auto store = Store::Open(dir / "pw.db");  // second open applies nothing, keeps data
  auto e = store->FindEnterprise(TestCreditCode(1));
  ASSERT_TRUE(e);
  auto series = store->Series(e->id, "output_value", Cadence::kMonthly);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].value, 100);
  Statement journal(store->db(), "PRAGMA journal_mode");
  ASSERT_TRUE(journal.Step());
  EXPECT_EQ(journal.Text(0), "wal");
}

// Two writers on one store (the daemon's worker and its dispatcher, or `parkwatch ingest`
// beside the daemon): a batch begun while another connection commits waits for it and goes in;
// it is never refused as "database is locked".
TEST(StoreTest, BatchBegunWhileAnotherWriterCommitsWaitsAndGoesIn) {
  TempDir dir;
  auto daemon = Store::Open(dir / "pw.db");
  auto cli = Store::Open(dir / "pw.db");
  Transaction holding(daemon->db());  // BEGIN IMMEDIATE: the write lock
  Exec(daemon->db(), "UPDATE schema_migrations SET applied_at = applied_at");
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    holding.Commit();
  });
  BatchSummary s = Commit(*cli, {Figure(1, "output_value", Period::Month(2024, 3), 100)});
  other.join();
  EXPECT_EQ(s.status, "committed");
  auto e = daemon->FindEnterprise(TestCreditCode(1));
  ASSERT_TRUE(e);
  EXPECT_EQ(daemon->Series(e->id, "output_value", Cadence::kMonthly).size(), 1u);
}

TEST(StoreTest, ChangedValueIsANewRevisionAndHistoryStays) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  Period march = Period::Month(2024, 3);
  auto first = Commit(*store, {Figure(1, "output_value", march, 100)}, "a");
  EXPECT_EQ(first.figures_new, 1);
  auto second = Commit(*store, {Figure(1, "output_value", march, 120)}, "b");
  EXPECT_EQ(second.figures_revised, 1);
  auto third = Commit(*store, {Figure(1, "output_value", march, 120)}, "c");
  EXPECT_EQ(third.figures_unchanged, 1);
  EXPECT_TRUE(third.touched_periods.empty());  // nothing changed, nothing to re-evaluate

  auto e = store->FindEnterprise(TestCreditCode(1));
  auto series = store->Series(e->id, "output_value", Cadence::kMonthly);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].value, 120);
  EXPECT_EQ(series[0].revisions, 2);
  auto revisions = store->Revisions(e->id, "output_value", march);
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_EQ(revisions[0].value, 100);
  EXPECT_EQ(revisions[0].batch_id, first.batch_id);
  EXPECT_FALSE(revisions[0].current);
  EXPECT_EQ(revisions[1].value, 120);
  EXPECT_EQ(revisions[1].batch_id, second.batch_id);
  EXPECT_TRUE(revisions[1].current);
  EXPECT_EQ(revisions[1].source, "test.csv");
}

// What a batch changed, as the rules re-evaluate it after a restart, is the same whether read
// for the batch alone or gathered by the scan that loads the rules' data (the first start after
// a bulk load reads the figures once): the enterprises and periods it set, those a later batch
// revised since included, and what the batch reported at its commit.
TEST(StoreTest, ChangesOfABatchGatheredByTheScanAreTheBatchsOwn) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  std::vector<FigureRecord> bulk;
  for (int e = 1; e <= 4; ++e)
    for (Period p = Period::Month(2023, 11); p <= Period::Month(2024, 4); p = p.Next()) {
      bulk.push_back(Figure(e, "output_value", p, 100 * e + p.first_month()));
      if (e % 2) bulk.push_back(Figure(e, "electricity", p, 10 * e));
    }
  for (int w = 50; w <= 52; ++w)
    bulk.push_back(Figure(2, "output_value", Period::Week(2023, w), 5));
  const BatchSummary first = Commit(*store, bulk, "a");
  // The second revises two of the first's figures and adds an enterprise and a week.
  const BatchSummary second = Commit(*store,
                                     {Figure(3, "output_value", Period::Month(2024, 2), 1),
                                      Figure(1, "electricity", Period::Month(2023, 12), 2),
                                      Figure(5, "output_value", Period::Month(2024, 4), 9),
                                      Figure(2, "output_value", Period::Week(2024, 1), 6)},
                                     "b");
  const BatchSummary third =
      Commit(*store, {Figure(4, "output_value", Period::Month(2024, 4), 400 + 4)}, "c");
  EXPECT_EQ(third.figures_unchanged, 1);

  BatchChanges scanned({first.batch_id, second.batch_id, third.batch_id});
  int64_t figures = 0;
  store->ForEachCurrentFigure([&](const CurrentFigure&) { ++figures; }, &scanned);
  EXPECT_EQ(figures, static_cast<int64_t>(bulk.size()) + 2);
  for (const BatchSummary& committed : {first, second, third}) {
    const BatchSummary alone = store->ChangesOfBatch(committed.batch_id);
    const BatchSummary gathered = store->ChangesOfBatch(committed.batch_id, &scanned);
    EXPECT_EQ(gathered.touched_enterprises, alone.touched_enterprises) << committed.batch_id;
    EXPECT_EQ(gathered.touched_periods, alone.touched_periods) << committed.batch_id;
    EXPECT_EQ(gathered.touched_enterprises, committed.touched_enterprises) << committed.batch_id;
    EXPECT_EQ(gathered.touched_periods, committed.touched_periods) << committed.batch_id;
  }
  EXPECT_EQ(first.touched_enterprises.size(), 4u);
  EXPECT_EQ(first.touched_periods.size(), 6u + 6u + 3u);
  EXPECT_TRUE(third.touched_periods.empty());
}

TEST(StoreTest, SameFigureTwiceInOneBatchIsADuplicate) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  auto txn = store->BeginIngest({"dup.csv", "test", "x"});
  EXPECT_EQ(txn->PutFigure(Figure(1, "output_value", Period::Week(2024, 5), 1)).en, "");
  EXPECT_NE(txn->PutFigure(Figure(1, "output_value", Period::Week(2024, 5), 1)).en, "");
  EXPECT_NE(txn->PutFigure(Figure(1, "output_value", Period::Week(2024, 5), 2)).en, "");
  EXPECT_EQ(txn->PutFigure(Figure(1, "electricity", Period::Week(2024, 5), 1)).en, "");
}

TEST(StoreTest, UncommittedBatchLeavesNothing) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  {
    auto txn = store->BeginIngest({"bad.csv", "test", "y"});
    EXPECT_EQ(txn->PutEnterprise({TestCreditCode(7), "某公司", "装备制造", true}).en, "");
    EXPECT_EQ(txn->PutFigure(Figure(7, "output_value", Period::Month(2024, 1), 5)).en, "");
  }  // destroyed without Commit
  EXPECT_FALSE(store->FindEnterprise(TestCreditCode(7)));
  EXPECT_TRUE(store->RecentBatches(10).empty());
  EXPECT_FALSE(store->FindCommittedBatch("y"));
}

TEST(StoreTest, EnterpriseAttributesMergeAndBatchesAreRecorded) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  auto txn = store->BeginIngest({"reg.csv", "test", "r"});
  EXPECT_EQ(
      txn->PutEnterprise({TestCreditCode(3), "常德某药业有限公司", "医药化工", true, 2019}).en, "");
  EXPECT_EQ(txn->PutEnterprise({TestCreditCode(3), std::nullopt, std::nullopt, std::nullopt,
                                std::nullopt, 2025})
                .en,
            "");
  BatchSummary s;
  s.status = "committed";
  s.rows_read = 2;
  s.rows_accepted = 2;
  txn->Commit(&s);
  auto e = store->FindEnterprise(TestCreditCode(3));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "常德某药业有限公司");
  EXPECT_EQ(e->industry, "医药化工");
  EXPECT_TRUE(e->key);
  EXPECT_EQ(e->above_size_since, 2019);
  EXPECT_EQ(e->above_size_until, 2025);
  EXPECT_EQ(store->FindCommittedBatch("r"), s.batch_id);
  auto batches = store->RecentBatches(5);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].status, "committed");
  EXPECT_EQ(batches[0].rows_accepted, 2);
  EXPECT_EQ(batches[0].enterprises_new, 1);
}

TEST(StoreTest, RejectedBatchIsRecordedWithItsErrors) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  BatchSummary s;
  s.info = {"bad.csv", "inbox", "z"};
  s.status = "rejected";
  s.rows_read = 3;
  s.errors = {{"bad.csv", 2, 5, "报告期", "invalid period"}};
  store->RecordEmptyBatch(&s);
  auto batches = store->RecentBatches(5);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].status, "rejected");
  EXPECT_EQ(batches[0].error_count, 1);
  EXPECT_FALSE(store->FindCommittedBatch("z"));  // a rejected file may be sent again, fixed
}

}  // namespace
}  // namespace parkwatch
