// The takedown lifecycle end to end against real servers on 127.0.0.1:
// nginx serving the sites (a real phishing kit from the demo corpus) and
// the RDAP answers of their registry, registrar and network; dnsmasq
// answering their names; aiosmtpd as the operator's relay (the reports
// land in its Maildir) and as the CERT's abuse mailbox (replies and
// bounces, sent to it over SMTP, land in another Maildir). Sites are
// scanned by the real pipeline, then taken down by each signal class, come
// back, are escalated, bounce and are acknowledged — while the clock is a
// FakeClock, so schedules move without sleeping.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/config.h"
#include "app/daemon_monitor.h"
#include "app/metrics.h"
#include "app/lifecycle.h"
#include "app/pipeline.h"
#include "core/json.h"
#include "reporters/deliver.h"
#include "tests/harness/dnsmasq.h"
#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"
#include "tests/harness/smtp.h"
#include "tests/unit/hosting/test_util.h"
#include "tests/unit/reporters/reporter_test_util.h"

namespace dragnet::app {
namespace {

using nlohmann::json;
using testing::DnsmasqConfig;
using testing::DnsmasqServer;
using testing::NginxServer;
using testing::ReadAll;
using testing::SmtpServer;
using testing::TempDir;
using testing::WriteAll;

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;

const char* kNginx = R"(
  server {
    listen 127.0.0.1:{{PORT}} default_server;
    server_name _;
    location /rdap/ { types { } default_type application/rdap+json; alias {{DIR}}/rdap/; }
    location / { root {{DIR}}/sites/$host; }
  }
)";

std::string Page(const std::string& name) { return ReadAll(testing::Fixture("monitor/pages/" + name)); }
std::string Mail(const std::string& name) { return ReadAll(testing::Fixture("monitor/mail/" + name)); }
std::string Kit() { return ReadAll(testing::Fixture("sites/demo/swedbank-secure-login.com/index.html")); }

// Quoted-printable body text made readable (soft breaks joined, =XX decoded).
std::string Unqp(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=' && i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
      i += 2;
    } else if (s[i] == '=' && i + 1 < s.size() && s[i + 1] == '\n') {
      i += 1;
    } else if (s[i] == '=' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

class LifecycleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The verdict tables are compiled once for every test.
    auto c = LoadConfig("");
    ASSERT_TRUE(c.ok());
    auto s = LoadPipelineShared(*c);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    shared_ = new PipelineShared(std::move(s).value());
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override {
    nginx_ = std::make_unique<NginxServer>(kNginx);
    std::filesystem::create_directories(nginx_->dir() + "/rdap/domain");
    std::filesystem::create_directories(nginx_->dir() + "/rdap/ip");
    hosting::testutil::WriteBootstrap(boot_.path(), "http://127.0.0.1:" + std::to_string(nginx_->port()) + "/rdap/");
    // The network of 127.0.0.1 (RIPE-shaped answer of the demo corpus).
    json net = json::parse(ReadAll(testing::Fixture("demo/rdap/ip/89.160.20.112.json")));
    net["handle"] = "127.0.0.0 - 127.255.255.255";
    net["startAddress"] = "127.0.0.0";
    net["endAddress"] = "127.255.255.255";
    net["name"] = "TEST-LOOPBACK-HOSTING";
    std::string n = DumpJson(net);
    n = testing::ReplaceAll(n, "abuse@demo-hoster-se.invalid", "abuse@hosting.test");
    WriteAll(nginx_->dir() + "/rdap/ip/127.0.0.1", n);
    contacts_ = dir_.File("contacts.toml");
    WriteAll(contacts_,
             "[registries.test]\nname = \"Test TLD Registry\"\nemail = \"abuse@registry.test\"\nsource = \"test\"\n");
  }

  // A site on nginx, its DNS record and its registration data.
  void AddSite(const std::string& host, const std::string& html = Kit(), const std::vector<std::string>& rdap_status = {}) {
    hosts_.push_back(host);
    PutPage(host, html);
    dns_[host] = {"address=/" + host + "/127.0.0.1"};
    SetRdapStatus(host, rdap_status);
  }
  void PutPage(const std::string& host, const std::string& html) {
    std::filesystem::create_directories(nginx_->dir() + "/sites/" + host);
    WriteAll(nginx_->dir() + "/sites/" + host + "/index.html", html);
  }
  void RemovePage(const std::string& host) { std::filesystem::remove_all(nginx_->dir() + "/sites/" + host); }
  void SetRdapStatus(const std::string& host, std::vector<std::string> status) {
    json d = json::parse(ReadAll(testing::Fixture("demo/rdap/domain/swedbank-secure-login.com.json")));
    d["ldhName"] = host;
    if (status.empty()) status = {"client transfer prohibited"};
    d["status"] = status;
    std::string text = testing::ReplaceAll(DumpJson(d), "abuse@registrar.eu", "abuse@registrar.test");
    WriteAll(nginx_->dir() + "/rdap/domain/" + host, text);
  }
  DnsmasqConfig Dns() const {
    DnsmasqConfig c;
    for (const auto& [host, lines] : dns_) c.lines.insert(c.lines.end(), lines.begin(), lines.end());
    return c;
  }
  void StartDns() { dnsmasq_ = std::make_unique<DnsmasqServer>(Dns()); }
  void RestartDns() { dnsmasq_->Restart(Dns()); }

  std::string Url(const std::string& host, int port = 0) {
    return "http://" + host + ":" + std::to_string(port ? port : nginx_->port()) + "/";
  }

  // The config file: every server is ours, on 127.0.0.1.
  std::string WriteConfig(const std::string& extra) {
    std::string pins = "\"*:" + std::to_string(nginx_->port()) + ":127.0.0.1\"";
    for (int p : extra_ports_) pins += ", \"*:" + std::to_string(p) + ":127.0.0.1\"";
    std::string cfg = "[general]\nstate_dir = \"" + dir_.File("state") + "\"\n"
                      "[crawl]\nallow_private = true\ndepth = 0\nmax_pages = 5\nresolve = [" + pins + "]\n"
                      "[hosting]\nsecurity_txt = false\n"
                      "[dns]\nservers = [\"" + dnsmasq_->server() + "\"]\nabusix_zone = \"\"\n"
                      "[rdap]\nbootstrap_dir = \"" + boot_.path() + "\"\n"
                      "[reporter]\norg = \"Dragnet Test CERT\"\ncontact_email = \"takedown@dragnet-test.test\"\n"
                      "domain = \"dragnet-test.test\"\n"
                      "[contacts]\nfile = \"" + contacts_ + "\"\n" + extra;
    std::string path = dir_.File("dragnet.toml");
    WriteAll(path, cfg);
    return path;
  }

  void Open(const std::string& extra) {
    config_path_ = WriteConfig(extra);
    auto c = LoadConfig(config_path_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    config_ = *c;
    life_ = std::make_unique<Lifecycle>(config_, &clock_, *shared_);
    Status st = life_->Init();
    ASSERT_TRUE(st.ok()) << st.ToString();
    scanner_ = std::make_unique<Pipeline>(config_, *shared_);
    ASSERT_TRUE(scanner_->Init().ok());
  }

  // Scans with the real pipeline (crawl, locate: DNS, RDAP), then records the
  // case through the lifecycle's reporter, on the fake clock.
  SeedResult Scan(const std::string& url) {
    ScanFlags f;
    f.report = false;
    SeedResult r = scanner_->ScanOne(url, f);
    life_->reporter().Process(r);
    return r;
  }

  monitor::RoundSummary Round(bool force = false) {
    monitor::RoundFlags f;
    f.force = force;
    auto r = life_->RunOnce(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : monitor::RoundSummary{};
  }

  reporters::CaseRecord Case(const std::string& id) {
    auto c = life_->reporter().GetCase(id);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : reporters::CaseRecord{};
  }

  std::vector<reporters::ReportItem> Items(const std::string& case_id) {
    auto i = life_->reporter().ledger()->Items(reporters::ItemQuery{"", case_id, 1000});
    EXPECT_TRUE(i.ok());
    return i.ok() ? *i : std::vector<reporters::ReportItem>{};
  }

  // Sends `eml` into the abuse mailbox over SMTP.
  void Deliver(SmtpServer& inbox, const std::string& eml, const std::string& from) {
    reporters::ReporterOptions o;
    o.smtp_url = inbox.url();
    std::string crlf;
    for (size_t i = 0; i < eml.size(); ++i) {
      if (eml[i] == '\n' && (i == 0 || eml[i - 1] != '\r')) crlf += "\r\n";
      else crlf.push_back(eml[i]);
    }
    Status st = reporters::SendSmtp(o, from, "abuse-desk@dragnet-test.test", crlf);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  // The message (Maildir file text) the relay got for `rcpt` whose text has `needle`.
  std::vector<std::string> MailsTo(SmtpServer& relay, const std::string& rcpt, const std::string& needle = "") {
    std::vector<std::string> out;
    for (const auto& p : relay.Messages()) {
      std::string m = ReadAll(p);
      if (m.find("X-RcptTo: " + rcpt) == std::string::npos) continue;
      if (!needle.empty() && Unqp(m).find(needle) == std::string::npos) continue;
      out.push_back(m);
    }
    return out;
  }

  static PipelineShared* shared_;
  TempDir dir_, boot_;
  std::unique_ptr<NginxServer> nginx_;
  std::unique_ptr<DnsmasqServer> dnsmasq_;
  std::string contacts_, config_path_;
  std::map<std::string, std::vector<std::string>> dns_;
  std::vector<std::string> hosts_;
  std::vector<int> extra_ports_;
  reporters::test::FakeClock clock_{SystemClock::Instance().NowUnixMs()};
  Config config_;
  std::unique_ptr<Lifecycle> life_;
  std::unique_ptr<Pipeline> scanner_;
};

PipelineShared* LifecycleTest::shared_ = nullptr;

// ------------------------------------------------------- each signal class

TEST_F(LifecycleTest, ASiteGoesDownByEachSignalClassAndWhoActedIsRecorded) {
  // A second nginx for the site whose server goes away (connection refused).
  auto nginx2 = std::make_unique<NginxServer>(kNginx);
  extra_ports_.push_back(nginx2->port());
  std::filesystem::create_directories(nginx2->dir() + "/sites/kit-refused.test");
  WriteAll(nginx2->dir() + "/sites/kit-refused.test/index.html", Kit());
  const std::vector<std::string> sites = {"kit-nx.test",     "kit-dnsonly.test", "kit-gone.test",
                                          "kit-suspended.test", "kit-parked.test", "kit-hold.test",
                                          "kit-benign.test", "kit-cdn.test",     "kit-nodata.test",
                                          "kit-up.test"};
  for (const auto& s : sites) AddSite(s);
  dns_["kit-refused.test"] = {"address=/kit-refused.test/127.0.0.1"};
  SetRdapStatus("kit-refused.test", {});
  StartDns();
  Open("[monitor]\ninterval = \"1h\"\nconfirm_down = 2\n");

  std::map<std::string, std::string> id;
  for (const auto& s : sites) {
    SeedResult r = Scan(Url(s));
    ASSERT_EQ(r.verdict->label, "malicious") << s << ": " << r.verdict->score;
    id[s] = r.case_id;
    ASSERT_EQ(Case(r.case_id).status, reporters::kCaseReported) << s;
  }
  SeedResult refused = Scan(Url("kit-refused.test", nginx2->port()));
  id["kit-refused.test"] = refused.case_id;
  ASSERT_EQ(Case(refused.case_id).status, reporters::kCaseReported);

  // ---- the takedowns ----
  dns_.erase("kit-nx.test");
  RemovePage("kit-nx.test");
  dns_.erase("kit-dnsonly.test");                  // DNS gone, the host still serves the kit
  RemovePage("kit-gone.test");                     // 404
  PutPage("kit-suspended.test", Page("cpanel-suspended.html"));
  dns_["kit-parked.test"].push_back(testing::DnsmasqNsRecord("kit-parked.test", "ns1.sedoparking.com"));
  PutPage("kit-parked.test", Page("parked.html"));
  SetRdapStatus("kit-hold.test", {"client hold", "client transfer prohibited"});
  dns_.erase("kit-hold.test");                     // a hold takes the name out of the zone
  PutPage("kit-benign.test", Page("benign.html"));
  PutPage("kit-cdn.test", Page("cloudflare-phishing-warning.html"));
  dns_["kit-nodata.test"] = {"mx-host=kit-nodata.test,mail.kit-nodata.test,10"};
  RestartDns();
  nginx2.reset();                                  // connection refused

  const int64_t reported = Case(id["kit-up.test"]).reported_ms;
  clock_.Advance(kHour);  // the first re-check is due `interval` after the report
  const int64_t first_check = clock_.NowUnixMs();
  monitor::RoundSummary r1 = Round();
  EXPECT_EQ(r1.checked, 11);
  EXPECT_EQ(r1.down, 10);
  EXPECT_EQ(r1.up, 1);
  EXPECT_EQ(r1.taken_down, 0) << "one down check is not enough (confirm_down = 2)";
  for (const auto& [s, cid] : id) EXPECT_NE(Case(cid).status, reporters::kCaseDown) << s;
  clock_.Advance(kHour);
  monitor::RoundSummary r2 = Round();
  EXPECT_EQ(r2.checked, 10);
  EXPECT_EQ(r2.taken_down, 10);

  struct Want {
    const char* site;
    const char* signal;
    const char* actor;
  };
  const Want want[] = {{"kit-nx.test", "dns_nxdomain", "registrar"},
                       {"kit-dnsonly.test", "dns_nxdomain", "registrar"},
                       {"kit-gone.test", "http_gone", "host"},
                       {"kit-suspended.test", "suspended_page", "host"},
                       {"kit-parked.test", "parked_ns", "registrar"},
                       {"kit-hold.test", "rdap_hold", "registrar"},
                       {"kit-benign.test", "content_benign", "host"},
                       {"kit-cdn.test", "cdn_block", "cdn"},
                       {"kit-nodata.test", "dns_no_address", "host"},
                       {"kit-refused.test", "unreachable", "host"}};
  for (const auto& w : want) {
    reporters::CaseRecord c = Case(id[w.site]);
    EXPECT_EQ(c.status, reporters::kCaseDown) << w.site;
    EXPECT_EQ(c.takedown_signal, w.signal) << w.site;
    EXPECT_EQ(c.takedown_actor, w.actor) << w.site;
    EXPECT_EQ(c.taken_down_ms, first_check) << w.site << ": taken down when first seen down";
    EXPECT_EQ(c.label, "malicious") << w.site << ": a takedown never rewrites the verdict";
    // The history: the scan and both re-checks, each with its evidence.
    auto obs = life_->reporter().cases()->Observations(c.case_id, 100);
    ASSERT_TRUE(obs.ok());
    ASSERT_EQ(obs->size(), 3u) << w.site;
    EXPECT_EQ((*obs)[0].source, "scan");
    EXPECT_EQ((*obs)[2].source, "monitor");
    EXPECT_EQ((*obs)[2].outcome, "down");
    ASSERT_FALSE((*obs)[2].signals.empty()) << w.site;
    EXPECT_EQ((*obs)[2].signals[0]["signal"], w.signal) << w.site;
    EXPECT_FALSE((*obs)[2].signals[0]["evidence"].get<std::string>().empty());
  }
  // The still-up site: watched, never downgraded; found up, its next check
  // backs off (1h x 1.5), so the second round did not re-check it.
  reporters::CaseRecord up = Case(id["kit-up.test"]);
  EXPECT_EQ(up.status, reporters::kCaseReported);
  EXPECT_EQ(up.checks, 1);
  EXPECT_EQ(up.next_check_ms, first_check + 90 * kMin);
  EXPECT_EQ(up.reported_ms, reported);
  EXPECT_GT(up.next_check_ms, clock_.NowUnixMs());
  // DNS gone while the last address still serves the kit: a takedown at DNS level only.
  auto notes = [&](const std::string& site) {
    auto obs = life_->reporter().cases()->Observations(id[site], 100);
    std::string all;
    for (const auto& s : obs->back().signals) all += s["signal"].get<std::string>() + ": " + s["evidence"].get<std::string>() + "\n";
    return all;
  };
  EXPECT_NE(notes("kit-dnsonly.test").find("dns_only: DNS is gone but 127.0.0.1 still serves the kit"), std::string::npos)
      << notes("kit-dnsonly.test");
  EXPECT_NE(notes("kit-nx.test").find("ip_clean"), std::string::npos) << notes("kit-nx.test");
  EXPECT_NE(notes("kit-nodata.test").find("dns_only"), std::string::npos) << notes("kit-nodata.test");

  // What an analyst sees: `dragnet cases show --json`.
  auto show = testing::Run({testing::DragnetBinary(), "--config", config_path_, "cases", "show", id["kit-hold.test"], "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  json doc = json::parse(show.out);
  EXPECT_EQ(doc["status"], "down");
  EXPECT_EQ(doc["takedown_signal"], "rdap_hold");
  EXPECT_EQ(doc["takedown_actor"], "registrar");
  EXPECT_EQ(doc["taken_down_at"], FormatRfc3339Ms(first_check));
  int observations = 0, status_changes = 0;
  for (const auto& e : doc["timeline"]) {
    observations += e["type"] == "observation";
    if (e["type"] == "status" && e["to"] == "down") ++status_changes;
  }
  EXPECT_EQ(observations, 3);
  EXPECT_EQ(status_changes, 1);
  auto text = testing::Run({testing::DragnetBinary(), "--config", config_path_, "cases", "show", id["kit-hold.test"]});
  EXPECT_NE(text.out.find("RDAP status 'client hold'"), std::string::npos) << text.out;
  auto list = testing::Run({testing::DragnetBinary(), "--config", config_path_, "cases", "list", "--status", "down"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  // A header, ten cases, the count.
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 12) << list.out;
  EXPECT_EQ(list.out.rfind("CASE ", 0), 0u) << list.out;
  EXPECT_NE(list.out.find("\n10 cases, newest first\n"), std::string::npos) << list.out;
  auto bad = testing::Run({testing::DragnetBinary(), "--config", config_path_, "cases", "list", "--status", "no_report"});
  EXPECT_EQ(bad.exit_code, 2);
  // `dragnet monitor` itself, on one case, as the README writes it.
  auto once = testing::Run({testing::DragnetBinary(), "--config", config_path_, "monitor", "--once", "--case",
                            id["kit-up.test"], "--json"},
                           "", 120000);
  ASSERT_EQ(once.exit_code, 0) << once.err;
  json round = json::parse(once.out);
  EXPECT_EQ(round["checked"], 1);
  EXPECT_EQ(round["up"], 1);
  EXPECT_EQ(Case(id["kit-up.test"]).checks, 2);
}

// ----------------------------------------------------------- coming back

TEST_F(LifecycleTest, ASiteThatComesBackIsReopenedWithAReportReferencingTheFirst) {
  SmtpServer relay;
  AddSite("kit-back.test");
  StartDns();
  Open("[monitor]\ninterval = \"1h\"\nconfirm_down = 1\nmax_interval = \"6h\"\n[delivery]\nenabled = true\n"
       "[delivery.smtp]\nurl = \"" + relay.url() + "\"\nfrom = \"takedown@dragnet-test.test\"\n");
  SeedResult r = Scan(Url("kit-back.test"));
  auto first = Items(r.case_id);
  ASSERT_EQ(first.size(), 2u);
  for (const auto& i : first) ASSERT_EQ(i.status, "sent") << i.recipient;
  RemovePage("kit-back.test");
  clock_.Advance(kHour);
  Round();
  ASSERT_EQ(Case(r.case_id).status, reporters::kCaseDown);
  PutPage("kit-back.test", Kit());
  clock_.Advance(6 * kHour);  // a down case is re-checked every max_interval
  monitor::RoundSummary s = Round();
  EXPECT_EQ(s.reopened, 1);
  reporters::CaseRecord c = Case(r.case_id);
  EXPECT_EQ(c.status, reporters::kCaseReported);
  EXPECT_EQ(c.reopened, 1);
  EXPECT_EQ(c.taken_down_ms, 0);
  std::map<std::string, std::string> first_message;
  for (const auto& i : first) first_message[i.recipient] = i.message_id;
  int reopen = 0;
  for (const auto& i : Items(r.case_id)) {
    if (i.stage != reporters::kStageReopen) continue;
    ++reopen;
    EXPECT_EQ(i.status, "sent") << i.recipient;
    EXPECT_EQ(i.escalation_of, first_message[i.recipient]) << "references the first report to the same recipient";
    auto mails = MailsTo(relay, i.recipient.substr(7), "BACK UP");
    ASSERT_EQ(mails.size(), 1u) << i.recipient;
    EXPECT_NE(mails[0].find("In-Reply-To: <" + i.escalation_of + "@dragnet-test.test>"), std::string::npos);
    EXPECT_NE(mails[0].find("Back up: "), std::string::npos) << "subject says so";
  }
  EXPECT_EQ(reopen, 2);
  // The timeline tells the story in order.
  auto t = life_->reporter().Timeline(r.case_id);
  ASSERT_TRUE(t.ok());
  std::vector<std::string> statuses;
  for (const auto& e : *t) {
    if (e.type == "status") statuses.push_back(e.data["to"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"reported", "down", "reported"}));
}

// ------------------------------------------------------------- escalation

TEST_F(LifecycleTest, EscalationAfterAShortAfterFollowsUpOnceThenAsksTheNextLevelOnce) {
  SmtpServer relay;
  AddSite("kit-slow.test");
  StartDns();
  Open("[monitor]\ninterval = \"30m\"\nbackoff = 1.0\n[escalation]\nafter = \"2h\"\n"
       "[escalation.after_by_kind]\nhosting = \"1h\"\n[delivery]\nenabled = true\n"
       "[delivery.smtp]\nurl = \"" + relay.url() + "\"\nfrom = \"takedown@dragnet-test.test\"\n");
  SeedResult r = Scan(Url("kit-slow.test"));
  std::map<std::string, std::string> first;
  for (const auto& i : Items(r.case_id)) first[i.kind] = i.message_id;
  ASSERT_EQ(first.size(), 2u);
  const std::string& outbox = life_->reporter().outbox_dir();

  clock_.Advance(kHour);  // hosting's `after` (1h) has passed, the registrar's (2h) not
  monitor::RoundSummary s = Round();
  EXPECT_EQ(s.follow_ups, 1);
  EXPECT_EQ(Case(r.case_id).status, reporters::kCaseEscalated);
  clock_.Advance(kHour);
  s = Round();
  EXPECT_EQ(s.follow_ups, 1) << "the registrar's turn";
  EXPECT_EQ(s.escalations, 0);
  clock_.Advance(kHour);  // 2h after the first follow-up: the next level
  s = Round();
  EXPECT_EQ(s.follow_ups, 0);
  EXPECT_EQ(s.escalations, 1);
  for (int i = 0; i < 6; ++i) {  // still up for days: nothing is sent twice
    clock_.Advance(12 * kHour);
    s = Round();
    EXPECT_EQ(s.follow_ups + s.escalations, 0);
  }
  std::map<std::string, int> by_stage;
  for (const auto& i : Items(r.case_id)) {
    ++by_stage[i.stage];
    if (i.stage == reporters::kStageFollowUp) {
      EXPECT_EQ(i.escalation_of, first[i.kind]) << "a follow-up follows the first report to the same recipient";
      EXPECT_EQ(i.status, "sent");
      json meta = json::parse(ReadAll(outbox + "/" + i.message_id + ".json"));
      EXPECT_EQ(meta["escalation_of"], i.escalation_of) << "the outbox record carries escalation_of";
      EXPECT_EQ(meta["stage"], "follow_up");
      auto mails = MailsTo(relay, i.recipient.substr(7), "FOLLOW-UP to our report");
      ASSERT_EQ(mails.size(), 1u);
      EXPECT_NE(mails[0].find("Follow-up: "), std::string::npos);
      EXPECT_NE(Unqp(mails[0]).find("Message-ID <" + i.escalation_of + "@dragnet-test.test>"), std::string::npos);
    }
    if (i.stage == reporters::kStageEscalation) {
      EXPECT_EQ(i.recipient, "mailto:abuse@registry.test");
      EXPECT_EQ(i.kind, "registry");
      json meta = json::parse(ReadAll(outbox + "/" + i.message_id + ".json"));
      EXPECT_FALSE(meta["escalation_of"].is_null());
      EXPECT_EQ(MailsTo(relay, "abuse@registry.test", "ESCALATION").size(), 1u);
    }
  }
  EXPECT_EQ(by_stage["report"], 2);
  EXPECT_EQ(by_stage["follow_up"], 2);
  EXPECT_EQ(by_stage["escalation"], 1);
}

// ---------------------------------------------------------------- replies

TEST_F(LifecycleTest, ABounceMarksTheAddressBadAndSendsTheReportByTheNextRoute) {
  SmtpServer relay, inbox;
  AddSite("kit-bounce.test");
  StartDns();
  Open("[delivery]\nenabled = true\n[delivery.smtp]\nurl = \"" + relay.url() +
       "\"\nfrom = \"takedown@dragnet-test.test\"\n[inbox]\nmaildir = \"" + inbox.maildir() + "\"\n");
  SeedResult r = Scan(Url("kit-bounce.test"));
  std::string registrar_msg;
  for (const auto& i : Items(r.case_id)) {
    if (i.kind == "registrar") registrar_msg = i.message_id;
  }
  ASSERT_FALSE(registrar_msg.empty());
  std::string dsn = Mail("dsn-postfix.eml");
  dsn = testing::ReplaceAll(dsn, "11111111-2222-4333-8444-555555555555", registrar_msg);
  dsn = testing::ReplaceAll(dsn, "DN-0123456789AB", r.case_id);
  Deliver(inbox, dsn, "mailer-daemon@mx.registrar.test");
  clock_.Advance(kMin);
  monitor::RoundSummary s = Round();
  EXPECT_EQ(s.bounces, 1);
  EXPECT_EQ(s.reroutes, 1);
  auto bad = life_->reporter().ledger()->GetBad("abuse@registrar.test");
  ASSERT_TRUE(bad.ok() && bad->has_value());
  EXPECT_EQ((*bad)->message_id, registrar_msg);
  EXPECT_NE((*bad)->reason.find("5.1.1"), std::string::npos);
  bool rerouted = false;
  for (const auto& i : Items(r.case_id)) {
    if (i.message_id == registrar_msg) {
      EXPECT_EQ(i.status, "bounced");
    }
    if (i.recipient == "mailto:abuse@registry.test") {
      rerouted = true;
      EXPECT_EQ(i.stage, reporters::kStageReport);
      EXPECT_EQ(i.escalation_of, registrar_msg);
      EXPECT_EQ(i.status, "sent");
    }
  }
  EXPECT_TRUE(rerouted);
  auto mails = MailsTo(relay, "abuse@registry.test", "bounced; we send it to you as the next route");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("In-Reply-To: <" + registrar_msg + "@dragnet-test.test>"), std::string::npos);
  // The timeline has the bounce, and the address is never used again.
  auto t = life_->reporter().Timeline(r.case_id);
  ASSERT_TRUE(t.ok());
  bool bounce_event = false;
  for (const auto& e : *t) bounce_event |= e.type == "bounce" && e.summary.find("abuse@registrar.test") != std::string::npos;
  EXPECT_TRUE(bounce_event);
  EXPECT_EQ(Round().bounces, 0) << "a message is read once";
  clock_.Advance(80 * kHour);  // past rereport_after: a rescan files again, but not to the bad address
  SeedResult again = Scan(Url("kit-bounce.test"));
  bool skipped = false;
  for (const auto& rep : again.reports) {
    if (rep.recipient == "abuse@registrar.test") {
      skipped = rep.status == "skipped" && rep.reason.find("bounced") != std::string::npos;
    }
  }
  EXPECT_TRUE(skipped);
}

TEST_F(LifecycleTest, AnAutoAcknowledgementIsThreadedAndItsTicketQuotedInTheFollowUp) {
  SmtpServer relay, inbox;
  AddSite("kit-ack.test");
  StartDns();
  Open("[escalation]\nafter = \"2h\"\n[monitor]\ninterval = \"1h\"\n[delivery]\nenabled = true\n[delivery.smtp]\nurl = \"" +
       relay.url() + "\"\nfrom = \"takedown@dragnet-test.test\"\n[inbox]\nmaildir = \"" + inbox.maildir() + "\"\n");
  SeedResult r = Scan(Url("kit-ack.test"));
  std::string registrar_msg;
  for (const auto& i : Items(r.case_id)) {
    if (i.kind == "registrar") registrar_msg = i.message_id;
  }
  std::string ack = Mail("ack-otrs.eml");
  ack = testing::ReplaceAll(ack, "11111111-2222-4333-8444-555555555555", registrar_msg);
  ack = testing::ReplaceAll(ack, "DN-0123456789AB", r.case_id);
  Deliver(inbox, ack, "abuse@registrar.test");
  // Our own reports copied into the mailbox are not answers.
  for (const auto& p : relay.Messages()) Deliver(inbox, ReadAll(p), "takedown@dragnet-test.test");
  clock_.Advance(kMin);
  monitor::RoundSummary s = Round();
  EXPECT_EQ(s.acks, 1);
  EXPECT_EQ(s.replies, 0);
  auto m = life_->reporter().ledger()->GetMessage(registrar_msg);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->ticket, "2026113010000042");
  auto t = life_->reporter().Timeline(r.case_id);
  bool threaded = false;
  for (const auto& e : *t) {
    if (e.type == "reply") {
      threaded = true;
      EXPECT_EQ(e.data["kind"], "auto_ack");
      EXPECT_EQ(e.data["ticket"], "2026113010000042");
      EXPECT_EQ(e.data["in_reply_to"], registrar_msg);
    }
  }
  EXPECT_TRUE(threaded);
  clock_.Advance(2 * kHour);
  s = Round();
  EXPECT_EQ(s.follow_ups, 2);
  auto mails = MailsTo(relay, "abuse@registrar.test", "your ticket 2026113010000042");
  EXPECT_EQ(mails.size(), 1u) << "the follow-up quotes the ticket number";
}

// ------------------------------------------------------------ statistics

TEST_F(LifecycleTest, StatsMatchHandComputedValues) {
  AddSite("kit-fast.test");
  AddSite("kit-slowish.test");
  AddSite("kit-stays.test");
  StartDns();
  Open("[monitor]\nconfirm_down = 1\n");
  const int64_t t0 = clock_.NowUnixMs();
  for (const auto& h : hosts_) Scan(Url(h));
  RemovePage("kit-fast.test");
  clock_.Advance(kHour);
  Round(/*force=*/true);
  RemovePage("kit-slowish.test");
  clock_.Advance(4 * kHour);
  Round(/*force=*/true);
  // Down after 3600 s and 18000 s; one still up. Median (lower middle) 3600,
  // p90 = 2nd of 2 = 18000. Each recipient was given all three at t0.
  auto out = testing::Run({testing::DragnetBinary(), "--config", config_path_, "stats", "--json"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  json st = json::parse(out.out);
  EXPECT_EQ(st["reported"], 3);
  EXPECT_EQ(st["taken_down"], 2);
  EXPECT_EQ(st["still_up"], 1);
  EXPECT_EQ(st["median_time_to_takedown_s"], 3600);
  EXPECT_EQ(st["p90_time_to_takedown_s"], 18000);
  ASSERT_EQ(st["by_recipient"].size(), 2u);
  for (const auto& row : st["by_recipient"]) {
    EXPECT_EQ(row["reported"], 3);
    EXPECT_EQ(row["taken_down"], 2);
    EXPECT_EQ(row["median_time_to_takedown_s"], 3600);
  }
  EXPECT_EQ(st["by_tld"][0]["tld"], "test");
  EXPECT_EQ(st["by_country"][0]["country"], "unknown");
  auto since = testing::Run({testing::DragnetBinary(), "--config", config_path_, "stats", "--json", "--since",
                             FormatRfc3339((t0 + kMin) / 1000)});
  EXPECT_EQ(json::parse(since.out)["reported"], 0) << "--since filters on the first report";
  auto human = testing::Run({testing::DragnetBinary(), "--config", config_path_, "stats"});
  EXPECT_NE(human.out.find("Reported 3, taken down 2, still up 1"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("median 1h 0m, p90 5h 0m"), std::string::npos) << human.out;
}

// ------------------------------------------------------ the daemon's role

TEST_F(LifecycleTest, TheDaemonsMonitorRolePublishesCasesByStatusAndTimeToTakedown) {
  AddSite("kit-daemon.test");
  StartDns();
  Open("[monitor]\ninterval = \"1s\"\nconfirm_down = 1\ntick = \"200ms\"\n");
  SeedResult r = Scan(Url("kit-daemon.test"));
  RemovePage("kit-daemon.test");
  Metrics metrics;
  DescribeDaemonMetrics(metrics);
  MonitorRole role(config_, &metrics);  // the system clock, as in the daemon
  ASSERT_TRUE(role.Start().ok());
  // Wait (bounded) for the role's rounds to see the case down; no timing is asserted.
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text = metrics.Render();
    if (text.find("dragnet_time_to_takedown_seconds_count 1") != std::string::npos &&
        text.find("dragnet_cases{status=\"down\"} 1") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  role.Stop();
  EXPECT_NE(text.find("dragnet_cases{status=\"down\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("dragnet_cases{status=\"reported\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("dragnet_time_to_takedown_seconds_count 1"), std::string::npos) << text;
  EXPECT_NE(text.find("dragnet_monitor_checks_total{outcome=\"down\"}"), std::string::npos) << text;
  EXPECT_EQ(Case(r.case_id).takedown_signal, "http_gone");
}

}  // namespace
}  // namespace dragnet::app
