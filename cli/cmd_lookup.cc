// dragnet lookup DOMAIN|IP|URL... [--json]: the hosting intelligence of the
// scan pipeline (DNS, geolocation, ASN, CDN, registrar and abuse contacts)
// for names and addresses, without crawling anything.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json.h"
#include "app/config.h"
#include "cli/command.h"
#include "cli/common.h"
#include "core/model_json.h"
#include "core/url.h"
#include "crawler/http_client.h"
#include "extractors/hosting/ip.h"
#include "extractors/hosting/locator.h"

namespace dragnet::cli {
namespace {

struct LookupFlags {
  std::vector<std::string> targets;
  bool json = false;
};

enum class Kind { kHost, kIp, kInvalid };

// URL -> its host; IP literal -> itself; name -> ASCII (IDN) form.
Kind Classify(const std::string& arg, std::string& out, std::string& why) {
  if (arg.find("://") != std::string::npos) {
    auto u = ParseUrl(arg);
    if (!u.ok()) {
      why = u.status().message();
      return Kind::kInvalid;
    }
    out = u->host;
    return u->host_is_ip ? Kind::kIp : Kind::kHost;
  }
  if (hosting::ParseIp(arg).ok()) {
    out = arg;
    return Kind::kIp;
  }
  auto ascii = HostToAscii(arg);
  if (!ascii.ok() || ascii->find('.') == std::string::npos || ascii->size() > 253) {
    why = "not a domain name, IP address or http(s) URL";
    return Kind::kInvalid;
  }
  out = *ascii;
  return Kind::kHost;
}

std::string ContactText(const AbuseContact& c) {
  std::string s;
  for (const std::string* part : {&c.email, &c.phone, &c.url}) {
    if (part->empty()) continue;
    if (!s.empty()) s += " ";
    s += *part;
  }
  if (s.empty()) return "none found";
  return s + " (" + c.source + ")";
}

void PrintText(const std::string& query, const Hosting& h) {
  std::printf("%s\n", query.c_str());
  if (!h.domain.name.empty()) {
    std::printf("  domain     %s", h.domain.name.c_str());
    if (!h.domain.created.empty()) std::printf("  created %s", h.domain.created.c_str());
    if (!h.domain.expires.empty()) std::printf("  expires %s", h.domain.expires.c_str());
    if (h.domain.age_days) std::printf("  age %ld days", *h.domain.age_days);
    std::printf("\n");
    if (!h.registrar.name.empty() || !h.registrar.iana_id.empty()) {
      std::printf("  registrar  %s%s%s\n", h.registrar.name.c_str(),
                  h.registrar.iana_id.empty() ? "" : "  IANA ", h.registrar.iana_id.c_str());
      std::printf("  reg abuse  %s\n", ContactText(h.registrar.abuse).c_str());
    }
  }
  for (const auto& ip : h.ips) {
    std::printf("  ip         %s", ip.ip.c_str());
    if (!ip.country.empty()) std::printf("  %s", ip.country.c_str());
    if (!ip.city.empty()) std::printf(" %s", ip.city.c_str());
    if (ip.asn) std::printf("  AS%u %s", ip.asn, ip.as_org.c_str());
    if (!ip.rdap_range.empty()) std::printf("  net %s %s", ip.rdap_range.c_str(), ip.rdap_name.c_str());
    else if (!ip.network.empty()) std::printf("  net %s", ip.network.c_str());
    std::printf("\n             abuse %s\n", ContactText(ip.abuse).c_str());
  }
  if (h.cdn) {
    std::printf("  cdn        %s (%s)  abuse %s\n", h.cdn->name.c_str(), h.cdn->matched_by.c_str(),
                ContactText(h.cdn->abuse).c_str());
  }
  std::printf("  geo        %s\n", h.geo_source.c_str());
  for (const auto& e : h.errors) std::printf("  error      %s\n", e.c_str());
}

void RunLookup(const LookupFlags& f, Globals& g) {
  auto cfg = LoadConfigOrReport(g, "lookup");
  if (!cfg) return;
  // RDAP goes through the guarded client: [crawl] allow_private, resolve
  // pins and the fetcher's limits apply to every hop and referral.
  crawler::GuardedHttpClient http(cfg->crawl);
  hosting::Locator locator(cfg->hosting, http);
  Status st = locator.Init();
  if (!st.ok()) {
    std::fprintf(stderr, "dragnet lookup: %s\n", st.message().c_str());
    g.exit_code = kExitFailure;
    return;
  }
  int bad = 0;
  for (const auto& arg : f.targets) {
    std::string target, why;
    Kind k = Classify(arg, target, why);
    if (k == Kind::kInvalid) {
      ++bad;
      if (f.json) {
        nlohmann::json j = {{"query", arg}, {"error", why}};
        std::printf("%s\n", DumpJson(j).c_str());
      } else {
        std::fprintf(stderr, "dragnet lookup: %s: %s\n", arg.c_str(), why.c_str());
      }
      continue;
    }
    Hosting h = k == Kind::kIp ? locator.LookupIp(target) : locator.LookupDomain(target);
    if (f.json) {
      nlohmann::json j = {{"query", arg}, {"hosting", h}};
      std::printf("%s\n", DumpJson(j).c_str());
    } else {
      PrintText(arg, h);
    }
    std::fflush(stdout);
  }
  if (bad == 0) g.exit_code = kExitOk;
  else g.exit_code = bad == static_cast<int>(f.targets.size()) ? kExitUsage : kExitPartial;
}

void RegisterLookup(CLI::App& root, Globals& g) {
  auto flags = std::make_shared<LookupFlags>();
  auto* cmd = root.add_subcommand(
      "lookup", "Show where a domain, IP or URL is hosted and whom to ask for a takedown (no crawl)");
  cmd->add_option("target", flags->targets, "Domain names, IP addresses or http(s) URLs")->required();
  cmd->add_flag("--json", flags->json, "One JSON document per target: {query, hosting}");
  cmd->callback([flags, &g] { RunLookup(*flags, g); });
}

}  // namespace

DRAGNET_COMMAND(lookup, 40, RegisterLookup);

}  // namespace dragnet::cli
