#include "app/daemon_monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "reporters/store.h"

namespace dragnet::app {

bool HasMonitorRole(const std::vector<std::string>& roles) {
  return std::find(roles.begin(), roles.end(), "monitor") != roles.end();
}

MonitorRole::MonitorRole(Config config, Metrics* metrics) : config_(std::move(config)), metrics_(metrics) {}

MonitorRole::~MonitorRole() { Stop(); }

Status MonitorRole::Start() {
  life_ = std::make_unique<Lifecycle>(config_);
  DRAGNET_RETURN_IF_ERROR(life_->Init());
  Metrics* m = metrics_;
  life_->set_takedown_observer([m](const monitor::TakedownEvent& e) {
    m->Observe("dragnet_time_to_takedown_seconds", static_cast<double>(e.seconds));
  });
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
  spdlog::info("daemon: monitor role started (a round every {})", FormatDuration(config_.monitor.tick_ms));
  return Status::Ok();
}

void MonitorRole::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MonitorRole::PublishGauge() {
  auto counts = life_->reporter().cases()->CountByStatus();
  if (!counts.ok()) return;
  for (const auto& s : reporters::CaseStatuses()) {
    auto it = counts->find(s);
    metrics_->Set("dragnet_cases", {{"status", s}}, it == counts->end() ? 0.0 : static_cast<double>(it->second));
  }
}

void MonitorRole::Loop() {
  while (true) {
    // A round's errors are the round's: logged, and the next round tries again.
    try {
      auto r = life_->RunOnce(monitor::RoundFlags{});
      if (!r.ok()) {
        spdlog::warn("daemon: monitor round: {}", r.status().message());
      } else {
        metrics_->Inc("dragnet_monitor_checks_total", {{"outcome", "up"}}, r->up);
        metrics_->Inc("dragnet_monitor_checks_total", {{"outcome", "down"}}, r->down);
        metrics_->Inc("dragnet_monitor_checks_total", {{"outcome", "unknown"}}, r->unknown);
        for (const auto& l : r->lines) spdlog::info("monitor: {}", l);
      }
      PublishGauge();
    } catch (const std::exception& e) {
      spdlog::error("daemon: monitor round failed inside: {}", e.what());
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(config_.monitor.tick_ms), [this] { return stop_; })) return;
  }
}

}  // namespace dragnet::app
