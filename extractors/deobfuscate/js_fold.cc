#include "extractors/deobfuscate/js_fold.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "extractors/deobfuscate/base64.h"
#include "extractors/deobfuscate/char_codes.h"
#include "extractors/deobfuscate/js_lexer.h"
#include "extractors/deobfuscate/js_string.h"
#include "extractors/deobfuscate/percent.h"
#include "extractors/deobfuscate/utf8.h"

namespace dragnet::extractors::deob {
namespace {

// Nesting of one folded expression (parentheses, arrays, calls): beyond it
// the expression is not folded (its literals are still reported one by one).
constexpr int kMaxExprDepth = 48;
// Elements of one array literal or split() result.
constexpr size_t kMaxArrayElements = 1u << 16;
// Bracket nesting the context tracker follows.
constexpr size_t kMaxFrames = 1024;
// Shortest string reported.
constexpr size_t kMinReported = 4;
// Tokens of a .map() callback the fromCharCode pattern reads.
constexpr size_t kMaxCallbackTokens = 32;

struct Value {
  enum Kind : uint8_t { kNone, kStr, kNum, kArr };
  Kind kind = kNone;
  std::string s;
  double n = 0;
  std::vector<Value> arr;
  int decodes = 0;      // decodings applied
  bool folded = false;  // more than one literal, or a decoder, made it

  size_t Bytes() const {
    size_t b = s.size();
    for (const Value& e : arr) b += e.Bytes() + 1;
    return b;
  }
};

// JavaScript's Number::toString for the values folding meets: integers
// below 2^53 as digits, others in the shortest round-trip form.
std::string NumberToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0) {
    return std::to_string(static_cast<long long>(d));
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, r.ptr);
}

std::string ToStr(const Value& v) {
  switch (v.kind) {
    case Value::kStr: return v.s;
    case Value::kNum: return NumberToString(v.n);
    case Value::kArr: {
      std::string out;
      for (size_t i = 0; i < v.arr.size(); ++i) {
        if (i) out.push_back(',');
        out += ToStr(v.arr[i]);
      }
      return out;
    }
    case Value::kNone: break;
  }
  return {};
}

// Byte offsets of each character of UTF-8 `s` (plus the end), for
// index-based string methods.
std::vector<size_t> CharOffsets(std::string_view s) {
  std::vector<size_t> off;
  off.reserve(s.size() + 1);
  size_t i = 0;
  while (i < s.size()) {
    off.push_back(i);
    uint32_t cp = 0;
    i += DecodeUtf8(s, i, cp);
  }
  off.push_back(s.size());
  return off;
}

bool IsCallKeyword(std::string_view n) {
  static constexpr std::string_view kWords[] = {"if", "for", "while", "switch", "catch", "function", "return",
                                                "typeof", "with", "in", "of", "new", "void", "await", "yield"};
  for (std::string_view w : kWords) {
    if (n == w) return true;
  }
  return false;
}

bool IsGlobalObject(std::string_view n) {
  return n == "window" || n == "self" || n == "globalThis" || n == "top" || n == "parent" || n == "this";
}

uint8_t SinkFlags(std::string_view ctx) {
  static constexpr std::string_view kHtml[] = {"write", "writeln", "innerHTML", "outerHTML", "insertAdjacentHTML",
                                               "html", "append", "prepend", "after", "before", "replaceWith",
                                               "parseFromString", "srcdoc", "createContextualFragment"};
  static constexpr std::string_view kCode[] = {"eval", "Function", "setTimeout", "setInterval", "execScript"};
  for (std::string_view w : kHtml) {
    if (ctx == w) return FoldedString::kHtml;
  }
  for (std::string_view w : kCode) {
    if (ctx == w) return FoldedString::kCode;
  }
  return 0;
}

class Folder {
 public:
  Folder(std::string_view src, const std::vector<Token>& t, int depth, DecodeBudget& b, FoldSink& sink)
      : src_(src), t_(t), depth_(depth), b_(b), sink_(sink) {}

