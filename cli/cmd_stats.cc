// dragnet stats [--since TIME] [--json]
// Time to takedown (monitor/stats.h): reported, taken down, still up, the
// median and p90 time from the first report to the takedown, and the same
// per recipient, per TLD and per hosting country — slowest first.
#include <iostream>
#include <memory>

#include "app/lifecycle.h"
#include "cli/common.h"
#include "core/json.h"

namespace dragnet::cli {
namespace {

struct StatsFlags {
  std::string since;
  bool json = false;
};

void RegisterStats(CLI::App& root, Globals& g) {
  auto f = std::make_shared<StatsFlags>();
  auto* cmd = root.add_subcommand("stats", "Time to takedown: overall, per recipient, per TLD, per hosting country");
  cmd->add_option("--since", f->since, "Only cases first reported since: RFC 3339 time or a duration back (30d)");
  cmd->add_flag("--json", f->json, "One JSON document");
  cmd->callback([f, &g] {
    auto s = OpenReporter(g, "stats");
    if (!s) return;
    int64_t since = 0;
    if (!f->since.empty()) {
      auto t = reporters::ParseSince(f->since, SystemClock::Instance().NowUnixMs());
      if (!t.ok()) {
        std::cerr << "dragnet stats: " << t.status().message() << "\n";
        g.exit_code = kExitUsage;
        return;
      }
      since = *t;
    }
    auto st = app::StatsOf(*s->service, since);
    if (!st.ok()) {
      std::cerr << "dragnet stats: " << st.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    std::cout << (f->json ? DumpJson(monitor::StatsJson(*st), 2) + "\n" : monitor::StatsText(*st));
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(stats, 54, RegisterStats);

}  // namespace dragnet::cli
