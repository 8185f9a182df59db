#include "extractors/hosting/bootstrap.h"

#include <algorithm>
#include <charconv>

#include "core/fs.h"
#include "core/strings.h"

namespace dragnet::hosting {
namespace {

// Entries a bootstrap file may hold; IANA's dns.json has ~1,500 TLDs.
constexpr size_t kMaxBootstrapEntries = 100'000;

// https URLs first; every URL ends with '/'.
std::vector<std::string> Urls(const nlohmann::json& arr) {
  std::vector<std::string> https, http;
  for (const auto& u : arr) {
    if (!u.is_string()) continue;
    std::string s = u.get<std::string>();
    if (s.empty()) continue;
    if (s.back() != '/') s += '/';
    if (s.rfind("https://", 0) == 0) https.push_back(s);
    else if (s.rfind("http://", 0) == 0) http.push_back(s);
  }
  https.insert(https.end(), http.begin(), http.end());
  return https;
}

Result<nlohmann::json> Services(const std::string& text, const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return ParseError("RDAP bootstrap " + name + " is not valid JSON");
  if (!j.is_object() || !j.contains("services") || !j["services"].is_array()) {
    return ParseError("RDAP bootstrap " + name + " has no \"services\" array");
  }
  if (j["services"].size() > kMaxBootstrapEntries) {
    return LimitExceeded("RDAP bootstrap " + name + " has too many services");
  }
  for (const auto& s : j["services"]) {
    if (!s.is_array() || s.size() < 2 || !s[0].is_array() || !s[1].is_array()) {
      return ParseError("RDAP bootstrap " + name + " has a service that is not [entries, urls]");
    }
    if (Urls(s[1]).empty()) {
      return ParseError("RDAP bootstrap " + name + " has a service without http(s) URLs");
    }
  }
  return j;
}

}  // namespace

Status ValidateBootstrapFile(const std::string& text, const std::string& name) {
  auto j = Services(text, name);
  return j.ok() ? Status::Ok() : j.status();
}

Status Bootstrap::Load(const std::string& dir, const std::map<std::string, std::string>& rewrites) {
  rewrites_ = rewrites;
  tlds_.clear();
  nets_.clear();
  asns_.clear();
  for (const char* file : {"dns.json", "ipv4.json", "ipv6.json", "asn.json"}) {
    std::string path = dir + "/" + file;
    auto text = ReadFile(path, kMaxBootstrapBytes);
    if (!text.ok()) return NotFound("RDAP bootstrap " + path + ": " + text.status().message());
    auto j = Services(*text, path);
    if (!j.ok()) return j.status();
    if (j->contains("publication") && (*j)["publication"].is_string()) {
      publication_[file] = (*j)["publication"].get<std::string>();
    }
    std::string f = file;
    for (const auto& svc : (*j)["services"]) {
      auto urls = Urls(svc[1]);
      for (const auto& e : svc[0]) {
        if (!e.is_string()) continue;
        std::string entry = e.get<std::string>();
        if (f == "dns.json") {
          tlds_[AsciiLower(entry)] = urls;
        } else if (f == "asn.json") {
          auto dash = entry.find('-');
          std::string a = entry.substr(0, dash), b = dash == std::string::npos ? a : entry.substr(dash + 1);
          uint32_t lo = 0, hi = 0;
          auto r1 = std::from_chars(a.data(), a.data() + a.size(), lo);
          auto r2 = std::from_chars(b.data(), b.data() + b.size(), hi);
          if (r1.ec != std::errc() || r2.ec != std::errc() || lo > hi) continue;
          asns_.push_back({lo, hi, urls});
        } else {
          auto c = ParseCidr(entry);
          if (c.ok()) nets_.push_back({*c, urls});
        }
      }
    }
  }
  // Longest prefix first, so the first match is the most specific.
  std::stable_sort(nets_.begin(), nets_.end(),
                   [](const Cidrs& a, const Cidrs& b) { return a.cidr.prefix > b.cidr.prefix; });
  return Status::Ok();
}

std::string Bootstrap::Rewrite(const std::string& url) const {
  const std::string* best_from = nullptr;
  const std::string* best_to = nullptr;
  for (const auto& [from, to] : rewrites_) {
    if (url.rfind(from, 0) == 0 && (!best_from || from.size() > best_from->size())) {
      best_from = &from;
      best_to = &to;
    }
  }
  if (!best_from) return url;
  return *best_to + url.substr(best_from->size());
}

std::vector<std::string> Bootstrap::ForDomain(const std::string& ascii_name) const {
  // Longest matching label suffix: "a.b.co.uk" tries "a.b.co.uk", "b.co.uk", "co.uk", "uk".
  std::string name = AsciiLower(ascii_name);
  while (!name.empty() && name.back() == '.') name.pop_back();
  std::string_view rest = name;
  while (!rest.empty()) {
    auto it = tlds_.find(std::string(rest));
    if (it != tlds_.end()) {
      std::vector<std::string> out;
      for (const auto& u : it->second) out.push_back(Rewrite(u));
      return out;
    }
    auto dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return {};
}

std::vector<std::string> Bootstrap::ForIp(const IpAddr& ip) const {
  for (const auto& n : nets_) {
    if (n.cidr.Contains(ip)) {
      std::vector<std::string> out;
      for (const auto& u : n.urls) out.push_back(Rewrite(u));
      return out;
    }
  }
  return {};
}

std::vector<std::string> Bootstrap::ForAsn(uint32_t asn) const {
  for (const auto& r : asns_) {
    if (asn >= r.first && asn <= r.last) {
      std::vector<std::string> out;
      for (const auto& u : r.urls) out.push_back(Rewrite(u));
      return out;
    }
  }
  return {};
}

}  // namespace dragnet::hosting
