// Hosting stage, no servers: addresses and CIDRs, contact hygiene,
// security.txt, RDAP dates, the DNS message parser's limits, bootstrap
// files (real and malformed), the CDN table, the options parser.
#include <gtest/gtest.h>

#include <toml++/toml.h>

#include "extractors/hosting/bootstrap.h"
#include "extractors/hosting/cdn.h"
#include "extractors/hosting/contacts.h"
#include "extractors/hosting/dns.h"
#include "extractors/hosting/ip.h"
#include "extractors/hosting/options.h"
#include "extractors/hosting/rdap.h"
#include "tests/unit/hosting/test_util.h"

namespace dragnet::hosting {
namespace {

using testing::TempDir;
using testing::WriteAll;

// ------------------------------------------------------------------ ip.h

TEST(Ip, ParsesAndFormatsBothFamilies) {
  auto a = ParseIp("192.0.2.1");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->family, 4);
  EXPECT_EQ(FormatIp(*a), "192.0.2.1");
  auto b = ParseIp("2001:DB8:0:0::1");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(FormatIp(*b), "2001:db8::1");
  EXPECT_TRUE(ParseIp("[2001:db8::1]").ok());
  // ARIN writes zero-padded octets.
  auto c = ParseIp("074.125.000.000");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(FormatIp(*c), "74.125.0.0");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4x", "example.com", "1::2::3",
                          "1234.1.1.1"}) {
    EXPECT_FALSE(ParseIp(bad).ok()) << bad;
  }
}

TEST(Ip, CidrContainsAndRanges) {
  auto c = ParseCidr("104.16.5.7/13");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->ToString(), "104.16.0.0/13");
  EXPECT_TRUE(c->Contains(*ParseIp("104.23.255.255")));
  EXPECT_FALSE(c->Contains(*ParseIp("104.24.0.0")));
  EXPECT_FALSE(c->Contains(*ParseIp("2606:4700::1")));
  auto c6 = ParseCidr("2606:4700::/32");
  ASSERT_TRUE(c6.ok());
  EXPECT_TRUE(c6->Contains(*ParseIp("2606:4700:4700::1111")));
  EXPECT_FALSE(ParseCidr("10.0.0.0/33").ok());
  EXPECT_FALSE(ParseCidr("10.0.0.0/x").ok());
  auto exact = RangeToCidr(*ParseIp("1.1.1.0"), *ParseIp("1.1.1.255"));
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->ToString(), "1.1.1.0/24");
  EXPECT_FALSE(RangeToCidr(*ParseIp("13.64.0.0"), *ParseIp("13.107.255.255")).has_value());
  EXPECT_TRUE(InRange(*ParseIp("13.70.1.1"), *ParseIp("13.64.0.0"), *ParseIp("13.107.255.255")));
}

TEST(Ip, ReverseNamesForTheAbusixZone) {
  EXPECT_EQ(ReverseName(*ParseIp("192.0.2.10")), "10.2.0.192");
  EXPECT_EQ(ReverseName(*ParseIp("2001:db8::1")),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2");
}

// ------------------------------------------------------------ contacts.h

TEST(Contacts, PlaceholdersAndRegistryMailboxesAreDropped) {
  ContactFilter f({"@hidden.example", "bad@x.example"});
  for (const char* p : {"", "REDACTED FOR PRIVACY", "redacted@redacted.com",
                        "removed@nic.example", "Please query the RDDS service of the Registrar of Record",
                        "helpdesk@apnic.net", "hostmaster@nic.or.kr", "abuse@ripe.net",
                        "x@sub.hidden.example", "bad@x.example", "no-at-sign"}) {
    EXPECT_TRUE(f.IsPlaceholder(p)) << p;
  }
  for (const char* ok : {"abuse@cloudflare.com", "abusecomplaints@markmonitor.com",
                         "mailto:Abuse@Switch.CH", "abuse@notapnic.net"}) {
    EXPECT_FALSE(f.IsPlaceholder(ok)) << ok;
  }
  EXPECT_EQ(CleanEmail(" mailto:Abuse@Switch.CH "), "abuse@switch.ch");
  EXPECT_EQ(CleanPhone("tel:+1.2083895740"), "+1.2083895740");
  EXPECT_EQ(CleanPhone("tel:"), "");
}

TEST(SecurityTxt, ContactsInOrderWithSourceAndScope) {
  std::string txt =
      "-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA512\r\n\r\n"
      "# comment\r\nContact: mailto:security@shop.test\r\n"
      "- Contact: tel:+1-201-555-0123\r\ncontact: https://shop.test/report\r\n"
      "Expires: 2030-01-01T00:00:00.000Z\r\nContact: ftp://ignored.test/\r\n"
      "-----BEGIN PGP SIGNATURE-----\r\nContact: mailto:after-signature@shop.test\r\n";
  auto c = ParseSecurityTxt(txt);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].email, "security@shop.test");
  EXPECT_EQ(c[0].source, "security.txt");
  EXPECT_EQ(c[0].scope, "site");
  EXPECT_EQ(c[1].phone, "+1-201-555-0123");
  EXPECT_EQ(c[2].url, "https://shop.test/report");
}

