#include "core/model_json.h"

namespace dragnet {
namespace {

// Reads `key` into `out` when present and of a compatible type; leaves the
// default otherwise. Input JSON comes from our own stores, but stores can be
// edited by hand, so a wrong type is ignored rather than thrown.
template <typename T>
void Get(const nlohmann::json& j, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  try {
    out = it->template get<T>();
  } catch (const nlohmann::json::exception&) {
  }
}

template <typename T>
void GetOpt(const nlohmann::json& j, const char* key, std::optional<T>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return;
  try {
    out = it->template get<T>();
  } catch (const nlohmann::json::exception&) {
  }
}

}  // namespace

void to_json(nlohmann::json& j, const TlsInfo& v) {
  j = {{"present", v.present}, {"verified", v.verified}, {"verify_error", v.verify_error},
       {"subject", v.subject}, {"issuer", v.issuer}, {"sans", v.sans},
       {"not_before", v.not_before}, {"not_after", v.not_after}, {"sha256", v.sha256}};
}

void to_json(nlohmann::json& j, const Hop& v) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [k, val] : v.headers) headers.push_back({k, val});
  j = {{"url", v.url}, {"status", v.status}, {"via", v.via}, {"ip", v.ip}, {"port", v.port},
       {"http_version", v.http_version}, {"headers", headers},
       {"timings_ms", {{"dns", v.dns_ms}, {"connect", v.connect_ms}, {"tls", v.tls_ms},
                       {"ttfb", v.ttfb_ms}, {"total", v.total_ms}}},
       {"error", v.error}, {"error_kind", v.error_kind}};
  if (v.tls.present) j["tls"] = v.tls;
}

void to_json(nlohmann::json& j, const Indicator& v) {
  j = {{"type", v.type}, {"value", v.value}, {"raw", v.raw}, {"source", v.source},
       {"pages", v.pages}, {"count", v.count}};
  if (!v.extra.is_null()) j["extra"] = v.extra;
}
void from_json(const nlohmann::json& j, Indicator& v) {
  Get(j, "type", v.type); Get(j, "value", v.value); Get(j, "raw", v.raw);
  Get(j, "source", v.source); Get(j, "pages", v.pages); Get(j, "count", v.count);
  if (j.contains("extra")) v.extra = j.at("extra");
}

void to_json(nlohmann::json& j, const Reason& v) {
  j = {{"rule", v.rule}, {"weight", v.weight}, {"detail", v.detail}};
}
void from_json(const nlohmann::json& j, Reason& v) {
  Get(j, "rule", v.rule); Get(j, "weight", v.weight); Get(j, "detail", v.detail);
}

void to_json(nlohmann::json& j, const Verdict& v) {
  j = {{"score", v.score}, {"label", v.label}, {"scam_type", v.scam_type},
       {"language", v.language}, {"brand_impersonated", v.brand_impersonated},
       {"reasons", v.reasons}};
}
void from_json(const nlohmann::json& j, Verdict& v) {
  Get(j, "score", v.score); Get(j, "label", v.label); Get(j, "scam_type", v.scam_type);
  Get(j, "language", v.language); Get(j, "brand_impersonated", v.brand_impersonated);
  Get(j, "reasons", v.reasons);
}

void to_json(nlohmann::json& j, const AbuseContact& v) {
  j = {{"email", v.email}, {"phone", v.phone}, {"source", v.source}};
  if (!v.url.empty()) j["url"] = v.url;
  if (!v.scope.empty()) j["scope"] = v.scope;
}
void from_json(const nlohmann::json& j, AbuseContact& v) {
  Get(j, "email", v.email); Get(j, "phone", v.phone); Get(j, "url", v.url);
  Get(j, "source", v.source); Get(j, "scope", v.scope);
}

void to_json(nlohmann::json& j, const IpInfo& v) {
  j = {{"ip", v.ip}, {"country", v.country}, {"country_name", v.country_name}, {"city", v.city},
       {"asn", v.asn}, {"as_org", v.as_org}, {"network", v.network}, {"abuse", v.abuse}};
  if (v.latitude) j["latitude"] = *v.latitude;
  if (v.longitude) j["longitude"] = *v.longitude;
  if (!v.rdap_handle.empty() || !v.rdap_range.empty()) {
    j["rdap"] = {{"handle", v.rdap_handle}, {"name", v.rdap_name}, {"range", v.rdap_range},
                 {"country", v.rdap_country}};
  }
}
void from_json(const nlohmann::json& j, IpInfo& v) {
  Get(j, "ip", v.ip); Get(j, "country", v.country); Get(j, "country_name", v.country_name);
  Get(j, "city", v.city); Get(j, "asn", v.asn); Get(j, "as_org", v.as_org);
  Get(j, "network", v.network); Get(j, "abuse", v.abuse);
  GetOpt(j, "latitude", v.latitude); GetOpt(j, "longitude", v.longitude);
  if (auto it = j.find("rdap"); it != j.end() && it->is_object()) {
    Get(*it, "handle", v.rdap_handle); Get(*it, "name", v.rdap_name);
    Get(*it, "range", v.rdap_range); Get(*it, "country", v.rdap_country);
  }
}

