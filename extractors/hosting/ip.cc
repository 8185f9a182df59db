#include "extractors/hosting/ip.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace dragnet::hosting {
namespace {

// IPv4 dotted quad, each part 1..3 decimal digits (leading zeros allowed).
bool ParseV4(std::string_view s, uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t start = i;
    unsigned v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
    }
    if (i == start || v > 255) return false;
    out[part++] = static_cast<uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

}  // namespace

Result<IpAddr> ParseIp(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  IpAddr ip;
  if (text.empty() || text.size() > 45) return InvalidArgument("not an IP address");
  if (text.find(':') == std::string_view::npos) {
    if (!ParseV4(text, ip.bytes.data())) {
      return InvalidArgument("not an IP address: '" + std::string(text) + "'");
    }
    ip.family = 4;
    return ip;
  }
  std::string s(text);
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) != 1) {
    return InvalidArgument("not an IP address: '" + s + "'");
  }
  std::memcpy(ip.bytes.data(), &a6, 16);
  ip.family = 6;
  return ip;
}

std::string FormatIp(const IpAddr& ip) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (ip.family == 4) {
    inet_ntop(AF_INET, ip.bytes.data(), buf, sizeof buf);
  } else if (ip.family == 6) {
    inet_ntop(AF_INET6, ip.bytes.data(), buf, sizeof buf);
  }
  return buf;
}

bool Cidr::Contains(const IpAddr& ip) const {
  if (ip.family != base.family) return false;
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(ip.bytes.data(), base.bytes.data(), static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (ip.bytes[full] & mask) == (base.bytes[full] & mask);
}

std::string Cidr::ToString() const { return FormatIp(base) + "/" + std::to_string(prefix); }

Result<Cidr> ParseCidr(std::string_view text) {
  auto slash = text.find('/');
  auto ip = ParseIp(text.substr(0, slash));
  if (!ip.ok()) return InvalidArgument("not a CIDR block: '" + std::string(text) + "'");
  Cidr c;
  c.base = *ip;
  c.prefix = ip->bits();
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    int v = -1;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (ec != std::errc() || ptr != p.data() + p.size() || v < 0 || v > ip->bits()) {
      return InvalidArgument("bad prefix length in '" + std::string(text) + "'");
    }
    c.prefix = v;
  }
  // Clear host bits.
  for (int bit = c.prefix; bit < c.base.bits(); ++bit) {
    c.base.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  return c;
}

bool InRange(const IpAddr& ip, const IpAddr& first, const IpAddr& last) {
  if (ip.family != first.family || ip.family != last.family) return false;
  size_t n = ip.family == 4 ? 4 : 16;
  return std::memcmp(ip.bytes.data(), first.bytes.data(), n) >= 0 &&
         std::memcmp(ip.bytes.data(), last.bytes.data(), n) <= 0;
}

std::optional<Cidr> RangeToCidr(const IpAddr& first, const IpAddr& last) {
  if (first.family != last.family || first.family == 0) return std::nullopt;
  int bits = first.bits();
  // Common prefix length, then the rest of `first` must be 0s and of `last` 1s.
  int prefix = 0;
  while (prefix < bits) {
    int b1 = (first.bytes[prefix / 8] >> (7 - prefix % 8)) & 1;
    int b2 = (last.bytes[prefix / 8] >> (7 - prefix % 8)) & 1;
    if (b1 != b2) break;
    ++prefix;
  }
  for (int bit = prefix; bit < bits; ++bit) {
    int b1 = (first.bytes[bit / 8] >> (7 - bit % 8)) & 1;
    int b2 = (last.bytes[bit / 8] >> (7 - bit % 8)) & 1;
    if (b1 != 0 || b2 != 1) return std::nullopt;
  }
  return Cidr{first, prefix};
}

std::string ReverseName(const IpAddr& ip) {
  std::string out;
  if (ip.family == 4) {
    for (int i = 3; i >= 0; --i) {
      out += std::to_string(ip.bytes[static_cast<size_t>(i)]);
      if (i) out += '.';
    }
    return out;
  }
  static const char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    uint8_t b = ip.bytes[static_cast<size_t>(i)];
    out += kHex[b & 0xF];
    out += '.';
    out += kHex[b >> 4];
    if (i) out += '.';
  }
  return out;
}

}  // namespace dragnet::hosting
