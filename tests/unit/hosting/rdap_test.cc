// RDAP against a real nginx serving the real registry, registrar and RIR
// responses (tests/fixtures/hosting/rdap), with a bootstrap written here that
// points every registry at it. Malformed answers (truncated JSON, wrong
// types, missing entities, 429 with Retry-After, a redirect loop) are derived
// at run time into nginx's folder. Request counts come from nginx's log.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "crawler/http_client.h"
#include "extractors/hosting/bootstrap.h"
#include "extractors/hosting/locator.h"
#include "extractors/hosting/rdap.h"
#include "tests/harness/nginx.h"
#include "tests/unit/hosting/test_util.h"

namespace dragnet::hosting {
namespace {

using nlohmann::json;
using testing::NginxServer;
using testing::ReadAll;
using testing::TempDir;
using testing::WriteAll;
using testutil::CountRequests;
using testutil::FakeClock;

// Exact-match locations: /domain/<name> and /ip/<addr> -> fixture files;
// /derived/ -> files the tests write into nginx's folder after start.
std::string Fragment() {
  struct Map {
    const char* path;
    const char* file;
  };
  const Map maps[] = {
      {"/domain/google.com", "verisign-com/domain-google.com.json"},
      {"/domain/themarquetry.com", "verisign-com/domain-THEMARQUETRY.COM.json"},
      {"/domain/hhgames.com", "verisign-com/domain-HHGAMES.COM-icann-conformance.json"},
      {"/domain/example.com", "conformance-tool/domain-valid.json"},
      {"/domain/nomeo.com", "conformance-tool/domain-nomeo-multi-entity.json"},
      {"/domain/microsoft.click", "gtld-click/domain-microsoft.click.json"},
      {"/domain/lemonde.fr", "afnic-fr/domain-lemonde.fr.json"},
      {"/domain/afnic.fr", "afnic-fr/domain-afnic.fr.json"},
      {"/domain/norway.no", "norid-no/domain-norway.no.json"},
      {"/markmonitor/rdap/domain/GOOGLE.COM", "registrar-markmonitor/domain-GOOGLE.COM.json"},
      {"/ip/1.1.1.1", "apnic/ip-1.1.1.1.json"},
      {"/ip/2606:4700:4700::1111", "arin/ip-2606_4700_4700__1111.json"},
      {"/ip/130.59.31.80", "ripe/ip-130.59.31.80.json"},
      {"/ip/13.64.0.1", "arin/ip-13.64.0.0.json"},
      {"/ip/74.125.225.229", "arin/ip-74.125.225.229-ipwhois.json"},
      {"/ip/210.107.73.73", "apnic/ip-210.107.73.73-ipwhois.json"},
      {"/ip/62.239.237.1", "ripe/ip-62.239.237.1-ipwhois.json"},
      {"/ip/2a00:2381:ffff::1", "ripe/ip-2a00_2381_ffff__1-ipwhois.json"},
      {"/ip/2001:4860:4860::8888", "arin/ip-2001_4860_4860__8888-ipwhois.json"},
      {"/ip/2001:240:10c:1::ca20:9d1d", "apnic/ip-2001_240_10c_1__ca20_9d1d-ipwhois.json"},
  };
  std::string f = "server {\n  listen 127.0.0.1:{{PORT}};\n";
  for (const auto& m : maps) {
    f += "  location = " + std::string(m.path) + " { types { } default_type application/rdap+json; alias "
         "{{FIXTURES}}/hosting/rdap/" + m.file + "; }\n";
  }
  f += "  location /derived/ { types { } default_type application/rdap+json; alias {{DIR}}/derived/; }\n";
  f += "  location /limited/ { add_header Retry-After 30 always; return 429; }\n";
  f += "  location /limited-short/ { add_header Retry-After 1 always; return 429; }\n";
  f += "  location /loop/ { return 302 $uri; }\n";
  f += "  location /chain/ { return 302 /chain$uri; }\n";
  f += "  location /gone/ { return 404; }\n";
  f += "}\n";
  return f;
}

class RdapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nginx_ = std::make_unique<NginxServer>(Fragment());
    base_ = "http://127.0.0.1:" + std::to_string(nginx_->port()) + "/";
    std::filesystem::create_directories(nginx_->dir() + "/derived/domain");
    std::filesystem::create_directories(nginx_->dir() + "/derived/ip");
    testutil::WriteBootstrap(boot_.path(), base_);
    opts_.bootstrap_dir = boot_.path();
    opts_.rdap_timeout_ms = 5000;
    opts_.max_retry_wait_ms = 0;
    opts_.base_url["https://rdap.markmonitor.com/"] = base_ + "markmonitor/";
    ASSERT_TRUE(bootstrap_.Load(boot_.path(), opts_.base_url).ok());
    // The guarded client, guard ON: only nginx's own ip:port is let through.
    crawler::FetcherTestOptions t;
    t.guard_allow = {"127.0.0.1:" + std::to_string(nginx_->port())};
    http_ = std::make_unique<crawler::GuardedHttpClient>(crawler::CrawlOptions{}, t);
  }
  RdapClient Client() { return RdapClient(opts_, bootstrap_, *http_, clock_, ContactFilter()); }
  int Count(const std::string& needle, int expected) {
    return testutil::CountEventually([this] { return nginx_->AccessLog(); }, needle, expected);
  }
  void Derive(const std::string& rel, const std::string& body) { WriteAll(nginx_->dir() + "/derived/" + rel, body); }
  json FixtureJson(const std::string& rel) {
    return json::parse(ReadAll(testutil::HostingFixture("rdap/" + rel)));
  }

