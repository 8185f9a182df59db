// The Page model: what ParsePage keeps from a body, how URLs resolve, and
// that every PageLimits cap holds on hostile input.
#include "extractors/page.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace dragnet::extractors {
namespace {

TEST(ParsePage, TitleLangMetaAndFavicon) {
  Page p = ParsePage(R"X(<!doctype html><html lang="SV-se"><head>
    <title>  Logga   in &amp; verifiera </title>
    <meta name="description" content="Din bank">
    <meta name="Generator" content="WordPress 6.1">
    <meta property="og:title" content="BankID">
    <meta name="keywords" content="bank, login">
    <link rel="shortcut icon" href="/static/fav.png">
    </head><body>Hej</body></html>)X",
                     "https://example.se/login/index.html");
  EXPECT_EQ(p.url, "https://example.se/login/index.html");
  EXPECT_EQ(p.title, "Logga in & verifiera");
  EXPECT_EQ(p.lang, "sv-se");
  EXPECT_EQ(p.meta["description"], "Din bank");
  EXPECT_EQ(p.meta["generator"], "WordPress 6.1");
  EXPECT_EQ(p.meta["og:title"], "BankID");
  EXPECT_EQ(p.meta["keywords"], "bank, login");
  EXPECT_EQ(p.favicon, "https://example.se/static/fav.png");
  EXPECT_EQ(p.text, "Hej");
  EXPECT_FALSE(p.truncated);
}

TEST(ParsePage, DefaultFaviconIsOriginRoot) {
  Page p = ParsePage("<p>x</p>", "https://a.example.com:8443/deep/page?q=1");
  EXPECT_EQ(p.favicon, "https://a.example.com:8443/favicon.ico");
  EXPECT_EQ(ParsePage("", "http://[2001:DB8::1]:80/x").favicon, "http://[2001:db8::1]/favicon.ico");
  EXPECT_EQ(ParsePage("", "https://BÜCHER.example/").favicon, "https://xn--bcher-kva.example/favicon.ico");
}

TEST(ParsePage, LinksResolveAgainstBaseAndDeduplicate) {
  Page p = ParsePage(R"X(<html><head><base href="https://cdn.example.net/sub/"></head><body>
    <a href="page.html">1</a>
    <a href="/root">2</a>
    <a href="page.html#frag">dup after fragment drop</a>
    <a href="#top">self</a>
    <a href="mailto:x@example.com">mail</a>
    <a href="javascript:void(0)">js</a>
    <map><area href="//other.example.org/a"></map>
    <link rel="stylesheet" href="css/site.css">
    <a href="HTTPS://Example.COM:443/x">abs</a>
    </body></html>)X",
                     "https://phish.example/start/");
  std::vector<std::string> want = {
      "https://cdn.example.net/sub/page.html", "https://cdn.example.net/root",
      "https://other.example.org/a", "https://cdn.example.net/sub/css/site.css",
      "https://example.com/x"};
  EXPECT_EQ(p.links, want);
}

TEST(ParsePage, BaseAfterLinksStillApplies) {
  Page p = ParsePage(R"X(<a href="x">x</a><base href="https://b.example/dir/">)X",
                     "https://a.example/");
  ASSERT_EQ(p.links.size(), 1u);
  EXPECT_EQ(p.links[0], "https://b.example/dir/x");
}

