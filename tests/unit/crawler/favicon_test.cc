// Shodan's favicon hash (crawler/favicon.h) against values computed with
// Python's base64.encodebytes and an independent MurmurHash3 x86_32, and the
// rules for what counts as an icon.
#include "crawler/favicon.h"

#include <gtest/gtest.h>

#include <string>

namespace dragnet::crawler {
namespace {

std::string Bytes256() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  return s;
}

TEST(FaviconTest, Base64WrapsAt76ColumnsAndEndsWithNewline) {
  EXPECT_EQ(ShodanBase64(""), "");
  EXPECT_EQ(ShodanBase64("a"), "YQ==\n");
  EXPECT_EQ(ShodanBase64("ab"), "YWI=\n");
  std::string b = ShodanBase64(Bytes256());
  EXPECT_EQ(b.size(), 349u);  // 344 characters in 5 lines
  EXPECT_EQ(b.substr(0, 20), "AAECAwQFBgcICQoLDA0O");
  EXPECT_EQ(b[76], '\n');
  EXPECT_EQ(b.back(), '\n');
}

TEST(FaviconTest, Mmh3MatchesShodansPythonRecipe) {
  // mmh3.hash(base64.encodebytes(data)), signed.
  EXPECT_EQ(FaviconMmh3(""), 0);
  EXPECT_EQ(FaviconMmh3("a"), -316242180);
  EXPECT_EQ(FaviconMmh3(Bytes256()), -757223386);
  std::string ico;
  for (int i = 0; i < 50; ++i) ico += std::string("\x00\x00\x01\x00", 4);
  EXPECT_EQ(FaviconMmh3(ico), -1977936821);
}

FetchResult Answer(long status, const std::string& type, const std::string& body) {
  FetchResult r;
  Hop h;
  h.url = "https://kit.example/favicon.ico";
  h.status = status;
  r.hops = {h};
  r.final_url = h.url;
  r.status = status;
  r.content_type = type;
  r.body = r.raw_body = body;
  return r;
}

TEST(FaviconTest, OnlyIconsAreHashed) {
  auto f = FaviconFromFetch(Answer(200, "image/x-icon", "a"), "sha", 1024);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->mmh3, -316242180);
  EXPECT_EQ(f->sha256, "sha");
  EXPECT_EQ(f->url, "https://kit.example/favicon.ico");
  EXPECT_EQ(f->bytes, 1u);
  // A missing icon answered with the site's 404 or home page.
  EXPECT_FALSE(FaviconFromFetch(Answer(404, "image/x-icon", "a"), "", 1024).has_value());
  EXPECT_FALSE(FaviconFromFetch(Answer(200, "text/html", "<html><body>home</body></html>"), "", 1024).has_value());
  EXPECT_FALSE(FaviconFromFetch(Answer(200, "", "<!DOCTYPE html><title>x</title>"), "", 1024).has_value());
  EXPECT_FALSE(FaviconFromFetch(Answer(200, "image/png", ""), "", 1024).has_value());
}

TEST(FaviconTest, MaxFaviconBytesIsALimit) {
  bool too_large = false;
  EXPECT_FALSE(FaviconFromFetch(Answer(200, "image/png", std::string(2048, 'x')), "", 1024, &too_large).has_value());
  EXPECT_TRUE(too_large);
  EXPECT_TRUE(FaviconFromFetch(Answer(200, "image/png", std::string(1024, 'x')), "", 1024, &too_large).has_value());
  EXPECT_FALSE(too_large);
  // Recorded: the icon too large is not stored as a blob, its hop still is.
  FaviconRecord rec = RecordFavicon(Answer(200, "image/png", std::string(2048, 'x')), nullptr, nullptr, 1024);
  EXPECT_TRUE(rec.too_large);
  EXPECT_FALSE(rec.favicon.has_value());
}

TEST(FaviconTest, RequestGoesThroughTheFetcherAsFavicon) {
  FetchRequest req = FaviconRequest("https://kit.example/favicon.ico", 7);
  EXPECT_EQ(req.via, "favicon");
  EXPECT_EQ(req.priority, 7u);
  EXPECT_TRUE(req.method.empty());
}

}  // namespace
}  // namespace dragnet::crawler
