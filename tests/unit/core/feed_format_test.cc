#include "core/feed_format.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace dragnet {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(DRAGNET_SOURCE_DIR) + "/tests/fixtures/feeds/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<FeedEntry> Read(const std::string& bytes, const std::string& format) {
  auto f = ParseFeedFormat(format);
  EXPECT_TRUE(f.ok()) << f.status().message();
  std::vector<FeedEntry> out;
  Status st = ReadFeed(bytes, *f, out);
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

TEST(FeedFormatTest, FormatNamesAreValidated) {
  EXPECT_TRUE(ParseFeedFormat("plain").ok());
  EXPECT_TRUE(ParseFeedFormat("csv:url").ok());
  auto bad = ParseFeedFormat("csv:");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("urlhaus_csv"), std::string::npos) << "lists the formats";
  EXPECT_FALSE(ParseFeedFormat("json").ok());
}

TEST(FeedFormatTest, UrlhausCsvTakesTheUrlColumnNamedByTheHeaderComment) {
  auto e = Read(Fixture("urlhaus.csv"), "urlhaus_csv");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].text, "http://swedbank.se/login/");
  EXPECT_EQ(e[0].line, 10u);
  EXPECT_TRUE(e[0].error.empty());
  EXPECT_EQ(e[1].text, "http://nike-outlet-sale.shop/pay?a=1,b=2") << "a quoted comma stays in the field";
  EXPECT_EQ(e[2].line, 12u);
  EXPECT_NE(e[2].error.find("url column is empty"), std::string::npos) << e[2].error;
  EXPECT_NE(e[3].error.find("2 field(s)"), std::string::npos) << e[3].error;
  // The column moves with the header comment.
  auto moved = Read("# url,id\n\"http://a.test/\",\"1\"\n", "urlhaus_csv");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].text, "http://a.test/");
}

TEST(FeedFormatTest, OpenPhishAndPlainAreOneUrlALine) {
  auto e = Read(Fixture("openphish.txt"), "openphish");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[2].text, "https://wallet-connect-claim.test/");
  EXPECT_EQ(e[2].line, 4u) << "blank lines count";
  auto p = Read("\xEF\xBB\xBF a.test \r\n# c\rb.test\n\n" + std::string("c\0d\n", 4), "plain");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text, "a.test");
  EXPECT_EQ(p[1].line, 3u);
  EXPECT_EQ(p[2].error, "the line holds a NUL byte");
}

TEST(FeedFormatTest, PhishtankJsonEntriesAreNamedByPhishId) {
  auto e = Read(Fixture("phishtank.json"), "phishtank_json");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].text, "https://secure-login-examplebank.test/verify");
  EXPECT_EQ(e[0].label, "entry 1 (phish_id 8812301)");
  EXPECT_EQ(e[1].label, "entry 2 (phish_id 8812302)") << "string IDs too";
  EXPECT_EQ(e[2].error, "it has no url string");
  std::vector<FeedEntry> out;
  auto f = ParseFeedFormat("phishtank_json");
  Status st = ReadFeed("{\"url\": \"x\"}", *f, out);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("array"), std::string::npos);
  EXPECT_FALSE(ReadFeed("[{\"url\": ", *f, out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(FeedFormatTest, CsvColumnByNameOrNumber) {
  auto e = Read(Fixture("custom.csv"), "csv:indicator");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].text, "hxxps://evil-shop[.]test/cart") << "as written: refanging is the caller's";
  EXPECT_EQ(e[0].line, 2u);
  EXPECT_EQ(e[1].text, "bare-domain.test");
  auto n = Read(Fixture("custom.csv"), "csv:2");
  ASSERT_EQ(n.size(), 2u) << "the header row is recognised as no URL";
  EXPECT_EQ(n[1].text, "bare-domain.test");
  auto f = ParseFeedFormat("csv:url");
  std::vector<FeedEntry> out;
  Status st = ReadFeed(Fixture("custom.csv"), *f, out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("Indicator"), std::string::npos) << "names the columns it has: " << st.message();
  auto zero = ParseFeedFormat("csv:0");
  EXPECT_FALSE(ReadFeed("a\n", *zero, out).ok());
}

TEST(FeedFormatTest, QuotedFieldsMaySpanLinesAndUnterminatedQuotesEnd) {
  auto e = Read("u,n\n\"http://a.test/\",\"two\nlines\"\nhttp://b.test/,x\n\"http://c.test/", "csv:u");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[1].text, "http://b.test/");
  EXPECT_EQ(e[1].line, 4u);
  EXPECT_EQ(e[2].text, "http://c.test/");
}

}  // namespace
}  // namespace dragnet
