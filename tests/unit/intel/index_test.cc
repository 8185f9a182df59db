// CampaignIndex: which cases link, into which campaign, why; what never
// links (weak types, public CDNs, configured values, a brand's own values,
// learnt from its own site before or after the scams); late cases joining,
// campaigns merging with old IDs still answering; search; persistence.
#include "intel/index.h"

#include <gtest/gtest.h>

#include "intel/format.h"
#include "intel/identifiers.h"
#include "tests/harness/harness.h"

namespace dragnet::intel {
namespace {

using testing::TempDir;

struct Ind {
  std::string type, value, source = "text";
};

SeedResult Site(const std::string& case_id, const std::string& host, const std::vector<Ind>& inds,
                const std::string& brand = "") {
  SeedResult r;
  r.case_id = case_id;
  r.seed = "http://" + host + "/";
  r.final_url = r.seed;
  r.finished_at = "2026-12-01T10:00:00.000Z";
  Verdict v;
  v.label = "malicious";
  v.scam_type = "phishing";
  v.brand_impersonated = brand;
  v.score = 90;
  r.verdict = v;
  for (const auto& i : inds) {
    Indicator x;
    x.type = i.type;
    x.value = i.value;
    x.raw = i.value;
    x.source = i.source;
    x.count = 1;
    r.indicators.push_back(x);
  }
  return r;
}

const char* kBrands = R"(
[[brand]]
name = "Swedbank"
domains = ["swedbank.se"]
keywords = ["swedbank"]
favicon_mmh3 = [-1234567]
[[brand]]
name = "Microsoft"
domains = ["hotmail.com", "microsoft.com"]
keywords = ["microsoft"]
)";

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = extractors::BrandCatalog::Parse(kBrands, "test brands");
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    brands_ = std::move(b).value();
    Reopen();
  }
  void Reopen(IntelOptions o = {}) {
    index_.reset();
    auto x = CampaignIndex::Open(dir_.File("intel.db"), o);
    ASSERT_TRUE(x.ok()) << x.status().ToString();
    index_ = std::move(x).value();
  }
  AddOutcome Add(const SeedResult& r) {
    auto out = index_->Add(FactsOf(r, &brands_, 0));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : AddOutcome{};
  }
  std::string CampaignOf(const std::string& case_id) {
    auto m = index_->GetCase(case_id);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? m->campaign_id : "?";
  }

  TempDir dir_;
  extractors::BrandCatalog brands_;
  std::unique_ptr<CampaignIndex> index_;
};

const char* kWallet = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

TEST_F(IndexTest, TwoSitesSharingAWalletFormACampaignThatSaysWhy) {
  EXPECT_TRUE(Add(Site("DN-A", "a-giveaway.com", {{"btc", kWallet}})).campaign_id.empty());
  AddOutcome out = Add(Site("DN-B", "b-giveaway.com", {{"btc", kWallet}, {"email", "x@y-mail.com"}}));
  ASSERT_FALSE(out.campaign_id.empty());
  EXPECT_TRUE(out.created);
  EXPECT_EQ(out.campaign_id.rfind("CP-", 0), 0u);
  EXPECT_EQ(out.campaign_id.size(), 15u);
  EXPECT_EQ(CampaignOf("DN-A"), out.campaign_id);
  auto v = index_->Get(out.campaign_id);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->links.size(), 1u) << "the e-mail is on one site only";
  EXPECT_EQ(v->links[0].type, "btc");
  EXPECT_EQ(v->links[0].value, kWallet);
  EXPECT_EQ(v->links[0].cases, (std::vector<std::string>{"DN-A", "DN-B"}));
  EXPECT_EQ(v->domains, (std::vector<std::string>{"a-giveaway.com", "b-giveaway.com"}));
  EXPECT_EQ(LinkSentence(*v), "these two domains share one Bitcoin wallet");
  auto all = index_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(CampaignJson((*all)[0], false)["cases"], nlohmann::json({"DN-A", "DN-B"}));
}

