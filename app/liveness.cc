#include "app/liveness.h"

#include <algorithm>

#include "core/clock.h"
#include "crawler/fetcher.h"

namespace dragnet::app {

namespace {
// A freshness check must not stall a flush of many reports: a site that
// cannot answer within this is treated as down for now (re-checked later).
constexpr int64_t kMaxProbeTimeoutMs = 15'000;
}  // namespace

FetcherLivenessProbe::FetcherLivenessProbe(crawler::CrawlOptions options)
    : options_(std::move(options)) {
  options_.total_timeout_ms = std::min(options_.total_timeout_ms, kMaxProbeTimeoutMs);
  options_.connect_timeout_ms = std::min(options_.connect_timeout_ms, kMaxProbeTimeoutMs);
}

reporters::LivenessProbe::Liveness FetcherLivenessProbe::Check(const std::string& url) {
  Liveness out;
  crawler::Fetcher fetcher(options_);
  crawler::FetchResult result;
  crawler::FetchRequest req;
  req.url = url;
  req.via = "liveness";
  fetcher.Add(std::move(req), [&result](crawler::FetchResult r) { result = std::move(r); });
  fetcher.Run();
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
