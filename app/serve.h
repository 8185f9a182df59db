#pragma once
// `dragnet serve`: the analyst console and API (web/server.h) composed with
// the reporter's state (cases, ledger), the user store (<state_dir>/web.db)
// and the crawl queue (app/daemon_client.h: Redis, or the daemon's job API)
// for /submit. Runs until SIGINT or SIGTERM. Called from the main thread.

#include <string>

#include "app/config.h"

namespace dragnet::app {

// Path of the console's user store: <state_dir>/web.db.
std::string UserStorePath(const Config& c);

// Serves until a signal; prints "dragnet serve: console at http://HOST:PORT/"
// on stdout once listening. Returns the process exit code (0 after a
// signal, 1 when the server cannot start).
int RunServe(const Config& config);

}  // namespace dragnet::app
