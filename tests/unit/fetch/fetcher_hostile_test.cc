// The fetcher against tests/harness/hostile_server.py, with the SSRF guard
// ON: the server at 127.0.0.1:P is reached only through the test-only
// allow list of exact ip:port pairs, so a redirect from it to any other
// internal address is refused exactly as in production.
//
// Every hostile endpoint must end within its (small) limit with the right
// error_kind / limits_hit, and bodies never exceed their caps. Durations
// are only checked against generous upper bounds that catch hangs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "core/url.h"
#include "crawler/fetcher.h"
#include "tests/harness/hostile.h"

namespace dragnet::crawler {
namespace {

using dragnet::testing::HostileServer;

// A hostile endpoint that has not ended after this long means a limit did
// not work (each test's own limits are a few seconds).
constexpr int64_t kHangMs = 30'000;

int64_t Mono() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Header(const Hop& hop, const std::string& name) {
  for (const auto& [k, v] : hop.headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return v;
    }
  }
  return {};
}

class FetcherHostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new HostileServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    // Small limits so every hostile endpoint ends in a few seconds.
    opts_.allow_private = false;
    opts_.total_timeout_ms = 6000;
    opts_.connect_timeout_ms = 1500;
    opts_.low_speed_bytes = 100;
    opts_.low_speed_time_ms = 2000;
    opts_.max_body_bytes = 1 << 20;
    opts_.max_decoded_bytes = 2 << 20;
    opts_.max_header_bytes = 32 << 10;
    opts_.max_redirects = 5;
    test_.guard_allow = {server_->Address()};
  }

  FetchResult Fetch(FetchRequest req) {
    Fetcher f(opts_, test_);
    FetchResult out;
    int calls = 0;
    f.Add(std::move(req), [&](FetchResult r) {
      out = std::move(r);
      ++calls;
    });
    int64_t start = Mono();
    f.Run();
    elapsed_ms_ = Mono() - start;
    EXPECT_EQ(calls, 1);
    EXPECT_LT(elapsed_ms_, kHangMs) << "a limit did not stop " << out.final_url;
    stats_ = f.stats();
    if (std::getenv("DRAGNET_TEST_VERBOSE")) {
      std::fprintf(stderr, "%s -> %ld [%s] %s\n", out.hops.empty() ? "" : out.hops[0].url.c_str(),
                   out.status, out.error_kind.c_str(), out.error.c_str());
    }
    return out;
  }
  FetchResult Fetch(const std::string& path) {
    FetchRequest r;
    r.url = server_->Url(path);
    return Fetch(std::move(r));
  }

  static HostileServer* server_;
  CrawlOptions opts_;
  FetcherTestOptions test_;
  FetcherStats stats_;
  int64_t elapsed_ms_ = 0;
};

HostileServer* FetcherHostile::server_ = nullptr;

// ------------------------------------------------------------ baseline ---

TEST_F(FetcherHostile, PlainPageRecordsTheHop) {
  FetchResult r = Fetch("/ok");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.final_url, server_->Url("/ok"));
  EXPECT_NE(r.body.find("<title>ok</title>"), std::string::npos);
  EXPECT_EQ(r.body, r.raw_body);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  ASSERT_EQ(r.hops.size(), 1u);
  const Hop& h = r.hops[0];
  EXPECT_EQ(h.url, server_->Url("/ok"));
  EXPECT_EQ(h.via, "seed");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.ip, "127.0.0.1");
  EXPECT_EQ(h.port, server_->port());
  EXPECT_EQ(h.http_version, "1.1");
  EXPECT_EQ(Header(h, "Connection"), "close");
  EXPECT_GT(h.total_ms, 0);
  EXPECT_GE(h.total_ms, h.ttfb_ms);
  EXPECT_FALSE(h.tls.present);
  EXPECT_TRUE(r.limits_hit.empty());
  EXPECT_GE(r.finished_unix_ms, r.started_unix_ms);
  EXPECT_EQ(stats_.requests, 1u);
  EXPECT_EQ(stats_.responses, 1u);
  EXPECT_EQ(stats_.errors, 0u);
  EXPECT_GT(stats_.bytes_received, 0u);
}

