// core/text.h: the one boundary where outside bytes become text.
#include "core/text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/json.h"

namespace dragnet {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Text, ValidUtf8PassesUnchanged) {
  for (std::string s : {std::string("plain ascii"), std::string("Bänk Łódź 銀行 ✓ 😀"), std::string("\t\r\n"),
                        std::string("\xF4\x8F\xBF\xBF")}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
    EXPECT_EQ(ToText(s), s);
  }
}

// RFC 3629 / Unicode table 3-7: every ill-formed byte becomes one U+FFFD.
TEST(Text, IllFormedBytesBecomeReplacementCharacters) {
  struct {
    std::string in, out;
  } cases[] = {
      {"\xff", kFffd},
      {"a\xfe" "b", "a" + kFffd + "b"},
      {"\x80", kFffd},                           // lone continuation
      {"\xC0\xAF", kFffd + kFffd},               // overlong '/'
      {"\xED\xA0\x80", kFffd + kFffd + kFffd},   // surrogate U+D800
      {"\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},  // past U+10FFFF
      {"\xE2\x82", kFffd + kFffd},               // truncated 3-byte sequence
      {std::string("a\0b", 3), "a" + kFffd + "b"},  // NUL
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(IsValidUtf8(c.in) && c.in.find('\0') == std::string::npos) << c.out;
    std::string t = ToText(c.in);
    EXPECT_EQ(t, c.out);
    EXPECT_TRUE(IsValidUtf8(t));
    EXPECT_NO_THROW((void)nlohmann::json(t).dump());
  }
}

TEST(Text, PrintableEscapesControlsForTerminalsAndLogs) {
  EXPECT_EQ(ToPrintable("title\x1b[2J\r\nforged log line\x7f"), "title\\x1b[2J\\x0d\\x0aforged log line\\x7f");
  EXPECT_EQ(ToPrintable("c1 \xC2\x9B" "31m"), "c1 \\x9b31m");
  EXPECT_EQ(ToPrintable("é ok"), "é ok");
  EXPECT_EQ(ToPrintable("\xff"), kFffd);
}

TEST(Text, CutNeverSplitsACharacter) {
  std::string s = "ab€€";  // € is 3 bytes
  EXPECT_EQ(CutText(s, 100), s);
  EXPECT_EQ(CutText(s, 5), "ab€");
  EXPECT_EQ(CutText(s, 4), "ab");
  EXPECT_EQ(CutText(s, 0), "");
  EXPECT_EQ(CutText("x\xff\xff\xff\xff", 4), "x" + kFffd);
  EXPECT_TRUE(IsValidUtf8(CutText(std::string(10000, '\xff'), 100)));
}

// The backstop: a string that slipped past the boundary is replaced when
// dumped, never an exception (nlohmann's default throws type_error.316).
TEST(Text, DumpJsonNeverThrowsOnInvalidUtf8) {
  nlohmann::json j = {{"k", std::string("a\xff" "b")}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);
  std::string out;
  EXPECT_NO_THROW(out = DumpJson(j));
  EXPECT_EQ(out, "{\"k\":\"a" + kFffd + "b\"}");
}

}  // namespace
}  // namespace dragnet
