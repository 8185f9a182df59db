#pragma once
// Evidence: what the crawler saw, kept so that it can be shown later and so
// that any later edit is detectable.
//
// Layout under the evidence folder:
//   objects/ab/abcdef...   content-addressed blobs (SHA-256 of the bytes):
//                          raw bodies as received, decoded bodies, and the
//                          rare header blocks that are not printable ASCII
//                          (the others are inline in their entry)
//   manifests/<manifest-id>.json
//                          one per scanned seed: every capture in fetch order,
//                          hash-chained (each entry carries the hash of the
//                          previous one), plus `entry_count` and `head`.
//
// Entry hash = SHA-256 of the canonical JSON of the entry (keys sorted, no
// whitespace) without its own `hash` field; the first entry's `prev` is the
// SHA-256 of "dragnet-evidence-v1\n" + seed. Editing, removing or reordering
// any entry, or any blob it names, breaks the chain; `dragnet evidence
// verify` reports the first broken entry. Dropping entries from the end is
// caught through `entry_count` and `head`, which `dragnet scan` also prints
// (`evidence_head`) so it can be anchored elsewhere (a ticket, an email).
//
// Threads: an EvidenceStore may be shared by threads (blob writes are atomic
// renames of distinct names); one ManifestWriter per seed, used by one
// thread at a time.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/status.h"

namespace dragnet::crawler {

struct Capture {
  std::string url;              // requested URL of this hop
  std::string final_url;        // URL whose body this is (last hop of the fetch)
  std::string via;              // seed, http, meta, js, link, iframe
  std::string time;             // RFC 3339 UTC with milliseconds
  long status = 0;
  std::string remote_ip;
  int remote_port = 0;
  std::string http_version;
  TlsInfo tls;
  // The header block ("HTTP/1.1 200\r\nName: value\r\n"...) and its SHA-256.
  // A block of printable ASCII (nearly all) is kept inline in the entry, so
  // the entry hash covers it and no blob file is written per response;
  // anything else (raw 8-bit bytes, which JSON strings cannot carry) goes to
  // a blob and `headers` stays empty.
  std::string headers;
  std::string headers_sha256;
  std::string raw_sha256;       // blob of the body as received (may be encoded)
  std::string body_sha256;      // blob of the decoded body
  uint64_t raw_size = 0, body_size = 0;
  std::string content_type;
  std::string error;
  std::vector<std::string> limits_hit;
};

class EvidenceStore {
 public:
  explicit EvidenceStore(std::string dir);
  const std::string& dir() const { return dir_; }
  // Creates objects/ and manifests/.
  Status Init();
  // Stores `bytes` under its SHA-256 (idempotent); returns the hex digest.
  // Atomic but not yet durable: Sync() makes every blob written so far
  // durable at once, and ManifestWriter::Write() calls it before writing
  // the manifest, so a manifest on disk implies the blobs it names are.
  Result<std::string> PutBlob(std::string_view bytes);
  Status Sync();
  std::string BlobPath(const std::string& sha256) const;
  Result<std::string> GetBlob(const std::string& sha256) const;

 private:
  std::string dir_;
};

class ManifestWriter {
 public:
  ManifestWriter(EvidenceStore* store, std::string seed, std::string tool_version);
  void Add(Capture c);
  // Extra facts recorded beside the chain (e.g. DNS answers); not chained.
  void SetAnnex(const std::string& key, nlohmann::json value);
  // Writes manifests/<id>.json atomically; returns its path and fills head.
  Result<std::string> Write();
  const std::string& head() const { return head_; }
  size_t size() const { return entries_.size(); }

 private:
  EvidenceStore* store_;
  std::string seed_;
  std::string tool_version_;
  std::string started_at_;
  std::vector<nlohmann::json> entries_;
  nlohmann::json annex_ = nlohmann::json::object();
  std::string head_;
};

struct VerifyReport {
  int manifests = 0;
  int entries = 0;
  int blobs = 0;
  std::vector<std::string> problems;   // first problem per manifest, human-readable
  bool ok() const { return problems.empty(); }
};

// Verifies a manifest file, or every manifest under an evidence folder.
// Returns an error Status only when nothing could be read at all.
Result<VerifyReport> VerifyEvidence(const std::string& path);

// SHA-256 hex of the canonical form of `entry` minus its "hash" key.
std::string EntryHash(const nlohmann::json& entry);

// True when a header block can be kept inline in a manifest entry: printable
// ASCII, tab, CR and LF only, so the JSON string round-trips byte for byte.
bool InlineableHeaders(std::string_view block);

nlohmann::json CaptureToJson(const Capture& c);

}  // namespace dragnet::crawler