  std::unique_ptr<NginxServer> nginx_;
  std::string base_;
  TempDir boot_;
  HostingOptions opts_;
  Bootstrap bootstrap_;
  std::unique_ptr<crawler::GuardedHttpClient> http_;
  FakeClock clock_;
};

// ------------------------------------------------------- per-fixture facts

struct DomainCase {
  const char* domain;
  const char* registrar;
  const char* iana_id;
  const char* created;
  const char* expires;
  const char* last_changed;
  const char* abuse_email;
  const char* abuse_phone;
};

TEST_F(RdapTest, DomainFixturesGiveRegistrarDatesAndAbuse) {
  const DomainCase cases[] = {
      {"google.com", "MarkMonitor Inc.", "292", "1997-09-15T04:00:00Z", "2028-09-14T04:00:00Z",
       "2019-09-09T15:39:04Z", "abusecomplaints@markmonitor.com", "+1.2086851750"},
      {"themarquetry.com", "Hosting Concepts B.V. d/b/a Registrar.eu", "1647", "2021-03-16T17:07:37Z",
       "2022-03-16T17:07:37Z", "", "abuse@registrar.eu", "+31.104482297"},
      {"hhgames.com", "Sea Wasp, LLC", "411", "2002-07-04T19:15:32Z", "2026-07-04T19:21:02Z",
       "2025-04-16T04:27:20Z", "abuse@fabulous.com", "+1.5045078209"},
      {"example.com", "Example Inc.", "292", "1997-09-15T04:00:00Z", "2028-09-14T04:00:00Z", "",
       "abusecomplaints@example.com", "+1.9999999999"},
      // IANA ID from the handle (the profile makes them equal), tel: URIs.
      {"microsoft.click", "MarkMonitor Inc.", "292", "2014-11-12T19:15:55Z", "2024-11-12T19:15:55Z",
       "2023-10-17T10:47:21Z", "abusecomplaints@markmonitor.com", "+1.2083895740"},
      // ccTLDs outside the ICANN profile: registrar yes, abuse role no.
      {"lemonde.fr", "NAMESHIELD", "1251", "2005-08-02T14:16:36Z", "2025-06-09T22:08:09Z",
       "2024-06-12T22:09:39Z", "", ""},
      {"afnic.fr", "Registry Operations", "9999", "2001-12-10T23:00:00Z", "2029-07-18T08:26:59Z",
       "2022-09-28T11:21:02Z", "", ""},
      {"norway.no", "Domeneshop AS", "", "2017-01-24T12:09:23Z", "", "2021-01-14T05:16:59Z", "", ""},
  };
  auto client = Client();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.domain);
    auto d = client.Domain(c.domain);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->registrar.name, c.registrar);
    EXPECT_EQ(d->registrar.iana_id, c.iana_id);
    EXPECT_EQ(d->domain.created, c.created);
    EXPECT_EQ(d->domain.expires, c.expires);
    EXPECT_EQ(d->domain.last_changed, c.last_changed);
    EXPECT_EQ(d->registrar.abuse.email, c.abuse_email);
    EXPECT_EQ(d->registrar.abuse.phone, c.abuse_phone);
    if (*c.abuse_email) {
      EXPECT_EQ(d->registrar.abuse.source, "rdap-registrar");
      EXPECT_EQ(d->registrar.abuse.scope, "domain");
    }
  }
  auto g = client.Domain("google.com");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->domain.nameservers,
            (std::vector<std::string>{"ns1.google.com", "ns2.google.com", "ns3.google.com", "ns4.google.com"}));
  EXPECT_NE(std::find(g->domain.status.begin(), g->domain.status.end(), "client delete prohibited"),
            g->domain.status.end());
}

