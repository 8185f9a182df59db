// The monitor's pure parts: takedown signal classification, the state
// machine and schedule, escalation decisions, statistics against
// hand-computed figures, the signature table and the options.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "core/clock.h"
#include "monitor/escalation.h"
#include "monitor/lifecycle.h"
#include "monitor/options.h"
#include "monitor/signals.h"
#include "monitor/signatures.h"
#include "monitor/stats.h"
#include "tests/harness/harness.h"

namespace dragnet::monitor {
namespace {

using reporters::CaseRecord;
using reporters::ReportItem;

constexpr int64_t kMin = 60'000;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kT0 = 1'796'000'000'000;  // 2026-11-30

Signatures Sigs() {
  auto s = Signatures::Load(dragnet::testing::SourceDir() + "/config/takedown.toml");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

// A re-check that found the kit still served by name.
ProbeResult Up() {
  ProbeResult p;
  p.url = "http://kit.test/";
  p.dns_checked = true;
  p.dns_status = "ok";
  p.addresses = {"192.0.2.10"};
  p.nameservers = {"ns1.dns-host.test"};
  p.fetched = true;
  p.status = 200;
  p.final_url = p.url;
  p.title = "Swedbank – Logga in";
  p.text = "Logga in med BankID";
  p.score = 92;
  p.label = "malicious";
  p.credible = true;
  p.rdap_checked = true;
  p.rdap_status = {"client transfer prohibited"};
  return p;
}

CaseFacts Facts() {
  CaseFacts f;
  f.kit_sha256 = {"aaaa"};
  f.review_threshold = 40;
  return f;
}

// ------------------------------------------------------------------ signals

TEST(Signals, StillServingTheKitIsUp) {
  CheckOutcome o = Classify(Up(), Facts(), Sigs());
  EXPECT_EQ(o.outcome, "up");
  EXPECT_EQ(o.primary(), nullptr);
}

TEST(Signals, EachSignalClassAndWhoActed) {
  Signatures sigs = Sigs();
  struct Case {
    const char* what;
    std::function<void(ProbeResult&)> change;
    const char* signal;
    const char* actor;
  };
  const Case cases[] = {
      {"nxdomain", [](ProbeResult& p) { p.dns_status = "nxdomain"; p.addresses.clear(); p.fetched = false; },
       "dns_nxdomain", "registrar"},
      {"no address", [](ProbeResult& p) { p.dns_status = "nodata"; p.addresses.clear(); p.fetched = false; },
       "dns_no_address", "host"},
      {"client hold", [](ProbeResult& p) {
         p.rdap_status = {"client hold"}; p.dns_status = "nxdomain"; p.fetched = false; },
       "rdap_hold", "registrar"},
      {"server hold", [](ProbeResult& p) {
         p.rdap_status = {"serverHold"}; p.dns_status = "nxdomain"; p.fetched = false; },
       "rdap_hold", "registry"},
      {"redemption", [](ProbeResult& p) {
         p.rdap_status = {"redemption period"}; p.dns_status = "nxdomain"; p.fetched = false; },
       "rdap_deleted", "registrar"},
      {"refused", [](ProbeResult& p) {
         p.status = 0; p.error_kind = "connect"; p.error = "connect: Connection refused"; p.score.reset();
         p.credible = false; },
       "unreachable", "host"},
      {"timeout", [](ProbeResult& p) {
         p.status = 0; p.error_kind = "timeout"; p.error = "timeout: 30000 ms"; p.credible = false; },
       "unreachable", "host"},
      {"404", [](ProbeResult& p) { p.status = 404; p.score = 0; p.label = "benign"; }, "http_gone", "host"},
      {"410", [](ProbeResult& p) { p.status = 410; }, "http_gone", "host"},
      {"451", [](ProbeResult& p) { p.status = 451; }, "http_gone", "host"},
      {"cpanel", [](ProbeResult& p) {
         p.title = "Account Suspended"; p.text = "This Account has been suspended."; p.score = 5; p.label = "benign"; },
       "suspended_page", "host"},
      {"nginx default", [](ProbeResult& p) { p.title = "Welcome to nginx!"; p.score = 0; p.label = "benign"; },
       "default_page", "host"},
      {"parking page", [](ProbeResult& p) {
         p.title = "example.test"; p.text = "This domain may be for sale! Inquire now."; p.score = 10; },
       "parked_page", "registrar"},
      {"parking ns", [](ProbeResult& p) {
         p.nameservers = {"ns1.sedoparking.com."}; p.score = 10; p.label = "benign"; p.text = "ads"; },
       "parked_ns", "registrar"},
      {"suspension ns", [](ProbeResult& p) {
         p.nameservers = {"ns1.suspended-domain.com"}; p.score = 0; p.label = "benign"; },
       "suspended_ns", "registrar"},
      {"cdn block", [](ProbeResult& p) {
         p.title = "Suspected phishing site | Cloudflare"; p.score = 0; p.label = "benign"; },
       "cdn_block", "cdn"},
      {"benign now", [](ProbeResult& p) { p.score = 12; p.label = "benign"; p.title = "Hello"; p.text = "a blog"; },
       "content_benign", "host"},
      {"502", [](ProbeResult& p) { p.status = 502; }, "http_server_error", "host"},
  };
  for (const auto& c : cases) {
    ProbeResult p = Up();
    c.change(p);
    CheckOutcome o = Classify(p, Facts(), sigs);
    ASSERT_EQ(o.outcome, "down") << c.what << ": " << o.summary;
    ASSERT_NE(o.primary(), nullptr) << c.what;
    EXPECT_EQ(o.primary()->signal, c.signal) << c.what;
    EXPECT_EQ(o.primary()->actor, c.actor) << c.what;
    EXPECT_FALSE(o.primary()->evidence.empty()) << c.what;
  }
}

TEST(Signals, DnsGoneButLastAddressStillServesTheKitIsNoted) {
  ProbeResult p = Up();
  p.dns_status = "nxdomain";
  p.addresses.clear();
  p.fetched = false;
  p.ip_checked = true;
  p.ip = "192.0.2.10";
  p.ip_status = 200;
  p.ip_body_sha256 = {"aaaa"};  // the kit's own body
  CheckOutcome o = Classify(p, Facts(), Sigs());
  EXPECT_EQ(o.outcome, "down");
  EXPECT_EQ(o.primary()->signal, "dns_nxdomain");
  bool noted = false;
  for (const auto& s : o.signals) {
    if (s.signal == "dns_only") {
      noted = true;
      EXPECT_FALSE(s.down);
      EXPECT_NE(s.evidence.find("192.0.2.10 still serves the kit"), std::string::npos) << s.evidence;
      EXPECT_NE(s.evidence.find("DNS level only"), std::string::npos);
    }
  }
  EXPECT_TRUE(noted);
  // And when it no longer does:
  p.ip_body_sha256 = {"bbbb"};
  p.ip_status = 404;
  o = Classify(p, Facts(), Sigs());
  EXPECT_EQ(o.signals.back().signal, "ip_clean");
}

TEST(Signals, HoldInRdapWhileTheKitStillAnswersByNameIsOnlyANote) {
  ProbeResult p = Up();
  p.rdap_status = {"client hold"};
  CheckOutcome o = Classify(p, Facts(), Sigs());
  EXPECT_EQ(o.outcome, "up");
  ASSERT_FALSE(o.signals.empty());
  EXPECT_FALSE(o.signals.front().down);
  EXPECT_NE(o.signals.front().evidence.find("still serves the kit"), std::string::npos);
}

TEST(Signals, OurOwnFailuresAreUnknownNotDown) {
  ProbeResult p = Up();
  p.dns_status = "servfail";
  p.status = 0;
  p.error_kind = "refused";  // the SSRF guard: our side, not the site's
  p.error = "refused: 10.0.0.1 is private";
  p.credible = false;
  EXPECT_EQ(Classify(p, Facts(), Sigs()).outcome, "unknown");
  ProbeResult q;  // nothing checked at all
  EXPECT_EQ(Classify(q, Facts(), Sigs()).outcome, "unknown");
}

// ----------------------------------------------------------- state machine

CaseRecord Reported() {
  CaseRecord c;
  c.case_id = "DN-000000000001";
  c.status = reporters::kCaseReported;
  c.reported_ms = kT0;
  c.next_check_ms = kT0 + 2 * kHour;
  return c;
}

CheckOutcome Outcome(const char* o, const char* signal = "http_gone", const char* actor = "host") {
  CheckOutcome out;
  out.outcome = o;
  if (std::string(o) == "down") out.signals.push_back({signal, actor, true, "HTTP 404 from http://kit.test/"});
  out.summary = o;
  return out;
}

TEST(Lifecycle, IntervalBacksOffToTheMaximum) {
  MonitorOptions o;  // 2h, x1.5, 24h
  EXPECT_EQ(IntervalAfter(o, 0), 2 * kHour);
  EXPECT_EQ(IntervalAfter(o, 1), 3 * kHour);
  EXPECT_EQ(IntervalAfter(o, 2), 4 * kHour + 30 * kMin);
  EXPECT_EQ(IntervalAfter(o, 50), 24 * kHour);
  EXPECT_EQ(IntervalAfter(o, 1'000'000), 24 * kHour);
}

TEST(Lifecycle, DownOnlyAfterConfirmDownChecksInARowAndTakenDownAtTheFirst) {
  MonitorOptions o;
  o.confirm_down = 3;
  CaseRecord c = Reported();
  Transition t = ApplyCheck(o, c, Outcome("down"), kT0 + 2 * kHour);
  EXPECT_FALSE(t.status_changed);
  EXPECT_EQ(t.after.next_check_ms, kT0 + 4 * kHour) << "a streak is confirmed at the base interval";
  t = ApplyCheck(o, t.after, Outcome("unknown"), kT0 + 4 * kHour);  // neither confirms nor breaks
  EXPECT_EQ(t.after.down_streak, 1);
  t = ApplyCheck(o, t.after, Outcome("down"), kT0 + 6 * kHour);
  EXPECT_FALSE(t.status_changed);
  t = ApplyCheck(o, t.after, Outcome("down", "dns_nxdomain", "registrar"), kT0 + 8 * kHour);
  ASSERT_TRUE(t.status_changed);
  EXPECT_TRUE(t.taken_down);
  EXPECT_EQ(t.after.status, reporters::kCaseDown);
  EXPECT_EQ(t.after.taken_down_ms, kT0 + 2 * kHour);
  EXPECT_EQ(t.after.takedown_signal, "dns_nxdomain");
  EXPECT_EQ(t.after.takedown_actor, "registrar");
  EXPECT_EQ(t.after.next_check_ms, kT0 + 8 * kHour + o.max_interval_ms) << "watched for a comeback";
}

TEST(Lifecycle, AnUpCheckBreaksTheStreak) {
  MonitorOptions o;
  CaseRecord c = Reported();
  Transition t = ApplyCheck(o, c, Outcome("down"), kT0 + 2 * kHour);
  t = ApplyCheck(o, t.after, Outcome("up"), kT0 + 4 * kHour);
  EXPECT_EQ(t.after.down_streak, 0);
  t = ApplyCheck(o, t.after, Outcome("down"), kT0 + 7 * kHour);
  EXPECT_EQ(t.after.status, reporters::kCaseReported);
  EXPECT_EQ(t.after.down_since_ms, kT0 + 7 * kHour);
}

TEST(Lifecycle, StillUpAfterGiveUpIsUnresolvedAndNoLongerWatched) {
  MonitorOptions o;
  CaseRecord c = Reported();
  Transition t = ApplyCheck(o, c, Outcome("up"), kT0 + 29 * kDay);
  EXPECT_EQ(t.after.status, reporters::kCaseReported);
  t = ApplyCheck(o, t.after, Outcome("up"), kT0 + 30 * kDay);
  EXPECT_TRUE(t.gave_up);
  EXPECT_EQ(t.after.status, reporters::kCaseUnresolved);
  EXPECT_EQ(t.after.next_check_ms, -1);
}

TEST(Lifecycle, ComingBackAfterDownReopens) {
  MonitorOptions o;
  o.confirm_down = 1;
  Transition t = ApplyCheck(o, Reported(), Outcome("down"), kT0 + 2 * kHour);
  ASSERT_EQ(t.after.status, reporters::kCaseDown);
  t = ApplyCheck(o, t.after, Outcome("up"), kT0 + 26 * kHour);
  EXPECT_TRUE(t.reopened);
  EXPECT_EQ(t.after.status, reporters::kCaseReported);
  EXPECT_EQ(t.after.reopened, 1);
  EXPECT_EQ(t.after.taken_down_ms, 0);
  EXPECT_EQ(t.after.reported_ms, kT0) << "the first report stays the start of the story";
  EXPECT_NE(t.why.find("came back"), std::string::npos);
}

TEST(Lifecycle, FirstCheckComesIntervalAfterTheReport) {
  MonitorOptions o;
  CaseRecord c = Reported();
  c.next_check_ms = 0;
  EXPECT_EQ(FirstCheckAt(o, c, kT0 + kMin), kT0 + 2 * kHour);
}

// -------------------------------------------------------------- escalation

ReportItem Sent(const std::string& rcpt, const std::string& kind, int64_t at, const std::string& msg) {
  ReportItem i;
  i.case_id = "DN-000000000001";
  i.url = "http://kit.test/";
  i.recipient = "mailto:" + rcpt;
  i.recipient_name = "Someone (" + kind + ")";
  i.kind = kind;
  i.status = "sent";
  i.stage = reporters::kStageReport;
  i.message_id = msg;
  i.report_id = "r-" + msg;
  i.created_ms = at;
  i.sent_ms = at;
  return i;
}

TEST(Escalation, FollowUpPerRecipientAfterItsKindsDelayThenNextLevelOnce) {
  MonitorOptions o;
  o.escalate_after_ms = 48 * kHour;
  o.after_by_kind_ms["hosting"] = 24 * kHour;
  std::vector<ReportItem> items = {Sent("abuse@registrar.test", "registrar", kT0, "m1"),
                                   Sent("abuse@hosting.test", "hosting", kT0, "m2"),
                                   Sent("cert@cert.test", "cert", kT0, "m3")};
  reporters::Recipient registry;
  registry.key = "mailto:abuse@registry.test";
  registry.route = "email";
  registry.kind = "registry";
  std::vector<reporters::Recipient> next = {registry};
  EXPECT_TRUE(DecideEscalations(o, items, next, 0, kT0 + 23 * kHour).empty());
  auto a = DecideEscalations(o, items, next, 0, kT0 + 24 * kHour);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].stage, reporters::kStageFollowUp);
  EXPECT_EQ(a[0].recipient.key, "mailto:abuse@hosting.test");
  EXPECT_EQ(a[0].escalation_of, "m2");
  // The follow-up to hosting went out at +24h; the registrar's is due at +48h;
  // the CERT is never chased.
  ReportItem fu = Sent("abuse@hosting.test", "hosting", kT0 + 24 * kHour, "m4");
  fu.stage = reporters::kStageFollowUp;
  fu.escalation_of = "m2";
  items.push_back(fu);
  a = DecideEscalations(o, items, next, 0, kT0 + 48 * kHour);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].recipient.key, "mailto:abuse@registrar.test");
  ReportItem fu2 = Sent("abuse@registrar.test", "registrar", kT0 + 48 * kHour, "m5");
  fu2.stage = reporters::kStageFollowUp;
  items.push_back(fu2);
  // Next level: `after` past the first follow-up (+24h + 48h).
  EXPECT_TRUE(DecideEscalations(o, items, next, 0, kT0 + 71 * kHour).empty());
  a = DecideEscalations(o, items, next, 0, kT0 + 72 * kHour);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].stage, reporters::kStageEscalation);
  EXPECT_EQ(a[0].recipient.key, "mailto:abuse@registry.test");
  EXPECT_EQ(a[0].escalation_of, "m4");
  ReportItem esc = Sent("abuse@registry.test", "registry", kT0 + 72 * kHour, "m6");
  esc.stage = reporters::kStageEscalation;
  items.push_back(esc);
  EXPECT_TRUE(DecideEscalations(o, items, next, 0, kT0 + 30 * kDay).empty()) << "each level once";
}

