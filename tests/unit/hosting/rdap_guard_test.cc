// The SSRF guard on every request of the hosting stage, with the guard ON
// as in production: RDAP answers that redirect to another loopback port or
// to the cloud metadata address, registrar referrals that point at a
// private address, and a site's security.txt that redirects into the
// machine. nginx on 127.0.0.1:P serves the real RDAP documents
// (tests/fixtures/hosting/rdap) and is reached through the fetcher's
// test-only allow list; a CountingServer on 127.0.0.1:Q stands for the
// internal service and counts the connections it gets: none with the guard
// on, one with [crawl] allow_private (the tests' opt-in).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "crawler/http_client.h"
#include "extractors/hosting/bootstrap.h"
#include "extractors/hosting/locator.h"
#include "extractors/hosting/rdap.h"
#include "tests/harness/counting_server.h"
#include "tests/harness/nginx.h"
#include "tests/unit/hosting/test_util.h"

namespace dragnet::hosting {
namespace {

using nlohmann::json;
using testing::CountingServer;
using testing::NginxServer;
using testing::ReadAll;
using testing::TempDir;
using testing::WriteAll;
using testutil::FakeClock;

std::string Fixture(const std::string& rel) { return ReadAll(testutil::HostingFixture("rdap/" + rel)); }

bool AnyContains(const std::vector<std::string>& v, const std::vector<std::string>& parts) {
  for (const auto& s : v) {
    bool all = true;
    for (const auto& p : parts) all = all && s.find(p) != std::string::npos;
    if (all) return true;
  }
  return false;
}

class RdapGuardTest : public ::testing::Test {
 protected:
  RdapGuardTest()
      // The "internal service": answers like MarkMonitor's RDAP server.
      : internal_(200, "application/rdap+json", Fixture("registrar-markmonitor/domain-GOOGLE.COM.json")),
        security_(200, "text/plain; charset=utf-8", "Contact: mailto:security@shop.test\nExpires: 2030-01-01T00:00:00Z\n") {}

  void SetUp() override {
    std::string f = "server {\n  listen 127.0.0.1:{{PORT}};\n";
    f += "  location /redirect-loopback/ { return 302 " + internal_.Url("/rdap") + "$uri; }\n";
    f += "  location /redirect-metadata/ { return 302 http://169.254.169.254/latest/meta-data/; }\n";
    f += "  location /derived/ { types { } default_type application/rdap+json; alias {{DIR}}/derived/; }\n";
    f += "  location = /.well-known/security.txt { return 302 " + security_.Url("/.well-known/security.txt") + "; }\n";
    f += "}\n";
    // A site whose security.txt redirects without end (chain.test, pinned).
    f += "server {\n  listen 127.0.0.1:{{PORT}};\n  server_name chain.test;\n";
    f += "  location = /.well-known/security.txt { return 302 /hop/1; }\n";
    f += "  location /hop/ { return 302 /hop$uri; }\n";
    f += "}\n";
    nginx_ = std::make_unique<NginxServer>(f);
    base_ = "http://127.0.0.1:" + std::to_string(nginx_->port()) + "/";
    std::filesystem::create_directories(nginx_->dir() + "/derived/domain");
  }

  // A client as production builds it from [crawl]: guard ON, only nginx let
  // through (the test seam), or everything with allow_private.
  crawler::GuardedHttpClient& Client(bool allow_private, std::vector<std::string> pins = {}) {
    crawler::CrawlOptions o;
    o.allow_private = allow_private;
    o.resolve = std::move(pins);
    crawler::FetcherTestOptions t;
    t.guard_allow = {"127.0.0.1:" + std::to_string(nginx_->port())};
    clients_.push_back(std::make_unique<crawler::GuardedHttpClient>(o, t));
    return *clients_.back();
  }
  // A Locator whose bootstrap sends every TLD and block to `base`; DNS goes
  // to a port nobody answers (only RDAP matters here).
  std::unique_ptr<Locator> MakeLocator(const std::string& base, HttpClient& http) {
    boots_.push_back(std::make_unique<TempDir>());
    testutil::WriteBootstrap(boots_.back()->path(), base);
    HostingOptions o;
    o.bootstrap_dir = boots_.back()->path();
    o.dns_servers = {"127.0.0.1:" + std::to_string(testing::FreePort())};
    o.dns_timeout_ms = 200;
    o.abusix_zone = "";
    o.rdap_timeout_ms = 5000;
    auto loc = std::make_unique<Locator>(o, http, &clock_);
    Status st = loc->Init();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return loc;
  }
  // Verisign's answer for google.com without the registrar's abuse contact,
  // with the given related links, served as /derived/domain/<name>.
  void RegistryAnswerWithReferrals(const std::string& name, const std::vector<std::string>& hrefs) {
    json j = json::parse(Fixture("verisign-com/domain-google.com.json"));
    for (auto& e : j["entities"]) e.erase("entities");
    j["ldhName"] = name;
    j["links"] = json::array();
    for (const auto& h : hrefs) {
      j["links"].push_back({{"rel", "related"}, {"type", "application/rdap+json"}, {"href", h}});
    }
    WriteAll(nginx_->dir() + "/derived/domain/" + name, j.dump());
  }

