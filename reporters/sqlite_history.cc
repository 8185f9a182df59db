// SqliteState, part two: the schema migration and the case history —
// observations, timeline events, the monitor's schedule, follow-up counts,
// tickets, bad addresses and the inbox's seen list. See sqlite_state.h for
// the versions.
#include <spdlog/spdlog.h>

#include "core/json.h"
#include "reporters/sqlite_state.h"
#include "reporters/sqlite_stmt.h"

namespace dragnet::reporters {

// ---------------------------------------------------------------- migration ---

namespace {

// Version 0 -> 1: the lifecycle. Runs inside one transaction with the
// user_version bump, so a crash leaves the file at 0 or at 1, never between.
const char* kMigrateTo1 = R"sql(
ALTER TABLE cases ADD COLUMN reported_ms INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN taken_down_ms INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN takedown_signal TEXT DEFAULT '';
ALTER TABLE cases ADD COLUMN takedown_actor TEXT DEFAULT '';
ALTER TABLE cases ADD COLUMN next_check_ms INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN checks INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN down_streak INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN up_streak INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN down_since_ms INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN reopened INTEGER DEFAULT 0;
ALTER TABLE cases ADD COLUMN last_ips TEXT DEFAULT '[]';
CREATE INDEX IF NOT EXISTS cases_next_check ON cases(next_check_ms);
ALTER TABLE items ADD COLUMN stage TEXT DEFAULT 'report';
ALTER TABLE items ADD COLUMN escalation_of TEXT DEFAULT '';
CREATE INDEX IF NOT EXISTS items_case_rcpt ON items(case_id, recipient);
ALTER TABLE messages ADD COLUMN escalation_of TEXT DEFAULT '';
ALTER TABLE messages ADD COLUMN ticket TEXT DEFAULT '';
CREATE TABLE IF NOT EXISTS observations (
  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
  source TEXT, url TEXT, score INTEGER, label TEXT, scam_type TEXT, brand TEXT,
  credible INTEGER DEFAULT 0, outcome TEXT, evidence_manifest TEXT, signals TEXT,
  summary TEXT, result TEXT);
CREATE INDEX IF NOT EXISTS observations_case ON observations(case_id, id);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, at_ms INTEGER NOT NULL,
  type TEXT NOT NULL, summary TEXT, data TEXT);
CREATE INDEX IF NOT EXISTS events_case ON events(case_id, id);
CREATE TABLE IF NOT EXISTS bad_addresses (
  address TEXT PRIMARY KEY, marked_ms INTEGER, reason TEXT, message_id TEXT);
CREATE TABLE IF NOT EXISTS inbox_seen (
  key TEXT PRIMARY KEY, seen_ms INTEGER, case_id TEXT, kind TEXT);
UPDATE cases SET status = CASE WHEN label IN ('malicious', 'suspicious', 'benign') THEN 'benign' ELSE 'new' END
  WHERE status = 'no_report';
UPDATE cases SET reported_ms = COALESCE(
    (SELECT MIN(created_ms) FROM items WHERE items.case_id = cases.case_id), updated_ms)
  WHERE status = 'reported';
INSERT INTO observations (case_id, at_ms, source, url, score, label, scam_type, brand, credible, outcome,
                          evidence_manifest, signals, summary, result)
  SELECT case_id, updated_ms, 'scan', COALESCE(NULLIF(final_url, ''), seed), score, label, scam_type, brand,
         CASE WHEN label IN ('malicious', 'suspicious', 'benign') THEN 1 ELSE 0 END, '',
         CASE WHEN json_valid(result) THEN COALESCE(json_extract(result, '$.evidence_manifest'), '') ELSE '' END,
         '[]', 'scan (kept from before case history: the last of ' || scans || ' scan(s))', result
  FROM cases;
PRAGMA user_version = 1;
)sql";

}  // namespace

