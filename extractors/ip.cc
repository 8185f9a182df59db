// ipv4, ipv6: address literals in the hosts of the page's URLs and in its
// text, attributes and script strings. IPv4 must be four decimal octets
// (0-255, no leading zeros) standing alone: not a version string (v1.2.3.4,
// "version 1.2.3.4", lib-1.2.3.4) and not part of a longer dotted number.
// IPv6 must parse (inet_pton) and stand alone; the value is its canonical
// compressed lowercase form (RFC 5952, inet_ntop).

#include <arpa/inet.h>

#include <string>

#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

bool ValidDottedQuad(std::string_view v) {
  int parts = 0;
  size_t i = 0;
  while (i <= v.size()) {
    size_t e = v.find('.', i);
    if (e == std::string_view::npos) e = v.size();
    std::string_view p = v.substr(i, e - i);
    if (p.empty() || p.size() > 3 || (p.size() > 1 && p[0] == '0')) return false;
    int n = 0;
    for (char c : p) {
      if (!IsDigit(c)) return false;
      n = n * 10 + (c - '0');
    }
    if (n > 255) return false;
    ++parts;
    i = e + 1;
    if (e == v.size()) break;
  }
  return parts == 4;
}

std::string CanonicalIpv6(std::string_view v) {
  if (v.size() < 3 || v.size() > 45) return {};
  char buf[INET6_ADDRSTRLEN];
  std::string tmp(v);
  in6_addr addr{};
  if (inet_pton(AF_INET6, tmp.c_str(), &addr) != 1) return {};
  if (inet_ntop(AF_INET6, &addr, buf, sizeof(buf)) == nullptr) return {};
  return buf;
}

bool VersionContext(std::string_view before) {
  std::string b = AsciiLower(before);
  if (!b.empty() && (b.back() == '-' || b.back() == '@' || b.back() == '_' || IsAlpha(b.back()))) return true;  // v1.2.3.4
  while (!b.empty() && (b.back() == ' ' || b.back() == ':')) b.pop_back();
  for (const char* w : {"version", "ver.", "ver", "build", "release", "firmware", "phiên bản", "版本", "versión",
                        "versi", "เวอร์ชัน", "версия", "версії", "versão", "versione", "sürüm", "versiyon", "wersja",
                        "verze", "versie", "バージョン", "버전", "نسخه", "الإصدار", "إصدار", "संस्करण"}) {
    std::string_view word(w);
    if (b.size() < word.size() || b.compare(b.size() - word.size(), word.size(), word) != 0) continue;
    size_t at = b.size() - word.size();
    if (at == 0 || !IsAlpha(b[at - 1])) return true;  // "server" is not "ver"
  }
  return false;
}

inline bool IsHex(char c) { return IsDigit(c) || (AsciiLower(c) >= 'a' && AsciiLower(c) <= 'f'); }

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints&, Emitter& out) {
  const std::string_view s = seg.text;
  size_t consumed6 = 0;
  for (const Hit& h : hits) {
    if (h.trigger == kIpv4) {
      size_t b = h.end;
      while (b > 0 && (IsDigit(s[b - 1]) || s[b - 1] == '.') && h.end - b < 16) --b;
      std::string_view v = s.substr(b, h.end - b);
      if (!v.empty() && v.front() == '.') continue;  // 1.2.3.4.5
      if (!ValidDottedQuad(v)) continue;
      if (h.end + 1 < s.size() && s[h.end] == '.' && IsDigit(s[h.end + 1])) continue;
      if (h.end < s.size() && (IsAlnum(s[h.end]) || s[h.end] == '-')) continue;
      if (VersionContext(Before(seg, b, 40))) continue;
      out.Emit("ipv4", v, v, seg.PieceAt(b).source);
    } else if (h.trigger == kIpv6) {
      if (h.end <= consumed6) continue;
      auto [pb, pe] = seg.PieceBounds(h.end - 1);
      size_t b = h.end, e = h.end;
      while (b > pb && (IsHex(s[b - 1]) || s[b - 1] == ':' || s[b - 1] == '.') && h.end - b < 46) --b;
      while (e < pe && (IsHex(s[e]) || s[e] == ':' || s[e] == '.') && e - b < 46) ++e;
      consumed6 = e;
      while (e > b && s[e - 1] == '.') --e;  // sentence end
      if ((b > pb && (IsAlnum(s[b - 1]) || s[b - 1] == '_')) || (e < pe && (IsAlnum(s[e]) || s[e] == '_'))) continue;
      std::string_view v = s.substr(b, e - b);
      size_t colons = 0;
      for (char c : v) colons += c == ':';
      if (colons < 2) continue;
      std::string canon = CanonicalIpv6(v);
      if (canon.empty() || canon == "::") continue;
      out.Emit("ipv6", std::move(canon), v, seg.PieceAt(b).source);
    }
  }
}

std::string_view HostOfUrl(std::string_view url) {
  size_t s = url.find("://");
  if (s == std::string_view::npos) return {};
  s += 3;
  if (s < url.size() && url[s] == '[') {
    size_t e = url.find(']', s);
    return e == std::string_view::npos ? std::string_view() : url.substr(s, e + 1 - s);
  }
  size_t e = url.find_first_of(":/?#", s);
  return url.substr(s, e == std::string_view::npos ? std::string_view::npos : e - s);
}

void OnPage(const Page& page, const PageHints&, Emitter& out) {
  auto add = [&out](const std::string& url) {
    std::string_view host = HostOfUrl(url);
    if (host.size() > 2 && host.front() == '[') {
      std::string canon = CanonicalIpv6(host.substr(1, host.size() - 2));
      if (!canon.empty()) out.Emit("ipv6", std::move(canon), url, "url");
    } else if (!host.empty() && IsDigit(host.back()) && ValidDottedQuad(host)) {
      out.Emit("ipv4", host, url, "url");
    }
  };
  add(page.url);
  for (const std::string& l : page.links) add(l);
  for (const Form& f : page.forms) add(f.action);
  for (const Script& s : page.scripts) {
    if (!s.src.empty()) add(s.src);
  }
  for (const std::string& f : page.iframes) add(f);
  for (const Image& im : page.images) {
    if (!im.src.empty()) add(im.src);
  }
  if (!page.meta_refresh.empty()) add(page.meta_refresh);
  for (const std::string& r : page.js_redirects) add(r);
}

}  // namespace

const Family kIpFamily = {"ip", OnSegment, OnPage};

}  // namespace dragnet::extractors::scan
