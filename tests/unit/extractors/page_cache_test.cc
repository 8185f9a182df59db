// PageCache (extractors/page_cache.h): whatever it serves must equal a fresh
// ParsePage of the same body and URL, field for field, on every fixture page
// and on hand-written kit pages, under many origins, with hits happening; and
// admission, eviction, the byte bound, the fallbacks and concurrent use
// behave as the header says.
#include "extractors/page_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "core/hash.h"
#include "extractors/page.h"

namespace dragnet::extractors {
namespace {

// ---------------------------------------------------------------- helpers ---

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define SAME_FIELD(field)                                                              \
  if (!(a.field == b.field)) {                                                         \
    return testing::AssertionFailure() << "Page::" #field " differs";                  \
  }

// Every field of Page, with the first difference named.
testing::AssertionResult SamePage(const Page& a, const Page& b) {
  SAME_FIELD(url);
  SAME_FIELD(title);
  SAME_FIELD(lang);
  SAME_FIELD(meta);
  if (a.links != b.links) {
    auto m = testing::AssertionFailure() << "Page::links differ:";
    for (size_t i = 0; i < std::max(a.links.size(), b.links.size()); ++i) {
      m << "\n  " << (i < a.links.size() ? a.links[i] : "-") << " | " << (i < b.links.size() ? b.links[i] : "-");
    }
    return m;
  }
  SAME_FIELD(forms.size());
  for (size_t i = 0; i < a.forms.size(); ++i) {
    SAME_FIELD(forms[i].action);
    SAME_FIELD(forms[i].method);
    SAME_FIELD(forms[i].has_password);
    SAME_FIELD(forms[i].has_card);
    SAME_FIELD(forms[i].inputs.size());
    for (size_t j = 0; j < a.forms[i].inputs.size(); ++j) {
      SAME_FIELD(forms[i].inputs[j].name);
      SAME_FIELD(forms[i].inputs[j].type);
      SAME_FIELD(forms[i].inputs[j].value);
      SAME_FIELD(forms[i].inputs[j].id);
      SAME_FIELD(forms[i].inputs[j].placeholder);
      SAME_FIELD(forms[i].inputs[j].autocomplete);
      SAME_FIELD(forms[i].inputs[j].aria_label);
      SAME_FIELD(forms[i].inputs[j].label);
    }
  }
  SAME_FIELD(scripts.size());
  for (size_t i = 0; i < a.scripts.size(); ++i) {
    SAME_FIELD(scripts[i].src);
    SAME_FIELD(scripts[i].text);
    SAME_FIELD(scripts[i].type);
  }
  SAME_FIELD(iframes);
  SAME_FIELD(images.size());
  for (size_t i = 0; i < a.images.size(); ++i) {
    SAME_FIELD(images[i].src);
    SAME_FIELD(images[i].alt);
  }
  SAME_FIELD(favicon);
  SAME_FIELD(text);
  SAME_FIELD(attrs.size());
  for (size_t i = 0; i < a.attrs.size(); ++i) {
    SAME_FIELD(attrs[i].tag);
    SAME_FIELD(attrs[i].name);
    SAME_FIELD(attrs[i].value);
  }
  SAME_FIELD(meta_refresh);
  SAME_FIELD(js_redirects);
  SAME_FIELD(truncated);
  SAME_FIELD(truncated_by);
  SAME_FIELD(comments);
  SAME_FIELD(hidden_text);
  SAME_FIELD(base_href);
  return testing::AssertionSuccess();
}
#undef SAME_FIELD

// The origins a kit is found under: hosts, ports, schemes, IP and IDN hosts,
// non-canonical spellings, and shapes the cache must bypass.
std::vector<std::string> Origins() {
  return {"https://a.example",        "https://b.example",       "http://c.example:8080",
          "https://a.example",        "http://A.Example:80",     "https://d.example:443",
          "https://b.example",        "http://203.0.113.7",      "https://203.0.113.7:8443",
          "https://xn--bcher-kva.example", "https://bücher.example", "https://e.example.",
          "https://[2001:db8::1]",    "https://user:pw@a.example", "https://b.example"};
}

// Paths a kit is found under (the key holds path + query).
std::vector<std::string> Paths() {
  return {"/kit/login.html", "/kit/login.html", "/", "/kit/login.html?session=1&x=/y", "/a/b/c/",
          "/kit/login.html#frag", "/kit/./login.html", "/kit/login.html"};
}

// Parses `html` through `cache` under every origin x path, twice round,
// and compares each result with ParsePage.
void ExpectSameEverywhere(PageCache& cache, const std::string& html, const std::string& label,
                          const PageLimits& limits = {}, const std::vector<std::string>& extra_urls = {}) {
  const std::string sha = Sha256Hex(html);
  std::vector<std::string> urls = extra_urls;
  for (const std::string& o : Origins()) {
    for (const std::string& p : Paths()) urls.push_back(o + p);
  }
  for (int round = 0; round < 2; ++round) {
    for (const std::string& url : urls) {
      Page want = ParsePage(html, url, limits);
      Page got = cache.Parse(html, sha, url, limits);
      ASSERT_TRUE(SamePage(got, want)) << label << " at " << url << " (round " << round << ")";
    }
  }
}

// Hand-written kit pages: every kind of reference ParsePage resolves.
std::vector<std::string> KitPages() {
  return {
      // Relative, root-relative, dot segments, query, fragment, proto-relative,
      // own-host absolute (a.example, where the kit was built), other hosts.
      R"X(<!doctype html><html lang="en"><head><title>Sign in</title>
      <meta name="description" content="Verify your account at https://a.example/verify">
      <meta http-equiv="refresh" content="30; url=../timeout.html?r=1">
      <link rel="stylesheet" href="css/site.css"><link rel="icon" href="./img/fav.png">
      <script src="/js/jquery.min.js"></script>
      <script src="//cdn.example.net/lib.js"></script>
      <script>if (bad) { window.location.href = "/blocked.html"; } location.replace('https://a.example/x');
      top.location = "?step=2"; document.location.assign("../../up.html#z");</script>
      </head><body onload="location='next.php'">
      <a href="x.html">1</a><a href="/x.html">2</a><a href="../x.html">3</a><a href="./x.html">4</a>
      <a href="?q=1">5</a><a href="#top">6</a><a href="x.html#frag">7</a><a href="//other.example/p">8</a>
      <a href="https://a.example/kit/x.html">own host</a><a href="https://A.EXAMPLE/x.html">own host caps</a>
      <a href="https://b.example/kit/x.html">b host</a><a href="http://c.example:8080/">c host</a>
      <a href="mailto:help@a.example">mail</a><a href="javascript:void(0)">js</a><a href="tel:+46701234567">tel</a>
      <a href=" x.html ">spaces</a><a href="">empty</a><a href="..">dotdot</a><a href=".">dot</a>
      <form><input name="user"><input type="password" name="pw"></form>
      <form action="post.php" method="post"><input name="cardnumber"><input name="cvv"></form>
      <form action="https://a.example/kit/post.php"><input name="q"></form>
      <form action="javascript:send()"><input name="z"></form>
      <input name="orphan">
      <iframe src="frame.html"></iframe><iframe src="https://a.example/kit/frame.html"></iframe>
      <iframe src="//a.example/kit/frame.html"></iframe><frameset><frame src="/f2.html"></frameset>
      <img src="logo.png" alt="Logo"><img data-src="/lazy.webp" alt="lazy"><img src="https://a.example/logo.png">
      <img src="data:image/png;base64,AAAA" alt="inline"><img alt="only alt">
      <p>Call us. Visit https://a.example/help or dragnet-rebase (not the sentinel).</p>
      </body></html>)X",
      // <base href> relative: everything resolves against /assets/v2/ of the page's origin.
      R"X(<html><head><base href="/assets/v2/"><link rel="shortcut icon" href="fav.ico"></head><body>
      <a href="a.html">a</a><a href="../b.html">b</a><a href="/c.html">c</a><a href="https://a.example/assets/v2/a.html">abs</a>
      <form><input name="x"></form><form action=""><input name="y"></form>
      <script>location.href = "go.html";</script><img src="i.png"><iframe src="f.html"></iframe>
      <meta http-equiv="Refresh" content="0;URL='r.html'"></body></html>)X",
      // <base href> absolute to another host, then a second base (ignored).
      R"X(<html><head><base href="https://cdn.example.net/sub/"><base href="/ignored/"></head><body>
      <a href="p.html">p</a><a href="/root">r</a><script src="app.js"></script>
      <form><input name="u"></form><script>window.location = '/next';</script></body></html>)X",
      // <base href> proto-relative, and a base that comes after the links.
      R"X(<a href="early.html">e</a><base href="//static.example.org/k/"><a href="late.html">l</a>
      <img src="x.png"><meta http-equiv="refresh" content="5">)X",
      // Nothing resolvable: the default favicon and form action only.
      R"X(<p>Plain text, no links at all.</p><form><input name="only"></form>)X",
      // Hostile-looking references: backslashes, odd schemes, spaces, long paths,
      // entity-encoded hosts, percent-escapes, IDN, IPv4/6.
      R"X(<a href="\\evil.example\x">bs</a><a href="/\evil.example/x">bs2</a><a href="http:relative.html">hr</a>
      <a href="https:other.example/x">hs</a><a href="HTTP://Other.Example/Y">up</a><a href="a b.html">space</a>
      <a href="%7Euser/">pct</a><a href="/p%2e%2e/x">pctdot</a><a href="https://b&#xFC;cher.example/">idn</a>
      <a href="https://a&#46;example/ent">entity own host</a><a href="//203.0.113.7/ip">ip</a>
      <a href="//[2001:db8::1]/v6">v6</a><a href="https://a.example:443/default-port">dp</a>
      <a href="https://a.example:8443/other-port">op</a><a href="https://u@a.example/ui">ui</a>
      <a href="///triple">triple</a><a href="//">empty authority</a><a href="?">q</a>
      <a href="https://dragnet&#45;rebase.invalid/x">generic sentinel, entity-encoded</a>)X",
      // What the reader does not see: comments, noscript/template text, a
      // relative <base> (a resolved field the cache rebases), script types.
      R"X(<html><head><base href="/kit/v2/"><!-- old: a@b.example -->
      <script type="text/template"><a href="/t">t</a></script></head><body>
      <noscript>call 0912</noscript><template><p>later</p></template><a href="x.html">x</a></body></html>)X",
      R"X(<base href="https://cdn-other.example/k/"><a href="rel.html">rel</a><!--c-->)X",
  };
}

