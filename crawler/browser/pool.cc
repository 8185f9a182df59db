#include "crawler/browser/pool.h"

#include <spdlog/spdlog.h>

namespace dragnet::crawler::browser {

BrowserPool::BrowserPool(BrowserOptions o, crawler::CrawlOptions crawl, FetcherTestOptions test)
    : o_(std::move(o)), crawl_(std::move(crawl)), test_(std::move(test)), size_(ResolvePoolSize(o_.pool_size)),
      threads_(ResolvePoolSize(o_.pool_size)) {
  auto exe = FindChromium(o_.executable);
  if (exe.ok()) {
    executable_ = *exe;
  } else {
    available_ = exe.status();
  }
}

BrowserPool::~BrowserPool() {
  threads_.Wait();
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();  // each Browser kills its process tree
}

Result<std::unique_ptr<Browser>> BrowserPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    // Bounded: each wait ends when a capture releases its browser.
    free_cv_.wait(lock, [&] {
      return !idle_.empty() || static_cast<int>(busy_.size()) + starting_ < size_;
    });
    if (!idle_.empty()) {
      auto b = std::move(idle_.back());
      idle_.pop_back();
      busy_.push_back(b.get());
      return b;
    }
    ++starting_;
  }
  auto b = Browser::Launch(executable_, o_);
  std::lock_guard<std::mutex> lock(mu_);
  --starting_;
  if (!b.ok()) {
    ++stats_.launch_failures;
    free_cv_.notify_one();
    return b.status();
  }
  ++stats_.launches;
  busy_.push_back(b->get());
  return b;
}

void BrowserPool::Release(std::unique_ptr<Browser> b) {
  int64_t rss = b->TreeRss();
  int leaked = b->leaked_connections() - b->leaked_seen;
  b->leaked_seen += leaked;
  const bool broken = b->broken || b->closed();
  bool kill = broken || b->captures >= o_.recycle_after;
  if (kill) {
    if (broken) {
      spdlog::info("browser: pid {} killed after a broken capture", b->pid());
    }
    b->Kill();  // outside the lock: reaps the process tree
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.peak_rss = std::max(stats_.peak_rss, rss);
  stats_.leaked += leaked;
  busy_.erase(std::remove(busy_.begin(), busy_.end(), b.get()), busy_.end());
  if (kill) {
    if (broken) {
      ++stats_.killed;
    } else {
      ++stats_.recycled;
    }
  } else {
    idle_.push_back(std::move(b));
  }
  free_cv_.notify_one();
}

std::vector<CaptureOutcome> BrowserPool::CaptureProfiles(const std::string& url, EvidenceStore* evidence,
                                                         ManifestWriter* manifest) {
  std::vector<CaptureOutcome> out;
  for (const auto& name : o_.profiles) {
    CaptureRequest req;
    req.url = url;
    req.profile = o_.profile_defs.at(name);
    CaptureOutcome one;
    if (!available_.ok()) {
      one.capture.profile = name;
      one.capture.user_agent = req.profile.user_agent;
      one.capture.url = url;
      one.capture.error = "browser: " + available_.message();
      out.push_back(std::move(one));
      continue;
    }
    auto b = Acquire();
    if (!b.ok()) {
      one.capture.profile = name;
      one.capture.user_agent = req.profile.user_agent;
      one.capture.url = url;
      one.capture.error = b.status().message();
      out.push_back(std::move(one));
      continue;
    }
    std::unique_ptr<Browser> browser = std::move(b).value();
    one = CapturePage(*browser, req, o_, crawl_, evidence, manifest, test_);
    browser->captures++;
    if (one.browser_broken) browser->broken = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.captures;
    }
    Release(std::move(browser));
    out.push_back(std::move(one));
  }
  return out;
}

PoolStats BrowserPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

std::vector<pid_t> BrowserPool::LivePids() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<pid_t> out;
  for (const auto& b : idle_) {
    auto t = b->TreePids();
    out.insert(out.end(), t.begin(), t.end());
  }
  for (const Browser* b : busy_) {
    auto t = b->TreePids();
    out.insert(out.end(), t.begin(), t.end());
  }
  return out;
}

}  // namespace dragnet::crawler::browser
