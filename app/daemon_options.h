#pragma once
// DaemonOptions: distributed mode. Sections [redis] and [daemon].
// Owner of the keys: app/ (daemon). Without [redis] url the daemon runs
// everything in one process on an in-memory queue (app/queue_memory.h).
// The crawl-side knobs of the queue (per_host_concurrency, per_host_delay,
// recrawl_after, visibility_timeout, max_attempts) live in [crawl]
// (crawler/options.h). Plain value type.

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
  std::string key_prefix = "dragnet";      // keys are "{key_prefix}:..." (one cluster hash slot)
  // [daemon]
  std::vector<std::string> roles = {"crawl", "enrich", "report"};
  int concurrency = 16;                    // seeds in flight per daemon (one worker thread each)
  std::string metrics_listen = "127.0.0.1:9464";  // /metrics and /healthz; "" turns them off
  // The job API of a daemon without Redis (app/daemon_client.h), apart from
  // /metrics so that scraping never grants job submission; "" turns it off.
  std::string api_listen = "127.0.0.1:9465";
  // Its Bearer token; "": <state_dir>/api-token, created (0600) by the daemon
  // and read there by `submit`/`status` on the same machine.
  std::string api_token;
  int64_t heartbeat_interval_ms = 5000;    // registration refresh; a daemon is live for 3 of these
  int64_t shutdown_grace_ms = 30'000;      // SIGTERM: finish in-flight jobs within this, then hand back
  int64_t lease_wait_ms = 2000;            // wait this long for a busy host's lease, then requeue the seed
  int64_t retry_backoff_ms = 10'000;       // delay before the 2nd attempt; doubled per attempt (cap 15m)
  bool retry_unreachable = true;           // a crawl that got no HTTP response at all counts as failed
  int64_t job_retention_ms = 7LL * 24 * 3600 * 1000;  // finished job records kept this long
  bool locate = true;                      // run the hosting stage (DNS, geo, RDAP) in the crawl stage
  bool report = true;                      // run the reporter stage (cases, reports) in the crawl stage
};

// Checks values (roles known, concurrency in range, URL parses).
Status ParseDaemonOptions(const toml::table* root, DaemonOptions& out);
Status ValidateDaemonOptions(const DaemonOptions& o);

}  // namespace dragnet::app
