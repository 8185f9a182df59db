#include "core/refang.h"

#include <array>
#include <cctype>
#include <utility>

namespace dragnet {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// Bracketed forms, lowercase, and what each stands for. Longest first where
// one is a prefix of another.
// ("[@]" and "[at]" are not undone: an '@' in a URL makes what precedes
// it userinfo, the oldest trick for hiding a URL's real host.)
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kBracketed = {{
    {"[://]", "://"}, {"[.]", "."},   {"(.)", "."}, {"{.}", "."}, {"[dot]", "."},
    {"(dot)", "."},   {"{dot}", "."}, {"[:]", ":"}, {"[/]", "/"},
}};

// Defanged schemes (lowercase; '*' and 'x' stand for 't').
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kSchemes = {{
    {"hxxps", "https"}, {"hxxp", "http"}, {"h**ps", "https"}, {"h**p", "http"},
}};

}  // namespace

std::string RefangSeed(std::string_view text) {
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') text = text.substr(1, text.size() - 2);
  std::string out;
  out.reserve(text.size() + 7);
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '[' || text[i] == '(' || text[i] == '{') {
      for (const auto& [from, to] : kBracketed) {
        if (StartsWithNoCase(text.substr(i), from)) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  // The scheme: only at the start, and only when a "://" (or ":") follows.
  for (const auto& [from, to] : kSchemes) {
    if (StartsWithNoCase(out, from) && out.size() > from.size() && out[from.size()] == ':') {
      out.replace(0, from.size(), to);
      break;
    }
  }
  // A bare domain: no scheme at all. "host.tld", "host.tld/path", "host:8080/x".
  if (out.find("://") == std::string::npos && !out.empty() && out.find(' ') == std::string::npos) {
    size_t host_end = out.find_first_of("/?#");
    std::string_view host = std::string_view(out).substr(0, host_end);
    size_t colon = host.find(':');
    std::string_view name = host.substr(0, colon);
    bool hostish = name.find('.') != std::string_view::npos && name.front() != '.' && name.back() != '.';
    for (char c : name) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
            static_cast<unsigned char>(c) >= 0x80)) {
        hostish = false;
      }
    }
    if (hostish) out.insert(0, "http://");
  }
  return out;
}

bool LooksDefanged(std::string_view text) { return RefangSeed(text) != text; }

}  // namespace dragnet
