// The reporter's commands as a process (cli/main.cc + the reporter's
// cmd_*.cc, built as reporters_cli_bin): cases list/show, review
// list/approve/reject, report --dry-run, reports list --json and reports
// flush --send against a real SMTP server.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "core/model_json.h"
#include "reporters/service.h"
#include "tests/harness/counting_server.h"
#include "tests/harness/harness.h"
#include "tests/harness/smtp.h"
#include "tests/unit/reporters/reporter_test_util.h"

namespace dragnet::reporters {
namespace {

using dragnet::testing::Fixture;
using dragnet::testing::Run;
using dragnet::testing::RunResult;
using dragnet::testing::SmtpServer;
using dragnet::testing::SourceDir;
using dragnet::testing::TempDir;
using nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.File("dragnet.toml");
    dragnet::testing::WriteAll(config_,
                               "[general]\nstate_dir = \"" + dir_.File("state") + "\"\n"
                               "[reporter]\norg = \"CLI Test CERT\"\ncontact_email = \"reports@cli-test.test\"\n"
                               "domain = \"cli-test.test\"\n"
                               "[delivery]\nfreshness_check = false\ntemplates_dir = \"" + SourceDir() + "/config/templates\"\n"
                               "[delivery.smtp]\nurl = \"" + smtp_.url() + "\"\nfrom = \"takedown@cli-test.test\"\n"
                               "[contacts]\nfile = \"" + Fixture("reporters/contacts-test.toml") + "\"\n");
    // Seed two cases through the library, as `dragnet scan` would.
    ReporterOptions o = test::TestOptions();
    ReportService s(o, dir_.File("state"), &probe_, nullptr);  // queues only: delivery is off
    ASSERT_TRUE(s.Init().ok());
    SeedResult high = test::Phishing("https://high-examplebank.com/");
    test::AddEvidence(high, dir_.File("evidence"), "<html><title>ExampleBank</title></html>");
    s.Process(high);
    high_ = high.case_id;
    SeedResult mid = test::Phishing("https://mid-examplebank.com/");
    mid.verdict->score = 55;
    s.Process(mid);
    mid_ = mid.case_id;
  }
  RunResult Dragnet(std::vector<std::string> args) {
    args.insert(args.begin(), {REPORTERS_CLI_BIN, "--config", config_});
    return dragnet::testing::Run(args, "", 60000);
  }

  TempDir dir_;
  SmtpServer smtp_;
  AlwaysLiveProbe probe_;
  std::string config_, high_, mid_;
};

