#include "extractors/hosting/rdap.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/strings.h"
#include "dragnet/version.h"

namespace dragnet::hosting {
namespace {

using json = nlohmann::json;

// Typed accessors: RDAP comes from outside, so every field may be missing or
// of the wrong type; a wrong type reads as absent.
std::string StrField(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const json* ArrField(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? &*it : nullptr;
}

bool HasRole(const json& entity, const char* role) {
  const json* roles = ArrField(entity, "roles");
  if (!roles) return false;
  for (const auto& r : *roles) {
    if (r.is_string() && AsciiLower(r.get<std::string>()) == role) return true;
  }
  return false;
}

// vCard (jCard, RFC 7095) properties of an entity: name -> values, in order.
struct VCard {
  std::vector<std::string> fn, org, email, tel;
};

VCard ReadVCard(const json& entity) {
  VCard v;
  const json* va = ArrField(entity, "vcardArray");
  if (!va || va->size() < 2 || !(*va)[1].is_array()) return v;
  for (const auto& prop : (*va)[1]) {
    if (!prop.is_array() || prop.size() < 4 || !prop[0].is_string()) continue;
    std::string name = AsciiLower(prop[0].get<std::string>());
    const json& val = prop[3];
    std::string s;
    if (val.is_string()) s = val.get<std::string>();
    else if (val.is_array() && !val.empty() && val[0].is_string()) s = val[0].get<std::string>();
    if (s.empty()) continue;
    if (name == "fn") v.fn.push_back(s);
    else if (name == "org") v.org.push_back(s);
    else if (name == "email") v.email.push_back(s);
    else if (name == "tel") v.tel.push_back(s);
  }
  return v;
}

// First usable address and phone of an entity's vCard.
AbuseContact ContactOf(const json& entity, const ContactFilter& filter) {
  AbuseContact c;
  VCard v = ReadVCard(entity);
  for (const auto& e : v.email) {
    if (!filter.IsPlaceholder(e)) {
      c.email = CleanEmail(e);
      break;
    }
  }
  for (const auto& t : v.tel) {
    std::string p = CleanPhone(t);
    if (!p.empty()) {
      c.phone = p;
      break;
    }
  }
  return c;
}

// Breadth-first walk over nested entities, bounded by depth and count.
template <typename Visit>
void WalkEntities(const json& root, Visit&& visit) {
  std::vector<std::pair<const json*, int>> queue;
  if (const json* es = ArrField(root, "entities")) {
    for (const auto& e : *es) queue.emplace_back(&e, 0);
  }
  int seen = 0;
  for (size_t i = 0; i < queue.size() && seen < kMaxEntities; ++i, ++seen) {
    auto [e, depth] = queue[i];
    if (!e->is_object()) continue;
    if (visit(*e, depth)) return;
    if (depth + 1 >= kMaxEntityDepth) continue;
    if (const json* es = ArrField(*e, "entities")) {
      for (const auto& sub : *es) queue.emplace_back(&sub, depth + 1);
    }
  }
}

std::string EventDate(const json& j, const char* action) {
  const json* evs = ArrField(j, "events");
  if (!evs) return "";
  for (const auto& ev : *evs) {
    if (AsciiLower(StrField(ev, "eventAction")) == action) {
      return NormalizeRdapDate(StrField(ev, "eventDate"));
    }
  }
  return "";
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t MonoNow(const Clock& c) { return c.MonotonicMs(); }

// A request's failure, naming the hop it happened on when a redirect led
// there (a refused redirect names the address it pointed at).
std::string Failure(const HttpResponse& r) {
  std::string msg = r.error;
  if (r.hops.size() > 1) msg += " (at redirect hop " + r.hops.back().url + ")";
  return msg;
}

}  // namespace

// ------------------------------------------------------------------ parsing

std::string NormalizeRdapDate(std::string_view s) {
  std::string d(s);
  while (!d.empty() && d.back() == ' ') d.pop_back();
  if (d.size() < 10) return "";
  // "+0000" -> "+00:00"
  if (d.size() > 5) {
    char sign = d[d.size() - 5];
    if ((sign == '+' || sign == '-') && d.find('T') != std::string::npos &&
        std::all_of(d.end() - 4, d.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      d.insert(d.size() - 2, ":");
    }
  }
  // No zone at all: UTC.
  if (d.size() > 10 && d.find('T') != std::string::npos) {
    std::string tail = d.substr(d.find('T'));
    if (tail.find('Z') == std::string::npos && tail.find('z') == std::string::npos &&
        tail.find('+') == std::string::npos && tail.find('-') == std::string::npos) {
      d += 'Z';
    }
  }
  auto ms = ParseRfc3339Ms(d);
  if (!ms.ok()) return "";
  int64_t secs = *ms / 1000;
  if (*ms < 0 && *ms % 1000) --secs;
  return FormatRfc3339(secs);
}

std::optional<long> DomainAgeDays(const std::string& created, int64_t now_unix_ms) {
  if (created.empty()) return std::nullopt;
  auto ms = ParseRfc3339Ms(created);
  if (!ms.ok() || *ms > now_unix_ms) return std::nullopt;
  return static_cast<long>((now_unix_ms - *ms) / 86'400'000);
}

Result<RdapDomain> ParseRdapDomain(const json& j, const ContactFilter& filter) {
  if (!j.is_object()) return ParseError("RDAP domain answer is not a JSON object");
  std::string cls = StrField(j, "objectClassName");
  if (!cls.empty() && cls != "domain") {
    return ParseError("RDAP answer is a '" + cls + "', not a domain");
  }
  std::string ldh = AsciiLower(StrField(j, "ldhName"));
  if (cls.empty() && ldh.empty()) return ParseError("RDAP domain answer has no objectClassName or ldhName");
  RdapDomain out;
  out.domain.name = ldh;
  out.domain.created = EventDate(j, "registration");
  out.domain.expires = EventDate(j, "expiration");
  out.domain.last_changed = EventDate(j, "last changed");
  if (out.domain.last_changed.empty()) out.domain.last_changed = EventDate(j, "last update");
  if (const json* st = ArrField(j, "status")) {
    for (const auto& s : *st) {
      if (s.is_string()) out.domain.status.push_back(s.get<std::string>());
    }
  }
  if (const json* ns = ArrField(j, "nameservers")) {
    for (const auto& n : *ns) {
      std::string name = AsciiLower(StrField(n, "ldhName"));
      while (!name.empty() && name.back() == '.') name.pop_back();
      if (!name.empty()) out.domain.nameservers.push_back(name);
    }
  }
  // The registrar entity is top level; its abuse contact is nested in it
  // (ICANN gTLD RDAP profile, 2.4 and 2.4.5).
  const json* registrar = nullptr;
  if (const json* es = ArrField(j, "entities")) {
    for (const auto& e : *es) {
      if (e.is_object() && HasRole(e, "registrar")) {
        registrar = &e;
        break;
      }
    }
  }
  if (registrar) {
    VCard v = ReadVCard(*registrar);
    if (!v.fn.empty()) out.registrar.name = v.fn[0];
    else if (!v.org.empty()) out.registrar.name = v.org[0];
    if (const json* ids = ArrField(*registrar, "publicIds")) {
      for (const auto& id : *ids) {
        if (AsciiLower(StrField(id, "type")) == "iana registrar id") {
          out.registrar.iana_id = StrField(id, "identifier");
          break;
        }
      }
    }
    // The profile makes the registrar's handle its IANA ID.
    if (out.registrar.iana_id.empty() && AllDigits(StrField(*registrar, "handle"))) {
      out.registrar.iana_id = StrField(*registrar, "handle");
    }
    WalkEntities(*registrar, [&](const json& e, int) {
      if (!HasRole(e, "abuse")) return false;
      AbuseContact c = ContactOf(e, filter);
      if (c.email.empty() && c.phone.empty()) return false;
      out.registrar.abuse = c;
      out.registrar.abuse.source = "rdap-registrar";
      out.registrar.abuse.scope = "domain";
      return true;
    });
  }
  if (const json* links = ArrField(j, "links")) {
    for (const auto& l : *links) {
      if (AsciiLower(StrField(l, "rel")) != "related") continue;
      std::string href = StrField(l, "href");
      std::string type = AsciiLower(StrField(l, "type"));
      if (href.rfind("http", 0) != 0) continue;
      if (type == "application/rdap+json" || (type.empty() && href.find("/domain/") != std::string::npos)) {
        out.referrals.push_back(href);
      }
    }
  }
  return out;
}

Result<RdapNetwork> ParseRdapNetwork(const json& j, const ContactFilter& filter) {
  if (!j.is_object()) return ParseError("RDAP ip answer is not a JSON object");
  std::string cls = StrField(j, "objectClassName");
  if (!cls.empty() && cls != "ip network") {
    return ParseError("RDAP answer is a '" + cls + "', not an ip network");
  }
  std::string start = StrField(j, "startAddress"), end = StrField(j, "endAddress");
  if (cls.empty() && start.empty() && StrField(j, "handle").empty()) {
    return ParseError("RDAP ip answer has no objectClassName, handle or startAddress");
  }
  RdapNetwork out;
  out.handle = StrField(j, "handle");
  out.name = StrField(j, "name");
  out.country = StrField(j, "country");
  // Some servers write "62.239.237.0/32" for an address.
  auto strip = [](std::string s) { return s.substr(0, s.find('/')); };
  auto first = ParseIp(strip(start)), last = ParseIp(strip(end));
  if (first.ok() && last.ok() && first->family == last->family) {
    out.first = *first;
    out.last = *last;
  }
  // cidr0 extension (RFC 9083 profile used by ARIN, APNIC, ...).
  std::vector<std::string> cidrs;
  if (const json* c0 = ArrField(j, "cidr0_cidrs")) {
    for (const auto& c : *c0) {
      std::string prefix = StrField(c, "v4prefix");
      if (prefix.empty()) prefix = StrField(c, "v6prefix");
      auto len = c.is_object() ? c.find("length") : c.end();
      if (prefix.empty() || len == c.end() || !len->is_number_integer()) continue;
      auto cidr = ParseCidr(prefix + "/" + std::to_string(len->get<int64_t>()));
      if (cidr.ok()) cidrs.push_back(cidr->ToString());
    }
  }
  if (cidrs.size() == 1) {
    out.range = cidrs[0];
  } else if (out.first && out.last) {
    auto c = RangeToCidr(*out.first, *out.last);
    out.range = c ? c->ToString() : FormatIp(*out.first) + " - " + FormatIp(*out.last);
  } else if (!cidrs.empty()) {
    out.range = cidrs[0];
  }
  // The abuse role: top level first (RIPE, APNIC), else nested under the
  // registrant (ARIN puts it under the organisation).
  WalkEntities(j, [&](const json& e, int) {
    if (!HasRole(e, "abuse")) return false;
    AbuseContact c = ContactOf(e, filter);
    if (c.email.empty()) return false;
    out.abuse = c;
    out.abuse.source = "rdap-ip";
    out.abuse.scope = "network";
    return true;
  });
  return out;
}

// ---------------------------------------------------------------- transport

int64_t ParseRetryAfterMs(const std::string& value_in, int64_t now_unix_s) {
  std::string v = value_in;
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
  if (v.empty()) return -1;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // More than 7 digits is over 115 days: the cap, without overflow.
    return v.size() > 7 ? kMaxRetryAfterMs : std::min<int64_t>(std::stoll(v) * 1000, kMaxRetryAfterMs);
  }
  time_t t = curl_getdate(v.c_str(), nullptr);  // RFC 9110 HTTP-date (and its obsolete forms)
  if (t <= 0) return -1;
  return std::min<int64_t>(kMaxRetryAfterMs, std::max<int64_t>(0, (static_cast<int64_t>(t) - now_unix_s) * 1000));
}

// ------------------------------------------------------------------- client

RdapClient::RdapClient(const HostingOptions& options, const Bootstrap& bootstrap, HttpClient& http,
                       const Clock& clock, ContactFilter filter)
    : options_(options), bootstrap_(bootstrap), http_(http), clock_(clock), filter_(std::move(filter)) {}

int64_t RdapClient::requests() const {
  std::lock_guard<std::mutex> l(mu_);
  return requests_;
}

std::string RdapClient::ServerOf(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto slash = url.find('/', scheme + 3);
  return AsciiLower(url.substr(0, slash));
}

Result<json> RdapClient::Fetch(const std::string& url) {
  std::string server = ServerOf(url);
  // A retry after a short Retry-After is the only loop here: at most 2 tries.
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::lock_guard<std::mutex> l(mu_);
      auto& s = servers_[server];
      int64_t now = MonoNow(clock_);
      if (s.backoff_until_ms > now) {
        return Unavailable("rdap server " + server + " backed off for " +
                           std::to_string((s.backoff_until_ms - now + 999) / 1000) + " s more (" +
                           s.reason + ")");
      }
      ++requests_;
    }
    HttpRequest req;
    req.url = url;
    req.headers = {"Accept: application/rdap+json, application/json",
                   std::string("User-Agent: dragnet/") + DRAGNET_VERSION + " (RDAP client)"};
    req.max_body_bytes = static_cast<int64_t>(kMaxRdapBytes);
    req.timeout_ms = options_.rdap_timeout_ms;
    req.max_redirects = kMaxRdapRedirects;
    HttpResponse r = http_.Send(req);
    if (!r.error.empty()) {
      const std::string& kind = r.error_kind;
      if (kind == "timeout" || kind == "low_speed" || kind == "connect" || kind == "dns") {
        // The server (or the way to it) is down: not asked again for a while.
        std::lock_guard<std::mutex> l(mu_);
        auto& s = servers_[server];
        s.backoff_until_ms = MonoNow(clock_) + options_.failure_backoff_ms;
        s.reason = kind;
        if (kind == "timeout" || kind == "low_speed") return Timeout("rdap " + url + ": " + Failure(r));
        return Unavailable("rdap " + url + ": " + Failure(r));
      }
      // The SSRF guard: the URL, a redirect hop or a referral points at a
      // loopback, private or metadata address ([crawl] allow_private).
      if (kind == "refused") return Refused("rdap " + url + ": " + Failure(r));
      if (kind == "too_large") return LimitExceeded("rdap " + url + ": " + Failure(r));
      return Unavailable("rdap " + url + ": " + Failure(r));
    }
    const int64_t retry_after_ms = ParseRetryAfterMs(r.Header("retry-after"), clock_.NowUnixMs() / 1000);
    if (r.status == 429) {
      int64_t wait = retry_after_ms >= 0 ? retry_after_ms : kDefaultRetryAfterMs;
      if (attempt == 0 && wait <= options_.max_retry_wait_ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(wait));
        continue;
      }
      std::lock_guard<std::mutex> l(mu_);
      auto& s = servers_[server];
      s.backoff_until_ms = MonoNow(clock_) + wait;
      s.reason = "HTTP 429, Retry-After " + std::to_string(wait / 1000) + " s";
      return Unavailable("rdap " + url + ": rate limited (HTTP 429), backing off " +
                         std::to_string(wait / 1000) + " s");
    }
    if (r.status == 404) return NotFound("rdap " + url + ": not found (HTTP 404)");
    if (r.status < 200 || r.status >= 300) {
      return Unavailable("rdap " + url + ": HTTP " + std::to_string(r.status));
    }
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) return ParseError("rdap " + url + ": response is not valid JSON");
    return j;
  }
  return Unavailable("rdap " + url + ": still rate limited after waiting");
}