// Every strong identifier class links on its own.
TEST_F(IndexTest, EachStrongIdentifierClassLinks) {
  const std::vector<Ind> classes = {
      {"btc", kWallet}, {"eth", "0x52908400098527886e0f7030069857d2e4169ee7"},
      {"tron", "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"}, {"xmr", "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"},
      {"telegram_bot_token", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}, {"telegram", "support_team_x"},
      {"whatsapp", "+46701234567"}, {"email", "ops@kit-mail.net"}, {"phone", "+46812345678"},
      {"iban", "SE4550000000058398257466"}, {"card", "4111111111111111"}, {"analytics_ga", "G-ABCDEF1234"},
      {"analytics_gtm", "GTM-ABC123"}, {"fb_pixel", "123456789012345"},
      {"url", "https://collect.evil-drop.net/post.php", "form"}};
  int n = 0;
  for (const auto& c : classes) {
    std::string a = "DN-" + std::to_string(n++), b = "DN-" + std::to_string(n++);
    Add(Site(a, a + ".example-scam.net", {c}));
    AddOutcome out = Add(Site(b, b + ".other-scam.org", {c}));
    EXPECT_FALSE(out.campaign_id.empty()) << c.type << " did not link";
    EXPECT_EQ(CampaignOf(a), out.campaign_id) << c.type;
  }
  // The favicon hash (of a kit's own icon) links too.
  SeedResult f1 = Site("DN-F1", "f1.example", {}), f2 = Site("DN-F2", "f2.example", {});
  f1.favicon = f2.favicon = Favicon{"http://x/favicon.ico", "ab", 987654, 10};
  Add(f1);
  EXPECT_FALSE(Add(f2).campaign_id.empty());
  auto v = index_->Get(CampaignOf("DN-F1"));
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->links.size(), 1u);
  EXPECT_EQ(v->links[0].type, "favicon_mmh3");
  EXPECT_EQ(v->links[0].value, "987654");
}

TEST_F(IndexTest, WeakUbiquitousAndIgnoredValuesNeverLink) {
  // Same outside domain, same hosting IP, same page body, a form posting
  // to a public form service, a script on a public CDN: no campaign.
  SeedResult a = Site("DN-A", "a.example", {{"domain", "cdnjs.cloudflare.com"},
                                           {"url", "https://cdnjs.cloudflare.com/x.js", "script"},
                                           {"url", "https://formspree.io/f/abc", "form"},
                                           {"ipv4", "203.0.113.7"}});
  SeedResult b = a;
  b.case_id = "DN-B";
  b.seed = b.final_url = "http://b.example/";
  a.pages = b.pages = {PageSummary{"http://a.example/", 200, "feed", 10, "", ""}};
  Add(a);
  EXPECT_TRUE(Add(b).campaign_id.empty());
  auto hits = index_->Search("formspree.io", "collector_host");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u) << "searchable, though it does not link";
  EXPECT_FALSE((*hits)[0].links);

  IntelOptions o;
  o.ignore = {"telegram:shared_helpdesk"};
  Reopen(o);
  Add(Site("DN-C", "c.example", {{"telegram", "shared_helpdesk"}}));
  EXPECT_TRUE(Add(Site("DN-D", "d.example", {{"telegram", "shared_helpdesk"}})).campaign_id.empty());
}

TEST_F(IndexTest, TheImpersonatedBrandsOwnValuesNeverLink) {
  // Two phishing pages copy the bank's real support address and favicon;
  // an address at a webmail brand (hotmail.com) is the operator's own.
  Add(Site("DN-A", "swedbank-login.com", {{"email", "info@swedbank.se"}}, "Swedbank"));
  EXPECT_TRUE(Add(Site("DN-B", "swedbank-verify.com", {{"email", "info@swedbank.se"}}, "Swedbank")).campaign_id.empty());
  SeedResult c = Site("DN-C", "c.example", {}), d = Site("DN-D", "d.example", {});
  c.favicon = d.favicon = Favicon{"http://x/favicon.ico", "ab", -1234567, 10};
  Add(c);
  EXPECT_TRUE(Add(d).campaign_id.empty()) << "the brand's favicon";
  Add(Site("DN-E", "e.example", {{"email", "scammer@hotmail.com"}}, "Swedbank"));
  EXPECT_FALSE(Add(Site("DN-F", "f.example", {{"email", "scammer@hotmail.com"}}, "Swedbank")).campaign_id.empty());
}