void to_json(nlohmann::json& j, const Registrar& v) {
  j = {{"name", v.name}, {"iana_id", v.iana_id}, {"abuse", v.abuse}};
}
void from_json(const nlohmann::json& j, Registrar& v) {
  Get(j, "name", v.name); Get(j, "iana_id", v.iana_id); Get(j, "abuse", v.abuse);
}

void to_json(nlohmann::json& j, const DomainInfo& v) {
  j = {{"name", v.name}, {"created", v.created}, {"expires", v.expires},
       {"last_changed", v.last_changed}, {"status", v.status}, {"nameservers", v.nameservers}};
  j["age_days"] = v.age_days ? nlohmann::json(*v.age_days) : nlohmann::json(nullptr);
}
void from_json(const nlohmann::json& j, DomainInfo& v) {
  Get(j, "name", v.name); Get(j, "created", v.created); Get(j, "expires", v.expires);
  Get(j, "last_changed", v.last_changed); GetOpt(j, "age_days", v.age_days);
  Get(j, "status", v.status); Get(j, "nameservers", v.nameservers);
}

void to_json(nlohmann::json& j, const Cdn& v) {
  j = {{"name", v.name}, {"abuse", v.abuse}, {"matched_by", v.matched_by}};
}
void from_json(const nlohmann::json& j, Cdn& v) {
  Get(j, "name", v.name); Get(j, "abuse", v.abuse); Get(j, "matched_by", v.matched_by);
}

void to_json(nlohmann::json& j, const Hosting& v) {
  j = {{"ips", v.ips}, {"registrar", v.registrar}, {"domain", v.domain},
       {"geo_source", v.geo_source}, {"errors", v.errors}};
  j["cdn"] = v.cdn ? nlohmann::json(*v.cdn) : nlohmann::json(nullptr);
  if (!v.dns.is_null()) j["dns"] = v.dns;
  if (!v.contacts.empty()) j["contacts"] = v.contacts;
}
void from_json(const nlohmann::json& j, Hosting& v) {
  Get(j, "ips", v.ips); GetOpt(j, "cdn", v.cdn); Get(j, "registrar", v.registrar);
  Get(j, "domain", v.domain); Get(j, "geo_source", v.geo_source); Get(j, "errors", v.errors);
  if (j.contains("dns")) v.dns = j.at("dns");
  Get(j, "contacts", v.contacts);
}

void to_json(nlohmann::json& j, const PageSummary& v) {
  j = {{"url", v.url}, {"status", v.status}, {"sha256", v.sha256}, {"bytes", v.bytes},
       {"title", v.title}, {"error", v.error}};
}
void from_json(const nlohmann::json& j, PageSummary& v) {
  Get(j, "url", v.url); Get(j, "status", v.status); Get(j, "sha256", v.sha256);
  Get(j, "bytes", v.bytes); Get(j, "title", v.title); Get(j, "error", v.error);
}

void to_json(nlohmann::json& j, const ScriptSummary& v) {
  j = {{"url", v.url}, {"page", v.page}, {"status", v.status}, {"sha256", v.sha256}, {"bytes", v.bytes},
       {"error", v.error}};
}
void from_json(const nlohmann::json& j, ScriptSummary& v) {
  Get(j, "url", v.url); Get(j, "page", v.page); Get(j, "status", v.status); Get(j, "sha256", v.sha256);
  Get(j, "bytes", v.bytes); Get(j, "error", v.error);
}

void to_json(nlohmann::json& j, const RedirectStep& v) {
  j = {{"url", v.url}, {"status", v.status}, {"via", v.via}, {"ip", v.ip}};
}
void from_json(const nlohmann::json& j, RedirectStep& v) {
  Get(j, "url", v.url); Get(j, "status", v.status); Get(j, "via", v.via); Get(j, "ip", v.ip);
}

void to_json(nlohmann::json& j, const ReportSummary& v) {
  j = {{"recipient", v.recipient}, {"reason", v.reason}, {"status", v.status}};
}
void from_json(const nlohmann::json& j, ReportSummary& v) {
  Get(j, "recipient", v.recipient); Get(j, "reason", v.reason); Get(j, "status", v.status);
}

