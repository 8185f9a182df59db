// ReportService end to end against real components: a real SMTP server
// (aiosmtpd), messages parsed by Python's email package, every X-ARF report
// validated against the official schema (scripts/validate-xarf), a webhook
// receiver verifying the HMAC, SQLite state across restarts and a SIGKILL
// between "in the outbox" and "sent".
#include "reporters/service.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/hash.h"
#include "core/model_json.h"
#include "crawler/http_client.h"
#include "tests/harness/counting_server.h"
#include "tests/harness/harness.h"
#include "tests/harness/smtp.h"
#include "tests/unit/reporters/reporter_test_util.h"

namespace dragnet::reporters {
namespace {

using dragnet::testing::CountingServer;
using dragnet::testing::Run;
using dragnet::testing::SmtpServer;
using dragnet::testing::SourceDir;
using dragnet::testing::TempDir;
using dragnet::testing::WebhookReceiver;
using nlohmann::json;
using test::FakeClock;
using test::Phishing;
using test::ScriptedProbe;

constexpr int64_t kHour = 3600LL * 1000;
const char* kPage =
    "<html><head><title>ExampleBank - Sign in</title></head><body><form action=\"https://collect.test/p.php\">"
    "<input name=user><input type=password name=pass></form></body></html>";

std::vector<std::string> FilesWithSuffix(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string p = e.path().string();
    if (p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

json ParseMail(const std::string& path, const std::string& xarf_dir) {
  auto r = Run({"/usr/bin/python3", SourceDir() + "/tests/unit/reporters/parse_mail.py", path, xarf_dir});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

// Runs the independent validator over every file; returns its output on failure.
void ExpectValidXarf(const std::vector<std::string>& files) {
  ASSERT_FALSE(files.empty());
  std::vector<std::string> argv = {SourceDir() + "/scripts/validate-xarf"};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = Run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(std::to_string(files.size()) + "/" + std::to_string(files.size()) + " valid"), std::string::npos)
      << r.out;
}

class ServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<ReportService> Make(ReporterOptions o) {
    auto s = std::make_unique<ReportService>(std::move(o), state_.path(), &probe_, clients_.back().get(), &clock_);
    Status st = s->Init();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return s;
  }
  SeedResult Site(const std::string& url = "https://secure-login-examplebank.com/verify") {
    SeedResult r = Phishing(url);
    test::AddEvidence(r, evidence_.path(), kPage + std::string("<!-- ") + url + " -->");
    return r;
  }
  int CountStatus(ReportService& s, const std::string& status) {
    auto l = s.ListReports(false);
    EXPECT_TRUE(l.ok());
    return static_cast<int>(std::count_if(l->begin(), l->end(), [&](const ReportView& v) { return v.item.status == status; }));
  }

  // Services made after this use a guarded client that lets `address` (a
  // test's own loopback receiver) through, or everything (allow_private).
  void UseHttpClient(const std::vector<std::string>& allow, bool allow_private = false) {
    crawler::CrawlOptions c;
    c.allow_private = allow_private;
    crawler::FetcherTestOptions t;
    t.guard_allow = allow;
    clients_.push_back(std::make_unique<crawler::GuardedHttpClient>(c, t));
  }
  // The webhook report's last error (the tests' sites also have an email
  // recipient); the first report when there is no webhook.
  std::string LastError(ReportService& s) { return Webhook(s).last_error; }
  ReportView Webhook(ReportService& s) {
    auto l = s.ListReports(false);
    EXPECT_TRUE(l.ok());
    if (!l.ok() || l->empty()) return {};
    for (const auto& v : *l) {
      if (v.item.recipient.rfind("webhook:", 0) == 0) return v;
    }
    return l->front();
  }

  TempDir state_, evidence_, xarf_out_;
  FakeClock clock_;
  ScriptedProbe probe_{&clock_};
  // Webhooks go through the guarded client as in production: guard ON.
  std::vector<std::unique_ptr<crawler::GuardedHttpClient>> clients_ = [] {
    std::vector<std::unique_ptr<crawler::GuardedHttpClient>> v;
    v.push_back(std::make_unique<crawler::GuardedHttpClient>(crawler::CrawlOptions{}));
    return v;
  }();
};

TEST_F(ServiceTest, DefaultIsDryRunOutboxOnlyWithValidXarf) {
  auto s = Make(test::TestOptions());
  SeedResult r = Site();
  s->Process(r);
  ASSERT_EQ(r.case_id.rfind("DN-", 0), 0u);
  ASSERT_EQ(r.reports.size(), 3u);  // registrar, hosting, CERT
  for (const auto& rep : r.reports) EXPECT_EQ(rep.status, "queued") << rep.recipient;
  EXPECT_EQ(r.reports[0].recipient, "abuse@registrar.test");
  EXPECT_NE(r.reports[0].reason.find("DNS abuse"), std::string::npos);
  // Outbox: one .eml + one .json per message; nothing was sent (no server, no attempts).
  auto emls = FilesWithSuffix(s->outbox_dir(), ".eml");
  ASSERT_EQ(emls.size(), 3u);
  EXPECT_EQ(FilesWithSuffix(s->outbox_dir(), ".json").size(), 3u);
  EXPECT_EQ(probe_.calls, 0);
  auto msgs = s->ledger()->Messages("queued");
  ASSERT_TRUE(msgs.ok());
  for (const auto& m : *msgs) EXPECT_EQ(m.attempts, 0);
  std::vector<std::string> xarfs;
  for (const auto& e : emls) {
    json mail = ParseMail(e, xarf_out_.path());
    EXPECT_TRUE(mail["defects"].empty()) << mail["defects"].dump();
  }
  xarfs = FilesWithSuffix(xarf_out_.path(), ".json");
  ASSERT_EQ(xarfs.size(), 3u);
  ExpectValidXarf(xarfs);
  // Same site scanned again: same case ID.
  SeedResult again = Site();
  s->Process(again);
  EXPECT_EQ(again.case_id, r.case_id);
}

// Every report names the key that seals its evidence (filled by app/ from
// the installation's key): in the email text and as an X-ARF evidence item
// that still validates against the schema.
TEST_F(ServiceTest, ReportsNameTheEvidenceSigningKey) {
  ReporterOptions o = test::TestOptions();
  o.evidence_key_fingerprint = std::string(64, 'a');
  o.evidence_public_key = "bXkgcHVibGljIGtleSBieXRlcyBvZiAzMiBsZW5ndGg=";
  auto s = Make(o);
  SeedResult r = Site();
  s->Process(r);
  auto emls = FilesWithSuffix(s->outbox_dir(), ".eml");
  ASSERT_FALSE(emls.empty());
  for (const auto& eml : emls) {  // English and Swedish recipients alike
    json mail = ParseMail(eml, xarf_out_.path());
    std::string body = mail["body"].get<std::string>();
    EXPECT_NE(body.find(": " + o.evidence_key_fingerprint), std::string::npos) << body;
    EXPECT_NE(body.find("(base64): " + o.evidence_public_key), std::string::npos) << body;
  }
  auto xarfs = FilesWithSuffix(xarf_out_.path(), ".json");
  ASSERT_FALSE(xarfs.empty());
  ExpectValidXarf(xarfs);
  json x = json::parse(dragnet::testing::ReadAll(xarfs[0]));
  const json& key = x["evidence"].back();
  EXPECT_EQ(key["content_type"], "application/json");
  EXPECT_NE(key["description"].get<std::string>().find(o.evidence_key_fingerprint), std::string::npos);
  json payload = json::parse(Base64Decode(key["payload"].get<std::string>()));
  EXPECT_EQ(payload["fingerprint_sha256"], o.evidence_key_fingerprint);
  EXPECT_EQ(payload["public_key"], o.evidence_public_key);
}

// Fraud that is not DNS abuse, on a domain registered days ago: the
// registrar is asked because the domain was registered for the fraud, in
// words (no internal names such as "tech_support"), not under the RAA's
// DNS-abuse clause.
TEST_F(ServiceTest, RegistrarBasisFollowsTheAbuseTypeInPlainWords) {
  auto s = Make(test::TestOptions());
  SeedResult r = test::Investment("https://windows-help-desk-alert.com/");
  r.verdict->scam_type = "tech_support";
  r.hosting->domain.age_days = 5;
  r.hosting->domain.created = "2026-11-24T08:00:00Z";
  s->Process(r);
  bool saw_registrar = false;
  for (const auto& eml : FilesWithSuffix(s->outbox_dir(), ".eml")) {
    json mail = ParseMail(eml, xarf_out_.path());
    std::string body = mail["body"].get<std::string>();
    EXPECT_EQ(body.find("tech_support"), std::string::npos) << body;
    EXPECT_NE(body.find("tech-support scam"), std::string::npos) << body;
    if (body.find("Registrar of windows-help-desk-alert.com") == std::string::npos) continue;
    saw_registrar = true;
    EXPECT_NE(body.find("registered for the tech-support scam"), std::string::npos) << body;
    EXPECT_NE(body.find("the domain was registered to commit this fraud"), std::string::npos) << body;
    EXPECT_EQ(body.find("DNS abuse"), std::string::npos) << body;
  }
  EXPECT_TRUE(saw_registrar);
}

TEST_F(ServiceTest, FraudAndBrandReportsAreSchemaValidToo) {
  auto s = Make(test::TestOptions());
  SeedResult fraud = test::Investment();
  test::AddEvidence(fraud, evidence_.path(), "<html><body>guaranteed 300% monthly</body></html>");
  s->Process(fraud);
  SeedResult brand = Site("https://examplebank-outlet.com/");
  brand.verdict->scam_type = "counterfeit";
  Indicator b;
  b.type = "brand";
  b.value = "ExampleBank";
  b.extra = {{"domains", {"bank.example"}}};
  brand.indicators.push_back(b);
  s->Process(brand);
  // Phishing with what X-ARF recommends: where the form sends the
  // credentials (submission_url) and the brand's own site (cloned_site).
  SeedResult kit = Site("https://examplebank-secure-login.com/");
  kit.indicators.push_back(b);
  Indicator collector;
  collector.type = "url";
  collector.value = "https://collect.test/p.php";
  collector.source = "form";
  kit.indicators.push_back(collector);
  s->Process(kit);
  SeedResult odd = Site("https://xn--exmplebank-r5a.com/p?q=\"<x>\"");  // IDN host, quotes in the query
  odd.verdict->scam_type = "job_scam";
  s->Process(odd);
  for (const auto& e : FilesWithSuffix(s->outbox_dir(), ".eml")) ParseMail(e, xarf_out_.path());
  auto files = FilesWithSuffix(xarf_out_.path(), ".json");
  ASSERT_GE(files.size(), 6u);
  ExpectValidXarf(files);
  bool saw_fraud = false, saw_brand = false, saw_employment = false, saw_kit = false;
  for (const auto& f : files) {
    json x = json::parse(dragnet::testing::ReadAll(f));
    saw_fraud |= x["type"] == "fraud" && x["fraud_type"] == "investment" && x.contains("cryptocurrency_addresses");
    saw_brand |= x["type"] == "brand_infringement" && x["legitimate_site"] == "https://bank.example/";
    saw_employment |= x["type"] == "fraud" && x["fraud_type"] == "employment";
    saw_kit |= x["type"] == "phishing" && x.value("submission_url", "") == "https://collect.test/p.php" &&
               x.value("cloned_site", "") == "https://bank.example/";
  }
  EXPECT_TRUE(saw_kit);
  EXPECT_TRUE(saw_fraud);
  EXPECT_TRUE(saw_brand);
  EXPECT_TRUE(saw_employment);
}

TEST_F(ServiceTest, SmtpDeliveryParsedByIndependentMimeParser) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  o.smtp_from = "takedown@dragnet-test.test";
  auto s = Make(o);
  SeedResult r = Site();
  s->Process(r);
  for (const auto& rep : r.reports) EXPECT_EQ(rep.status, "queued");
  auto mails = smtp.Messages();
  ASSERT_EQ(mails.size(), 3u);
  EXPECT_EQ(CountStatus(*s, "sent"), 3);
  std::string sha = Sha256Hex(kPage + std::string("<!-- https://secure-login-examplebank.com/verify -->"));
  std::map<std::string, json> by_rcpt;
  for (const auto& m : mails) {
    json j = ParseMail(m, xarf_out_.path());
    by_rcpt[j["headers"]["x-rcptto"][0].get<std::string>()] = j;
  }
  ASSERT_TRUE(by_rcpt.count("abuse@registrar.test"));
  ASSERT_TRUE(by_rcpt.count("abuse@hosting.test"));
  ASSERT_TRUE(by_rcpt.count("cert@cert-se.test"));
  const json& reg = by_rcpt["abuse@registrar.test"];
  EXPECT_EQ(reg["headers"]["x-mailfrom"][0], "takedown@dragnet-test.test");
  EXPECT_EQ(reg["headers"]["auto-submitted"][0], "auto-generated");
  std::string subject = reg["subject"];
  EXPECT_NE(subject.find(r.case_id), std::string::npos) << subject;
  EXPECT_NE(subject.find("Phishing impersonating ExampleBank"), std::string::npos) << subject;
  EXPECT_NE(subject.find("secure-login-examplebank.com"), std::string::npos);
  std::string body = reg["body"];
  for (const std::string& fact : {std::string("https://secure-login-examplebank.com/verify"), std::string("password_form_offsite"),
                                  std::string("Example Registrar, Inc."), std::string("IANA ID 1234"),
                                  std::string("AS64500 Example Hosting AB SE"), sha, std::string("2026-11-29T12:00:00.000Z"),
                                  std::string("Suspend the domain"), std::string("Last verified live: ")}) {
    EXPECT_NE(body.find(fact), std::string::npos) << "missing: " << fact << "\n" << body;
  }
  // Phishing is DNS abuse: the registrar is asked on that basis; the lists
  // keep one item a line (the hosting facts are not run together).
  EXPECT_NE(body.find("phishing is DNS abuse, which the ICANN Registrar Accreditation Agreement"), std::string::npos)
      << body;
  EXPECT_NE(body.find("\n  Registrar: Example Registrar, Inc."), std::string::npos) << body;
  EXPECT_NE(body.find("\n  IP 203.0.113.10: AS64500"), std::string::npos) << body;
  // The freshness gate ran right before the send: verified_at is the probe's time.
  EXPECT_NE(body.find("Last verified live: " + FormatRfc3339Ms(clock_.NowUnixMs())), std::string::npos);
  std::set<std::string> names;
  for (const auto& a : reg["attachments"]) {
    std::string fn = a["filename"];
    names.insert(fn.substr(0, fn.find('-')));
    if (fn.size() > 3 && fn.substr(fn.size() - 3) == ".gz") {
      EXPECT_EQ(a["gunzip_sha256"], sha);
    }
    if (a.contains("xarf")) {
      EXPECT_NE(body.find(a["xarf"]["report_id"].get<std::string>()), std::string::npos);
      EXPECT_EQ(a["xarf"]["verified_at"], FormatRfc3339Ms(clock_.NowUnixMs()));
      EXPECT_EQ(a["xarf"]["evidence"][0]["hash"], "sha256:" + sha);
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"xarf", "evidence", "capture"}));
  // Swedish CERT gets the Swedish template.
  EXPECT_NE(by_rcpt["cert@cert-se.test"]["subject"].get<std::string>().find("N\xC3\xA4tfiske"), std::string::npos);
  ExpectValidXarf(FilesWithSuffix(xarf_out_.path(), ".json"));
  // Nothing is sent twice.
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(smtp.Messages().size(), 3u);
}

TEST_F(ServiceTest, HeaderInjectionFixtureProducesCleanEncodedHeaders) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  auto s = Make(o);
  // Title, brand and URL as a hostile site can shape them.
  SeedResult r = Site("https://xn--exmplebank-r5a.com/login\r\nBcc: victim@example.org");
  r.verdict->brand_impersonated = "Exempelbanken\r\nBcc: victim@example.org\r\nX-Evil: 1 \xC3\xA5\xC3\xA4\xC3\xB6";
  PageSummary pg;
  pg.url = r.final_url;
  pg.title = "Logga in\r\nBcc: victim@example.org \xE2\x80\x94 s\xC3\xA4ker";
  r.pages = {pg};
  s->Process(r);
  auto mails = smtp.Messages();
  ASSERT_EQ(mails.size(), 3u);
  for (const auto& m : mails) {
    json j = ParseMail(m, xarf_out_.path());
    EXPECT_FALSE(j["headers"].contains("bcc")) << j["raw_headers"];
    EXPECT_FALSE(j["headers"].contains("x-evil")) << j["raw_headers"];
    EXPECT_EQ(j["headers"]["to"].size(), 1u);
    std::string subject = j["subject"];
    EXPECT_EQ(subject.find('\r'), std::string::npos);
    EXPECT_EQ(subject.find('\n'), std::string::npos);
    EXPECT_NE(subject.find("\xC3\xA5\xC3\xA4\xC3\xB6"), std::string::npos) << subject;  // non-ASCII survived, decoded
  }
  // The raw bytes in the outbox: RFC 2047 words, folded, no line over 78.
  for (const auto& e : FilesWithSuffix(s->outbox_dir(), ".eml")) {
    std::string raw = dragnet::testing::ReadAll(e);
    std::string head = raw.substr(0, raw.find("\r\n\r\n"));
    EXPECT_NE(head.find("Subject: =?UTF-8?B?"), std::string::npos);
    EXPECT_EQ(head.find("\nBcc"), std::string::npos);
    size_t start = 0;
    while (start < head.size()) {
      size_t end = head.find("\r\n", start);
      if (end == std::string::npos) end = head.size();
      EXPECT_LE(end - start, 78u) << head.substr(start, end - start);
      EXPECT_EQ(head.substr(start, end - start).find('\n'), std::string::npos);
      start = end + 2;
    }
  }
  ExpectValidXarf(FilesWithSuffix(xarf_out_.path(), ".json"));
}

