#pragma once
// Locator: the hosting stage. For a scanned site it answers where it is
// served from and whom to ask for a takedown: DNS (c-ares), geolocation and
// ASN (libmaxminddb), CDN/proxy detection (config/cdn.toml), the network's
// and the registrar's abuse contacts (RDAP, with the Abusix DNS zone and the
// site's security.txt as fallbacks).
//
// Every HTTP request (RDAP queries, redirects and referrals; the site's
// security.txt) goes through the HttpClient it is given (core/http.h): in
// production the crawler's GuardedHttpClient, so the SSRF guard, the
// [crawl] resolve pins and the fetcher's limits apply to each hop.
//
// Ownership: a Locator owns its geo databases, bootstrap table, CDN table,
// resolver and RDAP client (with its caches); it borrows the HttpClient and
// the Clock, which must outlive it. Init() once, on one thread;
// afterwards Locate(), LookupDomain() and LookupIp() may be called from any
// number of threads at once: the databases are read-only and the RDAP caches
// are guarded by a mutex (held only between requests). The caches live as
// long as the Locator, so keep one per process: 500 domains on one registrar
// then cost one RDAP request per domain and one per IP network.
//
// Nothing here fails a scan: every lookup error lands in Hosting::errors.

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/http.h"
#include "core/model.h"
#include "core/status.h"
#include "extractors/hosting/contacts.h"
#include "extractors/hosting/options.h"

namespace dragnet::hosting {

class Bootstrap;
class CdnTable;
class GeoDb;
class RdapClient;
class Resolver;

struct LocateRequest {
  std::string seed_host;
  std::string final_host;
  std::vector<std::string> ips_seen;  // remote IPs the crawler connected to
  // Body of the site's security.txt (RFC 9116), when the caller has it.
  // Empty: fetched from site_url's origin when [hosting] security_txt is on.
  std::string security_txt;
  std::string site_url;               // the crawled site's final URL; empty: no security.txt fetch
};

// Redirects followed when fetching a security.txt (each hop guarded).
inline constexpr int kMaxSecurityTxtRedirects = 3;

class Locator {
 public:
  // `http` carries every request; `clock` null means the system clock.
  Locator(HostingOptions options, HttpClient& http, const Clock* clock = nullptr);
  ~Locator();
  Locator(const Locator&) = delete;
  Locator& operator=(const Locator&) = delete;

  // Opens the geo databases, loads the RDAP bootstrap and the CDN table,
  // checks the DNS servers. A missing geo database is one warning
  // (geolocation skipped); a corrupt one, a missing bootstrap or a bad CDN
  // table is an error naming the file. The Locator still works after an
  // error, without the part that failed; the caller decides whether to go on.
  Status Init();

  Hosting Locate(const LocateRequest& req);
  Hosting LookupDomain(const std::string& host);
  Hosting LookupIp(const std::string& ip);

  // Warnings from Init() (missing databases), one sentence each.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // RDAP requests sent so far.
  int64_t rdap_requests() const;
  // "maxmind:GeoLite2-City", "dragnet-embedded:...", or "none".
  std::string geo_source() const;

 private:
  void LocateIp(const std::string& ip_text, const std::string& security_txt, IpInfo& out,
                std::vector<std::string>& errors);
  // GET <origin of site_url>/.well-known/security.txt; the body when it is a
  // text/plain 200, else "". Failures (guard refusals included) go to `errors`.
  std::string FetchSecurityTxt(const std::string& site_url, std::vector<std::string>& errors);

  HostingOptions options_;
  HttpClient& http_;
  const Clock* clock_;
  ContactFilter filter_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<GeoDb> geo_, asn_;
  std::unique_ptr<Bootstrap> bootstrap_;
  std::unique_ptr<CdnTable> cdn_;
  std::unique_ptr<RdapClient> rdap_;
  std::vector<std::string> warnings_;
};

}  // namespace dragnet::hosting
