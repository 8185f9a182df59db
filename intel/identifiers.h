#pragma once
// What the campaign index (intel/index.h) knows of one case: CaseFacts, made
// from the case's last SeedResult by FactsOf(), a pure function.
//
// Every indicator becomes an Identifier with a weight (0..100): strong ones
// — wallets, bot tokens, messaging contacts, IBANs, cards, e-mails, phones,
// analytics and pixel IDs, collector hosts (where a form posts, outside the
// site), the favicon's Shodan hash — can link cases into a campaign; weak
// ones (the site's own host and URL, outside links, IP addresses, the
// landing page's body hash) are only searchable. An identifier is marked
// `owned` when a brand owns it: a collector host on any brand's domain, an
// e-mail at the impersonated brand's domain (an address at a webmail
// brand is the operator's own), a favicon the catalog lists, or anything
// found on a brand's own site (the real bank's phone number and GA ID).
// Owned and ubiquitous values never link.
//
// Thread-compatible: FactsOf reads its arguments only.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "extractors/brands.h"

namespace dragnet::intel {

struct Identifier {
  std::string type;             // indicator type (btc, telegram, ...), collector_host, favicon_mmh3, host, url, ...
  std::string value;            // canonical form (as the extractor wrote it; hosts lowercase)
  int weight = 0;               // 0..100: how strongly it ties two sites to one operator
  std::string owned_by;         // brand that owns it; empty when none
};

// One case, as the index stores it.
struct CaseFacts {
  std::string case_id;          // DN-... (reporters/store.h)
  std::string seed, final_url;
  std::string host;             // landing host, ASCII lowercase
  std::string domain;           // its registrable domain
  std::string registrar;        // RDAP registrar name; empty when not located
  std::vector<std::string> countries;  // hosting countries (ISO 3166-1), sorted, unique
  std::vector<std::string> ips;        // hosting addresses
  std::string label, scam_type, brand;
  int score = 0;
  std::string own_brand;        // the brand whose own domain this is; empty for anyone else
  int64_t seen_ms = 0;          // when this scan finished
  std::vector<Identifier> identifiers;  // unique by (type, value), sorted
};

// Weight of an identifier type (0 for types that never link).
int WeightOf(const std::string& type);
// The identifier types FactsOf produces, for `search --type` and the README.
const std::vector<std::string>& IdentifierTypes();
// True when `type`:`value` is on the built-in ubiquitous list (public CDNs,
// form and messaging APIs everyone uses): such a value never links.
bool BuiltinUbiquitous(const std::string& type, const std::string& value);

// Builds the facts of one scanned case. `brands` may be null (no
// ownership from the catalog). `seen_ms` is used when the result has no
// parseable finished_at.
CaseFacts FactsOf(const SeedResult& r, const extractors::BrandCatalog* brands, int64_t seen_ms);

}  // namespace dragnet::intel
