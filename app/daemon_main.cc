// RunDaemon: the `dragnet daemon` process — config, queue backend, metrics
// server, signals (see app/daemon.h).

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

#include <cstdio>

#include "app/config.h"
#include "app/daemon.h"
#include "app/daemon_client.h"
#include "app/daemon_monitor.h"
#include "app/queue_memory.h"
#include "app/queue_redis.h"
#include "app/serve.h"
#include "core/hash.h"
#include "core/json.h"

namespace dragnet::app {
namespace {

// Forwards to the one MemoryHostGate of an embedded daemon (the factory
// hands each worker its own object).
class SharedGate final : public HostGate {
 public:
  explicit SharedGate(std::shared_ptr<HostGate> g) : g_(std::move(g)) {}
  Result<LeaseAnswer> Acquire(const std::string& h, const std::string& t) override {
    return g_->Acquire(h, t);
  }
  Status Release(const std::string& h, const std::string& t) override { return g_->Release(h, t); }

 private:
  std::shared_ptr<HostGate> g_;
};

struct Built {
  DaemonSettings settings;
  DaemonDeps deps;
};

Result<Config> Load(const DaemonFlags& flags) {
  auto c = LoadConfig(flags.config_path);
  if (!c.ok()) return c.status();
  if (!flags.roles.empty()) c->daemon.roles = flags.roles;
  if (flags.concurrency > 0) c->daemon.concurrency = flags.concurrency;
  if (!flags.metrics_listen.empty()) {
    c->daemon.metrics_listen = flags.metrics_listen == "off" ? "" : flags.metrics_listen;
  }
  DRAGNET_RETURN_IF_ERROR(ValidateDaemonOptions(c->daemon));
  return c;
}

Result<Built> Build(const Config& c, const std::string& id,
                    std::shared_ptr<MemoryQueueState>& memory_state) {
  Built b;
  b.settings.options = c.daemon;
  b.settings.stages = StagesForRoles(c.daemon.roles);
  auto& q = b.settings.queue;
  q.visibility_timeout_ms = c.crawl.visibility_timeout_ms;
  q.max_attempts = c.crawl.max_attempts;
  q.recrawl_after_ms = c.crawl.recrawl_after_ms;
  q.job_retention_ms = c.daemon.job_retention_ms;
  q.heartbeat_ttl_ms = 3 * c.daemon.heartbeat_interval_ms;
  q.consumer = id;
  if (q.visibility_timeout_ms <= 0 || q.max_attempts < 1) {
    return InvalidArgument("crawl.visibility_timeout must be positive and crawl.max_attempts >= 1");
  }
  GateOptions g;
  g.per_host_cap = c.crawl.per_host_concurrency;
  g.min_delay_ms = c.crawl.per_host_delay_ms;
  g.lease_ttl_ms = c.crawl.visibility_timeout_ms;
  if (!c.daemon.redis_url.empty()) {
    auto ep = ParseRedisUrl(c.daemon.redis_url);
    if (!ep.ok()) return InvalidArgument("redis.url: " + ep.status().message());
    b.deps.queues = RedisQueueFactory(*ep, c.daemon.key_prefix, q);
    if (g.per_host_cap > 0) {
      RedisEndpoint e = *ep;
      std::string prefix = c.daemon.key_prefix;
      b.deps.gates = [e, prefix, g]() -> Result<std::unique_ptr<HostGate>> {
        return std::unique_ptr<HostGate>(std::make_unique<RedisHostGate>(e, prefix, g));
      };
    }
  } else {
    if (!memory_state) memory_state = std::make_shared<MemoryQueueState>(q);
    b.deps.queues = MemoryQueueFactory(memory_state);
    if (g.per_host_cap > 0) {
      auto shared = std::make_shared<MemoryHostGate>(g);
      b.deps.gates = [shared]() -> Result<std::unique_ptr<HostGate>> {
        return std::unique_ptr<HostGate>(std::make_unique<SharedGate>(shared));
      };
    }
  }
  // Loaded here, at start and on reload, so a broken rules or brands file
  // stops the daemon with its error instead of failing every job.
  auto shared = LoadPipelineShared(c);
  if (!shared.ok()) return shared.status();
  b.deps.handlers = PipelineHandlerFactory(c, std::move(shared).value());
  return b;
}

std::string MakeDaemonId() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  std::string h = host[0] ? host : "host";
  for (char& ch : h) {
    if (ch == ' ' || ch == '{' || ch == '}') ch = '_';
  }
  return h + "-" + std::to_string(getpid()) + "-" + RandomUuid().substr(0, 8);
}

}  // namespace

