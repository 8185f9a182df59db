#pragma once
// The application's side of sealed evidence (crawler/evidence*.h):
// AttachEvidenceKey reads the installation's current key ([evidence]
// key_dir; created on first use) and copies its public half and fingerprint
// into the reporter's options, so every email and X-ARF report names the key
// that seals its evidence (call once at startup, before the ReportService is
// made). TimestampEvidence asks the configured TSA to stamp the evidence
// log's latest checkpoint (after a scan run; a no-op without tsa_url).
// Main thread.

#include "app/config.h"
#include "core/status.h"

namespace dragnet::app {

Status AttachEvidenceKey(Config& c);
Status TimestampEvidence(const Config& c);

}  // namespace dragnet::app
