#pragma once
// The data model every stage passes forward:
//   fetch -> Hop/Capture  -> parse -> Page -> extract -> Indicator
//   -> locate -> Hosting -> verdict -> Verdict -> SeedResult (one per seed).
// Plain structs, owned by value, no behaviour beyond JSON (core/model_json.h).
// The JSON field names are the output contract (README "JSON output"):
// extend, never rename.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace dragnet {

// ---------------------------------------------------------------- fetch ---

// Leaf certificate facts of a TLS connection. Scam sites often have bad
// certificates; we fetch anyway and record why verification failed.
struct TlsInfo {
  bool present = false;       // connection used TLS
  bool verified = false;      // chain and name verified against system CAs
  std::string verify_error;   // OpenSSL's reason when !verified
  std::string subject;
  std::string issuer;
  std::vector<std::string> sans;
  std::string not_before;     // RFC 3339
  std::string not_after;      // RFC 3339
  std::string sha256;         // fingerprint of the DER leaf, lowercase hex
};

// One request/response in a redirect chain.
struct Hop {
  std::string url;
  long status = 0;             // 0 when no response was received
  std::string via;             // how we got here: seed, http, meta, js, iframe, link
  std::string ip;              // remote address actually connected to
  int port = 0;
  std::string http_version;    // "1.1", "2"
  std::vector<std::pair<std::string, std::string>> headers;  // in order; text (invalid UTF-8 replaced, core/text.h)
  WireBytes raw_headers;       // the header block exactly as received (status line to blank line): evidence
  double dns_ms = 0, connect_ms = 0, tls_ms = 0, ttfb_ms = 0, total_ms = 0;
  TlsInfo tls;
  std::string error;           // empty on success; else "kind: detail"
  std::string error_kind;      // refused, timeout, too_large, low_speed, dns, connect, tls, protocol, redirect_loop, too_many_redirects, scheme
};

// ----------------------------------------------------------------- parse ---

struct FormInput {
  std::string name, type, value;
  // What a person sees of the field, for the verdict's field classifier
  // (extractors/signals/): the id, placeholder, autocomplete and aria-label
  // attributes as written, and `label`: the text of its <label for=id>, else
  // the visible text just before it when that is a short line (a label-less
  // kit writes "Kartennummer <input id=a2>"; a paragraph is not a label).
  std::string id{}, placeholder{}, autocomplete{}, aria_label{}, label{};  // {}: {name, type, value} stays a complete initializer
};
// Longest FormInput::label kept (a label is a few words).
inline constexpr size_t kMaxInputLabelBytes = 80;

struct Form {
  std::string action;          // absolute URL (the page URL when empty)
  std::string method;          // lowercase, "get" by default
  std::vector<FormInput> inputs;
  bool has_password = false;   // an <input type=password>
  bool has_card = false;       // an input whose name/autocomplete/placeholder says card number/cvv/expiry
};

struct Script {
  std::string src;             // absolute URL, empty for inline
  std::string text;            // inline source (bounded by the page limits)
  std::string type;            // type attribute, lowercase ("" for classic scripts; application/ld+json, text/template, ...)
};

struct Image {
  std::string src;             // absolute URL
  std::string alt;
};

// An attribute value worth scanning for indicators (href, src, action,
// value, data-*, content, ...).
struct AttrValue {
  std::string tag, name, value;
};

