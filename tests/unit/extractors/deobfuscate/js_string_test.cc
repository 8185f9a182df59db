// extractors/deobfuscate/js_string.h: every escape form of a JavaScript
// string literal, malformed ones kept, and the output never longer than the
// input (the 50 MB escape string stays bounded by its own size).
#include "extractors/deobfuscate/js_string.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

std::string D(std::string_view body) {
  std::string out;
  DecodeJsStringBody(body, out);
  return out;
}

TEST(JsString, EveryEscapeForm) {
  EXPECT_EQ(D(R"(\x69\x6e\x66\x6f\x40x.top)"), "info@x.top");
  EXPECT_EQ(D(R"(\u0069\u006E\u{66}\u{00006f}\100x.top)"), "info@x.top");
  EXPECT_EQ(D(R"(\151\156\146\157\100)"), "info@");          // legacy octal
  EXPECT_EQ(D(R"(a\'b\"c\\d\/e\@f)"), "a'b\"c\\d/e@f");      // identity escapes
  EXPECT_EQ(D("a\\\nb\\\r\nc"), "abc");                       // line continuations
  EXPECT_EQ(D(R"(\n\t\r\b\f\v\0)"), std::string("\n\t\r\b\f\v\0", 7));
  EXPECT_EQ(D(R"(\uD83D\uDE00)"), "\xf0\x9f\x98\x80");        // a surrogate pair joined
  EXPECT_EQ(D(R"(\u0110\u1ea1i)"), "Đại");
}

TEST(JsString, MalformedEscapesKeepTheirCharacters) {
  EXPECT_EQ(D(R"(\x4)"), "x4");
  EXPECT_EQ(D(R"(\u12)"), "u12");
  EXPECT_EQ(D(R"(\u{110000})"), "u{110000}");
  EXPECT_EQ(D(R"(\uD800x)"), "\xef\xbf\xbdx");  // a lone surrogate
  EXPECT_EQ(D("trailing\\"), "trailing");
}

TEST(JsString, FiftyMegabytesOfEscapesDecodeToNoMoreThanTheInput) {
  std::string body;
  body.reserve(50u << 20);
  while (body.size() < (50u << 20)) body += "\\x41\\u{1F600}\\101";
  std::string out;
  DecodeJsStringBody(body, out);
  EXPECT_LE(out.size(), body.size());
  EXPECT_EQ(out.substr(0, 6), "A\xf0\x9f\x98\x80" "A");
}

}  // namespace
}  // namespace dragnet::extractors::deob