TEST(ParsePage, FieldLabelsPlaceholdersAndAutocomplete) {
  Page p = ParsePage(R"X(<body>
    <p>Please confirm the details below. This long paragraph explains what the form is for and is not a label.</p>
    <form>
      <label for="pn">Personnummer</label><input id="pn" name="a1">
      <div>Kartennummer <input id="a2"></div>
      <label>CVV <input name="a3" placeholder="123" autocomplete="CC-CSC" aria-label="Security code"></label>
      <input name="a4">
      <label for="later">Named after the field</label>
    </form>
    <input id="later" name="orphan"></body>)X",
                     "https://x.example/");
  ASSERT_EQ(p.forms.size(), 2u);
  const auto& in = p.forms[0].inputs;
  ASSERT_EQ(in.size(), 4u);
  EXPECT_EQ(in[0].id, "pn");
  EXPECT_EQ(in[0].label, "Personnummer");      // <label for>
  EXPECT_EQ(in[1].label, "Kartennummer");      // the short text just before it
  EXPECT_EQ(in[2].label, "CVV");               // its enclosing <label>
  EXPECT_EQ(in[2].placeholder, "123");
  EXPECT_EQ(in[2].autocomplete, "cc-csc");     // lowercased token
  EXPECT_EQ(in[2].aria_label, "Security code");
  EXPECT_EQ(in[3].label, "");                  // nothing new since the last field
  // A <label for> later in the document still names its field.
  ASSERT_EQ(p.forms[1].inputs.size(), 1u);
  EXPECT_EQ(p.forms[1].inputs[0].label, "Named after the field");
  // A long paragraph before the first field is not its label.
  Page q = ParsePage("<p>" + std::string(200, 'x') + "</p><form><input name=q></form>", "https://x.example/");
  ASSERT_EQ(q.forms.size(), 1u);
  EXPECT_EQ(q.forms[0].inputs[0].label, "");
}

TEST(ParsePage, FormsInputsPasswordAndCard) {
  Page p = ParsePage(R"X(<body>
    <form action="/post.php" method="POST">
      <input name="user" type="email" value="">
      <input name="pass" type="password">
      <input type="hidden" name="token" value="abc123">
      <select name="country"></select><textarea name="msg"></textarea>
    </form>
    <form><input name="cc" autocomplete="cc-number"><input name="cvv2"></form>
    <form action="https://collect.example.org/c" method="dance"><input name="q"></form>
    <input name="loose" type="tel">
    </body>)X",
                     "https://shop.example/checkout/pay");
  ASSERT_EQ(p.forms.size(), 4u);
  const Form& f0 = p.forms[0];
  EXPECT_EQ(f0.action, "https://shop.example/post.php");
  EXPECT_EQ(f0.method, "post");
  EXPECT_TRUE(f0.has_password);
  EXPECT_FALSE(f0.has_card);
  ASSERT_EQ(f0.inputs.size(), 5u);
  EXPECT_EQ(f0.inputs[0].name, "user");
  EXPECT_EQ(f0.inputs[0].type, "email");
  EXPECT_EQ(f0.inputs[2].type, "hidden");
  EXPECT_EQ(f0.inputs[2].value, "abc123");
  EXPECT_EQ(f0.inputs[3].type, "select");
  EXPECT_EQ(f0.inputs[4].type, "textarea");
  const Form& f1 = p.forms[1];
  EXPECT_EQ(f1.action, "https://shop.example/checkout/pay");
  EXPECT_EQ(f1.method, "get");
  EXPECT_TRUE(f1.has_card);
  EXPECT_FALSE(f1.has_password);
  EXPECT_EQ(f1.inputs[0].type, "text");
  EXPECT_EQ(p.forms[2].action, "https://collect.example.org/c");
  EXPECT_EQ(p.forms[2].method, "get");
  // Inputs outside any form are gathered into a last form on the page URL.
  EXPECT_EQ(p.forms[3].inputs.at(0).name, "loose");
  EXPECT_EQ(p.forms[3].action, "https://shop.example/checkout/pay");
}

TEST(ParsePage, CardFieldInOtherLanguages) {
  for (const char* ph : {"Kortnummer", "Número de tarjeta", "Số thẻ", "หมายเลขบัตร", "卡号", "Nomor kartu"}) {
    Page p = ParsePage(std::string("<form><input placeholder=\"") + ph + "\"></form>", "https://x.example/");
    ASSERT_EQ(p.forms.size(), 1u) << ph;
    EXPECT_TRUE(p.forms[0].has_card) << ph;
  }
}

