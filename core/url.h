#pragma once
// Url: a parsed, normalised http(s) URL.
//
// Parsing and normalisation go through libcurl's URL API (the same parser the
// fetcher uses, so what we check is what we fetch); IDN hosts go through
// libidn2 (UTS #46, non-transitional) and both the Unicode and the punycode
// form are kept; the registrable domain comes from libpsl's built-in list.
//
// Normal form (what `normalized` holds and what dedupe keys on):
// lowercase scheme and host, host in punycode, default port dropped,
// userinfo dropped, fragment dropped, empty path -> "/", percent-encoding
// of unreserved characters decoded by curl, dot segments removed.
// Value type; thread-safe to copy and read.

#include <string>
#include <string_view>

#include "core/status.h"

namespace dragnet {

struct Url {
  std::string normalized;    // full URL in normal form (ASCII)
  std::string scheme;        // "http" or "https"
  std::string host;          // ASCII (punycode) host, lowercase; IPv6 without brackets
  std::string host_unicode;  // Unicode form of host (same as host when not IDN)
  int port = 0;              // explicit or default port
  std::string path;          // path + "?" + query, starts with '/'
  bool host_is_ip = false;

  // "example.co.uk" for "a.b.example.co.uk"; the host itself for IP literals
  // and for hosts that are themselves a public suffix.
  std::string RegistrableDomain() const;
};

// Parses an absolute http(s) URL. Other schemes are refused (Code::kRefused),
// garbage is kInvalidArgument.
Result<Url> ParseUrl(std::string_view text);

// Resolves `ref` (absolute or relative) against `base` and parses the result.
Result<Url> ResolveUrl(const Url& base, std::string_view ref);

// Registrable domain (eTLD+1) of an ASCII host name via libpsl; empty when the
// host is an IP literal or has no registrable part.
std::string RegistrableDomainOf(std::string_view ascii_host);

// True when `ascii_host` ends in a known public suffix (libpsl).
bool HasPublicSuffix(std::string_view ascii_host);

// IDN helpers (libidn2). ToAscii fails on invalid labels.
Result<std::string> HostToAscii(std::string_view host);
std::string HostToUnicode(std::string_view ascii_host);

}  // namespace dragnet
