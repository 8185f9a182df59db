#pragma once
// ExtractIndicators: every validated indicator the pages of one seed carry
// (e-mail addresses, phone numbers, crypto wallets, IBANs, payment cards,
// Telegram/WhatsApp contacts, analytics IDs, outside URLs/domains, IP
// literals), as core/model.h Indicators.
//
// Where it looks: whatever the de-obfuscation layer (extractors/deobfuscate/
// layer.h) reveals of each page: the visible text, <noscript>/<template> text
// and comments, attribute values and form input values, the strings of inline
// scripts folded as constants, and what pages hide in them (base64, %-escapes,
// String.fromCharCode, packed scripts, Cloudflare email protection, HTML
// written by document.write, [at]/(arroba)-style addresses, native digits),
// bounded by ExtractOptions; and the page's structure (links, forms, script
// src, iframes, redirects). Candidates come from one multi-pattern vectorscan
// pass per buffer (extractors/scan_text.h) and must pass their family's
// validator (extractors/validators.h): checksums, the public suffix list,
// libphonenumber.
//
// Families register under a name (email, phone, crypto, iban, card,
// telegram, whatsapp, line, analytics, url, ip); ExtractOptions::disabled
// switches them off by name. Types and their canonical forms: README
// "Indicators".
//
// Pure function of its arguments; safe to call from any number of threads at
// once (the pattern database is built once per process; scratch, buffers and
// bounded memos of validator verdicts are per thread).

#include <string>
#include <vector>

#include "core/model.h"
#include "extractors/options.h"

namespace dragnet::extractors {

class Platforms;

struct ExtractContext {
  // The seed's site: URLs outside its registrable domain become `url` and
  // `domain` indicators. Empty: the first page's URL.
  std::string site_url;
  // ISO 3166-1 country where the site is hosted, when known (geolocation);
  // one of the region hints for phone numbers written without "+".
  std::string region_hint;
  // ISO 3166-1 countries of the brands the site impersonates (brands.h):
  // more region hints for phone numbers.
  std::vector<std::string> brand_countries;
  // When set, every indicator's `source` is this label instead of where on
  // the page it was found: "rendered:mobile" for a headless browser's DOM
  // run through the same extractors, "script:<url>" for an external script.
  std::string source_label;
  // The platforms list (extractors/platforms.h); null: the built-in one.
  const Platforms* platforms = nullptr;
};

// What extraction ran into, beside the indicators.
struct ExtractReport {
  // Names of the extraction limits hit on some page ("extract_decode_depth",
  // "extract_decoded_bytes", "extract_decoded_string_bytes",
  // "extract_decode_time", "extract_decoded_html_fragments",
  // "extract_script_tokens", "extract_text_bytes"), each once.
  std::vector<std::string> limits_hit;
};

// Extracts every indicator from the pages of one seed: one entry per
// (type, value), pages and count merged, sorted by (type, value) so the
// output is stable. Any set of Pages will do (fetched, rendered, fragments).
std::vector<Indicator> ExtractIndicators(const std::vector<Page>& pages, const ExtractContext& ctx,
                                         const ExtractOptions& opts = {}, ExtractReport* report = nullptr);

// An external script file the crawl fetched (crawler/scripts.h).
struct ScriptFile {
  std::string url;   // absolute URL it was fetched from
  std::string text;  // its body
};

// Extracts from external script files as from inline scripts, each
// indicator's `source` "script:<url>" and its pages the script's URL.
// `ctx.site_url` should be the site's (not the scripts'), so that its own
// URLs are not indicators.
std::vector<Indicator> ExtractScriptIndicators(const std::vector<ScriptFile>& scripts, const ExtractContext& ctx,
                                               const ExtractOptions& opts = {}, ExtractReport* report = nullptr);

// Merges `more` into `into`: one entry per (type, value) (pages and counts
// added; the first entry's raw and source kept), sorted by (type, value).
void MergeIndicators(std::vector<Indicator>& into, std::vector<Indicator> more);

// Names of the registered families, in registry order.
std::vector<std::string> IndicatorFamilies();

}  // namespace dragnet::extractors
