#include "app/monitor_probe.h"

#include <spdlog/spdlog.h>

#include "core/text.h"
#include "core/url.h"
#include "crawler/evidence.h"
#include "crawler/http_client.h"
#include "extractors/hosting/bootstrap.h"
#include "extractors/hosting/dns.h"
#include "extractors/hosting/ip.h"
#include "extractors/hosting/rdap.h"
#include "extractors/page.h"
#include "reporters/case_history.h"

namespace dragnet::app {
namespace {

// The re-check's crawl: locate and report are the monitor's business.
constexpr ScanFlags kProbeFlags{false, false, true};

// "kind: detail" -> kind (the fetcher's vocabulary).
std::string KindOf(const std::string& error) {
  auto colon = error.find(':');
  if (colon == std::string::npos || colon > 24) return "";
  return error.substr(0, colon);
}

}  // namespace

PipelineProbe::PipelineProbe(Config config, PipelineShared shared)
    : config_(std::move(config)), shared_(std::move(shared)) {
  config_.crawl.depth = config_.monitor.depth;
  config_.crawl.max_pages = config_.monitor.max_pages;
  config_.hosting.enabled = false;  // DNS and RDAP are asked here, directly
}

PipelineProbe::~PipelineProbe() = default;

Status PipelineProbe::Init() {
  pipeline_ = std::make_unique<Pipeline>(config_, shared_);
  DRAGNET_RETURN_IF_ERROR(pipeline_->Init());
  resolver_ = std::make_unique<hosting::Resolver>(
      hosting::ResolverOptions{config_.hosting.dns_servers, config_.hosting.dns_timeout_ms});
  DRAGNET_RETURN_IF_ERROR(resolver_->Init());
  http_ = std::make_unique<crawler::GuardedHttpClient>(config_.crawl);
  rdap_options_ = config_.hosting;
  rdap_options_.cache_ttl_ms = 0;         // today's status, every time
  rdap_options_.failure_backoff_ms = 0;   // a re-check is hours apart
  bootstrap_ = std::make_unique<hosting::Bootstrap>();
  Status b = rdap_options_.bootstrap_dir.empty() ? NotFound("[rdap] bootstrap_dir is not set")
                                                 : bootstrap_->Load(rdap_options_.bootstrap_dir, rdap_options_.base_url);
  if (b.ok()) {
    rdap_ = std::make_unique<hosting::RdapClient>(rdap_options_, *bootstrap_, *http_, SystemClock::Instance(),
                                                  hosting::ContactFilter(rdap_options_.ignore_contacts));
  } else {
    spdlog::warn("monitor: RDAP status checks off: {}", b.message());
  }
  return Status::Ok();
}

SeedResult PipelineProbe::Crawl(const std::string& url, const std::vector<std::string>& extra_pins, std::string* text,
                                std::string* title) {
  SeedResult r;
  if (extra_pins.empty()) {
    r = pipeline_->ScanOne(url, kProbeFlags);
  } else {
    Config pinned = config_;
    pinned.crawl.resolve.insert(pinned.crawl.resolve.begin(), extra_pins.begin(), extra_pins.end());
    Pipeline p(pinned, shared_);
    Status st = p.Init();
    if (!st.ok()) {
      r.seed = url;
      r.errors.push_back("internal: " + st.message());
      return r;
    }
    r = p.ScanOne(url, kProbeFlags);
  }
  // The landing page's text, from its evidence blob (the crawl keeps bodies
  // as evidence, not in the result).
  const PageSummary* landing = nullptr;
  for (const auto& pg : r.pages) {
    if (pg.url == r.final_url) landing = &pg;
  }
  if (!landing && !r.pages.empty()) landing = &r.pages.front();
  if (landing && !landing->sha256.empty()) {
    crawler::EvidenceStore store(config_.crawl.evidence_dir);
    auto body = store.GetBlob(landing->sha256);
    if (body.ok()) {
      extractors::PageLimits limits;
      limits.max_text_bytes = monitor::kMaxProbeTextBytes;
      Page page = extractors::ParsePage(*body, landing->url, limits);
      *text = CutText(page.text, monitor::kMaxProbeTextBytes);
      *title = page.title;
    }
  }
  if (landing && title->empty()) *title = landing->title;
  return r;
}

monitor::ProbeResult PipelineProbe::Check(const monitor::ProbeRequest& req) {
  monitor::ProbeResult p;
  p.checked_ms = SystemClock::Instance().NowUnixMs();
  p.url = req.url;
  auto u = ParseUrl(req.url);
  if (!u.ok()) {
    p.fetched = true;
    p.error_kind = "url";
    p.error = "url: " + u.status().message();
    return p;
  }
  const std::string host = u->host;
  const bool literal = u->host_is_ip;
  std::string zone = literal ? "" : RegistrableDomainOf(host);
  if (zone.empty()) zone = host;

  // ---- DNS ----
  if (!literal) {
    std::vector<hosting::DnsQuestion> qs = {{host, hosting::RrType::kA}, {host, hosting::RrType::kAaaa},
                                            {zone, hosting::RrType::kNs}};
    auto ans = resolver_->Query(qs);
    p.dns_checked = true;
    for (size_t i = 0; i < 2; ++i) {
      for (const auto& rec : ans[i].records) {
        if (rec.type == static_cast<uint16_t>(ans[i].qtype)) p.addresses.push_back(rec.value);
      }
    }
    for (const auto& rec : ans[2].records) {
      if (rec.type == static_cast<uint16_t>(hosting::RrType::kNs)) p.nameservers.push_back(rec.value);
    }
    const auto& a = ans[0];
    const auto& aaaa = ans[1];
    if (!p.addresses.empty()) {
      p.dns_status = "ok";
    } else if (a.status == "nxdomain" || aaaa.status == "nxdomain") {
      p.dns_status = "nxdomain";
    } else if ((a.status == "nodata" || a.status == "ok") && (aaaa.status == "nodata" || aaaa.status == "ok")) {
      p.dns_status = "nodata";
    } else {
      p.dns_status = a.status;
    }
    std::string servers;
    for (const auto& s : config_.hosting.dns_servers) servers += (servers.empty() ? "" : ",") + s;
    p.dns_detail = host + " A " + a.status + (a.detail.empty() ? "" : " (" + ToText(a.detail) + ")") + ", AAAA " +
                   aaaa.status + ", asked " + (servers.empty() ? std::string("the system resolver") : servers);
  }
  const bool dns_gone = p.dns_status == "nxdomain" || p.dns_status == "nodata";

  // ---- the crawl by name (not when the name is gone) ----
  if (!dns_gone) {
    SeedResult r = Crawl(req.url, {}, &p.text, &p.title);
    p.fetched = true;
    p.final_url = r.final_url;
    p.evidence_manifest = r.evidence_manifest;
    for (const auto& pg : r.pages) {
      if (!pg.sha256.empty()) p.body_sha256.push_back(pg.sha256);
    }
    for (const auto& step : r.redirects) {
      if (!step.ip.empty()) p.ips.push_back(step.ip);
    }
    const PageSummary* landing = nullptr;
    for (const auto& pg : r.pages) {
      if (pg.url == r.final_url) landing = &pg;
    }
    if (!landing && !r.pages.empty()) landing = &r.pages.front();
    if (landing) {
      p.status = landing->status;
      if (p.status == 0) {
        p.error = landing->error;
        p.error_kind = KindOf(landing->error);
      }
    } else if (!r.errors.empty()) {
      p.error = r.errors.front();
      p.error_kind = KindOf(p.error);
    }
    if (r.verdict) {
      p.score = r.verdict->score;
      p.label = r.verdict->label;
      p.credible = reporters::IsCredible(r) && p.status > 0;
    }
  }

  // ---- RDAP ----
  if (req.check_rdap && rdap_ && !literal) {
    p.rdap_checked = true;
    auto d = rdap_->Domain(zone);
    if (d.ok()) {
      p.rdap_status = d->domain.status;
    } else if (d.status().code() == Code::kNotFound && d.status().message().find("HTTP 404") != std::string::npos) {
      p.rdap_not_found = true;
    } else {
      p.rdap_error = d.status().message();
    }
  }

  // ---- the last-known address, when the name is gone ----
  if (dns_gone && !req.last_ips.empty()) {
    const std::string& ip = req.last_ips.front();
    auto parsed = hosting::ParseIp(ip);
    if (parsed.ok()) {
      int port = u->port > 0 ? u->port : (u->scheme == "https" ? 443 : 80);
      std::string addr = ip.find(':') != std::string::npos ? "[" + ip + "]" : ip;
      std::string text, title;
      SeedResult r = Crawl(req.url, {host + ":" + std::to_string(port) + ":" + addr}, &text, &title);
      p.ip_checked = true;
      p.ip = ip;
      p.ip_evidence_manifest = r.evidence_manifest;
      for (const auto& pg : r.pages) {
        if (!pg.sha256.empty()) p.ip_body_sha256.push_back(pg.sha256);
        if (pg.url == r.final_url || p.ip_status == 0) p.ip_status = pg.status;
      }
      if (p.ip_status == 0) p.ip_error = r.pages.empty() ? (r.errors.empty() ? "" : r.errors.front()) : r.pages.front().error;
      if (r.verdict && reporters::IsCredible(r)) p.ip_score = r.verdict->score;
    }
  }
  return p;
}

}  // namespace dragnet::app
