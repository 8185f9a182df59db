#pragma once
// Contacts: the routing tables of config/contacts.toml — TLD registries,
// national CERTs, shared platforms, URL shorteners, mail/messaging provider
// abuse desks, overrides/suppressions and the allow-list of legitimate
// domains. Every entry that names an address carries the public `source`
// documenting it (the loader refuses entries without one).
//
// Format (config/contacts.toml documents every table with examples):
//   [registries.<tld>]  name, email|form|webhook, source, language, note
//   [certs.<CC>]        same keys (CC: ISO 3166-1 alpha-2, upper case)
//   [upstreams.<ASN>]   same keys: whom to escalate to when the network AS<ASN>
//                       does not act (its transit provider, or its RIR's abuse desk)
//   [[platforms]]       suffixes = [...], name, email|form|webhook, source, language, note
//   [[shorteners]]      domains = [...], same contact keys
//   [[providers]]       email_domains = [...], indicator_types = [...], contact keys
//   [[overrides]]       name, registrar_iana_id | asn | tld | domain_suffix,
//                       kinds = [...], action = "suppress" | "route", contact keys, note
//   [allowlist]         domains = [...]
// Immutable after Load(); safe to share between threads.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace dragnet::reporters {

// Caps on the table file: it is operator-written, but a runaway generated
// file must fail loudly rather than slow every routing decision.
inline constexpr uint64_t kMaxContactsFileBytes = 4ull << 20;
inline constexpr size_t kMaxContactsEntries = 20000;

struct ContactEntry {
  std::string name;
  std::string email;      // abuse mailbox
  std::string form;       // web form URL, when that is the only route (filed by hand)
  std::string webhook;    // name of a [delivery.webhook.<name>] route
  std::string language;   // template language, e.g. "sv"; empty: policy default
  std::string source;     // public page documenting the address
  std::string note;
  bool empty() const { return email.empty() && form.empty() && webhook.empty(); }
};

struct PlatformRule {
  std::vector<std::string> suffixes;   // host suffixes, e.g. "pages.dev" (matches *.pages.dev)
  ContactEntry contact;
};

struct ProviderRule {
  std::vector<std::string> email_domains;    // domains of extracted email addresses
  std::vector<std::string> indicator_types;  // indicator types, e.g. "telegram", "whatsapp"
  ContactEntry contact;
};

struct OverrideRule {
  std::string name;
  // Exactly one matcher is set.
  std::string registrar_iana_id;
  uint32_t asn = 0;
  std::string tld;                      // without the dot
  std::string domain_suffix;            // host suffix of the reported URL
  std::vector<std::string> kinds;       // recipient kinds it applies to; empty: all
  std::string action;                   // suppress, route
  ContactEntry contact;                 // action = route: the replacement
};

class Contacts {
 public:
  // Reads and checks the file; errors name the file and the entry.
  static Result<Contacts> Load(const std::string& path);
  // Same, from TOML text (`origin` names it in errors).
  static Result<Contacts> Parse(const std::string& text, const std::string& origin);

  const ContactEntry* Registry(const std::string& tld) const;
  const ContactEntry* Cert(const std::string& country) const;
  // The escalation contact above the hosting network AS`asn` (monitor/escalation.h).
  const ContactEntry* Upstream(uint32_t asn) const;
  // The platform whose suffix `host` is strictly under (longest suffix wins).
  const PlatformRule* Platform(const std::string& host) const;
  // The shortener serving `host` (the domain itself or a subdomain).
  const ProviderRule* Shortener(const std::string& host) const;
  const ProviderRule* ProviderForEmailDomain(const std::string& domain) const;
  const ProviderRule* ProviderForIndicator(const std::string& type) const;
  // True when `host` is, or is under, an allow-listed legitimate domain.
  bool AllowListed(const std::string& host) const;
  const std::vector<OverrideRule>& overrides() const { return overrides_; }
  size_t size() const;

 private:
  std::map<std::string, ContactEntry> registries_;
  std::map<std::string, ContactEntry> certs_;
  std::map<uint32_t, ContactEntry> upstreams_;
  std::vector<PlatformRule> platforms_;
  std::vector<ProviderRule> shorteners_;   // email_domains holds the shortener domains
  std::vector<ProviderRule> providers_;
  std::vector<OverrideRule> overrides_;
  std::vector<std::string> allowlist_;
};

// True when `host` equals `suffix` or ends with "." + suffix.
bool HostUnder(const std::string& host, const std::string& suffix);

}  // namespace dragnet::reporters