// ------------------------------------------------------------ equality ---

TEST(PageCache, EveryFixturePageEqualsParsePageUnderManyOrigins) {
  PageCache cache(64u << 20);
  std::vector<std::filesystem::path> files;
  const std::filesystem::path root = std::filesystem::path(DRAGNET_SOURCE_DIR) / "tests/fixtures";
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".html") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 20u);
  for (const auto& f : files) {
    // Pages under tests/fixtures/sites/<group>/<host>/ are also parsed under
    // their own host, where their absolute self-links point.
    std::vector<std::string> extra;
    std::string parent = f.parent_path().filename().string();
    if (parent.find('.') != std::string::npos) {
      extra.push_back("http://" + parent + "/" + f.filename().string());
      extra.push_back("https://" + parent + "/");
    }
    ExpectSameEverywhere(cache, Read(f), f.string(), {}, extra);
  }
  PageCache::Stats s = cache.stats();
  EXPECT_GT(s.hits, 10 * files.size());
  EXPECT_GT(s.inserts, files.size());
  EXPECT_LE(s.bytes, cache.max_bytes());
}

TEST(PageCache, HandWrittenKitPagesEqualParsePage) {
  PageCache cache(64u << 20);
  int i = 0;
  for (const std::string& html : KitPages()) ExpectSameEverywhere(cache, html, "kit page " + std::to_string(i++));
  EXPECT_GT(cache.stats().hits, 0u);
}

