#pragma once
// Percent-decoding as JavaScript's unescape() and decodeURIComponent() do it,
// for %xx literals kits write to hide addresses from scanners
// (unescape('%69%6e%66%6f%40...'), mailto:%73%75%70...).
//
//   kUnescape: %XX is the code unit U+00XX, %uXXXX the code unit U+XXXX
//     (surrogate pairs joined); both appended as UTF-8.
//   kUri: %XX are bytes of UTF-8 (decodeURIComponent); a sequence that is not
//     valid UTF-8 is kept as written rather than failing the whole string.
// Anything not a well-formed escape stays as it is.
//
// Pure functions; safe from any thread; the output is never longer than the
// input (an escape is at least as long as what it decodes to) except for
// %XX -> 2-byte UTF-8 in kUnescape mode, so at most twice the input.

#include <string>
#include <string_view>

namespace dragnet::extractors::deob {

enum class PercentMode { kUnescape, kUri };

// Appends the decoding of `in` to `out`.
void DecodePercent(std::string_view in, PercentMode mode, std::string& out);

// True when `s` holds at least `min` well-formed %XX / %uXXXX escapes.
bool HasPercentEscapes(std::string_view s, size_t min = 1);

}  // namespace dragnet::extractors::deob