  void Run() {
    size_t i = 0;
    size_t steps = 0;
    while (i < t_.size()) {
      // The clock is read every 256 tokens: cheap, and a script cannot run
      // far past the budget between two reads.
      if ((++steps & 255) == 0 && !b_.TimeOk()) return;
      // `x = <rhs>`: x keeps a value only when the right-hand side folds.
      const bool assigned = IsPlainAssignment(i);
      // Most literals stand alone ("...", not "..." + x, "...".split(...)):
      // reported straight from the thread's buffer, no Value built.
      if (!assigned && Alone(i)) {
        Step(i);
        ++i;
        continue;
      }
      if (Startable(i)) {
        const size_t start = i;
        Value v;
        size_t j = i;
        Chain c = ParseChain(v, j, 0);
        if (c != Chain::kFail) {
          std::string_view ctx = ContextAt(start);
          if (assigned) {
            if (c == Chain::kFull) Remember(t_[start - 2].text(src_), v);
            else vars_.erase(t_[start - 2].text(src_));
          }
          Emit(v, ctx, c == Chain::kFull);
          i = j;
          continue;
        }
      }
      if (assigned && !vars_.empty()) vars_.erase(t_[i - 2].text(src_));
      Step(i);
      ++i;
    }
  }

 private:
  enum class Chain { kFail, kPrefix, kFull };

  struct Frame {
    char open;
    std::string_view context;
  };

  // ------------------------------------------------------------ tokens ---

  bool Punct(size_t i, char c) const { return i < t_.size() && t_[i].IsPunct(src_, c); }
  bool PunctIs(size_t i, std::string_view p) const {
    return i < t_.size() && t_[i].kind == Tok::kPunct && t_[i].text(src_) == p;
  }
  bool NameIs(size_t i, std::string_view n) const {
    return i < t_.size() && t_[i].kind == Tok::kName && t_[i].text(src_) == n;
  }
  std::string_view Name(size_t i) const {
    return i < t_.size() && t_[i].kind == Tok::kName ? t_[i].text(src_) : std::string_view();
  }

  const Value* Lookup(std::string_view name) const {
    auto it = vars_.find(name);
    return it == vars_.end() ? nullptr : &it->second;
  }

  // Where an expression may start that folding could change.
  bool Startable(size_t i) const {
    const Token& tk = t_[i];
    switch (tk.kind) {
      case Tok::kString:
        return tk.quote != '$' || src_[tk.start] == '`';  // a literal, or a template's head
      case Tok::kPunct:
        // A '(' that opens a call's arguments is not an expression: left to
        // Step, which records the callee as the arguments' context.
        if (Punct(i, '(')) return !IsCallParen(i);
        return Punct(i, '[');
      case Tok::kName: {
        if (i > 0 && Punct(i - 1, '.')) return false;
        std::string_view n = tk.text(src_);
        if (n == "String" || n == "atob" || n == "unescape" || n == "decodeURIComponent" || n == "decodeURI" ||
            n == "escape") {
          return true;
        }
        if (IsGlobalObject(n)) return NameIs(i + 2, "atob");
        if (vars_.empty()) return false;
        // A known name matters only when something is done with it.
        return Lookup(n) != nullptr && (PunctIs(i + 1, "+") || Punct(i + 1, '.') || Punct(i + 1, '['));
      }
      default:
        return false;
    }
  }

  // The '(' at i follows a callee: a name (not a keyword), a ')' or a ']'.
  bool IsCallParen(size_t i) const {
    if (i == 0) return false;
    if (t_[i - 1].kind == Tok::kName) return !IsCallKeyword(Name(i - 1));
    return Punct(i - 1, ')') || Punct(i - 1, ']');
  }

  // A plain string literal no operator joins to anything.
  bool Alone(size_t i) const {
    const Token& tk = t_[i];
    if (tk.kind != Tok::kString || tk.quote == '$') return false;
    if (i > 0 && PunctIs(i - 1, "+")) return false;
    return !(PunctIs(i + 1, "+") || Punct(i + 1, '.') || Punct(i + 1, '['));
  }

  // `name = <start...>` with a plain name (not a property): a variable.
  bool IsPlainAssignment(size_t start) const {
    if (start < 2 || !PunctIs(start - 1, "=") || t_[start - 2].kind != Tok::kName) return false;
    return start < 3 || !Punct(start - 3, '.');
  }

  std::string_view ContextAt(size_t pos) const {
    if (pos >= 2) {
      const Token& p1 = t_[pos - 1];
      const Token& p2 = t_[pos - 2];
      if (p1.IsPunct(src_, ':') && (pos < 3 || Punct(pos - 3, '{') || Punct(pos - 3, ','))) {
        if (p2.kind == Tok::kName) return p2.text(src_);
        if (p2.kind == Tok::kString && p2.quote != '$') return p2.body(src_);
      }
      if (p2.kind == Tok::kName && (PunctIs(pos - 1, "=") || PunctIs(pos - 1, "+="))) return p2.text(src_);
    }
    return frames_.empty() ? std::string_view() : frames_.back().context;
  }

