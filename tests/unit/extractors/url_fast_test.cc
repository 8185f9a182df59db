// The in-process URL fast path (extractors/url_fast.h) against the curl path
// it stands in for (core/url.h): on every case the fast path handles, the
// result must be byte-identical to curl's; cases it does not handle must be
// left to curl, never answered differently.
#include "extractors/url_fast.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/url.h"

namespace dragnet::extractors::urlfast {
namespace {

const std::vector<std::string>& Bases() {
  static const std::vector<std::string> bases = {
      "https://example.com/",
      "https://example.com",
      "https://example.com/a/b/c.html",
      "https://example.com/a/b/",
      "https://example.com/a",
      "https://example.com/a?x=1",
      "https://example.com/a/b?x=1&y=/z/../w",
      "https://example.com/?q",
      "http://Sub.Example.COM/path/",
      "https://example.com:8443/a/b",
      "http://example.com:80/a/b",
      "https://[2001:db8::1]/a/",
      "https://127.0.0.1/a/b",
      "https://xn--bcher-kva.example/a/",
      "https://bücher.example/a/",
      "https://example.com/a/b?x=?y",
      "https://example.com/%7Euser/x",
      "https://example.com/a;b/c,d",
      "https://user:pw@example.com/a/b",
      "https://a-b.c-d.example.co.uk/x/y/z/",
      "https://phishing_bank_sv.example.com/",
      "https://_x_.example.com/a/b",
  };
  return bases;
}

// Hand-picked references: the shapes pages use, and the edges of the fast
// path's rules.
const std::vector<std::string>& HandPicked() {
  static const std::vector<std::string> refs = {
      "x", "x.html", "/x", "/x/y.php?id=1&lang=sv", "x/y/", "./x", "../x", "../../x", "../../../../x", "./",
      "../", "..", ".", "./.", "/.", "/..", "x/./y", "x/../y", "x/..", "x/.", "/a/b/../c", ".x", "..x", "x..",
      "...", ".../x", "?", "?y=2", "?y=2#f", "#f", "#", "x#f", "x?#", "x?y#z", "x?a=/../b", "x?a=./b",
      "//cdn.example.net/lib.js", "//CDN.Example.NET", "//cdn.example.net?x", "///x", "//", "//user@h.com/",
      "//h.com:81/x", "https://other.example.org", "https://other.example.org/", "HTTPS://Other.Example.ORG/A/B?C#D",
      "http://other.example.org/a/../b", "https://other.example.org/./x", "https://other.example.org?x=1",
      "https://other.example.org#x", "https://other.example.org:443/", "https://u@other.example.org/",
      "https://127.0.0.1/x", "https://127.1/x", "https://0x7f.1/x", "https://1.2.3/x", "https://1a.example/x",
      "https://a..b/x", "https://.a.b/x", "https://a.b./x", "https://xn--bcher-kva.example/",
      "https://XN--bcher-kva.example/", "https://bücher.example/", "https://-.example/", "https://a_b.example/", "https://_.example/", "https://A_B.Example/x",
      "https://[::1]/x", "http://198.51.100.77/frame.html", "https://255.255.255.255/", "https://256.1.1.1/",
      "https://01.2.3.4/", "https://1.2.3.4.5/", "https://0.0.0.0/", "https://1.2.3.04/", "https://1.2.3.4./",
      "https://1.2.3.4:80/", "https://1.2.3.4?x", "https://4294967295/", "https://1.2.3.999/", "https://1.2.3.1000/",
      "https:///x", "https:/x", "https:x", "http:x", "HTTP:/x", "mailto:a@b.com",
      "MailTo:a@b.com", "javascript:void(0)", "javascript:alert('x y')", "tel:+46701234567", "data:text/html,hi",
      "whatsapp://send?phone=1", "tg://resolve?domain=x", "ftp://example.com/x", "c:/x", "c:\\x", "1:x", "+a:x",
      "a+b.c-d:x", "x:", ":x", "a/b:c", "a?b:c", "a#b:c", "x y", " x", "x\ty", "x%20y", "%2e%2e/x", "%2E/x",
      "x/%2e%2e/y", "%zz", "%", "x%", "é", "x/é", "x?é", "x#é", "\\x", "x\\y", "x|y", "x\"y", "x<y", "x{y",
      "x^y", "x`y", "x'y", "x(y)", "x*y", "x!y$z&w", "x+y,z;w=v", "x~y_z-w", "x@y", "x:y", "/x:y", "?x:y",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:x", "aaaaaaaaaaaaaaaaaaaa:x", "aaaaaaaaaaaaaaaaaaaaa:x",
      std::string(3000, 'a'), "/" + std::string(9000, 'b'), std::string(40, 'a') + ":x", std::string(41, 'a') + ":x",
      "1.2.3.4localhostmailto:", "a1.b2:x", "x.y+z-w:/a",
  };
  return refs;
}

// Random references from fragments that exercise every branch.
std::vector<std::string> Generated(size_t n) {
  static const char* const kParts[] = {
      "a", "b", "c1", "x.html", "/", "/", "/", ".", "..", "./", "../", "?", "#", "=", "&", ":", "@", "!", "$", "'",
      "(", ")", "*", "+", ",", ";", "~", "_", "-", "%20", "%2e", "%2E%2E", "%zz", "%", " ", "\xc3\xa9", "\\", "//",
      "http://", "HTTPS://", "https://Host.Example.com", "mailto:", "javascript:", "tel:", "HTTP:", "xn--", "[",
      "]", "|", "\"", "<", "{", "^", "`", "\t", "1.2.3.4", "0x7f", "9", "localhost", ":8080", "user@", "255.", "0.", "10",
  };
  std::mt19937 rng(20240512);
  std::uniform_int_distribution<size_t> part(0, std::size(kParts) - 1);
  std::uniform_int_distribution<int> len(1, 8);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::string s;
    for (int k = len(rng); k > 0; --k) s += kParts[part(rng)];
    out.push_back(std::move(s));
  }
  return out;
}

// Compares the fast path with curl for one (base, ref); counts the cases the
// fast path answered itself.
void Check(const Url& base, const std::string& ref, size_t& handled) {
  std::string fast;
  Outcome o = Resolve(base, ref, fast);
  Result<Url> curl = ResolveUrl(base, ref);
  switch (o) {
    case Outcome::kResolved:
      ++handled;
      ASSERT_TRUE(curl.ok()) << "base " << base.normalized << " ref '" << ref << "': fast " << fast
                             << ", curl fails: " << curl.status().message();
      EXPECT_EQ(fast, curl->normalized) << "base " << base.normalized << " ref '" << ref << "'";
      break;
    case Outcome::kNotHttp:
      ++handled;
      EXPECT_FALSE(curl.ok()) << "base " << base.normalized << " ref '" << ref << "': curl gives " << curl->normalized;
      break;
    case Outcome::kAskCurl:
      break;
  }
  std::optional<std::string> both = ResolveOrCurl(base, ref);
  EXPECT_EQ(both.has_value(), curl.ok()) << ref;
  if (both && curl.ok()) {
    EXPECT_EQ(*both, curl->normalized) << ref;
  }
}

TEST(UrlFast, ResolveMatchesCurlOnHandPickedReferences) {
  size_t handled = 0, total = 0;
  for (const std::string& b : Bases()) {
    Result<Url> base = ParseUrl(b);
    ASSERT_TRUE(base.ok()) << b;
    for (const std::string& ref : HandPicked()) {
      Check(*base, ref, handled);
      ++total;
    }
  }
  // The common shapes must not all be left to curl (the point of the path).
  EXPECT_GT(handled * 3, total) << handled << " of " << total;
}

TEST(UrlFast, ResolveMatchesCurlOnGeneratedReferences) {
  const std::vector<std::string> refs = Generated(10000);
  size_t handled = 0, total = 0;
  for (const std::string& b : Bases()) {
    Result<Url> base = ParseUrl(b);
    ASSERT_TRUE(base.ok()) << b;
    for (const std::string& ref : refs) {
      Check(*base, ref, handled);
      ++total;
    }
  }
  EXPECT_GT(handled * 10, total) << handled << " of " << total;
}

TEST(UrlFast, ResolveHandlesTheCommonShapesItself) {
  Result<Url> base = ParseUrl("https://shop.example.com/sale/index.html?p=2");
  ASSERT_TRUE(base.ok());
  for (const char* ref : {"/cart", "item.php?id=7&c=3", "../img/a.png", "./b", "?p=3", "//cdn.example.net/x.js",
                          "https://pay.example.org/checkout", "mailto:a@b.se", "javascript:void(0)", "tel:+4670"}) {
    std::string out;
    EXPECT_NE(Resolve(*base, ref, out), Outcome::kAskCurl) << ref;
  }
}

// Every field of Url, not only `normalized`: the page URL becomes the base and
// its scheme/host/port build the favicon URL.
TEST(UrlFast, ParseAbsoluteMatchesCurlOnEveryField) {
  std::vector<std::string> texts;
  for (const std::string& b : Bases()) texts.push_back(b);
  for (const std::string& ref : HandPicked()) texts.push_back(ref);
  for (const std::string& g : Generated(3000)) {
    texts.push_back("https://" + g);
    texts.push_back("http://example.com/" + g);
  }
  size_t handled = 0;
  for (const std::string& t : texts) {
    Url fast;
    Outcome o = ParseAbsolute(t, fast);
    Result<Url> curl = ParseUrl(t);
    ASSERT_NE(o, Outcome::kNotHttp) << t;
    if (o != Outcome::kResolved) continue;
    ++handled;
    ASSERT_TRUE(curl.ok()) << "'" << t << "': fast " << fast.normalized << ", curl fails: " << curl.status().message();
    EXPECT_EQ(fast.normalized, curl->normalized) << t;
    EXPECT_EQ(fast.scheme, curl->scheme) << t;
    EXPECT_EQ(fast.host, curl->host) << t;
    EXPECT_EQ(fast.host_unicode, curl->host_unicode) << t;
    EXPECT_EQ(fast.port, curl->port) << t;
    EXPECT_EQ(fast.path, curl->path) << t;
    EXPECT_EQ(fast.host_is_ip, curl->host_is_ip) << t;
    EXPECT_EQ(fast.RegistrableDomain(), curl->RegistrableDomain()) << t;
  }
  EXPECT_GT(handled, texts.size() / 10) << handled << " of " << texts.size();
  Result<Url> both = ParseUrlOrCurl("https://[::1]:8080/x");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->normalized, "https://[::1]:8080/x");
}

}  // namespace
}  // namespace dragnet::extractors::urlfast
