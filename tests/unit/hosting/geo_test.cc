// Geolocation against MaxMind's official test databases, checked field by
// field against `mmdblookup` (Debian mmdb-bin) for IPv4 and IPv6 addresses;
// missing and corrupt databases; the embedded-default fallback.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "crawler/http_client.h"
#include "extractors/hosting/geo.h"
#include "extractors/hosting/locator.h"
#include "tests/unit/hosting/test_util.h"

namespace dragnet::hosting {
namespace {

using testing::TempDir;
using testutil::HostingFixture;

// One value from mmdblookup's output ("  "London" <utf8_string>"), or "".
std::string MmdbLookup(const std::string& db, const std::string& ip, const std::vector<std::string>& path) {
  std::vector<std::string> argv = {"mmdblookup", "--file", db, "--ip", ip};
  argv.insert(argv.end(), path.begin(), path.end());
  auto r = testing::Run(argv, "", 20000);
  if (r.exit_code != 0) return "";
  const std::string& o = r.out;
  auto q1 = o.find('"');
  if (q1 != std::string::npos) {
    auto q2 = o.find('"', q1 + 1);
    return o.substr(q1 + 1, q2 - q1 - 1);
  }
  // Numbers: "  51.5142 <double>"
  size_t start = o.find_first_not_of(" \n");
  if (start == std::string::npos) return "";
  size_t end = o.find(' ', start);
  return o.substr(start, end - start);
}

struct Case {
  const char* db;
  const char* ip;
};

class GeoAgainstMmdblookup : public ::testing::TestWithParam<Case> {};

TEST_P(GeoAgainstMmdblookup, SameAnswers) {
  std::string db = HostingFixture(std::string("mmdb/") + GetParam().db);
  auto g = GeoDb::Open(db);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  auto ip = ParseIp(GetParam().ip);
  ASSERT_TRUE(ip.ok());
  IpInfo info;
  bool found = false;
  ASSERT_TRUE((*g)->Lookup(*ip, info, &found).ok());
  ASSERT_TRUE(found) << GetParam().ip;
  std::string iso = MmdbLookup(db, GetParam().ip, {"country", "iso_code"});
  if (iso.empty()) iso = MmdbLookup(db, GetParam().ip, {"registered_country", "iso_code"});
  EXPECT_EQ(info.country, iso);
  if (!iso.empty()) {
    std::string key = MmdbLookup(db, GetParam().ip, {"country", "iso_code"}).empty() ? "registered_country" : "country";
    EXPECT_EQ(info.country_name, MmdbLookup(db, GetParam().ip, {key, "names", "en"}));
  }
  EXPECT_EQ(info.city, MmdbLookup(db, GetParam().ip, {"city", "names", "en"}));
  std::string lat = MmdbLookup(db, GetParam().ip, {"location", "latitude"});
  if (lat.empty()) {
    EXPECT_FALSE(info.latitude.has_value());
  } else {
    ASSERT_TRUE(info.latitude.has_value());
    EXPECT_NEAR(*info.latitude, std::stod(lat), 1e-4);
    EXPECT_NEAR(*info.longitude, std::stod(MmdbLookup(db, GetParam().ip, {"location", "longitude"})), 1e-4);
  }
  std::string asn = MmdbLookup(db, GetParam().ip, {"autonomous_system_number"});
  EXPECT_EQ(info.asn, asn.empty() ? 0u : static_cast<uint32_t>(std::stoul(asn)));
  EXPECT_EQ(info.as_org, MmdbLookup(db, GetParam().ip, {"autonomous_system_organization"}));
  EXPECT_FALSE(info.network.empty());
  auto net = ParseCidr(info.network);
  ASSERT_TRUE(net.ok()) << info.network;
  EXPECT_TRUE(net->Contains(*ip)) << info.network;
}

INSTANTIATE_TEST_SUITE_P(
    MaxMindTestDbs, GeoAgainstMmdblookup,
    ::testing::Values(Case{"GeoIP2-City-Test.mmdb", "81.2.69.160"}, Case{"GeoIP2-City-Test.mmdb", "2.125.160.216"},
                      Case{"GeoIP2-City-Test.mmdb", "89.160.20.112"}, Case{"GeoIP2-City-Test.mmdb", "2001:218::1"},
                      Case{"GeoIP2-City-Test.mmdb", "2a02:d300::1"}, Case{"GeoIP2-City-Test.mmdb", "216.160.83.56"},
                      Case{"GeoLite2-City-Test.mmdb", "81.2.69.142"}, Case{"GeoLite2-City-Test.mmdb", "2001:480::1"},
                      Case{"GeoLite2-Country-Test.mmdb", "81.2.69.160"},
                      Case{"GeoLite2-Country-Test.mmdb", "2a02:ff00::1"},
                      Case{"GeoIP2-Country-Test.mmdb", "74.209.24.1"},
                      Case{"GeoLite2-ASN-Test.mmdb", "1.0.0.1"}, Case{"GeoLite2-ASN-Test.mmdb", "12.81.92.1"},
                      Case{"GeoLite2-ASN-Test.mmdb", "2600:6000::1"}),
    // Stable, readable test names: database and address, non-alphanumerics as '_'.
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = std::string(info.param.db) + "_" + info.param.ip;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(Geo, KnownValuesAndSource) {
  auto g = GeoDb::Open(HostingFixture("mmdb/GeoIP2-City-Test.mmdb"));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)->source(), "maxmind:GeoIP2-City");
  IpInfo info;
  ASSERT_TRUE((*g)->Lookup(*ParseIp("81.2.69.160"), info).ok());
  EXPECT_EQ(info.country, "GB");
  EXPECT_EQ(info.country_name, "United Kingdom");
  EXPECT_EQ(info.city, "London");
  EXPECT_EQ(info.network, "81.2.69.160/27");
  IpInfo none;
  bool found = true;
  ASSERT_TRUE((*g)->Lookup(*ParseIp("192.0.2.1"), none, &found).ok());
  EXPECT_FALSE(found);
  EXPECT_TRUE(none.country.empty());
}

TEST(Geo, MissingDatabaseIsOneWarningAndGeolocationSkipped) {
  TempDir d;
  testutil::WriteBootstrap(d.path(), "http://127.0.0.1:1/");
  HostingOptions o;
  o.city_db = d.File("nope/GeoLite2-City.mmdb");
  o.bootstrap_dir = d.path();
  o.cdn_file = "";
  o.dns_servers = {"127.0.0.1:1"};
  o.dns_timeout_ms = 200;
  crawler::GuardedHttpClient http{crawler::CrawlOptions{}};  // guard ON: loopback RDAP refused
  Locator loc(o, http);
  Status s = loc.Init();
  EXPECT_TRUE(s.ok()) << s.ToString();
  int geo_warnings = 0;
  for (const auto& w : loc.warnings()) geo_warnings += w.find("GeoLite2-City.mmdb") != std::string::npos;
  EXPECT_EQ(geo_warnings, 1);
  EXPECT_EQ(loc.geo_source(), "none");
}

// Every corrupt database MaxMind publishes: either Open() refuses it with a
// message naming the file, or every lookup ends in ok or an error naming the
// file. Never a crash (this test runs under ASan too).
TEST(Geo, CorruptDatabasesNeverCrash) {
  int refused = 0, files = 0;
  for (const auto& e : std::filesystem::directory_iterator(HostingFixture("mmdb/bad-data"))) {
    std::string path = e.path().string();
    ++files;
    auto g = GeoDb::Open(path);
    if (!g.ok()) {
      ++refused;
      EXPECT_NE(g.status().message().find(path), std::string::npos) << g.status().message();
      EXPECT_EQ(g.status().code(), Code::kCorrupt);
      continue;
    }
    for (const char* ip : {"1.1.1.1", "81.2.69.160", "::1", "2001:db8::1", "255.255.255.255"}) {
      IpInfo info;
      Status s = (*g)->Lookup(*ParseIp(ip), info);
      if (!s.ok()) {
        EXPECT_NE(s.message().find(path), std::string::npos);
      }
    }
  }
  EXPECT_GE(files, 20);
  EXPECT_GE(refused, 8);  // the ones mmdblookup itself cannot open, and more
}

TEST(Geo, NamedCorruptDatabasesAreRefusedAtOpen) {
  for (const char* f : {"GeoIP2-City-Test-Invalid-Node-Count.mmdb", "GeoIP2-City-Test-Broken-Double-Format.mmdb",
                        "bad-data/cyclic-data-structure.mmdb", "bad-data/libmaxminddb-metadata-marker-only.mmdb",
                        "bad-data/libmaxminddb-offset-integer-overflow.mmdb"}) {
    std::string path = HostingFixture(std::string("mmdb/") + f);
    auto g = GeoDb::Open(path);
    ASSERT_FALSE(g.ok()) << f;
    EXPECT_NE(g.status().message().find(path), std::string::npos) << g.status().message();
  }
}

TEST(Geo, TruncatedDatabaseIsAClearErrorFromInit) {
  TempDir d;
  std::string full = testing::ReadAll(HostingFixture("mmdb/GeoIP2-City-Test.mmdb"));
  for (size_t keep : {full.size() / 2, full.size() - 10, size_t{0}}) {
    std::string path = d.File("truncated-" + std::to_string(keep) + ".mmdb");
    testing::WriteAll(path, full.substr(0, keep));
    testutil::WriteBootstrap(d.path(), "http://127.0.0.1:1/");
    HostingOptions o;
    o.city_db = path;
    o.bootstrap_dir = d.path();
    o.dns_servers = {"127.0.0.1:1"};
    crawler::GuardedHttpClient http{crawler::CrawlOptions{}};  // guard ON: loopback RDAP refused
    Locator loc(o, http);
    Status s = loc.Init();
    ASSERT_FALSE(s.ok()) << keep;
    EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
    // Still usable without geolocation.
    Hosting h = loc.LookupIp("192.0.2.1");
    EXPECT_EQ(h.geo_source, "none");
  }
}

TEST(Geo, EmbeddedDefaultIsUsedWhenNothingIsConfigured) {
  TempDir d;
  std::filesystem::create_directories(d.File("data/rdap"));
  std::filesystem::create_directories(d.File("data/geo"));
  testutil::WriteBootstrap(d.File("data/rdap"), "http://127.0.0.1:1/");
  // Any country database stands in for the built one here; the script's own
  // output is tested in BuildGeoipMmdb below.
  std::filesystem::copy_file(HostingFixture("mmdb/GeoLite2-Country-Test.mmdb"),
                             d.File("data/geo/dragnet-country.mmdb"));
  HostingOptions o;
  o.bootstrap_dir = d.File("data/rdap");
  o.dns_servers = {"127.0.0.1:1"};
  o.max_retry_wait_ms = 0;
  o.rdap_timeout_ms = 500;
  crawler::GuardedHttpClient http{crawler::CrawlOptions{}};  // guard ON: loopback RDAP refused
  Locator loc(o, http);
  EXPECT_TRUE(loc.Init().ok());
  EXPECT_EQ(loc.geo_source(), "maxmind:GeoLite2-Country");
  Hosting h = loc.LookupIp("81.2.69.160");
  ASSERT_EQ(h.ips.size(), 1u);
  EXPECT_EQ(h.ips[0].country, "GB");
}

TEST(BuildGeoipMmdb, ScriptOutputIsReadableAndRight) {
  TempDir d;
  // A small slice of Tor's files keeps the test quick; the format is the same.
  std::string v4 = "# Generated: Thu, 25 Jun 2026 04:33:59 GMT\n", v6 = v4;
  std::string tor4 = testing::ReadAll("/usr/share/tor/geoip");
  std::string tor6 = testing::ReadAll("/usr/share/tor/geoip6");
  ASSERT_FALSE(tor4.empty()) << "tor-geoipdb is not installed";
  // Every 500th data line, plus the lines for the addresses we check.
  auto slice = [](const std::string& text, std::string& out) {
    size_t pos = 0, n = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      std::string line = text.substr(pos, nl - pos);
      pos = nl == std::string::npos ? text.size() : nl + 1;
      if (line.empty() || line[0] == '#') continue;
      if (n++ % 500 == 0) out += line + "\n";
    }
  };
  slice(tor4, v4);
  slice(tor6, v6);
  testing::WriteAll(d.File("geoip"), v4);
  testing::WriteAll(d.File("geoip6"), v6);
  std::string out = d.File("geo/dragnet-country.mmdb");
  auto r = testing::Run({testing::SourceDir() + "/scripts/build-geoip-mmdb", "--out", out, "--geoip", d.File("geoip"),
                "--geoip6", d.File("geoip6")},
               "", 300000);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Check a few ranges of the slice: the first address of each, against
  // the country Tor's file gives, via mmdblookup and via GeoDb.
  auto g = GeoDb::Open(out);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ((*g)->source(), "dragnet-embedded:tor-geoipdb 2026-06-25");
  int checked = 0;
  size_t pos = v4.find('\n') + 1;
  while (pos < v4.size() && checked < 6) {
    size_t nl = v4.find('\n', pos);
    std::string line = v4.substr(pos, nl - pos);
    pos = nl + 1;
    auto c1 = line.find(','), c2 = line.rfind(',');
    std::string cc = line.substr(c2 + 1);
    if (cc == "??") continue;
    uint32_t first = static_cast<uint32_t>(std::stoul(line.substr(0, c1)));
    std::string ip = std::to_string(first >> 24) + "." + std::to_string((first >> 16) & 255) + "." +
                     std::to_string((first >> 8) & 255) + "." + std::to_string(first & 255);
    EXPECT_EQ(MmdbLookup(out, ip, {"country", "iso_code"}), cc) << ip;
    IpInfo info;
    ASSERT_TRUE((*g)->Lookup(*ParseIp(ip), info).ok());
    EXPECT_EQ(info.country, cc) << ip;
    ++checked;
    pos = v4.find('\n', pos) + 1;  // skip one line for variety
  }
  EXPECT_GE(checked, 3);
  // An IPv6 range too.
  size_t p6 = v6.find('\n') + 1;
  std::string line6 = v6.substr(p6, v6.find('\n', p6) - p6);
  std::string cc6 = line6.substr(line6.rfind(',') + 1);
  std::string ip6 = line6.substr(0, line6.find(','));
  if (cc6 != "??") {
    EXPECT_EQ(MmdbLookup(out, ip6, {"country", "iso_code"}), cc6) << ip6;
  }
}

}  // namespace
}  // namespace dragnet::hosting
