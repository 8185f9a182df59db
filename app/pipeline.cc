#include "app/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <condition_variable>
#include <exception>
#include <mutex>

#include "app/browser_stage.h"
#include "app/evidence_seal.h"
#include "app/intel_stage.h"
#include "app/liveness.h"
#include "core/fs.h"
#include "core/text.h"
#include "core/work_pool.h"
#include "core/url.h"
#include "crawler/crawl.h"
#include "crawler/evidence.h"
#include "crawler/http_client.h"
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
  // Every request that is not a crawled page (RDAP, security.txt, the
  // freshness probe, webhooks): one guarded client, declared before its users.
  std::unique_ptr<crawler::GuardedHttpClient> http;
  std::unique_ptr<hosting::Locator> locator;
  std::unique_ptr<FetcherLivenessProbe> probe;
  std::unique_ptr<reporters::ReportService> reporter;
  std::unique_ptr<IntelStage> intel;  // campaign index; null when [intel] is off
  // CPU work of the crawl (hash, store, parse) and the stages after it; no
  // threads when crawl.workers is 1. Shared with other Pipelines when given.
  std::shared_ptr<WorkPool> pool;
  // The locator (c-ares channel, RDAP cache) and the reporter (SQLite) are
  // used by one seed at a time; extraction and scoring run side by side.
  std::mutex locate_mu, report_mu;
  // The crawler of the scan in progress (signal-safe Cancel target), and a
  // Cancel() that came before any crawler.
  std::atomic<crawler::SiteCrawler*> crawling{nullptr};
  std::atomic<bool> cancelled{false};
  // Browser stage (#14): null when off. Shared with other Pipelines when given.
  std::shared_ptr<crawler::browser::BrowserPool> browsers;
  bool shared_given = false;

  // ---- stages after the crawl, for one seed ----
  SeedResult Finish(crawler::CrawlOutcome& co, const ScanFlags& flags);
  // Finish in three parts, for callers that put them on different threads.
  void Locate(const crawler::CrawlOutcome& co, SeedResult& r, const ScanFlags& flags);
  void Analyse(crawler::CrawlOutcome& co, SeedResult& r, const std::vector<RenderedPage>& rendered = {});
  // The browser stage, then the seed's manifest written (the crawl handed
  // it forward when there is a browser stage).
  std::vector<RenderedPage> Browse(crawler::CrawlOutcome& co, SeedResult& r);
  void Report(SeedResult& r, const ScanFlags& flags);
  // Indicators of the pages and of the external scripts the crawl fetched,
  // with the brands' countries as phone regions; limits hit recorded.
  void ExtractAll(crawler::CrawlOutcome& co, std::vector<Page>& pages, const std::vector<RenderedPage>& rendered,
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
  impl_->browsers = std::move(shared.browsers);
  impl_->shared_given = impl_->pool != nullptr;
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
  auto browsers = MakeBrowserPool(config);
  if (!browsers.ok()) return browsers.status();
  s.browsers = std::move(browsers).value();
  return s;
}

Pipeline::~Pipeline() = default;

const Config& Pipeline::config() const { return impl_->config; }

