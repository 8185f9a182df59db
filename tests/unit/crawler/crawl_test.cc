// The crawl of one site against a real nginx serving fixture sites as
// virtual hosts on 127.0.0.1 (names pinned with a '*' resolve rule).
#include "crawler/crawl.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "core/fs.h"
#include "core/hash.h"
#include "core/work_pool.h"
#include "crawler/evidence.h"
#include "extractors/page_cache.h"
#include "core/model_json.h"
#include "crawler/favicon.h"
#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet::crawler {
namespace {

using dragnet::testing::NginxServer;
using dragnet::testing::TempDir;

const char* kSites = R"(
  gzip on; gzip_types text/html; gzip_min_length 100;
  server {
    listen 127.0.0.1:{{PORT}}; server_name chain.test;
    location = / { return 301 /step2; }
    location = /step2 { return 302 http://landing.test:{{PORT}}/meta.html; }
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name landing.test kit1.test kit2.test kit3.test kit4.test;
    root {{FIXTURES}}/sites/crawl/landing.test;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name frames.test other.test;
    root {{FIXTURES}}/sites/crawl/frames.test;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name loop.test;
    location = / { return 302 /b; }
    location = /b { return 302 /; }
    location = /meta { default_type text/html; return 200 '<meta http-equiv="refresh" content="0;url=/meta2">'; }
    location = /meta2 { default_type text/html; return 200 '<meta http-equiv="refresh" content="0;url=/meta">'; }
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name errors.test;
    root {{FIXTURES}}/sites/crawl/errors.test;
    location = /boom { return 500; }
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name icon.test;
    root {{FIXTURES}}/sites/crawl/icon.test;
    types { image/x-icon ico; text/html html; }
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name gz.test;
    root {{FIXTURES}}/sites/crawl/gz.test;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name scripts.test;
    location = / { default_type text/html; return 200 '<html><head><script src="/js/app.js"></script><script src="http://kitcdn.test:{{PORT}}/loader.js"></script><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script><script src="/js/jquery.min.js"></script><script src="http://kitcdn.test:{{PORT}}/missing.js"></script></head><body><a href="/p2">more</a></body></html>'; }
    location = /p2 { default_type text/html; return 200 '<html><script src="/js/app.js"></script><script src="/js/extra.js"></script></html>'; }
    location = /js/app.js { default_type application/javascript; return 200 'var t = "6001234567:AAGx7Hk2Lm9Nq4Rs1Tv8Wy3Zb6Cd0Ef5GhJ";'; }
    location = /js/jquery.min.js { default_type application/javascript; return 200 '/*! jQuery v3.7.1 */'; }
    location = /js/extra.js { default_type application/javascript; return 200 'var extra = 1;'; }
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name kitcdn.test;
    location = /loader.js { default_type application/javascript; return 200 'fetch("https://collect.kit-panel.top/api")'; }
  }
)";

class CrawlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { nginx_ = new NginxServer(kSites); }
  static void TearDownTestSuite() {
    delete nginx_;
    nginx_ = nullptr;
  }

  CrawlOptions Options() {
    CrawlOptions o;
    o.allow_private = true;  // the fixture server is on 127.0.0.1: tests opt in
    o.resolve = {"*:" + std::to_string(nginx_->port()) + ":127.0.0.1"};
    o.total_timeout_ms = 10'000;
    return o;
  }
  std::string Url(const std::string& host, const std::string& path = "/") {
    return "http://" + host + ":" + std::to_string(nginx_->port()) + path;
  }

  static NginxServer* nginx_;
  TempDir dir_;
};

NginxServer* CrawlTest::nginx_ = nullptr;

std::vector<std::string> Vias(const SeedResult& r) {
  std::vector<std::string> v;
  for (const auto& s : r.redirects) v.push_back(s.via);
  return v;
}