TEST(ParsePage, ScriptsIframesImages) {
  Page p = ParsePage(R"X(<head><script src="/js/app.js"></script>
    <script>var a = "<b>not markup</b>";</script></head><body>
    <iframe src="https://evil.example.org/frame"></iframe><frameset><frame src="f2.html"></frameset>
    <img src="/logo@2x.png" alt="Bank logo"><img src="data:image/png;base64,AAAA" alt="inline">
    </body>)X",
                     "https://site.example/a/b");
  ASSERT_EQ(p.scripts.size(), 2u);
  EXPECT_EQ(p.scripts[0].src, "https://site.example/js/app.js");
  EXPECT_EQ(p.scripts[0].text, "");
  EXPECT_EQ(p.scripts[1].src, "");
  EXPECT_EQ(p.scripts[1].text, "var a = \"<b>not markup</b>\";");
  ASSERT_GE(p.iframes.size(), 1u);
  EXPECT_EQ(p.iframes[0], "https://evil.example.org/frame");
  ASSERT_EQ(p.images.size(), 2u);
  EXPECT_EQ(p.images[0].src, "https://site.example/logo@2x.png");
  EXPECT_EQ(p.images[0].alt, "Bank logo");
  EXPECT_EQ(p.images[1].src, "");  // data: URIs are not URLs we fetch
  EXPECT_EQ(p.images[1].alt, "inline");
  EXPECT_EQ(p.text.find("not markup"), std::string::npos);
}

TEST(ParsePage, FrameInFramesetDocument) {
  Page p = ParsePage(R"X(<html><frameset><frame src="a.html"><frame src="https://b.example/"></frameset></html>)X",
                     "https://site.example/");
  std::vector<std::string> want = {"https://site.example/a.html", "https://b.example/"};
  EXPECT_EQ(p.iframes, want);
}

TEST(ParsePage, VisibleTextDropsHiddenElementsAndJoinsInlineText) {
  Page p = ParsePage(R"X(<html><head><style>body{color:red}</style><title>T</title></head><body>
    <h1>Contact   us</h1>
    <p>Write to <b>sup</b>port&#64;exa<span>mple</span>.com&nbsp;now</p>
    <noscript>Enable JS</noscript><template><p>tmpl</p></template>
    <script>var hidden = 1;</script>
    <div>Tele<i>gram</i>:<br>@handle</div>
    <table><tr><td>a</td><td>b</td></tr></table>
    <p>zero&#8203;width&zwj;joined</p>
    </body></html>)X",
                     "https://x.example/");
  EXPECT_EQ(p.text,
            "Contact us\nWrite to support@example.com now\nTelegram:\n@handle\na\nb\nzerowidthjoined");
}

TEST(ParsePage, AttrsKeepScannableValues) {
  Page p = ParsePage(R"X(<a href="mailto:a@b.example" title="t" class="c" id="i" data-wallet="bc1q"
      onclick="go()">x</a><input placeholder="you@example.com" style="x" value="v">
      <meta name="description" content="desc">)X",
                     "https://x.example/");
  std::vector<std::string> got;
  for (const auto& a : p.attrs) got.push_back(a.tag + "." + a.name + "=" + a.value);
  std::vector<std::string> want = {"a.href=mailto:a@b.example", "a.title=t", "a.data-wallet=bc1q",
                                   "a.onclick=go()", "input.placeholder=you@example.com",
                                   "input.value=v", "meta.content=desc"};
  EXPECT_EQ(got, want);
}

TEST(ParsePage, MetaRefresh) {
  EXPECT_EQ(MetaRefreshTarget("0; url=https://a.example/x"), "https://a.example/x");
  EXPECT_EQ(MetaRefreshTarget("5;URL='next.html'"), "next.html");
  EXPECT_EQ(MetaRefreshTarget("3, /other"), "/other");
  EXPECT_EQ(MetaRefreshTarget("10"), "");
  Page p = ParsePage(R"X(<meta http-equiv="Refresh" content="0;URL='/landing?id=7'">)X",
                     "https://r.example/a/b");
  EXPECT_EQ(p.meta_refresh, "https://r.example/landing?id=7");
  EXPECT_EQ(p.meta["refresh"], "0;URL='/landing?id=7'");
}

