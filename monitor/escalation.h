#pragma once
// Escalation: whom to ask next about a site that is still up.
//
// The ladder, per case and per episode (an episode starts at the first
// report, and again when a site comes back after it was down):
//  1. every recipient that was sent a report and still sees the site up
//     `[escalation] after` (or `[escalation.after_by_kind] <kind>`) later
//     gets one follow-up, quoting the first report's reference; national
//     CERTs are told for awareness and are not chased;
//  2. `after` past the first follow-up, the next level is asked, each once:
//     the TLD's registry operator (contacts.toml [registries]), the hosting
//     network's upstream or RIR abuse desk ([upstreams.<ASN>]), the national
//     CERT of the hosting country ([certs]) and the CDN (from the hosting
//     facts) — whoever was not asked yet in this case.
// Every action names the outbox message it follows (escalation_of). Once a
// follow-up or an escalation was filed — whatever became of it — it is not
// proposed again (no new ledger line every round); the ReportService
// enforces never-twice again when it files them (reporters/followup.h).
//
// Also: NextRoutes, the routes to try when a report bounced.
//
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "monitor/options.h"
#include "reporters/contacts.h"
#include "reporters/routing.h"
#include "reporters/store.h"

namespace dragnet::monitor {

struct EscalationAction {
  std::string stage;                  // follow_up, escalation
  reporters::Recipient recipient;
  std::string escalation_of;          // the outbox message it follows
  std::string note;                   // why, one sentence
};

// The next level for a site: registry, upstream, CERT and CDN contacts
// derived from the standing scan's hosting facts and the contacts tables,
// each for `url` (the reported URL).
std::vector<reporters::Recipient> NextLevel(const SeedResult& standing, const std::string& url,
                                            const reporters::Contacts& contacts);

// The follow-ups and escalations due at `now` for a case whose latest check
// found it up. `items` are the case's ledger items; only those created at
// or after `episode_start_ms` count.
std::vector<EscalationAction> DecideEscalations(const MonitorOptions& o, const std::vector<reporters::ReportItem>& items,
                                                const std::vector<reporters::Recipient>& next_level,
                                                int64_t episode_start_ms, int64_t now);

// Where to send a report whose address `bad` bounced, best first: the
// party's other published abuse addresses (the standing scan's hosting
// contacts of the same scope), then the next level for its kind (registrar
// -> registry; hosting -> upstream, CERT; cdn -> the hosting networks).
// Never `bad`, never an address in `also_bad`.
std::vector<reporters::Recipient> NextRoutes(const SeedResult& standing, const reporters::ReportItem& bounced,
                                             const std::string& bad, const std::vector<std::string>& also_bad,
                                             const reporters::Contacts& contacts);

}  // namespace dragnet::monitor
