#include "app/browser_stage.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "core/url.h"
#include "crawler/fetcher.h"
#include "extractors/cloaking.h"
#include "extractors/lookalike.h"
#include "extractors/page.h"
#include "extractors/verdict.h"

namespace dragnet::app {

namespace {
std::once_flag no_chromium_notice;
}  // namespace

Result<std::shared_ptr<crawler::browser::BrowserPool>> MakeBrowserPool(const Config& c) {
  if (c.browser.off()) return std::shared_ptr<crawler::browser::BrowserPool>();
  auto pool = std::make_shared<crawler::browser::BrowserPool>(c.browser, c.crawl);
  if (pool->available().ok()) return pool;
  if (c.browser.enabled == "true") {
    return Unavailable("browser.enabled = true but " + pool->available().message() + " (scripts/setup installs chromium)");
  }
  std::call_once(no_chromium_notice, [&] {
    spdlog::warn("browser: {}; screenshots, rendered pages and cloaking checks are off (install chromium, or set [browser] enabled = false to silence this)",
                 pool->available().message());
  });
  return std::shared_ptr<crawler::browser::BrowserPool>();
}

BrowseOutcome BrowseSeed(crawler::browser::BrowserPool& pool, crawler::EvidenceStore* evidence,
                         const std::string& seed, crawler::ManifestWriter* manifest) {
  BrowseOutcome out;
  // The victim's path starts at the seed: cloakers often branch on the
  // first hop (a shortener, a traffic distribution system).
  auto caps = pool.CaptureProfiles(seed, evidence, manifest);
  for (auto& c : caps) {
    for (const auto& ip : c.ips) {
      if (!ip.empty() && std::find(out.ips.begin(), out.ips.end(), ip) == out.ips.end()) out.ips.push_back(ip);
    }
    for (auto& h : c.hops) out.hops.push_back(std::move(h));
    if (!c.capture.error.empty()) out.errors.push_back("browser (" + c.capture.profile + "): " + c.capture.error);
    if (!c.dom.empty()) {
      RenderedPage rp;
      rp.profile = c.capture.profile;
      rp.user_agent = c.capture.user_agent;
      rp.final_url = c.capture.final_url;
      rp.page = extractors::ParsePage(c.dom, c.capture.final_url);
      out.rendered.push_back(std::move(rp));
    }
    out.captures.push_back(std::move(c.capture));
  }
  return out;
}

std::vector<RenderedPage> MergeBrowse(BrowseOutcome b, crawler::CrawlOutcome& co, SeedResult& r) {
  for (auto& ip : b.ips) {
    if (std::find(co.ips.begin(), co.ips.end(), ip) == co.ips.end()) co.ips.push_back(std::move(ip));
  }
  for (auto& h : b.hops) co.hops.push_back(std::move(h));
  for (auto& e : b.errors) r.errors.push_back(std::move(e));
  r.captures = std::move(b.captures);
  return std::move(b.rendered);
}

void WriteSeedManifest(crawler::CrawlOutcome& co, SeedResult& r) {
  if (!co.manifest) return;
  if (co.manifest->size() > 0) {
    auto path = co.manifest->Write();
    if (path.ok()) {
      r.evidence_manifest = *path;
      co.evidence_head = co.manifest->head();
    } else {
      r.errors.push_back("evidence: " + path.status().message());
    }
  }
  co.manifest.reset();
}

std::vector<Indicator> ExtractWithRendered(std::vector<Page>& pages, const std::vector<RenderedPage>& rendered,
                                           const extractors::ExtractContext& ctx,
                                           const extractors::ExtractOptions& opts,
                                           extractors::ExtractReport* report) {
  std::set<std::pair<std::string, std::string>> in_static;
  for (const auto& ind : extractors::ExtractIndicators(pages, ctx, opts)) in_static.insert({ind.type, ind.value});
  std::vector<std::set<std::pair<std::string, std::string>>> per_render;
  for (const auto& rp : rendered) {
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& ind : extractors::ExtractIndicators({rp.page}, ctx, opts)) keys.insert({ind.type, ind.value});
    per_render.push_back(std::move(keys));
    pages.push_back(rp.page);
  }
  std::vector<Indicator> all = extractors::ExtractIndicators(pages, ctx, opts, report);
  for (auto& ind : all) {
    std::pair<std::string, std::string> key{ind.type, ind.value};
    if (in_static.count(key)) continue;
    for (size_t i = 0; i < rendered.size(); ++i) {
      if (per_render[i].count(key)) {
        ind.source = "rendered:" + rendered[i].profile;
        break;
      }
    }
  }
  return all;
}

namespace {

int ScoreAlone(const Page& page, const std::string& final_url, const extractors::RuleSet& rules,
               const extractors::BrandCatalog& brands, const Hosting* hosting,
               const extractors::ExtractContext& ctx, const extractors::ExtractOptions& opts) {
  std::vector<Page> pages = {page};
  std::vector<Indicator> inds = extractors::ExtractIndicators(pages, ctx, opts);
  auto u = ParseUrl(final_url);
  extractors::VerdictInput vin;
  vin.site_url = final_url;
  vin.final_url = final_url;
  vin.pages = &pages;
  vin.indicators = &inds;
  vin.hosting = hosting;
  vin.brands = extractors::FindBrands(brands, pages, u.ok() ? u->RegistrableDomain() : "");
  vin.lookalikes = extractors::FindLookalikes(brands, u.ok() ? u->host : "");
  return extractors::Score(rules, vin).score;
}

}  // namespace

Cloaking CompareViews(const Page* static_landing, const std::string& static_user_agent,
                      const std::string& static_final_url, const std::vector<RenderedPage>& rendered,
                      const extractors::RuleSet& rules, const extractors::BrandCatalog& brands,
                      const Hosting* hosting, const extractors::ExtractContext& ctx,
                      const extractors::ExtractOptions& opts) {
  std::vector<extractors::CloakingView> views;
  if (static_landing) {
    views.push_back({"static", static_user_agent, static_final_url, static_landing,
                     ScoreAlone(*static_landing, static_final_url, rules, brands, hosting, ctx, opts)});
  }
  for (const auto& rp : rendered) {
    views.push_back({rp.profile, rp.user_agent, rp.final_url, &rp.page,
                     ScoreAlone(rp.page, rp.final_url, rules, brands, hosting, ctx, opts)});
  }
  return extractors::DetectCloaking(views);
}

}  // namespace dragnet::app
