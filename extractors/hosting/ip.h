#pragma once
// IP addresses and CIDR blocks for the hosting stage: parse, format, match,
// and the reversed DNS names the Abusix zone is keyed on. IPv4 and IPv6 in
// one value type (IPv4 in the first 4 bytes). Pure functions; thread-safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dragnet::hosting {

struct IpAddr {
  int family = 0;                  // 4 or 6; 0 = invalid
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses bytes[0..3]
  int bits() const { return family == 4 ? 32 : 128; }
  bool operator==(const IpAddr& o) const { return family == o.family && bytes == o.bytes; }
};

// "192.0.2.1", "2001:db8::1", "[2001:db8::1]". IPv4 octets with leading
// zeros ("074.125.000.000", as ARIN writes them) are read as decimal.
Result<IpAddr> ParseIp(std::string_view text);
// Canonical text (RFC 5952 for IPv6).
std::string FormatIp(const IpAddr& ip);

struct Cidr {
  IpAddr base;  // host bits cleared
  int prefix = 0;
  bool Contains(const IpAddr& ip) const;
  std::string ToString() const;
};

// "192.0.2.0/24", "2001:db8::/32"; a bare address is a /32 or /128.
Result<Cidr> ParseCidr(std::string_view text);
// The single CIDR block exactly covering [first, last], if there is one.
std::optional<Cidr> RangeToCidr(const IpAddr& first, const IpAddr& last);
// first <= ip <= last (same family).
bool InRange(const IpAddr& ip, const IpAddr& first, const IpAddr& last);

// "4.3.2.1" for 1.2.3.4; 32 nibbles "b.a.9.8...." for IPv6 (no zone suffix).
std::string ReverseName(const IpAddr& ip);

}  // namespace dragnet::hosting
