#pragma once
// Case history: how one more observation of a site changes its case.
//
// A case is a history of observations (every scan, every monitor
// re-check), not the last scan. The case's standing verdict is the
// strongest credible observation — the highest score among those where the
// site answered and was scored — unless an analyst decided; an unreachable
// scan, a failed one, an interrupted one or a later scan of a benign
// sub-page is kept in the history and never lowers the case. The policy
// status follows the standing score and so only ever rises
// (new < benign < review < reported); the lifecycle statuses after
// reported (escalated, down, unresolved) belong to the monitor (monitor/).
//
// Pure functions of their arguments; thread-safe.

#include <cstdint>
#include <string>

#include "core/model.h"
#include "reporters/options.h"
#include "reporters/store.h"

namespace dragnet::reporters {

// True when the scan saw the site and scored it: a verdict labelled
// malicious, suspicious or benign, no internal error, not interrupted.
bool IsCredible(const SeedResult& r);

// The observation a scan makes (source "scan"), with the scan as its result.
Observation ObservationOfScan(const SeedResult& r, const std::string& case_id, int64_t now_ms);

// The policy status of a standing score: reported (>= auto_report_threshold),
// review (>= review_threshold) or benign.
const char* PolicyStatus(int score, const ReporterOptions& o);

// Rank of a policy status (new 0, benign 1, review 2, reported 3); -1 for
// the statuses the policy never sets (escalated, down, unresolved, rejected).
int PolicyRank(const std::string& status);

// True when `o` should become the case's standing verdict: it is credible
// and either the case has no credible observation yet (status new) or it
// scores higher than the standing one.
bool RaisesStanding(const CaseRecord& standing, bool case_exists, const Observation& o);

// One line for the timeline: "scan: malicious 92 (phishing, ExampleBank) https://..."
std::string ScanSummary(const SeedResult& r, bool credible);

}  // namespace dragnet::reporters