TEST(Escalation, WhatWasFiledOnceIsNeverProposedAgainWhateverBecameOfIt) {
  MonitorOptions o;
  std::vector<ReportItem> items = {Sent("abuse@registrar.test", "registrar", kT0, "m1")};
  ReportItem fu = Sent("abuse@registrar.test", "registrar", kT0 + 48 * kHour, "");
  fu.stage = reporters::kStageFollowUp;
  fu.status = "suppressed";  // e.g. an override suppressed it: still not retried
  fu.sent_ms = 0;
  items.push_back(fu);
  reporters::Recipient form;
  form.key = "form:https://registry.test/abuse";
  form.route = "form";
  form.kind = "registry";
  ReportItem skipped = Sent("x", "registry", kT0 + 96 * kHour, "");
  skipped.recipient = form.key;
  skipped.stage = reporters::kStageEscalation;
  skipped.status = "skipped";  // a web form: filed by hand, once
  items.push_back(skipped);
  EXPECT_TRUE(DecideEscalations(o, items, {form}, 0, kT0 + 30 * kDay).empty());
}

TEST(Escalation, AReopenedSiteIsFollowedUpAgainInItsNewEpisode) {
  MonitorOptions o;
  ReportItem first = Sent("abuse@registrar.test", "registrar", kT0, "m1");
  ReportItem fu = Sent("abuse@registrar.test", "registrar", kT0 + 48 * kHour, "m2");
  fu.stage = reporters::kStageFollowUp;
  ReportItem reopen = Sent("abuse@registrar.test", "registrar", kT0 + 10 * kDay, "m3");
  reopen.stage = reporters::kStageReopen;
  std::vector<ReportItem> items = {first, fu, reopen};
  auto a = DecideEscalations(o, items, {}, kT0 + 10 * kDay, kT0 + 12 * kDay);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].escalation_of, "m3") << "follows the reopen report";
}

