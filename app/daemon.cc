#include "core/json.h"
#include "app/daemon.h"

#include <httplib.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "app/config.h"
#include "app/queue_memory.h"
#include "app/queue_redis.h"
#include "core/clock.h"
#include "core/hash.h"
#include "dragnet/version.h"

namespace dragnet::app {
namespace {

int64_t Mono() { return SystemClock::Instance().MonotonicMs(); }

void SleepMs(int64_t ms, const std::atomic<bool>& stop) {
  int64_t until = Mono() + ms;
  while (Mono() < until && !stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(20, until - Mono())));
  }
}

// Claim waits at most this long for new work, so a stop request is seen
// within it (must stay below the Redis command timeout).
constexpr int kClaimBlockMs = 1000;
// Backoff for a queue that fails (Redis down): first delay and cap.
constexpr int64_t kQueueBackoffMs = 100;
constexpr int64_t kQueueBackoffMaxMs = 5000;
// How often the keeper trims streams and forgets old jobs.
constexpr int64_t kMaintainIntervalMs = 60'000;
// The keeper touches in-flight jobs at least this often, and more often
// when the visibility timeout is short (a third of it).
constexpr int64_t kMaxKeeperTickMs = 10'000;
// Hand-backs at shutdown must finish quickly even when Redis is down.
constexpr int64_t kHandBackDeadlineMs = 3000;

}  // namespace

std::vector<std::string> StagesForRoles(const std::vector<std::string>& roles) {
  bool crawl = std::find(roles.begin(), roles.end(), "crawl") != roles.end() ||
               std::find(roles.begin(), roles.end(), "enrich") != roles.end();
  std::vector<std::string> out;
  if (crawl) out.push_back(kStageCrawl);
  return out;
}

int64_t RetryDelayMs(int64_t base_ms, int attempt) {
  int64_t d = std::max<int64_t>(0, base_ms);
  for (int i = 1; i < attempt && d < kMaxRetryBackoffMs; ++i) d *= 2;
  return std::min(d, kMaxRetryBackoffMs);
}

// ----------------------------------------------------------------- daemon ---

Daemon::Daemon(std::string id, Metrics* metrics) : id_(std::move(id)), metrics_(metrics) {}

Daemon::~Daemon() {
  stop_claiming_ = true;
  abort_ = true;
  stop_keeper_ = true;
  keeper_cv_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& t : workers_) {
    if (t.joinable()) t.detach();
  }
}

Daemon::Snapshot Daemon::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Status Daemon::Start(DaemonSettings settings, DaemonDeps deps) {
  started_unix_ms_ = SystemClock::Instance().NowUnixMs();
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_.generation = 1;
    current_.settings = std::move(settings);
    current_.deps = std::move(deps);
  }
  last_queue_ok_ms_ = Mono();
  auto snap = Current();
  const auto& roles = snap.settings.options.roles;
  if (snap.settings.stages.empty() && std::find(roles.begin(), roles.end(), "monitor") == roles.end()) {
    spdlog::warn("daemon {}: roles {} consume no stage; this daemon only registers itself", id_,
                 DumpJson(nlohmann::json(snap.settings.options.roles)));
  }
  keeper_ = std::thread([this] { KeeperLoop(); });
  EnsureWorkers(snap.settings.options.concurrency);
  spdlog::info("daemon {}: started, {} workers, stages {}", id_,
               snap.settings.options.concurrency, DumpJson(nlohmann::json(snap.settings.stages)));
  return Status::Ok();
}

void Daemon::EnsureWorkers(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  while (static_cast<int>(workers_.size()) < n) {
    int index = static_cast<int>(workers_.size());
    workers_.emplace_back([this, index] { WorkerLoop(index); });
  }
}

void Daemon::Reconfigure(DaemonSettings settings, DaemonDeps deps) {
  int n = settings.options.concurrency;
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_.generation++;
    current_.settings = std::move(settings);
    current_.deps = std::move(deps);
  }
  EnsureWorkers(n);
  keeper_cv_.notify_all();
  spdlog::info("daemon {}: configuration reloaded ({} workers)", id_, n);
}

