#pragma once
// The browser stage of the pipeline (#14), between the crawl and Analyse:
// each seed opened in headless Chromium with every configured profile
// (crawler/browser/), the captures recorded in SeedResult.captures and the
// seed's evidence manifest, the rendered DOMs parsed into Pages; then, in
// Analyse, those pages go through the same extractors (an indicator seen
// only in a render gets source "rendered:<profile>") and the views are
// compared for cloaking (extractors/cloaking.h).
//
// Threads: BrowseSeed runs one capture after another on the calling thread
// (the pool's own threads in the pipeline); the analysis helpers are pure
// functions of their arguments.

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/model.h"
#include "crawler/browser/pool.h"
#include "crawler/crawl.h"
#include "extractors/brands.h"
#include "extractors/indicators.h"
#include "extractors/rules.h"

namespace dragnet::app {

// The pool [browser] asks for: null when it is off, or "auto" and no
// Chromium is found (said once, as a warning); an error when enabled = true
// and there is no Chromium.
Result<std::shared_ptr<crawler::browser::BrowserPool>> MakeBrowserPool(const Config& c);

struct RenderedPage {
  std::string profile;
  std::string user_agent;
  std::string final_url;
  Page page;
};

// What the browser stage found for one seed, kept apart from the crawl's
// outcome so that it can run beside Locate (which reads the crawl's IPs).
struct BrowseOutcome {
  std::vector<BrowserCapture> captures;
  std::vector<std::string> errors;
  std::vector<std::string> ips;      // remote addresses the browser's fetches reached
  std::vector<Hop> hops;
  std::vector<RenderedPage> rendered;
};

// Captures `seed` with every profile, chaining the evidence into
// `manifest` (may be null).
BrowseOutcome BrowseSeed(crawler::browser::BrowserPool& pool, crawler::EvidenceStore* evidence,
                         const std::string& seed, crawler::ManifestWriter* manifest);
// Moves the captures, errors, addresses and hops into the seed's result
// and crawl outcome; returns the rendered pages.
std::vector<RenderedPage> MergeBrowse(BrowseOutcome b, crawler::CrawlOutcome& co, SeedResult& r);

// Writes the manifest the crawl handed forward (co.manifest), if any, and
// records its path; errors go to r.errors.
void WriteSeedManifest(crawler::CrawlOutcome& co, SeedResult& r);

// Indicators of the static pages and the renders together; one found only
// in renders is sourced "rendered:<first profile that showed it>". The
// rendered pages are appended to `pages` (the verdict sees them too).
std::vector<Indicator> ExtractWithRendered(std::vector<Page>& pages, const std::vector<RenderedPage>& rendered,
                                           const extractors::ExtractContext& ctx,
                                           const extractors::ExtractOptions& opts,
                                           extractors::ExtractReport* report = nullptr);

// Compares the static landing page (may be null) and each render: each view
// is scored alone with the same rules, then DetectCloaking decides.
Cloaking CompareViews(const Page* static_landing, const std::string& static_user_agent,
                      const std::string& static_final_url, const std::vector<RenderedPage>& rendered,
                      const extractors::RuleSet& rules, const extractors::BrandCatalog& brands,
                      const Hosting* hosting, const extractors::ExtractContext& ctx,
                      const extractors::ExtractOptions& opts);

}  // namespace dragnet::app