TEST_F(FetcherHostile, AsksForCompressionItselfAndSendsItsUserAgent) {
  opts_.user_agent = "DragnetTest/1.0";
  FetchResult r = Fetch("/echo");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_NE(r.body.find("Accept-Encoding: gzip, deflate, br"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("User-Agent: DragnetTest/1.0"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Host: 127.0.0.1:" + std::to_string(server_->port())), std::string::npos);
}

TEST_F(FetcherHostile, SendsTheRequestsOwnMethodBodyAndHeaders) {
  FetchRequest req;
  req.url = server_->Url("/echo");
  req.method = "post";
  req.body = std::string("{\"a\":1}\0tail", 12);
  req.headers = {"Content-Type: application/json", "Accept: application/rdap+json",
                 "Authorization: Bearer t0ken", "X-Bad: a\r\nInjected: yes"};
  FetchResult r = Fetch(std::move(req));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body.rfind("POST /echo HTTP/1.1", 0), 0u) << r.body;
  EXPECT_NE(r.body.find("Content-Type: application/json"), std::string::npos);
  EXPECT_NE(r.body.find("Accept: application/rdap+json"), std::string::npos);
  EXPECT_EQ(r.body.find("Accept: text/html"), std::string::npos) << "a named header replaces the default";
  EXPECT_NE(r.body.find("Accept-Encoding: gzip, deflate, br"), std::string::npos) << "other defaults stay";
  EXPECT_EQ(r.body.find("Injected"), std::string::npos) << "a header with CR/LF is dropped";
  EXPECT_NE(r.body.find(std::string("\r\n\r\n{\"a\":1}\0tail", 16)), std::string::npos)
      << "the body arrives byte for byte";
}

TEST_F(FetcherHostile, A303TurnsAPostIntoAGetAndCredentialsStayWithTheirHost) {
  // 127.0.0.1 -> localhost is another host name: the Authorization header
  // must not follow the redirect there.
  test_.guard_allow.push_back("[::1]:" + std::to_string(server_->port()));
  opts_.resolve = {"localhost:" + std::to_string(server_->port()) + ":127.0.0.1"};
  FetchRequest req;
  req.url = server_->Url("/redirect?code=303&to=") +
            "http%3A%2F%2Flocalhost%3A" + std::to_string(server_->port()) + "%2Fecho";
  req.method = "POST";
  req.body = "x=1";
  req.headers = {"Authorization: Bearer secret"};
  FetchResult r = Fetch(std::move(req));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.body.rfind("GET /echo HTTP/1.1", 0), 0u) << r.body;
  EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("x=1"), std::string::npos) << r.body;
}

TEST_F(FetcherHostile, EachContentEncodingIsDecodedAndTheWireBytesKept) {
  std::string page = dragnet::testing::ReadAll(dragnet::testing::Fixture("fetch/site/index.html"));
  ASSERT_FALSE(page.empty());
  for (const char* kind : {"gzip", "deflate-zlib", "deflate-raw", "br", "gzip-br"}) {
    FetchResult r = Fetch(std::string("/enc/") + kind);
    ASSERT_TRUE(r.ok()) << kind << ": " << r.error;
    EXPECT_EQ(r.body, page) << kind;
    EXPECT_NE(r.raw_body, page) << kind << ": raw_body must be the encoded bytes";
    EXPECT_LT(r.raw_body.size(), page.size()) << kind;
    EXPECT_FALSE(r.content_encoding.empty()) << kind;
    EXPECT_TRUE(r.decode_error.empty()) << kind << ": " << r.decode_error;
  }
}

TEST_F(FetcherHostile, BrokenGzipIsADecodeErrorNotAFetchError) {
  FetchResult r = Fetch("/enc/gzip-truncated");
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.decode_error.find("truncated gzip"), std::string::npos) << r.decode_error;
  EXPECT_FALSE(r.raw_body.empty());
}

TEST_F(FetcherHostile, ErrorStatusesAreResponsesNotErrors) {
  for (int code : {404, 500, 503}) {
    FetchResult r = Fetch("/status/" + std::to_string(code));
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.status, code);
    EXPECT_NE(r.body.find("status " + std::to_string(code)), std::string::npos);
  }
}

// ---------------------------------------------------------- SSRF guard ---

