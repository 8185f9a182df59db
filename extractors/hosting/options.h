#pragma once
// HostingOptions: DNS resolvers, geolocation databases, RDAP bootstrap and
// cache, CDN table. Sections [dns], [geo], [rdap], [hosting] of the config.
// Owner of the keys: extractors/hosting/. Plain value type.

#include <cstdint>
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
  bool enabled = true;                     // [hosting] enabled: false skips the locate stage
  // [dns]
  std::vector<std::string> dns_servers;    // "ip[:port]"; empty: /etc/resolv.conf
  std::string abusix_zone = "abuse-contacts.abusix.zone";
  int64_t dns_timeout_ms = 3000;
  // [geo]
  std::string city_db, country_db, asn_db; // paths; empty: embedded default country db
  // [rdap]
  std::string bootstrap_dir;               // folder with dns.json, ipv4.json, ipv6.json, asn.json
  int64_t cache_ttl_ms = 24LL * 3600 * 1000;
  int64_t rdap_timeout_ms = 10'000;
};

// Reads [hosting], [dns], [geo], [rdap] of `root` (may be null).
Status ParseHostingOptions(const toml::table* root, HostingOptions& out);

}  // namespace dragnet::hosting
