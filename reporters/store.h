#pragma once
// The reporter's memory: cases (CaseStore) and the report ledger (Ledger).
//
// A case is one scanned site (keyed by the landing host, so a re-scan of
// the same site finds the same case and the same stable case ID). The ledger
// holds one ReportItem per (URL, recipient) decision — queued, suppressed,
// sent, ... — and one OutboxMessage per message that carries items to a
// recipient (several items of one campaign batch into one message). The
// ledger is what makes "never twice, never lost" hold across restarts:
// everything is recorded before anything leaves the machine.
//
// Both are interfaces: SqliteState (reporters/sqlite_state.h) is the
// single-machine implementation; a Redis implementation for the distributed
// daemon implements the same two interfaces. Implementations are safe to
// call from one thread at a time per instance; several processes may share
// one store (SQLite WAL + busy timeout, Redis).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/status.h"

namespace dragnet::reporters {

// ------------------------------------------------------------------ cases ---

// Case status. no_report: below review_threshold; review: waiting for an
// analyst; reported: reports filed (automatically or after approval);
// rejected: an analyst said no (sticks across re-scans).
inline constexpr const char* kCaseNoReport = "no_report";
inline constexpr const char* kCaseReview = "review";
inline constexpr const char* kCaseReported = "reported";
inline constexpr const char* kCaseRejected = "rejected";

struct CaseRecord {
  std::string case_id;          // "DN-" + 12 hex of SHA-256(key); stable
  std::string key;              // landing host (ASCII), the identity of a case
  std::string seed, final_url;
  int score = 0;
  std::string label, scam_type, brand;
  std::string status;           // kCase*
  std::string decided_by;       // "policy", or "analyst"
  std::string reason;           // why the status (policy text, or the analyst's reason)
  int64_t created_ms = 0, updated_ms = 0;
  int scans = 0;                // how many times the site was scanned
  nlohmann::json result;        // the last SeedResult, as JSON
};

struct CaseQuery {
  int64_t since_ms = 0;         // updated at or after
  std::string label;            // empty: any
  std::string status;           // empty: any
  int limit = 1000;             // newest first
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;
  // Inserts or updates by case_id; keeps created_ms and counts scans.
  virtual Status Upsert(const CaseRecord& c) = 0;
  virtual Result<CaseRecord> Get(const std::string& case_id) = 0;  // kNotFound when unknown
  virtual Result<std::vector<CaseRecord>> List(const CaseQuery& q) = 0;
};

// ----------------------------------------------------------------- ledger ---

// Item status: pending (waiting for its batch to close), queued (in an
// outbox message, not yet accepted), sent, failed (gave up after
// max_attempts), suppressed (same URL to same recipient within
// rereport_after, or a contacts.toml suppression), skipped (no automatic
// route: web form, no contact), down (site already down at the freshness
// gate), review (waiting for an analyst; never sent before approval).
struct ReportItem {
  int64_t id = 0;
  std::string report_id;        // X-ARF report_id (UUID v4), stable for the item's life
  std::string case_id;
  std::string url;
  std::string recipient;        // recipient key: mailto:addr, webhook:name, form:url, none:<kind>
  std::string recipient_name;   // "Example Registrar, Inc. (registrar)"
  std::string kind;             // registrar, hosting, cdn, platform, registry, cert, provider, shortener
  std::string language;
  std::string reason;           // why this recipient, in one sentence
  std::string batch_key;        // recipient + campaign
  std::string status;
  std::string message_id;       // outbox message carrying it, once composed
  std::string verified_at;      // RFC 3339, last time seen live
  int64_t created_ms = 0;
  int64_t sent_ms = 0;
};

struct OutboxMessage {
  std::string id;               // UUID; also the Message-ID local part and the outbox file stem
  std::string recipient;        // recipient key
  std::string route;            // email, webhook
  std::string status;           // queued, sent, failed, down
  int attempts = 0;
  int64_t next_attempt_ms = 0;  // due time (backoff, rate limit)
  std::string last_error;
  std::string outbox_file;      // .eml or .webhook.json
  int64_t created_ms = 0;
  int64_t sent_ms = 0;
};

struct ItemQuery {
  std::string status;           // empty: any
  std::string case_id;          // empty: any
  int limit = 10000;
};

class Ledger {
 public:
  virtual ~Ledger() = default;
  // Stores a new item; fills item.id.
  virtual Status AddItem(ReportItem& item) = 0;
  // When `url` was last sent to `recipient` (ms), if ever.
  virtual Result<std::optional<int64_t>> LastReported(const std::string& url,
                                                      const std::string& recipient) = 0;
  // True while a report of `url` to `recipient` waits in the outbox (pending or queued).
  virtual Result<bool> Outstanding(const std::string& url, const std::string& recipient) = 0;
  // Sent items of `url` (any recipient) older than `before_ms`: escalation.
  virtual Result<bool> SentBefore(const std::string& url, int64_t before_ms) = 0;
  // Pending items, oldest first.
  virtual Result<std::vector<ReportItem>> Pending() = 0;
  // Atomically: records the message and moves `item_ids` to queued in it.
  virtual Status CreateMessage(const OutboxMessage& m, const std::vector<int64_t>& item_ids) = 0;
  virtual Result<std::vector<OutboxMessage>> Messages(const std::string& status) = 0;
  virtual Result<OutboxMessage> GetMessage(const std::string& id) = 0;
  virtual Result<std::vector<ReportItem>> MessageItems(const std::string& message_id) = 0;
  virtual Status UpdateMessage(const OutboxMessage& m) = 0;
  // Sets status (and verified_at / sent_ms when non-empty/non-zero) of one item.
  virtual Status UpdateItem(int64_t id, const std::string& status, const std::string& verified_at,
                            int64_t sent_ms) = 0;
  // Messages to `recipient` sent at or after `since_ms`, and the oldest such send.
  virtual Result<std::pair<int, int64_t>> SentSince(const std::string& recipient,
                                                    int64_t since_ms) = 0;
  virtual Result<std::vector<ReportItem>> Items(const ItemQuery& q) = 0;
};

// "DN-" + first 12 hex digits (uppercase) of SHA-256 of the case key.
std::string MakeCaseId(const std::string& key);
// The key of the case a scan belongs to: the landing host (final URL, else
// the seed), lowercase ASCII; the raw seed when nothing parses.
std::string CaseKeyOf(const SeedResult& r);

}  // namespace dragnet::reporters
