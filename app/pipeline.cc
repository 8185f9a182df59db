#include "app/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>

#include "app/liveness.h"
#include "core/fs.h"
#include "core/work_pool.h"
#include "core/url.h"
#include "crawler/crawl.h"
#include "crawler/evidence.h"
#include "crawler/ssrf.h"
#include "dragnet/version.h"
#include "extractors/brands.h"
#include "extractors/indicators.h"
#include "extractors/lookalike.h"
#include "extractors/platforms.h"
#include "extractors/rules.h"
#include "extractors/verdict.h"
#include "extractors/hosting/locator.h"
#include "reporters/service.h"

namespace dragnet::app {

struct Pipeline::Impl {
  Config config;
  std::unique_ptr<crawler::EvidenceStore> evidence;
  std::shared_ptr<const extractors::BrandCatalog> brands;
  std::shared_ptr<const extractors::RuleSet> rules;
  std::shared_ptr<extractors::PageCache> page_cache;
  std::unique_ptr<hosting::Locator> locator;
  std::unique_ptr<FetcherLivenessProbe> probe;
  std::unique_ptr<reporters::ReportService> reporter;
  // CPU work of the crawl (hash, store, parse) and the stages after it; no
  // threads when crawl.workers is 1. Shared with other Pipelines when given.
  std::shared_ptr<WorkPool> pool;
  // The locator (c-ares channel, RDAP cache) and the reporter (SQLite) are
  // used by one seed at a time; extraction and scoring run side by side.
  std::mutex locate_mu, report_mu;

  // ---- stages after the crawl, for one seed ----
  SeedResult Finish(crawler::CrawlOutcome& co, const ScanFlags& flags);
  // Finish in three parts, for callers that put them on different threads.
  void Locate(const crawler::CrawlOutcome& co, SeedResult& r, const ScanFlags& flags);
  void Analyse(crawler::CrawlOutcome& co, SeedResult& r);
  void Report(SeedResult& r, const ScanFlags& flags);
  // Indicators of the pages and of the external scripts the crawl fetched,
  // with the brands' countries as phone regions; limits hit recorded.
  void ExtractAll(crawler::CrawlOutcome& co, const std::vector<Page>& pages,
                  const std::vector<extractors::BrandFinding>& brand_findings, extractors::ExtractContext& ctx,
                  SeedResult& r);
  // The platforms list (config/platforms.toml, or [extract] platforms_file).
  std::shared_ptr<const extractors::Platforms> platforms;
};

Pipeline::Pipeline(Config config, PipelineShared shared) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->pool = std::move(shared.pool);
  impl_->brands = std::move(shared.brands);
  impl_->rules = std::move(shared.rules);
  impl_->page_cache = std::move(shared.page_cache);
}

Result<PipelineShared> LoadPipelineShared(const Config& config) {
  PipelineShared s;
  auto brands = extractors::BrandCatalog::Load(config.extract.brands_file);
  if (!brands.ok()) return brands.status();
  s.brands = std::make_shared<const extractors::BrandCatalog>(std::move(brands).value());
  auto rules = extractors::RuleSet::Load(config.extract.rules_file);
  if (!rules.ok()) return rules.status();
  s.rules = std::make_shared<const extractors::RuleSet>(std::move(rules).value());
  s.pool = std::make_shared<WorkPool>(WorkPool::Resolve(config.crawl.workers));
  s.page_cache = std::make_shared<extractors::PageCache>(static_cast<size_t>(config.crawl.page_cache_bytes));
  return s;
}

Pipeline::~Pipeline() = default;

const Config& Pipeline::config() const { return impl_->config; }

