#pragma once
// ReporterOptions: who we are, when we report, how reports leave the
// machine. Sections [reporter], [policy], [delivery] (+ [delivery.smtp],
// [delivery.webhook.<name>]) and [contacts]. Owner of the keys: reporters/.
// Defaults are safe: delivery is off, reports only land in the outbox.
// Plain value type; parse once at startup, then share read-only.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::reporters {

// One [delivery.webhook.<name>] table: a recipient that takes reports by API.
struct WebhookRoute {
  std::string name;                        // the <name> part; contacts.toml refers to it
  std::string url;                         // http(s) endpoint receiving the JSON POST
  std::string secret;                      // HMAC-SHA256 key; empty: no signature header
  std::string token;                       // bearer token; empty: no Authorization header
  std::string signature_header = "X-Dragnet-Signature";  // "sha256=<hex>" of "<timestamp>.<body>"
  int64_t timeout_ms = 20'000;             // whole POST
};

// The demo's sender identity: the defaults of [reporter], for the demo and
// outbox-only runs. Nothing is ever delivered under it (CheckSenderIdentity).
inline constexpr const char* kDemoOrg = "Dragnet demo CERT";
inline constexpr const char* kDemoContactEmail = "abuse-reports@dragnet.invalid";

struct ReporterOptions {
  // [reporter] — the X-ARF reporter/sender and the email From identity.
  std::string org = kDemoOrg;
  std::string contact_email = kDemoContactEmail;
  std::string domain = "dragnet.invalid";

  // [policy]
  int auto_report_threshold = 70;          // score >= this: reports filed automatically
  int review_threshold = 40;               // score in [this, auto): waits for an analyst
  int64_t rereport_after_ms = 72LL * 3600 * 1000;  // same URL to same recipient not again before this
  int new_domain_days = 30;                // a domain younger than this counts as "registered for the fraud"
  // Abuse types registrars must act on as DNS abuse: always sent to the registrar.
  std::vector<std::string> registrar_types = {"phishing", "malware", "pharming"};
  // TLD registry (contacts.toml [registries]): "never", "cctld" (two-letter
  // TLDs only), "always", or "escalation" (only once a URL was reported
  // before and is being reported again).
  std::string registry_policy = "escalation";
  bool notify_cert = true;                 // national CERT of the hosting country when contacts.toml has one
  bool notify_providers = true;            // mail/messaging providers of scammer contacts
  std::string default_language = "en";     // template language when the recipient has none

  // [delivery]
  bool enabled = false;
  std::string outbox_dir;                  // default: <state_dir>/outbox
  int64_t batch_window_ms = 0;             // hold a recipient's reports this long to batch one campaign; 0: one message per scan
  int max_attempts = 8;                    // delivery attempts before a message is marked failed
  int64_t retry_base_ms = 60'000;          // first retry delay; doubles per attempt, +-25% jitter
  int64_t retry_max_ms = 6LL * 3600 * 1000;  // backoff ceiling
  int rate_limit_per_hour = 30;            // messages per recipient per rolling hour; excess is held, never dropped
  bool freshness_check = true;             // re-fetch each URL right before a send; skip sites already down
  std::string templates_dir;               // default: <data_dir>/templates
  // [delivery.smtp]
  std::string smtp_url;                    // smtp://host:port or smtps://host:port
  std::string smtp_from, smtp_username, smtp_password;
  std::string smtp_reply_to;               // default: reporter.contact_email
  std::string smtp_envelope_from;          // MAIL FROM; default: the From address
  bool smtp_starttls = false;              // smtp:// only: require STARTTLS
  std::string smtp_ca_file;                // extra CA bundle for the TLS server certificate
  int64_t smtp_timeout_ms = 60'000;        // whole SMTP transaction
  // [delivery.webhook.<name>]
  std::map<std::string, WebhookRoute> webhooks;

  // [contacts]
  std::string contacts_file;               // default: <data_dir>/contacts.toml

  // The evidence signing key (crawler/evidence_key.h): not config keys,
  // filled by app/ from the installation's key so every report names the
  // key that seals its evidence. Empty: reports say nothing about a key.
  std::string evidence_key_fingerprint;    // 64 hex: SHA-256 of the Ed25519 public key
  std::string evidence_public_key;         // base64 of the 32-byte Ed25519 public key
};

// Reads the reporter sections of `root` (may be null).
Status ParseReporterOptions(const toml::table* root, ReporterOptions& out);

// Whether reports may be delivered under [reporter]: kInvalidArgument naming
// [reporter] when org or contact_email is empty or still the demo identity
// (recipients must know who reports and where to answer). ParseReporterOptions
// applies it when delivery.enabled is true; `--send` applies it too.
Status CheckSenderIdentity(const ReporterOptions& o);

}  // namespace dragnet::reporters