  // Only strings and arrays are worth remembering: they are what folding
  // builds on (a number alone is reported where it is written).
  void Remember(std::string_view name, const Value& v) {
    if (v.kind != Value::kStr && v.kind != Value::kArr) return;
    if (!b_.StringOk(v.Bytes())) return;
    auto it = vars_.find(name);
    if (it != vars_.end()) {
      it->second = v;
    } else if (vars_.size() < kMaxVariables) {
      vars_.emplace(name, v);
    }
  }

  // ---------------------------------------------------------- emitting ---

  void EmitText(std::string_view text, std::string_view ctx, uint8_t flags, int decodes) {
    // No indicator is shorter than this (an e-mail address, a phone number,
    // a handle); single characters of a split() would only cost time.
    if (text.size() < kMinReported) return;
    FoldedString f;
    f.text = text;
    f.context = ctx;
    f.flags = flags | SinkFlags(ctx);
    f.depth = depth_ + decodes;
    sink_.OnString(f);
  }

  void Emit(const Value& v, std::string_view ctx, bool whole) {
    uint8_t flags = (whole ? FoldedString::kWhole : 0) | (v.folded ? FoldedString::kDecoded : 0);
    if (v.kind == Value::kStr) {
      // What folding built is new output: charged (literals are the page's own).
      if (v.folded && !b_.Charge(v.s.size())) return;
      EmitText(v.s, ctx, flags, v.decodes);
    } else if (v.kind == Value::kNum) {
      EmitNumber(v.n, ctx);
    } else if (v.kind == Value::kArr) {
      for (const Value& e : v.arr) Emit(e, ctx, whole);
    }
  }

  void EmitNumber(double d, std::string_view ctx) {
    // Phone numbers stored as numbers ({"whatsapp": 6281234567890}).
    if (d >= 1e6 && d < 1e16 && std::trunc(d) == d) {
      std::string s = NumberToString(d);
      EmitText(s, ctx, FoldedString::kNumber | FoldedString::kWhole, 0);
    }
  }

  // A token the folding did not use: track brackets and report literals.
  void Step(size_t i) {
    const Token& tk = t_[i];
    switch (tk.kind) {
      case Tok::kString: {
        std::string& buf = scratch_;
        buf.clear();
        std::string_view body = tk.body(src_);
        // A literal longer than any string may be is read up to the cap.
        if (body.size() > b_.limits().max_string_bytes) {
          b_.Hit(kLimitString);
          body = body.substr(0, b_.limits().max_string_bytes);
        }
        DecodeJsStringBody(body, buf);
        EmitText(buf, ContextAt(i), 0, 0);
        break;
      }
      case Tok::kNumber:
        EmitNumber(tk.number, ContextAt(i));
        break;
      case Tok::kName:
        break;
      case Tok::kPunct: {
        if (tk.len != 1) break;
        char c = src_[tk.start];
        if (c == '(') {
          std::string_view callee;
          if (i > 0 && t_[i - 1].kind == Tok::kName && !IsCallKeyword(Name(i - 1))) callee = Name(i - 1);
          else if (i > 0 && Punct(i - 1, ')')) callee = "(iife)";
          Push('(', callee);
        } else if (c == '[') {
          Push('[', ContextAt(i));
        } else if (c == '{') {
          Push('{', {});
        } else if (c == ')' || c == ']' || c == '}') {
          Pop(c == ')' ? '(' : c == ']' ? '[' : '{');
        }
        break;
      }
      case Tok::kRegex:
        break;
    }
  }

  void Push(char open, std::string_view ctx) {
    if (frames_.size() < kMaxFrames) frames_.push_back({open, ctx});
  }
  void Pop(char open) {
    for (size_t k = frames_.size(); k-- > 0;) {
      if (frames_[k].open == open) {
        frames_.resize(k);
        return;
      }
    }
  }

  // ----------------------------------------------------------- folding ---

  // An additive chain at `i`: kFull when every operand folded (v holds the
  // value, i is past it); kPrefix when the first operands folded and one did
  // not (v holds their value, i is at the one that did not); kFail when the
  // first did not (i unchanged).
  Chain ParseChain(Value& v, size_t& i, int level) {
    if (level > kMaxExprDepth) return Chain::kFail;
    size_t j = i;
    if (!ParseOperand(v, j, level)) return Chain::kFail;
    i = j;
    while (PunctIs(i, "+")) {
      Value rhs;
      size_t k = i + 1;
      if (!ParseOperand(rhs, k, level)) return Chain::kPrefix;  // i stays at the '+'... see below
      if (!Concat(v, rhs)) return Chain::kPrefix;
      i = k;
    }
    return Chain::kFull;
  }

