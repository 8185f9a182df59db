#include "extractors/deobfuscate/text_obfuscation.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/url.h"
#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {
namespace {

// RFC 5321 limits: 64 bytes of local part, 253 of domain; labels 63.
constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxDomain = 253;
constexpr size_t kMaxLabels = 8;
// Spaces allowed around a spelled-out "@" or ".".
constexpr size_t kMaxSpaces = 3;
// How far after a substitute symbol the "@" it stands for must follow.
constexpr size_t kSubstituteWindow = 60;
constexpr size_t kMaxSubstitutes = 4;

// ============================================================ characters ===

// First code point of each script's 0-9 run.
constexpr uint32_t kDigitZeros[] = {0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66,
                                    0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20,
                                    0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1B50, 0xFF10};

// What a non-ASCII code point becomes: -1 to keep it, 0 to drop it, else the
// ASCII character.
int MapChar(uint32_t cp) {
  switch (cp) {
    case 0x00AD: case 0x180E: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
    case 0x2061: case 0x2062: case 0x2063: case 0x2064: case 0xFEFF:
      return 0;
    case 0x3000: return ' ';
    case 0xFE6B: return '@';
    case 0x3002: case 0xFF61: return -1;  // ideographic full stops: a dot only inside an address (below)
    default: break;
  }
  for (uint32_t z : kDigitZeros) {
    if (cp >= z && cp <= z + 9) return static_cast<int>('0' + (cp - z));
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) return static_cast<int>(cp - 0xFEE0);
  return -1;
}

// Pass 1: characters. Returns true when anything changed (out filled).
bool MapChars(std::string_view in, std::string& out) {
  size_t i = 0, copied = 0;
  bool changed = false;
  while (i < in.size()) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t n = DecodeUtf8(in, i, cp);
    int m = MapChar(cp);
    if (m < 0) {
      i += n;
      continue;
    }
    if (!changed) {
      out.clear();
      out.reserve(in.size());
      changed = true;
    }
    out.append(in.substr(copied, i - copied));
    if (m > 0) out.push_back(static_cast<char>(m));
    i += n;
    copied = i;
  }
  if (changed) out.append(in.substr(copied));
  return changed;
}

// ================================================================= words ===

enum WordKind : uint8_t { kAtWord, kDotWord };

struct Word {
  const char* text;   // lowercase for ASCII letters
  WordKind kind;
  bool ambiguous;     // also an ordinary word: needs brackets or a spelled dot
  bool glued;         // may touch the address without spaces (scripts without spaces)
};

constexpr Word kWords[] = {
    // "@"
    {"at", kAtWord, true, false},            // en, id, ms, de, nl, ...
    {"et", kAtWord, true, false},            // tr, fr
    {"a", kAtWord, true, false},             // vi "(a)", es "(a)"
    {"arroba", kAtWord, false, false},       // es, pt
    {"arobase", kAtWord, false, false},      // fr
    {"ät", kAtWord, false, false},           // de, fi, sv
    {"klammeraffe", kAtWord, false, false},  // de
    {"chiocciola", kAtWord, false, false},   // it
    {"apenstaartje", kAtWord, false, false}, // nl
    {"snabel-a", kAtWord, false, false},     // sv, da, no
    {"snabela", kAtWord, false, false},
    {"miukumauku", kAtWord, false, false},   // fi
    {"małpa", kAtWord, false, false},        // pl
    {"malpa", kAtWord, false, false},
    {"zavináč", kAtWord, false, false},      // cs, sk
    {"zavinac", kAtWord, false, false},
    {"kukac", kAtWord, false, false},        // hu
    {"собака", kAtWord, false, false},       // ru
    {"Собака", kAtWord, false, false},
    {"собачка", kAtWord, false, false},
    {"равлик", kAtWord, false, false},       // uk
    {"παπάκι", kAtWord, false, false},       // el
    {"a còng", kAtWord, false, false},       // vi
    {"a cong", kAtWord, false, false},
    {"a móc", kAtWord, false, false},
    {"แอท", kAtWord, false, true},           // th
    {"แอ็ท", kAtWord, false, true},
    {"艾特", kAtWord, false, true},           // zh
    {"アットマーク", kAtWord, false, true},   // ja
    {"あっと", kAtWord, false, true},
    {"アット", kAtWord, false, true},
    {"골뱅이", kAtWord, false, true},         // ko
    {"앳", kAtWord, false, true},
    {"שטרודל", kAtWord, false, false},       // he
    {"@", kAtWord, false, false},            // "[@]", "sales @ shop"
    // "."
    {"dot", kDotWord, true, false},          // en
    {"period", kDotWord, true, false},
    {"punto", kDotWord, true, false},        // es, it
    {"ponto", kDotWord, true, false},        // pt
    {"point", kDotWord, true, false},        // fr
    {"punkt", kDotWord, true, false},        // de, sv, da, no, pl
    {"punt", kDotWord, true, false},         // nl, ca
    {"prick", kDotWord, true, false},        // sv
    {"kropka", kDotWord, true, false},       // pl
    {"tečka", kDotWord, true, false},        // cs
    {"tecka", kDotWord, true, false},
    {"bodka", kDotWord, true, false},        // sk
    {"pont", kDotWord, true, false},         // hu
    {"piste", kDotWord, true, false},        // fi
    {"nokta", kDotWord, true, false},        // tr
    {"chấm", kDotWord, true, false},         // vi
    {"cham", kDotWord, true, false},
    {"titik", kDotWord, true, false},        // id, ms
    {"точка", kDotWord, true, false},        // ru
    {"крапка", kDotWord, true, false},       // uk
    {"τελεία", kDotWord, true, false},       // el
    {"נקודה", kDotWord, true, false},        // he
    {"จุด", kDotWord, true, true},           // th
    {"点", kDotWord, true, true},             // zh
    {"點", kDotWord, true, true},
    {"ドット", kDotWord, true, true},         // ja
    {"닷", kDotWord, true, true},             // ko
    {"점", kDotWord, true, true},
    {"。", kDotWord, false, true},            // ideographic full stop
    {"｡", kDotWord, false, true},
    {".", kDotWord, false, false},           // "shop . com"
};

