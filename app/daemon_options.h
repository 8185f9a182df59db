#pragma once
// DaemonOptions: distributed mode. Sections [redis] and [daemon].
// Owner of the keys: app/ (daemon). Without [redis] url the daemon runs
// everything in one process on an in-memory queue.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::app {

struct DaemonOptions {
  // [redis]
  std::string redis_url;                   // redis://[user:password@]host:port/db or unix:///path?db=N
  std::string key_prefix = "dragnet";
  // [daemon]
  std::vector<std::string> roles = {"crawl", "enrich", "report"};
  int concurrency = 16;                    // seeds in flight per daemon
  std::string metrics_listen = "127.0.0.1:9464";
  int64_t heartbeat_interval_ms = 5000;
  int64_t shutdown_grace_ms = 30'000;
};

Status ParseDaemonOptions(const toml::table* root, DaemonOptions& out);

}  // namespace dragnet::app
