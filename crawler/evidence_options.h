#pragma once
// EvidenceOptions: the [evidence] section — where the signing key lives and
// the optional RFC 3161 time-stamping authority. (The evidence folder itself
// stays [crawl] evidence_dir.) Owner of the keys: crawler/evidence*. Plain
// value type; parse once at startup, then share read-only.

#include <cstdint>
#include <string>

#include "core/status.h"
#include "crawler/evidence_tsa.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::crawler {

struct EvidenceOptions {
  // Private signing keys (0600), public keys, witnesses of each evidence
  // log. Default <state_dir>/keys: beside the state, apart from the
  // evidence folder, so exporting or moving evidence never moves a key.
  std::string key_dir;
  // RFC 3161 TSA endpoint (http or https), asked through the fetcher.
  // Empty: no timestamps.
  std::string tsa_url;
  int64_t tsa_timeout_ms = 30'000;   // one timestamp request, whole
  std::string tsa_ca_file;           // PEM: the TSA's CA, to verify its answers
  TsaOptions tsa() const { return {tsa_url, tsa_timeout_ms, tsa_ca_file}; }
};

Status ParseEvidenceOptions(const toml::table* root, EvidenceOptions& out);

}  // namespace dragnet::crawler
