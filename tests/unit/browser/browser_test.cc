// Browser capture against a real nginx and a real headless Chromium: every
// request of the page made by Dragnet's fetcher, the guard's refusals
// honoured, the limits hit and recorded, hung pages killed without leaks.
// Kept few and focused: each test costs one or two browser captures.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "crawler/browser/chromium.h"
#include "crawler/browser/pool.h"
#include "crawler/evidence.h"
#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet::crawler::browser {
namespace {

using dragnet::testing::NginxServer;
using dragnet::testing::TempDir;

const char* kSites = R"(
  map $http_user_agent $cloak_page {
    ~*(android|iphone|mobile) /scam.html;
    default /benign.html;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name delayed.test many.test storm.test hang.test;
    root {{FIXTURES}}/sites/browser/$host;
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name cloak.test;
    root {{FIXTURES}}/sites/browser/cloak.test;
    location = / { try_files $cloak_page =404; }
  }
  server {
    listen 127.0.0.1:{{PORT}}; server_name ssrf.test;
    root {{FIXTURES}}/sites/browser/ssrf.test;
    location = / {
      default_type text/html;
      return 200 '<!doctype html><html><head><title>Tracker page</title></head><body><h1>Hello</h1>
        <img src="http://169.254.169.254/latest/meta-data/iam.png">
        <img src="http://127.0.0.1:{{TLS_PORT}}/secret.png">
        <img src="/ok.png">
        <script>try { new WebSocket("ws://ssrf.test:{{PORT}}/socket"); } catch (e) {}</script>
        </body></html>';
    }
  }
  # An "internal" service on another loopback port: the guard must keep
  # the browser away from it.
  server {
    listen 127.0.0.1:{{TLS_PORT}}; server_name _;
    location / { return 200 'internal secret'; }
  }
)";

class BrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { nginx_ = new NginxServer(kSites); }
  static void TearDownTestSuite() {
    delete nginx_;
    nginx_ = nullptr;
  }

  // The guard stays ON: only nginx's own port is let through (a test
  // seam); every name resolves to 127.0.0.1 as in the crawl tests.
  CrawlOptions Crawl() {
    CrawlOptions o;
    o.resolve = {"*:" + std::to_string(nginx_->port()) + ":127.0.0.1"};
    o.total_timeout_ms = 10'000;
    return o;
  }
  FetcherTestOptions Test() {
    FetcherTestOptions t;
    t.guard_allow = {"127.0.0.1:" + std::to_string(nginx_->port())};
    return t;
  }
  BrowserOptions Options(std::vector<std::string> profiles = {"desktop"}) {
    BrowserOptions o;
    o.enabled = "true";
    o.pool_size = 1;
    o.page_timeout_ms = 15'000;
    o.settle_ms = 1'500;
    o.profiles = std::move(profiles);
    return o;
  }
  std::string Url(const std::string& host, const std::string& path = "/") {
    return "http://" + host + ":" + std::to_string(nginx_->port()) + path;
  }
  static bool Has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  static NginxServer* nginx_;
  TempDir dir_;
};

NginxServer* BrowserTest::nginx_ = nullptr;

TEST_F(BrowserTest, ChromiumIsInstalled) {
  // scripts/setup installs it; every other test here needs it.
  auto exe = FindChromium("");
  ASSERT_TRUE(exe.ok()) << exe.status().message();
}

