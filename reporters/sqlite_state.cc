#include "core/json.h"
#include "reporters/sqlite_state.h"

#include <cctype>

#include "core/hash.h"
#include "core/url.h"
#include "reporters/sqlite_stmt.h"
#include "reporters/xarf.h"

namespace dragnet::reporters {

// -------------------------------------------------------------- case ids ---

std::string MakeCaseId(const std::string& key) {
  std::string hex = Sha256Hex(key).substr(0, 12);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "DN-" + hex;
}

std::string CaseKeyOf(const SeedResult& r) {
  for (const std::string* u : {&r.final_url, &r.seed}) {
    if (u->empty()) continue;
    auto parsed = ParseUrl(SafeUri(*u));
    if (parsed.ok()) return parsed->host;
  }
  return SafeUri(r.seed);  // unparseable: still one line, no control characters
}

// ------------------------------------------------------------- statements ---

namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS cases (
  case_id TEXT PRIMARY KEY, key TEXT NOT NULL, seed TEXT, final_url TEXT,
  score INTEGER, label TEXT, scam_type TEXT, brand TEXT, status TEXT,
  decided_by TEXT, reason TEXT, created_ms INTEGER, updated_ms INTEGER,
  scans INTEGER DEFAULT 0, result TEXT);
CREATE INDEX IF NOT EXISTS cases_updated ON cases(updated_ms);
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY AUTOINCREMENT, report_id TEXT NOT NULL, case_id TEXT NOT NULL,
  url TEXT NOT NULL, recipient TEXT NOT NULL, recipient_name TEXT, kind TEXT, language TEXT,
  reason TEXT, batch_key TEXT, status TEXT NOT NULL, message_id TEXT, verified_at TEXT,
  created_ms INTEGER, sent_ms INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS items_url_rcpt ON items(url, recipient);
CREATE INDEX IF NOT EXISTS items_status ON items(status);
CREATE INDEX IF NOT EXISTS items_message ON items(message_id);
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, recipient TEXT NOT NULL, route TEXT, status TEXT NOT NULL,
  attempts INTEGER DEFAULT 0, next_attempt_ms INTEGER DEFAULT 0, last_error TEXT,
  outbox_file TEXT, created_ms INTEGER, sent_ms INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS messages_status ON messages(status);
CREATE INDEX IF NOT EXISTS messages_rcpt_sent ON messages(recipient, sent_ms);
)sql";

const char* kItemCols =
    "id, report_id, case_id, url, recipient, recipient_name, kind, language, reason, batch_key, "
    "status, message_id, verified_at, created_ms, sent_ms, stage, escalation_of";

ReportItem ReadItem(const Stmt& s) {
  ReportItem i;
  i.id = s.Int(0);
  i.report_id = s.Text(1);
  i.case_id = s.Text(2);
  i.url = s.Text(3);
  i.recipient = s.Text(4);
  i.recipient_name = s.Text(5);
  i.kind = s.Text(6);
  i.language = s.Text(7);
  i.reason = s.Text(8);
  i.batch_key = s.Text(9);
  i.status = s.Text(10);
  i.message_id = s.Text(11);
  i.verified_at = s.Text(12);
  i.created_ms = s.Int(13);
  i.sent_ms = s.Int(14);
  i.stage = s.Text(15);
  if (i.stage.empty()) i.stage = kStageReport;
  i.escalation_of = s.Text(16);
  return i;
}

const char* kMsgCols =
    "id, recipient, route, status, attempts, next_attempt_ms, last_error, outbox_file, created_ms, "
    "sent_ms, escalation_of, ticket";

OutboxMessage ReadMessage(const Stmt& s) {
  OutboxMessage m;
  m.id = s.Text(0);
  m.recipient = s.Text(1);
  m.route = s.Text(2);
  m.status = s.Text(3);
  m.attempts = static_cast<int>(s.Int(4));
  m.next_attempt_ms = s.Int(5);
  m.last_error = s.Text(6);
  m.outbox_file = s.Text(7);
  m.created_ms = s.Int(8);
  m.sent_ms = s.Int(9);
  m.escalation_of = s.Text(10);
  m.ticket = s.Text(11);
  return m;
}

const char* kCaseCols =
    "case_id, key, seed, final_url, score, label, scam_type, brand, status, decided_by, reason, "
    "created_ms, updated_ms, scans, result, reported_ms, taken_down_ms, takedown_signal, takedown_actor, "
    "next_check_ms, checks, down_streak, up_streak, down_since_ms, reopened, last_ips";

