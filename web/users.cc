#include "web/users.h"

#include <sys/stat.h>

#include "web/auth.h"

namespace dragnet::web {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
  digest TEXT PRIMARY KEY, user TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  digest TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL,
  created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires_ms);
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, user TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT, detail TEXT);
)sql";

// A prepared statement, finalized on scope exit; Bind() fills positions in order.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Stmt() { sqlite3_finalize(st_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(const std::string& v) {
    sqlite3_bind_text(st_, ++pos_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int64_t v) {
    sqlite3_bind_int64(st_, ++pos_, v);
    return *this;
  }
  int Step() { return sqlite3_step(st_); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(st_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st_, col)))
             : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(st_, col); }

 private:
  sqlite3_stmt* st_ = nullptr;
  int rc_ = SQLITE_OK;
  int pos_ = 0;
};

}  // namespace

int RoleRank(const std::string& role) {
  if (role == kRoleViewer) return 0;
  if (role == kRoleAnalyst) return 1;
  if (role == kRoleAdmin) return 2;
  return -1;
}

bool ValidUserName(const std::string& name) {
  if (name.empty() || name.size() > kMaxUserName) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

Result<std::unique_ptr<UserStore>> UserStore::Open(const std::string& path, const Clock* clock) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return IoError("user store " + path + ": " + msg);
  }
  std::unique_ptr<UserStore> s(new UserStore(db, path, clock));
  // Password hashes live here: owner-only, before the WAL (which copies
  // the file's mode) exists.
  if (::chmod(path.c_str(), 0600) != 0) return IoError("user store " + path + ": cannot make it owner-only");
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  DRAGNET_RETURN_IF_ERROR(s->Exec("PRAGMA journal_mode=WAL"));
  DRAGNET_RETURN_IF_ERROR(s->Exec("PRAGMA synchronous=FULL"));
  DRAGNET_RETURN_IF_ERROR(s->Exec(kSchema));
  return s;
}

UserStore::~UserStore() { sqlite3_close(db_); }

Status UserStore::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Unavailable("user store " + path_ + ": " + msg);
    return IoError("user store " + path_ + ": " + msg);
  }
  return Status::Ok();
}

Status UserStore::Error(const std::string& what) const {
  int rc = sqlite3_errcode(db_);
  std::string msg = "user store " + path_ + ": " + what + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Unavailable(msg);
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Corrupt(msg);
  return IoError(msg);
}

// ------------------------------------------------------------------ users ---

Status UserStore::Add(const std::string& name, const std::string& role, const std::string& password_hash) {
  if (!ValidUserName(name)) {
    return InvalidArgument("user name '" + name + "' is not 1-64 of a-z 0-9 . _ - (starting with a letter or digit)");
  }
  if (RoleRank(role) < 0) return InvalidArgument("role must be viewer, analyst or admin, not '" + role + "'");
  if (Get(name).ok()) return InvalidArgument("user " + name + " already exists");
  Stmt s(db_, "INSERT INTO users (name, role, password_hash, disabled, created_ms) VALUES (?,?,?,0,?)");
  if (!s.ok()) return Error("prepare user insert");
  s.Bind(name).Bind(role).Bind(password_hash).Bind(clock_->NowUnixMs());
  if (s.Step() != SQLITE_DONE) return Error("add user " + name);
  return Status::Ok();
}

Result<User> UserStore::Get(const std::string& name) {
  Stmt s(db_, "SELECT name, role, password_hash, disabled, created_ms FROM users WHERE name = ?");
  if (!s.ok()) return Error("prepare user get");
  s.Bind(name);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFound("no user " + name);
  if (rc != SQLITE_ROW) return Error("read user");
  return User{s.Text(0), s.Text(1), s.Text(2), s.Int(3) != 0, s.Int(4), 0};
}

Result<std::vector<User>> UserStore::List() {
  Stmt s(db_,
         "SELECT name, role, disabled, created_ms, (SELECT COUNT(*) FROM tokens t WHERE t.user = u.name) "
         "FROM users u ORDER BY name");
  if (!s.ok()) return Error("prepare user list");
  std::vector<User> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.push_back(User{s.Text(0), s.Text(1), "", s.Int(2) != 0, s.Int(3), static_cast<int>(s.Int(4))});
  }
  if (rc != SQLITE_DONE) return Error("list users");
  return out;
}

Status UserStore::Disable(const std::string& name) {
  DRAGNET_RETURN_IF_ERROR(Get(name).status());
  for (const char* sql : {"UPDATE users SET disabled = 1 WHERE name = ?", "DELETE FROM sessions WHERE user = ?",
                          "DELETE FROM tokens WHERE user = ?"}) {
    Stmt s(db_, sql);
    if (!s.ok()) return Error("prepare disable");
    s.Bind(name);
    if (s.Step() != SQLITE_DONE) return Error("disable user " + name);
  }
  return Status::Ok();
}

