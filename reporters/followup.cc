#include "reporters/followup.h"

#include "reporters/mime.h"

namespace dragnet::reporters {

void AddFollowUpContext(nlohmann::json& ctx, const FollowUpContext& f, const std::string& case_ids,
                        const ReporterOptions& o) {
  if (f.empty()) return;
  ctx["followup"] = true;
  ctx["is_follow_up"] = f.stage == kStageFollowUp;
  ctx["is_escalation"] = f.stage == kStageEscalation;
  ctx["is_reopen"] = f.stage == kStageReopen;
  ctx["is_reroute"] = f.stage == kStageReport;
  ctx["first_message_id"] = f.first_message_id;
  ctx["first_sent_at"] = f.first_sent_at.empty() ? std::string("(not delivered)") : f.first_sent_at;
  ctx["first_recipient"] = SanitizeHeaderText(f.first_recipient);
  ctx["first_report_ids"] = f.first_report_ids;
  ctx["first_reference"] = "[" + case_ids + "] Message-ID <" + f.first_message_id + "@" + o.domain + ">";
  ctx["ticket"] = SanitizeHeaderText(f.ticket);
  ctx["followup_note"] = f.note;
}

void AddFollowUpHeaders(std::vector<std::string>& headers, const OutboxMessage& m, const ReporterOptions& o) {
  if (m.escalation_of.empty()) return;
  // The id is ours (a UUID); still, nothing outside [A-Za-z0-9-] goes into a header.
  for (char c : m.escalation_of) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return;
  }
  std::string ref = "<" + m.escalation_of + "@" + o.domain + ">";
  headers.push_back("In-Reply-To: " + ref + "\r\n");
  headers.push_back("References: " + ref + "\r\n");
}

void AddFollowUpMeta(nlohmann::json& meta, const OutboxMessage& m, const FollowUpContext& f) {
  meta["escalation_of"] = m.escalation_of.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.escalation_of);
  meta["stage"] = f.empty() ? std::string(kStageReport) : f.stage;
  if (!f.ticket.empty()) meta["ticket"] = f.ticket;
}

}  // namespace dragnet::reporters
