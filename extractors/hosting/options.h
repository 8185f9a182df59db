#pragma once
// HostingOptions: DNS resolvers, geolocation databases, RDAP bootstrap and
// cache, CDN table. Sections [dns], [geo], [rdap], [hosting] of the config.
// Owner of the keys: extractors/hosting/. Plain value type; every default is
// written beside its field, and config/dragnet.example.toml mirrors them.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::hosting {

struct HostingOptions {
  // [hosting]
  bool enabled = true;                     // false skips the locate stage
  std::string cdn_file;                    // CDN/proxy table; empty: <bootstrap_dir>/../cdn.toml
  std::vector<std::string> ignore_contacts;  // extra abuse addresses (or "@domain") never to use
  int max_ips = 16;                        // addresses located per site (DNS answers can be huge)
  // Fetch the site's /.well-known/security.txt (RFC 9116; one request per
  // located site, through the guarded HTTP client) for its Contact: lines,
  // the last fallback for an abuse address. Off: no request to the site.
  bool security_txt = true;
  int64_t security_txt_timeout_ms = 5'000;  // per hop; a tarpit site must not hold the locate stage

  // [dns]
  std::vector<std::string> dns_servers;    // "ip[:port]"; empty: /etc/resolv.conf
  std::string abusix_zone = "abuse-contacts.abusix.zone";  // empty disables the Abusix fallback
  int64_t dns_timeout_ms = 3000;           // per query round (c-ares retries inside it)

  // [geo]
  std::string city_db, country_db, asn_db; // paths; city/country empty: embedded_db
  std::string embedded_db;                 // empty: <bootstrap_dir>/../geo/dragnet-country.mmdb

  // [rdap]
  std::string bootstrap_dir;               // folder with dns.json, ipv4.json, ipv6.json, asn.json
  int64_t cache_ttl_ms = 24LL * 3600 * 1000;  // how long an answer (and an error) is reused
  int64_t rdap_timeout_ms = 10'000;        // per hop of a request (redirects: up to kMaxRdapRedirects), connect included
  // A server that timed out or refused connections is not asked again for
  // this long, so a campaign of 500 domains does not wait 500 timeouts.
  int64_t failure_backoff_ms = 60'000;
  // A 429 whose Retry-After is at most this long is waited out and retried
  // once; a longer one fails the lookup and backs the server off.
  int64_t max_retry_wait_ms = 2'000;
  // Base-URL rewrites, [rdap.base_url] "https://rdap.verisign.com/com/v1/" =
  // "http://127.0.0.1:8080/com/v1/": applied to bootstrap URLs and to
  // registrar referrals (longest matching prefix wins).
  std::map<std::string, std::string> base_url;
  // Where `dragnet rdap update` fetches the four bootstrap files.
  std::string bootstrap_url = "https://data.iana.org/rdap/";
  bool follow_referrals = true;            // registry -> registrar (links rel=related)
};

// Reads [hosting], [dns], [geo], [rdap] of `root` (may be null).
Status ParseHostingOptions(const toml::table* root, HostingOptions& out);

}  // namespace dragnet::hosting
