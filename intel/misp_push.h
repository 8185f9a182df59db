#pragma once
// MispPusher: shares campaigns with a MISP instance ([share.misp]): one
// MISP event per live campaign (intel/export.h MispEvent, with a UUID
// derived from the campaign ID, so it never changes as the campaign grows),
// sent with `POST /events/add` the first time and `POST /events/edit/UUID`
// whenever its content changes. What was pushed (event UUID, SHA-256 of
// the content) is recorded in the campaign index, so a push that was
// accepted is never sent again and an unchanged campaign costs nothing.
//
// Never duplicated: the event UUID is fixed, so when an add was accepted
// but its answer lost, the retry's add is refused by MISP as existing (MISP
// answers 404 "Event already exists ...") and the pusher edits instead; an
// edit of an event the instance no longer has (404) becomes an add. MISP
// refuses an edit whose Event.timestamp is not newer than its copy, so
// every request carries a timestamp above any sent before for that
// campaign (kept in the index, failed requests included).
//
// Retried: a failed request (no answer, 5xx) is tried again up to
// kMaxAttempts times in a run, then the campaign is left for the next run,
// its error recorded (`dragnet campaigns show` prints it). Every request goes
// through the HttpClient it is given (in production the guarded fetcher:
// SSRF guard, so a MISP on a private address needs [crawl] allow_private).
//
// One instance belongs to one thread at a time.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "core/http.h"
#include "core/status.h"
#include "intel/index.h"

namespace dragnet::intel {

struct MispShareOptions {
  std::string url;              // base URL of the MISP instance; empty: sharing is off
  std::string key;              // the MISP automation key (Authorization header)
  int distribution = 0;         // MISP distribution of the events: 0 org only .. 3 all communities
  int64_t timeout_ms = 30'000;  // one request
};

// Reads [share.misp]; errors name the key.
Status ParseMispShareOptions(const toml::table* root, MispShareOptions& o);

struct PushOutcome {
  int added = 0, edited = 0, unchanged = 0, failed = 0;
  std::vector<std::string> errors;  // one sentence per campaign that failed
};

class MispPusher {
 public:
  // Tries of one request in a run (a failure then waits for the next run).
  static constexpr int kMaxAttempts = 3;
  // Largest MISP answer read: an event echo.
  static constexpr int64_t kMaxResponseBytes = 4 << 20;
  // Campaigns considered in one run, most recently updated first (each is
  // exported to compare its digest); the rest wait for the next run.
  static constexpr int kMaxCampaignsPerRun = CampaignIndex::kMaxSearchHits;

  MispPusher(CampaignIndex& index, HttpClient& http, MispShareOptions options, std::string producer);
  // Pushes every live campaign that is new or changed since its last push.
  Result<PushOutcome> PushAll(int64_t now_ms);

 private:
  // "add", "edit", "unchanged" or an error; one campaign.
  Result<std::string> PushOne(const std::string& campaign_id, int64_t now_ms);
  // POSTs `event` to `path`, retrying transient failures; each attempt
  // stamps the event with a timestamp above `last_ts`, which it advances.
  HttpResponse Post(const std::string& path, nlohmann::json& event, int64_t now_ms, int64_t& last_ts);

  CampaignIndex& index_;
  HttpClient& http_;
  MispShareOptions options_;
  std::string producer_;
};

}  // namespace dragnet::intel
