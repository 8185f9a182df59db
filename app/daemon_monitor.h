#pragma once
// MonitorRole: the daemon's `monitor` role ([daemon] roles or --roles):
// one thread that runs a monitor round (app/lifecycle.h) every [monitor]
// tick on the daemon's state folder, and publishes the lifecycle metrics
// (dragnet_time_to_takedown_seconds, dragnet_cases{status},
// dragnet_monitor_checks_total{outcome}). Several daemons may carry the
// role on one state folder: each re-check is claimed in the store first.
//
// Ownership: owns its Lifecycle and thread; borrows Metrics (must outlive
// it). Start/Stop from the daemon's main thread.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "app/config.h"
#include "app/lifecycle.h"
#include "app/metrics.h"

namespace dragnet::app {

class MonitorRole {
 public:
  MonitorRole(Config config, Metrics* metrics);
  ~MonitorRole();

  // Builds the lifecycle (a bad signatures file or ticket pattern is an
  // error here, not later) and starts the thread.
  Status Start();
  // Lets the round in progress finish, then joins the thread.
  void Stop();

 private:
  void Loop();
  void PublishGauge();

  Config config_;
  Metrics* metrics_;
  std::unique_ptr<Lifecycle> life_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // GUARDED_BY(mu_)
};

// True when `roles` includes "monitor".
bool HasMonitorRole(const std::vector<std::string>& roles);

}  // namespace dragnet::app