TEST(SecurityTxt, LimitsOnSizeAndContactCount) {
  std::string many;
  for (int i = 0; i < 50; ++i) many += "Contact: mailto:c" + std::to_string(i) + "@shop.test\n";
  EXPECT_EQ(ParseSecurityTxt(many).size(), kMaxSecurityTxtContacts);
  std::string padded(kMaxSecurityTxtBytes, '#');
  padded += "\nContact: mailto:too-late@shop.test\n";
  EXPECT_TRUE(ParseSecurityTxt(padded).empty());
}

// ---------------------------------------------------------------- dates

TEST(RdapDates, RegistryFormatsNormalise) {
  EXPECT_EQ(NormalizeRdapDate("1997-09-15T04:00:00Z"), "1997-09-15T04:00:00Z");
  EXPECT_EQ(NormalizeRdapDate("2028-09-13T07:00:00.000+0000"), "2028-09-13T07:00:00Z");
  EXPECT_EQ(NormalizeRdapDate("2017-02-17T18:04:32-05:00"), "2017-02-17T23:04:32Z");
  EXPECT_EQ(NormalizeRdapDate("2004-12-14T08:29:42"), "2004-12-14T08:29:42Z");
  EXPECT_EQ(NormalizeRdapDate("2024-06-12T22:09:39.881923Z"), "2024-06-12T22:09:39Z");
  EXPECT_EQ(NormalizeRdapDate("not a date"), "");
  EXPECT_EQ(NormalizeRdapDate(""), "");
}

TEST(RdapDates, DomainAgeInWholeDays) {
  auto now = ParseRfc3339Ms("2026-11-29T12:00:00Z");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(DomainAgeDays("2026-11-27T13:00:00Z", *now), 1);
  EXPECT_EQ(DomainAgeDays("2026-11-29T00:00:00Z", *now), 0);
  EXPECT_EQ(DomainAgeDays("2025-11-29T12:00:00Z", *now), 365);
  EXPECT_FALSE(DomainAgeDays("2027-01-01T00:00:00Z", *now).has_value());
  EXPECT_FALSE(DomainAgeDays("", *now).has_value());
}

// ------------------------------------------------------- DNS message parser

std::vector<uint8_t> Header(uint16_t qd, uint16_t an) {
  return {0x12, 0x34, 0x81, 0x80, 0, static_cast<uint8_t>(qd), 0, static_cast<uint8_t>(an), 0, 0, 0, 0};
}

TEST(DnsParser, CompressedAnswersWithTtl) {
  auto m = Header(1, 2);
  // question: shop.test A IN
  std::vector<uint8_t> q = {4, 's', 'h', 'o', 'p', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
  m.insert(m.end(), q.begin(), q.end());
  // CNAME www -> pointer to offset 12 (shop.test), TTL 300
  std::vector<uint8_t> a1 = {0xC0, 12, 0, 5, 0, 1, 0, 0, 1, 44, 0, 6, 3, 'w', 'w', 'w', 0xC0, 12};
  std::vector<uint8_t> a2 = {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10};
  m.insert(m.end(), a1.begin(), a1.end());
  m.insert(m.end(), a2.begin(), a2.end());
  auto recs = ParseDnsAnswers(m.data(), m.size());
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].name, "shop.test");
  EXPECT_EQ((*recs)[0].value, "www.shop.test");
  EXPECT_EQ((*recs)[0].ttl, 300u);
  EXPECT_EQ((*recs)[1].value, "192.0.2.10");
  EXPECT_EQ((*recs)[1].ttl, 60u);
}

