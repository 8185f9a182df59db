#pragma once
// LivenessProbe: the freshness gate's seam. Right before a report is first
// sent (and before any re-send) each URL is fetched again; a site that is
// already down is not reported, and the report states when it was last
// verified live. The production probe (app/liveness.h) fetches through the
// crawler's fetcher, so the SSRF guard, resolve pins and limits of [crawl]
// apply. Implementations must be callable from one thread at a time; each
// Check is bounded by its own timeout.

#include <cstdint>
#include <string>

#include "core/clock.h"

namespace dragnet::reporters {

class LivenessProbe {
 public:
  virtual ~LivenessProbe() = default;
  struct Liveness {
    bool live = false;
    long status = 0;            // HTTP status, 0 when nothing answered
    std::string checked_at;     // RFC 3339
    std::string detail;         // why down, or what answered
  };
  virtual Liveness Check(const std::string& url) = 0;
};

// Always live; for dry runs and for tests that do not exercise the gate.
class AlwaysLiveProbe final : public LivenessProbe {
 public:
  explicit AlwaysLiveProbe(const Clock* clock = &SystemClock::Instance()) : clock_(clock) {}
  Liveness Check(const std::string& url) override;

 private:
  const Clock* clock_;
};

}  // namespace dragnet::reporters