const CrawledPage* FindPage(const CrawlOutcome& o, const std::string& suffix) {
  for (const auto& p : o.pages) {
    if (p.final_url.size() >= suffix.size() &&
        p.final_url.compare(p.final_url.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return &p;
    }
  }
  return nullptr;
}

TEST_F(CrawlTest, FollowsHttpMetaAndJsRedirectsThenCrawlsTheLandingSite) {
  EvidenceStore ev(dir_.path());
  ASSERT_TRUE(ev.Init().ok());
  SiteCrawler c(Options(), &ev, "test");
  auto out = c.CrawlAll({Url("chain.test")});
  ASSERT_EQ(out.size(), 1u);
  const auto& o = out[0];
  const SeedResult& r = o.result;
  EXPECT_EQ(r.final_url, Url("landing.test", "/final.html"));
  EXPECT_EQ(Vias(r), (std::vector<std::string>{"seed", "http", "http", "meta", "js"}));
  ASSERT_EQ(r.redirects.size(), 5u);
  EXPECT_EQ(r.redirects[0].status, 301);
  EXPECT_EQ(r.redirects[1].status, 302);
  EXPECT_EQ(r.redirects[0].ip, "127.0.0.1");
  // Depth 2 from the landing page: a, b (depth 1), c (2) fetched, d (3) not.
  EXPECT_NE(FindPage(o, "/a.html"), nullptr);
  EXPECT_NE(FindPage(o, "/b.html"), nullptr);
  EXPECT_NE(FindPage(o, "/c.html"), nullptr);
  EXPECT_EQ(FindPage(o, "/d.html"), nullptr);
  // Off-site links are not followed; iframes are, whatever their domain.
  EXPECT_EQ(FindPage(o, "/offsite.html"), nullptr);
  const CrawledPage* frame = FindPage(o, "/frame.html");
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->via, "iframe");
  // The 404 linked from b.html is a page with its status, not a crash.
  const CrawledPage* missing = FindPage(o, "/missing.html");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->status, 404);
  // final.html is fetched once even though a.html links back to it.
  int finals = 0;
  for (const auto& p : o.pages) finals += p.final_url == Url("landing.test", "/final.html");
  EXPECT_EQ(finals, 1);
  // Titles come from the parsed page.
  const CrawledPage* landing = FindPage(o, "/final.html");
  ASSERT_NE(landing, nullptr);
  ASSERT_TRUE(landing->page.has_value());
  EXPECT_EQ(landing->page->title, "Secure Login");
  // Evidence: the manifest exists and verifies.
  ASSERT_FALSE(r.evidence_manifest.empty());
  auto rep = VerifyEvidence(dir_.path());
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok());
  EXPECT_GE(rep->entries, 10);
  // nginx's header blocks are ASCII: every response's headers are inline in
  // its entry (status line first, hashed as a blob would be), and the
  // objects folder holds bodies only (decoded, and raw when compressed).
  auto m = nlohmann::json::parse(dragnet::testing::ReadAll(r.evidence_manifest));
  std::set<std::string> bodies;
  for (const auto& e : m["entries"]) {
    if (e["status"].get<long>() <= 0) continue;
    ASSERT_TRUE(e.contains("headers")) << e.dump();
    std::string block = e["headers"];
    EXPECT_EQ(block.rfind("HTTP/", 0), 0u) << block;
    EXPECT_NE(block.find("\r\nServer: nginx"), std::string::npos) << block;
    EXPECT_EQ(Sha256Hex(block), e["headers_sha256"]);
    for (const char* k : {"body_sha256", "raw_sha256"}) {
      if (!e[k].get<std::string>().empty()) bodies.insert(e[k].get<std::string>());
    }
  }
  size_t blobs = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir_.path() + "/objects")) {
    if (f.is_regular_file()) {
      ++blobs;
      EXPECT_EQ(bodies.count(f.path().filename().string()), 1u) << f.path();
    }
  }
  EXPECT_EQ(blobs, bodies.size());
}

TEST_F(CrawlTest, DepthAndPageLimitsAreRespectedAndRecorded) {
  CrawlOptions o = Options();
  o.depth = 0;
  SiteCrawler c(o, nullptr, "test");
  auto out = c.CrawlAll({Url("landing.test", "/final.html")});
  // Depth 0: the landing page and its iframe only.
  EXPECT_EQ(FindPage(out[0], "/a.html"), nullptr);
  EXPECT_NE(FindPage(out[0], "/frame.html"), nullptr);

  o = Options();
  o.max_pages = 3;
  SiteCrawler limited(o, nullptr, "test");
  out = limited.CrawlAll({Url("landing.test", "/final.html")});
  EXPECT_EQ(out[0].pages.size(), 3u);
  EXPECT_NE(std::find(out[0].result.limits_hit.begin(), out[0].result.limits_hit.end(), "max_pages"),
            out[0].result.limits_hit.end());
}

TEST_F(CrawlTest, HttpRedirectLoopEndsWithARecordedError) {
  SiteCrawler c(Options(), nullptr, "test");
  auto out = c.CrawlAll({Url("loop.test")});
  const auto& r = out[0].result;
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(std::find(r.limits_hit.begin(), r.limits_hit.end(), "redirect_loop"), r.limits_hit.end());
  EXPECT_LE(r.redirects.size(), 11u);
}

