#pragma once
// SiteCrawler: the crawl of suspected sites, many seeds at once on one
// Fetcher (one curl multi handle, one thread).
//
// For each seed: fetch it, following HTTP redirects (in the fetcher) and
// then meta-refresh and literal JavaScript redirects found by the page
// parser, as hops of one redirect chain (recorded with how each was found:
// http, meta, js). The last page of the chain is the landing page; from it
// the crawler follows links within the landing page's registrable domain
// (libpsl), breadth first, to `depth` link hops and at most `max_pages`
// fetches, and follows iframes whatever their domain. Every fetch is stored
// as evidence and chained into the seed's manifest. A URL is fetched at most
// once per seed (normal form, core/url.h).
//
// Each HTML body is parsed once (extractors/page.h) and the Page is handed
// forward with the crawl, so the extractors never parse again. The external
// scripts the pages reference are fetched too (crawler/scripts.h), bounded,
// for the extractors to read.
//
// Threads: a SiteCrawler is used by one thread at a time; its fetches are
// driven on that thread, and with a WorkPool the bodies are hashed, stored
// and parsed on the pool's threads while the loop goes on fetching.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "crawler/evidence.h"
#include "crawler/fetcher.h"
#include "crawler/options.h"
#include "crawler/scripts.h"

namespace dragnet {
class WorkPool;
namespace extractors {
class PageCache;
class Platforms;
}  // namespace extractors
}

namespace dragnet::crawler {

struct CrawledPage {
  std::string url;               // URL requested
  std::string final_url;         // after HTTP redirects
  std::string via;               // seed, http, meta, js, link, iframe
  int depth = 0;                 // link hops from the landing page
  long status = 0;
  std::string content_type;
  std::string body_sha256;       // SHA-256 of the decoded body: its evidence blob, where the reporter reads it
  uint64_t bytes = 0;            // body bytes as received (before content decoding)
  std::string error;
  std::optional<Page> page;      // when the body is HTML
};

struct CrawlOutcome {
  SeedResult result;             // seed, final_url, redirects, pages, errors, limits_hit, evidence_manifest, times
  std::vector<CrawledPage> pages;    // fetch order made stable: chain first, then breadth-first
  std::vector<CrawledScript> scripts;  // external scripts fetched (crawler/scripts.h), in request order
  std::vector<std::string> ips;      // every remote IP connected to
  std::vector<Hop> hops;             // every HTTP hop of every fetch (for TLS and header facts)
  std::string evidence_head;         // last hash of the manifest chain
  bool reachable = false;            // some hop got an HTTP response
  bool seed_valid = true;            // false: the seed was refused before any fetch
  // Cancel() stopped this seed's crawl (or it never started): what it has
  // is partial and is not to be scored or reported as a finished crawl.
  bool interrupted = false;
  // What the site hid from the crawler, one plain sentence each (an
  // encoding no browser decodes, a corrupt or cut compressed body, a page
  // cut at a size cap): the verdict treats it as a signal.
  std::vector<std::string> concealment;
  // The seed's manifest, not yet written, when SiteCrawler::keep_manifest_open
  // was set (the browser stage adds its captures, then the caller writes it
  // and fills result.evidence_manifest); null otherwise.
  std::shared_ptr<ManifestWriter> manifest;
};

class SiteCrawler {
 public:
  // `evidence` may be null (no evidence kept: tests, liveness checks).
  // `pool` (may be null: everything on the loop thread) runs the CPU work of
  // each fetch (hashing, evidence writes, parsing) while the loop fetches.
  // It may be shared with other crawlers: a crawl waits for its own tasks.
  // `page_cache` (may be null: every body parsed) is shared by every thread
  // and crawler that parses pages.
  SiteCrawler(const CrawlOptions& options, EvidenceStore* evidence, std::string tool_version,
              WorkPool* pool = nullptr, extractors::PageCache* page_cache = nullptr);

  // Called once per seed as soon as its crawl is over, with its index in
  // `seeds`; from the pool's threads when there is a pool, so it must be
  // thread-safe. An invalid seed is done before any fetch.
  using SeedDone = std::function<void(size_t index, CrawlOutcome outcome)>;
  // Crawls every seed; returns when every `done` call has returned. Seeds
  // start in input order as memory (max_held_bytes) and global_concurrency
  // allow; a seed's pages are freed once its `done` has returned.
  void CrawlEach(const std::vector<std::string>& seeds, const SeedDone& done);
  // Crawls every seed; one outcome per seed, in input order.
  std::vector<CrawlOutcome> CrawlAll(const std::vector<std::string>& seeds);
  // Hand each seed's manifest forward unwritten (CrawlOutcome::manifest).
  void keep_manifest_open(bool keep) { keep_manifest_open_ = keep; }

  // Stops the crawl in progress: running transfers end as "cancelled",
  // seeds not started are done at once with `interrupted` set, and
  // CrawlEach returns once every `done` has. Async-signal-safe (an atomic
  // store and an eventfd write); a Cancel() before CrawlEach makes it
  // finish every seed as interrupted.
  void Cancel();

  // The platforms list deciding which external scripts are not worth a
  // fetch (crawler/scripts.h); null (the default): the built-in one.
  void set_platforms(const extractors::Platforms* p) { platforms_ = p; }

 private:
  bool keep_manifest_open_ = false;
  CrawlOptions options_;
  EvidenceStore* evidence_;
  std::string tool_version_;
  WorkPool* pool_;
  extractors::PageCache* page_cache_;
  std::atomic<bool> cancelled_{false};
  std::atomic<Fetcher*> fetcher_{nullptr};  // the running CrawlEach's, for Cancel()
  const extractors::Platforms* platforms_ = nullptr;
};

// True when `content_type` (or, when it is empty, the start of `body`) says HTML.
bool LooksLikeHtml(const std::string& content_type, std::string_view body);

}  // namespace dragnet::crawler
