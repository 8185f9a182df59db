#include "reporters/xarf.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/strings.h"
#include "core/url.h"

namespace dragnet::reporters {
namespace {

// The schema's `domain` pattern: ^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$
bool DomainFitsSchema(const std::string& d) {
  size_t start = 0;
  int labels = 0;
  while (true) {
    size_t dot = d.find('.', start);
    std::string label = d.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty()) return false;
    if (dot == std::string::npos) {
      if (labels == 0 || label.size() < 2) return false;
      return std::all_of(label.begin(), label.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    }
    if (label.front() == '-' || label.back() == '-' || label.find("--") != std::string::npos) return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    ++labels;
    start = dot + 1;
  }
}

// RFC 3339 date-time as the schema's `format: date-time` wants it.
std::string DateTimeOrEmpty(const std::string& s) {
  if (s.size() < 20 || s.find('T') == std::string::npos) return "";
  auto ms = ParseRfc3339Ms(s);
  if (!ms.ok()) return "";
  return FormatRfc3339Ms(*ms);
}

bool IsIpv4(const std::string& s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('.', i);
    std::string p = s.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (p.empty() || p.size() > 3 || !std::all_of(p.begin(), p.end(), ::isdigit) || std::stoi(p) > 255 ||
        (p.size() > 1 && p[0] == '0')) {
      return false;
    }
    ++parts;
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return parts == 4;
}

std::string Tag(const std::string& ns, const std::string& value) {
  std::string v;
  for (unsigned char c : AsciiLower(value)) {
    if (std::isalnum(c) || c == '_' || c == '+' || c == '-') v.push_back(static_cast<char>(c));
    else if (c == ' ' || c == '.') v.push_back('-');
  }
  while (!v.empty() && !std::isalnum(static_cast<unsigned char>(v.front()))) v.erase(0, 1);
  return v.empty() ? "" : ns + ":" + v;
}

}  // namespace

std::string FraudType(const std::string& scam_type) {
  static const std::set<std::string> kEnum = {"investment", "romance",  "tech_support", "lottery",
                                              "advance_fee", "cryptocurrency", "shopping", "charity",
                                              "employment", "government_impersonation", "other"};
  std::string t = AsciiLower(scam_type);
  for (char& c : t) {
    if (c == '-' || c == ' ') c = '_';
  }
  if (kEnum.count(t)) return t;
  if (t == "crypto" || t == "crypto_investment") return "cryptocurrency";
  if (t == "job" || t == "jobs" || t == "job_scam" || t == "recruitment") return "employment";
  if (t == "fake_shop" || t == "shop" || t == "webshop" || t == "ecommerce") return "shopping";
  if (t == "techsupport" || t == "support") return "tech_support";
  if (t == "government" || t == "tax") return "government_impersonation";
  if (t == "prize" || t == "giveaway") return "lottery";
  return "other";
}

std::string ScamTypeWords(const std::string& scam_type) {
  std::string t = AsciiLower(scam_type);
  if (t == "phishing") return "phishing";
  if (t == "malware") return "malware distribution";
  if (t == "pharming") return "pharming";
  static const std::map<std::string, std::string> kWords = {
      {"investment", "investment fraud"},
      {"romance", "romance scam"},
      {"tech_support", "tech-support scam"},
      {"lottery", "prize or giveaway scam"},
      {"advance_fee", "advance-fee fraud"},
      {"cryptocurrency", "cryptocurrency scam"},
      {"shopping", "fake shop"},
      {"charity", "fake charity"},
      {"employment", "job or task scam"},
      {"government_impersonation", "government impersonation scam"},
      {"extortion", "extortion scam"},
  };
  auto it = kWords.find(FraudType(t) == "other" ? t : FraudType(t));
  return it == kWords.end() ? "fraud" : it->second;
}

// The brand's legitimate site, from a brand indicator's facts; empty when unknown.
std::string LegitSite(const SeedResult& r) {
  for (const auto& ind : r.indicators) {
    if (ind.type != "brand" || !ind.extra.is_object()) continue;
    if (ind.extra.contains("domains") && ind.extra["domains"].is_array() && !ind.extra["domains"].empty() &&
        ind.extra["domains"][0].is_string()) {
      return "https://" + ind.extra["domains"][0].get<std::string>() + "/";
    }
    if (ind.extra.contains("domain") && ind.extra["domain"].is_string()) {
      return "https://" + ind.extra["domain"].get<std::string>() + "/";
    }
  }
  return "";
}

std::string XarfType(const SeedResult& r) {
  std::string t = r.verdict ? AsciiLower(r.verdict->scam_type) : "";
  if (t == "phishing") return "phishing";
  // brand_infringement requires the legitimate site: without it, report fraud.
  if ((t == "brand_infringement" || t == "counterfeit") && !LegitSite(r).empty()) return "brand_infringement";
  return "fraud";
}

std::string SafeUri(const std::string& url) {
  auto u = ParseUrl(url);
  std::string s = u.ok() ? u->normalized : url;
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f || std::string_view("\"<>\\^`{|}").find(static_cast<char>(c)) != std::string_view::npos) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (!u.ok()) {
    auto again = ParseUrl(out);  // percent-encoded, it may parse now: use the normal form
    if (again.ok()) return again->normalized;
  }
  return out;
}

