// dragnet campaigns list [--json]
// dragnet campaigns show ID [--json]
// Campaigns are cases linked by shared strong identifiers (intel/index.h).
#include <iostream>
#include <memory>

#include "app/intel_stage.h"
#include "cli/common.h"
#include "core/json.h"
#include "intel/format.h"

namespace dragnet::cli {
namespace {

struct CampaignsFlags {
  std::string id;
  bool json = false;
  int limit = intel::CampaignIndex::kMaxSearchHits;
};

std::unique_ptr<intel::CampaignIndex> OpenIndex(Globals& g, const char* what) {
  auto c = LoadConfigOrReport(g, what);
  if (!c) return nullptr;
  auto index = app::OpenCampaignIndex(*c);
  if (!index.ok()) {
    std::cerr << "dragnet " << what << ": " << index.status().message() << "\n";
    g.exit_code = kExitFailure;
    return nullptr;
  }
  return std::move(index).value();
}

void RegisterCampaigns(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("campaigns", "List and show campaigns: cases linked by shared identifiers");
  cmd->require_subcommand(1);
  auto f = std::make_shared<CampaignsFlags>();

  auto* list = cmd->add_subcommand("list", "List campaigns, most recently updated first");
  list->add_flag("--json", f->json, "One JSON document per line");
  list->add_option("--limit", f->limit, "At most this many campaigns")->check(CLI::Range(1, intel::CampaignIndex::kMaxSearchHits));
  list->callback([f, &g] {
    auto index = OpenIndex(g, "campaigns list");
    if (!index) return;
    auto all = index->List(f->limit);
    if (!all.ok()) {
      std::cerr << "dragnet campaigns list: " << all.status().message() << "\n";
      g.exit_code = ExitCodeFor(all.status());
      return;
    }
    for (const auto& v : *all) {
      std::cout << (f->json ? DumpJson(intel::CampaignJson(v, false)) : intel::CampaignLine(v)) << "\n";
    }
    g.exit_code = kExitOk;
  });

  auto* show = cmd->add_subcommand("show", "Show one campaign: its cases and what links them");
  show->add_option("id", f->id, "Campaign ID (CP-...; a merged campaign's old ID works too)")->required();
  show->add_flag("--json", f->json, "The campaign and its members as JSON");
  show->callback([f, &g] {
    auto index = OpenIndex(g, "campaigns show");
    if (!index) return;
    auto v = index->Get(f->id);
    if (!v.ok()) {
      std::cerr << "dragnet campaigns show: " << v.status().message() << "\n";
      g.exit_code = ExitCodeFor(v.status());
      return;
    }
    std::cout << (f->json ? DumpJson(intel::CampaignJson(*v, true), 2) + "\n" : intel::CampaignText(*v));
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(campaigns, 55, RegisterCampaigns);

}  // namespace dragnet::cli
