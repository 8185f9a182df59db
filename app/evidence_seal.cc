#include "app/evidence_seal.h"

#include "crawler/evidence_key.h"
#include "crawler/evidence_tsa.h"

namespace dragnet::app {

Status AttachEvidenceKey(Config& c) {
  auto key = crawler::Keyring(c.evidence.key_dir).Current();
  if (!key.ok()) return Status(key.status().code(), "evidence key: " + key.status().message());
  c.reporter.evidence_key_fingerprint = key->pub.fingerprint;
  c.reporter.evidence_public_key = key->pub.Base64();
  return Status::Ok();
}

Status TimestampEvidence(const Config& c) {
  if (c.evidence.tsa_url.empty()) return Status::Ok();
  auto r = crawler::TimestampLatest(c.crawl.evidence_dir, c.evidence.tsa(), c.crawl);
  if (!r.ok() && r.status().code() != Code::kNotFound) return r.status();
  return Status::Ok();
}

}  // namespace dragnet::app
