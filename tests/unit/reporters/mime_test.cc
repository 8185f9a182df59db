// Header sanitising (CR/LF injection, RFC 2047, folding), body encodings and
// the template language.
#include "reporters/mime.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "core/hash.h"
#include "reporters/template.h"

namespace dragnet::reporters {
namespace {

// Every line of a header block: ends in CRLF, no bare CR or LF, <= 78 chars,
// continuation lines start with whitespace.
void ExpectCleanHeader(const std::string& h) {
  ASSERT_GE(h.size(), 2u);
  ASSERT_EQ(h.substr(h.size() - 2), "\r\n");
  size_t start = 0;
  bool first = true;
  while (start < h.size()) {
    size_t end = h.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    std::string line = h.substr(start, end - start);
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_LE(line.size(), kMaxHeaderLine) << line;
    if (!first) {
      ASSERT_FALSE(line.empty());
      EXPECT_TRUE(line[0] == ' ' || line[0] == '\t') << line;
    }
    for (unsigned char c : line) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << line;
    first = false;
    start = end + 2;
  }
}

TEST(MimeTest, HeaderInjectionViaCrLfIsNeutralised) {
  std::string h = HeaderField("Subject", "Login\r\nBcc: victim@example.org\r\n\r\nbody");
  ExpectCleanHeader(h);
  EXPECT_EQ(h, "Subject: Login Bcc: victim@example.org body\r\n");
}

TEST(MimeTest, BareLfNelAndLineSeparatorAreNeutralised) {
  std::string h = HeaderField("Subject", "a\nb\rc\xC2\x85" "d\xE2\x80\xA8" "e");
  ExpectCleanHeader(h);
  EXPECT_EQ(h, "Subject: a b c d e\r\n");
}

TEST(MimeTest, NonAsciiIsRfc2047EncodedAndFolded) {
  std::string title = "Bank\xC3\xA5tkomst \xE2\x80\x94 logga in p\xC3\xA5 ditt konto hos Exempelbanken, "
                      "s\xC3\xA4ker inloggning med BankID \xF0\x9F\x94\x92";
  std::string h = HeaderField("Subject", title);
  ExpectCleanHeader(h);
  EXPECT_EQ(h.rfind("Subject: =?UTF-8?B?", 0), 0u) << h;
  EXPECT_NE(h.find("\r\n =?UTF-8?B?"), std::string::npos) << "long value must fold";
  // Decode the words back: the text must round-trip exactly.
  std::string decoded;
  size_t pos = 0;
  while ((pos = h.find("=?UTF-8?B?", pos)) != std::string::npos) {
    size_t end = h.find("?=", pos + 10);
    decoded += Base64Decode(h.substr(pos + 10, end - pos - 10));
    EXPECT_LE(end + 2 - pos, 75u);
    pos = end + 2;
  }
  EXPECT_EQ(decoded, title);
}

TEST(MimeTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(SanitizeHeaderText("ab\xFF" "c"), "ab\xEF\xBF\xBD" "c");
  EXPECT_EQ(SanitizeHeaderText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

TEST(MimeTest, LongAsciiFoldsAtSpacesAndLongWordsAreEncoded) {
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word" + std::to_string(i) + " ";
  std::string h = HeaderField("Subject", words);
  ExpectCleanHeader(h);
  EXPECT_EQ(h.find("=?UTF-8?"), std::string::npos);
  std::string url = "https://example.test/" + std::string(200, 'a');
  std::string h2 = HeaderField("Subject", "see " + url);
  ExpectCleanHeader(h2);
  EXPECT_NE(h2.find("=?UTF-8?B?"), std::string::npos);
}

TEST(MimeTest, LookalikeEncodedWordFromSiteIsEncodedNotPassedThrough) {
  std::string h = HeaderField("Subject", "=?UTF-8?B?QmNjOiB4?=");
  EXPECT_EQ(h.find("Subject: =?UTF-8?B?QmNjOiB4?="), std::string::npos);
  ExpectCleanHeader(h);
}

TEST(MimeTest, ValueLengthIsCapped) {
  std::string v = SanitizeHeaderText(std::string(5000, 'x'));
  EXPECT_EQ(v.size(), kMaxHeaderValueBytes);
  EXPECT_EQ(v.substr(v.size() - 3), "...");
}

TEST(MimeTest, QuotedPrintableRules) {
  std::string qp = QuotedPrintable("caf\xC3\xA9 = ok \n.dot\n" + std::string(100, 'z') + "\n");
  EXPECT_NE(qp.find("caf=C3=A9 =3D ok=20\r\n"), std::string::npos) << qp;
  EXPECT_NE(qp.find("\r\n=2Edot\r\n"), std::string::npos) << qp;
  size_t start = 0;
  while (start < qp.size()) {
    size_t end = qp.find("\r\n", start);
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
}

TEST(MimeTest, GzipRoundTripsAndIsCapped) {
  std::string data = "<html>" + std::string(10000, 'a') + "</html>";
  auto gz = Gzip(data);
  ASSERT_TRUE(gz.ok());
  std::string out(data.size() + 16, '\0');
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(gz->data());
  zs.avail_in = static_cast<uInt>(gz->size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  EXPECT_EQ(out, data);
  auto big = Gzip(std::string(kMaxGzipInput + 1, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), Code::kLimitExceeded);
}

TEST(TemplateTest, VariablesSectionsInvertedAndNoReparse) {
  auto t = Template::Compile("Hi {{name}}!\n{{#items}}- {{v}}\n{{/items}}{{^none}}empty{{/none}}", "t");
  ASSERT_TRUE(t.ok());
  nlohmann::json ctx = {{"name", "{{evil}}"}, {"evil", "X"}, {"items", {{{"v", 1}}, {{"v", "two"}}}}};
  EXPECT_EQ(t->Render(ctx), "Hi {{evil}}!\n- 1\n- two\nempty");
}

// Only a section tag alone on its line takes its line break: one closing a
// line of text keeps it (the report's evidence and hosting lists were run
// together into one line before).
TEST(TemplateTest, OnlyStandaloneSectionTagsTakeTheirLineBreak) {
  auto t = Template::Compile("List:\n{{#rows}}  - {{url}}{{#what}} ({{what}}){{/what}}\n{{/rows}}"
                             "Domain: {{d}}{{#age}} ({{age}} days){{/age}}\n{{#reg}}Registrar: {{reg}}\n{{/reg}}end",
                             "t");
  ASSERT_TRUE(t.ok());
  nlohmann::json ctx = {{"rows", {{{"url", "a"}, {"what", "shot"}}, {{"url", "b"}}}}, {"d", "x.test"}, {"age", 3},
                        {"reg", "R"}};
  EXPECT_EQ(t->Render(ctx), "List:\n  - a (shot)\n  - b\nDomain: x.test (3 days)\nRegistrar: R\nend");
}

TEST(TemplateTest, ErrorsNameFileAndLine) {
  auto a = Template::Compile("ok\n{{#open}}x", "body.txt");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("body.txt:2"), std::string::npos);
  auto b = Template::Compile("{{#a}}{{/b}}", "s.txt");
  ASSERT_FALSE(b.ok());
  auto c = Template::Compile("{{x", "s.txt");
  ASSERT_FALSE(c.ok());
}

TEST(TemplateTest, NestingDepthIsCapped) {
  std::string text;
  for (int i = 0; i <= kMaxTemplateDepth; ++i) text += "{{#a" + std::to_string(i) + "}}";
  auto t = Template::Compile(text, "deep.txt");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kLimitExceeded);
}

TEST(TemplateTest, RenderedSizeIsCapped) {
  auto t = Template::Compile("{{#rows}}{{v}}{{/rows}}", "t");
  ASSERT_TRUE(t.ok());
  nlohmann::json rows = nlohmann::json::array();
  for (int i = 0; i < 3000; ++i) rows.push_back({{"v", std::string(1000, 'x')}});
  std::string out = t->Render({{"rows", rows}});
  EXPECT_LE(out.size(), kMaxRenderedBytes + 100);
  EXPECT_NE(out.find("kMaxRenderedBytes"), std::string::npos);
}

}  // namespace
}  // namespace dragnet::reporters
