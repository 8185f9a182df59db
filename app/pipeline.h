#pragma once
// Pipeline: one seed end to end, in the order data flows:
//   crawl (crawler/) -> parse + extract (extractors/) -> locate
//   (extractors/hosting/) -> verdict (extractors/verdict) -> case + reports
//   (reporters/).
// Each stage gets plain structs from the one before and never reaches back.
//
// A Pipeline loads its tables (brands, rules, contacts, geo databases, RDAP
// bootstrap) once in Init() and is then used by one thread at a time;
// ScanSeeds() crawls many seeds concurrently on one curl multi handle, while
// a pool of `crawl.workers` threads hashes, stores and parses each fetched
// page and takes each seed through extraction, location, verdict and report
// as soon as its crawl is over.
//
// The daemon runs one Pipeline per worker thread, each scanning one seed at
// a time with ScanOne(), and gives them all one pool (PipelineShared): the
// CPU work of every worker (hash, store, parse, extract, verdict) runs on as
// many threads as there are cores, while each worker's own thread does the
// waiting (fetch loop, DNS and RDAP, report delivery), so a slow RDAP server
// never holds a core's worth of parsing.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/model.h"
#include "core/status.h"
#include "core/work_pool.h"
#include "extractors/brands.h"
#include "extractors/page_cache.h"
#include "extractors/rules.h"

namespace dragnet::crawler::browser {
class BrowserPool;
}

namespace dragnet::app {

// What the Pipelines of one process may share: the CPU pool, the read-only
// tables (compiled once: the rules' pattern database alone takes ~40 MB
// while it compiles) and the parse cache. A null member: the Pipeline makes
// or loads its own in Init().
struct PipelineShared {
  std::shared_ptr<WorkPool> pool;
  std::shared_ptr<const extractors::BrandCatalog> brands;
  std::shared_ptr<const extractors::RuleSet> rules;
  std::shared_ptr<extractors::PageCache> page_cache;
  // The browser stage's pool (its own threads); null when [browser] is off
  // or no Chromium was found.
  std::shared_ptr<crawler::browser::BrowserPool> browsers;
};

// Every member of PipelineShared made or loaded from `config`: the pool has
// WorkPool::Resolve(crawl.workers) threads (at least one). Errors name the
// file that failed.
Result<PipelineShared> LoadPipelineShared(const Config& config);

struct ScanFlags {
  bool report = true;     // run the reporter stage (dry-run unless delivery is enabled)
  bool locate = true;     // run the hosting stage
  bool force = false;     // ignore recrawl dedupe (daemon)
};

class Pipeline {
 public:
  explicit Pipeline(Config config, PipelineShared shared = {});
  ~Pipeline();

  // Loads tables and opens stores; errors name the file that failed.
  Status Init();

  // Scans every seed (invalid seeds come back with `errors` filled).
  std::vector<SeedResult> ScanSeeds(const std::vector<std::string>& seeds, const ScanFlags& flags);
  // The same, handing each seed's result to `each` as soon as that seed is
  // done (in completion order, with its index in `seeds`), from the pool's
  // threads: `each` must be thread-safe. Every seed gets exactly one call,
  // also after Cancel() (unfinished seeds come back `interrupted`).
  using EachResult = std::function<void(size_t index, SeedResult result)>;
  void ScanSeeds(const std::vector<std::string>& seeds, const ScanFlags& flags, const EachResult& each);
  // Stops ScanSeeds/ScanOne in progress: seeds being crawled end with what
  // they have, marked interrupted (no verdict, no report), seeds not yet
  // started are not crawled. Async-signal-safe.
  void Cancel();
  // One seed: crawl (CPU work on the pool), locate and report on the
  // calling thread, extract and verdict on the pool.
  SeedResult ScanOne(const std::string& seed, const ScanFlags& flags);
  // Closes every open report batch and delivers what is due: the end of a
  // one-shot scan, so a batch_window never leaves reports unsent.
  Status FlushReports();

  const Config& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dragnet::app
