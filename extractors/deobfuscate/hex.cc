#include "extractors/deobfuscate/hex.h"

#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {

bool LooksLikeHexText(std::string_view s, size_t min_len) {
  if (s.size() < min_len || s.size() % 2 != 0) return false;
  bool lower = false, upper = false;
  for (char c : s) {
    if (HexDigit(c) < 0) return false;
    lower |= c >= 'a' && c <= 'f';
    upper |= c >= 'A' && c <= 'F';
  }
  // Text in hex is mostly 2x-7x pairs: the second digit of ASCII letters
  // covers the whole range; a mix of cases is not how encoders write hex.
  if (lower && upper) return false;
  // Printable ASCII starts with 2-7: most pairs must.
  size_t printable = 0;
  for (size_t i = 0; i < s.size(); i += 2) printable += s[i] >= '2' && s[i] <= '7';
  return printable * 4 >= (s.size() / 2) * 3;
}

bool DecodeHex(std::string_view s, std::string& out) {
  out.clear();
  if (s.size() % 2 != 0) return false;
  out.reserve(s.size() / 2);
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = HexDigit(s[i]), lo = HexDigit(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

}  // namespace dragnet::extractors::deob
