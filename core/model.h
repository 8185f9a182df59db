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
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  double dns_ms = 0, connect_ms = 0, tls_ms = 0, ttfb_ms = 0, total_ms = 0;
  TlsInfo tls;
  std::string error;           // empty on success; else "kind: detail"
  std::string error_kind;      // refused, timeout, too_large, low_speed, dns, connect, tls, protocol, redirect_loop, too_many_redirects, scheme
};

// ----------------------------------------------------------------- parse ---

struct FormInput {
  std::string name, type, value;
};

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
  std::string case_id;
  std::vector<ReportSummary> reports;
  std::vector<ScriptSummary> scripts;    // external scripts fetched and scanned
};

}  // namespace dragnet
