#pragma once
// The analyst console and API (web/server.h) composed with the reporter's
// state (cases, ledger), the user store (<state_dir>/web.db), the campaign
// index (<state_dir>/intel.db, read for /campaigns and TAXII) and the crawl
// queue (app/daemon_client.h: Redis, or the daemon's job API) for /submit.
// `dragnet serve` runs it alone until a signal (RunServe); the daemon runs
// it beside its workers when its roles include `web` (Console).
//
// Console owns everything it opens; Start and Stop from one thread (the
// daemon's or serve's main thread). The web server's threads call into the
// service and the store under the server's lock.

#include <memory>
#include <string>

#include "app/config.h"
#include "core/status.h"

namespace dragnet::app {

// Path of the console's user store: <state_dir>/web.db.
std::string UserStorePath(const Config& c);

class Console {
 public:
  // Opens the state and the user store and starts serving on [web] listen.
  static Result<std::unique_ptr<Console>> Start(const Config& config);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;
  // The bound port (the real one when [web] listen asked for port 0).
  int port() const;
  // "http://127.0.0.1:8080/"
  std::string Url() const;
  void Stop();

 private:
  Console() = default;
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// `dragnet serve`: serves until SIGINT or SIGTERM; prints
// "dragnet serve: console at http://HOST:PORT/" on stdout once listening.
// Returns the exit code (0 after a signal, 1 when it cannot start).
int RunServe(const Config& config);

}  // namespace dragnet::app