Status UserStore::SetPassword(const std::string& name, const std::string& password_hash) {
  DRAGNET_RETURN_IF_ERROR(Get(name).status());
  Stmt s(db_, "UPDATE users SET password_hash = ? WHERE name = ?");
  if (!s.ok()) return Error("prepare password update");
  s.Bind(password_hash).Bind(name);
  if (s.Step() != SQLITE_DONE) return Error("set password of " + name);
  return Status::Ok();
}

// ----------------------------------------------------------------- tokens ---

Result<std::string> UserStore::IssueToken(const std::string& name) {
  auto u = Get(name);
  if (!u.ok()) return u.status();
  if (u->disabled) return InvalidArgument("user " + name + " is disabled");
  std::string token = NewApiToken();
  Stmt s(db_, "INSERT INTO tokens (digest, user, created_ms) VALUES (?,?,?)");
  if (!s.ok()) return Error("prepare token insert");
  s.Bind(SecretDigest(token)).Bind(name).Bind(clock_->NowUnixMs());
  if (s.Step() != SQLITE_DONE) return Error("issue token");
  return token;
}

Result<User> UserStore::UserForToken(const std::string& token) {
  if (token.empty() || token.size() > 256) return NotFound("no such token");
  // The lookup is by digest: timing reveals nothing about the token itself.
  Stmt s(db_,
         "SELECT u.name, u.role, u.disabled, u.created_ms FROM tokens t JOIN users u ON u.name = t.user "
         "WHERE t.digest = ?");
  if (!s.ok()) return Error("prepare token lookup");
  s.Bind(SecretDigest(token));
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFound("no such token");
  if (rc != SQLITE_ROW) return Error("read token");
  if (s.Int(2) != 0) return NotFound("user disabled");
  return User{s.Text(0), s.Text(1), "", false, s.Int(3), 0};
}

// --------------------------------------------------------------- sessions ---

Result<std::string> UserStore::CreateSession(const std::string& name, int64_t ttl_ms, Session* out) {
  auto u = Get(name);
  if (!u.ok()) return u.status();
  int64_t now = clock_->NowUnixMs();
  {
    Stmt gc(db_, "DELETE FROM sessions WHERE expires_ms < ?");
    if (gc.ok()) {
      gc.Bind(now);
      (void)gc.Step();  // best effort: expired rows are also refused on read
    }
  }
  std::string id = RandomSecret();
  Session sess{u->name, u->role, RandomSecret(), now + ttl_ms};
  Stmt s(db_, "INSERT INTO sessions (digest, user, csrf, created_ms, expires_ms) VALUES (?,?,?,?,?)");
  if (!s.ok()) return Error("prepare session insert");
  s.Bind(SecretDigest(id)).Bind(name).Bind(sess.csrf).Bind(now).Bind(sess.expires_ms);
  if (s.Step() != SQLITE_DONE) return Error("create session");
  if (out) *out = sess;
  return id;
}

Result<Session> UserStore::GetSession(const std::string& session_id) {
  if (session_id.size() != 64) return NotFound("no such session");
  Stmt s(db_,
         "SELECT s.user, u.role, s.csrf, s.expires_ms, u.disabled FROM sessions s JOIN users u ON u.name = s.user "
         "WHERE s.digest = ?");
  if (!s.ok()) return Error("prepare session lookup");
  s.Bind(SecretDigest(session_id));
  int rc = s.Step();
  if (rc == SQLITE_DONE) return NotFound("no such session");
  if (rc != SQLITE_ROW) return Error("read session");
  if (s.Int(4) != 0) return NotFound("user disabled");
  if (s.Int(3) <= clock_->NowUnixMs()) return NotFound("session expired");
  return Session{s.Text(0), s.Text(1), s.Text(2), s.Int(3)};
}

Status UserStore::EndSession(const std::string& session_id) {
  Stmt s(db_, "DELETE FROM sessions WHERE digest = ?");
  if (!s.ok()) return Error("prepare session delete");
  s.Bind(SecretDigest(session_id));
  if (s.Step() != SQLITE_DONE) return Error("end session");
  return Status::Ok();
}

// ------------------------------------------------------------------ audit ---

Status UserStore::Audit(const std::string& user, const std::string& action, const std::string& target,
                        const std::string& detail) {
  Stmt s(db_, "INSERT INTO audit (time_ms, user, action, target, detail) VALUES (?,?,?,?,?)");
  if (!s.ok()) return Error("prepare audit insert");
  s.Bind(clock_->NowUnixMs()).Bind(user).Bind(action).Bind(target).Bind(detail);
  if (s.Step() != SQLITE_DONE) return Error("write audit log");
  return Status::Ok();
}

Result<std::vector<AuditEntry>> UserStore::AuditLog(int limit) {
  if (limit <= 0 || limit > kMaxAuditList) limit = kMaxAuditList;
  Stmt s(db_, "SELECT time_ms, user, action, target, detail FROM audit ORDER BY id DESC LIMIT ?");
  if (!s.ok()) return Error("prepare audit list");
  s.Bind(int64_t{limit});
  std::vector<AuditEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)});
  if (rc != SQLITE_DONE) return Error("list audit log");
  return out;
}

}  // namespace dragnet::web
