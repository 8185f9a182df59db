// email: addresses in text, mailto:, attributes and script strings (the
// obfuscated forms, "name [at] host [dot] com", "(arroba)", "＠", ..., are
// undone by the de-obfuscation layer, extractors/deobfuscate/
// text_obfuscation.h, before they get here). Canonical value: lowercase. The
// domain must end in a public suffix (libpsl) and have a registrable part.
//
// Decoys left out: CSS at-rules (@media: no local part), retina assets
// (logo@2x.png: the "TLD" is a file extension), package specifiers
// (lib@1.2.3), URL userinfo (https://key@host), RFC 2606 placeholder
// domains (you@example.com) and placeholder attributes (skipped upstream).

#include <string>

#include "core/url.h"
#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

// RFC 5321 caps the local part at 64 and a domain at 255 octets.
constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxDomain = 253;

inline bool IsLocalChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
inline bool IsDomainChar(char c) {
  return IsAlnum(c) || c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsAssetExtension(std::string_view tld) {
  static const char* const kExt[] = {"png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "css", "js",
                                     "bmp", "avif", "woff", "woff2", "ttf", "map", "json", "mp4"};
  for (const char* e : kExt) {
    if (tld == e) return true;
  }
  return false;
}

bool IsPlaceholderDomain(std::string_view domain) {
  // RFC 2606 / RFC 6761 reserved names, and the domains forms use as samples.
  auto ends_with = [&domain](std::string_view s) {
    return domain.size() >= s.size() && domain.substr(domain.size() - s.size()) == s &&
           (domain.size() == s.size() || domain[domain.size() - s.size() - 1] == '.');
  };
  for (const char* d : {"example.com", "example.net", "example.org", "example.edu", "domain.com",
                        "yourdomain.com", "your-domain.com", "yoursite.com"}) {
    if (ends_with(d)) return true;
  }
  size_t dot = domain.rfind('.');
  std::string_view tld = dot == std::string_view::npos ? domain : domain.substr(dot + 1);
  return tld == "example" || tld == "test" || tld == "invalid" || tld == "localhost" || tld == "local";
}

struct Found {
  std::string value;
  size_t raw_begin, raw_end;
};

// Reads the domain starting at `i`; labels joined by ".".
bool ReadDomain(std::string_view s, size_t i, std::string& domain, size_t& end) {
  domain.clear();
  size_t labels = 0;
  while (i < s.size() && domain.size() <= kMaxDomain) {
    size_t b = i;
    while (i < s.size() && IsDomainChar(s[i])) ++i;
    if (i == b) break;
    std::string_view label = s.substr(b, i - b);
    if (label.front() == '-' || label.back() == '-') break;
    if (labels) domain.push_back('.');
    domain.append(label);
    ++labels;
    end = i;
    if (i + 1 >= s.size() || s[i] != '.' || !IsDomainChar(s[i + 1])) break;
    ++i;
  }
  return labels >= 2;
}

// Distinct mail domains whose verdict each thread keeps (StringMemo).
constexpr size_t kMaxMemoDomains = 4096;

// The ASCII (punycode) form of a mail domain as written, or empty when it is
// not one: an asset extension or numeric "TLD", a placeholder, no public
// suffix or no registrable part. Memoised: a page repeats its addresses, and
// each verdict costs an IDN conversion and two public suffix list walks.
std::string MailDomain(std::string_view domain_raw) {
  thread_local StringMemo memo(kMaxMemoDomains);
  return memo.Get(domain_raw, [domain_raw]() -> std::string {
    Result<std::string> ascii = HostToAscii(domain_raw);
    if (!ascii.ok()) return {};
    const std::string& domain = *ascii;
    size_t dot = domain.rfind('.');
    if (dot == std::string::npos) return {};
    std::string_view tld = std::string_view(domain).substr(dot + 1);
    if (IsAssetExtension(tld) || IsPlaceholderDomain(domain)) return {};
    bool numeric_tld = true;
    for (char c : tld) numeric_tld = numeric_tld && IsDigit(c);
    if (numeric_tld || !HasPublicSuffix(domain) || RegistrableDomainOf(domain).empty()) return {};
    return domain;
  });
}

void Check(const Segment& seg, std::string local, std::string_view domain_raw, size_t raw_begin, size_t raw_end,
           Emitter& out) {
  if (local.empty() || local.size() > kMaxLocal || local.front() == '.' || local.back() == '.') return;
  if (local.find("..") != std::string::npos) return;
  // URL userinfo (https://token@host) and "//" comments are not mailboxes.
  if (raw_begin >= 1 && seg.text[raw_begin - 1] == '/') return;
  // "kefu@qq.com（24小时）": text in another script glued to the TLD.
  std::string trimmed(domain_raw);
  size_t last_dot = trimmed.rfind('.');
  if (last_dot != std::string::npos) {
    size_t k = last_dot + 1;
    while (k < trimmed.size() && static_cast<unsigned char>(trimmed[k]) < 0x80) ++k;
    if (k > last_dot + 2 && k < trimmed.size()) {
      raw_end -= trimmed.size() - k;
      trimmed.resize(k);
    }
  }
  const std::string domain = MailDomain(trimmed);
  if (domain.empty()) return;
  std::string value = AsciiLower(local) + "@" + domain;
  out.Emit("email", std::move(value), seg.text.substr(raw_begin, raw_end - raw_begin), seg.PieceAt(raw_begin).source);
}

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  const std::string_view s = seg.text;
  size_t consumed = 0;
  for (const Hit& h : hits) {
    if (h.trigger != kAt) continue;
    if (h.end <= consumed) continue;
    const size_t at_begin = h.start, at_end = h.end;
    // Local part: back from the "@".
    size_t lb = at_begin;
    size_t le = lb;
    while (lb > 0 && IsLocalChar(s[lb - 1]) && le - lb < kMaxLocal + 1) --lb;
    if (lb == le) continue;
    if (lb > 0 && (s[lb - 1] == '@' || IsLocalChar(s[lb - 1]))) continue;  // too long or a@b@c
    size_t db = at_end;
    std::string domain;
    size_t de = db;
    if (!ReadDomain(s, db, domain, de)) continue;
    // "lib@1.2.3": version specifiers, and trailing "-" or digits-only hosts.
    std::string local(s.substr(lb, le - lb));
    while (!local.empty() && (local.front() == '.' || local.front() == '-' || local.front() == '+')) local.erase(0, 1);
    Check(seg, std::move(local), domain, lb, de, out);
    consumed = de;
  }
}

}  // namespace

const Family kEmailFamily = {"email", OnSegment, nullptr};

}  // namespace dragnet::extractors::scan
