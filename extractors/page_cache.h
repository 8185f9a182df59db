#pragma once
// PageCache: ParsePage (extractors/page.h) memoised by body hash, so a body
// that arrives again is not parsed again (issue #7).
//
// Why: phishing kits are deployed byte-identically on hundreds of domains,
// usually under the same path, and Gumbo is about a third of crawl CPU. A
// Page depends on its URL only through relative references, which resolve
// against the URL's origin (scheme://host[:port]) plus its path and query.
// So the cache parses a repeated body once against a sentinel URL that keeps
// the scheme, path and query but puts a per-cache random host under the
// RFC 2606-reserved name dragnet-rebase.invalid in place of the origin, keeps
// that Page, and on every use writes the real origin over the sentinel one at
// the start of each resolved-URL field (url, links, forms[].action,
// scripts[].src, iframes, images[].src, favicon, meta_refresh, js_redirects,
// base_href).
// Raw fields (title, lang, meta, text, attrs, inputs, inline scripts and their
// types, comments, hidden_text) are the body's own bytes and are never
// touched. Links, iframes and JS redirects are
// deduplicated again afterwards, because a kit's absolute link to its real
// host and a relative link become the same URL there.
//
// The invariant: Parse(html, sha256(html), url, limits) returns exactly what
// ParsePage(html, url, limits) returns, field for field (ParsePage is a
// deterministic function of its arguments). Whenever that is not certain,
// Parse falls back to ParsePage, uncached: the URL does not parse, is not in
// the normal form resolution writes back (so the textual origin swap could
// differ), has userinfo, a fragment, a backslash or an IPv6 literal; the body
// names dragnet-rebase.invalid; the sentinel host shows up in a resolved
// field other than as its leading origin (an entity-encoded or IDN-mapped
// reference can spell a host the body text does not); the page reached
// PageLimits::max_links (the dedup above could not be redone exactly).
// tests/unit/extractors/page_cache_test.cc checks the invariant on every
// fixture page under several origins.
//
// The key is (body SHA-256, body size, scheme, path + query, every field of
// PageLimits). The caller passes the SHA-256 it already has (PageSummary::
// sha256); it must be the hash of `html`, or the invariant is the caller's
// problem.
//
// Admission: the first sighting of a key only records a 64-bit fingerprint
// of it in a FIFO of kMaxSeenKeys; the second parses against the sentinel
// and inserts; later ones hit. One-off pages so never take cache memory.
// Bodies found uncacheable at admission get a small negative entry, so they
// are not re-checked on every sighting.
//
// Memory: the approximate size of the cached Pages and keys (ApproxBytes)
// stays <= max_bytes; least recently used entries are evicted first; a Page
// larger than max_bytes / 8 is never cached. The seen-once FIFO adds at most
// ~3 MiB (kMaxSeenKeys fingerprints in a ring and a hash set), allocated on
// first use.
//
// Threads: one PageCache is shared by every crawl thread of a process; all
// methods are thread-safe. One mutex guards the tables and is held for
// lookups and insertions only (microseconds); parsing and the copy that
// rebases a cached Page happen outside it, on shared_ptr<const Page>s that
// are never modified once cached.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/model.h"
#include "extractors/page.h"

namespace dragnet::extractors {

// Approximate heap and object bytes held by `page`: every string's capacity
// when it is heap-allocated, every vector's capacity times its element size,
// map nodes. What the cache charges against max_bytes.
size_t ApproxBytes(const Page& page);

class PageCache {
 public:
  // First sightings remembered (fingerprints, FIFO). 64K covers the distinct
  // bodies of a busy daemon's last hours; a kit seen less often than that
  // is parsed twice before it is cached.
  static constexpr size_t kMaxSeenKeys = 64u << 10;
  // The host part every sentinel host ends with ("<nonce>." + this).
  static constexpr std::string_view kSentinelDomain = "dragnet-rebase.invalid";

  struct Stats {
    uint64_t hits = 0;       // served from a cached Page
    uint64_t misses = 0;     // cacheable call, no entry (first sightings and admissions)
    uint64_t bypassed = 0;   // not cacheable: disabled, URL shape, body known uncacheable
    uint64_t inserts = 0;    // Pages cached
    uint64_t rejected = 0;   // bodies found uncacheable at admission (negative entries)
    uint64_t evictions = 0;  // entries dropped to stay within max_bytes
    size_t entries = 0;      // entries now held (cached Pages and negative entries)
    size_t bytes = 0;        // their approximate size; <= max_bytes
  };

  // `max_bytes` caps the cached Pages' approximate size; 0 disables the
  // cache (Parse is ParsePage).
  explicit PageCache(size_t max_bytes);
  PageCache(const PageCache&) = delete;
  PageCache& operator=(const PageCache&) = delete;
  ~PageCache();

  // ParsePage(html, url, limits), from the cache when it can. `body_sha256`
  // is the SHA-256 of `html` (any fixed encoding, e.g. core/hash.h
  // Sha256Hex); empty means "do not cache".
  Page Parse(std::string_view html, const std::string& body_sha256, const std::string& url,
             const PageLimits& limits = {});

  Stats stats() const;
  size_t max_bytes() const { return max_bytes_; }
  // The host this cache parses repeated bodies against:
  // "r<16 hex>.dragnet-rebase.invalid", random per cache. Exposed for tests.
  const std::string& sentinel_host() const { return sentinel_host_; }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Page> page;  // null: negative entry (uncacheable body)
    size_t bytes = 0;
  };
  using Lru = std::list<Entry>;  // most recently used first

  // Records the first sighting of `fp`; true when it had been seen already.
  bool SeenBefore(uint64_t fp);  // requires mu_
  // Inserts or refreshes `key`; evicts from the LRU tail to stay in budget.
  void Insert(std::string key, std::shared_ptr<const Page> page, size_t bytes);  // requires mu_

  const size_t max_bytes_;
  const std::string sentinel_host_;  // per-cache random label + kSentinelDomain

  mutable std::mutex mu_;
  Lru lru_;                                                  // GUARDED_BY(mu_)
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views of lru_ keys, GUARDED_BY(mu_)
  size_t bytes_ = 0;                                         // GUARDED_BY(mu_)
  std::vector<uint64_t> seen_ring_;                          // FIFO of fingerprints, GUARDED_BY(mu_)
  size_t seen_next_ = 0;                                     // next ring slot, GUARDED_BY(mu_)
  std::unordered_set<uint64_t> seen_;                        // what the ring holds, GUARDED_BY(mu_)
  uint64_t hits_ = 0, misses_ = 0, inserts_ = 0, rejected_ = 0, evictions_ = 0;  // GUARDED_BY(mu_)
  std::atomic<uint64_t> bypassed_{0};
};

}  // namespace dragnet::extractors
