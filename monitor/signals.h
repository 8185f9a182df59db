#pragma once
// Takedown signals: what one re-check (monitor/probe.h) says about a
// reported site, and who acted. A pure function of the probe's facts, the
// case's facts and the signatures (monitor/signatures.h).
//
// Signals (README "Takedown signals"), strongest first:
//   rdap_hold        RDAP status client hold (the registrar acted) or
//                    server hold (the registry acted)
//   rdap_deleted     RDAP status pending delete or redemption period (registrar)
//   dns_nxdomain     the name does not exist any more (registrar; registry
//                    when the registry holds it)
//   suspended_ns     name servers moved to a registrar's suspension service
//   parked_ns        name servers moved to a parking service (registrar)
//   parked_page      a parking page (the signature's actor)
//   cdn_block        a CDN's phishing interstitial (cdn)
//   suspended_page   a hosting provider's suspension page (host)
//   default_page     a web server's default page: the content is gone (host)
//   http_gone        HTTP 404, 410 or 451 (host)
//   dns_no_address   the name exists but has no A/AAAA records (host)
//   unreachable      connection refused, timeout, TLS or protocol failure (host)
//   http_server_error  HTTP 5xx (host; a CDN's 52x means its origin is gone)
//   content_benign   the page now scores below policy.review_threshold (host)
// Notes (down = false): dns_only (DNS is gone but the last-known address
// still serves the kit: a takedown at DNS level only), ip_clean (DNS is gone
// and the last address no longer serves it), rdap_not_found, and any signal
// above seen while the site still serves the kit by name (RDAP says hold,
// DNS has not caught up yet).
//
// Outcome: `down` when a down signal is present, `up` when the site answered
// with a credible verdict at or above review_threshold, `unknown` otherwise
// (our resolver failed, the guard refused, nothing was scored): an unknown
// check neither confirms nor breaks a streak.
//
// Pure functions; thread-safe.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "monitor/probe.h"
#include "monitor/signatures.h"

namespace dragnet::monitor {

struct Signal {
  std::string signal;     // name above
  std::string actor;      // registrar, registry, host, cdn
  bool down = true;       // false: a note
  std::string evidence;   // one sentence: what was seen, and where
};

struct CaseFacts {
  std::vector<std::string> kit_sha256;  // bodies behind the standing verdict (its pages)
  std::string cdn;                      // the CDN the site was behind, if any
  int review_threshold = 40;
};

struct CheckOutcome {
  std::string outcome;                  // up, down, unknown
  std::vector<Signal> signals;          // down signals strongest first, then notes
  std::string summary;                  // one line for the timeline
  // The strongest down signal; null unless outcome is down.
  const Signal* primary() const;
};

CheckOutcome Classify(const ProbeResult& p, const CaseFacts& facts, const Signatures& sigs);

// Rank of a signal (0 strongest); unknown names rank last.
int SignalRank(const std::string& signal);
// [{signal, actor, down, evidence}]
nlohmann::json SignalsJson(const std::vector<Signal>& signals);

}  // namespace dragnet::monitor
