#pragma once
// Lifecycle: the composition of the takedown lifecycle — the reporter's
// state (reporters/service.h), the monitor (monitor/monitor.h), its probe
// made of the pipeline (app/monitor_probe.h), the takedown signatures and
// the ticket patterns — for `dragnet monitor`, the daemon's monitor role
// and the integration tests, which inject a clock.
//
// Ownership: owns everything it builds; borrows the Clock (must outlive it).
// Threads: one thread at a time (the daemon runs it on its own thread).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "app/config.h"
#include "app/pipeline.h"
#include "core/clock.h"
#include "core/http.h"
#include "monitor/monitor.h"
#include "monitor/stats.h"
#include "reporters/service.h"

namespace dragnet::app {

class PipelineProbe;
class FetcherLivenessProbe;

class Lifecycle {
 public:
  // `shared` empty: the tables are loaded in Init().
  explicit Lifecycle(Config config, const Clock* clock = &SystemClock::Instance(), PipelineShared shared = {});
  ~Lifecycle();

  // Opens the reporter's state, loads the signatures and the ticket
  // patterns, builds the probe. Errors name the file or key.
  Status Init();

  // One monitor round (monitor/monitor.h).
  Result<monitor::RoundSummary> RunOnce(const monitor::RoundFlags& flags);

  void set_takedown_observer(std::function<void(const monitor::TakedownEvent&)> f);
  reporters::ReportService& reporter() { return *reporter_; }
  const Config& config() const { return config_; }

 private:
  Config config_;
  const Clock* clock_;
  PipelineShared shared_;
  std::unique_ptr<HttpClient> http_;              // freshness gate and webhooks
  std::unique_ptr<FetcherLivenessProbe> liveness_;
  std::unique_ptr<reporters::ReportService> reporter_;
  std::unique_ptr<PipelineProbe> probe_;
  std::unique_ptr<monitor::Signatures> signatures_;
  std::unique_ptr<monitor::Monitor> monitor_;
};

// `dragnet stats` over the reporter's state: cases first reported at or
// after `since_ms`.
Result<monitor::Stats> StatsOf(reporters::ReportService& reporter, int64_t since_ms);

}  // namespace dragnet::app
