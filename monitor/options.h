#pragma once
// MonitorOptions: the takedown lifecycle's knobs. Sections [monitor]
// (re-check schedule, signal confirmation, give-up), [escalation] (+
// [escalation.after_by_kind]) and [inbox] (the abuse mailbox read for
// replies and bounces). Owner of the keys: monitor/. Plain value type;
// parse once at startup, then share read-only. config/dragnet.example.toml
// mirrors every default.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::monitor {

struct MonitorOptions {
  // [monitor]
  // First re-check this long after a case is reported; after every check
  // that finds the site still up the interval grows by `backoff`, up to
  // `max_interval` (Kaspersky's study re-checked every 2 h for 30 days).
  int64_t interval_ms = 2LL * 3600 * 1000;
  double backoff = 1.5;
  int64_t max_interval_ms = 24LL * 3600 * 1000;
  // Consecutive checks with a takedown signal before a case is `down`.
  // While a streak runs, the next check comes after `interval` again.
  int confirm_down = 2;
  // Still up this long after the first report: `unresolved`, no longer
  // watched. A `down` case is watched this long after it went down, so a
  // site that comes back is reopened.
  int64_t give_up_after_ms = 30LL * 24 * 3600 * 1000;
  // The re-check's crawl: link hops from the reported URL and pages.
  int depth = 1;
  int max_pages = 5;
  // Cases re-checked per round (`dragnet monitor --once`, one daemon tick);
  // the rest wait for the next round, soonest due first.
  int max_checks_per_round = 200;
  // How often the daemon's monitor role runs a round.
  int64_t tick_ms = 60'000;
  // Takedown signatures (hosting suspension and default pages, parking,
  // CDN block pages); default: <data_dir>/takedown.toml.
  std::string signatures_file;

  // [escalation]
  // Still up this long after a report: one follow-up to the same recipient,
  // then — this long after the first follow-up — the next level, each once.
  int64_t escalate_after_ms = 48LL * 3600 * 1000;
  // [escalation.after_by_kind]: per recipient kind (registrar, hosting, cdn,
  // platform, registry, cert, provider, shortener, upstream).
  std::map<std::string, int64_t> after_by_kind_ms;
  // Follow-ups and escalations at all (off: the monitor only watches).
  bool enabled = true;

  // [inbox]
  std::string maildir;                       // the abuse mailbox (Maildir); empty: no replies read
  int64_t max_message_bytes = 10LL << 20;    // a bigger message is recorded as skipped, not parsed
  int max_messages_per_round = 1000;         // files read per round; the rest wait
  // Extra RE2 patterns for ticket numbers in auto-acknowledgements; the
  // first capture group is the ticket (monitor/inbox.h has the defaults).
  std::vector<std::string> ticket_patterns;

  // The escalation delay for recipients of `kind`.
  int64_t AfterFor(const std::string& kind) const {
    auto it = after_by_kind_ms.find(kind);
    return it == after_by_kind_ms.end() ? escalate_after_ms : it->second;
  }
};

// Reads [monitor], [escalation], [escalation.after_by_kind] and [inbox] of
// `root` (may be null). Errors name the key.
Status ParseMonitorOptions(const toml::table* root, MonitorOptions& out);

}  // namespace dragnet::monitor
