// dragnet review list [--json] | show CASE | approve CASE [--send] | reject CASE --reason TEXT
// Cases scored between policy.review_threshold and auto_report_threshold
// wait here for an analyst; approving files their reports (outbox, and
// delivery when enabled or --send), rejecting keeps them from ever being
// reported automatically.
#include <iostream>
#include <memory>

#include "core/json.h"
#include "cli/common.h"

namespace dragnet::cli {
namespace {

struct ReviewFlags {
  std::string case_id, reason;
  bool json = false, send = false;
};

void PrintSummaries(const std::vector<ReportSummary>& reports) {
  for (const auto& r : reports) std::cout << "  " << r.status << "  " << r.recipient << "\n    why: " << r.reason << "\n";
}

void RegisterReview(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("review", "Cases waiting for an analyst: list, show, approve, reject");
  cmd->require_subcommand(1);
  auto f = std::make_shared<ReviewFlags>();

  auto* list = cmd->add_subcommand("list", "Cases waiting for review");
  list->add_flag("--json", f->json, "One JSON document per line");
  list->callback([f, &g] {
    auto s = OpenReporter(g, "review list");
    if (!s) return;
    reporters::CaseQuery q;
    q.status = reporters::kCaseReview;
    auto cases = s->service->ListCases(q);
    if (!cases.ok()) {
      std::cerr << "dragnet review list: " << cases.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    if (f->json) {
      for (const auto& c : *cases) std::cout << DumpJson(reporters::CaseJson(c, false)) << "\n";
    } else if (cases->empty()) {
      std::cerr << "dragnet review list: no case is waiting for review\n";
    } else {
      std::cout << reporters::CasesTable(*cases) << reporters::CountLine(cases->size(), false, "case") << "\n";
    }
    g.exit_code = kExitOk;
  });

  auto* show = cmd->add_subcommand("show", "A case and the reports approving it would file (dry run)");
  show->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  show->callback([f, &g] {
    auto s = OpenReporter(g, "review show");
    if (!s) return;
    auto plan = s->service->Plan(f->case_id);
    if (!plan.ok()) {
      std::cerr << "dragnet review show: " << plan.status().message() << "\n";
      g.exit_code = plan.status().code() == Code::kNotFound ? kExitUsage : kExitFailure;
      return;
    }
    std::cout << reporters::PlanText(*plan);
    g.exit_code = kExitOk;
  });

  auto* approve = cmd->add_subcommand("approve", "Approve a case: file its reports now");
  approve->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  approve->add_flag("--send", f->send, "Deliver now even when delivery.enabled is false");
  approve->callback([f, &g] {
    auto s = OpenReporter(g, "review approve", f->send);
    if (!s) return;
    auto out = s->service->Approve(f->case_id);
    if (!out.ok()) {
      std::cerr << "dragnet review approve: " << out.status().message() << "\n";
      g.exit_code = out.status().code() == Code::kNotFound || out.status().code() == Code::kInvalidArgument ? kExitUsage
                                                                                                          : kExitFailure;
      return;
    }
    std::cout << f->case_id << " approved; reports:\n";
    PrintSummaries(*out);
    g.exit_code = kExitOk;
  });

  auto* reject = cmd->add_subcommand("reject", "Reject a case: never report it automatically");
  reject->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  reject->add_option("--reason", f->reason, "Why (kept with the case)")->required();
  reject->callback([f, &g] {
    auto s = OpenReporter(g, "review reject");
    if (!s) return;
    Status st = s->service->Reject(f->case_id, f->reason);
    if (!st.ok()) {
      std::cerr << "dragnet review reject: " << st.message() << "\n";
      g.exit_code = st.code() == Code::kNotFound || st.code() == Code::kInvalidArgument ? kExitUsage : kExitFailure;
      return;
    }
    std::cout << f->case_id << " rejected: " << f->reason << "\n";
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(review, 51, RegisterReview);

}  // namespace dragnet::cli