TEST_F(CrawlTest, MetaRefreshLoopEndsWithARecordedError) {
  SiteCrawler c(Options(), nullptr, "test");
  auto out = c.CrawlAll({Url("loop.test", "/meta")});
  const auto& r = out[0].result;
  EXPECT_NE(std::find(r.limits_hit.begin(), r.limits_hit.end(), "redirect_loop"), r.limits_hit.end());
  EXPECT_EQ(Vias(r), (std::vector<std::string>{"seed", "meta"}));
}

TEST_F(CrawlTest, ServerErrorsAreResultsNotFailures) {
  SiteCrawler c(Options(), nullptr, "test");
  auto out = c.CrawlAll({Url("errors.test", "/boom"), Url("errors.test", "/nope")});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].pages.at(0).status, 500);
  EXPECT_EQ(out[1].pages.at(0).status, 404);
  EXPECT_TRUE(out[0].reachable);
}

TEST_F(CrawlTest, GzipBodiesAreDecodedAndRawKept) {
  EvidenceStore ev(dir_.path());
  ASSERT_TRUE(ev.Init().ok());
  SiteCrawler c(Options(), &ev, "test");
  auto out = c.CrawlAll({Url("gz.test", "/index.html")});
  const auto& p = out[0].pages.at(0);
  ASSERT_TRUE(p.page.has_value());
  EXPECT_EQ(p.page->title, "Compressed shop");
  bool gzipped = false;
  for (const auto& h : out[0].hops) {
    for (const auto& [k, v] : h.headers) {
      if ((k == "Content-Encoding" || k == "content-encoding") && v == "gzip") gzipped = true;
    }
  }
  EXPECT_TRUE(gzipped) << "nginx did not compress; the test proves nothing";
}

TEST_F(CrawlTest, UnreachableSeedIsAResult) {
  CrawlOptions o = Options();
  o.resolve = {"*:" + std::to_string(dragnet::testing::FreePort()) + ":127.0.0.1"};
  SiteCrawler c(o, nullptr, "test");
  auto out = c.CrawlAll({"http://nowhere.test:1/"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].reachable);
  EXPECT_FALSE(out[0].result.errors.empty());
}

TEST_F(CrawlTest, SsrfGuardRefusesLoopbackSeedByDefault) {
  CrawlOptions o = Options();
  o.allow_private = false;
  SiteCrawler c(o, nullptr, "test");
  auto out = c.CrawlAll({Url("landing.test", "/final.html?ssrf-probe")});
  EXPECT_FALSE(out[0].reachable);
  ASSERT_FALSE(out[0].result.errors.empty());
  EXPECT_NE(out[0].result.errors[0].find("127.0.0.1"), std::string::npos) << out[0].result.errors[0];
  // Refused at connect time: the server never saw the request.
  EXPECT_EQ(nginx_->AccessLog().find("ssrf-probe"), std::string::npos);
}

