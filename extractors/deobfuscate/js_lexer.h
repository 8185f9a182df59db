#pragma once
// A JavaScript tokenizer for the de-obfuscation layer: enough of the lexical
// grammar to find every string literal and the punctuation and names around
// it, never enough to run anything.
//
// Tokens: string literals ('...', "...", `...` without ${}), templates with
// substitutions (their literal parts as separate string tokens), names,
// numbers (decimal, hex, octal, binary, exponents, '_' separators),
// punctuators (longest match, so "+" is never the start of "++" or "+="), and
// regular expression literals (skipped as one token; a "/" is a regex where an
// operand is expected). Comments, including the HTML-like "<!--" and "-->"
// lines of old inline scripts, are skipped. Bytes that fit nothing become a
// one-byte punctuator, so any input tokenizes.
//
// Tokens point into the source (string_view); decoding a literal's value is
// DecodeJsStringBody's job (extractors/deobfuscate/js_string.h).
//
// Pure function of its input; safe from any thread. At most `max_tokens`
// tokens (the rest of the source is not tokenized; `truncated` says so).

#include <cstdint>
#include <string_view>
#include <vector>

namespace dragnet::extractors::deob {

enum class Tok : uint8_t {
  kString,    // quoted literal, template without substitutions (quote '`'), or a
              // template's literal part around substitutions (quote '$')
  kName,      // identifier or keyword
  kNumber,    // numeric literal; number holds its value
  kPunct,     // operator or punctuator
  kRegex,     // regular expression literal (with its flags)
};

struct Token {
  Tok kind;
  char quote = 0;          // kString: ' " or ` (0 for other kinds)
  uint32_t start = 0;      // byte offset in the source
  uint32_t len = 0;        // bytes, quotes included
  uint32_t body_start = 0; // kString: the source between the quotes (or
  uint32_t body_len = 0;   // between a template's delimiters)
  double number = 0;       // kNumber

  std::string_view text(std::string_view src) const { return src.substr(start, len); }
  std::string_view body(std::string_view src) const { return src.substr(body_start, body_len); }
  bool Is(std::string_view src, std::string_view s) const { return text(src) == s; }
  bool IsPunct(std::string_view src, char c) const { return kind == Tok::kPunct && len == 1 && src[start] == c; }
};

// Tokenizes `src` into `out` (cleared first). Returns false when `max_tokens`
// stopped it early.
bool Tokenize(std::string_view src, std::vector<Token>& out, size_t max_tokens);

}  // namespace dragnet::extractors::deob
