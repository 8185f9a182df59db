#include "extractors/deobfuscate/base64.h"

#include <array>
#include <cstdint>

#include "core/strings.h"
#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {
namespace {

// Value of a base64 character in either alphabet; -1 otherwise.
const std::array<int8_t, 256>& Table() {
  static const std::array<int8_t, 256> t = [] {
    std::array<int8_t, 256> v{};
    v.fill(-1);
    for (int i = 0; i < 26; ++i) {
      v['A' + i] = static_cast<int8_t>(i);
      v['a' + i] = static_cast<int8_t>(26 + i);
    }
    for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<int8_t>(52 + i);
    v['+'] = v['-'] = 62;
    v['/'] = v['_'] = 63;
    return v;
  }();
  return t;
}

inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

bool DecodeBase64(std::string_view in, std::string& out, size_t max_out) {
  const auto& table = Table();
  out.clear();
  // Upper bound of the output: 3 bytes per 4 characters.
  size_t cap = in.size() / 4 * 3 + 3;
  if (cap > max_out) cap = max_out + 1;
  out.reserve(cap);
  uint32_t acc = 0;
  int bits = 0;
  size_t chars = 0;
  size_t pad = 0;
  for (char c : in) {
    if (IsAsciiSpace(c)) continue;
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad != 0) return false;  // data after padding
    int v = table[static_cast<unsigned char>(c)];
    if (v < 0) return false;
    ++chars;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out.size() >= max_out) return false;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (chars % 4 == 1 || pad > 2) return false;  // no encoder writes these
  return chars != 0;
}

bool LooksLikeBase64(std::string_view s, size_t min_len) {
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() < min_len || s.size() % 4 == 1) return false;
  const auto& table = Table();
  bool lower = false, upper = false, digit = false, std_alpha = false, url_alpha = false;
  for (char c : s) {
    if (table[static_cast<unsigned char>(c)] < 0) return false;
    lower |= c >= 'a' && c <= 'z';
    upper |= c >= 'A' && c <= 'Z';
    digit |= c >= '0' && c <= '9';
    std_alpha |= c == '+' || c == '/';
    url_alpha |= c == '-' || c == '_';
  }
  if (std_alpha && url_alpha) return false;
  // A path ("assets/img/logo/header/main") uses only lower case and '/'.
  return lower && upper && (digit || s.size() >= 24);
}

bool IsTextPayload(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
    if (c == 0x7f) return false;
  }
  return IsValidUtf8(s);
}

std::string_view DataUriBase64(std::string_view uri) {
  if (uri.size() < 6 || AsciiLower(uri.substr(0, 5)) != "data:") return {};
  size_t comma = uri.find(',');
  // The media type and parameters of real data: URIs are short.
  if (comma == std::string_view::npos || comma > 128) return {};
  std::string_view head = uri.substr(0, comma);
  if (head.size() < 7 || AsciiLower(head.substr(head.size() - 7)) != ";base64") return {};
  return uri.substr(comma + 1);
}

}  // namespace dragnet::extractors::deob