TEST(PageCache, GeneratedBenchPagesEqualParsePage) {
  const std::filesystem::path dir =
      std::filesystem::path(testing::TempDir()) / ("page_cache_bench_pages." + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const std::string cmd = "python3 '" + std::string(DRAGNET_SOURCE_DIR) + "/tests/bench/make_bench_pages.py' '" +
                          dir.string() + "' 6 >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "python3 could not generate pages: " << cmd;
  PageCache cache(64u << 20);
  for (int i = 0; i < 6; ++i) {
    char name[8];
    std::snprintf(name, sizeof(name), "p%02d", i);
    const std::string html = Read(dir / name / "page.html");
    ASSERT_FALSE(html.empty());
    // The generator's absolute self-links point at secure-<i>.example-scam.top.
    const std::string own = "https://secure-" + std::to_string(i) + ".example-scam.top";
    ExpectSameEverywhere(cache, html, name, {}, {own + "/kit/login.html", own + "/", own + "/kit/login.html"});
  }
  EXPECT_GT(cache.stats().hits, 0u);
  std::filesystem::remove_all(dir);
}

TEST(PageCache, TruncatedPagesAndOtherLimitsEqualParsePage) {
  PageCache cache(64u << 20);
  PageLimits small;
  small.max_text_bytes = 40;
  small.max_links = 3;  // the kit page has more: at the cap, never cached
  small.max_forms = 1;
  small.max_images = 2;
  for (const std::string& html : KitPages()) ExpectSameEverywhere(cache, html, "small limits", small);
  PageLimits text_only;
  text_only.max_text_bytes = 4;
  ExpectSameEverywhere(cache, KitPages()[1], "truncated text", text_only);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(cache.Parse(KitPages()[1], "h", "https://z.example/", text_only).truncated);
  // The same body under other limits is another key.
  ExpectSameEverywhere(cache, KitPages()[1], "default limits");
  EXPECT_GT(cache.stats().hits, 0u);
  EXPECT_GT(cache.stats().rejected, 0u);  // the links-at-cap pages
}

TEST(PageCache, LimitsArePartOfTheKey) {
  const std::string html = "<p>" + std::string(100, 'w') + "</p><a href='/x'>x</a>";
  const std::string sha = Sha256Hex(html);
  PageLimits short_text;
  short_text.max_text_bytes = 10;
  PageCache cache(1u << 20);
  for (int i = 0; i < 3; ++i) {
    for (const PageLimits& l : {PageLimits{}, short_text}) {
      const std::string url = "https://h" + std::to_string(i) + ".example/";
      Page p = cache.Parse(html, sha, url, l);
      EXPECT_TRUE(SamePage(p, ParsePage(html, url, l)));
      EXPECT_EQ(p.truncated, l.max_text_bytes == 10);
    }
  }
  EXPECT_EQ(cache.stats().inserts, 2u);
  EXPECT_EQ(cache.stats().hits, 2u);
}

// ------------------------------------------------ the origin swap itself ---

// A kit built on a.example links to https://a.example/x. Fetched from
// b.example that link must stay on a.example; only the sentinel is swapped.
TEST(PageCache, AbsoluteLinkToKitsOriginalHostIsNotRewritten) {
  const std::string kit = R"X(<a href="https://a.example/x">abs</a><a href="/x">rel</a>
    <iframe src="https://a.example/f"></iframe><iframe src="/f"></iframe>
    <script>location.href = "https://a.example/go"; location.href = "/go";</script>)X";
  const std::string sha = Sha256Hex(kit);
  PageCache cache(1u << 20);
  for (int i = 0; i < 3; ++i) {
    Page b = cache.Parse(kit, sha, "https://b.example/kit/", {});
    EXPECT_EQ(b.links, (std::vector<std::string>{"https://a.example/x", "https://b.example/x"}));
    EXPECT_EQ(b.iframes, (std::vector<std::string>{"https://a.example/f", "https://b.example/f"}));
    EXPECT_EQ(b.js_redirects, (std::vector<std::string>{"https://a.example/go", "https://b.example/go"}));
  }
  EXPECT_GE(cache.stats().hits, 1u);
  // On a.example itself the two links are one (ParsePage deduplicates).
  Page a = cache.Parse(kit, sha, "https://a.example/kit/", {});
  EXPECT_EQ(a.links, std::vector<std::string>{"https://a.example/x"});
  EXPECT_EQ(a.iframes, std::vector<std::string>{"https://a.example/f"});
  EXPECT_EQ(a.js_redirects, std::vector<std::string>{"https://a.example/go"});
  EXPECT_TRUE(SamePage(a, ParsePage(kit, "https://a.example/kit/")));
  EXPECT_EQ(cache.stats().hits, 2u);
}

