// dragnet version: prints the version and the linked library versions.
#include <curl/curl.h>

#include <cstdio>

#include "cli/command.h"
#include "dragnet/version.h"

namespace dragnet::cli {
namespace {

void RegisterVersion(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("version", "Print the version of dragnet and of its libraries");
  cmd->callback([&g] {
    std::printf("dragnet %s\n%s\n", DRAGNET_VERSION, curl_version());
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(version, 100, RegisterVersion);

}  // namespace dragnet::cli
