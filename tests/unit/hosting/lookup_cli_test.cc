// `dragnet lookup` and `dragnet rdap update` end to end: the built binary,
// a config file written here, nginx serving real RDAP responses, dnsmasq
// answering DNS, and MaxMind's test databases.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/harness/counting_server.h"
#include "tests/harness/dnsmasq.h"
#include "tests/harness/nginx.h"
#include "tests/unit/hosting/test_util.h"

namespace dragnet::hosting {
namespace {

using nlohmann::json;
using testing::DnsmasqConfig;
using testing::DnsmasqServer;
using testing::NginxServer;
using testing::ReadAll;
using testing::RunResult;
using testing::TempDir;
using testing::WriteAll;

std::string Binary() { return testing::DragnetBinary(); }

std::string RdapFragment() {
  std::string f = "server {\n  listen 127.0.0.1:{{PORT}};\n";
  auto loc = [&](const std::string& path, const std::string& file) {
    f += "  location = " + path + " { types { } default_type application/rdap+json; alias "
         "{{FIXTURES}}/hosting/rdap/" + file + "; }\n";
  };
  loc("/domain/shop.test", "verisign-com/domain-THEMARQUETRY.COM.json");
  loc("/ip/81.2.69.160", "ripe/ip-62.239.237.1-ipwhois.json");
  loc("/ip/1.0.0.1", "apnic/ip-1.1.1.1.json");
  f += "  location /iana/ { types { } default_type application/json; alias {{DIR}}/iana/; }\n";
  f += "}\n";
  return f;
}

class LookupCli : public ::testing::Test {
 protected:
  LookupCli()
      : nginx_(RdapFragment()), dns_([] {
          DnsmasqConfig c;
          c.lines = {"host-record=shop.test,81.2.69.160", "cname=www.shop.test,shop.test",
                     "mx-host=shop.test,mail.shop.test,5", "host-record=mail.shop.test,81.2.69.160",
                     "txt-record=1.0.0.1.abusix.test,\"noc@one.test\""};
          return c;
        }()) {}

  void SetUp() override {
    std::filesystem::create_directories(dir_.File("rdap"));
    testutil::WriteBootstrap(dir_.File("rdap"), "http://127.0.0.1:" + std::to_string(nginx_.port()) + "/");
    WriteConfig("");
  }

  // RDAP servers here are on loopback: [crawl] allow_private is the tests'
  // opt-in, as for the crawl (the guarded client obeys the same knob).
  void WriteConfig(const std::string& extra_rdap, bool allow_private = true) {
    std::ostringstream c;
    c << "[crawl]\nallow_private = " << (allow_private ? "true" : "false") << "\n"
      << "[geo]\ncity_db = \"" << testutil::HostingFixture("mmdb/GeoIP2-City-Test.mmdb") << "\"\n"
      << "asn_db = \"" << testutil::HostingFixture("mmdb/GeoLite2-ASN-Test.mmdb") << "\"\n"
      << "[rdap]\nbootstrap_dir = \"" << dir_.File("rdap") << "\"\ntimeout = \"5s\"\n" << extra_rdap
      << "[dns]\nservers = [\"" << dns_.server() << "\"]\nabusix_zone = \"abusix.test\"\ntimeout = \"2s\"\n"
      << "[hosting]\ncdn_file = \"" << testing::SourceDir() << "/config/cdn.toml\"\n";
    WriteAll(dir_.File("dragnet.toml"), c.str());
  }

  RunResult Dragnet(std::vector<std::string> args) {
    std::vector<std::string> argv = {Binary(), "--config", dir_.File("dragnet.toml")};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, "", 60000);
  }

  NginxServer nginx_;
  DnsmasqServer dns_;
  TempDir dir_;
};

std::vector<json> JsonLines(const std::string& out) {
  std::vector<json> docs;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) docs.push_back(json::parse(line));
  }
  return docs;
}

