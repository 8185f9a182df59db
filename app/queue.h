#pragma once
// Queue: the job queue of distributed mode, seen from a daemon worker and
// from the CLI. Two implementations:
//   RedisQueue  (app/queue_redis.h)  Redis Streams + consumer groups, shared
//                                    by every daemon on every machine;
//   MemoryQueue (app/queue_memory.h) one process, no Redis (the embedded
//                                    default; jobs do not survive a restart).
//
// Life of a job (the same in both):
//   Submit      -> job record (state queued) + an entry on the seed stream of
//                  its priority (high, normal, low: read in that order).
//   Claim       -> a worker receives an entry (new, or reclaimed from a
//                  consumer that has been silent for visibility_timeout).
//   Start       -> charges one attempt; answers kRun, or kDuplicate (the URL
//                  was crawled within recrawl_after or is being crawled by
//                  another job, and --force was not given), kDeadLettered
//                  (attempts exhausted: moved to the dead-letter stream), or
//                  kGone (already finished: a duplicate delivery).
//   Complete    -> stores the result under a key derived from the normalised
//                  URL (a retry overwrites, never duplicates), then
//                  acknowledges, and forwards to the next stage — in one
//                  atomic step, so an acknowledged job always has its result.
//   Retry       -> the attempt failed: acknowledge and re-queue after a
//                  backoff delay, or dead-letter when max_attempts is used up.
//   HandBack    -> give the job back untouched (shutdown, host busy); the
//                  attempt is refunded when `refund` is set.
//   Touch       -> tell the queue the worker is still busy with the
//                  deliveries (resets their idle time so nobody reclaims them).
//
// Threads: a Queue object is used by one thread at a time. Make one per
// thread with a QueueFactory; MemoryQueue handles share one state.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/redis_keys.h"
#include "core/status.h"

namespace dragnet::app {

struct JobSpec {
  std::string url;             // as submitted
  Priority priority = Priority::kNormal;
  std::vector<std::string> tags;
  bool force = false;          // crawl even when seen within recrawl_after
  std::string source = "cli";  // cli, feed, api
};

// A job as handed to a worker.
struct Delivery {
  std::string job_id;
  std::string stage;           // kStageCrawl or kStageReport
  std::string stream;          // where the entry lives
  std::string entry_id;        // stream entry ID
  std::string url;             // normalised URL
  std::string host;            // ASCII host of the URL (politeness key)
  bool force = false;
  bool reclaimed = false;      // taken over from a silent consumer
  int attempt = 0;             // set by Start
  std::string lease_token;     // politeness lease, set by the daemon
};

enum class StartOutcome { kRun, kDuplicate, kDeadLettered, kGone };

struct StartResult {
  StartOutcome outcome = StartOutcome::kRun;
  int attempt = 0;
  std::string dup_of;          // kDuplicate: the job whose result stands
};

// What `dragnet status` prints.
struct QueueCounts {
  int64_t queued = 0;          // waiting for a worker (every stage)
  int64_t in_flight = 0;       // running now
  int64_t done = 0;            // finished (kept for job_retention)
  int64_t failed = 0;          // last attempt failed; waiting for a retry
  int64_t dead_letter = 0;     // gave up after max_attempts (dead-letter stream length)
  nlohmann::json daemons = nlohmann::json::array();  // live daemons, newest heartbeat first
  nlohmann::json streams = nlohmann::json::array();  // per stream: name, length, lag, pending
};

// One stream for /metrics.
struct StreamStat {
  std::string name;
  std::string stage;
  int64_t length = 0;
  int64_t lag = 0;             // entries not yet delivered to the group
  int64_t pending = 0;         // delivered, not acknowledged
};

// The daemon's own registration (heartbeat).
struct DaemonInfo {
  std::string id;
  std::string hostname;
  int pid = 0;
  std::vector<std::string> roles;
  int concurrency = 0;
  int64_t in_flight = 0;
  int64_t processed = 0;
  int64_t started_unix_ms = 0;
  std::string version;
};

struct QueueOptions {
  int64_t visibility_timeout_ms = 5 * 60 * 1000;  // [crawl] visibility_timeout
  int max_attempts = 5;                           // [crawl] max_attempts
  int64_t recrawl_after_ms = 24LL * 3600 * 1000;  // [crawl] recrawl_after
  int64_t job_retention_ms = 7LL * 24 * 3600 * 1000;  // [daemon] job_retention
  int64_t heartbeat_ttl_ms = 15'000;              // 3 heartbeats
  std::string consumer;                           // this daemon's consumer name
};

class Queue {
 public:
  virtual ~Queue() = default;

  // Validates and normalises spec.url (core/url.h); returns the job ID.
  virtual Result<std::string> Submit(const JobSpec& spec) = 0;
  // Next job for any of `stages` (reclaims first, then priority order),
  // waiting up to block_ms; nullopt when there is none.
  virtual Result<std::optional<Delivery>> Claim(const std::vector<std::string>& stages,
                                                int block_ms) = 0;
  virtual Result<StartResult> Start(const Delivery& d) = 0;
  // `next_stage` empty: the job is done.
  virtual Status Complete(const Delivery& d, const std::string& result_json,
                          const std::string& next_stage) = 0;
  // Re-queues after `delay_ms` (0: now), or dead-letters.
  virtual Status Retry(const Delivery& d, const std::string& error, int64_t delay_ms) = 0;
  virtual Status HandBack(const Delivery& d, bool refund) = 0;
  virtual Status Touch(const std::vector<Delivery>& in_flight) = 0;

  virtual Status Heartbeat(const DaemonInfo& info) = 0;
  virtual Status Unregister(const std::string& daemon_id) = 0;
  virtual Result<QueueCounts> Counts() = 0;
  virtual Result<std::vector<StreamStat>> Streams() = 0;
  // {job_id, url, state, stage, attempts, ..., result: {...}}; kNotFound.
  virtual Result<nlohmann::json> Job(const std::string& job_id) = 0;
  // Stored result of a normalised URL (SeedResult JSON); kNotFound.
  virtual Result<std::string> ResultOf(const std::string& normalized_url) = 0;
  // Periodic upkeep (trim acknowledged stream entries, forget old jobs).
  virtual Status Maintain() = 0;

  // Ends blocking waits and retry loops early (shutdown).
  virtual void SetStopFlag(const std::atomic<bool>* stop) = 0;
};

using QueueFactory = std::function<Result<std::unique_ptr<Queue>>()>;

}  // namespace dragnet::app
