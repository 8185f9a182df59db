#pragma once
// Evidence: what the crawler saw, kept so that it can be shown later and so
// that any later edit, cut or deletion is detectable (docs/EVIDENCE.md).
//
// Layout under the evidence folder:
//   objects/ab/abcdef...   content-addressed blobs (SHA-256 of the bytes):
//                          raw bodies as received, decoded bodies, and the
//                          rare header blocks that are not printable ASCII
//                          (the others are inline in their entry)
//   manifests/<manifest-id>.json
//                          one per scanned seed: every capture in fetch order,
//                          hash-chained (each entry carries the hash of the
//                          previous one), plus `entry_count` and `head`, and
//                          a `seal`: an Ed25519 signature over the whole
//                          manifest (crawler/evidence_key.h)
//   log/                   the evidence log, a Merkle tree over every
//                          manifest with signed checkpoints
//                          (crawler/evidence_log.h)
//   pubkeys/evidence-<key-id>.pub
//                          copies of the public keys that signed here
// The private key lives in the key folder ([evidence] key_dir, default
// <state_dir>/keys), never in the evidence folder.
//
// Entry hash = SHA-256 of the canonical JSON of the entry (keys sorted, no
// whitespace) without its own `hash` field; the first entry's `prev` is the
// SHA-256 of "dragnet-evidence-v1\n" + seed. Editing, removing or reordering
// any entry, or any blob it names, breaks the chain. The seal covers the
// header fields (seed, started_at, written_at, tool, annex, entry_count,
// head, ...); the log covers the manifest's bytes, so cutting the tail and
// rewriting head and entry_count, or deleting the file, is caught too.
//
// Threads: an EvidenceStore may be shared by threads (blob writes are atomic
// renames of distinct names); one ManifestWriter per seed, used by one
// thread at a time. Write() signs and appends to the log under a file
// lock, so any number of threads and processes may write manifests into
// one folder at once.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/status.h"
#include "crawler/evidence_key.h"
#include "crawler/evidence_log.h"

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

struct EvidenceStoreOptions {
  // Signing keys and witnesses. Empty: <dir>/keys (a store without an
  // installation: tests and tools); the application passes [evidence]
  // key_dir, <state_dir>/keys by default.
  std::string key_dir;
  // fdatasync each log line (off only in benchmarks).
  bool sync_log = true;
};

class EvidenceStore {
 public:
  explicit EvidenceStore(std::string dir, EvidenceStoreOptions options = {});
  const std::string& dir() const { return dir_; }
  const std::string& key_dir() const { return options_.key_dir; }
  Keyring keyring() const { return Keyring(options_.key_dir); }
  EvidenceLog log() const;
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
  EvidenceStoreOptions options_;
};

class ManifestWriter {
 public:
  ManifestWriter(EvidenceStore* store, std::string seed, std::string tool_version);
  void Add(Capture c);
  // Extra facts recorded beside the chain (e.g. DNS answers); not chained,
  // but sealed. Use strings, integers and booleans: a float's text differs
  // between JSON libraries, and verifiers re-serialise to check the seal.
  void SetAnnex(const std::string& key, nlohmann::json value);
  // Seals the manifest (Ed25519 over its canonical content), writes
  // manifests/<id>.json atomically and durably, and appends it to the
  // evidence log (a signed checkpoint). Returns its path and fills head.
  // Self-contained: safe from any thread or process at any time.
  Result<std::string> Write();
  const std::string& head() const { return head_; }
  size_t size() const { return entries_.size(); }
  // After Write(): the manifest's leaf index and the checkpoint written.
  const LogAppend& logged() const { return logged_; }

 private:
  EvidenceStore* store_;
  std::string seed_;
  std::string tool_version_;
  std::string started_at_;
  std::vector<nlohmann::json> entries_;
  nlohmann::json annex_ = nlohmann::json::object();
  std::string head_;
  LogAppend logged_;
};

struct VerifyOptions {
  // The installation's key folder: its public keys are the trusted ones and
  // its witness of this folder's log is checked. Empty, or a folder with
  // no keys: the keys found in the evidence folder (pubkeys/) are trusted,
  // and the report says so.
  std::string key_dir;
  // Fingerprints (64 hex) or key IDs (16 hex): when given, only these keys
  // are trusted (a recipient pins the fingerprint printed in the report).
  std::vector<std::string> pinned_keys;
  // PEM CA certificate(s) of the TSA, to verify timestamps' signatures.
  // Empty: a timestamp's imprint is checked and its signature is not.
  std::string tsa_ca_file;
};

struct VerifyReport {
  int manifests = 0;
  int entries = 0;
  int blobs = 0;
  int sealed = 0;                      // manifests with a valid seal
  int unsealed = 0;                    // written before sealing: chain checked only
  uint64_t log_size = 0;               // leaves in the evidence log
  int checkpoints = 0;                 // signed tree heads checked
  int timestamps = 0;                  // RFC 3161 timestamps checked
  std::vector<std::string> trusted_keys;  // fingerprints
  std::string trust;                   // where the trusted keys came from
  std::vector<std::string> problems;   // first problem per manifest, log problems; human-readable
  std::vector<std::string> notes;      // facts worth saying that are not failures
  bool ok() const { return problems.empty(); }
};

// Verifies a manifest file, or every manifest under an evidence folder and
// the folder's log, or an exported bundle (crawler/evidence_bundle.h).
// Returns an error Status only when nothing could be read at all.
Result<VerifyReport> VerifyEvidence(const std::string& path, const VerifyOptions& options = {});

// SHA-256 hex of a file, read in kHashChunkBytes chunks (bounded memory
// whatever the file's size); kNotFound when missing. `size` gets its length.
inline constexpr size_t kHashChunkBytes = 1u << 20;
Result<std::string> Sha256FileHex(const std::string& path, uint64_t* size = nullptr);

// The bytes a manifest's seal signs: its canonical JSON without "seal".
std::string ManifestSignedBytes(const nlohmann::json& manifest);

// The first entry's `prev`: SHA-256 hex of "dragnet-evidence-v1\n" + seed.
std::string GenesisHash(const std::string& seed);

// SHA-256 hex of the canonical form of `entry` minus its "hash" key.
std::string EntryHash(const nlohmann::json& entry);

// True when a header block can be kept inline in a manifest entry: printable
// ASCII, tab, CR and LF only, so the JSON string round-trips byte for byte.
bool InlineableHeaders(std::string_view block);

nlohmann::json CaptureToJson(const Capture& c);

}  // namespace dragnet::crawler
