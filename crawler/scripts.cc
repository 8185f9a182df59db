#include "crawler/scripts.h"

#include <algorithm>

#include "core/clock.h"
#include "core/hash.h"
#include "core/url.h"
#include "extractors/platforms.h"

namespace dragnet::crawler {
namespace {

std::string HeaderBlock(const Hop& h) {
  std::string out = "HTTP/" + h.http_version + " " + std::to_string(h.status) + "\r\n";
  for (const auto& [k, v] : h.headers) out += k + ": " + v + "\r\n";
  return out;
}

}  // namespace

ScriptFetch::ScriptFetch(const CrawlOptions& options, const extractors::Platforms* platforms)
    : options_(options), platforms_(platforms) {}

void ScriptFetch::Hit(const char* limit) {
  if (std::find(limits_hit_.begin(), limits_hit_.end(), limit) == limits_hit_.end()) limits_hit_.emplace_back(limit);
}

bool ScriptFetch::WorthFetching(const std::string& url, const std::string& site_domain) const {
  (void)site_domain;
  Result<Url> u = ParseUrl(url);
  if (!u.ok()) return false;
  const extractors::Platforms& p = platforms_ ? *platforms_ : *extractors::Platforms::Default();
  return !p.SkippedScript(u->host, u->path);
}

void ScriptFetch::OnPage(const Page& page, const std::string& site_domain, Env& env) {
  if (!options_.fetch_scripts) return;
  const extractors::Platforms& p = platforms_ ? *platforms_ : *extractors::Platforms::Default();
  // The page's candidates: the site's own code and other domains' first,
  // library-named files on the site's own domain after them.
  std::vector<std::string> first, later;
  for (const Script& s : page.scripts) {
    if (s.src.empty() || seen_.count(s.src)) continue;
    Result<Url> u = ParseUrl(s.src);
    if (!u.ok() || p.SkippedScript(u->host, u->path)) continue;
    const bool own = !site_domain.empty() && u->RegistrableDomain() == site_domain;
    (own && p.NamesLibrary(u->path) ? later : first).push_back(u->normalized);
  }
  for (const std::vector<std::string>* list : {&first, &later}) {
    for (const std::string& url : *list) {
      if (seen_.count(url)) continue;
      if (started_ >= options_.max_scripts) {
        Hit("max_scripts");
        return;
      }
      if (kept_bytes_ >= options_.max_scripts_total_bytes) {
        Hit("max_scripts_total_bytes");
        return;
      }
      Fetch(url, page.url, env);
    }
  }
}

void ScriptFetch::Fetch(const std::string& url, const std::string& page_url, Env& env) {
  seen_.insert(url);
  const size_t index = scripts_.size();
  CrawledScript s;
  s.url = url;
  s.page_url = page_url;
  scripts_.push_back(std::move(s));
  ++started_;
  if (env.begin) env.begin();
  FetchRequest req;
  req.url = url;
  req.via = "script";
  req.priority = env.priority;
  req.deadline_mono_ms = env.deadline_mono_ms;
  Env* e = &env;
  env.fetcher->Add(std::move(req), [this, index, e](FetchResult r) { Done(index, std::move(r), *e); });
}

void ScriptFetch::Done(size_t index, FetchResult r, Env& env) {
  CrawledScript& s = scripts_[index];
  s.final_url = r.final_url.empty() ? s.url : r.final_url;
  s.status = r.status;
  s.bytes = r.raw_body.size();
  s.error = r.error;
  for (const std::string& l : r.limits_hit) Hit(l.c_str());
  // Evidence: every hop into the seed's manifest, the last one's bodies as
  // blobs, as the crawl records pages.
  for (size_t i = 0; i < r.hops.size(); ++i) {
    const Hop& h = r.hops[i];
    Capture c;
    c.url = h.url;
    c.final_url = r.final_url;
    c.via = i == 0 ? "script" : "http";
    c.time = FormatRfc3339Ms(r.started_unix_ms);
    c.status = h.status;
    c.remote_ip = h.ip;
    c.remote_port = h.port;
    c.http_version = h.http_version;
    c.tls = h.tls;
    c.error = h.error;
    if (env.evidence != nullptr && h.status > 0) {
      std::string block = HeaderBlock(h);
      c.headers_sha256 = Sha256Hex(block);
      if (InlineableHeaders(block)) {
        c.headers = std::move(block);
      } else if (auto hs = env.evidence->PutBlob(block); !hs.ok()) {
        c.headers_sha256.clear();
      }
    }
    if (i + 1 == r.hops.size() && h.status > 0) {
      c.content_type = r.content_type;
      c.limits_hit = r.limits_hit;
      c.raw_size = r.raw_body.size();
      c.body_size = r.body.size();
      if (env.evidence != nullptr) {
        auto body = env.evidence->PutBlob(r.body);
        auto raw = r.raw_body == r.body ? body : env.evidence->PutBlob(r.raw_body);
        if (body.ok()) c.body_sha256 = *body;
        if (raw.ok()) c.raw_sha256 = *raw;
        if (!body.ok() || !raw.ok()) s.error = "evidence: cannot store body of " + h.url;
      }
      s.body_sha256 = c.body_sha256.empty() ? Sha256Hex(r.body) : c.body_sha256;
    }
    if (env.manifest != nullptr) env.manifest->Add(std::move(c));
  }
  // The text the extractors read: 2xx bodies, within the caps.
  if (r.status >= 200 && r.status < 300 && !r.body.empty()) {
    int64_t room = std::max<int64_t>(0, options_.max_scripts_total_bytes - kept_bytes_);
    int64_t n = std::min<int64_t>({static_cast<int64_t>(r.body.size()), options_.max_script_bytes, room});
    if (n < static_cast<int64_t>(r.body.size())) Hit(n == room ? "max_scripts_total_bytes" : "max_script_bytes");
    s.text.assign(r.body, 0, static_cast<size_t>(n));
    kept_bytes_ += n;
  }
  if (env.end) env.end();
}

}  // namespace dragnet::crawler
