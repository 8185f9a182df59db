#pragma once
// Takedown signatures (config/takedown.toml): what a site looks like once
// someone acted on it — a hosting provider's suspension page, a web
// server's default page after the content was removed, a parking page, a
// CDN's phishing interstitial — and the name servers of parking and
// suspension services a registrar moves a domain to.
//
// Format (the file documents every key):
//   [[pages]]  name, kind = "suspended" | "default" | "parked" | "cdn_block",
//              actor = "host" | "cdn" | "registrar" | "registry",
//              title = [...], text = [...]   (case-insensitive substrings;
//              a page matches when its title holds one of `title` or its
//              visible text one of `text`), status = [...] (optional: only
//              these HTTP statuses), source = "public page it comes from"
//   [[nameservers]]  name, kind = "parked" | "suspended", actor, suffixes = [...], source
// Immutable after Load(); safe to share between threads.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace dragnet::monitor {

// Caps: the file is operator-written; a runaway generated one fails loudly.
inline constexpr uint64_t kMaxSignatureFileBytes = 1u << 20;
inline constexpr size_t kMaxSignatures = 2000;
// Substrings per signature and their length: matching stays a few
// thousand finds over at most kMaxProbeTextBytes of page text.
inline constexpr size_t kMaxSignatureStrings = 32;
inline constexpr size_t kMaxSignatureStringBytes = 256;

struct PageSignature {
  std::string name;
  std::string kind;                  // suspended, default, parked, cdn_block
  std::string actor;                 // host, cdn, registrar, registry
  std::vector<std::string> title;    // lowercase
  std::vector<std::string> text;     // lowercase
  std::vector<long> status;          // empty: any
  std::string source;
};

struct NameserverSignature {
  std::string name;
  std::string kind;                  // parked, suspended
  std::string actor;                 // registrar (usually)
  std::vector<std::string> suffixes; // lowercase, no trailing dot
  std::string source;
};

class Signatures {
 public:
  static Result<Signatures> Load(const std::string& path);
  static Result<Signatures> Parse(const std::string& text, const std::string& origin);

  // The first page signature matching (title, visible text, HTTP status);
  // null when none does. `title` and `text` are matched case-insensitively.
  const PageSignature* MatchPage(const std::string& title, const std::string& text, long status) const;
  // The first name-server signature one of `nameservers` falls under.
  const NameserverSignature* MatchNameservers(const std::vector<std::string>& nameservers,
                                              std::string* matched = nullptr) const;

  const std::vector<PageSignature>& pages() const { return pages_; }
  const std::vector<NameserverSignature>& nameservers() const { return nameservers_; }

 private:
  std::vector<PageSignature> pages_;
  std::vector<NameserverSignature> nameservers_;
};

}  // namespace dragnet::monitor
