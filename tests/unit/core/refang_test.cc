#include "core/refang.h"

#include <gtest/gtest.h>

#include "core/url.h"

namespace dragnet {
namespace {

std::string Parsed(std::string_view seed) {
  auto u = ParseUrl(RefangSeed(seed));
  return u.ok() ? u->normalized : "error: " + u.status().message();
}

TEST(RefangTest, UndoesTheCommonDefangings) {
  EXPECT_EQ(Parsed("hxxp://evil[.]com/login"), "http://evil.com/login");
  EXPECT_EQ(Parsed("hXXps[:]//pay(.)example{.}net/a?b=1"), "https://pay.example.net/a?b=1");
  EXPECT_EQ(Parsed("HXXPS://evil[dot]com"), "https://evil.com/");
  EXPECT_EQ(Parsed("hxxps[://]evil(dot)co{dot}uk[/]x"), "https://evil.co.uk/x");
  EXPECT_EQ(Parsed("h**p://evil[.]com/"), "http://evil.com/");
  EXPECT_EQ(Parsed("<https://evil.com/mail>"), "https://evil.com/mail");
}

TEST(RefangTest, BareDomainsAreCrawledFromHttp) {
  EXPECT_EQ(Parsed("evil.com"), "http://evil.com/");
  EXPECT_EQ(Parsed("evil[.]com/login?x=1"), "http://evil.com/login?x=1");
  EXPECT_EQ(Parsed("shop.evil.com:8080/pay"), "http://shop.evil.com:8080/pay");
  EXPECT_EQ(Parsed("xn--pypal-4ve.com"), "http://xn--pypal-4ve.com/");
  EXPECT_EQ(Parsed("192.0.2.7/x"), "http://192.0.2.7/x");
}

TEST(RefangTest, LeavesValidUrlsAndGarbageAlone) {
  EXPECT_EQ(RefangSeed("https://example.com/a[.]b"), "https://example.com/a.b");  // defanged anywhere
  EXPECT_EQ(RefangSeed("https://example.com/path"), "https://example.com/path");
  EXPECT_FALSE(LooksDefanged("https://example.com/path"));
  EXPECT_TRUE(LooksDefanged("evil.com"));
  // Not hosts: stay as they are and ParseUrl refuses them.
  EXPECT_EQ(RefangSeed("not a url"), "not a url");
  EXPECT_EQ(RefangSeed("localhost"), "localhost");
  EXPECT_EQ(RefangSeed(".com"), ".com");
  EXPECT_EQ(RefangSeed("mailto:a@b.com"), "mailto:a@b.com");
  EXPECT_EQ(RefangSeed("javascript:alert(1)"), "javascript:alert(1)");
  EXPECT_EQ(RefangSeed(""), "");
  EXPECT_NE(Parsed("ftp://evil.com/").rfind("error: ", 0), std::string::npos);
}

TEST(RefangTest, NeverUndoesAnAtSign) {
  // "[@]" would turn what precedes it into userinfo and hide the real host.
  EXPECT_EQ(RefangSeed("http://bank.com[@]evil.com/"), "http://bank.com[@]evil.com/");
  EXPECT_EQ(RefangSeed("bank.com[at]evil.com"), "bank.com[at]evil.com");
}

}  // namespace
}  // namespace dragnet
