#pragma once
// The reporter's memory: cases (CaseStore) and the report ledger (Ledger).
//
// A case is one scanned site (keyed by the landing host, so a re-scan of
// the same site finds the same case and the same stable case ID) and its
// history: every scan and monitor re-check is an Observation appended to
// it, and status changes, replies and bounces are TimelineEvents; the case
// row holds the standing verdict and the lifecycle (monitor/). The ledger
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
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/status.h"

namespace dragnet::reporters {

// ------------------------------------------------------------------ cases ---

// Case status (README "Case lifecycle"):
//   new         no credible verdict yet (every scan so far was unreachable or failed)
//   review      score in [review_threshold, auto_report_threshold): waiting for an analyst
//   reported    reports filed (automatically or after approval); the monitor re-checks it
//   escalated   still up after [escalation] after: a follow-up or the next level was asked
//   down        the site is down (confirmed by [monitor] confirm_down checks in a row)
//   unresolved  still up [monitor] give_up_after after the first report: no longer watched
//   benign      score below review_threshold: nothing to report
//   rejected    an analyst said no (sticks across re-scans)
// The standing verdict only ever rises (reporters/case_history.h): a later
// benign or unreachable observation is kept in the history, never applied.
inline constexpr const char* kCaseNew = "new";
inline constexpr const char* kCaseReview = "review";
inline constexpr const char* kCaseReported = "reported";
inline constexpr const char* kCaseEscalated = "escalated";
inline constexpr const char* kCaseDown = "down";
inline constexpr const char* kCaseUnresolved = "unresolved";
inline constexpr const char* kCaseBenign = "benign";
inline constexpr const char* kCaseRejected = "rejected";

// Every status above, in lifecycle order (for CLI validation and gauges).
const std::vector<std::string>& CaseStatuses();

struct CaseRecord {
  std::string case_id;          // "DN-" + 12 hex of SHA-256(key); stable
  std::string key;              // landing host (ASCII), the identity of a case
  std::string seed, final_url;
  int score = 0;                // of the standing verdict (the strongest credible observation)
  std::string label, scam_type, brand;
  std::string status;           // kCase*
  std::string decided_by;       // "policy", "analyst" or "monitor"
  std::string reason;           // why the status (policy text, the analyst's reason, the signal)
  int64_t created_ms = 0, updated_ms = 0;
  int scans = 0;                // how many times the site was scanned
  nlohmann::json result;        // the SeedResult behind the standing verdict, as JSON

  // ---- lifecycle (monitor/) ----
  int64_t reported_ms = 0;      // first time reports were filed; 0: never reported
  int64_t taken_down_ms = 0;    // first down check of the confirming streak; 0: not down
  std::string takedown_signal;  // signal of the confirming check (monitor/signals.h)
  std::string takedown_actor;   // registrar, registry, host, cdn (who acted)
  int64_t next_check_ms = 0;    // monitor: next re-check due; 0: not watched
  int checks = 0;               // monitor re-checks so far
  int down_streak = 0;          // consecutive down checks
  int up_streak = 0;            // consecutive up checks (the interval backs off on these)
  int64_t down_since_ms = 0;    // first down check of the current streak
  int reopened = 0;             // times the site came back after down
  std::vector<std::string> last_ips;  // addresses the site was last served from
};

// One observation of a case: a scan (`dragnet scan`, the daemon) or a
// monitor re-check. Appended, never changed: the case's history.
struct Observation {
  int64_t id = 0;
  std::string case_id;
  int64_t at_ms = 0;
  std::string source;           // scan, monitor
  std::string url;              // what was looked at
  int score = 0;
  std::string label, scam_type, brand;
  bool credible = false;        // the site answered and was scored (reporters/case_history.h)
  std::string outcome;          // monitor: up, down, unknown; scans: "" 
  std::string evidence_manifest;
  nlohmann::json signals = nlohmann::json::array();  // monitor: [{signal, actor, down, evidence}]
  std::string summary;          // one line for the timeline
  nlohmann::json result;        // scans: the SeedResult; monitor: the probe's facts
};

// Something that happened to a case, for its timeline: a status change, a
// reply, a bounce, a note. Reports come from the ledger, observations from
// their own table.
struct TimelineEvent {
  int64_t id = 0;
  std::string case_id;
  int64_t at_ms = 0;
  std::string type;             // status, reply, bounce, escalation, note
  std::string summary;          // one line
  nlohmann::json data = nlohmann::json::object();
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
  // Inserts or updates by case_id, every field as given (the caller counts scans).
  virtual Status Upsert(const CaseRecord& c) = 0;
  virtual Result<CaseRecord> Get(const std::string& case_id) = 0;  // kNotFound when unknown
  virtual Result<std::vector<CaseRecord>> List(const CaseQuery& q) = 0;

