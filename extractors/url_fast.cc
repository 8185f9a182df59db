#include "extractors/url_fast.h"

#include "core/strings.h"

namespace dragnet::extractors::urlfast {
namespace {

// Longer URLs go to curl: they are rare, and core/url.h owns the 8 KiB cap.
constexpr size_t kMaxFastUrl = 2048;
// A host name longer than DNS allows goes to curl (which refuses or keeps it).
constexpr size_t kMaxFastHost = 253;
// curl reads up to 40 characters as a scheme (MAX_SCHEME_LEN); anything
// scheme-like and longer than this goes to curl.
constexpr size_t kMaxFastScheme = 20;

inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Characters curl passes through unchanged in path, query and fragment with
// CURLU_URLENCODE (RFC 3986 unreserved, sub-delims, ":@/?#" and "%"). Space,
// controls, non-ASCII, quotes, "<>\^`{|}" go to curl.
constexpr bool kSafe[128] = {
    // 0x00-0x1f: controls
    false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
    false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
    // ' ' ! " # $ % & ' ( ) * + , - . /
    false, true, false, true, true, true, true, true, true, true, true, true, true, true, true, true,
    // 0-9 : ; < = > ?
    true, true, true, true, true, true, true, true, true, true, true, true, false, true, false, true,
    // @ A-O
    true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
    // P-Z [ \ ] ^ _
    true, true, true, true, true, true, true, true, true, true, true, false, false, false, false, true,
    // ` a-o
    false, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true,
    // p-z { | } ~ DEL
    true, true, true, true, true, true, true, true, true, true, true, false, false, false, true, false,
};

inline bool IsSafe(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u < 128 && kSafe[u];
}

bool StartsWithNoCase(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (AsciiLower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

// A dotted quad as curl writes IPv4 addresses back: four decimal parts of
// 0-255 without leading zeros. Other numeric forms ("127.1", "0x7f.1",
// "010.1.1.1") are curl's to normalise.
bool CanonicalDottedQuad(std::string_view h) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t b = i;
    int v = 0;
    while (i < h.size() && IsDigit(h[i]) && i - b < 3) v = v * 10 + (h[i++] - '0');
    size_t len = i - b;
    if (len == 0 || v > 255 || (len > 1 && h[b] == '0')) return false;
    ++parts;
    if (i == h.size()) return parts == 4;
    if (h[i] != '.' || parts == 4) return false;
    ++i;
  }
}

// A host curl keeps as written and core/url.h only lowercases: ASCII letters,
// digits, '-', '_' and '.', non-empty labels, no punycode (the IDN round trip is
// curl's), and not something curl could read as an IPv4 number (every label
// starting with a digit: "127.1", "0x7f.1") unless it is a canonical dotted
// quad (`is_ip`).
bool PlainHost(std::string_view h, bool& is_ip) {
  is_ip = false;
  if (h.empty() || h.size() > kMaxFastHost || h.front() == '.' || h.back() == '.') return false;
  bool letter_label = false;
  bool label_start = true;
  char prev = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    char c = h[i];
    if (c == '.') {
      if (prev == '.') return false;
      label_start = true;
    } else {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_') return false;
      if (label_start) {
        letter_label = letter_label || !IsDigit(c);
        if ((c == 'x' || c == 'X') && i + 3 < h.size() && (h[i + 1] == 'n' || h[i + 1] == 'N') && h[i + 2] == '-' &&
            h[i + 3] == '-') {
          return false;  // "xn--" label
        }
      }
      label_start = false;
    }
    prev = c;
  }
  if (letter_label) return true;
  is_ip = CanonicalDottedQuad(h);
  return is_ip;
}

// True when the path (no query) holds a "." or ".." segment, which curl
// removes (dedotdotify); those go to curl.
bool HasDotSegment(std::string_view path) {
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "." || seg == "..") return true;
    i = j + 1;
  }
  return false;
}

}  // namespace

