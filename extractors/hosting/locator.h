#pragma once
// Locator: the hosting stage. For a scanned site it answers where it is
// served from and whom to ask for a takedown: DNS (c-ares), geolocation and
// ASN (libmaxminddb), CDN/proxy detection (config/cdn.toml), the network's
// and the registrar's abuse contacts (RDAP, with the Abusix DNS zone and the
// site's security.txt as fallbacks).
//
// Ownership: a Locator owns its geo databases, bootstrap table, CDN table,
// resolver and RDAP client (with its caches). Init() once, on one thread;
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
#include "core/model.h"
#include "core/status.h"
#include "extractors/hosting/contacts.h"
#include "extractors/hosting/options.h"

namespace dragnet::hosting {

class Bootstrap;
class CdnTable;
class GeoDb;
class HttpClient;
class RdapClient;
class Resolver;

struct LocateRequest {
  std::string seed_host;
  std::string final_host;
  std::vector<std::string> ips_seen;  // remote IPs the crawler connected to
  std::string security_txt;           // body of https://<host>/.well-known/security.txt, or empty
};

class Locator {
 public:
  explicit Locator(HostingOptions options);
  // For tests: a transport and a clock of the caller's (both must outlive
  // the Locator); null means the real ones.
  Locator(HostingOptions options, std::unique_ptr<HttpClient> http, const Clock* clock);
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

  HostingOptions options_;
  std::unique_ptr<HttpClient> http_;
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
