#pragma once
// Fetcher: the HTTP(S) client for hostile sites, on libcurl's multi
// interface, event-driven in one thread (hundreds of transfers in flight).
//
// Each Add() queues one fetch of one URL; HTTP redirects are followed by the
// fetcher itself (not CURLOPT_FOLLOWLOCATION) so that every hop is recorded
// (status, headers, remote IP/port, timings, HTTP version, TLS leaf
// certificate and verification result) and every hop passes the SSRF guard
// at connect time (crawler/ssrf.h), which also catches DNS rebinding.
// Bodies are received still content-encoded and decoded here (gzip, deflate,
// br) with a cap on both the wire bytes and the decoded bytes, so
// compression bombs stop at the limit. Every limit that stops a transfer is
// named in FetchResult::limits_hit.
//
// Caps: CrawlOptions::global_concurrency transfers at once, at most
// per_host_concurrency per host name, and per_host_delay between request
// starts to one host; excess requests wait in a FIFO.
//
// Threads: a Fetcher belongs to the thread that calls Run(); Add() and the
// callbacks run on that thread (callbacks may Add() more work). One Fetcher
// (one curl multi handle) per I/O thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/model.h"
#include "crawler/options.h"

namespace dragnet::crawler {

struct FetchRequest {
  std::string url;                   // absolute http(s) URL
  std::string via = "seed";          // recorded on the first hop: seed, link, iframe, meta, js
  bool follow_redirects = true;      // follow HTTP 3xx, recording each hop
  int redirect_budget = -1;          // hops still allowed; -1: CrawlOptions::max_redirects
  std::set<std::string> seen;        // normalised URLs already in this chain (loop detection across meta/js hops)
};

struct FetchResult {
  std::vector<Hop> hops;             // first = requested URL, last = final response (or the failure)
  std::string final_url;
  long status = 0;                   // of the last hop
  std::string content_type;          // of the last hop, lowercase, parameters kept
  std::string content_encoding;      // as the server declared it
  std::string raw_body;              // as received on the wire (still encoded), capped
  std::string body;                  // decoded, capped
  std::vector<std::string> limits_hit;  // max_body_bytes, max_decoded_bytes, total_timeout, connect_timeout, low_speed, max_redirects, redirect_loop, max_header_bytes
  std::string error;                 // empty when a final response was received
  std::string error_kind;            // refused, scheme, dns, connect, timeout, tls, protocol, too_large, low_speed, redirect_loop, too_many_redirects
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  bool ok() const { return error.empty(); }
};

struct FetcherStats {
  uint64_t requests = 0, responses = 0, errors = 0, bytes_received = 0, refused = 0;
  int peak_in_flight = 0;
};

class Fetcher {
 public:
  using Callback = std::function<void(FetchResult)>;

  explicit Fetcher(const CrawlOptions& options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues a fetch; `done` runs on the Run() thread when it finishes.
  void Add(FetchRequest request, Callback done);
  // Drives every queued transfer (and those callbacks add) to completion.
  void Run();
  // Asks Run() to return early; unfinished transfers end with error
  // "cancelled". Safe to call from any thread and from signal-driven code.
  void Cancel();

  const FetcherStats& stats() const { return stats_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  FetcherStats stats_;
};

}  // namespace dragnet::crawler
