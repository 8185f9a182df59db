#pragma once
// Routing: who should receive a takedown report for a scanned site, and why.
//
// A pure function of the scan (SeedResult: URLs, redirect chain, hosting,
// verdict, indicators), the contacts tables (reporters/contacts.h) and the
// policy (ReporterOptions). The rules, in order:
//  1. Legitimate allow-listed domains in the redirect chain are never
//     reported; URL shorteners in the chain get their own route (the
//     shortener's abuse desk, for the short URL).
//  2. A landing site on a shared platform (*.pages.dev, *.github.io, ...)
//     goes to the platform's abuse route only — never to the registrar of
//     the platform's apex, nor to the network hosting the platform.
//  3. Otherwise: DNS-abuse types (policy.registrar_types, e.g. phishing) go
//     to the registrar and the host; other fraud goes to the host / CDN
//     first, and to the registrar only when the domain itself was registered
//     for the fraud (newly registered, lookalike, brand-bearing) — the
//     reason says which.
//  4. TLD registry per policy.registry; national CERT of each hosting
//     country (policy.notify_cert); abuse desks of mail/messaging providers
//     the scammers use as contacts (policy.notify_providers).
//  5. contacts.toml overrides re-route or suppress recipients by registrar
//     IANA ID, ASN, TLD or domain suffix.
// Every recipient carries a one-sentence reason. Thread-safe (no state).

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "reporters/contacts.h"
#include "reporters/options.h"

namespace dragnet::reporters {

struct Recipient {
  std::string key;        // mailto:<addr>, webhook:<name>, form:<url>, none:<kind>
  std::string route;      // email, webhook, form, none
  std::string address;    // email address, webhook name or form URL
  std::string name;       // who it is: "Example Registrar, Inc."
  std::string kind;       // registrar, hosting, cdn, platform, registry, cert, provider, shortener
  std::string language;   // template language; empty: policy default
  std::string url;        // the URL reported to this recipient
  std::string reason;     // why this recipient, one or more sentences
  std::string source;     // where the contact came from (rdap-registrar, contacts.toml: <source>, ...)
  std::vector<std::string> accounts;  // provider kind: the scammer accounts concerned
  bool suppressed = false;            // by a contacts.toml override (reason says which)
  uint32_t asn = 0;                   // hosting/cdn: the network's AS, for ASN overrides
};

struct RoutePlan {
  std::string landing_url;            // the URL the reports are about; empty when nothing is reportable
  std::vector<std::string> chain;     // redirect chain as scanned (seed ... final)
  std::vector<Recipient> recipients;  // in priority order, suppressed ones included
  std::vector<std::string> notes;     // decisions that are not recipients (allow-listed hops, ...)
  std::vector<std::string> registered_for_fraud;  // why the domain counts as registered for the fraud
};

struct RouteContext {
  bool previously_reported = false;   // the landing URL was sent before and is still up (escalation)
};

RoutePlan Route(const SeedResult& r, const Contacts& contacts, const ReporterOptions& policy,
                const RouteContext& ctx = {});

// A recipient from a contacts.toml entry: its webhook, else its email, else
// its web form, else no route ("none:<kind>"). Also the monitor's
// escalation levels (monitor/escalation.h).
Recipient RecipientFromContact(const ContactEntry& c, const std::string& kind, const std::string& url,
                               const std::string& reason);

// True for a plain, header-safe email address (no spaces, quotes, brackets,
// CR/LF or non-ASCII; one '@'; a dot in the domain; at most 254 bytes).
bool SafeEmailAddress(const std::string& addr);

}  // namespace dragnet::reporters