namespace {

// The pieces of an absolute URL the fast path accepts, as views of the text.
struct Parts {
  std::string_view scheme;  // "http" or "https", lowercase
  int port = 0;             // the scheme's default
  std::string_view host;    // as written (lowercased on output)
  std::string_view path;    // empty for "/"
  std::string_view query;   // without '?'; empty when none or empty
  bool is_ip = false;
};

Outcome Split(std::string_view text, Parts& p) {
  if (text.size() > kMaxFastUrl) return Outcome::kAskCurl;
  size_t pos;
  if (StartsWithNoCase(text, "https://")) {
    p.scheme = "https";
    p.port = 443;
    pos = 8;
  } else if (StartsWithNoCase(text, "http://")) {
    p.scheme = "http";
    p.port = 80;
    pos = 7;
  } else {
    return Outcome::kAskCurl;
  }
  // Authority: a plain host, ended by '/' or the end. Userinfo, ports, IPv6
  // literals, "?"/"#" right after the host: curl.
  size_t end = pos;
  while (end < text.size() && text[end] != '/') {
    char c = text[end];
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_' && c != '.') return Outcome::kAskCurl;
    ++end;
  }
  p.host = text.substr(pos, end - pos);
  if (!PlainHost(p.host, p.is_ip)) return Outcome::kAskCurl;
  for (size_t i = end; i < text.size(); ++i) {
    if (!IsSafe(text[i])) return Outcome::kAskCurl;
  }
  std::string_view rest = text.substr(end);
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);  // fragment dropped
  p.path = rest;
  p.query = {};
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    p.path = rest.substr(0, q);
    p.query = rest.substr(q + 1);
  }
  if (HasDotSegment(p.path)) return Outcome::kAskCurl;
  return Outcome::kResolved;
}

// core/url.h's normal form: scheme://host + path (or "/") + ["?" query].
void AppendNormalized(const Parts& p, std::string& out) {
  out.reserve(out.size() + p.scheme.size() + 3 + p.host.size() + p.path.size() + p.query.size() + 2);
  out.append(p.scheme).append("://");
  for (char c : p.host) out.push_back(AsciiLower(c));
  if (p.path.empty()) out.push_back('/');
  else out.append(p.path);
  if (!p.query.empty()) out.append("?").append(p.query);
}

// Resolve's last step: `text` is the absolute URL curl would parse.
Outcome NormalizeAbsolute(std::string_view text, std::string& out) {
  Parts p;
  Outcome o = Split(text, p);
  if (o != Outcome::kResolved) return o;
  out.clear();
  AppendNormalized(p, out);
  return o;
}

}  // namespace

Outcome ParseAbsolute(std::string_view text, Url& out) {
  Parts p;
  Outcome o = Split(text, p);
  if (o != Outcome::kResolved) return o;
  out.scheme.assign(p.scheme);
  out.port = p.port;
  out.host.clear();
  for (char c : p.host) out.host.push_back(AsciiLower(c));
  out.host_unicode = out.host;
  out.host_is_ip = p.is_ip;
  out.path.clear();
  if (p.path.empty()) out.path.push_back('/');
  else out.path.append(p.path);
  if (!p.query.empty()) out.path.append("?").append(p.query);
  out.normalized.clear();
  AppendNormalized(p, out.normalized);
  return o;
}

