#pragma once
// WebOptions: the analyst console and API (`dragnet serve`), section [web]
// of the config (config/dragnet.example.toml documents each key). Owner of
// the keys: web/. Plain value type; parse once at startup, then share
// read-only between the server's threads.

#include <cstdint>
#include <string>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::web {

struct WebOptions {
  // host:port to listen on. Loopback by default: put nginx (TLS) in front
  // for anyone else (config/nginx-console.conf.example).
  std::string listen = "127.0.0.1:8080";
  // Idle sessions end after this long; a login lasts at most this long.
  int64_t session_ttl_ms = 8LL * 3600 * 1000;
  // Mark cookies Secure (only sent over HTTPS). On behind a TLS proxy; off
  // for plain-HTTP loopback use (browsers drop Secure cookies over http://).
  bool secure_cookies = false;
  // Failed logins allowed per user name and per client address within
  // login_window before further attempts answer 429 until the window passes.
  int login_attempts = 5;
  int64_t login_window_ms = 15LL * 60 * 1000;
  // Largest request body (forms, API JSON, uploaded URL lists).
  int64_t max_body_bytes = 1LL << 20;
  // URLs one /submit accepts (the rest are refused, and the page says so).
  int max_submit_urls = 1000;
  // TAXII serves an object only once its date added is this far in the
  // past. Date added is a case's sighting time, which precedes its indexing
  // by the rest of the pipeline (seconds): a client that paged past a time
  // must not miss objects indexed a moment later. Longer is safer for
  // pollers, shorter is fresher.
  int64_t taxii_settle_ms = 60 * 1000;
  // Server threads (cpp-httplib's pool).
  int threads = 8;
  // Folder of the page templates and static files; empty: web/ of the
  // source tree the binary was built from, else /usr/share/dragnet/web.
  std::string assets_dir;
};

// Reads [web]; unknown keys and out-of-range values are errors naming the key.
Status ParseWebOptions(const toml::table* root, WebOptions& o);
// Checks the values again (after command-line flags such as --listen).
Status ValidateWebOptions(const WebOptions& o);
// The folder holding templates/ and static/ (see assets_dir).
std::string AssetsDir(const WebOptions& o);

// "127.0.0.1:8080" -> host and port; "[::1]:8080" too.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen);

}  // namespace dragnet::web
