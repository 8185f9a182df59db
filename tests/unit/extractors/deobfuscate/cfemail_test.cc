// extractors/deobfuscate/cfemail.h: Cloudflare's email-protection encoding
// (a key byte, then the address XORed with it), from data-cfemail values
// and /cdn-cgi/l/email-protection#<hex> links.
#include "extractors/deobfuscate/cfemail.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

TEST(CfEmail, DecodesTheKeyedXor) {
  std::string out;
  // key 0x5a, "support@trade-vip88.com"
  ASSERT_TRUE(DecodeCfEmail("5a292f2a2a35282e1a2e283b3e3f772c332a626274393537", out));
  EXPECT_EQ(out, "support@trade-vip88.com");
}

TEST(CfEmail, RefusesOddLengthsNonHexAndBinary) {
  std::string out;
  EXPECT_FALSE(DecodeCfEmail("5a29f", out));
  EXPECT_FALSE(DecodeCfEmail("5a29zz", out));
  EXPECT_FALSE(DecodeCfEmail("00000a", out));  // decodes to a control character
  EXPECT_FALSE(DecodeCfEmail(std::string(2000, 'a'), out));  // longer than any address
}

TEST(CfEmail, FindsTheFragmentOfProtectionLinks) {
  EXPECT_EQ(CfEmailFragment("/cdn-cgi/l/email-protection#5a292f"), "5a292f");
  EXPECT_EQ(CfEmailFragment("https://x.top/cdn-cgi/l/email-protection#abcd?x"), "abcd");
  EXPECT_EQ(CfEmailFragment("/cdn-cgi/l/email-protection"), "");
  EXPECT_EQ(CfEmailFragment("/contact#5a29"), "");
}

}  // namespace
}  // namespace dragnet::extractors::deob