TEST_F(FetcherHostile, SeedOnLoopbackIsRefusedWithTheGuardOnAndNoAllowList) {
  test_.guard_allow.clear();
  auto requests_seen = [] {
    auto s = nlohmann::json::parse(server_->Get("/stats"));
    return s["requests"].value(server_->Address(), 0);
  };
  int before = requests_seen();
  FetchResult r = Fetch("/ok");
  EXPECT_EQ(r.error_kind, "refused");
  EXPECT_NE(r.error.find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos)
      << r.error;
  EXPECT_NE(r.error.find("127.0.0.0/8"), std::string::npos) << r.error;
  EXPECT_EQ(r.status, 0);
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_EQ(r.hops[0].error_kind, "refused");
  EXPECT_EQ(r.hops[0].ip, "127.0.0.1");
  EXPECT_EQ(stats_.refused, 1u);
  // Refused before connect(): the server saw nothing.
  EXPECT_EQ(requests_seen(), before);
}

TEST_F(FetcherHostile, AllowPrivateLiftsTheGuard) {
  test_.guard_allow.clear();
  opts_.allow_private = true;
  FetchResult r = Fetch("/ok");
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
}

TEST_F(FetcherHostile, NamePinnedToMetadataAddressIsRefusedAtConnectTime) {
  // The name resolves (pinned, like a rebinding DNS answer) to the cloud
  // metadata address; the guard refuses the socket before any packet.
  opts_.resolve = {"metadata.example:80:169.254.169.254"};
  FetchRequest req;
  req.url = "http://metadata.example/latest/meta-data/";
  FetchResult r = Fetch(req);
  EXPECT_EQ(r.error_kind, "refused");
  EXPECT_NE(r.error.find("169.254.169.254:80"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("169.254.0.0/16"), std::string::npos) << r.error;
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_EQ(r.hops[0].ip, "169.254.169.254");
  EXPECT_EQ(r.hops[0].port, 80);
}

TEST_F(FetcherHostile, RedirectToMetadataIsRefused) {
  FetchResult r = Fetch("/redirect-metadata");
  EXPECT_EQ(r.error_kind, "refused");
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.hops[0].status, 302);
  EXPECT_EQ(r.hops[1].url, "http://169.254.169.254/latest/meta-data/");
  EXPECT_EQ(r.hops[1].via, "http");
  EXPECT_EQ(r.hops[1].status, 0);
  EXPECT_EQ(r.hops[1].error_kind, "refused");
  EXPECT_NE(r.error.find("169.254.169.254:80"), std::string::npos) << r.error;
  EXPECT_EQ(r.final_url, "http://169.254.169.254/latest/meta-data/");
}

TEST_F(FetcherHostile, RedirectToAnotherLoopbackPortIsRefused) {
  int other = dragnet::testing::FreePort();
  std::string target = "http://127.0.0.1:" + std::to_string(other) + "/admin";
  FetchResult r = Fetch("/redirect?to=" + target);
  EXPECT_EQ(r.error_kind, "refused") << r.error;
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.hops[1].url, target);
  EXPECT_NE(r.error.find("127.0.0.1:" + std::to_string(other)), std::string::npos) << r.error;
}

TEST_F(FetcherHostile, RedirectToDisguisedInternalAddressesIsRefused) {
  std::string p = std::to_string(dragnet::testing::FreePort());
  struct {
    std::string to;
    std::string range;
  } cases[] = {
      {"http://[::ffff:127.0.0.1]:" + p + "/", "::ffff:0:0/96 embedding 127.0.0.0/8"},
      {"http://[::1]:" + p + "/", "::1/128"},
      {"http://0.0.0.0:" + p + "/", "0.0.0.0/32"},
      {"http://2130706433:" + p + "/", "127.0.0.0/8"},   // decimal 127.0.0.1
      {"http://0x7f.1:" + p + "/", "127.0.0.0/8"},        // hex/short form
      {"http://10.0.0.1:" + p + "/", "10.0.0.0/8"},
      {"http://100.64.0.1:" + p + "/", "100.64.0.0/10"},
      {"http://[fd00::1]:" + p + "/", "fc00::/7"},
  };
  // No packet can leave: each address is refused before socket().
  opts_.connect_timeout_ms = 1000;
  for (const auto& c : cases) {
    FetchResult r = Fetch("/redirect?to=" + c.to);
    EXPECT_EQ(r.error_kind, "refused") << c.to << ": " << r.error;
    EXPECT_NE(r.error.find(c.range), std::string::npos) << c.to << ": " << r.error;
  }
}

TEST_F(FetcherHostile, RedirectToAnInternalNameIsRefused) {
  // A name the attacker controls, answering with an internal address.
  opts_.resolve = {"intranet.example:8080:192.168.1.10"};
  FetchResult r = Fetch("/redirect?to=http://intranet.example:8080/");
  EXPECT_EQ(r.error_kind, "refused") << r.error;
  EXPECT_NE(r.error.find("192.168.0.0/16"), std::string::npos) << r.error;
}