TEST(Escalation, NothingBeforeAReportWasSentAndNothingWhenOff) {
  MonitorOptions o;
  ReportItem queued = Sent("abuse@registrar.test", "registrar", kT0, "m1");
  queued.status = "queued";
  queued.sent_ms = 0;
  EXPECT_TRUE(DecideEscalations(o, {queued}, {}, 0, kT0 + 10 * kDay).empty());
  o.enabled = false;
  EXPECT_TRUE(DecideEscalations(o, {Sent("a@b.test", "registrar", kT0, "m1")}, {}, 0, kT0 + 10 * kDay).empty());
}

TEST(Escalation, NextLevelFromContactsAndHostingFacts) {
  auto contacts = reporters::Contacts::Parse(R"(
[registries.test]
name = "Test Registry"
email = "abuse@registry.test"
source = "test"
[certs.SE]
name = "Test CERT"
email = "cert@cert.test"
source = "test"
[upstreams.64500]
name = "Transit Inc."
email = "abuse@transit.test"
source = "test"
)",
                                             "contacts");
  ASSERT_TRUE(contacts.ok()) << contacts.status().ToString();
  SeedResult r;
  Hosting h;
  IpInfo ip;
  ip.ip = "192.0.2.10";
  ip.asn = 64500;
  ip.as_org = "Example Hosting";
  ip.country = "SE";
  h.ips.push_back(ip);
  Cdn cdn;
  cdn.name = "ExampleCDN";
  cdn.abuse.email = "abuse@cdn.test";
  h.cdn = cdn;
  r.hosting = h;
  auto next = NextLevel(r, "http://kit.test/", *contacts);
  std::vector<std::string> kinds;
  for (const auto& n : next) kinds.push_back(n.kind + " " + n.address);
  EXPECT_EQ(kinds, (std::vector<std::string>{"registry abuse@registry.test", "upstream abuse@transit.test",
                                             "cert cert@cert.test", "cdn abuse@cdn.test"}));
  // A bounced registrar address: the registry is the next route.
  ReportItem bounced = Sent("abuse@registrar.test", "registrar", kT0, "m1");
  auto routes = NextRoutes(r, bounced, "abuse@registrar.test", {}, *contacts);
  ASSERT_FALSE(routes.empty());
  EXPECT_EQ(routes.front().address, "abuse@registry.test");
  EXPECT_TRUE(NextRoutes(r, bounced, "abuse@registrar.test", {"abuse@registry.test"}, *contacts).empty());
}