  // The whole of an expression must fold (arguments, elements).
  bool ParseFull(Value& v, size_t& i, int level) {
    size_t j = i;
    if (ParseChain(v, j, level) != Chain::kFull) return false;
    i = j;
    return true;
  }

  bool Concat(Value& v, Value& rhs) {
    if (v.kind == Value::kNum && rhs.kind == Value::kNum) {
      v.n += rhs.n;
      v.folded = true;
      return true;
    }
    std::string r = ToStr(rhs);
    if (v.kind != Value::kStr) {
      v.s = ToStr(v);
      v.kind = Value::kStr;
      v.arr.clear();
    }
    if (!b_.StringOk(v.s.size() + r.size())) return false;
    v.s += r;
    v.decodes = std::max(v.decodes, rhs.decodes);
    v.folded = true;
    return true;
  }

  bool ParseOperand(Value& v, size_t& i, int level) {
    size_t j = i;
    if (!ParsePrimary(v, j, level + 1)) return false;
    if (!ParsePostfix(v, j, level + 1)) return false;
    i = j;
    return true;
  }

  // '(' [expr {',' expr}] ')' at i; every argument must fold.
  bool ParseArgs(size_t& i, std::vector<Value>& args, int level) {
    if (!Punct(i, '(')) return false;
    size_t j = i + 1;
    if (Punct(j, ')')) {
      i = j + 1;
      return true;
    }
    while (j < t_.size()) {
      if (PunctIs(j, "...")) {  // spread of a folded array
        Value a;
        ++j;
        if (!ParseFull(a, j, level) || a.kind != Value::kArr) return false;
        for (Value& e : a.arr) args.push_back(std::move(e));
      } else {
        Value a;
        if (!ParseFull(a, j, level)) return false;
        args.push_back(std::move(a));
      }
      if (args.size() > kMaxArrayElements) return false;
      if (Punct(j, ',')) {
        ++j;
        if (Punct(j, ')')) break;  // trailing comma
        continue;
      }
      break;
    }
    if (!Punct(j, ')')) return false;
    i = j + 1;
    return true;
  }

  bool Decode(Value& v, std::string_view fn) {
    if (v.kind != Value::kStr) return false;
    if (!b_.DepthOk(depth_ + v.decodes + 1) || !b_.TimeOk()) return false;
    std::string out;
    if (fn == "atob") {
      size_t cap = std::min(b_.limits().max_string_bytes, b_.remaining());
      if (!DecodeBase64(v.s, out, cap)) return false;
    } else if (fn == "unescape") {
      DecodePercent(v.s, PercentMode::kUnescape, out);
    } else if (fn == "decodeURIComponent" || fn == "decodeURI") {
      DecodePercent(v.s, PercentMode::kUri, out);
    } else {  // escape: bytes kept as they are (atob's Latin-1 is our UTF-8)
      out = v.s;
    }
    if (!b_.StringOk(out.size()) || !b_.Charge(out.size())) return false;
    v.s = std::move(out);
    v.decodes += 1;
    v.folded = true;
    return true;
  }

  bool ParsePrimary(Value& v, size_t& i, int level) {
    if (level > kMaxExprDepth || i >= t_.size()) return false;
    const Token& tk = t_[i];
    switch (tk.kind) {
      case Tok::kString: {
        if (tk.quote == '$') return ParseTemplate(v, i, level);
        std::string_view body = tk.body(src_);
        if (!b_.StringOk(body.size())) return false;
        v.kind = Value::kStr;
        DecodeJsStringBody(body, v.s);
        ++i;
        return true;
      }
      case Tok::kNumber:
        v.kind = Value::kNum;
        v.n = tk.number;
        ++i;
        return true;
      case Tok::kPunct: {
        if (Punct(i, '-') && i + 1 < t_.size() && t_[i + 1].kind == Tok::kNumber) {
          v.kind = Value::kNum;
          v.n = -t_[i + 1].number;
          i += 2;
          return true;
        }
        if (Punct(i, '(')) {
          size_t j = i + 1;
          if (!ParseFull(v, j, level) || !Punct(j, ')')) return false;
          i = j + 1;
          return true;
        }
        if (Punct(i, '[')) return ParseArray(v, i, level);
        return false;
      }
      case Tok::kName:
        return ParseNamed(v, i, level);
      default:
        return false;
    }
  }

