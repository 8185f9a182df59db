// dragnet: the command-line entry point. Thin: parse flags, call the
// library, print. Every subcommand lives in its own cli/cmd_*.cc.

#include <curl/curl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "core/log.h"
#include "dragnet/version.h"

namespace dragnet::cli {

std::vector<CommandEntry>& Registry() {
  static std::vector<CommandEntry> entries;
  return entries;
}

}  // namespace dragnet::cli

namespace {

// A crawl keeps up to [crawl] global_concurrency sockets open, plus evidence
// files: lift the soft open-file limit (often 1024) toward the hard one.
void RaiseOpenFileLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  rlim_t want = rl.rlim_max == RLIM_INFINITY ? rlim_t{65536} : std::min<rlim_t>(rl.rlim_max, 65536);
  if (rl.rlim_cur >= want) return;
  rl.rlim_cur = want;
  setrlimit(RLIMIT_NOFILE, &rl);
}

// What every subcommand gets, however deep: global options (--config,
// --log-format, --log-level) are accepted after the subcommand too (they
// fall through to the root), and every option that takes several values
// takes one per use (`--resolve A --resolve B URL`: the URL stays a URL).
void ApplyCommonRules(CLI::App* app) {
  app->fallthrough();
  for (CLI::Option* o : app->get_options()) {
    if (!o->get_positional() && o->get_items_expected_max() > 1) o->allow_extra_args(false);
  }
  for (CLI::App* sub : app->get_subcommands({})) ApplyCommonRules(sub);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dragnet::cli;
  RaiseOpenFileLimit();
  curl_global_init(CURL_GLOBAL_ALL);
  CLI::App app{"dragnet — find fraud sites, keep the evidence, locate who can take them down, "
               "and report them.",
               "dragnet"};
  app.set_version_flag("--version", "dragnet " DRAGNET_VERSION);
  app.require_subcommand(1);
  Globals g;
  app.add_option("--config", g.config_path, "TOML config file (default: search path, see README)");
  app.add_option("--log-format", g.log_format, "Log format on stderr: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  CLI::Option* level = app.add_option("--log-level", g.log_level,
                                      "trace, debug, info, warn, error, off (default: warn; info for the daemon)")
                          ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.parse_complete_callback([&g, &app, level] {
    // A daemon says what it does: its start line, one line per job.
    if (level->count() == 0) {
      for (const CLI::App* sub : app.get_subcommands()) {
        if (sub->get_name() == "daemon") g.log_level = "info";
      }
    }
    dragnet::Status st = dragnet::InitLogging(g.log_format, g.log_level);
    if (!st.ok()) std::fprintf(stderr, "dragnet: %s\n", st.message().c_str());
  });

  auto& reg = Registry();
  std::sort(reg.begin(), reg.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  for (auto& e : reg) e.registrar(app, g);
  ApplyCommonRules(&app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    curl_global_cleanup();
    return rc == 0 ? 0 : kExitUsage;
  }
  curl_global_cleanup();
  return g.exit_code;
}
