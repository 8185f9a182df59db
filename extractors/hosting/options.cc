#include "extractors/hosting/options.h"

#include "core/config_section.h"

namespace dragnet::hosting {
namespace {

// [rdap.base_url]: a table of URL prefix -> replacement, both strings.
Status ParseBaseUrls(const toml::table* root, HostingOptions& o) {
  ConfigSection b(root, "rdap.base_url");
  if (!b.present()) return Status::Ok();
  for (const auto& [k, v] : *b.table()) {
    std::string key(k.str());
    if (!v.is_string()) {
      return InvalidArgument("config key 'rdap.base_url.\"" + key + "\"' must be a string URL");
    }
    if (key.rfind("http://", 0) != 0 && key.rfind("https://", 0) != 0) {
      return InvalidArgument("config key 'rdap.base_url.\"" + key + "\"' is not an http(s) URL");
    }
    o.base_url[key] = *v.value<std::string>();
  }
  return Status::Ok();
}

}  // namespace

Status ParseHostingOptions(const toml::table* root, HostingOptions& o) {
  ConfigSection h(root, "hosting");
  DRAGNET_RETURN_IF_ERROR(h.Get("enabled", o.enabled));
  DRAGNET_RETURN_IF_ERROR(h.Get("cdn_file", o.cdn_file));
  DRAGNET_RETURN_IF_ERROR(h.Get("ignore_contacts", o.ignore_contacts));
  DRAGNET_RETURN_IF_ERROR(h.Get("max_ips", o.max_ips));
  if (o.max_ips < 1 || o.max_ips > 256) {
    return InvalidArgument("config key 'hosting.max_ips' must be between 1 and 256");
  }
  DRAGNET_RETURN_IF_ERROR(h.Get("security_txt", o.security_txt));
  DRAGNET_RETURN_IF_ERROR(h.GetDuration("security_txt_timeout", o.security_txt_timeout_ms));
  if (o.security_txt_timeout_ms < 100 || o.security_txt_timeout_ms > 120'000) {
    return InvalidArgument("config key 'hosting.security_txt_timeout' must be between 100ms and 2m");
  }
  DRAGNET_RETURN_IF_ERROR(h.Finish());
  ConfigSection d(root, "dns");
  DRAGNET_RETURN_IF_ERROR(d.Get("servers", o.dns_servers));
  DRAGNET_RETURN_IF_ERROR(d.Get("abusix_zone", o.abusix_zone));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("timeout", o.dns_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(d.Finish());
  ConfigSection g(root, "geo");
  DRAGNET_RETURN_IF_ERROR(g.Get("city_db", o.city_db));
  DRAGNET_RETURN_IF_ERROR(g.Get("country_db", o.country_db));
  DRAGNET_RETURN_IF_ERROR(g.Get("asn_db", o.asn_db));
  DRAGNET_RETURN_IF_ERROR(g.Get("embedded_db", o.embedded_db));
  DRAGNET_RETURN_IF_ERROR(g.Finish());
  ConfigSection r(root, "rdap");
  DRAGNET_RETURN_IF_ERROR(r.Get("bootstrap_dir", o.bootstrap_dir));
  DRAGNET_RETURN_IF_ERROR(r.GetDuration("cache_ttl", o.cache_ttl_ms));
  DRAGNET_RETURN_IF_ERROR(r.GetDuration("timeout", o.rdap_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(r.GetDuration("failure_backoff", o.failure_backoff_ms));
  DRAGNET_RETURN_IF_ERROR(r.GetDuration("max_retry_wait", o.max_retry_wait_ms));
  DRAGNET_RETURN_IF_ERROR(r.Get("bootstrap_url", o.bootstrap_url));
  DRAGNET_RETURN_IF_ERROR(r.Get("follow_referrals", o.follow_referrals));
  r.Allow("base_url");
  DRAGNET_RETURN_IF_ERROR(ParseBaseUrls(root, o));
  return r.Finish();
}

}  // namespace dragnet::hosting