  // ---- history (reporters/case_history.h, monitor/) ----
  // Appends; fills o.id.
  virtual Status AddObservation(Observation& o) = 0;
  // Oldest first; at most `limit` (the newest ones when there are more).
  virtual Result<std::vector<Observation>> Observations(const std::string& case_id, int limit) = 0;
  virtual Status AddEvent(TimelineEvent& e) = 0;
  virtual Result<std::vector<TimelineEvent>> Events(const std::string& case_id) = 0;
  // Cases whose next_check_ms is in (0, now_ms], soonest first.
  virtual Result<std::vector<CaseRecord>> Due(int64_t now_ms, int limit) = 0;
  // Moves next_check_ms from `expected` to `until` only if it is still
  // `expected`: one process claims a re-check (false: another did).
  virtual Result<bool> ClaimCheck(const std::string& case_id, int64_t expected, int64_t until) = 0;
  // Writes only the status (status, decided_by, reason, updated_ms) and the
  // lifecycle fields of `c`, so a re-check that took seconds never reverts
  // a scan's standing verdict written meanwhile. kNotFound when unknown.
  virtual Status UpdateLifecycle(const CaseRecord& c) = 0;
  // Cases per status (the monitor's gauge).
  virtual Result<std::map<std::string, int64_t>> CountByStatus() = 0;
};

// ----------------------------------------------------------------- ledger ---

// Item status: pending (waiting for its batch to close), queued (in an
// outbox message, not yet accepted), sent, failed (gave up after
// max_attempts), suppressed (same URL to same recipient within
// rereport_after, or a contacts.toml suppression), skipped (no automatic
// route: web form, no contact), down (site already down at the freshness
// gate), review (waiting for an analyst; never sent before approval),
// withdrawn (the case was rejected before the item was sent).
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
  // What kind of report (kStage*): the first report, a follow-up to the
  // same recipient, the next level of escalation, or a report of a site
  // that came back after it was down.
  std::string stage = "report";
  std::string escalation_of;    // follow-ups: the outbox message it follows ("" for first reports)
};

inline constexpr const char* kStageReport = "report";
inline constexpr const char* kStageFollowUp = "follow_up";
inline constexpr const char* kStageEscalation = "escalation";
inline constexpr const char* kStageReopen = "reopen";

struct OutboxMessage {
  std::string id;               // UUID; also the Message-ID local part and the outbox file stem
  std::string recipient;        // recipient key
  std::string route;            // email, webhook
  std::string status;           // queued, sent, failed, down, withdrawn
  int attempts = 0;
  int64_t next_attempt_ms = 0;  // due time (backoff, rate limit)
  std::string last_error;
  std::string outbox_file;      // .eml or .webhook.json
  int64_t created_ms = 0;
  int64_t sent_ms = 0;
  std::string escalation_of;    // follow-ups: the message this one follows
  std::string ticket;           // the recipient's ticket number, from its auto-acknowledgement
};

// An address a delivery status notification said does not take mail.
struct BadAddress {
  std::string address;          // lowercase
  int64_t marked_ms = 0;
  std::string reason;           // the DSN's status and diagnostic
  std::string message_id;       // the outbox message that bounced
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

  // ---- lifecycle: follow-ups, tickets, bounces ----
  // Items of `case_id` to `recipient` at `stage` that are not failed,
  // suppressed or skipped (the never-twice rule of follow-ups).
  virtual Result<int> CountStage(const std::string& case_id, const std::string& recipient,
                                 const std::string& stage, int64_t since_ms) = 0;
  virtual Status SetTicket(const std::string& message_id, const std::string& ticket) = 0;
  virtual Status MarkBad(const BadAddress& b) = 0;
  virtual Result<std::optional<BadAddress>> GetBad(const std::string& address) = 0;
  virtual Result<std::vector<BadAddress>> BadAddresses() = 0;
  // The inbox's memory of what it has read (monitor/inbox.h): true when
  // `key` (a Maildir file's unique name) was recorded before.
  virtual Result<bool> Seen(const std::string& key) = 0;
  virtual Status MarkSeen(const std::string& key, int64_t at_ms, const std::string& case_id,
                          const std::string& kind) = 0;
};

// "DN-" + first 12 hex digits (uppercase) of SHA-256 of the case key.
std::string MakeCaseId(const std::string& key);
// The key of the case a scan belongs to: the landing host (final URL, else
// the seed), lowercase ASCII; the raw seed when nothing parses.
std::string CaseKeyOf(const SeedResult& r);

}  // namespace dragnet::reporters