// -------------------------------------------------------------- schemes ---

TEST_F(FetcherHostile, NonHttpSeedIsRefusedAsScheme) {
  for (const char* url : {"ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/"}) {
    FetchRequest req;
    req.url = url;
    FetchResult r = Fetch(req);
    EXPECT_EQ(r.error_kind, "scheme") << url << ": " << r.error;
    ASSERT_EQ(r.hops.size(), 1u);
    EXPECT_EQ(r.hops[0].error_kind, "scheme");
  }
  FetchRequest bad;
  bad.url = "not a url at all";
  EXPECT_EQ(Fetch(bad).error_kind, "url");
}

TEST_F(FetcherHostile, RedirectToNonHttpSchemeIsRefused) {
  for (const char* to : {"file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/_x",
                         "dict://127.0.0.1:11211/stat"}) {
    FetchResult r = Fetch(std::string("/redirect?to=") + to);
    EXPECT_EQ(r.error_kind, "scheme") << to << ": " << r.error;
    ASSERT_EQ(r.hops.size(), 2u) << to;
    EXPECT_EQ(r.hops[0].status, 302);
    EXPECT_EQ(r.hops[1].url, to);
    EXPECT_EQ(r.hops[1].error_kind, "scheme");
    EXPECT_EQ(r.status, 302);
  }
}

// ------------------------------------------------------------ redirects ---

TEST_F(FetcherHostile, RedirectChainRecordsEveryHop) {
  FetchResult r = Fetch("/chain/3");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.hops.size(), 4u);
  EXPECT_EQ(r.redirects_followed, 3);
  EXPECT_EQ(r.final_url, server_->Url("/chain/0"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("end of chain"), std::string::npos);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.hops[i].status, 301);
    EXPECT_EQ(r.hops[i].url, server_->Url("/chain/" + std::to_string(3 - i)));
    EXPECT_EQ(Header(r.hops[i], "Location"), "/chain/" + std::to_string(2 - i));
  }
  EXPECT_EQ(r.hops[0].via, "seed");
  EXPECT_EQ(r.hops[1].via, "http");
  EXPECT_EQ(r.hops[3].via, "http");
}

TEST_F(FetcherHostile, RedirectLoopIsDetected) {
  FetchResult r = Fetch("/loop/a");
  EXPECT_EQ(r.error_kind, "redirect_loop") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "redirect_loop"));
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.status, 302);
  EXPECT_NE(r.error.find("/loop/a"), std::string::npos) << r.error;
}

TEST_F(FetcherHostile, TooManyRedirectsStopsAtMaxRedirects) {
  opts_.max_redirects = 5;
  FetchResult r = Fetch("/chain/20");
  EXPECT_EQ(r.error_kind, "too_many_redirects") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_redirects"));
  EXPECT_EQ(r.hops.size(), 6u);  // the seed + 5 followed
  EXPECT_EQ(r.redirects_followed, 5);
  EXPECT_EQ(r.status, 301);
}

TEST_F(FetcherHostile, RedirectBudgetAndSeenComeFromTheRequest) {
  FetchRequest req;
  req.url = server_->Url("/chain/3");
  req.redirect_budget = 1;
  FetchResult r = Fetch(req);
  EXPECT_EQ(r.error_kind, "too_many_redirects");
  EXPECT_EQ(r.hops.size(), 2u);

  // A meta/js hop earlier in the chain already visited /chain/1.
  FetchRequest seen;
  seen.url = server_->Url("/chain/3");
  seen.via = "meta";
  seen.seen = {server_->Url("/chain/1")};
  r = Fetch(seen);
  EXPECT_EQ(r.error_kind, "redirect_loop");
  EXPECT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.hops[0].via, "meta");
}

TEST_F(FetcherHostile, RedirectsNotFollowedWhenAsked) {
  FetchRequest req;
  req.url = server_->Url("/chain/2");
  req.follow_redirects = false;
  FetchResult r = Fetch(req);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.hops.size(), 1u);
}

TEST_F(FetcherHostile, CookiesSetAlongTheChainAreSentOn) {
  FetchResult r = Fetch("/set-cookie");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "cookie ok");
}

// --------------------------------------------------------- time limits ---

