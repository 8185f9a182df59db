// The fetcher against a real nginx (tests/harness/nginx.h) serving the
// fixture site as virtual hosts on 127.0.0.1, over HTTP, HTTPS with the
// harness's self-signed certificate, and HTTPS with a certificate from a
// CA made by this test (to show `verified` is true only when chain and
// name both verify). Names reach nginx through resolve pins.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include "crawler/fetcher.h"
#include "tests/harness/harness.h"
#include "tests/harness/nginx.h"

namespace dragnet::crawler {
namespace {

using dragnet::testing::NginxServer;
using dragnet::testing::ReadAll;
using dragnet::testing::Run;
using dragnet::testing::TempDir;

// Makes a CA and a leaf for secure.test signed by it (openssl CLI).
void MakeCa(const TempDir& dir) {
  auto run = [](const std::vector<std::string>& argv) {
    auto r = Run(argv, "", 60000);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  run({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
       "/CN=Dragnet Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
       "keyUsage=critical,keyCertSign,cRLSign", "-keyout", dir.File("ca.key"), "-out",
       dir.File("ca.pem")});
  run({"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=secure.test", "-keyout",
       dir.File("leaf.key"), "-out", dir.File("leaf.csr")});
  dragnet::testing::WriteAll(dir.File("ext.cnf"),
                             "subjectAltName=DNS:secure.test,DNS:www.secure.test,IP:127.0.0.1\n"
                             "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  run({"openssl", "x509", "-req", "-in", dir.File("leaf.csr"), "-CA", dir.File("ca.pem"), "-CAkey",
       dir.File("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", dir.File("ext.cnf"), "-out",
       dir.File("leaf.pem")});
}

std::string Fingerprint(const std::string& pem) {
  auto r = Run({"openssl", "x509", "-in", pem, "-noout", "-fingerprint", "-sha256"}, "", 30000);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // "sha256 Fingerprint=AB:CD:..." -> "abcd..."
  std::string out;
  auto eq = r.out.find('=');
  for (char ch : r.out.substr(eq == std::string::npos ? 0 : eq + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(ch))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return out;
}

bool LooksRfc3339(const std::string& s) {
  return s.size() == 20 && s[4] == '-' && s[10] == 'T' && s.back() == 'Z';
}

class FetcherNginx : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new TempDir();
    MakeCa(*ca_);
    std::string secure_cert = ca_->File("leaf.pem");
    std::string secure_key = ca_->File("leaf.key");
    nginx_ = new NginxServer(R"(
  gzip on; gzip_types text/html text/plain; gzip_min_length 0;
  server {
    listen 127.0.0.1:{{PORT}} default_server;
    server_name shop.test;
    root {{FIXTURES}}/fetch/site;
    location = /500 { return 500; }
    location = /go { return 302 /index.html; }
    location = /away { return 301 http://other.test:{{PORT}}/hello; }
    location = /loop1 { return 302 /loop2; }
    location = /loop2 { return 302 /loop1; }
  }
  server {
    listen 127.0.0.1:{{PORT}};
    server_name other.test;
    default_type text/plain;
    location / { return 200 "vhost other.test\n"; }
  }
  server {
    listen 127.0.0.1:{{PORT}};
    server_name brotli.test;
    root {{FIXTURES}}/fetch/site;
    gzip off;
    brotli on; brotli_types text/html; brotli_min_length 0;
  }
  server {
    listen 127.0.0.1:{{TLS_PORT}} ssl http2 default_server;
    server_name secure.test;
    ssl_certificate )" + secure_cert + R"(;
    ssl_certificate_key )" + secure_key + R"(;
    root {{FIXTURES}}/fetch/site;
  }
  server {
    listen 127.0.0.1:{{TLS_PORT}} ssl http2;
    server_name shop.test;
    ssl_certificate {{CERT}};
    ssl_certificate_key {{KEY}};
    root {{FIXTURES}}/fetch/site;
  }
)");
  }
  static void TearDownTestSuite() {
    delete nginx_;
    delete ca_;
  }

  void SetUp() override {
    opts_.allow_private = true;  // nginx is on loopback; the guard has its own tests
    opts_.total_timeout_ms = 10000;
    std::string p = std::to_string(nginx_->port());
    std::string t = std::to_string(nginx_->tls_port());
    opts_.resolve = {"shop.test:" + p + ":127.0.0.1", "other.test:" + p + ":127.0.0.1",
                     "brotli.test:" + p + ":127.0.0.1", "shop.test:" + t + ":127.0.0.1",
                     "secure.test:" + t + ":127.0.0.1", "wrong.test:" + t + ":127.0.0.1"};
    page_ = ReadAll(dragnet::testing::Fixture("fetch/site/index.html"));
  }

  FetchResult Fetch(const std::string& url) {
    Fetcher f(opts_, test_);
    FetchResult out;
    FetchRequest req;
    req.url = url;
    f.Add(req, [&](FetchResult r) { out = std::move(r); });
    f.Run();
    return out;
  }
  std::string Http(const std::string& host, const std::string& path) {
    return "http://" + host + ":" + std::to_string(nginx_->port()) + path;
  }
  std::string Https(const std::string& host, const std::string& path) {
    return "https://" + host + ":" + std::to_string(nginx_->tls_port()) + path;
  }

  static NginxServer* nginx_;
  static TempDir* ca_;
  CrawlOptions opts_;
  FetcherTestOptions test_;
  std::string page_;
};

NginxServer* FetcherNginx::nginx_ = nullptr;
TempDir* FetcherNginx::ca_ = nullptr;

TEST_F(FetcherNginx, GzipFromNginxIsDecoded) {
  FetchResult r = Fetch(Http("shop.test", "/index.html"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_encoding, "gzip");
  EXPECT_EQ(r.body, page_);
  EXPECT_NE(r.raw_body, page_);
  EXPECT_EQ(r.content_type, "text/html");
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_EQ(r.hops[0].ip, "127.0.0.1");
  EXPECT_EQ(r.hops[0].port, nginx_->port());
  EXPECT_EQ(r.hops[0].http_version, "1.1");
  bool server_header = false;
  for (const auto& [k, v] : r.hops[0].headers) server_header |= k == "Server" && v.find("nginx") == 0;
  EXPECT_TRUE(server_header);
}

TEST_F(FetcherNginx, BrotliFromNginxIsDecoded) {
  FetchResult r = Fetch(Http("brotli.test", "/index.html"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.content_encoding, "br");
  EXPECT_EQ(r.body, page_);
  EXPECT_LT(r.raw_body.size(), page_.size());
}

TEST_F(FetcherNginx, NotFoundAndServerErrorAreResults) {
  FetchResult r = Fetch(Http("shop.test", "/missing.html"));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("404"), std::string::npos);
  r = Fetch(Http("shop.test", "/500"));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 500);
}

// With one connection, waiting requests start by priority (lower first),
// in the order they were added within one priority.
TEST_F(FetcherNginx, WaitingRequestsStartByPriorityThenInOrder) {
  opts_.global_concurrency = 1;
  Fetcher f(opts_, test_);
  std::vector<std::string> order;
  auto add = [&](const std::string& path, uint64_t priority) {
    FetchRequest req;
    req.url = Http("shop.test", path);
    req.priority = priority;
    f.Add(std::move(req), [&order, path](FetchResult r) {
      EXPECT_EQ(r.status, 200) << path << " " << r.error;
      order.push_back(path);
    });
  };
  add("/index.html?p3", 3);
  add("/index.html?p1a", 1);
  add("/index.html?p2", 2);
  add("/index.html?p1b", 1);
  add("/index.html?p0", 0);
  f.Run();
  EXPECT_EQ(order, (std::vector<std::string>{"/index.html?p0", "/index.html?p1a", "/index.html?p1b",
                                             "/index.html?p2", "/index.html?p3"}));
}

TEST_F(FetcherNginx, VirtualHostsThroughExactPins) {
  FetchResult r = Fetch(Http("other.test", "/"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, "vhost other.test\n");
  // The same address and port, another name: another site.
  r = Fetch(Http("shop.test", "/"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, page_);
}

TEST_F(FetcherNginx, WildcardPinReachesEveryName) {
  opts_.resolve = {"*:" + std::to_string(nginx_->port()) + ":127.0.0.1"};
  FetchResult r = Fetch(Http("other.test", "/anything"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, "vhost other.test\n");
  r = Fetch(Http("unlisted-name.example", "/index.html"));  // nginx's default_server
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, page_);
}

TEST_F(FetcherNginx, RedirectsAcrossVirtualHostsAreRecorded) {
  FetchResult r = Fetch(Http("shop.test", "/away"));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.hops.size(), 2u);
  EXPECT_EQ(r.hops[0].status, 301);
  EXPECT_EQ(r.hops[1].url, Http("other.test", "/hello"));
  EXPECT_EQ(r.hops[1].via, "http");
  EXPECT_EQ(r.final_url, Http("other.test", "/hello"));
  EXPECT_EQ(r.body, "vhost other.test\n");

  r = Fetch(Http("shop.test", "/go"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.final_url, Http("shop.test", "/index.html"));
  EXPECT_EQ(r.body, page_);
}

TEST_F(FetcherNginx, RedirectLoopOnNginxIsDetected) {
  FetchResult r = Fetch(Http("shop.test", "/loop1"));
  EXPECT_EQ(r.error_kind, "redirect_loop") << r.error;
  EXPECT_EQ(r.hops.size(), 2u);
}

TEST_F(FetcherNginx, SelfSignedCertificateIsFetchedAndRecordedAsUnverified) {
  FetchResult r = Fetch(Https("shop.test", "/index.html"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, page_);
  ASSERT_EQ(r.hops.size(), 1u);
  const TlsInfo& tls = r.hops[0].tls;
  EXPECT_TRUE(tls.present);
  EXPECT_FALSE(tls.verified);
  EXPECT_NE(tls.verify_error.find("self-signed certificate"), std::string::npos) << tls.verify_error;
  EXPECT_NE(tls.verify_error.find("not valid for host 'shop.test'"), std::string::npos)
      << tls.verify_error;
  EXPECT_EQ(tls.sha256, Fingerprint(nginx_->cert()));
  EXPECT_EQ(tls.sha256.size(), 64u);
  EXPECT_EQ(tls.subject, "CN=dragnet-test.invalid");
  EXPECT_EQ(tls.issuer, "CN=dragnet-test.invalid");
  EXPECT_TRUE(LooksRfc3339(tls.not_before)) << tls.not_before;
  EXPECT_TRUE(LooksRfc3339(tls.not_after)) << tls.not_after;
  EXPECT_LT(tls.not_before, tls.not_after);
  EXPECT_EQ(r.hops[0].http_version, "2");
  EXPECT_EQ(r.hops[0].port, nginx_->tls_port());
}

TEST_F(FetcherNginx, CertificateFromATrustedCaWithTheRightNameIsVerified) {
  test_.extra_ca_file = ca_->File("ca.pem");
  FetchResult r = Fetch(Https("secure.test", "/index.html"));
  ASSERT_TRUE(r.ok()) << r.error;
  const TlsInfo& tls = r.hops[0].tls;
  EXPECT_TRUE(tls.present);
  EXPECT_TRUE(tls.verified) << tls.verify_error;
  EXPECT_EQ(tls.verify_error, "");
  EXPECT_EQ(tls.subject, "CN=secure.test");
  EXPECT_EQ(tls.issuer, "CN=Dragnet Test CA");
  EXPECT_EQ(tls.sha256, Fingerprint(ca_->File("leaf.pem")));
  std::vector<std::string> want = {"secure.test", "www.secure.test", "127.0.0.1"};
  EXPECT_EQ(tls.sans, want);
}

TEST_F(FetcherNginx, TrustedChainWithTheWrongNameIsNotVerified) {
  test_.extra_ca_file = ca_->File("ca.pem");
  FetchResult r = Fetch(Https("wrong.test", "/index.html"));  // nginx's default TLS server
  ASSERT_TRUE(r.ok()) << r.error;
  const TlsInfo& tls = r.hops[0].tls;
  EXPECT_FALSE(tls.verified);
  EXPECT_EQ(tls.verify_error, "certificate is not valid for host 'wrong.test'");
  EXPECT_EQ(tls.subject, "CN=secure.test");
}

TEST_F(FetcherNginx, UnknownCaIsNotVerified) {
  FetchResult r = Fetch(Https("secure.test", "/index.html"));  // no extra CA
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.hops[0].tls.verified);
  EXPECT_NE(r.hops[0].tls.verify_error.find("unable to get local issuer certificate"),
            std::string::npos)
      << r.hops[0].tls.verify_error;
}

TEST_F(FetcherNginx, SystemTrustStoreFolderIsWhatVerifies) {
  // The system CAs are read from OpenSSL's hashed folder (SSL_CERT_DIR
  // overrides it, as for every OpenSSL program): put the test CA there.
  TempDir store;
  auto cp = dragnet::testing::Run({"cp", ca_->File("ca.pem"), store.File("test-ca.pem")});
  ASSERT_EQ(cp.exit_code, 0);
  auto rehash = dragnet::testing::Run({"openssl", "rehash", store.path()});
  ASSERT_EQ(rehash.exit_code, 0) << rehash.err;
  const char* old = std::getenv("SSL_CERT_DIR");
  std::string saved = old ? old : "";
  setenv("SSL_CERT_DIR", store.path().c_str(), 1);
  FetchResult r = Fetch(Https("secure.test", "/index.html"));
  if (old) {
    setenv("SSL_CERT_DIR", saved.c_str(), 1);
  } else {
    unsetenv("SSL_CERT_DIR");
  }
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.hops[0].tls.verified) << r.hops[0].tls.verify_error;
}

TEST_F(FetcherNginx, VerifyTlsOnRefusesABadCertificate) {
  opts_.verify_tls = true;
  FetchResult r = Fetch(Https("shop.test", "/index.html?must-not-arrive=1"));
  EXPECT_EQ(r.error_kind, "tls") << r.error;
  EXPECT_NE(r.error.find("self-signed certificate"), std::string::npos) << r.error;
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.status, 0);
  // The refused certificate is still evidence ...
  ASSERT_EQ(r.hops.size(), 1u);
  EXPECT_TRUE(r.hops[0].tls.present);
  EXPECT_FALSE(r.hops[0].tls.verified);
  EXPECT_EQ(r.hops[0].tls.sha256, Fingerprint(nginx_->cert()));
  // ... and the server never saw the request.
  EXPECT_EQ(nginx_->AccessLog().find("must-not-arrive"), std::string::npos);
  test_.extra_ca_file = ca_->File("ca.pem");
  r = Fetch(Https("secure.test", "/index.html"));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.hops[0].tls.verified);
}

TEST_F(FetcherNginx, ReusedConnectionStillReportsItsCertificate) {
  opts_.per_host_concurrency = 1;  // one connection, reused by the second fetch
  Fetcher f(opts_, test_);
  std::vector<FetchResult> got;
  for (int i = 0; i < 3; ++i) {
    FetchRequest req;
    req.url = Https("shop.test", "/index.html?i=" + std::to_string(i));
    f.Add(req, [&](FetchResult r) { got.push_back(std::move(r)); });
  }
  f.Run();
  ASSERT_EQ(got.size(), 3u);
  std::string want = Fingerprint(nginx_->cert());
  for (const FetchResult& r : got) {
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_TRUE(r.hops[0].tls.present);
    EXPECT_EQ(r.hops[0].tls.sha256, want);
  }
  // Later fetches did not open a new connection.
  EXPECT_EQ(got[2].hops[0].connect_ms, 0);
}

TEST_F(FetcherNginx, ManyFetchesAcrossVirtualHostsAllComplete) {
  Fetcher f(opts_, test_);
  int ok = 0;
  for (int i = 0; i < 60; ++i) {
    FetchRequest req;
    const char* host = i % 3 == 0 ? "shop.test" : (i % 3 == 1 ? "other.test" : "brotli.test");
    req.url = Http(host, "/index.html?n=" + std::to_string(i));
    f.Add(req, [&](FetchResult r) { ok += r.ok() && r.status == 200; });
  }
  f.Run();
  EXPECT_EQ(ok, 60);
  EXPECT_LE(f.stats().peak_in_flight, 3 * opts_.per_host_concurrency);
  // nginx logged every request. It writes the line after the response, so
  // the last lines may trail the client's last read by a moment.
  std::string log;
  for (int tries = 0; tries < 100; ++tries) {
    log = nginx_->AccessLog();
    if (std::count(log.begin(), log.end(), '\n') >= 60) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(std::count(log.begin(), log.end(), '\n'), 60);
}

}  // namespace
}  // namespace dragnet::crawler