TEST(ParsePage, EachJsRedirectForm) {
  struct Case { const char* js; const char* want; };
  const Case cases[] = {
      {"location = \"https://t.example/1\";", "https://t.example/1"},
      {"location.href='https://t.example/2'", "https://t.example/2"},
      {"window.location = 'https://t.example/3';", "https://t.example/3"},
      {"window.location.href = \"https://t.example/4\"", "https://t.example/4"},
      {"location.replace(\"https://t.example/5\")", "https://t.example/5"},
      {"location.assign('https://t.example/6')", "https://t.example/6"},
      {"window.location.assign( `https://t.example/7` )", "https://t.example/7"},
      {"document.location.href=\"https:\\/\\/t.example\\/8\"", "https://t.example/8"},
      {"top.location = '/relative/9'", "https://page.example/relative/9"},
      {"self.location.replace('\\x2fx10')", "https://page.example/x10"},
  };
  for (const Case& c : cases) {
    Page p = ParsePage(std::string("<script>if (x) { ") + c.js + " }</script>", "https://page.example/dir/p");
    ASSERT_EQ(p.js_redirects.size(), 1u) << c.js;
    EXPECT_EQ(p.js_redirects[0], c.want) << c.js;
  }
  Page on = ParsePage(R"X(<button onclick="window.location.href='/go'">Go</button>)X", "https://page.example/");
  ASSERT_EQ(on.js_redirects.size(), 1u);
  EXPECT_EQ(on.js_redirects[0], "https://page.example/go");
}

TEST(ParsePage, JsRedirectDecoysAreIgnored) {
  const char* decoys[] = {
      "if (location == 'https://a.example/') {}",
      "if (location.href === \"https://a.example/\") {}",
      "location = base + '/x';",
      "location.href = `https://a.example/${id}`;",
      "var relocation = 'https://a.example/';",
      "location.hash = '#top';",
      "window.locationbar = 'https://a.example/';",
      "location.reload();",
  };
  for (const char* js : decoys) {
    EXPECT_TRUE(FindJsRedirectLiterals(js, 8).empty()) << js;
  }
}

TEST(ParsePage, ComputedRedirectTargetsAreNotFollowedAsLiterals) {
  // A literal that an expression goes on after is part of a computed target.
  EXPECT_TRUE(FindJsRedirectLiterals("location.replace(\"https://a-\" + \"b.example/\")", 8).empty());
  EXPECT_TRUE(FindJsRedirectLiterals("location.href = '/x?id=' + id;", 8).empty());
  EXPECT_EQ(FindJsRedirectLiterals("location.href = '/x' ;", 8), std::vector<std::string>{"/x"});
}

// ------------------------------------------- what the reader does not see ---

TEST(ParsePage, CommentsHiddenTextBaseHrefAndScriptTypes) {
  Page p = ParsePage(R"X(<html><head><base href="https://cdn.kit.example/k/">
      <!-- old contact: a@b.example --><script type="application/ld+json">{"a":1}</script>
      <script type="TEXT/Template"><p>tpl</p></script></head>
      <body><p>Shown</p><noscript><p>No JS: call 0912</p><style>.x{}</style></noscript>
      <template><div>Later</div><span>part</span></template><!--second--></body></html>)X",
                     "https://site.example/a/");
  EXPECT_EQ(p.comments, (std::vector<std::string>{" old contact: a@b.example ", "second"}));
  EXPECT_EQ(p.hidden_text, "No JS: call 0912\nLater\npart");
  EXPECT_EQ(p.text, "Shown");
  EXPECT_EQ(p.base_href, "https://cdn.kit.example/k/");
  ASSERT_EQ(p.scripts.size(), 2u);
  EXPECT_EQ(p.scripts[0].type, "application/ld+json");
  EXPECT_EQ(p.scripts[1].type, "text/template");
  // A relative <base> resolves against the page.
  EXPECT_EQ(ParsePage("<base href='/k/'>", "https://site.example/a/").base_href, "https://site.example/k/");
  EXPECT_EQ(ParsePage("<p>x</p>", "https://site.example/").base_href, "");
}