void Daemon::Track(const Delivery& d) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_[d.job_id] = d;
  metrics_->Set("dragnet_jobs_in_flight", {}, static_cast<double>(in_flight_.size()));
}

void Daemon::Untrack(const std::string& job_id) {
  std::lock_guard<std::mutex> lock(mu_);
  in_flight_.erase(job_id);
  metrics_->Set("dragnet_jobs_in_flight", {}, static_cast<double>(in_flight_.size()));
}

int64_t Daemon::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(in_flight_.size());
}

std::string Daemon::Health() const {
  if (stop_claiming_) return "draining: shutting down";
  auto snap = Current();
  int64_t limit = std::max<int64_t>(3 * snap.settings.options.heartbeat_interval_ms, 15'000);
  if (Mono() - last_queue_ok_ms_.load() > limit) {
    std::lock_guard<std::mutex> lock(mu_);
    return "queue unreachable: " + last_queue_error_;
  }
  return "";
}

// ---------------------------------------------------------------- workers ---

void Daemon::WorkerLoop(int index) {
  running_workers_++;
  struct Leave {
    std::atomic<int>& n;
    ~Leave() { n--; }
  } leave{running_workers_};
  std::unique_ptr<Queue> q;
  std::unique_ptr<HostGate> gate;
  std::unique_ptr<JobHandler> handler;
  uint64_t gen = 0;
  int64_t backoff = kQueueBackoffMs;
  int64_t last_log = 0;
  auto fail = [&](const std::string& what, const Status& st) {
    metrics_->Inc("dragnet_queue_errors_total");
    // One line per worker per 10 s at most: Redis being down is noisy.
    if (Mono() - last_log > 10'000) {
      spdlog::warn("daemon {}: worker {}: {}: {}", id_, index, what, st.ToString());
      last_log = Mono();
    }
    SleepMs(backoff, stop_claiming_);
    backoff = std::min(backoff * 2, kQueueBackoffMaxMs);
  };
  while (!stop_claiming_) {
    Snapshot snap = Current();
    if (index >= snap.settings.options.concurrency || snap.settings.stages.empty()) {
      SleepMs(200, stop_claiming_);  // parked by a smaller concurrency
      continue;
    }
    if (gen != snap.generation || !q) {
      handler.reset();
      gate.reset();
      auto nq = snap.deps.queues();
      if (!nq.ok()) {
        q.reset();
        fail("cannot open queue", nq.status());
        continue;
      }
      q = std::move(nq).value();
      q->SetStopFlag(&abort_);
      if (snap.deps.gates) {
        auto ng = snap.deps.gates();
        if (!ng.ok()) {
          q.reset();
          fail("cannot open politeness gate", ng.status());
          continue;
        }
        gate = std::move(ng).value();
      }
      gen = snap.generation;
    }
    auto c = q->Claim(snap.settings.stages, kClaimBlockMs);
    if (!c.ok()) {
      fail("claim failed", c.status());
      continue;
    }
    backoff = kQueueBackoffMs;
    if (!c->has_value()) continue;
    Delivery d = std::move(**c);
    if (stop_claiming_) {
      Status st = q->HandBack(d, false);
      if (!st.ok()) spdlog::warn("daemon {}: hand back {}: {}", id_, d.job_id, st.ToString());
      break;
    }
    if (d.reclaimed) {
      metrics_->Inc("dragnet_jobs_reclaimed_total");
      spdlog::info("daemon {}: reclaimed job {} ({}) from a silent consumer", id_, d.job_id, d.url);
    }
    RunJob(*q, gate.get(), handler, std::move(d), snap);
  }
}

void Daemon::RunJob(Queue& q, HostGate* gate, std::unique_ptr<JobHandler>& handler, Delivery d,
                    const Snapshot& snap) {
  const auto& opt = snap.settings.options;
  Labels stage = {{"stage", d.stage}};
  auto sr = q.Start(d);
  if (!sr.ok()) {
    // The entry stays pending; it comes back after visibility_timeout.
    metrics_->Inc("dragnet_queue_errors_total");
    spdlog::warn("daemon {}: start {} failed: {}", id_, d.job_id, sr.status().ToString());
    return;
  }
  switch (sr->outcome) {
    case StartOutcome::kGone:
      return;
    case StartOutcome::kDuplicate:
      metrics_->Inc("dragnet_jobs_total", {{"stage", d.stage}, {"outcome", "duplicate"}});
      spdlog::info("daemon {}: job {} ({}) is a duplicate of {}", id_, d.job_id, d.url, sr->dup_of);
      return;
    case StartOutcome::kDeadLettered:
      metrics_->Inc("dragnet_jobs_dead_lettered_total");
      metrics_->Inc("dragnet_jobs_total", {{"stage", d.stage}, {"outcome", "dead_letter"}});
      spdlog::warn("daemon {}: job {} ({}) dead-lettered after {} attempts", id_, d.job_id, d.url,
                   sr->attempt);
      return;
    case StartOutcome::kRun:
      break;
  }
  d.attempt = sr->attempt;
  Track(d);
  auto hand_back = [&](const char* why) {
    Status st = q.HandBack(d, true);
    if (!st.ok()) spdlog::warn("daemon {}: hand back {}: {}", id_, d.job_id, st.ToString());
    metrics_->Inc("dragnet_jobs_total", {{"stage", d.stage}, {"outcome", "handed_back"}});
    spdlog::info("daemon {}: handed back job {} ({}): {}", id_, d.job_id, d.url, why);
    Untrack(d.job_id);
  };

  // ---- politeness: a lease on the host before the crawl starts ----
  if (gate != nullptr && d.stage == kStageCrawl && !d.host.empty()) {
    std::string token = id_ + "/" + d.job_id;
    int64_t deadline = Mono() + opt.lease_wait_ms;
    while (true) {
      auto a = gate->Acquire(d.host, token);
      if (a.ok() && a->granted) break;
      if (!a.ok()) metrics_->Inc("dragnet_queue_errors_total");
      else metrics_->Inc("dragnet_politeness_waits_total");
      if (stop_claiming_ || Mono() >= deadline) {
        hand_back(stop_claiming_ ? "shutting down" : "host busy");
        return;
      }
      int64_t wait = a.ok() ? a->retry_after_ms : kQueueBackoffMs;
      SleepMs(std::clamp<int64_t>(wait, 5, std::max<int64_t>(5, deadline - Mono())), stop_claiming_);
    }
    d.lease_token = token;
    Track(d);  // the keeper renews the lease from here on
  }

  // ---- run ----
  if (!handler) {
    auto h = snap.deps.handlers();
    if (!h.ok()) {
      spdlog::error("daemon {}: cannot build the pipeline: {}", id_, h.status().ToString());
      if (gate && !d.lease_token.empty()) (void)gate->Release(d.host, d.lease_token);
      hand_back("pipeline unavailable");
      SleepMs(kQueueBackoffMaxMs, stop_claiming_);
      return;
    }
    handler = std::move(h).value();
  }
  std::string stored;
  if (d.stage != kStageCrawl) {
    auto r = q.ResultOf(d.url);
    if (r.ok()) stored = *r;
  }
  int64_t t0 = Mono();
  JobOutcome out;
  try {
    out = handler->Run(d, stored);
  } catch (const std::exception& e) {
    out.ok = false;
    out.error = std::string("internal: handler threw: ") + e.what();
  }
  metrics_->Observe("dragnet_job_duration_seconds", (Mono() - t0) / 1000.0, stage);
  metrics_->Inc("dragnet_pages_fetched_total", {}, static_cast<double>(out.pages));
  metrics_->Inc("dragnet_fetch_bytes_total", {}, static_cast<double>(out.bytes));
  for (double s : out.fetch_seconds) metrics_->Observe("dragnet_fetch_duration_seconds", s);
  for (const auto& k : out.error_kinds) metrics_->Inc("dragnet_fetch_errors_total", {{"kind", k}});
  for (const auto& s : out.report_statuses) metrics_->Inc("dragnet_reports_total", {{"status", s}});

  // ---- record: result + acknowledgement in one step, or a retry ----
  if (out.ok) {
    Status st = q.Complete(d, out.result_json, out.next_stage);
    if (!st.ok()) {
      // Only when Redis stayed down past the grace period: the entry is
      // still pending and will be reclaimed and redone; nothing is lost.
      metrics_->Inc("dragnet_queue_errors_total");
      spdlog::warn("daemon {}: could not record job {}: {}", id_, d.job_id, st.ToString());
    } else {
      metrics_->Inc("dragnet_jobs_total", {{"stage", d.stage}, {"outcome", "done"}});
      spdlog::info("daemon {}: job {} ({}) done in {} ms{}{}", id_, d.job_id, d.url, Mono() - t0,
                   out.summary.empty() ? "" : ": ", out.summary);
    }
  } else {
    int64_t delay = RetryDelayMs(opt.retry_backoff_ms, d.attempt);
    Status st = q.Retry(d, out.error, delay);
    if (!st.ok()) {
      metrics_->Inc("dragnet_queue_errors_total");
      spdlog::warn("daemon {}: could not schedule retry of {}: {}", id_, d.job_id, st.ToString());
    } else if (d.attempt >= snap.settings.queue.max_attempts) {
      metrics_->Inc("dragnet_jobs_dead_lettered_total");
      metrics_->Inc("dragnet_jobs_total", {{"stage", d.stage}, {"outcome", "dead_letter"}});
      spdlog::warn("daemon {}: job {} ({}) dead-lettered after {} attempts: {}", id_, d.job_id,
                   d.url, d.attempt, out.error);
    } else {
      metrics_->Inc("dragnet_jobs_retried_total");
      metrics_->Inc("dragnet_jobs_total", {{"stage", d.stage}, {"outcome", "failed"}});
      spdlog::info("daemon {}: job {} ({}) attempt {} failed, retry in {} ms: {}", id_, d.job_id,
                   d.url, d.attempt, delay, out.error);
    }
  }
  if (gate && !d.lease_token.empty()) {
    Status st = gate->Release(d.host, d.lease_token);
    if (!st.ok()) spdlog::warn("daemon {}: lease release for {}: {}", id_, d.host, st.ToString());
  }
  processed_++;
  Untrack(d.job_id);
}

// ----------------------------------------------------------------- keeper ---

DaemonInfo Daemon::Info(const Snapshot& snap) const {
  DaemonInfo info;
  info.id = id_;
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) == 0) info.hostname = host;
  info.pid = static_cast<int>(getpid());
  info.roles = snap.settings.options.roles;
  info.concurrency = snap.settings.options.concurrency;
  info.in_flight = in_flight();
  info.processed = processed_.load();
  info.started_unix_ms = started_unix_ms_;
  info.version = DRAGNET_VERSION;
  return info;
}

