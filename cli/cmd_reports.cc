// dragnet reports list [--failed] [--limit N] [--json]
// dragnet reports flush [--send]
// One row per report (a URL to a recipient), newest first: queued, sent,
// failed, suppressed, skipped, down, withdrawn. Flush closes open batches and delivers
// everything due now, retries included.
#include <iostream>
#include <memory>

#include "core/json.h"
#include "cli/common.h"

namespace dragnet::cli {
namespace {

struct ReportsFlags {
  bool failed = false, json = false, send = false;
  int limit = 100;
};

void RegisterReports(CLI::App& root, Globals& g) {
  auto* cmd = root.add_subcommand("reports", "The report ledger: list reports, flush the outbox");
  cmd->require_subcommand(1);
  auto f = std::make_shared<ReportsFlags>();

  auto* list = cmd->add_subcommand("list", "List reports with their status");
  list->add_flag("--failed", f->failed, "Only reports that failed after delivery.max_attempts");
  list->add_flag("--json", f->json, "One JSON document per report: case, recipient, status, sent_at, outbox_file, ...");
  list->add_option("--limit", f->limit, "At most this many reports, newest first [100]")->check(CLI::Range(1, 1000000));
  list->callback([f, &g] {
    auto s = OpenReporter(g, "reports list");
    if (!s) return;
    auto rows = s->service->ListReports(f->failed);
    if (!rows.ok()) {
      std::cerr << "dragnet reports list: " << rows.status().message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    const bool more = static_cast<int>(rows->size()) > f->limit;
    if (more) rows->resize(f->limit);
    if (f->json) {
      for (const auto& v : *rows) std::cout << DumpJson(reporters::ReportJson(v)) << "\n";
      if (more) std::cerr << "dragnet reports list: " << reporters::CountLine(rows->size(), true, "report") << "\n";
    } else if (rows->empty()) {
      std::cerr << "dragnet reports list: no reports" << (f->failed ? " failed" : "") << "\n";
    } else {
      std::cout << reporters::ReportsTable(*rows) << reporters::CountLine(rows->size(), more, "report") << "\n";
    }
    g.exit_code = kExitOk;
  });

  auto* flush = cmd->add_subcommand("flush", "Close open batches and deliver everything due now (retries included)");
  flush->add_flag("--send", f->send, "Deliver even when delivery.enabled is false");
  flush->callback([f, &g] {
    auto s = OpenReporter(g, "reports flush", f->send);
    if (!s) return;
    Status st = s->service->Flush();
    if (!st.ok()) {
      std::cerr << "dragnet reports flush: " << st.message() << "\n";
      g.exit_code = kExitFailure;
      return;
    }
    auto rows = s->service->ListReports(false);
    int queued = 0, sent = 0, failed = 0;
    if (rows.ok()) {
      for (const auto& v : *rows) {
        queued += v.item.status == "queued";
        sent += v.item.status == "sent";
        failed += v.item.status == "failed";
      }
    }
    std::cout << "flushed" << (s->service->delivery_enabled() ? "" : " (outbox only: delivery disabled)") << ": " << sent
              << " sent, " << queued << " queued, " << failed << " failed in total\n";
    g.exit_code = kExitOk;
  });
}

}  // namespace

DRAGNET_COMMAND(reports, 53, RegisterReports);

}  // namespace dragnet::cli