TEST_F(ServiceTest, SmtpDownStaysQueuedThenEachDeliveredExactlyOnce) {
  SmtpServer smtp;
  smtp.Stop();
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  auto s = Make(o);
  SeedResult a = Site("https://a-examplebank.com/");
  SeedResult b = Site("https://b-examplebank.com/");
  s->Process(a);
  s->Process(b);
  EXPECT_EQ(CountStatus(*s, "queued"), 6);
  auto msgs = s->ledger()->Messages("queued");
  ASSERT_EQ(msgs->size(), 6u);
  for (const auto& m : *msgs) {
    EXPECT_EQ(m.attempts, 1);
    EXPECT_FALSE(m.last_error.empty());
    EXPECT_GT(m.next_attempt_ms, clock_.NowUnixMs());  // backoff
    EXPECT_TRUE(dragnet::testing::ReadAll(m.outbox_file).find("Message-ID: <" + m.id) != std::string::npos);
  }
  ASSERT_TRUE(s->Flush().ok());  // not due yet: no new attempt
  EXPECT_EQ(s->ledger()->Messages("queued")->front().attempts, 1);
  smtp.Start();
  clock_.Advance(2000);  // past the first backoff (1 s +-25%)
  ASSERT_TRUE(s->Flush().ok());
  ASSERT_TRUE(s->Flush().ok());
  clock_.Advance(kHour);
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(smtp.Messages().size(), 6u);
  EXPECT_EQ(CountStatus(*s, "sent"), 6);
  std::set<std::string> ids;
  for (const auto& m : smtp.Messages()) {
    json j = ParseMail(m, xarf_out_.path());
    ids.insert(j["headers"]["message-id"][0].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 6u);
}

TEST_F(ServiceTest, FailedAfterMaxAttemptsIsListedAsFailed) {
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = "smtp://127.0.0.1:" + std::to_string(dragnet::testing::FreePort());
  o.max_attempts = 2;
  auto s = Make(o);
  SeedResult r = Site();
  s->Process(r);
  clock_.Advance(10'000);
  ASSERT_TRUE(s->Flush().ok());
  auto failed = s->ListReports(true);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 3u);
  for (const auto& v : *failed) {
    EXPECT_EQ(v.item.status, "failed");
    EXPECT_EQ(v.attempts, 2);
    EXPECT_FALSE(v.outbox_file.empty());
    EXPECT_TRUE(std::filesystem::exists(v.outbox_file));  // still in the outbox
  }
}

TEST_F(ServiceTest, KilledBetweenOutboxAndSendDeliversExactlyOnceAfterRestart) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  {
    // Queue while delivery is off, so the child's flush is the first send.
    ReporterOptions dry = o;
    dry.enabled = false;
    auto s = Make(dry);
    SeedResult r = Site();
    s->Process(r);
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("DRAGNET_TEST_CRASH_AFTER_OUTBOX", "1", 1);
    ReportService child(o, state_.path(), &probe_, clients_.back().get(), &clock_);
    if (!child.Init().ok()) _exit(3);
    (void)child.Flush();
    _exit(0);  // not reached: the hook kills the process
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << status;
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(smtp.Messages().size(), 0u);  // killed before the connection opened
  auto s = Make(o);
  auto q = s->ledger()->Messages("queued");
  ASSERT_EQ(q->size(), 3u);
  EXPECT_EQ(std::count_if(q->begin(), q->end(), [](const OutboxMessage& m) { return m.attempts == 1; }), 1);
  ASSERT_TRUE(s->Flush().ok());
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(smtp.Messages().size(), 3u);
  auto s2 = Make(o);  // and after yet another restart: nothing more
  ASSERT_TRUE(s2->Flush().ok());
  EXPECT_EQ(smtp.Messages().size(), 3u);
}

TEST_F(ServiceTest, LedgerSuppressesSameUrlSameRecipientAcrossRestarts) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  {
    auto s = Make(o);
    SeedResult r = Site();
    s->Process(r);
    EXPECT_EQ(r.reports[0].status, "queued");
  }
  ASSERT_EQ(smtp.Messages().size(), 3u);
  clock_.Advance(kHour);
  auto s = Make(o);  // a new process: only the SQLite ledger remembers
  SeedResult again = Site();
  s->Process(again);
  ASSERT_EQ(again.reports.size(), 3u);
  for (const auto& rep : again.reports) {
    EXPECT_EQ(rep.status, "suppressed") << rep.recipient;
    EXPECT_NE(rep.reason.find("Already reported"), std::string::npos);
  }
  EXPECT_EQ(smtp.Messages().size(), 3u);
  clock_.Advance(72 * kHour);  // rereport_after passed, site still up: report again, and escalate
  SeedResult later = Site();
  s->Process(later);
  ASSERT_EQ(later.reports.size(), 4u);
  for (const auto& rep : later.reports) EXPECT_EQ(rep.status, "queued");
  EXPECT_EQ(later.reports[2].recipient, "abuse@registry-com.test");  // policy.registry = escalation
  EXPECT_NE(later.reports[2].reason.find("escalation"), std::string::npos);
  EXPECT_EQ(smtp.Messages().size(), 7u);
}

