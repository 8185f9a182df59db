#include "reporters/evidence.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/fs.h"
#include "core/hash.h"

namespace dragnet::reporters {
namespace {

std::string Dirname(const std::string& p) {
  auto s = p.rfind('/');
  if (s == std::string::npos) return ".";
  return s == 0 ? "/" : p.substr(0, s);
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<EvidenceSet> LoadEvidence(const std::string& manifest_path) {
  auto text = ReadFile(manifest_path, kMaxManifestReadBytes);
  if (!text.ok()) return Status(text.status().code(), "evidence manifest " + manifest_path + ": " + text.status().message());
  nlohmann::json m = nlohmann::json::parse(*text, nullptr, false);
  if (m.is_discarded() || !m.is_object()) return ParseError("evidence manifest " + manifest_path + ": not a JSON object");
  EvidenceSet set;
  set.manifest_path = manifest_path;
  set.manifest_text = std::move(text).value();
  if (m.contains("head") && m["head"].is_string()) set.head = m["head"].get<std::string>();
  // <evidence dir>/manifests/<name>.json -> <evidence dir>
  std::string evidence_dir = Dirname(Dirname(manifest_path));
  const nlohmann::json* entries = nullptr;
  if (m.contains("entries") && m["entries"].is_array()) entries = &m["entries"];
  if (!entries) return ParseError("evidence manifest " + manifest_path + ": no 'entries' array");
  for (const auto& e : *entries) {
    if (set.captures.size() >= kMaxEvidenceCaptures) break;
    if (!e.is_object()) continue;
    // The browser's own fetches repeat the crawl's (its rendered DOM and
    // screenshot are entries of their own).
    if (e.value("via", std::string()).rfind("browser:", 0) == 0) continue;
    std::string sha = e.value("body_sha256", std::string());
    std::string ct = e.value("content_type", std::string());
    if (sha.empty()) continue;
    if (!IsHex64(sha)) {
      set.problems.push_back("entry with malformed body_sha256 skipped");
      continue;
    }
    // The landing pages are the evidence: HTML and plain text bodies.
    if (!ct.empty() && ct.find("html") == std::string::npos && ct.find("text/") == std::string::npos) continue;
    bool dup = false;
    for (const auto& c : set.captures) dup = dup || c.sha256 == sha;
    if (dup) continue;
    EvidenceCapture c;
    c.url = e.value("final_url", std::string());
    if (c.url.empty()) c.url = e.value("url", std::string());
    c.time = e.value("time", std::string());
    c.sha256 = sha;
    c.content_type = ct.empty() ? "text/html" : ct;
    c.size = e.value("body_size", uint64_t{0});
    c.path = evidence_dir + "/objects/" + sha.substr(0, 2) + "/" + sha;
    set.captures.push_back(std::move(c));
  }
  return set;
}

ScreenshotRef LandingScreenshot(const SeedResult& r) {
  ScreenshotRef ref;
  if (r.evidence_manifest.empty()) return ref;
  const BrowserCapture* pick = nullptr;
  if (r.cloaking && r.cloaking->detected) {
    for (const auto& c : r.captures) {
      bool saw = std::find(r.cloaking->profiles.begin(), r.cloaking->profiles.end(), c.profile) !=
                 r.cloaking->profiles.end();
      if (saw && IsHex64(c.screenshot_sha256)) {
        pick = &c;
        break;
      }
    }
  }
  for (const auto& c : r.captures) {
    if (!pick && IsHex64(c.screenshot_sha256)) pick = &c;
  }
  if (!pick) return ref;
  ref.found = true;
  ref.profile = pick->profile;
  ref.user_agent = pick->user_agent;
  ref.url = pick->final_url.empty() ? pick->url : pick->final_url;
  ref.sha256 = pick->screenshot_sha256;
  ref.blob.url = ref.url;
  ref.blob.sha256 = ref.sha256;
  ref.blob.content_type = "image/png";
  ref.blob.path = Dirname(Dirname(r.evidence_manifest)) + "/objects/" + ref.sha256.substr(0, 2) + "/" + ref.sha256;
  return ref;
}

Result<std::string> ReadCaptureBody(const EvidenceCapture& c) {
  auto body = ReadFile(c.path, kMaxEvidenceBodyBytes);
  if (!body.ok()) return Status(body.status().code(), "evidence blob " + c.path + ": " + body.status().message());
  if (Sha256Hex(*body) != c.sha256) {
    return Corrupt("evidence blob " + c.path + " does not match its SHA-256: left out of the report");
  }
  return body;
}

}  // namespace dragnet::reporters
