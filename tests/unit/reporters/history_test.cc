// Case history: a rescan never loses a past observation and never
// downgrades a case, and reporter databases written before case history
// (schema 0) open, migrate in place and read correctly.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "reporters/case_history.h"
#include "reporters/service.h"
#include "reporters/sqlite_state.h"
#include "tests/harness/harness.h"
#include "tests/unit/reporters/reporter_test_util.h"

namespace dragnet::reporters {
namespace {

using dragnet::testing::TempDir;
using test::FakeClock;
using test::Phishing;
using test::ScriptedProbe;

constexpr int64_t kHour = 3600LL * 1000;

// The schema the reporter wrote before case history, verbatim.
const char* kSchema0 = R"sql(
CREATE TABLE IF NOT EXISTS cases (
  case_id TEXT PRIMARY KEY, key TEXT NOT NULL, seed TEXT, final_url TEXT,
  score INTEGER, label TEXT, scam_type TEXT, brand TEXT, status TEXT,
  decided_by TEXT, reason TEXT, created_ms INTEGER, updated_ms INTEGER,
  scans INTEGER DEFAULT 0, result TEXT);
CREATE INDEX IF NOT EXISTS cases_updated ON cases(updated_ms);
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT NOT NULL, case_id TEXT NOT NULL,
  url TEXT NOT NULL, recipient TEXT NOT NULL, recipient_name TEXT, kind TEXT, language TEXT,
  reason TEXT, batch_key TEXT, status TEXT NOT NULL, message_id TEXT, verified_at TEXT,
  created_ms INTEGER, sent_ms INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS items_url_rcpt ON items(url, recipient);
CREATE INDEX IF NOT EXISTS items_status ON items(status);
CREATE INDEX IF NOT EXISTS items_message ON items(message_id);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, recipient TEXT NOT NULL, route TEXT, status TEXT NOT NULL,
  attempts INTEGER DEFAULT 0, next_attempt_ms INTEGER DEFAULT 0, last_error TEXT,
  outbox_file TEXT, created_ms INTEGER, sent_ms INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS messages_status ON messages(status);
CREATE INDEX IF NOT EXISTS messages_rcpt_sent ON messages(recipient, sent_ms);
INSERT INTO cases VALUES ('DN-AAAAAAAAAAAA', 'shop.test', 'http://shop.test/', 'http://shop.test/', 12, 'benign',
  '', '', 'no_report', 'policy', 'score 12 < policy.review_threshold 40: no report', 1000, 2000, 2,
  '{"seed":"http://shop.test/","final_url":"http://shop.test/","evidence_manifest":"/ev/m1.json","verdict":{"score":12,"label":"benign"}}');
INSERT INTO cases VALUES ('DN-BBBBBBBBBBBB', 'gone.test', 'http://gone.test/', '', 0, 'unreachable',
  '', '', 'no_report', 'policy', 'score 0', 1000, 3000, 1, '{"seed":"http://gone.test/"}');
INSERT INTO cases VALUES ('DN-CCCCCCCCCCCC', 'kit.test', 'http://kit.test/', 'http://kit.test/login', 95, 'malicious',
  'phishing', 'ExampleBank', 'reported', 'policy', 'score 95', 1000, 5000, 1, 'not json at all');
INSERT INTO items (report_id, case_id, url, recipient, recipient_name, kind, language, reason, batch_key, status,
  message_id, verified_at, created_ms, sent_ms)
  VALUES ('r1', 'DN-CCCCCCCCCCCC', 'http://kit.test/login', 'mailto:abuse@registrar.test', 'Registrar (registrar)',
  'registrar', 'en', 'why', 'b', 'sent', 'm1', '', 4000, 4500);
INSERT INTO messages VALUES ('m1', 'mailto:abuse@registrar.test', 'email', 'sent', 1, 4000, '', '/outbox/m1.eml',
  4000, 4500);
)sql";

void WriteOldDatabase(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, kSchema0, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(db);
}

int UserVersion(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  sqlite3_step(st);
  int v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

TEST(History, OldDatabaseOpensMigratesAndReadsCorrectly) {
  TempDir dir;
  std::string path = dir.File("reporter.db");
  WriteOldDatabase(path);
  for (int round = 0; round < 2; ++round) {  // the second open finds schema 1: nothing to do
    auto st = SqliteState::Open(path);
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    auto shop = (*st)->Get("DN-AAAAAAAAAAAA");
    ASSERT_TRUE(shop.ok());
    EXPECT_EQ(shop->status, kCaseBenign) << "no_report with a credible verdict is benign";
    EXPECT_EQ(shop->scans, 2);
    auto gone = (*st)->Get("DN-BBBBBBBBBBBB");
    ASSERT_TRUE(gone.ok());
    EXPECT_EQ(gone->status, kCaseNew) << "no_report that was never scored is new";
    auto kit = (*st)->Get("DN-CCCCCCCCCCCC");
    ASSERT_FALSE(kit.ok()) << "a stored result that is not JSON is still reported as corrupt";
    auto items = (*st)->Items(ItemQuery{"", "DN-CCCCCCCCCCCC", 10});
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 1u);
    EXPECT_EQ((*items)[0].stage, kStageReport);
    EXPECT_EQ((*items)[0].sent_ms, 4500);
    auto m = (*st)->GetMessage("m1");
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->escalation_of, "");
    auto last = (*st)->LastReported("http://kit.test/login", "mailto:abuse@registrar.test");
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(**last, 4500);
    // Each old case's last scan is its first observation.
    auto obs = (*st)->Observations("DN-AAAAAAAAAAAA", 10);
    ASSERT_TRUE(obs.ok());
    ASSERT_EQ(obs->size(), 1u);
    EXPECT_EQ((*obs)[0].evidence_manifest, "/ev/m1.json");
    EXPECT_TRUE((*obs)[0].credible);
    EXPECT_EQ((*obs)[0].at_ms, 2000);
    EXPECT_EQ((*st)->Observations("DN-CCCCCCCCCCCC", 10)->size(), 1u);
    auto counts = (*st)->CountByStatus();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ((*counts)["reported"], 1);
    EXPECT_EQ((*counts)["benign"], 1);
    EXPECT_EQ((*counts)["new"], 1);
  }
  EXPECT_EQ(UserVersion(path), SqliteState::kSchemaVersion);
}