TEST(PageCache, RawFieldsKeepTheirBytes) {
  // Attribute values, meta and text that look like URLs of the page's origin
  // are not resolved fields and come back as written.
  const std::string kit = R"X(<meta name="x" content="/rel"><a href="/rel" data-u="/rel">/rel</a>)X";
  PageCache cache(1u << 20);
  for (int i = 0; i < 3; ++i) {
    Page p = cache.Parse(kit, Sha256Hex(kit), "https://b.example/", {});
    EXPECT_EQ(p.meta.at("x"), "/rel");
    EXPECT_EQ(p.text, "/rel");
    ASSERT_EQ(p.attrs.size(), 3u);
    EXPECT_EQ(p.attrs[1].value, "/rel");
    EXPECT_EQ(p.links, std::vector<std::string>{"https://b.example/rel"});
  }
  EXPECT_EQ(cache.stats().hits, 1u);
}

// ---------------------------------------------------- admission, counters ---

TEST(PageCache, FirstSightingOnlyRemembersSecondInsertsThirdHits) {
  const std::string html = "<a href='/x'>x</a>";
  const std::string sha = Sha256Hex(html);
  PageCache cache(1u << 20);
  cache.Parse(html, sha, "https://a.example/p", {});
  PageCache::Stats s = cache.stats();
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.inserts, 0u);
  EXPECT_EQ(s.entries, 0u);
  EXPECT_EQ(s.bytes, 0u);
  cache.Parse(html, sha, "https://b.example/p", {});
  s = cache.stats();
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.inserts, 1u);
  EXPECT_EQ(s.entries, 1u);
  EXPECT_GT(s.bytes, 0u);
  EXPECT_EQ(s.hits, 0u);
  cache.Parse(html, sha, "https://c.example:81/p", {});
  cache.Parse(html, sha, "https://d.example/p", {});
  s = cache.stats();
  EXPECT_EQ(s.hits, 2u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.bypassed, 0u);
  // Another path, scheme, body or limits is another key.
  cache.Parse(html, sha, "https://a.example/q", {});
  cache.Parse(html, sha, "http://a.example/p", {});
  cache.Parse(html + " ", Sha256Hex(html + " "), "https://a.example/p", {});
  PageLimits other;
  other.max_links = 7;
  cache.Parse(html, sha, "https://a.example/p", other);
  s = cache.stats();
  EXPECT_EQ(s.hits, 2u);
  EXPECT_EQ(s.misses, 6u);
  EXPECT_EQ(s.inserts, 1u);
}

