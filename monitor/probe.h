#pragma once
// Probe: the monitor's seam to the outside world. One re-check of one
// reported site: its DNS, a crawl of the reported URL through the crawler's
// fetcher (resolve pins, the SSRF guard, limits, evidence) scored by the
// verdict rules, its RDAP registration status, and — when DNS no longer
// answers — the same URL fetched from the address it was last served from.
//
// monitor/ does not know how: app/monitor_probe.h implements it with the
// pipeline (app/pipeline.h), the hosting resolver and the RDAP client;
// tests implement it with scripted answers. The result is plain facts; the
// monitor classifies them (monitor/signals.h).
//
// Implementations are used by one thread at a time; each Check is bounded
// by the crawler's and resolver's own timeouts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dragnet::monitor {

// Visible text of the landing page kept for signature matching: the
// signatures look for short phrases near the top of a page.
inline constexpr size_t kMaxProbeTextBytes = 64u << 10;

struct ProbeRequest {
  std::string case_id;
  std::string url;                         // the reported (landing) URL
  std::vector<std::string> last_ips;       // where it was last served from
  bool check_rdap = true;
};

struct ProbeResult {
  int64_t checked_ms = 0;
  std::string url;

  // ---- DNS (the host's A/AAAA, the registrable domain's NS) ----
  bool dns_checked = false;
  std::string dns_status;                  // ok, nodata, nxdomain, servfail, refused, timeout, error
  std::string dns_detail;                  // the resolver's message, the server asked
  std::vector<std::string> addresses;
  std::vector<std::string> nameservers;

  // ---- the crawl of the URL (skipped when DNS says the name is gone) ----
  bool fetched = false;
  long status = 0;                         // landing page's HTTP status; 0: no response
  std::string final_url;
  std::string error_kind;                  // the fetcher's vocabulary (crawler/fetcher.h) when no response
  std::string error;
  std::string title;
  std::string text;                        // visible text, at most kMaxProbeTextBytes
  std::optional<int> score;                // verdict of the re-check, when scored
  std::string label;
  bool credible = false;                   // the site answered and was scored
  std::string evidence_manifest;
  std::vector<std::string> body_sha256;    // of the pages fetched
  std::vector<std::string> ips;            // addresses connected to

  // ---- RDAP (the registrable domain) ----
  bool rdap_checked = false;
  bool rdap_not_found = false;             // the registry no longer knows the domain
  std::string rdap_error;                  // "" when it answered
  std::vector<std::string> rdap_status;    // as the registry wrote them ("client hold", ...)

  // ---- the last-known address, when DNS is gone ----
  bool ip_checked = false;
  std::string ip;
  long ip_status = 0;
  std::string ip_error;
  std::optional<int> ip_score;
  std::vector<std::string> ip_body_sha256;
  std::string ip_evidence_manifest;
};

class Probe {
 public:
  virtual ~Probe() = default;
  virtual ProbeResult Check(const ProbeRequest& request) = 0;
};

}  // namespace dragnet::monitor
