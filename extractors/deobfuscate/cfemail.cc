#include "extractors/deobfuscate/cfemail.h"

#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {

// The longest address RFC 5321 allows is 254 bytes: 1 + 254 hex pairs.
constexpr size_t kMaxCfHex = 2 * 255;

bool DecodeCfEmail(std::string_view hex, std::string& out) {
  out.clear();
  if (hex.size() < 4 || hex.size() % 2 != 0 || hex.size() > kMaxCfHex) return false;
  auto byte = [&hex](size_t i) {
    int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  };
  int key = byte(0);
  if (key < 0) return false;
  for (size_t i = 2; i < hex.size(); i += 2) {
    int b = byte(i);
    if (b < 0) return false;
    char c = static_cast<char>(b ^ key);
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
    out.push_back(c);
  }
  return true;
}

std::string_view CfEmailFragment(std::string_view url) {
  static constexpr std::string_view kPath = "/cdn-cgi/l/email-protection#";
  size_t p = url.find(kPath);
  if (p == std::string_view::npos) return {};
  std::string_view hex = url.substr(p + kPath.size());
  size_t end = 0;
  while (end < hex.size() && HexDigit(hex[end]) >= 0) ++end;
  return hex.substr(0, end);
}

}  // namespace dragnet::extractors::deob
