// extractors/deobfuscate/js_fold.h: what folds (concatenation, join,
// split-reverse-join, fromCharCode, atob, unescape, variables, templates,
// replace, map), what does not (anything not built from literals), the
// contexts and sink flags reported, and the bounds: nested atob over 1 MB,
// a 50 MB escape string, doubling variables, the token cap.
#include "extractors/deobfuscate/js_fold.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace dragnet::extractors::deob {
namespace {

struct Got {
  std::string text, context;
  uint8_t flags;
  int depth;
};

class Sink : public FoldSink {
 public:
  void OnString(const FoldedString& s) override {
    got.push_back({std::string(s.text), std::string(s.context), s.flags, s.depth});
    bytes += s.text.size();
  }
  bool Has(const std::string& text) const {
    return std::any_of(got.begin(), got.end(), [&](const Got& g) { return g.text == text; });
  }
  const Got* Find(const std::string& text) const {
    for (const Got& g : got) {
      if (g.text == text) return &g;
    }
    return nullptr;
  }
  std::vector<Got> got;
  size_t bytes = 0;
};

Sink Fold(std::string_view js, const DecodeLimits& limits = {}, DecodeBudget* budget_out = nullptr) {
  DecodeLimits l = limits;
  l.max_time_us = 0;  // no wall-clock limit in tests
  DecodeBudget b(l);
  Sink s;
  FoldScript(js, 0, b, s);
  if (budget_out) *budget_out = b;
  return s;
}

TEST(JsFold, ConcatenationJoinReverseAndVariables) {
  EXPECT_TRUE(Fold("var m = 'hotro' + '.vip' + '@' + 'x-crypto' + '.com';").Has("hotro.vip@x-crypto.com"));
  EXPECT_TRUE(Fold("var a = ['destek', '@', 'kazanc', '.com'].join('');").Has("destek@kazanc.com"));
  EXPECT_TRUE(Fold("s = 'moc.liamg@nimda'.split('').reverse().join('');").Has("admin@gmail.com"));
  EXPECT_TRUE(Fold("var u='ana', h='x.ru'; var e = u + '@' + h;").Has("ana@x.ru"));
  EXPECT_TRUE(Fold("const user='a', host='b.top'; const m=`${user}@${host}`;").Has("a@b.top"));
  EXPECT_TRUE(Fold("x = ['com','trade','vip@'].reverse(); y = x[0] + x[1] + '.' + x[2];").Has("vip@trade.com"));
  EXPECT_TRUE(Fold("a = 'info#x.com'.replace('#', '@');").Has("info@x.com"));
  EXPECT_TRUE(Fold("a = 'i%n%f%o@x.com'.replace(/%/g, '');").Has("info@x.com"));
  EXPECT_TRUE(Fold("a = 'INFO@X.COM'.toLowerCase();").Has("info@x.com"));
  EXPECT_TRUE(Fold("a = 'xxinfo@x.comyy'.slice(2, -2);").Has("info@x.com"));
}

TEST(JsFold, DecodersInsideExpressions) {
  EXPECT_TRUE(Fold("a = String.fromCharCode(105,110,102,111,64,120,46,116,111,112);").Has("info@x.top"));
  EXPECT_TRUE(Fold("a = String.fromCharCode.apply(null, [0x69,0x6e,0x66,0x6f]);").Has("info"));
  EXPECT_TRUE(Fold("a = [106,111,103,112].map(function(c){return String.fromCharCode(c-1)}).join('');").Has("info"));
  EXPECT_TRUE(Fold("a = [105,110,102,111].map(c => String.fromCharCode(c)).join('');").Has("info"));
  EXPECT_TRUE(Fold("a = atob('aW5mb0B4LnRvcA==');").Has("info@x.top"));
  EXPECT_TRUE(Fold("a = window.atob(atob('YVc1bWIwQjRMblJ2Y0E9PQ=='));").Has("info@x.top"));
  EXPECT_TRUE(Fold("a = unescape('%69%6e%66%6f%40x.top');").Has("info@x.top"));
  EXPECT_TRUE(Fold("a = decodeURIComponent('https%3A%2F%2Fx.top%2F');").Has("https://x.top/"));
  Sink nested = Fold("a = atob(atob('YVc1bWIwQjRMblJ2Y0E9PQ=='));");
  const Got* g = nested.Find("info@x.top");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->depth, 2);
}

TEST(JsFold, PartiallyConstantChainsGiveTheirRuns) {
  Sink s = Fold("var u = 'mailto:' + user + '@example-mail.com';");
  EXPECT_TRUE(s.Has("mailto:"));
  EXPECT_TRUE(s.Has("@example-mail.com"));
  EXPECT_FALSE(s.Has("mailto:@example-mail.com"));
  // A name reassigned from something unknown is forgotten.
  Sink t = Fold("var d = 'a.com'; d = location.host; var m = 'x@' + d;");
  EXPECT_FALSE(t.Has("x@a.com"));
}