void Daemon::KeeperLoop() {
  std::unique_ptr<Queue> q;
  std::unique_ptr<HostGate> gate;
  uint64_t gen = 0;
  int64_t next_beat = 0, next_maintain = Mono() + kMaintainIntervalMs;
  while (!stop_keeper_) {
    Snapshot snap = Current();
    const auto& opt = snap.settings.options;
    int64_t tick = std::clamp<int64_t>(snap.settings.queue.visibility_timeout_ms / 3, 50,
                                       kMaxKeeperTickMs);
    tick = std::min(tick, opt.heartbeat_interval_ms);
    Status round = Status::Ok();
    if (gen != snap.generation || !q) {
      auto nq = snap.deps.queues();
      if (nq.ok()) {
        q = std::move(nq).value();
        q->SetStopFlag(&stop_keeper_);
        gate.reset();
        if (snap.deps.gates) {
          auto ng = snap.deps.gates();
          if (ng.ok()) gate = std::move(ng).value();
        }
        gen = snap.generation;
      } else {
        round = nq.status();
      }
    }
    if (q) {
      std::vector<Delivery> flying;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& [id, d] : in_flight_) flying.push_back(d);
      }
      if (!flying.empty()) {
        Status st = q->Touch(flying);
        if (!st.ok()) round = st;
        for (const auto& d : flying) {
          if (gate && !d.lease_token.empty()) {
            auto a = gate->Acquire(d.host, d.lease_token);  // renews our own lease
            if (!a.ok()) round = a.status();
          }
        }
      }
      if (Mono() >= next_beat) {
        next_beat = Mono() + opt.heartbeat_interval_ms;
        Status st = q->Heartbeat(Info(snap));
        if (!st.ok()) round = st;
        auto streams = q->Streams();
        if (streams.ok()) {
          for (const auto& s : *streams) {
            Labels l = {{"stream", s.name}, {"stage", s.stage}};
            metrics_->Set("dragnet_queue_depth", l, static_cast<double>(s.lag + s.pending));
            metrics_->Set("dragnet_queue_waiting", l, static_cast<double>(s.lag));
            metrics_->Set("dragnet_queue_pending", l, static_cast<double>(s.pending));
          }
        } else {
          round = streams.status();
        }
        auto counts = q->Counts();
        if (counts.ok()) {
          metrics_->Set("dragnet_queue_dead_letter", {}, static_cast<double>(counts->dead_letter));
        }
      }
      if (Mono() >= next_maintain) {
        next_maintain = Mono() + kMaintainIntervalMs;
        Status st = q->Maintain();
        if (!st.ok()) round = st;
      }
    }
    if (round.ok()) {
      last_queue_ok_ms_ = Mono();
    } else {
      metrics_->Inc("dragnet_queue_errors_total");
      std::lock_guard<std::mutex> lock(mu_);
      last_queue_error_ = round.ToString();
    }
    std::unique_lock<std::mutex> lock(mu_);
    keeper_cv_.wait_for(lock, std::chrono::milliseconds(tick), [this] { return stop_keeper_.load(); });
  }
}