TEST_F(FetcherHostile, SlowDripIsCutOffByTheLowSpeedLimit) {
  FetchResult r = Fetch("/drip");
  EXPECT_EQ(r.error_kind, "low_speed") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "low_speed"));
  EXPECT_EQ(r.status, 200);            // the headers had arrived
  EXPECT_LT(r.raw_body.size(), 100u);  // a few drips
}

TEST_F(FetcherHostile, HeaderDripIsCutOffByTheLowSpeedLimit) {
  FetchResult r = Fetch("/drip-headers");
  EXPECT_EQ(r.error_kind, "low_speed") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "low_speed"));
}

TEST_F(FetcherHostile, SilentServerIsCutOffByTheLowSpeedLimit) {
  FetchResult r = Fetch("/silent");
  EXPECT_EQ(r.error_kind, "low_speed") << r.error;
  EXPECT_EQ(r.status, 0);
}

TEST_F(FetcherHostile, SilentServerHitsTheTotalTimeoutWithoutALowSpeedLimit) {
  opts_.low_speed_bytes = 0;  // off
  opts_.total_timeout_ms = 2000;
  FetchResult r = Fetch("/silent");
  EXPECT_EQ(r.error_kind, "timeout") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "total_timeout"));
  EXPECT_FALSE(Has(r.limits_hit, "connect_timeout"));
}

TEST_F(FetcherHostile, UnansweredConnectHitsTheConnectTimeout) {
  test_.guard_allow.push_back("127.0.0.1:" + std::to_string(server_->blackhole_port()));
  opts_.connect_timeout_ms = 1000;
  FetchRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(server_->blackhole_port()) + "/";
  FetchResult r = Fetch(req);
  EXPECT_EQ(r.error_kind, "timeout") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "connect_timeout")) << r.error;
}

TEST_F(FetcherHostile, ClosedPortIsAConnectError) {
  int closed = dragnet::testing::FreePort();
  test_.guard_allow.push_back("127.0.0.1:" + std::to_string(closed));
  FetchRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(closed) + "/";
  FetchResult r = Fetch(req);
  EXPECT_EQ(r.error_kind, "connect") << r.error;
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.ok());
}

// --------------------------------------------------------- size limits ---

TEST_F(FetcherHostile, EndlessBodyStopsAtMaxBodyBytes) {
  for (const char* path : {"/endless", "/endless-chunked"}) {
    FetchResult r = Fetch(path);
    EXPECT_EQ(r.error_kind, "too_large") << path << ": " << r.error;
    EXPECT_TRUE(Has(r.limits_hit, "max_body_bytes")) << path;
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.raw_body.size(), static_cast<size_t>(opts_.max_body_bytes)) << path;
    EXPECT_EQ(r.body.size(), r.raw_body.size()) << path;
  }
}

TEST_F(FetcherHostile, GzipBombStopsAtMaxDecodedBytes) {
  FetchResult r = Fetch("/gzip-bomb");
  EXPECT_EQ(r.error_kind, "too_large") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_decoded_bytes"));
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.body.size(), static_cast<size_t>(opts_.max_decoded_bytes));
  EXPECT_LT(r.raw_body.size(), static_cast<size_t>(opts_.max_body_bytes));
  EXPECT_EQ(r.content_encoding, "gzip");
}

TEST_F(FetcherHostile, BrotliBombStopsAtMaxDecodedBytes) {
  FetchResult r = Fetch("/br-bomb");
  EXPECT_EQ(r.error_kind, "too_large") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_decoded_bytes"));
  EXPECT_EQ(r.body.size(), static_cast<size_t>(opts_.max_decoded_bytes));
  EXPECT_LT(r.raw_body.size(), static_cast<size_t>(opts_.max_body_bytes));
  EXPECT_EQ(r.content_encoding, "br");
}

TEST_F(FetcherHostile, PeakMemoryStaysBoundedUnderEveryFlood) {
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  // All floods at once, four of each: bodies are capped at 1-2 MiB each.
  Fetcher f(opts_, test_);
  int done = 0;
  size_t biggest = 0;
  for (int i = 0; i < 4; ++i) {
    for (const char* path : {"/gzip-bomb", "/br-bomb", "/endless", "/endless-chunked",
                             "/headers-forever", "/header-never-ends"}) {
      FetchRequest req;
      req.url = server_->Url(path) + "?i=" + std::to_string(i);
      f.Add(req, [&](FetchResult r) {
        ++done;
        biggest = std::max({biggest, r.body.size(), r.raw_body.size()});
        EXPECT_FALSE(r.ok()) << r.final_url;
      });
    }
  }
  int64_t start = Mono();
  f.Run();
  EXPECT_LT(Mono() - start, kHangMs);
  EXPECT_EQ(done, 24);
  EXPECT_LE(biggest, static_cast<size_t>(std::max(opts_.max_body_bytes, opts_.max_decoded_bytes)));
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  // 24 transfers x (1 MiB wire + 2 MiB decoded) at most ~72 MiB if all
  // were held at once; results are released as they complete. Gigabytes
  // were offered. ru_maxrss is in KiB.
  long growth_kib = after.ru_maxrss - before.ru_maxrss;
  EXPECT_LT(growth_kib, 160L * 1024) << "peak RSS grew by " << growth_kib << " KiB";
}

