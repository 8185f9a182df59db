#pragma once
// WorkPool: a fixed set of threads running submitted tasks in FIFO order.
// The crawler hands it the CPU work of each fetch (hashing, evidence writes,
// HTML parsing) so the event loop keeps fetching; the pipeline hands it the
// stages after the crawl (extract, verdict).
//
// WorkPool(0) has no threads: Submit runs the task inline, on the caller's
// thread, before returning (the daemon, where each worker thread already
// scans one seed, and tests that want one thread).
//
// Thread-safe: Submit and Wait may be called from any thread, including
// from inside a task (a task must not Wait on its own pool). Tasks must not
// throw. The destructor waits for every submitted task.
//
// One pool may serve several users at once (the daemon's workers share one
// pool sized to the cores); each user waits for its own tasks through a
// TaskGroup, never for the whole pool, which under load is never idle.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dragnet {

class WorkPool {
 public:
  explicit WorkPool(int threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void Submit(std::function<void()> task);
  // Blocks until every task submitted so far (and those they submit) is done.
  void Wait();
  int threads() const { return static_cast<int>(threads_.size()); }

  // Threads for `configured` workers: itself when > 0, else one per core.
  static int Resolve(int configured);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable work_cv_;   // a task arrived, or stopping
  std::condition_variable idle_cv_;   // unfinished_ reached 0
  std::deque<std::function<void()>> tasks_;  // GUARDED_BY(mu_)
  size_t unfinished_ = 0;                    // GUARDED_BY(mu_): queued + running
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
};

// The tasks one user submitted to a (possibly shared) pool. Submit runs the
// task inline when there is no pool or it has no threads. Wait blocks until
// every task submitted through this group has returned, and the destructor
// waits too, so tasks may reference the group owner's locals.
class TaskGroup {
 public:
  explicit TaskGroup(WorkPool* pool) : pool_(pool) {}
  ~TaskGroup() { Wait(); }
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  void Submit(std::function<void()> task);
  void Wait();
  // True when Submit hands tasks to other threads.
  bool parallel() const { return pool_ != nullptr && pool_->threads() > 0; }

 private:
  WorkPool* pool_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  size_t pending_ = 0;  // GUARDED_BY(mu_)
};

}  // namespace dragnet
