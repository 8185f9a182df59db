#include "monitor/signals.h"

#include <algorithm>

#include "core/strings.h"
#include "core/text.h"

namespace dragnet::monitor {
namespace {

const char* const kOrder[] = {"rdap_hold",     "rdap_deleted", "dns_nxdomain",   "suspended_ns",   "parked_ns",
                              "parked_page",   "cdn_block",    "suspended_page", "default_page",   "http_gone",
                              "dns_no_address", "unreachable", "http_server_error", "content_benign"};

// "client hold", "clientHold", "CLIENT_HOLD" -> "clienthold".
std::string SquashStatus(const std::string& s) {
  std::string out;
  for (char c : AsciiLower(s)) {
    if (c != ' ' && c != '_' && c != '-') out.push_back(c);
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Fetch failures that say the site did not answer (as opposed to our side
// refusing or failing).
bool SiteFailure(const std::string& kind) {
  return kind == "connect" || kind == "timeout" || kind == "low_speed" || kind == "tls" || kind == "protocol" ||
         kind == "dns";
}

}  // namespace

int SignalRank(const std::string& signal) {
  int i = 0;
  for (const char* s : kOrder) {
    if (signal == s) return i;
    ++i;
  }
  return i;
}

const Signal* CheckOutcome::primary() const {
  if (outcome != "down") return nullptr;
  for (const auto& s : signals) {
    if (s.down) return &s;
  }
  return nullptr;
}

nlohmann::json SignalsJson(const std::vector<Signal>& signals) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : signals) {
    out.push_back({{"signal", s.signal}, {"actor", s.actor}, {"down", s.down}, {"evidence", s.evidence}});
  }
  return out;
}

CheckOutcome Classify(const ProbeResult& p, const CaseFacts& facts, const Signatures& sigs) {
  CheckOutcome out;
  std::vector<Signal> sig;
  const std::string url = ToPrintable(p.url);

  // ---- RDAP ----
  bool registry_hold = false;
  if (p.rdap_checked && p.rdap_error.empty()) {
    for (const auto& raw : p.rdap_status) {
      std::string st = SquashStatus(raw);
      if (st == "clienthold") {
        sig.push_back({"rdap_hold", "registrar", true,
                       "RDAP status '" + ToPrintable(raw) + "': the registrar put the domain on hold"});
      } else if (st == "serverhold") {
        registry_hold = true;
        sig.push_back({"rdap_hold", "registry", true,
                       "RDAP status '" + ToPrintable(raw) + "': the registry put the domain on hold"});
      } else if (st == "pendingdelete" || st == "redemptionperiod") {
        sig.push_back({"rdap_deleted", "registrar", true,
                       "RDAP status '" + ToPrintable(raw) + "': the domain is being deleted"});
      }
    }
  }
  if (p.rdap_checked && p.rdap_not_found) {
    sig.push_back({"rdap_not_found", "registrar", false, "the registry's RDAP server has no record of the domain"});
  }

  // ---- DNS ----
  const bool nxdomain = p.dns_checked && p.dns_status == "nxdomain";
  const bool nodata = p.dns_checked && p.dns_status == "nodata";
  if (nxdomain) {
    sig.push_back({"dns_nxdomain", registry_hold ? "registry" : "registrar", true,
                   "DNS: the name does not exist (NXDOMAIN" + (p.dns_detail.empty() ? "" : ": " + ToPrintable(p.dns_detail)) +
                       ")"});
  } else if (nodata) {
    sig.push_back({"dns_no_address", "host", true,
                   "DNS: the name has no A or AAAA records" +
                       (p.dns_detail.empty() ? std::string() : " (" + ToPrintable(p.dns_detail) + ")")});
  }
  std::string matched_ns;
  if (const NameserverSignature* ns = sigs.MatchNameservers(p.nameservers, &matched_ns)) {
    sig.push_back({ns->kind == "parked" ? "parked_ns" : "suspended_ns", ns->actor, true,
                   "name server " + ToPrintable(matched_ns) + " belongs to " + ns->name + " (" + ns->kind + ")"});
  }

  // ---- the last-known address, when the name is gone ----
  if (p.ip_checked) {
    bool kit = (p.ip_score && *p.ip_score >= facts.review_threshold);
    for (const auto& h : p.ip_body_sha256) kit = kit || Contains(facts.kit_sha256, h);
    if (kit) {
      sig.push_back({"dns_only", "host", false,
                     "DNS is gone but " + ToPrintable(p.ip) + " still serves the kit (HTTP " + std::to_string(p.ip_status) +
                         (p.ip_score ? ", score " + std::to_string(*p.ip_score) : std::string()) +
                         (p.ip_evidence_manifest.empty() ? std::string() : ", evidence " + p.ip_evidence_manifest) +
                         "): a takedown at DNS level only; the host has not acted"});
    } else {
      std::string what = p.ip_status > 0 ? "HTTP " + std::to_string(p.ip_status) : ToPrintable(p.ip_error);
      sig.push_back({"ip_clean", "host", false,
                     "DNS is gone and " + ToPrintable(p.ip) + " no longer serves the kit (" + what + ")"});
    }
  }

  // ---- the crawl by name ----
  bool up_by_name = false;
  if (p.fetched) {
    if (p.status == 0) {
      if (SiteFailure(p.error_kind)) {
        sig.push_back({"unreachable", facts.cdn.empty() ? "host" : "cdn", true,
                       "no response from " + url + ": " + ToPrintable(CutText(p.error, 300))});
      }
    } else if (const PageSignature* ps = sigs.MatchPage(p.title, p.text, p.status)) {
      std::string name = ps->kind == "parked"      ? "parked_page"
                         : ps->kind == "cdn_block" ? "cdn_block"
                         : ps->kind == "default"   ? "default_page"
                                                   : "suspended_page";
      sig.push_back({name, ps->actor, true,
                     "HTTP " + std::to_string(p.status) + " from " + ToPrintable(p.final_url.empty() ? p.url : p.final_url) +
                         " shows " + ps->name + " (title \"" + ToPrintable(CutText(p.title, 120)) + "\")" +
                         (p.evidence_manifest.empty() ? std::string() : "; evidence " + p.evidence_manifest)});
    } else if (p.status == 404 || p.status == 410 || p.status == 451) {
      sig.push_back({"http_gone", "host", true,
                     "HTTP " + std::to_string(p.status) + " from " + ToPrintable(p.final_url.empty() ? p.url : p.final_url) +
                         (p.evidence_manifest.empty() ? std::string() : "; evidence " + p.evidence_manifest)});
    } else if (p.status >= 500) {
      sig.push_back({"http_server_error", "host", true,
                     "HTTP " + std::to_string(p.status) + " from " + ToPrintable(p.final_url.empty() ? p.url : p.final_url)});
    } else if (p.credible && p.score && *p.score < facts.review_threshold) {
      sig.push_back({"content_benign", "host", true,
                     "the page now scores " + std::to_string(*p.score) + " (" + p.label + "), below policy.review_threshold " +
                         std::to_string(facts.review_threshold) +
                         (p.evidence_manifest.empty() ? std::string() : "; evidence " + p.evidence_manifest)});
    } else if (p.credible && p.score && *p.score >= facts.review_threshold) {
      up_by_name = true;
    }
  }
  // A site that still serves its kit by name is up, whatever RDAP or the
  // name servers say (DNS caches, a hold not yet published): those become notes.
  if (up_by_name) {
    for (auto& s : sig) {
      if (s.down) {
        s.down = false;
        s.evidence += " (the site still serves the kit by name)";
      }
    }
  }
  std::stable_sort(sig.begin(), sig.end(), [](const Signal& a, const Signal& b) {
    if (a.down != b.down) return a.down;
    return SignalRank(a.signal) < SignalRank(b.signal);
  });
  out.signals = std::move(sig);
  bool down = !out.signals.empty() && out.signals.front().down;
  out.outcome = down ? "down" : up_by_name ? "up" : "unknown";
  if (down) {
    const Signal& s = out.signals.front();
    out.summary = "re-check: down — " + s.signal + " (" + s.actor + " acted): " + s.evidence;
  } else if (up_by_name) {
    out.summary = "re-check: still up — HTTP " + std::to_string(p.status) + ", " + p.label + " " +
                  std::to_string(p.score.value_or(0)) + " " + url;
  } else {
    std::string why = !p.fetched ? (p.dns_checked ? "DNS " + p.dns_status : "nothing checked")
                      : p.status == 0 ? "no response: " + ToPrintable(CutText(p.error, 200))
                                      : "HTTP " + std::to_string(p.status) + ", not scored";
    out.summary = "re-check: unknown (" + why + ") " + url;
  }
  return out;
}

}  // namespace dragnet::monitor
