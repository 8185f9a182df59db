#pragma once
// Brands a scam page may pretend to be, and where a page shows one.
//
// BrandCatalog is the table in config/brands.toml: per brand its name, the
// registrable domains that really belong to it, keywords in any language and
// optional favicon hashes. It is loaded once (errors name the file and line),
// immutable afterwards, and safe to share between threads.
//
// FindBrands reports where a brand's name or keywords appear on pages of a
// site that is not the brand's own: in the title, the visible text, a form
// (a form's action/fields name the brand, or a page asking for a password or
// card names it in its title or three times or more in its text), image alt text, the favicon, or the site's own domain name.
// It only reports; how much each place counts, and when that adds up to
// impersonation, is the verdict's business (config/rules.toml [brand]).
// Pages on one of the brand's own registrable domains never produce findings
// for that brand: a bank's real login page names the bank. Pages on any
// catalog brand's domain report other brands only in their title, favicon
// and images: a bank's login page names BankID in its text and forms.
// Brands marked `integrated` (payment and login providers: PayPal, Klarna,
// Swish, BankID, ...) are named by every checkout and login page that offers
// them; unless the site also shows one in its title, favicon or domain name,
// their text/form/image findings collapse into one `text` finding.
// Pure function of its arguments; thread-safe.
//
// Brand file format (one [[brand]] table per brand):
//   [[brand]]
//   name = "PayPal"                        # required, unique
//   domains = ["paypal.com", "paypal.me"]  # required: registrable domains, ASCII/punycode
//   keywords = ["paypal"]                  # optional, any language; "x*" = prefix
//   match_name = true                      # default true: the name is a keyword too
//   integrated = false                     # true for brands other sites show as a
//                                          # login or payment option (see below)
//   favicon_sha256 = ["<64 hex>"]          # optional
//   favicon_mmh3 = [-1234567]              # optional: Shodan's favicon hash (crawler/favicon.h)
//   logo_names = ["vcb"]                   # optional: words matched only in the file
//                                          # names of images and the favicon ("vcb-logo.png")
//   user_content = false                   # true when its domains serve anyone's pages
//   country = "US"                         # optional ISO 3166-1 alpha-2, "" = international
//   sector = "payments"                    # bank, payments, parcel, marketplace, crypto,
//                                          # government, tech, telecom, streaming, identity,
//                                          # charity, retail, energy, other

#include <map>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "extractors/language.h"

namespace dragnet::extractors {

struct Brand {
  std::string name;
  std::vector<std::string> domains;         // legit registrable domains, lowercase ASCII
  std::vector<std::string> keywords;        // any language
  std::vector<std::string> favicon_sha256;  // lowercase hex
  std::vector<int32_t> favicon_mmh3;        // Shodan favicon hashes
  std::vector<std::string> logo_names;      // extra words only matched in image file names
  std::string country;                      // ISO 3166-1 alpha-2, empty = international
  std::string sector;
  bool match_name = true;                   // the name itself is matched as a keyword
  bool integrated = false;                  // a login/payment option other sites show
  bool user_content = false;                // its domains also serve anyone's pages (forms, sites, storage)
};

// Most brands one catalog holds: a config table written by people.
inline constexpr size_t kMaxBrands = 5000;
// Largest brands file read.
inline constexpr uint64_t kMaxBrandsFileBytes = 4 << 20;

class BrandCatalog {
 public:
  BrandCatalog() = default;  // empty catalog
  static Result<BrandCatalog> Load(const std::string& path);
  // Same checks as Load, from TOML text; `origin` names it in errors.
  static Result<BrandCatalog> Parse(std::string_view toml_text, const std::string& origin);

  const std::vector<Brand>& brands() const { return brands_; }
  // Index of the brand owning registrable domain `domain`, or -1.
  int OwnerOf(const std::string& registrable_domain) const;
  const Brand* Find(const std::string& name) const;

  // Internals for FindBrands/FindLookalikes.
  const TermMatcher& matcher() const { return matcher_; }
  int BrandOfTerm(int term_id) const { return term_brand_[static_cast<size_t>(term_id)]; }
  int BrandOfFavicon(const std::string& sha256_hex) const;
  int BrandOfFaviconMmh3(int32_t mmh3) const;
  // Words matched in image file names only (brand terms and logo_names).
  const TermMatcher& logo_matcher() const { return logo_matcher_; }
  int BrandOfLogoTerm(int term_id) const { return logo_term_brand_[static_cast<size_t>(term_id)]; }

 private:
  std::vector<Brand> brands_;
  TermMatcher matcher_;
  std::vector<int> term_brand_;
  std::map<std::string, int> domain_owner_;
  std::map<std::string, int> favicon_owner_;
  std::map<int32_t, int> mmh3_owner_;
  TermMatcher logo_matcher_;
  std::vector<int> logo_term_brand_;
};

struct BrandFinding {
  std::string brand;
  std::string where;     // title, text, form, image_alt, logo, favicon, domain
  std::string evidence;  // the matched text and the page URL
  std::string url;       // page the finding is on (the site's domain for `domain`)
  std::string sector;    // the brand's sector (bank, parcel, government, ...)
};

// Findings for every brand shown on `pages` whose own domains do not include
// the page's registrable domain. At most one finding per (brand, where), the
// first seen. `favicon_sha256`: hashes of favicons the crawler fetched.
// `favicon_mmh3`: their Shodan hashes. `logo` findings: a brand word in the
// file name of an image or of the favicon ("img/swedbank_logo.svg").
std::vector<BrandFinding> FindBrands(const BrandCatalog& catalog, const std::vector<Page>& pages,
                                     const std::string& site_registrable_domain,
                                     const std::vector<std::string>& favicon_sha256 = {},
                                     const std::vector<int32_t>& favicon_mmh3 = {});

// The findings as indicators of type "brand" (value = brand name, source =
// where, extra = {where: [...], evidence: [...]}), one per brand, for the
// pipeline to add to a seed's indicator list.
std::vector<Indicator> BrandIndicators(const std::vector<BrandFinding>& findings);

// The brand whose own registrable domain `registrable` is, unless that
// brand's domains also host anyone's content (`user_content = true`:
// docs.google.com forms, sharepoint.com); empty otherwise. The verdict
// never flags a brand's own site (rules of kind `own_site`).
std::string OwnSiteBrand(const BrandCatalog& catalog, const std::string& registrable);

}  // namespace dragnet::extractors
