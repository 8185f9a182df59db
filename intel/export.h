#pragma once
// Exports of cases and campaigns for sharing (`dragnet export`):
//   - StixBundle: a STIX 2.1 bundle — an `infrastructure` (phishing) per
//     site, SCOs (url, domain-name, ipv4/ipv6-addr, email-addr, and custom
//     SCOs for wallets, phones, IBANs, messaging accounts, tracking IDs and
//     favicons, declared by one `extension-definition`), `indicator`s with
//     STIX patterns, `observed-data` per case, `campaign`s with `uses`
//     relationships;
//   - MispEvent: one MISP event (`{"Event": ...}`) with a `phishing` object
//     per site and `coin-address`, `bank-account`, `telegram-account`,
//     `phone-number`, `tracking-id`, `favicon` objects referenced from it;
//   - Csv: one indicator per row (RFC 4180; cells that a spreadsheet would
//     run as a formula are prefixed with ').
// IDs are deterministic (UUIDv5: STIX's namespace for SCOs, Dragnet's for
// the rest), so exporting twice gives the same objects and a consumer
// de-duplicates. Values a brand owns, ubiquitous values and card numbers
// (payment data of possible victims) are not exported.
// Pure functions of an ExportSet; CollectExport reads the index. Thread-
// compatible.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "intel/index.h"

namespace dragnet::intel {

// A takedown request filed for a case (from the reporter's ledger).
struct Takedown {
  std::string recipient;        // e-mail address or recipient key
  int64_t requested_ms = 0;     // when it was sent
};

struct ExportCase {
  MemberView member;
  std::vector<Identifier> identifiers;  // exportable ones only
  std::vector<Takedown> takedowns;
};

struct ExportSet {
  std::vector<ExportCase> cases;
  std::vector<CampaignView> campaigns;  // those the cases belong to
  std::string producer = "Dragnet";     // identity named as creator ([reporter] org)
  int64_t now_ms = 0;
};

struct ExportQuery {
  std::vector<std::string> case_ids;     // these cases (any label)
  std::string campaign_id;               // and every case of this campaign
  int64_t since_ms = 0;                  // with neither: cases seen since, labelled malicious or suspicious
};

// Most cases one export holds: the bundle is built in memory.
inline constexpr size_t kMaxExportCases = 100'000;

Result<ExportSet> CollectExport(CampaignIndex& index, const ExportQuery& q);
nlohmann::json StixBundle(const ExportSet& s);
nlohmann::json MispEvent(const ExportSet& s);
std::string Csv(const ExportSet& s);
// RFC 4122 version 5 UUID of `name` in `ns` (a UUID string), lowercase.
std::string Uuid5(const std::string& ns, const std::string& name);

}  // namespace dragnet::intel
