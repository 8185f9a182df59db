#include "extractors/brands.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/hash.h"

namespace dragnet::extractors {
namespace {

const char* kCatalog = R"(
[[brand]]
name = "PayPal"
domains = ["paypal.com", "paypal.me"]
keywords = ["paypal"]
favicon_sha256 = ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
sector = "payments"

[[brand]]
name = "Swedbank"
domains = ["swedbank.se"]
country = "SE"
sector = "bank"

[[brand]]
name = "BankID"
domains = ["bankid.com"]
keywords = ["mobilt bankid"]
country = "SE"
sector = "bank"

[[brand]]
name = "Thailand Post"
domains = ["thailandpost.co.th"]
keywords = ["ไปรษณีย์ไทย"]
country = "TH"
sector = "parcel"

[[brand]]
name = "Grab"
match_name = false
domains = ["grab.com"]
keywords = ["grabpay"]
)";

BrandCatalog Catalog() {
  auto c = BrandCatalog::Parse(kCatalog, "test");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : BrandCatalog();
}

std::vector<std::string> Wheres(const std::vector<BrandFinding>& f, const std::string& brand) {
  std::vector<std::string> out;
  for (const auto& x : f) {
    if (x.brand == brand) out.push_back(x.where);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ------------------------------------------------------------- loading ---

TEST(BrandCatalogTest, ShippedCatalogLoads) {
  auto c = BrandCatalog::Load(DRAGNET_SOURCE_DIR "/config/brands.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_GE(c->brands().size(), 60u);
  for (const char* name : {"PayPal", "PostNord", "Swedbank", "BankID", "Skatteverket", "Shopee",
                           "Vietcombank", "Kasikornbank", "Bank Central Asia", "J&T Express"}) {
    EXPECT_NE(c->Find(name), nullptr) << name;
  }
  // Nordic and South-East Asian brands are both there.
  std::set<std::string> countries;
  for (const Brand& b : c->brands()) countries.insert(b.country);
  for (const char* cc : {"SE", "NO", "DK", "FI", "SG", "MY", "TH", "VN", "ID"}) {
    EXPECT_TRUE(countries.count(cc)) << cc;
  }
  EXPECT_GE(c->OwnerOf("paypal.com"), 0);
  EXPECT_EQ(c->OwnerOf("paypal-login.com"), -1);
}

struct BadCatalog {
  const char* toml;
  const char* message_part;
  int line;
};

TEST(BrandCatalogTest, BadFilesNameFileAndLine) {
  const BadCatalog cases[] = {
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"\n", "encountered end-of-file", 3},  // TOML syntax
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\nkeyword = [\"x\"]\n", "unknown brand key 'keyword'", 4},
      {"[[brand]]\nname = \"X\"\n", "has no 'domains'", 1},
      {"[[brand]]\ndomains = [\"x.com\"]\n", "non-empty string 'name'", 1},
      {"[[brand]]\nname = \"X\"\ndomains = [\"www.x.com\"]\n", "not a lowercase ASCII registrable domain", 3},
      {"[[brand]]\nname = \"X\"\ndomains = [\"X.com\"]\n", "not a lowercase ASCII registrable domain", 3},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\n\n[[brand]]\nname = \"Y\"\ndomains = [\"x.com\"]\n",
       "already belongs to 'X'", 7},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\n[[brand]]\nname = \"X\"\ndomains = [\"y.com\"]\n",
       "listed twice", 5},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\nsector = \"banking\"\n", "'sector' must be one of", 4},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\ncountry = \"Sweden\"\n", "ISO 3166-1", 4},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\nfavicon_sha256 = [\"abc\"]\n", "64 hex digits", 4},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\nkeywords = [\"a\", 3]\n", "array of strings", 4},
      {"[[brand]]\nname = \"X\"\ndomains = [\"x.com\"]\nmatch_name = false\n", "needs 'keywords'", 1},
      {"title = \"brands\"\n", "unknown key 'title'", 1},
      {"", "no [[brand]] tables", 1},
  };
  for (const auto& c : cases) {
    auto r = BrandCatalog::Parse(c.toml, "/etc/dragnet/brands.toml");
    ASSERT_FALSE(r.ok()) << c.toml;
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("brands file '/etc/dragnet/brands.toml'"), std::string::npos) << m;
    EXPECT_NE(m.find(c.message_part), std::string::npos) << m;
    EXPECT_NE(m.find("line " + std::to_string(c.line)), std::string::npos) << m;
  }
}

