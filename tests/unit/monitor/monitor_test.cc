// Monitor rounds on a real ReportService (SQLite state, outbox) with a
// scripted probe and a fake clock: the round's caps (max_checks_per_round,
// inbox.max_messages_per_round, inbox.max_message_bytes), claims between
// two processes, unknown checks, giving up, and a re-check never touching
// the standing verdict.
#include "monitor/monitor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "tests/harness/harness.h"
#include "tests/unit/reporters/reporter_test_util.h"

namespace dragnet::monitor {
namespace {

using dragnet::testing::TempDir;
using dragnet::testing::WriteAll;
using reporters::test::FakeClock;

constexpr int64_t kHour = 3600LL * 1000;
constexpr int64_t kDay = 24 * kHour;

// Answers per URL; unknown URLs are up.
class ScriptedProbe final : public Probe {
 public:
  std::map<std::string, std::string> outcome;  // url -> up, gone, unknown
  int calls = 0;
  ProbeResult Check(const ProbeRequest& r) override {
    ++calls;
    ProbeResult p;
    p.url = r.url;
    p.dns_checked = true;
    p.dns_status = "ok";
    p.fetched = true;
    std::string o = outcome.count(r.url) ? outcome[r.url] : "up";
    if (o == "gone") {
      p.status = 404;
    } else if (o == "unknown") {
      p.dns_status = "servfail";
      p.status = 0;
      p.error_kind = "refused";
      p.error = "refused: the guard";
    } else {
      p.status = 200;
      p.score = 90;
      p.label = "malicious";
      p.credible = true;
    }
    return p;
  }
};

class MonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    svc_ = std::make_unique<reporters::ReportService>(reporters::test::TestOptions(), state_.path(), &live_, nullptr,
                                                      &clock_);
    ASSERT_TRUE(svc_->Init().ok());
    auto s = Signatures::Load(dragnet::testing::SourceDir() + "/config/takedown.toml");
    ASSERT_TRUE(s.ok());
    sigs_ = std::make_unique<Signatures>(std::move(s).value());
  }
  std::unique_ptr<Monitor> Make(MonitorOptions o) {
    auto t = TicketPatterns::Compile({});
    EXPECT_TRUE(t.ok());
    return std::make_unique<Monitor>(o, *svc_, probe_, *sigs_, std::move(t).value(), &clock_);
  }
  std::string Report(const std::string& url) {
    SeedResult r = reporters::test::Phishing(url);
    svc_->Process(r);
    EXPECT_EQ(svc_->GetCase(r.case_id)->status, reporters::kCaseReported);
    return r.case_id;
  }
  RoundSummary Round(Monitor& m, bool force = false) {
    RoundFlags f;
    f.force = force;
    auto r = m.RunOnce(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RoundSummary{};
  }

  TempDir state_;
  FakeClock clock_;
  reporters::test::ScriptedProbe live_{&clock_};
  ScriptedProbe probe_;
  std::unique_ptr<reporters::ReportService> svc_;
  std::unique_ptr<Signatures> sigs_;
};

TEST_F(MonitorTest, ARoundChecksAtMostMaxChecksPerRoundAndSaysTheRestWait) {
  for (const char* u : {"https://a-kit.com/", "https://b-kit.com/", "https://c-kit.com/"}) Report(u);
  MonitorOptions o;
  o.max_checks_per_round = 2;
  auto m = Make(o);
  RoundSummary s = Round(*m, true);
  EXPECT_EQ(s.checked, 2);
  bool said = false;
  for (const auto& l : s.lines) said |= l.find("monitor.max_checks_per_round (2)") != std::string::npos;
  EXPECT_TRUE(said);
  clock_.Advance(1);
  s = Round(*m, true);
  EXPECT_EQ(s.checked, 2) << "the third waits no longer than the next round";
  EXPECT_EQ(probe_.calls, 4);
}

TEST_F(MonitorTest, FirstRoundOnlySchedulesThenChecksWhenDue) {
  std::string id = Report("https://a-kit.com/");
  auto m = Make(MonitorOptions{});
  RoundSummary s = Round(*m);
  EXPECT_EQ(s.scheduled, 1);
  EXPECT_EQ(s.checked, 0);
  EXPECT_EQ(svc_->GetCase(id)->next_check_ms, clock_.NowUnixMs() + 2 * kHour);
  clock_.Advance(2 * kHour - 1);
  EXPECT_EQ(Round(*m).checked, 0);
  clock_.Advance(1);
  EXPECT_EQ(Round(*m).checked, 1);
}

TEST_F(MonitorTest, AClaimedCheckIsDoneByOneProcessOnly) {
  std::string id = Report("https://a-kit.com/");
  auto c = svc_->GetCase(id);
  auto first = svc_->cases()->ClaimCheck(id, c->next_check_ms, clock_.NowUnixMs() + kCheckLeaseMs);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto second = svc_->cases()->ClaimCheck(id, c->next_check_ms, clock_.NowUnixMs() + kCheckLeaseMs);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  // While the lease runs, a round does not pick it up; after it, it does.
  auto m = Make(MonitorOptions{});
  EXPECT_EQ(Round(*m).checked, 0);
  clock_.Advance(kCheckLeaseMs);
  EXPECT_EQ(Round(*m).checked, 1);
}

TEST_F(MonitorTest, UnknownChecksNeitherConfirmNorBreakAndStillUpGivesUpAfterThirtyDays) {
  std::string id = Report("https://a-kit.com/");
  MonitorOptions o;
  o.confirm_down = 2;
  auto m = Make(o);
  probe_.outcome["https://a-kit.com/"] = "gone";
  Round(*m, true);
  probe_.outcome["https://a-kit.com/"] = "unknown";
  clock_.Advance(kHour);
  Round(*m, true);
  EXPECT_EQ(svc_->GetCase(id)->status, reporters::kCaseReported);
  EXPECT_EQ(svc_->GetCase(id)->down_streak, 1);
  probe_.outcome["https://a-kit.com/"] = "gone";
  clock_.Advance(kHour);
  Round(*m, true);
  EXPECT_EQ(svc_->GetCase(id)->status, reporters::kCaseDown);

  std::string up = Report("https://b-kit.com/");
  clock_.Advance(30 * kDay);
  Round(*m, true);
  auto c = svc_->GetCase(up);
  EXPECT_EQ(c->status, reporters::kCaseUnresolved);
  EXPECT_EQ(c->next_check_ms, -1);
  EXPECT_EQ(c->label, "malicious") << "giving up never touches the verdict";
  int calls = probe_.calls;
  Round(*m, true);
  EXPECT_EQ(probe_.calls, calls) << "neither is watched any more: unresolved, and down past give_up_after";
  EXPECT_EQ(svc_->GetCase(id)->status, reporters::kCaseDown);
}

TEST_F(MonitorTest, InboxCapsAreHitAndRecorded) {
  TempDir mail;
  std::filesystem::create_directories(mail.File("new"));
  std::filesystem::create_directories(mail.File("cur"));
  WriteAll(mail.File("new/1.a.host"), "From: a@b.test\nSubject: hello\n\n" + std::string(2048, 'x'));
  WriteAll(mail.File("new/2.a.host"), "From: a@b.test\nSubject: [DN-000000000000] hello\n\nsmall");
  WriteAll(mail.File("new/3.a.host"), "From: a@b.test\nSubject: again\n\nsmall");
  MonitorOptions o;
  o.maildir = mail.path();
  o.max_message_bytes = 1024;
  o.max_messages_per_round = 2;
  auto m = Make(o);
  RoundSummary s = Round(*m);
  EXPECT_EQ(s.mail_skipped, 1);
  EXPECT_EQ(s.mail_read, 1);
  bool too_big = false, wait = false;
  for (const auto& l : s.lines) {
    too_big |= l.find("larger than inbox.max_message_bytes (1024)") != std::string::npos;
    wait |= l.find("inbox.max_messages_per_round (2)") != std::string::npos;
  }
  EXPECT_TRUE(too_big);
  EXPECT_TRUE(wait);
  s = Round(*m);
  EXPECT_EQ(s.mail_read, 1) << "the third message, next round";
  EXPECT_EQ(Round(*m).mail_read, 0) << "each message is read once";
}

}  // namespace
}  // namespace dragnet::monitor
