#include "reporters/options.h"

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
  DRAGNET_RETURN_IF_ERROR(p.Finish());
  ConfigSection d(root, "delivery");
  DRAGNET_RETURN_IF_ERROR(d.Get("enabled", o.enabled));
  DRAGNET_RETURN_IF_ERROR(d.Get("outbox_dir", o.outbox_dir));
  d.Allow("smtp");
  d.Allow("webhook");
  DRAGNET_RETURN_IF_ERROR(d.Finish());
  ConfigSection s(root, "delivery.smtp");
  DRAGNET_RETURN_IF_ERROR(s.Get("url", o.smtp_url));
  DRAGNET_RETURN_IF_ERROR(s.Get("from", o.smtp_from));
  DRAGNET_RETURN_IF_ERROR(s.Get("username", o.smtp_username));
  DRAGNET_RETURN_IF_ERROR(s.Get("password", o.smtp_password));
  DRAGNET_RETURN_IF_ERROR(s.Finish());
  ConfigSection c(root, "contacts");
  DRAGNET_RETURN_IF_ERROR(c.Get("file", o.contacts_file));
  return c.Finish();
}

}  // namespace dragnet::reporters