TEST(BrandCatalogTest, TooManyBrandsIsALimit) {
  std::string toml;
  for (size_t i = 0; i <= kMaxBrands; ++i) {
    toml += "[[brand]]\nname = \"b" + std::to_string(i) + "\"\ndomains = [\"b" + std::to_string(i) + ".com\"]\n";
  }
  auto r = BrandCatalog::Parse(toml, "big.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kLimitExceeded);
  EXPECT_NE(r.status().message().find("big.toml"), std::string::npos);
}

TEST(BrandCatalogTest, OversizedFileIsRefused) {
  std::string path = ::testing::TempDir() + "/huge_brands.toml";
  {
    std::ofstream out(path);
    std::string line = "# " + std::string(1000, 'x') + "\n";
    for (uint64_t n = 0; n <= kMaxBrandsFileBytes; n += line.size()) out << line;
  }
  auto r = BrandCatalog::Load(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().message();
  std::remove(path.c_str());
}

TEST(BrandCatalogTest, MissingFileIsNotFoundNamingThePath) {
  auto r = BrandCatalog::Load("/nonexistent/brands.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/brands.toml"), std::string::npos);
}

// ------------------------------------------------------------ findings ---

Page LoginPage(const std::string& url) {
  Page p;
  p.url = url;
  p.title = "PayPal: Log in";
  p.text = "Log in to your PayPal account. Forgot password? PayPal Inc.";
  Form f;
  f.action = url + "post.php";
  f.method = "post";
  f.has_password = true;
  f.inputs = {{"email", "email", ""}, {"pass", "password", ""}};
  p.forms.push_back(f);
  p.images.push_back({url + "logo.png", "PayPal logo"});
  return p;
}

TEST(FindBrandsTest, ReportsEveryPlaceOnAForeignDomain) {
  auto cat = Catalog();
  auto f = FindBrands(cat, {LoginPage("https://pp-secure-verify.xyz/")}, "pp-secure-verify.xyz");
  EXPECT_EQ(Wheres(f, "PayPal"), (std::vector<std::string>{"form", "image_alt", "text", "title"}));
  for (const auto& x : f) {
    EXPECT_NE(x.evidence.find("https://pp-secure-verify.xyz/"), std::string::npos) << x.evidence;
    EXPECT_NE(x.evidence.find("paypal"), std::string::npos) << x.evidence;
    EXPECT_EQ(x.sector, "payments");
  }
}

TEST(FindBrandsTest, BrandsOwnDomainIsNeverFlagged) {
  auto cat = Catalog();
  EXPECT_TRUE(FindBrands(cat, {LoginPage("https://www.paypal.com/signin/")}, "paypal.com").empty());
  // ...nor its other registrable domains.
  EXPECT_TRUE(FindBrands(cat, {LoginPage("https://paypal.me/x/")}, "paypal.me").empty());
}

TEST(FindBrandsTest, RealBankLoginPageOnItsOwnDomainIsNotFlagged) {
  auto cat = Catalog();
  Page p;
  p.url = "https://online.swedbank.se/app/ib/logga-in";
  p.title = "Logga in | Swedbank";
  p.text = "Logga in på internetbanken. Logga in med Mobilt BankID. Swedbank ringer aldrig.";
  Form f;
  f.action = p.url + "/dosa";
  f.has_password = true;
  p.forms.push_back(f);
  p.images.push_back({"https://online.swedbank.se/logo.svg", "Swedbank"});
  auto found = FindBrands(cat, {p}, "swedbank.se");
  EXPECT_TRUE(Wheres(found, "Swedbank").empty());
  // A catalog brand's own page offering BankID does not impersonate it.
  EXPECT_TRUE(Wheres(found, "BankID").empty());
  // The same page elsewhere names BankID in text and form, no more.
  p.url = "https://swedbank-login.top/app/ib/logga-in";
  p.forms[0].action = p.url + "/bankid";
  found = FindBrands(cat, {p}, "swedbank-login.top");
  EXPECT_EQ(Wheres(found, "Swedbank"), (std::vector<std::string>{"domain", "form", "image_alt", "text", "title"}));
  EXPECT_EQ(Wheres(found, "BankID"), (std::vector<std::string>{"form", "text"}));
}

TEST(FindBrandsTest, IntegratedBrandsWithoutAnchorAreOneMention) {
  auto c = BrandCatalog::Parse(R"(
[[brand]]
name = "BankID"
integrated = true
domains = ["bankid.com"]
keywords = ["mobilt bankid"]
)", "test");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Page p;
  p.url = "https://forsakring.example.se/login";
  p.title = "Logga in | Försäkringsbolaget";
  p.text = "Logga in med Mobilt BankID. BankID-appen. Öppna BankID.";
  Form f;
  f.action = "https://forsakring.example.se/login/bankid";
  f.has_password = true;
  p.forms.push_back(f);
  p.images.push_back({"https://forsakring.example.se/bankid.svg", "BankID"});
  auto found = FindBrands(*c, {p}, "example.se");
  ASSERT_EQ(Wheres(found, "BankID"), std::vector<std::string>{"text"});
  EXPECT_NE(found[0].evidence.find("as sites offering BankID do"), std::string::npos) << found[0].evidence;
  // Anchored by the title, every place counts.
  p.title = "BankID - Logga in";
  found = FindBrands(*c, {p}, "example.se");
  EXPECT_EQ(Wheres(found, "BankID"), (std::vector<std::string>{"form", "image_alt", "logo", "text", "title"}));
}

TEST(FindBrandsTest, IncidentalMentionIsTextOnly) {
  auto cat = Catalog();
  Page p;
  p.url = "https://cykelverkstan.se/kassa";
  p.title = "Kassa";
  p.text = "Betala med kort eller PayPal.";
  Form f;
  f.action = p.url;
  f.has_card = true;
  p.forms.push_back(f);
  auto found = FindBrands(cat, {p}, "cykelverkstan.se");
  EXPECT_EQ(Wheres(found, "PayPal"), std::vector<std::string>{"text"});
}

TEST(FindBrandsTest, CredentialPageNamingTheBrandThreeTimesIsFormContext) {
  auto cat = Catalog();
  Page p;
  p.url = "https://acc-help.top/";
  p.title = "Sign in";
  p.text = "PayPal account. PayPal security.";
  Form f;
  f.action = p.url + "next";
  f.has_password = true;
  p.forms.push_back(f);
  EXPECT_EQ(Wheres(FindBrands(cat, {p}, "acc-help.top"), "PayPal"), std::vector<std::string>{"text"});
  p.text += " Contact PayPal.";
  auto found = FindBrands(cat, {p}, "acc-help.top");
  EXPECT_EQ(Wheres(found, "PayPal"), (std::vector<std::string>{"form", "text"}));
  for (const auto& x : found) {
    if (x.where == "form") {
      EXPECT_NE(x.evidence.find("3 times"), std::string::npos) << x.evidence;
    }
  }
}

TEST(FindBrandsTest, EvidenceQuotesAreShort) {
  auto cat = Catalog();
  Page p;
  p.url = "https://x.top/";
  p.title = "PayPal " + std::string(5000, 'z');
  auto found = FindBrands(cat, {p}, "x.top");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_LT(found[0].evidence.size(), 400u);
  EXPECT_NE(found[0].evidence.find("zzz...\" at https://x.top/"), std::string::npos) << found[0].evidence;
}

TEST(FindBrandsTest, FormFieldsNamingTheBrand) {
  auto cat = Catalog();
  Page p;
  p.url = "https://login-help.top/";
  Form f;
  f.action = "https://login-help.top/paypal/next.php";
  f.inputs = {{"user", "text", ""}};
  p.forms.push_back(f);
  auto found = FindBrands(cat, {p}, "login-help.top");
  ASSERT_EQ(Wheres(found, "PayPal"), std::vector<std::string>{"form"});
  EXPECT_NE(found[0].evidence.find("https://login-help.top/paypal/next.php"), std::string::npos);
}

TEST(FindBrandsTest, ThaiKeywordAndMatchNameFalse) {
  auto cat = Catalog();
  Page p;
  p.url = "https://track-parcel.cc/";
  p.title = "ไปรษณีย์ไทย - พัสดุของคุณ";
  p.text = "Grab a coffee while you wait. Pay with GrabPay.";
  auto found = FindBrands(cat, {p}, "track-parcel.cc");
  EXPECT_EQ(Wheres(found, "Thailand Post"), std::vector<std::string>{"title"});
  // "Grab" the English verb is not the brand; "GrabPay" is.
  ASSERT_EQ(Wheres(found, "Grab"), std::vector<std::string>{"text"});
  for (const auto& x : found) {
    if (x.brand == "Grab") {
      EXPECT_NE(x.evidence.find("'grabpay'"), std::string::npos) << x.evidence;
    }
  }
}

TEST(FindBrandsTest, ZeroWidthAndFullWidthObfuscationStillMatches) {
  auto cat = Catalog();
  Page p;
  p.url = "https://x.top/";
  p.title = "Pay\u200bPal \uFF2C\uFF4F\uFF47\uFF49\uFF4E";
  EXPECT_EQ(Wheres(FindBrands(cat, {p}, "x.top"), "PayPal"), std::vector<std::string>{"title"});
}

TEST(FindBrandsTest, LogoFileNamesAndMmh3Favicon) {
  auto cat = Catalog();
  Page p;
  p.url = "https://secure-verify.top/login";
  // A brand word in an image's or the favicon's file name (not its host).
  p.images.push_back({"https://secure-verify.top/assets/img/swedbank_logo.svg", ""});
  p.images.push_back({"https://paypal.secure-verify.top/x.png", ""});
  p.favicon = "https://secure-verify.top/favicon.ico";
  auto found = FindBrands(cat, {p}, "secure-verify.top");
  EXPECT_EQ(Wheres(found, "Swedbank"), std::vector<std::string>{"logo"});
  EXPECT_TRUE(Wheres(found, "PayPal").empty());
  // Shodan favicon hashes from the catalog.
  auto c = BrandCatalog::Parse("[[brand]]\nname = \"Acme Bank\"\ndomains = [\"acme.example\"]\nfavicon_mmh3 = [-1234567890]\n", "test");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  found = FindBrands(*c, {p}, "secure-verify.top", {}, {-1234567890});
  EXPECT_EQ(Wheres(found, "Acme Bank"), std::vector<std::string>{"favicon"});
  EXPECT_TRUE(FindBrands(*c, {p}, "acme.example", {}, {-1234567890}).empty());
  EXPECT_FALSE(BrandCatalog::Parse("[[brand]]\nname = \"X\"\ndomains = [\"x.example\"]\nfavicon_mmh3 = [4294967296]\n", "t").ok());
}

TEST(FindBrandsTest, OwnSiteBrandSkipsUserContentHosts) {
  auto c = BrandCatalog::Parse(R"(
[[brand]]
name = "Bank"
domains = ["bank.example"]
[[brand]]
name = "Docs"
user_content = true
domains = ["docs.example"]
)", "test");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(OwnSiteBrand(*c, "bank.example"), "Bank");
  EXPECT_EQ(OwnSiteBrand(*c, "docs.example"), "");
  EXPECT_EQ(OwnSiteBrand(*c, "other.example"), "");
}

TEST(FindBrandsTest, FaviconHashAndDomain) {
  auto cat = Catalog();
  Page p;
  p.url = "https://paypal-help.top/";
  p.favicon = "https://paypal-help.top/favicon.ico";
  std::string hash(64, 'A');  // catalog hashes are case-insensitive
  auto found = FindBrands(cat, {p}, "paypal-help.top", {hash});
  EXPECT_EQ(Wheres(found, "PayPal"), (std::vector<std::string>{"domain", "favicon"}));
  // The brand's own favicon on its own domain is no finding.
  Page own;
  own.url = "https://www.paypal.com/";
  EXPECT_TRUE(FindBrands(cat, {own}, "paypal.com", {hash}).empty());
}

TEST(FindBrandsTest, RedirectChainPagesAreJudgedByTheirOwnDomain) {
  auto cat = Catalog();
  // The kit ends on the real site: the last page is PayPal's own, the first is not.
  auto found = FindBrands(cat, {LoginPage("https://pp-verify.top/"), LoginPage("https://www.paypal.com/")},
                          "pp-verify.top");
  ASSERT_FALSE(found.empty());
  for (const auto& x : found) EXPECT_EQ(x.url.rfind("https://pp-verify.top/", 0), 0u) << x.url;
}

TEST(FindBrandsTest, IndicatorsOnePerBrand) {
  auto cat = Catalog();
  auto found = FindBrands(cat, {LoginPage("https://pp-secure-verify.xyz/")}, "pp-secure-verify.xyz");
  auto inds = BrandIndicators(found);
  ASSERT_EQ(inds.size(), 1u);
  EXPECT_EQ(inds[0].type, "brand");
  EXPECT_EQ(inds[0].value, "PayPal");
  EXPECT_EQ(inds[0].count, 4);
  EXPECT_EQ(inds[0].pages, std::vector<std::string>{"https://pp-secure-verify.xyz/"});
  EXPECT_EQ(inds[0].extra["where"].size(), 4u);
}

}  // namespace
}  // namespace dragnet::extractors
