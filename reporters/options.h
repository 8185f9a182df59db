#pragma once
// ReporterOptions: who we are, when we report, how reports leave the
// machine. Sections [reporter], [policy], [delivery] (+ [delivery.smtp],
// [delivery.webhook.*]) and [contacts]. Owner of the keys: reporters/.
// Defaults are safe: delivery is off, reports only land in the outbox.

#include <cstdint>
#include <string>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::reporters {

struct ReporterOptions {
  // [reporter]
  std::string org = "Dragnet demo CERT";
  std::string contact_email = "abuse-reports@dragnet.invalid";
  std::string domain = "dragnet.invalid";
  // [policy]
  int auto_report_threshold = 70;
  int review_threshold = 40;
  int64_t rereport_after_ms = 72LL * 3600 * 1000;
  // [delivery]
  bool enabled = false;
  std::string outbox_dir;                  // default: <state_dir>/outbox
  std::string smtp_url;                    // [delivery.smtp] url
  std::string smtp_from, smtp_username, smtp_password;
  // [contacts]
  std::string contacts_file;               // default: <data_dir>/contacts.toml
};

// Reads the reporter sections of `root` (may be null).
Status ParseReporterOptions(const toml::table* root, ReporterOptions& out);

}  // namespace dragnet::reporters
