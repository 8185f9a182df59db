#include "app/politeness.h"

#include <algorithm>

namespace dragnet::app {
namespace {

// When a host is at its cap we cannot know when a lease will be released;
// the caller polls this often (bounded below so a busy host costs at most a
// few Redis calls per second per waiting worker).
constexpr int64_t kCapPollMs = 100;

// KEYS[1] leases zset, KEYS[2] next-grant string
// ARGV: token cap min_delay_ms ttl_ms
const RedisScript& AcquireScript() {
  static const RedisScript s(R"LUA(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[4])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {1, 0}
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return {0, -1} end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return {0, nxt - now} end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return {1, 0}
)LUA");
  return s;
}

}  // namespace

RedisHostGate::RedisHostGate(RedisEndpoint endpoint, std::string key_prefix, GateOptions options)
    : client_(std::move(endpoint)), keys_(std::move(key_prefix)), options_(options) {}

Result<LeaseAnswer> RedisHostGate::Acquire(const std::string& host, const std::string& token) {
  auto r = client_.Eval(AcquireScript(), {keys_.HostLeases(host), keys_.HostNext(host)},
                        {token, std::to_string(options_.per_host_cap),
                         std::to_string(options_.min_delay_ms),
                         std::to_string(options_.lease_ttl_ms)},
                        stop_);
  if (!r.ok()) return r.status();
  if (!r->is_array() || r->elements.size() != 2) return ParseError("bad lease script reply");
  auto granted = r->elements[0].AsInt();
  auto wait = r->elements[1].AsInt();
  if (!granted.ok() || !wait.ok()) return ParseError("bad lease script reply");
  LeaseAnswer a;
  a.granted = *granted == 1;
  a.retry_after_ms = *wait < 0 ? kCapPollMs : std::max<int64_t>(*wait, 1);
  if (a.granted) a.retry_after_ms = 0;
  return a;
}

Status RedisHostGate::Release(const std::string& host, const std::string& token) {
  auto r = client_.CommandRetry({"ZREM", keys_.HostLeases(host), token}, stop_);
  return r.ok() ? Status::Ok() : r.status();
}

MemoryHostGate::MemoryHostGate(GateOptions options, const Clock* clock)
    : options_(options), clock_(clock ? clock : &SystemClock::Instance()) {}

Result<LeaseAnswer> MemoryHostGate::Acquire(const std::string& host, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = clock_->MonotonicMs();
  auto& h = hosts_[host];
  for (auto it = h.leases.begin(); it != h.leases.end();) {
    it = it->second <= now ? h.leases.erase(it) : std::next(it);
  }
  auto mine = h.leases.find(token);
  if (mine != h.leases.end()) {
    mine->second = now + options_.lease_ttl_ms;
    return LeaseAnswer{true, 0};
  }
  if (static_cast<int>(h.leases.size()) >= options_.per_host_cap) {
    return LeaseAnswer{false, kCapPollMs};
  }
  if (h.next_ms > now) return LeaseAnswer{false, h.next_ms - now};
  h.leases[token] = now + options_.lease_ttl_ms;
  if (options_.min_delay_ms > 0) h.next_ms = now + options_.min_delay_ms;
  return LeaseAnswer{true, 0};
}

Status MemoryHostGate::Release(const std::string& host, const std::string& token) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return Status::Ok();
  it->second.leases.erase(token);
  if (it->second.leases.empty() && it->second.next_ms <= clock_->MonotonicMs()) hosts_.erase(it);
  return Status::Ok();
}

}  // namespace dragnet::app