Result<json> RdapClient::FetchFirst(const std::vector<std::string>& bases, const std::string& path) {
  Status last = NotFound("no RDAP server");
  for (const auto& base : bases) {
    auto j = Fetch(base + path);
    if (j.ok()) return j;
    last = j.status();
    // A definite answer (404, bad JSON) from one mirror is the answer.
    if (last.code() == Code::kNotFound || last.code() == Code::kParseError) break;
  }
  return last;
}

Result<RdapDomain> RdapClient::Domain(const std::string& domain_in, std::vector<std::string>* notes) {
  std::string domain = AsciiLower(domain_in);
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = domains_.find(domain);
    if (it != domains_.end() && it->second.expires_ms > MonoNow(clock_)) {
      if (notes) notes->insert(notes->end(), it->second.notes.begin(), it->second.notes.end());
      return it->second.value;
    }
  }
  auto bases = bootstrap_.ForDomain(domain);
  if (bases.empty()) return NotFound("rdap: no RDAP server for the TLD of " + domain + " in the bootstrap");
  std::vector<std::string> local_notes;
  Result<RdapDomain> result = Status(Code::kInternal, "unset");
  auto j = FetchFirst(bases, "domain/" + domain);
  if (!j.ok()) {
    result = j.status();
  } else {
    auto parsed = ParseRdapDomain(*j, filter_);
    if (!parsed.ok()) {
      result = Status(parsed.status().code(), "rdap domain " + domain + ": " + parsed.status().message());
    } else {
      RdapDomain d = std::move(parsed).value();
      // Registry -> registrar referral when the registry's answer lacks the
      // abuse contact (thin registries, or a registry that omits it).
      // Each referral is a new guarded request; at most kMaxRdapReferrals
      // links are tried, until one answers.
      if (d.registrar.abuse.email.empty() && options_.follow_referrals) {
        int tried = 0;
        for (const std::string& ref : d.referrals) {
          if (tried == kMaxRdapReferrals) {
            local_notes.push_back("limit kMaxRdapReferrals: " + std::to_string(d.referrals.size() - tried) +
                                  " more rdap referral link(s) not followed");
            break;
          }
          ++tried;
          std::string url = bootstrap_.Rewrite(ref);
          auto rj = Fetch(url);
          Result<RdapDomain> rr = rj.ok() ? ParseRdapDomain(*rj, filter_) : Result<RdapDomain>(rj.status());
          if (!rr.ok()) {
            local_notes.push_back("rdap referral " + url + ": " + rr.status().message());
            continue;
          }
          if (!rr->registrar.abuse.email.empty() || !rr->registrar.abuse.phone.empty()) {
            d.registrar.abuse = rr->registrar.abuse;
            d.registrar.abuse.source = "rdap-registrar-referral";
          }
          if (d.registrar.name.empty()) d.registrar.name = rr->registrar.name;
          if (d.registrar.iana_id.empty()) d.registrar.iana_id = rr->registrar.iana_id;
          break;
        }
      }
      if (d.domain.name.empty()) d.domain.name = domain;
      result = std::move(d);
    }
  }
  // Transient failures (rate limit, timeout, server down) are not cached:
  // the server backoff already keeps us from hammering it.
  bool transient = !result.ok() && (result.status().code() == Code::kUnavailable ||
                                    result.status().code() == Code::kTimeout);
  if (!transient) {
    std::lock_guard<std::mutex> l(mu_);
    domains_.insert_or_assign(domain, DomainEntry{MonoNow(clock_) + options_.cache_ttl_ms, result, local_notes});
  }
  if (notes) notes->insert(notes->end(), local_notes.begin(), local_notes.end());
  return result;
}

