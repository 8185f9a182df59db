// url, domain: every absolute URL the site points to outside its own
// registrable domain, and each such URL's registrable domain (lowercase
// punycode, from libpsl). From the page's structure: links (a/area/link),
// form actions, script src, iframes, the meta refresh, literal JS redirects
// and <base href>; and from URLs written out anywhere else: visible and
// hidden text, comments, attribute values that are not the structure's
// (data-*, content, onclick, ...), script strings and everything the
// de-obfuscation layer decodes (collector endpoints, second-stage hosts,
// WebSocket panels: http://, https://, ws://, wss://, and "www." hosts).
// URLs on IP literals give a url here and an ipv4/ipv6 from
// extractors/ip.cc, no domain.
//
// No noise (config/platforms.toml via extractors/platforms.h): links to
// messaging and tag-manager hosts are carried by their typed indicators
// (telegram, whatsapp, analytics_ga, ...), and namespaces, fonts, captchas
// and library files on public CDNs say nothing about the operator; none of
// them becomes a url or domain. Reserved example names (RFC 2606/6761) and
// hosts without a public suffix are left out too.

#include <string>

#include "core/url.h"
#include "extractors/platforms.h"
#include "extractors/scan_text.h"
#include "extractors/url_fast.h"

namespace dragnet::extractors::scan {
namespace {

// Longest URL read out of text (core/url.h refuses longer ones anyway).
constexpr size_t kMaxUrlBytes = 2048;

// Host of a normalised URL (core/url.h normal form): between "://" and the
// next ':' '/' '?'; an IPv6 literal keeps its brackets.
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

std::string_view PathOfUrl(std::string_view url) {
  size_t s = url.find("://");
  if (s == std::string_view::npos) return {};
  size_t p = url.find('/', s + 3);
  return p == std::string_view::npos ? std::string_view("/") : url.substr(p);
}

bool IsIpHost(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;
  size_t dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (!IsDigit(c)) return false;
  }
  return dots == 3;
}

bool IsReservedName(std::string_view host) {
  auto ends_with = [&host](std::string_view s) {
    return host.size() >= s.size() && host.substr(host.size() - s.size()) == s &&
           (host.size() == s.size() || host[host.size() - s.size() - 1] == '.');
  };
  for (const char* d : {"example", "example.com", "example.net", "example.org", "test", "invalid", "localhost",
                        "local", "onion"}) {
    if (ends_with(d)) return true;
  }
  return false;
}

class UrlEmitter {
 public:
  UrlEmitter(const PageHints& hints, Emitter& out) : hints_(hints), out_(out) {}

  // `url` in core/url.h normal form.
  void Add(const std::string& url, std::string_view raw, const char* source) {
    std::string_view host = HostOfUrl(url);
    if (host.empty()) return;
    if (hints_.platforms != nullptr && hints_.platforms->SuppressedUrl(host, PathOfUrl(url))) return;
    if (IsIpHost(host)) {
      out_.Emit("url", url, raw, source);
      return;
    }
    if (IsReservedName(host)) return;
    const std::string domain = DomainOf(host);
    if (domain == hints_.site_domain) return;
    out_.Emit("url", url, raw, source);
    out_.Emit("domain", domain, host, source);
  }

 private:
  const PageHints& hints_;
  Emitter& out_;
};

// Where a URL written in text ends: whitespace, quotes, angle brackets, the
// piece's end; then trailing punctuation of the sentence is dropped.
size_t UrlEnd(std::string_view s, size_t i, size_t limit) {
  size_t e = i;
  int parens = 0;
  while (e < limit && e - i < kMaxUrlBytes) {
    unsigned char c = static_cast<unsigned char>(s[e]);
    if (c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\' || c == '{' ||
        c == '}' || c == '|' || c == '^') {
      break;
    }
    if (c >= 0x80) break;  // text in another script glued on ("https://x.com。")
    if (c == '(') ++parens;
    if (c == ')' && --parens < 0) break;
    ++e;
  }
  while (e > i && std::string_view(".,;:!?*").find(s[e - 1]) != std::string_view::npos) --e;
  return e;
}

// Attributes the structure already reports (links, forms, scripts, iframes)
// or that point at images and media (not indicators).
bool StructuralAttr(const AttrValue* a) {
  if (a == nullptr) return false;
  const std::string& n = a->name;
  return n == "href" || n == "src" || n == "action" || n == "formaction" || n == "srcset" || n == "poster" ||
         n == "data-src" || n == "data-srcset" || n == "background" || n == "data-bg" || n == "data-background";
}

void OnSegment(const Segment& seg, const std::vector<Hit>& hits, const PageHints& hints, Emitter& out) {
  const std::string_view s = seg.text;
  UrlEmitter u(hints, out);
  size_t consumed = 0;
  for (const Hit& h : hits) {
    if ((h.trigger != kUrlScheme && h.trigger != kWww) || h.start < consumed) continue;
    const Piece& piece = seg.PieceAt(h.start);
    if (StructuralAttr(piece.attr)) continue;
    size_t b = h.start;
    if (h.trigger == kWww && b > 0 && (s[b - 1] == '/' || s[b - 1] == '.' || s[b - 1] == '@' || s[b - 1] == '-')) {
      continue;  // part of a URL with a scheme, an address, a longer name
    }
    auto [pb, pe] = seg.PieceBounds(h.start);
    (void)pb;
    size_t e = UrlEnd(s, h.end, pe);
    consumed = e;
    if (e <= h.end + 3) continue;  // "https://" alone, or a bare "www.x"
    std::string_view raw = s.substr(b, e - b);
    std::string text;
    std::string scheme_back;  // ws/wss are parsed as http/https and written back
    if (h.trigger == kWww) {
      text = "http://";
      text.append(raw);
    } else if (AsciiLower(raw.substr(0, 3)) == "ws:" || AsciiLower(raw.substr(0, 4)) == "wss:") {
      bool secure = AsciiLower(raw.substr(0, 4)) == "wss:";
      text = secure ? "https" : "http";
      text.append(raw.substr(secure ? 3 : 2));
      scheme_back = secure ? "wss" : "ws";
    } else {
      text.assign(raw);
    }
    Result<Url> url = urlfast::ParseUrlOrCurl(text);
    if (!url.ok() || url->host.empty()) continue;
    if (!url->host_is_ip && (url->host.find('.') == std::string::npos || !HasPublicSuffix(url->host))) continue;
    std::string normalized = std::move(url->normalized);
    if (!scheme_back.empty()) normalized.replace(0, normalized.find(':'), scheme_back);
    u.Add(normalized, raw, piece.source);
  }
}

void OnPage(const Page& page, const PageHints& hints, Emitter& out) {
  UrlEmitter u(hints, out);
  for (const std::string& l : page.links) u.Add(l, l, "attribute");
  for (const Form& f : page.forms) u.Add(f.action, f.action, "form");
  for (const Script& s : page.scripts) {
    if (!s.src.empty()) u.Add(s.src, s.src, "script");
  }
  for (const std::string& f : page.iframes) u.Add(f, f, "attribute");
  if (!page.meta_refresh.empty()) u.Add(page.meta_refresh, page.meta_refresh, "meta");
  for (const std::string& r : page.js_redirects) u.Add(r, r, "script");
  if (!page.base_href.empty()) u.Add(page.base_href, page.base_href, "attribute");
}

}  // namespace

const Family kUrlFamily = {"url", OnSegment, OnPage};

}  // namespace dragnet::extractors::scan