Result<CaseRecord> ReadCase(const Stmt& s) {
  CaseRecord c;
  c.case_id = s.Text(0);
  c.key = s.Text(1);
  c.seed = s.Text(2);
  c.final_url = s.Text(3);
  c.score = static_cast<int>(s.Int(4));
  c.label = s.Text(5);
  c.scam_type = s.Text(6);
  c.brand = s.Text(7);
  c.status = s.Text(8);
  c.decided_by = s.Text(9);
  c.reason = s.Text(10);
  c.created_ms = s.Int(11);
  c.updated_ms = s.Int(12);
  c.scans = static_cast<int>(s.Int(13));
  std::string js = s.Text(14);
  if (!js.empty()) {
    c.result = nlohmann::json::parse(js, nullptr, false);
    if (c.result.is_discarded()) return Corrupt("case " + c.case_id + ": stored result is not JSON");
  }
  c.reported_ms = s.Int(15);
  c.taken_down_ms = s.Int(16);
  c.takedown_signal = s.Text(17);
  c.takedown_actor = s.Text(18);
  c.next_check_ms = s.Int(19);
  c.checks = static_cast<int>(s.Int(20));
  c.down_streak = static_cast<int>(s.Int(21));
  c.up_streak = static_cast<int>(s.Int(22));
  c.down_since_ms = s.Int(23);
  c.reopened = static_cast<int>(s.Int(24));
  auto ips = nlohmann::json::parse(s.Text(25), nullptr, false);
  if (ips.is_array()) {
    for (const auto& ip : ips) {
      if (ip.is_string()) c.last_ips.push_back(ip.get<std::string>());
    }
  }
  return c;
}

}  // namespace

// ------------------------------------------------------------------- open ---

Result<std::unique_ptr<SqliteState>> SqliteState::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return IoError("reporter state " + path + ": " + msg);
  }
  std::unique_ptr<SqliteState> s(new SqliteState(db, path));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  DRAGNET_RETURN_IF_ERROR(s->Exec("PRAGMA journal_mode=WAL"));
  DRAGNET_RETURN_IF_ERROR(s->Exec("PRAGMA synchronous=FULL"));
  DRAGNET_RETURN_IF_ERROR(s->Exec(kSchema));
  DRAGNET_RETURN_IF_ERROR(s->Migrate());
  return s;
}

SqliteState::~SqliteState() { sqlite3_close(db_); }

Status SqliteState::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Unavailable("reporter state " + path_ + ": " + msg);
    return IoError("reporter state " + path_ + ": " + msg);
  }
  return Status::Ok();
}

Status SqliteState::Error(const std::string& what) const {
  int rc = sqlite3_errcode(db_);
  std::string msg = "reporter state " + path_ + ": " + what + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Unavailable(msg);
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Corrupt(msg);
  return IoError(msg);
}

// ------------------------------------------------------------------ cases ---

Status SqliteState::Upsert(const CaseRecord& c) {
  Stmt s(db_,
         "INSERT INTO cases (case_id, key, seed, final_url, score, label, scam_type, brand, status, "
         "decided_by, reason, created_ms, updated_ms, scans, result, reported_ms, taken_down_ms, "
         "takedown_signal, takedown_actor, next_check_ms, checks, down_streak, up_streak, down_since_ms, "
         "reopened, last_ips) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
         "ON CONFLICT(case_id) DO UPDATE SET key=excluded.key, seed=excluded.seed, "
         "final_url=excluded.final_url, score=excluded.score, label=excluded.label, "
         "scam_type=excluded.scam_type, brand=excluded.brand, status=excluded.status, "
         "decided_by=excluded.decided_by, reason=excluded.reason, updated_ms=excluded.updated_ms, "
         "scans=excluded.scans, "
         "result=excluded.result, reported_ms=excluded.reported_ms, taken_down_ms=excluded.taken_down_ms, "
         "takedown_signal=excluded.takedown_signal, takedown_actor=excluded.takedown_actor, "
         "next_check_ms=excluded.next_check_ms, checks=excluded.checks, down_streak=excluded.down_streak, "
         "up_streak=excluded.up_streak, down_since_ms=excluded.down_since_ms, reopened=excluded.reopened, "
         "last_ips=excluded.last_ips");
  if (!s.ok()) return Error("prepare case upsert");
  s.Bind(c.case_id).Bind(c.key).Bind(c.seed).Bind(c.final_url).Bind(int64_t{c.score});
  s.Bind(c.label).Bind(c.scam_type).Bind(c.brand).Bind(c.status).Bind(c.decided_by);
  s.Bind(c.reason).Bind(c.created_ms).Bind(c.updated_ms).Bind(int64_t{c.scans});
  s.Bind(c.result.is_null() ? std::string() : DumpJson(c.result));
  s.Bind(c.reported_ms).Bind(c.taken_down_ms).Bind(c.takedown_signal).Bind(c.takedown_actor);
  s.Bind(c.next_check_ms).Bind(int64_t{c.checks}).Bind(int64_t{c.down_streak}).Bind(int64_t{c.up_streak});
  s.Bind(c.down_since_ms).Bind(int64_t{c.reopened}).Bind(DumpJson(nlohmann::json(c.last_ips)));
  if (s.Step() != SQLITE_DONE) return Error("upsert case " + c.case_id);
  return Status::Ok();
}

