#pragma once
// RedisKeys: the key layout of distributed mode, in one place
// (docs/redis-keys.md describes each key, its type and its lifetime).
//
// Every key starts with "{<key_prefix>}:" — the braces are a Redis Cluster
// hash tag, so all of Dragnet's keys live in one slot and every multi-key
// command and Lua script works on a cluster as on a single server. Parts that
// come from the outside world (URLs, host names) are hashed or checked so a
// key can never contain a space, a brace or a newline.
// Value type; thread-safe to copy and read.

#include <string>
#include <string_view>
#include <vector>

namespace dragnet::app {

enum class Priority { kHigh = 0, kNormal = 1, kLow = 2 };
const char* PriorityName(Priority p);
// "high", "normal", "low"; false on anything else.
bool ParsePriority(std::string_view s, Priority& out);

// Pipeline stages carried on streams. "crawl" takes seeds (three priority
// streams); "report" takes crawled results when the report stage is split
// off (DaemonOptions::split_report).
inline constexpr const char* kStageCrawl = "crawl";
inline constexpr const char* kStageReport = "report";

// The consumer group every daemon joins, on every stream.
inline constexpr const char* kConsumerGroup = "dragnet";

class RedisKeys {
 public:
  explicit RedisKeys(std::string prefix = "dragnet");

  const std::string& tag() const { return tag_; }  // "{dragnet}"

  // Streams a stage reads, in the order it reads them (priority first).
  std::vector<std::string> StageStreams(std::string_view stage) const;
  std::string SeedStream(Priority p) const;       // {p}:stream:crawl:high ...
  std::string StageStream(std::string_view stage) const;  // {p}:stream:report
  std::string DeadLetter() const;                 // {p}:stream:dead
  // The stage a stream belongs to ("" when unknown).
  std::string StageOfStream(std::string_view stream) const;

  std::string Job(std::string_view job_id) const;            // hash
  std::string Result(std::string_view url_hash) const;       // string (SeedResult JSON)
  std::string Seen(std::string_view url_hash) const;         // string, PX recrawl_after
  std::string Crawling(std::string_view url_hash) const;     // string job id, PX visibility
  std::string State(std::string_view state) const;           // zset job id -> updated ms
  std::string Delayed() const;                               // zset job id -> due ms (retry backoff)
  std::string HostLeases(std::string_view host) const;       // zset token -> expiry ms
  std::string HostNext(std::string_view host) const;         // string: earliest next start ms
  std::string Daemons() const;                               // zset daemon id -> heartbeat ms
  std::string Daemon(std::string_view daemon_id) const;      // hash, EXPIRE 3 heartbeats
  std::string Stats() const;                                 // hash of cluster-wide counters

  // Hex SHA-256 of a normalised URL: the key part for Result/Seen/Crawling.
  static std::string UrlHash(std::string_view normalized_url);
  // A host name as a key part: lowercase ASCII host names and IP literals
  // pass through; anything else is hashed.
  static std::string HostPart(std::string_view host);

  // The job states, each with its zset.
  static const std::vector<std::string>& States();

 private:
  std::string tag_;
};

}  // namespace dragnet::app
