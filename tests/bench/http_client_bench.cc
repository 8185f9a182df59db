// What one GuardedHttpClient::Send() costs, to choose between a Fetcher per
// call (what crawler/http_client.cc does: thread-safe with nothing shared)
// and a kept Fetcher (connection reuse, but one per thread and options fixed).
// All against a real nginx on 127.0.0.1 answering a 2-byte body, so the
// numbers are the client's overhead plus a loopback round trip.
//
//   ninja -C build http_client_bench
//   build/tests/bench/http_client_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "crawler/fetcher.h"
#include "crawler/http_client.h"
#include "tests/harness/nginx.h"

namespace {

using dragnet::crawler::CrawlOptions;
using dragnet::crawler::FetchRequest;
using dragnet::crawler::FetchResult;
using dragnet::crawler::Fetcher;
using dragnet::crawler::FetcherTestOptions;

dragnet::testing::NginxServer& Nginx() {
  static auto* n = new dragnet::testing::NginxServer(
      "server { listen 127.0.0.1:{{PORT}}; location / { return 200 \"ok\"; } }\n");
  return *n;
}

std::string Url() { return "http://127.0.0.1:" + std::to_string(Nginx().port()) + "/x"; }

FetcherTestOptions Allow() {
  FetcherTestOptions t;
  t.guard_allow = {"127.0.0.1:" + std::to_string(Nginx().port())};
  return t;
}

// The production path: a fresh Fetcher (multi handle, epoll, eventfd, easy
// handle, TCP connection) per request.
void BM_GuardedClientSend(benchmark::State& state) {
  dragnet::crawler::GuardedHttpClient client(CrawlOptions{}, Allow());
  dragnet::HttpRequest req;
  req.url = Url();
  for (auto _ : state) {
    dragnet::HttpResponse r = client.Send(req);
    if (r.status != 200) state.SkipWithError("no 200");
  }
}
BENCHMARK(BM_GuardedClientSend)->Unit(benchmark::kMicrosecond);

// The alternative: one Fetcher kept, one Add()+Run() per request (its
// connection is reused from the second request on).
void BM_KeptFetcherRequest(benchmark::State& state) {
  Fetcher f(CrawlOptions{}, Allow());
  for (auto _ : state) {
    FetchRequest req;
    req.url = Url();
    long status = 0;
    f.Add(std::move(req), [&](FetchResult r) { status = r.status; });
    f.Run();
    if (status != 200) state.SkipWithError("no 200");
  }
}
BENCHMARK(BM_KeptFetcherRequest)->Unit(benchmark::kMicrosecond);

// Construction alone (no request).
void BM_FetcherConstruct(benchmark::State& state) {
  FetcherTestOptions t = Allow();
  for (auto _ : state) {
    Fetcher f(CrawlOptions{}, t);
    benchmark::DoNotOptimize(&f);
  }
}
BENCHMARK(BM_FetcherConstruct)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