TEST(History, ReportedCaseFromBeforeGetsItsReportTimeAndIsWatched) {
  TempDir dir;
  std::string path = dir.File("reporter.db");
  WriteOldDatabase(path);
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "UPDATE cases SET result = '{\"seed\":\"http://kit.test/\"}' WHERE case_id = 'DN-CCCCCCCCCCCC'",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto st = SqliteState::Open(path);
  ASSERT_TRUE(st.ok());
  auto kit = (*st)->Get("DN-CCCCCCCCCCCC");
  ASSERT_TRUE(kit.ok()) << kit.status().ToString();
  EXPECT_EQ(kit->status, kCaseReported);
  EXPECT_EQ(kit->reported_ms, 4000);
  auto due = (*st)->Due(10'000, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u) << "a reported case is watched (scheduled by the monitor)";
  EXPECT_EQ((*due)[0].case_id, "DN-CCCCCCCCCCCC");
}

TEST(History, NewerSchemaIsRefusedNotRewritten) {
  TempDir dir;
  std::string path = dir.File("reporter.db");
  WriteOldDatabase(path);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto st = SqliteState::Open(path);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), Code::kCorrupt);
  EXPECT_NE(st.status().message().find("schema version 99"), std::string::npos);
  EXPECT_EQ(UserVersion(path), 99);
}

class HistoryService : public ::testing::Test {
 protected:
  void SetUp() override {
    svc_ = std::make_unique<ReportService>(test::TestOptions(), state_.path(), &probe_, nullptr, &clock_);
    ASSERT_TRUE(svc_->Init().ok());
  }
  TempDir state_;
  FakeClock clock_;
  ScriptedProbe probe_{&clock_};
  std::unique_ptr<ReportService> svc_;
};

