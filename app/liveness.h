// FetcherLivenessProbe: the reporter's freshness gate, through the same
// fetcher the crawl uses — so resolve pins, the SSRF guard and every limit
// of [crawl] apply to the re-check of a suspect site too.
//
// live: a final HTTP response other than 404, 410 or 451; down: no response
// (DNS, refused, timeout, guard) or one of those statuses. One probe is used
// by one thread at a time; each Check runs its own short event loop.
#pragma once

#include "crawler/options.h"
#include "reporters/liveness.h"

namespace dragnet::app {

class FetcherLivenessProbe final : public reporters::LivenessProbe {
 public:
  explicit FetcherLivenessProbe(crawler::CrawlOptions options);
  Liveness Check(const std::string& url) override;

 private:
  crawler::CrawlOptions options_;
};

}  // namespace dragnet::app
