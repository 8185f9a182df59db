#pragma once
// Takedown statistics for `dragnet stats`: how many reported sites were
// taken down, how fast, and who acts slowest — overall, per recipient, per
// TLD and per hosting country. A pure function of the cases and the
// ledger's items.
//
// Definitions (README "dragnet stats"):
//   reported      cases whose first report was filed at or after --since
//                 (reported_at: sent, or written to the outbox when delivery
//                 is off)
//   taken_down    of those, the ones whose status is down
//   still_up      reported - taken_down
//   time to takedown  taken_down_at - reported_at, in whole seconds;
//                 median: the middle value (the lower of the two middle
//                 values for an even count); p90: nearest rank,
//                 the ceil(0.9 n)-th smallest
//   by_recipient  per recipient a first report (or a reopen report) was
//                 filed to: the cases reported to it, how many are down,
//                 and the median from its own report to the takedown
//   by_tld, by_country  the same per TLD of the site and per country of its
//                 first hosting address
// Rows are sorted slowest first: recipients that took nothing down (no
// median) first, by most reported, then by median, longest first.
//
// Thread-safe (pure).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reporters/store.h"

namespace dragnet::monitor {

struct StatsRow {
  std::string key;        // recipient (address), TLD or country code
  std::string kind;       // by_recipient: the recipient's kind
  int reported = 0;
  int taken_down = 0;
  std::optional<int64_t> median_s;
};

struct Stats {
  int64_t since_ms = 0;
  int reported = 0, taken_down = 0, still_up = 0;
  std::optional<int64_t> median_s, p90_s;
  std::vector<StatsRow> by_recipient, by_tld, by_country;
};

Stats ComputeStats(const std::vector<reporters::CaseRecord>& cases, const std::vector<reporters::ReportItem>& items,
                   int64_t since_ms);

// The middle value (lower middle for even counts); nullopt for none.
std::optional<int64_t> Median(std::vector<int64_t> v);
// Nearest-rank percentile p in (0, 100]; nullopt for none.
std::optional<int64_t> Percentile(std::vector<int64_t> v, int p);

// {since, reported, taken_down, still_up, median_time_to_takedown_s,
//  p90_time_to_takedown_s, by_recipient:[{recipient, kind, reported,
//  taken_down, median_time_to_takedown_s}], by_tld:[{tld, ...}],
//  by_country:[{country, ...}]}; absent medians are null.
nlohmann::json StatsJson(const Stats& s);
// The summary and the three tables, slowest first.
std::string StatsText(const Stats& s);
// "2d 3h", "4h 12m", "35m 10s", "12s".
std::string HumanDuration(int64_t seconds);

}  // namespace dragnet::monitor
