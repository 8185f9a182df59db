#pragma once
// ASCII string helpers shared by every stage. Host names, header names,
// schemes, hex and the protocol keywords we compare are ASCII; these never
// depend on the C locale. Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace dragnet {

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// `s` with A-Z folded to a-z; every other byte unchanged (UTF-8 safe).
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

}  // namespace dragnet