// Bracket pairs a spelled-out word may sit in.
constexpr std::pair<const char*, const char*> kBrackets[] = {
    {"[", "]"}, {"(", ")"}, {"{", "}"}, {"<", ">"}, {"【", "】"}, {"「", "」"}, {"《", "》"}, {"〔", "〕"}, {"〈", "〉"}};

inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || (c >= '0' && c <= '9'); }
inline bool IsLocalChar(char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }
inline bool IsLabelChar(char c) { return IsAsciiAlnum(c) || c == '-'; }

// `w` at s[i], ASCII letters compared case-insensitively.
bool MatchAt(std::string_view s, size_t i, std::string_view w) {
  if (i + w.size() > s.size()) return false;
  for (size_t k = 0; k < w.size(); ++k) {
    char a = s[i + k];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a + 32);
    if (a != w[k]) return false;
  }
  return true;
}

size_t Spaces(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && s[j] == ' ' && j - i < kMaxSpaces) ++j;
  return j;
}

struct Token {
  size_t end = 0;         // index after the token
  bool spelled = false;   // a word or bracket form (not a bare "." / "@")
  bool ambiguous = false;
  bool strong = false;    // in brackets, glued, or the word "dot": never prose
};

// The words by their first byte (ASCII lowercase), so a position is only
// compared with the few words that can start there.
struct WordIndex {
  std::vector<const Word*> by_first[256];
  WordIndex() {
    for (const Word& w : kWords) by_first[static_cast<unsigned char>(w.text[0])].push_back(&w);
  }
};
const WordIndex& Index() {
  static const WordIndex index;
  return index;
}

