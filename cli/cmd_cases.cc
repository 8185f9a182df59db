// dragnet cases list [--since WHEN] [--label L] [--status S] [--limit N] [--json]
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
  int limit = 50;
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
  // The status vocabulary is the store's (reporters/store.h): one list, so
  // the flag cannot fall out of step with it.
  list->add_option("--status", f->status,
                   "Only this case status (new, review, reported, escalated, down, unresolved, benign, rejected)")
      ->check(CLI::IsMember(reporters::CaseStatuses()));
  list->add_flag("--json", f->json, "One JSON document per line");
  list->add_option("--limit", f->limit, "At most this many cases, newest first [50]")->check(CLI::Range(1, 1000000));
  list->callback([f, &g] {
    auto s = OpenReporter(g, "cases list");
    if (!s) return;
    reporters::CaseQuery q;
    q.label = f->label;
    q.status = f->status;
    q.limit = f->limit + 1;  // one more: whether there are more
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
    const bool more = static_cast<int>(cases->size()) > f->limit;
    if (more) cases->resize(f->limit);
    if (f->json) {
      for (const auto& c : *cases) std::cout << DumpJson(reporters::CaseJson(c, false)) << "\n";
      if (more) std::cerr << "dragnet cases list: " << reporters::CountLine(cases->size(), true, "case") << "\n";
    } else if (cases->empty()) {
      std::cerr << "dragnet cases list: no case matches\n";
    } else {
      std::cout << reporters::CasesTable(*cases) << reporters::CountLine(cases->size(), more, "case") << "\n";
    }
    g.exit_code = kExitOk;
  });

  auto* show = cmd->add_subcommand("show", "Show one case: status, why, verdict, evidence and its timeline");
  show->add_option("case", f->case_id, "Case ID (DN-...)")->required();
  show->add_flag("--json", f->json, "The case, its standing scan and its timeline as JSON");
  show->callback([f, &g] {
    auto s = OpenReporter(g, "cases show");
    if (!s) return;
    auto c = s->service->GetCase(f->case_id);
    if (!c.ok()) {
      std::cerr << "dragnet cases show: " << c.status().message() << "\n";
      g.exit_code = c.status().code() == Code::kNotFound ? kExitUsage : kExitFailure;
      return;
    }
    auto timeline = s->service->Timeline(f->case_id);
    if (!timeline.ok()) {
      std::cerr << "dragnet cases show: " << timeline.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    if (f->json) {
      nlohmann::json j = reporters::CaseJson(*c, true);
      j["timeline"] = reporters::TimelineJson(*timeline);
      std::cout << DumpJson(j, 2) << "\n";
    } else {
      auto reports = s->service->ListReports(false, c->case_id);
      if (!reports.ok()) {
        std::cerr << "dragnet cases show: " << reports.status().message() << "\n";
        g.exit_code = kExitFailure;
        return;
      }
      std::cout << reporters::CaseText(*c) << reporters::CaseDetailsText(*c, *reports) << "  timeline:\n"
                << reporters::TimelineText(*timeline);
    }
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(cases, 50, RegisterCases);

}  // namespace dragnet::cli