nlohmann::json BuildXarf(const SeedResult& r, const XarfInput& in, const ReporterOptions& o) {
  using nlohmann::json;
  json contact = {{"org", o.org}, {"contact", o.contact_email}, {"domain", o.domain}};
  std::string type = XarfType(r);
  auto parsed = ParseUrl(in.url);
  std::string host = parsed.ok() ? parsed->host : "";
  const Hosting* h = r.hosting ? &*r.hosting : nullptr;

  json x;
  x["xarf_version"] = kXarfVersion;
  x["report_id"] = in.report_id;
  std::string ts = DateTimeOrEmpty(r.started_at);
  x["timestamp"] = ts.empty() ? FormatRfc3339Ms(SystemClock::Instance().NowUnixMs()) : ts;
  x["reporter"] = contact;
  x["sender"] = contact;
  std::string source = host;
  if (h && !h->ips.empty() && !h->ips.front().ip.empty()) source = h->ips.front().ip;
  x["source_identifier"] = source.empty() ? SafeUri(in.url) : source;
  if (parsed.ok() && parsed->port > 0) x["source_port"] = parsed->port;
  x["category"] = "content";
  x["type"] = type;
  x["url"] = SafeUri(in.url);
  if (DomainFitsSchema(host)) x["domain"] = host;
  x["evidence_source"] = "crawler";
  x["verification_method"] = "automated_crawler";
  x["attack_vector"] = type;
  if (r.verdict) x["confidence"] = std::clamp(r.verdict->score, 0, 100) / 100.0;
  std::string vat = DateTimeOrEmpty(in.verified_at);
  if (!vat.empty()) x["verified_at"] = vat;

  std::string brand = r.verdict ? r.verdict->brand_impersonated : "";
  if (!brand.empty()) x["target_brand"] = brand;

  // Why: the verdict's reasons, within the schema's 1000 characters.
  std::string desc;
  if (r.verdict) {
    desc = (r.verdict->label.empty() ? "fraudulent" : r.verdict->label) + " site (score " +
           std::to_string(r.verdict->score) + "/100)";
    for (const auto& reason : r.verdict->reasons) {
      std::string part = "; " + reason.rule + (reason.detail.empty() ? "" : ": " + reason.detail);
      if (desc.size() + part.size() > 990) break;
      desc += part;
    }
  }
  if (!desc.empty()) x["description"] = desc.substr(0, 1000);

  json tags = json::array();
  for (const std::string& t : {Tag("case", in.case_id), Tag("scam", r.verdict ? r.verdict->scam_type : ""),
                               Tag("brand", brand)}) {
    if (!t.empty()) tags.push_back(t);
  }
  x["tags"] = tags;

  if (h) {
    if (!h->registrar.name.empty()) x["registrar"] = h->registrar.name;
    if (!h->domain.nameservers.empty()) x["nameservers"] = h->domain.nameservers;
    json a = json::array(), aaaa = json::array();
    for (const auto& ip : h->ips) {
      if (IsIpv4(ip.ip)) a.push_back(ip.ip);
      else if (ip.ip.find(':') != std::string::npos) aaaa.push_back(ip.ip);
    }
    json dns = json::object();
    if (!a.empty()) dns["a"] = a;
    if (!aaaa.empty()) dns["aaaa"] = aaaa;
    if (!dns.empty()) x["dns_records"] = dns;
    if (!h->ips.empty()) {
      const IpInfo& ip = h->ips.front();
      if (ip.asn > 0) x["asn"] = ip.asn;
      if (ip.country.size() == 2 && std::isupper(static_cast<unsigned char>(ip.country[0])) &&
          std::isupper(static_cast<unsigned char>(ip.country[1]))) {
        x["country_code"] = ip.country;
      }
      std::string hp = h->cdn ? h->cdn->name : ip.as_org;
      if (!hp.empty()) x["hosting_provider"] = hp;
    }
    json whois = json::object();
    if (auto d = DateTimeOrEmpty(h->domain.created); !d.empty()) whois["created_date"] = d;
    if (auto d = DateTimeOrEmpty(h->domain.last_changed); !d.empty()) whois["updated_date"] = d;
    if (auto d = DateTimeOrEmpty(h->domain.expires); !d.empty()) whois["expiry_date"] = d;
    const std::string& ra = h->registrar.abuse.email;
    if (!ra.empty() && ra.find('@') != std::string::npos && ra.find_first_of(" \r\n<>") == std::string::npos) {
      whois["registrar_abuse_contact"] = ra;
    }
    if (!whois.empty()) x["whois"] = whois;
  }

  if (type == "phishing") {
    json chain = json::array();
    chain.push_back(SafeUri(r.seed.empty() ? in.url : r.seed));
    for (const auto& s : r.redirects) {
      std::string u = SafeUri(s.url);
      if (chain.back() != u) chain.push_back(u);
    }
    if (!r.final_url.empty() && chain.back() != SafeUri(r.final_url)) chain.push_back(SafeUri(r.final_url));
    if (chain.size() > 1) x["redirect_chain"] = chain;
    // Where the credentials go: a form posting to another site (the
    // collector), as the crawl found it.
    for (const auto& ind : r.indicators) {
      if (ind.type == "url" && ind.source == "form") {
        x["submission_url"] = SafeUri(ind.value);
        break;
      }
    }
    // The brand's own site, when the catalogue knows it.
    if (std::string legit = LegitSite(r); !legit.empty()) x["cloned_site"] = SafeUri(legit);
  } else if (type == "fraud") {
    x["fraud_type"] = FraudType(r.verdict ? r.verdict->scam_type : "");
    std::set<std::string> methods;
    json wallets = json::array();
    for (const auto& ind : r.indicators) {
      std::string t = AsciiLower(ind.type);
      std::string currency;
      if (t == "btc" || t == "bitcoin") currency = "bitcoin";
      else if (t == "eth" || t == "ethereum") currency = "ethereum";
      else if (t == "usdt" || t == "trc20" || t == "tron") currency = "usdt";
      else if (t == "xmr" || t == "monero") currency = "monero";
      else if (t == "bnb") currency = "bnb";
      else if (t == "ltc" || t == "doge" || t == "sol" || t == "xrp") currency = "other";
      if (!currency.empty()) {
        methods.insert("cryptocurrency");
        if (wallets.size() < 20) wallets.push_back({{"currency", currency}, {"address", ind.value}});
      }
      if (t == "iban") methods.insert("bank_transfer");
      if (t == "paypal") methods.insert("paypal");
    }
    if (!methods.empty()) x["payment_methods"] = json(std::vector<std::string>(methods.begin(), methods.end()));
    if (!wallets.empty()) x["cryptocurrency_addresses"] = wallets;
    if (!brand.empty()) x["claimed_entity"] = brand;
  } else {  // brand_infringement
    x["infringement_type"] = AsciiLower(r.verdict ? r.verdict->scam_type : "") == "counterfeit" ? "counterfeit"
                                                                                           : "brand_impersonation";
    x["legitimate_site"] = SafeUri(LegitSite(r));
    x["infringing_elements"] = json::array({"brand_name"});
  }

  json ev = json::array();
  // The key that seals the evidence manifest goes last, so keep room for it.
  const size_t max_captures = o.evidence_key_fingerprint.empty() ? 50 : 49;
  for (const auto& e : in.evidence) {
    if (ev.size() >= max_captures) break;  // the schema's maxItems
    ev.push_back({{"content_type", e.content_type},
                  {"description", e.description.substr(0, 500)},
                  {"payload", Base64Encode(e.body)},
                  {"hash", "sha256:" + e.sha256},
                  {"size", e.body.size()}});
  }
  if (!o.evidence_key_fingerprint.empty()) {
    // The evidence signing key, so a recipient can check the sealed
    // manifest attached to the report (and any bundle exported later).
    std::string key = DumpJson(json({{"alg", "ed25519"},
                                     {"public_key", o.evidence_public_key},
                                     {"fingerprint_sha256", o.evidence_key_fingerprint}}));
    ev.push_back({{"content_type", "application/json"},
                  {"description", "Dragnet evidence signing key (Ed25519, SHA-256 fingerprint " +
                                      o.evidence_key_fingerprint +
                                      "): the evidence manifest is sealed with it; check with dragnet evidence verify "
                                      "or scripts/verify-evidence-bundle"},
                  {"payload", Base64Encode(key)},
                  {"hash", "sha256:" + Sha256Hex(key)},
                  {"size", key.size()}});
  }
  if (!ev.empty()) x["evidence"] = ev;
  return x;
}

}  // namespace dragnet::reporters
