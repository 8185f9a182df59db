#pragma once
// Monitor: follows every reported case until the site is down.
//
// One round (RunOnce) does, in order:
//  1. the inbox ([inbox] maildir): each new message is classified and
//     threaded (monitor/inbox.h); acknowledgements keep their ticket
//     number, replies are noted, bounces mark the address bad and send the
//     report by the next route (monitor/escalation.h NextRoutes);
//  2. every due re-check (cases reported, escalated or down whose
//     next_check_ms has come; soonest first, at most max_checks_per_round):
//     the probe (monitor/probe.h) looks, the signals are classified
//     (monitor/signals.h), the observation is appended to the case's
//     history, the state machine moves (monitor/lifecycle.h) and the
//     schedule is set; a site back after down is reported again;
//  3. for each case found still up, the follow-ups and escalations due
//     (monitor/escalation.h), filed through the ReportService so the
//     ledger's never-twice rules hold;
//  4. the reporter's Tick(): messages due are delivered (when delivery is on).
// Several processes may run rounds on one state folder: a re-check is
// claimed in the store first (CaseStore::ClaimCheck), so each is done once.
//
// Ownership: borrows the ReportService, the Probe, the Signatures and the
// Clock (all must outlive it). Threads: one thread at a time.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "monitor/inbox.h"
#include "monitor/options.h"
#include "monitor/probe.h"
#include "monitor/signatures.h"
#include "reporters/service.h"

namespace dragnet::monitor {

// A claimed re-check is left to its claimer this long; a process that died
// mid-check leaves the case due again after it.
inline constexpr int64_t kCheckLeaseMs = 10 * 60 * 1000;

struct RoundFlags {
  bool force = false;        // re-check every watched case now, whatever its schedule
  std::string case_id;       // only this case ("" = every due case)
  bool inbox = true;
  bool checks = true;
};

struct RoundSummary {
  int checked = 0, up = 0, down = 0, unknown = 0;
  int taken_down = 0, reopened = 0, gave_up = 0, scheduled = 0;
  int follow_ups = 0, escalations = 0, reroutes = 0;
  int mail_read = 0, replies = 0, acks = 0, bounces = 0, unrelated = 0, mail_skipped = 0;
  std::vector<std::string> lines;  // one sentence per thing that happened
  nlohmann::json Json() const;
};

// A confirmed takedown, for metrics (dragnet_time_to_takedown_seconds).
struct TakedownEvent {
  std::string case_id, signal, actor;
  int64_t seconds = 0;  // taken_down_at - reported_at
};

class Monitor {
 public:
  Monitor(MonitorOptions options, reporters::ReportService& reporter, Probe& probe, const Signatures& signatures,
          TicketPatterns tickets, const Clock* clock = &SystemClock::Instance());

  void set_takedown_observer(std::function<void(const TakedownEvent&)> f) { on_takedown_ = std::move(f); }

  // One round. A store error stops the round (returned); a probe, a mail
  // or a follow-up that fails is recorded in the summary and the case's
  // timeline, and the round goes on.
  Result<RoundSummary> RunOnce(const RoundFlags& flags);

  const MonitorOptions& options() const { return options_; }

 private:
  Status ReadInbox(RoundSummary& s);
  Status HandleMail(const MaildirEntry& e, RoundSummary& s);
  Status Bounce(const Classified& c, const std::vector<reporters::OutboxMessage>& threaded, const std::string& case_id,
                RoundSummary& s);
  Status Check(reporters::CaseRecord c, bool force, RoundSummary& s);
  Status Escalate(reporters::CaseRecord c, RoundSummary& s);
  Status Reopen(const reporters::CaseRecord& before, RoundSummary& s);

  MonitorOptions options_;
  reporters::ReportService& reporter_;
  Probe& probe_;
  const Signatures& signatures_;
  TicketPatterns tickets_;
  const Clock* clock_;
  std::function<void(const TakedownEvent&)> on_takedown_;
};

// The probe's facts as stored with a monitor observation (compact: no page text).
nlohmann::json ProbeJson(const ProbeResult& p);

}  // namespace dragnet::monitor