TEST(PageCache, ZeroBytesNeverCaches) {
  const std::string html = KitPages()[0];
  PageCache cache(0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(SamePage(cache.Parse(html, Sha256Hex(html), "https://b.example/k", {}),
                         ParsePage(html, "https://b.example/k")));
  }
  PageCache::Stats s = cache.stats();
  EXPECT_EQ(s.bypassed, 5u);
  EXPECT_EQ(s.hits + s.misses + s.inserts + s.entries + s.bytes, 0u);
}

TEST(PageCache, EmptyHashNeverCaches) {
  PageCache cache(1u << 20);
  for (int i = 0; i < 3; ++i) cache.Parse("<p>x</p>", "", "https://a.example/", {});
  EXPECT_EQ(cache.stats().bypassed, 3u);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(PageCache, BodyNamingTheSentinelDomainIsNeverCached) {
  for (std::string html : {std::string("<a href='/x'>x</a><p>see DRAGNET-Rebase.Invalid</p>"),
                           std::string("<!-- dragnet-rebase.invalid --><a href='y'>y</a>")}) {
    PageCache cache(1u << 20);
    for (int i = 0; i < 5; ++i) {
      const std::string url = "https://h" + std::to_string(i) + ".example/k/";
      EXPECT_TRUE(SamePage(cache.Parse(html, Sha256Hex(html), url, {}), ParsePage(html, url)));
    }
    PageCache::Stats s = cache.stats();
    EXPECT_EQ(s.inserts, 0u);
    EXPECT_EQ(s.hits, 0u);
    EXPECT_EQ(s.rejected, 1u);
    EXPECT_EQ(s.bypassed, 3u);  // the negative entry: no re-check, no second parse
  }
}

TEST(PageCache, SentinelDomainOutsideTheLeadingOriginIsNeverCached) {
  // Entity-encoded, so the body text does not name the domain; resolution
  // does, as a host that is not this cache's sentinel host.
  PageCache cache(1u << 20);
  const std::string html = "<a href='https://dragnet&#45;rebase.invalid/x'>x</a><a href='/y'>y</a>";
  for (int i = 0; i < 4; ++i) {
    const std::string url = "https://h" + std::to_string(i) + ".example/k/";
    EXPECT_TRUE(SamePage(cache.Parse(html, Sha256Hex(html), url, {}), ParsePage(html, url)));
  }
  EXPECT_EQ(cache.stats().inserts, 0u);
  EXPECT_EQ(cache.stats().rejected, 1u);
  EXPECT_EQ(cache.sentinel_host().size(), 17 + 1 + PageCache::kSentinelDomain.size());
}

TEST(PageCache, OnlyTheLeadingSentinelOriginIsSwapped) {
  // The cache's own sentinel host in a query string (entity-encoded past the
  // body check) is cacheable: only the leading origin is swapped, the query
  // keeps its bytes, as ParsePage keeps them.
  PageCache cache(1u << 20);
  std::string host = cache.sentinel_host();
  host.replace(host.find('-'), 1, "&#45;");
  const std::string html = "<a href='/r?u=https://" + host + "/z'>r</a><a href='/y'>y</a>";
  for (int i = 0; i < 4; ++i) {
    const std::string url = "https://h" + std::to_string(i) + ".example/k/";
    Page p = cache.Parse(html, Sha256Hex(html), url, {});
    EXPECT_TRUE(SamePage(p, ParsePage(html, url)));
    ASSERT_EQ(p.links.size(), 2u);
    EXPECT_EQ(p.links[0], "https://h" + std::to_string(i) + ".example/r?u=https://" + cache.sentinel_host() + "/z");
  }
  EXPECT_EQ(cache.stats().inserts, 1u);
  EXPECT_EQ(cache.stats().hits, 2u);
}

TEST(PageCache, UrlShapesItCannotRebaseAreBypassed) {
  const std::string html = KitPages()[0];
  const std::string sha = Sha256Hex(html);
  PageCache cache(1u << 20);
  const std::vector<std::string> urls = {
      "https://[2001:db8::1]/k/", "https://u:p@a.example/k/", "https://a.example/k/#f",
      "https://a.example\\k/",    "not a url",                "ftp://a.example/k/",
  };
  for (int round = 0; round < 3; ++round) {
    for (const std::string& url : urls) {
      EXPECT_TRUE(SamePage(cache.Parse(html, sha, url, {}), ParsePage(html, url))) << url;
    }
  }
  PageCache::Stats s = cache.stats();
  EXPECT_EQ(s.bypassed, 3 * urls.size());
  EXPECT_EQ(s.entries, 0u);
}

// ------------------------------------------------------ memory and eviction ---

TEST(PageCache, ApproxBytesGrowsWithContent) {
  Page small = ParsePage("<p>x</p>", "https://a.example/");
  Page big = ParsePage("<p>" + std::string(100000, 'y') + "</p><a href='/a'>a</a>", "https://a.example/");
  EXPECT_GE(ApproxBytes(small), sizeof(Page));
  EXPECT_GT(ApproxBytes(big), ApproxBytes(small) + 100000);
}

TEST(PageCache, EvictsLeastRecentlyUsedAndStaysWithinBytes) {
  auto body = [](int i) {
    return "<title>kit " + std::to_string(i) + "</title><a href='/n" + std::to_string(i) + "'>x</a><p>" +
           std::string(2000, 'a' + i % 26) + "</p>";
  };
  size_t one = 0;  // what one entry is charged
  {
    PageCache probe(1u << 20);
    for (const char* host : {"a.example", "b.example"}) {
      probe.Parse(body(0), Sha256Hex(body(0)), std::string("https://") + host + "/k/", {});
    }
    one = probe.stats().bytes + 16;  // + a longer title
    ASSERT_GT(one, ApproxBytes(Page{}));
  }
  PageCache cache(12 * one);  // 12 entries fit; each is < max_bytes / 8
  auto use = [&](int i, const std::string& host) {
    const std::string html = body(i), url = "https://" + host + "/k/";
    EXPECT_TRUE(SamePage(cache.Parse(html, Sha256Hex(html), url, {}), ParsePage(html, url)));
    EXPECT_LE(cache.stats().bytes, cache.max_bytes());
  };
  for (int i = 0; i < 40; ++i) {
    use(i, "a.example");
    use(i, "b.example");  // admitted
    use(0, "c.example");  // kit 0 stays the most recently used
  }
  PageCache::Stats s = cache.stats();
  EXPECT_EQ(s.inserts, 40u);
  EXPECT_GT(s.evictions, 20u);
  EXPECT_LE(s.entries, 12u);
  EXPECT_GE(s.entries, 11u);
  EXPECT_LE(s.bytes, cache.max_bytes());
  EXPECT_EQ(s.hits, 40u);  // every use of kit 0 (admitted by b.example in round 0)
  // Kit 1 was evicted long ago: its key is still in the seen-once FIFO, so
  // one more sighting re-admits it and the next hits.
  use(1, "d.example");
  EXPECT_EQ(cache.stats().inserts, 41u);
  use(1, "e.example");
  EXPECT_EQ(cache.stats().hits, 41u);
}

TEST(PageCache, PageLargerThanAnEighthIsNeverCached) {
  const std::string html = "<p>" + std::string(50000, 'z') + "</p><a href='x'>x</a>";
  PageCache cache(200000);  // an eighth is 25,000 bytes
  for (int i = 0; i < 4; ++i) {
    const std::string url = "https://h" + std::to_string(i) + ".example/";
    EXPECT_TRUE(SamePage(cache.Parse(html, Sha256Hex(html), url, {}), ParsePage(html, url)));
  }
  PageCache::Stats s = cache.stats();
  EXPECT_EQ(s.inserts, 0u);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_EQ(s.hits, 0u);
  EXPECT_EQ(s.entries, 1u);  // the small negative entry
  EXPECT_LE(s.bytes, cache.max_bytes() / 8);
}

TEST(PageCache, SeenOnceFifoIsBounded) {
  // More first sightings than the FIFO holds: the oldest is forgotten, so
  // its second sighting is a first sighting again.
  PageCache cache(1u << 20);
  const std::string html = "<p>k</p>";
  const std::string url0 = "https://a.example/0";
  cache.Parse(html, "sha-0", url0, {});
  for (size_t i = 1; i <= PageCache::kMaxSeenKeys; ++i) {
    cache.Parse("", "sha-" + std::to_string(i), "https://a.example/" + std::to_string(i), {});
  }
  cache.Parse(html, "sha-0", url0, {});
  EXPECT_EQ(cache.stats().inserts, 0u);
  cache.Parse(html, "sha-0", url0, {});
  EXPECT_EQ(cache.stats().inserts, 1u);
}

// ------------------------------------------------------------ threads ---

TEST(PageCache, EightThreadsShareOneCache) {
  std::vector<std::string> bodies = KitPages();
  for (int i = 0; i < 6; ++i) {
    bodies.push_back("<title>t" + std::to_string(i) + "</title><a href='l" + std::to_string(i) + "'>x</a>");
  }
  std::vector<std::string> shas;
  for (const auto& b : bodies) shas.push_back(Sha256Hex(b));
  const std::vector<std::string> urls = {"https://a.example/kit/", "https://b.example/kit/",
                                         "http://c.example:8080/kit/", "https://a.example/other?x=1"};
  // Expected results, computed before the threads start.
  std::vector<std::vector<Page>> want(bodies.size());
  for (size_t b = 0; b < bodies.size(); ++b) {
    for (const auto& u : urls) want[b].push_back(ParsePage(bodies[b], u));
  }
  size_t all_bytes = 0;  // what the roomy run ends up holding
  for (int run = 0; run < 2; ++run) {  // roomy, then half of what that held: evicting
    const size_t max_bytes = run == 0 ? size_t{64} << 20 : all_bytes / 2;
    PageCache cache(max_bytes);
    std::atomic<int> mismatches{0};
    constexpr int kThreads = 8, kRounds = 120;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int r = 0; r < kRounds; ++r) {
          // Each thread walks its own window of all body x URL pairs.
          const size_t i = static_cast<size_t>(t) * 17 + static_cast<size_t>(r);
          const size_t b = i % bodies.size(), u = (i / bodies.size()) % urls.size();
          if (!SamePage(cache.Parse(bodies[b], shas[b], urls[u], {}), want[b][u])) ++mismatches;
        }
      });
    }
    for (auto& th : threads) th.join();
    PageCache::Stats s = cache.stats();
    EXPECT_EQ(mismatches.load(), 0) << max_bytes;
    SCOPED_TRACE("max_bytes " + std::to_string(max_bytes) + ": hits " + std::to_string(s.hits) + ", inserts " +
                 std::to_string(s.inserts) + ", rejected " + std::to_string(s.rejected) + ", evictions " +
                 std::to_string(s.evictions) + ", entries " + std::to_string(s.entries));
    EXPECT_EQ(s.hits + s.misses + s.bypassed, static_cast<uint64_t>(kThreads * kRounds));
    // Roomy: everything repeats and hits. Small: the keys cycle through an
    // LRU that holds half of them, so it evicts.
    if (run == 0) EXPECT_GT(s.hits, 100u);
    else EXPECT_GT(s.evictions, 10u);
    EXPECT_LE(s.bytes, max_bytes);
    all_bytes = s.bytes;
  }
}

}  // namespace
}  // namespace dragnet::extractors
