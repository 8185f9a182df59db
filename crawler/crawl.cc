#include "crawler/crawl.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <unordered_set>

#include "core/clock.h"
#include "core/hash.h"
#include "core/strings.h"
#include "core/text.h"
#include "core/url.h"
#include "core/work_pool.h"
#include "crawler/favicon.h"
#include "extractors/page.h"
#include "extractors/page_cache.h"

namespace dragnet::crawler {
namespace {

void AddUnique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// The header block as evidence: the bytes as received when the fetcher kept
// them, else (hops made without a response) rebuilt from the fields.
std::string HeaderBlock(const Hop& h) {
  if (!h.raw_headers.bytes.empty()) return h.raw_headers.bytes;
  std::string out = "HTTP/" + h.http_version + " " + std::to_string(h.status) + "\r\n";
  for (const auto& [k, v] : h.headers) out += k + ": " + v + "\r\n";
  return out;
}

}  // namespace

bool LooksLikeHtml(const std::string& content_type, std::string_view body) {
  std::string ct = AsciiLower(content_type);
  if (ct.find("html") != std::string::npos) return true;
  if (!ct.empty() && ct.find("text/plain") == std::string::npos &&
      ct.find("octet-stream") == std::string::npos) {
    return false;
  }
  // Servers of scam kits often send no or a wrong type: sniff the start.
  size_t i = 0;
  while (i < body.size() && i < 512 && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
  std::string head = AsciiLower(std::string(body.substr(i, 64)));
  return head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0 ||
         head.rfind("<head", 0) == 0 || head.rfind("<body", 0) == 0 ||
         head.rfind("<meta", 0) == 0 || head.rfind("<script", 0) == 0 ||
         head.rfind("<title", 0) == 0 || head.rfind("<!--", 0) == 0;
}

// ---------------------------------------------------------------------------
// One seed's crawl state. Lives until the fetcher has drained; all callbacks
// run on the fetcher's thread.
// ---------------------------------------------------------------------------
namespace {

// What a seed counts against max_held_bytes before its first page arrives
// (the median page of scam sites is tens of KB); after that, what it holds.
constexpr int64_t kExpectedPageBytes = 16 << 10;

// Page caps whose hitting hides content from the extractors (the rest, such
// as max_links, only bound bookkeeping): recorded as concealment too.
bool CapHidesContent(const std::string& limit) {
  return limit == "max_input_bytes" || limit == "max_text_bytes" || limit == "max_script_bytes" ||
         limit == "max_depth";
}

int64_t MonoNow() { return SystemClock::Instance().MonotonicMs(); }

struct Pending {
  std::string url;
  std::string via;
  int depth = 0;
  uint64_t order = 0;
};

class SeedCrawl {
 public:
  // `tasks` takes the CPU work of each fetch (inline when it is not
  // parallel); `idle` runs once the seed has nothing left in flight (its
  // crawl is over). `priority`: of every request of this seed (its index in
  // the seed list).
  SeedCrawl(const CrawlOptions& o, EvidenceStore* ev, const std::string& tool, Fetcher* f,
            TaskGroup* tasks, extractors::PageCache* cache, std::string seed, uint64_t priority,
            std::function<void()> idle, const extractors::Platforms* platforms = nullptr)
      : opts_(o), evidence_(ev), fetcher_(f), tasks_(tasks), cache_(cache), idle_(std::move(idle)),
        priority_(priority), scripts_(o, platforms) {
    raw_seed_ = std::move(seed);
    // The seed as text: it may hold any bytes a user or a feed gave.
    out_.result.seed = ToText(raw_seed_);
    out_.result.started_at = FormatRfc3339Ms(SystemClock::Instance().NowUnixMs());
    if (ev) manifest_ = std::make_unique<ManifestWriter>(ev, out_.result.seed, tool);
    InitScripts();
  }

  void Start() {
    auto u = ParseUrl(raw_seed_);
    if (!u.ok()) {
      out_.seed_valid = false;
      out_.result.errors.push_back(u.status().message());
      return;
    }
    if (opts_.site_timeout_ms > 0) deadline_ = MonoNow() + opts_.site_timeout_ms;
    script_env_.deadline_mono_ms = deadline_;
    chain_budget_ = opts_.max_redirects;
    FetchChainHop(u->normalized, "seed");
  }

  // Cancel() came before this seed started: it is done, not crawled.
  void MarkNotStarted() {
    out_.interrupted = true;
    out_.result.errors.push_back("interrupted: the scan was stopped before this seed was crawled");
  }

  // True when nothing was started (an invalid seed): the crawl is over.
  bool idle() const { return outstanding_ == 0; }
  // What this seed counts against max_held_bytes: the HTML it holds parsed
  // (its pages live until it is done), and from the start what it may come
  // to hold (max_pages pages, one at depth 0, of kExpectedPageBytes), so a
  // long seed list is not all admitted before any page arrives. Kept added
  // into `*total` (the crawl's sum; loop thread).
  int64_t charged() const { return std::max(kExpectedPageBytes, held_bytes_); }
  void set_held_total(int64_t* total) {
    held_total_ = total;
    *total += charged();
  }

  CrawlOutcome Finish(bool keep_manifest_open = false) {
    try {
      return FinishUnsafe(keep_manifest_open);
    } catch (const std::exception& e) {
      // A broken invariant of ours (or bad_alloc) ends this seed, not the scan.
      spdlog::warn("crawl: {}: internal error while finishing: {}", ToPrintable(out_.result.seed), e.what());
      out_.result.errors.push_back(std::string("internal: finishing the crawl failed: ") + e.what());
      return std::move(out_);
    }
  }

  CrawlOutcome FinishUnsafe(bool keep_manifest_open) {
    if (manifest_ && keep_manifest_open) {
      out_.manifest = std::shared_ptr<ManifestWriter>(std::move(manifest_));  // written by the caller
    } else if (manifest_ && manifest_->size() > 0) {
      auto path = manifest_->Write();
      if (path.ok()) {
        out_.result.evidence_manifest = *path;
        out_.evidence_head = manifest_->head();
      } else {
        out_.result.errors.push_back("evidence: " + path.status().message());
      }
    }
    FinishScripts();
    std::stable_sort(pages_.begin(), pages_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [order, cp] : pages_) {
      out_.result.pages.push_back(
          {cp.final_url, cp.status, cp.body_sha256, cp.bytes, cp.page ? cp.page->title : "", cp.error});
      out_.pages.push_back(std::move(cp));
    }
    out_.result.finished_at = FormatRfc3339Ms(SystemClock::Instance().NowUnixMs());
    return std::move(out_);
  }

 private:
  // --- the redirect chain: seed -> http hops -> meta/js hops -> landing ---
  void FetchChainHop(const std::string& url, const std::string& via) {
    if (!Budget()) return;
    FetchRequest req;
    req.url = url;
    req.via = via;
    req.redirect_budget = chain_budget_;
    req.seen = chain_seen_;
    req.priority = priority_;
    req.deadline_mono_ms = deadline_;
    uint64_t order = next_order_++;
    fetched_.insert(url);
    ++outstanding_;
    fetcher_->Add(std::move(req), [this, via, order](FetchResult r) {
      for (size_t i = 0; i < r.hops.size(); ++i) {
        const Hop& h = r.hops[i];
        RedirectStep step{h.url, h.status, i == 0 ? via : "http", h.ip};
        out_.result.redirects.push_back(step);
        if (auto n = ParseUrl(h.url); n.ok()) chain_seen_.insert(n->normalized);
      }
      chain_budget_ -= r.redirects_followed;
      Record(std::move(r), via, 0, order, [this](CrawledPage* cp) { OnChainPage(cp); });
    });
  }

  void OnChainPage(CrawledPage* cp) {
    out_.result.final_url = cp->final_url.empty() ? cp->url : cp->final_url;
    // Meta refresh and JS redirects continue the chain.
    if (cp->page) {
      std::string next;
      std::string how;
      RecordRefusedRefresh(*cp);
      if (!cp->page->meta_refresh.empty()) {
        next = cp->page->meta_refresh;
        how = "meta";
      } else if (!cp->page->js_redirects.empty()) {
        next = cp->page->js_redirects.front();
        how = "js";
      }
      if (!next.empty()) {
        auto n = ParseUrl(next);
        if (!n.ok()) {
          out_.result.errors.push_back(how + " redirect to '" + next + "' refused: " + n.status().message());
        } else if (chain_seen_.count(n->normalized)) {
          AddUnique(out_.result.limits_hit, "redirect_loop");
          out_.result.errors.push_back("redirect loop: " + how + " redirect back to " + n->normalized);
        } else if (chain_budget_ <= 0) {
          AddUnique(out_.result.limits_hit, "max_redirects");
          out_.result.errors.push_back("too many redirects (max_redirects=" +
                                       std::to_string(opts_.max_redirects) + ")");
        } else {
          chain_budget_--;
          chain_seen_.insert(n->normalized);
          FetchChainHop(n->normalized, how);
          return;
        }
      }
    }
    // Landing page reached: its favicon, then its site.
    auto landing = ParseUrl(out_.result.final_url);
    if (landing.ok()) scope_ = landing->RegistrableDomain();
    if (cp->page && opts_.fetch_favicon) FetchFavicon(cp->page->favicon);
    if (cp->page) Expand(*cp);
  }

  // A meta refresh whose target is not http(s) (file:, javascript:, data:)
  // is not followed, and says so: a kit that sends some visitors elsewhere
  // is a fact worth keeping.
  void RecordRefusedRefresh(const CrawledPage& cp) {
    if (!cp.page->meta_refresh.empty()) return;
    auto it = cp.page->meta.find("refresh");
    if (it == cp.page->meta.end()) return;
    std::string target = extractors::MetaRefreshTarget(it->second);
    if (target.empty()) return;
    auto base = ParseUrl(cp.final_url.empty() ? cp.url : cp.final_url);
    if (!base.ok()) return;
    auto n = ResolveUrl(*base, target);
    if (n.ok()) return;  // followed (or refused later) as an http(s) hop
    out_.result.errors.push_back("meta redirect to '" + CutText(target, 512) +
                                 "' not followed: " + n.status().message());
  }

  // --- the site: links within the landing domain, iframes anywhere ---
  void Expand(const CrawledPage& cp) {
    if (!cp.page) return;
    if (opts_.follow_iframes) {
      for (const auto& f : cp.page->iframes) Enqueue(f, "iframe", cp.depth + 1, /*any_domain=*/true);
    }
    if (cp.depth >= opts_.depth) return;
    for (const auto& l : cp.page->links) Enqueue(l, "link", cp.depth + 1, false);
  }

  void Enqueue(const std::string& url, const std::string& via, int depth, bool any_domain) {
    auto u = ParseUrl(url);
    if (!u.ok()) return;  // mailto:, javascript:, garbage: not ours to fetch
    if (fetched_.count(u->normalized)) return;
    if (!any_domain && u->RegistrableDomain() != scope_) return;
    if (via == "iframe" && depth > opts_.depth + 1) return;
    if (!Budget()) return;
    fetched_.insert(u->normalized);
    FetchRequest req;
    req.url = u->normalized;
    req.via = via;
    req.priority = priority_;
    req.deadline_mono_ms = deadline_;
    uint64_t order = next_order_++;
    ++outstanding_;
    fetcher_->Add(std::move(req), [this, via, depth, order](FetchResult r) {
      Record(std::move(r), via, depth, order, [this](CrawledPage* cp) { Expand(*cp); });
    });
  }

  // The landing page's icon (crawler/favicon.h): one request through the
  // same fetcher, kept as evidence, hashed for the result; not a page of the
  // site (no max_pages slot, not in pages[]).
  void FetchFavicon(const std::string& url) {
    auto u = ParseUrl(url);
    if (!u.ok()) return;
    ++outstanding_;
    fetcher_->Add(FaviconRequest(u->normalized, priority_), [this](FetchResult r) {
      FaviconRecord rec = RecordFavicon(r, evidence_, manifest_.get(), opts_.max_favicon_bytes);
      if (rec.favicon) out_.result.favicon = std::move(rec.favicon);
      if (rec.too_large) AddUnique(out_.result.limits_hit, "max_favicon_bytes");
      if (!rec.error.empty()) out_.result.errors.push_back(rec.error);
      for (const Hop& h : r.hops) AddUnique(out_.ips, h.ip);
      if (--outstanding_ == 0 && idle_) idle_();
    });
  }

  bool Budget() {
    if (static_cast<int>(fetched_.size()) >= opts_.max_pages) {
      AddUnique(out_.result.limits_hit, "max_pages");
      return false;
    }
    if (deadline_ > 0 && MonoNow() >= deadline_) {
      if (std::find(out_.result.limits_hit.begin(), out_.result.limits_hit.end(), "site_timeout") ==
          out_.result.limits_hit.end()) {
        out_.result.limits_hit.push_back("site_timeout");
        out_.result.errors.push_back("site_timeout (" + std::to_string(opts_.site_timeout_ms) +
                                     " ms) reached: the rest of the site was not crawled");
      }
      return false;
    }
    return true;
  }

  // One fetch on its way to becoming a CrawledPage. Store() runs off the
  // loop (pool thread): hashing, evidence blobs, HTML parsing. Complete()
  // runs on the loop: manifest, bookkeeping, the continuation.
  struct Job {
    FetchResult r;
    std::string via;
    int depth = 0;
    uint64_t order = 0;
    std::function<void(CrawledPage*)> then;
    // ---- computed by Store() ----
    std::vector<std::string> header_sha;  // per hop; empty when not stored
    std::vector<std::string> header_text; // per hop; the block when kept inline
    std::string raw_sha, body_sha;        // evidence blobs of the last hop
    bool store_failed = false;
    std::string store_error;              // why, with the path
    size_t raw_size = 0, body_size = 0;
    CrawledPage cp;
    std::string internal_error;           // set when Store() threw
    bool completed = false;               // Complete() counted this fetch down
  };

  // Hands one fetch to the pool (or does it inline) and continues with
  // `then` on the loop once it is stored and parsed.
  void Record(FetchResult r, const std::string& via, int depth, uint64_t order,
              std::function<void(CrawledPage*)> then) {
    auto job = std::make_shared<Job>();
    job->r = std::move(r);
    job->via = via;
    job->depth = depth;
    job->order = order;
    job->then = std::move(then);
    if (!tasks_->parallel()) {
      SafeStore(*job);
      SafeComplete(*job);
      return;
    }
    fetcher_->Hold();
    tasks_->Submit([this, job] {
      SafeStore(*job);
      fetcher_->Resume([this, job] { SafeComplete(*job); });
    });
  }

  // An exception from hashing, storing or parsing one page (a broken
  // invariant of ours, bad_alloc) is that page's error; the crawl goes on.
  void SafeStore(Job& j) const {
    try {
      Store(j);
    } catch (const std::exception& e) {
      j.cp.page.reset();
      j.internal_error = std::string("internal: storing or parsing the page failed: ") + e.what();
    }
  }

  // Complete must run once per fetch whatever happens (it counts the
  // seed's outstanding work down); what throws inside it is recorded.
  void SafeComplete(Job& j) {
    try {
      Complete(j);
    } catch (const std::exception& e) {
      out_.result.errors.push_back(std::string("internal: recording a fetch failed: ") + e.what());
      if (!j.completed && --outstanding_ == 0 && idle_) idle_();
    }
  }

  // Thread-safe: reads only the job, the options and the (thread-safe)
  // evidence store.
  void Store(Job& j) const {
    FetchResult& r = j.r;
    CrawledPage& cp = j.cp;
    cp.url = r.hops.empty() ? std::string() : r.hops.front().url;
    cp.final_url = r.final_url.empty() ? cp.url : r.final_url;
    cp.via = j.via;
    cp.depth = j.depth;
    cp.status = r.status;
    cp.content_type = r.content_type;
    cp.error = r.error;
    j.header_sha.resize(r.hops.size());
    j.header_text.resize(r.hops.size());
    for (size_t i = 0; i < r.hops.size(); ++i) {
      const Hop& h = r.hops[i];
      if (!manifest_ || h.status <= 0) continue;
      std::string block = HeaderBlock(h);
      if (InlineableHeaders(block)) {
        // Inline in the manifest entry: one file less per response.
        j.header_sha[i] = Sha256Hex(block);
        j.header_text[i] = std::move(block);
      } else {
        auto hs = evidence_->PutBlob(block);
        if (hs.ok()) j.header_sha[i] = *hs;
      }
      if (i + 1 == r.hops.size()) {
        // Hash each byte once: without a content encoding the raw and
        // decoded bodies are the same blob.
        auto body = evidence_->PutBlob(r.body);
        auto raw = r.raw_body == r.body ? body : evidence_->PutBlob(r.raw_body);
        if (raw.ok()) j.raw_sha = *raw;
        if (body.ok()) j.body_sha = *body;
        j.store_failed = !raw.ok() || !body.ok();
        if (j.store_failed) j.store_error = !body.ok() ? body.status().message() : raw.status().message();
      }
    }
    j.raw_size = r.raw_body.size();
    j.body_size = r.body.size();
    cp.bytes = j.raw_size;
    if (r.status > 0) cp.body_sha256 = j.body_sha.empty() ? Sha256Hex(r.body) : j.body_sha;
    if (r.status > 0 && LooksLikeHtml(r.content_type, r.body)) {
      cp.page = cache_ ? cache_->Parse(r.body, cp.body_sha256, cp.final_url)
                       : extractors::ParsePage(r.body, cp.final_url);
    }
    // The bodies live on as evidence blobs; nothing after this reads them.
    std::string().swap(r.body);
    std::string().swap(r.raw_body);
  }

  void Complete(Job& j) {
    const FetchResult& r = j.r;
    for (const auto& l : r.limits_hit) AddUnique(out_.result.limits_hit, l);
    if (r.error_kind == "cancelled") out_.interrupted = true;
    if (!j.internal_error.empty()) out_.result.errors.push_back(j.cp.url + ": " + j.internal_error);
    RecordConcealment(j);
    for (size_t i = 0; i < r.hops.size(); ++i) {
      const Hop& h = r.hops[i];
      AddUnique(out_.ips, h.ip);
      if (h.status > 0) out_.reachable = true;
      if (manifest_) {
        Capture c;
        c.url = h.url;
        c.final_url = r.final_url;
        c.via = i == 0 ? j.via : "http";
        c.time = FormatRfc3339Ms(r.started_unix_ms);
        c.status = h.status;
        c.remote_ip = h.ip;
        c.remote_port = h.port;
        c.http_version = h.http_version;
        c.tls = h.tls;
        c.error = h.error;
        c.headers_sha256 = j.header_sha[i];
        c.headers = std::move(j.header_text[i]);
        if (i + 1 == r.hops.size()) {
          c.content_type = r.content_type;
          c.limits_hit = r.limits_hit;
          if (h.status > 0) {
            c.raw_sha256 = j.raw_sha;
            c.body_sha256 = j.body_sha;
            if (j.store_failed) {
              out_.result.errors.push_back("evidence: cannot store the body of " + h.url + ": " + j.store_error);
            }
            c.raw_size = j.raw_size;
            c.body_size = j.body_size;
          }
        }
        manifest_->Add(std::move(c));
      }
      out_.hops.push_back(h);
    }
    if (!r.error.empty()) out_.result.errors.push_back(j.cp.url + ": " + r.error);
    // A deque: references stay valid while callbacks add more pages.
    if (j.cp.page) {
      int64_t before = charged();
      held_bytes_ += static_cast<int64_t>(j.body_size);
      if (held_total_) *held_total_ += charged() - before;
    }
    pages_.emplace_back(j.order, std::move(j.cp));
    CrawledPage* cp = &pages_.back().second;
    j.then(cp);
    j.completed = true;
    if (cp->page) scripts_.OnPage(*cp->page, scope_, script_env_);
    if (--outstanding_ == 0 && idle_) idle_();
  }

  // Nothing hides silently: a body that did not decode, an encoding no
  // browser decodes, a body or page cut at a cap is recorded (errors,
  // limits_hit) and kept as concealment for the verdict.
  void RecordConcealment(const Job& j) {
    const FetchResult& r = j.r;
    const std::string& url = j.cp.final_url.empty() ? j.cp.url : j.cp.final_url;
    if (!r.decode_error.empty() && r.status > 0) {
      out_.result.errors.push_back(url + ": content decoding failed (Content-Encoding '" +
                                   CutText(r.content_encoding, 64) + "'): " + r.decode_error);
      out_.concealment.push_back(url + " sent a body that does not decode (Content-Encoding '" +
                                 CutText(r.content_encoding, 64) + "': " + r.decode_error + ")");
    }
    if (r.truncated && r.status > 0) {
      out_.concealment.push_back(url + " sent a body larger than the crawler reads (cut at " +
                                 (std::find(r.limits_hit.begin(), r.limits_hit.end(), "max_decoded_bytes") !=
                                          r.limits_hit.end()
                                      ? "max_decoded_bytes"
                                      : "max_body_bytes") +
                                 ")");
    }
    if (j.cp.page) {
      for (const std::string& cap : j.cp.page->truncated_by) {
        AddUnique(out_.result.limits_hit, cap);
        if (CapHidesContent(cap)) {
          out_.concealment.push_back(url + " is larger than the page reader reads (cut at " + cap + ")");
        }
      }
    }
  }

  // --- external scripts (crawler/scripts.h): fetched on this seed's
  // fetcher, recorded in its manifest, keeping the seed open meanwhile ---
  void InitScripts() {
    script_env_.fetcher = fetcher_;
    script_env_.evidence = evidence_;
    script_env_.manifest = manifest_.get();
    script_env_.priority = priority_;
    script_env_.begin = [this] { ++outstanding_; };
    script_env_.end = [this] {
      if (--outstanding_ == 0 && idle_) idle_();
    };
  }
  void FinishScripts() {
    for (const auto& l : scripts_.limits_hit()) AddUnique(out_.result.limits_hit, l);
    out_.scripts = scripts_.Take();
    for (const CrawledScript& s : out_.scripts) {
      if (!s.error.empty()) out_.result.errors.push_back("script " + s.url + ": " + s.error);
    }
  }

  const CrawlOptions& opts_;
  EvidenceStore* evidence_;
  Fetcher* fetcher_;
  TaskGroup* tasks_;
  extractors::PageCache* cache_;
  std::function<void()> idle_;
  uint64_t priority_;
  std::string raw_seed_;   // as given (bytes), for parsing
  int64_t deadline_ = 0;   // monotonic ms by which the site's crawl ends; 0: none
  int outstanding_ = 0;  // fetches added and not yet Complete()d
  int64_t held_bytes_ = 0;
  int64_t* held_total_ = nullptr;
  std::unique_ptr<ManifestWriter> manifest_;
  CrawlOutcome out_;
  std::set<std::string> chain_seen_;
  std::unordered_set<std::string> fetched_;
  int chain_budget_ = 0;
  std::string scope_;
  uint64_t next_order_ = 0;
  std::deque<std::pair<uint64_t, CrawledPage>> pages_;
  ScriptFetch scripts_;
  ScriptFetch::Env script_env_;
};

}  // namespace

SiteCrawler::SiteCrawler(const CrawlOptions& options, EvidenceStore* evidence,
                         std::string tool_version, WorkPool* pool, extractors::PageCache* page_cache)
    : options_(options), evidence_(evidence), tool_version_(std::move(tool_version)), pool_(pool),
      page_cache_(page_cache) {}

void SiteCrawler::CrawlEach(const std::vector<std::string>& seeds, const SeedDone& done) {
  Fetcher fetcher(options_);
  // Seeds are admitted in input order while fewer than global_concurrency
  // are in flight (each needs a connection) and the parsed pages held by
  // seeds not yet done stay under max_held_bytes; a seed's pages are freed
  // once `done` returns. At least one seed is always in flight.
  const size_t max_active = static_cast<size_t>(std::max(1, options_.global_concurrency));
  const int64_t budget = options_.max_held_bytes;
  std::vector<std::unique_ptr<SeedCrawl>> crawls(seeds.size());
  size_t next = 0, active = 0;
  int64_t held = 0;  // HTML bytes parsed by seeds not yet released (loop thread)
  std::function<void()> admit;
  // This crawl's tasks on the (possibly shared) pool. Declared after the
  // state its tasks reference, so that an early exit still waits for them
  // before that state goes.
  TaskGroup tasks(pool_);
  // Runs on the loop thread once seed i's `done` has returned.
  auto released = [&](size_t i, int64_t bytes) {
    held -= bytes;
    crawls[i].reset();
    --active;
    admit();
  };
  // Called from inside the seed's last callback: the release is posted to
  // the loop, never run here (the SeedCrawl is still on the stack, and a run
  // of refused seeds must not recurse).
  auto finish = [&](size_t i) {
    SeedCrawl* c = crawls[i].get();
    int64_t bytes = c->charged();
    fetcher.Hold();
    auto work = [&, c, i, bytes] {
      done(i, c->Finish(keep_manifest_open_));
      fetcher.Resume([&, i, bytes] { released(i, bytes); });
    };
    tasks.Submit(work);  // inline when there is no pool, or it has no threads
  };
  admit = [&] {
    while (next < seeds.size() && (active == 0 || (active < max_active && held < budget))) {
      size_t i = next++;
      ++active;
      // unique_ptr: callbacks hold `this` of each SeedCrawl, so it must not move.
      crawls[i] = std::make_unique<SeedCrawl>(options_, evidence_, tool_version_, &fetcher, &tasks, page_cache_, seeds[i],
                                              static_cast<uint64_t>(i), [&finish, i] { finish(i); }, platforms_);
      crawls[i]->set_held_total(&held);
      if (cancelled_.load()) {
        crawls[i]->MarkNotStarted();
      } else {
        crawls[i]->Start();
      }
      if (crawls[i]->idle()) finish(i);  // refused before any fetch
    }
  };
  fetcher_.store(&fetcher);
  if (cancelled_.load()) fetcher.Cancel();  // a Cancel() that came before the fetcher
  admit();
  fetcher.Run();
  tasks.Wait();
  fetcher_.store(nullptr);
}

void SiteCrawler::Cancel() {
  cancelled_.store(true);
  Fetcher* f = fetcher_.load();
  if (f != nullptr) f->Cancel();
}

std::vector<CrawlOutcome> SiteCrawler::CrawlAll(const std::vector<std::string>& seeds) {
  std::vector<CrawlOutcome> out(seeds.size());
  CrawlEach(seeds, [&out](size_t i, CrawlOutcome co) { out[i] = std::move(co); });
  return out;
}

}  // namespace dragnet::crawler
