#include "extractors/hosting/contacts.h"

#include <algorithm>
#include <cctype>

#include "core/strings.h"

namespace dragnet::hosting {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Fragments that mark a redacted or withheld address (ICANN's Temporary
// Specification and RFC 9537 wording as registries write it).
const char* const kPlaceholderFragments[] = {
    "redacted", "not.disclosed", "not-disclosed", "notdisclosed", "withheld",
    "data.protected", "dataprotected", "privacy-protected", "gdpr-masked", "removed@",
    "noreply@", "no-reply@", "donotreply@", "invalid@", "@invalid", "nomail@", "none@"};

// The RIRs' and NIRs' own domains: their mailboxes show up on blocks they
// only administer (IANA reserved, legacy, transferred), never as the party
// that can stop a site.
const char* const kRegistryDomains[] = {
    "arin.net",    "ripe.net",   "apnic.net",  "lacnic.net", "afrinic.net", "iana.org",
    "nic.ad.jp",   "jpnic.net",  "nic.or.kr",  "kisa.or.kr", "twnic.net.tw", "twnic.tw",
    "cnnic.cn",    "cnnic.net.cn", "idnic.net", "vnnic.vn",  "vnnic.net.vn", "irinn.in",
    "registro.br", "nic.br",     "nic.mx"};

}  // namespace

ContactFilter::ContactFilter(std::vector<std::string> extra) {
  for (const char* d : kRegistryDomains) domains_.push_back(d);
  for (auto& e : extra) {
    std::string l = AsciiLower(Trim(e));
    if (l.empty()) continue;
    if (l[0] == '@') domains_.push_back(l.substr(1));
    else addresses_.push_back(l);
  }
}

bool ContactFilter::IsPlaceholder(std::string_view email) const {
  std::string e = CleanEmail(email);
  if (e.empty()) return true;
  for (const char* f : kPlaceholderFragments) {
    if (e.find(f) != std::string::npos) return true;
  }
  if (std::find(addresses_.begin(), addresses_.end(), e) != addresses_.end()) return true;
  std::string domain = e.substr(e.rfind('@') + 1);
  for (const auto& d : domains_) {
    if (domain == d || (domain.size() > d.size() && domain.compare(domain.size() - d.size(), d.size(), d) == 0 &&
                        domain[domain.size() - d.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

std::string CleanEmail(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 7 && AsciiLower(v.substr(0, 7)) == "mailto:") v.remove_prefix(7);
  v = Trim(v);
  if (v.empty() || v.size() > 254) return "";
  auto at = v.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= v.size()) return "";
  for (char c : v) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == ',' || c == ';') {
      return "";
    }
  }
  if (v.substr(at + 1).find('.') == std::string_view::npos) return "";
  return AsciiLower(v);
}

std::string CleanPhone(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 4 && AsciiLower(v.substr(0, 4)) == "tel:") v.remove_prefix(4);
  v = Trim(v);
  if (v.size() > 64) return "";
  if (std::none_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) return "";
  return std::string(v);
}

std::vector<AbuseContact> ParseSecurityTxt(std::string_view text) {
  if (text.size() > kMaxSecurityTxtBytes) text = text.substr(0, kMaxSecurityTxtBytes);
  std::vector<AbuseContact> out;
  size_t pos = 0;
  // Bounded by the text size: every iteration consumes one line.
  while (pos < text.size() && out.size() < kMaxSecurityTxtContacts) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.rfind("-----BEGIN PGP SIGNATURE", 0) == 0) break;
    if (line.rfind("- ", 0) == 0) line.remove_prefix(2);  // dash-escaped (RFC 4880 7.1)
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (AsciiLower(Trim(line.substr(0, colon))) != "contact") continue;
    std::string_view value = Trim(line.substr(colon + 1));
    std::string lv = AsciiLower(value);
    AbuseContact c;
    c.source = "security.txt";
    c.scope = "site";
    if (lv.rfind("mailto:", 0) == 0 || (lv.find('@') != std::string::npos && lv.find("://") == std::string::npos)) {
      c.email = CleanEmail(value);
    } else if (lv.rfind("tel:", 0) == 0) {
      c.phone = CleanPhone(value);
    } else if (lv.rfind("https://", 0) == 0) {
      c.url = std::string(value);
    }
    if (!c.empty()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace dragnet::hosting
