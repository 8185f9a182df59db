#include "app/metrics.h"

#include <httplib.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace dragnet::app {
namespace {

std::string EscapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string FormatLabels(const Labels& labels, const std::string& extra_k = "",
                         const std::string& extra_v = "") {
  if (labels.empty() && extra_k.empty()) return "";
  std::string s = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) s += ",";
    first = false;
    s += k + "=\"" + EscapeLabel(v) + "\"";
  }
  if (!extra_k.empty()) {
    if (!first) s += ",";
    s += extra_k + "=\"" + extra_v + "\"";
  }
  return s + "}";
}

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : "0";
}

}  // namespace

Metrics::Family* Metrics::FamilyFor(const std::string& name, const char* default_type) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(name, Family{}).first;
    it->second.type = default_type;
  }
  return &it->second;
}

void Metrics::Describe(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* f = FamilyFor(name, type.c_str());
  f->type = type;
  f->help = help;
}

void Metrics::DescribeHistogram(const std::string& name, const std::string& help,
                                std::vector<double> buckets) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* f = FamilyFor(name, "histogram");
  f->type = "histogram";
  f->help = help;
  f->buckets = std::move(buckets);
}

void Metrics::Inc(const std::string& name, const Labels& labels, double by) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* f = FamilyFor(name, "counter");
  auto it = f->values.find(labels);
  if (it == f->values.end()) {
    if (f->values.size() >= kMaxSeriesPerMetric) {
      ++dropped_;
      return;
    }
    it = f->values.emplace(labels, 0).first;
  }
  it->second += by;
}

void Metrics::Set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* f = FamilyFor(name, "gauge");
  if (f->values.size() >= kMaxSeriesPerMetric && !f->values.count(labels)) {
    ++dropped_;
    return;
  }
  f->values[labels] = value;
}

void Metrics::Observe(const std::string& name, double value, const Labels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* f = FamilyFor(name, "histogram");
  auto it = f->histograms.find(labels);
  if (it == f->histograms.end()) {
    if (f->histograms.size() >= kMaxSeriesPerMetric) {
      ++dropped_;
      return;
    }
    it = f->histograms.emplace(labels, Histogram{}).first;
    it->second.counts.assign(f->buckets.size(), 0);
  }
  auto& h = it->second;
  for (size_t i = 0; i < f->buckets.size(); ++i) {
    if (value <= f->buckets[i]) {
      h.counts[i] += 1;
      break;
    }
  }
  h.sum += value;
  h.count += 1;
}

double Metrics::Value(const std::string& name, const Labels& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto v = it->second.values.find(labels);
  return v == it->second.values.end() ? 0 : v->second;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    if (f.type == "histogram") {
      for (const auto& [labels, h] : f.histograms) {
        double cum = 0;
        for (size_t i = 0; i < f.buckets.size(); ++i) {
          cum += h.counts[i];
          out += name + "_bucket" + FormatLabels(labels, "le", FormatValue(f.buckets[i])) + " " +
                 FormatValue(cum) + "\n";
        }
        out += name + "_bucket" + FormatLabels(labels, "le", "+Inf") + " " +
               FormatValue(static_cast<double>(h.count)) + "\n";
        out += name + "_sum" + FormatLabels(labels) + " " + FormatValue(h.sum) + "\n";
        out += name + "_count" + FormatLabels(labels) + " " +
               FormatValue(static_cast<double>(h.count)) + "\n";
      }
      continue;
    }
    for (const auto& [labels, v] : f.values) {
      out += name + FormatLabels(labels) + " " + FormatValue(v) + "\n";
    }
  }
  out += "# HELP dragnet_metrics_dropped_series_total Series refused by kMaxSeriesPerMetric.\n";
  out += "# TYPE dragnet_metrics_dropped_series_total counter\n";
  out += "dragnet_metrics_dropped_series_total " + std::to_string(dropped_) + "\n";
  return out;
}

