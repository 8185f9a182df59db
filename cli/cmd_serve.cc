// dragnet serve [--listen ADDR]: the analyst console and JSON API
// (app/serve.h, web/). [web] listen by default (127.0.0.1:8080).

#include "app/serve.h"
#include "cli/common.h"

namespace dragnet::cli {
namespace {

void RegisterServe(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("serve", "Run the analyst console and API (log in with `dragnet users add`)");
  auto listen = std::make_shared<std::string>();
  cmd->add_option("--listen", *listen, "host:port to listen on (overrides [web] listen; port 0: any free port)");
  cmd->callback([&g, listen] {
    auto cfg = LoadConfigOrReport(g, "serve", [listen](app::Config& c) {
      if (!listen->empty()) c.web.listen = *listen;
    });
    if (!cfg) return;
    g.exit_code = app::RunServe(*cfg);
  });
}

}  // namespace

DRAGNET_COMMAND(serve, 55, RegisterServe);

}  // namespace dragnet::cli
