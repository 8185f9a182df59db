#include "core/url.h"

#include <curl/curl.h>
#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "core/strings.h"
#include "core/text.h"

namespace dragnet {
namespace {

// The longest URL we accept. Browsers cope with ~2 MB, but anything past
// 8 KiB in a scam page is padding meant to hurt parsers and logs.
constexpr size_t kMaxUrlLength = 8192;

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

std::string GetPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return {};
  std::string s(out);
  curl_free(out);
  return s;
}

// Input quoted in an error message: printable text (it may be a site's or a
// user's bytes, core/text.h), and no longer than a long URL.
std::string Shown(std::string_view s) { return ToPrintable(CutText(s, 2048)); }

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}

Result<Url> FromCurlUrl(CURLU* u) {
  Url url;
  url.scheme = AsciiLower(GetPart(u, CURLUPART_SCHEME));
  if (url.scheme != "http" && url.scheme != "https") {
    return Refused("scheme '" + Shown(url.scheme) + "' is not http or https");
  }
  std::string host = GetPart(u, CURLUPART_HOST);
  if (host.empty()) return InvalidArgument("URL has no host");
  if (host.front() == '[') {
    url.host_is_ip = true;
    std::string inner = host.substr(1, host.size() - 2);
    // Drop a zone id ("%25eth0"): it has no meaning off the local link.
    if (auto pct = inner.find('%'); pct != std::string::npos) inner.resize(pct);
    url.host = AsciiLower(inner);
    url.host_unicode = url.host;
  } else {
    auto ascii = HostToAscii(host);
    if (!ascii.ok()) return ascii.status();
    url.host = *ascii;
    url.host_unicode = HostToUnicode(url.host);
    // curl already turned decimal/hex/octal IPv4 forms into dotted quads.
    url.host_is_ip = std::all_of(url.host.begin(), url.host.end(),
                                 [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
                     std::count(url.host.begin(), url.host.end(), '.') == 3;
  }
  std::string port = GetPart(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  url.port = port.empty() ? 0 : std::atoi(port.c_str());  // digits validated by curl
  std::string path = GetPart(u, CURLUPART_PATH);
  if (path.empty()) path = "/";
  std::string query = GetPart(u, CURLUPART_QUERY);
  url.path = query.empty() ? path : path + "?" + query;

  bool default_port = (url.scheme == "http" && url.port == 80) ||
                      (url.scheme == "https" && url.port == 443);
  std::string host_part = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  url.normalized = url.scheme + "://" + host_part +
                   (default_port ? "" : ":" + std::to_string(url.port)) + url.path;
  return url;
}

Result<Url> ParseWith(CURLU* u, std::string_view text) {
  if (text.size() > kMaxUrlLength) return InvalidArgument("URL longer than 8192 bytes");
  std::string s(text);
  // Trim the whitespace people paste around URLs; curl rejects inner spaces.
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return InvalidArgument("empty URL");
  s = s.substr(b, e - b + 1);
  CURLUcode rc = curl_url_set(u, CURLUPART_URL, s.c_str(),
                              CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE | CURLU_ALLOW_SPACE);
  if (rc != CURLUE_OK) {
    return InvalidArgument("invalid URL '" + Shown(s) + "': " + curl_url_strerror(rc));
  }
  return FromCurlUrl(u);
}

}  // namespace

Result<Url> ParseUrl(std::string_view text) {
  CurlUrlPtr u(curl_url());
  if (!u) return Internal("curl_url() failed");
  std::string s(text);
  if (s.find("://") == std::string::npos) {
    return InvalidArgument("invalid URL '" + Shown(s) + "': not absolute (no scheme://)");
  }
  return ParseWith(u.get(), text);
}

Result<Url> ResolveUrl(const Url& base, std::string_view ref) {
  CurlUrlPtr u(curl_url());
  if (!u) return Internal("curl_url() failed");
  if (curl_url_set(u.get(), CURLUPART_URL, base.normalized.c_str(), 0) != CURLUE_OK) {
    return Internal("base URL no longer parses: " + base.normalized);
  }
  return ParseWith(u.get(), ref);
}

Result<std::string> HostToAscii(std::string_view host) {
  std::string h(host);
  if (h.empty()) return InvalidArgument("empty host");
  while (!h.empty() && h.back() == '.') h.pop_back();  // FQDN dot
  if (IsAscii(h)) {
    h = AsciiLower(h);
    // A host that is already ASCII but holds "xn--" labels is checked by
    // round-tripping it, so broken punycode is refused here.
    if (h.find("xn--") == std::string::npos) return h;
  }
  char* out = nullptr;
  int rc = idn2_to_ascii_8z(h.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  if (rc != IDN2_OK) {
    // Fall back to transitional processing (UTS #46) for names that only
    // IDNA2003 accepted, as browsers do.
    rc = idn2_to_ascii_8z(h.c_str(), &out, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
  }
  if (rc != IDN2_OK) {
    return InvalidArgument("invalid host name '" + Shown(host) + "': " + idn2_strerror(rc));
  }
  std::string ascii = AsciiLower(out);
  idn2_free(out);
  return ascii;
}

std::string HostToUnicode(std::string_view ascii_host) {
  std::string h(ascii_host);
  if (h.find("xn--") == std::string::npos) return h;
  char* out = nullptr;
  if (idn2_to_unicode_8z8z(h.c_str(), &out, 0) != IDN2_OK) return h;
  std::string u(out);
  idn2_free(out);
  return u;
}

std::string RegistrableDomainOf(std::string_view ascii_host) {
  std::string h(ascii_host);
  if (h.empty() || h.find(':') != std::string::npos) return {};
  if (std::all_of(h.begin(), h.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    return {};
  }
  const char* r = psl_registrable_domain(psl_builtin(), h.c_str());
  return r ? std::string(r) : std::string();
}

bool HasPublicSuffix(std::string_view ascii_host) {
  std::string h(ascii_host);
  auto dot = h.rfind('.');
  if (dot == std::string::npos || dot + 1 == h.size()) return false;
  // Every name under a TLD that the list knows has a public suffix; the list
  // knows the TLD itself when psl_is_public_suffix() holds for it.
  std::string tld = h.substr(dot + 1);
  return psl_is_public_suffix2(psl_builtin(), tld.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

std::string Url::RegistrableDomain() const {
  if (host_is_ip) return host;
  std::string r = RegistrableDomainOf(host);
  return r.empty() ? host : r;
}

}  // namespace dragnet
