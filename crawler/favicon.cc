#include "crawler/favicon.h"

#include <murmurhash.h>

#include "core/clock.h"
#include "core/hash.h"
#include "crawler/crawl.h"

namespace dragnet::crawler {

std::string ShodanBase64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Python's encodebytes: lines of 76 characters (57 input bytes), each ended by '\n'.
  constexpr size_t kLineBytes = 57;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + bytes.size() / kLineBytes + 2);
  for (size_t line = 0; line < bytes.size(); line += kLineBytes) {
    std::string_view chunk = bytes.substr(line, kLineBytes);
    size_t i = 0;
    for (; i + 3 <= chunk.size(); i += 3) {
      uint32_t v = (static_cast<uint8_t>(chunk[i]) << 16) | (static_cast<uint8_t>(chunk[i + 1]) << 8) |
                   static_cast<uint8_t>(chunk[i + 2]);
      out += kAlphabet[(v >> 18) & 63];
      out += kAlphabet[(v >> 12) & 63];
      out += kAlphabet[(v >> 6) & 63];
      out += kAlphabet[v & 63];
    }
    if (size_t rest = chunk.size() - i; rest > 0) {
      uint32_t v = static_cast<uint8_t>(chunk[i]) << 16;
      if (rest == 2) v |= static_cast<uint8_t>(chunk[i + 1]) << 8;
      out += kAlphabet[(v >> 18) & 63];
      out += kAlphabet[(v >> 12) & 63];
      out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
      out += '=';
    }
    out += '\n';
  }
  return out;
}

int32_t FaviconMmh3(std::string_view bytes) {
  std::string b64 = ShodanBase64(bytes);
  uint32_t h = 0;
  lmmh_x86_32(b64.data(), static_cast<unsigned int>(b64.size()), 0, &h);
  return static_cast<int32_t>(h);
}

FetchRequest FaviconRequest(const std::string& url, uint64_t priority) {
  FetchRequest req;
  req.url = url;
  req.via = "favicon";
  req.priority = priority;
  req.headers = {"Accept: image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"};
  return req;
}

std::optional<Favicon> FaviconFromFetch(const FetchResult& r, const std::string& body_sha256, int64_t max_bytes,
                                        bool* too_large) {
  if (too_large) *too_large = false;
  if (!r.ok() || r.status < 200 || r.status >= 300 || r.body.empty()) return std::nullopt;
  if (LooksLikeHtml(r.content_type, r.body)) {
    return std::nullopt;  // a soft 404 or the home page, not an icon
  }
  if (static_cast<int64_t>(r.body.size()) > max_bytes) {
    if (too_large) *too_large = true;
    return std::nullopt;
  }
  Favicon f;
  f.url = r.final_url.empty() ? (r.hops.empty() ? "" : r.hops.front().url) : r.final_url;
  f.sha256 = body_sha256;
  f.mmh3 = FaviconMmh3(r.body);
  f.bytes = r.body.size();
  return f;
}

FaviconRecord RecordFavicon(const FetchResult& r, EvidenceStore* store, ManifestWriter* manifest, int64_t max_bytes) {
  FaviconRecord out;
  const bool keep_body = static_cast<int64_t>(r.body.size()) <= max_bytes && static_cast<int64_t>(r.raw_body.size()) <= max_bytes;
  std::string body_sha = r.status > 0 && keep_body ? Sha256Hex(r.body) : "";
  for (size_t i = 0; manifest != nullptr && store != nullptr && i < r.hops.size(); ++i) {
    const Hop& h = r.hops[i];
    Capture c;
    c.url = h.url;
    c.final_url = r.final_url;
    c.via = i == 0 ? "favicon" : "http";
    c.time = FormatRfc3339Ms(r.started_unix_ms);
    c.status = h.status;
    c.remote_ip = h.ip;
    c.remote_port = h.port;
    c.http_version = h.http_version;
    c.tls = h.tls;
    c.error = h.error;
    if (h.status > 0) {
      std::string block = "HTTP/" + h.http_version + " " + std::to_string(h.status) + "\r\n";
      for (const auto& [k, v] : h.headers) block += k + ": " + v + "\r\n";
      c.headers_sha256 = Sha256Hex(block);
      if (InlineableHeaders(block)) {
        c.headers = std::move(block);
      } else if (auto hs = store->PutBlob(block); !hs.ok()) {
        out.error = "evidence: cannot store favicon headers: " + hs.status().message();
      }
    }
    if (i + 1 == r.hops.size() && h.status > 0 && keep_body) {
      auto body = store->PutBlob(r.body);
      auto raw = r.raw_body == r.body ? body : store->PutBlob(r.raw_body);
      if (body.ok() && raw.ok()) {
        c.body_sha256 = *body;
        c.raw_sha256 = *raw;
        c.body_size = r.body.size();
        c.raw_size = r.raw_body.size();
      } else {
        out.error = "evidence: cannot store favicon body of " + h.url;
      }
      c.content_type = r.content_type;
      c.limits_hit = r.limits_hit;
    }
    manifest->Add(std::move(c));
  }
  out.favicon = FaviconFromFetch(r, body_sha, max_bytes, &out.too_large);
  return out;
}

}  // namespace dragnet::crawler
