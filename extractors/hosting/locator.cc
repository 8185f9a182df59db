#include "extractors/hosting/locator.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/fs.h"
#include "core/strings.h"
#include "core/url.h"
#include "extractors/hosting/bootstrap.h"
#include "extractors/hosting/cdn.h"
#include "extractors/hosting/dns.h"
#include "extractors/hosting/geo.h"
#include "extractors/hosting/ip.h"
#include "extractors/hosting/rdap.h"

namespace dragnet::hosting {
namespace {

std::string Parent(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  auto slash = d.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : d.substr(0, slash);
}

std::string LowerHost(std::string h) {
  h = AsciiLower(h);
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

void AddContact(std::vector<AbuseContact>& list, const AbuseContact& c) {
  if (c.empty()) return;
  for (const auto& e : list) {
    if (e.email == c.email && e.phone == c.phone && e.url == c.url) return;
  }
  list.push_back(c);
}

}  // namespace

Locator::Locator(HostingOptions options, HttpClient& http, const Clock* clock)
    : options_(std::move(options)),
      http_(http),
      clock_(clock ? clock : &SystemClock::Instance()),
      filter_(options_.ignore_contacts) {}

Locator::~Locator() = default;

Status Locator::Init() {
  Status first_error;
  auto keep = [&](Status s) {
    if (!s.ok() && first_error.ok()) first_error = s;
  };
  auto warn = [&](const std::string& w) {
    warnings_.push_back(w);
    spdlog::warn("hosting: {}", w);
  };

  resolver_ = std::make_unique<Resolver>(ResolverOptions{options_.dns_servers, options_.dns_timeout_ms});
  keep(resolver_->Init());

  // Geolocation: the configured City or Country database, else the embedded one.
  std::string geo_path = !options_.city_db.empty() ? options_.city_db : options_.country_db;
  bool embedded = geo_path.empty();
  if (embedded) {
    geo_path = !options_.embedded_db.empty() ? options_.embedded_db
                                             : Parent(options_.bootstrap_dir) + "/geo/dragnet-country.mmdb";
  }
  auto g = GeoDb::Open(geo_path);
  if (g.ok()) {
    geo_ = std::move(g).value();
  } else if (g.status().code() == Code::kNotFound) {
    warn(embedded ? "no geo database configured and the embedded one (" + geo_path +
                        ") is missing; geolocation skipped (build it with scripts/build-geoip-mmdb)"
                  : "geo database " + geo_path + " does not exist; geolocation skipped");
  } else {
    keep(g.status());
  }
  if (!options_.asn_db.empty()) {
    auto a = GeoDb::Open(options_.asn_db);
    if (a.ok()) asn_ = std::move(a).value();
    else if (a.status().code() == Code::kNotFound) warn("ASN database " + options_.asn_db + " does not exist; ASN lookup skipped");
    else keep(a.status());
  }

  bootstrap_ = std::make_unique<Bootstrap>();
  Status b = options_.bootstrap_dir.empty() ? NotFound("[rdap] bootstrap_dir is not set")
                                            : bootstrap_->Load(options_.bootstrap_dir, options_.base_url);
  if (!b.ok()) {
    bootstrap_.reset();
    keep(Status(b.code(), b.message() + "; RDAP lookups disabled"));
  } else {
    rdap_ = std::make_unique<RdapClient>(options_, *bootstrap_, http_, *clock_, filter_);
  }

  std::string cdn_path = !options_.cdn_file.empty() ? options_.cdn_file
                         : options_.bootstrap_dir.empty() ? ""
                                                          : Parent(options_.bootstrap_dir) + "/cdn.toml";
  if (!cdn_path.empty()) {
    auto t = std::make_unique<CdnTable>();
    if (!FileExists(cdn_path) && options_.cdn_file.empty()) {
      warn("CDN table " + cdn_path + " does not exist; CDN detection skipped");
    } else {
      Status s = t->Load(cdn_path);
      if (s.ok()) cdn_ = std::move(t);
      else keep(s);
    }
  }
  return first_error;
}

int64_t Locator::rdap_requests() const { return rdap_ ? rdap_->requests() : 0; }

std::string Locator::geo_source() const {
  if (geo_) return geo_->source();
  if (asn_) return asn_->source();
  return "none";
}

void Locator::LocateIp(const std::string& ip_text, const std::string& security_txt, IpInfo& info,
                       std::vector<std::string>& errors) {
  auto ip = ParseIp(ip_text);
  info.ip = ip_text;
  if (!ip.ok()) {
    errors.push_back("ip " + ip_text + ": not an IP address");
    return;
  }
  info.ip = FormatIp(*ip);
  if (geo_) {
    Status s = geo_->Lookup(*ip, info);
    if (!s.ok()) errors.push_back("geo: " + s.message());
  }
  if (asn_) {
    IpInfo a;
    Status s = asn_->Lookup(*ip, a);
    if (!s.ok()) {
      errors.push_back("geo: " + s.message());
    } else {
      if (a.asn) info.asn = a.asn;
      if (!a.as_org.empty()) info.as_org = a.as_org;
      if (info.network.empty()) info.network = a.network;
    }
  }
  if (rdap_) {
    auto net = rdap_->Network(*ip);
    if (!net.ok()) {
      errors.push_back(net.status().message());
    } else {
      info.rdap_handle = net->handle;
      info.rdap_name = net->name;
      info.rdap_range = net->range;
      info.rdap_country = net->country;
      info.abuse = net->abuse;
    }
  }
  // Fallback 1: the Abusix abuse-contact zone (TXT at <reversed-ip>.<zone>).
  if (info.abuse.email.empty() && !options_.abusix_zone.empty() && resolver_) {
    std::string qname = ReverseName(*ip) + "." + options_.abusix_zone;
    auto ans = resolver_->Query({{qname, RrType::kTxt}});
    if (ans[0].ok()) {
      for (const auto& rec : ans[0].records) {
        if (rec.type != static_cast<uint16_t>(RrType::kTxt)) continue;
        // The zone may list several addresses separated by commas.
        std::string v = rec.value;
        size_t pos = 0;
        while (pos <= v.size() && info.abuse.email.empty()) {
          size_t comma = v.find(',', pos);
          std::string part = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
          if (!filter_.IsPlaceholder(part)) {
            info.abuse = AbuseContact{CleanEmail(part), info.abuse.phone, "", "abusix", "network"};
          }
          if (comma == std::string::npos) break;
          pos = comma + 1;
        }
        if (!info.abuse.email.empty()) break;
      }
    } else if (ans[0].status != "nxdomain" && ans[0].status != "nodata") {
      errors.push_back("abusix " + qname + ": " + ans[0].status + ": " + ans[0].detail);
    }
  }
  // Fallback 2: the site's own security.txt.
  if (info.abuse.email.empty() && !security_txt.empty()) {
    for (const auto& c : ParseSecurityTxt(security_txt)) {
      if (!c.email.empty() && !filter_.IsPlaceholder(c.email)) {
        info.abuse = c;
        break;
      }
    }
  }
}

std::string Locator::FetchSecurityTxt(const std::string& site_url, std::vector<std::string>& errors) {
  auto site = ParseUrl(site_url);
  if (!site.ok()) return "";
  auto where = ResolveUrl(*site, "/.well-known/security.txt");
  if (!where.ok()) return "";
  HttpRequest req;
  req.url = where->normalized;
  req.headers = {"Accept: text/plain"};
  req.max_body_bytes = static_cast<int64_t>(kMaxSecurityTxtBytes);
  req.timeout_ms = options_.security_txt_timeout_ms;
  req.max_redirects = kMaxSecurityTxtRedirects;
  req.verify_tls = false;  // the suspect site itself: its certificate is evidence, not trust
  HttpResponse r = http_.Send(req);
  if (!r.error.empty()) {
    std::string msg = "security.txt " + req.url + ": " + r.error;
    if (r.hops.size() > 1) msg += " (at redirect hop " + r.hops.back().url + ")";
    errors.push_back(msg);
  }
  // A site without one answers 404 (or its catch-all HTML page): no contact.
  if (r.status != 200 || r.content_type.rfind("text/plain", 0) != 0) return "";
  if (!r.error.empty() && r.error_kind != "too_large") return "";
  return std::move(r.body);
}

Hosting Locator::Locate(const LocateRequest& req) {
  Hosting h;
  h.geo_source = geo_source();
  std::string security_txt = req.security_txt;
  if (security_txt.empty() && options_.security_txt && !req.site_url.empty()) {
    security_txt = FetchSecurityTxt(req.site_url, h.errors);
  }
  std::string seed = LowerHost(req.seed_host), fin = LowerHost(req.final_host);
  std::string primary = !fin.empty() ? fin : seed;

  // DNS for the final and the seed host (names only; literals are addresses).
  std::vector<std::string> addresses;
  nlohmann::json dns = nlohmann::json::object();
  for (const std::string& host : {fin, seed}) {
    if (host.empty() || dns.contains(host)) continue;
    if (ParseIp(host).ok()) {
      if (host == primary) addresses.push_back(host);
      continue;
    }
    if (!resolver_) continue;
    std::string zone = RegistrableDomainOf(host);
    HostDns r = ResolveHost(*resolver_, host, zone.empty() ? host : zone);
    dns[host] = r.json;
    if (!r.error.empty()) h.errors.push_back("dns " + host + ": " + r.error);
    if (host == primary) addresses.insert(addresses.end(), r.addresses.begin(), r.addresses.end());
  }
  if (!dns.empty()) h.dns = std::move(dns);

  // Addresses: the ones actually connected to first, then DNS answers.
  std::vector<std::string> ips;
  auto add_ip = [&](const std::string& s) {
    auto p = ParseIp(s);
    std::string canon = p.ok() ? FormatIp(*p) : s;
    if (std::find(ips.begin(), ips.end(), canon) == ips.end()) ips.push_back(canon);
  };
  for (const auto& s : req.ips_seen) add_ip(s);
  for (const auto& s : addresses) add_ip(s);
  if (ips.size() > static_cast<size_t>(options_.max_ips)) {
    h.errors.push_back("limit hosting.max_ips: located " + std::to_string(options_.max_ips) + " of " +
                       std::to_string(ips.size()) + " addresses");
    ips.resize(static_cast<size_t>(options_.max_ips));
  }
  for (const auto& ip : ips) {
    IpInfo info;
    LocateIp(ip, security_txt, info, h.errors);
    if (cdn_ && !h.cdn) {
      auto parsed = ParseIp(info.ip);
      if (parsed.ok()) h.cdn = cdn_->Match(*parsed, info.asn);
    }
    h.ips.push_back(std::move(info));
  }

  // Registration data of the primary host's registrable domain.
  if (!primary.empty() && !ParseIp(primary).ok()) {
    std::string domain = RegistrableDomainOf(primary);
    if (domain.empty()) domain = primary;
    h.domain.name = domain;
    if (rdap_) {
      std::vector<std::string> notes;
      auto d = rdap_->Domain(domain, &notes);
      h.errors.insert(h.errors.end(), notes.begin(), notes.end());
      if (!d.ok()) {
        h.errors.push_back(d.status().message());
      } else {
        h.registrar = d->registrar;
        h.domain = d->domain;
        h.domain.name = domain;
        h.domain.age_days = DomainAgeDays(h.domain.created, clock_->NowUnixMs());
      }
    } else {
      h.errors.push_back("rdap: disabled (no bootstrap loaded)");
    }
  }

  // Whom to ask, best first.
  if (h.cdn) AddContact(h.contacts, h.cdn->abuse);
  for (const auto& ip : h.ips) AddContact(h.contacts, ip.abuse);
  AddContact(h.contacts, h.registrar.abuse);
  if (!security_txt.empty()) {
    for (const auto& c : ParseSecurityTxt(security_txt)) AddContact(h.contacts, c);
  }
  return h;
}

Hosting Locator::LookupDomain(const std::string& host) {
  LocateRequest r;
  r.seed_host = host;
  r.final_host = host;
  return Locate(r);
}

Hosting Locator::LookupIp(const std::string& ip) {
  LocateRequest r;
  r.ips_seen.push_back(ip);
  return Locate(r);
}

}  // namespace dragnet::hosting
