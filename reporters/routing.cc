#include "reporters/routing.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/strings.h"
#include "core/url.h"
#include "reporters/xarf.h"

namespace dragnet::reporters {
namespace {

// Letters and digits only, lowercase: "Pay-Pal Inc." -> "paypalinc".
std::string Squash(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string HostOf(const std::string& url) {
  auto u = ParseUrl(url);
  return u.ok() ? u->host : std::string();
}

std::string TldOf(const std::string& host) {
  auto dot = host.rfind('.');
  return dot == std::string::npos ? host : host.substr(dot + 1);
}


// A recipient from an RDAP/CDN abuse contact.
Recipient FromAbuse(const AbuseContact& a, const std::string& name, const std::string& kind,
                    const std::string& url, const std::string& reason) {
  Recipient r;
  r.kind = kind;
  r.name = name;
  r.url = url;
  r.reason = reason;
  r.source = a.source.empty() ? "hosting" : a.source;
  if (!a.email.empty() && SafeEmailAddress(AsciiLower(a.email))) {
    r.route = "email";
    r.address = AsciiLower(a.email);
    r.key = "mailto:" + r.address;
  } else if (!a.url.empty() && (a.url.rfind("https://", 0) == 0 || a.url.rfind("http://", 0) == 0)) {
    r.route = "form";
    r.address = a.url;
    r.key = "form:" + a.url;
  } else {
    r.route = "none";
    r.key = "none:" + kind + ":" + name;
    r.reason += a.email.empty() ? " No abuse contact is published for it."
                                : " Its published abuse address is not a plain email address: refused.";
  }
  return r;
}

// Why the domain itself counts as registered for the fraud (empty: it does not).
std::vector<std::string> RegisteredForFraud(const SeedResult& r, const std::string& host,
                                            const ReporterOptions& policy) {
  std::vector<std::string> why;
  std::string domain = r.hosting && !r.hosting->domain.name.empty() ? r.hosting->domain.name
                                                                    : RegistrableDomainOf(host);
  if (r.hosting && r.hosting->domain.age_days && *r.hosting->domain.age_days <= policy.new_domain_days) {
    why.push_back("the domain " + domain + " was registered " + std::to_string(*r.hosting->domain.age_days) +
                  " days ago (created " + r.hosting->domain.created + "), less than policy.new_domain_days = " +
                  std::to_string(policy.new_domain_days));
  }
  if (r.verdict && !r.verdict->brand_impersonated.empty()) {
    std::string brand = Squash(r.verdict->brand_impersonated);
    std::string label = Squash(domain.substr(0, domain.find('.')));
    if (brand.size() >= 3 && label.find(brand) != std::string::npos) {
      why.push_back("the domain name " + domain + " carries the impersonated brand \"" +
                    r.verdict->brand_impersonated + "\"");
    }
  }
  if (r.verdict) {
    for (const auto& reason : r.verdict->reasons) {
      std::string rule = AsciiLower(reason.rule);
      for (const char* k : {"lookalike", "typosquat", "homoglyph", "confusable", "brand_in_domain"}) {
        if (rule.find(k) != std::string::npos) {
          why.push_back("the domain is a lookalike (" + reason.rule +
                        (reason.detail.empty() ? "" : ": " + reason.detail) + ")");
          break;
        }
      }
    }
  }
  return why;
}

// How a provider's abuse desk finds the account an indicator names: the
// invite or profile link for the messaging types, the value otherwise.
std::string AccountOf(const Indicator& ind) {
  const std::string& v = ind.value;
  if (ind.type == "telegram") return !v.empty() && v[0] == '@' ? v : "@" + v;
  if (ind.type == "telegram_invite") return "https://t.me/+" + v;
  if (ind.type == "telegram_bot_token") return "bot " + v;
  if (ind.type == "whatsapp_group") return "https://chat.whatsapp.com/" + v;
  if (ind.type == "line") return !v.empty() && v[0] == '@' ? "https://line.me/R/ti/p/" + v : "https://line.me/R/ti/p/~" + v;
  return v;
}

bool KindIn(const std::string& kind, const std::vector<std::string>& kinds,
            std::initializer_list<const char*> defaults) {
  if (!kinds.empty()) return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
  for (const char* d : defaults) {
    if (kind == d) return true;
  }
  return false;
}

}  // namespace

Recipient RecipientFromContact(const ContactEntry& c, const std::string& kind, const std::string& url,
                               const std::string& reason) {
  Recipient r;
  r.kind = kind;
  r.name = c.name;
  r.language = c.language;
  r.url = url;
  r.reason = reason;
  r.source = "contacts.toml" + (c.source.empty() ? std::string() : " (" + c.source + ")");
  if (!c.webhook.empty()) {
    r.route = "webhook";
    r.address = c.webhook;
    r.key = "webhook:" + c.webhook;
  } else if (!c.email.empty()) {
    r.route = "email";
    r.address = AsciiLower(c.email);
    r.key = "mailto:" + r.address;
  } else if (!c.form.empty()) {
    r.route = "form";
    r.address = c.form;
    r.key = "form:" + c.form;
  } else {
    r.route = "none";
    r.key = "none:" + kind;
  }
  return r;
}

bool SafeEmailAddress(const std::string& e) {
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= e.size() || e.size() > 254) return false;
  if (e.find('@', at + 1) != std::string::npos || e.find('.', at) == std::string::npos) return false;
  for (unsigned char c : e) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("<>,;:\"\\()[]").find(static_cast<char>(c)) != std::string_view::npos) return false;
  }
  return true;
}

