// dragnet report CASE [--dry-run] [--send] [--force --reason TEXT]
// Files the takedown reports of one case now, whatever its status (an
// analyst's decision). --dry-run prints exactly what would be sent to whom
// and why each recipient was chosen, and writes nothing. A case scored
// below policy.review_threshold is refused (exit 2) unless --force comes
// with a --reason, which is kept in the case.
#include <iostream>
#include <memory>

#include "cli/common.h"

namespace dragnet::cli {
namespace {

struct ReportFlags {
  std::string case_id;
  bool dry_run = false, send = false, force = false;
  std::string reason;
};

void RegisterReport(CLI::App& root, Globals& g) {
  auto f = std::make_shared<ReportFlags>();
  auto* cmd = root.add_subcommand("report", "File the takedown reports of one case (or --dry-run: show them)");
  cmd->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  cmd->add_flag("--dry-run", f->dry_run, "Print what would be sent to whom and why; write and send nothing");
  cmd->add_flag("--send", f->send, "Deliver now even when delivery.enabled is false");
  cmd->add_flag("--force", f->force, "Report a case scored below policy.review_threshold (needs --reason)");
  cmd->add_option("--reason", f->reason, "Why the case is reported anyway (kept in the case)");
  cmd->callback([f, &g] {
    if (f->force && f->reason.empty()) {
      std::cerr << "dragnet report: --force needs --reason TEXT (why this case is reported anyway)\n";
      g.exit_code = kExitUsage;
      return;
    }
    if (!f->force && !f->reason.empty()) {
      std::cerr << "dragnet report: --reason is given with --force\n";
      g.exit_code = kExitUsage;
      return;
    }
    auto s = OpenReporter(g, "report", f->send);
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
    auto out = s->service->ReportNow(f->case_id, "analyst", f->force ? f->reason : std::string());
    if (!out.ok()) {
      std::cerr << "dragnet report: " << out.status().message() << "\n";
      const Code code = out.status().code();
      g.exit_code = code == Code::kNotFound || code == Code::kRefused ? kExitUsage : kExitFailure;
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