TEST(PageLimits, CommentsAndHiddenText) {
  std::string html;
  for (int i = 0; i < 20; ++i) html += "<!--" + std::string(100, 'c') + "-->";
  html += "<noscript>" + std::string(5000, 'n') + "</noscript>";
  PageLimits l;
  l.max_comments = 5;
  Page p = ParsePage(html, "https://x.example/", l);
  EXPECT_EQ(p.comments.size(), 5u);
  EXPECT_TRUE(p.truncated);
  PageLimits b;
  b.max_comment_bytes = 250;
  b.max_hidden_text_bytes = 1000;
  Page q = ParsePage(html, "https://x.example/", b);
  size_t bytes = 0;
  for (const auto& c : q.comments) bytes += c.size();
  EXPECT_LE(bytes, 250u);
  EXPECT_LE(q.hidden_text.size(), 1000u);
  EXPECT_TRUE(q.truncated);
}

TEST(ParsePage, MalformedHtmlStillYieldsAPage) {
  Page p = ParsePage("<html><body><div><p>unclosed <b>bold <a href='/x'>link <form action=/f><input name=a>"
                     "</table></td>< p>oops &zzzz; &lt;",
                     "https://m.example/");
  EXPECT_EQ(p.links.size(), 1u);
  EXPECT_EQ(p.forms.size(), 1u);
  EXPECT_NE(p.text.find("unclosed bold link"), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("&zzzz; <"), std::string::npos) << p.text;
  Page empty = ParsePage("", "https://m.example/");
  EXPECT_TRUE(empty.text.empty());
  EXPECT_FALSE(empty.truncated);
  Page binary = ParsePage(std::string("\0\xff\xfe<\x01>\x80", 7), "https://m.example/");
  EXPECT_FALSE(binary.truncated);
}

TEST(ParsePage, InvalidPageUrlStillParses) {
  Page p = ParsePage("<a href='https://ok.example/'>a</a><a href='rel'>b</a>", "not a url");
  EXPECT_EQ(p.links, std::vector<std::string>{"https://ok.example/"});
  EXPECT_TRUE(p.favicon.empty());
}

// ------------------------------------------------------------- the limits ---

TEST(PageLimits, DeepNestingHitsTheDepthCap) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "<a href='/deep'>deep</a>";
  PageLimits limits;
  Page p = ParsePage(html, "https://d.example/", limits);
  EXPECT_TRUE(p.truncated);
  EXPECT_TRUE(p.links.empty());  // it sat below the cap
  EXPECT_LE(NestingSafePrefix(html, limits.max_depth), 5u * (limits.max_depth + 1));
}

// The pre-scan skips its walk when the page has no more '<' than the cap
// allows levels; at the boundary the walk's answer must be the same.
TEST(PageLimits, NestingPreScanAtTheTagCountBoundary) {
  std::string five;
  for (int i = 0; i < 5; ++i) five += "<div>";
  EXPECT_EQ(NestingSafePrefix(five, 5), five.size());           // 5 '<', cap 5: kept
  EXPECT_EQ(NestingSafePrefix(five + "<div>", 5), five.size());  // the 6th level is cut
  EXPECT_EQ(NestingSafePrefix(five + "</div>", 5), five.size() + 6);
  EXPECT_EQ(NestingSafePrefix("", 0), 0u);
  EXPECT_EQ(NestingSafePrefix("<p>", 0), 3u);    // implicitly closed: no level
  EXPECT_EQ(NestingSafePrefix("<div>", 0), 0u);  // one level over a cap of 0
}

TEST(PageLimits, NestingJustUnderTheCapIsKept) {
  PageLimits limits;
  limits.max_depth = 64;
  std::string html;
  for (int i = 0; i < 40; ++i) html += "<div>";
  html += "<a href='/ok'>ok</a>";
  Page p = ParsePage(html, "https://d.example/", limits);
  EXPECT_FALSE(p.truncated);
  EXPECT_EQ(p.links, std::vector<std::string>{"https://d.example/ok"});
}

