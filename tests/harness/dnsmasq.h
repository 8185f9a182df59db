#pragma once
// DnsmasqServer: a real DNS server (dnsmasq) on 127.0.0.1:<free port> for
// tests of the resolver, the hosting stage and the Abusix fallback.
//
// It answers only from the records the test gives and never forwards
// anything upstream (--no-resolv, --no-hosts, no server= lines); names under
// the `local_zones` (default "test") that have no record get NXDOMAIN. Every
// query is logged to a file in the server's temporary folder (QueryLog()).
// The server is killed when the object goes away. One test thread owns it.

#include <string>
#include <vector>

#include "tests/harness/harness.h"

namespace dragnet::testing {

struct DnsmasqConfig {
  // dnsmasq.conf lines, e.g. "address=/shop.test/192.0.2.10",
  // "host-record=a.test,192.0.2.1,2001:db8::1", "cname=www.a.test,a.test",
  // "mx-host=a.test,mail.a.test,10", "txt-record=x.test,\"hello\"".
  // The helpers below build the lines dnsmasq has no option for.
  std::vector<std::string> lines;
  std::vector<std::string> local_zones = {"test"};
  int ttl = 300;  // TTL of every local answer (local-ttl)
};

// An NS record (dnsmasq has no option for one outside auth mode, so it is a
// raw dns-rr= line with the target in wire format).
std::string DnsmasqNsRecord(const std::string& zone, const std::string& target);

class DnsmasqServer {
 public:
  // Starts dnsmasq; throws std::runtime_error with its log when it fails.
  explicit DnsmasqServer(const DnsmasqConfig& config);
  ~DnsmasqServer();

  int port() const { return port_; }
  // "127.0.0.1:<port>", the form [dns] servers takes.
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  // dnsmasq's query log so far.
  std::string QueryLog() const;
  // Stops dnsmasq and starts it again on the same port with `config`: a
  // test changes its DNS (a name removed, NS moved) mid-way. Throws
  // std::runtime_error when it does not come back.
  void Restart(const DnsmasqConfig& config);

 private:
  void Start(const DnsmasqConfig& config, bool keep_port);
  TempDir dir_;
  int port_ = 0;
  Process proc_;
};

}  // namespace dragnet::testing
