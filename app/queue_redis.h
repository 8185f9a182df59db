#pragma once
// RedisQueue: the Queue (app/queue.h) on Redis Streams with one consumer
// group ("dragnet") per stream; key layout in app/redis_keys.h and
// docs/redis-keys.md.
//
// Every state change that touches more than one key is a Lua script, so it
// is atomic (and, with appendfsync always, durable once Redis answers): the
// result, the acknowledgement and the hand-over to the next stage happen
// together or not at all. Each script checks what a previous run already did
// (XACK's answer, the job's state), so a command resent after a lost
// connection never doubles a job. Reclaim uses XAUTOCLAIM (Redis >= 6.2).
//
// Threads: one RedisQueue per thread; it owns its RedisClient (one
// connection). Blocking reads use XREADGROUP BLOCK below the client's
// command timeout.

#include <atomic>
#include <deque>
#include <memory>

#include "app/queue.h"
#include "app/redis.h"

namespace dragnet::app {

class RedisQueue final : public Queue {
 public:
  // The most entries one XAUTOCLAIM scans per call (Redis caps the scan at
  // 10x COUNT); bounds the reply and the time one reclaim takes.
  static constexpr int kReclaimCount = 10;
  // How often a worker looks for abandoned entries before reading new ones.
  static constexpr int64_t kReclaimIntervalMs = 1000;
  // Job IDs per Touch script call (bounds the script's run time).
  static constexpr size_t kMaxTouchBatch = 256;

  RedisQueue(RedisEndpoint endpoint, std::string key_prefix, QueueOptions options,
             RedisClientOptions client_options = {});

  // Connects and creates the streams' consumer groups (idempotent).
  Status Init();

  Result<std::string> Submit(const JobSpec& spec) override;
  Result<std::optional<Delivery>> Claim(const std::vector<std::string>& stages,
                                        int block_ms) override;
  Result<StartResult> Start(const Delivery& d) override;
  Status Complete(const Delivery& d, const std::string& result_json,
                  const std::string& next_stage) override;
  Status Retry(const Delivery& d, const std::string& error, int64_t delay_ms) override;
  Status HandBack(const Delivery& d, bool refund) override;
  Status Touch(const std::vector<Delivery>& in_flight) override;
  Status Heartbeat(const DaemonInfo& info) override;
  Status Unregister(const std::string& daemon_id) override;
  Result<QueueCounts> Counts() override;
  Result<std::vector<StreamStat>> Streams() override;
  Result<nlohmann::json> Job(const std::string& job_id) override;
  Result<std::string> ResultOf(const std::string& normalized_url) override;
  Status Maintain() override;
  void SetStopFlag(const std::atomic<bool>* stop) override { stop_ = stop; }

  RedisClient& client() { return client_; }
  const RedisKeys& keys() const { return keys_; }

 private:
  Status EnsureGroups();
  Status PromoteDue();
  Result<std::optional<Delivery>> Reclaim(const std::vector<std::string>& streams);
  Result<std::optional<Delivery>> ReadNew(const std::vector<std::string>& streams, int block_ms);
  Result<Delivery> ToDelivery(const std::string& stream, const RedisValue& entry);
  Result<RedisValue> Run(const RedisScript& s, const std::vector<std::string>& keys,
                         const std::vector<std::string>& args);

  RedisClient client_;
  RedisKeys keys_;
  QueueOptions options_;
  const std::atomic<bool>* stop_ = nullptr;
  int64_t last_reclaim_ms_ = 0;
  bool groups_ready_ = false;
  std::deque<Delivery> buffered_;  // extra entries one XREADGROUP returned
};

// A factory that opens one RedisQueue (own connection) per call.
QueueFactory RedisQueueFactory(RedisEndpoint endpoint, std::string key_prefix,
                               QueueOptions options);

}  // namespace dragnet::app