TEST(PageLimits, WalkDepthCapWithoutPrescanHelp) {
  // Unclosed <li> are not counted by the pre-scan, but nest for real in
  // Gumbo inside nested lists: the walk's own cap still holds.
  PageLimits limits;
  limits.max_depth = 30;
  std::string html;
  for (int i = 0; i < 40; ++i) html += "<ul><li>";
  html += "<a href='/deep'>deep</a>";
  Page p = ParsePage(html, "https://d.example/", limits);
  EXPECT_TRUE(p.truncated);
  EXPECT_TRUE(p.links.empty());
}

TEST(PageLimits, SvgSelfClosingDoesNotCountAsDepth) {
  PageLimits limits;
  limits.max_depth = 16;
  std::string html = "<svg>";
  for (int i = 0; i < 200; ++i) html += "<path d='M0 0'/>";
  html += "</svg><a href='/after'>a</a>";
  Page p = ParsePage(html, "https://d.example/", limits);
  EXPECT_FALSE(p.truncated);
  EXPECT_EQ(p.links.size(), 1u);
}

TEST(PageLimits, InputBytes) {
  PageLimits limits;
  limits.max_input_bytes = 100;
  std::string html = "<p>" + std::string(200, 'a') + "</p><a href='/late'>x</a>";
  Page p = ParsePage(html, "https://l.example/", limits);
  EXPECT_TRUE(p.truncated);
  EXPECT_TRUE(p.links.empty());
  EXPECT_EQ(p.text.size(), 97u);
}

TEST(PageLimits, TextBytes) {
  PageLimits limits;
  limits.max_text_bytes = 10;
  Page p = ParsePage("<p>åäöåäöåäöåäö</p>", "https://l.example/", limits);
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.text, "åäöåä");  // cut on a character boundary
}

// Runs of ASCII go into the text in one piece; the cap still cuts them at the
// exact byte, and a separator is never left dangling at the cut.
TEST(PageLimits, TextBytesCutsAsciiRunsAtTheCap) {
  const std::string full = "abc def\nghijkl";
  for (size_t cap = 0; cap <= full.size() + 1; ++cap) {
    PageLimits limits;
    limits.max_text_bytes = cap;
    Page p = ParsePage("<p>abc  def</p><p>ghijkl</p>", "https://l.example/", limits);
    std::string want = full.substr(0, cap);
    while (!want.empty() && (want.back() == ' ' || want.back() == '\n')) want.pop_back();
    EXPECT_EQ(p.text, want) << cap;
    EXPECT_EQ(p.truncated, cap < full.size()) << cap;
  }
  PageLimits small;
  small.max_text_bytes = 1 << 20;
  Page big = ParsePage("<p>" + std::string(3u << 20, 'a') + "</p>", "https://l.example/", small);
  EXPECT_TRUE(big.truncated);
  EXPECT_EQ(big.text.size(), small.max_text_bytes);
  EXPECT_EQ(big.truncated_by, std::vector<std::string>{"max_text_bytes"}) << "the cap is named";
}

TEST(PageLimits, EveryCapHitIsNamedOnce) {
  PageLimits limits;
  limits.max_links = 2;
  limits.max_input_bytes = 4000;
  std::string html = "<a href=/1>1</a><a href=/2>2</a><a href=/3>3</a><a href=/4>4</a>" + std::string(5000, 'x');
  Page p = ParsePage(html, "https://l.example/", limits);
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.truncated_by, (std::vector<std::string>{"max_input_bytes", "max_links"}));
}

