#pragma once
// In-process fast paths for core/url.h's ParseUrl / ResolveUrl, for the
// common shapes of URLs in pages (internal to extractors/).
//
// core/url.h goes through libcurl's URL API for every URL: a CURLU handle, the
// base URL re-parsed for each reference, five curl_url_get copies and the IDN
// round trip. A page with a few hundred links spends more time there than in
// Gumbo. These functions produce the same `normalized` string without curl for
// plain ASCII references (http/https with a lowercase-able host name or a
// dotted quad, no userinfo, no port, no percent-escapes, no dot segments left after curl's own
// "./" and "../" prefix handling), and say "not handled" for anything else;
// the *OrCurl wrappers then ask curl. The results are byte-identical to curl's
// (tests/unit/extractors/url_fast_test.cc compares both paths on thousands of
// generated and hand-picked cases).
//
// Pure functions; no state; safe from any thread.

#include <optional>
#include <string>
#include <string_view>

#include "core/url.h"

namespace dragnet::extractors::urlfast {

// What a fast path decided.
enum class Outcome {
  kResolved,    // `out` holds the normalized URL curl would give
  kNotHttp,     // curl would fail or give a non-http(s) URL (mailto:, javascript:, ...)
  kAskCurl,     // not a shape the fast path knows: use core/url.h
};

// ParseUrl(text) for an absolute http(s) URL. On kResolved, `out` holds all of
// Url's fields (host_unicode == host: IDN hosts, IPv6 literals and IPv4
// forms other than the canonical dotted quad are left to curl).
Outcome ParseAbsolute(std::string_view text, Url& out);

// ResolveUrl(base, ref)->normalized. `base` must come from ParseUrl/ResolveUrl
// (or ParseAbsolute).
Outcome Resolve(const Url& base, std::string_view ref, std::string& out);

// The fast path, then core/url.h when it does not know the shape.
Result<Url> ParseUrlOrCurl(std::string_view text);
// ResolveUrl(base, ref)->normalized, or nullopt when that fails.
std::optional<std::string> ResolveOrCurl(const Url& base, std::string_view ref);

}  // namespace dragnet::extractors::urlfast
