#include "core/json.h"
#include "app/daemon_handler.h"

#include <spdlog/spdlog.h>


#include "app/pipeline.h"
#include "core/clock.h"
#include "core/model_json.h"

namespace dragnet::app {
namespace {

// Error strings are "kind: detail" (core/model.h Hop::error). Kinds are a
// short fixed vocabulary; anything else is counted as "other" so a hostile
// error text cannot mint metric series.
std::string ErrorKind(const std::string& err) {
  auto colon = err.find(':');
  std::string k = err.substr(0, colon == std::string::npos ? 0 : colon);
  static const char* kKinds[] = {"refused", "scheme", "dns", "connect", "timeout", "tls",
                                 "protocol", "too_large", "low_speed", "redirect_loop",
                                 "too_many_redirects", "cancelled"};
  for (const char* known : kKinds) {
    if (k == known) return k;
  }
  return "other";
}

class PipelineHandler final : public JobHandler {
 public:
  PipelineHandler(std::unique_ptr<Pipeline> p, const DaemonOptions& o)
      : pipeline_(std::move(p)), retry_unreachable_(o.retry_unreachable), locate_(o.locate),
        report_(o.report) {}

  JobOutcome Run(const Delivery& job, const std::string&) override {
    ScanFlags flags;
    flags.force = job.force;
    flags.locate = locate_;
    flags.report = report_;
    // ScanOne turns an exception inside one stage into that seed's error;
    // anything that still escapes (outside the stages) fails this job alone,
    // to be retried and then dead-lettered, never the worker or its peers.
    try {
      SeedResult r = pipeline_->ScanOne(job.url, flags);
      return OutcomeFromResult(r, retry_unreachable_);
    } catch (const std::exception& e) {
      spdlog::warn("daemon: job {}: internal error: {}", job.job_id, e.what());
      JobOutcome o;
      o.ok = false;
      o.error = std::string("internal: ") + e.what();
      return o;
    }
  }

 private:
  std::unique_ptr<Pipeline> pipeline_;
  bool retry_unreachable_;
  bool locate_, report_;
};

}  // namespace

JobOutcome OutcomeFromResult(const SeedResult& r, bool retry_unreachable) {
  JobOutcome o;
  o.pages = static_cast<int64_t>(r.pages.size());
  bool reachable = false;
  bool refused = false;
  for (const auto& p : r.pages) {
    o.bytes += static_cast<int64_t>(p.bytes);
    if (p.status > 0) reachable = true;
    if (!p.error.empty()) o.error_kinds.push_back(ErrorKind(p.error));
  }
  for (const auto& s : r.redirects) {
    if (s.status > 0) reachable = true;
  }
  for (const auto& e : r.errors) {
    std::string k = ErrorKind(e);
    if (k == "refused" || k == "scheme") refused = true;
    if (r.pages.empty()) o.error_kinds.push_back(k);
  }
  for (const auto& rep : r.reports) o.report_statuses.push_back(rep.status);
  if (r.verdict) {
    o.summary = r.verdict->label + " " + std::to_string(r.verdict->score) +
                (r.verdict->scam_type.empty() ? "" : " " + r.verdict->scam_type);
  } else {
    o.summary = r.pages.empty() ? "unreachable" : "no verdict";
  }
  o.summary += ", " + std::to_string(r.reports.size()) + (r.reports.size() == 1 ? " report" : " reports") + ", " +
               std::to_string(r.pages.size()) + (r.pages.size() == 1 ? " page" : " pages");
  auto started = ParseRfc3339Ms(r.started_at);
  auto finished = ParseRfc3339Ms(r.finished_at);
  if (started.ok() && finished.ok() && *finished >= *started && !r.pages.empty()) {
    // The pipeline reports one duration per seed; spread it over its pages
    // as the per-fetch latency until per-page timings are in SeedResult.
    double per = (*finished - *started) / 1000.0 / static_cast<double>(r.pages.size());
    o.fetch_seconds.assign(r.pages.size(), per);
  }
  if (!reachable && retry_unreachable && !refused) {
    o.ok = false;
    o.error = r.errors.empty() ? "no HTTP response from " + r.seed : r.errors.front();
    return o;
  }
  o.result_json = DumpJson(nlohmann::json(r));
  return o;
}

HandlerFactory PipelineHandlerFactory(Config config, PipelineShared shared) {
  config.crawl.per_host_concurrency = 1;
  return [config, shared]() -> Result<std::unique_ptr<JobHandler>> {
    auto p = std::make_unique<Pipeline>(config, shared);
    Status st = p->Init();
    if (!st.ok()) return st;
    return std::unique_ptr<JobHandler>(
        std::make_unique<PipelineHandler>(std::move(p), config.daemon));
  };
}

}  // namespace dragnet::app
