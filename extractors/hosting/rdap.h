#pragma once
// RDAP (RFC 9083) for the hosting stage: who registered a domain (registrar,
// IANA ID, dates, status, nameservers, the registrar's abuse contact as the
// ICANN gTLD RDAP profile places it) and who runs an IP network (handle,
// name, range, country, abuse contact).
//
// Three layers, each testable on its own:
//   ParseRdapDomain / ParseRdapNetwork  pure functions of a JSON document;
//   HttpClient (core/http.h)            the transport seam; in production the
//                                       crawler's GuardedHttpClient, so every
//                                       request, redirect hop and referral
//                                       passes the SSRF guard and its limits;
//   RdapClient                          bootstrap -> URL, per-server backoff
//                                       (429 Retry-After, timeouts), registry
//                                       -> registrar referral, TTL caches per
//                                       registrable domain and per IP network.
// RdapClient is thread-safe: caches and server state sit behind one mutex
// that is never held during a request. The Bootstrap, HttpClient and Clock
// it is given must outlive it.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/http.h"
#include "core/model.h"
#include "core/status.h"
#include "extractors/hosting/bootstrap.h"
#include "extractors/hosting/contacts.h"
#include "extractors/hosting/ip.h"
#include "extractors/hosting/options.h"

namespace dragnet::hosting {

// Largest RDAP response we accept; real ones are 5-50 KiB.
inline constexpr size_t kMaxRdapBytes = 2u << 20;
// Redirects followed for one RDAP request (RIRs redirect between each other
// once; a loop must end). Each hop is guarded (a redirect into loopback,
// private or metadata addresses is refused and recorded).
inline constexpr int kMaxRdapRedirects = 5;
// Registry -> registrar referral links tried for one domain (each a new
// guarded request), until one answers; the registrar's own referrals are
// not followed.
inline constexpr int kMaxRdapReferrals = 2;
// Depth of nested entities we walk (registrar -> abuse is 2; RIPE nests 3).
inline constexpr int kMaxEntityDepth = 4;
// Entities visited in one response, all depths together.
inline constexpr int kMaxEntities = 500;
// Retry-After longer than this is treated as this (a broken header must not
// silence a server for days).
inline constexpr int64_t kMaxRetryAfterMs = 3600'000;
// Backoff after a 429 without a usable Retry-After.
inline constexpr int64_t kDefaultRetryAfterMs = 60'000;

// ------------------------------------------------------------------ parsing

struct RdapDomain {
  Registrar registrar;
  DomainInfo domain;
  std::vector<std::string> referrals;  // links rel=related to RDAP documents
};

struct RdapNetwork {
  std::string handle, name, range, country;
  std::optional<IpAddr> first, last;   // the block, when the response says
  AbuseContact abuse;                  // source rdap-ip, scope network
};

// RFC 3339 in UTC seconds ("2024-07-29T17:23:53Z") from the date forms
// registries write ("...000+0000", "...Z", no zone = UTC); "" when unreadable.
std::string NormalizeRdapDate(std::string_view s);
// Whole days from `created` (RFC 3339) to `now_unix_ms`; nullopt when the
// date is unreadable or in the future.
std::optional<long> DomainAgeDays(const std::string& created, int64_t now_unix_ms);

Result<RdapDomain> ParseRdapDomain(const nlohmann::json& j, const ContactFilter& filter);
Result<RdapNetwork> ParseRdapNetwork(const nlohmann::json& j, const ContactFilter& filter);

// ---------------------------------------------------------------- transport

// Retry-After (RFC 9110 10.2.3: delay-seconds or an HTTP-date) in ms from
// `now_unix_s`; -1 when absent or unreadable. Capped at kMaxRetryAfterMs.
int64_t ParseRetryAfterMs(const std::string& value, int64_t now_unix_s);

// ------------------------------------------------------------------- client

class RdapClient {
 public:
  RdapClient(const HostingOptions& options, const Bootstrap& bootstrap, HttpClient& http,
             const Clock& clock, ContactFilter filter);

  // Registration data of a registrable domain (ASCII). Cached for
  // options.cache_ttl_ms; referral failures are listed in `notes`.
  Result<RdapDomain> Domain(const std::string& domain, std::vector<std::string>* notes = nullptr);
  // The network holding `ip`; the answer is cached for its whole block, so
  // other addresses of the block make no request.
  Result<RdapNetwork> Network(const IpAddr& ip);

  // Requests sent so far (for tests and the stats line).
  int64_t requests() const;

 private:
  Result<nlohmann::json> Fetch(const std::string& url);
  // Tries each base URL; the first that answers wins.
  Result<nlohmann::json> FetchFirst(const std::vector<std::string>& bases, const std::string& path);
  static std::string ServerOf(const std::string& url);

  const HostingOptions& options_;
  const Bootstrap& bootstrap_;
  HttpClient& http_;
  const Clock& clock_;
  ContactFilter filter_;

  struct DomainEntry {
    int64_t expires_ms;
    Result<RdapDomain> value;
    std::vector<std::string> notes;
  };
  struct NetworkEntry {
    int64_t expires_ms;
    IpAddr first, last;
    RdapNetwork value;
  };
  struct ErrorEntry {
    int64_t expires_ms;
    Status status;
  };
  struct ServerState {
    int64_t backoff_until_ms = 0;
    std::string reason;
  };
  mutable std::mutex mu_;
  std::map<std::string, DomainEntry> domains_;     // GUARDED_BY(mu_)
  std::vector<NetworkEntry> networks_;             // GUARDED_BY(mu_)
  std::map<std::string, ErrorEntry> ip_errors_;    // GUARDED_BY(mu_), per address
  std::map<std::string, ServerState> servers_;     // GUARDED_BY(mu_), "scheme://host:port"
  int64_t requests_ = 0;                           // GUARDED_BY(mu_)
};

// Network blocks cached at most (a long daemon run sees many).
inline constexpr size_t kMaxCachedNetworks = 100'000;

}  // namespace dragnet::hosting
