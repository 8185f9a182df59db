#pragma once
// ConfigSection: typed, checked reads from one table of the TOML config.
//
// Every module parses its own section into its own Options struct (the
// defaults live in the struct, like leveldb's Options) with one of these:
//
//   ConfigSection s(root, "crawl");
//   DRAGNET_RETURN_IF_ERROR(s.Get("depth", opts.depth));
//   DRAGNET_RETURN_IF_ERROR(s.GetDuration("total_timeout", opts.total_timeout_ms));
//   DRAGNET_RETURN_IF_ERROR(s.Finish());   // unknown keys -> error naming the key
//
// A missing key keeps the default; a key of the wrong type is an error naming
// "section.key" and the expected type. Not thread-safe; use during startup.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/status.h"

namespace dragnet {

class ConfigSection {
 public:
  // `root` may be null (no config file): every Get keeps its default.
  // `path` is dotted ("delivery.smtp") and looked up table by table.
  ConfigSection(const toml::table* root, std::string path);

  bool present() const { return table_ != nullptr; }
  const toml::table* table() const { return table_; }
  const std::string& path() const { return path_; }

  Status Get(const char* key, bool& out);
  Status Get(const char* key, int64_t& out);
  Status Get(const char* key, int& out);
  Status Get(const char* key, double& out);
  Status Get(const char* key, std::string& out);
  Status Get(const char* key, std::vector<std::string>& out);
  // Duration with a unit ("30s"); stored in milliseconds.
  Status GetDuration(const char* key, int64_t& out_ms);
  // Byte size: an integer, or a string with a unit ("5MiB", "512KiB", "1GiB").
  Status GetBytes(const char* key, int64_t& out);
  // Marks a key as known without reading it (sub-tables parsed elsewhere).
  void Allow(const char* key) { known_.insert(key); }

  // Error naming the first key that no Get/Allow claimed.
  Status Finish() const;

 private:
  const toml::node* Node(const char* key);
  Status TypeError(const char* key, const char* want) const;

  const toml::table* table_ = nullptr;
  std::string path_;
  std::set<std::string> known_;
};

// Parses a TOML file. Errors name the file, line and column.
Result<toml::table> LoadTomlFile(const std::string& path);
// Checks the top-level keys of `root` against `sections`.
Status CheckSections(const toml::table& root, const std::vector<std::string>& sections);

// "5MiB" -> 5242880. Accepts B, KiB, MiB, GiB, KB, MB, GB (powers of 2 for
// the -iB forms, of 10 for the others).
Result<int64_t> ParseBytes(std::string_view s);

}  // namespace dragnet
