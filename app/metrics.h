#pragma once
// Metrics: the daemon's counters, gauges and histograms, rendered in the
// Prometheus text exposition format (version 0.0.4), and MetricsServer, the
// small HTTP server (cpp-httplib) that serves them on [daemon]
// metrics_listen:
//   GET /metrics   Prometheus text
//   GET /healthz   200 "ok" while the daemon works and its queue answers,
//                  503 with the reason otherwise (draining, queue down)
// plus whatever routes the owner adds (the embedded daemon's job API).
//
// Series are created on first use. Label values come from our own code
// (stream names, error kinds from a fixed vocabulary), but the number of
// series per metric is still capped at kMaxSeriesPerMetric so a bug cannot
// grow memory without bound; further series are dropped and counted in
// dragnet_metrics_dropped_series_total.
//
// Threads: every Metrics method is thread-safe (one mutex; updates are a
// map lookup). MetricsServer runs its own listener threads; Start/Stop from
// one owner thread.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"

namespace httplib {
class Server;
}

namespace dragnet::app {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  static constexpr size_t kMaxSeriesPerMetric = 1000;

  // Declares a metric (HELP and TYPE lines). type: counter, gauge, histogram.
  void Describe(const std::string& name, const std::string& type, const std::string& help);
  void Inc(const std::string& name, const Labels& labels = {}, double by = 1);
  void Set(const std::string& name, const Labels& labels, double value);
  // Histogram with the buckets given to DescribeHistogram (seconds).
  void DescribeHistogram(const std::string& name, const std::string& help,
                         std::vector<double> buckets);
  void Observe(const std::string& name, double value, const Labels& labels = {});

  // Value of a counter or gauge series (tests, /healthz); 0 when absent.
  double Value(const std::string& name, const Labels& labels = {}) const;
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<double> counts;  // one per bucket, cumulative at render time
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    std::string type, help;
    std::vector<double> buckets;
    std::map<Labels, double> values;
    std::map<Labels, Histogram> histograms;
  };
  Family* FamilyFor(const std::string& name, const char* default_type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;  // GUARDED_BY(mu_)
  uint64_t dropped_ = 0;                    // GUARDED_BY(mu_)
};

// The daemon's metric names, declared in one place.
void DescribeDaemonMetrics(Metrics& m);
// The monitor role's: dragnet_time_to_takedown_seconds, dragnet_cases{status},
// dragnet_monitor_checks_total{outcome} (DescribeDaemonMetrics calls it).
void DescribeLifecycleMetrics(Metrics& m);

// "127.0.0.1:9464", "[::1]:9464", ":9464" (all interfaces: say so on purpose).
struct ListenAddress {
  std::string host;
  int port = 0;
};
Result<ListenAddress> ParseListenAddress(const std::string& s);

class MetricsServer {
 public:
  // Returns "" when healthy, else the reason (503 body).
  using HealthFn = std::function<std::string()>;
  // Adds routes to the server before it starts (may be empty).
  using RoutesFn = std::function<void(httplib::Server&)>;

  // `metrics` null: no /metrics (a server for `routes` and /healthz alone,
  // such as the daemon's job API).
  MetricsServer(Metrics* metrics, HealthFn health, RoutesFn routes = {});
  ~MetricsServer();

  // Binds and starts serving in a thread; error when the address is taken.
  Status Start(const std::string& listen);
  void Stop();
  int port() const { return port_; }

 private:
  Metrics* metrics_;
  HealthFn health_;
  RoutesFn routes_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace dragnet::app