inline unsigned char LowerByte(char c) {
  return static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

// A spelled "@" or "." of `kind` at s[i] (after any spaces), in brackets or
// standing alone between spaces; also the bare symbol with spaces around.
bool MatchToken(std::string_view s, size_t i, WordKind kind, Token& t) {
  size_t j = Spaces(s, i);
  if (j >= s.size()) return false;
  const bool space_before = j > i;
  const WordIndex& index = Index();
  // In brackets: "[at]", "( at )", "【アットマーク】".
  unsigned char b0 = static_cast<unsigned char>(s[j]);
  if (b0 == '[' || b0 == '(' || b0 == '{' || b0 == '<' || b0 == 0xE3) {
    for (const auto& [open, close] : kBrackets) {
      size_t ol = std::strlen(open);
      if (s.compare(j, ol, open) != 0) continue;
      size_t k = Spaces(s, j + ol);
      if (k >= s.size()) return false;
      for (const Word* w : index.by_first[LowerByte(s[k])]) {
        if (w->kind != kind || !MatchAt(s, k, w->text)) continue;
        size_t e = Spaces(s, k + std::strlen(w->text));
        size_t cl = std::strlen(close);
        if (s.compare(e, cl, close) != 0) continue;
        t.end = Spaces(s, e + cl);
        t.spelled = true;
        t.ambiguous = false;
        t.strong = true;
        return true;
      }
    }
  }
  // A word on its own.
  for (const Word* w : index.by_first[LowerByte(s[j])]) {
    if (w->kind != kind || !MatchAt(s, j, w->text)) continue;
    size_t wl = std::strlen(w->text);
    size_t e = Spaces(s, j + wl);
    const bool space_after = e > j + wl;
    const bool symbol = w->text[0] == '.' || w->text[0] == '@';
    if (symbol) {
      // "sales @ shop" / "shop . com": a bare symbol needs a space beside it
      // to be a rewrite at all (else it is already plain).
      if (!space_before && !space_after) continue;
    } else if (!w->glued) {
      if (!space_before || !space_after) continue;
    }
    // Whole words only: "at" is not the start of "atlas".
    if (!symbol && j + wl < s.size() && IsAsciiAlnum(s[j + wl]) && !w->glued) continue;
    t.end = e;
    t.spelled = !symbol;
    t.ambiguous = w->ambiguous;
    t.strong = w->glued || std::strcmp(w->text, "dot") == 0;
    return true;
  }
  return false;
}

// A spelled "." ending right at s[end) ("john[dot]" <- "doe"): its start,
// or npos. Used for the local part, read backwards from the "@".
size_t DotTokenBefore(std::string_view s, size_t end, size_t limit) {
  auto ends_with_word = [&s](size_t e, const char* w) -> size_t {  // start of w ending at e, or npos
    size_t n = std::strlen(w);
    if (e < n || !MatchAt(s, e - n, w)) return std::string_view::npos;
    return e - n;
  };
  auto back_spaces = [&s, limit](size_t e) {
    size_t k = e;
    while (k > limit && s[k - 1] == ' ' && e - k < kMaxSpaces) --k;
    return k;
  };
  size_t e = back_spaces(end);
  for (const auto& [open, close] : kBrackets) {
    size_t cl = std::strlen(close), ol = std::strlen(open);
    if (e < limit + cl || s.compare(e - cl, cl, close) != 0) continue;
    size_t k = back_spaces(e - cl);
    for (const Word& w : kWords) {
      if (w.kind != kDotWord) continue;
      size_t ws = ends_with_word(k, w.text);
      if (ws == std::string_view::npos || ws < limit) continue;
      size_t o = back_spaces(ws);
      if (o >= limit + ol && s.compare(o - ol, ol, open) == 0) return back_spaces(o - ol);
    }
  }
  // " dot " between spaces.
  if (e < end) {
    for (const Word& w : kWords) {
      if (w.kind != kDotWord || w.text[0] == '.' || w.glued) continue;
      size_t ws = ends_with_word(e, w.text);
      if (ws == std::string_view::npos || ws <= limit || s[ws - 1] != ' ') continue;
      return back_spaces(ws);
    }
  }
  return std::string_view::npos;
}

// Reads a domain at s[i]: labels joined by "." or spelled dots. `spelled`
// counts the spelled ones.
bool ReadDomain(std::string_view s, size_t i, std::string& domain, size_t& end, int& spelled, int& strong) {
  domain.clear();
  spelled = 0;
  strong = 0;
  size_t labels = 0;
  size_t last_label_begin = 0;
  while (i < s.size() && labels < kMaxLabels && domain.size() <= kMaxDomain) {
    size_t b = i;
    while (i < s.size() && IsLabelChar(s[i]) && i - b < 63) ++i;
    if (i == b || s[b] == '-' || s[i - 1] == '-') break;
    if (labels) domain.push_back('.');
    last_label_begin = domain.size();
    domain.append(s.substr(b, i - b));
    ++labels;
    end = i;
    Token t;
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() && IsLabelChar(s[i + 1])) {
      ++i;
      continue;
    }
    if (!MatchToken(s, i, kDotWord, t) || t.end >= s.size() || !IsLabelChar(s[t.end])) break;
    spelled += t.spelled ? 1 : 0;
    strong += t.strong ? 1 : 0;
    i = t.end;
  }
  if (labels < 2) return false;
  std::string_view tld = std::string_view(domain).substr(last_label_begin);
  if (tld.size() < 2 || tld.size() > 24) return false;
  for (char c : tld) {
    if (!IsAsciiAlpha(c)) return false;
  }
  return true;
}

