#pragma once
// What every subcommand does first, in one place: load the configuration
// named by --config (or found on the search path) and open the reporter's
// state, printing "dragnet WHAT: reason" and setting the exit code when that
// fails. Used from the command callbacks, on the main thread.

#include <functional>
#include <memory>
#include <optional>

#include "app/config.h"
#include "cli/command.h"
#include "reporters/cli_support.h"

namespace dragnet::cli {

// The config, or nullopt after printing the error and setting
// g.exit_code = kExitUsage (a bad config is an input error).
// `adjust` applies command-line flags (see app::LoadConfig).
std::optional<app::Config> LoadConfigOrReport(Globals& g, const char* what,
                                              const std::function<void(app::Config&)>& adjust = {});

// Exit code for a command that failed with `st`: input errors (invalid
// argument, not found, parse error) are kExitUsage, the rest kExitFailure.
int ExitCodeFor(const Status& st);

// Loads the config and opens the reporter state (cases, ledger, outbox);
// nullptr after printing the error and setting g.exit_code. `send` (--send)
// turns delivery on, which needs a real [reporter] identity (exit 2 without).
std::unique_ptr<reporters::OpenedService> OpenReporter(Globals& g, const char* what, bool send = false);

}  // namespace dragnet::cli