TEST_F(HistoryService, RescanningNeverLosesAnObservationOrDowngradesTheCase) {
  SeedResult kit = Phishing("https://secure-login-examplebank.com/verify");
  svc_->Process(kit);
  auto c = svc_->GetCase(kit.case_id);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->status, kCaseReported);
  const int reports = static_cast<int>(svc_->ListReports(false)->size());

  // A later scan of a benign sub-page of the same site.
  clock_.Advance(kHour);
  SeedResult sub = Phishing("https://secure-login-examplebank.com/about");
  sub.verdict->score = 3;
  sub.verdict->label = "benign";
  sub.verdict->scam_type = "";
  sub.verdict->reasons.clear();
  svc_->Process(sub);
  // A failed retry: nothing answered.
  clock_.Advance(kHour);
  SeedResult dead;
  dead.seed = "https://secure-login-examplebank.com/verify";
  dead.errors = {"https://secure-login-examplebank.com/verify: connect: Connection refused"};
  Verdict unreachable;
  unreachable.label = "unreachable";
  dead.verdict = unreachable;
  svc_->Process(dead);
  // An interrupted scan that scored high on half a page is not credible either.
  clock_.Advance(kHour);
  SeedResult cut = Phishing("https://secure-login-examplebank.com/verify");
  cut.limits_hit = {"interrupted"};
  cut.verdict->score = 100;
  svc_->Process(cut);

  c = svc_->GetCase(kit.case_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, kCaseReported);
  EXPECT_EQ(c->score, 92);
  EXPECT_EQ(c->label, "malicious");
  EXPECT_EQ(c->scans, 4);
  EXPECT_EQ(c->result["final_url"], "https://secure-login-examplebank.com/verify") << "the standing scan is kept";
  auto obs = svc_->cases()->Observations(kit.case_id, 100);
  ASSERT_TRUE(obs.ok());
  ASSERT_EQ(obs->size(), 4u) << "every scan is in the history";
  EXPECT_EQ((*obs)[0].score, 92);
  EXPECT_EQ((*obs)[1].label, "benign");
  EXPECT_TRUE((*obs)[1].credible);
  EXPECT_EQ((*obs)[2].label, "unreachable");
  EXPECT_FALSE((*obs)[2].credible);
  EXPECT_FALSE((*obs)[3].credible);
  EXPECT_NE((*obs)[2].summary.find("never applied"), std::string::npos);
  // The timeline shows them all, and the reports.
  auto t = svc_->Timeline(kit.case_id);
  ASSERT_TRUE(t.ok());
  int observations = 0, filed = 0;
  for (const auto& e : *t) {
    observations += e.type == "observation";
    filed += e.type == "report";
  }
  EXPECT_EQ(observations, 4);
  EXPECT_EQ(filed, reports);
  EXPECT_EQ(static_cast<int>(svc_->ListReports(false)->size()), reports)
      << "only a credible scan at or above auto_report_threshold files again";
}

TEST_F(HistoryService, UnreachableFirstThenScoredRisesAndBenignRisesToReported) {
  SeedResult dead;
  dead.seed = "https://late-kit.com/";
  Verdict v;
  v.label = "unreachable";
  dead.verdict = v;
  svc_->Process(dead);
  EXPECT_EQ(svc_->GetCase(dead.case_id)->status, kCaseNew);
  SeedResult quiet = Phishing("https://late-kit.com/");
  quiet.verdict->score = 20;
  quiet.verdict->label = "benign";
  svc_->Process(quiet);
  EXPECT_EQ(svc_->GetCase(dead.case_id)->status, kCaseBenign);
  SeedResult kit = Phishing("https://late-kit.com/");
  svc_->Process(kit);
  auto c = svc_->GetCase(dead.case_id);
  EXPECT_EQ(c->status, kCaseReported);
  EXPECT_GT(c->reported_ms, 0);
  auto events = svc_->cases()->Events(dead.case_id);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> to;
  for (const auto& e : *events) to.push_back(e.data.value("to", ""));
  EXPECT_EQ(to, (std::vector<std::string>{"new", "benign", "reported"}));
}

}  // namespace
}  // namespace dragnet::reporters