// A parsed HTML document. Built once per fetched body by extractors/page.h;
// extractors read it and never re-parse.
struct Page {
  std::string url;             // absolute URL the body came from (after redirects)
  std::string title;
  std::string lang;            // <html lang>, lowercase, as written
  std::map<std::string, std::string> meta;  // name or property -> content (description, generator, og:*, refresh, keywords)
  std::vector<std::string> links;           // absolute URLs from a, area, link (href), in document order, deduplicated
  std::vector<Form> forms;
  std::vector<Script> scripts;
  std::vector<std::string> iframes;         // absolute src of iframe/frame
  std::vector<Image> images;
  std::string favicon;                      // absolute URL ("/favicon.ico" resolved when not declared)
  std::string text;                         // visible text, whitespace folded
  std::vector<AttrValue> attrs;
  std::string meta_refresh;                 // absolute target of <meta http-equiv=refresh>, if any
  std::vector<std::string> js_redirects;    // absolute targets of literal location=... assignments
  bool truncated = false;                   // a parse limit was hit
  std::vector<std::string> truncated_by;    // which: PageLimits field names (max_text_bytes, ...)

  // ---- what a reader does not see, kept for the indicator extractors
  // (extractors/deobfuscate/; bounded by PageLimits) ----
  std::vector<std::string> comments;        // HTML comments, in document order
  std::string hidden_text;                  // text inside <noscript> and <template>, whitespace folded
  std::string base_href;                    // absolute target of <base href>, when the page has one
};

// ---------------------------------------------------------------- extract ---

struct Indicator {
  std::string type;            // email, phone, btc, eth, ... (README "Indicators")
  std::string value;           // canonical form
  std::string raw;             // as first seen
  std::string source;          // text, attribute, script, form, meta, url
  std::vector<std::string> pages;
  int count = 0;
  nlohmann::json extra;        // type-specific facts (e.g. brand, network); null when none
};

struct Reason {
  std::string rule;
  int weight = 0;
  std::string detail;          // what matched and where (the evidence)
};

struct Verdict {
  int score = 0;               // 0..100
  std::string label;           // malicious, suspicious, benign, unreachable
  std::string scam_type;       // X-ARF vocabulary: phishing, investment, shopping, ...
  std::string language;        // ISO 639-1
  std::string brand_impersonated;  // brand name, empty when none
  std::vector<Reason> reasons;
};

// ----------------------------------------------------------------- locate ---

struct AbuseContact {
  std::string email;
  std::string phone;
  std::string url;             // web form, when that is the route
  std::string source;          // rdap-registrar, rdap-ip, abusix, security.txt, config, cdn
  std::string scope;           // what it is responsible for: domain, network, cdn, platform
  bool empty() const { return email.empty() && phone.empty() && url.empty(); }
};

struct IpInfo {
  std::string ip;
  std::string country;         // ISO 3166-1 alpha-2
  std::string country_name;
  std::string city;
  std::optional<double> latitude, longitude;
  uint32_t asn = 0;
  std::string as_org;
  std::string network;         // CIDR the geo/ASN answer came from
  std::string rdap_handle, rdap_name, rdap_range, rdap_country;
  AbuseContact abuse;
};

struct Registrar {
  std::string name;
  std::string iana_id;
  AbuseContact abuse;
};

struct DomainInfo {
  std::string name;            // registrable domain, ASCII
  std::string created, expires, last_changed;  // RFC 3339
  std::optional<long> age_days;
  std::vector<std::string> status;
  std::vector<std::string> nameservers;
};

struct Cdn {
  std::string name;
  AbuseContact abuse;
  std::string matched_by;      // asn:13335, range:104.16.0.0/13, header:cf-ray
};

struct Hosting {
  std::vector<IpInfo> ips;
  std::optional<Cdn> cdn;
  Registrar registrar;
  DomainInfo domain;
  std::string geo_source;      // which geo database answered, "none" when skipped
  nlohmann::json dns;          // per host: {a, aaaa, cname, ns, mx, error}
  std::vector<std::string> errors;
  // Whom to ask, best first, de-duplicated: the CDN when the site sits
  // behind one, then each network's abuse contact, the registrar's, and
  // the site's own security.txt. Each carries its source and scope.
  std::vector<AbuseContact> contacts;
};

// ---------------------------------------------------------------- browser ---