struct IpCase {
  const char* ip;
  const char* handle;
  const char* range;
  const char* country;
  const char* abuse_email;
};

TEST_F(RdapTest, IpFixturesGiveNetworkAndAbuse) {
  const IpCase cases[] = {
      {"2606:4700:4700::1111", "NET6-2606-4700-1", "2606:4700::/32", "", "abuse@cloudflare.com"},
      {"130.59.31.80", "130.59.0.0 - 130.59.255.255", "130.59.0.0/16", "CH", "abuse@switch.ch"},
      {"13.64.0.1", "NET-13-64-0-0-1", "13.64.0.0 - 13.107.255.255", "", "abuse@microsoft.com"},
      {"74.125.225.229", "NET-74-125-0-0-1", "74.125.0.0/16", "", "arin-contact@google.com"},
      {"62.239.237.1", "62.239.237.0 - 62.239.237.255", "62.239.237.0/24", "GB", "zzdnsr@bt.com"},
      {"2a00:2381:ffff::1", "2a00:2381:ffff::/64", "2a00:2381:ffff::/64", "GB", "zzdnsr@bt.com"},
      {"2001:4860:4860::8888", "NET6-2001-4860-1", "2001:4860::/32", "", "arin-contact@google.com"},
      // The RIRs' own mailboxes are not an operator's abuse desk: dropped.
      {"1.1.1.1", "1.1.1.0 - 1.1.1.255", "1.1.1.0/24", "AU", ""},
      {"210.107.73.73", "210.107.0.0 - 210.107.127.255", "210.107.0.0/17", "KR", ""},
      {"2001:240:10c:1::ca20:9d1d", "2001:0240::/32", "2001:240::/32", "JP", ""},
  };
  auto client = Client();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ip);
    auto n = client.Network(*ParseIp(c.ip));
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(n->handle, c.handle);
    EXPECT_EQ(n->range, c.range);
    EXPECT_EQ(n->country, c.country);
    EXPECT_EQ(n->abuse.email, c.abuse_email);
    if (*c.abuse_email) {
      EXPECT_EQ(n->abuse.source, "rdap-ip");
      EXPECT_EQ(n->abuse.scope, "network");
    }
  }
  auto cf = client.Network(*ParseIp("2606:4700:4700::1111"));
  ASSERT_TRUE(cf.ok());
  EXPECT_EQ(cf->abuse.phone, "+1-650-319-8930");
}

// ---------------------------------------------------------------- referral

TEST_F(RdapTest, RegistryWithoutAbuseContactIsFollowedToTheRegistrar) {
  // Verisign's real answer with the abuse entity taken out; its related link
  // (https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM) is rewritten to
  // nginx by [rdap.base_url].
  json j = FixtureJson("verisign-com/domain-google.com.json");
  for (auto& e : j["entities"]) e.erase("entities");
  j["ldhName"] = "REFERRAL.COM";
  opts_.base_url.clear();
  opts_.base_url["https://rdap.markmonitor.com/"] = base_ + "markmonitor/";
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "derived/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path(), opts_.base_url).ok());
  Derive("domain/referral.com", j.dump());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  std::vector<std::string> notes;
  auto d = client.Domain("referral.com", &notes);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(d->registrar.name, "MarkMonitor Inc.");
  EXPECT_EQ(d->registrar.iana_id, "292");
  EXPECT_EQ(d->registrar.abuse.email, "abusecomplaints@markmonitor.com");
  EXPECT_EQ(d->registrar.abuse.phone, "+1.2086851750");
  EXPECT_EQ(d->registrar.abuse.source, "rdap-registrar-referral");
  EXPECT_EQ(Count("GET /markmonitor/rdap/domain/GOOGLE.COM", 1), 1);

  // With referrals off, no second request and no abuse contact.
  opts_.follow_referrals = false;
  RdapClient no_follow(opts_, b, *http_, clock_, ContactFilter());
  auto d2 = no_follow.Domain("referral.com");
  ASSERT_TRUE(d2.ok());
  EXPECT_TRUE(d2->registrar.abuse.email.empty());
  EXPECT_EQ(Count("GET /markmonitor/rdap/domain/GOOGLE.COM", 1), 1);
}

TEST_F(RdapTest, BrokenReferralIsANoteNotAFailure) {
  json j = FixtureJson("verisign-com/domain-google.com.json");
  for (auto& e : j["entities"]) e.erase("entities");
  j["links"] = json::array({{{"rel", "related"}, {"type", "application/rdap+json"},
                             {"href", base_ + "gone/domain/BROKENREF.COM"}}});
  Derive("domain/brokenref.com", j.dump());
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "derived/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  std::vector<std::string> notes;
  auto d = client.Domain("brokenref.com", &notes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->registrar.name, "MarkMonitor Inc.");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("404"), std::string::npos) << notes[0];
}

