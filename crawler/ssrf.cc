#include "crawler/ssrf.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace dragnet::crawler {
namespace {

struct V4Range {
  uint32_t base;
  int prefix;
  AddressClass cls;
  const char* text;
};

constexpr uint32_t Ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// IANA IPv4 Special-Purpose Address Registry plus multicast and class E.
// Order matters only where ranges nest (0.0.0.0/32 inside 0.0.0.0/8,
// 255.255.255.255 inside 240.0.0.0/4): the most specific comes first.
constexpr V4Range kV4Ranges[] = {
    {Ip4(0, 0, 0, 0), 32, AddressClass::kUnspecified, "0.0.0.0/32"},
    {Ip4(0, 0, 0, 0), 8, AddressClass::kThisNetwork, "0.0.0.0/8"},
    {Ip4(10, 0, 0, 0), 8, AddressClass::kPrivate, "10.0.0.0/8"},
    {Ip4(100, 64, 0, 0), 10, AddressClass::kCgnat, "100.64.0.0/10"},
    {Ip4(127, 0, 0, 0), 8, AddressClass::kLoopback, "127.0.0.0/8"},
    {Ip4(169, 254, 0, 0), 16, AddressClass::kLinkLocal, "169.254.0.0/16"},
    {Ip4(172, 16, 0, 0), 12, AddressClass::kPrivate, "172.16.0.0/12"},
    {Ip4(192, 0, 0, 0), 24, AddressClass::kReserved, "192.0.0.0/24"},
    {Ip4(192, 0, 2, 0), 24, AddressClass::kDocumentation, "192.0.2.0/24"},
    {Ip4(192, 88, 99, 0), 24, AddressClass::kReserved, "192.88.99.0/24"},
    {Ip4(192, 168, 0, 0), 16, AddressClass::kPrivate, "192.168.0.0/16"},
    {Ip4(198, 18, 0, 0), 15, AddressClass::kBenchmarking, "198.18.0.0/15"},
    {Ip4(198, 51, 100, 0), 24, AddressClass::kDocumentation, "198.51.100.0/24"},
    {Ip4(203, 0, 113, 0), 24, AddressClass::kDocumentation, "203.0.113.0/24"},
    {Ip4(224, 0, 0, 0), 4, AddressClass::kMulticast, "224.0.0.0/4"},
    {Ip4(255, 255, 255, 255), 32, AddressClass::kBroadcast, "255.255.255.255/32"},
    {Ip4(240, 0, 0, 0), 4, AddressClass::kReserved, "240.0.0.0/4"},
};

bool InV4(uint32_t addr, uint32_t base, int prefix) {
  if (prefix == 0) return true;
  uint32_t mask = prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
  return (addr & mask) == (base & mask);
}

struct V6Range {
  uint8_t base[16];
  int prefix;
  AddressClass cls;
  const char* text;
};

bool InV6(const uint8_t* addr, const uint8_t* base, int prefix) {
  int full = prefix / 8;
  if (std::memcmp(addr, base, static_cast<size_t>(full)) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (addr[full] & mask) == (base[full] & mask);
}

// IPv6 ranges that do not embed IPv4 (those are handled before this table).
// Order: most specific first where ranges nest (2001:db8::/32 and
// 2001:2::/48 are inside 2001::/23).
const V6Range kV6Ranges[] = {
    {{0x20, 0x01, 0x0d, 0xb8}, 32, AddressClass::kDocumentation, "2001:db8::/32"},
    {{0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48, AddressClass::kBenchmarking, "2001:2::/48"},
    // IETF protocol assignments, Teredo (2001::/32, whose embedded client
    // address is obfuscated) included: no web site lives there.
    {{0x20, 0x01}, 23, AddressClass::kReserved, "2001::/23"},
    {{0x3f, 0xff}, 20, AddressClass::kDocumentation, "3fff::/20"},
    {{0x5f, 0x00}, 16, AddressClass::kReserved, "5f00::/16"},  // SRv6 SIDs
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, AddressClass::kReserved, "64:ff9b:1::/48"},
    {{0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64, AddressClass::kReserved, "100::/64"},  // discard-only
    {{0xfc}, 7, AddressClass::kUniqueLocal, "fc00::/7"},
    {{0xfe, 0x80}, 10, AddressClass::kLinkLocal, "fe80::/10"},
    {{0xfe, 0xc0}, 10, AddressClass::kPrivate, "fec0::/10"},  // deprecated site-local
    {{0xff}, 8, AddressClass::kMulticast, "ff00::/8"},
};

uint32_t V4At(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// An IPv6 form that embeds IPv4: classified by the embedded address, with
// the IPv6 prefix named in the range so the refusal says what was seen.
Classification Embedded(const char* prefix, uint32_t v4) {
  Classification inner = ClassifyV4(v4);
  if (inner.is_public()) return inner;
  inner.range = std::string(prefix) + " embedding " + inner.range;
  return inner;
}

std::string Trim(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

}  // namespace

const char* AddressClassName(AddressClass c) {
  switch (c) {
    case AddressClass::kPublic: return "public";
    case AddressClass::kUnspecified: return "unspecified";
    case AddressClass::kThisNetwork: return "this-network";
    case AddressClass::kLoopback: return "loopback";
    case AddressClass::kPrivate: return "private";
    case AddressClass::kCgnat: return "cgnat";
    case AddressClass::kLinkLocal: return "link-local";
    case AddressClass::kMulticast: return "multicast";
    case AddressClass::kBroadcast: return "broadcast";
    case AddressClass::kReserved: return "reserved";
    case AddressClass::kBenchmarking: return "benchmarking";
    case AddressClass::kDocumentation: return "documentation";
    case AddressClass::kUniqueLocal: return "unique-local";
    case AddressClass::kInvalid: return "invalid";
  }
  return "invalid";
}

Classification ClassifyV4(uint32_t addr) {
  for (const V4Range& r : kV4Ranges) {
    if (InV4(addr, r.base, r.prefix)) return {r.cls, r.text};
  }
  return {AddressClass::kPublic, ""};
}

Classification ClassifyV6(const uint8_t a[16]) {
  // ::/128 and ::1/128 first: they sit inside the IPv4-compatible ::/96.
  if (AllZero(a, 15)) {
    if (a[15] == 0) return {AddressClass::kUnspecified, "::/128"};
    if (a[15] == 1) return {AddressClass::kLoopback, "::1/128"};
  }
  // ::ffff:a.b.c.d (IPv4-mapped): the kernel connects to a.b.c.d itself.
  if (AllZero(a, 10) && a[10] == 0xff && a[11] == 0xff) {
    return Embedded("::ffff:0:0/96", V4At(a + 12));
  }
  // ::ffff:0:a.b.c.d (SIIT IPv4-translated, RFC 2765).
  if (AllZero(a, 8) && a[8] == 0xff && a[9] == 0xff && a[10] == 0 && a[11] == 0) {
    return Embedded("::ffff:0:0:0/96", V4At(a + 12));
  }
  // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291): refused even for a
  // public embedded address, since nothing legitimate uses the form.
  if (AllZero(a, 12)) {
    Classification c = Embedded("::/96", V4At(a + 12));
    if (c.is_public()) return {AddressClass::kReserved, "::/96 (IPv4-compatible, deprecated)"};
    return c;
  }
  // 64:ff9b::/96 (NAT64 well-known prefix, RFC 6052).
  static const uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  if (std::memcmp(a, kNat64, 12) == 0) return Embedded("64:ff9b::/96", V4At(a + 12));
  // 2002:AABB:CCDD::/48 (6to4, RFC 3056): the relay delivers to AA.BB.CC.DD.
  if (a[0] == 0x20 && a[1] == 0x02) return Embedded("2002::/16", V4At(a + 2));
  for (const V6Range& r : kV6Ranges) {
    if (InV6(a, r.base, r.prefix)) return {r.cls, r.text};
  }
  // Only 2000::/3 is allocated as global unicast; the rest is IANA reserved.
  if ((a[0] & 0xe0) != 0x20) return {AddressClass::kReserved, "outside 2000::/3"};
  return {AddressClass::kPublic, ""};
}

Classification Classify(const sockaddr* sa) {
  if (sa == nullptr) return {};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    return ClassifyV4(ntohl(in->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    return ClassifyV6(in6->sin6_addr.s6_addr);
  }
  return {};
}

Classification ClassifyIp(std::string_view ip) {
  std::string s = Trim(ip);
  // A zone id ("fe80::1%eth0") does not change the class.
  if (auto pct = s.find('%'); pct != std::string::npos) s.resize(pct);
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) return ClassifyV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) return ClassifyV6(v6.s6_addr);
  return {};
}

bool IsPublic(std::string_view ip) { return ClassifyIp(ip).is_public(); }

std::string SockaddrIp(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa == nullptr) return {};
  if (sa->sa_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

int SockaddrPort(const sockaddr* sa) {
  if (sa == nullptr) return 0;
  if (sa->sa_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
  if (sa->sa_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
  }
  return 0;
}

namespace {

Status Check(const Classification& c, const std::string& ip, int port,
             const GuardOptions& options) {
  std::string where = (ip.find(':') != std::string::npos ? "[" + ip + "]" : ip) + ":" +
                      std::to_string(port);
  if (c.cls == AddressClass::kInvalid) {
    return Refused("refused to connect to '" + where.substr(0, 64) + "': not an IP address");
  }
  if (c.is_public() || options.allow_private) return Status::Ok();
  for (const std::string& allowed : options.allow) {
    if (allowed == where) return Status::Ok();
  }
  return Refused("refused to connect to " + where + ": " + AddressClassName(c.cls) +
                 " address (" + c.range + ")");
}

}  // namespace

Status CheckConnect(const sockaddr* sa, const GuardOptions& options) {
  return Check(Classify(sa), SockaddrIp(sa), SockaddrPort(sa), options);
}

Status CheckConnectIp(std::string_view ip, int port, const GuardOptions& options) {
  std::string s(ip);
  if (auto pct = s.find('%'); pct != std::string::npos) s.resize(pct);
  return Check(ClassifyIp(s), s, port, options);
}

}  // namespace dragnet::crawler
