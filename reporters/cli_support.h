#pragma once
// What the reporter's CLI commands (cli/cmd_cases.cc, cmd_review.cc,
// cmd_report.cc, cmd_reports.cc) share: the opened service (cli/common.h
// opens it) and the text/JSON forms of cases, plans and report rows. Kept in
// the library so the formats are tested and the commands stay thin. Pure
// functions; thread-compatible.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/http.h"
#include "reporters/service.h"

namespace dragnet::reporters {

struct OpenedService {
  std::unique_ptr<HttpClient> http;  // used by probe and service: declared first, destroyed after them
  std::unique_ptr<LivenessProbe> probe;
  std::unique_ptr<ReportService> service;
};

// `dragnet cases list --json` / `cases show --json`: the case without (or with) its last scan.
nlohmann::json CaseJson(const CaseRecord& c, bool with_result);
// The human table of `cases list` / `review list`: a header, one row per
// case (CASE STATUS SCORE LABEL TYPE BRAND UPDATED URL).
std::string CasesTable(const std::vector<CaseRecord>& cases);
// Multi-line description of one case: status, why, URLs, verdict reasons.
std::string CaseText(const CaseRecord& c);
// What `cases show` adds below CaseText, from the standing scan and the
// ledger: indicators (each with its count), hosting and registration
// (domain, registrar, addresses with network and country, abuse contacts),
// browser captures, and the case's reports with their status and times.
std::string CaseDetailsText(const CaseRecord& c, const std::vector<ReportView>& reports);
// `dragnet reports list --json`: {case, recipient, status, sent_at, outbox_file, url, reason, ...}.
nlohmann::json ReportJson(const ReportView& v);
// The human table of `reports list`: CASE STATUS TO KIND FILED SENT TRIES
// URL NOTE (the last error, or when the next attempt is due).
std::string ReportsTable(const std::vector<ReportView>& rows);
// "12 cases" / "50 cases shown, newest first; more with --limit" (the footer).
std::string CountLine(size_t shown, bool more, const char* noun);
// `dragnet report CASE --dry-run`: to whom, why, and the full text of each message.
std::string PlanText(const DryRunPlan& p);
// Parses --since: an RFC 3339 date/time, or a duration ("24h") back from now_ms.
Result<int64_t> ParseSince(const std::string& s, int64_t now_ms);

}  // namespace dragnet::reporters
