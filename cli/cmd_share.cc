// dragnet share misp
// Pushes every new or changed campaign to the MISP instance of
// [share.misp] (intel/misp_push.h), through the guarded fetcher.
#include <iostream>
#include <memory>

#include "app/intel_stage.h"
#include "cli/common.h"
#include "core/clock.h"
#include "crawler/http_client.h"
#include "intel/misp_push.h"

namespace dragnet::cli {
namespace {

void RegisterShare(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("share", "Share campaigns with other teams");
  cmd->require_subcommand(1);
  auto* misp = cmd->add_subcommand("misp", "Push new and changed campaigns to MISP ([share.misp])");
  misp->callback([&g] {
    auto c = LoadConfigOrReport(g, "share misp");
    if (!c) return;
    if (c->share_misp.url.empty()) {
      std::cerr << "dragnet share misp: [share.misp] url is not set\n";
      g.exit_code = kExitUsage;
      return;
    }
    auto index = app::OpenCampaignIndex(*c);
    if (!index.ok()) {
      std::cerr << "dragnet share misp: " << index.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    crawler::GuardedHttpClient http(c->crawl);
    intel::MispPusher pusher(**index, http, c->share_misp, c->reporter.org);
    auto out = pusher.PushAll(SystemClock::Instance().NowUnixMs());
    if (!out.ok()) {
      std::cerr << "dragnet share misp: " << out.status().message() << "\n";
      g.exit_code = ExitCodeFor(out.status());
      return;
    }
    std::cout << "MISP " << c->share_misp.url << ": " << out->added << " added, " << out->edited << " edited, "
              << out->unchanged << " unchanged, " << out->failed << " failed\n";
    for (const auto& e : out->errors) std::cerr << "dragnet share misp: " << e << "\n";
    g.exit_code = out->failed ? kExitFailure : kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(share, 58, RegisterShare);

}  // namespace dragnet::cli
