// GuardedHttpClient (crawler/http_client.h) against the hostile server,
// with the SSRF guard ON: the server at 127.0.0.1:P is reached through the
// test-only allow list, and a CountingServer on 127.0.0.1:Q (not allowed)
// witnesses that a redirect there is refused before connect().
#include "crawler/http_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "tests/harness/counting_server.h"
#include "tests/harness/hostile.h"
#include "tests/harness/nginx.h"

namespace dragnet::crawler {
namespace {

using dragnet::testing::CountingServer;
using dragnet::testing::HostileServer;
using dragnet::testing::NginxServer;

std::string Escape(const std::string& url) {
  std::string out;
  for (char c : url) {
    if (c == ':') out += "%3A";
    else if (c == '/') out += "%2F";
    else out += c;
  }
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class HttpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new HostileServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    opts_.allow_private = false;
    opts_.total_timeout_ms = 6000;
    opts_.connect_timeout_ms = 1500;
    opts_.low_speed_time_ms = 2000;
    test_.guard_allow = {server_->Address()};
  }
  GuardedHttpClient Client() { return GuardedHttpClient(opts_, test_); }
  HttpRequest Get(const std::string& path) {
    HttpRequest r;
    r.url = server_->Url(path);
    return r;
  }

  static HostileServer* server_;
  CrawlOptions opts_;
  FetcherTestOptions test_;
};

HostileServer* HttpClientTest::server_ = nullptr;

TEST_F(HttpClientTest, ResponseCarriesStatusHeadersBodyAndHops) {
  auto client = Client();
  HttpResponse r = client.Send(Get("/ok"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("CONTENT-TYPE"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<title>ok</title>"), std::string::npos);
  EXPECT_EQ(r.final_url, server_->Url("/ok"));
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_EQ(r.hops[0].ip, "127.0.0.1");
  EXPECT_EQ(r.hops[0].port, server_->port());
  EXPECT_EQ(r.hops[0].status, 200);
  EXPECT_EQ(client.requests(), 1u);
  EXPECT_EQ(client.refused(), 0u);
}

TEST_F(HttpClientTest, RedirectIntoLoopbackIsRefusedAtThatHopAndNothingConnects) {
  CountingServer internal(200, "text/plain", "internal secret\n");
  auto client = Client();
  HttpResponse r = client.Send(Get("/redirect?to=" + Escape(internal.Url("/admin"))));
  EXPECT_EQ(r.error_kind, "refused");
  EXPECT_NE(r.error.find(internal.Address()), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("127.0.0.0/8"), std::string::npos) << r.error;
  EXPECT_EQ(r.status, 0);
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.hops[0].status, 302);
  EXPECT_EQ(r.hops[1].url, internal.Url("/admin"));
  EXPECT_EQ(r.hops[1].ip, "127.0.0.1");
  EXPECT_EQ(r.hops[1].port, internal.port());
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(internal.connections(), 0);
  EXPECT_EQ(client.refused(), 1u);

  // The one knob: allow_private lets the same request through.
  opts_.allow_private = true;
  HttpResponse ok = Client().Send(Get("/redirect?to=" + Escape(internal.Url("/admin"))));
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.body, "internal secret\n");
  EXPECT_EQ(internal.connections(), 1);
}

TEST_F(HttpClientTest, RedirectToTheMetadataAddressIsRefused) {
  HttpResponse r = Client().Send(Get("/redirect-metadata"));
  EXPECT_EQ(r.error_kind, "refused");
  EXPECT_NE(r.error.find("169.254.169.254:80"), std::string::npos) << r.error;
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.hops[1].ip, "169.254.169.254");
}

TEST_F(HttpClientTest, PinnedNameIsGuardedByItsPinnedAddress) {
  CountingServer internal;
  opts_.resolve = {"registrar.example:" + std::to_string(internal.port()) + ":127.0.0.1"};
  HttpRequest req;
  req.url = "http://registrar.example:" + std::to_string(internal.port()) + "/";
  HttpResponse r = Client().Send(req);
  EXPECT_EQ(r.error_kind, "refused");
  EXPECT_EQ(internal.connections(), 0);
  test_.guard_allow.push_back(internal.Address());
  HttpResponse ok = Client().Send(req);
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(internal.connections(), 1);
}

TEST_F(HttpClientTest, BodyCapOfTheRequestIsANamedLimit) {
  HttpRequest req = Get("/endless");
  req.max_body_bytes = 10'000;
  HttpResponse r = Client().Send(req);
  EXPECT_EQ(r.error_kind, "too_large");
  EXPECT_TRUE(r.truncated);
  EXPECT_TRUE(Has(r.limits_hit, "max_body_bytes")) << ::testing::PrintToString(r.limits_hit);
  EXPECT_LE(r.body.size(), 10'000u);
  EXPECT_EQ(r.status, 200);  // the status survives the cut

  // A compression bomb stops at the same cap, decoded.
  HttpRequest bomb = Get("/gzip-bomb");
  bomb.max_body_bytes = 100'000;
  HttpResponse b = Client().Send(bomb);
  EXPECT_EQ(b.error_kind, "too_large");
  EXPECT_LE(b.body.size(), 100'000u);
}

TEST_F(HttpClientTest, TimeoutOfTheRequestIsANamedLimit) {
  HttpRequest req = Get("/silent");
  req.timeout_ms = 300;
  HttpResponse r = Client().Send(req);
  EXPECT_EQ(r.error_kind, "timeout") << r.error;
  EXPECT_TRUE(Has(r.limits_hit, "total_timeout") || Has(r.limits_hit, "connect_timeout"))
      << ::testing::PrintToString(r.limits_hit);
}

TEST_F(HttpClientTest, RedirectBudgetOfTheRequest) {
  HttpRequest req = Get("/chain/5");
  req.max_redirects = 2;
  HttpResponse r = Client().Send(req);
  EXPECT_EQ(r.error_kind, "too_many_redirects");
  EXPECT_TRUE(Has(r.limits_hit, "max_redirects"));
  EXPECT_EQ(r.hops.size(), 3u);

  HttpRequest loop = Get("/loop/a");
  HttpResponse l = Client().Send(loop);
  EXPECT_EQ(l.error_kind, "redirect_loop");
}

TEST_F(HttpClientTest, NotFollowingReturnsTheRedirectItself) {
  HttpRequest req = Get("/redirect?to=%2Fok");
  req.follow_redirects = false;
  HttpResponse r = Client().Send(req);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("location"), "/ok");
  EXPECT_EQ(r.hops.size(), 1u);
}

TEST_F(HttpClientTest, MethodBodyAndHeadersAreSentAndA303TurnsPostIntoGet) {
  HttpRequest post = Get("/echo");
  post.method = "POST";
  post.body = R"({"k":1})";
  post.headers = {"Content-Type: application/json", "User-Agent: dragnet-test/1", "Accept: application/rdap+json"};
  HttpResponse r = Client().Send(post);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body.rfind("POST /echo HTTP/1.1", 0), 0u) << r.body;
  EXPECT_NE(r.body.find("User-Agent: dragnet-test/1"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Accept: application/rdap+json"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("text/html"), std::string::npos) << r.body;  // the default Accept was replaced
  EXPECT_NE(r.body.find(R"({"k":1})"), std::string::npos) << r.body;

  post.url = server_->Url("/redirect?code=303&to=%2Fecho");
  HttpResponse g = Client().Send(post);
  ASSERT_TRUE(g.ok()) << g.error;
  EXPECT_EQ(g.body.rfind("GET /echo HTTP/1.1", 0), 0u) << g.body;
}

TEST(HttpClientTls, CertificatesAreVerifiedUnlessTheRequestSaysOtherwise) {
  // nginx with the harness's self-signed certificate: a service we trust
  // (RDAP, a webhook) must not get the request; the suspect site itself
  // (verify_tls = false) is fetched and its certificate is evidence.
  NginxServer nginx(R"(
  server { listen 127.0.0.1:{{PORT}}; }
  server {
    listen 127.0.0.1:{{TLS_PORT}} ssl;
    ssl_certificate {{CERT}};
    ssl_certificate_key {{KEY}};
    location / { return 200 "tls ok\n"; }
  }
)");
  CrawlOptions opts;
  FetcherTestOptions test;
  test.guard_allow = {"127.0.0.1:" + std::to_string(nginx.tls_port())};
  GuardedHttpClient client(opts, test);
  HttpRequest req;
  req.url = "https://127.0.0.1:" + std::to_string(nginx.tls_port()) + "/must-not-arrive";
  HttpResponse r = client.Send(req);
  EXPECT_EQ(r.error_kind, "tls") << r.error;
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(nginx.AccessLog().find("must-not-arrive"), std::string::npos);
  req.url = "https://127.0.0.1:" + std::to_string(nginx.tls_port()) + "/evidence";
  req.verify_tls = false;
  HttpResponse ok = client.Send(req);
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.body, "tls ok\n");
}

TEST_F(HttpClientTest, SendIsSafeFromManyThreads) {
  GuardedHttpClient client(opts_, test_);
  constexpr int kThreads = 6, kEach = 8;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        HttpRequest req;
        req.url = server_->Url("/ok");
        HttpResponse r = client.Send(req);
        if (r.ok() && r.status == 200 && r.body.find("<title>ok</title>") != std::string::npos) good++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kEach);
  EXPECT_EQ(client.requests(), static_cast<uint64_t>(kThreads * kEach));
}

}  // namespace
}  // namespace dragnet::crawler
