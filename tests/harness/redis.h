#pragma once
// RedisServer: a real redis-server on 127.0.0.1 for integration tests.
//
// Runs in a private temporary folder with AOF on (appendonly yes,
// appendfsync always: every acknowledged write is on disk, which is what
// the daemon's no-loss promise rests on), RDB snapshots off, and no other
// listener. Stop() + Start() restarts it on the same port and folder, so a
// test can take Redis away mid-crawl and bring it back with its data.
// Optional requirepass and one ACL user (full access to every key).
//
// Also a tiny synchronous client (Cli) over redis-cli for assertions.

#include <string>
#include <vector>

#include "tests/harness/harness.h"

namespace dragnet::testing {

struct RedisServerOptions {
  std::string requirepass;             // empty: no password for the default user
  std::string acl_user, acl_password;  // empty: no extra user
  bool unix_socket = false;            // also listen on <dir>/redis.sock
};

class RedisServer {
 public:
  // Starts redis-server; throws std::runtime_error with its log when it fails.
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();

  int port() const { return port_; }
  const std::string& dir() const { return dir_.path(); }
  std::string socket_path() const { return dir_.File("redis.sock"); }
  // redis://[user:pass@]127.0.0.1:PORT/db with the configured credentials.
  std::string Url(int db = 0) const;

  // SIGTERM (Redis flushes the AOF and exits), wait; then start again with
  // the same port, folder and data.
  void Stop();
  void Kill();   // SIGKILL: no shutdown work at all (AOF fsynced per write anyway)
  void Start();
  bool running();

  // Runs redis-cli with the credentials against this server; returns stdout
  // (trailing newline trimmed). Throws when redis-cli fails.
  std::string Cli(const std::vector<std::string>& args) const;

 private:
  RedisServerOptions options_;
  TempDir dir_;
  int port_ = 0;
  Process proc_;
};

}  // namespace dragnet::testing