// The text folding, one character at a time as it was first written: the
// reference the run-at-a-time TextBuilder must match byte for byte.
std::string ReferenceFold(std::string_view s, size_t cap, bool& full) {
  std::string out;
  int pending = 0;
  full = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      pending = 1;
      continue;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      pending = 1;
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < s.size()) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
      if ((c1 == 0x80 && c2 >= 0x8B && c2 <= 0x8D) || (c1 == 0x81 && c2 == 0xA0)) {
        i += 2;
        continue;
      }
    }
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
        static_cast<unsigned char>(s[i + 2]) == 0xBF) {
      i += 2;
      continue;
    }
    size_t len = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    len = std::min(len, s.size() - i);
    size_t sep = pending != 0 && !out.empty() ? 1 : 0;
    if (out.size() + sep + len > cap) {
      full = true;
      return out;
    }
    if (sep) out.push_back(' ');
    pending = 0;
    out.append(s.substr(i, len));
    i += len - 1;
  }
  return out;
}

TEST(PageText, FoldingMatchesTheCharacterAtATimeReferenceAtEveryCap) {
  // NBSP, tab, U+200B/C/D, U+2060, U+FEFF among Latin, Thai, Chinese, an
  // emoji and Vietnamese.
  const std::string text = std::string("Kund\u00A0tjänst:  08-123\t456 78 \u200B") + "a\u200Cb\u2060c\uFEFF d " +
                           "โทร 电话📞! điện thoại\u200D end";
  for (size_t cap = 0; cap <= text.size() + 2; ++cap) {
    PageLimits limits;
    limits.max_text_bytes = cap;
    Page p = ParsePage("<p>" + text + "</p>", "https://l.example/", limits);
    bool full = false;
    EXPECT_EQ(p.text, ReferenceFold(text, cap, full)) << cap;
    EXPECT_EQ(p.truncated, full) << cap;
  }
}

TEST(PageLimits, ScriptBytesLinksFormsAttrs) {
  PageLimits limits;
  limits.max_script_bytes = 8;
  Page s = ParsePage("<script>0123456789abc</script>", "https://l.example/", limits);
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(s.scripts.at(0).text, "01234567");

  limits = PageLimits();
  limits.max_links = 3;
  std::string html;
  for (int i = 0; i < 10; ++i) html += "<a href='/l" + std::to_string(i) + "'>x</a>";
  Page l = ParsePage(html, "https://l.example/", limits);
  EXPECT_TRUE(l.truncated);
  EXPECT_EQ(l.links.size(), 3u);

  limits = PageLimits();
  limits.max_forms = 2;
  limits.max_inputs_per_form = 2;
  Page f = ParsePage("<form><input><input><input></form><form></form><form></form>", "https://l.example/", limits);
  EXPECT_TRUE(f.truncated);
  EXPECT_EQ(f.forms.size(), 2u);
  EXPECT_EQ(f.forms[0].inputs.size(), 2u);

  limits = PageLimits();
  limits.max_attrs = 2;
  limits.max_attr_value_bytes = 4;
  Page a = ParsePage("<a title='abcdefgh'>1</a><a title='b'>2</a><a title='c'>3</a>", "https://l.example/", limits);
  EXPECT_TRUE(a.truncated);
  ASSERT_EQ(a.attrs.size(), 2u);
  EXPECT_EQ(a.attrs[0].value, "abcd");

  limits = PageLimits();
  limits.max_scripts = 1;
  limits.max_iframes = 1;
  limits.max_images = 1;
  limits.max_meta = 1;
  limits.max_js_redirects = 1;
  Page m = ParsePage("<meta name=a content=1><meta name=b content=2><script>location='/1';location='/2'</script>"
                     "<script>x</script><iframe src=/a></iframe><iframe src=/b></iframe><img src=/1><img src=/2>",
                     "https://l.example/", limits);
  EXPECT_TRUE(m.truncated);
  EXPECT_EQ(m.meta.size(), 1u);
  EXPECT_EQ(m.scripts.size(), 1u);
  EXPECT_EQ(m.iframes.size(), 1u);
  EXPECT_EQ(m.images.size(), 1u);
  EXPECT_EQ(m.js_redirects, std::vector<std::string>{"https://l.example/1"});
}

}  // namespace
}  // namespace dragnet::extractors
