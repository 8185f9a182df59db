// extractors/deobfuscate/hex.h: hex-encoded text (hex2a payloads) versus
// hashes and colours.
#include "extractors/deobfuscate/hex.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

TEST(Hex, DecodesTextPayloads) {
  std::string hex = "68747470733a2f2f7566613838382d6261636b75702e6e65742f6c6f67696e";
  ASSERT_TRUE(LooksLikeHexText(hex));
  std::string out;
  ASSERT_TRUE(DecodeHex(hex, out));
  EXPECT_EQ(out, "https://ufa888-backup.net/login");
}

TEST(Hex, LeavesHashesColoursAndIdsAlone) {
  // A SHA-256: pairs everywhere in 0x00-0xff, not mostly printable.
  EXPECT_FALSE(LooksLikeHexText("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  EXPECT_FALSE(LooksLikeHexText("ff00aa"));               // too short
  EXPECT_FALSE(LooksLikeHexText("6874747073aA2f2f6162"));  // mixed case
  EXPECT_FALSE(LooksLikeHexText("68747470733"));          // odd length
  std::string out;
  EXPECT_FALSE(DecodeHex("6g", out));
}

}  // namespace
}  // namespace dragnet::extractors::deob
