#include "extractors/hosting/cdn.h"

#include <set>

#include "core/config_section.h"

namespace dragnet::hosting {

Status CdnTable::Load(const std::string& path) {
  auto root = LoadTomlFile(path);
  if (!root.ok()) return root.status();
  providers_.clear();
  size_t total_ranges = 0;
  for (const auto& [k, v] : *root) {
    if (k.str() != "provider") {
      return InvalidArgument(path + ": unknown key '" + std::string(k.str()) + "' (expected [[provider]])");
    }
  }
  const toml::array* arr = root->get_as<toml::array>("provider");
  if (!arr) return InvalidArgument(path + ": no [[provider]] tables");
  if (arr->size() > kMaxCdnProviders) return LimitExceeded(path + ": too many providers");
  static const std::set<std::string> kKeys = {"name", "asns", "ranges", "abuse_email",
                                              "abuse_url", "abuse_phone", "source"};
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table* t = (*arr)[i].as_table();
    std::string where = path + ": provider #" + std::to_string(i + 1);
    if (!t) return InvalidArgument(where + " is not a table");
    for (const auto& [k, v] : *t) {
      if (!kKeys.count(std::string(k.str()))) {
        return InvalidArgument(where + ": unknown key '" + std::string(k.str()) + "'");
      }
    }
    CdnProvider p;
    p.name = t->get_as<std::string>("name") ? **t->get_as<std::string>("name") : "";
    if (p.name.empty()) return InvalidArgument(where + " has no name");
    where = path + ": provider '" + p.name + "'";
    auto str = [&](const char* key) {
      auto* s = t->get_as<std::string>(key);
      return s ? **s : std::string();
    };
    p.abuse.email = str("abuse_email");
    p.abuse.url = str("abuse_url");
    p.abuse.phone = str("abuse_phone");
    p.abuse.source = "cdn";
    p.abuse.scope = "cdn";
    p.source = str("source");
    if (p.abuse.empty()) return InvalidArgument(where + " has no abuse_email, abuse_url or abuse_phone");
    if (p.source.empty()) return InvalidArgument(where + " has no source");
    if (const auto* a = t->get_as<toml::array>("asns")) {
      for (const auto& n : *a) {
        auto v = n.value<int64_t>();
        if (!n.is_integer() || !v || *v <= 0 || *v > 4294967295LL) {
          return InvalidArgument(where + ": asns must be AS numbers");
        }
        p.asns.push_back(static_cast<uint32_t>(*v));
      }
    }
    if (const auto* a = t->get_as<toml::array>("ranges")) {
      for (const auto& n : *a) {
        auto v = n.value<std::string>();
        if (!v) return InvalidArgument(where + ": ranges must be CIDR strings");
        auto c = ParseCidr(*v);
        if (!c.ok()) return InvalidArgument(where + ": " + c.status().message());
        if (++total_ranges > kMaxCdnRanges) return LimitExceeded(path + ": too many ranges");
        p.ranges.push_back(*c);
      }
    }
    if (p.asns.empty() && p.ranges.empty()) return InvalidArgument(where + " has no asns or ranges");
    providers_.push_back(std::move(p));
  }
  return Status::Ok();
}

std::optional<Cdn> CdnTable::Match(const IpAddr& ip, uint32_t asn) const {
  // Published ranges are the stronger evidence; check them all first.
  for (const auto& p : providers_) {
    for (const auto& r : p.ranges) {
      if (r.Contains(ip)) return Cdn{p.name, p.abuse, "range:" + r.ToString()};
    }
  }
  if (asn == 0) return std::nullopt;
  for (const auto& p : providers_) {
    for (uint32_t a : p.asns) {
      if (a == asn) return Cdn{p.name, p.abuse, "asn:" + std::to_string(a)};
    }
  }
  return std::nullopt;
}

}  // namespace dragnet::hosting
