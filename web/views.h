#pragma once
// Views of the console: the mustache templates (web/templates/, loaded
// once at start) and the view models the pages render, built from cases
// and ledger rows as plain JSON. Values reach HTML only through
// {{escaped}} mustache tags; the one triple-mustache tag ({{{svg}}}, the
// charts of the dashboard and of a campaign's spread) carries markup built
// by web/charts.h, which escapes every text it holds. Templates is immutable after Load(): any thread may
// render. The model builders are pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "intel/index.h"
#include "reporters/store.h"

namespace dragnet::web {

// Largest template file read (they are a few KiB).
inline constexpr uint64_t kMaxTemplateBytes = 1 << 20;

class Templates {
 public:
  // Reads <dir>/templates/*.mustache and <dir>/static/*; errors name the file.
  Status Load(const std::string& dir);
  // Renders `page` with `model`, then the layout around it (model["body"]).
  Result<std::string> Render(const std::string& page, nlohmann::json model) const;
  // A static file's bytes, or nullptr.
  const std::string* Static(const std::string& name) const;

 private:
  std::map<std::string, std::string> templates_, static_;
};

// The case as a row of /review and /cases: id, score, label, brand, urls, the
// landing screenshot (profile + sha256) when there is one.
nlohmann::json CaseRowModel(const reporters::CaseRecord& c);
// Everything /cases/ID shows.
nlohmann::json CaseDetailModel(const reporters::CaseRecord& c, const std::vector<reporters::ReportItem>& items);
// True when the case's last scan names `sha256` as a screenshot, a rendered
// DOM or a page body (only those are served from its evidence folder).
enum class BlobKind { kNone, kScreenshot, kText };
BlobKind CaseBlobKind(const reporters::CaseRecord& c, const std::string& sha256);
// <evidence dir>/objects/ab/<sha256> of a case's scan, or "" without a manifest.
std::string CaseBlobPath(const reporters::CaseRecord& c, const std::string& sha256);
// True when any indicator value, URL or key of the case contains `needle`
// (ASCII case-insensitive).
bool CaseMatches(const reporters::CaseRecord& c, const std::string& needle);
// The hosting network of a case: the AS name (else the address) of its
// first located IP, "" when it was not located.
std::string CaseNetwork(const reporters::CaseRecord& c);
// A campaign as a row of /campaigns: ID, size, what links it, domains.
nlohmann::json CampaignRowModel(const intel::CampaignView& v);
// Everything /campaigns/ID shows: members, shared identifiers with their
// cases, the spread by registrar, hosting network (`network`: case ID ->
// CaseNetwork) and country as bar charts.
nlohmann::json CampaignDetailModel(const intel::CampaignView& v, const std::map<std::string, std::string>& network);
// The dashboard: queue depth, cases per day by label, report outcomes,
// slowest recipients (median minutes from filing to sending).
nlohmann::json DashboardModel(const std::vector<reporters::CaseRecord>& cases,
                              const std::vector<reporters::ReportItem>& items, int64_t now_ms, int days);

}  // namespace dragnet::web
