#include "app/daemon_options.h"

#include "app/redis.h"
#include "core/config_section.h"

namespace dragnet::app {
namespace {

// Worker threads per daemon. Each owns a pipeline and two Redis
// connections; past a few hundred, run more daemons instead.
constexpr int kMaxConcurrency = 512;
constexpr int64_t kMinHeartbeatMs = 100;

}  // namespace

Status ParseDaemonOptions(const toml::table* root, DaemonOptions& o) {
  ConfigSection r(root, "redis");
  DRAGNET_RETURN_IF_ERROR(r.Get("url", o.redis_url));
  DRAGNET_RETURN_IF_ERROR(r.Get("key_prefix", o.key_prefix));
  DRAGNET_RETURN_IF_ERROR(r.Finish());
  ConfigSection d(root, "daemon");
  DRAGNET_RETURN_IF_ERROR(d.Get("roles", o.roles));
  DRAGNET_RETURN_IF_ERROR(d.Get("concurrency", o.concurrency));
  DRAGNET_RETURN_IF_ERROR(d.Get("metrics_listen", o.metrics_listen));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("heartbeat_interval", o.heartbeat_interval_ms));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("shutdown_grace", o.shutdown_grace_ms));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("lease_wait", o.lease_wait_ms));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("retry_backoff", o.retry_backoff_ms));
  DRAGNET_RETURN_IF_ERROR(d.Get("retry_unreachable", o.retry_unreachable));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("job_retention", o.job_retention_ms));
  DRAGNET_RETURN_IF_ERROR(d.Get("locate", o.locate));
  DRAGNET_RETURN_IF_ERROR(d.Get("report", o.report));
  DRAGNET_RETURN_IF_ERROR(d.Finish());
  return ValidateDaemonOptions(o);
}

Status ValidateDaemonOptions(const DaemonOptions& o) {
  if (!o.redis_url.empty()) {
    auto ep = ParseRedisUrl(o.redis_url);
    if (!ep.ok()) return InvalidArgument("redis.url: " + ep.status().message());
  }
  if (o.key_prefix.empty() || o.key_prefix.find_first_of("{} \t\r\n") != std::string::npos) {
    return InvalidArgument("redis.key_prefix must be non-empty, without braces or spaces");
  }
  for (const auto& role : o.roles) {
    if (role != "crawl" && role != "enrich" && role != "report") {
      return InvalidArgument("daemon.roles: unknown role '" + role + "' (crawl, enrich, report)");
    }
  }
  if (o.concurrency < 1 || o.concurrency > kMaxConcurrency) {
    return InvalidArgument("daemon.concurrency must be 1.." + std::to_string(kMaxConcurrency));
  }
  if (o.heartbeat_interval_ms < kMinHeartbeatMs) {
    return InvalidArgument("daemon.heartbeat_interval must be at least 100ms");
  }
  if (o.shutdown_grace_ms < 0 || o.lease_wait_ms < 0 || o.retry_backoff_ms < 0 ||
      o.job_retention_ms < 0) {
    return InvalidArgument("daemon durations must not be negative");
  }
  return Status::Ok();
}

}  // namespace dragnet::app
