// dragnet daemon: run the pipeline stages as a long-lived worker, on Redis
// Streams when [redis] url is set, else on an in-memory queue (app/daemon.h).

#include "app/daemon.h"
#include "cli/command.h"

namespace dragnet::cli {
namespace {

void RegisterDaemon(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand(
      "daemon", "Run as a worker: take seeds from the queue, crawl, enrich, report");
  auto flags = std::make_shared<app::DaemonFlags>();
  auto roles = std::make_shared<std::string>();
  cmd->add_option("--roles", *roles, "Comma-separated roles: crawl,enrich,report,monitor,web (monitor: follow reported cases, see dragnet monitor; web: the console)");
  cmd->add_option("--concurrency", flags->concurrency, "Jobs in flight (overrides [daemon] concurrency)")
      ->check(CLI::Range(1, 512));
  cmd->add_option("--metrics-listen", flags->metrics_listen,
                  "host:port for /metrics and /healthz (overrides the config; 'off' disables)");
  cmd->callback([&g, flags, roles] {
    flags->config_path = g.config_path;
    flags->roles.clear();
    std::string r = *roles;
    size_t pos = 0;
    while (!r.empty() && pos <= r.size()) {
      size_t comma = r.find(',', pos);
      std::string part = r.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!part.empty()) flags->roles.push_back(part);
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    g.exit_code = app::RunDaemon(*flags);
  });
}

}  // namespace

DRAGNET_COMMAND(daemon, 50, RegisterDaemon);

}  // namespace dragnet::cli