// --------------------------------------------------------------- statistics

CaseRecord Case(const std::string& id, const std::string& host, int64_t reported, int64_t down_after,
                const std::string& country) {
  CaseRecord c;
  c.case_id = id;
  c.key = host;
  c.reported_ms = reported;
  c.status = down_after >= 0 ? reporters::kCaseDown : reporters::kCaseReported;
  if (down_after >= 0) c.taken_down_ms = reported + down_after;
  c.result = {{"hosting", {{"ips", {{{"ip", "192.0.2.1"}, {"country", country}}}}}}};
  return c;
}

TEST(Stats, FiguresMatchHandComputedValues) {
  // Five reported cases: down after 1h, 3h, 10h and 26h; one still up.
  std::vector<CaseRecord> cases = {
      Case("DN-A", "a.com", kT0, 1 * kHour, "SE"),        Case("DN-B", "b.com", kT0, 3 * kHour, "SE"),
      Case("DN-C", "c.shop", kT0, 10 * kHour, "US"),      Case("DN-D", "d.shop", kT0 + kHour, 26 * kHour, "US"),
      Case("DN-E", "e.com", kT0, -1, "SE"),
      Case("DN-OLD", "old.com", kT0 - 40 * kDay, kHour, "SE"),  // before --since
  };
  CaseRecord never;  // never reported: not counted
  never.case_id = "DN-N";
  never.key = "n.com";
  never.status = reporters::kCaseBenign;
  cases.push_back(never);
  // Registrar X got a, b, e; host Y got c, d (its reports 30 min after the case's first).
  std::vector<ReportItem> items = {
      Sent("x@registrar.test", "registrar", kT0, "1"), Sent("x@registrar.test", "registrar", kT0, "2"),
      Sent("x@registrar.test", "registrar", kT0, "3"), Sent("y@host.test", "hosting", kT0 + 30 * kMin, "4"),
      Sent("y@host.test", "hosting", kT0 + kHour + 30 * kMin, "5")};
  items[0].case_id = "DN-A";
  items[1].case_id = "DN-B";
  items[2].case_id = "DN-E";
  items[3].case_id = "DN-C";
  items[4].case_id = "DN-D";
  Stats s = ComputeStats(cases, items, kT0 - kDay);
  EXPECT_EQ(s.reported, 5);
  EXPECT_EQ(s.taken_down, 4);
  EXPECT_EQ(s.still_up, 1);
  // Times: 3600, 10800, 36000, 93600 s. Median (lower middle) 10800; p90 =
  // ceil(0.9 * 4) = 4th = 93600.
  EXPECT_EQ(s.median_s, 10800);
  EXPECT_EQ(s.p90_s, 93600);
  ASSERT_EQ(s.by_recipient.size(), 2u);
  // Slowest first: y (9.5h and 25.5h: lower middle 34200 s) before x (3600 and 10800 s: 3600).
  EXPECT_EQ(s.by_recipient[0].key, "y@host.test");
  EXPECT_EQ(s.by_recipient[0].kind, "hosting");
  EXPECT_EQ(s.by_recipient[0].reported, 2);
  EXPECT_EQ(s.by_recipient[0].taken_down, 2);
  EXPECT_EQ(s.by_recipient[0].median_s, 34200);
  EXPECT_EQ(s.by_recipient[1].key, "x@registrar.test");
  EXPECT_EQ(s.by_recipient[1].reported, 3);
  EXPECT_EQ(s.by_recipient[1].taken_down, 2);
  EXPECT_EQ(s.by_recipient[1].median_s, 3600);
  // By TLD: shop (36000, 93600 -> 36000) before com (3600, 10800 -> 3600).
  ASSERT_EQ(s.by_tld.size(), 2u);
  EXPECT_EQ(s.by_tld[0].key, "shop");
  EXPECT_EQ(s.by_tld[0].median_s, 36000);
  EXPECT_EQ(s.by_tld[1].key, "com");
  EXPECT_EQ(s.by_tld[1].reported, 3);
  EXPECT_EQ(s.by_tld[1].taken_down, 2);
  ASSERT_EQ(s.by_country.size(), 2u);
  EXPECT_EQ(s.by_country[0].key, "US");
  EXPECT_EQ(s.by_country[1].key, "SE");
  nlohmann::json j = StatsJson(s);
  EXPECT_EQ(j["median_time_to_takedown_s"], 10800);
  EXPECT_EQ(j["p90_time_to_takedown_s"], 93600);
  EXPECT_EQ(j["by_recipient"][0]["recipient"], "y@host.test");
  EXPECT_EQ(j["by_recipient"][0]["median_time_to_takedown_s"], 34200);
  std::string text = StatsText(s);
  EXPECT_LT(text.find("y@host.test"), text.find("x@registrar.test")) << text;
  EXPECT_NE(text.find("median 3h 0m, p90 1d 2h"), std::string::npos) << text;
}