Status SqliteState::Migrate() {
  int version = 0;
  {
    Stmt s(db_, "PRAGMA user_version");
    if (!s.ok() || s.Step() != SQLITE_ROW) return Error("read schema version");
    version = static_cast<int>(s.Int(0));
  }
  if (version > kSchemaVersion) {
    return Corrupt("reporter state " + path_ + " has schema version " + std::to_string(version) +
                   ", newer than this build's " + std::to_string(kSchemaVersion) + ": refusing to touch it");
  }
  if (version == kSchemaVersion) return Status::Ok();
  DRAGNET_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  // Another process may have migrated while we waited for the lock.
  {
    Stmt s(db_, "PRAGMA user_version");
    if (!s.ok() || s.Step() != SQLITE_ROW) {
      Status st = Error("read schema version");
      (void)Exec("ROLLBACK");
      return st;
    }
    version = static_cast<int>(s.Int(0));
  }
  if (version == 0) {
    Status st = Exec(kMigrateTo1);
    if (!st.ok()) {
      (void)Exec("ROLLBACK");
      return Status(st.code(), "migrating to schema 1: " + st.message());
    }
  }
  return Exec("COMMIT");
}

// ------------------------------------------------------------- observations ---

namespace {

const char* kObsCols =
    "id, case_id, at_ms, source, url, score, label, scam_type, brand, credible, outcome, evidence_manifest, "
    "signals, summary, result";

Observation ReadObservation(const Stmt& s) {
  Observation o;
  o.id = s.Int(0);
  o.case_id = s.Text(1);
  o.at_ms = s.Int(2);
  o.source = s.Text(3);
  o.url = s.Text(4);
  o.score = static_cast<int>(s.Int(5));
  o.label = s.Text(6);
  o.scam_type = s.Text(7);
  o.brand = s.Text(8);
  o.credible = s.Int(9) != 0;
  o.outcome = s.Text(10);
  o.evidence_manifest = s.Text(11);
  auto sig = nlohmann::json::parse(s.Text(12), nullptr, false);
  o.signals = sig.is_array() ? sig : nlohmann::json::array();
  o.summary = s.Text(13);
  // A stored result that does not parse is shown as absent, not an error:
  // the history must stay readable.
  auto r = nlohmann::json::parse(s.Text(14), nullptr, false);
  if (!r.is_discarded()) o.result = std::move(r);
  return o;
}

TimelineEvent ReadEvent(const Stmt& s) {
  TimelineEvent e;
  e.id = s.Int(0);
  e.case_id = s.Text(1);
  e.at_ms = s.Int(2);
  e.type = s.Text(3);
  e.summary = s.Text(4);
  auto d = nlohmann::json::parse(s.Text(5), nullptr, false);
  if (d.is_object()) e.data = std::move(d);
  return e;
}

}  // namespace

Status SqliteState::AddObservation(Observation& o) {
  Stmt s(db_,
         "INSERT INTO observations (case_id, at_ms, source, url, score, label, scam_type, brand, credible, outcome, "
         "evidence_manifest, signals, summary, result) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!s.ok()) return Error("prepare observation insert");
  s.Bind(o.case_id).Bind(o.at_ms).Bind(o.source).Bind(o.url).Bind(int64_t{o.score}).Bind(o.label);
  s.Bind(o.scam_type).Bind(o.brand).Bind(int64_t{o.credible ? 1 : 0}).Bind(o.outcome).Bind(o.evidence_manifest);
  s.Bind(DumpJson(o.signals)).Bind(o.summary).Bind(o.result.is_null() ? std::string() : DumpJson(o.result));
  if (s.Step() != SQLITE_DONE) return Error("insert observation of " + o.case_id);
  o.id = sqlite3_last_insert_rowid(db_);
  return Status::Ok();
}

Result<std::vector<Observation>> SqliteState::Observations(const std::string& case_id, int limit) {
  std::string sql = std::string("SELECT * FROM (SELECT ") + kObsCols +
                    " FROM observations WHERE case_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare observation list");
  s.Bind(case_id).Bind(int64_t{limit});
  std::vector<Observation> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadObservation(s));
  if (rc != SQLITE_DONE) return Error("list observations of " + case_id);
  return out;
}

