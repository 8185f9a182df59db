// TAXII 2.1 end to end: `dragnet scan` over nginx serving the campaign
// fixture sites (two BTC giveaways sharing a wallet, a news site), `dragnet
// users token` for a viewer, then `dragnet serve` on a free loopback port,
// read with cpp-httplib's client: discovery -> API root -> collections ->
// collection -> objects, paged with limit/next, every object validated
// against the OASIS STIX 2.1 schemas (tests/unit/intel/validate_export.py,
// python3-jsonschema); a site scanned later comes back with added_after;
// 401 without a token, 406 for another media type, 404 for another
// collection, 400 for a forged cursor.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet {
namespace {

using nlohmann::json;
using testing::RunResult;

const char* kSites = R"(
  server {
    listen 127.0.0.1:{{PORT}} default_server;
    server_name _;
    root {{FIXTURES}}/sites/demo/$host;
  }
)";
const char* kTaxii = "application/taxii+json;version=2.1";
const char* kWallet = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

class TaxiiServe : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = dir_.File("state");
    config_ = dir_.File("dragnet.toml");
    testing::WriteAll(config_, "[general]\nstate_dir = \"" + state_ + "\"\n[crawl]\nallow_private = true\n" +
                                   "resolve = [\"*:" + std::to_string(nginx_.port()) + ":127.0.0.1\"]\n" +
                                   "[reporter]\norg = \"Test CERT\"\ncontact_email = \"cert@dragnet.invalid\"\n" +
                                   "domain = \"dragnet.invalid\"\n[delivery]\nenabled = false\n" +
                                   "[browser]\nenabled = false\n[web]\ntaxii_settle = \"1s\"\n");
  }
  std::string Url(const std::string& host) { return "http://" + host + ":" + std::to_string(nginx_.port()) + "/"; }
  RunResult Dragnet(std::vector<std::string> args, const std::string& in = "") {
    std::vector<std::string> argv = {testing::DragnetBinary(), "--config", config_, "--log-level", "warn"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, in, 120000);
  }
  std::map<std::string, std::string> Scan(const std::vector<std::string>& hosts) {
    std::vector<std::string> args = {"scan", "--json", "--no-locate"};
    for (const auto& h : hosts) args.push_back(Url(h));
    RunResult r = Dragnet(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> case_of;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      json d = json::parse(line);
      for (const auto& h : hosts) {
        if (d["seed"] == Url(h)) case_of[h] = d["case_id"];
      }
    }
    EXPECT_EQ(case_of.size(), hosts.size()) << r.out;
    return case_of;
  }
  std::string Token() {
    RunResult add = Dragnet({"users", "add", "partner", "--role", "viewer", "--password-stdin"}, "partner-taxii-pw\n");
    EXPECT_EQ(add.exit_code, 0) << add.err;
    RunResult t = Dragnet({"users", "token", "partner"});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    std::string out = t.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  }
  void Serve() {
    // Objects are served once [web] taxii_settle (1s here) has passed.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    port_ = testing::FreePort();
    serve_ = testing::Process({testing::DragnetBinary(), "--config", config_, "serve", "--listen",
                               "127.0.0.1:" + std::to_string(port_)},
                              dir_.File("serve.log"));
    ASSERT_TRUE(testing::WaitForPort(port_, 20000)) << testing::ReadAll(dir_.File("serve.log"));
  }
  httplib::Result Get(const std::string& path, const std::string& token, const std::string& accept = kTaxii) {
    httplib::Client c("127.0.0.1", port_);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    if (!accept.empty()) h.emplace("Accept", accept);
    return c.Get(path, h);
  }
  json TaxiiJson(const httplib::Result& r, int status = 200) {
    EXPECT_TRUE(r);
    if (!r) return json();
    EXPECT_EQ(r->status, status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), kTaxii);
    return json::parse(r->body);
  }
  // Every object of the collection after `added_after` ("" for all), read
  // `limit` at a time; checks the envelope and headers of each page.
  std::vector<json> ReadAll(const std::string& objects, const std::string& token, int limit,
                            const std::string& added_after, int* pages) {
    std::vector<json> out;
    std::string next;
    *pages = 0;
    for (;;) {
      std::string path = objects + "?limit=" + std::to_string(limit);
      if (!added_after.empty()) path += "&added_after=" + added_after;
      if (!next.empty()) path += "&next=" + next;
      auto r = Get(path, token);
      json env = TaxiiJson(r);
      ++*pages;
      EXPECT_TRUE(env["more"].is_boolean()) << env;
      size_t n = env.value("objects", json::array()).size();
      EXPECT_LE(n, static_cast<size_t>(limit));
      if (n > 0) {
        EXPECT_FALSE(r->get_header_value("X-TAXII-Date-Added-First").empty());
        EXPECT_LE(r->get_header_value("X-TAXII-Date-Added-First"), r->get_header_value("X-TAXII-Date-Added-Last"));
        last_added_ = r->get_header_value("X-TAXII-Date-Added-Last");
        if (first_added_.empty() || *pages == 1) first_added_ = r->get_header_value("X-TAXII-Date-Added-First");
      }
      for (const json& o : env.value("objects", json::array())) out.push_back(o);
      if (!env["more"].get<bool>()) break;
      EXPECT_EQ(n, static_cast<size_t>(limit)) << "a page short of the limit says there is no more";
      next = env["next"];
      if (*pages > 1000) {
        ADD_FAILURE() << "paging does not end";
        break;
      }
    }
    return out;
  }
  // validate_export.py stix over a bundle of these objects.
  RunResult Validate(const std::vector<json>& objects) {
    json bundle = {{"type", "bundle"}, {"id", "bundle--8b8e2c3a-5a55-4e2b-9d6e-0c3f1f0a9b11"}, {"objects", objects}};
    std::string file = dir_.File("taxii-bundle.json");
    testing::WriteAll(file, bundle.dump());
    return testing::Run({"python3", std::string(DRAGNET_SOURCE_DIR) + "/tests/unit/intel/validate_export.py", "stix",
                         file, std::string(DRAGNET_SOURCE_DIR) + "/tests/fixtures/intel"},
                        "", 120000);
  }

  testing::NginxServer nginx_{kSites};
  testing::TempDir dir_;
  std::string state_, config_;
  int port_ = 0;
  testing::Process serve_;
  std::string first_added_, last_added_;
};

