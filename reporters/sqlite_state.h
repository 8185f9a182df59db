#pragma once
// SqliteState: the single-machine CaseStore and Ledger, one SQLite file
// (<state_dir>/reporter.db) in WAL mode with synchronous=FULL, so a row the
// reporter wrote survives a crash or power loss before anything is sent.
// Several processes (a scan, `dragnet reports flush`, the daemon) may open the
// same file; SQLite's locking serialises them (busy timeout kBusyTimeoutMs).
// One instance belongs to one thread at a time.

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

 private:
  SqliteState(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql);
  Status Error(const std::string& what) const;

  sqlite3* db_;
  std::string path_;
};

}  // namespace dragnet::reporters
