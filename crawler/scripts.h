#pragma once
// ScriptFetch: the external scripts of one seed's pages, fetched so that the
// extractors can read them (issue #13). Phishing kits keep their Telegram bot
// tokens, collector endpoints and second-stage hosts in their own .js files,
// which an HTML-only crawl never sees.
//
// Which scripts: every <script src> of every page the seed's crawl parses,
// on the site's own registrable domain or any other, except those the
// platforms list (extractors/platforms.h, config/platforms.toml) marks as
// well-known: tag managers and pixels, fonts and captchas, and library files
// on public CDNs (jquery@3.7.1 on jsDelivr is skipped; a kit's own loader.js
// on jsDelivr is not). On the site's own domain, files named like a library
// (/js/jquery.min.js) come after the others, since trojanised copies exist
// but the site's own code matters more. Each URL is fetched once per seed.
//
// Bounds (CrawlOptions, [crawl] in the config): at most max_scripts fetches
// per seed, max_script_bytes kept of each decoded body, max_scripts_total_bytes
// over the seed; hitting one is recorded in SeedResult::limits_hit
// ("max_scripts", "max_script_bytes", "max_scripts_total_bytes"). The fetches
// go through the seed's Fetcher: the same SSRF guard at connect time, the
// same per-response limits and timeouts, the same resolve pins.
//
// Evidence: each response goes into the seed's manifest like a page (header
// block, raw and decoded body blobs), with via "script".
//
// Threads: a ScriptFetch belongs to its seed's crawl and is used on the
// fetcher's (loop) thread only, like the rest of the seed's state.

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/model.h"
#include "crawler/evidence.h"
#include "crawler/fetcher.h"
#include "crawler/options.h"

namespace dragnet::extractors {
class Platforms;
}

namespace dragnet::crawler {

// One external script as fetched.
struct CrawledScript {
  std::string url;          // as referenced (normalized)
  std::string final_url;    // after HTTP redirects
  std::string page_url;     // the first page that referenced it
  long status = 0;
  std::string body_sha256;  // evidence blob of the decoded body
  uint64_t bytes = 0;       // as received
  std::string text;         // decoded body, at most max_script_bytes; empty unless status 2xx
  std::string error;
};

class ScriptFetch {
 public:
  // What the seed's crawl lends: the fetcher, the evidence (may be null), and
  // two calls that keep the seed open while a fetch is under way.
  struct Env {
    Fetcher* fetcher = nullptr;
    EvidenceStore* evidence = nullptr;
    ManifestWriter* manifest = nullptr;
    uint64_t priority = 0;
    int64_t deadline_mono_ms = 0;  // the site's deadline ([crawl] site_timeout); 0: none
    std::function<void()> begin;  // a fetch starts
    std::function<void()> end;    // a fetch is done (the seed may be over)
  };

  // `platforms` may be null: the built-in list.
  ScriptFetch(const CrawlOptions& options, const extractors::Platforms* platforms);

  // Queues the scripts `page` references that are worth fetching.
  // `site_domain` is the seed's registrable domain (empty while the
  // redirect chain is still being followed).
  void OnPage(const Page& page, const std::string& site_domain, Env& env);

  // What was fetched, in the order requested; limits hit and errors.
  std::vector<CrawledScript> Take() { return std::move(scripts_); }
  const std::vector<std::string>& limits_hit() const { return limits_hit_; }

  // The decision alone (for tests): true when `url` (normalized) is a script
  // to fetch for a site whose registrable domain is `site_domain`.
  bool WorthFetching(const std::string& url, const std::string& site_domain) const;

 private:
  void Fetch(const std::string& url, const std::string& page_url, Env& env);
  void Done(size_t index, FetchResult r, Env& env);
  void Hit(const char* limit);

  const CrawlOptions& options_;
  const extractors::Platforms* platforms_;
  std::set<std::string> seen_;
  std::vector<CrawledScript> scripts_;
  int started_ = 0;
  int64_t kept_bytes_ = 0;
  std::vector<std::string> limits_hit_;
};

}  // namespace dragnet::crawler