Status Pipeline::Init() {
  auto& c = impl_->config;
  impl_->evidence = std::make_unique<crawler::EvidenceStore>(c.crawl.evidence_dir);
  Status st = impl_->evidence->Init();
  if (!st.ok()) return IoError("evidence folder: " + st.message());

  if (!impl_->brands) {
    auto brands = extractors::BrandCatalog::Load(c.extract.brands_file);
    if (!brands.ok()) return brands.status();
    impl_->brands = std::make_shared<const extractors::BrandCatalog>(std::move(brands).value());
  }
  if (!impl_->rules) {
    auto rules = extractors::RuleSet::Load(c.extract.rules_file);
    if (!rules.ok()) return rules.status();
    impl_->rules = std::make_shared<const extractors::RuleSet>(std::move(rules).value());
  }
  if (!impl_->page_cache) {
    impl_->page_cache = std::make_shared<extractors::PageCache>(static_cast<size_t>(c.crawl.page_cache_bytes));
  }
  if (c.extract.platforms_file.empty()) {
    impl_->platforms = extractors::Platforms::Default();
  } else {
    auto platforms = extractors::Platforms::Load(c.extract.platforms_file);
    if (!platforms.ok()) return platforms.status();
    impl_->platforms = std::move(platforms).value();
  }

  if (c.hosting.enabled) {
    impl_->locator = std::make_unique<hosting::Locator>(c.hosting);
    st = impl_->locator->Init();
    // A failed part (corrupt geo db, bad CDN table) is reported once; the
    // locator goes on without it rather than stopping every scan.
    if (!st.ok()) spdlog::warn("hosting: {}", st.message());
    for (const auto& w : impl_->locator->warnings()) spdlog::warn("hosting: {}", w);
  }

  if (!impl_->pool) {
    int threads = WorkPool::Resolve(c.crawl.workers);
    impl_->pool = std::make_shared<WorkPool>(threads > 1 ? threads : 0);
  }

  impl_->probe = std::make_unique<FetcherLivenessProbe>(c.crawl);
  impl_->reporter = std::make_unique<reporters::ReportService>(c.reporter, c.general.state_dir,
                                                               impl_->probe.get());
  st = impl_->reporter->Init();
  if (!st.ok()) return st;
  return Status::Ok();
}

SeedResult Pipeline::Impl::Finish(crawler::CrawlOutcome& co, const ScanFlags& flags) {
  SeedResult r = std::move(co.result);
  if (!co.seed_valid) return r;
  Locate(co, r, flags);
  Analyse(co, r);
  Report(r, flags);
  return r;
}

namespace {

std::string HostOf(const std::string& url, const std::string& fallback) {
  auto u = ParseUrl(url);
  return u.ok() ? u->host : fallback;
}

}  // namespace

// ---- locate: DNS, geolocation, RDAP, CDN ----
void Pipeline::Impl::Locate(const crawler::CrawlOutcome& co, SeedResult& r, const ScanFlags& flags) {
  if (!flags.locate || !locator) return;
  hosting::LocateRequest req;
  req.seed_host = HostOf(r.seed, "");
  req.final_host = HostOf(r.final_url.empty() ? r.seed : r.final_url, req.seed_host);
  // Only public addresses say who hosts a site; a pinned or private
  // address (tests, the demo, a guard refusal) is ours, not theirs.
  for (const auto& ip : co.ips) {
    if (crawler::IsPublic(ip)) req.ips_seen.push_back(ip);
  }
  std::lock_guard<std::mutex> lock(locate_mu);
  r.hosting = locator->Locate(req);
}

// ---- extract, verdict: CPU only ----
void Pipeline::Impl::Analyse(crawler::CrawlOutcome& co, SeedResult& r) {
  std::vector<Page> pages;
  for (auto& p : co.pages) {
    if (p.page) pages.push_back(std::move(*p.page));
  }
  auto final_url = ParseUrl(r.final_url.empty() ? r.seed : r.final_url);
  std::string final_host = final_url.ok() ? final_url->host : HostOf(r.seed, "");

  std::string site_domain = final_url.ok() ? final_url->RegistrableDomain() : "";
  std::vector<extractors::BrandFinding> brand_matches = extractors::FindBrands(*brands, pages, site_domain);

  extractors::ExtractContext ctx;
  ctx.site_url = r.final_url.empty() ? r.seed : r.final_url;
  if (r.hosting && !r.hosting->ips.empty()) ctx.region_hint = r.hosting->ips.front().country;
  ExtractAll(co, pages, brand_matches, ctx, r);

  extractors::VerdictInput vin;
  vin.site_url = r.seed;
  vin.final_url = ctx.site_url;
  vin.pages = &pages;
  vin.indicators = &r.indicators;
  vin.hosting = r.hosting ? &*r.hosting : nullptr;
  vin.reachable = co.reachable;
  vin.brands = std::move(brand_matches);
  vin.lookalikes = extractors::FindLookalikes(*brands, final_host);
  const TlsInfo* tls = nullptr;
  for (const auto& h : co.hops) {
    if (h.url == ctx.site_url && h.tls.present) tls = &h.tls;
  }
  vin.tls = tls;
  r.verdict = extractors::Score(*rules, vin);
}

