#include "extractors/verdict.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/url.h"
#include "extractors/indicators.h"
#include "extractors/page.h"

namespace dragnet::extractors {
namespace {

const std::string kFixtures = DRAGNET_SOURCE_DIR "/tests/fixtures/verdict";

const RuleSet& Rules() {
  static const RuleSet rs = [] {
    auto r = RuleSet::Load(DRAGNET_SOURCE_DIR "/config/rules.toml");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RuleSet();
  }();
  return rs;
}

const BrandCatalog& Brands() {
  static const BrandCatalog cat = [] {
    auto c = BrandCatalog::Load(DRAGNET_SOURCE_DIR "/config/brands.toml");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : BrandCatalog();
  }();
  return cat;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

const Reason* FindReason(const Verdict& v, const std::string& rule) {
  for (const Reason& r : v.reasons) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

std::string Dump(const Verdict& v) {
  std::string s = "score " + std::to_string(v.score) + " " + v.label + " " + v.scam_type + " lang=" +
                  v.language + " brand=" + v.brand_impersonated + "\n";
  for (const Reason& r : v.reasons) s += "  " + r.rule + " " + std::to_string(r.weight) + ": " + r.detail + "\n";
  return s;
}

// ------------------------------------------------------------- fixtures ---

// A fixture: <name>.html (the page) and <name>.json (where it was served,
// what earlier stages knew, and the expected verdict).
struct Fixture {
  std::string name;
};

std::vector<std::string> FixtureNames() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(kFixtures)) {
    if (e.path().extension() == ".json") out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class VerdictFixtureTest : public ::testing::TestWithParam<std::string> {};

Verdict RunFixture(const std::string& name, nlohmann::json& spec) {
  spec = nlohmann::json::parse(Slurp(kFixtures + "/" + name + ".json"));
  const std::string url = spec.at("url");
  std::vector<Page> pages = {ParsePage(Slurp(kFixtures + "/" + name + ".html"), url)};
  std::vector<Indicator> indicators;
  for (const auto& j : spec.at("indicators")) {
    Indicator i;
    i.type = j.at("type");
    i.value = j.at("value");
    i.raw = i.value;
    i.pages = j.value("pages", std::vector<std::string>{});
    i.count = 1;
    indicators.push_back(i);
  }
  auto u = ParseUrl(url);
  EXPECT_TRUE(u.ok());
  TlsInfo tls;
  tls.present = spec["tls"].value("present", false);
  tls.verified = spec["tls"].value("verified", false);
  if (!tls.verified) tls.verify_error = "self-signed certificate";

  VerdictInput in;
  in.site_url = url;
  in.final_url = url;
  in.pages = &pages;
  in.indicators = &indicators;
  in.reachable = spec.value("reachable", true);
  if (spec.contains("domain_age_days")) in.domain_age_days = spec["domain_age_days"].get<long>();
  in.tls = &tls;
  in.brands = FindBrands(Brands(), pages, u->RegistrableDomain());
  in.lookalikes = FindLookalikes(Brands(), u->host);
  return Score(Rules(), in);
}

TEST_P(VerdictFixtureTest, MatchesExpectation) {
  nlohmann::json spec;
  Verdict v = RunFixture(GetParam(), spec);
  const auto& e = spec.at("expect");
  SCOPED_TRACE(Dump(v));
  EXPECT_EQ(v.label, e.at("label").get<std::string>());
  EXPECT_EQ(v.scam_type, e.at("scam_type").get<std::string>());
  EXPECT_EQ(v.language, e.at("language").get<std::string>());
  EXPECT_EQ(v.brand_impersonated, e.at("brand_impersonated").get<std::string>());
  for (const auto& r : e.value("rules", nlohmann::json::array())) {
    EXPECT_NE(FindReason(v, r.get<std::string>()), nullptr) << "rule did not fire: " << r;
  }
  for (const auto& r : e.value("rules_absent", nlohmann::json::array())) {
    EXPECT_EQ(FindReason(v, r.get<std::string>()), nullptr) << "rule fired: " << r;
  }
  if (e.contains("evidence")) {
    for (const auto& [rule, parts] : e["evidence"].items()) {
      const Reason* r = FindReason(v, rule);
      ASSERT_NE(r, nullptr) << rule;
      for (const auto& p : parts) {
        EXPECT_NE(r->detail.find(p.get<std::string>()), std::string::npos)
            << rule << " detail lacks " << p << ": " << r->detail;
      }
    }
  }
  // The score is the clamped sum of the reasons' weights.
  int sum = 0;
  for (const Reason& r : v.reasons) sum += r.weight;
  EXPECT_EQ(v.score, std::clamp(sum, 0, 100));
  // Every reason carries evidence, and it survives JSON output.
  for (const Reason& r : v.reasons) {
    EXPECT_FALSE(r.detail.empty()) << r.rule;
    EXPECT_EQ(r.detail.find('\n'), std::string::npos) << r.rule << ": one line please: " << r.detail;
    EXPECT_LE(r.detail.size(), kMaxReasonDetailBytes + 3) << r.rule;
  }
  nlohmann::json j = nlohmann::json::object();
  j["reasons"] = nlohmann::json::array();
  for (const Reason& r : v.reasons) j["reasons"].push_back({{"rule", r.rule}, {"detail", r.detail}});
  EXPECT_NO_THROW((void)j.dump());
}

// End to end: the indicators come from the real extractors instead of the
// fixture's list; the verdict's headline must not change.
TEST_P(VerdictFixtureTest, SameVerdictWithExtractedIndicators) {
  nlohmann::json spec = nlohmann::json::parse(Slurp(kFixtures + "/" + GetParam() + ".json"));
  const std::string url = spec.at("url");
  std::vector<Page> pages = {ParsePage(Slurp(kFixtures + "/" + GetParam() + ".html"), url)};
  ExtractContext ctx;
  ctx.site_url = url;
  std::vector<Indicator> indicators = ExtractIndicators(pages, ctx);
  auto u = ParseUrl(url);
  ASSERT_TRUE(u.ok());
  TlsInfo tls;
  tls.present = spec["tls"].value("present", false);
  tls.verified = spec["tls"].value("verified", false);
  VerdictInput in;
  in.site_url = in.final_url = url;
  in.pages = &pages;
  in.indicators = &indicators;
  in.tls = &tls;
  if (spec.contains("domain_age_days")) in.domain_age_days = spec["domain_age_days"].get<long>();
  in.brands = FindBrands(Brands(), pages, u->RegistrableDomain());
  in.lookalikes = FindLookalikes(Brands(), u->host);
  Verdict v = Score(Rules(), in);
  std::string got;
  for (const Indicator& i : indicators) got += " " + i.type + ":" + i.value;
  SCOPED_TRACE(Dump(v) + "indicators:" + got);
  const auto& e = spec.at("expect");
  EXPECT_EQ(v.label, e.at("label").get<std::string>());
  EXPECT_EQ(v.scam_type, e.at("scam_type").get<std::string>());
  EXPECT_EQ(v.language, e.at("language").get<std::string>());
  EXPECT_EQ(v.brand_impersonated, e.at("brand_impersonated").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, VerdictFixtureTest, ::testing::ValuesIn(FixtureNames()),
                         [](const auto& info) { return info.param; });

TEST(VerdictFixtureSetTest, CoversEveryScamTypeAndLanguage) {
  std::set<std::string> types, langs, labels;
  for (const std::string& name : FixtureNames()) {
    auto spec = nlohmann::json::parse(Slurp(kFixtures + "/" + name + ".json"));
    types.insert(spec["expect"]["scam_type"].get<std::string>());
    langs.insert(spec["expect"]["language"].get<std::string>());
    labels.insert(spec["expect"]["label"].get<std::string>());
  }
  for (const char* t : {"phishing", "investment", "shopping", "employment", "tech_support",
                        "government_impersonation"}) {
    EXPECT_TRUE(types.count(t)) << t;
  }
  for (const char* l : {"en", "sv", "vi", "th", "zh", "es"}) EXPECT_TRUE(langs.count(l)) << l;
  EXPECT_TRUE(labels.count("benign"));
  EXPECT_TRUE(labels.count("malicious"));
}

// ----------------------------------------------------------- unit cases ---

RuleSet Parse(const std::string& toml) {
  auto r = RuleSet::Parse(toml, "mem");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : RuleSet();
}

TEST(ScoreTest, ScoreClampsToHundred) {
  std::string toml = "[keywords.k]\nen = [\"scam\"]\n";
  for (int i = 0; i < 5; ++i) {
    toml += "[[rule]]\nname = \"r" + std::to_string(i) +
            "\"\nweight = 90\n[[rule.if]]\nkind = \"keywords\"\nlist = \"k\"\n";
  }
  RuleSet rs = Parse(toml);
  std::vector<Page> pages(1);
  pages[0].url = "https://x.example/";
  pages[0].text = "a scam";
  VerdictInput in;
  in.pages = &pages;
  Verdict v = Score(rs, in);
  EXPECT_EQ(v.score, 100);
  EXPECT_EQ(v.reasons.size(), 5u);
  EXPECT_EQ(v.label, "malicious");
  EXPECT_EQ(v.scam_type, "other");  // default when no rule names one
}

TEST(ScoreTest, ScoreClampsToZero) {
  RuleSet rs = Parse(
      "[[rule]]\nname = \"old\"\nweight = -100\n[[rule.if]]\nkind = \"domain_age\"\nmin_days = 10\n"
      "[[rule]]\nname = \"older\"\nweight = -50\n[[rule.if]]\nkind = \"domain_age\"\nmin_days = 100\n");
  VerdictInput in;
  in.domain_age_days = 5000;
  Verdict v = Score(rs, in);
  EXPECT_EQ(v.score, 0);
  EXPECT_EQ(v.reasons.size(), 2u);
  EXPECT_EQ(v.label, "benign");
  EXPECT_EQ(v.scam_type, "");
}

TEST(ScoreTest, UnreachableLabelWhateverTheScore) {
  VerdictInput in;
  in.site_url = "https://раураl.com/";
  in.reachable = false;
  auto ascii = HostToAscii("раураl.com");
  ASSERT_TRUE(ascii.ok());
  in.lookalikes = FindLookalikes(Brands(), *ascii);
  ASSERT_FALSE(in.lookalikes.empty());
  Verdict v = Score(Rules(), in);
  EXPECT_EQ(v.label, "unreachable");
  ASSERT_FALSE(v.reasons.empty());
  EXPECT_EQ(v.reasons[0].rule, "unreachable");
  EXPECT_NE(v.reasons[0].detail.find("https://раураl.com/"), std::string::npos);
  // Domain-only rules still explain what is known about it.
  EXPECT_NE(FindReason(v, "lookalike_homograph"), nullptr) << Dump(v);
}

TEST(ScoreTest, NegatedConditionAndUnknownDomainAge) {
  RuleSet rs = Parse(
      "[[rule]]\nname = \"not_new\"\nweight = 10\n[[rule.if]]\nkind = \"domain_age\"\nmax_days = 30\nnegate = true\n"
      "[[rule]]\nname = \"no_email\"\nweight = 20\n[[rule.if]]\nkind = \"indicator\"\ntypes = [\"email\"]\n"
      "negate = true\n");
  VerdictInput in;
  Verdict v = Score(rs, in);
  // Unknown age: neither the condition nor its negation holds.
  EXPECT_EQ(FindReason(v, "not_new"), nullptr);
  ASSERT_NE(FindReason(v, "no_email"), nullptr);
  EXPECT_NE(FindReason(v, "no_email")->detail.find("not (no email indicator)"), std::string::npos);
  // Age from hosting when the input has none.
  Hosting h;
  h.domain.name = "x.example";
  h.domain.age_days = 400;
  h.domain.created = "2023-01-01T00:00:00Z";
  in.hosting = &h;
  v = Score(rs, in);
  ASSERT_NE(FindReason(v, "not_new"), nullptr);
  EXPECT_NE(FindReason(v, "not_new")->detail.find("x.example registered 400 days ago (created 2023-01-01"),
            std::string::npos)
      << FindReason(v, "not_new")->detail;
}

TEST(ScoreTest, LoginWithoutTls) {
  std::vector<Page> pages(1);
  pages[0].url = "http://bank-login.example/";
  Form f;
  f.action = "http://bank-login.example/post";
  f.has_password = true;
  f.inputs.push_back({"pw", "password", ""});
  pages[0].forms.push_back(f);
  VerdictInput in;
  in.final_url = pages[0].url;
  in.pages = &pages;
  Verdict v = Score(Rules(), in);
  ASSERT_NE(FindReason(v, "login_without_tls"), nullptr) << Dump(v);
  EXPECT_NE(FindReason(v, "login_without_tls")->detail.find("served without TLS: http://bank-login.example/"),
            std::string::npos);
  // Over https with a certificate that failed verification.
  pages[0].url = in.final_url = "https://bank-login.example/";
  TlsInfo tls;
  tls.present = true;
  tls.verified = false;
  tls.verify_error = "certificate has expired";
  in.tls = &tls;
  v = Score(Rules(), in);
  ASSERT_NE(FindReason(v, "login_without_tls"), nullptr);
  EXPECT_NE(FindReason(v, "login_without_tls")->detail.find("certificate has expired"), std::string::npos);
  tls.verified = true;
  v = Score(Rules(), in);
  EXPECT_EQ(FindReason(v, "login_without_tls"), nullptr);
}

TEST(ScoreTest, BrandStrengthNeedsMoreThanAMention) {
  VerdictInput in;
  in.brands = {{"PayPal", "text", "'paypal' in text", "https://x/", "payments"}};
  EXPECT_EQ(Score(Rules(), in).brand_impersonated, "");
  in.brands.push_back({"PayPal", "text", "again", "https://x/2", "payments"});  // same place counts once
  EXPECT_EQ(Score(Rules(), in).brand_impersonated, "");
  in.brands.push_back({"PayPal", "title", "'paypal' in title", "https://x/", "payments"});
  EXPECT_EQ(Score(Rules(), in).brand_impersonated, "");  // a news story names a brand in title and text
  in.brands.push_back({"PayPal", "logo", "'paypal' in an image file name", "https://x/", "payments"});
  Verdict v = Score(Rules(), in);
  EXPECT_EQ(v.brand_impersonated, "PayPal");
  ASSERT_NE(FindReason(v, "brand_impersonation"), nullptr);
  EXPECT_NE(FindReason(v, "brand_impersonation")->detail.find("strength 5"), std::string::npos);
  // A lookalike domain of the brand plus one mention is enough too.
  VerdictInput l;
  l.brands = {{"Nordea", "text", "'nordea' in text", "https://x/", "bank"}};
  l.lookalikes = {{"Nordea", "nordea.se", "typo", "'nordae.se' is one slip from nordea.se", "bank"}};
  EXPECT_EQ(Score(Rules(), l).brand_impersonated, "Nordea");
  auto s = BrandStrengths(Rules().brand(), l);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].second, 4);
}

TEST(ScoreTest, BrandTieGoesToTheBrandTheDomainImitates) {
  VerdictInput in;
  in.brands = {{"DBS", "title", "'digibank' in title", "https://x/", "bank"},
               {"DBS", "text", "'digibank' in text", "https://x/", "bank"},
               {"DBS", "form", "'digibank' in title of a login page", "https://x/", "bank"},
               {"Vietcombank", "text", "'vietcombank' in text", "https://x/", "bank"},
               {"Vietcombank", "image_alt", "'vietcombank' in alt", "https://x/", "bank"}};
  in.lookalikes = {{"Vietcombank", "vietcombank.com.vn", "homograph", "skeleton", "bank"}};
  auto s = BrandStrengths(Rules().brand(), in);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], (std::pair<std::string, int>{"Vietcombank", 6}));
  EXPECT_EQ(s[1], (std::pair<std::string, int>{"DBS", 6}));
  EXPECT_EQ(Score(Rules(), in).brand_impersonated, "Vietcombank");
}

TEST(ScoreTest, ScamTypeFollowsTheHeaviestVotes) {
  RuleSet rs = Parse(
      "[keywords.a]\nen = [\"alpha\"]\n[keywords.b]\nen = [\"beta\"]\n"
      "[[rule]]\nname = \"a1\"\nweight = 30\nscam_type = \"lottery\"\n[[rule.if]]\nkind = \"keywords\"\nlist = \"a\"\n"
      "[[rule]]\nname = \"b1\"\nweight = 20\nscam_type = \"romance\"\n[[rule.if]]\nkind = \"keywords\"\nlist = \"b\"\n"
      "[[rule]]\nname = \"b2\"\nweight = 20\nscam_type = \"romance\"\n[[rule.if]]\nkind = \"keywords\"\nlist = \"b\"\n");
  std::vector<Page> pages(1);
  pages[0].url = "https://x.example/";
  pages[0].text = "alpha beta";
  VerdictInput in;
  in.pages = &pages;
  Verdict v = Score(rs, in);
  EXPECT_EQ(v.score, 70);
  EXPECT_EQ(v.scam_type, "romance");
  pages[0].text = "alpha";
  v = Score(rs, in);
  EXPECT_EQ(v.label, "suspicious");
  EXPECT_EQ(v.scam_type, "lottery");
  pages[0].text = "nothing";
  v = Score(rs, in);
  EXPECT_EQ(v.scam_type, "");  // no type for a benign site
}

TEST(ScoreTest, ScriptScanIsBoundedPerPage) {
  RuleSet rs = Parse(
      "[[rule]]\nname = \"late\"\nweight = 50\n[[rule.if]]\nkind = \"script\"\npatterns = ['needle']\n");
  std::vector<Page> pages(1);
  pages[0].url = "https://x.example/";
  Script s;
  s.text = std::string(kMaxScriptScanBytes, ' ') + "needle";
  pages[0].scripts.push_back(s);
  VerdictInput in;
  in.pages = &pages;
  EXPECT_EQ(FindReason(Score(rs, in), "late"), nullptr);
  pages[0].scripts[0].text = "var x = 'needle';";
  Verdict v = Score(rs, in);
  ASSERT_NE(FindReason(v, "late"), nullptr);
  EXPECT_NE(FindReason(v, "late")->detail.find("\"needle\" at https://x.example/"), std::string::npos);
}

TEST(ScoreTest, ReasonDetailIsCapped) {
  RuleSet rs = Parse(
      "[[rule]]\nname = \"u\"\nweight = 5\n[[rule.if]]\nkind = \"url\"\nin = [\"links\"]\npatterns = ['evil']\n");
  std::vector<Page> pages(1);
  pages[0].url = "https://x.example/";
  pages[0].links.push_back("https://evil.example/" + std::string(5000, 'a'));
  VerdictInput in;
  in.pages = &pages;
  Verdict v = Score(rs, in);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_LE(v.reasons[0].detail.size(), kMaxReasonDetailBytes + 3);
  EXPECT_NE(v.reasons[0].detail.find("link https://evil.example/"), std::string::npos);
}

TEST(ScoreTest, ConcealedOwnSiteAndOffsiteForms) {
  RuleSet rs = Parse(
      "[[rule]]\nname = \"hidden\"\nweight = 30\nsays = \"Content hidden\"\n[[rule.if]]\nkind = \"concealed\"\n"
      "[[rule]]\nname = \"own\"\nweight = -100\n[[rule.if]]\nkind = \"own_site\"\n"
      "[[rule]]\nname = \"away\"\nweight = 20\nsays = \"Sent elsewhere\"\n[[rule.if]]\nkind = \"asks\"\n"
      "fields = [\"card_number\"]\noffsite = true\n");
  std::vector<Page> pages = {ParsePage("<form action='https://collector.example/p.php'><input autocomplete='cc-number' placeholder='Card number'></form>",
                                       "https://shop.example/pay")};
  VerdictInput in;
  in.final_url = "https://shop.example/pay";
  in.pages = &pages;
  Verdict v = Score(rs, in);
  ASSERT_NE(FindReason(v, "away"), nullptr) << Dump(v);
  EXPECT_EQ(FindReason(v, "away")->detail,
            "Sent elsewhere: the form on https://shop.example/pay asks for a card number (\"card number\") and sends it "
            "to https://collector.example/p.php (another site: collector.example).");
  EXPECT_EQ(FindReason(v, "hidden"), nullptr);
  in.concealed = "the body failed to decode (gzip: invalid stored block lengths)";
  v = Score(rs, in);
  ASSERT_NE(FindReason(v, "hidden"), nullptr);
  EXPECT_NE(FindReason(v, "hidden")->detail.find("Content hidden: the body failed to decode"), std::string::npos);
  in.own_site_brand = "Shop";
  v = Score(rs, in);
  EXPECT_EQ(v.label, "benign");
  EXPECT_NE(FindReason(v, "own")->detail.find("a registered domain of Shop"), std::string::npos);
  // The same form posting to its own site is not sent elsewhere.
  pages = {ParsePage("<form action='/p.php'><input autocomplete='cc-number' placeholder='Card number'></form>", "https://shop.example/pay")};
  EXPECT_EQ(FindReason(Score(rs, in), "away"), nullptr);
}

TEST(ScoreTest, NoInputAtAllIsBenign) {
  Verdict v = Score(Rules(), VerdictInput{});
  EXPECT_EQ(v.label, "benign");
  EXPECT_EQ(v.score, 0);
  EXPECT_TRUE(v.reasons.empty());
}

}  // namespace
}  // namespace dragnet::extractors
