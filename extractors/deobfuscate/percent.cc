#include "extractors/deobfuscate/percent.h"

#include <cstdint>

#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {
namespace {

// %XX at s[i] ('%' included): the byte, or -1.
int Byte(std::string_view s, size_t i) {
  if (i + 2 >= s.size() || s[i] != '%') return -1;
  int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// %uXXXX at s[i]: the code unit, or -1.
int32_t Unit(std::string_view s, size_t i) {
  if (i + 5 >= s.size() || s[i] != '%' || (s[i + 1] != 'u' && s[i + 1] != 'U')) return -1;
  int32_t v = 0;
  for (size_t k = 2; k < 6; ++k) {
    int d = HexDigit(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

void DecodePercent(std::string_view s, PercentMode mode, std::string& out) {
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '%') {
      out.push_back(s[i++]);
      continue;
    }
    if (mode == PercentMode::kUnescape) {
      if (int32_t u = Unit(s, i); u >= 0) {
        uint32_t cp = static_cast<uint32_t>(u);
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          int32_t lo = Unit(s, i);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
            i += 6;
          }
        }
        AppendUtf8(out, cp);
        continue;
      }
      if (int b = Byte(s, i); b >= 0) {
        AppendUtf8(out, static_cast<uint32_t>(b));
        i += 3;
        continue;
      }
      out.push_back(s[i++]);
      continue;
    }
    // kUri: collect a run of %XX bytes, keep it when it is valid UTF-8.
    size_t j = i;
    std::string bytes;
    while (j < s.size()) {
      int b = Byte(s, j);
      if (b < 0) break;
      bytes.push_back(static_cast<char>(b));
      j += 3;
    }
    if (bytes.empty()) {
      out.push_back(s[i++]);
      continue;
    }
    if (IsValidUtf8(bytes)) {
      out.append(bytes);
    } else {
      // Keep valid prefix characters, the rest as written.
      size_t k = 0;
      while (k < bytes.size()) {
        uint32_t cp = 0;
        size_t n = DecodeUtf8(bytes, k, cp);
        if (cp == 0xFFFD && n == 1) {
          out.append(s.substr(i + 3 * k, 3));
          ++k;
        } else {
          out.append(bytes, k, n);
          k += n;
        }
      }
    }
    i = j;
  }
}

bool HasPercentEscapes(std::string_view s, size_t min) {
  size_t n = 0;
  for (size_t i = s.find('%'); i != std::string_view::npos; i = s.find('%', i + 1)) {
    if (Byte(s, i) >= 0 || Unit(s, i) >= 0) {
      if (++n >= min) return true;
    }
  }
  return false;
}

}  // namespace dragnet::extractors::deob
