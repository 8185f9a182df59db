// DNS through c-ares against a real dnsmasq (tests/harness/dnsmasq.h) that
// answers only from the records given here and forwards nothing: A, AAAA,
// CNAME chains, NS, MX, TXT with TTLs, NXDOMAIN, timeouts, and the Abusix
// fallback zone feeding the Locator's abuse contact.
#include <gtest/gtest.h>

#include "crawler/http_client.h"
#include "extractors/hosting/dns.h"
#include "extractors/hosting/locator.h"
#include "tests/harness/dnsmasq.h"
#include "tests/unit/hosting/test_util.h"

namespace dragnet::hosting {
namespace {

using testing::DnsmasqConfig;
using testing::DnsmasqNsRecord;
using testing::DnsmasqServer;

DnsmasqConfig Records() {
  DnsmasqConfig c;
  c.local_zones = {"test"};
  c.ttl = 300;
  c.lines = {
      "host-record=shop.test,192.0.2.10,2001:db8::10",
      "host-record=mail.shop.test,192.0.2.25",
      "cname=www.shop.test,shop.test",
      "cname=promo.shop.test,www.shop.test",
      "mx-host=shop.test,mail.shop.test,10",
      DnsmasqNsRecord("shop.test", "ns1.hoster.test"),
      "txt-record=shop.test,\"v=spf1 -all\"",
      "host-record=v6only.test,2001:db8::66",
      // Abusix zone: <reversed ip>.abusix.test
      "txt-record=10.2.0.192.abusix.test,\"abuse@hoster.test\"",
      "txt-record=0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.abusix.test,"
      "\"REDACTED@hoster.test,abuse6@hoster.test\"",
  };
  return c;
}

class DnsTest : public ::testing::Test {
 protected:
  DnsTest() : dns_(Records()) {}
  Resolver MakeResolver(int64_t timeout_ms = 3000) {
    Resolver r(ResolverOptions{{dns_.server()}, timeout_ms});
    EXPECT_TRUE(r.Init().ok());
    return r;
  }
  DnsmasqServer dns_;
  // RDAP through the guarded client, guard ON: the test bootstraps point at
  // loopback ports, so every RDAP request is refused without a connection.
  crawler::GuardedHttpClient http_{crawler::CrawlOptions{}};
};

TEST_F(DnsTest, AddressesCnameChainNsMxWithTtl) {
  Resolver r = MakeResolver();
  HostDns h = ResolveHost(r, "promo.shop.test", "shop.test");
  EXPECT_EQ(h.error, "");
  EXPECT_EQ(h.addresses, (std::vector<std::string>{"192.0.2.10", "2001:db8::10"}));
  const auto& j = h.json;
  ASSERT_EQ(j["a"].size(), 1u);
  EXPECT_EQ(j["a"][0]["ip"], "192.0.2.10");
  EXPECT_EQ(j["a"][0]["ttl"], 300);
  EXPECT_EQ(j["aaaa"][0]["ip"], "2001:db8::10");
  ASSERT_EQ(j["cname"].size(), 2u) << j.dump();
  EXPECT_EQ(j["cname"][0]["name"], "promo.shop.test");
  EXPECT_EQ(j["cname"][0]["target"], "www.shop.test");
  EXPECT_EQ(j["cname"][1]["target"], "shop.test");
  ASSERT_EQ(j["ns"].size(), 1u) << j.dump();
  EXPECT_EQ(j["ns"][0]["host"], "ns1.hoster.test");
  EXPECT_EQ(j["ns_zone"], "shop.test");
  EXPECT_EQ(j["status"]["a"], "ok");

  HostDns apex = ResolveHost(r, "shop.test", "shop.test");
  ASSERT_EQ(apex.json["mx"].size(), 1u) << apex.json.dump();
  EXPECT_EQ(apex.json["mx"][0]["host"], "mail.shop.test");
  EXPECT_EQ(apex.json["mx"][0]["preference"], 10);
  EXPECT_GT(apex.json["mx"][0]["ttl"].get<int>(), 0);
}

TEST_F(DnsTest, TxtRecords) {
  Resolver r = MakeResolver();
  auto a = r.Query({{"shop.test", RrType::kTxt}, {"10.2.0.192.abusix.test", RrType::kTxt}});
  ASSERT_TRUE(a[0].ok()) << a[0].status << " " << a[0].detail;
  EXPECT_EQ(a[0].records.at(0).value, "v=spf1 -all");
  ASSERT_TRUE(a[1].ok());
  EXPECT_EQ(a[1].records.at(0).value, "abuse@hoster.test");
}

TEST_F(DnsTest, NxdomainAndNodataAreResultsWithAReason) {
  Resolver r = MakeResolver();
  HostDns h = ResolveHost(r, "nothere.shop.test", "shop.test");
  EXPECT_EQ(h.json["status"]["a"], "nxdomain");
  EXPECT_EQ(h.error.rfind("nxdomain: ", 0), 0u) << h.error;
  EXPECT_TRUE(h.addresses.empty());
  HostDns v6 = ResolveHost(r, "v6only.test", "v6only.test");
  EXPECT_EQ(v6.json["status"]["a"], "nodata");
  EXPECT_EQ(v6.error, "");  // AAAA is enough
  EXPECT_EQ(v6.addresses, std::vector<std::string>{"2001:db8::66"});
  // The query log proves the questions reached our server.
  EXPECT_NE(dns_.QueryLog().find("nothere.shop.test"), std::string::npos);
}

TEST_F(DnsTest, SilentServerIsATimeoutWithinTheBudget) {
  // A UDP port nobody answers on: the whole Query() ends by its deadline.
  Resolver r(ResolverOptions{{"127.0.0.1:" + std::to_string(testing::FreePort())}, 400});
  ASSERT_TRUE(r.Init().ok());
  auto a = r.Query({{"shop.test", RrType::kA}, {"shop.test", RrType::kMx}});
  for (const auto& x : a) {
    EXPECT_TRUE(x.status == "timeout" || x.status == "error" || x.status == "refused") << x.status;
    EXPECT_FALSE(x.ok());
  }
}

TEST_F(DnsTest, LocatorUsesAbusixWhenRdapHasNoAbuseAddress) {
  testing::TempDir d;
  // RDAP: nothing listens there, so every network lookup fails fast.
  testutil::WriteBootstrap(d.path(), "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/");
  HostingOptions o;
  o.bootstrap_dir = d.path();
  o.dns_servers = {dns_.server()};
  o.abusix_zone = "abusix.test";
  o.rdap_timeout_ms = 1000;
  Locator loc(o, http_);
  ASSERT_TRUE(loc.Init().ok());
  LocateRequest req;
  req.seed_host = "www.shop.test";
  req.final_host = "promo.shop.test";
  req.security_txt = "Contact: mailto:security@shop.test\n";
  Hosting h = loc.Locate(req);
  ASSERT_EQ(h.ips.size(), 2u);
  EXPECT_EQ(h.ips[0].ip, "192.0.2.10");
  EXPECT_EQ(h.ips[0].abuse.email, "abuse@hoster.test");
  EXPECT_EQ(h.ips[0].abuse.source, "abusix");
  EXPECT_EQ(h.ips[0].abuse.scope, "network");
  // The placeholder in the IPv6 answer is skipped for the real address.
  EXPECT_EQ(h.ips[1].abuse.email, "abuse6@hoster.test");
  // DNS of both hosts is recorded.
  ASSERT_TRUE(h.dns.contains("promo.shop.test"));
  ASSERT_TRUE(h.dns.contains("www.shop.test"));
  // security.txt is in the contact list, after the network contacts.
  ASSERT_GE(h.contacts.size(), 3u);
  EXPECT_EQ(h.contacts.back().email, "security@shop.test");
  EXPECT_EQ(h.contacts.back().source, "security.txt");
}

TEST_F(DnsTest, SecurityTxtIsTheLastFallback) {
  testing::TempDir d;
  testutil::WriteBootstrap(d.path(), "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/");
  HostingOptions o;
  o.bootstrap_dir = d.path();
  o.dns_servers = {dns_.server()};
  o.abusix_zone = "abusix.test";
  Locator loc(o, http_);
  ASSERT_TRUE(loc.Init().ok());
  LocateRequest req;
  req.final_host = "mail.shop.test";  // 192.0.2.25: not in the Abusix zone
  req.security_txt = "Contact: mailto:REDACTED@shop.test\nContact: mailto:security@shop.test\n";
  Hosting h = loc.Locate(req);
  ASSERT_EQ(h.ips.size(), 1u);
  EXPECT_EQ(h.ips[0].abuse.email, "security@shop.test");
  EXPECT_EQ(h.ips[0].abuse.source, "security.txt");
  EXPECT_EQ(h.ips[0].abuse.scope, "site");
}

TEST_F(DnsTest, NxdomainIsRecordedInHostingErrors) {
  testing::TempDir d;
  testutil::WriteBootstrap(d.path(), "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/");
  HostingOptions o;
  o.bootstrap_dir = d.path();
  o.dns_servers = {dns_.server()};
  Locator loc(o, http_);
  ASSERT_TRUE(loc.Init().ok());
  Hosting h = loc.LookupDomain("gone.shop.test");
  EXPECT_TRUE(h.ips.empty());
  bool found = false;
  for (const auto& e : h.errors) found |= e.find("dns gone.shop.test: nxdomain") != std::string::npos;
  EXPECT_TRUE(found);
  EXPECT_EQ(h.dns["gone.shop.test"]["status"]["a"], "nxdomain");
}

TEST_F(DnsTest, MaxIpsLimitIsHitAndNamed) {
  testing::TempDir d;
  testutil::WriteBootstrap(d.path(), "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/");
  HostingOptions o;
  o.bootstrap_dir = d.path();
  o.dns_servers = {dns_.server()};
  o.abusix_zone = "";
  o.max_ips = 2;
  Locator loc(o, http_);
  ASSERT_TRUE(loc.Init().ok());
  LocateRequest req;
  req.final_host = "shop.test";
  req.ips_seen = {"192.0.2.99", "192.0.2.98"};
  Hosting h = loc.Locate(req);
  EXPECT_EQ(h.ips.size(), 2u);
  bool named = false;
  for (const auto& e : h.errors) named |= e.find("hosting.max_ips") != std::string::npos;
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace dragnet::hosting