// ----------------------------------------------------- malformed replies ---

TEST_F(FetcherHostile, MalformedStatusLineIsAProtocolError) {
  FetchResult r = Fetch("/malformed-status");
  EXPECT_EQ(r.error_kind, "protocol") << r.error;
  EXPECT_FALSE(r.ok());
}

TEST_F(FetcherHostile, ReplyWithoutStatusLineIsAProtocolError) {
  FetchResult r = Fetch("/http09");
  EXPECT_EQ(r.error_kind, "protocol") << r.error;
  EXPECT_EQ(r.status, 0);
}

TEST_F(FetcherHostile, HeaderLineWithoutColonIsAProtocolError) {
  FetchResult r = Fetch("/malformed-header");
  EXPECT_EQ(r.error_kind, "protocol") << r.error;
  EXPECT_NE(r.error.find("colon"), std::string::npos) << r.error;
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_EQ(r.hops[0].error_kind, "protocol");
}

TEST_F(FetcherHostile, OversizedHeadersStopAtMaxHeaderBytes) {
  FetchResult r = Fetch("/huge-headers?n=4000");
  EXPECT_EQ(r.error_kind, "too_large") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_header_bytes"));
  // The same headers under a larger cap pass (2000 lines, ~200 KiB).
  opts_.max_header_bytes = 1 << 20;
  FetchResult ok = Fetch("/huge-headers?n=2000");
  EXPECT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.body, "ok");
  EXPECT_GT(ok.hops[0].headers.size(), 2000u);
}

TEST_F(FetcherHostile, CurlsOwnHeaderCapIsReportedAsMaxHeaderBytes) {
  // Above curl's 300 KiB per-response cap, curl stops first.
  opts_.max_header_bytes = 4 << 20;
  FetchResult r = Fetch("/huge-headers?n=4000");
  EXPECT_EQ(r.error_kind, "too_large") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_header_bytes"));
}

TEST_F(FetcherHostile, EndlessHeaderStreamStopsAtMaxHeaderBytes) {
  FetchResult r = Fetch("/headers-forever");
  EXPECT_EQ(r.error_kind, "too_large") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_header_bytes"));
}

TEST_F(FetcherHostile, HeaderLineThatNeverEndsIsStopped) {
  FetchResult r = Fetch("/header-never-ends");
  EXPECT_EQ(r.error_kind, "too_large") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "max_header_bytes")) << r.error;
}

TEST_F(FetcherHostile, ShortBodyIsAProtocolErrorThatKeepsWhatArrived) {
  FetchResult r = Fetch("/partial");
  EXPECT_EQ(r.error_kind, "protocol") << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "0123456789");
}

TEST_F(FetcherHostile, InterimResponsesAreSkippedAndTheFinalOneRecorded) {
  FetchResult r = Fetch("/interim");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "final");
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_EQ(Header(r.hops[0], "X-Final"), "yes");
  EXPECT_EQ(Header(r.hops[0], "Link"), "") << "headers of 1xx replies are not the response's";
}

TEST_F(FetcherHostile, FoldedHeaderIsJoined) {
  FetchResult r = Fetch("/folded");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(Header(r.hops[0], "X-Folded"), "first second third");
  EXPECT_EQ(Header(r.hops[0], "X-After"), "1");
}

TEST_F(FetcherHostile, UnaskedProtocolSwitchEndsWithinTheLimits) {
  // A 101 nobody asked for is not a response we can read; the silence
  // after it is cut off like any other.
  FetchResult r = Fetch("/switch");
  EXPECT_EQ(r.error_kind, "low_speed") << r.error;
  EXPECT_EQ(r.status, 101);
}