RoutePlan Route(const SeedResult& r, const Contacts& contacts, const ReporterOptions& policy,
                const RouteContext& ctx) {
  RoutePlan plan;
  // ---- the chain, and which URL in it is the fraud ----
  // URLs as a hostile site shapes them (CR/LF, quotes, raw Unicode) are
  // percent-encoded and normalised first: what we route is what we report.
  auto add_chain = [&](const std::string& raw) {
    std::string u = raw.empty() ? raw : SafeUri(raw);
    if (!u.empty() && std::find(plan.chain.begin(), plan.chain.end(), u) == plan.chain.end()) plan.chain.push_back(u);
  };
  add_chain(r.seed);
  for (const auto& step : r.redirects) add_chain(step.url);
  add_chain(r.final_url);

  std::vector<Recipient> out;
  std::set<std::string> shortener_hosts;
  for (const auto& u : plan.chain) {
    std::string host = HostOf(u);
    if (host.empty()) continue;
    if (contacts.AllowListed(host)) {
      plan.notes.push_back("not reported: " + host + " is an allow-listed legitimate domain (" + u + ")");
      continue;
    }
    if (const ProviderRule* s = contacts.Shortener(host)) {
      if (shortener_hosts.insert(host).second) {
        out.push_back(RecipientFromContact(s->contact, "shortener", u,
                                "The short link " + u + " on " + host + " (" + s->contact.name +
                                    ") redirects to the fraudulent site; the shortener can disable the link."));
      }
      continue;
    }
    plan.landing_url = u;  // the last reportable URL of the chain is the landing site
  }
  if (plan.landing_url.empty()) {
    if (plan.chain.empty()) plan.notes.push_back("nothing to report: the scan has no URL");
    else plan.notes.push_back("no reportable URL: every URL of the chain is allow-listed or a shortener");
    plan.recipients = std::move(out);
    return plan;
  }
  const std::string& url = plan.landing_url;
  const std::string host = HostOf(url);
  const std::string final_host = HostOf(r.final_url.empty() ? std::string() : SafeUri(r.final_url));
  // Hosting facts describe the final host; use them only for it.
  const Hosting* hosting = r.hosting && host == final_host ? &*r.hosting : nullptr;
  if (r.hosting && !hosting) {
    plan.notes.push_back("hosting facts describe " + final_host + ", not the reported host " + host +
                         ": registrar and network routes skipped");
  }
  const std::string type = r.verdict ? AsciiLower(r.verdict->scam_type) : std::string();
  const bool dns_abuse = std::find(policy.registrar_types.begin(), policy.registrar_types.end(), type) !=
                         policy.registrar_types.end();
  std::string what = ScamTypeWords(type);  // in words: "fake shop", not "shopping"

  // ---- shared platform: its own abuse route, nothing else for the site ----
  if (const PlatformRule* p = contacts.Platform(host)) {
    std::string suffix;
    for (const auto& s : p->suffixes) {
      if (HostUnder(host, s) && s.size() > suffix.size()) suffix = s;
    }
    out.push_back(RecipientFromContact(p->contact, "platform", url,
                            "The site " + host + " is hosted on the shared platform " + p->contact.name + " (*." +
                                suffix + "): the platform's abuse route handles tenant sites; the registrar of " +
                                suffix + " and the platform's network are not asked."));
  } else {
    // ---- registrar ----
    plan.registered_for_fraud = RegisteredForFraud(r, host, policy);
    auto add_registrar = [&]() {
      if (!hosting) return;
      const Registrar& reg = hosting->registrar;
      std::string name = reg.name.empty() ? "the registrar" : reg.name;
      std::string why;
      if (dns_abuse) {
        why = "Registrar of " + (hosting->domain.name.empty() ? host : hosting->domain.name) + " (" + name +
              (reg.iana_id.empty() ? "" : ", IANA ID " + reg.iana_id) + "): " + what +
              " is DNS abuse, which registrars must act on.";
      } else {
        std::string joined;
        for (const auto& w : plan.registered_for_fraud) joined += (joined.empty() ? "" : "; ") + w;
        why = "Registrar of " + (hosting->domain.name.empty() ? host : hosting->domain.name) + " (" + name +
              (reg.iana_id.empty() ? "" : ", IANA ID " + reg.iana_id) + "): the domain was registered for the " +
              what + " — " + joined + ".";
      }
      Recipient rr = FromAbuse(reg.abuse, name, "registrar", url, why);
      out.push_back(std::move(rr));
    };
    // ---- host network(s) or CDN ----
    auto add_hosts = [&]() {
      if (!hosting) return;
      if (hosting->cdn) {
        const Cdn& cdn = *hosting->cdn;
        Recipient c = FromAbuse(cdn.abuse, cdn.name, "cdn", url,
                                "The site sits behind the CDN " + cdn.name + " (matched by " + cdn.matched_by +
                                    "); the CDN can stop serving it and identify the origin host.");
        if (!hosting->ips.empty()) c.asn = hosting->ips.front().asn;
        out.push_back(std::move(c));
        return;  // the IPs are the CDN's: its route covers them
      }
      for (const auto& ip : hosting->ips) {
        std::string name = !ip.as_org.empty() ? ip.as_org : !ip.rdap_name.empty() ? ip.rdap_name : "network of " + ip.ip;
        Recipient h = FromAbuse(ip.abuse, name, "hosting", url,
                                "Hosting network of " + host + ": " + ip.ip + " is announced by AS" +
                                    std::to_string(ip.asn) + " (" + name + ")" +
                                    (ip.country.empty() ? "" : ", located in " + ip.country) +
                                    (ip.rdap_range.empty() ? "" : ", RDAP range " + ip.rdap_range) + ".");
        h.asn = ip.asn;
        out.push_back(std::move(h));
      }
    };
    if (dns_abuse) {
      add_registrar();
      add_hosts();
    } else {
      add_hosts();
      if (!plan.registered_for_fraud.empty()) {
        add_registrar();
      } else if (hosting) {
        plan.notes.push_back("registrar not asked: " + what +
                             " is not DNS abuse and nothing shows the domain was registered for it "
                             "(not new, not a lookalike, no brand in the name)");
      }
    }
    // ---- TLD registry ----
    std::string tld = TldOf(host);
    if (const ContactEntry* reg = contacts.Registry(tld)) {
      bool cc = tld.size() == 2;
      bool want = policy.registry_policy == "always" || (policy.registry_policy == "cctld" && cc) ||
                  (policy.registry_policy == "escalation" && ctx.previously_reported);
      if (want) {
        std::string why = "Registry of ." + tld + " (" + reg->name + "): " +
                          (policy.registry_policy == "escalation"
                               ? "escalation — the site was reported before and is still up."
                               : policy.registry_policy == "cctld" ? "policy.registry = cctld reports ccTLD domains to their registry."
                                                                   : "policy.registry = always.");
        out.push_back(RecipientFromContact(*reg, "registry", url, why));
      } else {
        plan.notes.push_back("registry of ." + tld + " not asked (policy.registry = " + policy.registry_policy + ")");
      }
    }
  }

  // ---- national CERT of each hosting country ----
  if (policy.notify_cert && hosting) {
    std::set<std::string> seen;
    for (const auto& ip : hosting->ips) {
      if (ip.country.empty() || !seen.insert(ip.country).second) continue;
      if (const ContactEntry* cert = contacts.Cert(ip.country)) {
        out.push_back(RecipientFromContact(*cert, "cert", url,
                                "National CERT of " + ip.country + ", where " + host + " is hosted (" + ip.ip +
                                    "): for awareness and local follow-up."));
      }
    }
  }

  // ---- providers the scammers use as contacts ----
  if (policy.notify_providers) {
    std::map<const ProviderRule*, std::vector<std::string>> accounts;
    std::vector<const ProviderRule*> order;
    for (const auto& ind : r.indicators) {
      const ProviderRule* p = nullptr;
      if (ind.type == "email") {
        auto at = ind.value.rfind('@');
        if (at != std::string::npos) p = contacts.ProviderForEmailDomain(ind.value.substr(at + 1));
      } else {
        p = contacts.ProviderForIndicator(ind.type);
      }
      if (!p) continue;
      if (!accounts.count(p)) order.push_back(p);
      auto& v = accounts[p];
      std::string account = AccountOf(ind);
      if (std::find(v.begin(), v.end(), account) == v.end() && v.size() < 50) v.push_back(std::move(account));
    }
    for (const ProviderRule* p : order) {
      std::string list;
      for (const auto& a : accounts[p]) list += (list.empty() ? "" : ", ") + a;
      Recipient pr = RecipientFromContact(p->contact, "provider", url,
                               "The site gives " + list + " as contact; the account is with " + p->contact.name +
                                   ", whose abuse desk can suspend it.");
      pr.accounts = accounts[p];
      out.push_back(std::move(pr));
    }
  }

  // ---- overrides and suppressions ----
  const std::string tld = TldOf(host);
  for (auto& rc : out) {
    for (const auto& o : contacts.overrides()) {
      bool match = false;
      if (!o.registrar_iana_id.empty()) {
        match = hosting && hosting->registrar.iana_id == o.registrar_iana_id && KindIn(rc.kind, o.kinds, {"registrar"});
      } else if (o.asn != 0) {
        match = rc.asn == o.asn && KindIn(rc.kind, o.kinds, {"hosting", "cdn"});
      } else if (!o.tld.empty()) {
        match = tld == o.tld && KindIn(rc.kind, o.kinds, {"registrar", "registry"});
      } else if (!o.domain_suffix.empty()) {
        match = HostUnder(host, o.domain_suffix) &&
                (o.kinds.empty() || std::find(o.kinds.begin(), o.kinds.end(), rc.kind) != o.kinds.end());
      }
      if (!match) continue;
      if (o.action == "suppress") {
        rc.suppressed = true;
        rc.reason += " Suppressed by contacts.toml override '" + o.name + "'" +
                     (o.contact.note.empty() ? "." : ": " + o.contact.note);
      } else {
        Recipient repl = RecipientFromContact(o.contact, rc.kind, rc.url, rc.reason);
        repl.name = o.contact.name.empty() ? rc.name : o.contact.name;
        repl.accounts = rc.accounts;
        repl.asn = rc.asn;
        repl.reason += " Re-routed by contacts.toml override '" + o.name + "'" +
                       (o.contact.note.empty() ? "." : ": " + o.contact.note);
        rc = std::move(repl);
      }
      break;  // first matching override wins
    }
  }

  // ---- one entry per recipient ----
  for (auto& rc : out) {
    auto it = std::find_if(plan.recipients.begin(), plan.recipients.end(),
                           [&](const Recipient& x) { return x.key == rc.key && x.url == rc.url && x.route != "none"; });
    if (it != plan.recipients.end()) {
      it->reason += " Also " + rc.kind + ": " + rc.reason;
      for (const auto& a : rc.accounts) it->accounts.push_back(a);
      continue;
    }
    plan.recipients.push_back(std::move(rc));
  }
  return plan;
}

}  // namespace dragnet::reporters