void DescribeDaemonMetrics(Metrics& m) {
  m.Describe("dragnet_pages_fetched_total", "counter", "Pages fetched by this daemon's crawls.");
  m.Describe("dragnet_fetch_bytes_total", "counter", "Body bytes kept from fetched pages.");
  m.Describe("dragnet_fetch_errors_total", "counter", "Fetch errors, by kind (timeout, dns, ...).");
  m.Describe("dragnet_jobs_total", "counter",
             "Jobs handled by this daemon, by stage and outcome (done, duplicate, failed, "
             "dead_letter, handed_back).");
  m.Describe("dragnet_jobs_retried_total", "counter", "Failed attempts sent back for a retry.");
  m.Describe("dragnet_jobs_dead_lettered_total", "counter",
             "Jobs moved to the dead-letter stream by this daemon.");
  m.Describe("dragnet_jobs_reclaimed_total", "counter",
             "Jobs taken over from a silent daemon after visibility_timeout.");
  m.Describe("dragnet_reports_total", "counter", "Reports by status (sent, failed, queued, ...).");
  m.Describe("dragnet_jobs_in_flight", "gauge", "Jobs running in this daemon now.");
  m.Describe("dragnet_queue_depth", "gauge",
             "Entries on a stream not yet acknowledged (waiting + pending).");
  m.Describe("dragnet_queue_waiting", "gauge", "Entries on a stream not yet delivered (lag).");
  m.Describe("dragnet_queue_pending", "gauge", "Entries delivered and not yet acknowledged.");
  m.Describe("dragnet_queue_lag_seconds", "gauge",
             "Age of the oldest entry not yet delivered, per stream.");
  m.Describe("dragnet_queue_dead_letter", "gauge", "Length of the dead-letter stream.");
  m.Describe("dragnet_queue_errors_total", "counter", "Queue (Redis) operations that failed.");
  m.Describe("dragnet_politeness_waits_total", "counter",
             "Lease refusals: a host was at its cap or inside its delay.");
  m.DescribeHistogram("dragnet_fetch_duration_seconds",
                      "Time to fetch one page (all hops), from the crawl's timings.",
                      {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
  m.DescribeHistogram("dragnet_job_duration_seconds", "Time one stage of one job took.",
                      {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300});
  DescribeLifecycleMetrics(m);
}

void DescribeLifecycleMetrics(Metrics& m) {
  // Takedowns take hours to weeks (Kaspersky: a quarter gone after 13 h,
  // half after 94 h): buckets from an hour to a month.
  m.DescribeHistogram("dragnet_time_to_takedown_seconds",
                      "Time from a case's first report to its confirmed takedown (the monitor role).",
                      {3600, 6 * 3600, 12 * 3600, 24 * 3600, 48 * 3600, 96 * 3600, 7 * 86400, 14 * 86400,
                       30 * 86400});
  m.Describe("dragnet_cases", "gauge", "Cases by status (new, review, reported, escalated, down, unresolved, "
                                       "benign, rejected), refreshed each monitor round.");
  m.Describe("dragnet_monitor_checks_total", "counter", "Monitor re-checks, by outcome (up, down, unknown).");
}

// ----------------------------------------------------------------- server ---

Result<ListenAddress> ParseListenAddress(const std::string& s) {
  ListenAddress a;
  std::string port;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      return InvalidArgument("metrics_listen '" + s + "': expected [ipv6]:port");
    }
    a.host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    auto colon = s.rfind(':');
    if (colon == std::string::npos) {
      return InvalidArgument("metrics_listen '" + s + "': expected host:port");
    }
    a.host = s.substr(0, colon);
    port = s.substr(colon + 1);
    if (a.host.empty()) a.host = "0.0.0.0";
  }
  int p = -1;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || ec != std::errc() || ptr != port.data() + port.size() || p < 0 || p > 65535) {
    return InvalidArgument("metrics_listen '" + s + "': bad port");
  }
  a.port = p;
  return a;
}

MetricsServer::MetricsServer(Metrics* metrics, HealthFn health, RoutesFn routes)
    : metrics_(metrics), health_(std::move(health)), routes_(std::move(routes)) {}

MetricsServer::~MetricsServer() { Stop(); }

Status MetricsServer::Start(const std::string& listen) {
  auto addr = ParseListenAddress(listen);
  if (!addr.ok()) return addr.status();
  server_ = std::make_unique<httplib::Server>();
  // Scrapes are small; a client that trickles its request is cut off.
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  server_->set_payload_max_length(1 << 20);
  if (metrics_ != nullptr) {
    server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics_->Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
  }
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    std::string why = health_ ? health_() : "";
    if (why.empty()) {
      res.set_content("ok\n", "text/plain");
    } else {
      res.status = 503;
      res.set_content(why + "\n", "text/plain");
    }
  });
  if (routes_) routes_(*server_);
  int port = addr->port == 0 ? server_->bind_to_any_port(addr->host)
                             : (server_->bind_to_port(addr->host, addr->port) ? addr->port : -1);
  if (port <= 0) {
    server_.reset();
    return IoError("cannot listen on " + listen + " (address in use or not local)");
  }
  port_ = port;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void MetricsServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace dragnet::app
