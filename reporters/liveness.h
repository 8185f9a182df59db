#pragma once
// LivenessProbe: the freshness gate's seam. Right before a report is first
// sent (and before any re-send) each URL is fetched again; a site that is
// already down is not reported, and the report states when it was last
// verified live. The production probe (app/liveness.h) uses the crawler's
// fetcher and SSRF guard; CurlLivenessProbe here is a small stand-alone
// libcurl probe with a connect-time address guard (tests point it at a
// local nginx with allow_private). Implementations must be callable from
// one thread at a time; each Check is bounded by its own timeout.

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

class CurlLivenessProbe final : public LivenessProbe {
 public:
  struct Options {
    int64_t timeout_ms = 15'000;     // whole request; a probe must not stall a flush
    bool allow_private = false;      // permit loopback/private addresses (tests only)
    std::string user_agent = "Mozilla/5.0 (X11; Linux x86_64) Dragnet-freshness/0.1";
  };
  explicit CurlLivenessProbe(Options o, const Clock* clock = &SystemClock::Instance())
      : opts_(std::move(o)), clock_(clock) {}
  // live: an HTTP response other than 404, 410 or 451; down: no response
  // (DNS, refused, timeout, refused address) or one of those statuses.
  Liveness Check(const std::string& url) override;

 private:
  Options opts_;
  const Clock* clock_;
};

}  // namespace dragnet::reporters
