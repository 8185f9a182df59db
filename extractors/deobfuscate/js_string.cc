#include "extractors/deobfuscate/js_string.h"

#include <cstdint>

#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {
namespace {

// n hex digits at s[i]; -1 when any is missing.
int32_t HexN(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int32_t v = 0;
  for (size_t k = 0; k < n; ++k) {
    int d = HexDigit(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// Reads one \u escape starting at s[i] (just after "\u"): the code unit or
// code point, and the characters it took; -1 when malformed.
int32_t ReadU(std::string_view s, size_t i, size_t& len) {
  if (i < s.size() && s[i] == '{') {
    size_t j = i + 1;
    int64_t v = 0;
    while (j < s.size() && s[j] != '}' && j - i <= 8) {
      int d = HexDigit(s[j]);
      if (d < 0) return -1;
      v = v * 16 + d;
      ++j;
    }
    if (j >= s.size() || s[j] != '}' || j == i + 1 || v > 0x10FFFF) return -1;
    len = j + 1 - i;
    return static_cast<int32_t>(v);
  }
  int32_t v = HexN(s, i, 4);
  if (v >= 0) len = 4;
  return v;
}

}  // namespace

void DecodeJsStringBody(std::string_view s, std::string& out) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Runs without a backslash go in whole.
    size_t b = s.find('\\', i);
    if (b == std::string_view::npos) {
      out.append(s.substr(i));
      return;
    }
    out.append(s.substr(i, b - i));
    i = b + 1;
    if (i >= n) return;  // a trailing backslash
    char e = s[i++];
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'v': out.push_back('\v'); break;
      case '\r':
        if (i < n && s[i] == '\n') ++i;  // CRLF continuation
        break;
      case '\n':
        break;  // line continuation
      case 'x': {
        int32_t v = HexN(s, i, 2);
        if (v < 0) {
          out.push_back('x');
        } else {
          AppendUtf8(out, static_cast<uint32_t>(v));
          i += 2;
        }
        break;
      }
      case 'u': {
        size_t len = 0;
        int32_t v = ReadU(s, i, len);
        if (v < 0) {
          out.push_back('u');
          break;
        }
        i += len;
        uint32_t cp = static_cast<uint32_t>(v);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i] == '\\' && s[i + 1] == 'u') {
          size_t len2 = 0;
          int32_t lo = ReadU(s, i + 2, len2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
            i += 2 + len2;
          }
        }
        AppendUtf8(out, cp);  // a lone surrogate becomes U+FFFD
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          // Legacy octal: up to three digits while the value stays <= 0377.
          uint32_t v = static_cast<uint32_t>(e - '0');
          size_t max_digits = e <= '3' ? 3 : 2;
          size_t digits = 1;
          while (digits < max_digits && i < n && s[i] >= '0' && s[i] <= '7') {
            v = v * 8 + static_cast<uint32_t>(s[i] - '0');
            ++i;
            ++digits;
          }
          AppendUtf8(out, v);
        } else {
          out.push_back(e);  // "\@", "\/", "\'", a UTF-8 lead byte's run continues below
        }
        break;
    }
  }
}

}  // namespace dragnet::extractors::deob
