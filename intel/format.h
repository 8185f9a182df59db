#pragma once
// The text and JSON forms of campaigns and search hits, as `dragnet
// campaigns list/show` and `dragnet search` print them (README "Campaigns
// and search"). Kept in the library so the formats are tested and the
// commands stay thin. JSON fields are only ever added, never renamed.
// Pure functions; thread-compatible.

#include <string>

#include <nlohmann/json.hpp>

#include "intel/index.h"

namespace dragnet::intel {

// {campaign_id, cases, case_count, links:[{type, value, weight, cases}],
//  first_seen, last_seen, created_at, updated_at, domains, registrars,
//  countries, merged_from}; with_members adds members:[{case_id, seed,
//  final_url, host, domain, registrar, countries, label, scam_type, brand,
//  score, first_seen, last_seen}].
nlohmann::json CampaignJson(const CampaignView& v, bool with_members);
// One line: ID, how many cases, what links them, the domains.
std::string CampaignLine(const CampaignView& v);
// Several lines: every member and every link, in plain sentences.
std::string CampaignText(const CampaignView& v);
// "these 3 domains share one btc wallet and one telegram account".
std::string LinkSentence(const CampaignView& v);
// {case_id, seed, host, type, value, campaign_id, weight, links, owned_by}
nlohmann::json SearchHitJson(const SearchHit& h);
std::string SearchHitLine(const SearchHit& h);

}  // namespace dragnet::intel