TEST_F(FetcherHostile, BrokenContentLengthIsAProtocolError) {
  for (const char* path : {"/bad-length", "/two-lengths"}) {
    FetchResult r = Fetch(path);
    EXPECT_EQ(r.error_kind, "protocol") << path << ": " << r.error;
  }
}

// ------------------------------------------------- pins and scheduling ---

TEST_F(FetcherHostile, InvalidResolvePinIsAConfigErrorForEveryFetch) {
  EXPECT_FALSE(CheckResolvePins({"nocolon"}).ok());
  EXPECT_FALSE(CheckResolvePins({"host:99999:127.0.0.1"}).ok());
  EXPECT_FALSE(CheckResolvePins({"host:80:not-an-ip"}).ok());
  EXPECT_FALSE(CheckResolvePins({"host:*:127.0.0.1"}).ok());
  EXPECT_FALSE(CheckResolvePins({"+host:80:127.0.0.1"}).ok());
  EXPECT_TRUE(CheckResolvePins({"host:80:127.0.0.1", "*:443:[::1],127.0.0.1", "*:*:10.0.0.1"}).ok());
  opts_.resolve = {"shop.test:80:banana"};
  FetchResult r = Fetch("/ok");
  EXPECT_EQ(r.error_kind, "config");
  EXPECT_NE(r.error.find("banana"), std::string::npos);
}

TEST_F(FetcherHostile, WildcardPinServesVirtualHostsFromLoopback) {
  std::string p = std::to_string(server_->port());
  opts_.resolve = {"*:" + p + ":127.0.0.1"};
  FetchRequest req;
  req.url = "http://shop-one.example:" + p + "/echo";
  FetchResult r = Fetch(req);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_NE(r.body.find("Host: shop-one.example:" + p), std::string::npos) << r.body;
  EXPECT_EQ(r.hops[0].ip, "127.0.0.1");
  EXPECT_EQ(r.final_url, "http://shop-one.example:" + p + "/echo");
}

TEST_F(FetcherHostile, ExactPinWinsOverTheWildcard) {
  std::string p = std::to_string(server_->port());
  opts_.resolve = {"*:" + p + ":127.0.0.1", "special.example:" + p + ":169.254.169.254"};
  FetchRequest req;
  req.url = "http://special.example:" + p + "/ok";
  FetchResult r = Fetch(req);
  EXPECT_EQ(r.error_kind, "refused") << r.error;
  EXPECT_NE(r.error.find("169.254.169.254"), std::string::npos);
  req.url = "http://ordinary.example:" + p + "/ok";
  EXPECT_TRUE(Fetch(req).ok());
}

nlohmann::json Stats(HostileServer* s) { return nlohmann::json::parse(s->Get("/stats")); }

TEST_F(FetcherHostile, PerHostAndGlobalCapsAreRespected) {
  server_->Get("/reset");
  std::string p = std::to_string(server_->port());
  opts_.resolve = {"*:" + p + ":127.0.0.1"};
  opts_.per_host_concurrency = 2;
  opts_.global_concurrency = 5;
  opts_.low_speed_bytes = 0;  // /hold is silent on purpose
  Fetcher f(opts_, test_);
  int ok = 0;
  const char* hosts[] = {"a.example", "b.example", "c.example", "d.example"};
  for (int i = 0; i < 6; ++i) {
    for (const char* h : hosts) {
      FetchRequest req;
      req.url = std::string("http://") + h + ":" + p + "/hold?ms=300&i=" + std::to_string(i);
      f.Add(req, [&](FetchResult r) { ok += r.ok() && r.status == 200; });
    }
  }
  f.Run();
  EXPECT_EQ(ok, 24);
  nlohmann::json s = Stats(server_);
  int total = 0;
  for (const char* h : hosts) {
    std::string key = std::string(h) + ":" + p;
    ASSERT_TRUE(s["max_active"].contains(key)) << s.dump();
    EXPECT_LE(s["max_active"][key].get<int>(), 2) << key;
    EXPECT_GE(s["max_active"][key].get<int>(), 1) << key;
    total += s["requests"][key].get<int>();
  }
  EXPECT_EQ(total, 24);
  EXPECT_LE(s["max_total"].get<int>(), 5) << s.dump();
  EXPECT_LE(f.stats().peak_in_flight, 5);
  EXPECT_GE(f.stats().peak_in_flight, 2);
}

