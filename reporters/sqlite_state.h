#pragma once
// SqliteState: the single-machine CaseStore and Ledger, one SQLite file
// (<state_dir>/reporter.db) in WAL mode with synchronous=FULL, so a row the
// reporter wrote survives a crash or power loss before anything is sent.
// Several processes (a scan, `dragnet reports flush`, the daemon) may open the
// same file; SQLite's locking serialises them (busy timeout kBusyTimeoutMs).
// One instance belongs to one thread at a time.
//
// Schema versions (PRAGMA user_version): 0 is the reporter before case
// history (cases, items, messages); 1 adds observations, timeline events,
// bad addresses, the inbox's seen list and the lifecycle columns, maps the
// old status no_report to benign (or new, when nothing was ever scored) and
// keeps each old case's last scan as its first observation. A file of a
// newer version than this build is refused (kCorrupt), never rewritten.

#include <sqlite3.h>

#include <memory>
#include <string>

#include "reporters/store.h"

namespace dragnet::reporters {

class SqliteState final : public CaseStore, public Ledger {
 public:
  // How long a writer waits for another process's lock before failing with
  // kUnavailable: long enough for a batch flush by another process.
  static constexpr int kBusyTimeoutMs = 10'000;

  // Opens (creating when missing) `path` and its schema.
  static Result<std::unique_ptr<SqliteState>> Open(const std::string& path);
  ~SqliteState() override;
  SqliteState(const SqliteState&) = delete;
  SqliteState& operator=(const SqliteState&) = delete;

  // CaseStore
  Status Upsert(const CaseRecord& c) override;
  Result<CaseRecord> Get(const std::string& case_id) override;
  Result<std::vector<CaseRecord>> List(const CaseQuery& q) override;

  // Ledger
  Status AddItem(ReportItem& item) override;
  Result<std::optional<int64_t>> LastReported(const std::string& url,
                                              const std::string& recipient) override;
  Result<bool> Outstanding(const std::string& url, const std::string& recipient) override;
  Result<bool> SentBefore(const std::string& url, int64_t before_ms) override;
  Result<std::vector<ReportItem>> Pending() override;
  Status CreateMessage(const OutboxMessage& m, const std::vector<int64_t>& item_ids) override;
  Result<std::vector<OutboxMessage>> Messages(const std::string& status) override;
  Result<OutboxMessage> GetMessage(const std::string& id) override;
  Result<std::vector<ReportItem>> MessageItems(const std::string& message_id) override;
  Status UpdateMessage(const OutboxMessage& m) override;
  Status UpdateItem(int64_t id, const std::string& status, const std::string& verified_at,
                    int64_t sent_ms) override;
  Result<std::pair<int, int64_t>> SentSince(const std::string& recipient, int64_t since_ms) override;
  Result<std::vector<ReportItem>> Items(const ItemQuery& q) override;

  // History and lifecycle (reporters/sqlite_history.cc)
  Status AddObservation(Observation& o) override;
  Result<std::vector<Observation>> Observations(const std::string& case_id, int limit) override;
  Status AddEvent(TimelineEvent& e) override;
  Result<std::vector<TimelineEvent>> Events(const std::string& case_id) override;
  Result<std::vector<CaseRecord>> Due(int64_t now_ms, int limit) override;
  Result<bool> ClaimCheck(const std::string& case_id, int64_t expected, int64_t until) override;
  Result<std::map<std::string, int64_t>> CountByStatus() override;
  Status UpdateLifecycle(const CaseRecord& c) override;
  Result<int> CountStage(const std::string& case_id, const std::string& recipient, const std::string& stage,
                         int64_t since_ms) override;
  Status SetTicket(const std::string& message_id, const std::string& ticket) override;
  Status MarkBad(const BadAddress& b) override;
  Result<std::optional<BadAddress>> GetBad(const std::string& address) override;
  Result<std::vector<BadAddress>> BadAddresses() override;
  Result<bool> Seen(const std::string& key) override;
  Status MarkSeen(const std::string& key, int64_t at_ms, const std::string& case_id, const std::string& kind) override;

  // The schema version this build writes (PRAGMA user_version); older
  // files are migrated in place when opened (reporters/sqlite_history.cc).
  static constexpr int kSchemaVersion = 1;

 private:
  SqliteState(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql);
  Status Error(const std::string& what) const;
  Status Migrate();

  sqlite3* db_;
  std::string path_;
};

}  // namespace dragnet::reporters