Result<CaseRecord> SqliteState::Get(const std::string& case_id) {
  std::string sql = std::string("SELECT ") + kCaseCols + " FROM cases WHERE case_id = ?";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare case get");
  s.Bind(case_id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFound("no case " + case_id);
  if (rc != SQLITE_ROW) return Error("read case " + case_id);
  return ReadCase(s);
}

Result<std::vector<CaseRecord>> SqliteState::List(const CaseQuery& q) {
  std::string sql = std::string("SELECT ") + kCaseCols +
                    " FROM cases WHERE updated_ms >= ? AND (? = '' OR label = ?) AND "
                    "(? = '' OR status = ?) ORDER BY updated_ms DESC, case_id LIMIT ?";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare case list");
  s.Bind(q.since_ms).Bind(q.label).Bind(q.label).Bind(q.status).Bind(q.status).Bind(int64_t{q.limit});
  std::vector<CaseRecord> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    auto c = ReadCase(s);
    if (!c.ok()) return c.status();
    out.push_back(std::move(c).value());
  }
  if (rc != SQLITE_DONE) return Error("list cases");
  return out;
}

// ----------------------------------------------------------------- ledger ---

Status SqliteState::AddItem(ReportItem& i) {
  Stmt s(db_,
         "INSERT INTO items (report_id, case_id, url, recipient, recipient_name, kind, language, "
         "reason, batch_key, status, message_id, verified_at, created_ms, sent_ms, stage, escalation_of) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!s.ok()) return Error("prepare item insert");
  s.Bind(i.report_id).Bind(i.case_id).Bind(i.url).Bind(i.recipient).Bind(i.recipient_name);
  s.Bind(i.kind).Bind(i.language).Bind(i.reason).Bind(i.batch_key).Bind(i.status);
  s.Bind(i.message_id).Bind(i.verified_at).Bind(i.created_ms).Bind(i.sent_ms);
  s.Bind(i.stage.empty() ? std::string(kStageReport) : i.stage).Bind(i.escalation_of);
  if (s.Step() != SQLITE_DONE) return Error("insert item");
  i.id = sqlite3_last_insert_rowid(db_);
  return Status::Ok();
}

Result<std::optional<int64_t>> SqliteState::LastReported(const std::string& url,
                                                         const std::string& recipient) {
  Stmt s(db_,
         "SELECT MAX(sent_ms) FROM items WHERE url = ? AND recipient = ? AND status = 'sent'");
  if (!s.ok()) return Error("prepare last reported");
  s.Bind(url).Bind(recipient);
  if (s.Step() != SQLITE_ROW) return Error("read last reported");
  if (s.IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(s.Int(0));
}

Result<bool> SqliteState::Outstanding(const std::string& url, const std::string& recipient) {
  Stmt s(db_, "SELECT COUNT(*) FROM items WHERE url = ? AND recipient = ? AND status IN ('pending', 'queued')");
  if (!s.ok()) return Error("prepare outstanding");
  s.Bind(url).Bind(recipient);
  if (s.Step() != SQLITE_ROW) return Error("read outstanding");
  return s.Int(0) > 0;
}

Result<bool> SqliteState::SentBefore(const std::string& url, int64_t before_ms) {
  Stmt s(db_, "SELECT COUNT(*) FROM items WHERE url = ? AND status = 'sent' AND sent_ms < ?");
  if (!s.ok()) return Error("prepare sent-before");
  s.Bind(url).Bind(before_ms);
  if (s.Step() != SQLITE_ROW) return Error("read sent-before");
  return s.Int(0) > 0;
}

Result<std::vector<ReportItem>> SqliteState::Pending() {
  return Items(ItemQuery{"pending", "", 100000});
}

Status SqliteState::CreateMessage(const OutboxMessage& m, const std::vector<int64_t>& item_ids) {
  DRAGNET_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  auto fail = [&](const std::string& what) {
    Status st = Error(what);
    (void)Exec("ROLLBACK");
    return st;
  };
  {
    Stmt s(db_,
           "INSERT INTO messages (id, recipient, route, status, attempts, next_attempt_ms, "
           "last_error, outbox_file, created_ms, sent_ms, escalation_of, ticket) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return fail("prepare message insert");
    s.Bind(m.id).Bind(m.recipient).Bind(m.route).Bind(m.status).Bind(int64_t{m.attempts});
    s.Bind(m.next_attempt_ms).Bind(m.last_error).Bind(m.outbox_file).Bind(m.created_ms).Bind(m.sent_ms);
    s.Bind(m.escalation_of).Bind(m.ticket);
    if (s.Step() != SQLITE_DONE) return fail("insert message " + m.id);
  }
  for (int64_t id : item_ids) {
    Stmt s(db_, "UPDATE items SET status = 'queued', message_id = ? WHERE id = ?");
    if (!s.ok()) return fail("prepare item update");
    s.Bind(m.id).Bind(id);
    if (s.Step() != SQLITE_DONE) return fail("queue item");
  }
  return Exec("COMMIT");
}

Result<std::vector<OutboxMessage>> SqliteState::Messages(const std::string& status) {
  std::string sql = std::string("SELECT ") + kMsgCols +
                    " FROM messages WHERE (? = '' OR status = ?) ORDER BY created_ms, id";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare message list");
  s.Bind(status).Bind(status);
  std::vector<OutboxMessage> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadMessage(s));
  if (rc != SQLITE_DONE) return Error("list messages");
  return out;
}

Result<OutboxMessage> SqliteState::GetMessage(const std::string& id) {
  std::string sql = std::string("SELECT ") + kMsgCols + " FROM messages WHERE id = ?";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare message get");
  s.Bind(id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFound("no outbox message " + id);
  if (rc != SQLITE_ROW) return Error("read message");
  return ReadMessage(s);
}

Result<std::vector<ReportItem>> SqliteState::MessageItems(const std::string& message_id) {
  std::string sql = std::string("SELECT ") + kItemCols + " FROM items WHERE message_id = ? ORDER BY id";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare message items");
  s.Bind(message_id);
  std::vector<ReportItem> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadItem(s));
  if (rc != SQLITE_DONE) return Error("list message items");
  return out;
}

Status SqliteState::UpdateMessage(const OutboxMessage& m) {
  Stmt s(db_,
         "UPDATE messages SET status = ?, attempts = ?, next_attempt_ms = ?, last_error = ?, "
         "outbox_file = ?, sent_ms = ? WHERE id = ?");
  if (!s.ok()) return Error("prepare message update");
  s.Bind(m.status).Bind(int64_t{m.attempts}).Bind(m.next_attempt_ms).Bind(m.last_error);
  s.Bind(m.outbox_file).Bind(m.sent_ms).Bind(m.id);
  if (s.Step() != SQLITE_DONE) return Error("update message " + m.id);
  return Status::Ok();
}

Status SqliteState::UpdateItem(int64_t id, const std::string& status, const std::string& verified_at,
                               int64_t sent_ms) {
  Stmt s(db_,
         "UPDATE items SET status = ?, verified_at = CASE WHEN ? = '' THEN verified_at ELSE ? END, "
         "sent_ms = CASE WHEN ? = 0 THEN sent_ms ELSE ? END WHERE id = ?");
  if (!s.ok()) return Error("prepare item update");
  s.Bind(status).Bind(verified_at).Bind(verified_at).Bind(sent_ms).Bind(sent_ms).Bind(id);
  if (s.Step() != SQLITE_DONE) return Error("update item");
  return Status::Ok();
}

Result<std::pair<int, int64_t>> SqliteState::SentSince(const std::string& recipient, int64_t since_ms) {
  Stmt s(db_,
         "SELECT COUNT(*), COALESCE(MIN(sent_ms), 0) FROM messages WHERE recipient = ? AND "
         "status = 'sent' AND sent_ms >= ?");
  if (!s.ok()) return Error("prepare sent-since");
  s.Bind(recipient).Bind(since_ms);
  if (s.Step() != SQLITE_ROW) return Error("read sent-since");
  return std::make_pair(static_cast<int>(s.Int(0)), s.Int(1));
}

Result<std::vector<ReportItem>> SqliteState::Items(const ItemQuery& q) {
  std::string sql = std::string("SELECT ") + kItemCols +
                    " FROM items WHERE (? = '' OR status = ?) AND (? = '' OR case_id = ?) "
                    "ORDER BY id LIMIT ?";
  Stmt s(db_, sql.c_str());
  if (!s.ok()) return Error("prepare item list");
  s.Bind(q.status).Bind(q.status).Bind(q.case_id).Bind(q.case_id).Bind(int64_t{q.limit});
  std::vector<ReportItem> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadItem(s));
  if (rc != SQLITE_DONE) return Error("list items");
  return out;
}

}  // namespace dragnet::reporters
