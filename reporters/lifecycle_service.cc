// ReportService, part two: what the monitor (monitor/) asks of the reporter —
// the timeline, status events, follow-ups, bad addresses. See
// reporters/followup.h for the follow-up rules.
#include <spdlog/spdlog.h>

#include <map>

#include "core/hash.h"
#include "core/text.h"
#include "reporters/service.h"
#include "reporters/sqlite_state.h"

namespace dragnet::reporters {
namespace {

std::string Shown(const std::string& key) {
  if (key.rfind("mailto:", 0) == 0) return key.substr(7);
  if (key.rfind("form:", 0) == 0) return key.substr(5);
  return key;
}

}  // namespace

Status ReportService::RecordStatus(const std::string& case_id, const std::string& from, const std::string& to,
                                   const std::string& by, const std::string& why, int64_t at_ms) {
  if (!state_) return Internal("ReportService used before a successful Init()");
  TimelineEvent e;
  e.case_id = case_id;
  e.at_ms = at_ms;
  e.type = "status";
  e.summary = (from.empty() ? std::string("opened as ") : from + " -> ") + to + " (" + by + ": " + why + ")";
  e.data = {{"from", from}, {"to", to}, {"by", by}, {"why", why}};
  return state_->AddEvent(e);
}

Status ReportService::RecordEvent(TimelineEvent e) {
  if (!state_) return Internal("ReportService used before a successful Init()");
  if (e.at_ms == 0) e.at_ms = clock_->NowUnixMs();
  return state_->AddEvent(e);
}

Result<std::vector<TimelineEntry>> ReportService::Timeline(const std::string& case_id) {
  if (!state_) return Internal("ReportService used before a successful Init()");
  // A case re-checked every few hours for a month has a few hundred
  // observations; the timeline shows the newest kMaxTimelineObservations.
  constexpr int kMaxTimelineObservations = 2000;
  auto obs = state_->Observations(case_id, kMaxTimelineObservations);
  if (!obs.ok()) return obs.status();
  auto events = state_->Events(case_id);
  if (!events.ok()) return events.status();
  auto items = state_->Items(ItemQuery{"", case_id, 100000});
  if (!items.ok()) return items.status();
  std::map<std::string, OutboxMessage> messages;
  for (const auto& i : *items) {
    if (i.message_id.empty() || messages.count(i.message_id)) continue;
    auto m = state_->GetMessage(i.message_id);
    if (m.ok()) messages[i.message_id] = std::move(m).value();
  }
  return MergeTimeline(*obs, *events, *items, messages);
}

std::string ReportService::BadRoute(const std::string& key) {
  if (!state_ || key.rfind("mailto:", 0) != 0) return "";
  auto bad = state_->GetBad(key.substr(7));
  if (!bad.ok() || !bad->has_value()) return "";
  const BadAddress& b = **bad;
  return "The address " + b.address + " bounced at " + FormatRfc3339(b.marked_ms / 1000) + " (" +
         ToPrintable(CutText(b.reason, 300)) + "): not used again.";
}

FollowUpContext ReportService::LoadFollowUp(const ReportItem& item) {
  FollowUpContext f;
  f.stage = item.stage;
  auto m = state_->GetMessage(item.escalation_of);
  if (!m.ok()) return f;  // empty: rendered as a plain report
  f.first_message_id = m->id;
  f.first_sent_at = m->sent_ms > 0 ? FormatRfc3339(m->sent_ms / 1000) : "";
  f.ticket = m->ticket;
  auto items = state_->MessageItems(m->id);
  if (items.ok()) {
    for (const auto& i : *items) {
      if (f.first_recipient.empty()) f.first_recipient = i.recipient_name;
      f.first_report_ids += (f.first_report_ids.empty() ? "" : ", ") + i.report_id;
    }
  }
  return f;
}

ReportSummary ReportService::FileFollowUp(const FollowUpRequest& f) {
  const Recipient& rc = f.recipient;
  if (!state_ || !templates_) return {Shown(rc.key), "reporter not initialised", "failed"};
  const int64_t now = clock_->NowUnixMs();
  ReportItem it;
  it.report_id = RandomUuid();
  it.case_id = f.case_id;
  it.url = rc.url;
  it.recipient = rc.key;
  it.recipient_name = rc.name + " (" + rc.kind + ")";
  it.kind = rc.kind;
  it.language = rc.language;
  it.reason = f.note.empty() ? rc.reason : f.note + " " + rc.reason;
  // Never batched with anything else: a follow-up is its own message.
  it.batch_key = rc.key + "|" + f.case_id + "|" + f.stage + "|" + it.report_id;
  it.created_ms = now;
  it.stage = f.stage;
  it.escalation_of = f.escalation_of;
  auto count = [&](const std::string& stage, int64_t since) -> int {
    auto n = state_->CountStage(f.case_id, rc.key, stage, since);
    return n.ok() ? *n : 1;  // a ledger error counts as "already": never twice wins
  };
  if (rc.suppressed) {
    it.status = "suppressed";
  } else if (rc.route == "form") {
    it.status = "skipped";
    it.reason += " This recipient takes reports by web form only: file it by hand at " + rc.address + ".";
  } else if (rc.route == "none") {
    it.status = "skipped";
  } else if (rc.route == "webhook" && !options_.webhooks.count(rc.address)) {
    it.status = "skipped";
    it.reason += " Webhook route '" + rc.address + "' is not configured ([delivery.webhook." + rc.address + "]).";
  } else if (std::string bad = BadRoute(rc.key); !bad.empty()) {
    it.status = "skipped";
    it.reason += " " + bad;
  } else if (f.stage == kStageFollowUp && count(kStageFollowUp, f.since_ms) > 0) {
    it.status = "suppressed";
    it.reason += " This recipient was already sent a follow-up for this case (once only).";
  } else if (f.stage == kStageEscalation &&
             count(kStageEscalation, 0) + count(kStageReport, 0) + count(kStageFollowUp, 0) > 0) {
    it.status = "suppressed";
    it.reason += " This recipient was already asked about this case (each level once only).";
  } else if (f.stage == kStageReopen && count(kStageReopen, f.since_ms) > 0) {
    it.status = "suppressed";
    it.reason += " This recipient was already told the site is back up.";
  } else if (f.stage == kStageReport) {
    auto outstanding = state_->Outstanding(rc.url, rc.key);
    auto last = state_->LastReported(rc.url, rc.key);
    if (!outstanding.ok() || !last.ok() || *outstanding) {
      it.status = "suppressed";
      it.reason += " A report of this URL to this recipient is already in the outbox.";
    } else if (last->has_value() && now - **last < options_.rereport_after_ms) {
      it.status = "suppressed";
      it.reason += " Already reported to this recipient at " + FormatRfc3339Ms(**last) + " (policy.rereport_after).";
    } else {
      it.status = "pending";
    }
  } else {
    it.status = "pending";
  }
  Status st = state_->AddItem(it);
  if (!st.ok()) {
    spdlog::error("reporter: case {}: ledger: {}", f.case_id, st.message());
    return {Shown(rc.key), it.reason + " (ledger error: " + st.message() + ")", "failed"};
  }
  if (it.status == "pending") {
    st = ComposeBatch({it}, now);
    if (!st.ok()) {
      spdlog::error("reporter: case {}: {} to {}: {}", f.case_id, f.stage, Shown(rc.key), st.message());
      return {Shown(rc.key), it.reason + " (" + st.message() + ")", "failed"};
    }
  }
  spdlog::info("reporter: case {}: {} to {}: {}", f.case_id, f.stage, Shown(rc.key), it.status);
  return {Shown(rc.key), it.reason, it.status == "pending" ? "queued" : it.status};
}

}  // namespace dragnet::reporters