Status SqliteState::AddEvent(TimelineEvent& e) {
  Stmt s(db_, "INSERT INTO events (case_id, at_ms, type, summary, data) VALUES (?,?,?,?,?)");
  if (!s.ok()) return Error("prepare event insert");
  s.Bind(e.case_id).Bind(e.at_ms).Bind(e.type).Bind(e.summary).Bind(DumpJson(e.data));
  if (s.Step() != SQLITE_DONE) return Error("insert event of " + e.case_id);
  e.id = sqlite3_last_insert_rowid(db_);
  return Status::Ok();
}

Result<std::vector<TimelineEvent>> SqliteState::Events(const std::string& case_id) {
  Stmt s(db_, "SELECT id, case_id, at_ms, type, summary, data FROM events WHERE case_id = ? ORDER BY id");
  if (!s.ok()) return Error("prepare event list");
  s.Bind(case_id);
  std::vector<TimelineEvent> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadEvent(s));
  if (rc != SQLITE_DONE) return Error("list events of " + case_id);
  return out;
}

// ----------------------------------------------------------------- schedule ---

Result<std::vector<CaseRecord>> SqliteState::Due(int64_t now_ms, int limit) {
  // A case is watched while reported, escalated or down; next_check_ms 0
  // means "not scheduled yet" (the monitor schedules it), -1 "no longer".
  Stmt ids(db_,
           "SELECT case_id FROM cases WHERE status IN ('reported', 'escalated', 'down') AND next_check_ms >= 0 "
           "AND next_check_ms <= ? ORDER BY next_check_ms, case_id LIMIT ?");
  if (!ids.ok()) return Error("prepare due list");
  ids.Bind(now_ms).Bind(int64_t{limit});
  std::vector<std::string> found;
  int rc;
  while ((rc = ids.Step()) == SQLITE_ROW) found.push_back(ids.Text(0));
  if (rc != SQLITE_DONE) return Error("list due cases");
  std::vector<CaseRecord> out;
  for (const auto& id : found) {
    auto c = Get(id);
    if (!c.ok() && c.status().code() == Code::kCorrupt) {
      // One damaged row must not stop every other case's monitoring.
      spdlog::warn("reporter: case {} is not monitored: {}", id, c.status().message());
      continue;
    }
    if (!c.ok()) return c.status();
    out.push_back(std::move(c).value());
  }
  return out;
}

Result<bool> SqliteState::ClaimCheck(const std::string& case_id, int64_t expected, int64_t until) {
  Stmt s(db_, "UPDATE cases SET next_check_ms = ? WHERE case_id = ? AND next_check_ms = ?");
  if (!s.ok()) return Error("prepare claim");
  s.Bind(until).Bind(case_id).Bind(expected);
  if (s.Step() != SQLITE_DONE) return Error("claim check of " + case_id);
  return sqlite3_changes(db_) == 1;
}

Status SqliteState::UpdateLifecycle(const CaseRecord& c) {
  Stmt s(db_,
         "UPDATE cases SET status = ?, decided_by = ?, reason = ?, updated_ms = ?, reported_ms = ?, "
         "taken_down_ms = ?, takedown_signal = ?, takedown_actor = ?, next_check_ms = ?, checks = ?, "
         "down_streak = ?, up_streak = ?, down_since_ms = ?, reopened = ?, last_ips = ? WHERE case_id = ?");
  if (!s.ok()) return Error("prepare lifecycle update");
  s.Bind(c.status).Bind(c.decided_by).Bind(c.reason).Bind(c.updated_ms).Bind(c.reported_ms);
  s.Bind(c.taken_down_ms).Bind(c.takedown_signal).Bind(c.takedown_actor).Bind(c.next_check_ms);
  s.Bind(int64_t{c.checks}).Bind(int64_t{c.down_streak}).Bind(int64_t{c.up_streak}).Bind(c.down_since_ms);
  s.Bind(int64_t{c.reopened}).Bind(DumpJson(nlohmann::json(c.last_ips))).Bind(c.case_id);
  if (s.Step() != SQLITE_DONE) return Error("update lifecycle of " + c.case_id);
  if (sqlite3_changes(db_) != 1) return NotFound("no case " + c.case_id);
  return Status::Ok();
}