TEST(JsFold, ContextsAndSinks) {
  Sink s = Fold(
      "gtag('config', 'G-ABC123XYZ9'); var cfg = {\"telephone\": \"+62 857\", wa: '6281'};"
      "document.write('<a href=\"https://t.me/x\">x</a>'); el.innerHTML = '<b>hi</b>';"
      "eval('var q = 1'); fbq('init', '1234567890123456'); var phone = 84912345678;");
  ASSERT_NE(s.Find("G-ABC123XYZ9"), nullptr);
  EXPECT_EQ(s.Find("G-ABC123XYZ9")->context, "gtag");
  EXPECT_EQ(s.Find("+62 857")->context, "telephone");
  EXPECT_EQ(s.Find("6281")->context, "wa");
  EXPECT_TRUE(s.Find("<a href=\"https://t.me/x\">x</a>")->flags & FoldedString::kHtml);
  EXPECT_TRUE(s.Find("<b>hi</b>")->flags & FoldedString::kHtml);
  EXPECT_TRUE(s.Find("var q = 1")->flags & FoldedString::kCode);
  EXPECT_EQ(s.Find("1234567890123456")->context, "fbq");
  ASSERT_NE(s.Find("84912345678"), nullptr);  // a phone stored as a number
  EXPECT_EQ(s.Find("84912345678")->context, "phone");
}

TEST(JsFold, NestedAtobOverAMegabyteStaysBounded) {
  // atob(atob(...atob('<payload>')...)) with the payload base64-encoded once
  // per level: 1 MB of source.
  std::string payload = "info@x.top";
  auto b64 = [](const std::string& in) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
      for (int k2 = 18; k2 >= 0; k2 -= 6) out.push_back(k[(v >> k2) & 63]);
    }
    if (i < in.size()) {
      uint32_t v = uint8_t(in[i]) << 16 | (i + 1 < in.size() ? uint8_t(in[i + 1]) << 8 : 0);
      out.push_back(k[(v >> 18) & 63]);
      out.push_back(k[(v >> 12) & 63]);
      out.push_back(i + 1 < in.size() ? k[(v >> 6) & 63] : '=');
      out.push_back('=');
    }
    return out;
  };
  std::string lit = payload;
  int levels = 0;
  while (lit.size() < (1u << 20)) {
    lit = b64(lit);
    ++levels;
  }
  std::string js = "var x = ";
  for (int i = 0; i < levels; ++i) js += "atob(";
  js += "'" + lit + "'";
  for (int i = 0; i < levels; ++i) js += ")";
  js += ";";
  ASSERT_GE(js.size(), 1u << 20);
  DecodeLimits limits;
  DecodeBudget b(limits);
  Sink s = Fold(js, limits, &b);
  // The depth cap (4) stops the nesting; the longest string allowed (256 KiB)
  // stops a megabyte literal from being decoded at all; what is reported is
  // bounded by the source and the output budget.
  EXPECT_FALSE(s.Has(payload));
  EXPECT_LE(s.bytes, js.size() + limits.max_output_bytes);
  EXPECT_FALSE(b.limits_hit().empty());
  // With the limits raised, the same nesting does decode.
  DecodeLimits big;
  big.max_depth = levels;
  big.max_string_bytes = 4u << 20;
  big.max_output_bytes = 16u << 20;
  EXPECT_TRUE(Fold(js, big).Has(payload));
}

TEST(JsFold, FiftyMegabyteEscapeStringIsCutToTheStringCap) {
  std::string js = "var s = '";
  while (js.size() < (50u << 20)) js += "\\x41\\u0042";
  js += "';";
  DecodeLimits limits;
  DecodeBudget b(limits);
  Sink s = Fold(js, limits, &b);
  EXPECT_LE(s.bytes, limits.max_string_bytes);
  EXPECT_NE(std::find(b.limits_hit().begin(), b.limits_hit().end(), std::string(kLimitString)),
            b.limits_hit().end());
}

TEST(JsFold, DoublingVariablesHitTheStringCap) {
  std::string js = "var a0 = 'xxxxxxxxxxxxxxxx';";
  for (int i = 1; i < 40; ++i) js += "var a" + std::to_string(i) + " = a" + std::to_string(i - 1) + " + a" + std::to_string(i - 1) + ";";
  DecodeLimits limits;
  DecodeBudget b(limits);
  Sink s = Fold(js, limits, &b);
  EXPECT_LE(s.bytes, 2 * limits.max_output_bytes);
  for (const Got& g : s.got) EXPECT_LE(g.text.size(), limits.max_string_bytes);
}

TEST(JsFold, TokenCapIsRecorded) {
  std::string js(3u << 20, ';');  // more tokens than kMaxTokens
  DecodeLimits limits;
  DecodeBudget b(limits);
  Fold(js, limits, &b);
  EXPECT_NE(std::find(b.limits_hit().begin(), b.limits_hit().end(), std::string(kLimitTokens)), b.limits_hit().end());
}

TEST(JsFold, DeepParenthesesDoNotRecurseWithoutBound) {
  std::string js = "x = " + std::string(100000, '(') + "'a@b.co'" + std::string(100000, ')') + ";";
  Sink s = Fold(js);
  EXPECT_TRUE(s.Has("a@b.co"));  // reported as a literal when too deep to fold
}

}  // namespace
}  // namespace dragnet::extractors::deob
