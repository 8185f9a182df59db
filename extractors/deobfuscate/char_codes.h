#pragma once
// String.fromCharCode / String.fromCodePoint with constant arguments, the
// oldest way to keep an address out of a page's bytes:
// String.fromCharCode(105,110,102,111,64,...).
//
// fromCharCode takes UTF-16 code units (each argument ToUint16: modulo 65536),
// so a surrogate pair given as two arguments is one character; a lone
// surrogate becomes U+FFFD. fromCodePoint takes code points; an invalid one
// (negative, fractional, past U+10FFFF) makes JavaScript throw, and here stops
// the string (false). The result is UTF-8.
//
// Pure functions; safe from any thread. At most 4 output bytes per argument.

#include <string>
#include <vector>

namespace dragnet::extractors::deob {

// Appends String.fromCharCode(codes...) to `out`.
void AppendFromCharCode(const std::vector<double>& codes, std::string& out);

// Appends String.fromCodePoint(codes...) to `out`; false on an invalid code
// point (out then holds the characters before it).
bool AppendFromCodePoint(const std::vector<double>& codes, std::string& out);

}  // namespace dragnet::extractors::deob