Status Pipeline::Init() {
  auto& c = impl_->config;
  impl_->evidence = std::make_unique<crawler::EvidenceStore>(c.crawl.evidence_dir,
                                                             crawler::EvidenceStoreOptions{c.evidence.key_dir});
  Status st = impl_->evidence->Init();
  if (!st.ok()) return IoError("evidence folder: " + st.message());
  st = AttachEvidenceKey(c);  // reports name the key that seals their evidence
  if (!st.ok()) return st;

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

  impl_->http = std::make_unique<crawler::GuardedHttpClient>(c.crawl);
  if (c.hosting.enabled) {
    impl_->locator = std::make_unique<hosting::Locator>(c.hosting, *impl_->http);
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

  if (!impl_->shared_given) {
    auto browsers = MakeBrowserPool(c);
    if (!browsers.ok()) return browsers.status();
    impl_->browsers = std::move(browsers).value();
  }

  impl_->probe = std::make_unique<FetcherLivenessProbe>(*impl_->http, c.crawl);
  impl_->reporter = std::make_unique<reporters::ReportService>(c.reporter, c.general.state_dir,
                                                               impl_->probe.get(), impl_->http.get());
  st = impl_->reporter->Init();
  if (!st.ok()) return st;
  auto intel = IntelStage::Open(c);
  if (!intel.ok()) return intel.status();
  impl_->intel = std::move(intel).value();
  return Status::Ok();
}

namespace {

// A seed whose crawl was cut by Cancel(): what it has is kept as it is, and
// it is neither scored nor reported (a half-crawled site would be judged on
// half its pages).
bool Interrupted(const crawler::CrawlOutcome& co, SeedResult& r) {
  if (!co.interrupted) return false;
  r.limits_hit.push_back("interrupted");
  bool said = false;
  for (const auto& e : r.errors) said = said || e.rfind("interrupted", 0) == 0;
  if (!said) r.errors.push_back("interrupted: the scan was stopped during this seed's crawl");
  return true;
}

// Runs one stage of one seed; an exception (a broken invariant of ours,
// bad_alloc) becomes that seed's recorded error and its later stages are
// skipped. Never lets one seed end the scan or the process.
template <typename Fn>
bool Guarded(SeedResult& r, const char* stage, Fn&& fn) {
  try {
    fn();
    return true;
  } catch (const std::exception& e) {
    spdlog::warn("pipeline: {}: internal error in {}: {}", ToPrintable(r.seed), stage, e.what());
    r.errors.push_back(std::string("internal: ") + stage + " failed: " + e.what());
  } catch (...) {
    spdlog::warn("pipeline: {}: internal error in {}", ToPrintable(r.seed), stage);
    r.errors.push_back(std::string("internal: ") + stage + " failed");
  }
  return false;
}

}  // namespace

SeedResult Pipeline::Impl::Finish(crawler::CrawlOutcome& co, const ScanFlags& flags) {
  SeedResult r = std::move(co.result);
  // Whatever ends this seed early, the evidence it gathered is written.
  if (!co.seed_valid || Interrupted(co, r) || !Guarded(r, "locate", [&] { Locate(co, r, flags); })) {
    WriteSeedManifest(co, r);
    return r;
  }
  std::vector<RenderedPage> rendered;
  if (!Guarded(r, "browse", [&] { rendered = Browse(co, r); })) {
    WriteSeedManifest(co, r);
    return r;
  }
  if (!Guarded(r, "analyse", [&] { Analyse(co, r, rendered); })) return r;
  Guarded(r, "report", [&] { Report(r, flags); });
  return r;
}

// ---- browser: each profile's capture, on the browser pool's threads ----
std::vector<RenderedPage> Pipeline::Impl::Browse(crawler::CrawlOutcome& co, SeedResult& r) {
  std::vector<RenderedPage> rendered;
  if (browsers && co.reachable) {
    rendered = MergeBrowse(BrowseSeed(*browsers, evidence.get(), r.seed, co.manifest.get()), co, r);
  }
  WriteSeedManifest(co, r);
  return rendered;
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
  if (co.reachable) req.site_url = r.final_url.empty() ? r.seed : r.final_url;  // its security.txt
  std::lock_guard<std::mutex> lock(locate_mu);
  r.hosting = locator->Locate(req);
}

namespace {

// Test hook (as DRAGNET_TEST_CRASH_AFTER_OUTBOX in the reporter): a seed
// containing $DRAGNET_TEST_THROW_IN_ANALYSE throws inside Analyse, so the
// tests can prove one seed's exception never reaches another seed.
void TestHookThrow(const std::string& seed) {
  static const char* hook = std::getenv("DRAGNET_TEST_THROW_IN_ANALYSE");
  if (hook != nullptr && *hook != '\0' && seed.find(hook) != std::string::npos) {
    throw std::runtime_error("test hook DRAGNET_TEST_THROW_IN_ANALYSE");
  }
}

}  // namespace

// ---- extract, verdict: CPU only ----
void Pipeline::Impl::Analyse(crawler::CrawlOutcome& co, SeedResult& r, const std::vector<RenderedPage>& rendered) {
  TestHookThrow(r.seed);
  std::vector<Page> pages;
  for (auto& p : co.pages) {
    if (p.page) pages.push_back(std::move(*p.page));
  }
  auto final_url = ParseUrl(r.final_url.empty() ? r.seed : r.final_url);
  std::string final_host = final_url.ok() ? final_url->host : HostOf(r.seed, "");

  std::string site_domain = final_url.ok() ? final_url->RegistrableDomain() : "";
  std::vector<std::string> icon_sha;
  std::vector<int32_t> icon_mmh3;
  if (r.favicon) icon_sha.push_back(r.favicon->sha256), icon_mmh3.push_back(r.favicon->mmh3);
  // Brands of the crawled pages: their countries are phone regions for the
  // extractors, and they are the verdict's when nothing was rendered.
  std::vector<extractors::BrandFinding> brand_matches =
      extractors::FindBrands(*brands, pages, site_domain, icon_sha, icon_mmh3);

  extractors::ExtractContext ctx;
  ctx.site_url = r.final_url.empty() ? r.seed : r.final_url;
  if (r.hosting && !r.hosting->ips.empty()) ctx.region_hint = r.hosting->ips.front().country;
  // The static landing page, for the cloaking comparison (by index: the
  // renders are appended to `pages`).
  size_t landing = pages.size();
  for (size_t i = 0; i < pages.size(); ++i) {
    if (pages[i].url == ctx.site_url) landing = i;
  }
  ExtractAll(co, pages, rendered, brand_matches, ctx, r);

  extractors::VerdictInput vin;
  vin.site_url = r.seed;
  vin.final_url = ctx.site_url;
  vin.pages = &pages;
  vin.indicators = &r.indicators;
  vin.hosting = r.hosting ? &*r.hosting : nullptr;
  vin.reachable = co.reachable;
  // The verdict sees the renders too (a login form built by JavaScript
  // is a login form): brands are looked for again over them.
  vin.brands = rendered.empty() ? std::move(brand_matches)
                                : extractors::FindBrands(*brands, pages, site_domain, icon_sha, icon_mmh3);
  vin.lookalikes = extractors::FindLookalikes(*brands, final_host);
  vin.own_site_brand = extractors::OwnSiteBrand(*brands, site_domain);
  const TlsInfo* tls = nullptr;
  for (const auto& h : co.hops) {
    if (h.url == ctx.site_url && h.tls.present) tls = &h.tls;
  }
  vin.tls = tls;
  for (const std::string& what : co.concealment) {
    if (!vin.concealed.empty()) vin.concealed += "; ";
    vin.concealed += what;
  }
  if (!rendered.empty()) {
    r.cloaking = CompareViews(landing < pages.size() ? &pages[landing] : nullptr, config.crawl.user_agent,
                              ctx.site_url, rendered, *rules, *brands, vin.hosting, ctx, config.extract);
    vin.cloaking = &*r.cloaking;
  }
  r.verdict = extractors::Score(*rules, vin);
}

// ---- extract: pages and external scripts ----
void Pipeline::Impl::ExtractAll(crawler::CrawlOutcome& co, std::vector<Page>& pages,
                                const std::vector<RenderedPage>& rendered,
                                const std::vector<extractors::BrandFinding>& brand_findings,
                                extractors::ExtractContext& ctx, SeedResult& r) {
  for (const auto& f : brand_findings) {
    if (const extractors::Brand* b = brands->Find(f.brand); b != nullptr && !b->country.empty()) {
      ctx.brand_countries.push_back(b->country);
    }
  }
  ctx.platforms = platforms.get();
  extractors::ExtractReport report;
  // With renders, `pages` gains them (sourced rendered:<profile>).
  r.indicators = rendered.empty() ? extractors::ExtractIndicators(pages, ctx, config.extract, &report)
                                  : ExtractWithRendered(pages, rendered, ctx, config.extract, &report);
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
  if (intel) intel->Record(r, brands.get());
}

std::vector<SeedResult> Pipeline::ScanSeeds(const std::vector<std::string>& seeds,
                                            const ScanFlags& flags) {
  std::vector<SeedResult> out(seeds.size());
  ScanSeeds(seeds, flags, [&out](size_t i, SeedResult r) { out[i] = std::move(r); });
  return out;
}

void Pipeline::ScanSeeds(const std::vector<std::string>& seeds, const ScanFlags& flags,
                         const EachResult& each) {
  auto& c = impl_->config;
  // ---- crawl: every seed at once on one event loop; each seed goes on
  // to the later stages (on the pool) as soon as its own crawl is over ----
  crawler::SiteCrawler crawler(c.crawl, impl_->evidence.get(), DRAGNET_VERSION, impl_->pool.get(),
                                 impl_->page_cache.get());
  crawler.set_platforms(impl_->platforms.get());
  impl_->crawling.store(&crawler);
  if (impl_->cancelled.load()) crawler.Cancel();
  if (!impl_->browsers) {
    crawler.CrawlEach(seeds, [this, &flags, &each](size_t i, crawler::CrawlOutcome co) {
      each(i, impl_->Finish(co, flags));
    });
    impl_->crawling.store(nullptr);
    return;
  }
  // With a browser stage, each crawled seed finishes on the browser pool's
  // threads; at most two per browser wait there, so the crawl (and the
  // pages it holds) does not run far ahead of the browsers.
  crawler.keep_manifest_open(true);
  const size_t max_waiting = 2 * static_cast<size_t>(std::max(1, impl_->browsers->threads()->threads()));
  std::mutex mu;
  std::condition_variable cv;
  size_t waiting = 0;
  TaskGroup browse(impl_->browsers->threads());
  crawler.CrawlEach(seeds, [&](size_t i, crawler::CrawlOutcome co) {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return waiting < max_waiting; });
      ++waiting;
    }
    auto job = std::make_shared<crawler::CrawlOutcome>(std::move(co));
    browse.Submit([&, i, job] {
      each(i, impl_->Finish(*job, flags));
      std::lock_guard<std::mutex> lock(mu);
      --waiting;
      cv.notify_all();
    });
  });
  browse.Wait();
  impl_->crawling.store(nullptr);
}