Result<std::map<std::string, int64_t>> SqliteState::CountByStatus() {
  Stmt s(db_, "SELECT status, COUNT(*) FROM cases GROUP BY status");
  if (!s.ok()) return Error("prepare status count");
  std::map<std::string, int64_t> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out[s.Text(0)] = s.Int(1);
  if (rc != SQLITE_DONE) return Error("count cases by status");
  return out;
}

// --------------------------------------------------------------- follow-ups ---

Result<int> SqliteState::CountStage(const std::string& case_id, const std::string& recipient,
                                    const std::string& stage, int64_t since_ms) {
  Stmt s(db_,
         "SELECT COUNT(*) FROM items WHERE case_id = ? AND recipient = ? AND stage = ? AND created_ms >= ? AND "
         "status NOT IN ('failed', 'suppressed', 'skipped')");
  if (!s.ok()) return Error("prepare stage count");
  s.Bind(case_id).Bind(recipient).Bind(stage).Bind(since_ms);
  if (s.Step() != SQLITE_ROW) return Error("count stage");
  return static_cast<int>(s.Int(0));
}

Status SqliteState::SetTicket(const std::string& message_id, const std::string& ticket) {
  Stmt s(db_, "UPDATE messages SET ticket = ? WHERE id = ?");
  if (!s.ok()) return Error("prepare ticket update");
  s.Bind(ticket).Bind(message_id);
  if (s.Step() != SQLITE_DONE) return Error("set ticket of " + message_id);
  return Status::Ok();
}

Status SqliteState::MarkBad(const BadAddress& b) {
  Stmt s(db_,
         "INSERT INTO bad_addresses (address, marked_ms, reason, message_id) VALUES (?,?,?,?) "
         "ON CONFLICT(address) DO UPDATE SET marked_ms=excluded.marked_ms, reason=excluded.reason, "
         "message_id=excluded.message_id");
  if (!s.ok()) return Error("prepare bad address");
  s.Bind(b.address).Bind(b.marked_ms).Bind(b.reason).Bind(b.message_id);
  if (s.Step() != SQLITE_DONE) return Error("mark " + b.address + " bad");
  return Status::Ok();
}

Result<std::optional<BadAddress>> SqliteState::GetBad(const std::string& address) {
  Stmt s(db_, "SELECT address, marked_ms, reason, message_id FROM bad_addresses WHERE address = ?");
  if (!s.ok()) return Error("prepare bad address get");
  s.Bind(address);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<BadAddress>();
  if (rc != SQLITE_ROW) return Error("read bad address");
  return std::optional<BadAddress>(BadAddress{s.Text(0), s.Int(1), s.Text(2), s.Text(3)});
}

Result<std::vector<BadAddress>> SqliteState::BadAddresses() {
  Stmt s(db_, "SELECT address, marked_ms, reason, message_id FROM bad_addresses ORDER BY address");
  if (!s.ok()) return Error("prepare bad address list");
  std::vector<BadAddress> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(BadAddress{s.Text(0), s.Int(1), s.Text(2), s.Text(3)});
  if (rc != SQLITE_DONE) return Error("list bad addresses");
  return out;
}

// -------------------------------------------------------------------- inbox ---

Result<bool> SqliteState::Seen(const std::string& key) {
  Stmt s(db_, "SELECT COUNT(*) FROM inbox_seen WHERE key = ?");
  if (!s.ok()) return Error("prepare inbox seen");
  s.Bind(key);
  if (s.Step() != SQLITE_ROW) return Error("read inbox seen");
  return s.Int(0) > 0;
}

Status SqliteState::MarkSeen(const std::string& key, int64_t at_ms, const std::string& case_id,
                             const std::string& kind) {
  Stmt s(db_, "INSERT OR IGNORE INTO inbox_seen (key, seen_ms, case_id, kind) VALUES (?,?,?,?)");
  if (!s.ok()) return Error("prepare inbox mark");
  s.Bind(key).Bind(at_ms).Bind(case_id).Bind(kind);
  if (s.Step() != SQLITE_DONE) return Error("mark inbox message seen");
  return Status::Ok();
}

}  // namespace dragnet::reporters