int RunDaemon(const DaemonFlags& flags) {
  // Signals are taken synchronously by this thread (sigwait); block them
  // before any thread exists so every thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto config = Load(flags);
  if (!config.ok()) {
    std::fprintf(stderr, "dragnet daemon: %s\n", config.status().message().c_str());
    return 2;
  }
  std::string id = MakeDaemonId();
  std::shared_ptr<MemoryQueueState> memory_state;
  auto built = Build(*config, id, memory_state);
  if (!built.ok()) {
    std::fprintf(stderr, "dragnet daemon: %s\n", built.status().message().c_str());
    return 2;
  }
  bool embedded = config->daemon.redis_url.empty();
  // Fail early and clearly when the pipeline cannot load its tables.
  {
    auto h = built->deps.handlers();
    if (!h.ok()) {
      std::fprintf(stderr, "dragnet daemon: %s\n", h.status().message().c_str());
      return 1;
    }
  }

  Metrics metrics;
  DescribeDaemonMetrics(metrics);
  Daemon daemon(id, &metrics);
  std::unique_ptr<MetricsServer> server, api;
  if (!config->daemon.metrics_listen.empty()) {
    server = std::make_unique<MetricsServer>(&metrics, [&daemon] { return daemon.Health(); });
    Status st = server->Start(config->daemon.metrics_listen);
    if (!st.ok()) {
      std::fprintf(stderr, "dragnet daemon: metrics_listen: %s\n", st.message().c_str());
      return 1;
    }
  }
  // The job API (no Redis: submit/status reach this daemon), on its own
  // listener and behind its token.
  if (embedded && !config->daemon.api_listen.empty()) {
    auto token = JobApiToken(*config, /*create=*/true);
    if (!token.ok()) {
      std::fprintf(stderr, "dragnet daemon: job API token: %s\n", token.status().message().c_str());
      return 1;
    }
    QueueFactory qf = built->deps.queues;
    std::string t = *token;
    api = std::make_unique<MetricsServer>(nullptr, [&daemon] { return daemon.Health(); },
                                          [qf, t](httplib::Server& s) { AddJobApiRoutes(s, qf, t); });
    Status st = api->Start(config->daemon.api_listen);
    if (!st.ok()) {
      std::fprintf(stderr, "dragnet daemon: api_listen: %s\n", st.message().c_str());
      return 1;
    }
  }
  spdlog::info("daemon {}: config {}, roles {}, metrics on {}", id,
               flags.config_path.empty() ? std::string("(defaults)") : flags.config_path,
               DumpJson(nlohmann::json(config->daemon.roles)),
               config->daemon.metrics_listen.empty() ? std::string("(off)") : config->daemon.metrics_listen);
  if (embedded) {
    spdlog::info("daemon {}: no [redis] url: in-memory queue, job API on {} (token: {})", id,
                 config->daemon.api_listen.empty() ? std::string("(off)") : config->daemon.api_listen,
                 config->daemon.api_token.empty() ? config->general.state_dir + "/api-token"
                                                  : std::string("[daemon] api_token"));
  } else {
    auto ep = ParseRedisUrl(config->daemon.redis_url);
    spdlog::info("daemon {}: queue on {} prefix {{{}}}", id, ep.ok() ? ep->Redacted() : "?",
                 config->daemon.key_prefix);
  }
  Status st = daemon.Start(built->settings, built->deps);
  if (!st.ok()) {
    std::fprintf(stderr, "dragnet daemon: %s\n", st.message().c_str());
    return 1;
  }
  // The monitor role (app/daemon_monitor.h): its own thread beside the workers.
  std::unique_ptr<MonitorRole> monitor;
  if (HasMonitorRole(config->daemon.roles)) {
    monitor = std::make_unique<MonitorRole>(*config, &metrics);
    st = monitor->Start();
    if (!st.ok()) {
      std::fprintf(stderr, "dragnet daemon: monitor role: %s\n", st.message().c_str());
      return 1;
    }
  }
  // Role `web`: the analyst console beside the workers (app/serve.h).
  std::unique_ptr<Console> console;
  if (std::find(config->daemon.roles.begin(), config->daemon.roles.end(), "web") != config->daemon.roles.end()) {
    auto c = Console::Start(*config);
    if (!c.ok()) {
      std::fprintf(stderr, "dragnet daemon: web: %s\n", c.status().message().c_str());
      daemon.Shutdown();
      _exit(1);
    }
    console = std::move(c).value();
    spdlog::info("daemon {}: console at {}", id, console->Url());
  }

  while (true) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      auto fresh = Load(flags);
      if (!fresh.ok()) {
        spdlog::error("daemon {}: reload refused, keeping the running config: {}", id,
                      fresh.status().message());
        continue;
      }
      if (fresh->daemon.redis_url.empty() != embedded) {
        spdlog::error("daemon {}: reload refused: switching between Redis and the in-memory "
                      "queue needs a restart", id);
        continue;
      }
      if (fresh->daemon.metrics_listen != config->daemon.metrics_listen ||
          fresh->daemon.api_listen != config->daemon.api_listen ||
          fresh->daemon.api_token != config->daemon.api_token) {
        spdlog::warn("daemon {}: metrics_listen, api_listen and api_token changes take effect at the next restart",
                     id);
      }
      auto nb = Build(*fresh, id, memory_state);
      if (!nb.ok()) {
        spdlog::error("daemon {}: reload refused: {}", id, nb.status().message());
        continue;
      }
      daemon.Reconfigure(nb->settings, nb->deps);
      if (monitor) monitor->Stop();
      monitor.reset();
      if (HasMonitorRole(fresh->daemon.roles)) {
        monitor = std::make_unique<MonitorRole>(*fresh, &metrics);
        Status ms = monitor->Start();
        if (!ms.ok()) {
          spdlog::error("daemon {}: monitor role not restarted: {}", id, ms.message());
          monitor.reset();
        }
      }
      continue;
    }
    spdlog::info("daemon {}: {} received", id, sig == SIGTERM ? "SIGTERM" : "SIGINT");
    break;
  }
  if (api) api->Stop();  // no new jobs while the running ones finish
  if (console) console->Stop();
  if (monitor) monitor->Stop();
  daemon.Shutdown();
  if (server) server->Stop();
  spdlog::default_logger()->flush();
  std::fflush(nullptr);
  // Workers still inside a job past the grace period were handed back and
  // detached; leave without running destructors under their feet.
  _exit(0);
}

}  // namespace dragnet::app