TEST(Stats, NoTakedownsMeansNoMediansAndThoseRecipientsComeFirst) {
  std::vector<CaseRecord> cases = {Case("DN-A", "a.com", kT0, -1, "SE"), Case("DN-B", "b.com", kT0, kHour, "SE")};
  std::vector<ReportItem> items = {Sent("slow@x.test", "hosting", kT0, "1"), Sent("fast@y.test", "hosting", kT0, "2")};
  items[0].case_id = "DN-A";
  items[1].case_id = "DN-B";
  Stats s = ComputeStats(cases, items, 0);
  EXPECT_EQ(s.by_recipient[0].key, "slow@x.test");
  EXPECT_FALSE(s.by_recipient[0].median_s.has_value());
  EXPECT_TRUE(StatsJson(s)["by_recipient"][0]["median_time_to_takedown_s"].is_null());
  EXPECT_EQ(Median({}), std::nullopt);
  EXPECT_EQ(Percentile({5}, 90), 5);
  EXPECT_EQ(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), 9);
}

// ------------------------------------------------------- signatures, options

TEST(SignatureTable, ShippedTableLoadsAndBadEntriesAreNamed) {
  Signatures s = Sigs();
  EXPECT_GE(s.pages().size(), 5u);
  EXPECT_GE(s.nameservers().size(), 2u);
  auto bad = Signatures::Parse("[[pages]]\nname = \"x\"\nkind = \"gone\"\nactor = \"host\"\ntitle = [\"a\"]\nsource = \"s\"\n",
                               "t.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t.toml: pages[0]: kind must be"), std::string::npos);
  auto unknown = Signatures::Parse("[[nameservers]]\nname = \"x\"\nkind = \"parked\"\nactor = \"registrar\"\n"
                                   "suffixes = [\"a.test\"]\nsource = \"s\"\nextra = 1\n",
                                   "t.toml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown key 'extra'"), std::string::npos);
  // kMaxSignatureStrings: a signature with more strings is refused by name.
  std::string many = "[[pages]]\nname = \"x\"\nkind = \"default\"\nactor = \"host\"\nsource = \"s\"\ntitle = [";
  for (size_t i = 0; i <= kMaxSignatureStrings; ++i) many += "\"t" + std::to_string(i) + "\",";
  many += "]\n";
  auto capped = Signatures::Parse(many, "t.toml");
  ASSERT_FALSE(capped.ok());
  EXPECT_NE(capped.status().message().find("kMaxSignatureStrings"), std::string::npos);
  // kMaxSignatureFileBytes: a runaway file is refused, naming it.
  dragnet::testing::TempDir d;
  dragnet::testing::WriteAll(d.File("big.toml"), std::string(kMaxSignatureFileBytes + 1, '#'));
  auto big = Signatures::Load(d.File("big.toml"));
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("big.toml"), std::string::npos);
}