// --------------------------------------------------------------- shutdown ---

int Daemon::Shutdown() {
  Snapshot snap = Current();
  stop_claiming_ = true;
  int64_t deadline = Mono() + snap.settings.options.shutdown_grace_ms;
  spdlog::info("daemon {}: stopping; {} jobs in flight, grace {} ms", id_, in_flight(),
               snap.settings.options.shutdown_grace_ms);
  // Workers finish their current job and leave their loop (an idle one
  // within one Claim wait).
  while (running_workers_.load() > 0 && Mono() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  {
    std::vector<std::thread> ws;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ws.swap(workers_);
    }
    bool all_out = running_workers_.load() == 0;
    for (auto& t : ws) {
      // Workers still inside a job past the grace are left to the process
      // exit; their late results are ignored (the entry was handed back).
      if (all_out) t.join();
      else t.detach();
    }
  }
  // Grace is over: give what is still running back to the queue.
  abort_ = true;
  std::vector<Delivery> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, d] : in_flight_) left.push_back(d);
  }
  int handed = 0;
  if (!left.empty()) {
    auto q = snap.deps.queues();
    std::atomic<bool> give_up{false};
    if (q.ok()) {
      (*q)->SetStopFlag(&give_up);
      std::atomic<bool> finished{false};
      std::thread timer([&give_up, &finished] {
        int64_t until = Mono() + kHandBackDeadlineMs;
        while (!finished && Mono() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        give_up = true;
      });
      for (const auto& d : left) {
        Status st = (*q)->HandBack(d, true);
        if (st.ok()) {
          ++handed;
          spdlog::info("daemon {}: handed back job {} ({}) at shutdown", id_, d.job_id, d.url);
        } else {
          spdlog::warn("daemon {}: could not hand back {} ({}); it returns after "
                       "visibility_timeout: {}", id_, d.job_id, d.url, st.ToString());
        }
      }
      finished = true;
      timer.join();
    }
  }
  stop_keeper_ = true;
  keeper_cv_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  auto q = snap.deps.queues();
  if (q.ok()) {
    std::atomic<bool> no{false};
    (*q)->SetStopFlag(&no);
    Status st = (*q)->Unregister(id_);
    if (!st.ok()) spdlog::warn("daemon {}: unregister: {}", id_, st.ToString());
  }
  spdlog::info("daemon {}: stopped ({} processed, {} handed back)", id_, processed_.load(), handed);
  return handed;
}

}  // namespace dragnet::app
