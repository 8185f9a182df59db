#include "extractors/page_cache.h"

#include <functional>
#include <optional>
#include <utility>

#include "core/hash.h"
#include "core/strings.h"
#include "core/url.h"
#include "extractors/url_fast.h"

namespace dragnet::extractors {
namespace {

// ------------------------------------------------------------------ sizes ---

// Bytes a std::string keeps inside the object (no heap block below this).
const size_t kSsoCapacity = std::string().capacity();

size_t Heap(const std::string& s) { return s.capacity() > kSsoCapacity ? s.capacity() + 1 : 0; }

template <typename T>
size_t VecHeap(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

size_t Heap(const std::vector<std::string>& v) {
  size_t n = VecHeap(v);
  for (const std::string& s : v) n += Heap(s);
  return n;
}

// A std::map / std::list / std::unordered_map node's own bookkeeping
// (pointers, colour, hash), on top of its value.
constexpr size_t kNodeOverhead = 32;

// An entry's own cost besides its Page and key: the Entry in its list node
// and the index's node and bucket.
constexpr size_t kEntryOverhead = sizeof(std::string) + sizeof(std::shared_ptr<const Page>) + sizeof(size_t) +
                                  2 * kNodeOverhead + sizeof(std::string_view) + 2 * sizeof(void*);

// ------------------------------------------------------------------- keys ---

// Every field of PageLimits, as bytes: a Page depends on all of them. When a
// field is added to PageLimits this assertion fails until it is added here.
static_assert(sizeof(PageLimits) == 17 * sizeof(size_t), "PageLimits changed: add the new field to AppendLimits");
void AppendLimits(const PageLimits& l, std::string& key) {
  auto put = [&key](auto v) { key.append(reinterpret_cast<const char*>(&v), sizeof(v)); };
  put(l.max_input_bytes);
  put(l.max_depth);
  put(l.max_text_bytes);
  put(l.max_script_bytes);
  put(l.max_links);
  put(l.max_forms);
  put(l.max_inputs_per_form);
  put(l.max_scripts);
  put(l.max_iframes);
  put(l.max_images);
  put(l.max_meta);
  put(l.max_attrs);
  put(l.max_attr_value_bytes);
  put(l.max_js_redirects);
  put(l.max_comments);
  put(l.max_comment_bytes);
  put(l.max_hidden_text_bytes);
}

bool ContainsNoCase(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.empty()) return true;
  if (haystack.size() < lower_needle.size()) return false;
  const size_t last = haystack.size() - lower_needle.size();
  for (size_t i = 0; i <= last; ++i) {
    if (AsciiLower(haystack[i]) != lower_needle[0]) continue;
    size_t j = 1;
    while (j < lower_needle.size() && AsciiLower(haystack[i + j]) == lower_needle[j]) ++j;
    if (j == lower_needle.size()) return true;
  }
  return false;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// --------------------------------------------------------- the page's URL ---

// What the cache needs of the page URL, when the origin swap is exact for it.
struct Target {
  std::string origin;  // "https://a.example:8443", as resolution writes it
  std::string scheme;  // "http" or "https"
  std::string path;    // path + "?" + query, normal form
};

// The URL's origin and path, or nullopt when the textual origin swap might not
// give what resolving against `url` gives.
std::optional<Target> TargetOf(const std::string& url) {
  // A fragment, userinfo or a backslash: the raw URL and its normal form part
  // ways in ways this cache does not need to reason about.
  if (url.find_first_of("#\\") != std::string::npos) return std::nullopt;
  size_t auth = url.find("://");
  if (auth == std::string::npos) return std::nullopt;
  auth += 3;
  size_t auth_end = url.find_first_of("/?", auth);
  if (url.find('@', auth) < auth_end) return std::nullopt;

  Result<Url> u = urlfast::ParseUrlOrCurl(url);
  if (!u.ok()) return std::nullopt;
  if (u->host.empty() || u->host.find(':') != std::string::npos) return std::nullopt;  // IPv6 literal
  if (u->path.empty() || u->path.front() != '/') return std::nullopt;
  const std::string& n = u->normalized;
  if (n.size() <= u->path.size() || n.compare(n.size() - u->path.size(), u->path.size(), u->path) != 0) {
    return std::nullopt;
  }
  Target t;
  t.origin = n.substr(0, n.size() - u->path.size());
  t.scheme = u->scheme;
  t.path = u->path;
  // The origin as ParsePage writes the default favicon (scheme, host, port).
  const bool default_port = (u->scheme == "http" && u->port == 80) || (u->scheme == "https" && u->port == 443);
  if (t.origin != u->scheme + "://" + u->host + (default_port ? "" : ":" + std::to_string(u->port))) {
    return std::nullopt;
  }
  // And as resolution against the URL writes it.
  std::optional<std::string> root = urlfast::ResolveOrCurl(*u, "/");
  if (!root || *root != t.origin + "/") return std::nullopt;
  return t;
}

// ------------------------------------------------------------- rebasing ---

// Calls fn(std::string&) on every field of `page` that holds a URL ParsePage
// resolved against the page URL (page.url itself is the argument, as given).
template <typename Page_, typename Fn>
void ForEachResolved(Page_& page, Fn&& fn) {
  for (auto& s : page.links) fn(s);
  for (auto& f : page.forms) fn(f.action);
  for (auto& s : page.scripts) fn(s.src);
  for (auto& s : page.iframes) fn(s);
  for (auto& i : page.images) fn(i.src);
  fn(page.favicon);
  fn(page.meta_refresh);
  for (auto& s : page.js_redirects) fn(s);
  fn(page.base_href);
}

// True when `page`, parsed against `sentinel_origin`, can be rebased exactly:
// the sentinel host appears only as the leading origin of resolved fields,
// and the links list did not reach its cap (the dedup after rebasing could
// not see the links dropped past it).
bool Rebasable(const Page& page, const std::string& sentinel_origin, const PageLimits& limits) {
  if (page.links.size() >= limits.max_links) return false;
  const std::string prefix = sentinel_origin + "/";
  bool ok = true;
  ForEachResolved(page, [&](const std::string& v) {
    if (!StartsWith(v, prefix) && ContainsNoCase(v, PageCache::kSentinelDomain)) ok = false;
  });
  return ok;
}

// Removes later duplicates, keeping the first of each (ParsePage's order).
void DedupKeepFirst(std::vector<std::string>& v) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(v.size());
  std::vector<std::string> out;
  out.reserve(v.size());
  for (std::string& s : v) {
    if (seen.count(s) != 0) continue;
    out.push_back(std::move(s));
    seen.insert(out.back());  // `out` never reallocates (reserved): the view stays valid
  }
  v = std::move(out);
}

// `cached` (parsed against sentinel_origin + path) as ParsePage(…, url) gives it.
Page Rebase(const Page& cached, const std::string& url, const std::string& sentinel_origin,
            const std::string& origin) {
  Page page = cached;
  page.url = url;
  const std::string sentinel_prefix = sentinel_origin + "/";
  const std::string real_prefix = origin + "/";
  auto swap = [&](std::string& v) {
    if (StartsWith(v, sentinel_prefix)) v.replace(0, sentinel_origin.size(), origin);
  };
  ForEachResolved(page, swap);
  // Deduplicated lists: a relative link and an absolute one to the real
  // origin were distinct against the sentinel and may be equal now. The
  // cached copy says which entries were swapped.
  auto fix = [&](const std::vector<std::string>& before, std::vector<std::string>& after) {
    bool swapped = false, real = false;
    for (const std::string& s : before) {
      if (StartsWith(s, sentinel_prefix)) swapped = true;
      else if (StartsWith(s, real_prefix)) real = true;
    }
    if (swapped && real) DedupKeepFirst(after);
  };
  fix(cached.links, page.links);
  fix(cached.iframes, page.iframes);
  fix(cached.js_redirects, page.js_redirects);
  return page;
}

// A random DNS label, so no page can name the sentinel host on purpose: the
// body check for kSentinelDomain sees only literal text, and entity-encoded
// or IDN-mapped references would slip past it.
std::string NewSentinelHost() {
  std::string uuid = RandomUuid();
  std::string label = "r";
  for (char c : uuid) {
    if (c != '-' && label.size() < 17) label.push_back(c);
  }
  return label + "." + std::string(PageCache::kSentinelDomain);
}

}  // namespace

size_t ApproxBytes(const Page& page) {
  size_t n = sizeof(Page);
  n += Heap(page.url) + Heap(page.title) + Heap(page.lang);
  for (const auto& [k, v] : page.meta) {
    n += sizeof(std::pair<const std::string, std::string>) + kNodeOverhead + Heap(k) + Heap(v);
  }
  n += Heap(page.links);
  n += VecHeap(page.forms);
  for (const Form& f : page.forms) {
    n += Heap(f.action) + Heap(f.method) + VecHeap(f.inputs);
    for (const FormInput& in : f.inputs) {
      n += Heap(in.name) + Heap(in.type) + Heap(in.value) + Heap(in.id) + Heap(in.placeholder) +
           Heap(in.autocomplete) + Heap(in.aria_label) + Heap(in.label);
    }
  }
  n += VecHeap(page.scripts);
  for (const Script& s : page.scripts) n += Heap(s.src) + Heap(s.text) + Heap(s.type);
  n += Heap(page.iframes);
  n += VecHeap(page.images);
  for (const Image& i : page.images) n += Heap(i.src) + Heap(i.alt);
  n += Heap(page.favicon) + Heap(page.text);
  n += VecHeap(page.attrs);
  for (const AttrValue& a : page.attrs) n += Heap(a.tag) + Heap(a.name) + Heap(a.value);
  n += Heap(page.meta_refresh) + Heap(page.js_redirects) + Heap(page.truncated_by);
  n += Heap(page.comments) + Heap(page.hidden_text) + Heap(page.base_href);
  return n;
}

PageCache::PageCache(size_t max_bytes) : max_bytes_(max_bytes), sentinel_host_(NewSentinelHost()) {}

PageCache::~PageCache() = default;

Page PageCache::Parse(std::string_view html, const std::string& body_sha256, const std::string& url,
                      const PageLimits& limits) {
  if (max_bytes_ == 0 || body_sha256.empty()) {
    bypassed_.fetch_add(1, std::memory_order_relaxed);
    return ParsePage(html, url, limits);
  }
  std::optional<Target> t = TargetOf(url);
  if (!t) {
    bypassed_.fetch_add(1, std::memory_order_relaxed);
    return ParsePage(html, url, limits);
  }
  std::string key;
  key.reserve(body_sha256.size() + t->scheme.size() + t->path.size() + sizeof(PageLimits) + 24);
  key.append(body_sha256).push_back('\0');
  key.append(std::to_string(html.size())).push_back('\0');
  key.append(t->scheme).push_back('\0');
  key.append(t->path).push_back('\0');
  AppendLimits(limits, key);
  const std::string sentinel_origin = t->scheme + "://" + sentinel_host_;

  std::shared_ptr<const Page> cached;
  bool negative = false, admit = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      cached = it->second->page;
      if (cached) ++hits_;
      else negative = true;
    } else {
      ++misses_;
      admit = SeenBefore(std::hash<std::string_view>()(key));
    }
  }
  if (cached) return Rebase(*cached, url, sentinel_origin, t->origin);
  if (negative) {
    bypassed_.fetch_add(1, std::memory_order_relaxed);
    return ParsePage(html, url, limits);
  }
  if (!admit) return ParsePage(html, url, limits);

  // Second sighting: parse against the sentinel origin, check, keep.
  auto reject = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    ++rejected_;
    Insert(key, nullptr, key.size() + kEntryOverhead);
  };
  const std::string sentinel_url = sentinel_origin + t->path;
  Result<Url> su = urlfast::ParseUrlOrCurl(sentinel_url);
  if (ContainsNoCase(html, kSentinelDomain) || !su.ok() || su->normalized != sentinel_url || su->path != t->path) {
    reject();
    return ParsePage(html, url, limits);
  }
  Page parsed = ParsePage(html, sentinel_url, limits);
  // A copy holds no spare capacity (ParsePage reserves room for 64 attrs,
  // 6 KiB): that is what is kept, and what is charged.
  auto page = std::make_shared<const Page>(parsed);
  const size_t bytes = ApproxBytes(*page) + key.size() + kEntryOverhead;
  if (!Rebasable(parsed, sentinel_origin, limits)) {
    reject();
    return ParsePage(html, url, limits);  // a second parse, once per such body
  }
  if (bytes > max_bytes_ / 8) {
    reject();
    return Rebase(parsed, url, sentinel_origin, t->origin);
  }
  Page out = Rebase(*page, url, sentinel_origin, t->origin);
  {
    std::lock_guard<std::mutex> lock(mu_);
    Insert(std::move(key), std::move(page), bytes);
  }
  return out;
}