TEST(Options, KeysDurationsAndErrors) {
  auto parse = [](const std::string& text, MonitorOptions& o) {
    toml::table t = toml::parse(text);
    return ParseMonitorOptions(&t, o);
  };
  MonitorOptions o;
  ASSERT_TRUE(parse("[monitor]\ninterval = \"30m\"\nconfirm_down = 3\ngive_up_after = \"14d\"\n"
                    "[escalation]\nafter = \"24h\"\n[escalation.after_by_kind]\nhosting = \"12h\"\n"
                    "[inbox]\nmaildir = \"/var/mail/abuse\"\nticket_patterns = [\"Case (\\\\d+)\"]\n",
                    o)
                  .ok());
  EXPECT_EQ(o.interval_ms, 30 * kMin);
  EXPECT_EQ(o.confirm_down, 3);
  EXPECT_EQ(o.give_up_after_ms, 14 * kDay);
  EXPECT_EQ(o.AfterFor("hosting"), 12 * kHour);
  EXPECT_EQ(o.AfterFor("registrar"), 24 * kHour);
  EXPECT_EQ(o.maildir, "/var/mail/abuse");
  MonitorOptions bad;
  Status st = parse("[monitor]\nconfirm_down = 0\n", bad);
  bad = MonitorOptions();
  EXPECT_NE(st.message().find("monitor.confirm_down"), std::string::npos) << st.message();
  st = parse("[escalation.after_by_kind]\nregistrar = \"0s\"\n", bad);
  EXPECT_NE(st.message().find("escalation.after_by_kind"), std::string::npos) << st.message();
  bad = MonitorOptions();
  st = parse("[escalation.after_by_kind]\nmoon = \"1h\"\n", bad);
  EXPECT_NE(st.message().find("moon"), std::string::npos) << st.message();
  bad = MonitorOptions();
  st = parse("[inbox]\nticket_patterns = [\"no group\"]\n", bad);
  EXPECT_NE(st.message().find("capture group"), std::string::npos) << st.message();
  bad = MonitorOptions();
  st = parse("[monitor]\ninterval = \"2h\"\nmax_interval = \"1h\"\n", bad);
  EXPECT_NE(st.message().find("max_interval"), std::string::npos) << st.message();
  bad = MonitorOptions();
  std::string many = "[inbox]\nticket_patterns = [";
  for (int i = 0; i < 33; ++i) many += "\"t(\\\\d+)\",";
  st = parse(many + "]\n", bad);
  EXPECT_NE(st.message().find("at most 32"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace dragnet::monitor
