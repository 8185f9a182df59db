#pragma once
// Evidence bundles: what a recipient (a registrar, a court, another CERT)
// needs to check a case's evidence without Dragnet and without trusting the
// sender's disk. `dragnet evidence export` writes one; `dragnet evidence
// verify BUNDLE` or scripts/verify-evidence-bundle (python3 + openssl, also
// copied into the bundle) checks it.
//
// Layout:
//   bundle.json          {"format":"dragnet-evidence-bundle/1", "created_at",
//                         "tool", "tree_head":{signed tree head},
//                         "manifests":[{"manifest", "sha256", "leaf_index",
//                           "inclusion_proof":[hex...],
//                           "logged_head":{the checkpoint written when it
//                             was logged}, "consistency_proof":[hex...]}],
//                         "keys":[fingerprints], "timestamp":{"file"}?}
//   manifests/NAME.json  the manifests, byte for byte
//   objects/ab/SHA       every blob they name
//   pubkeys/evidence-ID.pub, .pem   the public keys that signed them
//   log/tsr/SIZE.tsr     the RFC 3161 timestamp of tree_head, when one
//                        exists; log/tsa-ca.pem the TSA's CA, when configured
//   README.txt           how to verify, with and without Dragnet
//   verify-evidence-bundle   the stand-alone verifier (python3 + openssl)
//
// The tree head is the latest checkpoint, or, when the log has an RFC 3161
// timestamp of a checkpoint that already covers every exported manifest,
// the latest such timestamped one. Read-only on the evidence folder;
// any thread.

#include <string>
#include <vector>

#include "core/status.h"
#include "crawler/evidence_log.h"

namespace dragnet::crawler {

inline constexpr const char* kBundleFormat = "dragnet-evidence-bundle/1";
// bundle.json holds one proof (log2 n hashes) per manifest: small.
inline constexpr uint64_t kMaxBundleIndexBytes = 64ull << 20;

struct ExportOptions {
  std::string key_dir;       // where the public keys come from; empty: <evidence dir>/pubkeys
  std::string tsa_ca_file;   // copied in as log/tsa-ca.pem when set
  std::string tool;          // "dragnet/<version>"
};

struct ExportResult {
  std::string dir;
  int manifests = 0;
  int blobs = 0;
  TreeHead head;
  bool timestamped = false;
  std::vector<std::string> fingerprints;
};

// Exports the manifests (paths of manifests/NAME.json files, all in one
// evidence folder) into `out_dir` (created; must not exist or be empty).
// Refuses a manifest that does not match its leaf in the log: a bundle
// never carries evidence that fails its own verification.
Result<ExportResult> ExportBundle(const std::vector<std::string>& manifest_paths, const std::string& out_dir,
                                  const ExportOptions& options);

// The stand-alone verifier's source (scripts/verify-evidence-bundle).
const std::string& BundleVerifyScript();

}  // namespace dragnet::crawler
