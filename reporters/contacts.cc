#include "reporters/contacts.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "core/fs.h"
#include "core/strings.h"

namespace dragnet::reporters {
namespace {

// Checks the keys of one table against `allowed`; error names origin + where.
Status CheckKeys(const toml::table& t, const std::set<std::string>& allowed, const std::string& where) {
  for (const auto& [k, v] : t) {
    if (!allowed.count(std::string(k.str()))) {
      return InvalidArgument(where + ": unknown key '" + std::string(k.str()) + "'");
    }
  }
  return Status::Ok();
}

Status GetString(const toml::table& t, const char* key, std::string& out, const std::string& where) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  if (!n->is_string()) return InvalidArgument(where + ": '" + key + "' must be a string");
  out = *n->value<std::string>();
  return Status::Ok();
}

Status GetStrings(const toml::table& t, const char* key, std::vector<std::string>& out,
                  const std::string& where) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  const toml::array* a = n->as_array();
  if (!a) return InvalidArgument(where + ": '" + key + "' must be an array of strings");
  for (const auto& e : *a) {
    if (!e.is_string()) return InvalidArgument(where + ": '" + key + "' must be an array of strings");
    out.push_back(AsciiLower(*e.value<std::string>()));
  }
  return Status::Ok();
}

const std::set<std::string> kContactKeys = {"name", "email", "form", "webhook", "language", "source", "note"};

std::set<std::string> With(std::set<std::string> base, std::initializer_list<const char*> more) {
  for (const char* m : more) base.insert(m);
  return base;
}

bool PlausibleEmail(const std::string& e) {
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= e.size() || e.size() > 254) return false;
  for (unsigned char c : e) {
    if (c <= 0x20 || c >= 0x7f || std::string_view("<>,;:\"\\()[]").find(static_cast<char>(c)) != std::string_view::npos) return false;
  }
  return e.find('@', at + 1) == std::string::npos && e.find('.', at) != std::string::npos;
}

// Reads the contact keys of `t`. `need_route`: an address is required.
Status ReadContact(const toml::table& t, ContactEntry& c, const std::string& where, bool need_route) {
  DRAGNET_RETURN_IF_ERROR(GetString(t, "name", c.name, where));
  DRAGNET_RETURN_IF_ERROR(GetString(t, "email", c.email, where));
  DRAGNET_RETURN_IF_ERROR(GetString(t, "form", c.form, where));
  DRAGNET_RETURN_IF_ERROR(GetString(t, "webhook", c.webhook, where));
  DRAGNET_RETURN_IF_ERROR(GetString(t, "language", c.language, where));
  DRAGNET_RETURN_IF_ERROR(GetString(t, "source", c.source, where));
  DRAGNET_RETURN_IF_ERROR(GetString(t, "note", c.note, where));
  c.language = AsciiLower(c.language);
  if (!c.email.empty() && !PlausibleEmail(c.email)) {
    return InvalidArgument(where + ": 'email' is not a plain address: " + c.email);
  }
  if (!c.form.empty() && c.form.rfind("https://", 0) != 0 && c.form.rfind("http://", 0) != 0) {
    return InvalidArgument(where + ": 'form' must be an http(s) URL");
  }
  if (need_route && c.empty()) return InvalidArgument(where + ": needs one of email, form, webhook");
  // Only publicly documented addresses: every email/form must say where it is documented.
  if ((!c.email.empty() || !c.form.empty()) && c.source.empty()) {
    return InvalidArgument(where + ": 'source' (the public page documenting the address) is required");
  }
  if (c.name.empty()) return InvalidArgument(where + ": 'name' is required");
  return Status::Ok();
}

}  // namespace

bool HostUnder(const std::string& host, const std::string& suffix) {
  if (suffix.empty() || host.size() < suffix.size()) return false;
  if (host == suffix) return true;
  return host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         host[host.size() - suffix.size() - 1] == '.';
}

Result<Contacts> Contacts::Load(const std::string& path) {
  auto text = ReadFile(path, kMaxContactsFileBytes);
  if (!text.ok()) return Status(text.status().code(), "contacts file " + path + ": " + text.status().message());
  return Parse(*text, path);
}