// One request a browser capture made (crawler/browser/capture.h).
struct BrowserRequest {
  std::string url;
  std::string method;
  std::string type;            // Chromium's resource type: Document, Script, Image, XHR, Fetch, ...
  long status = 0;             // 0 when no response was received
  bool blocked = false;        // refused: SSRF guard, scheme, service worker, a capture cap
  std::string reason;          // why it was blocked or failed (error kind or limit); empty when served
};

// What one browser profile saw of a seed: the page as rendered, its
// screenshot and rendered DOM (evidence blobs named by SHA-256), and every
// request the page made, each made by Dragnet's fetcher.
struct BrowserCapture {
  std::string profile;         // desktop, mobile, ... ([browser] profiles)
  std::string user_agent;
  std::string url;             // URL navigated to
  std::string final_url;       // after redirects (HTTP, meta, JavaScript)
  long status = 0;             // of the main document's last response
  std::string title;
  std::string screenshot_sha256;  // full-page PNG; empty when none
  std::string dom_sha256;      // rendered HTML; empty when none
  std::vector<BrowserRequest> requests;  // as they ended; blocked ones at most kMaxBlockedRecords
  int blocked_requests = 0;    // all blocked requests, listed or not
  std::string error;           // empty when the capture completed
  std::vector<std::string> limits_hit;   // page_timeout, max_requests, max_bytes, renderer_memory, ...
  int64_t duration_ms = 0;
};

// Whether the site shows different things to different visitors.
struct Cloaking {
  bool detected = false;
  std::string detail;          // what differed, between which views, and how to reproduce
  std::vector<std::string> profiles;  // the views that saw the scam (static, desktop, mobile, ...)
};

// ------------------------------------------------------------------ result ---

struct PageSummary {
  std::string url;
  long status = 0;
  std::string sha256;          // of the decoded body; empty when none
  uint64_t bytes = 0;          // body bytes as received (before content decoding)
  std::string title;
  std::string error;
};

// An external script the crawl fetched for the extractors (crawler/scripts.h).
struct ScriptSummary {
  std::string url;
  std::string page;            // the first page that referenced it
  long status = 0;
  std::string sha256;          // of the decoded body (its evidence blob)
  uint64_t bytes = 0;          // as received
  std::string error;
};

struct RedirectStep {
  std::string url;
  long status = 0;
  std::string via;
  std::string ip;
};

struct ReportSummary {
  std::string recipient;
  std::string reason;
  std::string status;          // queued, sent, failed, suppressed, review, skipped
};

// The landing page's icon, fetched through the crawler's fetcher
// (crawler/favicon.h) and kept as evidence: for brand look-alikes and for
// clustering sites of one campaign.
struct Favicon {
  std::string url;             // where it was fetched from (after redirects)
  std::string sha256;          // of the icon bytes, lowercase hex (its evidence blob)
  int32_t mmh3 = 0;            // Shodan's favicon hash: MurmurHash3 x86_32 of the base64, signed
  uint64_t bytes = 0;
};

// One scanned seed: the document `dragnet scan --json` prints per line.
struct SeedResult {
  std::string seed;
  std::string final_url;
  std::vector<RedirectStep> redirects;
  std::vector<PageSummary> pages;
  std::vector<Indicator> indicators;
  std::vector<std::string> errors;
  std::vector<std::string> limits_hit;   // names of limits that stopped something
  std::string evidence_manifest;         // path of the manifest file
  std::string started_at, finished_at;   // RFC 3339 UTC, milliseconds
  std::optional<Verdict> verdict;
  std::optional<Hosting> hosting;
  std::optional<Favicon> favicon;        // the landing page's icon, when fetched
  std::string case_id;
  std::vector<ReportSummary> reports;
  // ---- browser stage (crawler/browser/); empty when it is off ----
  std::vector<BrowserCapture> captures;
  std::optional<Cloaking> cloaking;
  std::vector<ScriptSummary> scripts;    // external scripts fetched and scanned
};

}  // namespace dragnet
