#include "monitor/escalation.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/strings.h"
#include "core/url.h"

namespace dragnet::monitor {

using reporters::ContactEntry;
using reporters::Recipient;
using reporters::ReportItem;

namespace {


Recipient FromAbuse(const AbuseContact& a, const std::string& name, const std::string& kind, const std::string& url,
                    const std::string& reason) {
  Recipient r;
  r.kind = kind;
  r.name = name;
  r.url = url;
  r.reason = reason;
  r.source = a.source;
  std::string email = AsciiLower(a.email);
  if (!email.empty() && reporters::SafeEmailAddress(email)) {
    r.route = "email";
    r.address = email;
    r.key = "mailto:" + email;
  } else if (!a.url.empty() && (a.url.rfind("https://", 0) == 0 || a.url.rfind("http://", 0) == 0)) {
    r.route = "form";
    r.address = a.url;
    r.key = "form:" + a.url;
  } else {
    r.route = "none";
    r.key = "none:" + kind + ":" + name;
  }
  return r;
}

std::string TldOf(const std::string& url) {
  auto u = ParseUrl(url);
  if (!u.ok()) return "";
  auto dot = u->host.rfind('.');
  return dot == std::string::npos ? u->host : u->host.substr(dot + 1);
}

}  // namespace

std::vector<Recipient> NextLevel(const SeedResult& standing, const std::string& url,
                                 const reporters::Contacts& contacts) {
  std::vector<Recipient> out;
  auto add = [&](Recipient r) {
    if (r.route == "none") return;
    for (const auto& e : out) {
      if (e.key == r.key) return;
    }
    out.push_back(std::move(r));
  };
  std::string tld = TldOf(url);
  if (const ContactEntry* reg = contacts.Registry(tld)) {
    add(reporters::RecipientFromContact(*reg, "registry", url,
                    "Registry of ." + tld + ": the registrar was asked and reminded, and the site is still up."));
  }
  if (standing.hosting) {
    const Hosting& h = *standing.hosting;
    std::set<uint32_t> asns;
    for (const auto& ip : h.ips) {
      if (ip.asn == 0 || !asns.insert(ip.asn).second) continue;
      if (const ContactEntry* up = contacts.Upstream(ip.asn)) {
        add(reporters::RecipientFromContact(*up, "upstream", url,
                        "Upstream of AS" + std::to_string(ip.asn) + " (" + ip.as_org + "), which hosts " + ip.ip +
                            ": the network was asked and reminded, and the site is still up."));
      }
    }
    std::set<std::string> ccs;
    for (const auto& ip : h.ips) {
      if (ip.country.empty() || !ccs.insert(ip.country).second) continue;
      if (const ContactEntry* cert = contacts.Cert(ip.country)) {
        add(reporters::RecipientFromContact(*cert, "cert", url,
                        "National CERT of " + ip.country + ", where the site is hosted (" + ip.ip +
                            "): the host and the registrar were asked and reminded, and the site is still up."));
      }
    }
    if (h.cdn && !h.cdn->abuse.empty()) {
      add(FromAbuse(h.cdn->abuse, h.cdn->name, "cdn", url,
                    "The site sits behind the CDN " + h.cdn->name + ", which can stop serving it; the origin's host "
                    "was asked and reminded, and the site is still up."));
    }
  }
  return out;
}

std::vector<EscalationAction> DecideEscalations(const MonitorOptions& o, const std::vector<ReportItem>& items,
                                                const std::vector<Recipient>& next_level, int64_t episode_start_ms,
                                                int64_t now) {
  std::vector<EscalationAction> out;
  if (!o.enabled) return out;
  // First sent report per recipient in this episode, and what followed it.
  std::map<std::string, const ReportItem*> first;
  std::vector<std::string> order;
  std::set<std::string> followed, asked;
  int64_t first_follow_up_sent = 0;
  std::string first_follow_up_message;
  for (const auto& it : items) {
    // Anyone who was ever given anything about this case, whatever became
    // of it (sent, skipped as a web form, suppressed, failed), is not asked
    // again as the next level: each once, and never a new ledger line
    // every round.
    asked.insert(it.recipient);
    if (it.created_ms < episode_start_ms) continue;
    if (it.stage == reporters::kStageFollowUp) {
      followed.insert(it.recipient);
      if (it.sent_ms > 0 && (first_follow_up_sent == 0 || it.sent_ms < first_follow_up_sent)) {
        first_follow_up_sent = it.sent_ms;
        first_follow_up_message = it.message_id;
      }
    }
    bool original = it.stage == reporters::kStageReport || it.stage == reporters::kStageReopen;
    if (!original || it.status != "sent" || it.sent_ms <= 0 || it.message_id.empty()) continue;
    auto f = first.find(it.recipient);
    if (f == first.end()) {
      first[it.recipient] = &it;
      order.push_back(it.recipient);
    } else if (it.sent_ms < f->second->sent_ms) {
      f->second = &it;
    }
  }
  // ---- 1. one follow-up to each recipient still waited on ----
  for (const auto& key : order) {
    const ReportItem& it = *first[key];
    if (it.kind == "cert" || followed.count(key)) continue;
    int64_t due = it.sent_ms + o.AfterFor(it.kind);
    if (now < due) continue;
    EscalationAction a;
    a.stage = reporters::kStageFollowUp;
    a.escalation_of = it.message_id;
    a.recipient.key = it.recipient;
    a.recipient.kind = it.kind;
    a.recipient.url = it.url;
    a.recipient.language = it.language;
    // "Example Registrar, Inc. (registrar)" -> the name without the kind.
    std::string suffix = " (" + it.kind + ")";
    a.recipient.name = it.recipient_name.size() > suffix.size() &&
                               it.recipient_name.compare(it.recipient_name.size() - suffix.size(), suffix.size(), suffix) == 0
                           ? it.recipient_name.substr(0, it.recipient_name.size() - suffix.size())
                           : it.recipient_name;
    if (it.recipient.rfind("mailto:", 0) == 0) {
      a.recipient.route = "email";
      a.recipient.address = it.recipient.substr(7);
    } else if (it.recipient.rfind("webhook:", 0) == 0) {
      a.recipient.route = "webhook";
      a.recipient.address = it.recipient.substr(8);
    } else {
      continue;  // forms and "none" were never sent
    }
    a.recipient.reason = "You were sent the report " + it.report_id + " on " + FormatRfc3339(it.sent_ms / 1000) +
                         "; the site is still up.";
    a.note = "Follow-up: still up " + FormatDuration(now - it.sent_ms) + " after our report (escalation after " +
             FormatDuration(o.AfterFor(it.kind)) + " for " + it.kind + ").";
    out.push_back(std::move(a));
  }
  // ---- 2. the next level, once the first follow-up has had its time ----
  if (first_follow_up_sent > 0 && now >= first_follow_up_sent + o.escalate_after_ms) {
    for (const auto& r : next_level) {
      if (asked.count(r.key)) continue;
      EscalationAction a;
      a.stage = reporters::kStageEscalation;
      a.escalation_of = first_follow_up_message;
      a.recipient = r;
      a.note = "Escalation: still up " + FormatDuration(now - first_follow_up_sent) +
               " after our follow-up to the first recipients.";
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::vector<Recipient> NextRoutes(const SeedResult& standing, const ReportItem& bounced, const std::string& bad,
                                  const std::vector<std::string>& also_bad, const reporters::Contacts& contacts) {
  std::vector<Recipient> out;
  auto usable = [&](const Recipient& r) {
    if (r.route == "none") return false;
    if (r.route == "email" && (r.address == bad || std::find(also_bad.begin(), also_bad.end(), r.address) != also_bad.end())) {
      return false;
    }
    for (const auto& e : out) {
      if (e.key == r.key) return false;
    }
    return r.key != bounced.recipient;
  };
  const std::string why = "The report to " + bad + " bounced; this is the next route for the " + bounced.kind + ".";
  std::string scope = bounced.kind == "registrar" ? "domain" : bounced.kind == "hosting" ? "network" : bounced.kind;
  if (standing.hosting) {
    for (const auto& c : standing.hosting->contacts) {
      if (c.scope != scope) continue;
      Recipient r = FromAbuse(c, bounced.recipient_name, bounced.kind, bounced.url,
                              why + " (" + (c.source.empty() ? std::string("hosting contacts") : c.source) + ")");
      if (usable(r)) out.push_back(std::move(r));
    }
  }
  // The next level for this kind.
  for (auto& r : NextLevel(standing, bounced.url, contacts)) {
    bool fits = (bounced.kind == "registrar" && r.kind == "registry") ||
                (bounced.kind == "hosting" && (r.kind == "upstream" || r.kind == "cert")) ||
                (bounced.kind == "cdn" && r.kind == "cert") || (bounced.kind == "registry" && r.kind == "cert");
    if (!fits) continue;
    r.reason = why + " " + r.reason;
    if (usable(r)) out.push_back(std::move(r));
  }
  if (bounced.kind == "cdn" && standing.hosting) {
    for (const auto& ip : standing.hosting->ips) {
      Recipient r = FromAbuse(ip.abuse, ip.as_org.empty() ? "network of " + ip.ip : ip.as_org, "hosting", bounced.url,
                              why + " The network announcing " + ip.ip + " hosts the CDN edge.");
      if (usable(r)) out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace dragnet::monitor
