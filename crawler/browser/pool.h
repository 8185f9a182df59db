#pragma once
// BrowserPool: up to pool_size Chromium processes, each running one capture
// at a time, started when first needed and restarted after recycle_after
// captures or whenever a capture found its browser broken (hung, crashed,
// over its memory cap). The pool also owns pool_size threads (threads())
// for callers that want captures off their own thread: the pipeline runs
// each seed's browser stage there, so slow pages never hold the static
// crawl's event loop or its CPU pool.
//
// Threads: every method may be called from any thread. CaptureProfiles runs
// on the calling thread (it drives the capture's fetch loop) and blocks
// while every browser is busy.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/work_pool.h"
#include "crawler/browser/capture.h"
#include "crawler/browser/chromium.h"
#include "crawler/browser/options.h"

namespace dragnet::crawler::browser {

struct PoolStats {
  int launches = 0;          // Chromium processes started
  int launch_failures = 0;
  int recycled = 0;          // stopped after recycle_after captures
  int killed = 0;            // stopped because a capture found them broken
  int captures = 0;
  int64_t peak_rss = 0;      // largest process-tree PSS seen after a capture
  // Connections that reached a browser's sinkhole proxy, i.e. escaped
  // interception (counted when a browser is released).
  int leaked = 0;
};

class BrowserPool {
 public:
  // Finds the executable (an error in available() when there is none) but
  // starts no browser yet.
  BrowserPool(BrowserOptions o, crawler::CrawlOptions crawl, FetcherTestOptions test = {});
  ~BrowserPool();
  BrowserPool(const BrowserPool&) = delete;
  BrowserPool& operator=(const BrowserPool&) = delete;

  // Ok when a Chromium executable was found.
  const Status& available() const { return available_; }
  const std::string& executable() const { return executable_; }
  const BrowserOptions& options() const { return o_; }

  // Captures `url` with every configured profile, in order, on one browser.
  // A browser that cannot be started is each capture's error.
  std::vector<CaptureOutcome> CaptureProfiles(const std::string& url, EvidenceStore* evidence,
                                              ManifestWriter* manifest);
  WorkPool* threads() { return &threads_; }
  PoolStats stats() const;
  // Pids of every running browser's process tree (tests: nothing leaks).
  std::vector<pid_t> LivePids() const;

 private:
  Result<std::unique_ptr<Browser>> Acquire();
  void Release(std::unique_ptr<Browser> b);

  BrowserOptions o_;
  crawler::CrawlOptions crawl_;
  FetcherTestOptions test_;
  Status available_;
  std::string executable_;
  int size_ = 1;

  mutable std::mutex mu_;
  std::condition_variable free_cv_;
  std::vector<std::unique_ptr<Browser>> idle_;  // GUARDED_BY(mu_)
  std::vector<Browser*> busy_;                  // GUARDED_BY(mu_)
  int starting_ = 0;                            // GUARDED_BY(mu_): launches under way
  PoolStats stats_;                             // GUARDED_BY(mu_)
  WorkPool threads_;                            // last: its tasks use the members above
};

}  // namespace dragnet::crawler::browser