TEST_F(IndexTest, ValuesSeenOnTheBrandsOwnSiteNeverLink) {
  Add(Site("DN-REAL", "swedbank.se", {{"analytics_ga", "G-REALBANK1"}, {"phone", "+46858590000"}}));
  Add(Site("DN-A", "a.example", {{"analytics_ga", "G-REALBANK1"}}));
  EXPECT_TRUE(Add(Site("DN-B", "b.example", {{"analytics_ga", "G-REALBANK1"}})).campaign_id.empty());
  auto hits = index_->Search("G-REALBANK1", "");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 3u);
  for (const auto& h : *hits) EXPECT_EQ(h.owned_by, "Swedbank");
}

TEST_F(IndexTest, BrandSiteScannedLateSplitsTheCampaignItsValueHeldTogether) {
  // A and B share only the bank's phone; B and C share a wallet.
  Add(Site("DN-A", "a.example", {{"phone", "+46858590000"}}));
  std::string cp = Add(Site("DN-B", "b.example", {{"phone", "+46858590000"}, {"btc", kWallet}})).campaign_id;
  ASSERT_FALSE(cp.empty());
  EXPECT_EQ(Add(Site("DN-C", "c.example", {{"btc", kWallet}})).campaign_id, cp);
  AddOutcome real = Add(Site("DN-REAL", "swedbank.se", {{"phone", "+46858590000"}}));
  EXPECT_TRUE(real.campaign_id.empty());
  EXPECT_EQ(real.reclustered, (std::vector<std::string>{cp}));
  EXPECT_EQ(CampaignOf("DN-B"), cp) << "the wallet still links B and C";
  EXPECT_EQ(CampaignOf("DN-C"), cp);
  EXPECT_EQ(CampaignOf("DN-A"), "") << "A was linked only by the bank's phone";
  auto v = index_->Get(cp);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->links.size(), 1u);
  EXPECT_EQ(v->links[0].type, "btc");
}

TEST_F(IndexTest, LateCaseJoinsAndCampaignsMergeWithOldIdsResolvable) {
  Add(Site("DN-A1", "a1.example", {{"btc", kWallet}}));
  std::string a = Add(Site("DN-A2", "a2.example", {{"btc", kWallet}})).campaign_id;
  AddOutcome late = Add(Site("DN-A3", "a3.example", {{"btc", kWallet}}));
  EXPECT_EQ(late.campaign_id, a) << "a late case joins; the ID stays";
  EXPECT_FALSE(late.created);
  Add(Site("DN-B1", "b1.example", {{"telegram", "bridge_op"}}));
  std::string b = Add(Site("DN-B2", "b2.example", {{"telegram", "bridge_op"}})).campaign_id;
  ASSERT_NE(a, b);
  AddOutcome bridge = Add(Site("DN-X", "x.example", {{"btc", kWallet}, {"telegram", "bridge_op"}}));
  EXPECT_EQ(bridge.campaign_id, a) << "the larger campaign keeps its ID";
  EXPECT_EQ(bridge.merged, (std::vector<std::string>{b}));
  auto r = index_->Resolve(b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, a);
  auto v = index_->Get(b);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->campaign_id, a);
  EXPECT_EQ(v->members.size(), 6u);
  EXPECT_EQ(v->merged_from, (std::vector<std::string>{b}));
  EXPECT_EQ(v->links.size(), 2u);
  auto all = index_->List();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u) << "a merged campaign is not listed on its own";
  EXPECT_EQ(index_->Resolve("CP-000000000000").status().code(), Code::kNotFound);
  // A later case linking to the merged group through B's value lands in A.
  EXPECT_EQ(Add(Site("DN-B3", "b3.example", {{"telegram", "bridge_op"}})).campaign_id, a);
}

