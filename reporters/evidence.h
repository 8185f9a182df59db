#pragma once
// EvidenceReader: what a report attaches as evidence, read from the
// crawler's evidence store (crawler/evidence.h): the manifest JSON that
// SeedResult.evidence_manifest points at, and the captured bodies it names
// (content-addressed blobs under <evidence dir>/objects/ab/<sha256>).
// Each body is re-hashed on read; a blob whose bytes no longer match its
// name is left out and named in `problems` — a report never ships evidence
// that fails its own integrity check. Read-only; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace dragnet::reporters {

// A manifest is one seed's capture list; bigger means something is wrong.
inline constexpr uint64_t kMaxManifestReadBytes = 8ull << 20;
// X-ARF evidence items are at most 5 MiB each (schema `size` maximum).
inline constexpr uint64_t kMaxEvidenceBodyBytes = 5ull << 20;
// Captures attached per reported URL (X-ARF allows 50 evidence items; an
// abuse desk needs the landing pages, not every asset).
inline constexpr size_t kMaxEvidenceCaptures = 5;

struct EvidenceCapture {
  std::string url;            // URL whose body this is
  std::string time;           // RFC 3339, when it was captured
  std::string sha256;         // of the decoded body
  std::string path;           // blob path
  std::string content_type;
  uint64_t size = 0;
};

struct EvidenceSet {
  std::string manifest_path;
  std::string manifest_text;  // the manifest as stored (attached verbatim)
  std::string head;           // hash-chain head, when the manifest has one
  std::vector<EvidenceCapture> captures;  // HTML/text bodies, fetch order, at most kMaxEvidenceCaptures
  std::vector<std::string> problems;
};

// Reads the manifest at `path`. Errors: unreadable or malformed manifest.
Result<EvidenceSet> LoadEvidence(const std::string& manifest_path);
// Reads one capture's body and checks its SHA-256 (kCorrupt on mismatch).
Result<std::string> ReadCaptureBody(const EvidenceCapture& c);

// ---- browser stage (#14) ----
// The landing page's screenshot for a report: of the first profile that
// saw the scam (cloaking.profiles when cloaking was detected), else of the
// first capture that has one. `found` is false when there is none.
struct ScreenshotRef {
  bool found = false;
  std::string profile, user_agent, url, sha256;
  EvidenceCapture blob;       // read with ReadCaptureBody (hash-checked)
};
ScreenshotRef LandingScreenshot(const SeedResult& r);

}  // namespace dragnet::reporters
