#include "reporters/timeline.h"

#include <algorithm>

#include "core/clock.h"
#include "core/text.h"

namespace dragnet::reporters {
namespace {

std::string Who(const ReportItem& i) {
  std::string r = i.recipient.rfind("mailto:", 0) == 0 ? i.recipient.substr(7) : i.recipient;
  return r + " (" + i.kind + ")";
}

std::string StageWord(const std::string& stage) {
  if (stage == kStageFollowUp) return "follow-up";
  if (stage == kStageEscalation) return "escalation";
  if (stage == kStageReopen) return "report (site back up)";
  return "report";
}

nlohmann::json TimeOrNull(int64_t ms) {
  return ms > 0 ? nlohmann::json(FormatRfc3339Ms(ms)) : nlohmann::json(nullptr);
}

}  // namespace

std::vector<TimelineEntry> MergeTimeline(const std::vector<Observation>& observations,
                                         const std::vector<TimelineEvent>& events,
                                         const std::vector<ReportItem>& items,
                                         const std::map<std::string, OutboxMessage>& messages) {
  std::vector<TimelineEntry> out;
  for (const auto& o : observations) {
    TimelineEntry e;
    e.at_ms = o.at_ms;
    e.type = "observation";
    e.summary = o.summary;
    e.data = {{"source", o.source},   {"url", o.url},          {"score", o.score},
              {"label", o.label},     {"credible", o.credible}, {"evidence_manifest", o.evidence_manifest},
              {"signals", o.signals}};
    if (!o.outcome.empty()) e.data["outcome"] = o.outcome;
    out.push_back(std::move(e));
  }
  for (const auto& ev : events) {
    TimelineEntry e;
    e.at_ms = ev.at_ms;
    e.type = ev.type;
    e.summary = ev.summary;
    e.data = ev.data;
    out.push_back(std::move(e));
  }
  for (const auto& i : items) {
    const OutboxMessage* m = nullptr;
    auto it = messages.find(i.message_id);
    if (it != messages.end()) m = &it->second;
    TimelineEntry filed;
    filed.at_ms = i.created_ms;
    filed.type = "report";
    filed.summary = StageWord(i.stage) + " to " + Who(i) + ": " +
                    (i.status == "pending" ? std::string("queued") : i.status);
    filed.data = {{"recipient", i.recipient}, {"kind", i.kind},           {"stage", i.stage},
                  {"status", i.status},       {"report_id", i.report_id}, {"url", i.url},
                  {"reason", i.reason}};
    if (!i.message_id.empty()) filed.data["message_id"] = i.message_id;
    if (!i.escalation_of.empty()) filed.data["escalation_of"] = i.escalation_of;
    out.push_back(std::move(filed));
    if (i.sent_ms > 0) {
      TimelineEntry sent;
      sent.at_ms = i.sent_ms;
      sent.type = "sent";
      sent.summary = StageWord(i.stage) + " sent to " + Who(i) + " (message " + i.message_id + ")";
      sent.data = {{"recipient", i.recipient}, {"stage", i.stage}, {"message_id", i.message_id},
                   {"report_id", i.report_id}};
      if (!i.escalation_of.empty()) sent.data["escalation_of"] = i.escalation_of;
      if (m && !m->ticket.empty()) {
        sent.data["ticket"] = m->ticket;
        sent.summary += ", their ticket " + ToPrintable(m->ticket);
      }
      out.push_back(std::move(sent));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at_ms < b.at_ms; });
  return out;
}

nlohmann::json TimelineJson(const std::vector<TimelineEntry>& t) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : t) {
    nlohmann::json j = e.data.is_object() ? e.data : nlohmann::json::object();
    j["at"] = FormatRfc3339Ms(e.at_ms);
    j["type"] = e.type;
    j["summary"] = e.summary;
    out.push_back(std::move(j));
  }
  return out;
}

std::string TimelineText(const std::vector<TimelineEntry>& t) {
  std::string out;
  for (const auto& e : t) {
    std::string type = e.type;
    type.resize(std::max<size_t>(type.size(), 11), ' ');
    out += "    " + FormatRfc3339(e.at_ms / 1000) + "  " + type + "  " + ToPrintable(e.summary) + "\n";
    if (e.type == "observation" && e.data.contains("signals")) {
      for (const auto& s : e.data["signals"]) {
        if (!s.is_object()) continue;
        out += "        signal " + ToPrintable(s.value("signal", "")) + " (" + ToPrintable(s.value("actor", "")) +
               (s.value("down", false) ? ", down" : "") + "): " + ToPrintable(s.value("evidence", "")) + "\n";
      }
    }
  }
  return out;
}

void AddLifecycleJson(nlohmann::json& j, const CaseRecord& c) {
  j["reported_at"] = TimeOrNull(c.reported_ms);
  j["taken_down_at"] = TimeOrNull(c.taken_down_ms);
  j["takedown_signal"] = c.takedown_signal.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.takedown_signal);
  j["takedown_actor"] = c.takedown_actor.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.takedown_actor);
  j["next_check_at"] = TimeOrNull(c.next_check_ms);
  j["checks"] = c.checks;
  j["reopened"] = c.reopened;
}

}  // namespace dragnet::reporters
