#include "core/json.h"
#include "crawler/evidence.h"

#include <filesystem>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/model_json.h"

namespace dragnet::crawler {
namespace fs = std::filesystem;

namespace {

// A manifest larger than this is not ours: refuse to load it whole.
constexpr uint64_t kMaxManifestBytes = 64ull << 20;
// Blobs are bodies capped by the fetcher (5 MiB by default); allow headroom
// for configs that raise the cap, but never read unbounded files.
constexpr uint64_t kMaxBlobBytes = 1ull << 30;

std::string GenesisHash(const std::string& seed) {
  return Sha256Hex("dragnet-evidence-v1\n" + seed);
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

nlohmann::json CaptureToJson(const Capture& c) {
  nlohmann::json j = {{"url", c.url},
                      {"final_url", c.final_url},
                      {"via", c.via},
                      {"time", c.time},
                      {"status", c.status},
                      {"remote_ip", c.remote_ip},
                      {"remote_port", c.remote_port},
                      {"http_version", c.http_version},
                      {"headers_sha256", c.headers_sha256},
                      {"raw_sha256", c.raw_sha256},
                      {"body_sha256", c.body_sha256},
                      {"raw_size", c.raw_size},
                      {"body_size", c.body_size},
                      {"content_type", c.content_type},
                      {"error", c.error},
                      {"limits_hit", c.limits_hit}};
  if (c.tls.present) j["tls"] = c.tls;
  if (!c.headers.empty()) j["headers"] = c.headers;
  return j;
}

bool InlineableHeaders(std::string_view block) {
  for (unsigned char ch : block) {
    if ((ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch > 0x7e) return false;
  }
  return true;
}

std::string EntryHash(const nlohmann::json& entry) {
  nlohmann::json copy = entry;
  copy.erase("hash");
  // nlohmann's object is a std::map: keys come out sorted, so dump() with no
  // indent is canonical for our own documents.
  return Sha256Hex(DumpJson(copy));
}

EvidenceStore::EvidenceStore(std::string dir) : dir_(std::move(dir)) {}

Status EvidenceStore::Init() {
  DRAGNET_RETURN_IF_ERROR(MakeDirs(dir_ + "/objects"));
  return MakeDirs(dir_ + "/manifests");
}

std::string EvidenceStore::BlobPath(const std::string& sha256) const {
  return dir_ + "/objects/" + sha256.substr(0, 2) + "/" + sha256;
}

Result<std::string> EvidenceStore::PutBlob(std::string_view bytes) {
  std::string sha = Sha256Hex(bytes);
  std::string path = BlobPath(sha);
  // Already stored (identical bodies across pages and seeds). A size that
  // differs means a copy cut short by a crash before its sync: write again.
  int64_t size = FileSize(path);
  if (size == static_cast<int64_t>(bytes.size())) return sha;
  DRAGNET_RETURN_IF_ERROR(MakeDirs(dir_ + "/objects/" + sha.substr(0, 2)));
  if (size < 0) {
    // New: created complete in one step. Another writer may have won the
    // race with the same bytes, or a cut-short copy may be there.
    auto created = CreateFileAtomic(path, bytes);
    if (!created.ok()) return created.status();
    if (*created || FileSize(path) == static_cast<int64_t>(bytes.size())) return sha;
  }
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(path, bytes, Durability::kDeferred));
  return sha;
}

Status EvidenceStore::Sync() {
  Status st = SyncFilesystem(dir_);
  if (!st.ok()) return IoError("evidence: " + st.message());
  return st;
}

Result<std::string> EvidenceStore::GetBlob(const std::string& sha256) const {
  if (!IsHex64(sha256)) return InvalidArgument("not a SHA-256: '" + sha256 + "'");
  return ReadFile(BlobPath(sha256), kMaxBlobBytes);
}

ManifestWriter::ManifestWriter(EvidenceStore* store, std::string seed, std::string tool_version)
    : store_(store),
      seed_(std::move(seed)),
      tool_version_(std::move(tool_version)),
      started_at_(FormatRfc3339Ms(SystemClock::Instance().NowUnixMs())),
      head_(GenesisHash(seed_)) {}

void ManifestWriter::Add(Capture c) {
  nlohmann::json e = CaptureToJson(c);
  e["index"] = entries_.size();
  e["tool"] = "dragnet/" + tool_version_;
  e["prev"] = head_;
  std::string h = EntryHash(e);
  e["hash"] = h;
  head_ = h;
  entries_.push_back(std::move(e));
}

void ManifestWriter::SetAnnex(const std::string& key, nlohmann::json value) {
  annex_[key] = std::move(value);
}

Result<std::string> ManifestWriter::Write() {
  nlohmann::json m = {{"format", "dragnet-evidence-manifest/1"},
                      {"seed", seed_},
                      {"tool", "dragnet/" + tool_version_},
                      {"started_at", started_at_},
                      {"written_at", FormatRfc3339Ms(SystemClock::Instance().NowUnixMs())},
                      {"genesis", GenesisHash(seed_)},
                      {"entries", entries_},
                      {"entry_count", entries_.size()},
                      {"head", head_},
                      {"annex", annex_}};
  // Manifest name: time + the first 16 hex digits of the head, so two scans
  // of one seed never collide and names sort by time.
  std::string stamp = started_at_;
  for (char& ch : stamp) {
    if (ch == ':' || ch == '.') ch = '-';
  }
  std::string name = stamp + "-" + head_.substr(0, 16) + ".json";
  std::string path = store_->dir() + "/manifests/" + name;
  // The blobs this manifest names reach the disk before it does.
  DRAGNET_RETURN_IF_ERROR(store_->Sync());
  DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(path, DumpJson(m, 1) + "\n"));
  return path;
}

namespace {

// Checks one manifest; appends at most one problem (the first broken link)
// and counts what it checked.
void VerifyManifest(const std::string& path, const std::string& evidence_dir, VerifyReport& rep) {
  rep.manifests++;
  auto text = ReadFile(path, kMaxManifestBytes);
  if (!text.ok()) {
    rep.problems.push_back(path + ": " + text.status().message());
    return;
  }
  nlohmann::json m = nlohmann::json::parse(*text, nullptr, false);
  if (m.is_discarded() || !m.is_object() || !m.contains("entries") || !m["entries"].is_array() ||
      !m.contains("seed") || !m["seed"].is_string()) {
    rep.problems.push_back(path + ": not a valid manifest (malformed JSON or missing fields)");
    return;
  }
  std::string prev = GenesisHash(m["seed"].get<std::string>());
  if (m.value("genesis", std::string()) != prev) {
    rep.problems.push_back(path + ": genesis hash does not match the seed");
    return;
  }
  EvidenceStore store(evidence_dir);
  const auto& entries = m["entries"];
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    rep.entries++;
    std::string where = path + ": entry " + std::to_string(i);
    if (!e.is_object() || !e.contains("hash") || !e["hash"].is_string()) {
      rep.problems.push_back(where + " is malformed");
      return;
    }
    if (e.value("index", static_cast<size_t>(-1)) != i) {
      rep.problems.push_back(where + " has index " + DumpJson(e.value("index", nlohmann::json())) +
                             " (entries removed or reordered)");
      return;
    }
    if (e.value("prev", std::string()) != prev) {
      rep.problems.push_back(where + " (" + e.value("url", std::string()) +
                             "): chain broken, prev does not match the hash of entry " +
                             std::to_string(i == 0 ? 0 : i - 1) +
                             (i == 0 ? " genesis" : "") + " (entries removed or reordered)");
      return;
    }
    std::string h = EntryHash(e);
    if (h != e["hash"].get<std::string>()) {
      rep.problems.push_back(where + " (" + e.value("url", std::string()) +
                             "): content altered, hash mismatch");
      return;
    }
    if (e.contains("headers")) {
      // Inline header block: the entry hash covers it; its SHA-256 must
      // still be the one recorded (the block a blob would have held).
      if (!e["headers"].is_string() ||
          Sha256Hex(e["headers"].get<std::string>()) != e.value("headers_sha256", std::string())) {
        rep.problems.push_back(where + " (" + e.value("url", std::string()) +
                               "): inline headers do not match headers_sha256");
        return;
      }
    }
    for (const char* key : {"headers_sha256", "raw_sha256", "body_sha256"}) {
      std::string sha = e.value(key, std::string());
      if (sha.empty()) continue;
      if (std::string_view(key) == "headers_sha256" && e.contains("headers")) continue;
      rep.blobs++;
      auto blob = store.GetBlob(sha);
      if (!blob.ok()) {
        rep.problems.push_back(where + ": blob " + key + " " + sha + " missing or unreadable: " +
                               blob.status().message());
        return;
      }
      if (Sha256Hex(*blob) != sha) {
        rep.problems.push_back(where + ": blob " + key + " " + sha + " altered (hash mismatch)");
        return;
      }
    }
    prev = h;
  }
  if (m.value("entry_count", static_cast<size_t>(-1)) != entries.size()) {
    rep.problems.push_back(path + ": entry_count says " + DumpJson(m.value("entry_count", nlohmann::json())) +
                           " but " + std::to_string(entries.size()) + " entries present (entries removed)");
    return;
  }
  if (m.value("head", std::string()) != prev) {
    rep.problems.push_back(path + ": head hash does not match the last entry (entries removed)");
    return;
  }
}

}  // namespace

Result<VerifyReport> VerifyEvidence(const std::string& path) {
  VerifyReport rep;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    // manifests/<x>.json -> evidence dir is two levels up.
    fs::path p(path);
    std::string dir = p.parent_path().parent_path().string();
    if (dir.empty()) dir = ".";
    VerifyManifest(path, dir, rep);
    return rep;
  }
  if (!fs::is_directory(path, ec)) return NotFound("no evidence at '" + path + "'");
  std::string mdir = path + "/manifests";
  if (!fs::is_directory(mdir, ec)) {
    return NotFound("'" + path + "' is not an evidence folder (no manifests/ inside)");
  }
  std::vector<std::string> files;
  for (const auto& de : fs::directory_iterator(mdir, ec)) {
    if (de.path().extension() == ".json") files.push_back(de.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) VerifyManifest(f, path, rep);
  return rep;
}

}  // namespace dragnet::crawler
