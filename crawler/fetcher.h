#pragma once
// Fetcher: the HTTP(S) client for hostile sites, on libcurl's multi
// interface, event-driven in one thread (epoll + curl_multi_socket_action;
// hundreds of transfers in flight).
//
// Each Add() queues one fetch of one URL; HTTP redirects are followed by the
// fetcher itself (not CURLOPT_FOLLOWLOCATION) so that every hop is recorded
// (status, headers, remote IP/port, timings, HTTP version, TLS leaf
// certificate and verification result) and every hop passes the SSRF guard
// at connect time (crawler/ssrf.h), which also catches DNS rebinding.
// Bodies are received still content-encoded and decoded here (gzip, deflate,
// br; crawler/decode.h) with a cap on both the wire bytes and the decoded
// bytes, so compression bombs stop at the limit. Every limit that stops a
// transfer is named in FetchResult::limits_hit.
//
// Outcomes: every Add() ends in exactly one callback with a FetchResult,
// never an exception. An unreachable, refused, timed-out or malformed site
// is a result with `error` ("kind: detail") and `error_kind` set:
//   refused            the SSRF guard refused the address (no packet sent)
//   scheme             not http(s), in the request or in a Location
//   url                the URL (or a Location) does not parse
//   dns, connect, tls  name resolution, TCP, TLS handshake failed
//   timeout            connect_timeout or total_timeout (see limits_hit)
//   low_speed          slower than low_speed_bytes for low_speed_time
//   too_large          max_body_bytes, max_decoded_bytes or max_header_bytes
//                      (curl itself stops a single header line at 100 KiB
//                      and a response's headers at 300 KiB; both are
//                      reported as max_header_bytes)
//                      (a body cut at a size cap keeps its status, headers
//                      and the truncated body, and `truncated` is set, so
//                      the crawler may still parse what arrived)
//   protocol           malformed status line or headers, HTTP/0.9, ...
//   redirect_loop      a Location already visited in this chain
//   too_many_redirects more than the redirect budget
//   cancelled          Cancel() ended it
//   config             an invalid CrawlOptions::resolve pin
// A body that fails to decode (corrupt or truncated gzip/br) is not an
// error of the fetch: `decode_error` says why and `body` holds what decoded.
//
// Methods: GET unless FetchRequest::method says otherwise; a body goes with
// POST/PUT/PATCH. A 303 (and a 301/302 after a POST) continues as GET
// without the body, 307/308 keep both, as browsers do. A request's own
// headers replace the defaults of the same name; Authorization and Cookie
// headers are dropped when a redirect leaves the request's host.
//
// Hop timings: dns_ms, connect_ms, tls_ms are the duration of each phase;
// ttfb_ms and total_ms are measured from the start of the hop. A reused
// connection has zero dns/connect/tls. The time limits apply per hop, so a
// chain takes at most (redirect budget + 1) x total_timeout.
//
// Hops: one per HTTP request sent, plus, when a Location is refused for its
// scheme or does not parse, one unfetched hop naming that Location (status
// 0, error set); redirects_followed counts only redirects actually followed.
//
// Caps: CrawlOptions::global_concurrency transfers at once, at most
// per_host_concurrency per host name, and per_host_delay between request
// starts to one host; excess requests wait in a FIFO (a redirect hop waits
// at the front: it continues work already started).
//
// Name pins: CrawlOptions::resolve entries "HOST:PORT:ADDR[,ADDR...]" work
// exactly as curl's --resolve (CURLOPT_RESOLVE). HOST "*" pins every name
// not pinned otherwise (implemented by adding a per-request pin for the
// URL's host); PORT "*" with HOST "*" pins every port. IP-literal URLs are
// never pinned (as with curl). The SSRF guard sees the pinned address.
//
// Threads: a Fetcher belongs to the thread that calls Run(); Add() and the
// callbacks run on that thread (callbacks may Add() more work). One Fetcher
// (one curl multi handle) per I/O thread. Cancel() alone may be called from
// any thread or a signal handler. Work still queued when a Fetcher is
// destroyed is dropped without callbacks.

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "crawler/options.h"