  // `a${x}b${y}c`: the head part at i, each substitution folded, the parts
  // between and after them. The lexer gives the parts as '$' strings: the
  // head starts with '`', the middles and the tail with '}', the tail ends
  // with '`'.
  bool ParseTemplate(Value& v, size_t& i, int level) {
    const Token& head = t_[i];
    if (src_[head.start] != '`') return false;
    v.kind = Value::kStr;
    DecodeJsStringBody(head.body(src_), v.s);
    size_t j = i + 1;
    while (true) {
      Value sub;
      if (!ParseFull(sub, j, level)) return false;
      if (j >= t_.size() || t_[j].kind != Tok::kString || t_[j].quote != '$' || src_[t_[j].start] != '}') return false;
      std::string part = ToStr(sub);
      DecodeJsStringBody(t_[j].body(src_), part);
      if (!b_.StringOk(v.s.size() + part.size())) return false;
      v.s += part;
      v.decodes = std::max(v.decodes, sub.decodes);
      const Token& tail = t_[j];
      ++j;
      if (src_[tail.start + tail.len - 1] == '`') break;  // the last part
    }
    v.folded = true;
    i = j;
    return true;
  }

  bool ParseArray(Value& v, size_t& i, int level) {
    size_t j = i + 1;
    v.kind = Value::kArr;
    size_t bytes = 0;
    while (j < t_.size() && !Punct(j, ']')) {
      Value e;
      if (PunctIs(j, "...")) return false;
      if (!ParseFull(e, j, level)) return false;
      bytes += e.Bytes();
      if (v.arr.size() >= kMaxArrayElements || !b_.StringOk(bytes)) return false;
      v.decodes = std::max(v.decodes, e.decodes);
      v.folded = v.folded || e.folded;
      v.arr.push_back(std::move(e));
      if (Punct(j, ',')) ++j;
      else break;
    }
    if (!Punct(j, ']')) return false;
    i = j + 1;
    return true;
  }

  bool ParseNamed(Value& v, size_t& i, int level) {
    std::string_view n = Name(i);
    if (i > 0 && Punct(i - 1, '.')) return false;  // a property, not a name
    // String.fromCharCode(...) / fromCodePoint, also .apply(x, [..]) and .call(x, ...)
    if (n == "String" && Punct(i + 1, '.')) {
      std::string_view m = Name(i + 2);
      if (m != "fromCharCode" && m != "fromCodePoint") return false;
      size_t j = i + 3;
      std::vector<Value> args;
      if (Punct(j, '.') && (NameIs(j + 1, "apply") || NameIs(j + 1, "call"))) {
        const bool apply = NameIs(j + 1, "apply");
        // (thisArg, ...): thisArg is a name (null, String, this, window).
        j += 2;
        if (!Punct(j, '(') || j + 2 >= t_.size() || t_[j + 1].kind != Tok::kName || !Punct(j + 2, ',')) {
          return false;
        }
        j += 2;  // at the ',' after thisArg: parse "(, a, b)" as if it were "(a, b)"
        std::vector<Value> rest;
        do {
          ++j;
          Value e;
          if (!ParseFull(e, j, level)) return false;
          rest.push_back(std::move(e));
          if (rest.size() > kMaxArrayElements) return false;
        } while (Punct(j, ','));
        if (!Punct(j, ')')) return false;
        ++j;
        if (apply) {
          if (rest.size() != 1 || rest[0].kind != Value::kArr) return false;
          args = std::move(rest[0].arr);
        } else {
          args = std::move(rest);
        }
      } else if (!ParseArgs(j, args, level)) {
        return false;
      }
      std::vector<double> codes;
      codes.reserve(args.size());
      for (const Value& a : args) {
        if (a.kind == Value::kNum) codes.push_back(a.n);
        else if (a.kind == Value::kStr) codes.push_back(std::strtod(a.s.c_str(), nullptr));
        else return false;
      }
      if (!b_.DepthOk(depth_ + 1) || !b_.StringOk(4 * codes.size())) return false;
      v.kind = Value::kStr;
      if (m == "fromCharCode") AppendFromCharCode(codes, v.s);
      else if (!AppendFromCodePoint(codes, v.s)) return false;
      if (!b_.Charge(v.s.size())) return false;
      v.decodes = 1;
      v.folded = true;
      i = j;
      return true;
    }
    // atob(x), window.atob(x), unescape(x), decodeURIComponent(x), ...
    size_t j = i;
    std::string_view fn = n;
    if (IsGlobalObject(n) && Punct(i + 1, '.')) {
      fn = Name(i + 2);
      j = i + 2;
    }
    if (fn == "atob" || fn == "unescape" || fn == "decodeURIComponent" || fn == "decodeURI" || fn == "escape") {
      ++j;
      std::vector<Value> args;
      if (!ParseArgs(j, args, level) || args.empty()) return false;
      v = std::move(args[0]);
      if (!Decode(v, fn)) return false;
      i = j;
      return true;
    }
    // A name bound to a folded value (not a call, not a property).
    if (const Value* known = Lookup(n); known != nullptr && !Punct(i + 1, '(')) {
      if (!b_.StringOk(known->Bytes())) return false;
      v = *known;
      v.folded = true;
      ++i;
      return true;
    }
    return false;
  }

