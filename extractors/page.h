#pragma once
// ParsePage: one fetched HTML body -> one Page (core/model.h), through Gumbo.
//
// The Page is the only thing the later stages read: the crawl loop follows
// its links, iframes, meta refresh and JS redirects; the indicator extractors
// (extractors/indicators.h) scan its text, attributes and scripts. The body is
// parsed exactly once, here.
//
// Hostile input: pages are written by the people we are hunting. Every part of
// the walk has a named cap in PageLimits; hitting any of them sets
// Page::truncated, names the cap in Page::truncated_by (the crawl records
// it in the seed's limits_hit) and keeps what was read so far. Malformed HTML never fails:
// Gumbo repairs it as a browser would. Before Gumbo sees the body, a cheap
// pre-scan bounds its nesting depth, because Gumbo 0.10's tree construction
// is quadratic in the depth of open elements (100,000 nested <div> take 20 s)
// and frees the tree recursively.
//
// Pure function of its arguments; safe to call from any number of threads at
// once (no shared state).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace dragnet::extractors {

struct PageLimits {
  // Bytes of the body handed to Gumbo. Scam pages are small; anything past
  // this is padding meant to slow us down. Gumbo runs ~14 MB/s per core, so
  // 4 MiB is ~0.3 s of one core at worst.
  // The same as the fetcher's default max_decoded_bytes, so that a body the
  // fetcher kept whole is parsed whole.
  size_t max_input_bytes = 5u << 20;
  // Open-element nesting allowed into Gumbo and DOM depth walked. Blink caps
  // its parser's tree depth at 512 (kMaximumHTMLParserDOMTreeDepth); real
  // pages stay under ~60. The body is cut at the start tag that would go
  // deeper, which also bounds Gumbo's quadratic time and recursion.
  int max_depth = 512;
  // Visible text kept (UTF-8 bytes, after whitespace folding): as much as
  // the input, so an indicator after megabytes of filler is still read.
  size_t max_text_bytes = 5u << 20;
  // Inline script source kept, summed over all scripts of the page.
  size_t max_script_bytes = 1u << 20;
  // Absolute URLs kept from a/area/link, after deduplication.
  size_t max_links = 4000;
  size_t max_forms = 64;
  size_t max_inputs_per_form = 256;
  size_t max_scripts = 512;
  size_t max_iframes = 256;
  size_t max_images = 2000;
  size_t max_meta = 256;
  // Attribute values kept for scanning, and the bytes kept of each one
  // (a base64 payload in a data-* attribute is the longest honest case).
  size_t max_attrs = 8000;
  size_t max_attr_value_bytes = 64u << 10;
  // JS redirect targets kept (a page needs one; more is noise).
  size_t max_js_redirects = 32;
  // What the reader does not see (Page::comments, Page::hidden_text): kits
  // leave old contacts in comments and <noscript>; real pages carry little.
  size_t max_comments = 512;
  size_t max_comment_bytes = 256u << 10;   // summed over the page's comments
  size_t max_hidden_text_bytes = 256u << 10;
};

// Parses `html` fetched from absolute URL `url` into a Page. Never fails:
// malformed HTML still yields a Page; hitting a cap sets page.truncated.
// Relative URLs resolve against <base href> when present, else `url`; URLs
// that do not resolve to http(s) (mailto:, javascript:, garbage) are left out
// of links/forms/scripts/iframes/images but stay in attrs for the extractors.
Page ParsePage(std::string_view html, const std::string& url, const PageLimits& limits = {});

// Sets page.truncated and adds `limit` (a PageLimits field name) to
// page.truncated_by once.
void MarkTruncated(Page& page, const char* limit);

// The JS redirect targets written as string literals in `script` (location =
// "…", location.href = '…', location.replace("…"), location.assign(…), with
// window./document./top./self./parent. prefixes), unresolved, in order. No JS
// is executed; computed targets are not followed. At most `max` targets.
// Exposed for tests and for the extractors' script scanner.
std::vector<std::string> FindJsRedirectLiterals(std::string_view script, size_t max);

// The target of a meta refresh content value ("5; url=/next"), unresolved;
// empty when it has none.
std::string MetaRefreshTarget(std::string_view content);

// Pre-scan used before Gumbo: the length of the prefix of `html` whose
// estimated open-element nesting stays within `max_depth`. An estimate from
// the tags alone (void, self-closing-in-SVG and implicitly closed elements
// such as p/li/td do not count; raw-text elements are skipped): it bounds the
// runaway cases, and the walk keeps its own exact depth cap.
size_t NestingSafePrefix(std::string_view html, int max_depth);

}  // namespace dragnet::extractors
