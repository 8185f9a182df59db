#include "extractors/deobfuscate/js_lexer.h"

#include <cmath>
#include <algorithm>
#include <cstring>

namespace dragnet::extractors::deob {
namespace {

inline bool IsIdStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80 || c == '\\';
}
inline bool IsIdPart(unsigned char c) { return IsIdStart(c) || (c >= '0' && c <= '9'); }
inline bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Punctuators longest first within each length (maximal munch).
constexpr const char* kPunct4[] = {">>>="};
constexpr const char* kPunct3[] = {"===", "!==", "**=", "<<=", ">>=", ">>>", "...", "&&=", "||=", "?\?="};
constexpr const char* kPunct2[] = {"=>", "==", "!=", "<=", ">=", "&&", "||", "?\?", "?.", "++", "--", "+=",
                                   "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>"};

size_t PunctLen(std::string_view s, size_t i) {
  auto match = [&](const char* p, size_t n) { return i + n <= s.size() && std::memcmp(s.data() + i, p, n) == 0; };
  for (const char* p : kPunct4) if (match(p, 4)) return 4;
  for (const char* p : kPunct3) if (match(p, 3)) return 3;
  for (const char* p : kPunct2) if (match(p, 2)) return 2;
  return 1;
}

// Keywords after which "/" starts a regular expression, not a division.
bool IsRegexKeyword(std::string_view w) {
  static constexpr std::string_view kWords[] = {"return", "typeof", "instanceof", "in", "of", "new", "delete",
                                                "void", "throw", "case", "do", "else", "yield", "await"};
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

double ParseNumber(std::string_view t) {
  // t is the literal as written; '_' separators and a BigInt 'n' dropped.
  char buf[64];
  size_t n = 0;
  for (char c : t) {
    if (c == '_' || c == 'n') continue;
    if (n + 1 >= sizeof(buf)) break;
    buf[n++] = c;
  }
  buf[n] = '\0';
  if (n > 2 && buf[0] == '0') {
    int base = 0;
    char p = static_cast<char>(buf[1] | 0x20);
    if (p == 'x') base = 16;
    else if (p == 'o') base = 8;
    else if (p == 'b') base = 2;
    if (base != 0) {
      double v = 0;
      for (size_t k = 2; k < n; ++k) {
        char c = static_cast<char>(buf[k] | 0x20);
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 99;
        if (d >= base) return NAN;
        v = v * base + d;
      }
      return v;
    }
  }
  char* end = nullptr;
  double v = std::strtod(buf, &end);
  return end == buf ? NAN : v;
}

class Lexer {
 public:
  Lexer(std::string_view s, std::vector<Token>& out, size_t max) : s_(s), out_(out), max_(max) {}

  bool Run() {
    const size_t n = s_.size();
    while (i_ < n) {
      if (out_.size() >= max_) return false;
      unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (IsSpace(c)) {
        if (c == '\n') line_start_ = true;
        ++i_;
        continue;
      }
      // Comments: //, /* */, and the HTML-like <!-- and (at a line start) -->.
      if (c == '/' && i_ + 1 < n && s_[i_ + 1] == '/') { SkipLine(); continue; }
      if (c == '/' && i_ + 1 < n && s_[i_ + 1] == '*') {
        size_t e = s_.find("*/", i_ + 2);
        i_ = e == std::string_view::npos ? n : e + 2;
        continue;
      }
      if (c == '<' && s_.compare(i_, 4, "<!--") == 0) { SkipLine(); continue; }
      if (c == '-' && line_start_ && s_.compare(i_, 3, "-->") == 0) { SkipLine(); continue; }
      line_start_ = false;
      if (c == '"' || c == '\'') { Quoted(static_cast<char>(c)); continue; }
      if (c == '`') { Template(i_); continue; }
      if (c == '}' && !templates_.empty() && templates_.back() == 0) {
        templates_.pop_back();
        Template(i_);  // the rest of the template after a substitution
        continue;
      }
      if (c >= '0' && c <= '9') { Number(); continue; }
      if (c == '.' && i_ + 1 < n && s_[i_ + 1] >= '0' && s_[i_ + 1] <= '9') { Number(); continue; }
      if (IsIdStart(c)) { Name(); continue; }
      if (c == '/' && RegexAllowed()) { Regex(); continue; }
      size_t len = PunctLen(s_, i_);
      if (!templates_.empty()) {
        if (c == '{') ++templates_.back();
        else if (c == '}') --templates_.back();
      }
      Push(Tok::kPunct, 0, i_, len);
      i_ += len;
    }
    return true;
  }

 private:
  void Push(Tok k, char quote, size_t start, size_t len, double number = 0) {
    Token t;
    t.kind = k;
    t.quote = quote;
    t.start = static_cast<uint32_t>(start);
    t.len = static_cast<uint32_t>(len);
    t.number = number;
    out_.push_back(t);
  }

  void SkipLine() {
    size_t e = s_.find('\n', i_);
    i_ = e == std::string_view::npos ? s_.size() : e;
  }

  bool RegexAllowed() const {
    if (out_.empty()) return true;
    const Token& p = out_.back();
    switch (p.kind) {
      case Tok::kString:
      case Tok::kNumber:
      case Tok::kRegex:
        return false;
      case Tok::kName:
        return IsRegexKeyword(p.text(s_));
      case Tok::kPunct: {
        char c = s_[p.start];
        return !(p.len == 1 && (c == ')' || c == ']' || c == '}')) && !(p.len == 2 && (c == '+' || c == '-') && s_[p.start + 1] == c);
      }
    }
    return true;
  }

  void PushString(char quote, size_t start, size_t end, size_t body_start, size_t body_end) {
    Push(Tok::kString, quote, start, end - start);
    out_.back().body_start = static_cast<uint32_t>(body_start);
    out_.back().body_len = static_cast<uint32_t>(body_end - body_start);
  }

  void Quoted(char q) {
    size_t j = i_ + 1;
    const size_t n = s_.size();
    while (j < n && s_[j] != q && s_[j] != '\n') {  // unterminated: ends at the line
      j += s_[j] == '\\' ? 2 : 1;
    }
    if (j > n) j = n;
    bool closed = j < n && s_[j] == q;
    PushString(q, i_, closed ? j + 1 : j, i_ + 1, j);
    i_ = closed ? j + 1 : j;
  }

  // A template (or its rest after a substitution) from the delimiter at
  // `from` ('`' or '}'): literal parts up to "${" or the closing '`'.
  void Template(size_t from) {
    const size_t n = s_.size();
    size_t j = from + 1;
    while (j < n) {
      char c = s_[j];
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '`') {
        // A whole template without substitutions: quote '`'; a part: '$'.
        PushString(s_[from] == '`' ? '`' : '$', from, j + 1, from + 1, j);
        i_ = j + 1;
        return;
      }
      if (c == '$' && j + 1 < n && s_[j + 1] == '{') {
        PushString('$', from, j + 2, from + 1, j);
        templates_.push_back(0);
        i_ = j + 2;
        return;
      }
      ++j;
    }
    j = n;
    PushString('$', from, n, std::min(from + 1, n), n);  // unterminated
    i_ = n;
  }

  void Number() {
    size_t j = i_;
    const size_t n = s_.size();
    while (j < n) {
      unsigned char c = static_cast<unsigned char>(s_[j]);
      bool exp_sign = (c == '+' || c == '-') && j > i_ && (s_[j - 1] == 'e' || s_[j - 1] == 'E') &&
                      !(s_[i_] == '0' && i_ + 1 < n && (s_[i_ + 1] == 'x' || s_[i_ + 1] == 'X'));
      if (IsIdPart(c) || c == '.' || exp_sign) ++j;
      else break;
    }
    Push(Tok::kNumber, 0, i_, j - i_, ParseNumber(s_.substr(i_, j - i_)));
    i_ = j;
  }

  void Name() {
    size_t j = i_;
    while (j < s_.size() && IsIdPart(static_cast<unsigned char>(s_[j]))) {
      j += s_[j] == '\\' ? 2 : 1;  // \u0061 escapes in names
    }
    if (j > s_.size()) j = s_.size();
    Push(Tok::kName, 0, i_, j - i_);
    i_ = j;
  }

  void Regex() {
    size_t j = i_ + 1;
    const size_t n = s_.size();
    bool in_class = false;
    while (j < n && s_[j] != '\n') {
      char c = s_[j];
      if (c == '\\') { j += 2; continue; }
      if (c == '[') in_class = true;
      else if (c == ']') in_class = false;
      else if (c == '/' && !in_class) break;
      ++j;
    }
    if (j >= n || s_[j] != '/') {
      // Not a regex after all (an unterminated one): a one-byte punctuator.
      Push(Tok::kPunct, 0, i_, 1);
      ++i_;
      return;
    }
    ++j;
    while (j < n && IsIdPart(static_cast<unsigned char>(s_[j])) && s_[j] != '\\') ++j;  // flags
    Push(Tok::kRegex, 0, i_, j - i_);
    i_ = j;
  }

  std::string_view s_;
  std::vector<Token>& out_;
  size_t max_;
  size_t i_ = 0;
  bool line_start_ = true;
  std::vector<int> templates_;  // open substitutions: brace depth inside each
};

}  // namespace

bool Tokenize(std::string_view src, std::vector<Token>& out, size_t max_tokens) {
  out.clear();
  if (src.size() > UINT32_MAX) src = src.substr(0, UINT32_MAX);
  return Lexer(src, out, max_tokens).Run();
}

}  // namespace dragnet::extractors::deob