  // .method(...), [index], .length after a folded value. False when a
  // postfix follows that cannot be folded (the operand is not constant).
  bool ParsePostfix(Value& v, size_t& i, int level) {
    while (i < t_.size()) {
      if (Punct(i, '[')) {
        size_t j = i + 1;
        Value idx;
        if (!ParseFull(idx, j, level) || !Punct(j, ']') || idx.kind != Value::kNum) return false;
        if (!Index(v, idx.n)) return false;
        i = j + 1;
        continue;
      }
      if (!Punct(i, '.') || i + 1 >= t_.size() || t_[i + 1].kind != Tok::kName) return true;
      std::string_view m = Name(i + 1);
      if (m == "length") {
        double len = v.kind == Value::kArr ? static_cast<double>(v.arr.size())
                                           : static_cast<double>(CharOffsets(ToStr(v)).size() - 1);
        v = Value();
        v.kind = Value::kNum;
        v.n = len;
        i += 2;
        continue;
      }
      size_t j = i + 2;
      if (!Punct(j, '(')) return false;
      if (m == "map") {
        if (!MapFromCharCode(v, j)) return false;
        i = j;
        continue;
      }
      if ((m == "replace" || m == "replaceAll") && j + 1 < t_.size() && t_[j + 1].kind == Tok::kRegex) {
        if (!ReplaceRegex(v, j, level)) return false;
        i = j;
        continue;
      }
      std::vector<Value> args;
      if (!ParseArgs(j, args, level)) return false;
      if (!Method(v, m, args)) return false;
      i = j;
    }
    return true;
  }

  bool Index(Value& v, double d) {
    // NaN, negatives, fractions and anything past 2^53 index nothing (and a
    // cast of a huge double to size_t is undefined: extract_fuzz).
    if (!(d >= 0 && d <= 9007199254740992.0) || std::trunc(d) != d) return false;
    size_t k = static_cast<size_t>(d);
    if (v.kind == Value::kArr) {
      if (k >= v.arr.size()) return false;
      Value e = std::move(v.arr[k]);
      int decodes = v.decodes;
      v = std::move(e);
      v.decodes = std::max(v.decodes, decodes);
      v.folded = true;
      return true;
    }
    if (v.kind != Value::kStr) return false;
    std::vector<size_t> off = CharOffsets(v.s);
    if (k + 1 >= off.size()) return false;
    v.s = v.s.substr(off[k], off[k + 1] - off[k]);
    v.folded = true;
    return true;
  }

  static double Arg(const std::vector<Value>& a, size_t k, double dflt) {
    return k < a.size() && a[k].kind == Value::kNum ? a[k].n : dflt;
  }

