#pragma once
// HttpClient: the seam through which every module below crawler/ in the
// link graph (extractors/hosting, reporters) sends an HTTP request — RDAP
// queries and referrals, the bootstrap download, a site's security.txt,
// webhook deliveries — without linking the crawler.
//
// There is one production implementation, crawler::GuardedHttpClient
// (crawler/http_client.h): it sends through crawler::Fetcher, so every
// request and every redirect hop passes the SSRF guard at connect time, the
// [crawl] resolve pins and the fetcher's limits. app/ (the composition root)
// builds it from [crawl] and hands it to the Locator and the ReportService;
// `[crawl] allow_private` is the one knob that lets any of them reach
// loopback or private addresses. Tests pass the same class with the
// fetcher's test-only allow list for their own loopback servers; a fake
// implementation may stand in where a test is about the caller, not HTTP.
//
// HttpRequest/HttpResponse are plain values. Send() is blocking; an
// implementation must be safe to call from several threads at once (the
// daemon's workers locate and report side by side). Send() never throws:
// a failure is a response with `error` and `error_kind` set.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/strings.h"

namespace dragnet {

struct HttpRequest {
  std::string method = "GET";         // GET, POST, HEAD, PUT, ...
  std::string url;                    // absolute http(s) URL
  // Extra headers, "Name: value". One named like a default of the client
  // (Accept, Accept-Encoding, Accept-Language, User-Agent) replaces it.
  // Authorization and Cookie are dropped when a redirect leaves the host.
  std::vector<std::string> headers;
  std::string body;                   // sent with POST/PUT/PATCH
  // Cap on the response body, on the wire and once decoded; a longer body
  // is cut there, `truncated` is set and error_kind is "too_large".
  // -1: the client's default ([crawl] max_body_bytes).
  int64_t max_body_bytes = -1;
  // Whole transfer of one hop, connect included (a redirect chain takes at
  // most (max_redirects + 1) x timeout_ms). -1: the client's default.
  int64_t timeout_ms = -1;
  bool follow_redirects = true;       // follow 3xx; each hop is guarded and recorded
  int max_redirects = -1;             // hops allowed; -1: the client's default
  // Refuse a certificate that does not verify (the request is not sent).
  // True for services we trust with data or secrets (RDAP, IANA, webhooks);
  // false only for requests to a suspect site itself (liveness, its
  // security.txt), whose certificate is evidence, not trust.
  bool verify_tls = true;
};

// One HTTP request sent (or refused) on the way to the final response.
struct HttpHop {
  std::string url;
  long status = 0;                    // 0: no response (refused, failed)
  std::string ip;                     // the address connected to (or refused)
  int port = 0;
  std::string error;                  // "kind: detail" when this hop failed
};

struct HttpResponse {
  long status = 0;                    // of the final response; 0 when none came
  std::string final_url;
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response, in order
  std::string body;                   // content-decoded, capped at max_body_bytes
  std::string content_type;           // lowercase, parameters kept
  // "kind: detail"; empty when a final response was received. error_kind
  // is the fetcher's vocabulary (crawler/fetcher.h): refused (SSRF guard),
  // scheme, url, dns, connect, tls, timeout, low_speed, too_large,
  // protocol, redirect_loop, too_many_redirects, config, internal; and
  // decode: the response came but its body could not be (fully) decoded.
  // A body cut at max_body_bytes is too_large with `status` still set.
  std::string error;
  std::string error_kind;
  std::vector<std::string> limits_hit;  // named limits that stopped it (max_body_bytes, total_timeout, ...)
  std::vector<HttpHop> hops;          // first = requested URL, last = the final response or failure
  bool truncated = false;             // body cut at max_body_bytes

  bool ok() const { return error.empty(); }
  // Last value of a response header (case-insensitive name), or "".
  std::string Header(std::string_view name) const {
    const std::string want = AsciiLower(name);
    for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
      if (it->first.size() == want.size() && AsciiLower(it->first) == want) return it->second;
    }
    return {};
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request and returns its final response (or the failure).
  // Blocking; thread-safe.
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

}  // namespace dragnet
