#pragma once
// X-ARF v4 (xarf-spec, schemas/v4) reports: one JSON document per reported
// URL, category "content", type "phishing", "fraud" (with fraud_type from
// the verdict's scam type) or "brand_infringement", carrying the recommended
// fields the schema names (evidence_source, confidence, target_brand,
// verified_at, registrar, asn, country_code, ...) and the captured HTML as
// evidence. Every value is shaped to what the schema accepts (URIs
// percent-encoded, domain only when it fits the schema's pattern, dates in
// RFC 3339); the tests validate each generated report against the official
// schema with an independent validator (scripts/validate-xarf).
// Pure functions; thread-safe.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "reporters/options.h"

namespace dragnet::reporters {

inline constexpr const char* kXarfVersion = "4.2.0";

struct XarfEvidence {
  std::string content_type;   // text/html
  std::string description;
  std::string body;           // raw bytes (base64-encoded in the report)
  std::string sha256;
};

struct XarfInput {
  std::string report_id;      // UUID v4
  std::string case_id;
  std::string url;            // the reported URL
  std::string verified_at;    // RFC 3339: when last seen live
  std::vector<XarfEvidence> evidence;
};

// The X-ARF type for a verdict scam type: "phishing", "fraud" or "brand_infringement".
std::string XarfType(const SeedResult& r);
// The schema's fraud_type enum value for a scam type ("other" when unknown).
std::string FraudType(const std::string& scam_type);
// The scam type in words for people (reports, reasons): "fake shop",
// "tech-support scam", "phishing"; "fraud" when unknown.
std::string ScamTypeWords(const std::string& scam_type);
// Percent-encodes what a URI may not contain (controls, space, non-ASCII,
// quotes, brackets...) and uses the normalised (punycode) form when it parses.
std::string SafeUri(const std::string& url);

nlohmann::json BuildXarf(const SeedResult& r, const XarfInput& in, const ReporterOptions& o);

}  // namespace dragnet::reporters
