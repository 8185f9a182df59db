#pragma once
// CrawlOptions: every knob of the fetcher and of the crawl of one site, with
// its default. Mirrored key for key by the [crawl] section of
// config/dragnet.example.toml; command-line flags of `dragnet scan` override
// the file. Plain value type.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dragnet::crawler {

struct CrawlOptions {
  // ---- site crawl ----
  int depth = 2;                 // link hops from the seed
  int max_pages = 50;            // pages fetched per seed (redirect hops included)
  bool follow_iframes = true;
  // Fetch the landing page's favicon (crawler/favicon.h) as evidence and for
  // its Shodan hash; icons larger than max_favicon_bytes are stored but not
  // hashed (a real icon is a few KiB; the transfer itself is capped by
  // max_body_bytes). Recorded as limit `max_favicon_bytes` when hit.
  bool fetch_favicon = true;
  int64_t max_favicon_bytes = 256 << 10;
  bool allow_private = false;    // lift the SSRF guard (tests and the demo opt in)
  std::vector<std::string> resolve;  // "HOST:PORT:ADDR" pins, as curl's --resolve ('*' = any host)
  std::string user_agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Dragnet/0.1";

  // ---- fetcher limits ----
  int64_t max_body_bytes = 5 << 20;        // bytes received on the wire per response
  int64_t max_decoded_bytes = 5 << 20;     // bytes after gzip/br/deflate decoding (bomb stop)
  int64_t total_timeout_ms = 30'000;       // whole transfer, per hop
  int64_t connect_timeout_ms = 10'000;
  int64_t low_speed_bytes = 100;           // a transfer slower than this ...
  int64_t low_speed_time_ms = 10'000;      // ... for this long is cut off (slow drips)
  int max_redirects = 10;                  // HTTP + meta + js hops per seed chain
  // A whole site's crawl, from its first request: past it nothing new
  // starts and running transfers are cut (limit "site_timeout"), so a site
  // of many slow pages cannot hold a scan (each page alone stays within
  // total_timeout). 0: none.
  int64_t site_timeout_ms = 120'000;
  int64_t max_header_bytes = 64 << 10;     // all response headers of one hop
  int global_concurrency = 1024;           // transfers in flight in one fetcher
  int per_host_concurrency = 4;            // transfers in flight per host name
  int64_t per_host_delay_ms = 0;           // min gap between request starts to one host
  bool verify_tls = false;                 // false: fetch anyway, record the verification result
  // CPU threads that hash, store and parse fetched pages and run the stages
  // after the crawl, while the event loop keeps fetching. 0: one per core;
  // 1: everything on the fetching thread (scan). The daemon's workers share
  // one pool of this many threads.
  int workers = 0;
  // A seed's parsed pages stay in memory until its crawl is over and it has
  // been scored; new seeds wait while the seeds in flight hold more than
  // this many bytes of HTML. Pages are charged as they arrive (a seed that
  // has received nothing yet counts 16 KiB), so a thousand seeds stuck on a
  // tarpit all run at once instead of queueing behind each other. One seed
  // always runs. Parsed pages take about 2.5x their HTML in memory.
  int64_t max_held_bytes = 48LL << 20;
  // Parsed pages kept by body hash (extractors/page_cache.h), so a body seen
  // again (a phishing kit deployed unchanged on many domains) is not parsed
  // again. 0: off.
  int64_t page_cache_bytes = 16LL << 20;

  // ---- external scripts (crawler/scripts.h) ----
  // Fetch the <script src> files of the seed's pages (the site's own and
  // other domains', not well-known libraries on public CDNs) so the
  // extractors read them too. Each costs one fetch and its bytes.
  bool fetch_scripts = true;
  int max_scripts = 16;                       // script fetches per seed
  int64_t max_script_bytes = 1 << 20;         // decoded bytes kept of each script
  int64_t max_scripts_total_bytes = 4 << 20;  // decoded script bytes kept per seed

  // ---- evidence ----
  std::string evidence_dir;                // default: <state_dir>/evidence

  // ---- distributed mode (dragnet daemon) ----
  int64_t recrawl_after_ms = 24LL * 3600 * 1000;
  int64_t visibility_timeout_ms = 5LL * 60 * 1000;
  int max_attempts = 5;
};

// Reads the [crawl] table of `root` (may be null) over the defaults in `out`.
Status ParseCrawlOptions(const toml::table* root, CrawlOptions& out);
// Range checks and resolve-pin syntax. Run once the file and the command-line
// flags are both applied (app::LoadConfig), so a flag cannot bypass them.
Status ValidateCrawlOptions(const CrawlOptions& o);

}  // namespace dragnet::crawler
