#include "reporters/options.h"

#include <algorithm>

#include "core/config_section.h"

namespace dragnet::reporters {

Status ParseReporterOptions(const toml::table* root, ReporterOptions& o) {
  ConfigSection r(root, "reporter");
  DRAGNET_RETURN_IF_ERROR(r.Get("org", o.org));
  DRAGNET_RETURN_IF_ERROR(r.Get("contact_email", o.contact_email));
  DRAGNET_RETURN_IF_ERROR(r.Get("domain", o.domain));
  DRAGNET_RETURN_IF_ERROR(r.Finish());

  ConfigSection p(root, "policy");
  DRAGNET_RETURN_IF_ERROR(p.Get("auto_report_threshold", o.auto_report_threshold));
  DRAGNET_RETURN_IF_ERROR(p.Get("review_threshold", o.review_threshold));
  DRAGNET_RETURN_IF_ERROR(p.GetDuration("rereport_after", o.rereport_after_ms));
  DRAGNET_RETURN_IF_ERROR(p.Get("new_domain_days", o.new_domain_days));
  DRAGNET_RETURN_IF_ERROR(p.Get("registrar_types", o.registrar_types));
  DRAGNET_RETURN_IF_ERROR(p.Get("registry", o.registry_policy));
  DRAGNET_RETURN_IF_ERROR(p.Get("notify_cert", o.notify_cert));
  DRAGNET_RETURN_IF_ERROR(p.Get("notify_providers", o.notify_providers));
  DRAGNET_RETURN_IF_ERROR(p.Get("default_language", o.default_language));
  DRAGNET_RETURN_IF_ERROR(p.Finish());
  if (o.review_threshold > o.auto_report_threshold) {
    return InvalidArgument("config: policy.review_threshold (" + std::to_string(o.review_threshold) +
                           ") must not exceed policy.auto_report_threshold (" +
                           std::to_string(o.auto_report_threshold) + ")");
  }
  static const char* kRegistryPolicies[] = {"never", "cctld", "always", "escalation"};
  if (std::none_of(std::begin(kRegistryPolicies), std::end(kRegistryPolicies),
                   [&](const char* v) { return o.registry_policy == v; })) {
    return InvalidArgument("config key 'policy.registry' must be never, cctld, always or escalation");
  }

  ConfigSection d(root, "delivery");
  DRAGNET_RETURN_IF_ERROR(d.Get("enabled", o.enabled));
  DRAGNET_RETURN_IF_ERROR(d.Get("outbox_dir", o.outbox_dir));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("batch_window", o.batch_window_ms));
  DRAGNET_RETURN_IF_ERROR(d.Get("max_attempts", o.max_attempts));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("retry_base", o.retry_base_ms));
  DRAGNET_RETURN_IF_ERROR(d.GetDuration("retry_max", o.retry_max_ms));
  DRAGNET_RETURN_IF_ERROR(d.Get("rate_limit_per_hour", o.rate_limit_per_hour));
  DRAGNET_RETURN_IF_ERROR(d.Get("freshness_check", o.freshness_check));
  DRAGNET_RETURN_IF_ERROR(d.Get("templates_dir", o.templates_dir));
  d.Allow("smtp");
  d.Allow("webhook");
  DRAGNET_RETURN_IF_ERROR(d.Finish());
  if (o.max_attempts < 1) return InvalidArgument("config key 'delivery.max_attempts' must be >= 1");
  if (o.rate_limit_per_hour < 1) {
    return InvalidArgument("config key 'delivery.rate_limit_per_hour' must be >= 1");
  }

  ConfigSection s(root, "delivery.smtp");
  DRAGNET_RETURN_IF_ERROR(s.Get("url", o.smtp_url));
  DRAGNET_RETURN_IF_ERROR(s.Get("from", o.smtp_from));
  DRAGNET_RETURN_IF_ERROR(s.Get("username", o.smtp_username));
  DRAGNET_RETURN_IF_ERROR(s.Get("password", o.smtp_password));
  DRAGNET_RETURN_IF_ERROR(s.Get("reply_to", o.smtp_reply_to));
  DRAGNET_RETURN_IF_ERROR(s.Get("envelope_from", o.smtp_envelope_from));
  DRAGNET_RETURN_IF_ERROR(s.Get("starttls", o.smtp_starttls));
  DRAGNET_RETURN_IF_ERROR(s.Get("ca_file", o.smtp_ca_file));
  DRAGNET_RETURN_IF_ERROR(s.GetDuration("timeout", o.smtp_timeout_ms));
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  if (!o.smtp_url.empty() && o.smtp_url.rfind("smtp://", 0) != 0 &&
      o.smtp_url.rfind("smtps://", 0) != 0) {
    return InvalidArgument("config key 'delivery.smtp.url' must start with smtp:// or smtps://");
  }

  ConfigSection w(root, "delivery.webhook");
  if (w.present()) {
    for (const auto& [key, node] : *w.table()) {
      std::string name(key.str());
      if (!node.is_table()) {
        return InvalidArgument("config key 'delivery.webhook." + name +
                               "' must be a table ([delivery.webhook." + name + "])");
      }
      w.Allow(name.c_str());
      WebhookRoute route;
      route.name = name;
      ConfigSection one(root, "delivery.webhook." + name);
      DRAGNET_RETURN_IF_ERROR(one.Get("url", route.url));
      DRAGNET_RETURN_IF_ERROR(one.Get("secret", route.secret));
      DRAGNET_RETURN_IF_ERROR(one.Get("token", route.token));
      DRAGNET_RETURN_IF_ERROR(one.Get("signature_header", route.signature_header));
      DRAGNET_RETURN_IF_ERROR(one.GetDuration("timeout", route.timeout_ms));
      DRAGNET_RETURN_IF_ERROR(one.Finish());
      if (route.url.rfind("http://", 0) != 0 && route.url.rfind("https://", 0) != 0) {
        return InvalidArgument("config key 'delivery.webhook." + name +
                               ".url' must be an http:// or https:// URL");
      }
      o.webhooks[name] = std::move(route);
    }
    DRAGNET_RETURN_IF_ERROR(w.Finish());
  }

  ConfigSection c(root, "contacts");
  DRAGNET_RETURN_IF_ERROR(c.Get("file", o.contacts_file));
  DRAGNET_RETURN_IF_ERROR(c.Finish());
  if (o.enabled) DRAGNET_RETURN_IF_ERROR(CheckSenderIdentity(o));
  return Status::Ok();
}

Status CheckSenderIdentity(const ReporterOptions& o) {
  if (o.org.empty() || o.contact_email.empty()) {
    return InvalidArgument(
        "config: delivery is on but [reporter] has no org or contact_email: set both, so that recipients know "
        "who reports and where to answer");
  }
  if (o.org == kDemoOrg || o.contact_email == kDemoContactEmail) {
    return InvalidArgument(std::string("config: delivery is on but [reporter] is still the demo identity (org = \"") +
                           kDemoOrg + "\", contact_email = \"" + kDemoContactEmail +
                           "\"): set [reporter] org and contact_email to your team's before sending reports");
  }
  return Status::Ok();
}

}  // namespace dragnet::reporters
