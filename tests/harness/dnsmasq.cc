#include "tests/harness/dnsmasq.h"

#include <unistd.h>

#include <stdexcept>

namespace dragnet::testing {

std::string DnsmasqNsRecord(const std::string& zone, const std::string& target) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  size_t pos = 0;
  while (pos <= target.size()) {
    size_t dot = target.find('.', pos);
    std::string label = target.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!label.empty()) {
      unsigned char n = static_cast<unsigned char>(label.size());
      hex += kHex[n >> 4];
      hex += kHex[n & 0xF];
      for (unsigned char c : label) {
        hex += kHex[c >> 4];
        hex += kHex[c & 0xF];
      }
    }
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  hex += "00";
  return "dns-rr=" + zone + ",2," + hex;
}

DnsmasqServer::DnsmasqServer(const DnsmasqConfig& config) { Start(config, false); }

void DnsmasqServer::Restart(const DnsmasqConfig& config) {
  proc_.Stop(3000);
  Start(config, true);
}

void DnsmasqServer::Start(const DnsmasqConfig& config, bool keep_port) {
  std::string conf;
  conf += "no-resolv\nno-hosts\nno-poll\nbind-interfaces\nlisten-address=127.0.0.1\n";
  conf += "log-queries\nlog-facility=" + dir_.File("queries.log") + "\n";
  conf += "local-ttl=" + std::to_string(config.ttl) + "\n";
  conf += "cache-size=0\n";
  for (const auto& z : config.local_zones) conf += "local=/" + z + "/\n";
  for (const auto& l : config.lines) conf += l + "\n";
  WriteAll(dir_.File("dnsmasq.conf"), conf);
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (!keep_port || port_ == 0) port_ = FreePort();
    std::vector<std::string> argv = {"dnsmasq", "--keep-in-foreground",
                                     "--conf-file=" + dir_.File("dnsmasq.conf"),
                                     "--port=" + std::to_string(port_),
                                     "--pid-file=" + dir_.File("dnsmasq.pid")};
    // As root dnsmasq drops to "nobody", who cannot write the query log here.
    if (::getuid() == 0) argv.push_back("--user=root");
    proc_ = Process(argv, dir_.File("stderr.log"));
    // dnsmasq serves TCP on the same port; accepting there means it is up.
    if (WaitForPort(port_, 5000)) return;
    proc_.Stop(1000);
  }
  throw std::runtime_error("dnsmasq did not start: " + ReadAll(dir_.File("stderr.log")));
}

DnsmasqServer::~DnsmasqServer() { proc_.Stop(3000); }

std::string DnsmasqServer::QueryLog() const { return ReadAll(dir_.File("queries.log")); }

}  // namespace dragnet::testing