TEST(DnsParser, PointerLoopHitsTheJumpLimit) {
  auto m = Header(1, 0);
  // The question name is a pointer to itself.
  std::vector<uint8_t> q = {0xC0, 12, 0, 1, 0, 1};
  m.insert(m.end(), q.begin(), q.end());
  auto r = ParseDnsAnswers(m.data(), m.size());
  EXPECT_FALSE(r.ok());
}

TEST(DnsParser, TruncatedAndLyingLengthsAreErrors) {
  auto m = Header(0, 1);
  std::vector<uint8_t> a = {0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 16, 1, 2, 3, 4};  // rdlength 16, 4 bytes
  m.insert(m.end(), a.begin(), a.end());
  EXPECT_FALSE(ParseDnsAnswers(m.data(), m.size()).ok());
  EXPECT_FALSE(ParseDnsAnswers(m.data(), 5).ok());
  auto m2 = Header(0, 1);
  std::vector<uint8_t> a2 = {0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 1, 2, 3};  // A of 3 bytes
  m2.insert(m2.end(), a2.begin(), a2.end());
  EXPECT_FALSE(ParseDnsAnswers(m2.data(), m2.size()).ok());
}

TEST(DnsParser, RecordCountIsCapped) {
  auto m = Header(0, 0);
  int n = static_cast<int>(kMaxDnsRecords) + 10;
  m[6] = static_cast<uint8_t>(n >> 8);
  m[7] = static_cast<uint8_t>(n & 0xFF);
  for (int i = 0; i < n; ++i) {
    std::vector<uint8_t> a = {0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, static_cast<uint8_t>(i >> 8),
                              static_cast<uint8_t>(i)};
    m.insert(m.end(), a.begin(), a.end());
  }
  auto r = ParseDnsAnswers(m.data(), m.size());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), kMaxDnsRecords);
}

TEST(Resolver, BadServerIsAnErrorNamingIt) {
  Resolver r(ResolverOptions{{"127.0.0.1:99999"}, 1000});
  Status s = r.Init();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("127.0.0.1:99999"), std::string::npos);
  Resolver r2(ResolverOptions{{"not-an-ip"}, 1000});
  EXPECT_FALSE(r2.Init().ok());
  Resolver r3(ResolverOptions{{"127.0.0.1:5353", "[::1]:53", "::1"}, 1000});
  EXPECT_TRUE(r3.Init().ok());
}

// ------------------------------------------------------------ bootstrap

TEST(Bootstrap, ShippedSnapshotResolvesRealRegistries) {
  Bootstrap b;
  ASSERT_TRUE(b.Load(testing::SourceDir() + "/config/rdap").ok());
  auto com = b.ForDomain("shop.example.COM");
  ASSERT_FALSE(com.empty());
  EXPECT_EQ(com[0], "https://rdap.verisign.com/com/v1/");
  auto v4 = b.ForIp(*ParseIp("1.1.1.1"));
  ASSERT_FALSE(v4.empty());
  EXPECT_EQ(v4[0], "https://rdap.apnic.net/");
  auto v6 = b.ForIp(*ParseIp("2606:4700::1"));
  ASSERT_FALSE(v6.empty());
  EXPECT_EQ(v6[0], "https://rdap.arin.net/registry/");
  auto asn = b.ForAsn(13335);
  ASSERT_FALSE(asn.empty());
  EXPECT_EQ(asn[0], "https://rdap.arin.net/registry/");
  EXPECT_TRUE(b.ForDomain("nothing.invalid-tld-xyz").empty());
  EXPECT_EQ(b.publication().at("dns.json"), "2024-07-25T22:00:01Z");
}