TEST_F(IndexTest, RescansAreIdempotentAndACaseThatStopsLinkingLeaves) {
  Add(Site("DN-A", "a.example", {{"btc", kWallet}}));
  std::string cp = Add(Site("DN-B", "b.example", {{"btc", kWallet}})).campaign_id;
  EXPECT_EQ(Add(Site("DN-B", "b.example", {{"btc", kWallet}})).campaign_id, cp);
  auto v = index_->Get(cp);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->members.size(), 2u);
  // The wallet was swapped on B: nothing ties A and B any more.
  AddOutcome out = Add(Site("DN-B", "b.example", {{"btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"}}));
  EXPECT_EQ(out.campaign_id, "");
  EXPECT_EQ(CampaignOf("DN-A"), "");
  auto all = index_->List();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  EXPECT_TRUE(index_->Resolve(cp).ok()) << "the ID once given out still answers";
}

TEST_F(IndexTest, SearchFindsEveryIndicatorTypeAndSurvivesReopening) {
  Add(Site("DN-A", "a.example", {{"btc", kWallet}, {"email", "Ops@Kit-Mail.net"}, {"domain", "outside.example"}}));
  std::string cp = Add(Site("DN-B", "b.example", {{"btc", kWallet}})).campaign_id;
  Reopen();
  auto hits = index_->Search(kWallet, "btc");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].case_id, "DN-A");
  EXPECT_EQ((*hits)[0].campaign_id, cp);
  EXPECT_TRUE((*hits)[0].links);
  auto j = SearchHitJson((*hits)[1]);
  for (const char* k : {"case_id", "seed", "type", "value", "campaign_id"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["seed"], "http://b.example/");
  // E-mails are kept lowercase and found as typed.
  hits = index_->Search("OPS@KIT-MAIL.NET", "");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].type, "email");
  // The site's own host and outside domains are searchable.
  hits = index_->Search("a.example", "host");
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);
  hits = index_->Search("outside.example", "");
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);
  // Phones as people write them, Telegram handles with their '@'.
  Add(Site("DN-P", "p.example", {{"phone", "+46812345678"}, {"telegram", "kit_support"}}));
  for (const char* typed : {"+46812345678", "46812345678", "+46 8 123 456 78", "46-8-123-456-78"}) {
    hits = index_->Search(typed, "phone");
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->size(), 1u) << typed;
  }
  hits = index_->Search("@Kit_Support", "telegram");
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);
  hits = index_->Search(kWallet, "eth");
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
}

TEST_F(IndexTest, MinLinkWeightIsHonoured) {
  IntelOptions o;
  o.min_link_weight = 90;  // only wallets, bot tokens and IBANs
  Reopen(o);
  Add(Site("DN-A", "a.example", {{"phone", "+46858590001"}}));
  EXPECT_TRUE(Add(Site("DN-B", "b.example", {{"phone", "+46858590001"}})).campaign_id.empty());
  Add(Site("DN-C", "c.example", {{"iban", "SE4550000000058398257466"}}));
  EXPECT_FALSE(Add(Site("DN-D", "d.example", {{"iban", "SE4550000000058398257466"}})).campaign_id.empty());
}

TEST(IntelOptionsTest, BadValuesAreErrorsNamingTheKey) {
  auto parse = [](const char* text) {
    auto t = toml::parse(text);
    IntelOptions o;
    return ParseIntelOptions(&t, o);
  };
  EXPECT_TRUE(parse("[intel]\nmin_link_weight = 70\nignore = [\"telegram:x\"]\n").ok());
  Status st = parse("[intel]\nmin_link_weight = 0\n");
  EXPECT_NE(st.message().find("intel.min_link_weight"), std::string::npos) << st.message();
  st = parse("[intel]\nowned = [\"no-colon\"]\n");
  EXPECT_NE(st.message().find("intel.owned"), std::string::npos) << st.message();
  st = parse("[intel]\nlink_everything = true\n");
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace dragnet::intel
