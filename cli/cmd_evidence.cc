// dragnet evidence verify DIR|MANIFEST: re-checks every hash and the chain.
#include <iostream>

#include "cli/command.h"
#include "crawler/evidence.h"

namespace dragnet::cli {
namespace {

void RegisterEvidence(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("evidence", "Work with the evidence store");
  cmd->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto* verify = cmd->add_subcommand(
      "verify", "Re-check every blob hash and every manifest's hash chain; exit 3 naming the "
                "first broken entry when anything was altered");
  verify->add_option("path", *path, "Evidence folder or one manifest file")->required();
  verify->callback([path, &g] {
    auto rep = crawler::VerifyEvidence(*path);
    if (!rep.ok()) {
      std::cerr << "dragnet evidence verify: " << rep.status().message() << "\n";
      g.exit_code = kExitUsage;
      return;
    }
    for (const auto& p : rep->problems) std::cout << "BROKEN " << p << "\n";
    std::cout << (rep->ok() ? "OK" : "FAILED") << ": " << rep->manifests << " manifests, "
              << rep->entries << " entries, " << rep->blobs << " blobs checked\n";
    g.exit_code = rep->ok() ? kExitOk : kExitIntegrity;
  });
}

}  // namespace

DRAGNET_COMMAND(evidence, 40, RegisterEvidence);

}  // namespace dragnet::cli