TEST_F(ServiceTest, ReportWaitingInOutboxIsNotQueuedTwice) {
  {
    auto s = Make(test::TestOptions());  // dry-run: stays queued in the outbox
    SeedResult r = Site();
    s->Process(r);
  }
  clock_.Advance(100 * kHour);  // even long after
  auto s = Make(test::TestOptions());
  SeedResult again = Site();
  s->Process(again);
  for (const auto& rep : again.reports) {
    EXPECT_EQ(rep.status, "suppressed");
    EXPECT_NE(rep.reason.find("already in the outbox"), std::string::npos);
  }
  EXPECT_EQ(FilesWithSuffix(s->outbox_dir(), ".eml").size(), 3u);
}

TEST_F(ServiceTest, RateLimitHoldsMessagesBackNeverDrops) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  o.rate_limit_per_hour = 2;
  o.notify_cert = false;
  auto s = Make(o);
  for (const char* host : {"a", "b", "c", "d", "e"}) {
    SeedResult r = Site(std::string("https://") + host + "-examplebank.com/");
    s->Process(r);
  }
  auto count_to = [&](const std::string& rcpt) {
    int n = 0;
    for (const auto& m : smtp.Messages()) n += ParseMail(m, xarf_out_.path())["headers"]["x-rcptto"][0] == rcpt;
    return n;
  };
  EXPECT_EQ(count_to("abuse@registrar.test"), 2);
  EXPECT_EQ(count_to("abuse@hosting.test"), 2);
  EXPECT_EQ(CountStatus(*s, "queued"), 6);
  auto held = s->ledger()->Messages("queued");
  for (const auto& m : *held) EXPECT_NE(m.last_error.find("rate_limit_per_hour"), std::string::npos);
  clock_.Advance(kHour);
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(count_to("abuse@registrar.test"), 4);
  clock_.Advance(kHour);
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(count_to("abuse@registrar.test"), 5);
  EXPECT_EQ(count_to("abuse@hosting.test"), 5);
  EXPECT_EQ(CountStatus(*s, "sent"), 10);
}

