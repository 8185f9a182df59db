#include "app/daemon_options.h"

#include "core/config_section.h"

namespace dragnet::app {

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
  return d.Finish();
}

}  // namespace dragnet::app