TEST_F(FetcherHostile, HundredsOfTransfersInFlightAtOnce) {
  server_->Get("/reset");
  std::string p = std::to_string(server_->port());
  opts_.resolve = {"*:" + p + ":127.0.0.1"};
  opts_.per_host_concurrency = 10;
  opts_.global_concurrency = 256;
  // /hold is silent on purpose while the server is loaded with hundreds of
  // threads: this test is about concurrency, not the speed limits.
  opts_.total_timeout_ms = 20000;
  opts_.low_speed_bytes = 0;
  Fetcher f(opts_, test_);
  int ok = 0, done = 0;
  for (int i = 0; i < 300; ++i) {
    FetchRequest req;
    req.url = "http://h" + std::to_string(i % 30) + ".example:" + p + "/hold?ms=1500&i=" +
              std::to_string(i);
    f.Add(req, [&](FetchResult r) {
      ++done;
      ok += r.ok() && r.status == 200;
      if (!r.ok() && done < 1000) ADD_FAILURE() << r.final_url << ": " << r.error;
    });
  }
  int64_t start = Mono();
  f.Run();
  EXPECT_LT(Mono() - start, kHangMs * 2);
  EXPECT_EQ(done, 300);
  EXPECT_EQ(ok, 300);
  EXPECT_LE(f.stats().peak_in_flight, 256);
  EXPECT_GE(f.stats().peak_in_flight, 200);  // 30 hosts x 10 each, capped at 256
  nlohmann::json s = Stats(server_);
  EXPECT_LE(s["max_total"].get<int>(), 256);
  EXPECT_GE(s["max_total"].get<int>(), 100) << "hundreds were meant to be held at once";
}

TEST_F(FetcherHostile, PerHostDelaySpacesRequestStarts) {
  opts_.per_host_delay_ms = 250;
  Fetcher f(opts_, test_);
  int ok = 0;
  for (int i = 0; i < 3; ++i) {
    FetchRequest req;
    req.url = server_->Url("/ok?i=" + std::to_string(i));
    f.Add(req, [&](FetchResult r) { ok += r.ok(); });
  }
  int64_t start = Mono();
  f.Run();
  // Three starts to one host are at least two delays apart (a lower bound
  // the monotonic clock guarantees, not a timing race).
  EXPECT_GE(Mono() - start, 500);
  EXPECT_EQ(ok, 3);
}

TEST_F(FetcherHostile, CallbacksMayAddMoreWork) {
  Fetcher f(opts_, test_);
  std::vector<std::string> order;
  FetchRequest first;
  first.url = server_->Url("/ok");
  f.Add(first, [&](FetchResult r) {
    order.push_back(r.final_url);
    FetchRequest next;
    next.url = server_->Url("/page");
    next.via = "link";
    f.Add(next, [&](FetchResult r2) {
      order.push_back(r2.final_url);
      EXPECT_EQ(r2.hops[0].via, "link");
    });
  });
  f.Run();
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[1], server_->Url("/page"));
}

TEST_F(FetcherHostile, CancelMakesRunReturnWithEveryRequestAnswered) {
  opts_.low_speed_bytes = 0;
  opts_.total_timeout_ms = 60000;
  opts_.global_concurrency = 2;
  Fetcher f(opts_, test_);
  int cancelled = 0, done = 0;
  for (int i = 0; i < 5; ++i) {
    FetchRequest req;
    req.url = server_->Url("/silent?i=" + std::to_string(i));
    f.Add(req, [&](FetchResult r) {
      ++done;
      cancelled += r.error_kind == "cancelled";
    });
  }
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    f.Cancel();
  });
  int64_t start = Mono();
  f.Run();
  canceller.join();
  EXPECT_LT(Mono() - start, 20000);  // far below the 60 s total timeout
  EXPECT_EQ(done, 5);
  EXPECT_EQ(cancelled, 5);
  EXPECT_EQ(f.stats().cancelled, 5u);

  // The Fetcher is usable again after a cancelled Run().
  FetchRequest again;
  again.url = server_->Url("/ok");
  bool ok = false;
  f.Add(again, [&](FetchResult r) { ok = r.ok(); });
  f.Run();
  EXPECT_TRUE(ok);
}

TEST_F(FetcherHostile, CancelBeforeRunCancelsEverythingQueued) {
  Fetcher f(opts_, test_);
  std::string kind;
  FetchRequest req;
  req.url = server_->Url("/ok");
  f.Add(req, [&](FetchResult r) { kind = r.error_kind; });
  f.Cancel();
  f.Run();
  EXPECT_EQ(kind, "cancelled");
}

}  // namespace
}  // namespace dragnet::crawler
