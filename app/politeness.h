#pragma once
// HostGate: cluster-wide politeness. Before a daemon starts crawling a seed
// it takes a lease on the seed's host; a host has at most `per_host_cap`
// leases at once (across every daemon on every machine), and two lease
// grants for one host are at least `min_delay_ms` apart. Leases expire on
// their own after `lease_ttl_ms` (a daemon killed with -9 cannot block a
// host for longer), and the holder renews them while it works.
//
// RedisHostGate keeps the leases in Redis ({prefix}:host:<host>:leases, a
// zset of token -> expiry, and :next, the earliest next grant) and changes
// them with one Lua script that reads Redis' own clock (TIME), so daemons
// with skewed clocks still agree. MemoryHostGate does the same inside one
// process. The fetcher's in-process caps (crawler/fetcher.h) still apply
// inside one seed's crawl; this gate decides which seeds may start.
//
// Threads: MemoryHostGate is thread-safe. A RedisHostGate owns a RedisClient
// and is used by one thread at a time (one per worker, like queues).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "app/redis.h"
#include "app/redis_keys.h"
#include "core/clock.h"
#include "core/status.h"

namespace dragnet::app {

struct GateOptions {
  int per_host_cap = 4;          // [crawl] per_host_concurrency
  int64_t min_delay_ms = 0;      // [crawl] per_host_delay
  int64_t lease_ttl_ms = 300'000;  // [crawl] visibility_timeout
};

struct LeaseAnswer {
  bool granted = false;
  int64_t retry_after_ms = 0;    // when refused: a hint for the next try
};

class HostGate {
 public:
  virtual ~HostGate() = default;
  // Takes (or renews, when `token` already holds one) a lease on `host`.
  virtual Result<LeaseAnswer> Acquire(const std::string& host, const std::string& token) = 0;
  virtual Status Release(const std::string& host, const std::string& token) = 0;
};

class RedisHostGate final : public HostGate {
 public:
  RedisHostGate(RedisEndpoint endpoint, std::string key_prefix, GateOptions options);
  Result<LeaseAnswer> Acquire(const std::string& host, const std::string& token) override;
  Status Release(const std::string& host, const std::string& token) override;
  void SetStopFlag(const std::atomic<bool>* stop) { stop_ = stop; }

 private:
  RedisClient client_;
  RedisKeys keys_;
  GateOptions options_;
  const std::atomic<bool>* stop_ = nullptr;
};

class MemoryHostGate final : public HostGate {
 public:
  explicit MemoryHostGate(GateOptions options, const Clock* clock = nullptr);
  Result<LeaseAnswer> Acquire(const std::string& host, const std::string& token) override;
  Status Release(const std::string& host, const std::string& token) override;

 private:
  struct HostState {
    std::map<std::string, int64_t> leases;  // token -> expiry (monotonic ms)
    int64_t next_ms = 0;
  };
  GateOptions options_;
  const Clock* clock_;
  std::mutex mu_;
  std::map<std::string, HostState> hosts_;  // GUARDED_BY(mu_)
};

// Lets every seed through (per_host_cap <= 0 turns politeness off).
class OpenHostGate final : public HostGate {
 public:
  Result<LeaseAnswer> Acquire(const std::string&, const std::string&) override {
    return LeaseAnswer{true, 0};
  }
  Status Release(const std::string&, const std::string&) override { return Status::Ok(); }
};

}  // namespace dragnet::app
