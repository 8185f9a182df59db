#include "app/daemon_options.h"

#include "app/redis.h"
#include "core/config_section.h"
#include "core/options_table.h"

namespace dragnet::app {
namespace {

// Worker threads per daemon. Each owns a pipeline and two Redis
// connections; past a few hundred, run more daemons instead.
constexpr int kMaxConcurrency = 512;
constexpr int64_t kMinHeartbeatMs = 100;
constexpr int64_t kHourMs = 3600 * 1000;

using O = DaemonOptions;

// The [daemon] keys with a member and a range (the rest, with their own
// checks, below). Read by ParseDaemonOptions and checked again after the
// command-line flags by ValidateDaemonOptions.
const OptionTable<O>& Table() {
  static const OptionTable<O> t = {
      List("roles", &O::roles),
      Int("concurrency", &O::concurrency, 1, kMaxConcurrency),
      Text("metrics_listen", &O::metrics_listen),
      Text("api_listen", &O::api_listen),
      Text("api_token", &O::api_token),
      Duration("heartbeat_interval", &O::heartbeat_interval_ms, kMinHeartbeatMs, kHourMs),
      Duration("shutdown_grace", &O::shutdown_grace_ms, 0, kHourMs),
      Duration("lease_wait", &O::lease_wait_ms, 0, kHourMs),
      Duration("retry_backoff", &O::retry_backoff_ms, 0, 24 * kHourMs),
      Flag("retry_unreachable", &O::retry_unreachable),
      Duration("job_retention", &O::job_retention_ms, 0, 3650 * 24 * kHourMs),
      Flag("locate", &O::locate),
      Flag("report", &O::report),
  };
  return t;
}

}  // namespace

Status ParseDaemonOptions(const toml::table* root, DaemonOptions& o) {
  ConfigSection r(root, "redis");
  DRAGNET_RETURN_IF_ERROR(r.Get("url", o.redis_url));
  DRAGNET_RETURN_IF_ERROR(r.Get("key_prefix", o.key_prefix));
  DRAGNET_RETURN_IF_ERROR(r.Finish());
  ConfigSection d(root, "daemon");
  DRAGNET_RETURN_IF_ERROR(BindOptions(d, Table(), o));
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
    if (role != "crawl" && role != "enrich" && role != "report" && role != "monitor" && role != "web") {
      return InvalidArgument("daemon.roles: unknown role '" + role + "' (crawl, enrich, report, monitor, web)");
    }
  }
  if (!o.api_token.empty() && o.api_token.size() < 16) {
    return InvalidArgument("daemon.api_token must be at least 16 characters (or empty: <state_dir>/api-token)");
  }
  if (!o.api_listen.empty() && o.api_listen == o.metrics_listen) {
    return InvalidArgument("daemon.api_listen must differ from daemon.metrics_listen: scraping metrics must not "
                           "reach the job API");
  }
  return CheckOptions("daemon", Table(), o);
}

}  // namespace dragnet::app