// --------------------------------------------------------------- malformed

TEST_F(RdapTest, MalformedAnswersAreErrorsNotCrashes) {
  std::string google = ReadAll(testutil::HostingFixture("rdap/verisign-com/domain-google.com.json"));
  Derive("domain/truncated.com", google.substr(0, google.size() / 2));
  Derive("domain/wrongtypes.com",
         R"({"objectClassName":"domain","ldhName":"WRONGTYPES.COM","entities":"nope","events":{"a":1},)"
         R"("status":5,"nameservers":[1,{"ldhName":7},{"ldhName":"ns1.ok.test"}],"links":"x"})");
  Derive("domain/wrongentities.com",
         R"({"objectClassName":"domain","ldhName":"WRONGENTITIES.COM","entities":[5,"x",)"
         R"({"roles":"registrar"},{"roles":["registrar"],"vcardArray":["vcard",[["fn",{},"text",5],)"
         R"(["email"],["tel",{},"uri"]]],"publicIds":[{"type":7}],)"
         R"("entities":[{"roles":["abuse"],"vcardArray":"bad"}]}],)"
         R"("events":[{"eventAction":"registration","eventDate":"yesterday"},{"eventAction":5}]})");
  json missing = json::parse(google);
  missing.erase("entities");
  missing.erase("links");
  missing["ldhName"] = "MISSING.COM";
  Derive("domain/missing.com", missing.dump());
  Derive("domain/notanobject.com", "[1,2,3]");
  Derive("domain/anip.com", ReadAll(testutil::HostingFixture("rdap/apnic/ip-1.1.1.1.json")));
  Derive("ip/192.0.2.1", R"({"objectClassName":"ip network","startAddress":5,"entities":[{"roles":["abuse"]}]})");
  Derive("ip/192.0.2.2", "{\"objectClassName\":\"ip net");

  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "derived/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());

  auto t = client.Domain("truncated.com");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kParseError);
  EXPECT_NE(t.status().message().find("not valid JSON"), std::string::npos);

  auto w = client.Domain("wrongtypes.com");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE(w->registrar.name.empty());
  EXPECT_TRUE(w->domain.created.empty());
  EXPECT_EQ(w->domain.nameservers, std::vector<std::string>{"ns1.ok.test"});

  auto we = client.Domain("wrongentities.com");
  ASSERT_TRUE(we.ok()) << we.status().ToString();
  EXPECT_TRUE(we->registrar.name.empty());
  EXPECT_TRUE(we->registrar.abuse.empty());
  EXPECT_TRUE(we->domain.created.empty());

  auto m = client.Domain("missing.com");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->registrar.name.empty());
  EXPECT_EQ(m->domain.created, "1997-09-15T04:00:00Z");

  EXPECT_EQ(client.Domain("notanobject.com").status().code(), Code::kParseError);
  auto wrong_class = client.Domain("anip.com");
  ASSERT_FALSE(wrong_class.ok());
  EXPECT_NE(wrong_class.status().message().find("not a domain"), std::string::npos);

  auto n1 = client.Network(*ParseIp("192.0.2.1"));
  ASSERT_TRUE(n1.ok());
  EXPECT_TRUE(n1->abuse.empty());
  EXPECT_FALSE(client.Network(*ParseIp("192.0.2.2")).ok());
  auto nf = client.Domain("nothere.com");
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.status().code(), Code::kNotFound);
}

TEST_F(RdapTest, RedirectLoopEndsAsAnError) {
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "loop/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  auto d = client.Domain("loop.com");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("redirect"), std::string::npos) << d.status().message();
  // The fetcher sees the Location is the URL it just fetched: one request.
  EXPECT_EQ(Count("GET /loop/domain/loop.com", 1), 1);
}

TEST_F(RdapTest, EndlessRedirectChainStopsAtTheRedirectBudget) {
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "chain/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  auto d = client.Domain("chain.com");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("too_many_redirects"), std::string::npos) << d.status().message();
  // kMaxRdapRedirects + the first request.
  EXPECT_EQ(Count("GET /chain/", kMaxRdapRedirects + 1), kMaxRdapRedirects + 1);
}

TEST_F(RdapTest, TooLargeAnswerHitsTheSizeLimit) {
  Derive("domain/huge.com", std::string(kMaxRdapBytes + 1000, ' '));
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "derived/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  auto d = client.Domain("huge.com");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kLimitExceeded);
}

