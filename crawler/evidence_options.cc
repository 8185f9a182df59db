#include "crawler/evidence_options.h"

#include "core/config_section.h"

namespace dragnet::crawler {

Status ParseEvidenceOptions(const toml::table* root, EvidenceOptions& o) {
  ConfigSection s(root, "evidence");
  DRAGNET_RETURN_IF_ERROR(s.Get("key_dir", o.key_dir));
  DRAGNET_RETURN_IF_ERROR(s.Get("tsa_url", o.tsa_url));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("tsa_timeout", o.tsa_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.Get("tsa_ca_file", o.tsa_ca_file));
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  if (!o.tsa_url.empty() && o.tsa_url.rfind("http://", 0) != 0 && o.tsa_url.rfind("https://", 0) != 0) {
    return InvalidArgument("evidence.tsa_url must be an http:// or https:// URL");
  }
  if (o.tsa_timeout_ms < 1000 || o.tsa_timeout_ms > 600'000) {
    return InvalidArgument("evidence.tsa_timeout must be 1s..10m");
  }
  return Status::Ok();
}

}  // namespace dragnet::crawler
