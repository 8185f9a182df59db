// dragnet version: prints the version, the linked library versions and the
// data folder this binary reads (brands, rules, templates: app/config.h
// DataDir, before any config's general.data_dir).
#include <curl/curl.h>

#include <cstdio>

#include "app/config.h"
#include "cli/command.h"
#include "dragnet/version.h"

namespace dragnet::cli {
namespace {

void RegisterVersion(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("version", "Print the version of dragnet and of its libraries");
  cmd->callback([&g] {
    std::printf("dragnet %s\n%s\ndata: %s\n", DRAGNET_VERSION, curl_version(), app::DataDir(app::Config{}).c_str());
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(version, 100, RegisterVersion);

}  // namespace dragnet::cli
