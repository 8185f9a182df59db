#include "extractors/deobfuscate/packer.h"

#include <algorithm>
#include <vector>

#include "extractors/deobfuscate/js_string.h"

namespace dragnet::extractors::deob {
namespace {

// How far the packer's decoder function may reach before its call arguments
// (the stock decoder is ~300 bytes; variants add a little).
constexpr size_t kMaxDecoderBytes = 2048;
// Words in the dictionary (the packer writes one per distinct word).
constexpr size_t kMaxWords = 1u << 16;

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// A quoted literal at s[i]: its value appended to `out`, the index after it
// returned (npos when it is not one).
size_t ReadLiteral(std::string_view s, size_t i, std::string& out) {
  if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return std::string_view::npos;
  char q = s[i];
  size_t j = i + 1;
  while (j < s.size() && s[j] != q) j += s[j] == '\\' ? 2 : 1;
  if (j >= s.size()) return std::string_view::npos;
  DecodeJsStringBody(s.substr(i + 1, j - i - 1), out);
  return j + 1;
}

size_t ReadInt(std::string_view s, size_t i, long& v) {
  size_t j = i;
  v = 0;
  while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 9) v = v * 10 + (s[j++] - '0');
  return j == i ? std::string_view::npos : j;
}

// Value of one encoded word in base `a` (0-9, a-z, A-Z), or -1.
long WordIndex(std::string_view w, long a) {
  long v = 0;
  for (char c : w) {
    long d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 36 : 99;
    if (d >= a) return -1;
    v = v * a + d;
    if (v > static_cast<long>(kMaxWords)) return -1;
  }
  return v;
}

}  // namespace

size_t FindPacker(std::string_view js, size_t from) {
  // Linear in the text after `from`: each pattern is searched forward once,
  // and "eval" only in the few bytes before a candidate (a backward search
  // over the whole prefix per candidate was quadratic: deobfuscate_fuzz).
  static constexpr std::string_view kDirect = "eval(function(p,a,c,k,e,";
  static constexpr std::string_view kTight = "function(p,a,c,k,e";
  static constexpr std::string_view kSpaced = "function (p, a, c, k, e";  // "eval (function (p, a, c, k, e, d)"
  constexpr size_t kEvalWindow = 8;  // "eval" at most this far before "function"
  const size_t direct = js.find(kDirect, from);
  size_t tight = js.find(kTight, from), spaced = js.find(kSpaced, from);
  while (true) {
    const size_t q = std::min(tight, spaced);
    if (direct <= q) return direct;
    if (q == std::string_view::npos) return std::string_view::npos;
    // Never before `from`: a caller moving on with FindPacker(js, at + 1)
    // must not be handed the same "eval" again (that looped for ever).
    const size_t lo = std::max(from, q >= kEvalWindow ? q - kEvalWindow : 0);
    const size_t e = js.substr(lo, q - lo).rfind("eval");
    if (e != std::string_view::npos) return lo + e;
    if (q == tight) {
      tight = js.find(kTight, q + 1);
    } else {
      spaced = js.find(kSpaced, q + 1);
    }
  }
}

bool Unpack(std::string_view js, size_t at, std::string& out, size_t max_out, size_t& consumed) {
  out.clear();
  // The decoder's body ends with "return p}" (or "return p;}"); the call's
  // arguments follow: }('payload', a, c, 'k|...'.split('|') ...
  size_t ret = js.find("return p", at);
  if (ret == std::string_view::npos || ret - at > kMaxDecoderBytes) return false;
  size_t i = js.find('}', ret);
  if (i == std::string_view::npos) return false;
  i = SkipSpace(js, i + 1);
  if (i >= js.size() || js[i] != '(') return false;
  i = SkipSpace(js, i + 1);
  std::string payload;
  i = ReadLiteral(js, i, payload);
  if (i == std::string_view::npos) return false;
  long a = 0, c = 0;
  i = SkipSpace(js, i);
  if (i >= js.size() || js[i] != ',') return false;
  i = ReadInt(js, SkipSpace(js, i + 1), a);
  if (i == std::string_view::npos) return false;
  i = SkipSpace(js, i);
  if (i >= js.size() || js[i] != ',') return false;
  i = ReadInt(js, SkipSpace(js, i + 1), c);
  if (i == std::string_view::npos) return false;
  i = SkipSpace(js, i);
  if (i >= js.size() || js[i] != ',') return false;
  std::string dict;
  i = ReadLiteral(js, SkipSpace(js, i + 1), dict);
  if (i == std::string_view::npos) return false;
  if (a < 2 || a > 62 || c < 0 || static_cast<size_t>(c) > kMaxWords) return false;
  std::vector<std::string_view> words;
  std::string_view d = dict;
  size_t from = 0;
  while (words.size() <= kMaxWords) {
    size_t bar = d.find('|', from);
    words.push_back(d.substr(from, bar == std::string_view::npos ? std::string_view::npos : bar - from));
    if (bar == std::string_view::npos) break;
    from = bar + 1;
  }
  consumed = i - at;
  // Replace every \b\w+\b of the payload by its word when it has one.
  std::string_view p = payload;
  size_t k = 0;
  while (k < p.size()) {
    if (!IsWordChar(p[k])) {
      if (out.size() >= max_out) return false;
      out.push_back(p[k++]);
      continue;
    }
    size_t e = k;
    while (e < p.size() && IsWordChar(p[e])) ++e;
    std::string_view w = p.substr(k, e - k);
    long idx = WordIndex(w, a);
    std::string_view rep = w;
    if (idx >= 0 && idx < c && static_cast<size_t>(idx) < words.size() && !words[idx].empty()) rep = words[idx];
    if (out.size() + rep.size() > max_out) return false;
    out.append(rep);
    k = e;
  }
  return true;
}

}  // namespace dragnet::extractors::deob
