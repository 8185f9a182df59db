#include "intel/identifiers.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/strings.h"
#include "core/url.h"

namespace dragnet::intel {
namespace {

// Weights: how surely a shared value means one operator. A wallet, a bot
// token, an IBAN or a card number is someone's money or account: alone it
// ties two sites. A contact (Telegram, WhatsApp, e-mail, phone) or an
// analytics ID is chosen by the operator, a little less sure (resellers,
// copied kits keep the kit author's IDs). A collector host is where stolen
// data goes. The favicon hash ties copies of one kit (the brand's own icon
// is owned, see FactsOf). The rest is searchable but links nothing: many
// unrelated sites share an IP, an outside link or a parked page body.
const std::map<std::string, int>& Weights() {
  static const std::map<std::string, int> w = {
      {"btc", 100}, {"eth", 100}, {"tron", 100}, {"xmr", 100},
      {"telegram_bot_token", 100}, {"iban", 90}, {"card", 80},
      {"telegram", 80}, {"whatsapp", 80}, {"email", 70}, {"phone", 60},
      {"analytics_ga", 80}, {"analytics_gtm", 80}, {"fb_pixel", 80},
      {"collector_host", 70}, {"favicon_mmh3", 50},
      {"body_sha256", 30}, {"host", 0}, {"url", 0}, {"domain", 0}, {"ipv4", 0}, {"ipv6", 0},
  };
  return w;
}

// Values everyone uses: a form or a script pointing there says nothing
// about who runs the site. Hosts are matched by registrable domain too.
const std::set<std::string>& UbiquitousHosts() {
  static const std::set<std::string> h = {
      "cdnjs.cloudflare.com", "ajax.googleapis.com", "cdn.jsdelivr.net", "unpkg.com",
      "code.jquery.com", "stackpath.bootstrapcdn.com", "maxcdn.bootstrapcdn.com",
      "fonts.googleapis.com", "fonts.gstatic.com", "www.google-analytics.com",
      "www.googletagmanager.com", "connect.facebook.net", "api.telegram.org",
      "formspree.io", "getform.io", "formsubmit.co", "docs.google.com", "script.google.com",
      "hooks.slack.com", "discord.com", "api.ipify.org", "ipapi.co", "ipinfo.io",
  };
  return h;
}

std::string HostOfUrl(const std::string& url) {
  auto u = ParseUrl(url);
  return u.ok() ? AsciiLower(u->host) : std::string();
}

std::string DomainOfEmail(const std::string& email) {
  auto at = email.rfind('@');
  return at == std::string::npos ? std::string() : AsciiLower(email.substr(at + 1));
}

// The brand owning `host`'s registrable domain, or "".
std::string OwnerOfHost(const extractors::BrandCatalog* brands, const std::string& host) {
  if (!brands || host.empty()) return "";
  std::string reg = RegistrableDomainOf(host);
  int i = brands->OwnerOf(reg.empty() ? host : reg);
  return i >= 0 ? brands->brands()[static_cast<size_t>(i)].name : "";
}

}  // namespace

int WeightOf(const std::string& type) {
  auto it = Weights().find(type);
  return it == Weights().end() ? 0 : it->second;
}

const std::vector<std::string>& IdentifierTypes() {
  static const std::vector<std::string> t = [] {
    std::vector<std::string> v;
    for (const auto& [k, w] : Weights()) v.push_back(k);
    return v;
  }();
  return t;
}

bool BuiltinUbiquitous(const std::string& type, const std::string& value) {
  if (type != "collector_host" && type != "host" && type != "domain") return false;
  const auto& h = UbiquitousHosts();
  if (h.count(value)) return true;
  std::string reg = RegistrableDomainOf(value);
  return !reg.empty() && h.count(reg);
}

CaseFacts FactsOf(const SeedResult& r, const extractors::BrandCatalog* brands, int64_t seen_ms) {
  CaseFacts f;
  f.case_id = r.case_id;
  f.seed = r.seed;
  f.final_url = r.final_url;
  f.host = HostOfUrl(r.final_url.empty() ? r.seed : r.final_url);
  f.domain = f.host.empty() ? "" : RegistrableDomainOf(f.host);
  if (f.domain.empty()) f.domain = f.host;
  if (r.verdict) {
    f.label = r.verdict->label;
    f.scam_type = r.verdict->scam_type;
    f.brand = r.verdict->brand_impersonated;
    f.score = r.verdict->score;
  }
  std::set<std::string> countries, ips;
  if (r.hosting) {
    f.registrar = r.hosting->registrar.name;
    for (const auto& ip : r.hosting->ips) {
      if (!ip.country.empty()) countries.insert(ip.country);
      if (!ip.ip.empty()) ips.insert(ip.ip);
    }
  }
  f.countries.assign(countries.begin(), countries.end());
  f.ips.assign(ips.begin(), ips.end());
  auto at = ParseRfc3339Ms(r.finished_at);
  f.seen_ms = at.ok() ? *at : seen_ms;
  f.own_brand = OwnerOfHost(brands, f.host);

  std::map<std::pair<std::string, std::string>, std::string> ids;  // (type, value) -> owner
  auto add = [&](const std::string& type, const std::string& value, const std::string& owner) {
    if (value.empty()) return;
    ids.emplace(std::make_pair(type, value), owner);
  };
  for (const Indicator& ind : r.indicators) {
    if (ind.type == "email") {
      // The impersonated brand's own address copied onto the page is the
      // brand's; an address at any other brand's domain (a webmail
      // provider) is the operator's own account.
      std::string owner = OwnerOfHost(brands, DomainOfEmail(ind.value));
      add("email", AsciiLower(ind.value), !owner.empty() && owner == f.brand ? owner : "");
    } else if (ind.type == "url") {
      add("url", ind.value, "");
      // Where a form posts, outside the site: the collector of what it asks for.
      if (ind.source == "form") {
        std::string h = HostOfUrl(ind.value);
        add("collector_host", h, OwnerOfHost(brands, h));
      }
    } else if (ind.type == "domain") {
      add("domain", AsciiLower(ind.value), OwnerOfHost(brands, AsciiLower(ind.value)));
    } else {
      add(ind.type, ind.value, "");
    }
  }
  if (r.favicon) {
    std::string owner;
    if (brands) {
      for (const auto& b : brands->brands()) {
        if (std::find(b.favicon_mmh3.begin(), b.favicon_mmh3.end(), r.favicon->mmh3) != b.favicon_mmh3.end()) {
          owner = b.name;
          break;
        }
      }
    }
    add("favicon_mmh3", std::to_string(r.favicon->mmh3), owner);
  }
  add("host", f.host, f.own_brand);
  if (!r.final_url.empty()) add("url", r.final_url, f.own_brand);
  for (const auto& ip : f.ips) add(ip.find(':') == std::string::npos ? "ipv4" : "ipv6", ip, "");
  // The landing page's body: identical bytes on two domains is one kit
  // copied whole, but also every parked or default page; searchable only.
  for (const auto& p : r.pages) {
    if (p.url == r.final_url && p.status == 200 && !p.sha256.empty()) add("body_sha256", p.sha256, "");
  }
  for (auto& [k, owner] : ids) {
    Identifier id;
    id.type = k.first;
    id.value = k.second;
    id.weight = WeightOf(id.type);
    // Everything on a brand's own site is the brand's.
    id.owned_by = !owner.empty() ? owner : f.own_brand;
    f.identifiers.push_back(std::move(id));
  }
  return f;
}

}  // namespace dragnet::intel
