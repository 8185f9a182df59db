#pragma once
// Lookalike domains: is the site's own host name made to pass for one of the
// catalog brands' domains?
//
// Techniques, each reported with what was compared:
//   homograph  the Unicode form of an IDN label has the same UTS #39
//              confusable skeleton as a brand label (ICU uspoof_getSkeleton),
//              or one within one edit of it ("раураl.com", "аррӏе.com").
//   typo       an ASCII label one typing slip away from a brand label:
//              omission, repetition, transposition, replacement, insertion,
//              an extra hyphen, or ASCII homoglyphs (rn->m, vv->w, 0->o,
//              1->l, cl->d); labels shorter than kMinTypoLabel only for
//              homoglyphs.
//   embedded   a brand label appears as a word of the host
//              ("secure-login-paypal-verify.xyz", "paypal.com.verify-id.top"),
//              or inside a longer label when it is long enough to be no
//              accident ("mypaypalhelp.com").
//   tld_swap   the brand's label under another public suffix ("nordea.co").
// Never flagged: any registrable domain listed in the catalog (the brand's
// own and their subdomains; a catalog brand is not another's lookalike).
// Pure function; thread-safe.

#include <string>
#include <vector>

#include "extractors/brands.h"

namespace dragnet::extractors {

struct LookalikeFinding {
  std::string brand;
  std::string brand_domain;
  std::string technique;  // homograph, typo, embedded, tld_swap
  std::string detail;     // the site host and what made it match
  std::string sector;     // the brand's sector
};

// Shortest brand label checked for typos (other than homoglyphs): one edit
// away from a 3- or 4-letter label ("dhl", "ups", "seb") is mostly other
// legitimate names.
inline constexpr size_t kMinTypoLabel = 5;
// Shortest brand label matched inside a longer label ("mypaypal"); shorter
// ones only as a whole hyphen- or dot-separated word ("dhl-express").
inline constexpr size_t kMinEmbeddedSubstring = 5;
// Longest host name examined (DNS allows 253 bytes; anything longer is not a
// host we could have fetched).
inline constexpr size_t kMaxHostBytes = 253;

// `site_host_ascii`: the site's host in ASCII (punycode) form. At most one
// finding per brand (the strongest technique, in the order listed above).
std::vector<LookalikeFinding> FindLookalikes(const BrandCatalog& catalog,
                                             const std::string& site_host_ascii);

// Optimal-string-alignment edit distance (adjacent transpositions cost 1),
// on bytes; exposed for tests.
int EditDistance(std::string_view a, std::string_view b);

// UTS #39 skeleton of a (lowercased) label; exposed for tests.
std::string ConfusableSkeleton(std::string_view utf8);

}  // namespace dragnet::extractors
