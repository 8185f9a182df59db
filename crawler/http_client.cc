// GuardedHttpClient: see http_client.h. One Fetcher per Send(), on the
// calling thread; the FetchResult is copied into the plain HttpResponse.

#include "crawler/http_client.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

namespace dragnet::crawler {

GuardedHttpClient::GuardedHttpClient(CrawlOptions options, FetcherTestOptions test)
    : options_(std::move(options)), test_(std::move(test)) {}

HttpResponse GuardedHttpClient::Send(const HttpRequest& request) {
  requests_++;
  // The request's own limits, for this request only.
  CrawlOptions o = options_;
  if (request.timeout_ms > 0) o.total_timeout_ms = request.timeout_ms;
  o.connect_timeout_ms = std::min(o.connect_timeout_ms, o.total_timeout_ms);
  if (request.max_body_bytes > 0) {
    o.max_body_bytes = request.max_body_bytes;
    o.max_decoded_bytes = request.max_body_bytes;
  }
  if (request.max_redirects >= 0) o.max_redirects = request.max_redirects;
  o.verify_tls = o.verify_tls || request.verify_tls;
  o.per_host_delay_ms = 0;  // one request: nothing to space out

  FetchRequest fr;
  fr.url = request.url;
  fr.via = "request";
  fr.follow_redirects = request.follow_redirects;
  fr.method = request.method == "GET" ? "" : request.method;
  fr.body = request.body;
  fr.headers = request.headers;

  FetchResult r;
  bool done = false;
  Fetcher fetcher(o, test_);
  fetcher.Add(std::move(fr), [&](FetchResult result) {
    r = std::move(result);
    done = true;
  });
  fetcher.Run();

  HttpResponse out;
  if (!done) {  // Run() ends every Add() in a callback; this is a broken invariant
    out.error_kind = "internal";
    out.error = "internal: the fetcher returned without a result";
    return out;
  }
  out.status = r.status;
  out.final_url = std::move(r.final_url);
  out.content_type = std::move(r.content_type);
  out.body = std::move(r.body);
  out.limits_hit = std::move(r.limits_hit);
  out.truncated = r.truncated;
  out.error = std::move(r.error);
  out.error_kind = std::move(r.error_kind);
  if (out.error.empty() && !r.decode_error.empty()) {
    // The response came, but its body could not be (fully) decoded: a
    // caller reading the body must not take a fragment for the whole.
    out.error_kind = "decode";
    out.error = "decode: " + r.decode_error;
  }
  if (!r.hops.empty()) out.headers = std::move(r.hops.back().headers);
  out.hops.reserve(r.hops.size());
  for (const Hop& h : r.hops) out.hops.push_back(HttpHop{h.url, h.status, h.ip, h.port, h.error});
  if (out.error_kind == "refused") {
    refused_++;
    spdlog::info("http: {} {} refused by the SSRF guard: {}", request.method, request.url, out.error);
  }
  return out;
}

}  // namespace dragnet::crawler
