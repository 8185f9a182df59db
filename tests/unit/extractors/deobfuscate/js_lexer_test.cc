// extractors/deobfuscate/js_lexer.h: strings, templates and their parts,
// numbers, punctuators by longest match, regular expressions told from
// division, comments skipped, any bytes tokenized, the token cap.
#include "extractors/deobfuscate/js_lexer.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

std::vector<std::string> Texts(std::string_view src) {
  std::vector<Token> t;
  EXPECT_TRUE(Tokenize(src, t, 1000));
  std::vector<std::string> out;
  for (const Token& k : t) out.emplace_back(k.text(src));
  return out;
}

TEST(JsLexer, TokensOfAnOrdinaryStatement) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Texts("var a = 'x' + \"y\"; a += 0x1F;"),
            (V{"var", "a", "=", "'x'", "+", "\"y\"", ";", "a", "+=", "0x1F", ";"}));
  EXPECT_EQ(Texts("a===b&&c?.d??e>>>=1"), (V{"a", "===", "b", "&&", "c", "?.", "d", "??", "e", ">>>=", "1"}));
}

TEST(JsLexer, CommentsAndHtmlCommentLinesAreSkipped) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Texts("<!--\nx = 1; // note 'quote\n/* 'more' */ y\n-->"), (V{"x", "=", "1", ";", "y"}));
}

TEST(JsLexer, RegexOrDivision) {
  std::string src = "a = b / c; s.replace(/'\\/x/g, '@'); return /x/.test(q)";
  std::vector<Token> t;
  ASSERT_TRUE(Tokenize(src, t, 1000));
  int regexes = 0, strings = 0;
  for (const Token& k : t) {
    regexes += k.kind == Tok::kRegex;
    strings += k.kind == Tok::kString;
  }
  EXPECT_EQ(regexes, 2);
  EXPECT_EQ(strings, 1);  // the quote inside the regex does not open a string
}

TEST(JsLexer, TemplatesAndTheirParts) {
  std::string src = "`a${x + `in${y}ner`}b`";
  std::vector<Token> t;
  ASSERT_TRUE(Tokenize(src, t, 1000));
  std::vector<std::string> bodies;
  for (const Token& k : t) {
    if (k.kind == Tok::kString) bodies.emplace_back(std::string(1, k.quote) + std::string(k.body(src)));
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"$a", "$in", "$ner", "$b"}));
  std::vector<Token> whole;
  ASSERT_TRUE(Tokenize("`plain`", whole, 10));
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].quote, '`');
}

TEST(JsLexer, NumbersHaveValues) {
  std::vector<Token> t;
  ASSERT_TRUE(Tokenize("0x40 0o17 0b101 1_000 6.5e2 .5", t, 10));
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].number, 64);
  EXPECT_EQ(t[1].number, 15);
  EXPECT_EQ(t[2].number, 5);
  EXPECT_EQ(t[3].number, 1000);
  EXPECT_EQ(t[4].number, 650);
  EXPECT_EQ(t[5].number, 0.5);
}

TEST(JsLexer, UnterminatedAndBinaryInputStillTokenize) {
  std::vector<Token> t;
  EXPECT_TRUE(Tokenize("'abc\nx", t, 10));
  ASSERT_GE(t.size(), 1u);
  EXPECT_EQ(t[0].body("'abc\nx"), "abc");
  EXPECT_TRUE(Tokenize(std::string("\0\xff\x80`${", 6), t, 10));
}

TEST(JsLexer, TokenCapStopsTheLexer) {
  std::vector<Token> t;
  EXPECT_FALSE(Tokenize("a b c d e f", t, 3));
  EXPECT_EQ(t.size(), 3u);
}

}  // namespace
}  // namespace dragnet::extractors::deob
