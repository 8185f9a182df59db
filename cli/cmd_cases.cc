// dragnet cases list [--since WHEN] [--label L] [--status S] [--json]
// dragnet cases show CASE [--json]
// Cases are the reporter's memory of scanned sites (reporters/store.h).
#include <iostream>
#include <memory>

#include "core/json.h"
#include "cli/common.h"

namespace dragnet::cli {
namespace {

struct CasesFlags {
  std::string since, label, status, case_id;
  bool json = false;
};

void RegisterCases(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("cases", "List and show cases (one per scanned site, stable IDs)");
  cmd->require_subcommand(1);
  auto f = std::make_shared<CasesFlags>();

  auto* list = cmd->add_subcommand("list", "List cases, newest first");
  list->add_option("--since", f->since, "Only cases updated since: RFC 3339 time or a duration back from now (24h)");
  // A filter value that no case can have is an error listing the valid
  // ones (it used to print nothing, as if no case matched).
  list->add_option("--label", f->label, "Only this verdict label (malicious, suspicious, benign, unreachable)")
      ->check(CLI::IsMember({"malicious", "suspicious", "benign", "unreachable"}));
  list->add_option("--status", f->status, "Only this case status (review, reported, rejected, no_report)")
      ->check(CLI::IsMember({"review", "reported", "rejected", "no_report"}));
  list->add_flag("--json", f->json, "One JSON document per line");
  list->callback([f, &g] {
    auto s = OpenReporter(g, "cases list");
    if (!s) return;
    reporters::CaseQuery q;
    q.label = f->label;
    q.status = f->status;
    if (!f->since.empty()) {
      auto since = reporters::ParseSince(f->since, SystemClock::Instance().NowUnixMs());
      if (!since.ok()) {
        std::cerr << "dragnet cases list: " << since.status().message() << "\n";
        g.exit_code = kExitUsage;
        return;
      }
      q.since_ms = *since;
    }
    auto cases = s->service->ListCases(q);
    if (!cases.ok()) {
      std::cerr << "dragnet cases list: " << cases.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    for (const auto& c : *cases) {
      std::cout << (f->json ? DumpJson(reporters::CaseJson(c, false)) : reporters::CaseLine(c)) << "\n";
    }
    g.exit_code = kExitOk;
  });

  auto* show = cmd->add_subcommand("show", "Show one case: status, why, verdict, evidence");
  show->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  show->add_flag("--json", f->json, "The case and its last scan as JSON");
  show->callback([f, &g] {
    auto s = OpenReporter(g, "cases show");
    if (!s) return;
    auto c = s->service->GetCase(f->case_id);
    if (!c.ok()) {
      std::cerr << "dragnet cases show: " << c.status().message() << "\n";
      g.exit_code = c.status().code() == Code::kNotFound ? kExitUsage : kExitFailure;
      return;
    }
    std::cout << (f->json ? DumpJson(reporters::CaseJson(*c, true), 2) + "\n" : reporters::CaseText(*c));
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(cases, 50, RegisterCases);

}  // namespace dragnet::cli
