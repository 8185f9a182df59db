#include "app/lifecycle.h"

#include "app/liveness.h"
#include "app/monitor_probe.h"
#include "crawler/http_client.h"

namespace dragnet::app {

Lifecycle::Lifecycle(Config config, const Clock* clock, PipelineShared shared)
    : config_(std::move(config)), clock_(clock), shared_(std::move(shared)) {}

Lifecycle::~Lifecycle() = default;

Status Lifecycle::Init() {
  http_ = std::make_unique<crawler::GuardedHttpClient>(config_.crawl);
  liveness_ = std::make_unique<FetcherLivenessProbe>(*http_, config_.crawl);
  reporter_ = std::make_unique<reporters::ReportService>(config_.reporter, config_.general.state_dir,
                                                         liveness_.get(), http_.get(), clock_);
  DRAGNET_RETURN_IF_ERROR(reporter_->Init());
  auto sigs = monitor::Signatures::Load(config_.monitor.signatures_file);
  if (!sigs.ok()) return sigs.status();
  signatures_ = std::make_unique<monitor::Signatures>(std::move(sigs).value());
  auto tickets = monitor::TicketPatterns::Compile(config_.monitor.ticket_patterns);
  if (!tickets.ok()) return tickets.status();
  if (!shared_.rules) {
    auto s = LoadPipelineShared(config_);
    if (!s.ok()) return s.status();
    shared_ = std::move(s).value();
  }
  probe_ = std::make_unique<PipelineProbe>(config_, shared_);
  DRAGNET_RETURN_IF_ERROR(probe_->Init());
  monitor_ = std::make_unique<monitor::Monitor>(config_.monitor, *reporter_, *probe_, *signatures_,
                                                std::move(tickets).value(), clock_);
  return Status::Ok();
}

Result<monitor::RoundSummary> Lifecycle::RunOnce(const monitor::RoundFlags& flags) {
  if (!monitor_) return Internal("Lifecycle used before a successful Init()");
  return monitor_->RunOnce(flags);
}

void Lifecycle::set_takedown_observer(std::function<void(const monitor::TakedownEvent&)> f) {
  if (monitor_) monitor_->set_takedown_observer(std::move(f));
}

Result<monitor::Stats> StatsOf(reporters::ReportService& reporter, int64_t since_ms) {
  reporters::CaseQuery q;
  q.limit = 10'000'000;  // every case; the window is applied on reported_at below
  auto cases = reporter.ListCases(q);
  if (!cases.ok()) return cases.status();
  auto items = reporter.ledger()->Items(reporters::ItemQuery{"", "", 100'000'000});
  if (!items.ok()) return items.status();
  return monitor::ComputeStats(*cases, *items, since_ms);
}

}  // namespace dragnet::app
