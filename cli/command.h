#pragma once
// Subcommand registry. Each cli/cmd_*.cc registers its subcommand with
//   DRAGNET_COMMAND(scan, 10, RegisterScan);
// where RegisterScan(CLI::App& root, cli::Globals& g) adds the subcommand,
// its flags and its callback. main() builds the app from the registry in
// `order`, so `dragnet --help` lists commands in a stable, meaningful order.
//
// Exit codes (README "Exit codes"): 0 ok, 1 runtime failure, 2 usage or
// input error, 3 integrity failure (evidence verify), 4 partial (some
// inputs rejected, the rest done).

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace dragnet::cli {

enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2, kExitIntegrity = 3, kExitPartial = 4 };

// Flags every subcommand shares, filled before any callback runs.
struct Globals {
  std::string config_path;      // --config; empty: search path (README)
  std::string log_format = "text";
  std::string log_level = "warn";
  int exit_code = kExitOk;      // set by the subcommand callback
};

using Registrar = std::function<void(CLI::App& root, Globals& g)>;

struct CommandEntry {
  std::string name;
  int order;
  Registrar registrar;
};

std::vector<CommandEntry>& Registry();

struct CommandAdder {
  CommandAdder(const char* name, int order, Registrar r) {
    Registry().push_back({name, order, std::move(r)});
  }
};

}  // namespace dragnet::cli

#define DRAGNET_COMMAND(name, order, fn) \
  static ::dragnet::cli::CommandAdder dragnet_command_##name(#name, order, fn)
