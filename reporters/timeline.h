#pragma once
// Timeline: everything that happened to one case, oldest first, for
// `dragnet cases show` — observations (scans and monitor re-checks, with
// their verdict, signals and evidence manifest), reports filed and sent
// (with their stage and the message they follow), replies, bounces and
// status changes. Built from the case store and the ledger; nothing here
// is stored twice. Pure functions; thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reporters/store.h"

namespace dragnet::reporters {

struct TimelineEntry {
  int64_t at_ms = 0;
  std::string type;      // observation, report, sent, status, reply, bounce, escalation, note
  std::string summary;   // one line
  nlohmann::json data = nlohmann::json::object();
};

// Merges the three sources by time (stable: observations, then events, then
// reports at the same millisecond). `messages` maps message id -> message.
std::vector<TimelineEntry> MergeTimeline(const std::vector<Observation>& observations,
                                         const std::vector<TimelineEvent>& events,
                                         const std::vector<ReportItem>& items,
                                         const std::map<std::string, OutboxMessage>& messages);

// [{at, type, summary, ...data}] for `cases show --json`.
nlohmann::json TimelineJson(const std::vector<TimelineEntry>& t);
// "  2026-11-29T12:00:03Z  observation  scan: malicious 92 ..." lines.
std::string TimelineText(const std::vector<TimelineEntry>& t);

// The lifecycle fields every case document carries (also `cases list
// --json`): reported_at, taken_down_at, takedown_signal, takedown_actor,
// next_check_at, checks, reopened (times are RFC 3339 or null).
void AddLifecycleJson(nlohmann::json& j, const CaseRecord& c);

}  // namespace dragnet::reporters