Result<RdapNetwork> RdapClient::Network(const IpAddr& ip) {
  std::string key = FormatIp(ip);
  {
    std::lock_guard<std::mutex> l(mu_);
    int64_t now = MonoNow(clock_);
    // Most specific cached block that holds the address.
    const NetworkEntry* best = nullptr;
    for (const auto& n : networks_) {
      if (n.expires_ms > now && InRange(ip, n.first, n.last)) {
        if (!best || std::memcmp(n.first.bytes.data(), best->first.bytes.data(), 16) >= 0) best = &n;
      }
    }
    if (best) return best->value;
    auto e = ip_errors_.find(key);
    if (e != ip_errors_.end() && e->second.expires_ms > now) return e->second.status;
  }
  auto bases = bootstrap_.ForIp(ip);
  if (bases.empty()) return NotFound("rdap: no RDAP server for " + key + " in the bootstrap");
  auto j = FetchFirst(bases, "ip/" + key);
  Result<RdapNetwork> result = j.ok() ? ParseRdapNetwork(*j, filter_) : Result<RdapNetwork>(j.status());
  std::lock_guard<std::mutex> l(mu_);
  int64_t expires = MonoNow(clock_) + options_.cache_ttl_ms;
  if (result.ok()) {
    if (result->first && result->last && InRange(ip, *result->first, *result->last)) {
      if (networks_.size() >= kMaxCachedNetworks) networks_.erase(networks_.begin());
      networks_.push_back({expires, *result->first, *result->last, *result});
    } else {
      // No usable block in the answer: cache for this address only.
      networks_.push_back({expires, ip, ip, *result});
    }
  } else if (result.status().code() != Code::kUnavailable && result.status().code() != Code::kTimeout) {
    ip_errors_[key] = {expires, result.status()};
  }
  return result;
}

}  // namespace dragnet::hosting