void Pipeline::Cancel() {
  impl_->cancelled.store(true);
  crawler::SiteCrawler* c = impl_->crawling.load();
  if (c != nullptr) c->Cancel();
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
  impl_->crawling.store(&crawler);
  if (impl_->cancelled.load()) crawler.Cancel();
  crawler.keep_manifest_open(impl_->browsers != nullptr);
  crawler.CrawlEach({seed}, [&co](size_t, crawler::CrawlOutcome o) { co = std::move(o); });
  impl_->crawling.store(nullptr);
  SeedResult r = std::move(co.result);
  if (!co.seed_valid || Interrupted(co, r)) {
    WriteSeedManifest(co, r);
    return r;
  }
  // The browser stage on its own pool's threads, while this thread locates.
  BrowseOutcome browsed;
  SeedResult browse_errors;
  browse_errors.seed = r.seed;
  bool located = true;
  {
    TaskGroup browse(impl_->browsers ? impl_->browsers->threads() : nullptr);
    if (impl_->browsers && co.reachable) {
      // Its own result: the locate stage writes to `r` meanwhile.
      browse.Submit([&] {
        Guarded(browse_errors, "browse",
                [&] { browsed = BrowseSeed(*impl_->browsers, impl_->evidence.get(), r.seed, co.manifest.get()); });
      });
    }
    // Waiting on this thread; computing on the pool.
    located = Guarded(r, "locate", [&] { impl_->Locate(co, r, flags); });
  }
  for (auto& e : browse_errors.errors) r.errors.push_back(std::move(e));
  std::vector<RenderedPage> rendered;
  Guarded(r, "browse", [&] { rendered = MergeBrowse(std::move(browsed), co, r); });
  WriteSeedManifest(co, r);
  if (!located) return r;
  bool analysed = false;
  TaskGroup cpu(impl_->pool.get());
  cpu.Submit([this, &co, &r, &rendered, &analysed] {
    analysed = Guarded(r, "analyse", [&] { impl_->Analyse(co, r, rendered); });
  });
  cpu.Wait();
  if (!analysed) return r;
  Guarded(r, "report", [&] { impl_->Report(r, flags); });
  return r;
}

}  // namespace dragnet::app