TEST(Bootstrap, BaseUrlRewritesApplyToRegistriesAndReferrals) {
  Bootstrap b;
  ASSERT_TRUE(b.Load(testing::SourceDir() + "/config/rdap",
                     {{"https://rdap.verisign.com/com/v1/", "http://127.0.0.1:1/v/"},
                      {"https://rdap.markmonitor.com/", "http://127.0.0.1:1/mm/"}})
                  .ok());
  EXPECT_EQ(b.ForDomain("google.com")[0], "http://127.0.0.1:1/v/");
  EXPECT_EQ(b.Rewrite("https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM"),
            "http://127.0.0.1:1/mm/rdap/domain/GOOGLE.COM");
  EXPECT_EQ(b.Rewrite("https://other.example/x"), "https://other.example/x");
}

TEST(Bootstrap, MalformedFilesAreErrorsNamingTheFile) {
  for (const char* f : {"dns_bad_services.json", "dns_empty.json", "dns_syntax_error.json"}) {
    std::string text = testing::ReadAll(testutil::HostingFixture(std::string("rdap/bootstrap-malformed/") + f));
    Status s = ValidateBootstrapFile(text, f);
    EXPECT_FALSE(s.ok()) << f;
    EXPECT_NE(s.message().find(f), std::string::npos) << s.message();
  }
  TempDir d;
  testutil::WriteBootstrap(d.path(), "http://127.0.0.1:1/");
  WriteAll(d.File("ipv6.json"), "{\"services\": [[[\"::/0\"], [\"http://x/\"]]");  // truncated
  Bootstrap b;
  Status s = b.Load(d.path());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ipv6.json"), std::string::npos);
  Bootstrap missing;
  Status m = missing.Load(d.File("nope"));
  EXPECT_FALSE(m.ok());
  EXPECT_NE(m.message().find("dns.json"), std::string::npos);
}

// -------------------------------------------------------------- cdn.toml

TEST(CdnTable, ShippedTableLoadsAndMatches) {
  CdnTable t;
  Status s = t.Load(testing::SourceDir() + "/config/cdn.toml");
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const char* name : {"Cloudflare", "Akamai", "Fastly", "Amazon CloudFront", "Google",
                           "Microsoft Azure Front Door", "DDoS-Guard"}) {
    bool found = false;
    for (const auto& p : t.providers()) {
      if (p.name == name) {
        found = true;
        EXPECT_FALSE(p.source.empty()) << name;
        EXPECT_FALSE(p.abuse.empty()) << name;
      }
    }
    EXPECT_TRUE(found) << name;
  }
  auto cf = t.Match(*ParseIp("104.16.1.1"), 0);
  ASSERT_TRUE(cf.has_value());
  EXPECT_EQ(cf->name, "Cloudflare");
  EXPECT_EQ(cf->matched_by, "range:104.16.0.0/13");
  EXPECT_EQ(cf->abuse.source, "cdn");
  EXPECT_EQ(cf->abuse.scope, "cdn");
  auto ak = t.Match(*ParseIp("23.32.1.1"), 35994);
  ASSERT_TRUE(ak.has_value());
  EXPECT_EQ(ak->name, "Akamai");
  EXPECT_EQ(ak->matched_by, "asn:35994");
  EXPECT_TRUE(t.Match(*ParseIp("2606:4700::6810:1"), 0).has_value());
  EXPECT_FALSE(t.Match(*ParseIp("192.0.2.1"), 64500).has_value());
}

TEST(CdnTable, BadTablesAreErrorsNamingTheProvider) {
  TempDir d;
  WriteAll(d.File("a.toml"), "[[provider]]\nname = \"X\"\nranges = [\"1.2.3.0/40\"]\n"
                             "abuse_email = \"a@x.example\"\nsource = \"s\"\n");
  Status s = CdnTable().Load(d.File("a.toml"));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'X'"), std::string::npos) << s.message();
  WriteAll(d.File("b.toml"), "[[provider]]\nname = \"Y\"\nasns = [1]\nsource = \"s\"\n");
  EXPECT_FALSE(CdnTable().Load(d.File("b.toml")).ok());  // no abuse route
  WriteAll(d.File("c.toml"), "[[provider]]\nname = \"Z\"\nasns = [1]\nabuse_email = \"a@b.example\"\n"
                             "source = \"s\"\ncolour = \"red\"\n");
  s = CdnTable().Load(d.File("c.toml"));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("colour"), std::string::npos);
}

// -------------------------------------------------------------- options

