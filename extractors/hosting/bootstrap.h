#pragma once
// RDAP bootstrap (RFC 9224): which RDAP server answers for a TLD, an IP
// block or an AS number, from IANA's dns.json, ipv4.json, ipv6.json and
// asn.json (a dated snapshot ships in config/rdap/; `dragnet rdap update`
// refreshes it). Base URLs can be rewritten ([rdap.base_url]) so tests and
// private deployments point a registry at another server.
//
// Immutable after Load(); lookups are thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "extractors/hosting/ip.h"

namespace dragnet::hosting {

// Largest bootstrap file we read (IANA's dns.json is ~100 KiB today).
inline constexpr uint64_t kMaxBootstrapBytes = 8ull << 20;

class Bootstrap {
 public:
  // Reads the four files from `dir`. A missing or malformed file is an
  // error naming it. `rewrites` maps URL prefixes to replacements.
  Status Load(const std::string& dir, const std::map<std::string, std::string>& rewrites = {});

  // Base URLs (ending in '/', https preferred) for the longest matching entry;
  // empty when no registry is known.
  std::vector<std::string> ForDomain(const std::string& ascii_name) const;
  std::vector<std::string> ForIp(const IpAddr& ip) const;
  std::vector<std::string> ForAsn(uint32_t asn) const;

  // Applies the configured rewrites to any URL (referrals too).
  std::string Rewrite(const std::string& url) const;

  // "publication" of each file, for `dragnet rdap update` and the README.
  const std::map<std::string, std::string>& publication() const { return publication_; }

 private:
  struct Cidrs {
    Cidr cidr;
    std::vector<std::string> urls;
  };
  struct AsnRange {
    uint32_t first, last;
    std::vector<std::string> urls;
  };
  std::map<std::string, std::vector<std::string>> tlds_;  // "com" -> urls; keys lowercase
  std::vector<Cidrs> nets_;
  std::vector<AsnRange> asns_;
  std::map<std::string, std::string> rewrites_;
  std::map<std::string, std::string> publication_;
};

// Checks that `text` is a bootstrap file of the RFC 9224 shape ("services"
// array of [entries, urls] pairs); used before replacing a snapshot.
Status ValidateBootstrapFile(const std::string& text, const std::string& name);

}  // namespace dragnet::hosting
