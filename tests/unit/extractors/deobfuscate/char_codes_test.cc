// extractors/deobfuscate/char_codes.h: String.fromCharCode (ToUint16,
// surrogate pairs) and String.fromCodePoint (range-checked).
#include "extractors/deobfuscate/char_codes.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

TEST(CharCodes, FromCharCode) {
  std::string out;
  AppendFromCharCode({105, 110, 102, 111, 64, 0x78, 46, 116, 111, 112}, out);
  EXPECT_EQ(out, "info@x.top");
  out.clear();
  AppendFromCharCode({0xD83D, 0xDE00}, out);  // a pair given as two units
  EXPECT_EQ(out, "\xf0\x9f\x98\x80");
  out.clear();
  AppendFromCharCode({65536 + 65, 65536 + 66.9}, out);  // modulo 2^16, truncated
  EXPECT_EQ(out, "AB");
  out.clear();
  AppendFromCharCode({0xD800}, out);  // a lone surrogate
  EXPECT_EQ(out, "\xef\xbf\xbd");
}

TEST(CharCodes, FromCodePoint) {
  std::string out;
  EXPECT_TRUE(AppendFromCodePoint({0x1F600, 0x40}, out));
  EXPECT_EQ(out, "\xf0\x9f\x98\x80@");
  EXPECT_FALSE(AppendFromCodePoint({0x110000}, out));
  EXPECT_FALSE(AppendFromCodePoint({1.5}, out));
  EXPECT_FALSE(AppendFromCodePoint({-1}, out));
}

}  // namespace
}  // namespace dragnet::extractors::deob