TEST_F(BrowserTest, PageBuiltByJavaScriptIsRenderedScreenshottedAndStoredAsVerifiableEvidence) {
  EvidenceStore ev(dir_.path());
  ASSERT_TRUE(ev.Init().ok());
  ManifestWriter manifest(&ev, Url("delayed.test"), "test");
  BrowserPool pool(Options(), Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("delayed.test"), &ev, &manifest);
  ASSERT_EQ(caps.size(), 1u);
  const CaptureOutcome& c = caps[0];
  EXPECT_EQ(c.capture.error, "");
  EXPECT_EQ(c.capture.status, 200);
  EXPECT_EQ(c.capture.title, "Nordbank – Verify your account");
  // The DOM as rendered holds what the script built after its delay.
  EXPECT_NE(c.dom.find("account-verify@secure-bank-helpdesk.com"), std::string::npos) << c.dom;
  EXPECT_NE(c.dom.find("type=\"password\""), std::string::npos);
  // The screenshot is a PNG in the evidence store.
  ASSERT_FALSE(c.capture.screenshot_sha256.empty());
  std::string png = dragnet::testing::ReadAll(ev.BlobPath(c.capture.screenshot_sha256));
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(c.screenshot_path, ev.BlobPath(c.capture.screenshot_sha256));
  // Every request was made by the fetcher and recorded.
  ASSERT_FALSE(c.capture.requests.empty());
  EXPECT_EQ(c.capture.requests[0].url, Url("delayed.test"));
  EXPECT_EQ(c.capture.requests[0].status, 200);
  // Both blobs are chained into the manifest and verify.
  auto path = manifest.Write();
  ASSERT_TRUE(path.ok()) << path.status().message();
  auto m = nlohmann::json::parse(dragnet::testing::ReadAll(*path));
  std::vector<std::string> vias;
  for (const auto& e : m["entries"]) vias.push_back(e["via"]);
  EXPECT_TRUE(Has(vias, "browser:desktop"));
  EXPECT_TRUE(Has(vias, "screenshot:desktop"));
  EXPECT_TRUE(Has(vias, "render:desktop"));
  auto rep = VerifyEvidence(dir_.path());
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << (rep->problems.empty() ? "" : rep->problems[0]);
  // Tampering with the screenshot is caught.
  std::filesystem::permissions(ev.BlobPath(c.capture.screenshot_sha256), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  dragnet::testing::WriteAll(ev.BlobPath(c.capture.screenshot_sha256), "not the screenshot");
  rep = VerifyEvidence(dir_.path());
  ASSERT_TRUE(rep.ok());
  EXPECT_FALSE(rep->ok());
}

TEST_F(BrowserTest, EachProfileSeesWhatItsUserAgentIsServed) {
  BrowserPool pool(Options({"desktop", "mobile"}), Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("cloak.test"), nullptr, nullptr);
  ASSERT_EQ(caps.size(), 2u);
  EXPECT_EQ(caps[0].capture.profile, "desktop");
  EXPECT_EQ(caps[0].capture.title, "Garden tips");
  EXPECT_EQ(caps[1].capture.profile, "mobile");
  EXPECT_EQ(caps[1].capture.title, "PostNord – customs fee due");
  EXPECT_NE(caps[1].capture.user_agent.find("Mobile"), std::string::npos);
  // Neither waited for the page timeout (the load event was seen).
  EXPECT_TRUE(caps[0].capture.limits_hit.empty());
  EXPECT_TRUE(caps[1].capture.limits_hit.empty());
  // Both captures ran on one browser, each in its own context.
  EXPECT_EQ(pool.stats().launches, 1);
  // Chromium's own background traffic: none reached even the sinkhole.
  EXPECT_EQ(pool.stats().leaked, 0);
}

TEST_F(BrowserTest, SubresourcesOnRefusedAddressesAreNeverFetchedAndNothingEscapesInterception) {
  BrowserPool pool(Options(), Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("ssrf.test"), nullptr, nullptr);
  ASSERT_EQ(caps.size(), 1u);
  const BrowserCapture& c = caps[0].capture;
  EXPECT_EQ(c.title, "Tracker page");
  auto find = [&](const std::string& needle) -> const BrowserRequest* {
    for (const auto& r : c.requests) {
      if (r.url.find(needle) != std::string::npos) return &r;
    }
    return nullptr;
  };
  const BrowserRequest* meta = find("169.254.169.254");
  const BrowserRequest* secret = find("/secret.png");
  const BrowserRequest* ok = find("/ok.png");
  ASSERT_NE(meta, nullptr);
  ASSERT_NE(secret, nullptr);
  ASSERT_NE(ok, nullptr);
  EXPECT_TRUE(meta->blocked);
  EXPECT_EQ(meta->reason, "refused");
  EXPECT_TRUE(secret->blocked);
  EXPECT_EQ(secret->reason, "refused");
  EXPECT_FALSE(ok->blocked);
  EXPECT_EQ(ok->status, 200);
  EXPECT_GE(c.blocked_requests, 2);
  // The internal service never saw a request; the WebSocket, which the
  // Fetch domain cannot intercept, reached nothing.
  std::string log = nginx_->AccessLog();
  EXPECT_EQ(log.find("/secret.png"), std::string::npos) << log;
  EXPECT_EQ(log.find("/socket"), std::string::npos) << log;
  EXPECT_NE(log.find("/ok.png"), std::string::npos) << log;
  // Chromium's own network stack (the WebSocket, its background services)
  // reached nothing, not even the sinkhole: no name resolves, the proxy's
  // included.
  EXPECT_EQ(pool.stats().leaked, 0);
}

TEST_F(BrowserTest, EveryCaptureLimitIsHitAndRecorded) {
  BrowserOptions o = Options();
  o.max_bytes = 600;                // the page (~350 B) and a few 70 B pixels
  o.max_dom_bytes = 1024;           // 1,000 <img> tags are ~30 KB of DOM
  o.max_screenshot_height = 100;    // below the 768 px viewport
  o.recycle_after = 1;
  BrowserPool pool(o, Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("many.test"), nullptr, nullptr);
  const BrowserCapture& c = caps[0].capture;
  EXPECT_TRUE(Has(c.limits_hit, "max_bytes")) << c.error;
  EXPECT_TRUE(Has(c.limits_hit, "max_dom_bytes"));
  EXPECT_TRUE(Has(c.limits_hit, "screenshot_height"));
  EXPECT_EQ(caps[0].dom.size(), 1024u);
  int over_bytes = 0;
  for (const auto& r : c.requests) over_bytes += r.reason == "max_bytes";
  EXPECT_GT(over_bytes, 0);
  EXPECT_EQ(pool.stats().recycled, 1) << c.error;  // recycle_after = 1
  EXPECT_TRUE(pool.LivePids().empty());

  // A browser above memory_bytes (its minimum, 64 MiB: any Chromium is
  // bigger) is stopped and killed.
  o = Options();
  o.memory_bytes = 64LL << 20;
  BrowserPool small(o, Crawl(), Test());
  caps = small.CaptureProfiles(Url("many.test"), nullptr, nullptr);
  EXPECT_TRUE(Has(caps[0].capture.limits_hit, "renderer_memory")) << caps[0].capture.error;
  EXPECT_TRUE(caps[0].browser_broken);
  EXPECT_EQ(small.stats().killed, 1);
  EXPECT_TRUE(small.LivePids().empty());
}

TEST_F(BrowserTest, ThousandRequestsAreCappedAndCounted) {
  BrowserOptions o = Options();
  o.max_requests = 40;
  BrowserPool pool(o, Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("many.test"), nullptr, nullptr);
  const BrowserCapture& c = caps[0].capture;
  EXPECT_TRUE(Has(c.limits_hit, "max_requests"));
  int served = 0;
  for (const auto& r : c.requests) served += !r.blocked;
  EXPECT_EQ(served, 40);
  EXPECT_GE(c.blocked_requests, 900);
  EXPECT_LE(c.requests.size(), 40 + kMaxBlockedRecords);
  EXPECT_FALSE(c.screenshot_sha256.empty());
}

TEST_F(BrowserTest, DialogPopupAndDownloadStormEndsWithASnapshot) {
  BrowserPool pool(Options(), Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("storm.test"), nullptr, nullptr);
  const BrowserCapture& c = caps[0].capture;
  EXPECT_EQ(c.title, "Storm");
  EXPECT_FALSE(c.screenshot_sha256.empty()) << c.error;
  EXPECT_FALSE(Has(c.limits_hit, "page_timeout")) << c.error;
  EXPECT_EQ(pool.stats().killed, 0);
}

TEST_F(BrowserTest, PageThatNeverFinishesIsTimedOutAndItsBrowserKilledWithoutLeaks) {
  BrowserOptions o = Options();
  o.page_timeout_ms = 3'000;
  BrowserPool pool(o, Crawl(), Test());
  auto caps = pool.CaptureProfiles(Url("hang.test"), nullptr, nullptr);
  const BrowserCapture& c = caps[0].capture;
  EXPECT_TRUE(Has(c.limits_hit, "page_timeout"));
  EXPECT_NE(c.error.find("timeout"), std::string::npos) << c.error;
  EXPECT_TRUE(caps[0].browser_broken);
  EXPECT_EQ(pool.stats().killed, 1);
  // Nothing of that browser is left running.
  EXPECT_TRUE(pool.LivePids().empty());
  // And the pool goes on: the next capture starts a fresh browser.
  auto next = pool.CaptureProfiles(Url("delayed.test"), nullptr, nullptr);
  EXPECT_FALSE(next[0].browser_broken) << next[0].capture.error;
  EXPECT_FALSE(next[0].capture.screenshot_sha256.empty()) << next[0].capture.error;
  EXPECT_EQ(pool.stats().launches, 2);
}

TEST_F(BrowserTest, KilledBrowserLeavesNoProcessOrProfileFolder) {
  auto exe = FindChromium("");
  ASSERT_TRUE(exe.ok());
  auto b = Browser::Launch(*exe, Options());
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::vector<pid_t> pids = (*b)->TreePids();
  std::string profile = (*b)->profile_dir();
  EXPECT_GE(pids.size(), 2u);  // the browser and at least one helper process
  EXPECT_TRUE(std::filesystem::exists(profile));
  (*b)->Kill();
  for (pid_t p : pids) {
    // Killed and reaped (Dragnet is the helpers' subreaper): not even a zombie.
    EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(p))) << p;
  }
  EXPECT_FALSE(std::filesystem::exists(profile));
  EXPECT_EQ((*b)->leaked_connections(), 0);
}

}  // namespace
}  // namespace dragnet::crawler::browser
