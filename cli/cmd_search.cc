// dragnet search VALUE [--type T] [--json]
// Which cases carry an indicator value (intel/index.h).
#include <iostream>
#include <memory>

#include "app/intel_stage.h"
#include "cli/common.h"
#include "core/json.h"
#include "intel/format.h"
#include "intel/identifiers.h"

namespace dragnet::cli {
namespace {

struct SearchFlags {
  std::string value, type;
  bool json = false;
};

void RegisterSearch(CLI::App& root, Globals& g) {
  auto f = std::make_shared<SearchFlags>();
  auto* cmd = root.add_subcommand("search", "Find the cases carrying an indicator value (wallet, e-mail, phone, ...)");
  cmd->add_option("value", f->value, "The value, as dragnet scan --json shows it")->required();
  cmd->add_option("--type", f->type, "Only this indicator type")->check(CLI::IsMember(intel::IdentifierTypes()));
  cmd->add_flag("--json", f->json, "One JSON document per line");
  cmd->callback([f, &g] {
    auto c = LoadConfigOrReport(g, "search");
    if (!c) return;
    auto index = app::OpenCampaignIndex(*c);
    if (!index.ok()) {
      std::cerr << "dragnet search: " << index.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    auto hits = (*index)->Search(f->value, f->type);
    if (!hits.ok()) {
      std::cerr << "dragnet search: " << hits.status().message() << "\n";
      g.exit_code = ExitCodeFor(hits.status());
      return;
    }
    for (const auto& h : *hits) {
      std::cout << (f->json ? DumpJson(intel::SearchHitJson(h)) : intel::SearchHitLine(h)) << "\n";
    }
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(search, 56, RegisterSearch);

}  // namespace dragnet::cli
