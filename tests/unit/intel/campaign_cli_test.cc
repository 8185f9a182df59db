// Campaigns end to end: `dragnet scan` over nginx serving demo fixture sites
// (three BTC giveaways sharing one wallet, a news site on the same public
// CDN and a public form service), then `dragnet campaigns list/show` and
// `dragnet search` read what the pipeline indexed. A site scanned later
// joins the existing campaign under the same ID.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet::intel {
namespace {

using nlohmann::json;
using testing::NginxServer;
using testing::RunResult;
using testing::TempDir;

const char* kSites = R"(
  server {
    listen 127.0.0.1:{{PORT}} default_server;
    server_name _;
    root {{FIXTURES}}/sites/demo/$host;
  }
)";

const char* kWallet = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

class CampaignCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { nginx_ = new NginxServer(kSites); }
  static void TearDownTestSuite() {
    delete nginx_;
    nginx_ = nullptr;
  }
  void SetUp() override {
    std::string state = dir_.File("state");
    config_ = state + ".toml";
    testing::WriteAll(config_, "[general]\nstate_dir = \"" + state +
                                   "\"\n[crawl]\nallow_private = true\nresolve = [\"*:" +
                                   std::to_string(nginx_->port()) +
                                   ":127.0.0.1\"]\n[reporter]\norg = \"Test CERT\"\n"
                                   "contact_email = \"cert@dragnet.invalid\"\ndomain = \"dragnet.invalid\"\n"
                                   "[delivery]\nenabled = false\n[browser]\nenabled = false\n");
  }
  std::string Url(const std::string& host) { return "http://" + host + ":" + std::to_string(nginx_->port()) + "/"; }
  RunResult Dragnet(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::DragnetBinary(), "--config", config_, "--log-level", "warn"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, "", 120000);
  }
  std::map<std::string, std::string> Scan(const std::vector<std::string>& hosts) {
    std::vector<std::string> args = {"scan", "--json", "--no-locate"};
    for (const auto& h : hosts) args.push_back(Url(h));
    RunResult r = Dragnet(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> case_of;  // host -> case ID
    for (const json& d : JsonLines(r.out)) {
      for (const auto& h : hosts) {
        if (d["seed"] == Url(h)) case_of[h] = d["case_id"].get<std::string>();
      }
    }
    EXPECT_EQ(case_of.size(), hosts.size()) << r.out;
    return case_of;
  }

  static NginxServer* nginx_;
  TempDir dir_;
  std::string config_;
};

NginxServer* CampaignCli::nginx_ = nullptr;