// Pass 2: spelled-out "@" and "." in address shapes.
bool RewriteAddresses(std::string_view s, const std::vector<std::string>& subs, std::string& out) {
  bool changed = false;
  size_t copied = 0;
  size_t i = 0;
  std::string domain;
  while (i < s.size()) {
    char c = s[i];
    // Cheap gate: a token can only start at a space, a bracket, '@', a
    // declared symbol or a non-ASCII byte (the glued words).
    bool gate = c == ' ' || c == '[' || c == '(' || c == '{' || c == '<' || c == '@' ||
                static_cast<unsigned char>(c) >= 0x80 || !subs.empty();
    if (!gate || i == 0 || !IsLocalChar(s[i - 1])) {
      ++i;
      continue;
    }
    Token t;
    bool found = MatchToken(s, i, kAtWord, t);
    bool substitute = false;
    if (!found) {
      for (const std::string& sym : subs) {
        size_t j = Spaces(s, i);
        if (s.compare(j, sym.size(), sym) == 0) {
          t.end = Spaces(s, j + sym.size());
          t.spelled = true;
          t.ambiguous = false;
          found = substitute = true;
          break;
        }
      }
    }
    // A plain "@" glued on both sides is an ordinary address: nothing to do.
    if (!found || t.end >= s.size() || !IsLabelChar(s[t.end])) {
      ++i;
      continue;
    }
    // The local part: back from i over address characters, and over spelled
    // dots between them ("john [dot] doe [at] ...").
    size_t lb = i;
    while (lb > copied && IsLocalChar(s[lb - 1]) && i - lb <= kMaxLocal) --lb;
    std::string local_buf(s.substr(lb, i - lb));
    for (int parts = 0; parts < 4 && lb > copied; ++parts) {
      size_t d = DotTokenBefore(s, lb, copied);
      if (d == std::string_view::npos || d == 0 || !IsLocalChar(s[d - 1])) break;
      size_t pb = d;
      while (pb > copied && IsLocalChar(s[pb - 1]) && i - pb <= kMaxLocal) --pb;
      local_buf = std::string(s.substr(pb, d - pb)) + "." + local_buf;
      lb = pb;
    }
    std::string_view local = local_buf;
    while (!local.empty() && (local.front() == '.' || local.front() == '-')) local.remove_prefix(1), ++lb;
    while (!local.empty() && local.back() == '.') local.remove_suffix(1);
    size_t end = t.end;
    int spelled_dots = 0, strong_dots = 0;
    if (local.empty() || local.size() > kMaxLocal || !ReadDomain(s, t.end, domain, end, spelled_dots, strong_dots)) {
      ++i;
      continue;
    }
    // "at", "et" and "a" are words too: a spaced one needs a dot spelled in
    // a way prose never is ("dot", "[punto]"), or "Marie et le point de vue"
    // would be an address; and any rewrite needs a real public suffix.
    if ((t.ambiguous && strong_dots == 0) || !HasPublicSuffix(domain)) {
      ++i;
      continue;
    }
    (void)substitute;
    if (!changed) {
      out.clear();
      out.reserve(s.size());
      changed = true;
    }
    out.append(s.substr(copied, lb - copied));
    out.append(local);
    out.push_back('@');
    out.append(domain);
    copied = end;
    i = end;
  }
  if (changed) out.append(s.substr(copied));
  return changed;
}

}  // namespace

std::vector<std::string> FindAtSubstitutes(std::string_view text) {
  static constexpr std::string_view kSymbols[] = {"#", "＃", "★", "☆", "*", "＊", "※", "◎", "●", "◆", "■", "▲", "♪"};
  std::vector<std::string> out;
  auto standalone = [&text](size_t b, size_t e) {
    bool left = b == 0 || !IsAsciiAlnum(text[b - 1]);
    bool right = e >= text.size() || !IsAsciiAlnum(text[e]);
    return left && right;
  };
  for (std::string_view sym : kSymbols) {
    size_t from = 0;
    while (out.size() < kMaxSubstitutes) {
      size_t p = text.find(sym, from);
      if (p == std::string_view::npos) break;
      from = p + sym.size();
      if (!standalone(p, p + sym.size())) continue;
      std::string_view window = text.substr(from, kSubstituteWindow);
      size_t at = window.find('@');
      size_t fw = window.find("＠");
      size_t a = std::min(at, fw);
      if (a == std::string_view::npos) continue;
      size_t alen = a == at ? 1 : 3;
      if (!standalone(from + a, from + a + alen)) continue;
      // "# of items @ $5" is prose: the symbol and the "@" must be close,
      // with no digits between them.
      std::string_view between = window.substr(0, a);
      if (between.find_first_of("0123456789$") != std::string_view::npos) continue;
      if (std::find(out.begin(), out.end(), sym) == out.end()) out.emplace_back(sym);
      break;
    }
  }
  return out;
}

bool NormalizeObfuscatedText(std::string_view in, const std::vector<std::string>& subs, std::string& out) {
  std::string chars;
  bool mapped = MapChars(in, chars);
  std::string_view s = mapped ? std::string_view(chars) : in;
  std::string words;
  bool rewritten = RewriteAddresses(s, subs, words);
  if (rewritten) {
    out = std::move(words);
    return true;
  }
  if (mapped) {
    out = std::move(chars);
    return true;
  }
  out.clear();
  return false;
}

}  // namespace dragnet::extractors::deob
