#pragma once
// ExtractIndicators: every validated indicator the pages of one seed carry
// (e-mail addresses, phone numbers, crypto wallets, IBANs, payment cards,
// Telegram/WhatsApp contacts, analytics IDs, outside URLs/domains, IP
// literals), as core/model.h Indicators.
//
// Where it looks: the visible text, attribute values (href, src, action,
// value, content, data-*, ...), hidden and other form input values, the
// string literals of inline scripts, and base64 found in attribute values,
// data: URIs and atob("...") literals, decoded (bounded by ExtractOptions)
// and scanned again. Candidates come from one multi-pattern vectorscan pass
// per buffer (extractors/scan_text.h) and must pass their family's validator
// (extractors/validators.h): checksums, the public suffix list, libphonenumber.
//
// Families register under a name (email, phone, crypto, iban, card,
// telegram, whatsapp, analytics, url, ip); ExtractOptions::disabled switches
// them off by name.
//
// Pure function of its arguments; safe to call from any number of threads at
// once (the pattern database is built once per process; scratch, buffers and
// bounded memos of validator verdicts are per thread).

#include <string>
#include <vector>

#include "core/model.h"
#include "extractors/options.h"

namespace dragnet::extractors {

struct ExtractContext {
  // The seed's site: URLs outside its registrable domain become `url` and
  // `domain` indicators. Empty: the first page's URL.
  std::string site_url;
  // ISO 3166-1 country where the site is hosted, when known (geolocation);
  // one of the region hints for phone numbers written without "+".
  std::string region_hint;
};

// Extracts every indicator from the pages of one seed: one entry per
// (type, value), pages and count merged, sorted by (type, value) so the
// output is stable.
std::vector<Indicator> ExtractIndicators(const std::vector<Page>& pages, const ExtractContext& ctx,
                                         const ExtractOptions& opts = {});

// Names of the registered families, in registry order.
std::vector<std::string> IndicatorFamilies();

}  // namespace dragnet::extractors
