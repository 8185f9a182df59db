#pragma once
// HostileServer: the misbehaving HTTP server of tests/harness/hostile_server.py
// (slow drips, endless bodies, compression bombs, redirects into the
// internal network, malformed replies, silence), started on free 127.0.0.1
// ports for one test fixture and killed when the handle goes away.
//
// port() serves HTTP; blackhole_port() accepts TCP handshakes for nobody
// (its queue is kept full), so connect() to it times out. Get() is a plain
// blocking HTTP/1.0 GET to the server itself (for /stats), without curl.
//
// Threads: one test thread owns a HostileServer.

#include <string>

#include "tests/harness/harness.h"

namespace dragnet::testing {

class HostileServer {
 public:
  // Starts the server; throws std::runtime_error with its log on failure.
  HostileServer();
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  int port() const { return port_; }
  int blackhole_port() const { return blackhole_port_; }
  // "http://127.0.0.1:<port>" + path.
  std::string Url(const std::string& path) const;
  // "127.0.0.1:<port>", as the SSRF guard's allow list wants it.
  std::string Address() const;
  // Body of GET path (empty on any failure), with `host` as Host header.
  std::string Get(const std::string& path, const std::string& host = "127.0.0.1") const;
  std::string Log() const;

 private:
  TempDir dir_;
  int port_ = 0;
  int blackhole_port_ = 0;
  Process proc_;
};

}  // namespace dragnet::testing
