#pragma once
// SSRF guard: which IP addresses a crawl of hostile sites may connect to.
//
// Scam sites are attacker-controlled: a redirect, a link, or a DNS answer
// (including one that changes between lookups: DNS rebinding) can point the
// crawler at the machine it runs on, the LAN behind it, or a cloud metadata
// service (169.254.169.254). The fetcher therefore asks this guard about the
// address of every socket it is about to open (libcurl's
// CURLOPT_OPENSOCKETFUNCTION), after DNS and before any packet leaves.
//
// Classify() is a pure function over one address: it names the special-use
// range (IANA IPv4/IPv6 Special-Purpose Address Registries) the address
// falls in, or kPublic. IPv6 forms that embed an IPv4 address
// (IPv4-mapped ::ffff:a.b.c.d, SIIT ::ffff:0:a.b.c.d, IPv4-compatible
// ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are classified by the
// embedded address, so ::ffff:127.0.0.1 is loopback. Anything outside
// global unicast 2000::/3 is refused as reserved.
//
// ConnectGuard is the policy: refuse every non-public address unless
// allow_private is set, and let through a short list of exact "ip:port"
// pairs (test-only; see GuardOptions).
//
// Everything here is pure and thread-safe.

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dragnet::crawler {

enum class AddressClass {
  kPublic,
  kUnspecified,    // 0.0.0.0, ::
  kThisNetwork,    // 0.0.0.0/8 (connects to the local host on Linux)
  kLoopback,       // 127.0.0.0/8, ::1
  kPrivate,        // RFC 1918; deprecated IPv6 site-local fec0::/10
  kCgnat,          // 100.64.0.0/10 shared address space (RFC 6598)
  kLinkLocal,      // 169.254.0.0/16 (cloud metadata), fe80::/10
  kMulticast,      // 224.0.0.0/4, ff00::/8
  kBroadcast,      // 255.255.255.255
  kReserved,       // 240.0.0.0/4, IETF protocol assignments, non-global IPv6, ...
  kBenchmarking,   // 198.18.0.0/15, 2001:2::/48
  kDocumentation,  // TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20
  kUniqueLocal,    // fc00::/7
  kInvalid,        // not an IP address / unknown family
};

// "public", "loopback", "private", "cgnat", "link-local", ...
const char* AddressClassName(AddressClass c);

struct Classification {
  AddressClass cls = AddressClass::kInvalid;
  // The range that decided it, e.g. "169.254.0.0/16"; for IPv6 forms that
  // embed IPv4, "::ffff:0:0/96 embedding 127.0.0.0/8". Empty for kPublic.
  std::string range;
  bool is_public() const { return cls == AddressClass::kPublic; }
};

// IPv4 address in host byte order.
Classification ClassifyV4(uint32_t addr);
// IPv6 address, 16 bytes in network order.
Classification ClassifyV6(const uint8_t addr[16]);
// AF_INET or AF_INET6 socket address; kInvalid for anything else.
Classification Classify(const sockaddr* sa);
// Textual address ("10.0.0.1", "::ffff:127.0.0.1", "[::1]"); kInvalid when
// it is not an IP literal.
Classification ClassifyIp(std::string_view ip);
// True only for a valid IP literal in no special-use range.
bool IsPublic(std::string_view ip);

// "1.2.3.4" / "2001:db8::1" and the port of a socket address.
std::string SockaddrIp(const sockaddr* sa);
int SockaddrPort(const sockaddr* sa);

struct GuardOptions {
  // Lift the guard entirely (CrawlOptions::allow_private).
  bool allow_private = false;
  // Exact "ip:port" pairs ("127.0.0.1:8080", "[::1]:8080") let through even
  // when the address is not public. Test-only: lets a hostile test server on
  // 127.0.0.1:P be reached with the guard on, while redirects from it to
  // 127.0.0.1:Q or 169.254.169.254 are still refused. Empty by default.
  std::vector<std::string> allow;
};

// Refused("refused to connect to 169.254.169.254:80: link-local address
// (169.254.0.0/16)") for a forbidden address, Ok otherwise.
Status CheckConnect(const sockaddr* sa, const GuardOptions& options);
// The same for a textual address ("10.0.0.1", "::1") and port; an address
// that does not parse is refused.
Status CheckConnectIp(std::string_view ip, int port, const GuardOptions& options);

}  // namespace dragnet::crawler
