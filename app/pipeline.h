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

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/model.h"
#include "core/status.h"

namespace dragnet::app {

struct ScanFlags {
  bool report = true;     // run the reporter stage (dry-run unless delivery is enabled)
  bool locate = true;     // run the hosting stage
  bool force = false;     // ignore recrawl dedupe (daemon)
};

class Pipeline {
 public:
  explicit Pipeline(Config config);
  ~Pipeline();

  // Loads tables and opens stores; errors name the file that failed.
  Status Init();

  // Scans every seed (invalid seeds come back with `errors` filled).
  std::vector<SeedResult> ScanSeeds(const std::vector<std::string>& seeds, const ScanFlags& flags);
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