// ------------------------------------------------------ rate limit, backoff

TEST_F(RdapTest, Http429BacksOffThePerServerUntilRetryAfter) {
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "limited/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  auto first = client.Domain("one.com");
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.status().message().find("429"), std::string::npos) << first.status().message();
  // Same server, other domain, within Retry-After: no request at all.
  auto second = client.Domain("two.com");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("backed off"), std::string::npos) << second.status().message();
  EXPECT_EQ(Count("GET /limited/", 1), 1);
  // After Retry-After (30 s on the fake clock) the server is asked again.
  clock_.Advance(31'000);
  EXPECT_FALSE(client.Domain("two.com").ok());
  EXPECT_EQ(Count("GET /limited/", 2), 2);
  // Errors from rate limiting are not cached as answers.
  EXPECT_EQ(client.requests(), 2);
}

TEST_F(RdapTest, ShortRetryAfterIsWaitedOutAndRetriedOnce) {
  opts_.max_retry_wait_ms = 2000;
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "limited-short/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  RdapClient client(opts_, b, *http_, clock_, ContactFilter());
  auto d = client.Domain("one.com");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(Count("GET /limited-short/", 2), 2) << nginx_->AccessLog();
  EXPECT_EQ(client.requests(), 2);
}

TEST_F(RdapTest, DeadServerIsNotAskedAgainDuringFailureBackoff) {
  TempDir boot;
  int dead = testing::FreePort();
  testutil::WriteBootstrap(boot.path(), "http://127.0.0.1:" + std::to_string(dead) + "/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  crawler::FetcherTestOptions t;
  t.guard_allow = {"127.0.0.1:" + std::to_string(dead)};  // refused connections, not the guard
  crawler::GuardedHttpClient http(crawler::CrawlOptions{}, t);
  RdapClient client(opts_, b, http, clock_, ContactFilter());
  EXPECT_FALSE(client.Domain("a.com").ok());
  EXPECT_FALSE(client.Domain("b.com").ok());
  EXPECT_FALSE(client.Network(*ParseIp("192.0.2.1")).ok());
  EXPECT_EQ(client.requests(), 1);
  clock_.Advance(opts_.failure_backoff_ms + 1);
  EXPECT_FALSE(client.Domain("c.com").ok());
  EXPECT_EQ(client.requests(), 2);
}

// ------------------------------------------------------------------ caches

TEST_F(RdapTest, OneRequestPerDomainAndPerNetworkNotPerCall) {
  HostingOptions o = opts_;
  o.dns_servers = {"127.0.0.1:" + std::to_string(testing::FreePort())};
  o.dns_timeout_ms = 200;
  o.abusix_zone = "";
  Locator locator(o, *http_, &clock_);
  Status init = locator.Init();
  ASSERT_TRUE(init.ok()) << init.ToString();
  for (int i = 0; i < 5; ++i) {
    LocateRequest r;
    r.seed_host = "www.google.com";
    r.final_host = i % 2 ? "google.com" : "mail.google.com";
    r.ips_seen = {"1.1.1.1", "1.1.1.2", "1.1.1.200"};
    Hosting h = locator.Locate(r);
    EXPECT_EQ(h.registrar.name, "MarkMonitor Inc.");
    ASSERT_EQ(h.ips.size(), 3u);
    EXPECT_EQ(h.ips[1].rdap_range, "1.1.1.0/24");
  }
  EXPECT_EQ(Count("GET /domain/google.com", 1), 1);
  // 1.1.1.1 is fetched once; 1.1.1.2 and 1.1.1.200 are in its cached /24.
  EXPECT_EQ(Count("GET /ip/", 1), 1);
  // The TTL expires: one more of each.
  clock_.Advance(o.cache_ttl_ms + 1);
  Hosting h = locator.LookupDomain("google.com");
  EXPECT_EQ(h.registrar.iana_id, "292");
  EXPECT_EQ(Count("GET /domain/google.com", 2), 2);
}

TEST_F(RdapTest, ShippedBootstrapWithBaseUrlRewriteReachesTheLocalServer) {
  HostingOptions o = opts_;
  o.bootstrap_dir = testing::SourceDir() + "/config/rdap";
  o.base_url["https://rdap.verisign.com/com/v1/"] = base_;
  Bootstrap b;
  ASSERT_TRUE(b.Load(o.bootstrap_dir, o.base_url).ok());
  RdapClient client(o, b, *http_, clock_, ContactFilter());
  auto d = client.Domain("themarquetry.com");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->registrar.iana_id, "1647");
}

}  // namespace
}  // namespace dragnet::hosting