bool PageCache::SeenBefore(uint64_t fp) {
  if (seen_.count(fp) != 0) return true;
  if (seen_ring_.size() < kMaxSeenKeys) {
    seen_ring_.push_back(fp);
  } else {
    seen_.erase(seen_ring_[seen_next_]);
    seen_ring_[seen_next_] = fp;
    seen_next_ = (seen_next_ + 1) % kMaxSeenKeys;
  }
  seen_.insert(fp);
  return false;
}

void PageCache::Insert(std::string key, std::shared_ptr<const Page> page, size_t bytes) {
  if (bytes > max_bytes_ / 8) return;  // a negative entry for a huge URL path
  if (auto it = index_.find(key); it != index_.end()) {  // another thread was first
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  while (bytes_ + bytes > max_bytes_ && !lru_.empty()) {
    Entry& victim = lru_.back();
    bytes_ -= victim.bytes;
    index_.erase(victim.key);
    lru_.pop_back();
    ++evictions_;
  }
  if (page) ++inserts_;
  lru_.push_front(Entry{std::move(key), std::move(page), bytes});
  bytes_ += bytes;
  index_.emplace(lru_.front().key, lru_.begin());
}

PageCache::Stats PageCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.hits = hits_;
  s.misses = misses_;
  s.bypassed = bypassed_.load(std::memory_order_relaxed);
  s.inserts = inserts_;
  s.rejected = rejected_;
  s.evictions = evictions_;
  s.entries = lru_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace dragnet::extractors
