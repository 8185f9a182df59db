#pragma once
// The landing page's favicon: the request the crawler makes for it and what
// it keeps of the answer (core/model.h Favicon: URL, SHA-256, Shodan hash).
//
// The icon is fetched through the crawler's own Fetcher (SSRF guard, limits)
// right after the landing page, stored as evidence like every other body, and
// hashed two ways: SHA-256 of the bytes (its evidence blob) and the hash
// Shodan indexes favicons by (http.favicon.hash), so a kit's icon can be
// matched against brand catalogues and other sites of one campaign:
// MurmurHash3 x86_32, seed 0, over the base64 of the bytes with a newline
// after every 76 characters and at the end (Python's base64.encodebytes),
// printed as a signed 32-bit integer.
//
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "crawler/evidence.h"
#include "crawler/fetcher.h"

namespace dragnet::crawler {

// base64 of `bytes` with a '\n' after every 76 output characters and at the
// end, as Python's base64.encodebytes writes it ("" for no bytes).
std::string ShodanBase64(std::string_view bytes);

// Shodan's favicon hash of the icon bytes.
int32_t FaviconMmh3(std::string_view bytes);

// The request for `url` (absolute http(s)), recorded with via "favicon".
FetchRequest FaviconRequest(const std::string& url, uint64_t priority);

// What was fetched, when it is an icon: a 2xx answer with a body that is not
// an HTML page (servers answer a missing /favicon.ico with their 404 page or
// the home page). `body_sha256` is the fetch's evidence hash. Empty when it
// is no icon; `too_large` is set when the body was over `max_bytes` (the
// limit max_favicon_bytes), in which case it is not hashed.
std::optional<Favicon> FaviconFromFetch(const FetchResult& r, const std::string& body_sha256, int64_t max_bytes,
                                        bool* too_large = nullptr);

// The fetch of the icon kept as evidence: each hop a Capture in `manifest`
// (null: none kept), the body a blob in `store` when it is at most
// `max_bytes`; then FaviconFromFetch. What the crawl records of it.
struct FaviconRecord {
  std::optional<Favicon> favicon;
  bool too_large = false;        // limit max_favicon_bytes hit
  std::string error;             // evidence write failure, "" when none
};
// Runs on the crawl's loop thread: one small blob at most per seed.
FaviconRecord RecordFavicon(const FetchResult& r, EvidenceStore* store, ManifestWriter* manifest, int64_t max_bytes);

}  // namespace dragnet::crawler
