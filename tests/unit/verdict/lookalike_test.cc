#include "extractors/lookalike.h"

#include <gtest/gtest.h>

#include "core/url.h"

namespace dragnet::extractors {
namespace {

const char* kCatalog = R"(
[[brand]]
name = "PayPal"
domains = ["paypal.com"]
[[brand]]
name = "Apple"
match_name = false
domains = ["apple.com"]
keywords = ["apple id"]
[[brand]]
name = "Microsoft"
domains = ["microsoft.com", "live.com"]
[[brand]]
name = "Nordea"
domains = ["nordea.se", "nordea.com"]
[[brand]]
name = "Vietcombank"
domains = ["vietcombank.com.vn"]
[[brand]]
name = "DHL"
domains = ["dhl.com"]
[[brand]]
name = "Swedbank"
domains = ["swedbank.se"]
[[brand]]
name = "Google"
domains = ["google.com"]
)";

BrandCatalog Catalog() {
  auto c = BrandCatalog::Parse(kCatalog, "test");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : BrandCatalog();
}

// The finding for `brand`, or a finding with empty technique.
LookalikeFinding For(const std::string& host, const std::string& brand) {
  static const BrandCatalog cat = Catalog();
  auto ascii = HostToAscii(host);
  EXPECT_TRUE(ascii.ok()) << host;
  for (const auto& f : FindLookalikes(cat, ascii.ok() ? *ascii : host)) {
    if (f.brand == brand) return f;
  }
  return {};
}

size_t Count(const std::string& host) {
  static const BrandCatalog cat = Catalog();
  auto ascii = HostToAscii(host);
  return FindLookalikes(cat, ascii.ok() ? *ascii : host).size();
}

TEST(LookalikeTest, HomographCyrillic) {
  // "раураl" in Cyrillic р а у р а + Latin l.
  auto f = For("раураl.com", "PayPal");
  EXPECT_EQ(f.technique, "homograph");
  EXPECT_EQ(f.brand_domain, "paypal.com");
  EXPECT_NE(f.detail.find("xn--"), std::string::npos) << f.detail;  // the punycode host...
  EXPECT_NE(f.detail.find("раураl.com"), std::string::npos) << f.detail;  // ...and its Unicode form
  // Mixed: one Cyrillic 'о' in nordea, under another TLD.
  EXPECT_EQ(For("nоrdea.info", "Nordea").technique, "homograph");
}

TEST(LookalikeTest, HomographOneEditFromSkeleton) {
  // xn--80ak6aa92e.com: "аррӏе" (Cyrillic palochka), whose skeleton is "appie".
  EXPECT_EQ(For("xn--80ak6aa92e.com", "Apple").technique, "homograph");
}

TEST(LookalikeTest, HomographInsideLongerIdnName) {
  EXPECT_EQ(For("раураl-secure.com", "PayPal").technique, "homograph");
}

TEST(LookalikeTest, HomographNegatives) {
  // Genuine IDN names unlike any brand.
  EXPECT_EQ(Count("bücher.de"), 0u);
  EXPECT_EQ(Count("пример.рф"), 0u);
  EXPECT_EQ(Count("例子.中国"), 0u);
}

TEST(LookalikeTest, TypoEachKind) {
  struct Case {
    const char* host;
    const char* brand;
    const char* detail;
  } cases[] = {
      {"paypl.com", "PayPal", "omission"},
      {"paypall.com", "PayPal", "repetition"},
      {"papyal.com", "PayPal", "transposition"},
      {"paypel.com", "PayPal", "replacement"},
      {"paypzal.com", "PayPal", "insertion"},
      {"pay-pal.com", "PayPal", "hyphen"},
      {"rnicrosoft.com", "Microsoft", "look-alike"},
      {"micr0soft.com", "Microsoft", "look-alike"},
      {"paypa1.net", "PayPal", "look-alike"},
      {"vietcornbank.com", "Vietcombank", "look-alike"},
      {"dh1.com", "DHL", "look-alike"},  // short labels: homoglyphs only
      {"goog1e.com", "Google", "look-alike"},
  };
  for (const auto& c : cases) {
    auto f = For(c.host, c.brand);
    EXPECT_EQ(f.technique, "typo") << c.host;
    EXPECT_NE(f.detail.find(c.detail), std::string::npos) << c.host << ": " << f.detail;
  }
}

TEST(LookalikeTest, TypoNegatives) {
  // One edit from a three-letter brand is mostly other names.
  EXPECT_EQ(For("dhx.com", "DHL").technique, "");
  EXPECT_EQ(For("ahl.com", "DHL").technique, "");
  // Two edits away is not a typo.
  EXPECT_EQ(For("pyapl.com", "PayPal").technique, "");
  EXPECT_EQ(For("swedenbank.com", "Swedbank").technique, "");
}

TEST(LookalikeTest, EmbeddedBrandWords) {
  EXPECT_EQ(For("secure-login-paypal-verify.xyz", "PayPal").technique, "embedded");
  EXPECT_EQ(For("paypal.com.account-verify.top", "PayPal").technique, "embedded");
  EXPECT_EQ(For("dhl-tracking.top", "DHL").technique, "embedded");
  EXPECT_EQ(For("www.mypaypalhelp.com", "PayPal").technique, "embedded");
  auto f = For("swedbank-se.com", "Swedbank");
  EXPECT_EQ(f.technique, "embedded");
  EXPECT_NE(f.detail.find("swedbank"), std::string::npos);
}

TEST(LookalikeTest, EmbeddedNegatives) {
  // A short brand inside a longer word is chance, not impersonation.
  EXPECT_EQ(For("adhlstore.com", "DHL").technique, "");
  EXPECT_EQ(For("example.com", "PayPal").technique, "");
}

TEST(LookalikeTest, TldSwap) {
  auto f = For("paypal.co", "PayPal");
  EXPECT_EQ(f.technique, "tld_swap");
  EXPECT_NE(f.detail.find(".co "), std::string::npos) << f.detail;
  EXPECT_EQ(For("nordea.xyz", "Nordea").technique, "tld_swap");
  EXPECT_EQ(For("vietcombank.vn", "Vietcombank").technique, "tld_swap");
  EXPECT_EQ(For("login.swedbank.co.uk", "Swedbank").technique, "tld_swap");
}

TEST(LookalikeTest, BrandsOwnDomainsAndSubdomainsAreNeverFlagged) {
  for (const char* host : {"paypal.com", "www.paypal.com", "secure.paypal.com.", "nordea.se",
                           "netbank.nordea.com", "vietcombank.com.vn", "portal.vietcombank.com.vn",
                           "login.live.com", "apple.com", "dhl.com"}) {
    EXPECT_EQ(Count(host), 0u) << host;
  }
}

TEST(LookalikeTest, HostileInputIsBounded) {
  static const BrandCatalog cat = Catalog();
  EXPECT_TRUE(FindLookalikes(cat, "").empty());
  EXPECT_TRUE(FindLookalikes(cat, "127.0.0.1").empty());
  EXPECT_TRUE(FindLookalikes(cat, "com").empty());
  // Longer than any host name DNS allows: refused, not scanned.
  std::string huge;
  while (huge.size() <= kMaxHostBytes) huge += "paypal-";
  huge += "x.com";
  EXPECT_TRUE(FindLookalikes(cat, huge).empty());
  // Just under the limit still works.
  std::string ok = "paypal-" + std::string(200, 'a') + ".com";
  ASSERT_LE(ok.size(), kMaxHostBytes);
  EXPECT_EQ(FindLookalikes(cat, ok).size(), 1u);
}

TEST(LookalikeTest, EditDistanceAndSkeleton) {
  EXPECT_EQ(EditDistance("paypal", "paypal"), 0);
  EXPECT_EQ(EditDistance("papyal", "paypal"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(ConfusableSkeleton("раураl"), ConfusableSkeleton("paypal"));
  EXPECT_NE(ConfusableSkeleton("paypal"), ConfusableSkeleton("paypai"));
}

}  // namespace
}  // namespace dragnet::extractors
