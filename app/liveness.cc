#include "app/liveness.h"

#include <algorithm>

#include "core/clock.h"

namespace dragnet::app {

namespace {
// A freshness check must not stall a flush of many reports: a site that
// cannot answer within this is treated as down for now (re-checked later).
constexpr int64_t kMaxProbeTimeoutMs = 15'000;
// Only the status matters: the body is cut here (the status is kept).
constexpr int64_t kMaxProbeBodyBytes = 64 << 10;
}  // namespace

FetcherLivenessProbe::FetcherLivenessProbe(HttpClient& http, const crawler::CrawlOptions& options)
    : http_(http), timeout_ms_(std::min(options.total_timeout_ms, kMaxProbeTimeoutMs)) {}

reporters::LivenessProbe::Liveness FetcherLivenessProbe::Check(const std::string& url) {
  Liveness out;
  HttpRequest req;
  req.url = url;
  req.timeout_ms = timeout_ms_;
  req.max_body_bytes = kMaxProbeBodyBytes;
  req.verify_tls = false;  // the suspect site itself: a bad certificate does not make it down
  HttpResponse result = http_.Send(req);
  out.checked_at = FormatRfc3339(SystemClock::Instance().NowUnixMs() / 1000);
  out.status = result.status;
  bool gone = result.status == 404 || result.status == 410 || result.status == 451;
  out.live = result.status > 0 && !gone;
  if (result.status == 0) {
    out.detail = result.error.empty() ? "no response" : result.error;
  } else {
    out.detail = "HTTP " + std::to_string(result.status) + " from " + result.final_url;
  }
  return out;
}

}  // namespace dragnet::app
