#pragma once
// MemoryQueue: the Queue (app/queue.h) inside one process, for the embedded
// default (no [redis] url): the same states, priorities, attempts, dedupe,
// visibility timeout, retry backoff and dead letters as RedisQueue, held in a
// MemoryQueueState shared by every worker of the daemon. Nothing survives a
// restart (the reporter's SQLite state does; the queue does not).
//
// Limits: kMaxJobs jobs known at once (queued + running + finished kept for
// job_retention); Submit beyond it fails with kLimitExceeded rather than
// eating the machine's memory.
//
// Threads: MemoryQueueState is thread-safe (one mutex; Claim waits on a
// condition variable). Each MemoryQueue handle is used by one thread, like
// every Queue; make as many as there are workers.

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "app/queue.h"
#include "core/clock.h"

namespace dragnet::app {

class MemoryQueueState {
 public:
  // One million jobs of ~1 KiB each is ~1 GiB: the most a single-machine
  // deployment should hold in memory before it wants Redis.
  static constexpr size_t kMaxJobs = 1'000'000;

  explicit MemoryQueueState(QueueOptions options, const Clock* clock = nullptr);

 private:
  friend class MemoryQueue;
  struct Entry {
    uint64_t seq = 0;
    std::string job_id;
    std::string owner;          // consumer, empty while waiting
    int64_t idle_since_ms = 0;  // monotonic, last delivery or touch
  };
  struct Stream {
    std::deque<Entry> waiting;
    std::map<uint64_t, Entry> pending;
  };
  struct JobRec {
    nlohmann::json info;        // job_id, url, input, host, priority, tags, force, source, state, stage, ...
    int attempts = 0;
    int64_t due_ms = 0;         // retrying: monotonic time it goes back on its stream
    int64_t finished_ms = 0;    // monotonic; for job_retention
  };
  struct Expiring {
    std::string value;
    int64_t expires_ms = 0;     // monotonic
  };

  Stream& StreamOf(const std::string& name) { return streams_[name]; }
  void SetState(JobRec& j, const std::string& state);
  void Enqueue(const std::string& stream, const std::string& job_id);
  void PromoteDueLocked(int64_t now);

  QueueOptions options_;
  const Clock* clock_;
  RedisKeys names_;  // stream names, the same as on Redis

  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_seq_ = 1;                       // GUARDED_BY(mu_)
  std::map<std::string, Stream> streams_;       // GUARDED_BY(mu_)
  std::map<std::string, JobRec> jobs_;          // GUARDED_BY(mu_)
  std::map<std::string, std::string> results_;  // url hash -> JSON, GUARDED_BY(mu_)
  std::map<std::string, Expiring> seen_;        // url hash -> job id, GUARDED_BY(mu_)
  std::map<std::string, Expiring> crawling_;    // url hash -> job id, GUARDED_BY(mu_)
  std::vector<nlohmann::json> dead_;            // GUARDED_BY(mu_)
  std::map<std::string, std::pair<DaemonInfo, int64_t>> daemons_;  // GUARDED_BY(mu_)
  std::map<std::string, int64_t> stats_;        // GUARDED_BY(mu_)
};

class MemoryQueue final : public Queue {
 public:
  explicit MemoryQueue(std::shared_ptr<MemoryQueueState> state) : s_(std::move(state)) {}

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

 private:
  std::optional<Delivery> TryClaimLocked(const std::vector<std::string>& streams, int64_t now);

  std::shared_ptr<MemoryQueueState> s_;
  const std::atomic<bool>* stop_ = nullptr;
};

QueueFactory MemoryQueueFactory(std::shared_ptr<MemoryQueueState> state);

}  // namespace dragnet::app