namespace dragnet::crawler {

struct FetchRequest {
  std::string url;                   // absolute http(s) URL
  std::string via = "seed";          // recorded on the first hop: seed, link, iframe, meta, js
  bool follow_redirects = true;      // follow HTTP 3xx, recording each hop
  int redirect_budget = -1;          // hops still allowed; -1: CrawlOptions::max_redirects
  std::set<std::string> seen;        // normalised URLs already in this chain (loop detection across meta/js hops)
  // Lower starts first; FIFO within one priority. The crawler gives each
  // seed's requests the seed's index, so with more work than connections
  // the earlier seeds finish (and free their pages) before later ones grow.
  uint64_t priority = 0;
  // ---- for clients other than the crawler (RDAP, webhooks, TSA, feeds,
  // the browser's intercepted requests); the crawler leaves them empty ----
  std::string method;                // empty: GET. POST, PUT, HEAD, ... as given
  std::string body;                  // request body (sent with POST/PUT/PATCH)
  // Extra request headers, "Name: value"; one named like a default
  // (Accept, Accept-Language, Accept-Encoding, User-Agent) replaces it.
  std::vector<std::string> headers;
  int64_t total_timeout_ms = -1;     // -1: CrawlOptions::total_timeout_ms
  // Monotonic time (SystemClock::MonotonicMs) by which this request must be
  // over, redirect hops included; 0: none. A hop starts with at most the
  // time left, a request still waiting at the deadline never starts, and
  // either ends with error_kind "timeout" and limit "site_timeout". The
  // crawler gives every request of a seed the seed's deadline.
  int64_t deadline_mono_ms = 0;
};

struct FetchResult {
  std::vector<Hop> hops;             // first = requested URL, last = final response (or the failure)
  std::string final_url;
  long status = 0;                   // of the last hop
  std::string content_type;          // of the last hop, lowercase, parameters kept
  std::string content_encoding;      // as the server declared it
  std::string raw_body;              // as received on the wire (still encoded), capped
  std::string body;                  // decoded, capped
  std::vector<std::string> limits_hit;  // max_body_bytes, max_decoded_bytes, total_timeout, connect_timeout, low_speed, max_redirects, redirect_loop, max_header_bytes, site_timeout
  std::string error;                 // empty when a final response was received
  std::string error_kind;            // refused, scheme, dns, connect, timeout, tls, protocol, too_large, low_speed, redirect_loop, too_many_redirects (see above)
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  bool truncated = false;            // raw_body or body was cut at a size cap
  std::string decode_error;          // why `body` could not be (fully) decoded; empty when it was
  int redirects_followed = 0;        // HTTP redirects followed in this fetch
  bool ok() const { return error.empty(); }
};

// Counters of one Fetcher since construction (read on the Run() thread).
struct FetcherStats {
  uint64_t requests = 0;             // Add() calls
  uint64_t responses = 0;            // fetches that ended with an HTTP status
  uint64_t errors = 0;               // fetches that ended with an error
  uint64_t bytes_received = 0;       // body bytes on the wire, all hops
  uint64_t refused = 0;              // fetches refused by the SSRF guard
  int peak_in_flight = 0;            // most transfers running at once
  uint64_t hops = 0;                 // HTTP requests sent (each redirect hop counts)
  uint64_t limits_hit = 0;           // fetches that hit at least one named limit
  uint64_t cancelled = 0;
};

// Test seams that are not crawl options. Defaults keep production behaviour.
struct FetcherTestOptions {
  // Exact "ip:port" pairs the SSRF guard lets through although they are not
  // public ("127.0.0.1:8080", "[::1]:8080"). Lets a test server on
  // 127.0.0.1:P be reached with the guard ON, so a redirect from it to
  // 127.0.0.1:Q or 169.254.169.254 is still refused. Never set in production.
  std::vector<std::string> guard_allow;
  // A PEM CA file trusted in addition to the system CAs when recording
  // whether a certificate verifies (tests' own CA). Empty: system CAs only.
  std::string extra_ca_file;
};

// Checks CrawlOptions::resolve entries ("HOST:PORT:ADDR[,ADDR]", HOST may be
// "*", PORT may be "*" only with HOST "*"). InvalidArgument naming the entry.
Status CheckResolvePins(const std::vector<std::string>& pins);

class Fetcher {
 public:
  using Callback = std::function<void(FetchResult)>;

  explicit Fetcher(const CrawlOptions& options, FetcherTestOptions test_options = {});
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues a fetch; `done` runs on the Run() thread when it finishes (also
  // for a URL refused up front: never from inside Add()).
  void Add(FetchRequest request, Callback done);
  // Drives every queued transfer (and those callbacks add) to completion.
  void Run();
  // Asks Run() to return early; unfinished transfers end with error
  // "cancelled". Safe to call from any thread and from signal-driven code.
  // A Cancel() while Run() is not running makes the next Run() cancel
  // everything queued and return at once.
  void Cancel();

  // Work done off the loop (the crawler's parse pool). Hold(), on the Run()
  // thread, keeps Run() going until a matching Resume(fn); Resume may be
  // called from any thread and `fn` then runs on the Run() thread (where it
  // may Add() more). After a Cancel(), Run() still waits for every Hold()
  // to be resumed, so no continuation is lost.
  void Hold();
  void Resume(std::function<void()> fn);

  const FetcherStats& stats() const { return stats_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  FetcherStats stats_;
};

}  // namespace dragnet::crawler