Result<Contacts> Contacts::Parse(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return ParseError(msg.str());
  }
  DRAGNET_RETURN_IF_ERROR(CheckKeys(
      root, {"registries", "certs", "upstreams", "platforms", "shorteners", "providers", "overrides", "allowlist"},
      origin));
  Contacts c;
  size_t entries = 0;
  auto count = [&](const std::string& where) -> Status {
    if (++entries > kMaxContactsEntries) {
      return LimitExceeded(where + ": more than kMaxContactsEntries (" + std::to_string(kMaxContactsEntries) +
                           ") entries");
    }
    return Status::Ok();
  };

  for (const char* section : {"registries", "certs", "upstreams"}) {
    const toml::node* n = root.get(section);
    if (!n) continue;
    const toml::table* t = n->as_table();
    if (!t) return InvalidArgument(origin + ": [" + section + "] must be a table of tables");
    for (const auto& [k, v] : *t) {
      std::string key(k.str());
      std::string where = origin + ": [" + section + "." + key + "]";
      DRAGNET_RETURN_IF_ERROR(count(where));
      const toml::table* e = v.as_table();
      if (!e) return InvalidArgument(where + " must be a table");
      DRAGNET_RETURN_IF_ERROR(CheckKeys(*e, kContactKeys, where));
      ContactEntry entry;
      DRAGNET_RETURN_IF_ERROR(ReadContact(*e, entry, where, true));
      if (std::string(section) == "certs") {
        if (key.size() != 2 || !std::isupper(static_cast<unsigned char>(key[0])) ||
            !std::isupper(static_cast<unsigned char>(key[1]))) {
          return InvalidArgument(where + ": the key must be an upper-case ISO 3166-1 alpha-2 code");
        }
        c.certs_[key] = entry;
      } else if (std::string(section) == "upstreams") {
        // [upstreams.<ASN>]: digits only, a 32-bit AS number.
        uint64_t asn = 0;
        bool digits = !key.empty() && key.size() <= 10;
        for (char ch : key) {
          digits = digits && std::isdigit(static_cast<unsigned char>(ch));
          if (digits) asn = asn * 10 + static_cast<uint64_t>(ch - '0');
        }
        if (!digits || asn == 0 || asn > 0xFFFFFFFFull) {
          return InvalidArgument(where + ": the key must be an AS number (digits, e.g. [upstreams.64500])");
        }
        c.upstreams_[static_cast<uint32_t>(asn)] = entry;
      } else {
        c.registries_[AsciiLower(key)] = entry;
      }
    }
  }

  auto each = [&](const char* section, auto&& fn) -> Status {
    const toml::node* n = root.get(section);
    if (!n) return Status::Ok();
    const toml::array* a = n->as_array();
    if (!a) return InvalidArgument(origin + ": '" + section + "' must be an array of tables ([[" + section + "]])");
    size_t i = 0;
    for (const auto& e : *a) {
      std::string where = origin + ": [[" + section + "]] #" + std::to_string(++i);
      DRAGNET_RETURN_IF_ERROR(count(where));
      const toml::table* t = e.as_table();
      if (!t) return InvalidArgument(where + " must be a table");
      DRAGNET_RETURN_IF_ERROR(fn(*t, where));
    }
    return Status::Ok();
  };

  DRAGNET_RETURN_IF_ERROR(each("platforms", [&](const toml::table& t, const std::string& where) -> Status {
    DRAGNET_RETURN_IF_ERROR(CheckKeys(t, With(kContactKeys, {"suffixes"}), where));
    PlatformRule r;
    DRAGNET_RETURN_IF_ERROR(GetStrings(t, "suffixes", r.suffixes, where));
    if (r.suffixes.empty()) return InvalidArgument(where + ": 'suffixes' is required");
    DRAGNET_RETURN_IF_ERROR(ReadContact(t, r.contact, where, true));
    c.platforms_.push_back(std::move(r));
    return Status::Ok();
  }));
  DRAGNET_RETURN_IF_ERROR(each("shorteners", [&](const toml::table& t, const std::string& where) -> Status {
    DRAGNET_RETURN_IF_ERROR(CheckKeys(t, With(kContactKeys, {"domains"}), where));
    ProviderRule r;
    DRAGNET_RETURN_IF_ERROR(GetStrings(t, "domains", r.email_domains, where));
    if (r.email_domains.empty()) return InvalidArgument(where + ": 'domains' is required");
    DRAGNET_RETURN_IF_ERROR(ReadContact(t, r.contact, where, true));
    c.shorteners_.push_back(std::move(r));
    return Status::Ok();
  }));
  DRAGNET_RETURN_IF_ERROR(each("providers", [&](const toml::table& t, const std::string& where) -> Status {
    DRAGNET_RETURN_IF_ERROR(CheckKeys(t, With(kContactKeys, {"email_domains", "indicator_types"}), where));
    ProviderRule r;
    DRAGNET_RETURN_IF_ERROR(GetStrings(t, "email_domains", r.email_domains, where));
    DRAGNET_RETURN_IF_ERROR(GetStrings(t, "indicator_types", r.indicator_types, where));
    if (r.email_domains.empty() && r.indicator_types.empty()) {
      return InvalidArgument(where + ": needs 'email_domains' or 'indicator_types'");
    }
    DRAGNET_RETURN_IF_ERROR(ReadContact(t, r.contact, where, true));
    c.providers_.push_back(std::move(r));
    return Status::Ok();
  }));
  DRAGNET_RETURN_IF_ERROR(each("overrides", [&](const toml::table& t, const std::string& where) -> Status {
    DRAGNET_RETURN_IF_ERROR(CheckKeys(
        t, With(kContactKeys, {"registrar_iana_id", "asn", "tld", "domain_suffix", "kinds", "action"}), where));
    OverrideRule r;
    if (const toml::node* n = t.get("registrar_iana_id"); n && n->is_integer()) {
      r.registrar_iana_id = std::to_string(*n->value<int64_t>());  // IANA IDs are numbers; accept 146 or "146"
    } else {
      DRAGNET_RETURN_IF_ERROR(GetString(t, "registrar_iana_id", r.registrar_iana_id, where));
    }
    if (const toml::node* n = t.get("asn")) {
      if (!n->is_integer() || *n->value<int64_t>() <= 0 || *n->value<int64_t>() > 4294967295LL) {
        return InvalidArgument(where + ": 'asn' must be a positive integer");
      }
      r.asn = static_cast<uint32_t>(*n->value<int64_t>());
    }
    DRAGNET_RETURN_IF_ERROR(GetString(t, "tld", r.tld, where));
    DRAGNET_RETURN_IF_ERROR(GetString(t, "domain_suffix", r.domain_suffix, where));
    r.tld = AsciiLower(r.tld);
    if (!r.tld.empty() && r.tld[0] == '.') r.tld.erase(0, 1);
    r.domain_suffix = AsciiLower(r.domain_suffix);
    DRAGNET_RETURN_IF_ERROR(GetStrings(t, "kinds", r.kinds, where));
    DRAGNET_RETURN_IF_ERROR(GetString(t, "action", r.action, where));
    int matchers = !r.registrar_iana_id.empty() + (r.asn != 0) + !r.tld.empty() + !r.domain_suffix.empty();
    if (matchers != 1) {
      return InvalidArgument(where + ": exactly one of registrar_iana_id, asn, tld, domain_suffix is required");
    }
    if (r.action != "suppress" && r.action != "route") {
      return InvalidArgument(where + ": 'action' must be \"suppress\" or \"route\"");
    }
    DRAGNET_RETURN_IF_ERROR(GetString(t, "name", r.name, where));
    if (r.name.empty()) return InvalidArgument(where + ": 'name' is required");
    DRAGNET_RETURN_IF_ERROR(ReadContact(t, r.contact, where, r.action == "route"));
    c.overrides_.push_back(std::move(r));
    return Status::Ok();
  }));

  if (const toml::node* n = root.get("allowlist")) {
    const toml::table* t = n->as_table();
    std::string where = origin + ": [allowlist]";
    if (!t) return InvalidArgument(where + " must be a table");
    DRAGNET_RETURN_IF_ERROR(CheckKeys(*t, {"domains"}, where));
    DRAGNET_RETURN_IF_ERROR(GetStrings(*t, "domains", c.allowlist_, where));
    if (c.allowlist_.size() > kMaxContactsEntries) {
      return LimitExceeded(where + ": more than kMaxContactsEntries domains");
    }
  }
  return c;
}

