// extractors/deobfuscate/base64.h: atob-compatible decoding (both alphabets,
// whitespace, optional padding), the "is this a payload" test, the text test,
// data: URIs, and the output cap.
#include "extractors/deobfuscate/base64.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

TEST(Base64, DecodesStandardUrlSafeWhitespaceAndMissingPadding) {
  std::string out;
  ASSERT_TRUE(DecodeBase64("aW5mb0BzY2FtLW1haWwudG9w", out, 1024));
  EXPECT_EQ(out, "info@scam-mail.top");
  ASSERT_TRUE(DecodeBase64("aW5mb0Bz\n Y2FtLW1h aWwudG9w", out, 1024));
  EXPECT_EQ(out, "info@scam-mail.top");
  ASSERT_TRUE(DecodeBase64("Pz8_Pz8-", out, 1024));  // URL-safe for "Pz8/Pz8+"
  EXPECT_EQ(out, "\?\?\?\?\?>");
  ASSERT_TRUE(DecodeBase64("YWI", out, 1024));  // "ab" without its "="
  EXPECT_EQ(out, "ab");
}

TEST(Base64, RefusesWhatAtobRefuses) {
  std::string out;
  EXPECT_FALSE(DecodeBase64("abc$", out, 1024));   // not an alphabet character
  EXPECT_FALSE(DecodeBase64("YQ==YQ", out, 1024)); // data after padding
  EXPECT_FALSE(DecodeBase64("Y", out, 1024));      // a length no encoder writes
  EXPECT_FALSE(DecodeBase64("", out, 1024));
}

TEST(Base64, OutputCapIsHonoured) {
  std::string big(4000, 'A');  // 3000 zero bytes
  std::string out;
  EXPECT_FALSE(DecodeBase64(big, out, 100));
  EXPECT_LE(out.size(), 100u);
  EXPECT_TRUE(DecodeBase64(big, out, 3000));
  EXPECT_EQ(out.size(), 3000u);
}

TEST(Base64, LooksLikeBase64TellsPayloadsFromWords) {
  EXPECT_TRUE(LooksLikeBase64("aW5mb0BzY2FtLW1haWwudG9w"));
  EXPECT_TRUE(LooksLikeBase64("Q29udGFjdDogbG9vdEBldmlsLWRyb3AuY29t"));
  EXPECT_FALSE(LooksLikeBase64("documentgetelementbyid"));    // one case, no digits
  EXPECT_FALSE(LooksLikeBase64("assets/img/logo/header/main"));
  EXPECT_FALSE(LooksLikeBase64("short1A"));
  EXPECT_FALSE(LooksLikeBase64("has spaces in it Abc123"));
  EXPECT_FALSE(LooksLikeBase64("mix+of/both_alphabets-Ab1"));
}

TEST(Base64, TextPayloadIsValidUtf8WithoutControls) {
  EXPECT_TRUE(IsTextPayload("Liên hệ: cskh@sanvang.vn\n"));
  EXPECT_FALSE(IsTextPayload(std::string("a\0b", 3)));
  EXPECT_FALSE(IsTextPayload("\xff\xfe"));
  EXPECT_FALSE(IsTextPayload("\xc3"));  // truncated sequence
}

TEST(Base64, DataUriPayload) {
  EXPECT_EQ(DataUriBase64("data:text/html;base64,PGI+aGk8L2I+"), "PGI+aGk8L2I+");
  EXPECT_EQ(DataUriBase64("DATA:text/plain;charset=utf-8;BASE64,YWJj"), "YWJj");
  EXPECT_EQ(DataUriBase64("data:text/plain,hello"), "");
  EXPECT_EQ(DataUriBase64("https://x/data:;base64,YWJj"), "");
}

}  // namespace
}  // namespace dragnet::extractors::deob
