// url, domain: every absolute URL the site points to outside its own
// registrable domain, from links (a/area/link), form actions, script src,
// iframes, the meta refresh and literal JS redirects; and each such URL's
// registrable domain (lowercase punycode, from libpsl). URLs on IP literals
// give a url here and an ipv4/ipv6 from extractors/ip.cc, no domain.

#include <string>

#include "core/url.h"
#include "extractors/scan_text.h"

namespace dragnet::extractors::scan {
namespace {

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

bool IsIpHost(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;
  size_t dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (!IsDigit(c)) return false;
  }
  return dots == 3;
}

class UrlEmitter {
 public:
  UrlEmitter(const PageHints& hints, Emitter& out) : hints_(hints), out_(out) {}

  void Add(const std::string& url, const char* source) {
    std::string_view host = HostOfUrl(url);
    if (host.empty()) return;
    if (IsIpHost(host)) {
      out_.Emit("url", url, url, source);
      return;
    }
    const std::string domain = DomainOf(host);
    if (domain == hints_.site_domain) return;
    out_.Emit("url", url, url, source);
    out_.Emit("domain", domain, host, source);
  }

 private:
  const PageHints& hints_;
  Emitter& out_;
};

void OnPage(const Page& page, const PageHints& hints, Emitter& out) {
  UrlEmitter u(hints, out);
  for (const std::string& l : page.links) u.Add(l, "attribute");
  for (const Form& f : page.forms) u.Add(f.action, "form");
  for (const Script& s : page.scripts) {
    if (!s.src.empty()) u.Add(s.src, "script");
  }
  for (const std::string& f : page.iframes) u.Add(f, "attribute");
  if (!page.meta_refresh.empty()) u.Add(page.meta_refresh, "meta");
  for (const std::string& r : page.js_redirects) u.Add(r, "script");
}

}  // namespace

const Family kUrlFamily = {"url", nullptr, OnPage};

}  // namespace dragnet::extractors::scan
