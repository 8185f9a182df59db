// extractors/deobfuscate/percent.h: unescape() and decodeURIComponent()
// semantics on %XX and %uXXXX, lenient on malformed escapes.
#include "extractors/deobfuscate/percent.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

std::string Dec(std::string_view s, PercentMode m) {
  std::string out;
  DecodePercent(s, m, out);
  return out;
}

TEST(Percent, UnescapeBytesAndUnits) {
  EXPECT_EQ(Dec("%69%6E%66%6F%40scam.top", PercentMode::kUnescape), "info@scam.top");
  EXPECT_EQ(Dec("%u0073%u0068%u006f%u0070%u0040x.jp", PercentMode::kUnescape), "shop@x.jp");
  EXPECT_EQ(Dec("%E9", PercentMode::kUnescape), "\xc3\xa9");                  // U+00E9, as unescape does
  EXPECT_EQ(Dec("%uD83D%uDE00", PercentMode::kUnescape), "\xf0\x9f\x98\x80");  // a surrogate pair joined
}

TEST(Percent, UriDecodingReadsUtf8AndKeepsBrokenSequences) {
  EXPECT_EQ(Dec("https%3A%2F%2Fx.top%2Fa", PercentMode::kUri), "https://x.top/a");
  EXPECT_EQ(Dec("%E2%80%8B", PercentMode::kUri), "\xe2\x80\x8b");
  EXPECT_EQ(Dec("%E9x", PercentMode::kUri), "%E9x");  // not UTF-8: kept as written
}

TEST(Percent, MalformedEscapesStay) {
  EXPECT_EQ(Dec("100% sure %zz %4", PercentMode::kUnescape), "100% sure %zz %4");
  EXPECT_EQ(Dec("%u12", PercentMode::kUnescape), "%u12");
}

TEST(Percent, CountsEscapes) {
  EXPECT_TRUE(HasPercentEscapes("a%40b"));
  EXPECT_FALSE(HasPercentEscapes("100%"));
  EXPECT_FALSE(HasPercentEscapes("a%40b", 2));
  EXPECT_TRUE(HasPercentEscapes("%u0041%42", 2));
}

TEST(Percent, OutputNeverMoreThanTwiceTheInput) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += "%" + std::string(1, "0123456789ABCDEF"[i / 16]) + "0123456789ABCDEF"[i % 16];
  EXPECT_LE(Dec(all, PercentMode::kUnescape).size(), 2 * all.size());
  EXPECT_LE(Dec(all, PercentMode::kUri).size(), all.size());
}

}  // namespace
}  // namespace dragnet::extractors::deob
