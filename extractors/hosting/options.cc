#include "extractors/hosting/options.h"

#include "core/config_section.h"

namespace dragnet::hosting {

Status ParseHostingOptions(const toml::table* root, HostingOptions& o) {
  ConfigSection h(root, "hosting");
  DRAGNET_RETURN_IF_ERROR(h.Get("enabled", o.enabled));
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
  DRAGNET_RETURN_IF_ERROR(g.Finish());
  ConfigSection r(root, "rdap");
  DRAGNET_RETURN_IF_ERROR(r.Get("bootstrap_dir", o.bootstrap_dir));
  DRAGNET_RETURN_IF_ERROR(r.GetDuration("cache_ttl", o.cache_ttl_ms));
  DRAGNET_RETURN_IF_ERROR(r.GetDuration("timeout", o.rdap_timeout_ms));
  return r.Finish();
}

}  // namespace dragnet::hosting