TEST_F(TaxiiServe, DiscoveryToObjectsPagedValidatedAndPolledWithAddedAfter) {
  auto first = Scan({"elon-double-btc.com", "tesla-btc-airdrop.net", "crypto-daily-news.com"});
  std::string token = Token();
  ASSERT_FALSE(token.empty());
  Serve();

  // ---- refusals ----
  auto anon = Get("/taxii2/", "");
  ASSERT_TRUE(anon);
  EXPECT_EQ(anon->status, 401);
  EXPECT_NE(anon->get_header_value("WWW-Authenticate").find("Bearer"), std::string::npos);
  EXPECT_EQ(TaxiiJson(anon, 401)["http_status"], "401");
  EXPECT_EQ(Get("/taxii2/", "not-a-token")->status, 401);
  EXPECT_EQ(Get("/taxii2/", token, "application/json")->status, 406);
  EXPECT_EQ(Get("/taxii2/", token, "application/taxii+json;version=2.0")->status, 406);

  // ---- discovery -> API root -> collections -> collection ----
  json discovery = TaxiiJson(Get("/taxii2/", token));
  ASSERT_EQ(discovery["api_roots"].size(), 1u) << discovery;
  std::string root = discovery["api_roots"][0];
  EXPECT_EQ(discovery["default"], root);
  EXPECT_FALSE(discovery["title"].get<std::string>().empty());
  json api_root = TaxiiJson(Get(root, token));
  EXPECT_EQ(api_root["versions"], json({kTaxii}));
  EXPECT_GT(api_root["max_content_length"].get<int64_t>(), 0);
  json collections = TaxiiJson(Get(root + "collections/", token));
  ASSERT_EQ(collections["collections"].size(), 1u) << collections;
  json col = collections["collections"][0];
  EXPECT_EQ(col["title"], "dragnet-indicators");
  EXPECT_EQ(col["can_read"], true);
  EXPECT_EQ(col["can_write"], false);
  EXPECT_EQ(col["media_types"], json({"application/stix+json;version=2.1"}));
  std::string cid = col["id"];
  EXPECT_EQ(TaxiiJson(Get(root + "collections/" + cid + "/", token)), col);
  EXPECT_EQ(TaxiiJson(Get(root + "collections/00000000-0000-4000-8000-000000000000/", token), 404)["http_status"],
            "404");
  EXPECT_EQ(Get(root + "collections/00000000-0000-4000-8000-000000000000/objects/", token)->status, 404);
  EXPECT_EQ(Get("/taxii2/elsewhere/collections/", token)->status, 404);
  std::string objects = root + "collections/" + cid + "/objects/";
  EXPECT_EQ(Get(objects + "?next=1_<script>", token)->status, 400);
  EXPECT_EQ(Get(objects + "?added_after=yesterday", token)->status, 400);
  EXPECT_EQ(Get(objects, token, "application/xml")->status, 406);

  // ---- all objects in one page and in pages of 7: the same, each once ----
  int pages = 0;
  auto whole = ReadAll(objects, token, 1000, "", &pages);
  EXPECT_EQ(pages, 1);
  auto paged = ReadAll(objects, token, 7, "", &pages);
  EXPECT_GT(pages, 3) << "small pages";
  ASSERT_EQ(paged.size(), whole.size());
  std::set<std::string> ids;
  for (const json& o : paged) EXPECT_TRUE(ids.insert(o["id"]).second) << "twice: " << o["id"];
  for (const json& o : whole) EXPECT_TRUE(ids.count(o["id"])) << o["id"];
  std::map<std::string, int> count;
  bool wallet = false;
  std::set<std::string> infra_cases;
  for (const json& o : whole) {
    ++count[o["type"].get<std::string>()];
    if (o["type"] == "x-dragnet-wallet" && o["address"] == kWallet) wallet = true;
    if (o["type"] == "infrastructure") infra_cases.insert(o["external_references"][0]["external_id"]);
  }
  EXPECT_TRUE(wallet);
  EXPECT_EQ(count["campaign"], 1);
  EXPECT_TRUE(infra_cases.count(first["elon-double-btc.com"]));
  EXPECT_TRUE(infra_cases.count(first["tesla-btc-airdrop.net"]));
  RunResult v = Validate(whole);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // The validator can fail: a served object with its id broken.
  auto broken = whole;
  for (json& o : broken) {
    if (o["type"] == "infrastructure") {
      o["id"] = "infrastructure--not-a-uuid";
      break;
    }
  }
  EXPECT_EQ(Validate(broken).exit_code, 1);

  // ---- a site scanned later is what a poll with added_after returns ----
  std::string since = last_added_;
  ASSERT_FALSE(since.empty());
  auto nothing = ReadAll(objects, token, 100, since, &pages);
  EXPECT_TRUE(nothing.empty()) << nothing.size() << " objects after the last one";
  auto late = Scan({"musk-giveaway-live.org"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // taxii_settle
  auto fresh = ReadAll(objects, token, 5, since, &pages);
  ASSERT_FALSE(fresh.empty());
  EXPECT_GT(first_added_, since) << "every object of the poll was added after added_after";
  std::set<std::string> fresh_infra;
  bool campaign = false;
  for (const json& o : fresh) {
    if (o["type"] == "infrastructure") fresh_infra.insert(o["external_references"][0]["external_id"]);
    if (o["type"] == "campaign") campaign = true;
  }
  EXPECT_TRUE(fresh_infra.count(late["musk-giveaway-live.org"]));
  EXPECT_FALSE(fresh_infra.count(first["elon-double-btc.com"])) << "not seen again, so not added again";
  EXPECT_TRUE(campaign) << "the campaign changed: its new version is added";
  // The collection as a whole still validates (refs from the poll point
  // into objects served earlier).
  auto all = ReadAll(objects, token, 1000, "", &pages);
  EXPECT_GT(all.size(), whole.size());
  v = Validate(all);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;

  // ---- with taxii_settle = 1h, everything just seen is held back: only the
  // timeless identity and extension-definition are served ----
  std::string text = testing::ReadAll(config_);
  text.replace(text.find("taxii_settle = \"1s\""), 19, "taxii_settle = \"1h\"");
  testing::WriteAll(config_, text);
  Serve();
  auto settled = ReadAll(objects, token, 1000, "", &pages);
  ASSERT_EQ(settled.size(), 2u) << settled.size();
  for (const json& o : settled) {
    EXPECT_TRUE(o["type"] == "identity" || o["type"] == "extension-definition") << o;
  }
}

// The campaign pages and filters of the console over the same real state.
TEST_F(TaxiiServe, CampaignPagesOfTheConsole) {
  auto cases = Scan({"elon-double-btc.com", "tesla-btc-airdrop.net", "crypto-daily-news.com"});
  RunResult add = Dragnet({"users", "add", "alice", "--role", "analyst", "--password-stdin"}, "alice-console-pw\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  RunResult list = Dragnet({"campaigns", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::string campaign = json::parse(list.out.substr(0, list.out.find('\n')))["campaign_id"];
  Serve();
  httplib::Client c("127.0.0.1", port_);
  auto login = c.Get("/login");
  ASSERT_TRUE(login);
  auto between = [](const std::string& s, const std::string& a, const std::string& b) {
    size_t p = s.find(a);
    if (p == std::string::npos) return std::string();
    p += a.size();
    return s.substr(p, s.find(b, p) - p);
  };
  std::string login_cookie = between(login->get_header_value("Set-Cookie"), "dn_login=", ";");
  std::string csrf = between(login->body, "name=\"csrf\" value=\"", "\"");
  auto res = c.Post("/login", {{"Cookie", "dn_login=" + login_cookie}},
                    httplib::Params{{"csrf", csrf}, {"username", "alice"}, {"password", "alice-console-pw"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 302);
  httplib::Headers cookie{{"Cookie", "dn_session=" + between(res->get_header_value("Set-Cookie") + ";", "dn_session=", ";")}};

  auto page = c.Get("/campaigns", cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("/campaigns/" + campaign), std::string::npos);
  EXPECT_NE(page->body.find("elon-double-btc.com"), std::string::npos);
  page = c.Get("/campaigns/" + campaign, cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find(kWallet), std::string::npos);
  EXPECT_NE(page->body.find("member-" + cases["elon-double-btc.com"]), std::string::npos);
  EXPECT_NE(page->body.find("member-" + cases["tesla-btc-airdrop.net"]), std::string::npos);
  EXPECT_EQ(page->body.find("member-" + cases["crypto-daily-news.com"]), std::string::npos);
  EXPECT_EQ(page->body.find("<script"), std::string::npos);
  auto filtered = c.Get("/cases?campaign=" + campaign, cookie);
  ASSERT_EQ(filtered->status, 200);
  EXPECT_NE(filtered->body.find("row-" + cases["elon-double-btc.com"]), std::string::npos);
  EXPECT_EQ(filtered->body.find("row-" + cases["crypto-daily-news.com"]), std::string::npos);
  // Search goes through the campaign index too: a Telegram handle as
  // people write it, with '@' and in another case.
  auto handle = c.Get("/cases?q=%40doublebtcdesk", cookie);
  ASSERT_EQ(handle->status, 200);
  EXPECT_NE(handle->body.find("row-" + cases["elon-double-btc.com"]), std::string::npos) << handle->body;
  EXPECT_EQ(handle->body.find("row-" + cases["crypto-daily-news.com"]), std::string::npos);
}

}  // namespace
}  // namespace dragnet
