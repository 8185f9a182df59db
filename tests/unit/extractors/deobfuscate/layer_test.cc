// extractors/deobfuscate/layer.h: what Reveal hands the scanner from a
// parsed page: the channels and sources, the attribute decoders (Cloudflare,
// data: URIs, base64, %-escapes, handlers, javascript: URLs, JSON), form
// values under their names, script kinds, HTML re-parsed as pages, and the
// fragment limit.
#include "extractors/deobfuscate/layer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "extractors/page.h"

namespace dragnet::extractors::deob {
namespace {

struct Item {
  Channel ch;
  std::string text, source, context;
};

class Sink : public RevealSink {
 public:
  void Add(Channel ch, std::string_view text, const char* source, const AttrValue*, std::string_view ctx) override {
    items.push_back({ch, std::string(text), source, std::string(ctx)});
  }
  void AddPage(const Page& page, const char* source, int depth) override {
    pages.push_back({page.text, source, depth});
    for (const auto& l : page.links) links.push_back(l);
  }
  // The item whose text is `t`, or null.
  const Item* Find(const std::string& t) const {
    for (const Item& i : items) {
      if (i.text == t) return &i;
    }
    return nullptr;
  }
  struct Sub {
    std::string text, source;
    int depth;
  };
  std::vector<Item> items;
  std::vector<Sub> pages;
  std::vector<std::string> links;
};

Sink RevealHtml(const std::string& html, DecodeLimits limits = {}) {
  limits.max_time_us = 0;
  Page p = ParsePage(html, "https://kit.example-scam.top/a/");
  DecodeBudget b(limits);
  Sink s;
  Reveal(p, 0, b, s);
  return s;
}

TEST(Layer, TextHiddenTextAndComments) {
  Sink s = RevealHtml("<p>Visible</p><noscript><p>Call 0912</p></noscript><!-- old: a@b.top -->"
                      "<template><div>tpl text</div></template>");
  ASSERT_NE(s.Find("Visible"), nullptr);
  EXPECT_EQ(s.Find("Visible")->source, "text");
  const Item* hidden = nullptr;
  for (const Item& i : s.items) {
    if (i.source == "noscript") hidden = &i;
  }
  ASSERT_NE(hidden, nullptr);
  EXPECT_NE(hidden->text.find("Call 0912"), std::string::npos);
  EXPECT_NE(hidden->text.find("tpl text"), std::string::npos);
  ASSERT_NE(s.Find(" old: a@b.top "), nullptr);
  EXPECT_EQ(s.Find(" old: a@b.top ")->source, "comment");
}

TEST(Layer, AttributeDecoders) {
  Sink s = RevealHtml(
      R"X(<a href="/cdn-cgi/l/email-protection#5a292f2a2a35282e1a2e283b3e3f772c332a626274393537">x</a>
         <span data-cfemail="5a292f2a2a35282e1a2e283b3e3f772c332a626274393537"></span>
         <div data-addr="aW5mb0B4LnRvcA=="></div>
         <a href="mailto:%69%6E%66%6F%40y.top">m</a>
         <button onclick="location.href='https://'+'next.top/x'">go</button>
         <a href="javascript:window.open('https://pop'+'.top/')">p</a>
         <div data-config='{"support":"+33 6 12 34 56 78"}'></div>
         <form><input name="drop" value="rapport [at] x [dot] se"><input type="hidden" name="cb" value="aHR0cHM6Ly9ob29rLnRvcC9u"></form>
         <input placeholder="you@example.com">)X");
  ASSERT_NE(s.Find("support@trade-vip88.com"), nullptr);
  EXPECT_EQ(s.Find("support@trade-vip88.com")->context, "href");
  EXPECT_NE(s.Find("info@x.top"), nullptr);
  EXPECT_NE(s.Find("mailto:info@y.top"), nullptr);
  EXPECT_NE(s.Find("https://next.top/x"), nullptr);
  EXPECT_NE(s.Find("https://pop.top/"), nullptr);
  ASSERT_NE(s.Find("+33 6 12 34 56 78"), nullptr);
  EXPECT_EQ(s.Find("+33 6 12 34 56 78")->context, "support");
  ASSERT_NE(s.Find("rapport [at] x [dot] se"), nullptr);
  EXPECT_EQ(s.Find("rapport [at] x [dot] se")->source, "form");
  EXPECT_EQ(s.Find("rapport [at] x [dot] se")->context, "drop");
  EXPECT_NE(s.Find("https://hook.top/n"), nullptr);
  EXPECT_EQ(s.Find("you@example.com"), nullptr);  // placeholders are examples, not the site's
}

TEST(Layer, ScriptsByKindAndHtmlTheyWrite) {
  Sink s = RevealHtml(
      R"(<script>document.write('<a href="https://written.top/x">w</a>');</script>
         <script type="text/template"><p>From a template: <a href="https://tpl.top/">t</a></p></script>
         <script type="application/ld+json">{"telephone":"+62 857-1122-3344"}</script>
         <script type="text/x-data">raw data tg.me</script>
         <!-- <a href="https://commented.top/">old</a> -->)");
  EXPECT_NE(std::find(s.links.begin(), s.links.end(), "https://written.top/x"), s.links.end());
  EXPECT_NE(std::find(s.links.begin(), s.links.end(), "https://tpl.top/"), s.links.end());
  EXPECT_NE(std::find(s.links.begin(), s.links.end(), "https://commented.top/"), s.links.end());
  ASSERT_NE(s.Find("+62 857-1122-3344"), nullptr);
  EXPECT_EQ(s.Find("+62 857-1122-3344")->context, "telephone");
  ASSERT_NE(s.Find("raw data tg.me"), nullptr);
  for (const auto& p : s.pages) EXPECT_EQ(p.depth, 1);
}

TEST(Layer, HtmlFragmentsAreCapped) {
  std::string html = "<script>";
  for (int i = 0; i < 10; ++i) html += "document.write('<p>part " + std::to_string(i) + "</p>');";
  html += "</script>";
  DecodeLimits l;
  l.max_html_fragments = 3;
  Sink s = RevealHtml(html, l);
  EXPECT_EQ(s.pages.size(), 3u);
}

TEST(Layer, ScriptTypes) {
  EXPECT_EQ(ClassifyScriptType(""), ScriptKind::kCode);
  EXPECT_EQ(ClassifyScriptType("text/javascript"), ScriptKind::kCode);
  EXPECT_EQ(ClassifyScriptType("module"), ScriptKind::kCode);
  EXPECT_EQ(ClassifyScriptType("application/ld+json"), ScriptKind::kCode);
  EXPECT_EQ(ClassifyScriptType("5c8e1b3c-text/javascript"), ScriptKind::kCode);  // Rocket Loader
  EXPECT_EQ(ClassifyScriptType("text/x-handlebars-template"), ScriptKind::kHtml);
  EXPECT_EQ(ClassifyScriptType("text/html"), ScriptKind::kHtml);
  EXPECT_EQ(ClassifyScriptType("x-shader/x-vertex"), ScriptKind::kData);
}

}  // namespace
}  // namespace dragnet::extractors::deob