void to_json(nlohmann::json& j, const Favicon& v) {
  j = {{"url", v.url}, {"sha256", v.sha256}, {"mmh3", v.mmh3}, {"bytes", v.bytes}};
}
void from_json(const nlohmann::json& j, Favicon& v) {
  Get(j, "url", v.url); Get(j, "sha256", v.sha256); Get(j, "mmh3", v.mmh3); Get(j, "bytes", v.bytes);
}

void to_json(nlohmann::json& j, const BrowserRequest& v) {
  j = {{"url", v.url}, {"method", v.method}, {"type", v.type}, {"status", v.status},
       {"blocked", v.blocked}, {"reason", v.reason}};
}
void from_json(const nlohmann::json& j, BrowserRequest& v) {
  Get(j, "url", v.url); Get(j, "method", v.method); Get(j, "type", v.type);
  Get(j, "status", v.status); Get(j, "blocked", v.blocked); Get(j, "reason", v.reason);
}

void to_json(nlohmann::json& j, const BrowserCapture& v) {
  j = {{"profile", v.profile}, {"user_agent", v.user_agent}, {"url", v.url},
       {"final_url", v.final_url}, {"status", v.status}, {"title", v.title},
       {"screenshot_sha256", v.screenshot_sha256}, {"dom_sha256", v.dom_sha256},
       {"requests", v.requests}, {"blocked_requests", v.blocked_requests}, {"error", v.error},
       {"limits_hit", v.limits_hit}, {"duration_ms", v.duration_ms}};
}
void from_json(const nlohmann::json& j, BrowserCapture& v) {
  Get(j, "profile", v.profile); Get(j, "user_agent", v.user_agent); Get(j, "url", v.url);
  Get(j, "final_url", v.final_url); Get(j, "status", v.status); Get(j, "title", v.title);
  Get(j, "screenshot_sha256", v.screenshot_sha256); Get(j, "dom_sha256", v.dom_sha256);
  Get(j, "requests", v.requests); Get(j, "blocked_requests", v.blocked_requests);
  Get(j, "error", v.error); Get(j, "limits_hit", v.limits_hit); Get(j, "duration_ms", v.duration_ms);
}

void to_json(nlohmann::json& j, const Cloaking& v) {
  j = {{"detected", v.detected}, {"detail", v.detail}, {"profiles", v.profiles}};
}
void from_json(const nlohmann::json& j, Cloaking& v) {
  Get(j, "detected", v.detected); Get(j, "detail", v.detail); Get(j, "profiles", v.profiles);
}

void to_json(nlohmann::json& j, const SeedResult& v) {
  j = {{"seed", v.seed}, {"final_url", v.final_url}, {"redirects", v.redirects},
       {"pages", v.pages}, {"indicators", v.indicators}, {"errors", v.errors},
       {"limits_hit", v.limits_hit}, {"evidence_manifest", v.evidence_manifest},
       {"started_at", v.started_at}, {"finished_at", v.finished_at}};
  if (v.verdict) j["verdict"] = *v.verdict;
  if (v.hosting) j["hosting"] = *v.hosting;
  if (v.favicon) j["favicon"] = *v.favicon;
  if (!v.case_id.empty()) j["case_id"] = v.case_id;
  if (!v.case_id.empty() || !v.reports.empty()) j["reports"] = v.reports;
  j["captures"] = v.captures;
  j["cloaking"] = v.cloaking ? nlohmann::json(*v.cloaking) : nlohmann::json(nullptr);
  j["scripts"] = v.scripts;
}
void from_json(const nlohmann::json& j, SeedResult& v) {
  Get(j, "seed", v.seed); Get(j, "final_url", v.final_url); Get(j, "redirects", v.redirects);
  Get(j, "pages", v.pages); Get(j, "indicators", v.indicators); Get(j, "errors", v.errors);
  Get(j, "limits_hit", v.limits_hit); Get(j, "evidence_manifest", v.evidence_manifest);
  Get(j, "started_at", v.started_at); Get(j, "finished_at", v.finished_at);
  GetOpt(j, "verdict", v.verdict); GetOpt(j, "hosting", v.hosting); GetOpt(j, "favicon", v.favicon);
  Get(j, "case_id", v.case_id); Get(j, "reports", v.reports);
  Get(j, "captures", v.captures); GetOpt(j, "cloaking", v.cloaking);
  Get(j, "scripts", v.scripts);
}

}  // namespace dragnet
