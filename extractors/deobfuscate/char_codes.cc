#include "extractors/deobfuscate/char_codes.h"

#include <cmath>
#include <cstdint>

#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {
namespace {

// ECMAScript ToUint16: NaN and infinities are 0; else truncate, modulo 2^16.
uint32_t ToUint16(double d) {
  if (!std::isfinite(d)) return 0;
  double t = std::trunc(d);
  double m = std::fmod(t, 65536.0);
  if (m < 0) m += 65536.0;
  return static_cast<uint32_t>(m);
}

}  // namespace

void AppendFromCharCode(const std::vector<double>& codes, std::string& out) {
  for (size_t i = 0; i < codes.size(); ++i) {
    uint32_t u = ToUint16(codes[i]);
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < codes.size()) {
      uint32_t lo = ToUint16(codes[i + 1]);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    AppendUtf8(out, u);  // a lone surrogate becomes U+FFFD
  }
}

bool AppendFromCodePoint(const std::vector<double>& codes, std::string& out) {
  for (double d : codes) {
    if (!std::isfinite(d) || d < 0 || d > 0x10FFFF || std::trunc(d) != d) return false;
    AppendUtf8(out, static_cast<uint32_t>(d));
  }
  return true;
}

}  // namespace dragnet::extractors::deob
