// dragnet report CASE [--dry-run] [--send]
// Files the takedown reports of one case now, whatever its status (an
// analyst's decision). --dry-run prints exactly what would be sent to whom
// and why each recipient was chosen, and writes nothing.
#include <iostream>
#include <memory>

#include "cli/common.h"

namespace dragnet::cli {
namespace {

struct ReportFlags {
  std::string case_id;
  bool dry_run = false, send = false;
};

void RegisterReport(CLI::App& root, Globals& g) {
  auto f = std::make_shared<ReportFlags>();
  auto* cmd = root.add_subcommand("report", "File the takedown reports of one case (or --dry-run: show them)");
  cmd->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  cmd->add_flag("--dry-run", f->dry_run, "Print what would be sent to whom and why; write and send nothing");
  cmd->add_flag("--send", f->send, "Deliver now even when delivery.enabled is false");
  cmd->callback([f, &g] {
    auto s = OpenReporter(g, "report");
    if (!s) return;
    if (f->dry_run) {
      auto plan = s->service->Plan(f->case_id);
      if (!plan.ok()) {
        std::cerr << "dragnet report: " << plan.status().message() << "\n";
        g.exit_code = plan.status().code() == Code::kNotFound ? kExitUsage : kExitFailure;
        return;
      }
      std::cout << reporters::PlanText(*plan);
      g.exit_code = kExitOk;
      return;
    }
    if (f->send) s->service->set_delivery_enabled(true);
    auto out = s->service->ReportNow(f->case_id);
    if (!out.ok()) {
      std::cerr << "dragnet report: " << out.status().message() << "\n";
      g.exit_code = out.status().code() == Code::kNotFound ? kExitUsage : kExitFailure;
      return;
    }
    for (const auto& r : *out) std::cout << r.status << "  " << r.recipient << "\n    why: " << r.reason << "\n";
    std::cout << (s->service->delivery_enabled() ? "delivered what was due; see: dragnet reports list\n"
                                                 : "outbox only (delivery disabled): " + s->service->outbox_dir() + "\n");
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(report, 52, RegisterReport);

}  // namespace dragnet::cli