// ---- extract: pages and external scripts ----
void Pipeline::Impl::ExtractAll(crawler::CrawlOutcome& co, const std::vector<Page>& pages,
                                const std::vector<extractors::BrandFinding>& brand_findings,
                                extractors::ExtractContext& ctx, SeedResult& r) {
  for (const auto& f : brand_findings) {
    if (const extractors::Brand* b = brands->Find(f.brand); b != nullptr && !b->country.empty()) {
      ctx.brand_countries.push_back(b->country);
    }
  }
  ctx.platforms = platforms.get();
  extractors::ExtractReport report;
  r.indicators = extractors::ExtractIndicators(pages, ctx, config.extract, &report);
  std::vector<extractors::ScriptFile> files;
  for (crawler::CrawledScript& s : co.scripts) {
    r.scripts.push_back({s.url, s.page_url, s.status, s.body_sha256, s.bytes, s.error});
    if (!s.text.empty()) files.push_back({s.url, std::move(s.text)});
  }
  if (!files.empty()) {
    extractors::MergeIndicators(r.indicators, extractors::ExtractScriptIndicators(files, ctx, config.extract, &report));
  }
  for (const std::string& l : report.limits_hit) {
    if (std::find(r.limits_hit.begin(), r.limits_hit.end(), l) == r.limits_hit.end()) r.limits_hit.push_back(l);
  }
}

// ---- report ----
void Pipeline::Impl::Report(SeedResult& r, const ScanFlags& flags) {
  if (!flags.report || !reporter) return;
  std::lock_guard<std::mutex> lock(report_mu);
  reporter->Process(r);
}

std::vector<SeedResult> Pipeline::ScanSeeds(const std::vector<std::string>& seeds,
                                            const ScanFlags& flags) {
  auto& c = impl_->config;
  // ---- crawl: every seed at once on one event loop; each seed goes on
  // to the later stages (on the pool) as soon as its own crawl is over ----
  crawler::SiteCrawler crawler(c.crawl, impl_->evidence.get(), DRAGNET_VERSION, impl_->pool.get(),
                                 impl_->page_cache.get());
  crawler.set_platforms(impl_->platforms.get());
  std::vector<SeedResult> out(seeds.size());
  crawler.CrawlEach(seeds, [this, &out, &flags](size_t i, crawler::CrawlOutcome co) {
    out[i] = impl_->Finish(co, flags);
  });
  return out;
}

Status Pipeline::FlushReports() {
  if (!impl_->reporter) return Status::Ok();
  std::lock_guard<std::mutex> lock(impl_->report_mu);
  return impl_->reporter->Flush();
}

SeedResult Pipeline::ScanOne(const std::string& seed, const ScanFlags& flags) {
  auto& c = impl_->config;
  crawler::CrawlOutcome co;
  crawler::SiteCrawler crawler(c.crawl, impl_->evidence.get(), DRAGNET_VERSION, impl_->pool.get(),
                                 impl_->page_cache.get());
  crawler.set_platforms(impl_->platforms.get());
  crawler.CrawlEach({seed}, [&co](size_t, crawler::CrawlOutcome o) { co = std::move(o); });
  SeedResult r = std::move(co.result);
  if (!co.seed_valid) return r;
  // Waiting on this thread; computing on the pool.
  impl_->Locate(co, r, flags);
  TaskGroup cpu(impl_->pool.get());
  cpu.Submit([this, &co, &r] { impl_->Analyse(co, r); });
  cpu.Wait();
  impl_->Report(r, flags);
  return r;
}

}  // namespace dragnet::app
