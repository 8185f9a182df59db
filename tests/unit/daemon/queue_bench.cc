// queue_bench: jobs per second through submit -> claim -> start -> complete
// (ack) on a real redis-server, with one and with two consumers, against
// redis-benchmark (SET and XADD, 1 and 2 clients) on the same server.
// Not a test: a measurement for the closing note ("the queue must never be
// the bottleneck"). Not Google Benchmark: the unit of work is a whole job
// life cycle over several processes' worth of connections, timed once per
// configuration.
//
//   build-daemon/tests/unit/daemon/queue_bench [JOBS]     (default 5000)
//
// The server runs with the harness settings (AOF, appendfsync always), as the
// daemons do in the integration tests; every job is 3 round trips when busy
// (XREADGROUP, Start script, Complete script) plus the reclaim scan once a
// second per consumer.

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/queue_redis.h"
#include "tests/harness/redis.h"

using namespace dragnet;
using namespace dragnet::app;
using dragnet::testing::RedisServer;
using dragnet::testing::Run;

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::unique_ptr<RedisQueue> Open(const RedisServer& r, const std::string& consumer,
                                 const std::string& prefix) {
  auto ep = ParseRedisUrl(r.Url());
  QueueOptions o;
  o.consumer = consumer;
  o.visibility_timeout_ms = 60'000;
  auto q = std::make_unique<RedisQueue>(*ep, prefix, o);
  Status st = q->Init();
  if (!st.ok()) {
    std::fprintf(stderr, "queue_bench: %s\n", st.ToString().c_str());
    std::exit(1);
  }
  return q;
}

double SubmitAll(const RedisServer& r, const std::string& prefix, int jobs) {
  auto q = Open(r, "submitter", prefix);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < jobs; ++i) {
    JobSpec s;
    s.url = "http://bench" + std::to_string(i) + ".example/";
    auto id = q->Submit(s);
    if (!id.ok()) {
      std::fprintf(stderr, "submit: %s\n", id.status().ToString().c_str());
      std::exit(1);
    }
  }
  return jobs / Seconds(t0);
}

double Drain(const RedisServer& r, const std::string& prefix, int consumers, int jobs) {
  std::atomic<int> done{0};
  std::vector<std::thread> ts;
  auto t0 = std::chrono::steady_clock::now();
  for (int c = 0; c < consumers; ++c) {
    ts.emplace_back([&, c] {
      auto q = Open(r, "consumer" + std::to_string(c), prefix);
      while (done.load() < jobs) {
        auto d = q->Claim({kStageCrawl}, 50);
        if (!d.ok()) {
          std::fprintf(stderr, "claim: %s\n", d.status().ToString().c_str());
          std::exit(1);
        }
        if (!d->has_value()) continue;
        auto s = q->Start(**d);
        if (!s.ok() || s->outcome != StartOutcome::kRun) {
          std::fprintf(stderr, "start failed\n");
          std::exit(1);
        }
        Status st = q->Complete(**d, R"({"seed":"bench"})", "");
        if (!st.ok()) {
          std::fprintf(stderr, "complete: %s\n", st.ToString().c_str());
          std::exit(1);
        }
        done++;
      }
    });
  }
  for (auto& t : ts) t.join();
  return jobs / Seconds(t0);
}

double RedisBenchmark(const RedisServer& r, const char* test, int clients, int n) {
  auto res = Run({"redis-benchmark", "-h", "127.0.0.1", "-p", std::to_string(r.port()), "-n",
                  std::to_string(n), "-c", std::to_string(clients), "-t", test, "--csv"},
                 "", 600000);
  // CSV: "test","rps",...  (header line first in Redis 7)
  for (size_t pos = 0; pos < res.out.size();) {
    size_t nl = res.out.find('\n', pos);
    std::string line = res.out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? res.out.size() : nl + 1;
    if (line.rfind("\"test\"", 0) == 0 || line.empty()) continue;
    auto c1 = line.find("\",\"");
    if (c1 == std::string::npos) continue;
    auto c2 = line.find('"', c1 + 3);
    return std::strtod(line.substr(c1 + 3, c2 - c1 - 3).c_str(), nullptr);
  }
  std::fprintf(stderr, "redis-benchmark output not understood: %s %s\n", res.out.c_str(),
               res.err.c_str());
  return 0;
}

void Round(RedisServer& r, const char* fsync, int jobs, const std::string& tag) {
  r.Cli({"CONFIG", "SET", "appendfsync", fsync});
  double sub = SubmitAll(r, tag + "a", jobs);
  double one = Drain(r, tag + "a", 1, jobs);
  SubmitAll(r, tag + "b", jobs);
  double two = Drain(r, tag + "b", 2, jobs);
  int n = jobs * 4;
  double set1 = RedisBenchmark(r, "set", 1, n);
  double set2 = RedisBenchmark(r, "set", 2, n);
  std::printf("-- appendfsync %s, %d jobs\n", fsync, jobs);
  std::printf("submit (1 client)                 %10.0f jobs/s\n", sub);
  std::printf("claim+start+complete, 1 consumer  %10.0f jobs/s\n", one);
  std::printf("claim+start+complete, 2 consumers %10.0f jobs/s\n", two);
  std::printf("redis-benchmark -t set -c 1       %10.0f ops/s\n", set1);
  std::printf("redis-benchmark -t set -c 2       %10.0f ops/s\n", set2);
  if (set1 > 0 && set2 > 0) {
    std::printf("ratio jobs/s : SET ops/s          1 consumer %.3f, 2 consumers %.3f\n", one / set1,
                two / set2);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = 5000;
  if (argc > 1) {
    std::string_view arg(argv[1]);
    auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), jobs);
    if (ec != std::errc() || end != arg.data() + arg.size() || jobs <= 0) {
      std::fprintf(stderr, "usage: queue_bench [JOBS]  (a positive number)\n");
      return 2;
    }
  }
  RedisServer r;
  std::printf("redis-server on 127.0.0.1:%d (appendonly yes)\n", r.port());
  // The harness default (every write on disk before the reply), then the
  // usual production setting (fsync once a second).
  Round(r, "always", jobs, "f1");
  Round(r, "everysec", jobs, "f2");
  return 0;
}
