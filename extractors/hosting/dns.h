#pragma once
// Resolver: DNS lookups over c-ares against the configured servers
// ([dns] servers) or /etc/resolv.conf, with TTLs and the reason a query
// failed (nxdomain, servfail, refused, timeout, nodata) as a result value.
//
// Each Query() call makes its own c-ares channel, sends every question at
// once and waits for all answers (bounded by the timeout), so a Resolver may
// be used from several threads at the same time. Answers are parsed by our
// own bounded DNS message parser (ParseDnsAnswers), which keeps the TTL of
// every record type, which c-ares' helpers do not.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dragnet::hosting {

// Record types we ask for (RFC 1035 / 3596 numbers).
enum class RrType : uint16_t { kA = 1, kNs = 2, kCname = 5, kMx = 15, kTxt = 16, kAaaa = 28 };
const char* RrTypeName(RrType t);

struct DnsRecord {
  std::string name;        // owner name, lowercase, no trailing dot
  uint16_t type = 0;
  uint32_t ttl = 0;
  std::string value;       // address, target name, or TXT strings joined
  int preference = 0;      // MX only
};

struct DnsAnswer {
  std::string qname;
  RrType qtype = RrType::kA;
  // ok, nodata, nxdomain, servfail, refused, timeout, error
  std::string status;
  std::string detail;      // c-ares' message when not ok
  std::vector<DnsRecord> records;  // the answer section as received
  bool ok() const { return status == "ok"; }
};

struct ResolverOptions {
  std::vector<std::string> servers;  // "ip[:port]", "[v6]:port"; empty: system resolvers
  int64_t timeout_ms = 3000;         // whole Query() call
};

struct DnsQuestion {
  std::string name;
  RrType type;
};

class Resolver {
 public:
  explicit Resolver(ResolverOptions options);
  // Checks the server list; an unparseable server is an error naming it.
  Status Init();
  // Answers in the order of `questions`; never fails as a whole.
  std::vector<DnsAnswer> Query(const std::vector<DnsQuestion>& questions) const;

 private:
  ResolverOptions options_;
  std::string servers_csv_;
};

// Caps of the message parser: a reply is at most 64 KiB (TCP), a name at most
// 255 bytes, and compression pointers may chain at most this many times
// (a loop of pointers must end, RFC 1035 4.1.4 does not forbid one).
inline constexpr int kMaxDnsPointerJumps = 32;
// Records kept from one answer (a hostile server may send thousands).
inline constexpr size_t kMaxDnsRecords = 256;

// Parses the answer section of a DNS reply. Malformed input is an error.
Result<std::vector<DnsRecord>> ParseDnsAnswers(const uint8_t* msg, size_t len);

// Everything we know about one host name, as Hosting::dns stores it:
// {a:[{ip,ttl}], aaaa:[...], cname:[{name,target,ttl}], ns:[{host,ttl}],
//  mx:[{host,preference,ttl}], status:{a:"ok",...}, error:"nxdomain: ..."}.
struct HostDns {
  std::string host;
  std::vector<std::string> addresses;  // A then AAAA, deduplicated
  nlohmann::json json;
  std::string error;                   // host-level failure (nxdomain, servfail, timeout)
};

// Resolves A, AAAA, MX of `host` and NS of `zone` (its registrable domain)
// in one round trip.
HostDns ResolveHost(const Resolver& r, const std::string& host, const std::string& zone);

}  // namespace dragnet::hosting