TEST_F(CliTest, CasesListAndShow) {
  auto r = Dragnet({"cases", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int lines = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line); ++lines) {
    json j = json::parse(line);
    EXPECT_TRUE(j["case"] == high_ || j["case"] == mid_);
  }
  EXPECT_EQ(lines, 2);
  r = Dragnet({"cases", "list", "--label", "benign"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("no case matches"), std::string::npos) << r.err;
  // The human table: a header, newest first, the count; --limit cuts it and says so.
  r = Dragnet({"cases", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("CASE ", 0), 0u) << r.out;
  for (const char* col : {"STATUS", "SCORE", "LABEL", "TYPE", "BRAND", "UPDATED", "URL"}) {
    EXPECT_NE(r.out.find(col), std::string::npos) << col;
  }
  EXPECT_NE(r.out.find("\n2 cases, newest first\n"), std::string::npos) << r.out;
  r = Dragnet({"cases", "list", "--limit", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(mid_) == std::string::npos, r.out.find(high_) == std::string::npos) << "one of two: " << r.out;
  EXPECT_NE(r.out.find("1 case shown, newest first; there are more (--limit N)"), std::string::npos) << r.out;
  r = Dragnet({"cases", "list", "--limit", "0"});
  EXPECT_EQ(r.exit_code, 2);
  r = Dragnet({"cases", "show", high_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("password_form_offsite"), std::string::npos);
  // Complete: hosting and registration, and the case's reports with their status.
  EXPECT_NE(r.out.find("registrar: Example Registrar, Inc. (IANA ID 1234), abuse abuse@registrar.test"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("IP 203.0.113.10: AS64500 Example Hosting AB, SE, abuse abuse@hosting.test"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reports (3):"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("abuse@registrar.test  registrar"), std::string::npos) << r.out;
  r = Dragnet({"cases", "show", "DN-000000000000"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("DN-000000000000"), std::string::npos);
  r = Dragnet({"cases", "list", "--since", "yesterday"});
  EXPECT_EQ(r.exit_code, 2);
  // A label no case can have is an error listing the valid ones, not an
  // empty list.
  r = Dragnet({"cases", "list", "--label", "phishing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("malicious,suspicious,benign,unreachable"), std::string::npos) << r.err;
}

// Global options work after the subcommand too (the README writes
// `dragnet daemon --config FILE`).
TEST_F(CliTest, GlobalOptionsAreAcceptedAfterTheSubcommand) {
  auto r = dragnet::testing::Run({REPORTERS_CLI_BIN, "cases", "list", "--json", "--config", config_}, "", 60000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(high_), std::string::npos);
  r = dragnet::testing::Run({REPORTERS_CLI_BIN, "cases", "show", high_, "--log-level", "error", "--config", config_},
                            "", 60000);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliTest, DryRunPrintsRecipientsReasonsAndMessagesAndWritesNothing) {
  auto before = std::distance(std::filesystem::directory_iterator(dir_.File("state/outbox")), {});
  auto r = Dragnet({"report", mid_, "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("abuse@registrar.test"), std::string::npos);
  EXPECT_NE(r.out.find("abuse@hosting.test"), std::string::npos);
  EXPECT_NE(r.out.find("cert@cert-se.test"), std::string::npos);
  EXPECT_NE(r.out.find("why: Registrar of"), std::string::npos);
  EXPECT_NE(r.out.find("Subject: [" + mid_ + "]"), std::string::npos);
  EXPECT_NE(r.out.find("Suspend the domain"), std::string::npos);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.File("state/outbox")), {}), before);
}

TEST_F(CliTest, ReviewApproveRejectAndReportsFlushSend) {
  auto r = Dragnet({"review", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(mid_), std::string::npos);
  EXPECT_EQ(r.out.find(high_), std::string::npos);
  r = Dragnet({"review", "reject", high_});
  EXPECT_EQ(r.exit_code, 2);  // --reason is required
  r = Dragnet({"review", "approve", high_});
  EXPECT_EQ(r.exit_code, 2);  // not waiting for review
  r = Dragnet({"review", "approve", mid_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("queued"), std::string::npos);
  EXPECT_EQ(smtp_.Messages().size(), 0u);  // delivery disabled: outbox only

  r = Dragnet({"reports", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  int rows = 0;
  for (std::string line; std::getline(in, line); ++rows) {
    json j = json::parse(line);
    for (const char* k : {"case", "recipient", "status", "sent_at", "outbox_file"}) EXPECT_TRUE(j.contains(k)) << k;
    EXPECT_EQ(j["status"], "queued");
    EXPECT_TRUE(std::filesystem::exists(j["outbox_file"].get<std::string>()));
  }
  EXPECT_EQ(rows, 6);

  r = Dragnet({"reports", "flush", "--send"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("6 sent"), std::string::npos) << r.out;
  EXPECT_EQ(smtp_.Messages().size(), 6u);
  r = Dragnet({"reports", "flush", "--send"});
  EXPECT_EQ(smtp_.Messages().size(), 6u);
  r = Dragnet({"reports", "list", "--failed", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  r = Dragnet({"reports", "list"});
  EXPECT_EQ(r.out.rfind("CASE ", 0), 0u) << r.out;
  for (const char* col : {"STATUS", "TO", "KIND", "FILED", "SENT", "TRIES", "URL"}) {
    EXPECT_NE(r.out.find(col), std::string::npos) << col;
  }
  EXPECT_NE(r.out.find("sent"), std::string::npos);
  EXPECT_NE(r.out.find("\n6 reports, newest first\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(dir_.File("state")), std::string::npos) << "no outbox paths in the table: " << r.out;
}

// A rejected case's unsent reports are withdrawn: a later flush (another
// process, the daemon's tick) sends none of them.
TEST_F(CliTest, RejectWithdrawsTheCasesUnsentReports) {
  auto r = Dragnet({"reports", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int queued = 0;
  {
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line);
      if (j["case"] == high_ && j["status"] == "queued") ++queued;
    }
  }
  ASSERT_GT(queued, 0) << "the auto-reported case has reports waiting in the outbox: " << r.out;
  r = Dragnet({"review", "reject", high_, "--reason", "the bank's own test site"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Dragnet({"reports", "flush", "--send"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(smtp_.Messages().size(), 0u) << "nothing of a rejected case is sent";
  r = Dragnet({"reports", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int withdrawn = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j["case"] != high_) continue;
    EXPECT_EQ(j["status"], "withdrawn") << line;
    ++withdrawn;
  }
  EXPECT_EQ(withdrawn, queued);
  r = Dragnet({"cases", "show", high_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json c = json::parse(r.out);
  EXPECT_EQ(c["status"], "rejected");
  EXPECT_NE(c.dump().find("withdrawn"), std::string::npos) << "the timeline says what was withdrawn";
}

// `dragnet report` on a case with nothing credible to report is refused
// unless the analyst forces it and says why.
TEST_F(CliTest, ReportRefusesABenignCaseUnlessForcedWithAReason) {
  std::string low;
  {
    ReportService s(test::TestOptions(), dir_.File("state"), &probe_, nullptr);
    ASSERT_TRUE(s.Init().ok());
    SeedResult r = test::Phishing("https://bakery-example.com/");
    r.verdict->score = 0;
    r.verdict->label = "benign";
    r.verdict->scam_type.clear();
    r.verdict->brand_impersonated.clear();
    r.verdict->reasons.clear();
    s.Process(r);
    low = r.case_id;
  }
  auto r = Dragnet({"report", low});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("below policy.review_threshold"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force --reason"), std::string::npos) << r.err;
  r = Dragnet({"report", low, "--force"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--reason"), std::string::npos) << r.err;
  r = Dragnet({"reports", "list", "--json"});
  EXPECT_EQ(r.out.find(low), std::string::npos) << "nothing was filed: " << r.out;
  r = Dragnet({"report", low, "--force", "--reason", "victim reports: the page asks for card numbers after login"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Dragnet({"cases", "show", low, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json c = json::parse(r.out);
  EXPECT_EQ(c["status"], "reported");
  EXPECT_NE(c["reason"].get<std::string>().find("victim reports"), std::string::npos) << c["reason"];
  r = Dragnet({"reports", "list", "--json"});
  EXPECT_NE(r.out.find(low), std::string::npos) << r.out;
}

// Nothing is delivered under the demo identity: delivery on without a
// [reporter] of one's own is a config error naming [reporter].
TEST_F(CliTest, DeliveryUnderTheDemoIdentityIsAConfigError) {
  std::string cfg = dir_.File("no-identity.toml");
  dragnet::testing::WriteAll(cfg, "[general]\nstate_dir = \"" + dir_.File("state") + "\"\n"
                                  "[delivery.smtp]\nurl = \"" + smtp_.url() + "\"\n"
                                  "[contacts]\nfile = \"" + Fixture("reporters/contacts-test.toml") + "\"\n");
  auto r = dragnet::testing::Run({REPORTERS_CLI_BIN, "--config", cfg, "reports", "flush", "--send"}, "", 60000);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("[reporter]"), std::string::npos) << r.err;
  r = dragnet::testing::Run({REPORTERS_CLI_BIN, "--config", cfg, "reports", "list"}, "", 60000);
  EXPECT_EQ(r.exit_code, 0) << "outbox-only commands work under the demo identity: " << r.err;
  dragnet::testing::WriteAll(cfg, dragnet::testing::ReadAll(cfg) + "[delivery]\nenabled = true\n");
  r = dragnet::testing::Run({REPORTERS_CLI_BIN, "--config", cfg, "cases", "list"}, "", 60000);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("[reporter]"), std::string::npos) << r.err;
  EXPECT_EQ(smtp_.Messages().size(), 0u);
}

// The guard end to end: the binary and its config, no test seam. A webhook
// URL on a loopback address is refused (as any private or metadata
// address) while [crawl] allow_private is off: the receiver sees no
// connection, the report stays queued with the refusal as its last error.
TEST_F(CliTest, WebhookOnAPrivateAddressIsRefusedWithoutAllowPrivate) {
  dragnet::testing::CountingServer receiver(204);
  std::string cfg = dragnet::testing::ReadAll(config_);
  cfg += "[delivery.webhook.registrar-api]\nurl = \"" + receiver.Url("/reports") + "\"\ntoken = \"tok\"\n";
  dragnet::testing::WriteAll(config_, cfg);
  {
    ReporterOptions o = test::TestOptions();
    WebhookRoute route;
    route.name = "registrar-api";
    route.url = receiver.Url("/reports");
    o.webhooks[route.name] = route;
    ReportService s(o, dir_.File("state"), &probe_, nullptr);
    ASSERT_TRUE(s.Init().ok());
    SeedResult hook = test::Phishing("https://hook-examplebank.com/");
    hook.hosting->registrar.iana_id = "9999";  // contacts-test.toml routes this registrar to the webhook
    s.Process(hook);
  }
  auto r = Dragnet({"reports", "flush", "--send"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(receiver.connections(), 0);
  r = Dragnet({"reports", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool seen = false;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j["recipient"] != "webhook:registrar-api") continue;
    seen = true;
    EXPECT_EQ(j["status"], "queued");
    std::string err = j.value("last_error", "");
    EXPECT_NE(err.find("refused"), std::string::npos) << err;
    EXPECT_NE(err.find(receiver.Address()), std::string::npos) << err;
  }
  EXPECT_TRUE(seen) << r.out;
}

}  // namespace
}  // namespace dragnet::reporters
