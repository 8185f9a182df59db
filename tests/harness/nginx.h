#pragma once
// NginxServer: a real nginx on 127.0.0.1 for integration tests.
//
// The caller gives the `server { ... }` blocks (and any other http-level
// directives); the harness writes the rest of nginx.conf into a temporary
// folder (pid, logs, temp paths), generates a self-signed certificate for
// TLS blocks, picks free ports and starts nginx in the foreground.
// Placeholders replaced in the fragment:
//   {{PORT}}      plain HTTP port       {{TLS_PORT}} HTTPS port
//   {{CERT}}      certificate path      {{KEY}}      private key path
//   {{FIXTURES}}  tests/fixtures        {{DIR}}      the server's temp folder
// The brotli filter module is loaded when Debian ships it.

#include <memory>
#include <string>

#include "tests/harness/harness.h"

namespace dragnet::testing {

class NginxServer {
 public:
  // Starts nginx; throws std::runtime_error with nginx's log when it fails.
  explicit NginxServer(const std::string& http_fragment);
  ~NginxServer();

  int port() const { return port_; }
  int tls_port() const { return tls_port_; }
  const std::string& dir() const { return dir_.path(); }
  const std::string& cert() const { return cert_; }
  // Text of nginx's access log (one line per request).
  std::string AccessLog() const;

 private:
  TempDir dir_;
  int port_ = 0;
  int tls_port_ = 0;
  std::string cert_, key_;
  Process proc_;
};

// Replaces every "{{NAME}}" in `text`.
std::string ReplaceAll(std::string text, const std::string& from, const std::string& to);

}  // namespace dragnet::testing
