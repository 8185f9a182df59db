#include "core/url.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace dragnet {
namespace {

TEST(UrlTest, NormalisesSchemeHostDefaultPortAndFragment) {
  auto u = ParseUrl("HTTP://Example.COM:80/a/../b/?q=1#frag");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->normalized, "http://example.com/b/?q=1");
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->path, "/b/?q=1");
}

TEST(UrlTest, KeepsOddPortsAndEmptyPathBecomesSlash) {
  auto u = ParseUrl("https://example.com:8443");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->normalized, "https://example.com:8443/");
  EXPECT_EQ(u->port, 8443);
  auto d = ParseUrl("https://example.com:443/x");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->normalized, "https://example.com/x");
}

TEST(UrlTest, DropsUserinfo) {
  // Phishing links put the brand in the userinfo: the host is what counts.
  auto u = ParseUrl("https://paypal.com:secure@evil.example.net/login");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "evil.example.net");
  EXPECT_EQ(u->normalized, "https://evil.example.net/login");
}

TEST(UrlTest, IdnHostKeepsUnicodeAndPunycode) {
  auto u = ParseUrl("https://bücher.de/katalog");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "xn--bcher-kva.de");
  EXPECT_EQ(u->host_unicode, "bücher.de");
  EXPECT_EQ(u->normalized, "https://xn--bcher-kva.de/katalog");
  auto p = ParseUrl("https://XN--BCHER-KVA.de/");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->host, "xn--bcher-kva.de");
  EXPECT_EQ(p->host_unicode, "bücher.de");
}

TEST(UrlTest, CyrillicHomographIsPunycoded) {
  // "аpple.com" with a Cyrillic 'а' (U+0430).
  auto u = ParseUrl("https://\xD0\xB0pple.com/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host.rfind("xn--", 0), 0u);
  EXPECT_NE(u->host, "apple.com");
}

TEST(UrlTest, PercentEncodingPreservedAndSpacesEncoded) {
  auto u = ParseUrl("http://example.com/a%20b/c d");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->path, "/a%20b/c%20d");
}

TEST(UrlTest, RefusesOtherSchemesAndGarbage) {
  auto ftp = ParseUrl("ftp://example.com/");
  ASSERT_FALSE(ftp.ok());
  EXPECT_EQ(ftp.status().code(), Code::kRefused);
  auto js = ParseUrl("javascript://alert(1)");
  EXPECT_FALSE(js.ok());
  auto rel = ParseUrl("/just/a/path");
  ASSERT_FALSE(rel.ok());
  EXPECT_EQ(rel.status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(ParseUrl("http://").ok());
  EXPECT_FALSE(ParseUrl("").ok());
  EXPECT_FALSE(ParseUrl("http://exa mple.com/").ok());
}

TEST(UrlTest, IpLiterals) {
  auto v4 = ParseUrl("http://127.0.0.1:8080/x");
  ASSERT_TRUE(v4.ok());
  EXPECT_TRUE(v4->host_is_ip);
  EXPECT_EQ(v4->RegistrableDomain(), "127.0.0.1");
  auto v6 = ParseUrl("http://[::1]:8080/");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->host_is_ip);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->normalized, "http://[::1]:8080/");
  // Decimal IPv4 forms are normalised by curl to dotted quads.
  auto dec = ParseUrl("http://2130706433/");
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->host, "127.0.0.1");
  EXPECT_TRUE(dec->host_is_ip);
}

TEST(UrlTest, ResolvesRelativeReferences) {
  auto base = ParseUrl("https://shop.example.co.uk/a/b.html?x=1");
  ASSERT_TRUE(base.ok());
  auto r = ResolveUrl(*base, "../c/d.html#top");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->normalized, "https://shop.example.co.uk/c/d.html");
  auto abs = ResolveUrl(*base, "//cdn.example.org/x.js");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->normalized, "https://cdn.example.org/x.js");
  EXPECT_FALSE(ResolveUrl(*base, "mailto:a@b.c").ok());
}

TEST(UrlTest, RegistrableDomainUsesPublicSuffixList) {
  EXPECT_EQ(RegistrableDomainOf("a.b.example.co.uk"), "example.co.uk");
  EXPECT_EQ(RegistrableDomainOf("login.secure-bank.com"), "secure-bank.com");
  EXPECT_EQ(RegistrableDomainOf("scam.pages.dev"), "scam.pages.dev");  // private suffix
  EXPECT_EQ(RegistrableDomainOf("co.uk"), "");
  EXPECT_EQ(RegistrableDomainOf("10.0.0.1"), "");
  EXPECT_TRUE(HasPublicSuffix("mail.example.se"));
  EXPECT_FALSE(HasPublicSuffix("logo@2x.png-not-a-tld"));
  EXPECT_FALSE(HasPublicSuffix("localhost"));
}

}  // namespace
}  // namespace dragnet