TEST_F(LookupCli, JsonForDomainIpAndUrl) {
  RunResult r = Dragnet({"lookup", "--json", "shop.test", "1.0.0.1", "https://www.shop.test/login?x=1"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 3u);

  const json& d = docs[0];
  EXPECT_EQ(d["query"], "shop.test");
  const json& h = d["hosting"];
  EXPECT_EQ(h["geo_source"], "maxmind:GeoIP2-City");
  ASSERT_EQ(h["ips"].size(), 1u) << h.dump(1);
  EXPECT_EQ(h["ips"][0]["ip"], "81.2.69.160");
  EXPECT_EQ(h["ips"][0]["country"], "GB");
  EXPECT_EQ(h["ips"][0]["city"], "London");
  EXPECT_EQ(h["ips"][0]["abuse"]["email"], "zzdnsr@bt.com");
  EXPECT_EQ(h["ips"][0]["abuse"]["source"], "rdap-ip");
  EXPECT_EQ(h["registrar"]["name"], "Hosting Concepts B.V. d/b/a Registrar.eu");
  EXPECT_EQ(h["registrar"]["iana_id"], "1647");
  EXPECT_EQ(h["registrar"]["abuse"]["email"], "abuse@registrar.eu");
  EXPECT_EQ(h["registrar"]["abuse"]["phone"], "+31.104482297");
  EXPECT_EQ(h["registrar"]["abuse"]["source"], "rdap-registrar");
  EXPECT_EQ(h["domain"]["name"], "shop.test");
  EXPECT_EQ(h["domain"]["created"], "2021-03-16T17:07:37Z");
  EXPECT_EQ(h["domain"]["expires"], "2022-03-16T17:07:37Z");
  ASSERT_TRUE(h["domain"]["age_days"].is_number());
  EXPECT_GT(h["domain"]["age_days"].get<long>(), 365);
  EXPECT_TRUE(h["cdn"].is_null());
  EXPECT_EQ(h["dns"]["shop.test"]["a"][0]["ip"], "81.2.69.160");
  EXPECT_EQ(h["dns"]["shop.test"]["mx"][0]["host"], "mail.shop.test");
  EXPECT_TRUE(h["errors"].empty()) << h["errors"].dump();

  const json& ip = docs[1]["hosting"];
  EXPECT_EQ(docs[1]["query"], "1.0.0.1");
  ASSERT_EQ(ip["ips"].size(), 1u);
  EXPECT_EQ(ip["ips"][0]["asn"], 15169);
  EXPECT_EQ(ip["ips"][0]["as_org"], "Google Inc.");
  EXPECT_EQ(ip["ips"][0]["network"], "1.0.0.0/24");
  EXPECT_EQ(ip["ips"][0]["rdap"]["range"], "1.1.1.0/24");
  // APNIC's own helpdesk is not an abuse desk: the Abusix zone answers.
  EXPECT_EQ(ip["ips"][0]["abuse"]["email"], "noc@one.test");
  EXPECT_EQ(ip["ips"][0]["abuse"]["source"], "abusix");
  // AS15169 is in config/cdn.toml: the CDN's route comes first.
  ASSERT_TRUE(ip["cdn"].is_object());
  EXPECT_EQ(ip["cdn"]["name"], "Google");
  EXPECT_EQ(ip["cdn"]["matched_by"], "asn:15169");
  EXPECT_EQ(ip["contacts"][0]["source"], "cdn");
  EXPECT_EQ(ip["contacts"][0]["email"], "network-abuse@google.com");
  EXPECT_TRUE(ip["registrar"]["name"].get<std::string>().empty());

  const json& url = docs[2]["hosting"];
  EXPECT_EQ(url["dns"]["www.shop.test"]["cname"][0]["target"], "shop.test");
  EXPECT_EQ(url["ips"][0]["ip"], "81.2.69.160");
  EXPECT_EQ(url["registrar"]["iana_id"], "1647");
  // One RDAP request for the domain although two arguments needed it.
  EXPECT_EQ(testutil::CountEventually([this] { return nginx_.AccessLog(); }, "GET /domain/shop.test", 1), 1);
}

TEST_F(LookupCli, TextOutputAndBadArguments) {
  RunResult r = Dragnet({"lookup", "shop.test", "not a domain!"});
  EXPECT_EQ(r.exit_code, 4) << r.err;  // partial: one bad argument, the rest done
  EXPECT_NE(r.out.find("registrar  Hosting Concepts B.V. d/b/a Registrar.eu  IANA 1647"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("81.2.69.160  GB London"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("not a domain!"), std::string::npos);
  RunResult all_bad = Dragnet({"lookup", "--json", "ftp://x.test/"});
  EXPECT_EQ(all_bad.exit_code, 2);
  auto docs = JsonLines(all_bad.out);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_FALSE(docs[0]["error"].get<std::string>().empty());
}

TEST_F(LookupCli, CorruptGeoDatabaseFailsWithTheFileName) {
  std::string bad = testutil::HostingFixture("mmdb/bad-data/cyclic-data-structure.mmdb");
  std::string cfg = ReadAll(dir_.File("dragnet.toml"));
  cfg = testing::ReplaceAll(cfg, testutil::HostingFixture("mmdb/GeoIP2-City-Test.mmdb"), bad);
  WriteAll(dir_.File("dragnet.toml"), cfg);
  RunResult r = Dragnet({"lookup", "shop.test"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
}

TEST_F(LookupCli, RdapUpdateReplacesTheSnapshotWhenOnline) {
  std::string iana = nginx_.dir() + "/iana";
  std::filesystem::create_directories(iana);
  for (const char* f : {"dns.json", "ipv4.json", "ipv6.json", "asn.json"}) {
    json j = json::parse(ReadAll(testing::SourceDir() + "/config/rdap/" + f));
    j["publication"] = "2026-11-01T00:00:00Z";
    WriteAll(iana + "/" + f, j.dump());
  }
  WriteConfig("bootstrap_url = \"http://127.0.0.1:" + std::to_string(nginx_.port()) + "/iana/\"\n");
  RunResult r = Dragnet({"rdap", "update"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json dns = json::parse(ReadAll(dir_.File("rdap/dns.json")));
  EXPECT_EQ(dns["publication"], "2026-11-01T00:00:00Z");
  EXPECT_NE(r.out.find("2026-11-01T00:00:00Z"), std::string::npos);
}

TEST_F(LookupCli, RdapUpdateOfflineKeepsTheOldSnapshot) {
  std::string before = ReadAll(dir_.File("rdap/dns.json"));
  WriteConfig("bootstrap_url = \"http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/\"\n");
  RunResult r = Dragnet({"rdap", "update"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unchanged"), std::string::npos) << r.err;
  EXPECT_EQ(ReadAll(dir_.File("rdap/dns.json")), before);
}

TEST_F(LookupCli, RdapUpdateRefusesAMalformedFile) {
  std::string iana = nginx_.dir() + "/iana";
  std::filesystem::create_directories(iana);
  for (const char* f : {"dns.json", "ipv4.json", "ipv6.json", "asn.json"}) {
    WriteAll(iana + "/" + f, ReadAll(testing::SourceDir() + "/config/rdap/" + f));
  }
  WriteAll(iana + "/ipv6.json", ReadAll(testutil::HostingFixture("rdap/bootstrap-malformed/dns_bad_services.json")));
  std::string before = ReadAll(dir_.File("rdap/dns.json"));
  WriteConfig("bootstrap_url = \"http://127.0.0.1:" + std::to_string(nginx_.port()) + "/iana/\"\n");
  RunResult r = Dragnet({"rdap", "update"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ipv6.json"), std::string::npos) << r.err;
  EXPECT_EQ(ReadAll(dir_.File("rdap/dns.json")), before);  // nothing replaced, not even dns.json
}

// The guard's end-to-end tests: the binary, its config, no test seam. An
// RDAP server or a bootstrap URL on a private address is refused unless
// [crawl] allow_private is on, and the CountingServer there sees nothing.

TEST_F(LookupCli, RdapServerOnAPrivateAddressIsRefusedWithoutAllowPrivate) {
  testing::CountingServer internal(200, "application/rdap+json",
                                   ReadAll(testutil::HostingFixture("rdap/verisign-com/domain-THEMARQUETRY.COM.json")));
  testutil::WriteBootstrap(dir_.File("rdap"), internal.Url("/"));
  WriteConfig("", /*allow_private=*/false);
  RunResult r = Dragnet({"lookup", "--json", "shop.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 1u);
  const json& h = docs[0]["hosting"];
  EXPECT_TRUE(h["registrar"]["name"].get<std::string>().empty());
  bool refused = false;
  for (const auto& e : h["errors"]) {
    std::string s = e.get<std::string>();
    refused |= s.find("rdap " + internal.Url("/domain/shop.test")) != std::string::npos &&
               s.find("refused") != std::string::npos && s.find(internal.Address()) != std::string::npos;
  }
  EXPECT_TRUE(refused) << h["errors"].dump(1);
  EXPECT_EQ(internal.connections(), 0);

  WriteConfig("", /*allow_private=*/true);
  r = Dragnet({"lookup", "--json", "shop.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonLines(r.out)[0]["hosting"]["registrar"]["iana_id"], "1647") << r.out;
  EXPECT_GE(internal.connections(), 1);
}

TEST_F(LookupCli, RdapUpdateFromAPrivateAddressIsRefusedWithoutAllowPrivate) {
  testing::CountingServer internal(200, "application/json", ReadAll(testing::SourceDir() + "/config/rdap/dns.json"));
  std::string before = ReadAll(dir_.File("rdap/dns.json"));
  WriteConfig("bootstrap_url = \"" + internal.Url("/") + "\"\n", /*allow_private=*/false);
  RunResult r = Dragnet({"rdap", "update"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(internal.Address()), std::string::npos) << r.err;
  EXPECT_EQ(internal.connections(), 0);
  EXPECT_TRUE(ReadAll(dir_.File("rdap/dns.json")) == before) << "the snapshot was replaced";
}

}  // namespace
}  // namespace dragnet::hosting