TEST_F(CampaignCli, SitesSharingAWalletBecomeOneCampaignThatALateSiteJoins) {
  auto first = Scan({"elon-double-btc.com", "tesla-btc-airdrop.net", "crypto-daily-news.com"});
  RunResult r = Dragnet({"campaigns", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto docs = JsonLines(r.out);
  ASSERT_EQ(docs.size(), 1u) << r.out << "\nthe news site shares only a public CDN and a form service";
  const json& cp = docs[0];
  std::string id = cp["campaign_id"];
  EXPECT_EQ(id.rfind("CP-", 0), 0u);
  std::vector<std::string> expect = {first["elon-double-btc.com"], first["tesla-btc-airdrop.net"]};
  std::sort(expect.begin(), expect.end());
  EXPECT_EQ(cp["cases"], json(expect));
  ASSERT_EQ(cp["links"].size(), 1u) << cp.dump();
  EXPECT_EQ(cp["links"][0]["type"], "btc");
  EXPECT_EQ(cp["links"][0]["value"], kWallet);
  EXPECT_EQ(cp["links"][0]["cases"].size(), 2u);
  EXPECT_EQ(cp["domains"], json({"elon-double-btc.com", "tesla-btc-airdrop.net"}));
  for (const char* k : {"first_seen", "last_seen", "registrars", "countries"}) EXPECT_TRUE(cp.contains(k)) << k;

  // A third site, scanned later, joins under the same ID.
  auto late = Scan({"musk-giveaway-live.org"});
  r = Dragnet({"campaigns", "show", id, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json shown = json::parse(r.out);
  EXPECT_EQ(shown["campaign_id"], id);
  EXPECT_EQ(shown["case_count"], 3);
  ASSERT_EQ(shown["members"].size(), 3u);
  bool found = false;
  for (const json& m : shown["members"]) found = found || m["case_id"] == late["musk-giveaway-live.org"];
  EXPECT_TRUE(found) << shown.dump(2);

  r = Dragnet({"campaigns", "show", id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("these three domains share one Bitcoin wallet"), std::string::npos) << r.out;

  // Which cases carry this wallet?
  r = Dragnet({"search", kWallet, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto hits = JsonLines(r.out);
  ASSERT_EQ(hits.size(), 3u) << r.out;
  for (const json& h : hits) {
    EXPECT_EQ(h["type"], "btc");
    EXPECT_EQ(h["value"], kWallet);
    EXPECT_EQ(h["campaign_id"], id);
    EXPECT_FALSE(h["case_id"].get<std::string>().empty());
    EXPECT_NE(h["seed"].get<std::string>().find("http://"), std::string::npos);
  }
  r = Dragnet({"search", kWallet, "--type", "eth", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = Dragnet({"search", "formspree.io", "--type", "collector_host", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  hits = JsonLines(r.out);
  ASSERT_EQ(hits.size(), 1u) << r.out;
  EXPECT_EQ(hits[0]["case_id"], first["crypto-daily-news.com"]);
  EXPECT_EQ(hits[0]["campaign_id"], "");
  EXPECT_EQ(hits[0]["links"], false);

  r = Dragnet({"campaigns", "show", "CP-000000000000"});
  EXPECT_EQ(r.exit_code, 2) << "an unknown campaign is an input error";
  EXPECT_NE(r.err.find("no campaign CP-000000000000"), std::string::npos) << r.err;
  r = Dragnet({"search", kWallet, "--type", "nonsense"});
  EXPECT_EQ(r.exit_code, 2);
}

// Runs tests/unit/intel/validate_export.py (python3-jsonschema) on a file.
RunResult Validate(const std::string& kind, const std::string& file) {
  return testing::Run({"python3", std::string(DRAGNET_SOURCE_DIR) + "/tests/unit/intel/validate_export.py", kind, file,
                       std::string(DRAGNET_SOURCE_DIR) + "/tests/fixtures/intel"},
                      "", 120000);
}

TEST_F(CampaignCli, ExportsValidateAgainstTheStixSchemasAndMispTemplates) {
  auto cases = Scan({"elon-double-btc.com", "tesla-btc-airdrop.net", "musk-giveaway-live.org", "crypto-daily-news.com",
                     "btc-profit-club.com"});
  RunResult r = Dragnet({"campaigns", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto cps = JsonLines(r.out);
  ASSERT_EQ(cps.size(), 1u) << r.out;
  std::string id = cps[0]["campaign_id"];

  // STIX: every scam, the campaign, the wallet as a custom SCO of the extension.
  std::string stix = dir_.File("export.stix.json");
  r = Dragnet({"export", "--format", "stix", "-o", stix});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult v = Validate("stix", stix);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  json bundle = json::parse(testing::ReadAll(stix));
  std::map<std::string, int> count;
  std::string campaign_ref;
  bool wallet = false, url_pattern = false;
  for (const json& o : bundle["objects"]) {
    ++count[o["type"].get<std::string>()];
    if (o["type"] == "campaign") {
      EXPECT_EQ(o["name"], id);
      campaign_ref = o["id"];
    }
    if (o["type"] == "x-dragnet-wallet" && o["address"] == kWallet) wallet = true;
    if (o["type"] == "indicator" && o["pattern"] == "[url:value = '" + Url("musk-giveaway-live.org") + "']") url_pattern = true;
  }
  EXPECT_TRUE(wallet);
  EXPECT_TRUE(url_pattern);
  EXPECT_EQ(count["campaign"], 1);
  EXPECT_EQ(count["extension-definition"], 1);
  EXPECT_GE(count["infrastructure"], 4) << "each malicious or suspicious site";
  EXPECT_GE(count["observed-data"], 4);
  int uses = 0;
  for (const json& o : bundle["objects"]) {
    if (o["type"] == "relationship" && o["relationship_type"] == "uses" && o["source_ref"] == campaign_ref) ++uses;
  }
  EXPECT_EQ(uses, 3) << "the campaign uses its three sites";
  // The same export twice gives the same objects (deterministic IDs).
  r = Dragnet({"export", "--format", "stix", "--campaign", id});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json again = json::parse(r.out);
  std::set<std::string> all_ids, campaign_ids;
  for (const json& o : bundle["objects"]) all_ids.insert(o["id"]);
  for (const json& o : again["objects"]) campaign_ids.insert(o["id"]);
  for (const auto& x : campaign_ids) EXPECT_TRUE(all_ids.count(x)) << x;

  // The validator can fail: an indicator without its pattern type.
  json broken = bundle;
  for (json& o : broken["objects"]) {
    if (o["type"] == "indicator") {
      o.erase("pattern_type");
      break;
    }
  }
  testing::WriteAll(dir_.File("broken.json"), broken.dump());
  EXPECT_EQ(Validate("stix", dir_.File("broken.json")).exit_code, 1);

  // MISP: a phishing object per site, the wallet once, referenced by three.
  std::string misp = dir_.File("export.misp.json");
  r = Dragnet({"export", "--format", "misp", "--campaign", id, "-o", misp});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v = Validate("misp", misp);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  json event = json::parse(testing::ReadAll(misp));
  int phishing = 0, coins = 0;
  std::string coin_uuid;
  for (const json& o : event["Event"]["Object"]) {
    if (o["name"] == "phishing") ++phishing;
    if (o["name"] == "coin-address") {
      ++coins;
      coin_uuid = o["uuid"];
    }
  }
  EXPECT_EQ(phishing, 3);
  EXPECT_EQ(coins, 1);
  int refs = 0;
  for (const json& o : event["Event"]["Object"]) {
    for (const json& ref : o.value("ObjectReference", json::array())) refs += ref["referenced_uuid"] == coin_uuid;
  }
  EXPECT_EQ(refs, 3);
  EXPECT_NE(event["Event"]["info"].get<std::string>().find(id), std::string::npos);
  json wrong = event;
  wrong["Event"]["Object"][0]["template_version"] = "999";
  testing::WriteAll(dir_.File("wrong.json"), wrong.dump());
  EXPECT_EQ(Validate("misp", dir_.File("wrong.json")).exit_code, 1);

  // CSV: one indicator per row; a case asked for by ID.
  r = Dragnet({"export", "--format", "csv", "--case", cases["musk-giveaway-live.org"]});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("case_id,campaign_id,seed,host,type,value,weight,first_seen,last_seen\r\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(cases["musk-giveaway-live.org"] + "," + id + "," + Url("musk-giveaway-live.org") +
                       ",musk-giveaway-live.org,btc," + kWallet + ",100,"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("tesla-btc-airdrop.net"), std::string::npos);

  r = Dragnet({"export", "--format", "yaml"});
  EXPECT_EQ(r.exit_code, 2);
  r = Dragnet({"export", "--format", "csv", "--campaign", "CP-000000000000"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace dragnet::intel