TEST_F(ServiceTest, FreshnessGateSkipsSitesAlreadyDown) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  auto s = Make(o);
  probe_.live["https://gone-examplebank.com/"] = false;
  SeedResult r = Site("https://gone-examplebank.com/");
  s->Process(r);
  EXPECT_EQ(smtp.Messages().size(), 0u);
  EXPECT_EQ(CountStatus(*s, "down"), 3);
  EXPECT_EQ(s->ledger()->Messages("down")->size(), 3u);
}

TEST_F(ServiceTest, BatchWindowSendsOneMessagePerRecipientAndCampaign) {
  SmtpServer smtp;
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = smtp.url();
  o.batch_window_ms = 10 * 60 * 1000;
  o.notify_cert = false;
  auto s = Make(o);
  SeedResult a = Site("https://a-examplebank.com/");
  SeedResult b = Site("https://b-examplebank.com/");
  s->Process(a);
  clock_.Advance(60'000);
  s->Process(b);
  EXPECT_EQ(smtp.Messages().size(), 0u);  // window still open
  EXPECT_TRUE(FilesWithSuffix(s->outbox_dir(), ".eml").empty());
  clock_.Advance(10 * 60 * 1000);
  ASSERT_TRUE(s->Tick().ok());
  auto mails = smtp.Messages();
  ASSERT_EQ(mails.size(), 2u);  // registrar + hosting, each listing both URLs
  for (const auto& m : mails) {
    json j = ParseMail(m, xarf_out_.path());
    std::string body = j["body"];
    EXPECT_NE(body.find("https://a-examplebank.com/"), std::string::npos);
    EXPECT_NE(body.find("https://b-examplebank.com/"), std::string::npos);
    EXPECT_NE(j["subject"].get<std::string>().find(a.case_id), std::string::npos);
    EXPECT_NE(j["subject"].get<std::string>().find(b.case_id), std::string::npos);
    int xarf = 0;
    for (const auto& at : j["attachments"]) xarf += at.contains("xarf");
    EXPECT_EQ(xarf, 2);
  }
  ExpectValidXarf(FilesWithSuffix(xarf_out_.path(), ".json"));
}

TEST_F(ServiceTest, WebhookDeliveryIsSignedAndRetried) {
  WebhookReceiver hook("s3cret-key", "tok-123", /*fail_first=*/1);
  UseHttpClient({"127.0.0.1:" + std::to_string(hook.port())});
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.smtp_url = "smtp://127.0.0.1:" + std::to_string(dragnet::testing::FreePort());  // email routes just queue
  WebhookRoute route;
  route.name = "registrar-api";
  route.url = hook.url();
  route.secret = "s3cret-key";
  route.token = "tok-123";
  o.webhooks[route.name] = route;
  auto s = Make(o);
  SeedResult r = Site();
  r.hosting->registrar.iana_id = "9999";  // contacts-test.toml routes this registrar to the webhook
  s->Process(r);
  ASSERT_EQ(r.reports[0].recipient, "webhook:registrar-api");
  auto reqs = hook.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_TRUE(json::parse(reqs[0])["failed_on_purpose"].get<bool>());
  clock_.Advance(2000);
  ASSERT_TRUE(s->Flush().ok());
  reqs = hook.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  json last = json::parse(reqs[1]);
  EXPECT_TRUE(last["signature_ok"].get<bool>());
  EXPECT_TRUE(last["token_ok"].get<bool>());
  EXPECT_EQ(last["idempotency_key"], json::parse(reqs[0])["idempotency_key"]);
  json body = json::parse(last["body"].get<std::string>());
  ASSERT_EQ(body["reports"].size(), 1u);
  EXPECT_EQ(body["case_ids"][0], r.case_id);
  WriteFileAtomic(xarf_out_.File("webhook.json"), body["reports"].dump()).ok();
  ExpectValidXarf({xarf_out_.File("webhook.json")});
  clock_.Advance(kHour);
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(hook.Requests().size(), 2u);  // accepted once, never again
}

TEST_F(ServiceTest, WebhookWithWrongSecretIsNotAccepted) {
  WebhookReceiver hook("right-key", "");
  UseHttpClient({"127.0.0.1:" + std::to_string(hook.port())});
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.notify_cert = false;
  WebhookRoute route;
  route.name = "registrar-api";
  route.url = hook.url();
  route.secret = "wrong-key";
  o.webhooks[route.name] = route;
  auto s = Make(o);
  SeedResult r = Site();
  r.hosting->registrar.iana_id = "9999";
  s->Process(r);
  auto reqs = hook.Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_FALSE(json::parse(reqs[0])["signature_ok"].get<bool>());
  ReportView w = Webhook(*s);
  EXPECT_EQ(w.item.status, "queued");
  EXPECT_NE(w.last_error.find("401"), std::string::npos) << w.last_error;
}

TEST_F(ServiceTest, WebhookOnAPrivateAddressIsRefusedAndNothingConnects) {
  CountingServer receiver(204);
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.notify_cert = false;
  o.smtp_url = "smtp://127.0.0.1:" + std::to_string(dragnet::testing::FreePort());
  WebhookRoute route;
  route.name = "registrar-api";
  route.url = receiver.Url("/reports");
  route.token = "tok-never-sent";
  o.webhooks[route.name] = route;
  auto s = Make(o);  // guard ON, nothing allowed
  SeedResult r = Site();
  r.hosting->registrar.iana_id = "9999";
  s->Process(r);
  ASSERT_EQ(r.reports[0].recipient, "webhook:registrar-api");
  std::string err = LastError(*s);
  EXPECT_NE(err.find("refused"), std::string::npos) << err;
  EXPECT_NE(err.find(receiver.Address()), std::string::npos) << err;
  EXPECT_NE(err.find("loopback"), std::string::npos) << err;
  EXPECT_EQ(receiver.connections(), 0);
  EXPECT_EQ(CountStatus(*s, "sent"), 0);

  // [crawl] allow_private: the retry goes out and is accepted.
  UseHttpClient({}, /*allow_private=*/true);
  auto open = Make(o);
  clock_.Advance(kHour);
  ASSERT_TRUE(open->Flush().ok());
  EXPECT_EQ(receiver.connections(), 1);
  ASSERT_EQ(receiver.Requests().size(), 1u);
  EXPECT_EQ(receiver.Requests()[0].rfind("POST /reports HTTP/1.1", 0), 0u) << receiver.Requests()[0];
  EXPECT_NE(receiver.Requests()[0].find("Authorization: Bearer tok-never-sent"), std::string::npos);
  EXPECT_GE(CountStatus(*open, "sent"), 1);
}

TEST_F(ServiceTest, WebhookToTheMetadataAddressIsRefused) {
  ReporterOptions o = test::TestOptions();
  o.enabled = true;
  o.notify_cert = false;
  o.smtp_url = "smtp://127.0.0.1:" + std::to_string(dragnet::testing::FreePort());
  WebhookRoute route;
  route.name = "registrar-api";
  route.url = "http://169.254.169.254/latest/meta-data/";
  o.webhooks[route.name] = route;
  auto s = Make(o);
  SeedResult r = Site();
  r.hosting->registrar.iana_id = "9999";
  s->Process(r);
  std::string err = LastError(*s);
  EXPECT_NE(err.find("169.254.169.254:80"), std::string::npos) << err;
  EXPECT_NE(err.find("link-local"), std::string::npos) << err;
}

TEST_F(ServiceTest, ReviewPolicyApproveAndReject) {
  auto s = Make(test::TestOptions());
  SeedResult mid = Site("https://maybe-examplebank.com/");
  mid.verdict->score = 55;
  s->Process(mid);
  ASSERT_FALSE(mid.reports.empty());
  for (const auto& rep : mid.reports) EXPECT_EQ(rep.status, "review");
  EXPECT_TRUE(s->ListReports(false)->empty());
  auto c = s->GetCase(mid.case_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->status, "review");
  auto plan = s->Plan(mid.case_id);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->messages.size(), 3u);
  EXPECT_EQ(plan->messages[0].status, "send");
  EXPECT_NE(plan->messages[0].rendered.subject.find(mid.case_id), std::string::npos);
  EXPECT_TRUE(FilesWithSuffix(s->outbox_dir(), ".eml").empty());  // a plan writes nothing
  auto approved = s->Approve(mid.case_id);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->size(), 3u);
  EXPECT_EQ(FilesWithSuffix(s->outbox_dir(), ".eml").size(), 3u);
  EXPECT_EQ(s->GetCase(mid.case_id)->status, "reported");
  EXPECT_FALSE(s->Approve(mid.case_id).ok());  // no longer waiting

  SeedResult other = Site("https://other-examplebank.com/");
  other.verdict->score = 50;
  s->Process(other);
  ASSERT_TRUE(s->Reject(other.case_id, "parody site, not fraud").ok());
  SeedResult rescan = Site("https://other-examplebank.com/");
  rescan.verdict->score = 95;
  s->Process(rescan);  // an analyst's rejection sticks
  EXPECT_TRUE(rescan.reports.empty());
  EXPECT_EQ(s->GetCase(other.case_id)->reason, "parody site, not fraud");

  SeedResult low = Site("https://low-examplebank.com/");
  low.verdict->score = 10;
  s->Process(low);
  EXPECT_TRUE(low.reports.empty());
  EXPECT_EQ(s->GetCase(low.case_id)->status, "benign");
}

TEST_F(ServiceTest, InitErrorsNameTheFile) {
  ReporterOptions o = test::TestOptions();
  o.contacts_file = state_.File("missing.toml");
  ReportService s(o, state_.path(), &probe_, clients_.back().get(), &clock_);
  Status st = s.Init();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("missing.toml"), std::string::npos);
  ReporterOptions o2 = test::TestOptions();
  o2.templates_dir = state_.File("no-templates");
  ReportService s2(o2, state_.path(), &probe_, clients_.back().get(), &clock_);
  st = s2.Init();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no-templates"), std::string::npos);
}

}  // namespace
}  // namespace dragnet::reporters