TEST(HostingOptions, ParsesEveryKeyAndRefusesUnknownOnes) {
  auto root = toml::parse(R"(
[hosting]
cdn_file = "/x/cdn.toml"
ignore_contacts = ["@example.net"]
max_ips = 4
security_txt = false
security_txt_timeout = "2s"
[dns]
servers = ["127.0.0.1:5353"]
abusix_zone = "abusix.test"
timeout = "1500ms"
[geo]
city_db = "/x/city.mmdb"
asn_db = "/x/asn.mmdb"
embedded_db = "/x/e.mmdb"
[rdap]
bootstrap_dir = "/x/rdap"
cache_ttl = "1h"
timeout = "5s"
failure_backoff = "30s"
max_retry_wait = "0s"
bootstrap_url = "http://127.0.0.1:1/"
follow_referrals = false
[rdap.base_url]
"https://rdap.verisign.com/com/v1/" = "http://127.0.0.1:1/com/"
)");
  HostingOptions o;
  Status s = ParseHostingOptions(&root, o);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(o.cdn_file, "/x/cdn.toml");
  EXPECT_EQ(o.max_ips, 4);
  EXPECT_FALSE(o.security_txt);
  EXPECT_EQ(o.security_txt_timeout_ms, 2000);
  EXPECT_EQ(o.dns_servers.at(0), "127.0.0.1:5353");
  EXPECT_EQ(o.abusix_zone, "abusix.test");
  EXPECT_EQ(o.dns_timeout_ms, 1500);
  EXPECT_EQ(o.city_db, "/x/city.mmdb");
  EXPECT_EQ(o.embedded_db, "/x/e.mmdb");
  EXPECT_EQ(o.cache_ttl_ms, 3600'000);
  EXPECT_EQ(o.rdap_timeout_ms, 5000);
  EXPECT_EQ(o.failure_backoff_ms, 30'000);
  EXPECT_EQ(o.max_retry_wait_ms, 0);
  EXPECT_FALSE(o.follow_referrals);
  EXPECT_EQ(o.base_url.at("https://rdap.verisign.com/com/v1/"), "http://127.0.0.1:1/com/");

  auto bad = toml::parse("[rdap]\nbootstrap_dri = \"/x\"\n");
  HostingOptions o2;
  s = ParseHostingOptions(&bad, o2);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("bootstrap_dri"), std::string::npos);
  auto bad_url = toml::parse("[rdap.base_url]\n\"https://a.example/\" = 5\n");
  EXPECT_FALSE(ParseHostingOptions(&bad_url, o2).ok());
  auto bad_ips = toml::parse("[hosting]\nmax_ips = 0\n");
  EXPECT_FALSE(ParseHostingOptions(&bad_ips, o2).ok());
  auto bad_timeout = toml::parse("[hosting]\nsecurity_txt_timeout = \"10ms\"\n");
  HostingOptions o3;
  s = ParseHostingOptions(&bad_timeout, o3);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("hosting.security_txt_timeout"), std::string::npos) << s.message();
}

// Retry-After moved from a curl header callback to the response headers of
// the guarded client: both forms, the cap, junk.
TEST(RdapRetryAfter, SecondsDatesCapAndJunk) {
  const int64_t now = 1'780'000'000;  // 2026-05-28T20:26:40Z
  EXPECT_EQ(ParseRetryAfterMs("30", now), 30'000);
  EXPECT_EQ(ParseRetryAfterMs(" 0 ", now), 0);
  EXPECT_EQ(ParseRetryAfterMs("99999999", now), kMaxRetryAfterMs);
  EXPECT_EQ(ParseRetryAfterMs("7200", now), kMaxRetryAfterMs);
  EXPECT_EQ(ParseRetryAfterMs("Thu, 28 May 2026 20:27:40 GMT", now), 60'000);
  EXPECT_EQ(ParseRetryAfterMs("Thu, 28 May 2026 20:00:00 GMT", now), 0);  // in the past
  EXPECT_EQ(ParseRetryAfterMs("", now), -1);
  EXPECT_EQ(ParseRetryAfterMs("soon", now), -1);
  EXPECT_EQ(ParseRetryAfterMs("-5", now), -1);
}

}  // namespace
}  // namespace dragnet::hosting
