#pragma once
// The value of a JavaScript string literal: every escape form ECMAScript
// defines, because kits spell addresses as "\x69\x6e\x66\x6f\x40..." or
// "\u0069\u{6E}fo\100...":
//   \n \t \r \b \f \v \0       control characters (\0 not before a digit)
//   \xHH                       code unit U+00HH
//   \uHHHH, \u{H...}           code units / code points (pairs joined)
//   \NNN, \NN, \N (octal)      legacy octal escapes up to \377
//   \<line terminator>         line continuation: nothing
//   \<any other>               that character ("\@" is "@")
// Malformed escapes (\x4, \u12, \u{110000}) keep their characters, as a
// lenient reader would; a lone surrogate becomes U+FFFD. The result is UTF-8.
//
// Pure function; safe from any thread. The output is never longer than the
// input: each escape decodes to no more UTF-8 bytes than it has characters.

#include <string>
#include <string_view>

namespace dragnet::extractors::deob {

// Appends the value of the literal whose body (between the quotes) is `body`.
void DecodeJsStringBody(std::string_view body, std::string& out);

}  // namespace dragnet::extractors::deob
