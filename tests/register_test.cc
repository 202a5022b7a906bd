// The enterprise register (collectors/register.h) as a bureau keeps it: a register file named in
// parkwatch.yml, loaded at start and at reload, and single changes through
// PUT /api/v1/enterprises/CODE — every change in the audit trail. Real daemon, real HTTP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collectors/register.h"
#include "store/audit.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

const std::string kHeader = "统一社会信用代码,企业名称,行业,重点企业,规上起始年份,应报报表\n";

std::string Row(int n, const std::string& name, const std::string& key,
                const std::string& reports) {
  return TestCreditCode(n) + "," + name + ",医药化工," + key + ",2019," + reports + "\n";
}

std::string AuditText(Store& store) {
  std::string text;
  for (const AuditRecord& r : RecentAudit(store, 100))
    for (const std::string& line : r.changes) text += r.source + ": " + line + "\n";
  return text;
}

class RegisterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.indicators = DefaultIndicators();
    config_.register_file = dir_ / "register.csv";
    store_ = Store::Open(dir_ / "pw.db");
  }
  TempDir dir_;
  Config config_;
  std::unique_ptr<Store> store_;
};

TEST_F(RegisterTest, TheRegisterFileSetsMasterDataAndEveryChangeIsAudited) {
  WriteFile(dir_ / "register.csv",
            kHeader + Row(1, "甲公司", "是", "周报、月报") + Row(2, "乙公司", "否", "月报"));
  BatchSummary s = LoadRegister(config_, *store_, "register file at start");
  ASSERT_EQ(s.status, "committed") << JoinDiagnostics(s.errors);
  auto a = store_->FindEnterprise(TestCreditCode(1));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->key);
  EXPECT_EQ(a->expected_reports, "weekly,monthly");
  EXPECT_EQ(a->above_size_since, 2019);
  EXPECT_EQ(store_->FindEnterprise(TestCreditCode(2))->expected_reports, "monthly");
  EXPECT_NE(
      AuditText(*store_).find("register file at start: " + TestCreditCode(1) + " 甲公司: added"),
      std::string::npos)
      << AuditText(*store_);

  // 乙 becomes a key enterprise: one audit line says so.
  WriteFile(dir_ / "register.csv",
            kHeader + Row(1, "甲公司", "是", "周报、月报") + Row(2, "乙公司", "是", "月报"));
  EXPECT_EQ(LoadRegister(config_, *store_, "register file at SIGHUP").status, "committed");
  EXPECT_TRUE(store_->FindEnterprise(TestCreditCode(2))->key);
  EXPECT_NE(AuditText(*store_).find("register file at SIGHUP: " + TestCreditCode(2) +
                                    " 乙公司: key 否 -> 是"),
            std::string::npos)
      << AuditText(*store_);

  // Unchanged since it was last applied: nothing happens.
  size_t audits = RecentAudit(*store_, 100).size();
  EXPECT_EQ(LoadRegister(config_, *store_, "again").status, "duplicate");
  EXPECT_EQ(RecentAudit(*store_, 100).size(), audits);

  // Put back as it was at first: applied again, although that content was committed before.
  WriteFile(dir_ / "register.csv",
            kHeader + Row(1, "甲公司", "是", "周报、月报") + Row(2, "乙公司", "否", "月报"));
  EXPECT_EQ(LoadRegister(config_, *store_, "put back").status, "committed");
  EXPECT_FALSE(store_->FindEnterprise(TestCreditCode(2))->key);
}

TEST_F(RegisterTest, AWorkbookRegisterIsReadFromItsSheet) {
  std::string script = WriteFile(dir_ / "make.py", R"PY(
import sys, openpyxl
out, a = sys.argv[1:3]
wb = openpyxl.Workbook()
wb.active.title = "说明"
ws = wb.create_sheet("企业名录")
ws.append(["园区规上工业企业名录"])
ws.append(["统一社会信用代码", "企业名称", "行业", "重点企业", "规上起始年份", "应报报表"])
ws.append([a, "甲公司", "装备制造", "是", 2021, "月报"])
wb.save(out + "/register.xlsx")
)PY");
  std::string out;
  ASSERT_EQ(testing::Shell("/usr/bin/python3 " + script + " " + dir_.path() + " " +
                               TestCreditCode(7) + " 2>&1",
                           &out),
            0)
      << out;
  config_.register_file = dir_ / "register.xlsx";
  config_.register_sheet = "企业名录";
  BatchSummary s = LoadRegister(config_, *store_, "start");
  ASSERT_EQ(s.status, "committed") << JoinDiagnostics(s.errors);
  auto e = store_->FindEnterprise(TestCreditCode(7));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->industry, "装备制造");
  EXPECT_TRUE(e->key);
  EXPECT_EQ(e->above_size_since, 2021);
}