  // String methods with folded arguments.
  bool Method(Value& v, std::string_view m, const std::vector<Value>& args) {
    if (m == "toString" || m == "valueOf") {
      if (v.kind == Value::kNum) v.s = NumberToString(v.n), v.kind = Value::kStr;
      return true;
    }
    if (v.kind == Value::kArr) {
      if (m == "join") {
        std::string sep = args.empty() ? std::string(",") : ToStr(args[0]);
        std::string out;
        for (size_t k = 0; k < v.arr.size(); ++k) {
          if (k) out += sep;
          out += ToStr(v.arr[k]);
          if (!b_.StringOk(out.size())) return false;
        }
        int decodes = v.decodes;
        v = Value();
        v.kind = Value::kStr;
        v.s = std::move(out);
        v.decodes = decodes;
        v.folded = true;
        return true;
      }
      if (m == "reverse") {
        std::reverse(v.arr.begin(), v.arr.end());
        v.folded = true;
        return true;
      }
      if (m == "concat") {
        for (const Value& a : args) {
          if (a.kind == Value::kArr) v.arr.insert(v.arr.end(), a.arr.begin(), a.arr.end());
          else v.arr.push_back(a);
        }
        return v.arr.size() <= kMaxArrayElements && b_.StringOk(v.Bytes());
      }
      return false;
    }
    if (v.kind == Value::kNum) return false;
    if (v.kind != Value::kStr) return false;
    v.folded = true;
    if (m == "split") {
      std::vector<Value> parts;
      auto add = [&parts](std::string_view p) {
        Value e;
        e.kind = Value::kStr;
        e.s = std::string(p);
        parts.push_back(std::move(e));
      };
      if (args.empty()) {
        add(v.s);
      } else {
        std::string sep = ToStr(args[0]);
        if (sep.empty()) {
          std::vector<size_t> off = CharOffsets(v.s);
          if (off.size() > kMaxArrayElements) return false;
          for (size_t k = 0; k + 1 < off.size(); ++k) add(std::string_view(v.s).substr(off[k], off[k + 1] - off[k]));
        } else {
          size_t from = 0;
          while (true) {
            size_t p = v.s.find(sep, from);
            add(std::string_view(v.s).substr(from, p == std::string::npos ? std::string::npos : p - from));
            if (p == std::string::npos || parts.size() > kMaxArrayElements) break;
            from = p + sep.size();
          }
          if (parts.size() > kMaxArrayElements) return false;
        }
      }
      int decodes = v.decodes;
      v = Value();
      v.kind = Value::kArr;
      v.arr = std::move(parts);
      v.decodes = decodes;
      v.folded = true;
      return true;
    }
    if (m == "concat") {
      for (const Value& a : args) {
        v.s += ToStr(a);
        if (!b_.StringOk(v.s.size())) return false;
      }
      return true;
    }
    if (m == "replace" || m == "replaceAll") {
      if (args.size() != 2) return false;
      std::string pat = ToStr(args[0]), rep = ToStr(args[1]);
      if (rep.find('$') != std::string::npos) return false;  // replacement patterns: not folded
      ReplaceLiteral(v.s, pat, rep, m == "replaceAll");
      return b_.StringOk(v.s.size());
    }
    if (m == "toLowerCase" || m == "toLocaleLowerCase") {
      for (char& c : v.s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      return true;
    }
    if (m == "toUpperCase" || m == "toLocaleUpperCase") {
      for (char& c : v.s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
      return true;
    }
    if (m == "trim") {
      size_t b = v.s.find_first_not_of(" \t\r\n\f\v");
      size_t e = v.s.find_last_not_of(" \t\r\n\f\v");
      v.s = b == std::string::npos ? std::string() : v.s.substr(b, e - b + 1);
      return true;
    }
    if (m == "slice" || m == "substring" || m == "substr" || m == "charAt") {
      std::vector<size_t> off = CharOffsets(v.s);
      const double len = static_cast<double>(off.size() - 1);
      double a = Arg(args, 0, 0), b = len;
      if (m == "charAt") {
        b = a + 1;
      } else if (m == "substr") {
        if (a < 0) a = std::max(0.0, len + a);
        b = a + Arg(args, 1, len);
      } else {
        b = Arg(args, 1, len);
        if (m == "slice") {
          if (a < 0) a = len + a;
          if (b < 0) b = len + b;
        } else if (a > b) {
          std::swap(a, b);
        }
      }
      a = std::clamp(std::trunc(a), 0.0, len);
      b = std::clamp(std::trunc(b), 0.0, len);
      if (b < a) b = a;
      v.s = v.s.substr(off[static_cast<size_t>(a)], off[static_cast<size_t>(b)] - off[static_cast<size_t>(a)]);
      return true;
    }
    return false;
  }

  static void ReplaceLiteral(std::string& s, const std::string& pat, const std::string& rep, bool all) {
    if (pat.empty()) {
      if (!all) s.insert(0, rep);
      return;
    }
    std::string out;
    size_t from = 0;
    while (true) {
      size_t p = s.find(pat, from);
      if (p == std::string::npos) break;
      out.append(s, from, p - from).append(rep);
      from = p + pat.size();
      if (!all) break;
    }
    out.append(s, from, std::string::npos);
    s = std::move(out);
  }

  // .replace(/literal/g, 'x') where the pattern is plain characters (escaped
  // punctuation allowed): a literal replacement.
  bool ReplaceRegex(Value& v, size_t& i, int level) {
    if (v.kind != Value::kStr) return false;
    std::string_view re = t_[i + 1].text(src_);
    size_t close = re.rfind('/');
    if (close == 0 || close == std::string_view::npos) return false;
    std::string_view body = re.substr(1, close - 1), flags = re.substr(close + 1);
    std::string pat;
    for (size_t k = 0; k < body.size(); ++k) {
      char c = body[k];
      if (c == '\\') {
        if (k + 1 >= body.size()) return false;
        char e = body[++k];
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) return false;  // \d \s \b ...
        pat.push_back(e);
        continue;
      }
      if (std::string_view(".*+?^$()[]{}|").find(c) != std::string_view::npos) return false;
      pat.push_back(c);
    }
    if (pat.empty() || flags.find_first_not_of("gi") != std::string_view::npos) return false;
    if (flags.find('i') != std::string_view::npos) return false;
    size_t j = i + 2;
    if (!Punct(j, ',')) return false;
    ++j;
    Value rep;
    if (!ParseFull(rep, j, level) || !Punct(j, ')')) return false;
    std::string r = ToStr(rep);
    if (r.find('$') != std::string::npos) return false;
    ReplaceLiteral(v.s, pat, r, flags.find('g') != std::string_view::npos);
    if (!b_.StringOk(v.s.size())) return false;
    v.folded = true;
    i = j + 1;
    return true;
  }

  // [n, ...].map(<callback>) where the callback is String.fromCharCode
  // itself, or `c => String.fromCharCode(c OP k)` / `function(c){return
  // String.fromCharCode(c OP k)}` with OP one of + - ^ and k a number.
  bool MapFromCharCode(Value& v, size_t& i) {
    if (v.kind != Value::kArr) return false;
    // The callback's tokens, up to the matching ')'.
    size_t j = i + 1, depth = 1;
    size_t end = 0;
    for (; j < t_.size() && j - i <= kMaxCallbackTokens; ++j) {
      if (Punct(j, '(')) ++depth;
      else if (Punct(j, ')') && --depth == 0) {
        end = j;
        break;
      }
    }
    if (end == 0) return false;
    bool from_char_code = false, have_k = false;
    char op = 0;
    double k = 0;
    std::string_view param;
    for (size_t a = i + 1; a < end; ++a) {
      const Token& tk = t_[a];
      std::string_view tx = tk.text(src_);
      if (tk.kind == Tok::kName) {
        if (tx == "fromCharCode") from_char_code = true;
        else if (tx == "String" || tx == "function" || tx == "return") continue;
        else if (param.empty()) param = tx;
        else if (tx != param) return false;  // another name: not this pattern
      } else if (tk.kind == Tok::kNumber) {
        if (op == 0 || have_k) return false;
        k = tk.number;
        have_k = true;
      } else if (tk.kind == Tok::kPunct) {
        if (tx == "+" || tx == "-" || tx == "^") {
          if (op != 0) return false;
          op = tx[0];
        } else if (tx != "(" && tx != ")" && tx != "{" && tx != "}" && tx != "=>" && tx != "." && tx != ";") {
          return false;
        }
      } else {
        return false;
      }
    }
    if (!from_char_code || (op != 0) != have_k || !b_.StringOk(4 * v.arr.size())) return false;
    std::vector<Value> out;
    out.reserve(v.arr.size());
    for (const Value& e : v.arr) {
      if (e.kind != Value::kNum) return false;
      double c = e.n;
      if (op == '+') c += k;
      else if (op == '-') c -= k;
      else if (op == '^') c = static_cast<double>(static_cast<int64_t>(c) ^ static_cast<int64_t>(k));
      Value s;
      s.kind = Value::kStr;
      AppendFromCharCode({c}, s.s);
      out.push_back(std::move(s));
    }
    if (!b_.DepthOk(depth_ + v.decodes + 1)) return false;
    v.arr = std::move(out);
    v.decodes += 1;
    v.folded = true;
    i = end + 1;
    return true;
  }

  std::string_view src_;
  const std::vector<Token>& t_;
  int depth_;
  DecodeBudget& b_;
  FoldSink& sink_;
  std::unordered_map<std::string_view, Value> vars_;
  std::vector<Frame> frames_;
  std::string scratch_;
};

}  // namespace

void FoldScript(std::string_view js, int depth, DecodeBudget& budget, FoldSink& sink) {
  // The token buffer is the thread's, reused script after script; a nested
  // FoldScript (eval of a folded string) gets its own.
  thread_local std::vector<Token> shared;
  thread_local bool in_use = false;
  std::vector<Token> local;
  std::vector<Token>& tokens = in_use ? local : shared;
  const bool owner = !in_use;
  in_use = true;
  if (!Tokenize(js, tokens, kMaxTokens)) budget.Hit(kLimitTokens);
  Folder(js, tokens, depth, budget, sink).Run();
  if (owner) {
    in_use = false;
    // Keep the buffer for the next script unless one huge script grew it.
    if (tokens.capacity() > (1u << 16)) std::vector<Token>().swap(tokens);
  }
}

}  // namespace dragnet::extractors::deob
