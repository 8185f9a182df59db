// FetcherLivenessProbe: the reporter's freshness gate, through the guarded
// HTTP client (crawler/http_client.h) the rest of the process uses — so
// resolve pins, the SSRF guard and the fetcher's limits of [crawl] apply to
// the re-check of a suspect site too.
//
// live: a final HTTP response other than 404, 410 or 451; down: no response
// (DNS, refused, timeout, guard) or one of those statuses. Borrows the
// client (must outlive the probe). One probe is used by one thread at a
// time; each Check is one bounded request.
#pragma once

#include <cstdint>

#include "core/http.h"
#include "crawler/options.h"
#include "reporters/liveness.h"

namespace dragnet::app {

class FetcherLivenessProbe final : public reporters::LivenessProbe {
 public:
  // Timeouts are [crawl] total_timeout, at most kMaxProbeTimeoutMs.
  FetcherLivenessProbe(HttpClient& http, const crawler::CrawlOptions& options);
  Liveness Check(const std::string& url) override;

 private:
  HttpClient& http_;
  int64_t timeout_ms_;
};

}  // namespace dragnet::app