Outcome Resolve(const Url& base, std::string_view ref, std::string& out) {
  if (ref.empty() || ref.size() > kMaxFastUrl) return Outcome::kAskCurl;
  // A scheme, as curl's Curl_is_absolute_url sees one: [alnum+.-]+ ':'.
  size_t i = 0;
  while (i < ref.size() && (IsAlpha(ref[i]) || IsDigit(ref[i]) || ref[i] == '+' || ref[i] == '-' || ref[i] == '.')) {
    ++i;
  }
  if (i > 0 && i < ref.size() && ref[i] == ':') {
    std::string_view scheme = ref.substr(0, i);
    if (!IsAlpha(scheme.front()) || i > kMaxFastScheme) return Outcome::kAskCurl;
    // mailto:, javascript:, tel:, data:, whatsapp:// ...: curl parses or
    // refuses them on their own, and core/url.h refuses every scheme but
    // http(s).
    const bool http = scheme.size() == 4 && StartsWithNoCase(scheme, "http");
    const bool https = scheme.size() == 5 && StartsWithNoCase(scheme, "https");
    if (!http && !https) return Outcome::kNotHttp;
    return NormalizeAbsolute(ref, out);
  }
  if (ref[0] == '#' || ref[0] == '\\') return Outcome::kAskCurl;  // curl's own rules for these
  const std::string& b = base.normalized;
  size_t protsep = b.find("//");
  if (protsep == std::string::npos) return Outcome::kAskCurl;
  protsep += 2;
  // A '?' inside the base's query: curl versions differ on which '?' they
  // cut at (strchr or strrchr).
  if (size_t q = b.find('?'); q != std::string::npos && b.find('?', q + 1) != std::string::npos) {
    return Outcome::kAskCurl;
  }
  std::string url;
  url.reserve(b.size() + ref.size() + 1);
  if (ref.size() >= 2 && ref[0] == '/' && ref[1] == '/') {
    // Network-path reference: the base's scheme, the rest from `ref`.
    url.append(b, 0, protsep).append(ref.substr(2));
  } else {
    // curl's concat_url (lib/urlapi.c, 7.88), step by step.
    url = b;
    std::string_view use = ref;
    bool has_protsep = true;  // concat_url's protsep != NULL
    if (ref[0] != '/') {
      if (size_t q = url.find('?', protsep); q != std::string::npos) url.resize(q);
      if (use[0] != '?') {
        size_t s = url.rfind('/');
        if (s != std::string::npos && s >= protsep) url.resize(s);
      }
      if (size_t s = url.find('/', protsep); s != std::string::npos) protsep = s + 1;
      else has_protsep = false;
      if (use.size() >= 2 && use[0] == '.' && use[1] == '/') use.remove_prefix(2);
      int level = 0;
      while (use.size() >= 3 && use[0] == '.' && use[1] == '.' && use[2] == '/') {
        ++level;
        use.remove_prefix(3);
      }
      if (has_protsep) {
        while (level-- > 0) {
          size_t s = url.rfind('/');
          if (s != std::string::npos && s >= protsep) {
            url.resize(s);
          } else {
            url.resize(protsep);
            break;
          }
        }
      }
    } else {
      size_t s = url.find('/', protsep);
      size_t q = url.find('?', protsep);
      if (s != std::string::npos) {
        if (q != std::string::npos && q < s) s = q;
        url.resize(s);
      } else if (q != std::string::npos) {
        url.resize(q);
      }
    }
    bool no_slash = (!use.empty() && (use[0] == '/' || use[0] == '?')) || (has_protsep && url.size() == protsep);
    if (!no_slash) url.push_back('/');
    url.append(use);
  }
  return NormalizeAbsolute(url, out);
}

Result<Url> ParseUrlOrCurl(std::string_view text) {
  Url u;
  if (ParseAbsolute(text, u) == Outcome::kResolved) return u;
  return ParseUrl(text);
}

std::optional<std::string> ResolveOrCurl(const Url& base, std::string_view ref) {
  std::string out;
  switch (Resolve(base, ref, out)) {
    case Outcome::kResolved:
      return out;
    case Outcome::kNotHttp:
      return std::nullopt;
    case Outcome::kAskCurl:
      break;
  }
  Result<Url> r = ResolveUrl(base, ref);
  if (!r.ok()) return std::nullopt;
  return std::move(r->normalized);
}

}  // namespace dragnet::extractors::urlfast
