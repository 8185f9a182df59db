#pragma once
// JobHandler: what a daemon worker does with one job of one stage, and
// PipelineHandler, the real one: the whole pipeline (app/pipeline.h) on the
// job's seed — crawl, extract, locate, verdict, case and reports — stored
// as the seed's SeedResult JSON.
//
// A handler decides whether an attempt failed (the job is retried, then
// dead-lettered) or produced a result (stored, acknowledged). For the
// pipeline: a crawl that never got an HTTP response (connect refused, DNS,
// timeout) is a failed attempt when retry_unreachable is set; a seed the
// policy refuses (SSRF guard, scheme) is a result, since retrying cannot
// change it.
//
// Threads: each worker thread owns its handler (a Pipeline is used by one
// thread at a time); handlers are made by a HandlerFactory.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/pipeline.h"
#include "app/queue.h"
#include "core/model.h"
#include "core/status.h"

namespace dragnet::app {

struct JobOutcome {
  bool ok = true;
  std::string error;               // when !ok: why the attempt failed
  std::string result_json;         // when ok: stored under the URL's result key
  std::string next_stage;          // "" = the job is done
  // For /metrics:
  int64_t pages = 0;
  int64_t bytes = 0;
  std::vector<double> fetch_seconds;     // one per fetch, when the handler knows
  std::vector<std::string> error_kinds;  // one per fetch error
  std::vector<std::string> report_statuses;
  // For the log's line per job: "malicious 92 phishing, 3 reports, 4 pages".
  std::string summary;
};

class JobHandler {
 public:
  virtual ~JobHandler() = default;
  // `stored_result` is the URL's stored result JSON for later stages ("" for
  // the crawl stage). Must not throw; an exception counts as a failed attempt.
  virtual JobOutcome Run(const Delivery& job, const std::string& stored_result) = 0;
};

using HandlerFactory = std::function<Result<std::unique_ptr<JobHandler>>()>;

// Fills the metric fields and ok/error of an outcome from a SeedResult.
JobOutcome OutcomeFromResult(const SeedResult& r, bool retry_unreachable);

// A handler running Pipeline::ScanOne. `config.crawl.per_host_concurrency`
// is lowered to 1 inside the pipeline, since the cluster-wide host lease
// (app/politeness.h) already counts this seed as one of the host's fetches.
// Every handler's Pipeline gets `shared` (LoadPipelineShared): one pool of
// crawl.workers threads for every worker's CPU work, so at most that many
// pages are parsed or analysed at once whatever daemon.concurrency is; the
// tables, compiled once; one parse cache.
HandlerFactory PipelineHandlerFactory(Config config, PipelineShared shared);

}  // namespace dragnet::app
