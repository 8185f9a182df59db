#include "core/work_pool.h"

namespace dragnet {

WorkPool::WorkPool(int threads) {
  threads_.reserve(static_cast<size_t>(threads > 0 ? threads : 0));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkPool::~WorkPool() {
  Wait();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

int WorkPool::Resolve(int configured) {
  if (configured > 0) return configured;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void WorkPool::Submit(std::function<void()> task) {
  if (threads_.empty()) {
    task();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
    ++unfinished_;
  }
  work_cv_.notify_one();
}

void WorkPool::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return unfinished_ == 0; });
}

void WorkPool::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopping, and nothing left
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // captured state is released outside the lock
    lock.lock();
    if (--unfinished_ == 0) idle_cv_.notify_all();
  }
}

void TaskGroup::Submit(std::function<void()> task) {
  if (!parallel()) {
    task();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++pending_;
  }
  pool_->Submit([this, task = std::move(task)]() mutable {
    task();
    task = nullptr;  // the task's captures go before the group may
    std::lock_guard<std::mutex> lock(mu_);
    // Notified under the lock: once Wait sees 0 the group may be destroyed,
    // and it cannot see 0 before this returns from notify_all.
    if (--pending_ == 0) done_cv_.notify_all();
  });
}

void TaskGroup::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [this] { return pending_ == 0; });
}

}  // namespace dragnet