TEST_F(RegisterTest, ABadValueInTheRegisterRejectsItWithTheCell) {
  WriteFile(dir_ / "register.csv", kHeader + Row(1, "甲公司", "也许", "季报"));
  BatchSummary s = LoadRegister(config_, *store_, "start");
  EXPECT_EQ(s.status, "rejected");
  std::string errors = JoinDiagnostics(s.errors);
  EXPECT_NE(errors.find("重点企业: not a yes/no value: \"也许\""), std::string::npos) << errors;
  EXPECT_NE(errors.find("应报报表: not a list of reports: \"季报\""), std::string::npos) << errors;
  EXPECT_FALSE(store_->FindEnterprise(TestCreditCode(1)));
}

class RegisterDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "register.csv", kHeader + Row(1, "甲公司", "否", "月报"));
    WriteFile(dir_ / "parkwatch.yml",
              "storage: {path: pw.db}\n"
              "web: {admin_token: admin-token}\n"
              "register: {file: register.csv}\n");
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  json Enterprise(int n) {
    auto r = Http("GET", daemon_.url("/api/v1/enterprises/" + TestCreditCode(n)));
    return r.status == 200 ? json::parse(r.body)["data"] : json();
  }

  testing::HttpResult Put(int n, const std::string& body, const std::string& token) {
    return Http("PUT", daemon_.url("/api/v1/enterprises/" + TestCreditCode(n)), body,
                {"Authorization: Bearer " + token, "Content-Type: application/json"});
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(RegisterDaemonTest, TheRegisterIsLoadedAtStartAndChangedThroughTheApiWithAnAuditTrail) {
  // Ready means the files waiting at start, the register first, are in.
  json e = Enterprise(1);
  ASSERT_FALSE(e.is_null()) << daemon_.Log();
  EXPECT_EQ(e["name"], "甲公司");
  EXPECT_EQ(e["key"], false);
  EXPECT_EQ(e["expected_reports"], "monthly");

  EXPECT_EQ(Put(1, R"({"key": true})", "wrong").status, 403);
  auto r = Put(1, R"({"key": true, "expected_reports": "周报、月报"})", "admin-token");
  ASSERT_EQ(r.status, 200) << r.body;
  e = Enterprise(1);
  EXPECT_EQ(e["key"], true);
  EXPECT_EQ(e["expected_reports"], "weekly,monthly");

  r = Put(1, R"({"key": "maybe"})", "admin-token");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("not a yes/no value"), std::string::npos) << r.body;
  EXPECT_EQ(Put(1, R"({"colour": "red"})", "admin-token").status, 400);
  EXPECT_EQ(Enterprise(1)["key"], true);

  auto audit = Http("GET", daemon_.url("/api/v1/audit"));
  EXPECT_NE(audit.body.find(TestCreditCode(1) + " 甲公司: key 否 -> 是"), std::string::npos)
      << audit.body;
  EXPECT_NE(audit.body.find("PUT /api/v1/enterprises/" + TestCreditCode(1)), std::string::npos)
      << audit.body;

  // A reload with the register file unchanged keeps what the API set.
  ASSERT_EQ(
      Http("POST", daemon_.url("/-/reload"), "", {"Authorization: Bearer admin-token"}).status,
      200);
  EXPECT_EQ(Enterprise(1)["key"], true);
  // A changed file at reload is applied.
  WriteFile(dir_ / "register.csv",
            kHeader + Row(1, "甲公司", "否", "月报") + Row(2, "乙公司", "是", "周报"));
  ASSERT_EQ(
      Http("POST", daemon_.url("/-/reload"), "", {"Authorization: Bearer admin-token"}).status,
      200);
  ASSERT_TRUE(WaitFor([&] { return !Enterprise(2).is_null(); })) << daemon_.Log();
  EXPECT_EQ(Enterprise(2)["key"], true);
  EXPECT_EQ(Enterprise(1)["key"], false);
}

}  // namespace
}  // namespace parkwatch
