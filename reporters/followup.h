#pragma once
// Follow-ups: reports that follow an earlier one — a reminder to the same
// recipient, the next level of escalation (registry, upstream, CERT, CDN),
// a report of a site that came back after it was down, or the same report
// by another route after a bounce. Each is a ledger item with a `stage`
// (reporters/store.h kStage*) and `escalation_of`, the outbox message it
// follows; the message quotes that message's reference (the [DN-…] case ID,
// its Message-ID, the X-ARF report IDs and the recipient's ticket number)
// and threads under it (In-Reply-To, References).
//
// This header holds what the renderer needs (FollowUpContext and the three
// hooks RenderMessage calls) and what the monitor asks the ReportService
// for (FollowUpRequest). Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reporters/options.h"
#include "reporters/routing.h"
#include "reporters/store.h"

namespace dragnet::reporters {

// The earlier message a follow-up quotes, filled by the ReportService from
// the ledger when it renders the follow-up.
struct FollowUpContext {
  std::string stage;              // kStageFollowUp, kStageEscalation, kStageReopen, or kStageReport (a reroute)
  std::string first_message_id;   // the message followed (Message-ID local part)
  std::string first_sent_at;      // RFC 3339; "" when it never left (a bounce reroute of a queued one)
  std::string first_recipient;    // who got it: "Example Registrar, Inc. (registrar)"
  std::string first_report_ids;   // its X-ARF report IDs, comma-separated
  std::string ticket;             // the recipient's ticket number, from its auto-acknowledgement
  std::string note;               // why this follow-up (one sentence: still up since ..., bounced: ...)
  bool empty() const { return first_message_id.empty(); }
};

// What the monitor asks for: one report to `recipient` about `case_id`.
struct FollowUpRequest {
  std::string case_id;
  Recipient recipient;            // the same recipient (follow_up, reopen) or the next level
  std::string stage;              // kStageFollowUp, kStageEscalation, kStageReopen, kStageReport (reroute)
  std::string escalation_of;      // the outbox message it follows ("" allowed for reopen with no sent report)
  std::string note;               // why, one sentence (goes into the item's reason and the message)
  // Never twice: follow_up at most once per recipient since `since_ms` (the
  // episode: the first report, or the latest reopen); escalation at most
  // once per case and recipient; reopen at most once per recipient since
  // `since_ms` (the case's taken_down_ms); report (reroute) by the
  // ledger's usual rules.
  int64_t since_ms = 0;
};

// ---- hooks of RenderMessage (reporters/render.cc) ----
// Template context: is_follow_up / is_escalation / is_reopen / is_reroute
// (booleans), first_sent_at, first_message_id, first_recipient,
// first_report_ids, first_reference ("[DN-…] Message-ID <…>"), ticket,
// followup_note.
void AddFollowUpContext(nlohmann::json& ctx, const FollowUpContext& f, const std::string& case_ids,
                        const ReporterOptions& o);
// In-Reply-To and References naming the message followed.
void AddFollowUpHeaders(std::vector<std::string>& headers, const OutboxMessage& m, const ReporterOptions& o);
// The outbox .json: stage and escalation_of.
void AddFollowUpMeta(nlohmann::json& meta, const OutboxMessage& m, const FollowUpContext& f);

}  // namespace dragnet::reporters