// One kit deployed unchanged on four domains: with a shared page cache the
// repeated bodies are parsed once (a body is cached on its second sighting),
// and every seed's crawl, links resolved against its own host, is what it is
// without the cache.
TEST_F(CrawlTest, PageCacheParsesAKitOnceAndChangesNothing) {
  std::vector<std::string> seeds;
  for (int i = 1; i <= 4; ++i) seeds.push_back(Url("kit" + std::to_string(i) + ".test", "/final.html"));
  auto summarize = [](const CrawlOutcome& o) {
    std::vector<std::string> lines;
    for (const auto& p : o.pages) {
      std::string page = p.final_url + " " + p.body_sha256;
      if (p.page) {
        page += " title=" + p.page->title + " favicon=" + p.page->favicon;
        for (const auto& l : p.page->links) page += " link=" + l;
        for (const auto& f : p.page->iframes) page += " iframe=" + f;
        for (const auto& f : p.page->forms) page += " form=" + f.action;
      }
      lines.push_back(page);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  auto plain = SiteCrawler(Options(), nullptr, "test").CrawlAll(seeds);
  WorkPool pool(2);
  extractors::PageCache cache(8 << 20);
  // One seed after another, so which sighting is which is fixed.
  SiteCrawler crawler(Options(), nullptr, "test", &pool, &cache);
  std::vector<CrawlOutcome> cached;
  for (const auto& seed : seeds) cached.push_back(std::move(crawler.CrawlAll({seed}).front()));
  for (size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_EQ(summarize(cached[i]), summarize(plain[i])) << seeds[i];
    // Links point at the seed's own host, not at the kit's first home.
    const std::string host = "kit" + std::to_string(i + 1) + ".test";
    bool own_link = false;
    for (const auto& p : cached[i].pages) {
      if (!p.page) continue;
      for (const auto& l : p.page->links) own_link = own_link || l.find("//" + host + ":") != std::string::npos;
    }
    EXPECT_TRUE(own_link) << seeds[i];
  }
  // kit1: first sightings; kit2: cached; kit3 and kit4: served from the cache.
  auto st = cache.stats();
  size_t html_pages = 0;
  for (const auto& p : cached[0].pages) html_pages += p.page.has_value();
  ASSERT_GT(html_pages, 2u);
  EXPECT_EQ(st.hits, 2 * html_pages);
  EXPECT_EQ(st.inserts, html_pages);
}

TEST_F(CrawlTest, LandingPageFaviconIsFetchedStoredAndHashed) {
  EvidenceStore ev(dir_.path());
  ASSERT_TRUE(ev.Init().ok());
  CrawlOptions o = Options();
  o.depth = 0;
  SiteCrawler crawler(o, &ev, "test");
  auto out = crawler.CrawlAll({Url("icon.test")});
  ASSERT_EQ(out.size(), 1u);
  const SeedResult& r = out[0].result;
  ASSERT_TRUE(r.favicon.has_value()) << nlohmann::json(r).dump();
  std::ifstream in(std::string(DRAGNET_SOURCE_DIR) + "/tests/fixtures/sites/crawl/icon.test/img/brand.ico", std::ios::binary);
  std::string icon((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(icon.size(), 70u);
  EXPECT_EQ(r.favicon->url, Url("icon.test", "/img/brand.ico"));
  EXPECT_EQ(r.favicon->sha256, Sha256Hex(icon));
  EXPECT_EQ(r.favicon->mmh3, FaviconMmh3(icon));
  EXPECT_EQ(r.favicon->bytes, icon.size());
  // Not a page of the site, but evidence: its capture is in the manifest and its blob on disk.
  for (const auto& p : r.pages) EXPECT_EQ(p.url.find("brand.ico"), std::string::npos) << p.url;
  std::ifstream m(r.evidence_manifest);
  std::string manifest((std::istreambuf_iterator<char>(m)), std::istreambuf_iterator<char>());
  EXPECT_NE(manifest.find("\"favicon\""), std::string::npos);
  EXPECT_NE(manifest.find(r.favicon->sha256), std::string::npos);
  // In the JSON output.
  nlohmann::json j = r;
  EXPECT_EQ(j["favicon"]["mmh3"].get<int32_t>(), FaviconMmh3(icon));

  // A missing icon (nginx answers 404 with an HTML page): no favicon, no error.
  out = crawler.CrawlAll({Url("landing.test", "/final.html")});
  EXPECT_FALSE(out[0].result.favicon.has_value());
  // Switched off: not even asked for.
  o.fetch_favicon = false;
  SiteCrawler quiet(o, &ev, "test");
  out = quiet.CrawlAll({Url("icon.test")});
  EXPECT_FALSE(out[0].result.favicon.has_value());
}

TEST(LooksLikeHtmlTest, SniffsWhenTheTypeLies) {
  EXPECT_TRUE(LooksLikeHtml("text/html; charset=utf-8", ""));
  EXPECT_TRUE(LooksLikeHtml("", "  <!DOCTYPE html><html>"));
  EXPECT_TRUE(LooksLikeHtml("text/plain", "<html><body>x"));
  EXPECT_FALSE(LooksLikeHtml("image/png", "<html>"));
  EXPECT_FALSE(LooksLikeHtml("", "%PDF-1.4"));
}

// The pool (hashing, evidence and parsing off the loop) changes when work
// happens, never what is found: the same seeds crawled with and without it
// give the same pages, chains, errors and limits, and every seed is done
// exactly once.
TEST_F(CrawlTest, WorkPoolGivesTheSameCrawlAsTheLoopAlone) {
  std::vector<std::string> seeds = {Url("chain.test"), Url("loop.test"), Url("loop.test", "/meta"),
                                    Url("errors.test"), Url("gz.test"),  Url("frames.test"),
                                    "not a url", Url("landing.test", "/final.html")};
  auto summarize = [](const CrawlOutcome& o) {
    std::vector<std::string> lines;
    for (const auto& p : o.pages) {
      lines.push_back("page " + p.final_url + " " + std::to_string(p.status) + " " + p.body_sha256 + " " +
                      (p.page ? p.page->title : "-") + " " + p.via + " " + std::to_string(p.depth));
    }
    for (const auto& r : o.result.redirects) lines.push_back("hop " + r.url + " " + r.via);
    for (const auto& e : o.result.errors) lines.push_back("error " + e);
    for (const auto& l : o.result.limits_hit) lines.push_back("limit " + l);
    lines.push_back("final " + o.result.final_url);
    lines.push_back(std::string("reachable ") + (o.reachable ? "1" : "0"));
    std::sort(lines.begin(), lines.end());
    return lines;
  };

  TempDir alone_dir, pooled_dir;
  EvidenceStore alone_ev(alone_dir.path()), pooled_ev(pooled_dir.path());
  ASSERT_TRUE(alone_ev.Init().ok());
  ASSERT_TRUE(pooled_ev.Init().ok());
  auto alone = SiteCrawler(Options(), &alone_ev, "test").CrawlAll(seeds);

  WorkPool pool(3);
  SiteCrawler pooled(Options(), &pooled_ev, "test", &pool);
  std::mutex mu;
  std::vector<int> calls(seeds.size(), 0);
  std::vector<CrawlOutcome> got(seeds.size());
  pooled.CrawlEach(seeds, [&](size_t i, CrawlOutcome co) {
    std::lock_guard<std::mutex> lock(mu);
    calls[i]++;
    got[i] = std::move(co);
  });

  ASSERT_EQ(alone.size(), seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_EQ(calls[i], 1) << seeds[i];
    EXPECT_EQ(got[i].result.seed, seeds[i]);
    EXPECT_EQ(summarize(got[i]), summarize(alone[i])) << seeds[i];
  }
  EXPECT_FALSE(got[6].seed_valid);
  EXPECT_GE(got[0].pages.size(), 8u);
  auto rep = VerifyEvidence(pooled_dir.path());
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok());
  auto rep_alone = VerifyEvidence(alone_dir.path());
  ASSERT_TRUE(rep_alone.ok());
  EXPECT_EQ(rep->entries, rep_alone->entries);
}

// With a memory budget smaller than one page, a seed starts only once the
// one before it is done and released: seeds run strictly one after another,
// in input order, and still find the same (also with refused seeds between).
TEST_F(CrawlTest, HeldBytesBudgetAdmitsSeedsOneAtATime) {
  std::vector<std::string> seeds = {Url("chain.test"), "not a url", Url("frames.test"), Url("gz.test"),
                                    Url("errors.test"), "javascript:alert(1)", Url("landing.test", "/final.html")};
  for (int threads : {0, 2}) {
    WorkPool pool(threads);
    CrawlOptions o = Options();
    o.max_held_bytes = 1;
    SiteCrawler c(o, nullptr, "test", &pool);
    std::mutex mu;
    std::vector<size_t> order;
    std::vector<size_t> pages(seeds.size(), 0);
    c.CrawlEach(seeds, [&](size_t i, CrawlOutcome co) {
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(i);
      pages[i] = co.pages.size();
    });
    std::vector<size_t> want(seeds.size());
    for (size_t i = 0; i < want.size(); ++i) want[i] = i;
    EXPECT_EQ(order, want) << "threads=" << threads;
    auto unbounded = SiteCrawler(Options(), nullptr, "test").CrawlAll(seeds);
    for (size_t i = 0; i < seeds.size(); ++i) EXPECT_EQ(pages[i], unbounded[i].pages.size()) << seeds[i];
    EXPECT_GE(pages[0], 8u);
    EXPECT_EQ(pages[1], 0u);
  }
}

// ------------------------------------------------------- external scripts ---

const CrawledScript* FindScript(const CrawlOutcome& o, const std::string& suffix) {
  for (const auto& s : o.scripts) {
    if (s.url.size() >= suffix.size() && s.url.compare(s.url.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return &s;
    }
  }
  return nullptr;
}

TEST_F(CrawlTest, FetchesTheSitesAndOtherDomainsScriptsButNotCdnLibraries) {
  EvidenceStore ev(dir_.path());
  ASSERT_TRUE(ev.Init().ok());
  SiteCrawler c(Options(), &ev, "test");
  auto out = c.CrawlAll({Url("scripts.test")});
  ASSERT_EQ(out.size(), 1u);
  const CrawlOutcome& o = out[0];
  // app.js (referenced by both pages, fetched once), the other domain's
  // loader, the site's own jquery copy (after the rest), extra.js, and the
  // 404; never the library on the public CDN.
  ASSERT_EQ(o.scripts.size(), 5u);
  const CrawledScript* app = FindScript(o, "/js/app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->status, 200);
  EXPECT_EQ(app->page_url, Url("scripts.test"));
  EXPECT_NE(app->text.find("6001234567:AAG"), std::string::npos);
  EXPECT_FALSE(app->body_sha256.empty());
  const CrawledScript* loader = FindScript(o, "/loader.js");
  ASSERT_NE(loader, nullptr);
  EXPECT_NE(loader->text.find("collect.kit-panel.top"), std::string::npos);
  EXPECT_EQ(FindScript(o, "jquery-3.7.1.min.js"), nullptr);
  const CrawledScript* missing = FindScript(o, "/missing.js");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(missing->text.empty());
  // The site's code before a library-named file of its own.
  size_t at_app = 0, at_jquery = 0;
  for (size_t i = 0; i < o.scripts.size(); ++i) {
    if (&o.scripts[i] == app) at_app = i;
    if (o.scripts[i].url.find("/js/jquery.min.js") != std::string::npos) at_jquery = i;
  }
  EXPECT_LT(at_app, at_jquery);
  // Kept as evidence: manifest entries with via "script", their blobs on disk.
  std::string manifest = o.result.evidence_manifest;
  ASSERT_FALSE(manifest.empty());
  auto doc = nlohmann::json::parse(ReadFile(manifest).value());
  int script_entries = 0;
  for (const auto& e : doc["entries"]) {
    if (e.value("via", "") != "script") continue;
    ++script_entries;
    if (e.value("status", 0) == 200) {
      EXPECT_TRUE(std::filesystem::exists(ev.BlobPath(e["body_sha256"].get<std::string>())));
    }
  }
  EXPECT_EQ(script_entries, 5);
}

TEST_F(CrawlTest, ScriptLimitsAreNamedWhenHit) {
  CrawlOptions o = Options();
  o.max_scripts = 2;
  o.max_script_bytes = 10;
  SiteCrawler c(o, nullptr, "test");
  auto out = c.CrawlAll({Url("scripts.test")});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].scripts.size(), 2u);
  const auto& lim = out[0].result.limits_hit;
  EXPECT_NE(std::find(lim.begin(), lim.end(), "max_scripts"), lim.end());
  EXPECT_NE(std::find(lim.begin(), lim.end(), "max_script_bytes"), lim.end());
  for (const auto& s : out[0].scripts) EXPECT_LE(s.text.size(), 10u);

  CrawlOptions total = Options();
  total.max_scripts_total_bytes = 20;
  auto out2 = SiteCrawler(total, nullptr, "test").CrawlAll({Url("scripts.test")});
  size_t kept = 0;
  for (const auto& s : out2[0].scripts) kept += s.text.size();
  EXPECT_LE(kept, 20u);
  const auto& lim2 = out2[0].result.limits_hit;
  EXPECT_NE(std::find(lim2.begin(), lim2.end(), "max_scripts_total_bytes"), lim2.end());

  CrawlOptions off = Options();
  off.fetch_scripts = false;
  auto out3 = SiteCrawler(off, nullptr, "test").CrawlAll({Url("scripts.test")});
  EXPECT_TRUE(out3[0].scripts.empty());
}

TEST(ScriptFetch, WhichScriptsAreWorthAFetch) {
  CrawlOptions o;
  ScriptFetch f(o, nullptr);
  EXPECT_TRUE(f.WorthFetching("https://site.top/js/app.js", "site.top"));
  EXPECT_TRUE(f.WorthFetching("https://cdn-kit.xyz/x.js", "site.top"));
  EXPECT_TRUE(f.WorthFetching("https://cdn.jsdelivr.net/gh/kitdev/panel@main/loader.js", "site.top"));
  EXPECT_FALSE(f.WorthFetching("https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js", "site.top"));
  EXPECT_FALSE(f.WorthFetching("https://cdnjs.cloudflare.com/ajax/libs/vue/3.4.0/vue.global.prod.min.js", "site.top"));
  EXPECT_FALSE(f.WorthFetching("https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9", "site.top"));
  EXPECT_FALSE(f.WorthFetching("https://www.google.com/recaptcha/api.js", "site.top"));
  EXPECT_FALSE(f.WorthFetching("javascript:void(0)", "site.top"));
}

}  // namespace
}  // namespace dragnet::crawler
