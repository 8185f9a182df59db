// dragnet export --format stix|misp|csv [--case ID]... [--campaign ID] [--since TIME] [-o FILE]
// Cases and campaigns for sharing (intel/export.h): a STIX 2.1 bundle, a
// MISP event, or CSV rows for blocklists. Without --case/--campaign: every
// malicious or suspicious case (seen since --since).
#include <iostream>
#include <memory>

#include "app/intel_stage.h"
#include "cli/common.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/json.h"
#include "intel/export.h"

namespace dragnet::cli {
namespace {

struct ExportFlags {
  std::string format, campaign, since, output;
  std::vector<std::string> cases;
};

// Takedown requests sent for each case, from the reporter's ledger.
Status AddTakedowns(Globals& g, intel::ExportSet& set) {
  auto s = OpenReporter(g, "export");
  if (!s) return IoError("the reporter state could not be opened");
  for (auto& c : set.cases) {
    reporters::ItemQuery q;
    q.case_id = c.member.case_id;
    q.status = "sent";
    auto items = s->service->ledger()->Items(q);
    if (!items.ok()) return items.status();
    for (const auto& i : *items) {
      std::string to = i.recipient.rfind("mailto:", 0) == 0 ? i.recipient.substr(7) : i.recipient;
      c.takedowns.push_back({to, i.sent_ms});
    }
  }
  return Status::Ok();
}

void RegisterExport(CLI::App& root, Globals& g) {
  auto f = std::make_shared<ExportFlags>();
  auto* cmd = root.add_subcommand("export", "Export cases and campaigns: STIX 2.1 bundle, MISP event or CSV");
  cmd->add_option("--format", f->format, "stix, misp or csv")->required()->check(CLI::IsMember({"stix", "misp", "csv"}));
  cmd->add_option("--case", f->cases, "This case (repeatable)");
  cmd->add_option("--campaign", f->campaign, "Every case of this campaign (any ID it ever had)");
  cmd->add_option("--since", f->since, "Only cases seen since: RFC 3339 time or a duration back from now (24h)");
  cmd->add_option("-o,--output", f->output, "Write here (atomically) instead of standard output");
  cmd->callback([f, &g] {
    auto c = LoadConfigOrReport(g, "export");
    if (!c) return;
    intel::ExportQuery q;
    q.case_ids = f->cases;
    q.campaign_id = f->campaign;
    if (!f->since.empty()) {
      auto since = reporters::ParseSince(f->since, SystemClock::Instance().NowUnixMs());
      if (!since.ok()) {
        std::cerr << "dragnet export: " << since.status().message() << "\n";
        g.exit_code = kExitUsage;
        return;
      }
      q.since_ms = *since;
    }
    auto index = app::OpenCampaignIndex(*c);
    if (!index.ok()) {
      std::cerr << "dragnet export: " << index.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    auto set = intel::CollectExport(**index, q);
    if (!set.ok()) {
      std::cerr << "dragnet export: " << set.status().message() << "\n";
      g.exit_code = ExitCodeFor(set.status());
      return;
    }
    set->producer = c->reporter.org;
    set->now_ms = SystemClock::Instance().NowUnixMs();
    Status st = AddTakedowns(g, *set);
    if (!st.ok()) {
      std::cerr << "dragnet export: " << st.message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    std::string out;
    if (f->format == "stix") out = DumpJson(intel::StixBundle(*set), 2) + "\n";
    if (f->format == "misp") out = DumpJson(intel::MispEvent(*set), 2) + "\n";
    if (f->format == "csv") out = intel::Csv(*set);
    if (f->output.empty()) {
      std::cout << out;
    } else {
      st = WriteFileAtomic(f->output, out);
      if (!st.ok()) {
        std::cerr << "dragnet export: " << f->output << ": " << st.message() << "\n";
        g.exit_code = kExitFailure;
        return;
      }
      std::cerr << "dragnet export: " << set->cases.size() << (set->cases.size() == 1 ? " case, " : " cases, ")
                << set->campaigns.size() << (set->campaigns.size() == 1 ? " campaign" : " campaigns")
                << " written to " << f->output << "\n";
    }
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(export, 57, RegisterExport);

}  // namespace dragnet::cli
