#pragma once
// UserStore: the console's users, their API tokens, login sessions and the
// audit log, in one SQLite file (<state_dir>/web.db, WAL, synchronous=FULL)
// beside the reporter's state. Passwords are Argon2id hash strings; API
// tokens and session IDs are stored only as SHA-256 digests
// (web/auth.h), so the file holds nothing that logs in.
//
// Roles: viewer (read everything), analyst (also decide, submit), admin
// (also the audit log). One instance belongs to one thread at a time; the
// web server serialises its calls. Several processes (`dragnet users`,
// `dragnet serve`) may open the same file.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace dragnet::web {

inline constexpr const char* kRoleViewer = "viewer";
inline constexpr const char* kRoleAnalyst = "analyst";
inline constexpr const char* kRoleAdmin = "admin";
// 0 viewer, 1 analyst, 2 admin; -1 for anything else.
int RoleRank(const std::string& role);

// User names: 1-64 of [a-z0-9._-], starting with a letter or digit.
inline constexpr size_t kMaxUserName = 64;
bool ValidUserName(const std::string& name);

struct User {
  std::string name;
  std::string role;
  std::string password_hash;
  bool disabled = false;
  int64_t created_ms = 0;
  int tokens = 0;  // API tokens issued (List only)
};

struct Session {
  std::string user;
  std::string role;
  std::string csrf;          // the form token of this session (random, stored as is)
  int64_t expires_ms = 0;
};

struct AuditEntry {
  int64_t time_ms = 0;
  std::string user, action, target, detail;
};

class UserStore {
 public:
  static constexpr int kBusyTimeoutMs = 10'000;
  // Audit entries listed at most per page.
  static constexpr int kMaxAuditList = 1000;

  static Result<std::unique_ptr<UserStore>> Open(const std::string& path,
                                                 const Clock* clock = &SystemClock::Instance());
  ~UserStore();
  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // kAlreadyExists-like kInvalidArgument when the name is taken or invalid.
  Status Add(const std::string& name, const std::string& role, const std::string& password_hash);
  Result<User> Get(const std::string& name);  // kNotFound
  Result<std::vector<User>> List();
  // Disables the user and ends their sessions and tokens.
  Status Disable(const std::string& name);
  Status SetPassword(const std::string& name, const std::string& password_hash);

  // A new API token for `name`; returns it in clear (shown once).
  Result<std::string> IssueToken(const std::string& name);
  // The enabled user owning `token`, or kNotFound.
  Result<User> UserForToken(const std::string& token);

  // A new session for `name` lasting ttl_ms; returns the session ID in clear.
  Result<std::string> CreateSession(const std::string& name, int64_t ttl_ms, Session* out);
  // The live session of an enabled user, or kNotFound (unknown, expired).
  Result<Session> GetSession(const std::string& session_id);
  Status EndSession(const std::string& session_id);

  Status Audit(const std::string& user, const std::string& action, const std::string& target,
               const std::string& detail);
  Result<std::vector<AuditEntry>> AuditLog(int limit);

 private:
  UserStore(sqlite3* db, std::string path, const Clock* clock) : db_(db), path_(std::move(path)), clock_(clock) {}
  Status Exec(const char* sql);
  Status Error(const std::string& what) const;

  sqlite3* db_;
  std::string path_;
  const Clock* clock_;
};

}  // namespace dragnet::web