const ContactEntry* Contacts::Registry(const std::string& tld) const {
  auto it = registries_.find(AsciiLower(tld));
  return it == registries_.end() ? nullptr : &it->second;
}

const ContactEntry* Contacts::Upstream(uint32_t asn) const {
  auto it = upstreams_.find(asn);
  return it == upstreams_.end() ? nullptr : &it->second;
}

const ContactEntry* Contacts::Cert(const std::string& country) const {
  std::string cc = country;
  for (char& ch : cc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto it = certs_.find(cc);
  return it == certs_.end() ? nullptr : &it->second;
}

const PlatformRule* Contacts::Platform(const std::string& host) const {
  const PlatformRule* best = nullptr;
  size_t best_len = 0;
  std::string h = AsciiLower(host);
  for (const auto& p : platforms_) {
    for (const auto& s : p.suffixes) {
      // Strictly under: the platform's own apex is the platform, not a tenant.
      if (h != s && HostUnder(h, s) && s.size() > best_len) {
        best = &p;
        best_len = s.size();
      }
    }
  }
  return best;
}

const ProviderRule* Contacts::Shortener(const std::string& host) const {
  std::string h = AsciiLower(host);
  for (const auto& p : shorteners_) {
    for (const auto& d : p.email_domains) {
      if (HostUnder(h, d)) return &p;
    }
  }
  return nullptr;
}

const ProviderRule* Contacts::ProviderForEmailDomain(const std::string& domain) const {
  std::string d = AsciiLower(domain);
  for (const auto& p : providers_) {
    if (std::find(p.email_domains.begin(), p.email_domains.end(), d) != p.email_domains.end()) return &p;
  }
  return nullptr;
}

const ProviderRule* Contacts::ProviderForIndicator(const std::string& type) const {
  std::string t = AsciiLower(type);
  for (const auto& p : providers_) {
    if (std::find(p.indicator_types.begin(), p.indicator_types.end(), t) != p.indicator_types.end()) return &p;
  }
  return nullptr;
}

bool Contacts::AllowListed(const std::string& host) const {
  std::string h = AsciiLower(host);
  for (const auto& d : allowlist_) {
    if (HostUnder(h, d)) return true;
  }
  return false;
}

size_t Contacts::size() const {
  return registries_.size() + certs_.size() + upstreams_.size() + platforms_.size() + shorteners_.size() + providers_.size() +
         overrides_.size() + allowlist_.size();
}

}  // namespace dragnet::reporters
