#pragma once
// Daemon: `dragnet daemon` — worker threads that take jobs from the queue
// (app/queue.h), gate them through the cluster-wide host leases
// (app/politeness.h), run them (app/daemon_handler.h) and record the
// outcome; plus one keeper thread that keeps in-flight jobs and leases alive,
// sends the heartbeat, refreshes queue gauges and trims the streams.
//
// Lifecycle:
//   Start()        spawns `concurrency` workers and the keeper.
//   Reconfigure()  (SIGHUP) swaps options and factories; each worker picks
//                  them up between two jobs; concurrency grows or shrinks.
//   Shutdown()     (SIGTERM/SIGINT) stops claiming, lets in-flight jobs
//                  finish for up to shutdown_grace, then hands the rest back
//                  to the queue (attempt refunded) so another daemon runs
//                  them. Returns how many were handed back.
// A queue that stops answering (Redis restarting) makes workers back off and
// retry; nothing is acknowledged until its result is stored, so nothing is
// lost, and every queue script is idempotent, so nothing is doubled.
//
// RunDaemon() is the whole `dragnet daemon` command: config, queue choice
// (Redis when [redis] url is set, else in memory with a local job API on
// metrics_listen), metrics server, signals.
//
// Threads: Start/Reconfigure/Shutdown from one owner thread; Health() and
// the counters from any thread.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/daemon_handler.h"
#include "app/daemon_options.h"
#include "app/metrics.h"
#include "app/politeness.h"
#include "app/queue.h"

namespace dragnet::app {

using GateFactory = std::function<Result<std::unique_ptr<HostGate>>()>;

struct DaemonDeps {
  QueueFactory queues;     // one queue per thread
  GateFactory gates;       // one gate per worker
  HandlerFactory handlers; // one handler per worker, made on first job
};

struct DaemonSettings {
  DaemonOptions options;
  QueueOptions queue;      // visibility, attempts, recrawl, retention, consumer
  std::vector<std::string> stages;  // from roles (see StagesForRoles)
};

// The stages a daemon with these roles consumes. The crawl stage runs the
// whole pipeline (crawl, enrich, report), so "crawl" or "enrich" take it; a
// daemon with only "report" has no stage of its own yet.
std::vector<std::string> StagesForRoles(const std::vector<std::string>& roles);

// Retry delay before attempt `attempt + 1`: base * 2^(attempt-1), capped at
// kMaxRetryBackoffMs.
int64_t RetryDelayMs(int64_t base_ms, int attempt);
inline constexpr int64_t kMaxRetryBackoffMs = 15 * 60 * 1000;

class Daemon {
 public:
  Daemon(std::string id, Metrics* metrics);
  ~Daemon();

  const std::string& id() const { return id_; }

  Status Start(DaemonSettings settings, DaemonDeps deps);
  void Reconfigure(DaemonSettings settings, DaemonDeps deps);
  int Shutdown();

  // "" when healthy; else why not (for /healthz).
  std::string Health() const;
  int64_t in_flight() const;
  int64_t processed() const { return processed_.load(); }

 private:
  struct Snapshot {
    uint64_t generation = 0;
    DaemonSettings settings;
    DaemonDeps deps;
  };
  Snapshot Current() const;
  void WorkerLoop(int index);
  void KeeperLoop();
  void RunJob(Queue& q, HostGate* gate, std::unique_ptr<JobHandler>& handler, Delivery d,
              const Snapshot& snap);
  void Track(const Delivery& d);
  void Untrack(const std::string& job_id);
  void EnsureWorkers(int n);
  DaemonInfo Info(const Snapshot& snap) const;

  std::string id_;
  Metrics* metrics_;
  int64_t started_unix_ms_ = 0;

  mutable std::mutex mu_;
  Snapshot current_;                         // GUARDED_BY(mu_)
  std::map<std::string, Delivery> in_flight_;  // job id -> delivery, GUARDED_BY(mu_)
  std::vector<std::thread> workers_;         // GUARDED_BY(mu_)
  std::thread keeper_;
  std::condition_variable keeper_cv_;

  std::atomic<bool> stop_claiming_{false};   // shutdown: no new jobs
  std::atomic<bool> abort_{false};           // grace over: give up blocking retries
  std::atomic<bool> stop_keeper_{false};
  std::atomic<int64_t> processed_{0};
  std::atomic<int> running_workers_{0};
  std::atomic<int64_t> last_queue_ok_ms_{0}; // monotonic, last successful keeper round
  std::string last_queue_error_;             // GUARDED_BY(mu_)
};

// Overrides from the command line.
struct DaemonFlags {
  std::string config_path;
  std::vector<std::string> roles;   // empty: from config
  int concurrency = 0;              // 0: from config
  std::string metrics_listen;       // empty: from config; "off" disables
};

// `dragnet daemon`: returns the process exit code (0 after a clean
// shutdown, 1 on a startup error, printed to stderr).
int RunDaemon(const DaemonFlags& flags);

}  // namespace dragnet::app
