#pragma once
// Abuse-contact hygiene shared by the RDAP, Abusix and security.txt paths:
// which addresses are placeholders (REDACTED..., removed@..., the RIRs' own
// generic mailboxes that appear on blocks they do not operate), how vCard
// values are cleaned, and the security.txt (RFC 9116) Contact: parser.
// Pure functions and an immutable filter; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace dragnet::hosting {

// Largest security.txt we parse; RFC 9116 files are a few hundred bytes.
inline constexpr size_t kMaxSecurityTxtBytes = 32 * 1024;
// Contacts kept from one security.txt.
inline constexpr size_t kMaxSecurityTxtContacts = 8;

class ContactFilter {
 public:
  // `extra`: addresses ("x@y.z") or domains ("@y.z") never to use, added to
  // the built-in list ([hosting] ignore_contacts).
  explicit ContactFilter(std::vector<std::string> extra = {});
  // True when `email` is not a real, usable mailbox for abuse reports.
  bool IsPlaceholder(std::string_view email) const;

 private:
  std::vector<std::string> addresses_;  // lowercase exact addresses
  std::vector<std::string> domains_;    // lowercase domains (suffix match)
};

// "mailto:Abuse@Example.COM " -> "abuse@example.com"; "" when it is not an
// address (no '@', spaces, over 254 bytes).
std::string CleanEmail(std::string_view v);
// "tel:+1.2083895740" -> "+1.2083895740"; "" when it has no digits.
std::string CleanPhone(std::string_view v);

// Contact: lines of a security.txt body, in file order, as contacts with
// source "security.txt" and scope "site". mailto: -> email, tel: -> phone,
// https: -> url. PGP-signed files are read (dash-escaping undone, signature
// ignored). Input past kMaxSecurityTxtBytes is ignored.
std::vector<AbuseContact> ParseSecurityTxt(std::string_view text);

}  // namespace dragnet::hosting