  CountingServer internal_, security_;
  std::unique_ptr<NginxServer> nginx_;
  std::string base_;
  FakeClock clock_;
  std::vector<std::unique_ptr<crawler::GuardedHttpClient>> clients_;
  std::vector<std::unique_ptr<TempDir>> boots_;
};

// ------------------------------------------------------ RDAP redirects

TEST_F(RdapGuardTest, RdapRedirectToAnotherLoopbackPortIsRefusedAndRecorded) {
  auto loc = MakeLocator(base_ + "redirect-loopback/", Client(false));
  Hosting h = loc->LookupDomain("redirected.com");
  EXPECT_TRUE(h.registrar.name.empty());
  EXPECT_TRUE(AnyContains(h.errors, {"rdap " + base_ + "redirect-loopback/domain/redirected.com", "refused",
                                     internal_.Address(), "loopback"}))
      << json(h.errors).dump(1);
  EXPECT_EQ(internal_.connections(), 0);

  // allow_private: the same redirect is followed and answered.
  auto open = MakeLocator(base_ + "redirect-loopback/", Client(true));
  Hosting ok = open->LookupDomain("redirected.com");
  EXPECT_EQ(ok.registrar.name, "MarkMonitor Inc.") << json(ok.errors).dump(1);
  EXPECT_EQ(ok.registrar.abuse.email, "abusecomplaints@markmonitor.com");
  EXPECT_EQ(internal_.connections(), 1);
  ASSERT_EQ(internal_.Requests().size(), 1u);
  EXPECT_EQ(internal_.Requests()[0].rfind("GET /rdap/redirect-loopback/domain/redirected.com HTTP/1.1", 0), 0u)
      << internal_.Requests()[0];
}

TEST_F(RdapGuardTest, RdapRedirectToTheMetadataAddressIsRefused) {
  TempDir boot;
  testutil::WriteBootstrap(boot.path(), base_ + "redirect-metadata/");
  Bootstrap b;
  ASSERT_TRUE(b.Load(boot.path()).ok());
  HostingOptions o;
  RdapClient client(o, b, Client(false), clock_, ContactFilter());
  auto d = client.Domain("metadata.com");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kRefused) << d.status().ToString();
  EXPECT_NE(d.status().message().find("169.254.169.254:80"), std::string::npos) << d.status().message();
  EXPECT_NE(d.status().message().find("link-local"), std::string::npos) << d.status().message();
  EXPECT_NE(d.status().message().find("http://169.254.169.254/latest/meta-data/"), std::string::npos)
      << d.status().message();
  // A refusal is no outage: the server is not backed off, its next answer counts.
  auto again = client.Network(*ParseIp("192.0.2.1"));
  EXPECT_EQ(again.status().code(), Code::kRefused) << again.status().ToString();
  EXPECT_EQ(client.requests(), 2);
}

// ------------------------------------------------------------ referrals

TEST_F(RdapGuardTest, RegistrarReferralToAPrivateAddressIsRefusedAndRecorded) {
  // The referral names a host pinned (as a hostile DNS answer would) to
  // 127.0.0.1:Q; the guard judges the address, not the name.
  const std::string q = std::to_string(internal_.port());
  const std::string href = "http://registrar.example:" + q + "/rdap/domain/REFERRAL.COM";
  RegistryAnswerWithReferrals("referral.com", {href});
  const std::vector<std::string> pins = {"registrar.example:" + q + ":127.0.0.1"};

  auto loc = MakeLocator(base_ + "derived/", Client(false, pins));
  Hosting h = loc->LookupDomain("referral.com");
  EXPECT_EQ(h.registrar.name, "MarkMonitor Inc.");  // the registry's answer stands
  EXPECT_TRUE(h.registrar.abuse.email.empty());
  EXPECT_TRUE(AnyContains(h.errors, {"rdap referral " + href, "refused", internal_.Address(), "loopback"}))
      << json(h.errors).dump(1);
  EXPECT_EQ(internal_.connections(), 0);

  auto open = MakeLocator(base_ + "derived/", Client(true, pins));
  Hosting ok = open->LookupDomain("referral.com");
  EXPECT_EQ(ok.registrar.abuse.email, "abusecomplaints@markmonitor.com") << json(ok.errors).dump(1);
  EXPECT_EQ(ok.registrar.abuse.source, "rdap-registrar-referral");
  EXPECT_EQ(internal_.connections(), 1);
}

TEST_F(RdapGuardTest, ReferralsAreBoundedAndEachIsGuarded) {
  std::vector<std::string> hrefs;
  for (int i = 0; i < 4; ++i) {
    hrefs.push_back("http://169.254.169.254/rdap/" + std::to_string(i) + "/domain/MANY.COM");
  }
  RegistryAnswerWithReferrals("many.com", hrefs);
  auto loc = MakeLocator(base_ + "derived/", Client(false));
  Hosting h = loc->LookupDomain("many.com");
  int refused = 0;
  for (const auto& e : h.errors) refused += e.find("rdap referral") != std::string::npos && e.find("refused") != std::string::npos;
  EXPECT_EQ(refused, kMaxRdapReferrals) << json(h.errors).dump(1);
  EXPECT_TRUE(AnyContains(h.errors, {"kMaxRdapReferrals", "2 more"})) << json(h.errors).dump(1);
}

// ---------------------------------------------------------- security.txt

TEST_F(RdapGuardTest, SecurityTxtRedirectIntoTheMachineIsRefusedAndRecorded) {
  LocateRequest req;
  req.seed_host = "127.0.0.1";
  req.final_host = "127.0.0.1";
  req.site_url = base_ + "login/index.html";
  auto loc = MakeLocator(base_ + "derived/", Client(false));
  Hosting h = loc->Locate(req);
  for (const auto& c : h.contacts) EXPECT_NE(c.source, "security.txt") << c.email;
  EXPECT_TRUE(AnyContains(h.errors, {"security.txt " + base_ + ".well-known/security.txt", "refused",
                                     security_.Address()}))
      << json(h.errors).dump(1);
  EXPECT_EQ(security_.connections(), 0);

  auto open = MakeLocator(base_ + "derived/", Client(true));
  Hosting ok = open->Locate(req);
  bool found = false;
  for (const auto& c : ok.contacts) found |= c.source == "security.txt" && c.email == "security@shop.test";
  EXPECT_TRUE(found) << json(ok.errors).dump(1);
  EXPECT_EQ(security_.connections(), 1);
}

TEST_F(RdapGuardTest, SecurityTxtIsFetchedFromTheSiteOriginWhenAllowed) {
  // The site itself is the counting server, let through by the test seam:
  // the fetch works with the guard on, and only text/plain is read.
  crawler::CrawlOptions o;
  crawler::FetcherTestOptions t;
  t.guard_allow = {security_.Address(), "127.0.0.1:" + std::to_string(nginx_->port())};
  crawler::GuardedHttpClient http(o, t);
  auto loc = MakeLocator(base_ + "derived/", http);
  LocateRequest req;
  req.final_host = "127.0.0.1";
  req.site_url = security_.Url("/shop/?x=1");
  Hosting h = loc->Locate(req);
  ASSERT_FALSE(h.contacts.empty()) << json(h.errors).dump(1);
  EXPECT_EQ(h.contacts.back().email, "security@shop.test");
  ASSERT_EQ(security_.Requests().size(), 1u);
  EXPECT_EQ(security_.Requests()[0].rfind("GET /.well-known/security.txt HTTP/1.1", 0), 0u) << security_.Requests()[0];

  // Off by config: no request at all.
  HostingOptions off;
  off.bootstrap_dir = boots_.back()->path();
  off.dns_servers = {"127.0.0.1:" + std::to_string(testing::FreePort())};
  off.security_txt = false;
  Locator quiet(off, http, &clock_);
  ASSERT_TRUE(quiet.Init().ok());
  quiet.Locate(req);
  EXPECT_EQ(security_.connections(), 1);
}

TEST_F(RdapGuardTest, SecurityTxtRedirectsStopAtTheirBudget) {
  const std::string p = std::to_string(nginx_->port());
  auto loc = MakeLocator(base_ + "derived/", Client(false, {"chain.test:" + p + ":127.0.0.1"}));
  LocateRequest req;
  req.final_host = "127.0.0.1";
  req.site_url = "http://chain.test:" + p + "/";
  Hosting h = loc->Locate(req);
  EXPECT_TRUE(AnyContains(h.errors, {"security.txt http://chain.test:" + p + "/.well-known/security.txt",
                                     "too_many_redirects", "max_redirects " + std::to_string(kMaxSecurityTxtRedirects)}))
      << json(h.errors).dump(1);
  EXPECT_EQ(testutil::CountEventually([this] { return nginx_->AccessLog(); }, "GET /hop/", kMaxSecurityTxtRedirects),
            kMaxSecurityTxtRedirects);
}

}  // namespace
}  // namespace dragnet::hosting
